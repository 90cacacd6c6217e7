"""``{% number_marks %}``: the page language's decimal and group marks as data attributes for static/js/numbers.js.

The script groups digits as they are typed and sums fields live; it takes the marks from the server
(``siinas.lib.numbers.separators``) rather than guessing them from the browser's locale.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from siinas.lib.numbers import separators

register = template.Library()


@register.simple_tag
def number_marks() -> str:
    decimal, group = separators()
    return format_html(' data-decimal-mark="{}" data-group-mark="{}"', decimal, group)
