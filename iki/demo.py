"""IKI demo data: six closed months of answers from the demo factories plus synthetic respondents
(no logins) so the public release shows unsuppressed subsectors. Deterministic (seeded RNG) and
idempotent: running it again rewrites the same rows."""

from __future__ import annotations

import random
from datetime import date

from django.utils import timezone

from accounts.demo import DemoCast
from accounts.models import AccountType, Company, Factory, Scale
from iki import selectors, services
from iki.engine import IKI_DIVISIONS
from iki.models import IkiRelease, IkiResponse
from iki.questions import FACTOR_QUESTIONS, Change, Outlook
from siinas.core.models import Kbli, Region

SEED = 20260612
MONTHS = 6
# Synthetic respondents per division: enough for most published cells, two divisions left under 3
# so the page shows what a suppressed cell looks like.
SYNTHETIC = {"10": 16, "11": 7, "13": 9, "14": 7, "17": 5, "20": 9, "22": 7, "24": 5, "25": 9, "27": 5, "29": 7, "31": 5, "16": 2, "32": 1}
PROVINCES = ("31", "32", "33", "35", "36")


def _closed_months(today: date) -> list[date]:
    month = today.replace(day=1)
    if not selectors.window_for(month).has_closed(today):
        month = selectors.previous_month(month)
    months = [month]
    for _ in range(MONTHS - 1):
        months.append(selectors.previous_month(months[-1]))
    return sorted(months)


def _synthetic_factories(rng: random.Random) -> list[Factory]:
    regions = list(
        Region.objects.filter(province_id__in=PROVINCES).exclude(level=Region.Level.PROVINSI).order_by("code")
    )
    kelompok = {
        d: Kbli.objects.filter(level=Kbli.Level.KELOMPOK, division_id=d).order_by("code").first() for d in SYNTHETIC
    }
    factories = []
    number = 0
    for division, count in SYNTHETIC.items():
        for _ in range(count):
            number += 1
            nib = f"{8800000000000 + number:013d}"
            company, _created = Company.objects.update_or_create(
                nib=nib, defaults={"name": f"PT Responden IKI Demo {number:02d}", "npwp": f"{990000000000000 + number:015d}"}
            )
            factory = Factory.objects.filter(company=company).first() or Factory(company=company)
            factory.name = f"Pabrik {number:02d}"
            factory.account_type = AccountType.A
            factory.address = f"Jalan Industri Demo No. {number}"
            factory.region = rng.choice(regions)
            factory.scale = rng.choice([Scale.KECIL, Scale.MENENGAH, Scale.BESAR])
            factory.stage = Factory.Stage.PRODUCTION
            factory.workforce = rng.choice([25, 60, 120, 250, 480, 900, 1500])
            factory.email = f"responden{number:02d}@demo.siinas.go.id"
            factory.save()
            factory.kbli.set([kelompok[division]])
            factories.append(factory)
    return factories


def _answer(rng: random.Random, mood: float, choices: list[str]) -> str:
    """mood > 0 leans to the first choice (up), < 0 to the last (down)."""
    up, same, down = choices
    roll = rng.random() + mood
    return up if roll > 0.68 else (same if roll > 0.32 else down)


def _factors(rng: random.Random, answer: str, neutral: str, choices) -> tuple[list[str], str]:
    if answer == neutral:
        return [], ""
    codes = [c for c, _label in choices if c != "lainnya"]
    picked = rng.sample(codes, k=rng.choice([1, 1, 2]))
    return picked, ""


def seed(cast: DemoCast) -> None:
    rng = random.Random(SEED)  # noqa: S311 — deterministic demo data, not security
    today = timezone.localdate()
    months = _closed_months(today)
    factories = list(cast.factories.values()) + _synthetic_factories(rng)
    lines = []
    for factory in factories:
        for division in sorted({k.division_id for k in factory.kbli.all()} & set(IKI_DIVISIONS)):
            lines.append((factory, division))
    changes = [Change.MENINGKAT, Change.TETAP, Change.MENURUN]
    outlooks = [Outlook.OPTIMIS, Outlook.TIDAK_BERUBAH, Outlook.PESIMIS]
    moods = [0.01, 0.025, -0.015, 0.02, 0.005, 0.015][-len(months) :]
    # A re-run rewrites the same months from the same seed: clear them first so skipped lines stay skipped.
    for stale in IkiResponse.objects.filter(factory__in=factories, period__in=months):
        stale.delete()  # one by one: each delete takes its contribution out of the month's tally
    for month, mood in zip(months, moods, strict=True):
        for factory, division in lines:
            if factory.stage != Factory.Stage.PRODUCTION or rng.random() < 0.08:
                continue  # a few lines skip a month, so panel consistency is below 100 %
            answers = {
                "general": _answer(rng, mood, changes),
                "orders": _answer(rng, mood + 0.03, changes),
                "production": _answer(rng, mood, changes),
                "stock": _answer(rng, mood - 0.05, changes),
                "outlook": _answer(rng, mood + 0.1, outlooks),
            }
            for answer, factors_field, other_field, choices, neutral in FACTOR_QUESTIONS:
                answers[factors_field], answers[other_field] = _factors(rng, answers[answer], neutral, choices)
            IkiResponse.objects.create(
                factory=factory,
                period=month,
                kbli2_id=division,
                **{
                    "operating_commercially": True,
                    "main_product": Kbli.objects.get(code=division).title[:255],
                    "official_name": "Pejabat Demo",
                    "official_position": "Manajer Produksi",
                    "official_phone": "0215255509",
                    "official_email": factory.email,
                    **answers,
                },
            )
    for month in months:
        outcome = services.iki_result_compute(actor=None, period=month, via="demo", today=today)
        if outcome.result.iki is not None and not IkiRelease.objects.filter(period=month).exists():
            services.iki_release_publish(actor=None, period=month, via="demo", today=today)
    cast.logins.append(("—", "Publik", f"Rilis IKI {months[-1]:%Y-%m} di /iki/ ({len(lines)} baris responden demo)"))
