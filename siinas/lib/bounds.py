"""Number fields bounded by the column they end in (docs/decisions.md, "Input").

A form's IntegerField knows nothing of the column behind it: 3,000,000,000 passed the form and then
failed the insert with ``integer out of range`` (a 500 that lost the section's input). ``bound()``
gives a form field the range of its model field, with the message at the field:

    workforce = bound(forms.IntegerField(label=..., min_value=0), Factory._meta.get_field("workforce"))

Without a column (a value kept in JSON) an integer gets the range of an IntegerField column. Ranges
are PostgreSQL's (Django's own table of column ranges); SQLite's integers are wider, so a value that
passes here fits both. A tighter bound already on the field (``max_value=2100``) is kept.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy

INTEGER_RANGES: dict[str, tuple[int, int]] = BaseDatabaseOperations.integer_field_ranges
TOO_LARGE = gettext_lazy("Nilai terlalu besar: paling banyak %(limit_value)s.")
TOO_SMALL = gettext_lazy("Nilai terlalu kecil: paling sedikit %(limit_value)s.")


def _shown(limit: int | Decimal) -> str:
    return number_format(limit, force_grouping=True)  # 2.147.483.647 in Indonesian, 2,147,483,647 in English


class ColumnMaxValueValidator(MaxValueValidator):
    message = TOO_LARGE

    def __call__(self, value):
        if self.compare(self.clean(value), self.limit_value):
            raise ValidationError(self.message, code=self.code, params={"limit_value": _shown(self.limit_value), "value": value})


class ColumnMinValueValidator(MinValueValidator):
    message = TOO_SMALL

    def __call__(self, value):
        if self.compare(self.clean(value), self.limit_value):
            raise ValidationError(self.message, code=self.code, params={"limit_value": _shown(self.limit_value), "value": value})


WHOLE_NUMBER_ONLY = gettext_lazy("Isi dengan bilangan bulat, tanpa angka di belakang koma.")


class DecimalPlacesValidator(DecimalValidator):
    """Django's digit count, for values inside the column's range only.

    Outside it the range validators say "too large/too small" with the limit; a second message
    counting digits beside that one would only repeat it less clearly.
    """

    def __init__(self, max_digits: int, decimal_places: int):
        super().__init__(max_digits, decimal_places)
        self.limit = decimal_limit(max_digits, decimal_places)
        if decimal_places == 0:  # not "no more than 0 decimal places" (issue 16 §9)
            self.messages = {**self.messages, "max_decimal_places": WHOLE_NUMBER_ONLY}

    def __call__(self, value):
        if value.is_finite() and -self.limit <= value <= self.limit:
            super().__call__(value)


class FiniteDecimalField(forms.DecimalField):
    """A DecimalField that refuses NaN and the infinities while parsing, not only in ``validate()``.

    Django's parses "sNaN" to a signalling NaN and refuses it later; ``has_changed()`` (asked of every
    blank row of a formset) compared it first with the field's initial value and raised
    ``InvalidOperation``: a 500. Found by the fuzz test on a sales row (whose columns default to 0).
    """

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and not value.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return value


def decimal_limit(max_digits: int, decimal_places: int) -> Decimal:
    """The largest value a ``numeric(max_digits, decimal_places)`` column holds (999.99 for 5, 2)."""
    whole = "9" * (max_digits - decimal_places) or "0"
    return Decimal(f"{whole}.{'9' * decimal_places}" if decimal_places else whole)


def column_range(column: models.Field) -> tuple[int | Decimal, int | Decimal] | None:
    """(lowest, highest) value the column holds, or None for a column that is not a number."""
    if isinstance(column, models.DecimalField):
        limit = decimal_limit(column.max_digits, column.decimal_places)
        return -limit, limit
    if isinstance(column, models.IntegerField):
        return INTEGER_RANGES[column.get_internal_type()]
    return None


def bound(field: forms.Field, column: models.Field | None = None) -> forms.Field:
    """``field`` limited to what ``column`` holds (see the module docstring); other fields pass through.

    A plain DecimalField becomes a ``FiniteDecimalField``.
    """
    if isinstance(field, forms.DecimalField):
        if type(field) is forms.DecimalField:
            field.__class__ = FiniteDecimalField
        digits = column.max_digits if column is not None else field.max_digits
        places = column.decimal_places if column is not None else field.decimal_places
        if digits is None or places is None:
            raise ValueError(f"bound(): {field!r} needs max_digits and decimal_places")
        field.max_digits, field.decimal_places = digits, places
        field.validators = [v for v in field.validators if not isinstance(v, DecimalValidator)]
        field.validators.append(DecimalPlacesValidator(digits, places))
        limit = decimal_limit(digits, places)
        _limit(field, -limit, limit)
    elif isinstance(field, forms.IntegerField) and not isinstance(field, forms.FloatField):
        kind = column.get_internal_type() if isinstance(column, models.IntegerField) else "IntegerField"
        _limit(field, *INTEGER_RANGES[kind])
    return field


def _limit(field: forms.IntegerField, lowest: int | Decimal, highest: int | Decimal) -> None:
    numeric_widget = isinstance(field.widget, forms.NumberInput)
    if field.max_value is None or field.max_value > highest:
        field.validators = [v for v in field.validators if type(v) is not MaxValueValidator or _within(v.limit_value, highest)]
        field.max_value = highest
        field.validators.append(ColumnMaxValueValidator(highest))
        if numeric_widget:
            field.widget.attrs["max"] = str(highest)
    if field.min_value is None or field.min_value < lowest:
        field.validators = [v for v in field.validators if type(v) is not MinValueValidator or _within(lowest, v.limit_value)]
        field.min_value = lowest
        field.validators.append(ColumnMinValueValidator(lowest))
        if numeric_widget:
            field.widget.attrs["min"] = str(lowest)


def _within(low, high) -> bool:
    """Whether an existing validator's limit is at least as tight (a callable limit is always kept)."""
    return callable(low) or callable(high) or low <= high


def whole_number(value: str | None, kind: str = "BigIntegerField") -> int | None:
    """A query-string number (``?versi=2``) as an int, or None unless it is plain digits a ``kind`` column holds.

    ``str.isdigit()`` then ``int()`` gave a 500 for "²" (a digit to ``isdigit``, not to ``int``) and for
    more than 4,300 digits (Python's limit on converting text to int).
    """
    if not value or len(value) > 19 or not (value.isascii() and value.isdigit()):
        return None
    lowest, highest = INTEGER_RANGES[kind]
    number = int(value)
    return number if lowest <= number <= highest else None
