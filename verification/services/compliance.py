"""Compliance writes: plan the reminders and warning letters due today, and send each one exactly once.

Two steps, so that re-running, two beat instances, or a worker killed mid-run never duplicates or
skips a notice (issue 5 §7):

1. ``compliance_plan`` inserts one row per factory, period and level that is due
   (``bulk_create(ignore_conflicts=True)`` against the unique constraint: a second planner inserts
   nothing) and returns every row still unsent — including rows a crashed run left behind.
2. ``reminder_send`` / ``warning_letter_send`` lock one row, return at once if it is already sent
   (the ``sent_at IS NULL`` guard), and otherwise number, render, store the PDF, mark it sent and
   record its e-mail in the outbox, all in one transaction. Nothing leaves the system before that
   commit: a failure at any step rolls back number, marker and e-mail together (the next run numbers
   it again, so no number is ever seen twice or skipped), and the PDF is written under a name fixed by
   the letter's id and removed when the transaction does not commit, so no orphaned file remains.
   The e-mail is delivered after the commit by the outbox (siinas/core/outbox.py), with retries and a
   stable Message-ID (``letter-<pk>``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Factory, User
from reporting.models import Period, Report
from reporting.obligation import accounts_owing, owes
from reporting.registry import REPORT_TYPES
from siinas.lib.audit import audit
from siinas.lib.emails import queue_email
from siinas.lib.pdf import render_pdf
from siinas.lib.uploads import private_storage
from verification.models import LetterCounter, Reminder, WarningLetter
from verification.scheduling import (
    REMINDER_DAYS_BEFORE_CLOSE,
    Level,
    due_level,
    format_letter_number,
    letter_deadline,
)

# Periods older than this are no longer followed up (SP3 falls at about three months after close).
FOLLOW_UP_DAYS = 365
LEGAL_BASIS = (
    "Undang-Undang Nomor 3 Tahun 2014 tentang Perindustrian, Pasal 64 (kewajiban menyampaikan Data "
    "Industri melalui SIINas) dan Pasal 65 (sanksi administratif);",
    "Peraturan Pemerintah Nomor 2 Tahun 2017 tentang Pembangunan Sarana dan Prasarana Industri;",
    "Peraturan Menteri Perindustrian Nomor 2 Tahun 2019 tentang Tata Cara Penyampaian Data Industri, "
    "Data Kawasan Industri, Data Lainnya, Informasi Industri, dan Informasi Lainnya melalui SIINas.",
)
LETTER_TITLES = {
    Level.SP1: "Surat Peringatan Pertama (SP1) Kewajiban Penyampaian Laporan Industri",
    Level.SP2: "Surat Peringatan Kedua (SP2) Kewajiban Penyampaian Laporan Industri",
    Level.SP3: "Surat Peringatan Ketiga (SP3) Kewajiban Penyampaian Laporan Industri",
}
SIGNATORY = "Kepala Pusat Data dan Informasi"
PERIODIC_TYPES = tuple(code for code, spec in REPORT_TYPES.items() if spec.periodic)


@dataclass(frozen=True)
class Notice:
    """One unsent row for the delivery step: ``kind`` is "reminder" or "letter"."""

    kind: str
    pk: int


def submitted_factory_ids(period: Period) -> QuerySet:
    """Factories with a periodic report for ``period`` submitted at least once (a subquery)."""
    return Report.objects.filter(
        period=period, report_type__in=PERIODIC_TYPES, first_submitted_at__isnull=False
    ).values("factory_id")


def expected_factories(period: Period) -> QuerySet[Factory]:
    """The accounts that owe ``period`` a periodic report: the obligation rule's SQL face
    (``reporting.obligation.accounts_owing``), under its former name."""
    return accounts_owing(period)


def factory_expected(factory: Factory, period: Period) -> bool:
    """Does ``factory`` owe ``period`` a periodic report: the rule's one-account face
    (``reporting.obligation.owes``), under its former name."""
    return bool(owes(factory, period))


def followed_up_accounts(period: Period) -> QuerySet[Factory]:
    """The accounts the letters follow up for ``period``: those that owe it (the obligation rule,
    ``reporting.obligation``) and are still active today — an account deactivated after the window closed
    still owes the period (the rate keeps counting it), but a letter cannot ask a closed account to file."""
    return accounts_owing(period).filter(status=Factory.Status.ACTIVE)


def factory_has_submitted(factory_id: int, period_id: int) -> bool:
    return Report.objects.filter(
        factory_id=factory_id, period_id=period_id, report_type__in=PERIODIC_TYPES, first_submitted_at__isnull=False
    ).exists()


def _sent_dates(model, period: Period) -> dict[int, dict[Level, dt.date]]:
    sent: dict[int, dict[Level, dt.date]] = defaultdict(dict)
    rows = model.objects.filter(period=period, sent_at__isnull=False).values_list("factory_id", "level", "sent_at")
    for factory_id, level, sent_at in rows:
        sent[factory_id][Level(level)] = timezone.localdate(sent_at)
    return sent


def periods_followed_up(today: dt.date) -> QuerySet[Period]:
    """Periods whose reminder span has begun and whose window closed less than a year ago."""
    first_reminder = max(REMINDER_DAYS_BEFORE_CLOSE.values())
    return Period.objects.filter(
        window_closes__lte=today + dt.timedelta(days=first_reminder),
        window_closes__gte=today - dt.timedelta(days=FOLLOW_UP_DAYS),
    )


def compliance_plan(*, today: dt.date) -> list[Notice]:
    """Insert the notices due on ``today`` and return every notice not yet sent (ids only).

    Called by the daily beat job (``verification.tasks.run_compliance``); safe to call any number of
    times and from two processes at once. Writes Reminder / WarningLetter rows with ``sent_at`` empty.
    """
    with transaction.atomic():
        for period in periods_followed_up(today):
            _plan_period(period, today)
    pending = [
        Notice("reminder", pk)
        for pk in Reminder.objects.filter(sent_at__isnull=True, cancelled_at__isnull=True).order_by("pk").values_list("pk", flat=True)
    ]
    pending += [
        Notice("letter", pk)
        for pk in WarningLetter.objects.filter(sent_at__isnull=True, cancelled_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    ]
    return pending


def _plan_period(period: Period, today: dt.date) -> None:
    missing = followed_up_accounts(period).exclude(pk__in=submitted_factory_ids(period))
    sent_reminders = _sent_dates(Reminder, period)
    sent_letters = _sent_dates(WarningLetter, period)
    reminders: list[Reminder] = []
    letters: list[WarningLetter] = []
    for factory_id in missing.values_list("pk", flat=True).iterator(chunk_size=2000):
        sent = sent_reminders.get(factory_id, {}) | sent_letters.get(factory_id, {})
        level = due_level(window_closes=period.window_closes, today=today, sent=sent, submitted=False)
        if level is None:
            continue
        if level.is_warning_letter:
            letters.append(WarningLetter(factory_id=factory_id, period=period, level=level.value))
        else:
            reminders.append(Reminder(factory_id=factory_id, period=period, level=level.value))
    Reminder.objects.bulk_create(reminders, ignore_conflicts=True, batch_size=1000)
    WarningLetter.objects.bulk_create(letters, ignore_conflicts=True, batch_size=1000)


def recipients_for(factory: Factory) -> list[str]:
    """The factory's e-mail (as in the NIB) and its company users' addresses, without repeats."""
    addresses = [factory.email, *User.objects.filter(factory=factory, is_active=True).values_list("email", flat=True)]
    seen: dict[str, None] = {}
    for address in addresses:
        if address and address.lower() not in seen:
            seen[address.lower()] = None
    return list(seen)


def _cancel_if_submitted(row: Reminder | WarningLetter, now: dt.datetime) -> bool:
    if factory_has_submitted(row.factory_id, row.period_id):
        row.cancelled_at = now
        row.save(update_fields=["cancelled_at"])
        audit("verification.notice_cancelled", target=row, level=row.level, reason="report submitted")
        return True
    return False


@transaction.atomic
def reminder_send(*, reminder_id: int) -> bool:
    """E-mail one planned reminder; True when it was sent by this call.

    Called by the ``verification.send_notice`` task. Locks the row; returns False when the row is
    already sent or cancelled, or the factory has submitted meanwhile (then it is cancelled). The
    e-mail is recorded in the outbox in the same transaction (``sent_at`` = handed to the outbox).
    """
    reminder = (
        Reminder.objects.select_for_update(of=("self",))
        .select_related("factory__company", "period")
        .filter(pk=reminder_id, sent_at__isnull=True, cancelled_at__isnull=True)
        .first()
    )
    if reminder is None:
        return False
    now = timezone.now()
    if _cancel_if_submitted(reminder, now):
        return False
    to = recipients_for(reminder.factory)
    period = reminder.period
    queue_email(
        "verification-reminder",
        to=to,
        context={
            "factory": reminder.factory,
            "period": period,
            "days_left": (period.window_closes - timezone.localdate(now)).days,
            "window_closes": period.window_closes,
        },
        dedupe_key=f"reminder-{reminder.pk}",
    )
    reminder.sent_at = now
    reminder.email_to = ", ".join(to)[:500]
    reminder.save(update_fields=["sent_at", "email_to"])
    audit("verification.reminder_sent", target=reminder, level=reminder.level, to=to)
    return True


def _next_number(level: Level, issued_on: dt.date) -> str:
    LetterCounter.objects.bulk_create([LetterCounter(year=issued_on.year, level=level.value)], ignore_conflicts=True)
    counter = LetterCounter.objects.select_for_update().get(year=issued_on.year, level=level.value)
    counter.last += 1
    counter.save(update_fields=["last"])
    return format_letter_number(sequence=counter.last, level=level, issued_on=issued_on)


def letter_context(letter: WarningLetter) -> dict:
    """What the letterhead template needs (also used by the demo and the PDF test)."""
    level = Level(letter.level)
    previous = list(
        WarningLetter.objects.filter(
            factory_id=letter.factory_id, period_id=letter.period_id, sent_at__isnull=False, level__lt=letter.level
        ).order_by("level")
    )
    return {
        "letter": letter,
        "factory": letter.factory,
        "title": LETTER_TITLES[level],
        "title_short": WarningLetter.Kind(letter.level).label,
        "period_label": f"{letter.period} ({letter.period.start:%d-%m-%Y} s.d. {letter.period.end:%d-%m-%Y})",
        "window_closes": letter.period.window_closes,
        "legal_basis": LEGAL_BASIS,
        "previous": previous,
        "signatory": SIGNATORY,
        "base_url": settings.SIINAS_BASE_URL,
    }


def letter_pdf_path(letter: WarningLetter) -> str:
    """Where a letter's PDF lives: fixed by its id, so a retry after a crash overwrites, never adds."""
    return f"surat-peringatan/SP{letter.level}-{letter.pk:08d}.pdf"


def _discard_pdf(letter: WarningLetter) -> None:
    path = letter_pdf_path(letter)
    if private_storage.exists(path):
        private_storage.delete(path)


def warning_letter_send(*, letter_id: int) -> bool:
    """Number, render, store and queue the e-mail of one planned warning letter; True when done by this call.

    Called by the ``verification.send_notice`` task. Locks the row; returns False when it is already
    sent or cancelled, or the factory has submitted meanwhile (then it is cancelled). The letter is
    dated today and gives one month to submit. Number, PDF, ``sent_at`` and the outbox e-mail commit
    together; when anything fails (the commit included) the PDF is removed and the error raised.
    """
    letter = None
    try:
        with transaction.atomic():
            letter = (
                WarningLetter.objects.select_for_update(of=("self",))
                .select_related("factory__company", "factory__region", "factory__province", "period")
                .filter(pk=letter_id, sent_at__isnull=True, cancelled_at__isnull=True)
                .first()
            )
            if letter is None:
                return False
            now = timezone.now()
            if _cancel_if_submitted(letter, now):
                _discard_pdf(letter)  # a file a crashed earlier attempt left behind
                return False
            _issue_letter(letter, now)
        return True
    except BaseException:
        if letter is not None:
            _discard_pdf(letter)
        raise


def _issue_letter(letter: WarningLetter, now: dt.datetime) -> None:
    level = Level(letter.level)
    letter.issued_on = timezone.localdate(now)
    letter.deadline = letter_deadline(letter.issued_on)
    letter.number = _next_number(level, letter.issued_on)
    content = render_pdf("pdf/verification-warning-letter.html", letter_context(letter))
    path = letter_pdf_path(letter)
    if private_storage.exists(path):
        private_storage.delete(path)
    letter.pdf.name = private_storage.save(path, ContentFile(content))
    to = recipients_for(letter.factory)
    letter.sent_at = now
    letter.email_to = ", ".join(to)[:500]
    letter.save(update_fields=["issued_on", "deadline", "number", "pdf", "sent_at", "email_to"])
    queue_email(
        "verification-warning-letter",
        to=to,
        context={"letter": letter, "factory": letter.factory, "period": letter.period, "title": LETTER_TITLES[level]},
        stored_attachments=[(letter.download_name, letter.pdf.name, "application/pdf")],
        dedupe_key=f"letter-{letter.pk}",
    )
    audit("verification.letter_sent", target=letter, level=letter.level, number=letter.number, to=to)
