"""STL seasonal adjustment in the IKI drop detector (docs/statistics.md, "Early-warning system (EWS)"):
a series of 36 months or more is scored on its seasonally adjusted values, a shorter one as before."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from ews import detect, synthetic
from ews.models import Signal
from ews.services import signals_refresh
from tests.ews import builders as b

NOISE = [0.4, -0.7, 0.8, 1.0, -0.1, 0.5, -0.8, 0.9, 0.3, -0.3, 0.6, 0.0, -0.5, 0.2, -0.4, 0.7, -0.9, 0.1]
# Every year the same shape: a gentle wave and December 6 points below the rest (the year-end lull).
YEAR = [52.0, 52.5, 53.0, 53.5, 53.0, 52.5, 52.0, 51.5, 51.0, 50.5, 51.0, 46.0]


def seasonal(months: int) -> list[float]:
    return [round(YEAR[t % 12] + NOISE[t % len(NOISE)], 2) for t in range(months)]


def test_a_seasonal_series_ending_in_its_usual_dip_is_not_flagged_with_stl_and_would_be_without():
    values = seasonal(36)  # the 36th month is the third December
    assert detect.iki_drop(values, seasonal=False) is not None  # the dip alone reads as a break
    assert detect.iki_drop(values) is None
    adjusted = detect.deseasonalise(values)
    assert len(adjusted) == 36
    assert abs(adjusted[-1] - 52.0) < 2.0  # December, seasonally adjusted, sits near the year's level


def test_a_break_in_a_seasonal_series_is_found_on_the_adjusted_values():
    values = seasonal(38)  # the newest month is a February ...
    values[-1] -= 7.0  # ... seven points below its usual February
    score = detect.iki_drop(values)
    assert score is not None
    assert score.z <= -detect.Z_THRESHOLD
    assert score.adjusted is not None and len(score.adjusted) == 38
    assert score.latest == score.adjusted[-1]


def test_below_36_months_nothing_is_adjusted_and_the_score_is_unchanged():
    values = seasonal(35)
    values[-1] -= 7.0
    assert detect.deseasonalise(values) is None
    assert detect.iki_drop(values) == detect.iki_drop(values, seasonal=False)
    assert detect.iki_drop(values).adjusted is None


def test_on_seasonal_synthetic_series_stl_keeps_precision_and_recall_at_08_and_the_raw_score_does_not():
    series = synthetic.generate_seasonal(120, seed=17)
    raw, adjusted = synthetic.evaluate(series, seasonal=False), synthetic.evaluate(series)
    print(f"without STL: precision={raw.precision:.3f} recall={raw.recall:.3f}")
    print(f"with STL: precision={adjusted.precision:.3f} recall={adjusted.recall:.3f}")
    assert adjusted.precision >= 0.8 and adjusted.recall >= 0.8
    assert raw.false_positives > adjusted.false_positives
    assert raw.precision < 0.8 or raw.recall < 0.8


def test_the_command_adds_the_seasonal_lines_after_the_unchanged_ones(capsys):
    call_command("ews_evaluate", "--series", "120", "--seed", "17")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("series=120 breaks=60 threshold_z=3.0")
    assert re.fullmatch(r"tp=\d+ fp=\d+ fn=\d+", lines[1])
    assert re.fullmatch(r"precision=[0-9.]+ recall=[0-9.]+ f1=[0-9.]+", lines[2])
    assert lines[3] == "seasonal_series=120 seasonal_breaks=60 period=12 min_points=36"
    stl = dict(re.findall(r"(\w+_stl)=([0-9.]+)", lines[5]))
    assert float(stl["precision_stl"]) >= 0.8 and float(stl["recall_stl"]) >= 0.8
    assert "precision_raw=" in lines[4]


@pytest.mark.django_db
def test_the_signal_evidence_says_whether_the_series_was_seasonally_adjusted(cast):
    b.iki_results({"10": [*seasonal(35), seasonal(36)[-1] - 8.0], "24": [*seasonal(35), None]})
    signals_refresh()
    drop = Signal.objects.get(kind="iki_turun", subsector="10")
    assert drop.evidence["seasonally_adjusted"] is True
    assert len(drop.evidence["adjusted_values"]) == 36
    assert drop.evidence["median"] == pytest.approx(52.0, abs=1.5)
    assert not Signal.objects.filter(subsector="24").exists()  # suppressed in the newest month


@pytest.mark.django_db
def test_a_series_with_a_suppressed_month_is_not_adjusted(cast):
    values = [*seasonal(35), seasonal(36)[-1]]
    values[10] = None
    b.iki_results({"10": values})
    signals_refresh()
    drop = Signal.objects.get(kind="iki_turun", subsector="10")  # the December dip, unadjusted, reads as a fall
    assert drop.evidence["seasonally_adjusted"] is False
    assert "adjusted_values" not in drop.evidence
