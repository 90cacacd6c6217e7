"""Numbers as people type and read them: 1.234.567,89 in Indonesian, 1,234,567.89 in English (issue 16 §3)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from siinas.lib.bounds import WHOLE_NUMBER_ONLY, bound
from siinas.lib.numbers import (
    NumberInput,
    format_number,
    localize_field,
    machine_from_localized,
    parse_number,
)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1.234.567,89", Decimal("1234567.89")),
        ("1234567,89", Decimal("1234567.89")),
        ("1234567", Decimal("1234567")),
        ("1.234.567", Decimal("1234567")),
        ("1234567.89", Decimal("1234567.89")),  # a machine value: a dot not followed by three digits is no group
        ("1234.567", Decimal("1234.567")),  # four digits before the dot: not a group either
        ("12.5", Decimal("12.5")),
        ("1.234", Decimal("1234")),  # one dot and three digits: a thousands separator in Indonesian
        ("90.000", Decimal("90000")),
        ("0.500", Decimal("0.5")),  # a group never starts with 0
        ("-1.234,5", Decimal("-1234.5")),
        ("1 234 567", Decimal("1234567")),
        (",5", Decimal("0.5")),
        ("1.234,00", Decimal("1234")),  # zero decimals carry nothing
    ],
)
def test_indonesian_numbers_are_read_with_dot_groups_and_comma_decimals(text, number):
    with translation.override("id"):
        assert parse_number(text) == number


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1,234,567.89", Decimal("1234567.89")),
        ("1234567.89", Decimal("1234567.89")),
        ("1,234", Decimal("1234")),
        ("1.234", Decimal("1.234")),
        ("1234567", Decimal("1234567")),
    ],
)
def test_english_numbers_are_read_with_comma_groups_and_dot_decimals(text, number):
    with translation.override("en"):
        assert parse_number(text) == number


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("text", ["sepuluh", "12,", "1.23.456", "1,2,3", "12a", "--1", "", "١٢٣", "1e5", "NaN"])
def test_text_that_is_not_a_number_is_refused_in_both_languages(language, text):
    with translation.override(language):
        assert parse_number(text) is None


def test_groups_written_in_the_other_language_are_refused_not_guessed():
    with translation.override("id"):
        assert parse_number("1,234.56") is None
    with translation.override("en"):
        assert parse_number("1.234.567,89") is None and parse_number("1234,5") is None


def test_numbers_are_shown_grouped_with_their_significant_decimals_only():
    with translation.override("id"):
        assert format_number(Decimal("1234567.89")) == "1.234.567,89"
        assert format_number(Decimal("90.000")) == "90"
        assert format_number(Decimal("1234.500")) == "1.234,5"
        assert format_number(12_000_000_000_000) == "12.000.000.000.000"
        assert format_number(Decimal("-0.000")) == "0"
        assert format_number(2024, grouping=False) == "2024"
    with translation.override("en"):
        assert format_number(Decimal("1234567.89")) == "1,234,567.89"
        assert format_number(Decimal("90.000")) == "90"


def test_a_typed_number_is_kept_as_a_machine_value_that_reads_the_same_in_either_language():
    with translation.override("id"):
        assert machine_from_localized("1.234") == "1234"
        assert machine_from_localized("1.234,50") == "1234.5"
        assert machine_from_localized("empat ratus") == "empat ratus"
    with translation.override("en"):
        assert machine_from_localized("1.234") == "1.234"


def _money_field():
    field = localize_field(forms.DecimalField(max_digits=20, decimal_places=0, min_value=0))
    return bound(field)


def _quantity_field():
    return bound(localize_field(forms.DecimalField(max_digits=18, decimal_places=3, min_value=0)))


def test_a_localized_field_reads_the_page_language():
    with translation.override("id"):
        assert _quantity_field().clean("1.234.567,891") == Decimal("1234567.891")
    with translation.override("en"):
        assert _quantity_field().clean("1,234,567.891") == Decimal("1234567.891")


def test_bad_input_gets_a_message_with_an_example_in_the_page_language():
    with translation.override("id"), pytest.raises(forms.ValidationError) as caught:
        _quantity_field().clean("1,234.56")
    assert caught.value.messages == ["Masukkan angka, misalnya 1.234.567,89."]
    with translation.override("en"), pytest.raises(forms.ValidationError) as caught:
        _quantity_field().clean("1.234,56")
    assert caught.value.messages[0].endswith("1,234,567.89.")


def test_a_fraction_in_a_whole_rupiah_field_keeps_the_whole_number_message():
    with translation.override("id"), pytest.raises(forms.ValidationError) as caught:
        _money_field().clean("1.234,5")
    assert caught.value.messages == [str(WHOLE_NUMBER_ONLY)]
    integer = bound(localize_field(forms.IntegerField(min_value=0)))
    with translation.override("id"):
        assert integer.clean("1.234") == 1234
        with pytest.raises(forms.ValidationError) as caught:
            integer.clean("12,5")
    assert caught.value.messages == [str(WHOLE_NUMBER_ONLY)]


def test_the_input_is_text_so_it_can_show_groups_and_fits_a_rupiah_amount():
    field = _money_field()
    assert isinstance(field.widget, NumberInput)
    with translation.override("id"):
        html = field.widget.render("nilai", Decimal("12345678901234"))
    assert 'type="text"' in html and 'inputmode="numeric"' in html and 'value="12.345.678.901.234"' in html
    assert 'inputmode="decimal"' in _quantity_field().widget.render("jumlah", Decimal("90.000"))
    with translation.override("en"):
        assert 'value="90"' in _quantity_field().widget.render("jumlah", Decimal("90.000"))


def test_a_value_that_may_be_negative_gets_a_keyboard_with_a_minus_sign():
    latitude = bound(localize_field(forms.DecimalField(max_digits=9, decimal_places=6)))
    assert 'inputmode="text"' in latitude.widget.render("lintang", Decimal("-6.4012"))
    with translation.override("id"):
        assert 'value="-6,4012"' in latitude.widget.render("lintang", Decimal("-6.4012"))
    count = bound(localize_field(forms.IntegerField(min_value=0)))
    assert 'inputmode="numeric"' in count.widget.render("jumlah", 3)
