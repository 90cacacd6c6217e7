"""Pohon Industri routes (issue 18 §3): the browse page and its downloads are public aggregates (no
role sees more than anonymous does); curated links are kept by Pusdatin administrators and the sector
validators (a Django admin page too)."""

from tests.authz.table import Route

CURATORS = frozenset({"admin", "validator", "validator_other"})


def _link(cast) -> dict:
    from analisis.models import CuratedLink

    link = CuratedLink.objects.create(source_name="Minyak sawit mentah", source_hs="15111000", target_name="Olein", reference="Kajian")
    return {"pk": link.pk}


ROUTES = [
    Route("analisis:pohon", public=True, note="protected counts (analisis.pohon.graph.publishable)"),
    Route(
        "analisis:pohon-download",
        public=True,
        setup=lambda cast: {"table": "hubungan", "fmt": "csv"},
        data=lambda cast: {"kbli": "10"},
        note="exactly a table the page shows; anonymous downloads rate-limited per address",
    ),
    Route("analisis:pohon-curated", allow=CURATORS, note="list and add curated links"),
    Route("analisis:pohon-curated-edit", allow=CURATORS, setup=_link),
    Route("analisis:pohon-curated-delete", allow=CURATORS, method="POST", setup=_link),
]
