"""IKI routes: who gets through (tests/authz/table.py).

Public: the release and its PDF/CSV (aggregates only). Companies: their own questionnaire (another
company's response is 404). Individual answers otherwise only for admins (read, never edit).
Officers with the IKI dashboard: verifier, validators, K/L, admin; recompute and publishing a release
revision: verifier and admin (Pusdatin).
"""

from __future__ import annotations

from datetime import date

from django.core.files.base import ContentFile
from django.utils import timezone

from tests.authz.table import Route

COMPANIES = frozenset({"company", "other_company"})
DASHBOARD = frozenset({"verifier", "validator", "validator_other", "kl", "admin"})
RECOMPUTE = frozenset({"verifier", "admin"})
RELEASE = frozenset({"verifier", "admin"})
PUBLISHED = date(2026, 1, 1)


def _published(cast) -> dict:
    """A stored, publishable month (the worked example's aggregates), published as vintage 1."""
    from iki.engine import ResponseRecord, compute_month
    from iki.models import IkiRelease, IkiResult

    rows = [
        ResponseRecord("2026-01", r, "10", w, "tetap", o, p, s, "optimis")
        for r, w, o, p, s in (
            ("A", 100, "meningkat", "tetap", "menurun"),
            ("B", 300, "tetap", "menurun", "tetap"),
            ("C", 50, "menurun", "meningkat", "meningkat"),
        )
    ]
    month = compute_month("2026-01", rows)
    IkiResult.objects.update_or_create(
        period=PUBLISHED,
        defaults={"iki": month.iki, "status": month.status, "respondents": 3, "payload": month.as_stored()},
    )
    IkiRelease.objects.update_or_create(
        period=PUBLISHED,
        vintage=1,
        defaults={"iki": month.iki, "status": month.status, "respondents": 3, "payload": month.as_stored(), "inputs": {}},
    )
    return {"period": "2026-01"}


def _response(cast, *, with_attachment: bool = False) -> dict:
    """factory_a's response for this month's KBLI 10 line (created once, reused by every role)."""
    from iki.models import IkiResponse

    period = timezone.localdate().replace(day=1)
    response = IkiResponse.objects.filter(factory=cast.factory_a, period=period, kbli2_id="10").first()
    if response is None:
        response = IkiResponse.objects.create(
            factory=cast.factory_a,
            period=period,
            kbli2_id="10",
            main_product="Daging beku",
            official_name="Siti",
            official_position="Manajer",
            official_phone="081234567890",
            official_email="siti@contoh.co.id",
            general="tetap",
            orders="tetap",
            production="tetap",
            stock="tetap",
            outlook="tidak_berubah",
        )
    if with_attachment and not response.power_of_attorney:
        from tests.iki.conftest import pdf_bytes

        response.power_of_attorney.save("kuasa.pdf", ContentFile(pdf_bytes()))
    return {"pk": response.pk}


ROUTES = [
    Route("iki:release", public=True, setup=lambda cast: (_published(cast), {})[1]),
    Route("iki:release-pdf", public=True, setup=_published),
    Route("iki:release-csv", public=True, setup=_published),
    Route("iki:response-list", allow=COMPANIES),
    Route("iki:response-create", allow=COMPANIES),
    Route("iki:response-detail", allow=frozenset({"company", "admin"}), hide=frozenset({"other_company"}), setup=_response),
    Route("iki:response-edit", allow=frozenset({"company"}), hide=frozenset({"other_company"}), setup=_response),
    Route(
        "iki:response-attachment",
        allow=frozenset({"company", "admin"}),
        hide=frozenset({"other_company"}),
        setup=lambda cast: _response(cast, with_attachment=True),
    ),
    Route("iki:officer-dashboard", allow=DASHBOARD),
    Route("iki:officer-period", allow=DASHBOARD, setup=_published),
    Route("iki:result-recompute", allow=RECOMPUTE, method="POST", setup=_published),
    Route(
        "iki:release-revise", allow=RELEASE, method="POST", setup=_published, data=lambda cast: {"reason": "Uji hak akses"},
        note="a revision with its reason; the month has no stored responses here, so the page answers with the service's message",
    ),
]
