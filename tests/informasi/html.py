"""Just enough HTML reading for these tests (the standard library's parser; no extra dependency)."""

from __future__ import annotations

from html.parser import HTMLParser


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self.scripts: dict[str, str] = {}
        self.figures: list[dict[str, str]] = []
        self._in_table = self._row = self._cell = self._script = None
        self._figure_text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("data-testid") == "statistics-table":
            self._in_table = True
        elif self._in_table and tag == "tr":
            self._row = []
        elif self._row is not None and tag in ("th", "td"):
            self._cell = []
        elif tag == "script" and attrs.get("type") == "application/json":
            self._script = attrs["id"]
            self.scripts[self._script] = ""
        elif tag == "figure" and "data-province-map" in attrs:
            self.figures.append(attrs)
            self._figure_text = []

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_table = None
        elif tag in ("th", "td") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        elif tag == "script":
            self._script = None
        elif tag == "figure" and self._figure_text is not None:
            self.figures[-1]["text"] = " ".join("".join(self._figure_text).split())
            self._figure_text = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._script:
            self.scripts[self._script] += data
        if self._figure_text is not None:
            self._figure_text.append(data)


def read(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page
