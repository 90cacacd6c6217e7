"""GET /api/v1/industry-tree/…: the Pohon Industri, public (protected aggregates; no token needed).

The same builder as the page /analisis/pohon-industri/ (analisis.pohon.selectors.tree): nodes and
edges reached from a product (node id, e.g. ``hs:15111000``) or from the products of a KBLI code,
upstream and/or downstream up to ``depth`` steps; counts of factories are text, ``"<3"`` where fewer
than three factories stand behind them. ``/products`` finds node ids by name or HS code."""

from __future__ import annotations

from typing import Literal

from ninja import Query, Router, Schema
from pydantic import Field

from analisis.pohon import graph as g
from analisis.pohon import selectors
from api.main import PUBLIC

router = Router(tags=["industry-tree"])


class TreeNode(Schema):
    id: str
    name: str
    hs_code: str
    kbli: list[str]
    level: int = Field(description="0: a start node; negative: upstream steps; positive: downstream steps")
    factories: str = Field(description='factories making the product; "<3" when fewer than three')
    directory: str = Field(description="the business-matching directory filtered to this product")


class TreeEdge(Schema):
    source: str
    target: str
    factories: str = Field(description='factories using the source and making the target; "<3"; "–" when only curated')
    origin: Literal["data", "curated", "both"]
    note: str
    reference: str


class Tree(Schema):
    start: list[str]
    nodes: list[TreeNode]
    edges: list[TreeEdge]


class TreeFilter(Schema):
    product: str = Field("", pattern=r"^(hs:\d{8}|nama:[\w ]{1,200})?$", description="a node id from /products")
    kbli: str = Field("", pattern=r"^(\d{2}|\d{5})?$", description="KBLI 2020: a 2-digit division or a 5-digit group")
    direction: Literal["keduanya", "hulu", "hilir"] = "keduanya"
    depth: int = Field(2, ge=1, le=g.MAX_DEPTH)


class ProductMatch(Schema):
    id: str
    name: str
    hs_code: str
    factories: str


@router.get("", response=Tree, url_name="industry-tree", summary="Pohon industri dari satu produk atau KBLI", **PUBLIC)
def industry_tree(request, filters: Query[TreeFilter]):
    """Neither ``product`` nor ``kbli``: an empty tree (use /products to find a start)."""
    query = selectors.Query(product=filters.product, kbli=filters.kbli, direction=filters.direction, depth=filters.depth)
    data = selectors.as_json(selectors.tree(query))
    for node in data["nodes"]:
        node["directory"] = request.build_absolute_uri(node["directory"])
    request.api_rows = len(data["nodes"])
    return data


@router.get("/products", response=list[ProductMatch], url_name="industry-tree-products", summary="Cari produk pohon industri", **PUBLIC)
def industry_tree_products(request, q: str = Query("", max_length=100)):
    """Nodes whose name contains ``q`` or whose HS code starts with it (digits); empty ``q``: none."""
    graph = selectors.published_graph()
    return [ProductMatch(id=n.key, name=n.name, hs_code=n.hs_code, factories=n.makers_text) for n in g.search(graph, q)]
