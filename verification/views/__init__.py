"""Views of the verification app, one module per page family; each route is in tests/authz/."""
