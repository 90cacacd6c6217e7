"""The Celery app and the beat schedule (each entry says when and why).

With no REDIS_URL, settings make every task run eagerly in-process; with it, ``celery -A siinas
worker`` and ``celery -A siinas beat`` run them. Tasks are thin: they take ids and call services,
which are idempotent (unique constraints + sent markers), so a retry never duplicates a letter.
"""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

from siinas.lib.observability import connect_celery_signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siinas.settings")

app = Celery("siinas")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The request id travels with each task, task outcomes are counted, workers log as the web does.
connect_celery_signals()

# Apps add their entries as their jobs land. Times are Asia/Jakarta (CELERY_TIMEZONE).
app.conf.beat_schedule = {
    # Every minute: deliver the outbox (e-mails and tasks recorded by business actions) that is due —
    # messages a web process could not hand to a worker (broker down) and retries after a failure
    # (mail server down), with backoff. Delivery locks each row, so overlapping sweeps send nothing twice.
    "core-deliver-outbox": {
        "task": "core.deliver_outbox",
        "schedule": 60.0,
    },
    # Every morning at 07:00 WIB: reminders H-14/H-3 before a reporting window closes, then SP1–SP3
    # one month apart to factories without a report (SIINAS.md §4). Idempotent, so a second beat or
    # a re-run sends nothing twice; it also re-dispatches anything a crashed run left unsent.
    "verification-compliance-daily": {
        "task": "verification.run_compliance",
        "schedule": crontab(hour=7, minute=0),
    },
    # Every night at 00:30 WIB: store each IKI month whose questionnaire window has closed (by default
    # the 23rd, so the month is computed in the first run of the 24th; a window an admin moved is
    # caught the night after it closes). A stored month is left alone, so re-runs change nothing.
    "iki-compute-closed-months": {
        "task": "iki.compute_closed_months",
        "schedule": crontab(hour=0, minute=30),
    },
    # Every morning at 06:00 WIB: e-mail password-expiry reminders 14 and 3 days before a password
    # turns 6 months old (ministry policy). One PasswordReminder marker per user, expiry date and
    # threshold makes re-runs and retries send nothing twice; a missed day is caught up next run.
    "accounts-password-expiry-reminders": {
        "task": "accounts.password_expiry_reminders",
        "schedule": crontab(hour=6, minute=0),
    },
    # Hourly 08:00–16:00 WIB on weekdays: e-mail UPP the registrations that passed their
    # 1-working-day SLA (SIINAS.md §9). Each registration is announced once (sla_alert_sent_at).
    "accounts-registration-sla-alerts": {
        "task": "accounts.registration_sla_alerts",
        "schedule": crontab(minute=0, hour="8-16", day_of_week="mon-fri"),
    },
    # Thursdays at 08:00 WIB: remind each valid IOMKI permit that has not filed this week's condition
    # report (SE Menperin 5/2021 weekly reporting). One WeeklyReminder per permit and week, sent once.
    "eservice-iomki-weekly-reminders": {
        "task": "eservice.iomki_weekly_reminders",
        "schedule": crontab(hour=8, minute=0, day_of_week="thu"),
    },
    # Every night at 01:30 WIB (after the IKI night stored last month's result): recompute the
    # early-warning signals from IKI, the validated reports and the IOMKI weekly reports. Idempotent:
    # a signal found again keeps its row, one no longer found is closed (ews.services.signals_refresh).
    "ews-refresh-signals": {
        "task": "ews.refresh_signals",
        "schedule": crontab(hour=1, minute=30),
    },
    # Mondays at 07:00 WIB: the weekly early-warning digest to validators and Pemda officers with active
    # signals in their scope. One outbox row per recipient and week (dedupe key), so a re-run sends nothing twice.
    "ews-weekly-digest": {
        "task": "ews.send_weekly_digest",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
    },
    # Every night at 05:00 WIB (after the IKI night): recompute the Pemda dashboards' kept figures
    # whose data moved, so an office's first view of the day reads figures of the night (pemda.figures).
    # Every night at 02:00 WIB: delete the large exports older than the days they are kept.
    "core-prune-exports": {
        "task": "core.prune_exports",
        "schedule": crontab(hour=2, minute=0),
    },
    # Every night at 02:30 WIB: delete partner API call logs past their retention (api.services.api_calls_prune).
    "api-prune-calls": {
        "task": "api.prune_calls",
        "schedule": crontab(hour=2, minute=30),
    },
    "pemda-refresh-stale-figures": {
        "task": "pemda.refresh_stale_figures",
        "schedule": crontab(hour=5, minute=0),
    },
    # Every night at 05:15 WIB: recompute Pohon Industri's kept aggregate when the reports moved, so the
    # morning's first visitor reads the night's graph (analisis.pohon.kept).
    "analisis-refresh-pohon": {
        "task": "analisis.refresh_pohon",
        "schedule": crontab(hour=5, minute=15),
    },
}


@app.task(name="siinas.ping")
def ping(value: str = "pong") -> str:
    """Round-trip probe used by the health check and the broker test."""
    return value
