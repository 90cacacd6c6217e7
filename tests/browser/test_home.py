"""The home page "Tugas saya" in the browser, at desktop width and at 390 px: an admin posts an announcement for
companies with the keyboard; the company finds on its home page the announcement, its overdue report, the report
sent back with the officer's comment, its warning letter and the open IKI questionnaire, and follows them."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from django.utils import timezone

from iki.models import IkiPeriod
from reporting.models import ReportEvent, ReportStatus
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.steps import (
    assert_accessible,
    keyboard_fill,
    keyboard_submit,
    keyboard_tick,
    log_in,
    log_out,
    tab_to,
)
from tests.reporting.factories import PeriodFactory, ReportFactory
from verification.models import WarningLetter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _company_situation(cast) -> None:
    """Whatever the day the journey runs: a period open now (its report sent back), one closed ten days ago
    (not sent: overdue, with an SP1), and this month's IKI window open."""
    today = timezone.localdate()
    year = today.year + 5  # periods of their own, far from any other test's
    open_period = PeriodFactory(
        year=year,
        number=1,
        window_opens=today - dt.timedelta(days=10),
        window_closes=today + dt.timedelta(days=20),
    )
    closed = PeriodFactory(
        year=year - 1,
        number=2,
        window_opens=today - dt.timedelta(days=70),
        window_closes=today - dt.timedelta(days=10),
    )
    returned_at = timezone.now()
    report = ReportFactory(
        factory=cast.factory_a, period=open_period, status=ReportStatus.RETURNED, returned_at=returned_at
    )
    ReportEvent.objects.create(
        report=report, action=ReportEvent.Action.RETURNED, section="tenaga_kerja", comment="Jumlah tenaga kerja tidak sama dengan rinciannya.",
        created_at=returned_at,
    )  # fmt: skip
    issued = today - dt.timedelta(days=5)
    WarningLetter.objects.create(
        factory=cast.factory_a, period=closed, level="SP1", number="SP1/UJI/001", issued_on=issued,
        deadline=issued + dt.timedelta(days=30), sent_at=timezone.now(),
    )  # fmt: skip
    month = today.replace(day=1)
    IkiPeriod.objects.create(
        month=month,
        opens_on=month,
        closes_on=month.replace(day=calendar.monthrange(month.year, month.month)[1]),
    )


def test_a_company_finds_its_to_dos_and_the_admins_announcement_on_its_home_page(browsing_factory, cast):
    _company_situation(cast)
    today = timezone.localdate()

    admin = browsing_factory("admin")
    page = admin.page
    log_in(admin, cast.admin)
    admin.navigate(page.get_by_role("navigation").get_by_role("link", name="Pengumuman").click)
    assert page.get_by_role("heading", level=1).inner_text() == "Pengumuman di Beranda"
    assert_accessible(admin, "pengumuman admin")
    tab_to(admin, "#id_title")
    keyboard_fill(
        admin,
        [
            ("#id_title", "Jendela pelaporan diperpanjang"),
            ("#id_body", "Batas pelaporan diperpanjang.\nHubungi <UPP> bila perlu."),
        ],
    )
    keyboard_tick(admin, "#id_roles_0")  # Perusahaan
    # A date field's segments follow the browser's own locale: the dates are set as the date picker would.
    page.locator("#id_starts_on").fill(today.isoformat())
    page.locator("#id_ends_on").fill((today + dt.timedelta(days=7)).isoformat())
    keyboard_submit(admin, "main form[action$='/pengumuman/tambah/'] button[type=submit]")
    assert page.get_by_role("cell", name="Jendela pelaporan diperpanjang", exact=True).is_visible()
    admin.shoot("pengumuman-admin")
    log_out(admin)

    company = browsing_factory("perusahaan")
    page = company.page
    log_in(company, cast.company_a, keyboard=True)
    company.goto("/beranda/")
    tasks = page.locator("section", has=page.get_by_role("heading", name="Tugas saya"))
    announcements = page.locator("section", has=page.get_by_role("heading", name="Pengumuman"))
    assert announcements.get_by_role("heading", name="Jendela pelaporan diperpanjang").is_visible()
    assert "Hubungi <UPP> bila perlu." in announcements.inner_text()
    overdue = tasks.locator("li.task-report.task-overdue")
    assert (
        overdue.count() == 1
        and "lewat batas" in overdue.inner_text()
        and "Belum dimulai" in overdue.inner_text()
    )
    returned = tasks.locator("li.task-returned")
    assert "Jumlah tenaga kerja tidak sama dengan rinciannya." in returned.inner_text()
    assert "SP1" in tasks.locator("li.task-letter").inner_text()
    assert "Kuesioner IKI" in tasks.locator("li.task-iki").inner_text()
    assert_accessible(company, "beranda perusahaan")
    company.shoot("beranda-tugas-saya")

    # At 390 px the to-dos are still there, readable and inside the screen, and they lead to their pages.
    page.set_viewport_size(PHONE)
    box = returned.bounding_box()
    assert returned.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert_accessible(company, "beranda perusahaan 390 px")
    company.navigate(returned.get_by_role("link").click)
    assert (
        "/laporan/" in page.url
        and "Jumlah tenaga kerja tidak sama dengan rinciannya." in page.locator("main").inner_text()
    )
    page.set_viewport_size(DESKTOP)
    company.goto("/beranda/")
    company.navigate(page.locator("li.task-iki").get_by_role("link").click)
    assert page.get_by_role("heading", level=1).inner_text() == "Pelaporan Kegiatan Industri — IKI"
