"""Load the national-scale data set (issue 14) into an empty database, for benchmarks and load tests.

    python manage.py load_scale [--factories 50000] [--seed 14]

Refused under production settings and on a database that already holds factory accounts. Every row
is written in one transaction: when the sample of generated reports fails the project's own submit
checks, the command fails and nothing is kept. What is generated: siinas/core/scale/__init__.py.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from siinas.core import scale
from siinas.core.scale.people import PASSWORD, PREFIX


class Command(BaseCommand):
    help = "Isi basis data kosong dengan data skala nasional (bawaan 50.000 akun pabrik), deterministik per seed."

    def add_arguments(self, parser):
        parser.add_argument(
            "--factories", type=int, default=scale.DEFAULT_FACTORIES, help="akun pabrik (bawaan 50000)"
        )
        parser.add_argument(
            "--seed", type=int, default=scale.DEFAULT_SEED, help="seed pembangkit acak (bawaan 14)"
        )

    def handle(self, *args, factories: int, seed: int, **options):
        if factories < 20:
            raise CommandError("--factories minimal 20")
        out = self.stdout.write
        out(f"load_scale: {factories} factory accounts, seed {seed}")
        try:
            summary = scale.load(factories=factories, seed=seed, log=out)
        except scale.ScaleRefused as exc:
            raise CommandError(str(exc)) from exc
        except scale.ScaleCheckFailed as exc:
            raise CommandError(f"{exc}\nNothing was kept.") from exc
        out(f"done in {summary.seconds:.1f} s; {summary.checked} sampled reports pass the submit checks")
        out("rows written:")
        for label, count in sorted(summary.rows.items()):
            out(f"  {label:<36} {count:>10,}")
        out("reports by status: " + ", ".join(f"{k} {v:,}" for k, v in sorted(summary.reports.items())))
        out("IKI responses by month: " + ", ".join(f"{k} {v:,}" for k, v in summary.iki.items()))
        out(
            "e-service applications by status: "
            + ", ".join(f"{k} {v:,}" for k, v in sorted(summary.applications.items()))
        )
        out(f"directory profiles: {summary.profiles:,}")
        for name, counter in summary.shapes.items():
            top = ", ".join(f"{k} {v:,}" for k, v in counter.most_common(8))
            out(f"{name}: {top}")
        out(f"logins: {PREFIX}p000001 … (company), {PREFIX}verifikator_01, {PREFIX}validator_pangan_1, {PREFIX}pemda_32, "
            f"{PREFIX}pemda_32_16, {PREFIX}admin; password {PASSWORD}; officers' TOTP secret: siinas.core.scale.people.totp_key")  # fmt: skip
        out(f"checksum: {scale.checksum()}")
