"""A report's document (its sections' fields and row tables) written in Python (issue 14: the template loop of
``reporting/_document.html`` took ≈ 0.03 ms a cell, most of the report page's rendering at national scale).

``{% report_document document %}`` gives exactly what ``{% include "reporting/_document.html" %}`` gave
(``tests/reporting/test_report_document.py`` compares the two).
"""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext

register = template.Library()


def _cap(value) -> str:
    return conditional_escape(capfirst(str(value)))


@register.simple_tag
def report_document(document) -> SafeString:
    esc = conditional_escape
    out: list[str] = []
    for number, section in enumerate(document, 1):
        code = esc(section.code)
        out.append(
            f'\n<section class="mb-4" aria-labelledby="dok-{code}">\n'
            f'  <h3 class="h6" id="dok-{code}">{number}. {esc(section.title)}</h3>\n  '
        )
        _section_body(out, section)
        out.append("\n</section>\n")
    out.append("\n")
    return mark_safe("".join(out))  # noqa: S308 - every value above went through conditional_escape


@register.simple_tag
def review_section_data(review_section, collapse_after: int = 10) -> SafeString:
    """One section's values for the review page (verification.selectors.ReviewSection): the same fields and
    tables as the report page, each header number with its change against the last accepted report, and a
    table longer than ``collapse_after`` rows showing the rest under a "tampilkan semua" ``<details>``."""
    out: list[str] = []
    _section_body(out, review_section.document, changes=review_section.changes, collapse_after=collapse_after)
    return mark_safe("".join(out))  # noqa: S308 - every value went through conditional_escape


def _change(change) -> str:
    if change is None:
        return ""
    values = {"previous": change.previous, "delta": change.delta, "percent": change.percent}
    if change.percent is None:
        text = gettext("sebelumnya %(previous)s, berubah %(delta)s") % values
    else:
        text = gettext("sebelumnya %(previous)s, berubah %(delta)s (%(percent)s)") % values
    return f' <span class="small text-muted d-block">{conditional_escape(text)}</span>'


def _rows(out: list[str], rows, width: int) -> None:
    esc = conditional_escape
    if rows:
        out.extend("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>" for row in rows)
    else:
        out.append(f'<tr><td colspan="{width}" class="text-muted">{esc(gettext("Tidak ada baris."))}</td></tr>')


def _section_body(out: list[str], section, *, changes=None, collapse_after: int | None = None) -> None:
    """A section's fields (``<dl>``) and row tables; ``changes`` aligned with ``section.fields``."""
    esc = conditional_escape
    if section.fields:
        out.append('<dl class="row small mb-2">')
        changes = changes or ()
        out.extend(
            f'<dt class="col-sm-5 fw-normal text-muted">{_cap(label)}</dt>'
            f'<dd class="col-sm-7 mb-1">{esc(value)}{_change(changes[i] if i < len(changes) else None)}</dd>'
            for i, (label, value) in enumerate(section.fields)
        )
        out.append("</dl>")
    out.append("\n  ")
    for table in section.tables:
        headers = "".join(f'<th scope="col">{_cap(h)}</th>' for h in table.headers)
        shown, rest = table.rows, []
        if collapse_after is not None and len(table.rows) > collapse_after:
            shown, rest = table.rows[:collapse_after], table.rows[collapse_after:]
        out.append(
            '\n  <div class="table-responsive"><table class="table table-sm table-bordered small">\n'
            f"    <caption>{esc(table.title)}</caption>\n"
            f"    <thead><tr>{headers}</tr></thead>\n    <tbody>"
        )
        _rows(out, shown, len(table.headers))
        out.append("</tbody>\n  </table></div>\n  ")
        if rest:
            total, first = len(table.rows), len(shown) + 1
            summary = gettext("Tampilkan semua %(count)s baris (%(rest)s lagi)") % {"count": total, "rest": len(rest)}
            caption = gettext("%(title)s, baris %(first)s–%(last)s") % {"title": table.title, "first": first, "last": total}
            out.append(
                f'<details class="mb-3"><summary>{esc(summary)}</summary>\n'
                '  <div class="table-responsive"><table class="table table-sm table-bordered small">\n'
                f"    <caption>{esc(caption)}</caption>\n"
                f"    <thead><tr>{headers}</tr></thead>\n    <tbody>"
            )
            _rows(out, rest, len(table.headers))
            out.append("</tbody>\n  </table></div>\n</details>\n  ")
