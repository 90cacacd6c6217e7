"""The NinjaAPI instance of /api/v1/: error bodies, authentication and rate limits for every router.

Routers live in ``api/routers/<dataset>.py`` and are added in ``ROUTERS`` below. Public endpoints use
``auth=None, throttle=[AddressThrottle()]`` (see ``PUBLIC``); partner endpoints inherit the API's
default token auth and ``TokenThrottle``."""

from __future__ import annotations

import logging

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from api.auth import partner_token
from api.errors import ApiError, error_response, from_validation
from api.throttles import AddressThrottle, TokenThrottle

log = logging.getLogger(__name__)

DESCRIPTION = """API SIINas untuk mitra (K/L, pemerintah daerah, asosiasi) dan publik.

* **Publik, tanpa token:** IKI bulanan dan statistik industri agregat (dengan kendali pengungkapan).
* **Mitra, dengan token:** registri pabrik, data laporan tervalidasi, dan kepatuhan pelaporan per NIB,
  sebatas cakupan token (dataset × wilayah × golongan pokok KBLI) sesuai MoU.

Kirim token sebagai `Authorization: Bearer siinas_<awalan>_<rahasia>`. Setiap galat berbentuk
`{"error": {"status", "code", "message", "details"}}`. Panduan: docs/api.md.
"""

api = NinjaAPI(
    title="SIINas API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=partner_token,
    throttle=[TokenThrottle()],
    openapi_url="/openapi.json",
    docs_url="/docs",
)

PUBLIC = {"auth": None, "throttle": [AddressThrottle()]}


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    return error_response(exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return error_response(401, "token_missing")


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error_response(404, "not_found")


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    return error_response(400, "invalid_parameters", details=from_validation(exc.errors))


@api.exception_handler(Throttled)
def _throttled(request, exc: Throttled):
    return error_response(429, "rate_limited")


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    code = {404: "not_found", 405: "method_not_allowed", 429: "rate_limited"}.get(exc.status_code, "invalid_parameters")
    return error_response(exc.status_code, code)


@api.exception_handler(Exception)
def _server_error(request, exc: Exception):
    log.exception("api: unhandled error on %s", request.path)
    return error_response(500, "server_error", _("Terjadi kesalahan di server; coba lagi nanti."))


def _register() -> None:
    from api.routers import ROUTERS

    for prefix, router in ROUTERS:
        api.add_router(prefix, router)


_register()
