"""IKI and e-service panels of the Pemda dashboard: aggregates of the whole territory, never a figure
behind fewer than 3 companies, never another territory's responses or applications."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Scale
from eservice.models import Application, Status
from iki.models import IkiRelease, IkiResponse, IkiResult
from pemda.selectors import iki_completed_month, territory_eservice, territory_iki
from tests.factories import company_user
from tests.helpers import login

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
MARCH, FEBRUARY = date(2026, 3, 1), date(2026, 2, 1)


@pytest.fixture(autouse=True)
def _after_the_march_window(time_machine):
    """25 March 2026: the March questionnaire (12th–23rd) has closed, so March is the latest completed month."""
    time_machine.move_to(datetime(2026, 3, 25, 10, tzinfo=JAKARTA), tick=False)


def respond(factory, period=MARCH, kbli2="10", *, orders="tetap", production="tetap", stock="tetap"):
    return IkiResponse.objects.create(
        factory=factory, period=period, kbli2_id=kbli2, main_product="Produk uji", official_name="Pejabat Uji",
        official_position="Direktur", official_phone="0211234567", official_email="pejabat@contoh.co.id",
        general="tetap", orders=orders, production=production, stock=stock, outlook="tidak_berubah",
    )  # fmt: skip


_numbers = iter(range(1, 10**6))


def apply(factory, service="iomki", status=Status.APPROVED, *, valid_until=None):
    number = next(_numbers)
    return Application.objects.create(
        factory=factory,
        service=service,
        status=status,
        number=None if status == Status.DRAFT else f"UJI-2026-{number:06d}",
        created_by=company_user(factory, f"pemohon{number}"),
        decided_at=timezone.now() if status in (Status.APPROVED, Status.REJECTED) else None,
        valid_until=valid_until,
    )


def publish(period: date, iki: str | None, respondents: int, change: float | None = None, status: str = "ekspansi"):
    """The month as computed and, when publishable (an IKI figure), published as release vintage 1."""
    result = IkiResult.objects.create(
        period=period, iki=None if iki is None else Decimal(iki), status=status, respondents=respondents,
        payload={"change": change},
    )  # fmt: skip
    if iki is not None:
        IkiRelease.objects.create(
            period=period, vintage=1, iki=Decimal(iki), status=status, respondents=respondents,
            payload={"change": change}, inputs={}, inputs_sha256="",
        )  # fmt: skip
    return result


# --- IKI ------------------------------------------------------------------------------------------------


def test_the_latest_completed_month_is_this_month_once_its_window_has_closed():
    assert iki_completed_month(date(2026, 3, 25)) == MARCH
    assert iki_completed_month(date(2026, 3, 20)) == FEBRUARY


def test_the_national_headline_is_the_latest_published_month_with_its_status_and_change(client, cast):
    publish(FEBRUARY, "52.10", 900, change=-0.75)
    publish(MARCH, None, 2, status="suppressed")  # not publishable: fewer than 3 respondents
    login(client, cast.pemda_kab_bekasi)
    response = client.get(reverse("pemda:dashboard"))
    national = response.context["iki"]["national"]
    assert (national.period, national.value, national.status_label, national.change) == ("2026-02", Decimal("52.10"), "Ekspansi", Decimal("-0.75"))
    body = response.content.decode()
    assert "<strong>52,10</strong> (Ekspansi)" in body
    assert "perubahan -0,75 poin" in body


def test_without_a_published_month_the_headline_says_so(client, cast):
    login(client, cast.pemda_jabar)
    response = client.get(reverse("pemda:dashboard"))
    assert response.context["iki"]["national"] is None
    assert "IKI nasional belum dipublikasikan." in response.content.decode()


def test_the_territory_index_is_the_spec_example_computed_over_its_own_responses_only(cast, place):
    # SIINAS.md §5 worked example, in Kab. Karawang (Jawa Barat): IKI 43.33, kontraksi.
    a = place("32.15", Scale.KECIL, workforce=100)
    b = place("32.15", Scale.MENENGAH, workforce=300)
    c = place("32.15", Scale.BESAR, workforce=50)
    respond(a, orders="meningkat", production="tetap", stock="menurun")
    respond(b, orders="tetap", production="menurun", stock="tetap")
    respond(c, orders="menurun", production="meningkat", stock="meningkat")
    # Jawa Timur's answers would lift the index if they were counted.
    for _ in range(3):
        respond(place("35.78", Scale.KECIL, workforce=5000), orders="meningkat", production="meningkat", stock="meningkat")
    iki = territory_iki(cast.pemda_jabar)
    assert (iki["month"].responses, iki["month"].n, iki["month"].hidden) == (3, 3, False)
    index = iki["index"]
    assert (index.v_orders, index.v_production, index.v_stock, index.iki) == (
        Decimal("55.56"), Decimal("22.22"), Decimal("44.44"), Decimal("43.33"),
    )  # fmt: skip
    assert iki["index_status_label"] == "Kontraksi"


def test_responses_are_counted_per_business_line_for_this_month_and_last_month(cast, place):
    firms = [place("32.16", Scale.KECIL, kbli=["10110", "11010"]) for _ in range(3)]
    for firm in firms:
        respond(firm, kbli2="10")
    respond(firms[0], kbli2="11")
    for firm in firms:
        respond(firm, period=FEBRUARY)
    iki = territory_iki(cast.pemda_kab_bekasi)
    assert (iki["month"].month, iki["month"].responses, iki["month"].n) == (MARCH, 4, 3)
    assert (iki["previous"].month, iki["previous"].responses, iki["previous"].hidden) == (FEBRUARY, 3, False)


def test_another_territorys_responses_are_not_counted(cast, place):
    for _ in range(3):
        respond(place("32.15", Scale.KECIL))  # Kab. Karawang: the province's, not Kab. Bekasi's
    respond(cast.factory_b)  # Jawa Timur
    assert territory_iki(cast.pemda_kab_bekasi)["month"].responses == 0
    assert territory_iki(cast.pemda_jabar)["month"].responses == 3


def test_fewer_than_three_responding_companies_hide_the_count_and_the_index(client, cast, place):
    respond(cast.factory_a)
    respond(cast.factory_a, kbli2="11")
    respond(place("32.16", Scale.KECIL), period=FEBRUARY)
    login(client, cast.pemda_kab_bekasi)
    response = client.get(reverse("pemda:dashboard"))
    iki = response.context["iki"]
    assert iki["month"].hidden and iki["previous"].hidden
    assert iki["index"] is None and iki["index_hidden"]
    body = response.content.decode()
    cell = body.split('data-testid="iki-jawaban"')[1].split("</td>")[0]
    assert "—" in cell and ">2<" not in cell
    wilayah = body.split('data-testid="iki-wilayah"')[1].split("</p>")[0]
    assert "kurang dari 3 perusahaan menjawab" in wilayah


# --- E-services -----------------------------------------------------------------------------------------


def test_applications_are_counted_by_service_and_status_and_valid_iomki_apart(client, cast, place):
    today = timezone.localdate()
    firms = [place("32.16", Scale.KECIL) for _ in range(4)]
    for firm in firms[:3]:
        apply(firm, valid_until=today + timedelta(days=90))
    apply(firms[3], valid_until=today - timedelta(days=1))  # expired: approved, not in force
    for firm in firms[:3]:
        apply(firm, "e-licensing", Status.SUBMITTED)
    apply(firms[0], "tkdn", Status.DRAFT)  # drafts are the company's alone
    login(client, cast.pemda_kab_bekasi)
    response = client.get(reverse("pemda:dashboard"))
    eservice = response.context["eservice"]
    rows = {r["code"]: {c.key: c for c in r["cells"]} for r in eservice["rows"]}
    assert set(rows) == {"iomki", "e-licensing"}
    approved = rows["iomki"]["iomki-disetujui"]
    assert (approved.values["applications"], approved.n, approved.hidden) == (4, 4, False)
    submitted = rows["e-licensing"]["e-licensing-diajukan"]
    assert (submitted.values["applications"], submitted.hidden) == (3, False)
    valid = eservice["iomki_valid"]
    assert (valid.values["applications"], valid.n, valid.hidden) == (3, 3, False)
    body = response.content.decode()
    assert reverse("eservice:pemda-iomki") in body.split('id="layanan-daerah"')[1]


def test_an_application_cell_of_fewer_than_three_companies_is_hidden_with_its_table_neighbour(cast, place):
    today = timezone.localdate()
    firms = [place("32.16", Scale.KECIL) for _ in range(4)]
    for firm in firms:
        apply(firm, valid_until=today + timedelta(days=30))
    apply(firms[0], "e-licensing", Status.REJECTED)  # 1 company: hidden
    apply(firms[0], "e-licensing", Status.SUBMITTED)  # 1 company: hidden (2 hidden together < 3 …)
    eservice = territory_eservice(cast.pemda_kab_bekasi)
    cells = {c.key: c for r in eservice["rows"] for c in r["cells"]}
    assert cells["e-licensing-ditolak"].hidden and cells["e-licensing-diajukan"].hidden
    assert cells["iomki-disetujui"].hidden  # … so the smallest shown cell hides as well (secondary)


def test_two_valid_iomki_permits_are_not_shown(cast, place):
    today = timezone.localdate()
    for _ in range(2):
        apply(place("32.16", Scale.KECIL), valid_until=today + timedelta(days=30))
    assert territory_eservice(cast.pemda_kab_bekasi)["iomki_valid"].hidden


def test_another_territorys_applications_are_not_counted(cast, place):
    today = timezone.localdate()
    for _ in range(3):
        apply(place("32.15", Scale.KECIL), valid_until=today + timedelta(days=30))  # Kab. Karawang
    apply(cast.factory_b, valid_until=today + timedelta(days=30))  # Jawa Timur
    kab = territory_eservice(cast.pemda_kab_bekasi)
    assert kab["rows"] == [] and kab["iomki_valid"].n == 0
    prov = territory_eservice(cast.pemda_jabar)
    assert (prov["iomki_valid"].values["applications"], prov["iomki_valid"].n) == (3, 3)


def test_the_territory_index_weighs_a_factory_by_its_latest_accepted_reports_workforce(cast, place):
    """The spec example again, with the profiles' workforce swapped out: the accepted reports' workforce
    (iki's maintained lookup, written when the report is verified) gives the weights back."""
    from reporting import services
    from reporting.models import ReportStatus
    from reporting.sections import models as sections
    from tests.reporting.factories import PeriodFactory, ReportFactory

    period = PeriodFactory(year=2025, number=2)
    firms = [place("32.15", Scale.KECIL, workforce=1) for _ in range(3)]
    for firm, workforce in zip(firms, (100, 300, 50), strict=True):
        report = ReportFactory(factory=firm, period=period, status=ReportStatus.SUBMITTED)
        sections.Workforce.objects.create(report=report, total=workforce)
        services.report_verify(actor=cast.verifier, report=report)
    respond(firms[0], orders="meningkat", production="tetap", stock="menurun")
    respond(firms[1], orders="tetap", production="menurun", stock="tetap")
    respond(firms[2], orders="menurun", production="meningkat", stock="meningkat")
    assert territory_iki(cast.pemda_jabar)["index"].iki == Decimal("43.33")
