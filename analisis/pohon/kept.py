"""Pohon Industri's protected aggregate, kept in one row (``analisis.KeptTree``) and refreshed in the background.

At national scale (50,000 accounts, ≈ 35,000 factories with a validated production report, 1.4 million
distinct material → product flows) building the aggregate takes seconds of database time, far more than a
page may cost, and the reports' data version it depends on moves every few seconds at a deadline. So, as the
Pemda dashboards' figures (``pemda.figures``):

- the aggregate is counted in the database (``compute``: pairs counted with one row per factory and node,
  ``GROUP BY``), protected with ``siinas.lib.disclosure``, and only what may be published is stored as JSON:
  nodes with their protected counts, the flows of three factories or more, the suppressed flows' keys only
  where a curated link names them (a curated link may show such a flow as "<3"), the name aliases and labels;
- a request reads the row's stamp (one query); each process keeps the graph built from the row it last read
  and parses the payload again only when the row changed;
- with a worker (``background()``, as deployed) a request never builds the tree while a row exists: the row
  is shown as it is at the current data version or younger than ``BACKGROUND_FRESH`` (6 h) whatever the
  version; older, the page shows it with its time ("Angka per … WIB") and asks for a refresh (at most once
  per ``REFRESH_EVERY_SECONDS``, through the outbox);
- without a worker (the embedded default, tests) the row is usable at the current data version and younger
  than ``FRESH_SECONDS``, or younger than ``FRESH_ENOUGH_SECONDS`` whatever the version; else (or with no
  row at all) the request computes and stores it;
- a curated link saved or deleted marks the row stale (the suppressed keys kept depend on the links);
- ``refresh_stale`` (beat, nightly) recomputes the row when the data moved.
"""

from __future__ import annotations

import gc
import json
import logging
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router, transaction
from django.utils import timezone

from analisis.models import CuratedLink, KeptTree
from analisis.pohon import graph as g
from reporting.models import Period, Report, ReportStatus
from reporting.registry import REPORT_TYPES
from reporting.sections.choices import MaterialKind
from reporting.sections.models import CapacityProduct, Material
from reporting.selectors import reports_data_version
from siinas.lib.disclosure import MIN_CONTRIBUTORS

log = logging.getLogger("siinas.analisis")

# Raise when the payload's shape changes: a row of the old shape is then recomputed.
SHAPE = 1
FRESH_SECONDS = 600  # bounds what the data version cannot see (an account's KBLI edited)
FRESH_ENOUGH_SECONDS = 120  # at a deadline the version moves every few seconds: at most one rebuild in this
REFRESH_EVERY_SECONDS = 60
# With a worker, a kept tree is shown until it is this old even when the data moved: the tree is a structural
# view that changes little from one report to the next, and every web process pays seconds to read a new row
# at 50,000 accounts (docs/analisis.md). The nightly refresh and a curated link's change still renew it.
BACKGROUND_FRESH = timedelta(hours=6)
STALE = "stale"  # the version of a row whose curated links changed
# Report types whose product list is production, not a plan (a plant under construction lists what it will make).
PRODUCING_TYPES = tuple(
    code for code, spec in REPORT_TYPES.items() if "kapasitas" in spec.sections and not spec.construction
)
_memo: dict = {}  # this process's graph of the row it last read: {"stamp": computed_at, "graph"}


@dataclass(frozen=True)
class Kept:
    graph: g.Graph
    computed_at: datetime
    refreshing: bool


def background() -> bool:
    """Whether a worker refreshes the aggregate (tasks not run in-process), unless settings say otherwise."""
    explicit = getattr(settings, "ANALISIS_POHON_IN_BACKGROUND", None)
    return (not settings.CELERY_TASK_ALWAYS_EAGER) if explicit is None else bool(explicit)


# --- Counting in the database ------------------------------------------------------------------------------


def _chosen_sql(qn) -> tuple[str, list]:
    """Each factory's latest validated production-stage report that lists products (by period start, then id)."""
    report, period, product = (qn(m._meta.db_table) for m in (Report, Period, CapacityProduct))
    marks = ", ".join(["%s"] * len(PRODUCING_TYPES))
    sql = f"""
        ranked AS (
            SELECT r.id AS id, r.factory_id AS factory,
                   ROW_NUMBER() OVER (PARTITION BY r.factory_id ORDER BY p.start DESC, r.id DESC) AS rn
            FROM {report} r JOIN {period} p ON p.id = r.period_id
            WHERE r.status = %s AND r.report_type IN ({marks})
              AND EXISTS (SELECT 1 FROM {product} c WHERE c.report_id = r.id)
        ),
        chosen AS (SELECT id, factory FROM ranked WHERE rn = 1)"""  # noqa: S608 — names from the models
    return sql, [ReportStatus.VALIDATED, *PRODUCING_TYPES]


def _spellings(cursor, qn) -> list[tuple[str, str, str, int]]:
    """(side, name, HS code, rows) of the chosen reports' products and raw materials."""
    chosen, params = _chosen_sql(qn)
    product, material = qn(CapacityProduct._meta.db_table), qn(Material._meta.db_table)
    cursor.execute(
        f"""WITH {chosen}
        SELECT 'p', c.name, c.hs_code, COUNT(*) FROM {product} c JOIN chosen ON chosen.id = c.report_id
        GROUP BY c.name, c.hs_code
        UNION ALL
        SELECT 'm', m.name, m.hs_code, COUNT(*) FROM {material} m JOIN chosen ON chosen.id = m.report_id
        WHERE m.kind = %s GROUP BY m.name, m.hs_code""",  # noqa: S608
        [*params, MaterialKind.RAW],
    )
    return cursor.fetchall()


def _json_table(vendor: str, what: str) -> str:
    """A JSON parameter as a table: an object's (key, value) or an array's (value)."""
    if vendor == "postgresql":
        return "jsonb_each_text(%s::jsonb)" if what == "object" else "jsonb_array_elements_text(%s::jsonb)"
    return "json_each(%s)"


def _grouped(cursor, qn, vendor: str, names: dict[str, str], curated: set[tuple[str, str]]) -> list[tuple]:
    """('n', node, '', makers), ('k', node, KBLI, makers), ('e', material node, product node, factories): one
    row per factory and node first, then counted. Flows under the count rule are left in the database (the
    protection would hide every one: no flow adds up to anything published) except the curated pairs."""
    chosen, params = _chosen_sql(qn)
    product, material = qn(CapacityProduct._meta.db_table), qn(Material._meta.db_table)
    key_of = "CASE WHEN {t}.hs_code <> '' THEN 'hs:' || {t}.hs_code ELSE n.value END"
    cursor.execute(
        f"""WITH {chosen},
        prod AS (
            SELECT chosen.factory AS f, {key_of.format(t="c")} AS k, c.kbli_code AS kb
            FROM {product} c JOIN chosen ON chosen.id = c.report_id
            LEFT JOIN {_json_table(vendor, "object")} n ON c.hs_code = '' AND n.key = c.name
        ),
        made AS (SELECT DISTINCT f, k FROM prod),
        used AS (
            SELECT DISTINCT chosen.factory AS f, {key_of.format(t="m")} AS k
            FROM {material} m JOIN chosen ON chosen.id = m.report_id
            LEFT JOIN {_json_table(vendor, "object")} n ON m.hs_code = '' AND n.key = m.name
            WHERE m.kind = %s
        )
        SELECT 'n', k, '', COUNT(*) FROM made GROUP BY k
        UNION ALL
        SELECT 'k', k, kb, COUNT(DISTINCT f) FROM prod WHERE kb <> '' GROUP BY k, kb
        UNION ALL
        SELECT 'e', u.k, d.k, COUNT(*) FROM used u JOIN made d ON d.f = u.f AND d.k <> u.k
        GROUP BY u.k, d.k
        HAVING COUNT(*) >= %s OR u.k || '>' || d.k IN (SELECT value FROM {_json_table(vendor, "array")})""",  # noqa: S608
        [*params, json.dumps(names), json.dumps(names), MaterialKind.RAW, MIN_CONTRIBUTORS,
         json.dumps(sorted(f"{s}>{t}" for s, t in curated))],
    )  # fmt: skip
    return cursor.fetchall()


def compute() -> g.Graph:
    """The protected graph of the reported flows, counted in the database: two statements whatever the
    number of reports (the names and HS codes used, then the grouped counts). The same graph as
    ``graph.protect(graph.aggregate(...))`` over every row (tests/analisis/test_pohon_kept.py)."""
    connection = connections[router.db_for_read(CapacityProduct)]
    qn, vendor = connection.ops.quote_name, connection.vendor
    with connection.cursor() as cursor:
        spelled = _spellings(cursor, qn)
        codes: dict[str, set[str]] = defaultdict(set)
        for _side, name, hs, _rows in spelled:
            if hs:
                codes[g.normalise(name)].add(hs)
        aliases = {name: f"hs:{next(iter(hs))}" for name, hs in codes.items() if len(hs) == 1 and name}
        spellings: dict[str, Counter] = defaultdict(Counter)
        names: dict[str, str] = {}  # a name used without an HS code → its node
        for _side, name, hs, rows in spelled:
            key = g.node_key(name, hs, aliases)
            spellings[key][name.strip()] += rows
            if not hs:
                names[name] = key
        curated = {
            (g.node_key(sn, sh, aliases), g.node_key(tn, th, aliases))
            for sh, sn, th, tn in CuratedLink.objects.values_list("source_hs", "source_name", "target_hs", "target_name")
        }
        rows = _grouped(cursor, qn, vendor, names, curated)
    labels = {key: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for key, c in spellings.items()}
    makers = {k: n for kind, k, _x, n in rows if kind == "n"}
    kbli = {(k, code): n for kind, k, code, n in rows if kind == "k"}
    edges = {(s, t): n for kind, s, t, n in rows if kind == "e"}
    counts = g.Counts(names=labels, kbli=kbli, makers=makers, edges=edges, aliases=aliases)
    return g.protect(counts)


# --- The payload ---------------------------------------------------------------------------------------------


def dump(graph: g.Graph) -> str:
    """The published part of ``graph`` as compact JSON (edges by node index)."""
    keys = list(graph.nodes)
    index = {k: i for i, k in enumerate(keys)}
    nodes = [[n.key, n.name, list(n.kbli), n.makers] for n in graph.nodes.values()]
    return json.dumps(
        {
            "shape": SHAPE,
            "nodes": nodes,
            "edges": [[index[e.source], index[e.target], e.factories] for e in graph.edges.values()],
            "suppressed": sorted(graph.suppressed),
            "aliases": graph.aliases,
            "labels": {k: v for k, v in graph.labels.items() if k not in index or graph.nodes[k].name != v},
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def load(payload: str) -> g.Graph | None:
    """The graph of a row's payload, with what requests share worked out (``Graph.prepared``). Hundreds of
    thousands of small objects: the collector is paused meanwhile (each of its passes would walk all of
    them), and edges are filled in directly rather than through the frozen dataclass's checks."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        data = json.loads(payload)
        if data.get("shape") != SHAPE:
            return None
        nodes = {}
        for key, name, kbli, makers in data["nodes"]:
            nodes[key] = g.Node(key=key, name=name, hs_code=key[3:] if key.startswith("hs:") else "", kbli=tuple(kbli), makers=makers)
        keys = list(nodes)
        edges = {}
        new = object.__new__
        for s, t, n in data["edges"]:
            edge = new(g.Edge)
            edge.__dict__.update(source=keys[s], target=keys[t], factories=n, reported=True, curated=False, note="", reference="")
            edges[(edge.source, edge.target)] = edge
        labels = {k: n.name for k, n in nodes.items()} | data["labels"]
        suppressed = frozenset((s, t) for s, t in data["suppressed"])
        graph = g.Graph(nodes, edges, suppressed, data["aliases"], labels)
        graph.downstream(), graph.upstream()
        return graph.prepared()
    except Exception:  # noqa: BLE001 — a row of another code version: compute afresh
        log.info("kept Pohon Industri unreadable; computing afresh", exc_info=True)
        return None
    finally:
        if collecting:
            gc.enable()


# --- Reading and refreshing ----------------------------------------------------------------------------------


def store(version: str) -> tuple[datetime, g.Graph]:
    """Compute and write the row (one row; a second one written by a concurrent first computation is never
    read: the first by key is)."""
    started = time.perf_counter()
    graph = compute()
    ms = round((time.perf_counter() - started) * 1000)
    fields = {"version": version, "computed_at": timezone.now(), "compute_ms": ms, "payload": dump(graph)}
    if not KeptTree.objects.filter(pk=KeptTree.objects.order_by("pk").values("pk")[:1]).update(**fields):
        KeptTree.objects.create(**fields)
    _memo.update(stamp=fields["computed_at"], graph=graph)
    return fields["computed_at"], graph


def kept_graph() -> Kept:
    """The protected graph of the reported flows (module docstring): one query for the data version, one for
    the row's stamp, and the payload only when this process has not read that row yet."""
    version = reports_data_version()
    now = timezone.now()
    row = KeptTree.objects.order_by("pk").only("version", "computed_at").first()
    if row is not None:
        age = now - row.computed_at
        if background():
            # A worker runs: a request never builds the tree while a row exists; it asks for a refresh.
            fresh = row.version != STALE and (row.version == version or age < BACKGROUND_FRESH)
        else:
            fresh = (row.version == version and age < timedelta(seconds=FRESH_SECONDS)) or (
                row.version != STALE and age < timedelta(seconds=FRESH_ENOUGH_SECONDS)
            )
        if fresh or background():
            graph = _read(row)
            if graph is not None:
                if not fresh:
                    request_refresh()
                return Kept(graph, row.computed_at, refreshing=not fresh)
    computed_at, graph = store(version)
    return Kept(graph, computed_at, refreshing=False)


def _read(row: KeptTree) -> g.Graph | None:
    stamp = row.computed_at
    if _memo.get("stamp") == stamp:
        return _memo["graph"]
    payload = KeptTree.objects.filter(pk=row.pk, computed_at=row.computed_at).values_list("payload", flat=True).first()
    graph = load(payload) if payload is not None else None
    if graph is not None:
        _memo.update(stamp=stamp, graph=graph)
    return graph


def forget() -> None:
    """Drop this process's graph and the answers built from it (the next request reads the row again): tests
    and the benchmark's cold view."""
    from analisis.pohon import selectors

    _memo.clear()
    selectors._trees.clear()


def mark_stale() -> None:
    """The curated links changed: the kept row's suppressed keys may be missing one (called in the
    service's transaction; the next view recomputes or asks a worker to)."""
    KeptTree.objects.update(version=STALE)


def request_refresh() -> bool:
    """Ask a worker to recompute the row (at most once per ``REFRESH_EVERY_SECONDS``). Never raises."""
    from siinas.core import outbox

    try:
        if not cache.add("analisis:pohon:refresh", 1, REFRESH_EVERY_SECONDS):
            return False
        with transaction.atomic():
            outbox.task_enqueue("analisis.refresh_pohon")
    except Exception:  # noqa: BLE001 — the page goes on with the graph it has
        log.warning("Pohon Industri: refresh not requested", exc_info=True)
        return False
    return True


def refresh_stale() -> bool:
    """The worker's side (asked for by a page, and nightly): recompute the row when the data moved, a curated
    link changed, or it is older than ``FRESH_SECONDS`` (what the data version cannot see, e.g. an account's
    KBLI edited: the nightly run renews it)."""
    version = reports_data_version()
    row = KeptTree.objects.order_by("pk").only("version", "computed_at").first()
    if row is not None and row.version == version and timezone.now() - row.computed_at < timedelta(seconds=FRESH_SECONDS):
        return False
    store(version)
    return True
