"""Home, the signed-in landing page ("Tugas saya" and announcements), the admin's announcement pages,
the health and metrics endpoints and the error pages."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from siinas.core import dev_mail as dev_mail_selectors
from siinas.core import export_jobs, selectors, services, todos
from siinas.core.forms import AnnouncementForm
from siinas.core.health import health_report
from siinas.core.models import Announcement, ExportJob
from siinas.lib import metrics as portal_metrics
from siinas.lib.access import get_scoped_or_404, login_required, role_required
from siinas.lib.audit import audit
from siinas.lib.exports import CSV_TYPE, XLSX_TYPE
from siinas.lib.request_id import get_request_id

EXPORT_TYPES = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE}

logger = logging.getLogger(__name__)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Beranda: "Tugas saya" for the user's role, within its scope, and the announcements for its role."""
    context = {
        "tasks": todos.tasks_for(request.user),
        "announcements": list(selectors.announcements_for(request.user)),
    }
    return render(request, "core/dashboard.html", context)


# --- Announcements (admin) -------------------------------------------------------------------------


def _announcement_page(request: HttpRequest, form: AnnouncementForm, *, status: int = 200) -> HttpResponse:
    context = {"form": form, "announcements": selectors.announcements_for_admin()}
    return render(request, "core/announcement_list.html", context, status=status)


def _announcement_save(
    request: HttpRequest, form: AnnouncementForm, announcement: Announcement | None
) -> Announcement | None:
    """Run the service on a shape-valid form; map its field errors back onto the form (input kept)."""
    if not form.is_valid():
        return None
    try:
        return services.announcement_save(
            actor=request.user, announcement=announcement, request=request, **form.cleaned_data
        )
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return None


@role_required(Role.ADMIN)
@require_GET
def announcement_list(request: HttpRequest) -> HttpResponse:
    return _announcement_page(request, AnnouncementForm())


@role_required(Role.ADMIN)
@require_POST
def announcement_add(request: HttpRequest) -> HttpResponse:
    form = AnnouncementForm(request.POST)
    if _announcement_save(request, form, None) is not None:
        messages.success(request, _("Pengumuman disimpan."))
        return redirect("core:announcement-list")
    return _announcement_page(request, form, status=400)


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def announcement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = get_scoped_or_404(Announcement.objects.prefetch_related("audience"), pk=pk)
    if request.method != "POST":
        form = AnnouncementForm.for_announcement(announcement)
        return render(request, "core/announcement_edit.html", {"form": form, "announcement": announcement})
    form = AnnouncementForm(request.POST)
    if _announcement_save(request, form, announcement) is not None:
        messages.success(request, _("Pengumuman disimpan."))
        return redirect("core:announcement-list")
    return render(
        request, "core/announcement_edit.html", {"form": form, "announcement": announcement}, status=400
    )


@role_required(Role.ADMIN)
@require_POST
def announcement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = get_scoped_or_404(Announcement.objects.all(), pk=pk)
    services.announcement_delete(actor=request.user, announcement=announcement, request=request)
    messages.success(request, _("Pengumuman dihapus."))
    return redirect("core:announcement-list")


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    report = health_report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics for ``Authorization: Bearer <METRICS_TOKEN>``; anyone else, and everyone when
    no token is configured, gets the 404 of a page that does not exist (docs/operations.md "Metrics")."""
    presented = portal_metrics.bearer(request.headers.get("Authorization"))
    if not portal_metrics.token_matches(presented, settings.METRICS_TOKEN):
        raise Http404
    from prometheus_client import CONTENT_TYPE_LATEST

    return HttpResponse(portal_metrics.latest(), content_type=CONTENT_TYPE_LATEST)


def error_403(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


# What is sent if even templates/500.html cannot be rendered (say, a static manifest entry missing).
BARE_500 = (
    '<!DOCTYPE html>\n<html lang="id">\n<head><meta charset="utf-8"><title>Kesalahan server — SIINas</title></head>\n'
    "<body><main><h1>Terjadi kesalahan pada server (500)</h1><p>Maaf, permintaan Anda tidak dapat diproses. "
    'Silakan coba lagi beberapa saat lagi.</p><p><a href="/">Kembali ke beranda</a></p></main></body>\n</html>\n'
)


def error_500(request: HttpRequest) -> HttpResponse:
    """Rendered without the request, as Django's own ``server_error`` is: context processors read the
    user and the session (the menu), which need the database, often the very thing that just failed.
    The request id is passed explicitly: the user quotes it to the helpdesk, who finds it in the logs."""
    request_id = getattr(request, "request_id", None) or get_request_id()
    try:
        body = loader.render_to_string("500.html", {"request_id": request_id})
    except Exception:  # the error page must never fail in its turn
        logger.exception("templates/500.html could not be rendered; sending the bare page")
        body = BARE_500
        if request_id:
            body = body.replace("</main>", f"<p>Kode permintaan: <code>{escape(request_id)}</code></p></main>")
    return HttpResponseServerError(body)


# --- development only: the e-mails the embedded default wrote to var/mail/ (issue 19 §2) ------------


@role_required(Role.ADMIN)
@require_GET
def dev_mail(request: HttpRequest) -> HttpResponse:
    """Admins, outside production: the newest e-mails written as .eml files, with subject and recipients."""
    if settings.PRODUCTION:
        raise Http404
    return render(request, "core/dev_mail.html", {"messages_": dev_mail_selectors.mail_files()})


@role_required(Role.ADMIN)
@require_GET
def dev_mail_file(request: HttpRequest, name: str) -> HttpResponse:
    if settings.PRODUCTION:
        raise Http404
    path = dev_mail_selectors.mail_file(name)
    if path is None:
        raise Http404
    response = FileResponse(path.open("rb"), as_attachment=True, filename=path.name, content_type="message/rfc822")
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Large exports built by a worker ("Ekspor saya") ----------------------------------------------------


@login_required
@require_GET
def export_list(request: HttpRequest) -> HttpResponse:
    """The user's exports of the last days; while one is being built the table refreshes itself (HTMX)."""
    jobs = list(export_jobs.jobs_of(request.user)[:50])
    context = {"jobs": jobs, "building": any(job.status in export_jobs.OPEN for job in jobs), "keep_days": export_jobs.KEEP_DAYS}
    template = "core/_export_rows.html" if request.htmx else "core/exports.html"
    return render(request, template, context)


@login_required
@require_GET
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A finished export, for its owner only (anyone else: 404)."""
    job = get_scoped_or_404(export_jobs.jobs_of(request.user).filter(status=ExportJob.Status.DONE), pk=pk)
    audit("core.export_download", actor=request.user, target=job, request=request, kind=job.kind, rows=job.rows)
    response = FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=EXPORT_TYPES.get(job.fmt, "application/octet-stream")
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

