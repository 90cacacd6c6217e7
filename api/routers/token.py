"""GET /api/v1/token: what the presented token may read (any valid token; a partner's first call)."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

router = Router(tags=["token"])


class TokenScope(Schema):
    organisation: str
    name: str
    prefix: str
    datasets: list[str]
    region: str | None
    region_name: str | None
    kbli_divisions: list[str]
    rate_per_minute: int
    expires_on: dt.date


@router.get("", response=TokenScope, url_name="token", summary="Cakupan token yang dipakai")
def token_scope(request):
    token = request.auth
    return TokenScope(
        organisation=token.organisation.name,
        name=token.name,
        prefix=token.prefix,
        datasets=list(token.datasets),
        region=token.region_id,
        region_name=token.region.name if token.region_id else None,
        kbli_divisions=sorted(token.kbli_divisions.values_list("code", flat=True)),
        rate_per_minute=token.rate_per_minute,
        expires_on=token.expires_on,
    )
