"""``manage.py ews_evaluate``: precision and recall on synthetic series with planted breaks."""

from __future__ import annotations

import re

import pytest
from django.core.management import CommandError, call_command

from ews import synthetic


def _figures(out: str) -> dict[str, float]:
    return {k: float(v) for k, v in re.findall(r"(precision|recall|f1)=([0-9.]+)", out)}


def test_the_detector_reaches_08_precision_and_recall_at_the_documented_threshold(capsys):
    call_command("ews_evaluate", "--series", "120", "--seed", "17")
    out = capsys.readouterr().out
    figures = _figures(out)
    assert figures["precision"] >= 0.8
    assert figures["recall"] >= 0.8
    assert "threshold_z=3.0" in out and "breaks=60" in out


def test_the_evaluation_is_deterministic(capsys):
    call_command("ews_evaluate", "--series", "60", "--seed", "5")
    first = capsys.readouterr().out
    call_command("ews_evaluate", "--series", "60", "--seed", "5")
    assert capsys.readouterr().out == first


def test_half_of_the_series_carry_a_break_in_their_last_three_months():
    series = synthetic.generate(40, seed=17)
    planted = [s for s in series if s.break_at is not None]
    assert len(planted) == 20
    assert all(synthetic.LENGTH - 3 <= s.break_at < synthetic.LENGTH for s in planted)


def test_a_detector_that_flags_everything_fails_the_target(monkeypatch):
    monkeypatch.setattr(synthetic, "iki_drop", lambda values, **options: object())
    with pytest.raises(CommandError, match="below 0.8"):
        call_command("ews_evaluate", "--series", "40")
