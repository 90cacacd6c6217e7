"""Issue 17 §6 and §1: the demo as `make run` loads it has a history (every dashboard shows figures) and a
cast that reads like real, fictional companies and officials — nothing a user prints says "demo".

The demo is loaded once for the module (≈ 30 s of CPU) on a fixed day, then every test reads it inside its
own rolled-back transaction.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from stdnum.id import npwp

from accounts.models import Company, Factory, FactoryContact, Licence, Role, User
from eservice.models import Application, Status
from eservice.selectors import letter_context
from iki.models import IkiResponse
from reporting.models import Period, Report, ReportStatus, ReportVersion
from siinas.core.models import Region
from siinas.core.services import reference_data_load
from tests.helpers import login
from verification.rates import rate_table
from verification.services.compliance import expected_factories

pytestmark = pytest.mark.django_db

NOW = "2026-11-25 10:00 +0700"  # S1 2026's window (July–August) has closed; S2 2026's opens in January


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            if not Region.objects.exists():
                reference_data_load()
            call_command("load_demo", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _on_the_demo_day():
    with time_machine.travel(NOW, tick=False):
        yield


def _last_closed_semester() -> Period:
    today = timezone.localdate()
    return Period.objects.filter(period_type=Period.Type.SEMESTER, window_closes__lt=today).order_by("-window_closes").first()


def test_nothing_a_user_prints_reads_demo():
    texts = [
        *Company.objects.values_list("name", flat=True),
        *Factory.objects.values_list("name", flat=True),
        *Factory.objects.values_list("address", flat=True),
        *Licence.objects.values_list("number", flat=True),
        *FactoryContact.objects.values_list("name", flat=True),
        *IkiResponse.objects.values_list("official_name", flat=True),
        *[u.get_full_name() for u in User.objects.exclude(role=Role.COMPANY)],
    ]
    assert len(texts) > 400
    assert [t for t in texts if "demo" in t.lower()] == []
    approved = Application.objects.filter(status=Status.APPROVED)
    assert approved.exists()
    for application in approved:
        letter = render_to_string("pdf/eservice-decision.html", letter_context(application))
        assert "demo" not in letter.lower()


def test_decision_letters_are_signed_by_a_named_official_with_an_18_digit_nip():
    application = Application.objects.filter(status=Status.APPROVED).first()
    letter = render_to_string("pdf/eservice-decision.html", letter_context(application))
    signer = letter_context(application)["signed_by"]
    assert signer.role == Role.VALIDATOR and "," in signer.get_full_name()  # a name with academic titles
    assert len(signer.nip) == 18 and signer.nip.isdigit()
    assert signer.get_full_name() in letter and f"NIP {signer.nip}" in letter


def test_about_a_hundred_accounts_with_valid_npwp_registered_years_back_over_several_provinces():
    factories = Factory.objects.filter(account_type__in=["A", "B"])
    assert 95 <= factories.count() <= 110
    assert len(set(factories.values_list("province_id", flat=True))) >= 8
    assert all(npwp.is_valid(n) for n in Company.objects.values_list("npwp", flat=True))
    five_years_ago = timezone.now() - dt.timedelta(days=5 * 365)
    assert factories.filter(created_at__lt=five_years_ago).count() >= 40
    assert User.objects.get(username="indopangan").date_joined.year == 2017


def test_kbli_codes_match_the_products():
    flour = Factory.objects.get(company__name="PT Indo Pangan", name="Pabrik Bekasi")
    assert set(flour.kbli.values_list("code", flat=True)) == {"10616", "10740"}  # tepung terigu, mi
    assert not Factory.objects.filter(kbli__code="10110").exists()  # no slaughterhouse makes flour


def test_the_last_closed_semester_shows_a_national_rate_with_a_realistic_mix():
    period = _last_closed_semester()
    total = rate_table(user=User.objects.get(username="admin"), period=period, by="province").total
    assert total.expected >= 50
    assert 0.6 * total.expected < total.submitted < total.expected  # some never filed
    assert 0 < total.on_time < total.submitted  # some filed late
    assert 0 < total.validated < total.submitted
    statuses = Counter(Report.objects.filter(period=period).values_list("status", flat=True))
    for status in (ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.VERIFIED, ReportStatus.VALIDATED):
        assert statuses[status] > 0, status


def test_earlier_semesters_were_owed_and_mostly_accepted():
    periods = list(Period.objects.filter(reports__isnull=False).distinct().order_by("start"))
    assert len(periods) == 4
    for period in periods[:-1]:
        expected = expected_factories(period).count()
        validated = Report.objects.filter(period=period, status=ReportStatus.VALIDATED).count()
        assert expected >= 50 and validated > expected / 2


def test_every_timestamp_lies_in_the_past_and_on_time_follows_the_window():
    now = timezone.now()
    assert not Report.objects.filter(first_submitted_at__gt=now).exists()
    assert not Report.objects.filter(validated_at__gt=now).exists()
    for version in ReportVersion.objects.select_related("report__period"):
        assert version.on_time == version.report.period.is_on_time(version.created_at)
        assert version.created_at >= timezone.make_aware(dt.datetime.combine(version.report.period.window_opens, dt.time()))
    for report in Report.objects.filter(validated_at__isnull=False):
        assert report.first_submitted_at < report.verified_at < report.validated_at


def test_the_west_java_pemda_dashboard_counts_its_accounts(client):
    login(client, User.objects.get(username="pemda_jabar"))
    response = client.get(reverse("pemda:dashboard"))
    assert response.status_code == 200
    assert response.context["accounts"]["total"] >= 20
    assert response.context["rates_region_total"].row.expected >= 20
    assert "demo" not in response.content.decode().lower()


def test_the_iki_page_of_a_past_month_publishes_figures_and_suppresses_small_subsectors(client):
    month = (timezone.localdate().replace(day=1) - dt.timedelta(days=100)).replace(day=1)
    response = client.get(reverse("iki:release"), {"periode": f"{month:%Y-%m}"})
    assert response.status_code == 200
    release = response.context["release"]
    assert release.headline["iki"] is not None and release.headline["respondents"] >= 60
    rows = {row["kbli2"]: row for row in release.subsectors}
    assert rows["10"]["iki"] is not None
    assert any(row["suppressed"] for row in rows.values())
    page = response.content.decode()
    assert str(release.headline["iki"]).replace(".", ",") in page and "demo" not in page.lower()
    assert len(release.subsectors) >= 12


def test_answers_to_the_general_and_outlook_questions_are_distributed_differently():
    responses = IkiResponse.objects.all()
    months = set(responses.values_list("period", flat=True))
    assert len(months) == 12
    general = Counter(responses.values_list("general", flat=True))
    outlook = Counter(responses.values_list("outlook", flat=True))
    n = responses.count()
    shares = lambda counts, keys: [round(counts[k] / n, 2) for k in keys]  # noqa: E731
    assert shares(general, ["meningkat", "tetap", "menurun"]) != shares(outlook, ["optimis", "tidak_berubah", "pesimis"])
    assert outlook["optimis"] > general["meningkat"] and outlook["pesimis"] < general["menurun"]
    stock = Counter(responses.values_list("stock", flat=True))
    assert stock["tetap"] > max(stock["meningkat"], stock["menurun"])


def test_the_printed_demo_partner_token_works_and_mitra_kl_sees_its_organisation(client):
    from api.demo import DEMO_TOKEN
    from api.models import PartnerOrganisation

    response = client.get(reverse("api:token"), HTTP_AUTHORIZATION=f"Bearer {DEMO_TOKEN}")
    assert response.status_code == 200 and response.json()["region"] is None
    organisation = PartnerOrganisation.objects.get(members__username="mitra_kl")
    login(client, User.objects.get(username="mitra_kl"))
    assert organisation.name in client.get(reverse("mitra:organisation-list")).content.decode()
