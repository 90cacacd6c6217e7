"""Reads of Pohon Industri: the reported flows of validated reports, aggregated once per data version
and kept in the cache; the curated links read fresh (a handful of rows); the browse request answered
from both. The page, the downloads and the API all call ``tree`` (one data builder, many formats)."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from analisis.models import CuratedLink
from analisis.pohon import graph as g
from reporting.models import ReportStatus
from reporting.registry import REPORT_TYPES
from reporting.sections.choices import MaterialKind
from reporting.sections.models import CapacityProduct, Material
from reporting.selectors import reports_data_version

CACHE_KEY = "analisis:pohon:counts:v1"
STAMP_KEY = "analisis:pohon:stamp:v1"
_memo: dict = {}  # this process's graph of the current aggregate: {"token", "graph"}
CACHE_SECONDS = 600  # bounds what the data version cannot see (an account's KBLI edited)
FRESH_ENOUGH_SECONDS = 120
# Report types whose product list is production, not a plan (a plant under construction lists what it will make).
PRODUCING_TYPES = tuple(
    code for code, spec in REPORT_TYPES.items() if "kapasitas" in spec.sections and not spec.construction
)


def reported_rows() -> tuple[list[g.Row], list[g.Row]]:
    """Products (Kapasitas produksi) and raw materials (Bahan baku, kind "baku") of each factory's latest
    validated production-stage report: two queries whatever the number of reports."""
    products = list(
        CapacityProduct.objects.filter(
            report__status=ReportStatus.VALIDATED, report__report_type__in=PRODUCING_TYPES
        ).values_list(
            "report_id", "report__factory_id", "report__period__start", "name", "hs_code", "kbli_code"
        )
    )
    latest: dict[int, tuple] = {}
    for report_id, factory_id, start, *_rest in products:
        if factory_id not in latest or (start, report_id) > latest[factory_id]:
            latest[factory_id] = (start, report_id)
    chosen = {report_id: factory_id for factory_id, (_start, report_id) in latest.items()}
    materials = Material.objects.filter(
        report__status=ReportStatus.VALIDATED, report__report_type__in=PRODUCING_TYPES, kind=MaterialKind.RAW
    ).values_list("report_id", "name", "hs_code")
    return (
        [
            g.Row(factory=f, name=name, hs_code=hs, kbli=kbli)
            for rid, f, _s, name, hs, kbli in products
            if rid in chosen
        ],
        [g.Row(factory=chosen[rid], name=name, hs_code=hs) for rid, name, hs in materials if rid in chosen],
    )


def data_graph() -> g.Graph:
    """The protected graph of the reported flows, recomputed when a report changes status (the data
    version) — at most once in ``FRESH_ENOUGH_SECONDS``, as the public statistics do: at a deadline the
    version moves every few seconds, and one rebuild (two queries, then aggregation and protection in
    Python) takes seconds at national scale. The aggregate is shared in the cache; each process keeps the
    graph built from it (the token of a small stamp entry says whether its copy is the current one), so a
    request reads only the data version and the stamp."""
    version, now = reports_data_version(), time.time()
    usable = lambda entry: entry is not None and (entry["version"] == version or now - entry["at"] < FRESH_ENOUGH_SECONDS)  # noqa: E731
    stamp = cache.get(STAMP_KEY)
    if usable(stamp) and _memo.get("token") == stamp["token"]:
        return _memo["graph"]
    entry = cache.get(CACHE_KEY)
    if not usable(entry):
        entry = {"version": version, "at": now, "token": uuid.uuid4().hex, "counts": g.aggregate(*reported_rows())}
        cache.set(CACHE_KEY, entry, CACHE_SECONDS)
        cache.set(STAMP_KEY, {k: entry[k] for k in ("version", "at", "token")}, CACHE_SECONDS)
    graph = g.protect(entry["counts"])
    _memo.update(token=entry["token"], graph=graph)
    return graph


def curated_links() -> list[g.Curated]:
    return [
        g.Curated(*row)
        for row in CuratedLink.objects.values_list(
            "source_hs", "source_name", "target_hs", "target_name", "note", "reference"
        )
    ]


def published_graph() -> g.Graph:
    return g.merge(data_graph(), curated_links())


@dataclass
class Query:
    """What the reader asked: a product (node key), a KBLI code (2 or 5 digits), or a search text."""

    product: str = ""
    kbli: str = ""
    text: str = ""
    direction: str = "keduanya"
    depth: int = 2


@dataclass
class Tree:
    query: Query
    view: g.View | None  # None: nothing chosen yet
    matches: list[g.Node]  # search results (or the busiest products when nothing was asked)


def tree(query: Query, graph: g.Graph | None = None) -> Tree:
    graph = graph or published_graph()
    if query.product:
        return Tree(query, g.browse(graph, [query.product], direction=query.direction, depth=query.depth), [])
    if query.kbli:
        return Tree(
            query,
            g.browse(graph, g.by_kbli(graph, query.kbli), direction=query.direction, depth=query.depth),
            [],
        )
    if query.text:
        return Tree(query, None, g.search(graph, query.text))
    return Tree(query, None, busiest(graph))


def busiest(graph: g.Graph, limit: int = 20) -> list[g.Node]:
    """Where to start when nothing was asked: the products with the most published links."""
    degree: dict[str, int] = {}
    for edge in graph.edges.values():
        for key in (edge.source, edge.target):
            degree[key] = degree.get(key, 0) + 1
    ranked = sorted(degree, key=lambda k: (-degree[k], graph.nodes[k].name.casefold(), k))
    return [graph.nodes[k] for k in ranked[:limit]]


# --- Formats of one tree --------------------------------------------------------------------------


def directory_url(node: g.Node) -> str:
    """The business-matching directory filtered to this product: by HS code, or by name when it has none.
    The directory lists only companies that chose to publish (eservice.directory_selectors)."""
    query = {"hs": node.hs_code} if node.hs_code else {"q": node.name}
    return f"{reverse('eservice:directory')}?{urlencode(query)}"


def node_url(node: g.Node, query: Query) -> str:
    return f"{reverse('analisis:pohon')}?{urlencode({'produk': node.key, 'arah': query.direction, 'tingkat': query.depth})}"


def level_label(level: int) -> str:
    if level == 0:
        return _("awal")
    return _("hulu %(n)d") % {"n": -level} if level < 0 else _("hilir %(n)d") % {"n": level}


ORIGIN_LABELS = {"data": "laporan", "curated": "kurasi", "both": "laporan + kurasi"}


def node_header() -> list[str]:
    return [_("Tingkat"), _("Produk"), _("Kode HS"), _("KBLI"), _("Jumlah pabrik pembuat")]


def node_rows(view: g.View) -> list[list]:
    return [
        [level_label(view.level[n.key]), n.name, n.hs_code, " ".join(n.kbli), n.makers_text]
        for n in view.nodes
    ]


def edge_header() -> list[str]:
    return [
        _("Bahan (hulu)"),
        _("Kode HS bahan"),
        _("Hasil olahan (hilir)"),
        _("Kode HS hasil"),
        _("Jumlah pabrik"),
        _("Sumber"),
        _("Rujukan"),
    ]


def edge_rows(view: g.View) -> list[list]:
    nodes = {n.key: n for n in view.nodes}
    return [
        [
            nodes[e.source].name,
            nodes[e.source].hs_code,
            nodes[e.target].name,
            nodes[e.target].hs_code,
            e.factories_text,
            ORIGIN_LABELS[e.origin],
            e.reference,
        ]
        for e in view.edges
    ]


def as_json(tree: Tree) -> dict:
    """The tree as the API and the page's graph script read it (counts already protected: text)."""
    view = tree.view
    if view is None:
        return {"start": [], "nodes": [], "edges": []}
    return {
        "start": view.start,
        "nodes": [
            {
                "id": n.key,
                "name": n.name,
                "hs_code": n.hs_code,
                "kbli": list(n.kbli),
                "level": view.level[n.key],
                "factories": n.makers_text,
                "directory": directory_url(n),
            }
            for n in view.nodes
        ],
        "edges": [
            {
                "source": e.source,
                "target": e.target,
                "factories": e.factories_text,
                "origin": e.origin,
                "note": e.note,
                "reference": e.reference,
            }
            for e in view.edges
        ],
    }
