"""E-service views, split by who uses them: companies (applications), officers (review), everyone (directory)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms import Form


def errors_onto(form: Form, exc: ValidationError) -> None:
    """Map a service's ValidationError onto the form so the user's input is kept (style.md §10)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        form.add_error(None, exc)
