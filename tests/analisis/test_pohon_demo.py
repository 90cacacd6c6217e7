"""The demo's palm-oil chain: validated reports through the real services, a graph with the chain at
three or more factories per step, published suppliers, and loading it twice changes nothing."""

from __future__ import annotations

import pytest
import time_machine

from accounts import demo as accounts_demo
from analisis.models import CuratedLink
from analisis.pohon import demo, selectors
from analisis.pohon.demo import CPO, MARGARIN, MINYAK_GORENG, OLEIN, STEARIN, TBS
from eservice.directory_selectors import directory_search
from reporting.models import Report, ReportStatus

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-11-25 10:00 +0700", tick=False)  # the demo day of tests/core/test_demo_data.py
def test_the_demo_graph_shows_the_palm_oil_chain_from_validated_reports(reference_data):
    cast = accounts_demo.DemoCast()
    accounts_demo.seed(cast)
    demo.seed(cast)
    # three closed semesters (S2 2024, S1 and S2 2025) validated for each of the nine accounts
    assert Report.objects.filter(factory__users__username__startswith="sawit", status=ReportStatus.VALIDATED).count() == 27
    graph = selectors.published_graph()
    hs = lambda item: f"hs:{item[1]}"  # noqa: E731
    assert graph.nodes[hs(CPO)].makers == 3
    assert graph.nodes[hs(OLEIN)].makers == 3
    assert graph.nodes[hs(MINYAK_GORENG)].makers == 3
    assert graph.nodes[hs(MARGARIN)].makers is None  # one factory: "<3"
    assert graph.edges[(hs(TBS), hs(CPO))].factories == 3
    assert graph.edges[(hs(CPO), hs(OLEIN))].factories == 3
    assert graph.edges[(hs(OLEIN), hs(MINYAK_GORENG))].origin == "both"
    margarin = graph.edges[(hs(STEARIN), hs(MARGARIN))]
    assert margarin.factories_text == "<3" and margarin.curated
    assert (hs(STEARIN), hs(MINYAK_GORENG)) not in graph.edges  # one factory, not curated
    assert len(directory_search(hs=CPO[1])) == 2

    demo.seed(cast)
    assert Report.objects.filter(factory__users__username__startswith="sawit").count() == 27
    assert CuratedLink.objects.count() == 4
