"""Load the deterministic demo data: every app contributes through its ``demo.seed(cast)``."""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo import DEMO_PASSWORD, DemoCast

# Order matters: later apps build on the cast of earlier ones.
DEMO_APPS = ["accounts", "reporting", "verification", "iki", "eservice", "pemda", "ews", "api", "analisis"]


class Command(BaseCommand):
    help = "Load demo users, companies and data (never under production settings) and print the demo logins."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("load_demo is refused under SIINAS_ENV=production.")
        cast = DemoCast()
        with transaction.atomic():
            for app in DEMO_APPS:
                try:
                    module = import_module(f"{app}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{app}.demo":
                        raise
                    continue
                module.seed(cast)
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded. Logins (password for all: {DEMO_PASSWORD}):"))
        for username, role, note in cast.logins:
            self.stdout.write(f"  {username:<20} {role:<28} {note}")
