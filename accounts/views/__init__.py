"""Views of the accounts app, split by domain (style.md §1: a module past ~500 lines becomes a package)."""
