"""Releases that reproduce (issue 17 §3): publishing an IKI month freezes its inputs as a release
vintage; the public page, PDF and CSV serve the vintage; an audit recomputation reproduces it to the
digit; a revision is a new vintage with its reason, shown as "direvisi"."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from iki import release, selectors, services, vintages
from iki.models import IkiRelease, IkiResult
from reporting import services as reporting_services
from reporting.models import ReportStatus
from reporting.sections import models as sm
from siinas.core.models import AuditEvent
from tests.factories import FactoryAccountFactory
from tests.helpers import login
from tests.iki.conftest import make_response
from tests.reporting.factories import PeriodFactory, ReportFactory

pytestmark = pytest.mark.django_db
NOVEMBER = date(2026, 11, 1)

# Four factories in KBLI 10 whose weighted answers give 54.37; a report accepted later that moves the
# first factory's workforce from 317 to 319 makes the same answers give 54.40.
PANEL = (
    (317, "meningkat", "menurun", "meningkat"),
    (264, "meningkat", "tetap", "tetap"),
    (394, "menurun", "meningkat", "menurun"),
    (85, "tetap", "menurun", "meningkat"),
)


@pytest.fixture
def november(reference_data, clock):
    """November 2026 answered by the panel above and published by the nightly job (vintage 1)."""
    factories = []
    for workforce, orders, production, stock in PANEL:
        factory = FactoryAccountFactory(kbli_codes=["10110"], workforce=workforce)
        make_response(factory, NOVEMBER, orders=orders, production=production, stock=stock, orders_factors=["nilai_tukar"])
        factories.append(factory)
    clock(date(2026, 11, 24))
    assert services.iki_results_compute_due() == ["2026-11"]
    return factories


def accept_report_with_workforce(cast, factory, workforce: int) -> None:
    """A semester report verified after the month was published: the factory's IKI weight changes."""
    report = ReportFactory(factory=factory, period=PeriodFactory(year=2026, number=1), status=ReportStatus.SUBMITTED)
    sm.Workforce.objects.create(report=report, total=workforce)
    reporting_services.report_verify(actor=cast.verifier, report=report)


def csv_national(client) -> list[str]:
    response = client.get(reverse("iki:release-csv", kwargs={"period": "2026-11"}))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return rows[1]


def test_publishing_a_month_freezes_its_inputs_as_vintage_1(november):
    vintage = IkiRelease.objects.get(period=NOVEMBER)
    assert vintage.vintage == 1 and vintage.iki == Decimal("54.37") and vintage.reason == ""
    assert vintage.published_by is None and vintage.payload["iki"] == 54.37
    weights = sorted(row[3] for row in vintage.inputs["responses"])
    assert weights == sorted(w for w, *_answers in PANEL)
    assert vintage.inputs_sha256 == vintages.digest(vintage.inputs)
    event = AuditEvent.objects.get(action="iki.release_published")
    assert event.extra["vintage"] == 1 and event.extra["iki"] == "54.37"


def test_a_published_month_keeps_its_figure_when_a_newly_accepted_report_changes_a_weight(client, cast, november):
    accept_report_with_workforce(cast, november[0], 319)
    out = io.StringIO()
    call_command("iki_compute", "--period", "2026-11", "--json", stdout=out)
    assert json.loads(out.getvalue())["iki"] == 54.40  # the current figure, from today's weights
    assert IkiResult.objects.get(period=NOVEMBER).iki == Decimal("54.40")

    page = client.get(reverse("iki:release")).content.decode()
    assert "54,37" in page and "54,40" not in page
    assert float(csv_national(client)[5]) == 54.37
    html = release.release_html(release.published_release(NOVEMBER))
    assert "54,37" in html and "54,40" not in html


def test_the_audit_recomputation_reproduces_the_published_vintage_to_the_digit(cast, november):
    accept_report_with_workforce(cast, november[0], 319)
    out = io.StringIO()
    call_command("iki_compute", "--period", "2026-11", "--vintage", "1", stdout=out)
    printed = out.getvalue()
    assert "rilis ke-1" in printed and "54.37" in printed and "SAMA" in printed
    assert IkiRelease.objects.get(period=NOVEMBER).iki == Decimal("54.37")  # the audit writes nothing
    assert not IkiResult.objects.filter(iki=Decimal("54.40")).exists()


def test_an_audit_of_an_altered_vintage_fails_with_exit_status_1(november):
    vintage = IkiRelease.objects.get(period=NOVEMBER)
    IkiRelease.objects.filter(pk=vintage.pk).update(payload={**vintage.payload, "iki": 54.38})
    with pytest.raises(CommandError, match="TIDAK SAMA") as raised:
        call_command("iki_compute", "--period", "2026-11", "--vintage", "1", stdout=io.StringIO())
    assert raised.value.returncode == 1

    inputs = vintage.inputs
    inputs["responses"][0][3] += 1
    IkiRelease.objects.filter(pk=vintage.pk).update(payload=vintage.payload, inputs=inputs)
    with pytest.raises(CommandError, match="SHA-256"):
        call_command("iki_compute", "--period", "2026-11", "--vintage", "1", stdout=io.StringIO())


def test_an_audit_of_a_vintage_that_does_not_exist_is_refused(november):
    with pytest.raises(CommandError, match="rilis ke-2 periode 2026-11 tidak ada"):
        call_command("iki_compute", "--period", "2026-11", "--vintage", "2")


def test_a_revision_is_a_new_vintage_with_its_reason_and_the_page_says_direvisi(client, cast, november):
    accept_report_with_workforce(cast, november[0], 319)
    login(client, cast.admin)
    url = reverse("iki:release-revise", kwargs={"period": "2026-11"})
    client.post(url, {"reason": "Laporan semester PT A diterima setelah rilis; bobot tenaga kerja berubah."}, follow=True)

    second = IkiRelease.objects.get(period=NOVEMBER, vintage=2)
    assert second.iki == Decimal("54.40") and second.published_by == cast.admin
    assert second.reason.startswith("Laporan semester PT A")
    assert IkiRelease.objects.get(period=NOVEMBER, vintage=1).iki == Decimal("54.37")  # kept, unchanged
    event = AuditEvent.objects.get(action="iki.release_revised")
    assert event.actor == cast.admin and event.extra["previous_value"] == "54.37" and event.extra["iki"] == "54.40"

    client.logout()
    page = client.get(reverse("iki:release")).content.decode()
    assert "direvisi" in page and "Laporan semester PT A" in page
    assert "54,40" in page and "54,37" in page  # the revision, and vintage 1 in the list of earlier releases
    national = csv_national(client)
    assert float(national[5]) == 54.40 and national[10:] == ["2", timezone.localdate(second.published_at).isoformat()]
    assert "direvisi" in release.release_html(release.published_release(NOVEMBER))

    out = io.StringIO()
    call_command("iki_compute", "--period", "2026-11", "--vintage", "1", stdout=out)
    assert "SAMA" in out.getvalue() and "54.37" in out.getvalue()  # vintage 1 still reproduces


def test_a_revision_needs_a_reason(client, cast, november):
    with pytest.raises(ValidationError) as raised:
        services.iki_release_publish(actor=cast.admin, period=NOVEMBER, reason="  ")
    assert raised.value.message_dict["reason"] == ["Tuliskan alasan revisi."]
    login(client, cast.verifier)
    page = client.post(reverse("iki:release-revise", kwargs={"period": "2026-11"}), {"reason": ""}, follow=True).content.decode()
    assert "Tuliskan alasan revisi." in page
    assert IkiRelease.objects.filter(period=NOVEMBER).count() == 1


def test_one_vintage_number_per_month(november):
    vintage = IkiRelease.objects.get(period=NOVEMBER)
    with pytest.raises(IntegrityError), transaction.atomic():
        IkiRelease.objects.create(
            period=NOVEMBER, vintage=1, reason="x", iki=vintage.iki, status=vintage.status,
            respondents=4, payload=vintage.payload, inputs=vintage.inputs, inputs_sha256=vintage.inputs_sha256,
        )


def test_a_kl_partner_cannot_publish_a_revision(client, cast, november):
    login(client, cast.kl)
    response = client.post(reverse("iki:release-revise", kwargs={"period": "2026-11"}), {"reason": "coba"})
    assert response.status_code == 403
    assert IkiRelease.objects.filter(period=NOVEMBER).count() == 1


def test_officers_see_the_published_figure_beside_the_current_one(client, cast, november):
    accept_report_with_workforce(cast, november[0], 319)
    login(client, cast.validator_pangan)
    page = client.get(reverse("iki:officer-period", kwargs={"period": "2026-11"})).content.decode()
    assert "Angka terbit" in page and "Angka terkini" in page
    published = page[page.index("Angka terbit") : page.index("Angka terkini")]
    current = page[page.index("Angka terkini") :]
    assert "54,37" in published and "54,40" in current
    assert "Terbitkan revisi" not in page  # a validator reads, only Pusdatin revises


def test_the_job_freezes_a_month_stored_before_vintages_existed(reference_data, clock):
    factories = [FactoryAccountFactory(kbli_codes=["10110"], workforce=w) for w, *_a in PANEL]
    for factory, (_w, orders, production, stock) in zip(factories, PANEL, strict=True):
        make_response(factory, NOVEMBER, orders=orders, production=production, stock=stock)
    clock(date(2026, 11, 24))
    services.iki_result_compute(actor=None, period=NOVEMBER)  # the result as stored before this issue
    assert not IkiRelease.objects.exists()
    assert services.iki_results_compute_due() == ["2026-11"]
    assert IkiRelease.objects.get(period=NOVEMBER).iki == Decimal("54.37")
    assert services.iki_results_compute_due() == []  # a published month is left alone


def test_the_frozen_inputs_give_what_the_live_computation_gave_at_publication(november):
    vintage = IkiRelease.objects.get(period=NOVEMBER)
    live = selectors.month_tally(NOVEMBER)
    from iki.engine import compute_from_tally

    _gdp_period, groups = selectors.gdp_groups()
    expected = compute_from_tally(live, gdp_groups=groups or None, previous_iki=None).as_stored()
    assert vintages.compute(vintage.inputs).as_stored() == expected == vintage.payload
