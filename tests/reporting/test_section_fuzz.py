"""Random input to every section of every report type, through the real page (issue 12, "Input").

For each report type the company files every section validly, then Hypothesis posts garbage to each
section in turn: text with control characters and NULs, huge and negative numbers, decimals with many
digits, Indonesian-formatted numbers, empty and very long strings, junk in the formset management
fields and in the lock. Whatever is posted: no 5xx; garbage that is refused leaves the last valid
data exactly as it was and is kept raw with its messages (no control character in the JSON draft);
garbage that happens to pass every check is simply the new valid draft (then the valid one is put back).
"""

from __future__ import annotations

import os

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import AccountType, Scale
from reporting import services
from reporting.models import ReportSection
from reporting.sections.base import count_messages
from reporting.sections.definitions import SECTION_HANDLERS
from siinas.lib.control_characters import CONTROL_CHARACTERS
from tests.factories import FactoryAccountFactory, company_user
from tests.garbage import GARBAGE, TEXT
from tests.helpers import login
from tests.reporting.conftest import fill_all, form_data, section_input

pytestmark = pytest.mark.django_db

# 45 sections of 5 report types: about 180 garbage posts in all. SIINAS_FUZZ_EXAMPLES=50 for a deeper run by hand.
EXAMPLES_PER_SECTION = int(os.environ.get("SIINAS_FUZZ_EXAMPLES", "4"))

MANAGEMENT = st.sampled_from(["", "-1", "abc", "\x00", "0", "5", "2147483648"])

# (report type, account type, stage, scale): who owes it; company_a files industri_produksi.
REPORT_TYPES = [
    ("industri_produksi", None, None, None),
    ("industri_produksi_kecil", AccountType.A, "produksi", Scale.KECIL),
    ("industri_pembangunan", AccountType.A, "pembangunan", Scale.BESAR),
    ("kawasan_pembangunan", AccountType.B, "pembangunan", Scale.BESAR),
    ("kawasan_komersial", AccountType.B, "produksi", Scale.BESAR),
]


def _valid_post(report, code: str) -> dict[str, str]:
    header, tables = section_input(code, estate=report.spec.estate)
    if code == "tenaga_kerja" and report.spec.construction:
        header["planned_total"] = 600
    return form_data(header, tables)


def _garbage(valid: dict[str, str]) -> st.SearchStrategy[dict[str, str]]:
    """The valid POST with some of its values (and maybe an unknown key) replaced by garbage."""
    keys = sorted(valid)
    management = [k for k in keys if k.endswith(("TOTAL_FORMS", "INITIAL_FORMS"))]
    fields = [k for k in keys if k not in management]

    @st.composite
    def build(draw):
        data = dict(valid)
        for key in draw(st.lists(st.sampled_from(fields), min_size=1, max_size=min(6, len(fields)), unique=True)):
            data[key] = draw(GARBAGE)
        if management and draw(st.booleans()):
            data[draw(st.sampled_from(management))] = draw(MANAGEMENT)
        if draw(st.booleans()):
            data[draw(TEXT.map(lambda t: f"h-{t}"))] = draw(GARBAGE)
        return data

    return build()


def _snapshot(report, code: str) -> dict:
    handler = SECTION_HANDLERS[code]
    return handler.snapshot(handler.load(report), report.spec)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _post(client, report, code: str, data: dict[str, str], *, lock=None):
    report.refresh_from_db()
    body = {**data, "lock_version": str(report.lock_version) if lock is None else lock}
    return client.post(reverse("reporting:section-edit", kwargs={"pk": report.pk, "code": code}), body)


def _owner(cast, report_type, account_type, stage, scale):
    if account_type is None:
        return cast.company_a
    factory = FactoryAccountFactory(account_type=account_type, stage=stage, scale=scale, kbli_codes=["10110"])
    return company_user(factory, f"fuzz_{report_type}")


def _fuzz_section(client, report, code: str) -> None:
    valid = _valid_post(report, code)
    url = reverse("reporting:section-edit", kwargs={"pk": report.pk, "code": code})

    @settings(
        max_examples=EXAMPLES_PER_SECTION,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(garbage=_garbage(valid), lock=st.one_of(st.none(), st.none(), MANAGEMENT), query=st.tuples(TEXT, GARBAGE))
    def garbage_keeps_the_draft(garbage, lock, query):
        assert _post(client, report, code, valid).status_code == 302, code  # a valid draft first
        before = _snapshot(report, code)
        section_before = ReportSection.objects.get(report=report, code=code)

        response = _post(client, report, code, garbage, lock=lock)
        assert response.status_code < 500, (code, garbage)
        section = ReportSection.objects.get(report=report, code=code)
        stored = [*_strings(section.raw), *_strings(section.errors)]
        assert not any(CONTROL_CHARACTERS.search(s) for s in stored), (code, garbage)

        if response.status_code == 302:  # it passed every check: it is the new valid draft
            assert section.state == ReportSection.State.VALID
            assert _post(client, report, code, valid).status_code == 302  # put the valid one back
            return
        if response.status_code == 409:  # a broken lock: nothing written at all
            assert (section.state, section.raw, section.updated_at) == (
                section_before.state, section_before.raw, section_before.updated_at,
            )  # fmt: skip
        else:
            assert response.status_code == 200
            assert section.state == ReportSection.State.INVALID and count_messages(section.errors) > 0
        assert _snapshot(report, code) == before, (code, garbage)  # the last valid draft survives

        page = client.get(url, dict([query]))  # reload the section (with a garbage query string)
        assert page.status_code == 200
        if section.state == ReportSection.State.INVALID:
            assert "invalid-feedback" in page.content.decode() or "alert-danger" in page.content.decode()

    garbage_keeps_the_draft()


@pytest.mark.parametrize(("report_type", "account_type", "stage", "scale"), REPORT_TYPES, ids=[t[0] for t in REPORT_TYPES])
def test_garbage_in_any_section_gives_no_server_error_and_keeps_the_last_valid_draft(
    client, cast, period, in_window, report_type, account_type, stage, scale
):
    user = _owner(cast, report_type, account_type, stage, scale)
    login(client, user)
    report = services.report_start(actor=user, factory=user.factory, period=period, report_type=report_type)
    fill_all(client, report, estate=report.spec.estate)
    for code in report.spec.sections:
        _fuzz_section(client, report, code)
    assert client.get(reverse("reporting:report-detail", kwargs={"pk": report.pk})).status_code == 200
