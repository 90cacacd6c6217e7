"""Pohon Industri's kept aggregate (analisis.pohon.kept): counted in the database it is the graph the
Python aggregation gives over every reported row; it is kept in one row, read again only when it changed,
served stale with a worker (which is asked to refresh it) and recomputed inline without one; a curated link
saved makes it stale. The page draws and lists only the busiest products of a large view."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from analisis.models import KeptTree
from analisis.pohon import graph as g
from analisis.pohon import kept, selectors
from analisis.pohon.services import curated_link_save
from reporting.models import ReportStatus
from reporting.sections.choices import MaterialKind
from reporting.sections.models import CapacityProduct, Material
from siinas.core.models import OutboxMessage
from tests.analisis.pohon_fixtures import CPO, GORENG, MARGARIN, OLEIN, STEARIN, chain, key, reported
from tests.factories import FactoryAccountFactory
from tests.reporting.factories import PeriodFactory

pytestmark = pytest.mark.django_db


def reference_rows() -> tuple[list[g.Row], list[g.Row]]:
    """The rows as the first version read them (every row into Python): the reference for ``kept.compute``."""
    products = list(
        CapacityProduct.objects.filter(
            report__status=ReportStatus.VALIDATED, report__report_type__in=kept.PRODUCING_TYPES
        ).values_list("report_id", "report__factory_id", "report__period__start", "name", "hs_code", "kbli_code")
    )
    latest: dict[int, tuple] = {}
    for report_id, factory_id, start, *_rest in products:
        if factory_id not in latest or (start, report_id) > latest[factory_id]:
            latest[factory_id] = (start, report_id)
    chosen = {report_id: factory_id for factory_id, (_start, report_id) in latest.items()}
    materials = Material.objects.filter(
        report__status=ReportStatus.VALIDATED, report__report_type__in=kept.PRODUCING_TYPES, kind=MaterialKind.RAW
    ).values_list("report_id", "name", "hs_code")
    return (
        [g.Row(factory=f, name=n, hs_code=hs, kbli=kb) for rid, f, _s, n, hs, kb in products if rid in chosen],
        [g.Row(factory=chosen[rid], name=n, hs_code=hs) for rid, n, hs in materials if rid in chosen],
    )


ITEMS = [
    ("Minyak sawit mentah (CPO)", "15111000"),
    ("minyak sawit mentah (cpo)", ""),  # joins hs:15111000 by its name
    ("Olein sawit", "15119036"),
    ("OLEIN  sawit", ""),
    ("Stearin sawit", "15119042"),
    ("Margarin", "15171090"),
    ("Margarin", "15171010"),  # a name used with two codes: the row without a code stays a node of its own
    ("margarin", ""),
    ("Gula kristal", ""),
    ("Gula  Kristal", ""),  # two spellings of one name node
    ("Tetes tebu", "17031000"),
]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_counting_in_the_database_gives_the_graph_of_the_python_aggregation(reference_data, admin_user, seed):
    rng = random.Random(seed)
    older, newer = PeriodFactory(year=2025, number=1), PeriodFactory(year=2025, number=2)
    for _ in range(24):
        factory = FactoryAccountFactory()
        for period in rng.sample([older, newer], rng.randint(1, 2)):
            status = rng.choice([ReportStatus.VALIDATED] * 4 + [ReportStatus.SUBMITTED])
            kbli = rng.choice(["10431", "10434", "10437", ""])
            reported(factory, rng.sample(ITEMS, rng.randint(0, 3)), rng.sample(ITEMS, rng.randint(1, 3)),
                     kbli=kbli, status=status, period=period, kind=rng.choice(["baku"] * 5 + ["penolong"]))  # fmt: skip
    curated_link_save(actor=admin_user, data={"source_name": ITEMS[5][0], "source_hs": ITEMS[5][1], "target_name": ITEMS[8][0], "target_hs": "", "reference": "x"})
    curated_link_save(actor=admin_user, data={"source_name": ITEMS[10][0], "source_hs": ITEMS[10][1], "target_name": ITEMS[0][0], "target_hs": ITEMS[0][1], "reference": "x"})
    expected = g.protect(g.aggregate(*reference_rows()))
    found = kept.load(kept.dump(kept.compute()))  # what a process reads back from the row
    assert found.nodes == expected.nodes
    assert found.edges == expected.edges
    assert (found.aliases, found.labels) == (expected.aliases, expected.labels)
    links = selectors.curated_links()
    assert g.merge(found, links).edges == g.merge(expected, links).edges  # the suppressed curated pairs are kept
    assert found.suppressed <= expected.suppressed


def test_the_row_is_read_once_per_process_and_again_when_it_changed(reference_data, django_assert_num_queries):
    chain()
    first = kept.kept_graph()
    assert KeptTree.objects.count() == 1 and not first.refreshing
    with django_assert_num_queries(2):  # data version, the row's stamp
        assert kept.kept_graph().graph is first.graph
    kept.forget()  # a new process: the payload is read once
    with django_assert_num_queries(3):
        again = kept.kept_graph().graph
    assert again.nodes == first.graph.nodes and again.edges == first.graph.edges


def test_with_a_worker_a_stale_row_is_shown_and_a_refresh_asked_for_once(reference_data, settings, client):
    settings.ANALISIS_POHON_IN_BACKGROUND = True
    made = chain()
    computed = kept.kept_graph().computed_at
    reported(made["plants"][0], [OLEIN], [("Minyak goreng premium", "15119038")], period=PeriodFactory(year=2026, number=1))
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        # The data moved, but a tree kept 2 hours ago is shown as it is: no refresh asked, no build.
        assert not kept.kept_graph().refreshing
        assert not OutboxMessage.objects.filter(name="analisis.refresh_pohon").exists()
    with time_machine.travel(timezone.now() + timedelta(hours=7)):
        stale = kept.kept_graph()
        assert stale.refreshing and stale.computed_at == computed
        assert "hs:15119038" not in stale.graph.nodes
        assert OutboxMessage.objects.filter(name="analisis.refresh_pohon").count() == 1
        response = client.get(reverse("analisis:pohon"), {"produk": key(CPO)})
        assert "Angka per" in response.content.decode() and "sedang diperbarui" in response.content.decode()
        assert OutboxMessage.objects.filter(name="analisis.refresh_pohon").count() == 1  # asked once a minute
        assert kept.refresh_stale() is True  # the worker
        assert kept.refresh_stale() is False  # nothing moved since
        fresh = kept.kept_graph()
        assert not fresh.refreshing and fresh.computed_at > computed


def test_without_a_worker_a_stale_row_is_recomputed_by_the_request(reference_data, settings):
    settings.ANALISIS_POHON_IN_BACKGROUND = False
    made = chain()
    kept.kept_graph()
    reported(made["plants"][0], [OLEIN], [("Minyak goreng premium", "15119038")], period=PeriodFactory(year=2026, number=1))
    assert "hs:15119038" not in kept.kept_graph().graph.nodes  # within FRESH_ENOUGH_SECONDS: the row as it is
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert "hs:15119038" in kept.kept_graph().graph.nodes  # a single maker: "<3"
        assert kept.kept_graph().graph.nodes["hs:15119038"].makers is None


def test_a_curated_link_saved_after_the_row_was_kept_finds_its_suppressed_flow(reference_data, admin_user):
    chain()
    before = selectors.published_graph()
    assert (key(STEARIN), key(MARGARIN)) not in before.edges  # one factory: not shown, not kept
    curated_link_save(actor=admin_user, data={"source_name": STEARIN[0], "source_hs": STEARIN[1], "target_name": MARGARIN[0], "target_hs": MARGARIN[1], "reference": "x"})
    assert KeptTree.objects.get().version == kept.STALE
    edge = selectors.published_graph().edges[(key(STEARIN), key(MARGARIN))]
    assert (edge.origin, edge.factories_text) == ("both", "<3")


def test_the_refresh_task_is_on_the_nightly_beat():
    from siinas.celery import app

    entry = app.conf.beat_schedule["analisis-refresh-pohon"]
    assert entry["task"] == "analisis.refresh_pohon"


def test_a_large_view_is_drawn_and_listed_by_its_busiest_products(client, reference_data, monkeypatch):
    monkeypatch.setattr(selectors, "DRAWN_NODES", 3)
    chain()
    response = client.get(reverse("analisis:pohon"), {"kbli": "10", "tingkat": 2})
    html = response.content.decode()
    full = response.context["tree"].view
    busiest = {key(OLEIN), key(STEARIN), key(GORENG)}  # start nodes with 5, 4 and 3 makers (goreng before CPO by name)
    assert len(full.nodes) == 5 and response.context["trimmed"]
    assert [n.key for n, *_rest in response.context["nodes"]] == [n.key for n in full.nodes if n.key in busiest]
    assert 'data-testid="pohon-trimmed"' in html and "5 produk" in html
    graph_ids = {n["id"] for n in response.context["graph"]["nodes"]}
    assert graph_ids == busiest
    assert all(e["source"] in graph_ids and e["target"] in graph_ids for e in response.context["graph"]["edges"])
    rows = client.get(reverse("analisis:pohon-download", kwargs={"table": "simpul", "fmt": "csv"}), {"kbli": "10", "tingkat": 2})
    assert len(rows.content.decode("utf-8-sig").strip().splitlines()) == 1 + 5  # the download keeps the whole view


def _busiest_by_brute_force(graph: g.Graph, limit: int) -> list[str]:
    degree: dict[str, int] = {}
    for edge in graph.edges.values():
        for k in (edge.source, edge.target):
            degree[k] = degree.get(k, 0) + 1
    return sorted(degree, key=lambda k: (-degree[k], graph.nodes[k].name.casefold(), k))[:limit]


@pytest.mark.parametrize("seed", range(20))
def test_the_busiest_products_of_a_merged_graph_are_those_counted_afresh(seed):
    """The kept graph ranks its nodes once; a merged graph re-ranks only what its curated links touched."""
    rng = random.Random(seed)
    codes = [f"hs:{15110000 + i}" for i in range(12)]
    products = [g.Row(f, c, c[3:], "10431") for f in range(30) for c in rng.sample(codes, rng.randint(1, 3))]
    materials = [g.Row(f, c, c[3:]) for f in range(30) for c in rng.sample(codes, rng.randint(0, 3))]
    base = g.protect(g.aggregate(products, materials))
    links = [g.Curated(s[3:], s, t[3:], t) for s, t in (rng.sample(codes + ["hs:38260010"], 2) for _ in range(rng.randint(0, 6)))]
    merged = g.merge(base, links)
    for limit in (1, 3, 5, 20):
        assert merged.busiest(limit) == _busiest_by_brute_force(merged, limit)
    assert g.search(merged, "1511001") == sorted(
        (n for n in merged.nodes.values() if n.hs_code.startswith("1511001")), key=lambda n: (-(n.makers or 0), n.name.casefold(), n.key)
    )
