"""Input hygiene shared by every app (issue 12, "Input"): control characters never reach a view, and
every number field of every form is bounded by the column it ends in."""

from __future__ import annotations

import importlib
import pkgutil
from decimal import Decimal

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from accounts.forms import CapacityForm, PabrikForm
from accounts.models import Factory, ProductionCapacity
from eservice.models import WeeklyReport
from eservice.service_forms import WeeklyReportForm
from pemda.forms import FigureForm, SubmissionCreateForm
from pemda.models import Figure, Submission
from reporting import services
from reporting.forms import LockForm
from reporting.models import Report
from reporting.registry import REPORT_TYPES
from reporting.sections.definitions import SECTION_HANDLERS
from siinas.lib.bounds import (
    INTEGER_RANGES,
    FiniteDecimalField,
    bound,
    column_range,
    decimal_limit,
    whole_number,
)
from siinas.lib.control_characters import (
    ControlCharacterFreeJSONEncoder,
    ControlCharacterMiddleware,
    strip_control_characters,
)
from tests.helpers import login
from tests.reporting.factories import PeriodFactory

PROJECT_PACKAGES = ("accounts", "reporting", "iki", "eservice", "pemda", "verification", "siinas")
INT_MAX = 2_147_483_647


# --- control characters ------------------------------------------------------------------------------


def _seen(request):
    """Run ``request`` through the middleware; return the request the view received."""
    received = {}

    def view(req):
        received["request"] = req
        return HttpResponse()

    ControlCharacterMiddleware(view)(request)
    return received["request"]


def test_c0_controls_and_del_are_removed_and_tab_and_line_breaks_kept():
    everything = "".join(chr(i) for i in range(0x20)) + "a\x7fb"
    assert strip_control_characters(everything) == "\t\n\ra" + "b"
    assert strip_control_characters("Rp 1.000 — ü ✓") == "Rp 1.000 — ü ✓"


def test_get_values_and_keys_reach_the_view_without_control_characters():
    request = _seen(RequestFactory().get("/cari/", {"q": "sa\x00pi\x1b", "k\x01ey": ["1", "2\x7f"]}))
    assert request.GET["q"] == "sapi" and request.GET.getlist("key") == ["1", "2"]
    with pytest.raises(AttributeError):
        request.GET["q"] = "x"  # still immutable, like Django's own


def test_post_values_reach_the_view_without_control_characters():
    request = _seen(RequestFactory().post("/simpan/", {"name": "PT\x00 Maju", "note": "baris\r\nkedua\tlagi"}))
    assert request.POST["name"] == "PT Maju" and request.POST["note"] == "baris\r\nkedua\tlagi"


def test_an_uploaded_files_name_is_cleaned_and_its_content_left_alone():
    content = b"%PDF-1.4\x00\x01\x02 binary"
    upload = SimpleUploadedFile("surat\x00kuasa\x07.pdf", content, content_type="application/pdf")
    request = _seen(RequestFactory().post("/unggah/", {"title": "a\x00b", "file": upload}))
    assert request.POST["title"] == "ab"
    assert request.FILES["file"].name == "suratkuasa.pdf" and request.FILES["file"].read() == content


def test_a_request_with_nothing_to_clean_keeps_its_own_querydicts():
    original = RequestFactory().post("/simpan/?a=1", {"name": "PT Maju"})
    get, post = original.GET, original.POST
    request = _seen(original)
    assert request.GET is get and request.POST is post


def test_the_draft_encoder_writes_no_control_character():
    encoded = ControlCharacterFreeJSONEncoder().encode({"h-\x00a": ["x\x00y", 1, None], "b": "\x01"})
    assert encoded == '{"h-a": ["xy", 1, null], "b": ""}'
    assert ControlCharacterFreeJSONEncoder().encode("a\x00") == '"a"'


@pytest.mark.django_db
def test_a_nul_in_a_public_search_is_ignored_rather_than_refused(client):
    response = client.get(reverse("eservice:directory"), {"q": "sa\x00pi"})
    assert response.status_code == 200 and 'value="sapi"' in response.content.decode()


# --- number bounds -----------------------------------------------------------------------------------


def test_the_decimal_limit_is_the_largest_value_of_the_column():
    assert decimal_limit(5, 2) == Decimal("999.99")
    assert decimal_limit(20, 0) == Decimal("99999999999999999999")
    assert decimal_limit(3, 3) == Decimal("0.999")


def test_a_bounded_integer_field_says_the_limit_in_indonesian_figures():
    field = bound(forms.IntegerField(min_value=0), Factory._meta.get_field("workforce"))
    with pytest.raises(forms.ValidationError) as excinfo:
        field.clean("2147483648")
    assert excinfo.value.messages == ["Nilai terlalu besar: paling banyak 2.147.483.647."]
    assert field.clean("2147483647") == INT_MAX
    assert field.widget.attrs["max"] == str(INT_MAX)


def test_the_limit_follows_the_language_of_the_page():
    field = bound(forms.IntegerField())
    with translation.override("en"):
        with pytest.raises(forms.ValidationError) as excinfo:
            field.clean("-2147483649")
        assert excinfo.value.messages == ["Value too small: at least -2,147,483,648."]


def test_a_tighter_bound_already_on_the_field_is_kept():
    field = bound(forms.IntegerField(min_value=2000, max_value=2100), Submission._meta.get_field("year"))
    assert (field.min_value, field.max_value) == (2000, 2100)


def test_a_decimal_beyond_its_column_gets_one_message_and_decimal_places_are_still_checked():
    field = bound(forms.DecimalField(max_digits=5, decimal_places=2))
    with pytest.raises(forms.ValidationError) as excinfo:
        field.clean("123456")
    assert excinfo.value.messages == ["Nilai terlalu besar: paling banyak 999,99."]
    with pytest.raises(forms.ValidationError) as excinfo:
        field.clean("1.234")
    assert "desimal" in excinfo.value.messages[0]
    assert field.clean("-999.99") == Decimal("-999.99")


def _project_form_classes() -> set[type[forms.BaseForm]]:
    for package in PROJECT_PACKAGES:
        root = importlib.import_module(package)
        for module in pkgutil.walk_packages(root.__path__, f"{package}."):
            if not any(part in module.name for part in (".migrations", "wsgi", "asgi", ".settings")):
                importlib.import_module(module.name)
    found, todo = set(), [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in PROJECT_PACKAGES:
                found.add(sub)
    return found


def _section_form_classes() -> list[tuple[type[forms.BaseForm], type[models.Model]]]:
    classes = []
    for spec in REPORT_TYPES.values():
        for code in spec.sections:
            handler = SECTION_HANDLERS[code]
            header = handler.header_form_class(spec)
            if header is not None:
                classes.append((header, handler.model))
            classes += [(handler._row_forms[r.prefix].form, r.model) for r in handler.rows]
    return classes


# Plain forms whose numbers end in a column (the rest keep them in JSON: bounded like an IntegerField).
PLAIN_FORM_COLUMNS = {
    (PabrikForm, "workforce"): Factory._meta.get_field("workforce"),
    (CapacityForm, "capacity"): ProductionCapacity._meta.get_field("capacity"),
    (LockForm, "lock_version"): Report._meta.get_field("lock_version"),
    (WeeklyReportForm, "workforce_on_site"): WeeklyReport._meta.get_field("workforce_on_site"),
    (WeeklyReportForm, "utilisation_pct"): WeeklyReport._meta.get_field("utilisation_pct"),
    (WeeklyReportForm, "positive_cases"): WeeklyReport._meta.get_field("positive_cases"),
    (FigureForm, "value"): Figure._meta.get_field("value"),
    (SubmissionCreateForm, "year"): Submission._meta.get_field("year"),
}


def _column_of(form_class, name, model=None) -> models.Field | None:
    if (form_class, name) in PLAIN_FORM_COLUMNS:
        return PLAIN_FORM_COLUMNS[(form_class, name)]
    model = model or getattr(getattr(form_class, "_meta", None), "model", None)
    if model is not None:
        try:
            return model._meta.get_field(name)
        except Exception:  # noqa: S110 — a form field that is not a model field: no column
            pass
    return None


def _highest(field) -> int | Decimal | None:
    """The field's tightest upper bound: its max_value or a MaxValueValidator among its validators."""
    limits = [field.max_value, *(v.limit_value for v in field.validators if isinstance(v, MaxValueValidator))]
    return min((x for x in limits if x is not None), default=None)


def _lowest(field) -> int | Decimal | None:
    limits = [field.min_value, *(v.limit_value for v in field.validators if isinstance(v, MinValueValidator))]
    return max((x for x in limits if x is not None), default=None)


def _out_of(where, field, lowest, highest) -> list[str]:
    problems = []
    if _highest(field) is None or _highest(field) > highest:
        problems.append(f"{where}: max {_highest(field)}, column holds {highest}")
    if _lowest(field) is None or _lowest(field) < lowest:
        problems.append(f"{where}: min {_lowest(field)}, column holds {lowest}")
    return problems


def _problems(form_class, model=None) -> list[str]:
    problems = []
    for name, field in form_class.base_fields.items():
        where = f"{form_class.__module__}.{form_class.__name__}.{name}"
        if isinstance(field, forms.FloatField):
            problems.append(f"{where}: FloatField (use DecimalField, bounded)")
            continue
        if not isinstance(field, forms.IntegerField):  # DecimalField is one too
            continue
        column = _column_of(form_class, name, model)
        if isinstance(field, forms.DecimalField):
            if field.max_digits is None or field.decimal_places is None:
                problems.append(f"{where}: no max_digits/decimal_places")
                continue
            if isinstance(column, models.DecimalField):
                if not isinstance(field, FiniteDecimalField):
                    problems.append(f"{where}: parses NaN (not bound())")
                if field.decimal_places > column.decimal_places:
                    problems.append(f"{where}: {field.decimal_places} decimal places, column holds {column.decimal_places}")
                problems += _out_of(where, field, *column_range(column))
            continue
        lowest, highest = column_range(column) if isinstance(column, models.IntegerField) else INTEGER_RANGES["IntegerField"]
        problems += _out_of(where, field, lowest, highest)
    return problems


def test_every_number_field_of_every_report_section_is_bounded_by_its_column():
    classes = _section_form_classes()
    assert len(classes) > 25
    assert [p for form_class, model in classes for p in _problems(form_class, model)] == []


def test_every_number_field_of_every_other_form_is_bounded_by_its_column():
    classes = _project_form_classes()
    assert {PabrikForm, CapacityForm, LockForm, WeeklyReportForm, FigureForm} <= classes
    assert [p for form_class in sorted(classes, key=str) for p in _problems(form_class)] == []


# --- numbers in query strings ------------------------------------------------------------------------


def test_a_query_string_number_is_plain_digits_that_fit_the_column():
    assert whole_number("12") == 12 and whole_number("0") == 0
    assert [whole_number(v) for v in (None, "", "²", "١٢", "-1", "1.0", " 1", "9" * 5000, "9223372036854775808")] == [None] * 9
    assert whole_number("32768", "SmallIntegerField") is None


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "9" * 5000, "9223372036854775808"])
def test_a_strange_number_in_a_query_string_is_ignored_or_not_found_never_a_server_error(client, cast, value, time_machine):
    """Each of these pages gave a 500 for "²" (a digit to str.isdigit, not to int) or for 5,000 digits."""
    time_machine.move_to("2026-07-15 10:00 +0700", tick=False)
    period = PeriodFactory(year=2026, number=1)
    report = services.report_start(actor=cast.company_a, factory=cast.factory_a, period=period, report_type="industri_produksi")
    login(client, cast.company_a)
    assert client.get(reverse("reporting:version-diff", kwargs={"pk": report.pk}), {"ke": value, "dari": value}).status_code == 200
    assert client.get(reverse("reporting:report-pdf", kwargs={"pk": report.pk}), {"versi": value}).status_code == 404
    login(client, cast.pemda_jabar)
    assert client.get(reverse("pemda:dashboard"), {"periode": value}).status_code == 200
    assert client.get(reverse("pemda:report-monitor"), {"periode": value}).status_code == 200
    assert client.get(reverse("pemda:submission-list"), {"periode": f"{value}-1"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "9" * 5000])
def test_a_strange_period_in_the_letter_list_is_ignored(client, cast, value):
    login(client, cast.company_a)
    assert client.get(reverse("verification:letter-list"), {"periode": value}).status_code == 200
