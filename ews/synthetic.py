"""Synthetic IKI-like series with planted breaks, and the detector's precision and recall on them
(``manage.py ews_evaluate``; docs/statistics.md, "Early-warning system (EWS)").

Each series is ``length`` months around a level near 52 with AR(1) noise (φ = 0.3, σ between 0.8 and
2.0 index points, a Student-t shock now and then). Half of them get a level drop of 4–8 σ starting in
one of their last three months — the "break" the detector must report at the latest month; the other
half are stable and must stay quiet. Deterministic for a given seed (``random.Random``).

``generate_seasonal`` adds a strong 12-month pattern on top: a yearly wave of 2–4 σ and one month a
year 5–8 σ lower (a Lebaran- or year-end-like dip). Its stable series end in their dip month — the case
where a detector that ignores seasonality raises a false alarm; the planted series have their dip in a
random month. ``evaluate(..., seasonal=False)`` runs the detector without STL for the comparison.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from ews.detect import iki_drop

LENGTH = 36
PHI = 0.3
YEAR = 12


@dataclass(frozen=True)
class Series:
    values: tuple[float, ...]
    break_at: int | None  # index of the first month at the lower level; None for a stable series
    drop: float


@dataclass(frozen=True)
class Evaluation:
    series: int
    breaks: int
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.breaks if self.breaks else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def generate(count: int, *, seed: int, length: int = LENGTH) -> list[Series]:
    """IKI-like monthly series around 52 (AR(1) noise with an occasional heavy month); every other one has
    a level drop planted in its last three months."""
    return _generate(count, seed=seed, length=length, seasonal=False)


def generate_seasonal(count: int, *, seed: int, length: int = LENGTH) -> list[Series]:
    """The same with a yearly wave and one month a year much lower (a Lebaran-like dip); a stable series
    ends in its dip month, so an unadjusted score takes the dip for a fall."""
    return _generate(count, seed=seed, length=length, seasonal=True)


def _generate(count: int, *, seed: int, length: int, seasonal: bool) -> list[Series]:
    rng = random.Random(seed)  # noqa: S311 — reproducible test data, not secrets
    out = []
    for i in range(count):
        level = rng.uniform(49.0, 55.0)
        sigma = rng.uniform(0.8, 2.0)
        planted = i % 2 == 1
        break_at = length - rng.randint(1, 3) if planted else None
        drop = rng.uniform(4.0, 8.0) * sigma if planted else 0.0
        wave = dip = 0.0
        dip_month = -1
        if seasonal:
            wave = rng.uniform(2.0, 4.0) * sigma
            dip = rng.uniform(5.0, 8.0) * sigma
            dip_month = rng.randrange(YEAR) if planted else (length - 1) % YEAR  # stable: the latest month is the dip
        noise, values = 0.0, []
        for t in range(length):
            shock = rng.gauss(0.0, sigma)
            if rng.random() < 0.05:  # an occasional heavy-tailed month (a survey hiccup, a holiday)
                shock *= 2.5
            noise = PHI * noise + shock
            shift = -drop if break_at is not None and t >= break_at else 0.0
            if seasonal:
                season = wave * math.sin(2 * math.pi * (t % YEAR) / YEAR) - (dip if t % YEAR == dip_month else 0.0)
                values.append(round(level + season + shift + noise, 2))
            else:
                values.append(round(level + shift + noise, 2))
        out.append(Series(values=tuple(values), break_at=break_at, drop=drop))
    return out


def evaluate(series: list[Series], *, seasonal: bool = True) -> Evaluation:
    """Run the detector at the latest month of each series: a flag on a planted series is a true
    positive, on a stable one a false positive; an unflagged planted series is a miss. ``seasonal``
    False runs it without the STL seasonal adjustment."""
    tp = fp = fn = 0
    for s in series:
        flagged = iki_drop(s.values, seasonal=seasonal) is not None
        if s.break_at is not None:
            tp, fn = (tp + 1, fn) if flagged else (tp, fn + 1)
        elif flagged:
            fp += 1
    breaks = sum(1 for s in series if s.break_at is not None)
    return Evaluation(series=len(series), breaks=breaks, true_positives=tp, false_positives=fp, false_negatives=fn)
