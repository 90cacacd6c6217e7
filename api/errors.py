"""One JSON error body for every API failure:

    {"error": {"status": 404, "code": "not_found", "message": "Data tidak ditemukan.", "details": [...]}}

``code`` is stable English (partners branch on it); ``message`` is Indonesian, for people."""

from __future__ import annotations

from typing import Any

from django.http import JsonResponse
from django.utils.translation import gettext as _

MESSAGES = {
    "token_missing": "Token tidak ada: kirim header Authorization: Bearer <token>.",
    "token_malformed": "Token tidak berbentuk siinas_<awalan>_<rahasia>.",
    "token_unknown": "Token tidak dikenal.",
    "token_revoked": "Token ini sudah dicabut; minta token baru kepada Pusdatin.",
    "token_expired": "Masa berlaku token ini sudah habis; minta token baru kepada Pusdatin.",
    "not_found": "Data tidak ditemukan.",
    "invalid_parameters": "Parameter permintaan tidak valid.",
    "rate_limited": "Terlalu banyak permintaan; coba lagi setelah beberapa detik.",
    "server_error": "Terjadi kesalahan di server; coba lagi nanti.",
    "method_not_allowed": "Metode HTTP ini tidak didukung untuk alamat ini.",
}

FIELD_MESSAGES = {
    "missing": "Wajib diisi.",
    "int_parsing": "Harus bilangan bulat.",
    "string_pattern_mismatch": "Format tidak sesuai.",
    "enum": "Nilai tidak termasuk pilihan.",
    "literal_error": "Nilai tidak termasuk pilihan.",
    "greater_than_equal": "Nilai terlalu kecil.",
    "less_than_equal": "Nilai terlalu besar.",
    "string_too_long": "Terlalu panjang.",
}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str | None = None, details: list[dict] | None = None):
        super().__init__(code)
        self.status = status
        self.code = code
        self.message = message or _(MESSAGES.get(code, MESSAGES["server_error"]))
        self.details = details or []

    @classmethod
    def unauthorised(cls, code: str) -> ApiError:
        return cls(401, code)

    @classmethod
    def not_found(cls) -> ApiError:
        return cls(404, "not_found")

    @classmethod
    def invalid(cls, field: str, message: str) -> ApiError:
        return cls(400, "invalid_parameters", details=[{"field": field, "message": message}])


def error_response(status: int, code: str, message: str | None = None, details: list[dict] | None = None, **extra: Any):
    body = {"status": status, "code": code, "message": message or _(MESSAGES[code])}
    if details:
        body["details"] = details
    response = JsonResponse({"error": body}, status=status, json_dumps_params={"ensure_ascii": False})
    for header, value in extra.items():
        response[header.replace("_", "-")] = value
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="SIINas"'
    return response


def from_validation(errors: list[dict]) -> list[dict]:
    """pydantic's errors as [{field, message}] in Indonesian."""
    details = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body")]
        details.append(
            {"field": ".".join(loc) or "-", "message": _(FIELD_MESSAGES.get(error.get("type", ""), "Nilai tidak valid."))}
        )
    return details
