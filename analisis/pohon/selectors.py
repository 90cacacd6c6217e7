"""Reads of Pohon Industri: the protected aggregate of the reported flows of validated reports, as kept
(``analisis.pohon.kept``); the curated links read fresh (a handful of rows); the browse request answered
from both. The page, the downloads and the API all call ``tree`` (one data builder, many formats)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from analisis.models import CuratedLink
from analisis.pohon import graph as g
from analisis.pohon import kept


def data_graph() -> g.Graph:
    """The protected graph of the reported flows, as kept (``analisis.pohon.kept``: computed in the
    database, refreshed by a worker when the data moved; this process keeps the graph of the row it read)."""
    return kept.kept_graph().graph


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


DRAWN_NODES = 80  # products drawn and listed on the page (the busiest; the downloads hold the whole view)
DRAWN_EDGES = 240
_trees: dict = {}  # this process's answers for the kept graph it holds: {(stamp, curated, query): Tree}
TREES_KEPT = 200


@dataclass
class Tree:
    query: Query
    view: g.View | None  # None: nothing chosen yet
    matches: list[g.Node]  # search results (or the busiest products when nothing was asked)
    as_of: datetime | None = None  # when the kept aggregate was computed
    refreshing: bool = False  # the data moved since: a worker is recomputing it
    shown: g.View | None = None  # what the page draws and lists (``view`` trimmed, ``g.trim``)


def tree(query: Query, graph: g.Graph | None = None) -> Tree:
    """The answer to ``query``; from the kept graph (``graph=None``) it is remembered by this process until
    the kept graph or the curated links change (a view from a KBLI division walks thousands of products)."""
    if graph is not None:
        return _tree(query, graph)
    data, links = kept.kept_graph(), curated_links()
    key = (data.computed_at, tuple(links), query.product, query.kbli, query.text, query.direction, query.depth)
    found = _trees.get(key)
    if found is None:
        if len(_trees) >= TREES_KEPT or any(k[0] != data.computed_at for k in _trees):
            _trees.clear()
        found = _trees[key] = _tree(query, g.merge(data.graph, links), as_of=data.computed_at)
    return replace(found, refreshing=data.refreshing)


def _tree(query: Query, graph: g.Graph, **stamp) -> Tree:
    if query.product:
        view = g.browse(graph, [query.product], direction=query.direction, depth=query.depth)
    elif query.kbli:
        view = g.browse(graph, g.by_kbli(graph, query.kbli), direction=query.direction, depth=query.depth)
    elif query.text:
        return Tree(query, None, g.search(graph, query.text), **stamp)
    else:
        return Tree(query, None, busiest(graph), **stamp)
    return Tree(query, view, [], shown=g.trim(view, DRAWN_NODES, DRAWN_EDGES), **stamp)


def busiest(graph: g.Graph, limit: int = 20) -> list[g.Node]:
    """Where to start when nothing was asked: the products with the most published links."""
    return [graph.nodes[k] for k in graph.busiest(limit)]


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
