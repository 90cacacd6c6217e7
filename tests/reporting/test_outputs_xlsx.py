"""A report's XLSX: every section a sheet Excel accepts, numbers as number cells."""

import io

import pytest
from openpyxl import load_workbook

from reporting.outputs import report_sheets
from reporting.selectors import report_snapshot
from siinas.lib.exports import xlsx_bytes
from tests.reporting.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("report_type", ["industri_pembangunan", "kawasan_komersial"])
def test_a_section_title_with_a_slash_becomes_an_acceptable_sheet_title(cast, report_type):
    # "Rencana penggunaan mesin/peralatan", "Perusahaan industri / tenant": openpyxl refused the "/"
    report = ReportFactory(factory=cast.factory_a, report_type=report_type)
    book = load_workbook(io.BytesIO(xlsx_bytes(report_sheets(report, report_snapshot(report)))))
    titles = [str(report.spec.section_title(code)) for code in report.spec.sections]
    assert any("/" in title for title in titles)
    assert len(book.sheetnames) == 1 + len(titles)
    assert all(len(name) <= 31 and "/" not in name for name in book.sheetnames)
