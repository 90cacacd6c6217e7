"""Four Celery queues (issue 14 §5, docs/scaling.md): every task is routed on purpose."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.utils.module_loading import module_has_submodule

from siinas.celery import app

EXPECTED = {
    "core.deliver_outbox_message": "mail",
    "core.deliver_outbox": "mail",
    "verification.run_compliance": "letters",
    "verification.send_notice": "letters",
    "eservice.iomki_weekly_reminders": "letters",
    "eservice.send_weekly_reminder": "letters",
    "accounts.password_expiry_reminders": "letters",
    "accounts.registration_sla_alerts": "letters",
    "accounts.check_registration": "default",
    "iki.compute_closed_months": "iki",
    "pemda.refresh_territory_figures": "default",
    "core.build_export": "letters",
    "core.prune_exports": "letters",
    "api.prune_calls": "letters",
    "pemda.refresh_stale_figures": "default",
    "analisis.refresh_position_cuts": "default",
    "analisis.refresh_sector": "default",
    "analisis.refresh_pohon": "default",
    "ews.refresh_signals": "iki",
    "ews.send_weekly_digest": "letters",
    "siinas.ping": "default",
    "core.record_heartbeat": "default",
}


def _registered() -> set[str]:
    # Autodiscovery is lazy: import every installed app's tasks.py, as a worker does at start.
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "tasks"):
            importlib.import_module(f"{config.name}.tasks")
    # Celery's own tasks and tasks the test suite registers for itself (tests.observability.…) are not the app's.
    return {name for name in app.tasks if not name.startswith(("celery.", "tests."))}


def _queue_of(name: str) -> str:
    return app.amqp.router.route({}, name)["queue"].name


@pytest.mark.parametrize(("name", "queue"), sorted(EXPECTED.items()))
def test_each_task_goes_to_its_queue(name, queue):
    assert _queue_of(name) == queue


def test_every_registered_task_is_routed_by_name():
    registered = _registered()
    assert registered == set(EXPECTED), "a task was added or removed: route it in CELERY_TASK_ROUTES and list it here"
    assert set(settings.CELERY_TASK_ROUTES) == registered


def test_the_beat_entries_name_routed_tasks():
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in settings.CELERY_TASK_ROUTES


def test_a_worker_without_q_consumes_every_queue():
    # `make worker` and the tests' worker run without -Q: they must not miss a queue.
    assert {queue.name for queue in app.conf.task_queues} == {"default", "mail", "letters", "iki"}
    assert app.conf.task_default_queue == "default"


def test_compose_runs_one_worker_per_queue():
    import yaml

    services = yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())["services"]
    consumed = {}
    for name, service in services.items():
        command = service.get("command") or ""
        if isinstance(command, str) and command.startswith("celery -A siinas worker"):
            queues = command.split(" -Q ", 1)[1].split()[0]
            consumed[name] = set(queues.split(","))
    assert set().union(*consumed.values()) == {"default", "mail", "letters", "iki"}
