"""Dataset ``registry``: the factory registry (one row per factory account, Akun SIINas), within the token's
scope. A NIB (company) may have several accounts, one per factory location: ``/companies/{nib}``."""

import datetime as dt
from typing import Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import CursorPagination, paginate

from accounts.models import Factory
from api import partner
from api.access import scoped_factories
from api.errors import ApiError
from api.models import Dataset

router = Router(tags=["registry"])

PROVINCE = r"^\d{2}$"
REGENCY = r"^\d{2}\.\d{2}$"
KBLI = r"^\d{2}(\d{3})?$"
NIB = r"^\d{13}$"


class Area(Schema):
    code: str
    name: str


class FactoryOut(Schema):
    """A factory account: the company (NIB), its location, classification and account status. No person,
    address, e-mail or phone number (docs/api.md)."""

    id: int
    nib: str
    company: str
    name: str = Field(description="Nama lokasi (pabrik/kawasan), mis. Pabrik Bekasi")
    kbli: list[str] = Field(description="Kode KBLI 5 digit")
    regency: Area
    province: Area
    scale: str = Field(description="kecil | menengah | besar")
    stage: str = Field(description="pembangunan | produksi")
    account_type: str = Field(description="A (industri) | B (kawasan industri) | C | D")
    status: str = Field(description="aktif | nonaktif")
    closed_on: dt.date | None = Field(description="Tanggal dinonaktifkan (akun nonaktif)")
    operating_since: dt.date | None
    registered_on: dt.date = Field(description="Tanggal akun disetujui UPP (Asia/Jakarta)")

    @staticmethod
    def resolve_nib(obj: Factory) -> str:
        return obj.company.nib

    @staticmethod
    def resolve_company(obj: Factory) -> str:
        return obj.company.name

    @staticmethod
    def resolve_kbli(obj: Factory) -> list[str]:
        return [k.code for k in obj.kbli.all()]

    @staticmethod
    def resolve_regency(obj: Factory) -> dict:
        return {"code": obj.region_id, "name": obj.region.name}

    @staticmethod
    def resolve_province(obj: Factory) -> dict:
        return {"code": obj.province_id, "name": obj.province.name}

    @staticmethod
    def resolve_registered_on(obj: Factory) -> dt.date:
        return timezone.localdate(obj.created_at)


class FactoryFilters(Schema):
    province: str | None = Field(None, pattern=PROVINCE, description="Kode provinsi, mis. 32")
    regency: str | None = Field(None, pattern=REGENCY, description="Kode kabupaten/kota, mis. 32.16")
    kbli: str | None = Field(None, pattern=KBLI, description="Golongan pokok (2 digit, mis. 10) atau KBLI 5 digit")
    nib: str | None = Field(None, pattern=NIB)
    status: Literal["aktif", "nonaktif"] | None = None
    scale: Literal["kecil", "menengah", "besar"] | None = None

    def apply(self, qs):
        qs = partner.filter_factories(
            qs, province=self.province, regency=self.regency, kbli=self.kbli, nib=self.nib, status=self.status
        )
        return qs.filter(scale=self.scale) if self.scale else qs


class CompanyOut(Schema):
    nib: str
    name: str
    factories: list[FactoryOut]


@router.get(
    "/factories/",
    response=list[FactoryOut],
    url_name="factories",
    summary="Registri pabrik (akun SIINas) dalam cakupan token",
)
@paginate(CursorPagination, ordering=("id",))
def factories(request, filters: Query[FactoryFilters]):
    scope = scoped_factories(request.auth, Dataset.REGISTRY)
    return partner.registry(filters.apply(scope))


@router.get(
    "/factories/{int:factory_id}",
    response=FactoryOut,
    url_name="factory",
    summary="Satu akun pabrik",
)
def factory(request, factory_id: int):
    found = partner.registry(scoped_factories(request.auth, Dataset.REGISTRY)).filter(pk=factory_id).first()
    if found is None:
        raise ApiError.not_found()
    return found


@router.get(
    "/companies/{nib}",
    response=CompanyOut,
    url_name="company",
    summary="Satu NIB dan akun pabriknya dalam cakupan token",
)
def company(request, nib: str):
    rows = list(partner.registry(scoped_factories(request.auth, Dataset.REGISTRY)).filter(company__nib=nib).order_by("id"))
    if not rows:
        raise ApiError.not_found()  # no account of this NIB in scope: as if it did not exist
    request.api_rows = len(rows)
    return {"nib": nib, "name": rows[0].company.name, "factories": rows}
