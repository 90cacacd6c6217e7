"""Analisis sektor industri (issue 18 §1): selectors (reads), tables (the protection, pure) and presenters."""
