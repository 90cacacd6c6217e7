"""Pohon Industri: the graph is derived from reported flows of validated reports (a fixture with a known
chain), counts under 3 are suppressed and cannot be recovered, curated links merge, and the page, its
downloads and the API show the same protected tree within a flat query budget."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analisis.models import CuratedLink
from analisis.pohon import graph as g
from analisis.pohon import selectors
from analisis.pohon.services import curated_link_save
from siinas.core.models import AuditEvent
from tests.analisis.pohon_fixtures import CPO, GORENG, MARGARIN, OLEIN, STEARIN, TBS, chain, key, reported
from tests.factories import FactoryAccountFactory
from tests.helpers import login

pytestmark = pytest.mark.django_db


def _curate(actor, source, target, **extra):
    data = {"source_name": source[0], "source_hs": source[1], "target_name": target[0], "target_hs": target[1], "reference": "Peta jalan"}
    return curated_link_save(actor=actor, data=data | extra)


def test_the_graph_is_the_known_chain_of_validated_reports(reference_data):
    chain()
    graph = selectors.published_graph()
    assert {k: n.makers for k, n in graph.nodes.items()} == {
        key(TBS): 0,  # a raw material nobody reports making
        key(CPO): 3,
        key(OLEIN): 5,  # four refineries and the plant that reports only bahan penolong
        key(STEARIN): 4,
        key(GORENG): 3,
        key(MARGARIN): None,  # one factory: "<3"
    }
    assert {k: e.factories for k, e in graph.edges.items()} == {
        (key(TBS), key(CPO)): 3,
        (key(CPO), key(OLEIN)): 4,
        (key(CPO), key(STEARIN)): 4,
        (key(OLEIN), key(GORENG)): 3,
    }  # stearin → margarin (one factory) is not shown: no curated link has it
    assert all(e.origin == "data" for e in graph.edges.values())
    assert graph.nodes[key(GORENG)].kbli == ("10437",) and graph.nodes[key(MARGARIN)].makers_text == "<3"


def test_drafts_and_unvalidated_reports_are_ignored(reference_data):
    for status in ("konsep", "terkirim", "terverifikasi", "pengembalian"):
        for _ in range(3):
            reported(FactoryAccountFactory(), [CPO], [OLEIN], status=status)
    assert selectors.published_graph().nodes == {}


def test_a_name_without_hs_code_joins_the_hs_node_that_used_the_same_name():
    counts = g.aggregate(
        [g.Row(1, "Minyak goreng sawit", "15119037", "10437"), g.Row(2, "minyak  goreng SAWIT", "", "10437"), g.Row(3, "Minyak goreng", "", "")],
        [g.Row(1, "Olein", "15119036"), g.Row(2, "OLEIN", ""), g.Row(3, "Olein", "")],
    )
    assert counts.makers == {"hs:15119037": 2, "nama:minyak goreng": 1}
    assert counts.edges == {("hs:15119036", "hs:15119037"): 2, ("hs:15119036", "nama:minyak goreng"): 1}


def test_a_node_lists_only_the_kbli_codes_of_three_makers_or_more():
    rows = [g.Row(f, "Minyak goreng sawit", "15119037", "10437") for f in range(3)] + [g.Row(9, "Minyak goreng sawit", "15119037", "10432")]
    graph = g.publishable(g.aggregate(rows, []), [])
    assert graph.nodes["hs:15119037"].kbli == ("10437",) and graph.nodes["hs:15119037"].makers == 4
    assert g.by_kbli(graph, "10432") == [] and g.by_kbli(graph, "10") == ["hs:15119037"]


def test_a_name_used_with_two_hs_codes_stays_a_node_of_its_own():
    counts = g.aggregate([g.Row(1, "Minyak sawit", "15111000"), g.Row(2, "Minyak sawit", "15119037"), g.Row(3, "Minyak sawit", "")], [])
    assert set(counts.makers) == {"hs:15111000", "hs:15119037", "nama:minyak sawit"}


def test_curated_links_merge_with_reported_flows_and_are_marked(reference_data, admin_user):
    chain()
    _curate(admin_user, OLEIN, GORENG)  # the reports show it too
    _curate(admin_user, STEARIN, MARGARIN, note="lemak padat")  # one factory: shown only thanks to the curation, "<3"
    _curate(admin_user, CPO, ("Biodiesel", "38260010"))  # no report shows it
    edges = selectors.published_graph().edges
    assert edges[(key(OLEIN), key(GORENG))].origin == "both" and edges[(key(OLEIN), key(GORENG))].factories == 3
    margarin = edges[(key(STEARIN), key(MARGARIN))]
    assert (margarin.origin, margarin.factories_text, margarin.note) == ("both", "<3", "lemak padat")
    biodiesel = edges[(key(CPO), "hs:38260010")]
    assert (biodiesel.origin, biodiesel.factories_text) == ("curated", "–")
    assert AuditEvent.objects.filter(action="analisis.curated_link_created").count() == 3


def test_a_curated_link_without_hs_code_finds_the_node_by_its_name(reference_data, admin_user):
    chain()
    curated_link_save(actor=admin_user, data={"source_name": "minyak sawit mentah (cpo)", "target_name": "Olein sawit", "reference": "x"})
    assert selectors.published_graph().edges[(key(CPO), key(OLEIN))].origin == "both"


def test_a_link_of_a_product_to_itself_is_refused(admin_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        _curate(admin_user, CPO, ("CPO", CPO[1]))
    assert error.value.message_dict == {"target_name": ["Produk tujuan harus berbeda dari produk asal."]}


def test_browsing_goes_upstream_and_downstream_n_levels(reference_data):
    chain()
    graph = selectors.published_graph()
    view = g.browse(graph, [key(CPO)], direction="keduanya", depth=1)
    assert view.level == {key(CPO): 0, key(TBS): -1, key(OLEIN): 1, key(STEARIN): 1}
    view = g.browse(graph, [key(CPO)], direction="hilir", depth=2)
    assert view.level == {key(CPO): 0, key(OLEIN): 1, key(STEARIN): 1, key(GORENG): 2}
    assert [(e.source, e.target) for e in view.edges] == [
        (key(CPO), key(OLEIN)), (key(CPO), key(STEARIN)), (key(OLEIN), key(GORENG)),
    ]  # fmt: skip
    view = g.browse(graph, [key(GORENG)], direction="hulu", depth=5)
    assert set(view.level) == {key(GORENG), key(OLEIN), key(CPO), key(TBS)}
    kbli = selectors.tree(selectors.Query(kbli="10434", direction="hulu", depth=1))
    assert kbli.view.start == [key(OLEIN), key(STEARIN)] or set(kbli.view.start) == {key(OLEIN), key(STEARIN)}
    assert [n.key for n in g.search(graph, "1511")] == [key(OLEIN), key(STEARIN), key(GORENG), key(CPO)]  # most makers first
    assert [n.key for n in g.search(graph, "goreng")] == [key(GORENG)]


# --- Disclosure ------------------------------------------------------------------------------------

PRODUCTS = [f"hs:{15110000 + i}" for i in range(6)]


def _swap_small(counts: dict) -> dict:
    """Every count of 1 made 2 and every 2 made 1: what a reader must not be able to tell apart."""
    return {k: {1: 2, 2: 1}.get(v, v) for k, v in counts.items()}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    panel=st.lists(
        st.tuples(st.sets(st.sampled_from(PRODUCTS), max_size=3), st.sets(st.sampled_from(PRODUCTS), min_size=1, max_size=2)),
        min_size=1,
        max_size=25,
    ),
    curated=st.sets(st.tuples(st.sampled_from(PRODUCTS), st.sampled_from(PRODUCTS)), max_size=4),
)
def test_no_suppressed_count_can_be_recovered_from_what_is_published(panel, curated):
    """Over generated panels of factories (materials, products), the published tree is the same whether
    a suppressed count is 1 or 2: nothing shown (no total, no other count) tells them apart. And every
    count shown is 0 or at least 3."""
    products = [g.Row(f, p, p[3:], kbli=f"1043{f % 2}") for f, (_used, made) in enumerate(panel) for p in made]
    materials = [g.Row(f, p, p[3:]) for f, (used, _made) in enumerate(panel) for p in used]
    counts = g.aggregate(products, materials)
    links = [g.Curated(s[3:], s, t[3:], t) for s, t in curated if s != t]
    swapped = g.Counts(
        names=counts.names,
        kbli=_swap_small(counts.kbli),
        makers=_swap_small(counts.makers),
        edges=_swap_small(counts.edges),
        aliases=counts.aliases,
    )
    everything = lambda graph: selectors.as_json(selectors.Tree(selectors.Query(), g.browse(graph, list(graph.nodes), depth=5), []))  # noqa: E731
    published = everything(g.publishable(counts, links))
    assert published == everything(g.publishable(swapped, links))
    shown = [n["factories"] for n in published["nodes"]] + [e["factories"] for e in published["edges"]]
    assert all(v in ("<3", "–") or int(v) == 0 or int(v) >= 3 for v in shown)
    for (source, target), n in counts.edges.items():  # a reported flow of 1–2 factories is shown only when curated
        visible = any(e["source"] == source and e["target"] == target for e in published["edges"])
        assert visible == (n >= 3 or (source, target) in {(s, t) for s, t in curated})


# --- Page, downloads, API ----------------------------------------------------------------------------


def _page_graph(response) -> dict:
    found = re.search(r'<script id="pohon-graph-data" type="application/json">(.*?)</script>', response.content.decode(), re.S)
    return json.loads(found.group(1))


def test_the_page_shows_the_chain_with_protected_counts_and_supplier_links(client, reference_data, admin_user):
    chain()
    _curate(admin_user, STEARIN, MARGARIN)
    response = client.get(reverse("analisis:pohon"), {"produk": key(STEARIN), "arah": "keduanya", "tingkat": 1})
    assert response.status_code == 200
    data = _page_graph(response)
    assert {n["id"]: n["factories"] for n in data["nodes"]} == {key(STEARIN): "4", key(CPO): "3", key(MARGARIN): "<3"}
    html = response.content.decode()
    assert f'{reverse("eservice:directory")}?hs={MARGARIN[1]}' in html
    assert "laporan + kurasi" in html and "js/pohon" in html and "vendor/cytoscape/cytoscape.min.js" in html


def test_the_page_searches_products_by_name_and_hs_code(client, reference_data):
    chain()
    response = client.get(reverse("analisis:pohon"), {"cari": "olein"})
    assert [n.key for n, _url in response.context["matches"]] == [key(OLEIN)]
    response = client.get(reverse("analisis:pohon"))  # nothing asked: the products with the most links
    assert key(CPO) in [n.key for n, _url in response.context["matches"]]


def test_the_page_keeps_a_flat_query_budget(client, reference_data, django_assert_max_num_queries):
    for i in range(40):
        reported(FactoryAccountFactory(), [CPO, TBS], [OLEIN, (f"Produk turunan {i % 7}", f"1511{9000 + i % 7:04d}")])
    url = reverse("analisis:pohon")
    # Nothing kept yet, no worker: data version, kept row, names and codes used, curated links, grouped
    # counts, the row written (update, insert), curated links for the page.
    with django_assert_max_num_queries(8):
        response = client.get(url, {"produk": key(CPO), "tingkat": 3})
    assert len(response.context["nodes"]) == 9  # CPO, olein and the seven products made with it
    with django_assert_max_num_queries(3):  # kept and read by this process: data version, kept row, curated links
        client.get(url, {"produk": key(OLEIN)})


def test_the_downloads_are_exactly_the_tables_of_the_page(client, reference_data):
    chain()
    query = {"produk": key(CPO), "tingkat": 2}
    page = client.get(reverse("analisis:pohon"), query)
    view = page.context["tree"].view
    for table, rows in (("simpul", selectors.node_rows(view)), ("hubungan", selectors.edge_rows(view))):
        response = client.get(reverse("analisis:pohon-download", kwargs={"table": table, "fmt": "csv"}), query)
        lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert lines[1:] == [[str(v) for v in row] for row in rows]
    assert len(lines) == 1 + len(page.context["edges"])
    xlsx = client.get(reverse("analisis:pohon-download", kwargs={"table": "simpul", "fmt": "xlsx"}), query)
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")
    assert client.get(reverse("analisis:pohon-download", kwargs={"table": "lain", "fmt": "csv"}), query).status_code == 404


def test_the_api_equals_the_page(client, reference_data, admin_user):
    chain()
    _curate(admin_user, STEARIN, MARGARIN)
    for page_query, api_query in (
        ({"produk": key(CPO), "arah": "hilir", "tingkat": 3}, {"product": key(CPO), "direction": "hilir", "depth": 3}),
        ({"kbli": "10", "tingkat": 1}, {"kbli": "10", "depth": 1}),
    ):
        page = _page_graph(client.get(reverse("analisis:pohon"), page_query))
        api = client.get(reverse("api:industry-tree"), api_query).json()
        for node in api["nodes"]:
            node["directory"] = node["directory"].removeprefix("http://testserver")
        assert api == page
    found = client.get(reverse("api:industry-tree-products"), {"q": "15119"}).json()
    assert [(p["id"], p["factories"]) for p in found] == [(key(OLEIN), "5"), (key(STEARIN), "4"), (key(GORENG), "3")]
    assert client.get(reverse("api:industry-tree"), {"product": "hs:123"}).status_code == 400


def test_an_officer_keeps_curated_links_on_the_page(client, reference_data, admin_user):
    login(client, admin_user)
    url = reverse("analisis:pohon-curated")
    data = {"source_name": "CPO", "source_hs": "15111000", "target_name": "CPO lagi", "target_hs": "15111000", "reference": "Kajian"}
    response = client.post(url, data)
    assert response.status_code == 200 and "Produk tujuan harus berbeda dari produk asal." in response.content.decode()
    response = client.post(url, data | {"target_name": "Biodiesel", "target_hs": "38260010"})
    assert response.status_code == 302
    link = CuratedLink.objects.get()
    assert link.created_by == admin_user
    client.post(reverse("analisis:pohon-curated-edit", kwargs={"pk": link.pk}), data | {"target_name": "Biodiesel (FAME)", "target_hs": "38260010"})
    link.refresh_from_db()
    assert link.target_name == "Biodiesel (FAME)"
    client.post(reverse("analisis:pohon-curated-delete", kwargs={"pk": link.pk}))
    assert not CuratedLink.objects.exists()
    assert list(AuditEvent.objects.filter(action__startswith="analisis.curated").order_by("pk").values_list("action", flat=True)) == [
        "analisis.curated_link_created", "analisis.curated_link_changed", "analisis.curated_link_deleted",
    ]  # fmt: skip


def test_the_django_admin_keeps_curated_links_through_the_services(client, reference_data, admin_user):
    login(client, admin_user)
    data = {"source_name": "Minyak sawit mentah", "source_hs": "15111000", "target_name": "Biodiesel", "target_hs": "38260010", "reference": "Kajian"}
    response = client.post(reverse("admin:analisis_curatedlink_add"), data)
    assert response.status_code == 302
    link = CuratedLink.objects.get()
    assert link.created_by == admin_user
    response = client.post(reverse("admin:analisis_curatedlink_add"), data | {"target_name": "CPO", "target_hs": "15111000"})
    assert response.status_code == 200 and "Produk tujuan harus berbeda dari produk asal." in response.content.decode()
    client.post(reverse("admin:analisis_curatedlink_delete", args=[link.pk]), {"post": "yes"})
    assert not CuratedLink.objects.exists()
    assert list(AuditEvent.objects.filter(action__startswith="analisis.curated").values_list("action", flat=True).order_by("pk")) == [
        "analisis.curated_link_created", "analisis.curated_link_deleted",
    ]  # fmt: skip
