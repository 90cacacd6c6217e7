"""PDF rendering with WeasyPrint from ``templates/pdf/`` (style.md §12: a formatter, not a data source).

Only local resources are fetched: static files are resolved from disk, anything else
(http, https, file outside static) is refused, so a PDF never makes an external call.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation


def _local_only_fetcher():
    # WeasyPrint ≥ 68 takes a URLFetcher instance (a plain function no longer works).
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            # base_url=STATIC_URL makes WeasyPrint ask for "file:///static/…" for relative paths.
            local = url.removeprefix("file://")
            if local.startswith(settings.STATIC_URL) or url.startswith("static:"):
                relative = local.removeprefix("static:").removeprefix(settings.STATIC_URL)
                found = finders.find(relative)
                if found:
                    return super().fetch(Path(found).as_uri(), headers)
            raise ValueError(f"PDF resource refused (only local static files are allowed): {url}")

    return LocalOnlyFetcher(allowed_protocols=("data", "file"))


def render_pdf(template: str, context: dict, *, language: str = "id") -> bytes:
    return html_to_pdf(render_pdf_html(template, context, language=language))


def render_pdf_html(template: str, context: dict, *, language: str = "id") -> str:
    """The HTML a PDF is made from (cheap): its digest identifies the PDF (siinas/lib/generated.py)."""
    with translation.override(language):
        return render_to_string(template, context)


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint, fetching only the project's own static files (the expensive step)."""
    from weasyprint import HTML

    return HTML(string=html, base_url=settings.STATIC_URL, url_fetcher=_local_only_fetcher()).write_pdf()


def pdf_response(content: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
