"""A lean XLSX writer: the workbook xlsxwriter writes in its constant-memory mode, byte for byte (tested:
tests/core/test_exports.py compares every part but the creation time), at a fraction of its cost.

xlsxwriter spends ≈ 10 µs a cell in Python (a cell object, a format lookup, three regular expressions);
an export of 2,500 accounts × 16 columns took longer to write than to query. Here a cell is one
formatted string. Only what the exports need: sheets of rows, a bold header, numbers, booleans, dates,
text. ``siinas.lib.exports.xlsx_bytes`` decides each cell's kind; this module only writes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable
from typing import Any

from xlsxwriter.theme import THEME_XML_2007
from xlsxwriter.utility import xl_col_to_name

BOLD, DATE, DATETIME = "bold", "date", "datetime"
_NUM_FORMATS = {DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd h:mm:ss"}
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_ESCAPED_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
_NEEDS_WORK = re.compile(r'[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_')
_EDGE_SPACE = re.compile(r"^\s|\s$")
_STRMAX = 32767
_EPOCH = dt.datetime(1899, 12, 31)


def _text(value: str) -> tuple[str, bool]:
    """``value`` escaped as Excel (and xlsxwriter) write it, and whether its white space must be kept."""
    if len(value) > _STRMAX // 2 and len(value.encode("utf-16-le")) // 2 > _STRMAX:
        value = value.encode("utf-16-le")[: 2 * _STRMAX].decode("utf-16-le", "ignore")
    if _NEEDS_WORK.search(value):
        value = _ESCAPED_ESCAPE.sub(r"_x005F\1", value)
        value = _CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", value)
        value = value.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value, bool(_EDGE_SPACE.search(value))


def _serial(value: dt.date) -> float:
    """Excel's serial number of a naive date or datetime (1900 system, with its phantom 29 Feb 1900)."""
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromordinal(value.toordinal())
    delta = moment - _EPOCH
    serial = delta.days + (float(delta.seconds) + float(delta.microseconds) / 1e6) / (60 * 60 * 24)
    if isinstance(value, dt.datetime) and moment.isocalendar() == (1900, 1, 1):
        serial -= 1
    return serial + 1 if serial > 59 else serial


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "&#xA;")


class Workbook:
    """Sheets are added in order; each sheet's cells row by row, left to right (``row`` and ``col`` from 0).

    Cell kinds: ``"s"`` text, ``"n"`` number, ``"b"`` boolean, ``"d"`` date/datetime, ``""`` blank
    (written only with a format). ``fmt`` is None, ``BOLD``, ``DATE`` or ``DATETIME``."""

    def __init__(self) -> None:
        self.sheets: list[tuple[str, str]] = []
        self.styles: list[str] = []  # formats in order of first use: their index is position + 1
        self._cols: list[str] = []

    def _style(self, fmt: str) -> str:
        if fmt not in self.styles:
            self.styles.append(fmt)
        return f' s="{self.styles.index(fmt) + 1}"'

    def _ref(self, col: int) -> str:
        while len(self._cols) <= col:
            self._cols.append(xl_col_to_name(len(self._cols)))
        return self._cols[col]

    def add_sheet(self, title: str, rows: Iterable[Iterable[tuple[str, Any, str | None]]]) -> None:
        """``rows``: per row, its cells as (kind, value, format); the row number is the position."""
        out: list[str] = []
        rmin = rmax = cmin = cmax = None
        for r, cells in enumerate(rows):
            line = []
            n = r + 1
            for c, (kind, value, fmt) in enumerate(cells):
                if kind == "" and fmt is None:
                    continue
                s = self._style(fmt) if fmt else ""
                ref = f"{self._ref(c)}{n}"
                if kind == "s":
                    text, keep = _text(value)
                    space = ' xml:space="preserve"' if keep else ""
                    line.append(f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{text}</t></is></c>')
                elif kind == "n":
                    line.append(f'<c r="{ref}"{s}><v>{value:.16G}</v></c>')
                elif kind == "b":
                    line.append(f'<c r="{ref}"{s} t="b"><v>{1 if value else 0}</v></c>')
                elif kind == "d":
                    line.append(f'<c r="{ref}"{s}><v>{_serial(value):.16G}</v></c>')
                else:
                    line.append(f'<c r="{ref}"{s}/>')
                cmin = c if cmin is None or c < cmin else cmin
                cmax = c if cmax is None or c > cmax else cmax
            if line:
                out.append(f'<row r="{n}">{"".join(line)}</row>')
                rmin = r if rmin is None else rmin
                rmax = r
        if rmin is None:
            dimension = "A1"
        elif rmin == rmax and cmin == cmax:
            dimension = f"{self._ref(cmin)}{rmin + 1}"
        else:
            dimension = f"{self._ref(cmin)}{rmin + 1}:{self._ref(cmax)}{rmax + 1}"
        selected = ' tabSelected="1"' if not self.sheets else ""
        data = f"<sheetData>{''.join(out)}</sheetData>" if out else "<sheetData/>"
        xml = (
            f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><dimension ref="{dimension}"/><sheetViews>'
            f'<sheetView{selected} workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/>{data}'
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
        )
        self.sheets.append((title, xml))

    def _styles_xml(self) -> str:
        dates = [f for f in self.styles if f in _NUM_FORMATS]
        ids = {f: 164 + i for i, f in enumerate(dates)}
        num_fmts = (
            f'<numFmts count="{len(dates)}">'
            + "".join(f'<numFmt numFmtId="{ids[f]}" formatCode="{_NUM_FORMATS[f]}"/>' for f in dates)
            + "</numFmts>"
        ) if dates else ""  # fmt: skip
        font = '<sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>'
        fonts = f"<font>{font}" + (f"<font><b/>{font}" if BOLD in self.styles else "")
        xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>']
        for f in self.styles:
            if f == BOLD:
                xfs.append('<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>')
            else:
                xfs.append(f'<xf numFmtId="{ids[f]}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>')
        return (
            f'{_HEAD}<styleSheet xmlns="{_MAIN}">{num_fmts}<fonts count="{1 + (BOLD in self.styles)}">{fonts}</fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
            '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs><cellStyles count="1"><cellStyle name="Normal" '
            'xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/><tableStyles count="0" '
            'defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/></styleSheet>'
        )

    def parts(self, created: dt.datetime | None = None) -> list[tuple[str, str]]:
        """Every part of the package, in xlsxwriter's order."""
        n = len(self.sheets)
        stamp = (created or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
        ct = "application/vnd.openxmlformats-officedocument"
        types = (
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/docProps/app.xml" ContentType="{ct}.extended-properties+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{ct}.spreadsheetml.styles+xml"/>'
            f'<Override PartName="/xl/theme/theme1.xml" ContentType="{ct}.theme+xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.spreadsheetml.sheet.main+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{ct}.spreadsheetml.worksheet+xml"/>'
                      for i in range(1, n + 1))
            + "</Types>"
        )  # fmt: skip
        pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
        rels = (
            f'{_HEAD}<Relationships xmlns="{pkg}"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
            f'Target="xl/workbook.xml"/><Relationship Id="rId2" Type="{pkg}/metadata/core-properties" '
            f'Target="docProps/core.xml"/><Relationship Id="rId3" Type="{_REL}/extended-properties" '
            'Target="docProps/app.xml"/></Relationships>'
        )
        book_rels = (
            f'{_HEAD}<Relationships xmlns="{pkg}">'
            + "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1))
            + f'<Relationship Id="rId{n + 1}" Type="{_REL}/theme" Target="theme/theme1.xml"/>'
            f'<Relationship Id="rId{n + 2}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'
        )
        workbook = (
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><fileVersion appName="xl" lastEdited="4" '
            'lowestEdited="4" rupBuild="4505"/><workbookPr defaultThemeVersion="124226"/><bookViews><workbookView '
            'xWindow="240" yWindow="15" windowWidth="16095" windowHeight="9660"/></bookViews><sheets>'
            + "".join(f'<sheet name="{_attr(title)}" sheetId="{i}" r:id="rId{i}"/>' for i, (title, _) in enumerate(self.sheets, 1))
            + '</sheets><calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
        )
        core = (
            f'{_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dc:creator></dc:creator><cp:lastModifiedBy></cp:lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">'
            f'{stamp}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
            "</cp:coreProperties>"
        )
        titles = "".join(f"<vt:lpstr>{_text(title)[0]}</vt:lpstr>" for title, _ in self.sheets)
        app = (
            f'{_HEAD}<Properties xmlns="{_REL.replace("relationships", "extended-properties")}" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Microsoft Excel'
            '</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><HeadingPairs><vt:vector size="2" '
            'baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant>'
            f'<vt:i4>{n}</vt:i4></vt:variant></vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="{n}" '
            f'baseType="lpstr">{titles}</vt:vector></TitlesOfParts><Company></Company><LinksUpToDate>false'
            "</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
            "<AppVersion>12.0000</AppVersion></Properties>"
        )
        return [
            ("[Content_Types].xml", types),
            ("_rels/.rels", rels),
            ("xl/_rels/workbook.xml.rels", book_rels),
            *((f"xl/worksheets/sheet{i}.xml", xml) for i, (_, xml) in enumerate(self.sheets, 1)),
            ("xl/workbook.xml", workbook),
            ("xl/styles.xml", self._styles_xml()),
            ("xl/theme/theme1.xml", THEME_XML_2007),
            ("docProps/core.xml", core),
            ("docProps/app.xml", app),
        ]

    def save(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as package:
            for name, xml in self.parts():
                info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                package.writestr(info, xml.encode("utf-8"))
        return buffer.getvalue()
