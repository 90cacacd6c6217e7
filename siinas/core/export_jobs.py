"""Large exports built by a worker: asked for on a page, downloaded from "Ekspor saya" (``ExportJob``).

Writing a spreadsheet costs time in proportion to its rows (xlsxwriter: ≈ 0.15 ms a row of 16 cells,
issue 14), so an export of thousands of rows would hold a web process for half a second or more.
An export of more than ``SYNC_ROWS`` rows is therefore *asked for* (a POST): the job is written with its
task in one transaction (the outbox delivers the task after the commit; in the embedded default it runs
at once), the worker builds the file with the owner's scope re-applied, and the owner downloads it from
"Ekspor saya" for ``KEEP_DAYS`` days. Smaller exports are still answered directly.

A builder is registered by kind in ``BUILDERS`` (a dotted path, so core does not import the apps):
``builder(owner, fmt, params) -> (filename, rows, content bytes, content type)``; it raises
``PermissionDenied`` when the owner may no longer see the data (the job then fails with that message).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from siinas.core import outbox
from siinas.core.models import ExportJob

log = logging.getLogger("siinas.exports")

# Exports of more rows than this are built by a worker.
SYNC_ROWS = 1000
# A finished export can be downloaded for this many days; then it is deleted (``prune``).
KEEP_DAYS = 7
# Unfinished requests one person may have at once (a repeat of the same request is the same job).
MAX_OPEN = 5
# A job "being built" for longer than this was lost with its worker: it is marked failed when its owner
# asks again, so the request can be made anew.
STALLED_AFTER = timedelta(minutes=30)

BUILDERS = {
    "pemda.companies": "pemda.selectors.territory.company_export_file",
}

OPEN = (ExportJob.Status.PENDING, ExportJob.Status.RUNNING)


class TooManyOpen(Exception):
    """The owner already has ``MAX_OPEN`` exports waiting."""


def request_export(*, owner, kind: str, fmt: str, params: str, title: str, rows: int | None = None) -> ExportJob:
    """Record the export and its task in one transaction. The same request while one is open returns it."""
    if kind not in BUILDERS:
        raise ValueError(f"unknown export kind {kind!r}")
    with transaction.atomic():
        ExportJob.objects.filter(
            owner=owner, status=ExportJob.Status.RUNNING, created_at__lt=timezone.now() - STALLED_AFTER
        ).update(status=ExportJob.Status.FAILED, error=_("Ekspor terhenti. Silakan minta ulang."), finished_at=timezone.now())
        open_jobs = list(ExportJob.objects.select_for_update().filter(owner=owner, status__in=OPEN))
        for job in open_jobs:
            if (job.kind, job.fmt, job.params) == (kind, fmt, params):
                return job
        if len(open_jobs) >= MAX_OPEN:
            raise TooManyOpen
        job = ExportJob.objects.create(owner=owner, kind=kind, fmt=fmt, params=params, title=title, rows=rows)
        outbox.task_enqueue("core.build_export", args=[job.pk], dedupe_key=f"export-{job.pk}")
    return job


def build(job_id: int) -> bool:
    """The worker's side: build the file of a waiting job (a job already taken or done is left alone)."""
    with transaction.atomic():
        job = next(iter(ExportJob.objects.select_for_update().filter(pk=job_id, status=ExportJob.Status.PENDING)), None)
        if job is None:
            return False
        job.status = ExportJob.Status.RUNNING
        job.save(update_fields=["status"])
    try:
        filename, rows, content, _content_type = import_string(BUILDERS[job.kind])(job.owner, job.fmt, job.params)
    except PermissionDenied:
        return _fail(job, _("Akses Anda ke data ini tidak berlaku lagi."))
    except Exception:
        log.exception("export %s (%s) failed", job.pk, job.kind)
        return _fail(job, _("Ekspor gagal disiapkan. Silakan minta ulang; bila terulang, hubungi admin."))
    job.file.save(filename, ContentFile(content), save=False)
    job.filename, job.rows = filename, rows
    job.status, job.finished_at = ExportJob.Status.DONE, timezone.now()
    job.save(update_fields=["file", "filename", "rows", "status", "finished_at"])
    return True


def _fail(job: ExportJob, message: str) -> bool:
    job.status, job.error, job.finished_at = ExportJob.Status.FAILED, message, timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    return False


def jobs_of(owner):
    """The owner's exports of the last ``KEEP_DAYS`` days, newest first."""
    since = timezone.now() - timedelta(days=KEEP_DAYS)
    return ExportJob.objects.filter(owner=owner, created_at__gte=since).order_by("-created_at", "-id")


def prune(*, days: int = KEEP_DAYS) -> int:
    """Delete exports older than ``days`` days with their files (beat, nightly). Returns how many."""
    done = 0
    for job in ExportJob.objects.filter(created_at__lt=timezone.now() - timedelta(days=days)).iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        done += 1
    return done
