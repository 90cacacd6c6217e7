"""LeanRenderer writes the plain widgets itself: byte for byte what Django's widget templates write."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from siinas.lib.form_renderer import LeanRenderer

CHOICES = [("", gettext_lazy("— pilih —")), ("a", "Alfa & <b>"), (3, "Tiga"), ("x\"y", gettext_lazy("Hapus"))]
GROUPED = [("", "—"), ("Jawa", [("32", "Jawa Barat"), ("35", "Jawa Timur")]), ("Lain", [("11", "Aceh")])]


class Everything(forms.Form):
    text = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"class": "form-control", "aria-label": 'Nama "x" & <y>'}))
    optional = forms.CharField(required=False)
    number = forms.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal("0.01"))
    whole = forms.IntegerField(required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    flag = forms.BooleanField(required=False)
    other_flag = forms.BooleanField(required=False, widget=forms.CheckboxInput(attrs={"disabled": True, "hidden": False}))
    kind = forms.ChoiceField(choices=CHOICES)
    region = forms.ChoiceField(choices=GROUPED, required=False)
    many = forms.MultipleChoiceField(choices=[("p", "P"), ("q", "Q")], required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    email = forms.EmailField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput, required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)


class Lean(Everything):
    default_renderer = LeanRenderer()


class Plain(Everything):
    default_renderer = DjangoTemplates()


DATA = [
    {},
    {
        "text": "<script>&amp;\"'",
        "number": "1.5",
        "whole": "12",
        "day": "2026-01-31",
        "flag": "on",
        "kind": "x\"y",
        "region": "35",
        "many": ["p", "q"],
        "note": "baris\n<dua> & 'tiga'",
        "email": "a@b.id",
        "secret": "s",
        "hidden": "h&h",
    },
    {"text": "", "number": "bukan angka", "day": "31-01-2026", "kind": "tidak ada", "note": "", "region": "zz"},
]


def _html(form_class, **kwargs) -> list[str]:
    form = form_class(**kwargs)
    form.is_valid() if form.is_bound else None
    return [str(field) for field in form]


@pytest.mark.parametrize("data", DATA)
def test_bound_widgets_are_written_exactly_as_the_templates_write_them(data):
    assert _html(Lean, data=data or None) == _html(Plain, data=data or None)


def test_initial_values_are_written_exactly_as_the_templates_write_them():
    initial = {
        "text": mark_safe("<b>aman</b>"),
        "number": Decimal("1234.50"),
        "whole": 7,
        "day": dt.date(2026, 2, 3),
        "flag": True,
        "kind": 3,
        "region": "32",
        "note": "isi",
    }
    assert _html(Lean, initial=initial) == _html(Plain, initial=initial)


def test_options_follow_the_active_language():
    with override("en"):
        english = _html(Lean)
        assert english == _html(Plain)
    with override("id"):
        assert _html(Lean) == _html(Plain)
    assert ">— select —<" in english[7] and ">Delete<" in english[7]  # the cache kept no Indonesian label


def test_other_templates_are_left_to_django():
    form = Lean(data={"text": ""})
    assert str(form) == str(Plain(data={"text": ""}))
    assert str(form["text"].errors)


def test_plain_widgets_need_no_template(monkeypatch):
    loaded = []
    original = DjangoTemplates.get_template
    monkeypatch.setattr(DjangoTemplates, "get_template", lambda self, name: loaded.append(name) or original(self, name))
    _html(Lean, data=DATA[1])
    assert loaded == []


@pytest.mark.django_db
def test_a_section_table_row_is_written_as_django_would_write_it():
    from reporting.sections.definitions import SECTION_HANDLERS

    section = SECTION_HANDLERS["bahan_baku"]
    (prefix,) = section._row_forms
    form_class = section._row_forms[prefix].form
    data = {"r-name": "Gandum <b>", "r-kind": "baku", "r-origin": "impor", "r-country": "AU", "r-quantity": "12.5", "r-value": "x"}
    lean, plain = form_class(data=data, prefix="r"), form_class(data=data, prefix="r", renderer=DjangoTemplates())
    assert isinstance(lean.renderer, LeanRenderer)
    assert not lean.is_valid() and not plain.is_valid()
    assert [str(field) for field in lean] == [str(field) for field in plain]


class LeanSelects(Everything):
    """``LeanSelect`` on the choice fields: its options written once per list and value."""

    default_renderer = LeanRenderer()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from siinas.lib.form_renderer import LeanSelect

        for field in self.fields.values():
            if type(field.widget) is forms.Select:
                field.widget.__class__ = LeanSelect


@pytest.mark.parametrize("data", DATA)
def test_a_lean_select_writes_exactly_what_the_templates_write(data):
    assert _html(LeanSelects, data=data or None) == _html(Plain, data=data or None)
    assert _html(LeanSelects, data=data or None) == _html(Plain, data=data or None)  # the second time from its cache


def test_a_lean_selects_cached_options_follow_the_language_and_the_value():
    with override("en"):
        english = _html(LeanSelects, data={"kind": "a"})
        assert english == _html(Plain, data={"kind": "a"})
    with override("id"):
        assert _html(LeanSelects, data={"kind": "a"}) == _html(Plain, data={"kind": "a"})
        assert _html(LeanSelects, data={"kind": "3"}) == _html(Plain, data={"kind": "3"})
