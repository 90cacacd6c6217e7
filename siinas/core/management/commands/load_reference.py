from django.core.management.base import BaseCommand

from siinas.core.services import reference_data_load


class Command(BaseCommand):
    help = "Load regions (Kemendagri), KBLI 2020 section C, GDP shares and national holidays. Idempotent."

    def handle(self, *args, **options):
        result = reference_data_load()
        self.stdout.write(
            f"reference data: {result.regions} regions, {result.kbli} KBLI codes, "
            f"{result.gdp_shares} GDP shares, {result.holidays} new holidays"
        )
