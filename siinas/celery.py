"""The Celery app and the beat schedule (each entry says when and why).

With no REDIS_URL, settings make every task run eagerly in-process; with it, ``celery -A siinas
worker`` and ``celery -A siinas beat`` run them. Tasks are thin: they take ids and call services,
which are idempotent (unique constraints + sent markers), so a retry never duplicates a letter.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siinas.settings")

app = Celery("siinas")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Apps add their entries as their jobs land. Times are Asia/Jakarta (CELERY_TIMEZONE).
app.conf.beat_schedule = {}


@app.task(name="siinas.ping")
def ping(value: str = "pong") -> str:
    """Round-trip probe used by the health check and the broker test."""
    return value
