"""The Pohon Industri graph, without the database: node identity, aggregation of reported flows into
counts of factories, disclosure control of those counts, the merge with curated links, and browsing.

Node identity (docs/analisis.md, "Pohon Industri"): a product or material row is the node of its HS code
(8 digits, BTKI) when it has one: ``hs:15111000``. A row without an HS code is matched by its name,
normalised (case, punctuation and spacing ignored): when rows *with* an HS code used exactly that name for
one HS code only, the row joins that HS node; otherwise it is a node of its own, ``nama:<normalised>``.
Names are never matched loosely (no stemming, no fuzzy match): a wrong merge would invent a flow.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from siinas.lib.disclosure import MIN_CONTRIBUTORS, Entry, protect_table

MAX_DEPTH = 5
DIRECTIONS = (
    "keduanya",
    "hulu",
    "hilir",
)  # both ways, upstream (materials), downstream (products made from it)


def normalise(name: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", name.casefold()).split())


@dataclass(frozen=True)
class Row:
    """One reported row: a product a factory makes (``kbli`` set) or a raw material it uses."""

    factory: int
    name: str
    hs_code: str = ""
    kbli: str = ""


@dataclass
class Counts:
    """The unprotected aggregate (kept in the server cache only, never shown): for each node the factories
    making it, for each edge material → product the factories that use the one and make the other."""

    names: dict[str, str] = field(default_factory=dict)
    kbli: dict[tuple[str, str], int] = field(default_factory=dict)  # (node, KBLI 5-digit) → its makers
    makers: dict[str, int] = field(default_factory=dict)
    edges: dict[tuple[str, str], int] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # normalised name → HS node it joins


def _aliases(rows: Iterable[Row]) -> dict[str, str]:
    """Normalised name → the HS node key, for names used with exactly one HS code."""
    codes: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if row.hs_code:
            codes[normalise(row.name)].add(row.hs_code)
    return {name: f"hs:{next(iter(hs))}" for name, hs in codes.items() if len(hs) == 1 and name}


def node_key(name: str, hs_code: str, aliases: dict[str, str]) -> str:
    if hs_code:
        return f"hs:{hs_code}"
    normal = normalise(name)
    return aliases.get(normal) or f"nama:{normal}"


def aggregate(products: Iterable[Row], materials: Iterable[Row]) -> Counts:
    """Count distinct factories per product node and per material → product edge.

    Each factory's materials are linked to each of its products: the report does not say which material
    goes into which product, so a factory with two materials and two products shows four flows (a
    material → product edge says "factories that use this and make that")."""
    products, materials = list(products), list(materials)
    aliases = _aliases(products + materials)
    spellings: dict[str, Counter] = defaultdict(Counter)
    kbli: dict[tuple[str, str], set[int]] = defaultdict(set)
    made: dict[int, set[str]] = defaultdict(set)
    used: dict[int, set[str]] = defaultdict(set)
    for row in products:
        key = node_key(row.name, row.hs_code, aliases)
        spellings[key][row.name.strip()] += 1
        made[row.factory].add(key)
        if row.kbli:
            kbli[(key, row.kbli)].add(row.factory)
    for row in materials:
        key = node_key(row.name, row.hs_code, aliases)
        spellings[key][row.name.strip()] += 1
        used[row.factory].add(key)
    makers: Counter = Counter(key for keys in made.values() for key in keys)
    edges: Counter = Counter(
        (source, target)
        for factory, targets in made.items()
        for source in used.get(factory, ())
        for target in targets
        if source != target
    )
    names = {key: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for key, c in spellings.items()}
    return Counts(
        names=names,
        kbli={k: len(v) for k, v in kbli.items()},
        makers=dict(makers),
        edges=dict(edges),
        aliases=aliases,
    )


@dataclass(frozen=True)
class Curated:
    source_hs: str
    source_name: str
    target_hs: str
    target_name: str
    note: str = ""
    reference: str = ""


@dataclass(frozen=True)
class Node:
    key: str
    name: str
    hs_code: str
    kbli: tuple[str, ...]
    makers: int | None  # None: suppressed (1 or 2 factories)

    @property
    def makers_text(self) -> str:
        return f"<{MIN_CONTRIBUTORS}" if self.makers is None else str(self.makers)


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    factories: int | None  # None: reported by 1 or 2 factories (shown only because a curated link has it)
    reported: bool  # the reports show this flow (at least one factory)
    curated: bool
    note: str = ""
    reference: str = ""

    @property
    def factories_text(self) -> str:
        if not self.reported:
            return "–"
        return f"<{MIN_CONTRIBUTORS}" if self.factories is None else str(self.factories)

    @property
    def origin(self) -> str:
        return "both" if self.reported and self.curated else ("data" if self.reported else "curated")


@dataclass
class Graph:
    """What may be published: protected counts, suppressed data edges dropped unless curated.

    ``suppressed``: the reported flows of 1–2 factories (their keys only, never their counts), which a
    curated link may show as "<3"; ``labels``: the reported names of every node, shown or not."""

    nodes: dict[str, Node]
    edges: dict[tuple[str, str], Edge]
    suppressed: frozenset[tuple[str, str]] = frozenset()
    aliases: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    _down: dict[str, list[Edge]] | None = field(default=None, repr=False, compare=False)
    _up: dict[str, list[Edge]] | None = field(default=None, repr=False, compare=False)
    # Worked out once per kept graph and shared by the graphs merged from it (a request's): normalised
    # names, and the nodes by number of links (``busiest``) with what the curated links added.
    _normal: dict[str, str] | None = field(default=None, repr=False, compare=False)
    _ranked: list[str] | None = field(default=None, repr=False, compare=False)
    _degree: dict[str, int] | None = field(default=None, repr=False, compare=False)
    _touched: frozenset[str] = field(default=frozenset(), repr=False, compare=False)

    def downstream(self) -> dict[str, list[Edge]]:
        if self._down is None:
            self._down = defaultdict(list)
            for edge in self.edges.values():
                self._down[edge.source].append(edge)
        return self._down

    def upstream(self) -> dict[str, list[Edge]]:
        if self._up is None:
            self._up = defaultdict(list)
            for edge in self.edges.values():
                self._up[edge.target].append(edge)
        return self._up


    def prepared(self) -> Graph:
        """Work out once what the requests reading this (kept) graph share: normalised names, the ranking."""
        if self._normal is None:
            self._normal = {k: normalise(n.name) for k, n in self.nodes.items()}
        if self._ranked is None:
            degree = self.degree()
            self._ranked = sorted(degree, key=lambda k: (-degree[k], self.nodes[k].name.casefold(), k))
        return self

    def normalised(self, key: str) -> str:
        found = self._normal.get(key) if self._normal is not None else None
        return normalise(self.nodes[key].name) if found is None else found

    def degree(self) -> dict[str, int]:
        if self._degree is None:
            self._degree = Counter()
            for edge in self.edges.values():
                self._degree[edge.source] += 1
                self._degree[edge.target] += 1
        return self._degree

    def busiest(self, limit: int) -> list[str]:
        """The ``limit`` nodes with most links (then by name): ranked once per kept graph; a merged graph
        re-ranks only the nodes its curated links touched against the kept ranking's head (an untouched node
        can only be passed by touched ones)."""
        self.prepared()
        degree = self.degree()
        head = self._ranked[: limit + len(self._touched)]
        candidates = set(head) | {k for k in self._touched if degree.get(k)}
        return sorted(candidates, key=lambda k: (-degree[k], self.nodes[k].name.casefold(), k))[:limit]


def protect(counts: Counts) -> Graph:
    """The published graph of the reported flows: counts through siinas.lib.disclosure (count rule; no
    group adds up to a published total, as no total, sub-count or per-KBLI count is published: ``groups=[]``);
    a flow of 1–2 factories is left out (kept in ``suppressed`` for the curated links to find)."""
    hidden_nodes = protect_table([Entry(key=k, n=n, value=n) for k, n in counts.makers.items()], groups=[])
    # A node lists the KBLI codes under which at least three of its makers report it (and is found by them):
    # a code reported by one or two factories would tell that they make it.
    hidden_kbli = protect_table([Entry(key=k, n=n, value=n) for k, n in counts.kbli.items()], groups=[])
    codes: dict[str, list[str]] = defaultdict(list)
    for node_code in sorted(counts.kbli):
        if node_code not in hidden_kbli:
            codes[node_code[0]].append(node_code[1])
    hidden_edges = protect_table([Entry(key=k, n=n, value=n) for k, n in counts.edges.items()], groups=[])
    nodes: dict[str, Node] = {}

    def node(key: str) -> None:
        if key not in nodes:
            nodes[key] = Node(
                key=key,
                name=counts.names.get(key, ""),
                hs_code=key[3:] if key.startswith("hs:") else "",
                kbli=tuple(codes.get(key, ())),
                makers=None if key in hidden_nodes else counts.makers.get(key, 0),
            )

    for key in counts.makers:
        node(key)
    edges: dict[tuple[str, str], Edge] = {}
    for (source, target), n in counts.edges.items():
        if (source, target) not in hidden_edges:
            node(source), node(target)
            edges[(source, target)] = Edge(source, target, factories=n, reported=True, curated=False)
    return Graph(nodes, edges, frozenset(hidden_edges), counts.aliases, counts.names)


def merge(base: Graph, curated: Iterable[Curated]) -> Graph:
    """``base`` with the curated links added (a reported flow that a link also names is one edge, marked
    as both; a suppressed one is shown as "<3"). ``base`` is not changed: it is shared between requests."""
    nodes, edges = dict(base.nodes), dict(base.edges)
    down, up = dict(base.downstream()), dict(base.upstream())
    base.prepared()
    degree, touched = base.degree(), set()
    for link in curated:
        source = node_key(link.source_name, link.source_hs, base.aliases)
        target = node_key(link.target_name, link.target_hs, base.aliases)
        if source == target:
            continue
        for key, name in ((source, link.source_name), (target, link.target_name)):
            if key not in nodes:
                hs = key[3:] if key.startswith("hs:") else ""
                nodes[key] = Node(
                    key=key, name=base.labels.get(key) or name.strip(), hs_code=hs, kbli=(), makers=0
                )
        old = edges.get((source, target))
        if old is not None:
            edge = replace(old, curated=True, note=link.note, reference=link.reference)
        else:
            reported = (source, target) in base.suppressed
            edge = Edge(source, target, factories=None if reported else 0, reported=reported, curated=True,
                        note=link.note, reference=link.reference)  # fmt: skip
            if not touched:
                degree = Counter(degree)  # the kept graph's counts stay as they are
            degree[source] += 1
            degree[target] += 1
            touched |= {source, target}
        edges[(source, target)] = edge
        down[source] = [e for e in down.get(source, ()) if e.target != target] + [edge]
        up[target] = [e for e in up.get(target, ()) if e.source != source] + [edge]
    return Graph(nodes, edges, base.suppressed, base.aliases, base.labels, down, up,
                 base._normal, base._ranked, degree, frozenset(touched | base._touched))  # fmt: skip


def publishable(counts: Counts, curated: Iterable[Curated]) -> Graph:
    """Protect the counts and merge the curated links (``protect`` then ``merge``)."""
    return merge(protect(counts), curated)


@dataclass
class View:
    """The part of the graph a page, a download or the API shows: start nodes, reached nodes and edges,
    in a stable order (nodes by level then name; edges by source then target name)."""

    start: list[str]
    nodes: list[Node]
    edges: list[Edge]
    level: dict[str, int]


def browse(graph: Graph, start: Iterable[str], *, direction: str = "keduanya", depth: int = 2) -> View:
    """Nodes reached from ``start`` going upstream and/or downstream up to ``depth`` steps, and the edges
    walked. Level: 0 for a start node, negative upstream, positive downstream."""
    depth = max(1, min(MAX_DEPTH, depth))
    start = [k for k in dict.fromkeys(start) if k in graph.nodes]
    level: dict[str, int] = dict.fromkeys(start, 0)
    walked: dict[tuple[str, str], Edge] = {}
    for sign, adjacency, far in ((1, graph.downstream(), "target"), (-1, graph.upstream(), "source")):
        if direction == ("hilir" if sign < 0 else "hulu"):
            continue
        frontier = list(start)
        for step in range(1, depth + 1):
            following = []
            for key in frontier:
                for edge in adjacency.get(key, ()):
                    walked[(edge.source, edge.target)] = edge
                    other = getattr(edge, far)
                    if other not in level:
                        level[other] = sign * step
                        following.append(other)
            frontier = following
    nodes = sorted((graph.nodes[k] for k in level), key=lambda n: (level[n.key], n.name.casefold(), n.key))
    names = {n.key: n.name.casefold() for n in nodes}
    edges = sorted(walked.values(), key=lambda e: (names[e.source], names[e.target], e.source, e.target))
    return View(start=start, nodes=nodes, edges=edges, level=level)


def search(graph: Graph, text: str, *, limit: int = 50) -> list[Node]:
    """Nodes whose name contains ``text`` (normalised) or whose HS code starts with it (digits)."""
    text = text.strip()
    if not text:
        return []
    digits = text.replace(".", "")
    if digits.isdigit():
        found = [n for n in graph.nodes.values() if n.hs_code.startswith(digits)]
    else:
        words = normalise(text)
        found = [n for n in graph.nodes.values() if words in graph.normalised(n.key)]
    return sorted(found, key=lambda n: (-(n.makers or 0), n.name.casefold(), n.key))[:limit]


def by_kbli(graph: Graph, code: str) -> list[str]:
    """The nodes made under a KBLI 5-digit code, or under any code of a 2-digit division."""
    return [n.key for n in graph.nodes.values() if any(k.startswith(code) for k in n.kbli)]


def trim(view: View, nodes: int, edges: int) -> View:
    """At most ``nodes`` nodes and ``edges`` edges of ``view``, for drawing and for the page's tables (the
    downloads keep the whole view): the start nodes first, then the nodes with most makers ("<3" counts as
    fewer than any number shown), then by name; the edges between kept nodes with most factories. The order
    of ``view`` is kept. ``view`` itself when it is small enough."""
    if len(view.nodes) <= nodes and len(view.edges) <= edges:
        return view
    start = set(view.start)
    ranked = sorted(view.nodes, key=lambda n: (n.key not in start, -(n.makers or 0), n.name.casefold(), n.key))
    keep = {n.key for n in ranked[:nodes]}
    inside = [e for e in view.edges if e.source in keep and e.target in keep]
    if len(inside) > edges:
        chosen = {id(e) for e in sorted(inside, key=lambda e: (-(e.factories or 0), e.source, e.target))[:edges]}
        inside = [e for e in inside if id(e) in chosen]
    return View(
        start=[k for k in view.start if k in keep],
        nodes=[n for n in view.nodes if n.key in keep],
        edges=inside,
        level={k: v for k, v in view.level.items() if k in keep},
    )
