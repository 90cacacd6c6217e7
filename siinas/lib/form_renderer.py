"""A form renderer that writes the common widgets in Python instead of through their templates.

Django renders every widget through a template: an ``<input>`` is three templates (``text.html``,
``input.html``, ``attrs.html``) and a ``<select>`` one more per option. A section form of 50 rows with a
country list per row is about 13,000 option templates, and rendering them took 95 % of the page (issue 14).
``LeanRenderer`` produces the same bytes as Django's templates for the widgets below (Django 6's
``django/forms/widgets/*.html``, checked by ``tests/core/test_form_renderer.py``) and hands every other
template (forms, fieldsets, file inputs, …) to Django's own renderer.
"""

from __future__ import annotations

import html
from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language


def _escape(value: Any) -> str:
    """``conditional_escape`` without its lazy-string wrapper (the same characters are escaped)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _text(value: Any) -> str:
    """``{{ value }}`` in an autoescaped template (localized as the template engine does)."""
    return _escape(value if type(value) is str else localize(template_localtime(value)))


def _formatted(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: no localization; a safe input stays unescaped (``is_safe``)."""
    return _escape(value if isinstance(value, str) else str(value))


def _attrs(attrs: dict[str, Any]) -> str:
    """``django/forms/widgets/attrs.html``."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_text(name)}")
        else:
            parts.append(f' {_text(name)}="{_formatted(value)}"')
    return "".join(parts)


def _input(widget: dict[str, Any]) -> str:
    """``django/forms/widgets/input.html`` (and every template that only includes it)."""
    value = widget["value"]
    shown = f' value="{_formatted(value)}"' if value is not None else ""
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'


def _option(option: dict[str, Any]) -> str:
    """``django/forms/widgets/select_option.html``."""
    return f'<option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>{_text(option["label"])}</option>'


# Rows of a table repeat the same long choice lists (countries, units): an option is written once per
# language. The key holds the label itself (a lazy label compares by its text in the active language).
_OPTIONS: dict[tuple, str] = {}
_OPTIONS_MAX = 20_000


def _cached_option(language: str | None, option: dict[str, Any]) -> str:
    try:
        key = (language, option["value"], option["label"], tuple(option["attrs"].items()))
        found = _OPTIONS.get(key)
    except TypeError:  # an unhashable value or attribute
        return _option(option)
    if found is None:
        if len(_OPTIONS) >= _OPTIONS_MAX:
            _OPTIONS.clear()
        found = _OPTIONS[key] = _option(option)
    return found


def _options(optgroups: list) -> str | None:
    """The options of ``django/forms/widgets/select.html`` (None: an unusual option template)."""
    parts = []
    language = get_language()
    for group_name, group_choices, _index in optgroups:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != "django/forms/widgets/select_option.html":
                return None  # an unusual option template: let Django render the whole widget
            parts.append(f"\n  {_cached_option(language, option)}\n")  # select_option.html ends with a newline
        if group_name:
            parts.append("\n  </optgroup>")
    return "".join(parts)


def _select(widget: dict[str, Any]) -> str:
    """``django/forms/widgets/select.html`` with its options (written by ``LeanSelect`` already, or here)."""
    options = widget["lean_options"] if "lean_options" in widget else _options(widget["optgroups"])
    if options is None:
        return ""
    return f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>{options}\n</select>'


# ``LeanSelect``: the options of a choice list, written once per list, chosen value(s) and language. The
# list itself is kept beside its entry, so its id cannot be reused by another list while the entry lives.
_SELECTS: dict[int, tuple[list, dict[tuple, str]]] = {}
_SELECTS_MAX = 2_000


class LeanSelect(forms.Select):
    """A ``Select`` for long tables: rows share their choice list (a country or unit list per row), so its
    options are written once per chosen value and language instead of once per row. Only with a plain
    list of choices (and ``LeanRenderer``); otherwise exactly a ``Select``."""

    def get_context(self, name, value, attrs):
        choices = self.choices
        if type(choices) is not list or self.allow_multiple_selected:
            return super().get_context(name, value, attrs)
        context = forms.Widget.get_context(self, name, value, attrs)  # no optgroups: the options come below
        values = context["widget"]["value"]
        entry = _SELECTS.get(id(choices))
        if entry is None or entry[0] is not choices:
            if len(_SELECTS) >= _SELECTS_MAX:
                _SELECTS.clear()
            entry = _SELECTS[id(choices)] = (choices, {})
        key = (get_language(), tuple(values))
        options = entry[1].get(key)
        if options is None:
            options = _options(self.optgroups(name, values, attrs))
            if options is None:
                return super().get_context(name, value, attrs)
            entry[1][key] = options
        context["widget"]["lean_options"] = options
        return context


def _textarea(widget: dict[str, Any]) -> str:
    """``django/forms/widgets/textarea.html``."""
    value = widget["value"]
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{_text(value) if value else ""}</textarea>'


_WIDGETS = {
    **{
        f"django/forms/widgets/{name}.html": _input
        for name in ("input", "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "search", "tel", "color", "checkbox")
    },
    "django/forms/widgets/select.html": _select,
    "django/forms/widgets/textarea.html": _textarea,
}


class LeanRenderer(DjangoTemplates):
    """Django's default renderer, with the plain widgets written directly (same output, no templates)."""

    def render(self, template_name: str, context: dict[str, Any], request=None) -> str:
        write = _WIDGETS.get(template_name)
        if write is not None and set(context) == {"widget"}:
            html = write(context["widget"])
            if html:
                return mark_safe(html)  # noqa: S308 - every value in it went through _escape
        return super().render(template_name, context, request=request)


class LeanForm(forms.Form):
    """A form whose plain widgets are written by ``LeanRenderer`` (e.g. as a FilterSet's ``Meta.form``)."""

    default_renderer = LeanRenderer()
