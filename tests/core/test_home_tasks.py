"""The home page "Tugas saya" (issue 16 §6, §8 in part): each to-do of a company appears and disappears at the
right time, the reports due follow the officers' obligation rule, officers see counts of their own scope only,
and the page keeps a flat query budget.

Every test runs on a fixed, travelled clock (never the day it runs): Semester 1 2026 is filed 1 July – 31 August
2026, Semester 2 2025 in January – February 2026, Semester 1 2025 in July – August 2025.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountCertificate, Factory
from eservice.models import Application, Status
from iki.models import IkiPeriod, IkiResult
from reporting.models import Report, ReportEvent, ReportStatus
from reporting.selectors import due_reports
from siinas.core import todos
from tests.factories import FactoryAccountFactory, company_user
from tests.helpers import login
from tests.iki.conftest import make_response
from tests.reporting.factories import PeriodFactory, ReportFactory
from verification.models import WarningLetter

pytestmark = pytest.mark.django_db

IN_WINDOW = "2026-07-15 10:00 +0700"
AFTER_WINDOW = "2026-09-05 09:00 +0700"
JAKARTA = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def periods(db):
    """Semester 1 2025, Semester 2 2025 (both closed by July 2026) and Semester 1 2026."""
    return (
        PeriodFactory(year=2025, number=1),
        PeriodFactory(year=2025, number=2),
        PeriodFactory(year=2026, number=1),
    )


def _home(client, user) -> str:
    login(client, user)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def _tasks(user, kind: str) -> list[todos.Task]:
    return [t for t in todos.company_tasks(user) if t.kind == kind]


# --- Reports due: the obligation rule ---------------------------------------------------------------


def test_a_report_due_in_the_open_window_is_listed_with_its_deadline_and_status(client, cast, periods):
    with time_machine.travel(IN_WINDOW, tick=False):
        body = _home(client, cast.company_a)
        tasks = _tasks(cast.company_a, "report")
    current = [t for t in tasks if "Semester 1 2026" in t.title]
    assert len(current) == 1 and current[0].deadline == dt.date(2026, 8, 31) and not current[0].overdue
    assert current[0].status == "Belum dimulai"
    assert "Semester 1 2026" in body and "Senin, 31 Agustus 2026" in body


def test_a_new_account_sees_no_late_past_periods(client, cast, periods):
    with time_machine.travel(IN_WINDOW, tick=False):
        factory = FactoryAccountFactory(kbli_codes=["10110"])  # registered today, inside the S1 2026 window
        user = company_user(factory, "pabrikbaru")
        body = _home(client, user)
        dashboard = client.get(reverse("reporting:dashboard")).content.decode()
        rows = due_reports(factory)
    # Registered during the window: it owes neither that period nor any before (docs/statistics.md, rule 1).
    assert rows == []
    assert "lewat batas" not in body and "lewat batas" not in dashboard
    assert "Semester 2 2025" not in body and "Semester 1 2025" not in body


def test_an_account_registered_after_a_window_closed_does_not_owe_that_period(cast, periods):
    with time_machine.travel(AFTER_WINDOW, tick=False):
        factory = FactoryAccountFactory()
        assert due_reports(factory) == []


def test_an_old_account_that_did_not_file_a_closed_period_sees_it_as_late(cast, periods):
    with time_machine.travel(IN_WINDOW, tick=False):
        late = [t for t in _tasks(cast.company_a, "report") if t.overdue]
    assert {t.title.rsplit(" — ", 1)[1] for t in late} == {"Semester 1 2025", "Semester 2 2025"}


def test_an_overdue_draft_of_the_current_period_is_shown_as_late_not_only_as_konsep(client, cast, periods):
    ReportFactory(factory=cast.factory_a, period=periods[2], status=ReportStatus.DRAFT)
    with time_machine.travel(AFTER_WINDOW, tick=False):
        body = _home(client, cast.company_a)
        dashboard = client.get(reverse("reporting:dashboard")).content.decode()
        task = next(t for t in _tasks(cast.company_a, "report") if "Semester 1 2026" in t.title)
    assert task.status == "Konsep" and task.overdue
    assert "lewat batas" in body
    row = dashboard[
        dashboard.index("Semester 1 2026") : dashboard.index("</tr>", dashboard.index("Semester 1 2026"))
    ]
    assert "Konsep" in row and "belum dikirim — lewat batas" in row


def test_a_submitted_report_leaves_the_list(cast, periods):
    ReportFactory(factory=cast.factory_a, period=periods[2], status=ReportStatus.SUBMITTED)
    with time_machine.travel(IN_WINDOW, tick=False):
        assert not [t for t in _tasks(cast.company_a, "report") if "Semester 1 2026" in t.title]


def test_the_company_list_and_the_officers_rate_count_the_same_units(cast, periods):
    """One rule: the units a company is shown are exactly those the reporting rate expects of it."""
    from verification.rates import rate_table

    with time_machine.travel(IN_WINDOW, tick=False):
        factory = FactoryAccountFactory()
        for period in periods:
            expected_here = rate_table(user=cast.verifier, period=period, by="factory").rows
            owed_by_rate = {r.key for r in expected_here if r.key.startswith(f"{factory.pk}:")}
            listed = {f"{factory.pk}:{r.spec.code}" for r in due_reports(factory) if r.period == period}
            assert listed == owed_by_rate


# --- Returned sections ------------------------------------------------------------------------------


def _returned(factory, period, comments: dict[str, str]) -> Report:
    returned_at = timezone.now()
    report = ReportFactory(
        factory=factory, period=period, status=ReportStatus.RETURNED, returned_at=returned_at
    )
    earlier = returned_at - dt.timedelta(days=10)
    ReportEvent.objects.create(
        report=report,
        action=ReportEvent.Action.RETURNED,
        section="produksi",
        comment="Komentar lama",
        created_at=earlier,
    )
    for section, comment in comments.items():
        ReportEvent.objects.create(
            report=report,
            action=ReportEvent.Action.RETURNED,
            section=section,
            comment=comment,
            created_at=returned_at,
        )
    return report


def test_a_returned_report_shows_the_officers_comment_per_section_until_it_is_sent_again(
    client, cast, periods
):
    with time_machine.travel(IN_WINDOW, tick=False):
        report = _returned(
            cast.factory_a,
            periods[2],
            {"tenaga_kerja": "Jumlah <pekerja> tidak cocok.", "produksi": "Satuan salah."},
        )
        body = _home(client, cast.company_a)
        (task,) = _tasks(cast.company_a, "returned")
        assert task.comments == [
            ("Tenaga kerja", "Jumlah <pekerja> tidak cocok."),
            ("Produksi", "Satuan salah."),
        ]
        assert "Jumlah &lt;pekerja&gt; tidak cocok." in body and "Komentar lama" not in body
        assert not _tasks(cast.company_b, "returned")
        Report.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)
        assert not _tasks(cast.company_a, "returned")


# --- IKI window ------------------------------------------------------------------------------------------


def test_the_open_iki_window_is_a_to_do_until_every_business_line_is_answered(cast):
    month = dt.date(2026, 7, 1)
    with time_machine.travel("2026-07-12 08:00 +0700", tick=False):
        (task,) = _tasks(cast.company_a, "iki")
        assert task.deadline == dt.date(2026, 7, 23) and "10" in task.detail
        make_response(cast.factory_a, month, "10")
        assert _tasks(cast.company_a, "iki") == []


def test_no_iki_to_do_outside_the_window(cast):
    with time_machine.travel("2026-07-24 08:00 +0700", tick=False):
        assert _tasks(cast.company_a, "iki") == []
    IkiPeriod.objects.create(
        month=dt.date(2026, 8, 1), opens_on=dt.date(2026, 8, 10), closes_on=dt.date(2026, 8, 20)
    )
    with time_machine.travel("2026-08-10 00:30 +0700", tick=False):  # 9 August in UTC: Jakarta's day counts
        assert len(_tasks(cast.company_a, "iki")) == 1


# --- Warning letters ---------------------------------------------------------------------------------------


def _letter(factory, period, level: str, *, issued: dt.date, **extra) -> WarningLetter:
    number = f"{level}/{factory.pk}/{period.pk}"
    return WarningLetter.objects.create(
        factory=factory, period=period, level=level, number=number, issued_on=issued,
        deadline=issued + dt.timedelta(days=30), sent_at=dt.datetime.combine(issued, dt.time(8), tzinfo=JAKARTA), **extra,
    )  # fmt: skip


def test_a_warning_letter_shows_its_latest_level_until_the_report_is_sent(cast, periods):
    s2 = periods[1]
    _letter(cast.factory_a, s2, "SP1", issued=dt.date(2026, 4, 1))
    _letter(cast.factory_a, s2, "SP2", issued=dt.date(2026, 5, 1))
    _letter(cast.factory_b, s2, "SP1", issued=dt.date(2026, 4, 1))
    with time_machine.travel("2026-05-10 09:00 +0700", tick=False):
        (task,) = _tasks(cast.company_a, "letter")
        assert "SP2" in task.title and task.deadline == dt.date(2026, 5, 31) and not task.overdue
    with time_machine.travel("2026-06-01 09:00 +0700", tick=False):
        (task,) = _tasks(cast.company_a, "letter")
        assert task.overdue
        ReportFactory(factory=cast.factory_a, period=s2, status=ReportStatus.SUBMITTED)
        assert _tasks(cast.company_a, "letter") == []


def test_a_cancelled_letter_is_not_shown(cast, periods):
    letter = _letter(cast.factory_a, periods[1], "SP1", issued=dt.date(2026, 4, 1))
    WarningLetter.objects.filter(pk=letter.pk).update(cancelled_at=timezone.now())
    with time_machine.travel("2026-04-10 09:00 +0700", tick=False):
        assert _tasks(cast.company_a, "letter") == []


# --- E-service decisions and the certificate -------------------------------------------------------------------


def _application(factory, user, status: str, n: int, decided_at=None) -> Application:
    return Application.objects.create(
        factory=factory,
        service="e-licensing",
        status=status,
        number=f"ELIC-UJI-{n:05d}",
        created_by=user,
        decided_at=decided_at,
    )


def test_an_application_to_correct_is_a_to_do_and_a_decision_shows_for_thirty_days(cast):
    with time_machine.travel(IN_WINDOW, tick=False):
        now = timezone.now()
        _application(cast.factory_a, cast.company_a, Status.NEEDS_REVISION, 1)
        _application(
            cast.factory_a, cast.company_a, Status.APPROVED, 2, decided_at=now - dt.timedelta(days=10)
        )
        _application(
            cast.factory_a, cast.company_a, Status.REJECTED, 3, decided_at=now - dt.timedelta(days=40)
        )
        _application(cast.factory_b, cast.company_b, Status.NEEDS_REVISION, 4)
        tasks = _tasks(cast.company_a, "eservice")
    assert sorted((t.status, t.todo) for t in tasks) == [("Disetujui", False), ("Perlu Perbaikan", True)]
    assert all("ELIC-UJI-0000" in t.title for t in tasks) and not any(
        "00003" in t.title or "00004" in t.title for t in tasks
    )


def test_the_current_certificate_is_listed_and_a_revoked_one_is_not(client, cast):
    from accounts.services import certificate_issue

    certificate = certificate_issue(actor=cast.admin, factory=cast.factory_a)
    (task,) = _tasks(cast.company_a, "certificate")
    assert certificate.number in task.title and task.url == reverse("accounts:certificate-own")
    assert "Tidak ada tugas yang menunggu." in _home(client, cast.company_a)  # a notice is not a to-do
    AccountCertificate.objects.filter(pk=certificate.pk).update(status=AccountCertificate.Status.REVOKED)
    assert _tasks(cast.company_a, "certificate") == []


# --- Officers -------------------------------------------------------------------------------------------------


def _queue(user, label_part: str) -> todos.QueueCount:
    return next(q for q in todos.officer_queues(user) if label_part in q.label)


def test_officers_see_their_queue_counts_with_the_overdue_part_inside_their_scope(client, cast, periods):
    with time_machine.travel(IN_WINDOW, tick=False):
        now = timezone.now()
        for days, factory in ((1, cast.factory_a), (9, cast.factory_a), (20, cast.factory_b)):
            ReportFactory(factory=factory, period=PeriodFactory(year=2020 + days, number=1), status=ReportStatus.SUBMITTED,
                          first_submitted_at=now - dt.timedelta(days=days), last_submitted_at=now - dt.timedelta(days=days))  # fmt: skip
        ReportFactory(
            factory=cast.factory_a,
            period=periods[0],
            status=ReportStatus.VERIFIED,
            last_submitted_at=now - dt.timedelta(days=8),
        )
        ReportFactory(
            factory=cast.factory_b, period=periods[0], status=ReportStatus.VERIFIED, last_submitted_at=now
        )
        verify = _queue(cast.verifier, "verifikasi")
        assert (verify.count, verify.overdue) == (3, 2)
        pangan = _queue(cast.validator_pangan, "validasi")
        logam = _queue(cast.validator_logam, "validasi")
        assert (pangan.count, pangan.overdue) == (1, 1)  # company_a's KBLI 10 only
        assert (logam.count, logam.overdue) == (1, 0)  # company_b's KBLI 25 only
        body = _home(client, cast.verifier)
    assert "Laporan menunggu verifikasi" in body and "?age=7" in body


def test_a_status_move_shows_at_the_next_view_despite_the_cache(cast, periods):
    with time_machine.travel(IN_WINDOW, tick=False):
        report = ReportFactory(factory=cast.factory_a, period=periods[2], status=ReportStatus.SUBMITTED)
        assert _queue(cast.verifier, "verifikasi").count == 1
        Report.objects.filter(pk=report.pk).update(status=ReportStatus.VERIFIED)
        ReportEvent.objects.create(
            report=report, action=ReportEvent.Action.VERIFIED
        )  # what every move writes
        assert _queue(cast.verifier, "verifikasi").count == 0


def test_upp_sees_pending_registrations_and_those_past_the_one_working_day_sla(cast):
    from tests.accounts.factories import make_registration

    monday = dt.datetime(2026, 7, 13, 9, tzinfo=JAKARTA)
    make_registration(submitted_at=monday - dt.timedelta(days=3))  # Friday: its working day (Monday) is today
    make_registration(submitted_at=monday - dt.timedelta(days=4))  # Thursday: due Friday, overdue
    make_registration(submitted_at=monday)
    with time_machine.travel(monday, tick=False):
        queue = _queue(cast.upp, "Registrasi")
    assert (queue.count, queue.overdue) == (3, 1)
    from accounts.selectors import registration_queue

    with time_machine.travel(monday, tick=False):
        assert sum(row.overdue for row in registration_queue()) == queue.overdue  # the queue page agrees


def test_pemda_sees_the_accounts_of_its_territory_that_have_not_reported(cast, periods):
    with time_machine.travel(IN_WINDOW, tick=False):
        (queue,) = todos.officer_queues(cast.pemda_jabar)
        assert "Semester 2 2025" in queue.label and queue.count == 1  # company_a; company_b is in Jawa Timur
        ReportFactory(factory=cast.factory_a, period=periods[1], status=ReportStatus.SUBMITTED)
        (queue,) = todos.officer_queues(cast.pemda_jabar)
        assert queue.count == 0


def test_iki_officers_see_the_responses_of_the_open_window_in_their_scope(cast):
    make_response(cast.factory_a, dt.date(2026, 7, 1), "10")
    make_response(cast.factory_b, dt.date(2026, 7, 1), "25")
    make_response(cast.factory_a, dt.date(2026, 6, 1), "10")  # last month's
    with time_machine.travel("2026-07-15 10:00 +0700", tick=False):
        assert _queue(cast.verifier, "Respons kuesioner IKI 2026-07").count == 2
        assert _queue(cast.validator_pangan, "Respons kuesioner IKI").count == 1
        assert _queue(cast.kl, "Respons kuesioner IKI").count == 2
    with time_machine.travel("2026-07-24 10:00 +0700", tick=False):  # the window closed on the 23rd
        assert not [q for q in todos.officer_queues(cast.kl) if "Respons" in q.label]


def test_a_closed_iki_month_without_a_result_is_overdue_until_it_is_computed(cast):
    with time_machine.travel("2026-07-24 10:00 +0700", tick=False):
        queue = _queue(cast.verifier, "belum dihitung")
        assert (queue.count, queue.overdue_label) == (3, "2026-07, 2026-06, 2026-05")
        IkiResult.objects.create(period=dt.date(2026, 7, 1), iki=None, status="", respondents=0, payload={})
        queue = _queue(cast.admin, "belum dihitung")
        assert (queue.count, queue.overdue_label) == (2, "2026-06, 2026-05")
        assert not [
            q for q in todos.officer_queues(cast.validator_pangan) if "belum dihitung" in q.label
        ]  # may not recompute


def test_a_kl_partner_has_no_queue_outside_an_iki_window(client, cast):
    with time_machine.travel("2026-07-05 10:00 +0700", tick=False):
        assert todos.officer_queues(cast.kl) == []
        assert "Tidak ada antrean untuk peran Anda." in _home(client, cast.kl)


# --- Query budget -------------------------------------------------------------------------------------------


def _grow(cast, n: int, start: int) -> None:
    """``n`` more of each item on company_a's page: reports sent back, letters, applications, announcements."""
    from siinas.core.models import Announcement, AnnouncementRole

    now = timezone.now()
    for i in range(start, start + n):
        period = PeriodFactory(year=1900 + i, number=2)
        report = ReportFactory(
            factory=cast.factory_a, period=period, status=ReportStatus.RETURNED, returned_at=now
        )
        ReportEvent.objects.create(
            report=report,
            action=ReportEvent.Action.RETURNED,
            section="produksi",
            comment=f"K{i}",
            created_at=now,
        )
        _letter(
            cast.factory_a, PeriodFactory(year=1900 + i, number=1), "SP1", issued=dt.date(2026, 6, 1)
        )  # no report sent
        _application(cast.factory_a, cast.company_a, Status.NEEDS_REVISION, 500 + i)
        a = Announcement.objects.create(
            title=f"Pengumuman {i}", body="Isi", starts_on=dt.date(2026, 7, 1), ends_on=dt.date(2026, 7, 31)
        )
        AnnouncementRole.objects.create(announcement=a, role="company")


def test_the_company_home_page_is_flat_in_reports_letters_applications_and_announcements(
    client, cast, periods, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.services import certificate_issue

    certificate_issue(actor=cast.admin, factory=cast.factory_a)
    with time_machine.travel(IN_WINDOW, tick=False):
        login(client, cast.company_a)
        _grow(cast, 2, start=0)
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("core:dashboard"))
        _grow(cast, 40, start=2)
        with django_assert_max_num_queries(22) as many:
            body = client.get(reverse("core:dashboard")).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert (
        body.count("task-returned") == 42
        and body.count("task-letter") == 42
        and body.count("task-eservice") == 42
    )
    assert body.count("alert alert-info mb-2 announcement") == 42


def test_the_factory_rows_stay_untouched_by_the_home_page(client, cast, periods):
    """No query of the company's page reads the factory table beyond its own row (no scan of all factories)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    FactoryAccountFactory.create_batch(5)
    with time_machine.travel(IN_WINDOW, tick=False):
        login(client, cast.company_a)
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("core:dashboard"))
    table = Factory._meta.db_table
    for query in ctx.captured_queries:
        sql = query["sql"]
        if f'FROM "{table}"' in sql and "JOIN" not in sql.split("WHERE")[0]:
            assert "WHERE" in sql, sql
