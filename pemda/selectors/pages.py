"""Page contexts: each one data builder for one page."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.access import factories_visible_to
from accounts.models import Factory, User
from pemda import figures
from pemda.models import MonitoringNote, RegionalDocument
from pemda.selectors import reports
from pemda.selectors.documents import (
    _year_bounds,
    current_period,
    indicator_documents,
    indicator_summary,
    territory_submission_matrix,
)
from pemda.selectors.programmes import (
    territory_eservice,
    territory_eservice_figures,
    territory_iki,
    territory_iki_figures,
)
from pemda.selectors.territory import (
    MIN_COMPANIES,
    Cell,
    account_type_status_counts,
    accounts_by_type_and_status,
    chart_payload,
    factories_by_division,
    factories_by_region,
    factories_by_region_and_total,
    factories_by_scale,
)
from reporting.models import Period
from siinas.lib.versions import newest_pk

# --- Page contexts --------------------------------------------------------------------------------------


def _table(title: str, columns: Sequence[str], cells: Sequence[Cell], value_keys: Sequence[str] = ()) -> dict[str, Any]:
    """A JSON-safe aggregate table: hidden cells carry ``None`` (shown as "—")."""
    rows = []
    for c in cells:
        values = [None if c.hidden else c.n] + [None if c.magnitudes_hidden else float(c.values.get(k) or 0) for k in value_keys]
        rows.append([c.label, *values])
    return {"title": title, "columns": list(columns), "rows": rows}


def _territory_accounts(user: User) -> dict[str, Any]:
    """The dashboard's account aggregates (per kab/kota, KBLI division and scale, per type and status; the
    authority's count),
    cached per territory and language for ``RATE_CACHE_SECONDS`` like the report figures, keyed by the
    newest account (one index look-up): a new account renews them at once, an edited one within that
    lifetime. Not by the report data version: reports (drafts included) change all day in a filing
    window, and these figures do not depend on them."""
    newest = newest_pk(Factory)
    raw = f"{user.role}|{user.region_id}|{get_language()}|{newest}"
    key = "pemda:accounts:" + hashlib.sha256(raw.encode()).hexdigest()
    accounts = cache.get(key)
    if accounts is None:
        by_region, by_region_total = factories_by_region_and_total(user)
        accounts = {
            "by_region": by_region,
            "by_region_total": by_region_total,
            "by_division": factories_by_division(user),
            "by_scale": factories_by_scale(user),
            "authority_count": factories_visible_to(user).count(),
            "type_status": account_type_status_counts(user),
        }
        cache.set(key, accounts, reports.RATE_CACHE_SECONDS)
    return accounts


def dashboard_figures(user: User, period: Period | None) -> dict[str, Any]:
    """The dashboard's costly figures for the viewer's territory, as plain data (kept per territory,
    period and language by ``pemda.figures``; the page assembles and suppresses them)."""
    version = reports.rates_version()
    data: dict[str, Any] = {
        "accounts": _territory_accounts(user),
        "iki": territory_iki_figures(user),
        "eservice": territory_eservice_figures(user),
    }
    if period is not None:
        periods = reports.reporting_periods()
        data["rates_region"] = reports.rate_figures(user, period, "region", version=version)
        # Without the values per KBLI division: loaded with the KBLI rates (``kbli_figures``).
        aggregates = reports.cached_report_aggregates(user, period, periods, version=version, divisions=False)
        data["aggregates"] = reports.portable_aggregates(aggregates)
    return data


def kbli_figures(user: User, period: Period | None) -> dict[str, Any]:
    """The reporting rate and validated-report values per KBLI division (the dashboard's fragment)."""
    if period is None:
        return {}
    return {
        "rates": reports.rate_figures(user, period, "kbli"),
        "division_values": reports.cached_division_values(user, period, reports.reporting_periods()),
    }


PART_BUILDERS = {figures.DASHBOARD: dashboard_figures, figures.KBLI: kbli_figures}


def _kept_context(kept: figures.Kept) -> dict[str, Any]:
    return {"figures_at": kept.computed_at, "figures_refreshing": kept.refreshing}


def dashboard_context(user: User, period_param: str | None = None) -> dict[str, Any]:
    """Everything the Pemda dashboard shows: aggregates of the whole territory, suppressed (n ≥ 3)."""
    periods = reports.reporting_periods()
    report_period = reports.pick_period(periods, period_param)
    kept = figures.kept_figures(user, figures.DASHBOARD, report_period)
    data = kept.data
    accounts = data["accounts"]
    by_region, by_division, by_scale = accounts["by_region"], accounts["by_division"], accounts["by_scale"]
    year, semester = current_period()
    this_year = timezone.localdate().year
    documents = indicator_documents(user.region, this_year)
    charts = [
        chart_payload(_("Akun per kabupaten/kota"), by_region),
        chart_payload(_("Akun per KBLI 2 digit"), by_division),
        chart_payload(_("Tenaga kerja (profil) per KBLI 2 digit"), by_division, "workforce"),
    ]
    report_context: dict[str, Any] = {"periods": periods, "report_period": report_period}
    if report_period is not None:
        aggregates = reports.aggregates_from_portable(data["aggregates"], report_period, periods)
        if aggregates is None:  # a period opened since the figures were kept: the values computed now
            aggregates = reports.cached_report_aggregates(user, report_period, periods, divisions=False)
        rates_region, rates_region_total = reports.suppressed_rates(user, report_period, "region", kept=data["rates_region"])
        report_context |= {
            "rates_region": rates_region,
            "rates_region_total": rates_region_total,
            "aggregates": aggregates,
            "measures": list(reports.MEASURES.items()),
            "rate_tables": [
                (_("Per kabupaten/kota"), rates_region, rates_region_total, "rate-wilayah"),
                # The KBLI table is a fragment of its own (``kbli_rates_context``): its statement is the
                # dearest of a cold view (≈ 170 ms for a province of 11,000 accounts).
                (_("Per KBLI 2 digit"), None, None, "rate-kbli"),
            ],
            **reports.for_display(aggregates),
        }
        shown = [r for r in rates_region if not r.hidden]
        if shown:
            charts.append(
                {
                    "title": _("Laporan terkirim per kabupaten/kota (%%), %(period)s") % {"period": report_period},
                    "labels": [r.row.label for r in shown],
                    "values": [r.row.submitted_pct or 0 for r in shown],
                }
            )
        charts.extend(reports.trend_charts(aggregates["trend"]))
    return {
        **report_context,
        **_kept_context(kept),
        "territory": user.region,
        "accounts": accounts_by_type_and_status(user, accounts["type_status"]),
        "by_region": by_region,
        "by_region_total": accounts["by_region_total"],
        "by_division": by_division,
        "by_scale": by_scale,
        "charts": [c for c in charts if c["labels"]],
        "authority_count": accounts["authority_count"],
        "period": (year, semester),
        "period_submissions": territory_submission_matrix(user.region, year, semester),
        "indicator_summary": indicator_summary(documents),
        "indicator_year": this_year,
        "min_companies": MIN_COMPANIES,
        "iki": territory_iki(user, kept=data["iki"]),
        "eservice": territory_eservice(user, kept=data["eservice"]),
    }


def kbli_rates_context(user: User, period_param: str | None = None) -> dict[str, Any]:
    """The dashboard's reporting rate and validated-report values per KBLI division, loaded after the page
    (HTMX) or as a page of its own (the link a browser without JavaScript follows): figures kept like the
    dashboard's (``pemda.figures``)."""
    periods = reports.reporting_periods()
    report_period = reports.pick_period(periods, period_param)
    context: dict[str, Any] = {"territory": user.region, "report_period": report_period, "anchor": "rate-kbli", "title": _("Per KBLI 2 digit")}
    if report_period is not None:
        kept = figures.kept_figures(user, figures.KBLI, report_period)
        context["rows"], context["total"] = reports.suppressed_rates(user, report_period, "kbli", kept=kept.data["rates"])
        values = kept.data["division_values"]
        context |= {
            "division_table": reports.measure_display(values),
            "measures": list(reports.MEASURES.items()),
            **_kept_context(kept),
        }
    return context


def company_detail_context(user: User, factory: Factory) -> dict[str, Any]:
    notes = (
        MonitoringNote.objects.filter(region_id=user.region_id, factory=factory)
        .select_related("sent_by")
        .order_by("-sent_at")[:50]
    )
    return {
        "factory": factory,
        "kbli": list(factory.kbli.order_by("code")),
        # The licences decide the scale, hence whose authority the account is under (UU 23/2014).
        "licences": list(factory.licences.all()),
        "notes": notes,
        "reports": reports.factory_reports(user, factory),
    }


def document_content(user: User, kind: str) -> dict[str, Any]:
    """The frozen, aggregate-only body of a regional document for the officer's territory."""
    tables: list[dict[str, Any]] = []
    if kind == RegionalDocument.Kind.PUBLICATION:
        # A publication leaves the officer's desk: no viewer rule (docs/statistics.md).
        accounts = accounts_by_type_and_status(user, as_viewer=False)
        account_cells = [
            Cell(key=row["code"], label=str(row["label"]), n=row["total"], hidden=row["total_hidden"])
            for row in accounts["rows"]
            if row["total"]
        ]
        tables.append(_table(_("Akun SIINas per tipe"), [_("Tipe"), _("Jumlah akun")], account_cells))
        tables.append(
            _table(_("Akun per kabupaten/kota"), [_("Kabupaten/kota"), _("Jumlah akun"), _("Tenaga kerja")], factories_by_region(user, as_viewer=False), ["workforce"])
        )
        tables.append(
            _table(_("Akun per KBLI 2 digit"), [_("KBLI"), _("Jumlah akun"), _("Tenaga kerja")], factories_by_division(user, as_viewer=False), ["workforce"])
        )
    else:
        this_year = timezone.localdate().year
        start, end = _year_bounds(this_year)
        notes = (
            MonitoringNote.objects.filter(region_id=user.region_id, sent_at__gte=start, sent_at__lt=end)
            .values("kind")
            .annotate(n=Count("pk"), companies=Count("factory_id", distinct=True))
            .order_by("kind")
        )
        kinds = dict(MonitoringNote.Kind.choices)
        # Reporting compliance of the latest opened period, for the whole territory (suppressed rows: None).
        periods = reports.reporting_periods()
        if periods:
            for by, title in (("region", _("kabupaten/kota")), ("kbli", _("KBLI 2 digit"))):
                rows, total = reports.suppressed_rates(user, periods[0], by)
                table_rows = [
                    [r.row.label, *([None] * 4 if r.hidden else [r.row.expected, r.row.submitted, r.row.on_time, r.row.validated])]
                    for r in rows
                ]
                if not total.hidden and total.row.expected:
                    t = total.row
                    table_rows.append([str(t.label), t.expected, t.submitted, t.on_time, t.validated])
                tables.append(
                    {
                        "title": _("Kepatuhan pelaporan %(period)s per %(by)s") % {"period": periods[0], "by": title},
                        "columns": [_("Wilayah/KBLI"), _("Diharapkan"), _("Terkirim"), _("Tepat waktu"), _("Tervalidasi")],
                        "rows": table_rows,
                    }
                )
        tables.append(
            {
                "title": _("Pemantauan tahun %(year)d") % {"year": this_year},
                "columns": [_("Jenis"), _("Jumlah dokumen"), _("Perusahaan dihubungi")],
                "rows": [[str(kinds.get(r["kind"], r["kind"])), r["n"], r["companies"]] for r in notes],
            }
        )
    return {
        "territory": str(user.region),
        "territory_code": user.region_id,
        "generated_at": timezone.localtime().isoformat(timespec="minutes"),
        "min_companies": MIN_COMPANIES,
        "tables": tables,
    }
