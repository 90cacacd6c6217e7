"""Early-warning writes: the refresh of the signals and the weekly digest (docs/statistics.md, "EWS")."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from ews import selectors, sources
from ews.access import DIGEST_ROLES, signals_visible_to
from ews.models import Signal
from siinas.core.models import OutboxMessage
from siinas.core.outbox import email_enqueue
from siinas.lib.audit import audit

DIGEST_MAX = 50  # signals listed in one digest; the page has the rest
UPDATED_FIELDS = ("source", "period_label", "score", "threshold", "companies", "evidence", "last_seen", "active")


@transaction.atomic
def signals_refresh(*, candidates: list[sources.Candidate] | None = None) -> dict[str, int]:
    """Recompute the signals (called by ``manage.py ews_refresh`` and the nightly task; no actor).

    A signal found again keeps its row and ``first_seen`` and gets a new ``last_seen``; a new one is
    created; an active one no longer found is deactivated. Running it twice on the same data leaves the
    same rows and the same active set. Returns the counts ``{"active", "new", "closed"}``.
    """
    found = {c.key: c for c in (sources.all_candidates() if candidates is None else candidates)}
    now = timezone.now()
    # the rows that may change: every active one, and any (closed) row of a period found again
    current = Signal.objects.filter(Q(active=True) | Q(period__in={c.period for c in found.values()}))
    existing = {(s.kind, s.measure, s.subsector, s.region, s.period): s for s in current.select_for_update()}
    new, changed = [], []
    for key, c in found.items():
        values = {f: getattr(c, f) for f in ("source", "period_label", "score", "threshold", "companies", "evidence")}
        values |= {"last_seen": now, "active": True}
        signal = existing.get(key)
        if signal is None:
            new.append(
                Signal(kind=c.kind, measure=c.measure, subsector=c.subsector, region=c.region, period=c.period, first_seen=now, **values)
            )
        else:
            for name, value in values.items():
                setattr(signal, name, value)
            changed.append(signal)
    Signal.objects.bulk_create(new)
    Signal.objects.bulk_update(changed, UPDATED_FIELDS, batch_size=500)
    gone = [s.pk for key, s in existing.items() if s.active and key not in found]
    closed = Signal.objects.filter(pk__in=gone).update(active=False)
    counts = {"active": len(found), "new": len(new), "closed": closed}
    audit("ews.signals.refresh", **counts)
    return counts


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@transaction.atomic
def digests_send(*, today: date) -> int:
    """Queue this week's digest to every active validator and Pemda officer with active signals in
    their scope (called by the Monday beat task; no actor). One e-mail per recipient per week: the
    outbox's dedupe key ``ews-digest:<user>:<Monday>`` makes a second run in the same week record
    nothing. Returns the number of digests recorded by this run."""
    monday = week_start(today)
    sent = 0
    recipients = User.objects.filter(role__in=DIGEST_ROLES, is_active=True).exclude(email="").order_by("pk")
    for user in recipients:
        signals = list(signals_visible_to(user).filter(active=True).order_by("-period", "kind", "subsector", "region")[:DIGEST_MAX])
        if not signals:
            continue
        key = f"ews-digest:{user.pk}:{monday.isoformat()}"
        if OutboxMessage.objects.filter(dedupe_key=key).exists():
            continue
        total = signals_visible_to(user).filter(active=True).count() if len(signals) == DIGEST_MAX else len(signals)
        context = {"user": user, "signals": selectors.label(signals), "total": total, "week": monday}
        email_enqueue("ews-digest", to=[user.email], context=context, dedupe_key=key)
        audit("ews.digest.queue", target=user, week=monday.isoformat(), signals=len(signals))
        sent += 1
    return sent

