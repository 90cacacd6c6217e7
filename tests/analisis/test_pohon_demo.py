"""The demo's palm-oil chain: validated reports through the real services, a graph with the chain at
three or more factories per step, published suppliers, and loading it twice changes nothing."""

from __future__ import annotations

import pytest

from accounts import demo as accounts_demo
from analisis.models import CuratedLink
from analisis.pohon import demo, selectors
from analisis.pohon.demo import CPO, MARGARIN, MINYAK_GORENG, OLEIN, STEARIN, TBS
from eservice.directory_selectors import directory_search
from reporting.models import Report, ReportStatus

pytestmark = pytest.mark.django_db


def test_the_demo_graph_shows_the_palm_oil_chain_from_validated_reports(reference_data):
    cast = accounts_demo.DemoCast()
    accounts_demo.seed(cast)
    demo.seed(cast)
    assert Report.objects.filter(factory__users__username__startswith="sawit", status=ReportStatus.VALIDATED).count() == 12
    graph = selectors.published_graph()
    hs = lambda item: f"hs:{item[1]}"  # noqa: E731
    assert graph.nodes[hs(CPO)].makers == 4
    assert graph.nodes[hs(OLEIN)].makers == 3
    assert graph.nodes[hs(MINYAK_GORENG)].makers == 3
    assert graph.nodes[hs(MARGARIN)].makers is None  # two factories: "<3"
    assert graph.edges[(hs(TBS), hs(CPO))].factories == 4
    assert graph.edges[(hs(CPO), hs(OLEIN))].factories == 3
    assert graph.edges[(hs(OLEIN), hs(MINYAK_GORENG))].origin == "both"
    margarin = graph.edges[(hs(STEARIN), hs(MARGARIN))]
    assert margarin.factories_text == "<3" and margarin.curated
    assert len(directory_search(hs=CPO[1])) == 3

    demo.seed(cast)
    assert Report.objects.filter(factory__users__username__startswith="sawit").count() == 12
    assert CuratedLink.objects.count() == 4
