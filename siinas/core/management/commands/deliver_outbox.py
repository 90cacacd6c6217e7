"""Deliver the outbox now: what is due, or (``--retry-failed``) also what gave up. For operators:
after a mail-server or broker outage, or to replay one message (``--id``). See docs/operations.md."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from siinas.core import outbox
from siinas.core.models import OutboxMessage


class Command(BaseCommand):
    help = "Deliver pending outbox messages (e-mails and tasks) whose time has come."

    def add_arguments(self, parser):
        parser.add_argument("--retry-failed", action="store_true", help="put failed messages back first")
        parser.add_argument("--all", action="store_true", help="also pending messages still waiting for their next attempt")
        parser.add_argument("--id", type=int, action="append", default=[], help="only this message (repeatable)")
        parser.add_argument("--limit", type=int, default=5000)

    def handle(self, *args, **options):
        rows = OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT)
        if options["id"]:
            rows = rows.filter(pk__in=options["id"])
            if not rows.exists():
                raise CommandError("Tidak ada pesan belum terkirim dengan id tersebut.")
        if options["retry_failed"] or options["id"]:
            rows.filter(status=OutboxMessage.Status.FAILED).update(status=OutboxMessage.Status.PENDING, attempts=0)
        if options["all"] or options["id"]:
            rows.filter(status=OutboxMessage.Status.PENDING).update(next_attempt_at=timezone.now())
        if options["id"]:
            ids = list(rows.values_list("pk", flat=True))
        else:
            ids = outbox.due_ids(limit=options["limit"])
        sent = sum(1 for pk in ids if outbox.deliver(pk))
        state = outbox.backlog()
        self.stdout.write(
            f"sent {sent} of {len(ids)}; pending {state['pending']}, failed {state['failed']}, "
            f"oldest pending {state['oldest_pending_seconds']} s"
        )
