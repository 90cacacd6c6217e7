"""Dataset ``reports``: the data of validated semester reports (status Tervalidasi) per factory and period,
within the token's scope. A draft, a report waiting for verification or validation and a returned report
are never served: to a partner they do not exist (404)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import CursorPagination, paginate

from api import partner
from api.access import scoped_factories
from api.errors import ApiError
from api.models import Dataset
from api.routers.registry import KBLI, NIB, PROVINCE, REGENCY
from reporting.models import Report, ReportMeasures
from reporting.registry import REPORT_TYPES

router = Router(tags=["reports"])


class Measures(Schema):
    """The headline measures of the report (null when the report type has no such section)."""

    workforce: int | None = Field(description="Tenaga kerja (orang)")
    investment_industry: Decimal | None = Field(description="Investasi industri (Rp)")
    investment_estate: Decimal | None = Field(description="Investasi kawasan industri (Rp)")
    production: Decimal | None = Field(description="Nilai produksi (Rp)")
    export: Decimal | None = Field(description="Nilai ekspor (Rp)")
    utilisation: Decimal | None = Field(description="Utilisasi kapasitas (%)")


class ReportFactory(Schema):
    id: int
    nib: str
    company: str
    name: str
    regency: str
    province: str


class ReportOut(Schema):
    id: int
    factory: ReportFactory
    period: str = Field(description="mis. 2026-S1")
    report_type: str
    report_type_title: str
    validated_at: dt.datetime
    measures: Measures | None

    @staticmethod
    def resolve_factory(obj: Report) -> dict:
        f = obj.factory
        return {"id": f.pk, "nib": f.company.nib, "company": f.company.name, "name": f.name, "regency": f.region_id, "province": f.region.province_id}

    @staticmethod
    def resolve_period(obj: Report) -> str:
        return partner.period_code(obj.period)

    @staticmethod
    def resolve_report_type_title(obj: Report) -> str:
        return str(REPORT_TYPES[obj.report_type].title)

    @staticmethod
    def resolve_measures(obj: Report) -> ReportMeasures | None:
        try:
            return obj.measures
        except ReportMeasures.DoesNotExist:
            return None


class Section(Schema):
    code: str
    title: str
    fields: dict[str, Any] | None = Field(description="Isian bagian (null bila tidak diisi)")
    tables: dict[str, list[dict[str, Any]]] = Field(description="Tabel berulang bagian ini, per nama tabel")


class ReportDetail(ReportOut):
    version: int | None = Field(description="Versi laporan yang divalidasi")
    content_hash: str | None = Field(description="SHA-256 isi versi itu (sama dengan Tanda Terima)")
    sections: list[Section]

    # The view puts ``partner.report_data`` on the report as ``api_data`` (``sections`` is a related name).
    @staticmethod
    def resolve_version(obj: Report) -> int | None:
        return obj.api_data["version"]

    @staticmethod
    def resolve_content_hash(obj: Report) -> str | None:
        return obj.api_data["content_hash"]

    @staticmethod
    def resolve_sections(obj: Report) -> list[dict]:
        return obj.api_data["sections"]


class ReportFilters(Schema):
    period: str | None = Field(None, description="mis. 2026-S1 (semester) atau 2026-Q2 (triwulan)")
    province: str | None = Field(None, pattern=PROVINCE)
    regency: str | None = Field(None, pattern=REGENCY)
    kbli: str | None = Field(None, pattern=KBLI)
    nib: str | None = Field(None, pattern=NIB)
    report_type: str | None = Field(None, description="Kode jenis laporan, mis. industri_produksi")
    validated_since: dt.datetime | None = Field(None, description="Hanya laporan yang divalidasi sejak waktu ini (ISO 8601)")


@router.get("/reports/", response=list[ReportOut], url_name="reports", summary="Laporan tervalidasi dalam cakupan token")
@paginate(CursorPagination, ordering=("id",))
def reports(request, filters: Query[ReportFilters]):
    scope = partner.filter_factories(
        scoped_factories(request.auth, Dataset.REPORTS),
        province=filters.province,
        regency=filters.regency,
        kbli=filters.kbli,
        nib=filters.nib,
    )
    qs = partner.validated_reports(scope)
    if filters.period:
        qs = qs.filter(period=partner.period_from_code(filters.period))
    if filters.report_type:
        if filters.report_type not in REPORT_TYPES:
            raise ApiError.invalid("report_type", _("Jenis laporan tidak dikenal."))
        qs = qs.filter(report_type=filters.report_type)
    if filters.validated_since:
        qs = qs.filter(validated_at__gte=filters.validated_since)
    return qs


@router.get("/reports/{int:report_id}", response=ReportDetail, url_name="report", summary="Isi satu laporan tervalidasi")
def report(request, report_id: int):
    found = partner.validated_reports(scoped_factories(request.auth, Dataset.REPORTS)).filter(pk=report_id).first()
    if found is None:
        raise ApiError.not_found()
    found.api_data = partner.report_data(found)
    return found
