"""Bearer-token authentication for partner endpoints. A missing, malformed, unknown, revoked or expired
token is 401 with a message saying which (the partner can act on it); the token row of a revoked or
expired attempt is kept on the request so the call is still logged against it (api/http.py)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from api import tokens
from api.errors import ApiError
from api.models import ApiToken

TOUCH_EVERY = dt.timedelta(minutes=1)


class PartnerToken(HttpBearer):
    openapi_scheme = "bearer"
    openapi_bearerFormat = "siinas_<awalan>_<rahasia>"  # noqa: N815 (ninja's attribute name)

    def __call__(self, request: HttpRequest):
        header = request.headers.get("Authorization", "")
        if not header:
            raise ApiError.unauthorised("token_missing")
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        return authenticate(request, token)


def authenticate(request: HttpRequest, presented: str) -> ApiToken:
    parts = tokens.split(presented)
    if parts is None:
        raise ApiError.unauthorised("token_malformed")
    prefix, secret = parts
    if prefix == tokens.DEMO_PREFIX and settings.PRODUCTION:
        raise ApiError.unauthorised("token_unknown")  # the demo token's secret is published (api/demo.py)
    token = (
        ApiToken.objects.select_related("organisation", "region").filter(prefix=prefix).first()
    )
    if token is None or not tokens.matches(secret, token.secret_sha256):
        raise ApiError.unauthorised("token_unknown")
    request.api_token_attempt = token
    if token.is_revoked:
        raise ApiError.unauthorised("token_revoked")
    if token.is_expired():
        raise ApiError.unauthorised("token_expired")
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


partner_token = PartnerToken()
