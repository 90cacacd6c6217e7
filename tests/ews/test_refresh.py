"""``ews_refresh``: the signals raised by the stored aggregates, recomputed idempotently."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from ews import detect
from ews.models import Signal
from ews.services import signals_refresh
from tests.ews import builders as b

pytestmark = pytest.mark.django_db


def _keys(**filters) -> set[tuple]:
    return set(Signal.objects.filter(active=True, **filters).values_list("kind", "measure", "subsector", "region"))


def test_iki_signals_are_a_contraction_streak_and_a_sharp_fall_of_the_subsector(material):
    signals_refresh()
    assert _keys(source="iki") == {
        ("iki_kontraksi", "iki", "10", ""),
        ("iki_turun", "iki", "10", ""),
    }
    streak = Signal.objects.get(kind="iki_kontraksi")
    assert (streak.score, streak.threshold, streak.period, streak.period_label) == (3, 3, material.months[-1], "2025-09")
    assert streak.evidence["values"][-3:] == [48.5, 47.9, 47.2]
    assert streak.evidence["labels"][-1] == "2025-09"
    drop = Signal.objects.get(kind="iki_turun")
    assert drop.score <= -detect.Z_THRESHOLD
    assert drop.evidence["median"] == 52.1  # of the 20 months before: the two contracting ones barely move it


def test_a_suppressed_month_breaks_the_streak_and_is_left_out_of_the_series(material):
    signals_refresh()
    assert not Signal.objects.filter(subsector="25", source="iki").exists()


def test_a_year_on_year_fall_is_signalled_per_province_and_kabupaten_with_at_least_3_companies(material):
    signals_refresh()
    assert _keys(source="laporan") == {
        ("laporan_turun", "production", "10", "32"),
        ("laporan_turun", "production", "10", "32.16"),
    }
    signal = Signal.objects.get(source="laporan", region="32.16")
    assert signal.companies == 3  # the newcomer without a report a year earlier is not in the panel
    assert signal.evidence["values"] == [3003, 2103]
    assert signal.score == 29.97
    assert signal.threshold == detect.YOY_FALL_PCT
    assert signal.period_label == "2026-S1"
    # Surabaya's two metal factories fell 90 %: two companies are never a signal
    assert not Signal.objects.filter(region__in=["35", "35.78"]).exists()


def test_a_sharp_rise_of_iomki_permits_operating_reduced_is_signalled(material):
    signals_refresh()
    assert _keys(source="iomki") == {
        ("iomki_naik", "reduced", "10", ""),
        ("iomki_naik", "reduced", "", ""),
        ("iomki_naik", "reduced", "", "32"),
        ("iomki_naik", "reduced", "", "32.16"),
    }
    signal = Signal.objects.get(source="iomki", region="32.16")
    assert signal.evidence["values"][-1] == 75.0
    assert signal.evidence["median"] == 0.0
    assert signal.companies == 4
    assert signal.period == material.weeks[-1]


def test_the_refresh_is_idempotent(material):
    with time_machine.travel("2026-11-02 01:30 +0700", tick=False):
        first = signals_refresh()
    rows = {s.pk: (s.score, s.evidence, s.first_seen) for s in Signal.objects.all()}
    with time_machine.travel("2026-11-03 01:30 +0700", tick=False):
        second = signals_refresh()
    assert first["new"] == len(rows) == first["active"] == second["active"]
    assert (second["new"], second["closed"]) == (0, 0)
    assert {s.pk: (s.score, s.evidence, s.first_seen) for s in Signal.objects.all()} == rows
    assert {timezone.localdate(s.last_seen) for s in Signal.objects.all()} == {dt.date(2026, 11, 3)}


def test_a_signal_no_longer_found_is_closed_and_kept(material):
    signals_refresh()
    # the next month the food subsector recovers: its signals of 2025-09 close, nothing new opens for it
    b.iki_results_append({"10": 52.4, "24": 52.0, "25": 51.0})
    counts = signals_refresh()
    assert counts["closed"] == 2
    assert not _keys(source="iki")
    assert Signal.objects.filter(source="iki", active=False).count() == 2


def test_the_command_prints_the_counts(material, capsys):
    call_command("ews_refresh")
    assert capsys.readouterr().out.strip() == "active=8 new=8 closed=0"


def test_a_signal_found_again_after_closing_is_reopened_with_its_first_sighting(material):
    with time_machine.travel("2026-11-02 01:30 +0700", tick=False):
        signals_refresh()
    signal = Signal.objects.get(source="laporan", region="32.16")
    first_seen = signal.first_seen
    with time_machine.travel("2026-11-03 01:30 +0700", tick=False):
        signals_refresh(candidates=[])  # e.g. a report left Tervalidasi for a day
    signal.refresh_from_db()
    assert not signal.active
    with time_machine.travel("2026-11-04 01:30 +0700", tick=False):
        signals_refresh()
    signal.refresh_from_db()
    assert signal.active and signal.first_seen == first_seen


def test_the_nightly_task_runs_the_refresh(material):
    from ews.tasks import refresh_signals

    assert refresh_signals.apply().get() == {"active": 8, "new": 8, "closed": 0}


def test_a_fall_in_a_cell_one_or_two_companies_dominate_is_not_published(cast):
    """The evidence shows the cell's values: the dominance rule of every magnitude table applies."""
    for factory, (before, now) in zip(b.factories(3, region="32.73"), [(10_000, 5_000), (100, 60), (100, 60)], strict=True):
        b.validated(factory, year=2025, production=before)
        b.validated(factory, year=2026, production=now)
    signals_refresh()
    assert not Signal.objects.filter(source="laporan", region__in=["32.73", "32"]).exists()
