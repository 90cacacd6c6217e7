"""Password rule of the ministry: at least 8 characters with a digit, a capital and a symbol."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

PASSWORD_NEEDS_DIGIT = gettext_noop("Password harus memiliki minimal 1 angka.")  # noqa: S105
PASSWORD_NEEDS_CAPITAL = gettext_noop("Password harus memiliki minimal 1 huruf kapital.")  # noqa: S105
PASSWORD_NEEDS_SYMBOL = gettext_noop("Password harus memiliki minimal 1 simbol.")  # noqa: S105


class ComplexityValidator:
    def validate(self, password: str, user=None) -> None:
        errors = []
        if not re.search(r"\d", password):
            errors.append(ValidationError(_(PASSWORD_NEEDS_DIGIT), code="password_no_digit"))
        if not re.search(r"[A-Z]", password):
            errors.append(ValidationError(_(PASSWORD_NEEDS_CAPITAL), code="password_no_capital"))
        if not re.search(r"[^A-Za-z0-9]", password):
            errors.append(ValidationError(_(PASSWORD_NEEDS_SYMBOL), code="password_no_symbol"))
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return _("Password harus memiliki minimal 8 karakter, 1 angka, 1 huruf kapital dan 1 simbol.")
