"""The release as the ministry's press release: the PDF's SVG chart with numbers that do not depend on
the language, months in Indonesian, and the sections (headline, variables, subsectors, factors,
methodology note)."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from iki import release, services
from tests.factories import FactoryAccountFactory
from tests.iki.conftest import make_response

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"
NUMERIC_ATTRIBUTES = {"x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "width", "height", "stroke-width", "font-size"}
MONTHS = [date(2026, m, 1) for m in range(6, 12)]  # June–November 2026


@pytest.fixture
def six_months(reference_data, clock):
    """Six published months, each with four respondents in KBLI 10, around the 50 line."""
    factories = [FactoryAccountFactory(kbli_codes=["10110"], workforce=w) for w in (120, 80, 300, 45)]
    answers = ["meningkat", "tetap", "menurun"]
    for i, month in enumerate(MONTHS):
        for j, factory in enumerate(factories):
            make_response(factory, month, orders=answers[(i + j) % 3], production=answers[(i * j) % 3], stock=answers[j % 3])
    clock(date(2026, 11, 24))
    assert len(services.iki_results_compute_due()) == 6
    return release.published_release(date(2026, 11, 1))


def svg_of(html: str) -> ET.Element:
    return ET.fromstring(re.search(r"<svg.*?</svg>", html, re.S).group(0))  # noqa: S314 — our own template's output


def test_every_number_in_the_pdf_chart_is_locale_independent_and_the_50_line_lies_inside(six_months):
    with translation.override("id"):
        html = release.release_html(six_months)
    svg = svg_of(html)
    chart = six_months.chart
    for element in svg.iter():
        for name, value in element.attrib.items():
            if name in NUMERIC_ATTRIBUTES:
                float(value)  # "75,4" would raise
        if element.tag == f"{SVG}polyline":
            for pair in element.attrib["points"].split():
                x, y = pair.split(",")
                float(x), float(y)
    assert [float(v) for v in svg.attrib["viewBox"].split()] == [0, 0, chart["width"], chart["height"]]
    threshold = next(e for e in svg.iter(f"{SVG}line") if e.attrib.get("class") == "threshold")
    top, bottom = float(chart["top"]), float(chart["bottom"])
    assert top < float(threshold.attrib["y1"]) == float(threshold.attrib["y2"]) < bottom
    for dot in svg.iter(f"{SVG}circle"):
        assert top <= float(dot.attrib["cy"]) <= bottom
        assert 0 <= float(dot.attrib["cx"]) <= chart["width"]


def test_the_chart_labels_the_months_in_indonesian_and_keeps_them_inside_the_chart(six_months):
    svg = svg_of(release.release_html(six_months))
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.attrib.get("class") == "month"]
    assert labels[0] == "Jun 2026" and labels[-1] == "Nov 2026"
    assert "Agu 2026" in labels and "Okt 2026" in labels
    for text in svg.iter(f"{SVG}text"):
        assert 0 < float(text.attrib["y"]) <= six_months.chart["height"]


def test_months_read_in_indonesian_on_the_page_and_in_the_pdf(client, six_months):
    page = client.get(reverse("iki:release")).content.decode()
    assert "IKI November 2026 sebesar" in page and "Oktober 2026" in page
    assert "2026-11</td>" not in page and ">2026-11<" not in page
    response = client.get(reverse("iki:release-pdf", kwargs={"period": "2026-11"}))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Indeks Kepercayaan Industri (IKI) November 2026" in text
    assert "2026-11" not in text


def test_the_release_reads_like_the_ministrys_press_release(six_months):
    html = release.release_html(six_months)
    h = six_months.headline
    iki = f"{h['iki']:.2f}".replace(".", ",")
    assert f"IKI November 2026 sebesar {iki}" in six_months.lead
    assert six_months.lead in html
    for section in ("Variabel pembentuk IKI", "IKI per subsektor", "Faktor dominan", "Catatan metodologi"):
        assert section in html
    for variable in ("Pesanan baru", "Produksi", "Persediaan produk"):
        assert variable in html
    note = html[html.index("Catatan metodologi") :]
    assert "0,5" in note and "tenaga kerja" in note and "kurang dari 3 responden" in note and "rilis ke-1" in note


@pytest.mark.parametrize(
    ("status", "change", "words"),
    [
        ("ekspansi", -0.23, "ekspansi, melambat 0,23 poin dari Oktober 2026 (54,60)"),
        ("ekspansi", 0.5, "ekspansi, meningkat 0,50 poin dari Oktober 2026 (54,60)"),
        ("kontraksi", -1.0, "kontraksi, turun 1,00 poin dari Oktober 2026 (54,60)"),
        ("kontraksi", 1.0, "kontraksi, membaik 1,00 poin dari Oktober 2026 (54,60)"),
        ("stabil", 0.0, "stabil, sama dengan Oktober 2026 (54,60)"),
    ],
)
def test_the_headline_sentence_says_how_the_index_moved(status, change, words):
    with translation.override("id"):
        sentence = release.lead_sentence(date(2026, 11, 1), iki=54.37, status=status, change=change, previous_iki=54.60)
    assert sentence.startswith("IKI November 2026 sebesar 54,37, ")
    assert words in sentence
