"""Reads for the home page "Tugas saya" (issue 16 §6): what each role has to do now, inside its scope.

A company sees each report it owes that is not sent yet (deadline, status, overdue), its reports sent back
with the officer's comment per section, the open IKI window while a business line is unanswered, its
warning letters still waiting for a report, its e-service applications to correct and the decisions of
the last ``DECISION_DAYS`` days, and its Bukti Kepemilikan Akun. Every item comes from the owning app's
selector or access module, so the home page never shows what the app's own pages would not.

Officers see counts of their queues, each with its overdue part, read through the apps' access modules
(a validator counts only its KBLI divisions, a Pemda only its territory). The report-queue counts are kept
in the shared cache under ``reports_data_version()`` (a status move shows at the next view), as the
reporting rate is. A company's page is a fixed number of queries whatever the number of its reports,
letters or applications (tests/core/test_home_tasks.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AccountCertificate, Registration, Role, User
from eservice.models import Application, Status
from eservice.selectors import queue_counts
from iki import access as iki_access
from iki.models import IkiResponse, IkiResult
from iki.selectors import factory_iki_divisions, first_of_month, open_window, previous_month, window_for
from reporting.models import Period
from reporting.selectors import due_reports, reports_data_version, returned_reports, sections_to_confirm
from siinas.core.selectors import holidays_between, is_working_day
from verification.queues import validator_queue, verifier_queue
from verification.rates import cached_rate_table
from verification.selectors import letters_awaiting_report, sanction_recommendations

# A report waiting longer than this for its review is shown as overdue (the queues' "lebih dari 7 hari").
REVIEW_OVERDUE_DAYS = 7
# E-service decisions stay on the company's home page this long after the decision.
DECISION_DAYS = 30
QUEUE_CACHE_SECONDS = 600


@dataclass
class Task:
    """One to-do (or notice) of a company: ``kind`` is report, returned, iki, letter, eservice or certificate."""

    kind: str
    title: str
    url: str
    detail: str = ""
    status: str = ""
    deadline: dt.date | None = None
    overdue: bool = False
    todo: bool = True
    comments: list[tuple[str, str]] = field(default_factory=list)
    to_confirm: list[str] = field(default_factory=list)  # a draft's pre-filled sections not yet confirmed


@dataclass
class QueueCount:
    """An officer's queue: how many items wait, how many of them are overdue."""

    label: str
    count: int
    url: str
    overdue: int | None = None
    overdue_label: str = ""
    overdue_url: str = ""


@dataclass
class HomeTasks:
    tasks: list[Task] = field(default_factory=list)
    queues: list[QueueCount] = field(default_factory=list)

    @property
    def todo_count(self) -> int:
        return sum(1 for t in self.tasks if t.todo)


def tasks_for(user: User) -> HomeTasks:
    if user.role == Role.COMPANY:
        return HomeTasks(tasks=company_tasks(user)) if user.factory_id else HomeTasks()
    return HomeTasks(queues=officer_queues(user))


# --- Company ----------------------------------------------------------------------------------------


def company_tasks(user: User, *, today: dt.date | None = None) -> list[Task]:
    """The company's to-dos (and its certificate and recent decisions, as notices), most urgent first."""
    today = today or timezone.localdate()
    factory = user.factory
    tasks = _report_tasks(factory) + _returned_tasks(factory.pk) + _iki_tasks(factory, today)
    tasks += _letter_tasks(user, today) + _eservice_tasks(factory.pk)
    tasks.sort(key=lambda t: (not t.todo, not t.overdue, t.deadline or dt.date.max))
    return tasks + _certificate_tasks(factory.pk)


def _report_tasks(factory) -> list[Task]:
    tasks = []
    due = [row for row in due_reports(factory) if not row.is_submitted]  # a report sent back is a "returned" task
    waiting = sections_to_confirm(row.report for row in due if row.report is not None)
    for row in due:
        status = row.report.get_status_display() if row.report else _("Belum dimulai")
        url = (
            reverse("reporting:report-detail", args=[row.report.pk])
            if row.report
            else reverse("reporting:dashboard")
        )
        tasks.append(
            Task(
                kind="report",
                title=f"{row.spec.title} — {row.period}",
                url=url,
                status=str(status),
                deadline=row.deadline,
                overdue=row.is_overdue,
                detail=_("Jendela pelaporan dibuka") if row.is_open else "",
                to_confirm=waiting.get(row.report.pk, []) if row.report else [],
            )
        )
    return tasks


def _returned_tasks(factory_id: int) -> list[Task]:
    return [
        Task(
            kind="returned",
            title=f"{item.report.spec.title} — {item.report.period}",
            url=reverse("reporting:report-detail", args=[item.report.pk]),
            status=str(item.report.get_status_display()),
            comments=item.comments,
            detail=_("Dikembalikan %(date)s; perbaiki bagian yang diberi komentar lalu kirim ulang.")
            % {"date": timezone.localtime(item.report.returned_at).strftime("%d-%m-%Y")},
        )
        for item in returned_reports(factory_id)
    ]


def _iki_tasks(factory, today: dt.date) -> list[Task]:
    window = open_window(today)
    if window is None:
        return []
    divisions = factory_iki_divisions(factory)
    if not divisions:
        return []
    answered = set(
        IkiResponse.objects.filter(factory_id=factory.pk, period=window.month).values_list(
            "kbli2_id", flat=True
        )
    )
    missing = [d.code for d in divisions if d.code not in answered]
    if not missing:
        return []
    return [
        Task(
            kind="iki",
            title=_("Kuesioner IKI %(month)s") % {"month": window.label},
            url=reverse("iki:response-list"),
            status=_("Belum diisi"),
            deadline=window.closes_on,
            detail=_("Dibuka %(opens)s; belum diisi untuk KBLI %(codes)s.")
            % {"opens": window.opens_on.strftime("%d-%m-%Y"), "codes": ", ".join(missing)},
        )
    ]


def _letter_tasks(user: User, today: dt.date) -> list[Task]:
    """The latest warning letter of each period still without a report (a report sent closes the case)."""
    letters = letters_awaiting_report(user).order_by("period_id", "-level")
    latest = {}
    for letter in letters:
        latest.setdefault(letter.period_id, letter)
    return [
        Task(
            kind="letter",
            title=f"{letter.get_level_display()} — {letter.period}",
            url=reverse("verification:letter-download", args=[letter.pk]),
            detail=_("Nomor %(number)s, tanggal %(date)s. Kirim laporan periode ini sebelum batas waktu.")
            % {"number": letter.number, "date": letter.issued_on.strftime("%d-%m-%Y")},
            status=_("Laporan belum dikirim"),
            deadline=letter.deadline,
            overdue=letter.deadline is not None and today > letter.deadline,
        )
        for letter in latest.values()
    ]


def _eservice_tasks(factory_id: int) -> list[Task]:
    since = timezone.now() - dt.timedelta(days=DECISION_DAYS)
    applications = Application.objects.filter(
        Q(status=Status.NEEDS_REVISION)
        | Q(status__in=(Status.APPROVED, Status.REJECTED), decided_at__gte=since),
        factory_id=factory_id,
    ).order_by("-updated_at", "-pk")
    tasks = []
    for application in applications:
        name = str(application.service_type.name)
        revision = application.status == Status.NEEDS_REVISION
        tasks.append(
            Task(
                kind="eservice",
                title=f"{name} — {application.number or application.pk}",
                url=reverse("eservice:application-detail", args=[application.pk]),
                status=str(application.get_status_display()),
                todo=revision,
                detail=_("Perbaiki permohonan sesuai catatan petugas lalu ajukan kembali.")
                if revision
                else _("Diputuskan %(date)s.")
                % {"date": timezone.localtime(application.decided_at).strftime("%d-%m-%Y")},
            )
        )
    return tasks


def _certificate_tasks(factory_id: int) -> list[Task]:
    certificate = AccountCertificate.objects.filter(
        factory_id=factory_id, status=AccountCertificate.Status.CURRENT
    ).first()
    if certificate is None:
        return []
    return [
        Task(
            kind="certificate",
            title=_("Bukti Kepemilikan Akun %(number)s") % {"number": certificate.number},
            url=reverse("accounts:certificate-own"),
            status=str(certificate.get_status_display()),
            todo=False,
            detail=_("Diterbitkan %(date)s.")
            % {"date": timezone.localtime(certificate.issued_at).strftime("%d-%m-%Y")},
        )
    ]


# --- Officers ---------------------------------------------------------------------------------------


def officer_queues(user: User, *, now: dt.datetime | None = None) -> list[QueueCount]:
    now = now or timezone.now()
    queues: list[QueueCount] = []
    if user.role in (Role.UPP, Role.ADMIN):
        queues.append(_registration_queue(now))
    if user.role in (Role.VERIFIER, Role.VALIDATOR, Role.ADMIN):
        queues += _report_queues(user, now)
    if user.role in (Role.VERIFIER, Role.VALIDATOR):
        waiting = sum(queue_counts(user).values())
        queues.append(
            QueueCount(
                _("Permohonan layanan menunggu pemeriksaan"), waiting, reverse("eservice:review-queue")
            )
        )
    if user.role == Role.ADMIN:
        count = sanction_recommendations(today=timezone.localdate(now)).count()
        queues.append(
            QueueCount(
                _("Rekomendasi sanksi administratif (SP3 lewat batas)"),
                count,
                reverse("verification:sanction-list"),
            )
        )
    if user.is_pemda:
        queues += _pemda_queues(user, timezone.localdate(now))
    if user.role in iki_access.DASHBOARD_ROLES:
        queues += _iki_queues(user, timezone.localdate(now))
    return queues


def last_working_day_before(day: dt.date) -> dt.date:
    holidays = holidays_between(day - dt.timedelta(days=30), day)
    current = day - dt.timedelta(days=1)
    while not is_working_day(current, holidays):
        current -= dt.timedelta(days=1)
    return current


def _registration_queue(now: dt.datetime) -> QueueCount:
    """Pending registrations; overdue past the 1-working-day SLA (accounts.selectors.registration_queue), counted
    in SQL: a registration is overdue when a whole working day has passed since the day it was sent, i.e. it
    was sent before the last working day before today."""
    today = timezone.localdate(now)
    cutoff = timezone.make_aware(dt.datetime.combine(last_working_day_before(today), dt.time.min))
    pending = Registration.objects.filter(status=Registration.Status.PENDING)
    return QueueCount(
        _("Registrasi menunggu validasi"),
        pending.count(),
        reverse("accounts:registration-queue"),
        overdue=pending.filter(submitted_at__lt=cutoff).count(),
        overdue_label=_("lewat SLA 1 hari kerja"),
    )


def _scope_key(user: User) -> str:
    if user.role == Role.VALIDATOR:
        return f"validator|{','.join(sorted(str(pk) for pk in user.kbli_divisions.values_list('pk', flat=True)))}"
    return "national"


def _report_queues(user: User, now: dt.datetime) -> list[QueueCount]:
    """The verification and validation queues in the user's scope, cached under the reports' data version."""
    key = (
        "core:home:queues:"
        + hashlib.sha256(f"{user.role}|{_scope_key(user)}|{reports_data_version()}".encode()).hexdigest()
    )
    counts = cache.get(key)
    if counts is None:
        old = Q(last_submitted_at__lte=now - dt.timedelta(days=REVIEW_OVERDUE_DAYS))
        counts = {}
        if user.role in (Role.VERIFIER, Role.ADMIN):
            queue = verifier_queue(user).order_by()
            counts["verify"] = (queue.count(), queue.filter(old).count())
        if user.role in (Role.VALIDATOR, Role.ADMIN):
            queue = validator_queue(user).order_by()
            counts["validate"] = (queue.count(), queue.filter(old).count())
        cache.set(key, counts, QUEUE_CACHE_SECONDS)
    labels = {
        "verify": (_("Laporan menunggu verifikasi"), "verification:verifier-queue"),
        "validate": (_("Laporan menunggu validasi"), "verification:validator-queue"),
    }
    out = []
    for name, (count, overdue) in counts.items():
        label, url_name = labels[name]
        url = reverse(url_name)
        out.append(
            QueueCount(
                label,
                count,
                url,
                overdue=overdue,
                overdue_label=_("menunggu lebih dari %(days)s hari") % {"days": REVIEW_OVERDUE_DAYS},
                overdue_url=f"{url}?age={REVIEW_OVERDUE_DAYS}",
            )
        )
    return out


def _pemda_queues(user: User, today: dt.date) -> list[QueueCount]:
    """The accounts of the territory that have not reported for the last period whose window closed (from the
    cached reporting rate, the officers' own figures)."""
    period = Period.objects.filter(window_closes__lt=today).order_by("-window_closes").first()
    if period is None:
        return []
    total = cached_rate_table(user=user, period=period, by="province").total
    url = f"{reverse('verification:reporting-rate')}?period={period.pk}"
    return [
        QueueCount(
            _("Laporan %(period)s belum dikirim di wilayah Anda") % {"period": period},
            total.expected - total.submitted,
            url,
        )
    ]


# IKI months looked back on for a result not computed yet (the beat job computes each after the 23rd).
IKI_LOOKBACK_MONTHS = 3


def _iki_queues(user: User, today: dt.date) -> list[QueueCount]:
    """IKI officers: the responses in so far while a window is open (a validator: its divisions' only), and, for
    those who may recompute, the recent months whose window closed without a computed result."""
    queues = []
    window = open_window(today)
    if window is not None:
        responses = IkiResponse.objects.filter(period=window.month)
        if user.role == Role.VALIDATOR:
            responses = responses.filter(kbli2_id__in=user.kbli_divisions.values("pk"))
        queues.append(
            QueueCount(
                _("Respons kuesioner IKI %(month)s masuk (jendela sampai %(closes)s)")
                % {"month": window.label, "closes": window.closes_on.strftime("%d-%m-%Y")},
                responses.count(),
                reverse("iki:officer-dashboard"),
            )
        )
    if user.role in iki_access.RECOMPUTE_ROLES:
        months, month = [], first_of_month(today)
        for _i in range(IKI_LOOKBACK_MONTHS + 1):
            if window_for(month).has_closed(today):
                months.append(month)
            month = previous_month(month)
        months = months[:IKI_LOOKBACK_MONTHS]
        computed = set(IkiResult.objects.filter(period__in=months).values_list("period", flat=True))
        missing = [m for m in months if m not in computed]
        queues.append(
            QueueCount(
                _("Bulan IKI yang jendelanya sudah tutup tetapi hasilnya belum dihitung"),
                len(missing),
                reverse("iki:officer-period", args=[missing[0]])
                if missing
                else reverse("iki:officer-dashboard"),
                overdue=len(missing),
                overdue_label=", ".join(f"{m:%Y-%m}" for m in missing),
            )
        )
    return queues
