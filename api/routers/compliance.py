"""Dataset ``compliance``: reporting compliance per NIB and per period, within the token's scope — which
periods a factory account owed a report (the obligation rule, reporting/obligation.py), whether and when
it filed, whether it was validated, whether it was late, and the warning letters (SP1–SP3) sent."""

import datetime as dt

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import CursorPagination, paginate

from accounts.models import Factory
from api import partner
from api.access import scoped_factories
from api.errors import ApiError
from api.models import Dataset
from api.routers.registry import KBLI, NIB, PROVINCE, REGENCY, Area

router = Router(tags=["compliance"])


class FilingOut(Schema):
    report_type: str
    status: str = Field(description="konsep | terkirim | pengembalian | terverifikasi | tervalidasi")
    filed_at: dt.datetime | None = Field(description="Pertama dikirim")
    last_filed_at: dt.datetime | None = Field(description="Terakhir dikirim (setelah pengembalian)")
    on_time: bool | None
    validated_at: dt.datetime | None


class LetterOut(Schema):
    level: str = Field(description="SP1 | SP2 | SP3")
    number: str
    issued_on: dt.date
    deadline: dt.date = Field(description="Batas waktu yang diberikan surat")


class PeriodOut(Schema):
    period: str = Field(description="mis. 2026-S1")
    window_closes: dt.date = Field(description="Batas akhir pelaporan periode ini")
    due: bool = Field(description="Wajib lapor periode ini menurut aturan kewajiban")
    report_types_due: list[str]
    filed: bool
    filed_at: dt.datetime | None
    on_time: bool | None
    validated: bool
    validated_at: dt.datetime | None
    late: bool = Field(description="Wajib, dan belum dikirim setelah batas akhir atau dikirim terlambat")
    reports: list[FilingOut]
    warning_letters: list[LetterOut]


class FactoryRef(Schema):
    id: int
    name: str
    regency: Area
    province: Area
    status: str


def _ref(factory: Factory) -> dict:
    return {
        "id": factory.pk,
        "name": factory.name,
        "regency": {"code": factory.region_id, "name": factory.region.name},
        "province": {"code": factory.province_id, "name": factory.province.name},
        "status": factory.status,
    }


class FactoryCompliance(FactoryRef):
    periods: list[PeriodOut]


class NibCompliance(Schema):
    nib: str
    company: str
    periods: list[str]
    factories: list[FactoryCompliance]


class NibPeriods(Schema):
    since: str | None = Field(None, description="Periode semester awal, mis. 2025-S1 (bawaan: 4 semester terakhir)")
    until: str | None = Field(None, description="Periode semester akhir, mis. 2026-S1")


@router.get(
    "/compliance/{nib}",
    response=NibCompliance,
    url_name="compliance-nib",
    summary="Kepatuhan pelaporan satu NIB per akun pabrik dan periode",
)
def compliance_of_nib(request, nib: str, params: Query[NibPeriods]):
    scope = scoped_factories(request.auth, Dataset.COMPLIANCE)
    since = partner.period_from_code(params.since, "since") if params.since else None
    until = partner.period_from_code(params.until, "until") if params.until else None
    periods = partner.compliance_periods(since=since, until=until, today=timezone.localdate())
    rows = partner.compliance_of_nib(scope, nib, periods)
    if not rows:
        raise ApiError.not_found()
    request.api_rows = len(rows)
    return {
        "nib": nib,
        "company": rows[0].factory.company.name,
        "periods": [partner.period_code(p) for p in periods],
        "factories": [{**_ref(row.factory), "periods": row.periods} for row in rows],
    }


class ComplianceRow(FactoryRef):
    nib: str
    company: str
    compliance: PeriodOut


class ComplianceFilters(Schema):
    period: str | None = Field(None, description="mis. 2026-S1 (bawaan: semester terakhir yang jendela pelaporannya sudah dibuka)")
    province: str | None = Field(None, pattern=PROVINCE)
    regency: str | None = Field(None, pattern=REGENCY)
    kbli: str | None = Field(None, pattern=KBLI)
    nib: str | None = Field(None, pattern=NIB)


class CompliancePagination(CursorPagination):
    """Cursor pages whose rows are turned into ``ComplianceRow`` once the page is read (the period's
    reports and letters come prefetched with the page)."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        today = timezone.localdate()
        period = request.api_period
        page[self.items_attribute] = [
            {
                **_ref(f),
                "nib": f.company.nib,
                "company": f.company.name,
                "compliance": partner.period_compliance(f, period, f.period_reports, f.period_letters, today),
            }
            for f in page[self.items_attribute]
        ]
        return page


@router.get(
    "/compliance/",
    response=list[ComplianceRow],
    url_name="compliance",
    summary="Kepatuhan pelaporan per akun pabrik untuk satu periode",
)
@paginate(CompliancePagination, ordering=("id",))
def compliance(request, filters: Query[ComplianceFilters]):
    scope = scoped_factories(request.auth, Dataset.COMPLIANCE)
    if filters.period:
        period = partner.period_from_code(filters.period)
    else:
        periods = partner.compliance_periods(since=None, until=None, today=timezone.localdate())
        if not periods:
            raise ApiError.not_found()
        period = periods[0]
    request.api_period = period
    scope = partner.filter_factories(scope, province=filters.province, regency=filters.regency, kbli=filters.kbli, nib=filters.nib)
    return partner.compliance_list(scope, period)
