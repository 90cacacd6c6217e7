"""The detectors on hand-built series (docs/statistics.md, "Early-warning system (EWS)")."""

from __future__ import annotations

from ews import detect

STABLE = [52.1, 51.4, 52.8, 53.0, 51.9, 52.5, 51.2, 52.9, 52.3, 51.7, 52.6, 52.0]


def test_a_planted_iki_break_is_found():
    score = detect.iki_drop([*STABLE, 45.0])
    assert score is not None
    assert score.z <= -detect.Z_THRESHOLD
    assert score.median == 52.2
    assert score.history == len(STABLE)


def test_a_stable_noisy_iki_series_is_not_flagged():
    assert detect.iki_drop([*STABLE, 51.3]) is None


def test_a_rise_is_not_an_iki_drop():
    assert detect.iki_drop([*STABLE, 60.0]) is None


def test_too_short_a_history_gives_no_score():
    assert detect.robust_z(STABLE[: detect.MIN_HISTORY]) is None  # 7 earlier points + the latest
    assert detect.iki_drop([52.0, 52.5, 51.8, 45.0]) is None
    assert detect.robust_z(STABLE[: detect.MIN_HISTORY + 1]) is not None


def test_a_flat_history_is_read_with_the_minimum_scale():
    # MAD 0: the floor (0.5 IKI points) keeps a 1-point dip from being an infinite z-score
    score = detect.robust_z([52.0] * 10 + [51.0], min_scale=detect.IKI_MIN_SCALE)
    assert score.scale == detect.IKI_MIN_SCALE
    assert score.z == -2.0
    assert detect.iki_drop([52.0] * 10 + [51.0]) is None


def test_only_the_last_24_points_are_history():
    old_level = [70.0] * 30
    score = detect.robust_z([*old_level, *STABLE, *STABLE, 52.0])
    assert score.history == detect.HISTORY_WINDOW
    assert abs(score.median - 52.2) < 0.01


def test_the_contraction_streak_counts_the_latest_months_below_50():
    assert detect.contraction_streak([51, 49, 48, 47.5]) == 3
    assert detect.contraction_streak([49, 48, 50, 49.9]) == 1
    assert detect.contraction_streak([49, 48, 47, 50]) == 0
    assert detect.contraction_streak([]) == 0


def test_the_year_on_year_fall_is_in_percent_of_the_year_before():
    assert detect.yoy_fall_pct(1000, 750) == 25.0
    assert detect.yoy_fall_pct(1000, 1200) == -20.0
    assert detect.yoy_fall_pct(0, 10) is None


def test_a_sharp_rise_of_reduced_iomki_permits_is_found_and_a_small_one_is_not():
    shares = [0.10, 0.12, 0.08, 0.10, 0.11, 0.09, 0.10, 0.12]
    assert detect.iomki_rise([*shares, 0.45]) is not None
    assert detect.iomki_rise([*shares, 0.20]) is None  # 10 points over the median: under the 15-point floor
    assert detect.iomki_rise([*shares[:7], 0.45]) is None  # seven earlier weeks: too short


def test_the_detectors_keep_the_portals_confidentiality_minimum():
    from pemda.selectors.territory import MIN_COMPANIES

    assert detect.MIN_COMPANIES == MIN_COMPANIES
