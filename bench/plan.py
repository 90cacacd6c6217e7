"""Who the load test signs in as and what they open, picked from the database once before the run.

``build_plan`` reads the data (any data set with reports, officers and Pemda offices; the one
``manage.py load_scale`` makes is meant for it) and returns a JSON-able dict that ``locustfile.py``
reads: every URL is resolved here with ``reverse`` so the locust process needs no Django. Picks are
spread over the data by fixed rules (ids taken at even steps), so the same data gives the same plan.

Surge accounts are checked before the run: a draft must already pass every section check
(``reporting.services._check_all``, read only), and an account without a report must get one from
``report_start`` that passes them once the company has confirmed the sections carried over from its
accepted report and typed its flow sections (tried inside a savepoint that is rolled back; the plan keeps
those steps). The surge then does the same through HTTP, like the company user would.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from accounts.models import Factory, Role, User
from eservice.models import DirectoryProduct
from reporting import services
from reporting.models import ACCEPTED_STATUSES, EDITABLE_STATUSES, Period, Report, ReportStatus, ReportVersion
from reporting.selectors import filing_periods
from siinas.core.scale.people import PASSWORD, totp_key


class PlanError(Exception):
    pass


class _Undo(Exception):
    pass


def spread(ids: list[int], n: int) -> list[int]:
    """``n`` of ``ids`` taken at even steps (all of them when there are fewer)."""
    if n <= 0 or not ids:
        return []
    if len(ids) <= n:
        return list(ids)
    step = len(ids) / n
    return [ids[int(i * step)] for i in range(n)]


def latest_period() -> Period:
    period = filing_periods(timezone.localdate()).filter(period_type=Period.Type.SEMESTER).first()
    if period is None:
        raise PlanError("no reporting period has opened in this database: load one with manage.py load_scale")
    return period


def _company_users(factory_ids) -> dict[int, str]:
    users = User.objects.filter(factory_id__in=list(factory_ids), role=Role.COMPANY, is_active=True).order_by("pk")
    found: dict[int, str] = {}
    for factory_id, username in users.values_list("factory_id", "username"):
        found.setdefault(factory_id, username)
    return found


def _officer(user: User) -> dict:
    return {"username": user.username, "totp_key": totp_key(user.username)}


def mixed_companies(period: Period, n: int) -> list[dict]:
    """Company accounts with an editable report of the latest period: dashboard, report page, forms, saves."""
    ids = list(
        Report.objects.filter(period=period, status__in=EDITABLE_STATUSES, factory__status=Factory.Status.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    reports = list(Report.objects.filter(pk__in=spread(ids, n * 2)).order_by("pk"))
    users = _company_users(r.factory_id for r in reports)
    out = []
    for report in reports:
        if report.factory_id in users and len(out) < n:
            out.append(
                {
                    "username": users[report.factory_id],
                    "report": reverse("reporting:report-detail", args=[report.pk]),
                    "sections": [
                        reverse("reporting:section-edit", args=[report.pk, code]) for code in report.spec.sections
                    ],
                    "factory": report.factory_id,
                }
            )
    return out


def _passes_now(report: Report) -> bool:
    return not services._check_all(report)


def _start_like_a_company(factory: Factory, user: User, period: Period, report_type: str, source: Report) -> tuple[Report, dict]:
    """What a company does after ``report_start`` at the deadline (pre-fill asks, issue 16 §5): it
    confirms each section carried over from its accepted report and types each flow section (production,
    sales, materials, energy, expenditure) — here last semester's figures of ``source``. Returns the report
    and the steps as the surge replays them: ``{"confirm": [codes], "flows": {code: [[name, value], ...]}}``."""
    from reporting.models import ReportSection
    from reporting.sections.base import values_to_data
    from reporting.sections.definitions import SECTION_HANDLERS

    report = services.report_start(actor=user, factory=factory, period=period, report_type=report_type)
    steps: dict = {"confirm": [], "flows": {}}
    waiting = report.sections.filter(state=ReportSection.State.TO_CONFIRM).values_list("code", flat=True)
    for code in [c for c in report.spec.sections if c in set(waiting)]:
        services.section_confirm(actor=user, report=report, code=code, lock_version=report.lock_version)
        report.refresh_from_db(fields=["lock_version", "status"])
        steps["confirm"].append(code)
    for code in report.spec.sections:
        if not report.spec.is_flow(code):
            continue
        handler = SECTION_HANDLERS[code]
        data = values_to_data(handler, source.spec, handler.load(source))
        services.section_save(actor=user, report=report, code=code, data=data, lock_version=report.lock_version)
        report.refresh_from_db(fields=["lock_version", "status"])
        steps["flows"][code] = [[name, value] for name, values in data.lists() for value in values]
    return report, steps


def _passes_after_start(factory: Factory, user: User, period: Period, report_type: str, source: Report) -> dict | None:
    """Would the report this account starts, its carried-over sections confirmed and its flows typed,
    pass every check? The steps when it would (None otherwise); nothing is kept."""
    try:
        with transaction.atomic():
            report, steps = _start_like_a_company(factory, user, period, report_type, source)
            ok = _passes_now(report)
            raise _Undo
    except _Undo:
        return steps if ok else None
    except Exception:
        return None


def surge_accounts(period: Period, n: int, *, exclude_factories: set[int], log=lambda line: None) -> list[dict]:
    """``n`` distinct company accounts (half with a draft of the latest period, half without a report)
    whose report will pass the submission checks."""
    drafts = list(
        Report.objects.filter(period=period, status=ReportStatus.DRAFT, factory__status=Factory.Status.ACTIVE)
        .exclude(factory_id__in=exclude_factories)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # Accounts that filed an accepted report of a type in the period before and have none in the latest:
    # report_start carries its stock sections over (to confirm) and leaves its flows to type.
    previous = filing_periods(timezone.localdate()).filter(period_type=Period.Type.SEMESTER, start__lt=period.start).first()
    fresh = []
    if previous is not None:
        fresh = list(
            Report.objects.filter(period=previous, status__in=ACCEPTED_STATUSES, factory__status=Factory.Status.ACTIVE)
            .exclude(factory_id__in=exclude_factories)
            .exclude(Exists(Report.objects.filter(factory_id=OuterRef("factory_id"), period=period)))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    chosen: list[dict] = []
    seen: set[int] = set()
    want_drafts = n // 2
    for pk in spread(drafts, want_drafts * 3):
        if sum(1 for c in chosen if c["kind"] == "draft") >= want_drafts:
            break
        report = Report.objects.select_related("factory").get(pk=pk)
        users = _company_users([report.factory_id])
        if report.factory_id in seen or report.factory_id not in users or not _passes_now(report):
            continue
        seen.add(report.factory_id)
        chosen.append(_surge_entry("draft", users[report.factory_id], report.factory_id, period, report.report_type, report))
    log(f"  surge: {len(chosen)} drafts that pass their checks (of {len(drafts)} drafts)")
    for pk in spread(fresh, (n - len(chosen)) * 3):
        if len(chosen) >= n:
            break
        source = Report.objects.select_related("factory").get(pk=pk)
        factory = source.factory
        users = _company_users([factory.pk])
        if factory.pk in seen or factory.pk not in users:
            continue
        user = User.objects.get(username=users[factory.pk])
        steps = _passes_after_start(factory, user, period, source.report_type, source)
        if steps is None:
            continue
        seen.add(factory.pk)
        chosen.append(_surge_entry("new", user.username, factory.pk, period, source.report_type, None) | steps)
    log(f"  surge: {len(chosen)} accounts in all (drafts + accounts that start a report), {n} asked for")
    return chosen


def _surge_entry(kind: str, username: str, factory_id: int, period: Period, report_type: str, report) -> dict:
    from reporting.registry import REPORT_TYPES

    return {
        "kind": kind,
        "username": username,
        "factory": factory_id,
        "period": period.pk,
        "report_type": report_type,
        "sections": list(REPORT_TYPES[report_type].sections),
        "report": reverse("reporting:report-detail", args=[report.pk]) if report else None,
    }


def build_plan(*, companies: int = 40, surge: int = 0, log=lambda line: None) -> dict:
    """Everything ``locustfile.py`` needs, as a JSON-able dict (see the module's docstring)."""
    period = latest_period()
    log(f"plan: latest period {period} (id {period.pk})")
    mixed = mixed_companies(period, companies)
    if not mixed:
        raise PlanError(f"no editable report of {period} with an active company user")
    log(f"  mixed: {len(mixed)} company accounts")
    verifiers = list(User.objects.filter(role=Role.VERIFIER, is_active=True).order_by("username"))
    validators = list(User.objects.filter(role=Role.VALIDATOR, is_active=True).order_by("username"))
    pemda = list(User.objects.filter(role__in=[Role.PEMDA_PROV, Role.PEMDA_KAB], is_active=True).order_by("username"))
    if not (verifiers and validators and pemda):
        raise PlanError("the data needs verifiers, validators and Pemda officers (manage.py load_scale makes them)")
    waiting = list(
        Report.objects.filter(status=ReportStatus.SUBMITTED, period=period).order_by("pk").values_list("pk", flat=True)
    )
    review = [reverse("verification:review", args=[pk]) for pk in spread(waiting, 30)]
    validator_reviews = {}
    for user in validators:
        ids = list(
            Report.objects.filter(status=ReportStatus.VERIFIED, period=period, factory__kbli__division__in=user.kbli_divisions.all())
            .order_by("pk")
            .values_list("pk", flat=True)
            .distinct()[:2000]
        )
        validator_reviews[user.username] = [reverse("verification:review", args=[pk]) for pk in spread(ids, 10)]
    hashes = list(ReportVersion.objects.order_by("pk").values_list("content_hash", flat=True)[:5000])
    words = list(
        DirectoryProduct.objects.filter(is_published=True, profile__is_published=True)
        .order_by("pk")
        .values_list("name", flat=True)[:2000]
    )
    word_list = sorted({w.split()[0].lower() for w in words if w.split()})[:40] or ["industri"]
    rate = reverse("verification:reporting-rate")
    plan = {
        "password": PASSWORD,
        "period": str(period),
        "urls": {
            "login": reverse("accounts:login"),
            "logout": reverse("accounts:logout"),
            "otp": reverse("accounts:otp-verify"),
            "minimal": reverse("core:home"),  # signed in: the layout and the menu (bench_pages' baseline too)
            "home": reverse("core:home"),
            "company_home": reverse("core:dashboard"),
            "company_dashboard": reverse("reporting:dashboard"),
            "report_start": reverse("reporting:report-start"),
            "verifier_queue": reverse("verification:verifier-queue"),
            "validator_queue": reverse("verification:validator-queue"),
            "reporting_rate": [rate, f"{rate}?by=region&province=32"],
            "iki_officer": reverse("iki:officer-dashboard"),
            "pemda_dashboard": reverse("pemda:dashboard"),
            "pemda_companies": reverse("pemda:company-list"),
            "pemda_monitor": reverse("pemda:report-monitor"),
            "iki_release": reverse("iki:release"),
            "directory": reverse("eservice:directory"),
            "receipt_check": [reverse("reporting:receipt-check", args=[h]) for h in spread(hashes, 20)],
        },
        "companies": mixed,
        "verifiers": [_officer(u) for u in verifiers],
        "validators": [{**_officer(u), "reviews": validator_reviews[u.username]} for u in validators],
        "pemda": [_officer(u) for u in pemda],
        "reviews": review,
        "words": word_list,
        "surge": [],
    }
    if surge:
        plan["surge"] = surge_accounts(period, surge, exclude_factories={c["factory"] for c in mixed}, log=log)
    return plan
