"""The early-warning detectors: pure functions over plain number series (docs/statistics.md,
"Early-warning system (EWS)"). No database here, so ``ews_evaluate`` and the tests run them on
synthetic series exactly as ``ews.sources`` runs them on the stored aggregates.

One default method: the **robust z-score** of the latest value against the series' own history
(median and MAD, which a past outlier or an earlier break barely moves), plus two plain rules — the
IKI contraction streak and the year-on-year fall of a semester measure. A monthly series of three years
or more is first seasonally adjusted with STL (``deseasonalise``), so a month that is low every year
(Lebaran, the year-end) is not read as a break.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from statistics import median

# --- Parameters (the documented defaults; docs/statistics.md) -------------------------------------
Z_THRESHOLD = 3.0  # a latest value at least 3 robust standard deviations beyond the history's median
MIN_HISTORY = 8  # fewer earlier points: no z-score at all (a short series has no "usual" yet)
HISTORY_WINDOW = 24  # the z-score compares with at most this many earlier points (two years of months)
MAD_TO_SD = 1.4826  # MAD × 1.4826 estimates the standard deviation of normal noise
IKI_MIN_SCALE = 0.5  # IKI points: a series that hardly moved is not called broken by a 1-point dip
IKI_CONTRACTION = 50.0  # IKI below 50 is contraction (SIINAS.md §5)
STREAK_MONTHS = 3  # contraction for this many consecutive months is a signal
YOY_FALL_PCT = 20.0  # a semester measure falling more than 20 % against the same semester a year earlier
MIN_COMPANIES = 3  # an aggregate of fewer companies is never a signal (the n ≥ 3 confidentiality rule)
IOMKI_REDUCED_UTILISATION = 50.0  # a weekly report below 50 % utilisation (or not operating) is "reduced"
IOMKI_MIN_RISE = 0.15  # the reduced share must also rise by 15 percentage points over its median
IOMKI_MIN_SCALE = 0.05  # shares: a flat history is treated as varying by at least 5 points
SEASONAL_MIN_POINTS = 36  # STL seasonal adjustment from three full years of months on
SEASONAL_PERIOD = 12  # months in the seasonal cycle
SEASONAL_DEGREE = 0  # local-constant seasonal smoother: a degree-1 fit extrapolates the latest month's break


@dataclass(frozen=True)
class ZScore:
    """The latest value against its history: ``z`` in robust standard deviations."""

    latest: float
    median: float
    scale: float
    z: float
    history: int
    adjusted: tuple[float, ...] | None = None  # the seasonally adjusted series the score was read on, if any


def robust_z(values: Sequence[float], *, min_scale: float = 0.0, window: int = HISTORY_WINDOW) -> ZScore | None:
    """The robust z-score of ``values[-1]`` against up to ``window`` values before it; None when fewer
    than ``MIN_HISTORY`` earlier values exist. The scale is the MAD × 1.4826, floored at ``min_scale``
    (a perfectly flat history would otherwise make any change infinite)."""
    if len(values) < MIN_HISTORY + 1:
        return None
    history = [float(v) for v in values[-1 - window : -1]]
    latest = float(values[-1])
    centre = median(history)
    scale = max(MAD_TO_SD * median(abs(v - centre) for v in history), min_scale)
    if scale == 0:
        return None
    return ZScore(latest=latest, median=centre, scale=scale, z=(latest - centre) / scale, history=len(history))


def deseasonalise(values: Sequence[float]) -> tuple[float, ...] | None:
    """The seasonally adjusted series (STL trend + residual, i.e. the values less their seasonal
    component) of a monthly series of at least ``SEASONAL_MIN_POINTS`` consecutive months; None for a
    shorter one. STL with period 12 and robust weights, so a break or an outlier is left in the
    residual instead of being spread over the seasonal pattern; the seasonal smoother is local-constant
    (``SEASONAL_DEGREE``) because the default local-linear one follows a break in the newest months into
    the seasonal component and hides it (docs/statistics.md)."""
    if len(values) < SEASONAL_MIN_POINTS:
        return None
    from statsmodels.tsa.seasonal import STL  # lazy: statsmodels (numpy, scipy, pandas) is heavy to import

    fit = STL([float(v) for v in values], period=SEASONAL_PERIOD, robust=True, seasonal_deg=SEASONAL_DEGREE).fit()
    return tuple(round(float(t + r), 2) for t, r in zip(fit.trend, fit.resid, strict=True))


def iki_drop(values: Sequence[float], *, seasonal: bool = True) -> ZScore | None:
    """A sharp fall of an IKI series: its robust z-score when it is at or below ``-Z_THRESHOLD``. With
    ``seasonal`` (the default) a series of ``SEASONAL_MIN_POINTS`` or more is scored on its seasonally
    adjusted values (``deseasonalise``), which the returned score carries as ``adjusted``."""
    adjusted = deseasonalise(values) if seasonal else None
    score = robust_z(values if adjusted is None else adjusted, min_scale=IKI_MIN_SCALE)
    if score is None or score.z > -Z_THRESHOLD:
        return None
    return replace(score, adjusted=adjusted)


def contraction_streak(values: Sequence[float]) -> int:
    """How many of the latest consecutive values are below 50 (0 when the latest is not)."""
    streak = 0
    for value in reversed(values):
        if value >= IKI_CONTRACTION:
            break
        streak += 1
    return streak


def yoy_fall_pct(previous: float, current: float) -> float | None:
    """The fall from ``previous`` to ``current`` in percent (positive = fell); None without a base."""
    if previous <= 0:
        return None
    return round(100.0 * (previous - current) / previous, 2)


def iomki_rise(shares: Sequence[float]) -> ZScore | None:
    """A sharp rise in the share of permits reporting reduced operation: robust z ≥ ``Z_THRESHOLD``
    and at least ``IOMKI_MIN_RISE`` above the history's median."""
    score = robust_z(shares, min_scale=IOMKI_MIN_SCALE)
    if score is None or score.z < Z_THRESHOLD or score.latest - score.median < IOMKI_MIN_RISE:
        return None
    return score
