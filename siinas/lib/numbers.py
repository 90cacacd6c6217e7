"""Numbers as people type and read them: ``1.234.567,89`` in Indonesian, ``1,234,567.89`` in English (issue 16 §3).

The separators come from Django's format files for the active language (``id``: comma decimals, dot
groups; ``en``: the reverse). One parser and one formatter serve the form fields below, the report
forms' drafts and the Excel import, so a value reads back as it was written in every path.

What the parser accepts (``parse_number``), with D the decimal mark and G the group mark of the language:

- plain digits: ``1234567``;
- digits grouped by three with G: ``1.234.567`` (id), ``1,234,567`` (en); a group of other than three
  digits is refused, not guessed;
- either of those with D and decimals: ``1.234.567,89``, ``1234567,89`` (id);
- in Indonesian, also a machine value with a dot as decimal mark, **only when it cannot be a
  thousands group**: ``1234567.89``, ``12.5`` and ``1.2345`` are read as decimals, but a single dot
  followed by exactly three digits after one to three digits (``1.234``, ``90.000``) is a thousands
  separator: 1234 and 90000. English never reads a comma as a decimal mark (``1234,5`` is refused).
- a leading ``-`` (or ``+``), spaces and no-break spaces anywhere (``1 234``), nothing else.

Zero decimals carry nothing and are dropped: ``1.234,00`` is the whole number 1234.

The formatter (``format_number``) groups the whole part and shows the significant decimals only:
Decimal("90.000") is ``90``, Decimal("1234.500") is ``1.234,5``.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.utils.formats import get_format
from django.utils.translation import get_language, gettext_lazy

from siinas.lib.bounds import WHOLE_NUMBER_ONLY, FiniteDecimalField

NOT_A_NUMBER = gettext_lazy("Masukkan angka, misalnya %(example)s.")
NOT_A_WHOLE_NUMBER = gettext_lazy("Masukkan bilangan bulat, misalnya %(example)s.")

_SPACES = re.compile(r"[\s\u00a0\u202f]")
_MACHINE = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_GROUP_HEAD = re.compile(r"[1-9]\d{0,2}")


_SEPARATORS: dict[str | None, tuple[str, str]] = {}


def separators() -> tuple[str, str]:
    """(decimal mark, group mark) of the active language (kept per language: a 50-row form asks 300 times)."""
    language = get_language()
    if language not in _SEPARATORS:
        _SEPARATORS[language] = str(get_format("DECIMAL_SEPARATOR")), str(get_format("THOUSAND_SEPARATOR"))
    return _SEPARATORS[language]


_PATTERNS: dict[tuple[str, str], tuple[re.Pattern, re.Pattern | None]] = {}


def _patterns(decimal: str, group: str) -> tuple[re.Pattern, re.Pattern | None]:
    if (decimal, group) not in _PATTERNS:
        d, g = re.escape(decimal), re.escape(group)
        local = re.compile(rf"^(?P<whole>\d+|[1-9]\d{{0,2}}(?:{g}\d{{3}})+)?(?:{d}(?P<fraction>\d+))?$")
        # A dot-decimal machine value, where the dot is not this language's decimal mark.
        machine = re.compile(r"^(?P<whole>\d+)\.(?P<fraction>\d+)$") if decimal != "." else None
        _PATTERNS[decimal, group] = (local, machine)
    return _PATTERNS[decimal, group]


def parse_number(text: str) -> Decimal | None:
    """``text`` as a Decimal by the rules of the module docstring, or None when it is not a number."""
    cleaned = _SPACES.sub("", text)
    sign = ""
    if cleaned[:1] in ("-", "+", "\u2212"):
        sign, cleaned = ("" if cleaned[0] == "+" else "-"), cleaned[1:]
    if not cleaned or len(cleaned) > 60 or not cleaned.isascii():
        return None
    decimal, group = separators()
    local, machine = _patterns(decimal, group)
    found = local.match(cleaned)
    if found and (found["whole"] or found["fraction"]):
        whole = (found["whole"] or "0").replace(group, "")
        fraction = found["fraction"] or ""
    else:
        found = machine.match(cleaned) if machine else None
        if not found or (_GROUP_HEAD.fullmatch(found["whole"]) and len(found["fraction"]) == 3):
            return None  # "1.234" matched the grouped pattern already; anything else is not a number
        whole, fraction = found["whole"], found["fraction"]
    fraction = fraction.rstrip("0")  # "1.234,00" is a whole number: no zero decimals to refuse on a Rupiah field
    try:
        return Decimal(f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}")
    except InvalidOperation:  # pragma: no cover - the patterns admit digits only
        return None


def machine_text(value: Decimal | int) -> str:
    """The canonical language-free text of a number: ``1234567.89``, ``90`` (no exponent, no trailing zeros)."""
    if isinstance(value, int):
        return str(value)
    text = format(value.normalize(), "f")
    return "0" if text == "-0" else text


def format_number(value: Decimal | int | float | str, *, grouping: bool = True) -> str:
    """``value`` for people in the active language, grouped, with its significant decimals only."""
    if isinstance(value, str):
        value = Decimal(value)
    elif isinstance(value, float):
        value = Decimal(repr(value))
    text = machine_text(value)
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("-").partition(".")
    decimal, group = separators()
    grouped = _group(whole, group) if grouping else whole
    return f"{sign}{grouped}{decimal}{fraction}" if fraction else f"{sign}{grouped}"


def _group(digits: str, mark: str) -> str:
    head = len(digits) % 3 or 3
    return mark.join([digits[:head], *(digits[i : i + 3] for i in range(head, len(digits), 3))])


def localized_from_machine(text: str) -> str:
    """A machine value (``1234.5``, as a number input or the database sends it) in the active language's
    format; any other text is returned as it is (it was typed, and its message goes with it)."""
    stripped = text.strip()
    return format_number(Decimal(stripped)) if _MACHINE.match(stripped) else text


def machine_from_localized(text: str) -> str:
    """Typed text in the active language as a machine value when it is a number, else as it is."""
    number = parse_number(text) if text else None
    return text if number is None else machine_text(number)


def example(places: int) -> str:
    """The example a message shows: 1.234.567,89 (or 1.234.567 for whole numbers) in the active language."""
    return format_number(Decimal("1234567.89") if places else 1234567)


# --- form fields ---------------------------------------------------------------------------------


class TypedText(str):
    """Text from a bound form's data (typed, in the page's language), as opposed to a stored initial value.

    A stored value that is a string is a machine value ("1.234" is one and a bit); typed text is read in the
    page's language ("1.234" is 1234 in Indonesian). The widget tells them apart by this type.
    """


class NumberInput(forms.TextInput):
    """A text input for a number (``type=number`` cannot show grouping), shown in the page's language.

    ``static/js/numbers.js`` groups the digits as they are typed (inputs marked ``data-number``).
    Renders through ``text.html``, so the section forms' hand-written renderer keeps writing it.
    """

    def __init__(self, attrs: dict[str, Any] | None = None, *, places: int = 0, grouping: bool = True, signed: bool = False):
        self.grouping = grouping
        # A phone's number pads have no minus sign: a value that may be negative (a latitude) gets the keyboard.
        mode = "text" if signed else "decimal" if places else "numeric"
        base = {"inputmode": mode, "data-number": str(places) if grouping else "plain", "autocomplete": "off"}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        if value is None or value == "":
            return None
        if isinstance(value, TypedText):  # as typed (a form shown again): grouped when it is a number
            number = parse_number(value)
            return value if number is None else format_number(number, grouping=self.grouping)
        if isinstance(value, str):  # a stored machine value (JSON): shown in the page's language
            return format_number(Decimal(value), grouping=self.grouping) if _MACHINE.match(value.strip()) else value
        try:
            return format_number(value, grouping=self.grouping)
        except (InvalidOperation, ValueError, TypeError):
            return str(value)


def _to_number(field: forms.Field, value: Any, places: int) -> Decimal | None:
    if value in field.empty_values:
        return None
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return Decimal(value)
    number = parse_number(str(value))
    if number is None:
        message = NOT_A_NUMBER if places else NOT_A_WHOLE_NUMBER
        raise ValidationError(message, code="invalid", params={"example": example(places)})
    return number


def _typed(data: Any) -> Any:
    return TypedText(data) if isinstance(data, str) else data


class LocalizedDecimalField(FiniteDecimalField):
    """A DecimalField reading and showing numbers in the active language (see the module docstring)."""

    def to_python(self, value):
        return _to_number(self, value, self.decimal_places or 0)

    def bound_data(self, data, initial):
        return _typed(super().bound_data(data, initial))


class LocalizedIntegerField(forms.IntegerField):
    """An IntegerField reading ``1.234`` (id) / ``1,234`` (en); a fraction gets the whole-number message."""

    def bound_data(self, data, initial):
        return _typed(super().bound_data(data, initial))

    def to_python(self, value):
        number = _to_number(self, value, 0)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise ValidationError(WHOLE_NUMBER_ONLY, code="invalid")
        return int(number)


def localize_field(field: forms.Field, *, grouping: bool = True) -> forms.Field:
    """A model form's number field made a localized one in place (other fields pass through).

    Call before ``bounds.bound()``: it then limits the field without ``type=number`` attributes.
    ``grouping=False`` for a number that is a name more than a quantity (a year: 2024, not 2.024).
    """
    if isinstance(field, forms.DecimalField):
        field.__class__ = LocalizedDecimalField
        places = field.decimal_places or 0
    elif isinstance(field, forms.IntegerField) and not isinstance(field, forms.FloatField):
        field.__class__ = LocalizedIntegerField
        places = 0
    else:
        return field
    signed = not any(
        isinstance(v, MinValueValidator) and not callable(v.limit_value) and v.limit_value >= 0 for v in field.validators
    )
    field.widget = NumberInput(places=places, grouping=grouping, signed=signed)
    field.localize = False  # the field itself reads the active language; Django's own localizing is not used
    return field


def localize_form(form_class: type[forms.BaseForm]) -> type[forms.BaseForm]:
    """Every number field of ``form_class`` localized (``localize_field``); a ``*year`` field is not grouped."""
    for name, field in form_class.base_fields.items():
        localize_field(field, grouping=not name.endswith("year"))
    return form_class
