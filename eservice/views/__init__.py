"""E-service views, split by who uses them: companies (applications), officers (review), everyone (directory)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms import Form


def errors_onto(form: Form, exc: ValidationError, *others: Form) -> None:
    """Map a service's ValidationError onto the form so the user's input is kept (style.md §10).

    With ``others``, a field error goes to whichever of the forms has that field.
    """
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        target = next((f for f in (form, *others) if field in f.fields), None)
        for error in errors:
            (target or form).add_error(field if target else None, error)
