"""``manage.py ews_refresh``: recompute the early-warning signals now (the nightly task does the same)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ews.services import signals_refresh


class Command(BaseCommand):
    help = "Hitung ulang sinyal peringatan dini dari IKI, laporan tervalidasi dan laporan mingguan IOMKI."

    def handle(self, *args, **options):
        counts = signals_refresh()
        self.stdout.write(f"active={counts['active']} new={counts['new']} closed={counts['closed']}")
