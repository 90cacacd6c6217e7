"""``manage.py ews_evaluate [--series 500] [--seed 17]``: the IKI drop detector on synthetic series with
planted breaks, at the documented threshold (ews.detect.Z_THRESHOLD). Prints precision, recall and F1;
then the same for as many series with a strong 12-month seasonal pattern, scored without and with the STL
seasonal adjustment (keys suffixed ``_raw`` and ``_stl``, so the first lines read as before). Exits 1 when
precision or recall is below 0.8 on the plain series or, with STL, on the seasonal ones. Deterministic
for a given seed."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ews import detect
from ews.synthetic import evaluate, generate, generate_seasonal

TARGET = 0.8


class Command(BaseCommand):
    help = "Evaluasi detektor peringatan dini pada deret sintetis dengan patahan yang ditanam."

    def add_arguments(self, parser):
        parser.add_argument("--series", type=int, default=500, help="jumlah deret sintetis (separuhnya berpatahan)")
        parser.add_argument("--seed", type=int, default=17)

    def handle(self, *args, series: int, seed: int, **options):
        if series < 2:
            raise CommandError("--series minimal 2.")
        result = evaluate(generate(series, seed=seed))
        self.stdout.write(
            f"series={result.series} breaks={result.breaks} threshold_z={detect.Z_THRESHOLD} "
            f"min_history={detect.MIN_HISTORY} window={detect.HISTORY_WINDOW}"
        )
        self.stdout.write(
            f"tp={result.true_positives} fp={result.false_positives} fn={result.false_negatives}"
        )
        self.stdout.write(f"precision={result.precision:.3f} recall={result.recall:.3f} f1={result.f1:.3f}")
        seasonal = generate_seasonal(series, seed=seed)
        raw, adjusted = evaluate(seasonal, seasonal=False), evaluate(seasonal)
        self.stdout.write(
            f"seasonal_series={adjusted.series} seasonal_breaks={adjusted.breaks} "
            f"period={detect.SEASONAL_PERIOD} min_points={detect.SEASONAL_MIN_POINTS}"
        )
        for suffix, figures in (("raw", raw), ("stl", adjusted)):
            self.stdout.write(
                f"tp_{suffix}={figures.true_positives} fp_{suffix}={figures.false_positives} "
                f"fn_{suffix}={figures.false_negatives} precision_{suffix}={figures.precision:.3f} "
                f"recall_{suffix}={figures.recall:.3f} f1_{suffix}={figures.f1:.3f}"
            )
        if min(result.precision, result.recall, adjusted.precision, adjusted.recall) < TARGET:
            raise CommandError(f"precision or recall below {TARGET}", returncode=1)
