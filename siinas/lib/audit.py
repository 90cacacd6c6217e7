"""The one way to write an audit event (style.md §6)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from siinas.core.models import AuditEvent
from siinas.lib.client_ip import client_ip


def audit(
    action: str,
    *,
    actor: Any = None,
    target: models.Model | None = None,
    request: HttpRequest | None = None,
    **extra: Any,
) -> AuditEvent:
    """Record that ``actor`` did ``action`` to ``target``; ``extra`` must be JSON-serialisable."""
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    label = actor.get_username() if is_user else (str(actor) if actor else "anonim")
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_label=label[:150],
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:255] if target is not None else "",
        ip_address=client_ip(request),
        extra=extra,
    )
