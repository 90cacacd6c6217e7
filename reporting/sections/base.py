"""The section engine: shape validation with forms, rule checks on model instances, bulk persistence.

A ``Section`` declares its header model and fields, its repeating tables (``RowSpec``) and its
cross-field / cross-period rules (``check``). The same ``check`` runs on a draft save (over the
instances built from the form) and again at submission (over the stored typed rows), so a rule is
written once. Rules report an ``Issue`` at a header field, at a row's field, or on a whole table.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django import forms
from django.db import models
from django.forms.models import fields_for_model
from django.http import QueryDict
from django.utils.translation import gettext_lazy

from reporting.models import Report
from reporting.registry import ReportTypeSpec
from siinas.lib.bounds import bound
from siinas.lib.form_renderer import LeanRenderer, LeanSelect
from siinas.lib.numbers import (
    NumberInput,
    format_number,
    localize_field,
    localized_from_machine,
    machine_from_localized,
    parse_number,
)

HEADER_PREFIX = "h"
# Section tables run to hundreds of rows with long choice lists: their widgets are written without templates.
RENDERER = LeanRenderer()
BLANK_CHOICE = gettext_lazy("— pilih —")


def name_key(name: str) -> str:
    """A name as the rules compare names: case and spacing aside ("Sosis  sapi" is "sosis sapi")."""
    return " ".join(name.lower().split())


@dataclass(frozen=True)
class NameList:
    """Names typed once in one section's table and chosen, not retyped, in other sections (issue 16 §2).

    The list is the report's stored table (the last valid save of that section), or the content of that
    section in the same Excel upload. A column chosen from it is a ``<select>`` of the names; a posted
    name not in it is refused at the field with ``message``; the name itself is stored (no foreign key).
    """

    section: str  # the section holding the names, e.g. "kapasitas"
    table: str  # its table prefix, e.g. "produk"
    model: type[models.Model]
    field: str  # the name column, e.g. "name"
    message: str  # gettext_noop: the refusal at the field

    def names_in(self, values: SectionValues) -> list[str]:
        """The names in order, each once (a second spelling of a name already listed is left out)."""
        return _distinct(getattr(item, self.field) for item in values.rows.get(self.table, []))

    def stored_names(self, report: Report) -> list[str]:
        return _distinct(self.model.objects.filter(report=report).order_by("position").values_list(self.field, flat=True))


def _distinct(names: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for name in names:
        key = name_key(name or "")
        if key and key not in seen:
            seen.add(key)
            out.append(name)
    return out


@dataclass(frozen=True)
class RowSpec:
    prefix: str
    model: type[models.Model]
    fields: tuple[str, ...]
    title: str
    min_rows: int = 0
    min_message: str = ""
    sums: tuple[str, ...] = ()  # number columns totalled under the table, live on the page (static/js/numbers.js)
    chosen: tuple[tuple[str, NameList], ...] = ()  # (column, list): the column is chosen from the list


@dataclass(frozen=True)
class ColumnSum:
    column: str
    label: str
    total: str  # in the page's language


@dataclass(frozen=True)
class HeaderTotal:
    label: str
    parts: str  # the inputs' names, space-separated (data-sum-of)
    total: str  # in the page's language


@dataclass
class Issue:
    """One message from a rule, placed at a header field, a row field, or on a whole table."""

    message: str
    field: str | None = None
    table: str | None = None
    index: int | None = None  # position in the table's list of kept rows


@dataclass
class SectionValues:
    """A section's content as model instances (unsaved from a form, or loaded from the database)."""

    header: models.Model | None
    rows: dict[str, list[models.Model]] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return self.header is None and not any(self.rows.values())


class CheckContext:
    """What a rule may look at besides the section itself: other sections and the last accepted report."""

    def __init__(self, report: Report, overrides: dict[str, SectionValues] | None = None):
        self.report = report
        self.spec: ReportTypeSpec = report.spec
        self._values: dict[str, SectionValues] = dict(overrides or {})

    def values(self, code: str) -> SectionValues:
        if code not in self._values:
            from reporting.sections.definitions import SECTION_HANDLERS

            self._values[code] = SECTION_HANDLERS[code].load(self.report)
        return self._values[code]

    @cached_property
    def previous(self) -> dict[str, Any] | None:
        """The snapshot of the factory's last accepted report of an earlier period (or None)."""
        from reporting.selectors import previous_accepted_snapshot

        return previous_accepted_snapshot(self.report)

    def previous_section(self, code: str) -> dict[str, Any] | None:
        if not self.previous:
            return None
        return self.previous.get("sections", {}).get(code)


def _style(form: forms.BaseForm, *, in_table: bool = False, looks: dict | None = None) -> None:
    """Give ``form`` its own field copies, styled for the page. ``looks`` (one per table) keeps each
    column's translated label and CSS from the first row, so the rows of a table do not work them out
    again (the label's translation and the widget's class are the same in every row)."""
    looks = {} if looks is None else looks
    form.fields = {name: _own(f) for name, f in form.fields.items()}
    form._bound_fields_cache = {}
    for name, field_ in form.fields.items():
        look = looks.get(name)
        if look is None:
            look = looks[name] = _look(field_, in_table=in_table)
        label, css = look
        widget = field_.widget
        if in_table:  # a table cell has no <label>: the column header is given to screen readers
            # Translated once here: the template writes it again as each cell's data-label (phone layout).
            field_.label = label
            widget.attrs["aria-label"] = label
        if isinstance(widget, forms.Textarea) and in_table:
            # Django's Textarea brings rows=10: in a table row that made every row ~10 lines tall.
            widget.attrs["rows"] = 2
        widget.attrs["class"] = css


def _look(field_: forms.Field, *, in_table: bool) -> tuple[str | None, str]:
    """A column's label (translated; a form label is kept as given outside tables) and widget class."""
    widget = field_.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select form-select-sm"
    elif isinstance(widget, NumberInput):  # right-aligned digits; a Rupiah box holds 15+ digits with groups
        css = "form-control form-control-sm number-input" + (" number-input-wide" if _is_money(field_) else "")
    else:
        css = "form-control form-control-sm"
    return (str(field_.label) if in_table and field_.label is not None else field_.label), css


class _ShallowCopy:
    """A form field shared by every row form instead of deep-copied into each one.

    Django deep-copies every field of every form; for tables of 200 rows that copying dominated a
    save. Validating never changes a field, so all rows share them; only rendering changes widget
    attributes, and ``_style`` gives a rendered form its own copies first (``_own``).
    """

    def __deepcopy__(self, memo):
        return self


def _is_money(field_: forms.Field) -> bool:
    """Whole rupiah (``rupiah()``: 20 digits, none after the comma): its box is made wide enough for 15+ digits."""
    return isinstance(field_, forms.DecimalField) and field_.decimal_places == 0 and (field_.max_digits or 0) >= 13


def _own(field_: forms.Field) -> forms.Field:
    result = copy.copy(field_)
    result.widget = copy.copy(field_.widget)  # the choice list stays shared by the rows (LeanSelect's key)
    result.widget.attrs = dict(field_.widget.attrs)
    if type(result.widget) is forms.Select:
        result.widget.__class__ = LeanSelect
    return result


_SHALLOW: dict[type, type] = {}


def _shallow(field_: forms.Field) -> forms.Field:
    cls = type(field_)
    if cls not in _SHALLOW:
        _SHALLOW[cls] = type(f"Shallow{cls.__name__}", (_ShallowCopy, cls), {})
    field_.__class__ = _SHALLOW[cls]
    return field_


UNLISTED = gettext_lazy("%(name)s (tidak ada di daftar)")


class ListedSelect(forms.Select):
    """A ``<select>`` that still shows a value missing from its list (a product renamed in Kapasitas produksi
    after production named it): the value is kept, selected and marked, never replaced by "— pilih —"."""

    def optgroups(self, name, value, attrs=None):
        groups = super().optgroups(name, value, attrs)
        shown = {str(option["value"]) for _group, options, _index in groups for option in options}
        for missing in (v for v in value if v and v not in shown):
            option = self.create_option(name, missing, UNLISTED % {"name": missing}, True, len(groups))
            groups.append((None, [option], len(groups)))
        return groups


class ListedField(forms.ChoiceField):
    """A name chosen from a ``NameList``: matched as the rules match names, kept as the list spells it."""

    widget = ListedSelect

    def __init__(self, names: list[str], *, message: str, label, **kwargs):
        super().__init__(
            choices=[("", BLANK_CHOICE), *((n, n) for n in names)],
            label=label,
            error_messages={"invalid_choice": message},
            **kwargs,
        )
        self.by_key = {name_key(n): n for n in names}

    def to_python(self, value):
        text = super().to_python(value)
        return self.by_key.get(name_key(text), text)


def _listed_formset(base: type[forms.BaseFormSet], spec: RowSpec, lists: dict[NameList, list[str]]) -> type[forms.BaseFormSet]:
    """``base``'s formset with each chosen column a ``ListedField`` of this report's names (built once per request)."""
    from django.utils.translation import gettext

    form_class = base.form
    fields = {
        name: _shallow(
            ListedField(
                lists.get(listed, []),
                message=gettext(listed.message),
                label=form_class.base_fields[name].label,
                required=form_class.base_fields[name].required,
            )
        )
        for name, listed in spec.chosen
    }
    listed_form = type(form_class.__name__, (form_class,), fields)
    return forms.formset_factory(
        listed_form, formset=RowFormSet, extra=0, can_delete=True, max_num=2000, absolute_max=2000
    )


class RowFormSet(forms.BaseFormSet):
    """A repeating table: every row can be deleted; the delete box is copied, not rebuilt, per row."""

    deletion_field = _shallow(forms.BooleanField(label=gettext_lazy("Hapus"), required=False))

    def add_fields(self, form, index):
        form.fields[forms.formsets.DELETION_FIELD_NAME] = copy.deepcopy(self.deletion_field)


def _form_class(model: type[models.Model], names: tuple[str, ...]) -> type[forms.Form]:
    """A plain form from the model's fields: shape only, no per-row model or database validation."""
    base_fields = fields_for_model(model, fields=names)
    for name, f in base_fields.items():
        # Model-level validators (ranges, code shapes) run at the form: rows never go through full_clean().
        column = model._meta.get_field(name)
        f.validators = [*f.validators, *column._validators]
        # 1.234.567,89 in Indonesian, 1,234,567.89 in English (siinas.lib.numbers); a year is not grouped.
        localize_field(f, grouping=not name.startswith("year") and not name.endswith("_year"))
        bound(f, column)  # a number the column cannot hold is refused here, not by the insert
        if isinstance(f, forms.DateField):
            f.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        if isinstance(f, forms.ChoiceField) and f.choices and f.choices[0][0] == "":
            f.choices = [("", BLANK_CHOICE), *f.choices[1:]]
        _shallow(f)
    return type(f"{model.__name__}Form", (forms.Form,), {**base_fields, "default_renderer": RENDERER})


class Section:
    code: str = ""
    model: type[models.Model] | None = None
    fields: tuple[str, ...] = ()
    construction_only: tuple[str, ...] = ()  # header fields asked only in the construction stage
    rows: tuple[RowSpec, ...] = ()
    optional: bool = False  # an empty optional section passes
    # Header fields computed as the sum of other header fields (shown live by static/js/numbers.js, read-only,
    # and computed again here from the parts whatever was posted): {"total": ("prod_male_wni", ...)}.
    sums: dict[str, tuple[str, ...]] = {}
    # Totals of header fields that are not stored, shown under the form and live (a rule compares them):
    # ((label, (part, ...)), ...).
    header_totals: tuple[tuple[Any, tuple[str, ...]], ...] = ()

    # --- declaration helpers ---

    def header_fields(self, spec: ReportTypeSpec) -> tuple[str, ...]:
        if spec.construction:
            return self.fields
        return tuple(f for f in self.fields if f not in self.construction_only)

    @cached_property
    def _row_forms(self) -> dict[str, type[forms.BaseFormSet]]:
        return {
            r.prefix: forms.formset_factory(
                _form_class(r.model, r.fields), formset=RowFormSet, extra=0, can_delete=True, max_num=2000, absolute_max=2000
            )
            for r in self.rows
        }

    def header_form_class(self, spec: ReportTypeSpec) -> type[forms.Form] | None:
        if self.model is None:
            return None
        form_class = _form_class(self.model, self.header_fields(spec))
        for name, parts in self.sums.items():
            f = form_class.base_fields[name]
            f.required = False  # never typed: computed from its parts in SectionForms
            f.widget.attrs.update(
                {
                    "readonly": True,
                    "data-sum-of": " ".join(f"{HEADER_PREFIX}-{p}" for p in parts),
                    "aria-describedby": f"id_{HEADER_PREFIX}-{name}-otomatis",  # "computed from its parts" (template)
                }
            )
        return form_class

    # --- rules: override ---

    def check(self, values: SectionValues, ctx: CheckContext) -> list[Issue]:
        return []

    # --- database ---

    def load(self, report: Report) -> SectionValues:
        header = self.model.objects.filter(report=report).first() if self.model else None
        rows = {r.prefix: list(r.model.objects.filter(report=report).order_by("position")) for r in self.rows}
        return SectionValues(header=header, rows=rows)

    def store(self, report: Report, values: SectionValues) -> None:
        """Replace the section's typed data with ``values`` (bulk: a delete and an insert per table)."""
        if self.model is not None:
            self.model.objects.filter(report=report).delete()
            if values.header is not None:
                values.header.report = report
                values.header.pk = None
                values.header.save(force_insert=True)
        for spec in self.rows:
            spec.model.objects.filter(report=report).delete()
            items = values.rows.get(spec.prefix, [])
            for position, item in enumerate(items):
                item.pk = None
                item.report = report
                item.position = position
            self.prepare_rows(spec, items)
            spec.model.objects.bulk_create(items, batch_size=500)

    def prepare_rows(self, spec: RowSpec, items: list[models.Model]) -> None:
        """Hook for derived columns filled in before a bulk insert (e.g. a tenant's account link)."""

    def copy(self, source: Report, target: Report) -> bool:
        """Pre-fill ``target`` from ``source``; returns whether there was anything to copy."""
        values = self.load(source)
        if values.is_empty:
            return False
        self.store(target, values)
        return True

    # --- forms ---

    def name_lists(self) -> list[NameList]:
        """The lists the section's tables choose from (each once)."""
        return list(dict.fromkeys(listed for r in self.rows for _name, listed in r.chosen))

    def choice_lists(self, report: Report, overrides: dict[str, SectionValues] | None = None) -> dict[NameList, list[str]]:
        """The names each list offers on ``report``: from ``overrides`` (an upload's content of that section), else
        stored. One query per list, whatever the number of rows."""
        overrides = overrides or {}
        return {
            listed: listed.names_in(overrides[listed.section]) if listed.section in overrides else listed.stored_names(report)
            for listed in self.name_lists()
        }

    def build_forms(
        self,
        spec: ReportTypeSpec,
        data: QueryDict | None = None,
        values: SectionValues | None = None,
        lists: dict[NameList, list[str]] | None = None,
    ) -> SectionForms:
        """The section's forms; with ``lists`` (``choice_lists``) the chosen columns offer exactly those names."""
        return SectionForms(self, spec, data=data, values=values, lists=lists)

    # --- snapshot (the one data builder's input) ---

    def snapshot(self, values: SectionValues, spec: ReportTypeSpec) -> dict[str, Any]:
        header = None
        if values.header is not None:
            header = {name: to_json(getattr(values.header, name)) for name in self.header_fields(spec)}
        rows = {
            r.prefix: [{name: to_json(getattr(item, name)) for name in r.fields} for item in values.rows.get(r.prefix, [])]
            for r in self.rows
        }
        return {"fields": header, "rows": rows}


def to_json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def to_form_value(value: Any) -> str | None:
    """A stored value as the form reads it in the active language (numbers grouped: ``1.234,5``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, Decimal | int):
        return format_number(value)
    return str(to_json(value))


def values_to_data(section: Section, spec: ReportTypeSpec, values: SectionValues) -> QueryDict:
    """Stored values as the POST the form would send (to re-run the checks on them and show messages)."""
    data = QueryDict(mutable=True)
    if section.model is not None and values.header is not None:
        for name in section.header_fields(spec):
            value = to_form_value(getattr(values.header, name))
            if value is not None:
                data[f"{HEADER_PREFIX}-{name}"] = value
    for r in section.rows:
        items = values.rows.get(r.prefix, [])
        data[f"{r.prefix}-TOTAL_FORMS"] = str(len(items))
        data[f"{r.prefix}-INITIAL_FORMS"] = str(len(items))
        for i, item in enumerate(items):
            for name in r.fields:
                value = to_form_value(getattr(item, name))
                if value is not None:
                    data[f"{r.prefix}-{i}-{name}"] = value
    return data


def raw_to_data(section: Section, spec: ReportTypeSpec, raw: dict[str, list[str]]) -> QueryDict:
    """A draft kept with problems (``raw_for_storage``) as the form reads it in the active language."""
    data = QueryDict(mutable=True)
    for key, items in _map_numbers(section, spec, raw, localized_from_machine).items():
        data.setlist(key, items)
    return data


def raw_for_storage(section: Section, spec: ReportTypeSpec, raw: dict[str, list[str]]) -> dict[str, list[str]]:
    """Typed input to keep with a draft: every number that reads as one is stored as a machine value.

    Text in one language's format read back in the other is misread ("1.234" is 1234 in Indonesian and
    1.234 in English): the stored value ``1234`` is shown again in the language of the day. What is not
    a number is kept as typed, with its message. Drafts kept before this came from ``type=number``
    inputs, which always sent machine values, so they read back the same way.
    """
    return _map_numbers(section, spec, raw, machine_from_localized)


def _map_numbers(section: Section, spec: ReportTypeSpec, raw: dict[str, list[str]], convert) -> dict[str, list[str]]:
    header = section.header_form_class(spec)
    header_names = {n for n, f in header.base_fields.items() if isinstance(f.widget, NumberInput)} if header else set()
    row_names = {
        prefix: {n for n, f in formset.form.base_fields.items() if isinstance(f.widget, NumberInput)}
        for prefix, formset in section._row_forms.items()
    }
    out: dict[str, list[str]] = {}
    for key, items in raw.items():
        if key.startswith(f"{HEADER_PREFIX}-"):
            is_number = key[len(HEADER_PREFIX) + 1 :] in header_names
        else:
            match = _ROW_KEY.match(key)
            is_number = bool(match) and key[match.end() :] in row_names.get(match["prefix"], ())
        out[key] = [convert(item) for item in items] if is_number else list(items)
    return out


_ROW_KEY = re.compile(r"^(?P<prefix>[a-z_]+)-(?P<index>\d{1,4})-")


def _rows_sent_only(data: QueryDict, prefixes: list[str]) -> QueryDict:
    """``data`` with each table's TOTAL_FORMS no larger than the rows actually sent.

    A page sends every row it shows, so this changes nothing for a real form. A TOTAL_FORMS of
    2147483648 with two rows sent would otherwise build 2,000 blank rows (the formset's cap), fail
    with "too many forms" and render them all, on that request and on every reload of the kept
    draft: tens of seconds each.
    """
    highest: dict[str, int] = {}
    for key in data:
        match = _ROW_KEY.match(key)
        if match and match["prefix"] in prefixes:
            highest[match["prefix"]] = max(highest.get(match["prefix"], -1), int(match["index"]))
    trimmed = None
    for prefix in prefixes:
        key, sent = f"{prefix}-TOTAL_FORMS", highest.get(prefix, -1) + 1
        value = data.get(key, "")
        digits = value.lstrip("0")
        if value.isdecimal() and (len(digits) > 5 or int(digits or "0") > sent):
            trimmed = trimmed or data.copy()
            trimmed[key] = str(sent)
    return data if trimmed is None else trimmed


def _number(value: Any) -> Decimal | int:
    """A bound field's value (typed text, or an initial number) as a number; blank or bad counts 0."""
    number = parse_number(value) if isinstance(value, str) else value
    return number or 0


def _with_sums(section: Section, data: QueryDict) -> QueryDict:
    """``data`` with each computed header field set to the sum of its parts as posted (a part that is
    blank or not a number counts 0, as on the page; that part carries its own message)."""
    if not section.sums:
        return data
    data = data.copy()
    for name, parts in section.sums.items():
        numbers = (parse_number(data.get(f"{HEADER_PREFIX}-{p}", "") or "0") for p in parts)
        data[f"{HEADER_PREFIX}-{name}"] = format_number(sum((n for n in numbers if n is not None), Decimal(0)))
    return data


class SectionForms:
    """The header form and the row formsets of one section, bound to input or filled from stored data."""

    def __init__(
        self,
        section: Section,
        spec: ReportTypeSpec,
        *,
        data: QueryDict | None = None,
        values: SectionValues | None = None,
        lists: dict[NameList, list[str]] | None = None,
    ):
        self.section = section
        self.spec = spec
        self.bound = data is not None
        self.lists = lists
        if data is not None:
            data = _rows_sent_only(data, [r.prefix for r in section.rows])
            data = _with_sums(section, data)
        header_class = section.header_form_class(spec)
        self.header: forms.Form | None = None
        if header_class is not None:
            initial = None
            if values is not None and values.header is not None:
                initial = {n: getattr(values.header, n) for n in header_class.base_fields}
            self.header = header_class(data=data, initial=initial, prefix=HEADER_PREFIX)
        self.formsets: dict[str, forms.BaseFormSet] = {}
        for r in section.rows:
            initial = None
            if values is not None:
                initial = [{n: getattr(item, n) for n in r.fields} for item in values.rows.get(r.prefix, [])]
            formset_class = section._row_forms[r.prefix]
            if r.chosen and lists is not None:
                formset_class = _listed_formset(formset_class, r, lists)
            formset = formset_class(data=data, initial=initial, prefix=r.prefix)
            if data is None:
                formset.extra = 1  # one blank row to type into, also without JavaScript; left blank it is ignored
            self.formsets[r.prefix] = formset
        self._kept: dict[str, list[int]] = {}
        self._kept_forms: dict[str, list[tuple[int, forms.Form]]] = {}
        self.empty_forms: dict[str, forms.Form] = {}

    def tables(self) -> list[tuple[RowSpec, forms.BaseFormSet, forms.Form, list[ColumnSum]]]:
        """Each table with its formset, the (styled) blank row the page clones to add a row, and its column sums."""
        return [
            (r, self.formsets[r.prefix], self.empty_forms[r.prefix], self.column_sums(r)) for r in self.section.rows
        ]

    def empty_lists(self) -> list[NameList]:
        """The lists this section chooses from that have no name yet (the page says where to type them)."""
        return [listed for listed, names in (self.lists or {}).items() if not names]

    def unlisted(self, values: SectionValues) -> bool:
        """Whether a stored row names something its list no longer holds (renamed or removed there)."""
        if self.lists is None:
            return False
        keys = {listed: {name_key(n) for n in names} for listed, names in self.lists.items()}
        return any(
            name_key(getattr(item, name) or "") not in keys[listed]
            for r in self.section.rows
            for name, listed in r.chosen
            for item in values.rows.get(r.prefix, [])
        )

    def header_totals(self) -> list[HeaderTotal]:
        """``Section.header_totals`` over the header as shown (a blank or bad value counts 0, as on the page)."""
        header = self.header
        if header is None:
            return []
        out = []
        for label, parts in self.section.header_totals:
            names = [p for p in parts if p in header.fields]
            total = sum((_number(header[p].value()) for p in names), Decimal(0))
            out.append(HeaderTotal(str(label), " ".join(f"{HEADER_PREFIX}-{p}" for p in names), format_number(total)))
        return out

    def column_sums(self, spec: RowSpec) -> list[ColumnSum]:
        """The totals of ``spec.sums`` over the rows shown (a row ticked for deletion, a blank or a bad value counts 0)."""
        if not spec.sums:
            return []
        formset = self.formsets[spec.prefix]
        totals = dict.fromkeys(spec.sums, Decimal(0))
        for form in formset.forms:
            if form.is_bound and form[forms.formsets.DELETION_FIELD_NAME].value():
                continue
            for name in spec.sums:
                totals[name] += _number(form[name].value())
        fields = formset.form.base_fields
        labels = {name: str(fields[name].label) for name in spec.sums}  # "Total jumlah orang", not "Total Jumlah orang"
        return [ColumnSum(name, labels[name][:1].lower() + labels[name][1:], format_number(t)) for name, t in totals.items()]

    def shape_valid(self) -> bool:
        """Run every form's own validation (types, ranges, required); rules come after."""
        ok = self.header.is_valid() if self.header is not None else True
        for formset in self.formsets.values():
            ok = formset.is_valid() and ok
        return ok

    def kept_forms(self, prefix: str) -> list[tuple[int, forms.Form]]:
        """Rows to keep: not marked for deletion, and not a blank row added and left empty."""
        if prefix in self._kept_forms:
            return self._kept_forms[prefix]
        formset = self.formsets[prefix]
        kept = []
        for i, form in enumerate(formset.forms):
            if formset._should_delete_form(form):
                continue
            if i >= formset.initial_form_count() and not form.has_changed():
                continue
            kept.append((i, form))
        self._kept_forms[prefix] = kept
        return kept

    def values(self) -> SectionValues:
        """Model instances from the valid forms (call after shape_valid())."""
        header = None
        if self.header is not None:
            header = self.section.model(**self.header.cleaned_data)
        rows: dict[str, list[models.Model]] = {}
        for r in self.section.rows:
            kept = self.kept_forms(r.prefix)
            self._kept[r.prefix] = [i for i, _ in kept]
            rows[r.prefix] = [r.model(**{n: form.cleaned_data.get(n) for n in r.fields}) for _, form in kept]
        return SectionValues(header=header, rows=rows)

    def apply(self, issues: Iterable[Issue]) -> None:
        for issue in issues:
            if issue.table is None:
                if self.header is not None:
                    self.header.add_error(issue.field if issue.field in self.header.fields else None, issue.message)
                continue
            formset = self.formsets[issue.table]
            if issue.index is None or issue.field is None:
                formset._non_form_errors = formset.non_form_errors()
                formset._non_form_errors.append(issue.message)
                continue
            form_index = self._kept[issue.table][issue.index]
            formset.forms[form_index].add_error(issue.field, issue.message)

    def row_count(self) -> int:
        return sum(len(self.kept_forms(p)) for p in self.formsets)

    def is_valid(self) -> bool:
        ok = self.header.is_valid() if self.header is not None else True
        return all(fs.is_valid() for fs in self.formsets.values()) and ok

    def errors_json(self) -> dict[str, Any]:
        """The messages, in a JSON shape kept with the raw draft (for the progress view)."""
        out: dict[str, Any] = {}
        if self.header is not None and self.header.errors:
            out[HEADER_PREFIX] = {k: list(v) for k, v in self.header.errors.items()}
        for prefix, formset in self.formsets.items():
            rows = {str(i): {k: list(v) for k, v in form.errors.items()} for i, form in enumerate(formset.forms) if form.errors}
            non_form = list(formset.non_form_errors())
            if rows or non_form:
                out[prefix] = {"rows": rows, "table": non_form}
        return out

    def style(self) -> None:
        forms_ = [(self.header, False)] if self.header is not None else []
        for formset in self.formsets.values():
            forms_.extend((form, True) for form in formset.forms)
        # ``empty_form`` is built afresh on each access: keep the one that gets styled.
        self.empty_forms = {prefix: formset.empty_form for prefix, formset in self.formsets.items()}
        forms_.extend((form, True) for form in self.empty_forms.values())
        looks: dict[type, dict] = {}  # per form class: a table's rows (and its blank row) share their columns' looks
        for form, in_table in forms_:
            _style(form, in_table=in_table, looks=looks.setdefault(type(form), {}))
            if self.bound and form.is_bound:
                for name in form.errors:
                    if name in form.fields:
                        form.fields[name].widget.attrs["class"] += " is-invalid"


def count_messages(errors: dict[str, Any]) -> int:
    total = 0
    for key, value in errors.items():
        if key == "__check__":
            total += len(value)
        elif key == HEADER_PREFIX:
            total += sum(len(v) for v in value.values())
        else:
            total += len(value.get("table", [])) + sum(len(m) for row in value.get("rows", {}).values() for m in row.values())
    return total
