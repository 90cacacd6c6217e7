"""Statistical exchange (issue 15 §5, no token): SDMX-CSV 2.0 data and the SDMX-ML 3.0 structure message of
each public dataflow (api/sdmx.py). One address per dataflow and kind, in the spirit of the SDMX REST API
(``/data/{flow}``, ``/structure/{flow}``), without its full query syntax."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Router

from api import public, sdmx
from api.errors import ApiError
from api.main import PUBLIC

router = Router(tags=["publik: SDMX"])

DATA = {200: {"description": "SDMX-CSV 2.0", "content": {sdmx.DATA_CSV.split(";")[0] + "; version=2.0.0": {"schema": {"type": "string"}}}}}
STRUCTURE = {200: {"description": "SDMX-ML 3.0", "content": {sdmx.STRUCTURE_XML.split(";")[0] + "; version=3.0.0": {"schema": {"type": "string"}}}}}


def _month(field: str, value: str | None):
    if not value:
        return None
    month = public.parse_month(value)
    if month is None:
        raise ApiError.invalid(field, _("Bulan harus berformat YYYY-MM, mis. 2026-11."))
    return month


@router.get(
    "/data/DF_IKI",
    url_name="sdmx-data-iki",
    summary="IKI terbit sebagai SDMX-CSV 2.0 (KEMENPERIN:DF_IKI(1.0))",
    description="Semua bulan terbit (atau `startPeriod`..`endPeriod`, YYYY-MM): nasional (`_T`) dan 23 subsektor × 5 ukuran.",
    openapi_extra={"responses": DATA},
    **PUBLIC,
)
def data_iki(request, startPeriod: str | None = None, endPeriod: str | None = None):  # noqa: N803 (SDMX REST names)
    body = sdmx.iki_csv(_month("startPeriod", startPeriod), _month("endPeriod", endPeriod))
    return sdmx.sdmx_response(body, sdmx.DATA_CSV, "KEMENPERIN_DF_IKI_1.0.csv")


@router.get(
    "/data/DF_INDUSTRI",
    url_name="sdmx-data-industri",
    summary="Statistik industri sebagai SDMX-CSV 2.0 (KEMENPERIN:DF_INDUSTRI(1.0))",
    description=(
        "Tabel halaman Informasi Industri: semua periode yang tersedia, atau `period` (mis. 2026-S1); `province` "
        "memberi baris per golongan pokok KBLI provinsi itu; `kbli` menyaring perusahaan. Sel tersembunyi: "
        "OBS_VALUE kosong, CONF_STATUS C (primer) atau D (sekunder)."
    ),
    openapi_extra={"responses": DATA},
    **PUBLIC,
)
def data_industri(request, period: str | None = None, province: str | None = None, kbli: str | None = None):
    if period:
        found = public.find_period(period)
        if found is None:
            raise ApiError.not_found()
        periods = [found]
    else:
        periods = public.statistics_periods()
    province, kbli = public.statistics_filters(province, kbli)
    return sdmx.sdmx_response(sdmx.industry_csv(periods, province, kbli), sdmx.DATA_CSV, "KEMENPERIN_DF_INDUSTRI_1.0.csv")


@router.get(
    "/structure/DF_IKI",
    url_name="sdmx-structure-iki",
    summary="Struktur data DF_IKI (SDMX-ML 3.0: codelist, konsep, DSD, dataflow)",
    openapi_extra={"responses": STRUCTURE},
    **PUBLIC,
)
def structure_iki(request):
    return sdmx.sdmx_response(sdmx.structure_xml(sdmx.DF_IKI), sdmx.STRUCTURE_XML, "KEMENPERIN_DF_IKI_1.0.xml")


@router.get(
    "/structure/DF_INDUSTRI",
    url_name="sdmx-structure-industri",
    summary="Struktur data DF_INDUSTRI (SDMX-ML 3.0: codelist, konsep, DSD, dataflow)",
    openapi_extra={"responses": STRUCTURE},
    **PUBLIC,
)
def structure_industri(request):
    return sdmx.sdmx_response(sdmx.structure_xml(sdmx.DF_INDUSTRI), sdmx.STRUCTURE_XML, "KEMENPERIN_DF_INDUSTRI_1.0.xml")
