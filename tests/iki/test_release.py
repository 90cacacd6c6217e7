"""The public release (page, PDF, CSV) shows aggregates only; the officer dashboard's rates and series."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse
from pypdf import PdfReader

from iki import selectors, services
from iki.models import IkiResult
from siinas.core.models import AuditEvent
from tests.factories import FactoryAccountFactory
from tests.helpers import login
from tests.iki.conftest import MARCH, make_response

pytestmark = pytest.mark.django_db
FEBRUARY = date(2026, 2, 1)


@pytest.fixture
def published(respondents, clock, reference_data):
    """February and March computed. March: the worked example in KBLI 10 (43.33) plus two factories in
    KBLI 25 answering all 'meningkat' — a cell of 2 that must never show (it would read 100.00)."""
    respondents(FEBRUARY)
    respondents(MARCH)
    for _ in range(2):
        metal = FactoryAccountFactory(kbli_codes=["25111"], workforce=7)
        make_response(metal, MARCH, "25", orders="meningkat", production="meningkat", stock="meningkat", general="meningkat")
    clock(date(2026, 3, 24))
    services.iki_results_compute_due()
    return IkiResult.objects.get(period=MARCH)


def test_the_page_shows_the_headline_change_series_and_subsector_table(client, published):
    page = client.get(reverse("iki:release")).content.decode()
    iki = f"{published.iki:.2f}".replace(".", ",")
    assert iki in page
    assert "Kontraksi" in page or "Ekspansi" in page
    assert "poin dari bulan sebelumnya" in page
    assert 'id="iki-series-data"' in page and "chart.umd.min.js" in page and "js/iki.js" in page
    assert "Industri Makanan" in page
    assert "Ringkasan" in page and f"IKI Maret 2026 sebesar {iki}" in page


def test_a_cell_under_3_respondents_is_never_shown(client, published):
    metal = next(s for s in published.payload["subsectors"] if s["kbli2"] == "25")
    assert metal["iki"] is None and metal["v_orders"] is None  # never even stored
    page = client.get(reverse("iki:release")).content.decode()
    row = page[page.index("<td>25</td>") : page.index("</tr>", page.index("<td>25</td>"))]
    assert "tidak ditampilkan (kurang dari 3 responden)" in row
    assert not re.search(r">\s*[0-9][0-9,]*\s*<", row.replace("<td>25</td>", "")), row


def test_the_csv_holds_only_published_aggregates(client, published):
    response = client.get(reverse("iki:release-csv", kwargs={"period": "2026-03"}))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "periode", "tingkat", "kbli2", "uraian", "responden", "iki", "v_pesanan", "v_produksi", "v_persediaan", "status",
        "rilis", "diterbitkan",
    ]  # fmt: skip
    national = rows[1]
    assert national[1] == "nasional" and national[4] == "5" and national[5] == f"{published.iki:.2f}".rstrip("0").rstrip(".")
    metal = next(r for r in rows if r[2] == "25")
    assert metal[4:9] == ["", "", "", "", ""] and metal[9] == "Tidak ditampilkan"  # Indonesian, not "suppressed"
    food = next(r for r in rows if r[2] == "10")
    assert food[4:6] == ["3", "43.33"]
    # no factory names, no respondent ids; every line names the release vintage it comes from
    assert all(len(r) == 12 and r[10] == "1" for r in rows[1:])


def test_the_pdf_release_shows_the_aggregates_and_hides_small_cells(client, published):
    response = client.get(reverse("iki:release-pdf", kwargs={"period": "2026-03"}))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Indeks Kepercayaan Industri (IKI) Maret 2026" in text
    assert "43,33" in text  # KBLI 10
    metal_line = next(line for line in text.splitlines() if line.startswith("25 "))
    assert "tidak ditampilkan" in metal_line and "100" not in metal_line


def test_a_month_with_fewer_than_3_respondents_is_not_published(client, reference_data, clock):
    f = FactoryAccountFactory(kbli_codes=["10110"])
    make_response(f, MARCH, orders="meningkat")
    clock(date(2026, 3, 24))
    services.iki_results_compute_due()
    assert IkiResult.objects.get(period=MARCH).iki is None
    assert "Belum ada rilis IKI yang dipublikasikan." in client.get(reverse("iki:release")).content.decode()
    assert client.get(reverse("iki:release-pdf", kwargs={"period": "2026-03"})).status_code == 404
    assert client.get(reverse("iki:release-csv", kwargs={"period": "2026-03"})).status_code == 404
    assert client.get(reverse("iki:release"), {"periode": "2026-03"}).status_code == 404


def test_the_public_page_keeps_a_flat_query_budget(client, reference_data, clock, django_assert_max_num_queries):
    factories = [FactoryAccountFactory(kbli_codes=["10110"], workforce=10 + i) for i in range(3)]
    for month in range(1, 13):
        for f in factories:
            make_response(f, date(2025, month, 1), orders="meningkat" if month % 2 else "menurun")
    clock(date(2026, 1, 5))
    services.iki_results_compute_due()
    assert IkiResult.objects.count() == 12
    with django_assert_max_num_queries(6):
        page = client.get(reverse("iki:release")).content.decode()
    assert page.count('<option value="2025-') == 12


def test_the_officer_dashboard_shows_response_rates_by_subsector_and_province(client, cast, published, django_assert_max_num_queries):
    for _ in range(30):
        FactoryAccountFactory(kbli_codes=["10110"])
    login(client, cast.validator_pangan)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("iki:officer-dashboard"), {"periode": "2026-03"})
    by_subsector = {r.key: r for r in response.context["by_subsector"]}
    food = by_subsector["10"]
    assert food.responded == 3 and food.eligible == 3 + 3 + 30 + 1  # fixture factories, new ones, factory_a
    by_province = {r.key: r for r in response.context["by_province"]}
    assert by_province["32"].responded == 5
    assert [s["period"] for s in response.context["series"]] == ["2026-02", "2026-03"]


def test_the_drill_down_shows_subsector_aggregates_but_no_answers_to_officers(client, cast, published):
    login(client, cast.verifier)
    response = client.get(reverse("iki:officer-period", kwargs={"period": "2026-03"}))
    page = response.content.decode()
    assert "43,33" in page and "tidak ditampilkan" in page
    assert response.context["responses"] is None
    assert "Jawaban individual" not in page


def test_an_admin_drill_down_lists_the_individual_responses(client, cast, published, django_assert_max_num_queries):
    for _ in range(60):
        make_response(FactoryAccountFactory(kbli_codes=["10110"]), MARCH)
    login(client, cast.admin)
    # 14 before release vintages; + the month's vintages and the current figure from the running tally (3–4);
    # + the newest response, the key of the cached response counts (1)
    with django_assert_max_num_queries(19):
        response = client.get(reverse("iki:officer-period", kwargs={"period": "2026-03"}))
    assert len(response.context["responses"].object_list) == 50  # first page of 65
    assert "Jawaban individual" in response.content.decode()


def test_a_kl_partner_sees_the_dashboard_but_cannot_recompute(client, cast, published):
    login(client, cast.kl)
    assert client.get(reverse("iki:officer-dashboard")).status_code == 200
    assert client.post(reverse("iki:result-recompute", kwargs={"period": "2026-03"})).status_code == 403
    assert not AuditEvent.objects.filter(action="iki.result_recomputed").exists()


def test_the_release_pdf_is_rendered_once_and_then_served_from_storage(client, published, monkeypatch):
    """Issue 13 §6: WeasyPrint takes 0.6–1.6 s; an anonymous visitor must not make it run per request."""
    from siinas.lib import pdf

    calls = {"n": 0}
    real = pdf.html_to_pdf

    def counting(html):
        calls["n"] += 1
        return real(html)

    monkeypatch.setattr("iki.views.html_to_pdf", counting)
    url = reverse("iki:release-pdf", kwargs={"period": "2026-03"})
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 200 and first.content == second.content
    assert calls["n"] == 1

    # A recomputation changes nothing public: the same release, not rendered again.
    services.iki_result_compute(actor=None, period=MARCH)
    client.get(url)
    assert calls["n"] == 1
    # A revision is a different release: rendered again, once.
    services.iki_release_publish(actor=None, period=MARCH, reason="Koreksi bobot tenaga kerja")
    client.get(url)
    client.get(url)
    assert calls["n"] == 2


def test_anonymous_downloads_of_generated_files_are_rate_limited_per_address(client, published, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "siinas_public_download": "3/m/ip"}
    url = reverse("iki:release-csv", kwargs={"period": "2026-03"})
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(url)
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "Terlalu banyak unduhan" in refused.content.decode()
    assert client.get(url, REMOTE_ADDR="10.9.8.7").status_code == 200, "another address is not affected"


def test_the_dashboards_denominators_are_counted_once_per_cache_period(client, cast, published):
    login(client, cast.validator_pangan)
    first = client.get(reverse("iki:officer-dashboard"), {"periode": "2026-03"})
    FactoryAccountFactory(kbli_codes=["10110"])  # a new eligible account, seen when the cached counts expire
    second = client.get(reverse("iki:officer-dashboard"), {"periode": "2026-03"})
    food = lambda response: {r.key: r for r in response.context["by_subsector"]}["10"].eligible  # noqa: E731
    assert food(second) == food(first)
    cache.delete(selectors.ELIGIBLE_CACHE_KEY)
    third = client.get(reverse("iki:officer-dashboard"), {"periode": "2026-03"})
    assert food(third) == food(first) + 1
    assert selectors.ELIGIBLE_CACHE_SECONDS <= 600  # the staleness docs/iki.md states


def test_the_dashboards_response_counts_follow_a_new_response(client, cast, published):
    login(client, cast.verifier)
    url = reverse("iki:officer-dashboard") + "?periode=2026-03"

    def answered() -> int:
        return {row.key: row for row in client.get(url).context["by_subsector"]}["10"].responded

    before = answered()
    make_response(FactoryAccountFactory(kbli_codes=["10110"]), MARCH)
    assert answered() == before + 1  # the cached counts are keyed by the newest response
