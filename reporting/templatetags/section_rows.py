"""A section table's rows written in Python (issue 14: the template's nested loop over forms and fields cost
about a third of a 50-row section page at national scale).

``{% section_rows formset %}`` gives exactly what the former ``{% for form in formset %}`` loop of
``templates/reporting/section_edit.html`` gave: a ``<td data-label>`` per field, the row's own errors in its
first cell, each field's errors under it (``tests/reporting/test_section_rows.py`` compares the two).
"""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def section_rows(formset) -> SafeString:
    esc = conditional_escape
    out = []
    for form in formset:
        out.append("<tr>")
        first = True
        for field in form:
            out.append(f'<td data-label="{esc(field.label)}">')
            if first:
                out.extend(f'<div class="invalid-feedback d-block report-row-error">{esc(e)}</div>' for e in form.non_field_errors())
                first = False
            out.append(str(field))
            out.extend(f'<div class="invalid-feedback d-block">{esc(e)}</div>' for e in field.errors)
            out.append("</td>")
        out.append("</tr>")
    return mark_safe("".join(out))  # noqa: S308 - labels and errors escaped; widgets are safe HTML
