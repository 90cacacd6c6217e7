"""IKI demo data: twelve closed months of answers from the demo factory accounts.

Every producing account of the demo cast answers (a few skip a month, none before it registered), with a
latent business mood per account, per KBLI division and per month; each question reads that mood its own
way (orders swing more than the general condition, stock mostly stays, the six-month outlook leans
optimistic), so the five answer distributions are correlated but distinct. Divisions with fewer than
three respondents are suppressed on the public page. Deterministic (seeded RNG) and idempotent: running
it again rewrites the same rows.
"""

from __future__ import annotations

import random
from datetime import date

from django.utils import timezone

from accounts.demo import DemoCast
from accounts.demo_cast import POSITIONS, person
from accounts.models import Factory
from iki import selectors, services
from iki.engine import IKI_DIVISIONS
from iki.models import IkiRelease, IkiResponse
from iki.questions import FACTOR_QUESTIONS, Change, Outlook
from siinas.core.models import Kbli

SEED = 20260612
MONTHS = 12
# The general business climate month by month, oldest first (a dip mid-year, a recovery after).
CLIMATE = [0.02, 0.03, 0.02, 0.0, -0.03, -0.04, -0.02, 0.0, 0.02, 0.03, 0.03, 0.04]
# Division moods: food and beverages steady, textiles and footwear under import pressure.
DIVISION_MOOD = {"10": 0.08, "11": 0.1, "13": -0.15, "14": -0.12, "15": -0.1, "17": 0.02, "20": 0.04, "21": 0.1,
                 "22": 0.0, "23": -0.04, "24": -0.06, "25": 0.03, "27": 0.06, "28": 0.02, "29": 0.05, "31": -0.03}  # fmt: skip
# How each question reads the mood: (weight, bias, spread between accounts, up threshold, down threshold).
# The spread is an account's own lasting lean on that question: answers are sticky from month to month,
# as a panel's are, so the monthly index moves by a few points, not by ten.
QUESTIONS = {
    "general": (1.0, 0.0, 0.30, 0.22, -0.22),
    "orders": (1.3, 0.04, 0.45, 0.25, -0.25),
    "production": (1.1, 0.02, 0.35, 0.25, -0.28),
    "stock": (0.35, -0.05, 0.35, 0.38, -0.3),
    "outlook": (0.7, 0.28, 0.45, 0.3, -0.38),
}


def _closed_months(today: date) -> list[date]:
    month = today.replace(day=1)
    if not selectors.window_for(month).has_closed(today):
        month = selectors.previous_month(month)
    months = [month]
    for _ in range(MONTHS - 1):
        months.append(selectors.previous_month(months[-1]))
    return sorted(months)


def _answer(value: float, up: float, down: float, choices: list[str]) -> str:
    return choices[0] if value > up else (choices[2] if value < down else choices[1])


def _factors(rng: random.Random, answer: str, neutral: str, choices) -> tuple[list[str], str]:
    if answer == neutral:
        return [], ""
    codes = [c for c, _label in choices if c != "lainnya"]
    return rng.sample(codes, k=rng.choice([1, 1, 2])), ""


def _product(cast: DemoCast, key: str, factory: Factory, division: str, titles: dict[str, str]) -> str:
    member = cast.members.get(key)
    if member is not None:
        return member.line.products[0]
    return MAIN_PRODUCTS.get((key, division)) or titles[division]


MAIN_PRODUCTS = {("indopangan", "10"): "Tepung terigu", ("indopangan2", "10"): "Roti tawar", ("majutekstil", "13"): "Kain tenun poliester",
                 ("majutekstil", "14"): "Kemeja kerja", ("sinarlogam", "25"): "Baut dan mur baja", ("lalailapor", "10"): "Kue basah"}  # fmt: skip


def seed(cast: DemoCast) -> None:
    rng = random.Random(SEED)  # noqa: S311 — deterministic demo data, not security
    today = timezone.localdate()
    months = _closed_months(today)
    titles = dict(Kbli.objects.filter(pk__in=IKI_DIVISIONS).values_list("pk", "title"))
    lines = []
    for key, factory in sorted(cast.factories.items()):
        if factory.stage != Factory.Stage.PRODUCTION or factory.is_estate:
            continue
        official = (person(rng), rng.choice(POSITIONS), f"08{rng.randrange(11, 99)}{rng.randrange(10**7, 10**8)}")
        mood = rng.gauss(0, 0.15)
        lean = {question: rng.gauss(0, spread) for question, (_w, _b, spread, _u, _d) in QUESTIONS.items()}
        for division in sorted({k.division_id for k in factory.kbli.all()} & set(IKI_DIVISIONS)):
            lines.append((key, factory, division, official, mood, lean))
    changes = [Change.MENINGKAT, Change.TETAP, Change.MENURUN]
    outlooks = [Outlook.OPTIMIS, Outlook.TIDAK_BERUBAH, Outlook.PESIMIS]
    factories = [line[1] for line in lines]
    # A re-run rewrites the same months from the same seed: clear them first so skipped lines stay skipped.
    for stale in IkiResponse.objects.filter(factory__in=factories, period__in=months):
        stale.delete()  # one by one: each delete takes its contribution out of the month's tally
    climate = CLIMATE[-len(months) :]
    for month, weather in zip(months, climate, strict=True):
        for key, factory, division, (name, position, phone), mood, lean in lines:
            if timezone.localdate(factory.created_at) >= month or rng.random() < 0.08:
                continue  # not registered yet, or skipped this month (panel consistency below 100 %)
            latent = mood + weather + DIVISION_MOOD.get(division, 0.0) + rng.gauss(0, 0.06)
            answers = {}
            for question, (weight, bias, _spread, up, down) in QUESTIONS.items():
                value = weight * latent + bias + lean[question] + rng.gauss(0, 0.1)
                answers[question] = _answer(value, up, down, outlooks if question == "outlook" else changes)
            for answer, factors_field, other_field, choices, neutral in FACTOR_QUESTIONS:
                answers[factors_field], answers[other_field] = _factors(rng, answers[answer], neutral, choices)
            IkiResponse.objects.create(
                factory=factory,
                period=month,
                kbli2_id=division,
                operating_commercially=True,
                main_product=_product(cast, key, factory, division, titles)[:255],
                official_name=name,
                official_position=position,
                official_phone=phone,
                official_email=factory.email,
                **answers,
            )
    for month in months:
        outcome = services.iki_result_compute(actor=None, period=month, via="demo", today=today)
        if outcome.result.iki is not None and not IkiRelease.objects.filter(period=month).exists():
            services.iki_release_publish(actor=None, period=month, via="demo", today=today)
    cast.logins.append(("—", "Publik", f"Rilis IKI {months[-1]:%Y-%m} di /iki/ ({len(lines)} baris responden, {MONTHS} bulan)"))
