"""Demo semester reports: a history of four semesters for every demo account (refused in production by load_demo).

The periods are the last four semesters whose reporting window has opened, relative to today. Every
account that owed a period (``factory_expected``: registered before its window closed) files it or not
with a realistic mix: on time, late, returned and resubmitted, verified, validated, never. Reports go
through the real services (every section saved and checked, submitted as an immutable version, then
verified, returned or validated); a later period starts pre-filled from the last accepted report, as a
company's would. Afterwards the timestamps are moved back to when it would have happened (inside or
after the window, a review some days later), never past now. Deterministic for a given date; idempotent:
a report that exists is left as it is.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils import timezone

from accounts.demo import DemoCast
from accounts.models import Factory, Scale
from reporting import services
from reporting.models import Period, Report, ReportEvent, ReportStatus, ReportVersion
from reporting.sections.definitions import SECTION_HANDLERS
from siinas.core.models import OutboxMessage
from verification.services.compliance import factory_expected


def _q(header: dict | None = None, **tables: list[dict]) -> dict[str, object]:
    return {"h": header or {}, **tables}


def _industry(
    kbli: str, products: list[str] | tuple[str, ...], scale: float, material: str = "Bahan baku utama", machine: str = "Lini produksi"
) -> dict[str, dict]:
    """Valid input of every industry section for one factory, sized by ``scale``."""
    n = lambda value: round(value * scale)  # noqa: E731
    rows = [{"name": p, "hs_code": "", "kbli_code": kbli, "unit": "ton", "capacity": n(10000)} for p in products]
    return {
        "tenaga_kerja": _q(
            {"prod_male_wni": n(200), "prod_female_wni": n(150), "prod_male_wna": 0, "prod_female_wna": 0,
             "nonprod_male_wni": n(40), "nonprod_female_wni": n(30), "nonprod_male_wna": 0, "nonprod_female_wna": 0,
             "total": n(200) + n(150) + n(40) + n(30), "planned_total": n(500)},
            wna=[],
        ),  # fmt: skip
        "investasi": _q(
            {"land": n(10_000_000_000), "buildings": n(25_000_000_000), "machinery": n(40_000_000_000), "other_fixed": 0,
             "working_capital": n(6_000_000_000), "ownership": "pmdn", "domestic_pct": 100, "foreign_pct": 0},
            asing=[],
        ),  # fmt: skip
        "lahan": _q({"land_area_m2": n(40000), "building_area_m2": n(15000), "land_status": "milik", "latitude": "-6.3", "longitude": "107.1"}),
        "kapasitas": _q(produk=rows),
        "bahan_baku": _q(
            bahan=[{"name": material, "hs_code": "", "kind": "baku", "origin": "domestik", "country": "", "quantity": n(8000),
                    "unit": "ton", "value": n(200_000_000_000)}]
        ),  # fmt: skip
        "mesin": _q(
            mesin=[{"name": machine, "count": 2, "country": "DE", "year_made": 2019, "condition": "baru", "capacity": n(20),
                    "capacity_unit": "ton_hari", "value": n(9_000_000_000)}]
        ),  # fmt: skip
        "energi": _q({"pln_kwh": n(1_500_000), "own_kwh": 0, "own_installed_kw": 0, "sold_kwh": 0}, bbm=[], air=[{"source": "pdam", "volume_m3": n(40000)}]),
        "produksi": _q(produksi=[{"product": p, "quantity": n(4000), "unit": "ton", "value": n(300_000_000_000)} for p in products]),
        "pemasaran": _q(
            {"usd_rate": ""},
            penjualan=[{"product": p, "domestic_qty": n(3800), "domestic_value": n(280_000_000_000), "export_qty": 0,
                        "export_value_usd": 0, "export_value": 0, "stock_change": 0} for p in products],
            tujuan=[],
        ),  # fmt: skip
        "pengeluaran": _q({"wages": n(20_000_000_000), "raw_materials": n(200_000_000_000), "energy": n(3_000_000_000), "other": n(5_000_000_000)}),
        "lingkungan": _q({"document": "ukl_upl", "document_number": "660/45/DLH/2019", "document_date": "2019-05-02"}, limbah=[]),
        "indi": _q({"score": "2.1", "assessment_year": 2024}),
        "rencana_pembangunan": _q(
            {"commercial_start": (timezone.localdate() + dt.timedelta(days=400)).isoformat()},
            tahap=[{"stage": "pematangan_lahan", "pct_complete": 100}, {"stage": "pekerjaan_sipil", "pct_complete": 35}],
        ),
    }


ESTATE = {
    "tenaga_kerja": _q(
        {"prod_male_wni": 0, "prod_female_wni": 0, "prod_male_wna": 0, "prod_female_wna": 0, "nonprod_male_wni": 30,
         "nonprod_female_wni": 15, "nonprod_male_wna": 0, "nonprod_female_wna": 0, "total": 45},
        wna=[],
    ),  # fmt: skip
    "ki_investasi": _q({"planned_total": 5_000_000_000_000, "land": 1_200_000_000_000, "infrastructure": 800_000_000_000, "buildings": 150_000_000_000, "other": 0}),
    "ki_pembiayaan": _q({"unit": "persen", "own_capital": 40, "domestic_loans": 60, "foreign_loans": 0, "other": 0}),
    "ki_lahan": _q({"licensed_ha": 1200, "developed_ha": 900, "industrial_ha": 700, "sold_ha": 520, "available_ha": 150, "available_count": 60, "green_ha": 120}),
    "ki_sarana": _q(sarana=[{"kind": "jalan", "capacity": 42, "unit": "km", "status": "beroperasi"}, {"kind": "ipal", "capacity": 20000, "unit": "m3_hari", "status": "beroperasi"}]),
    "ki_energi": _q({"electricity_mva": 300, "electricity_source": "PLN", "gas_mmbtu": 500000, "gas_source": "PGN"}),
    "ki_air": _q({"capacity": "1.2", "capacity_unit": "m3_detik", "source": "Saluran Tarum Barat", "used": "0.9"}),
    "ki_tenant": _q(
        tenant=[{"name": "PT Indo Pangan", "nib": "0233010001824", "kbli_code": "10616", "land_ha": 5, "status": "beroperasi",
                 "investment": 300_000_000_000, "workforce": 420, "ownership": "pmdn", "country": ""}]
    ),  # fmt: skip
}


def _data(section: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in section["h"].items():
        data[f"h-{name}"] = str(value)
    for prefix, rows in section.items():
        if prefix == "h":
            continue
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for i, row in enumerate(rows):
            for name, value in row.items():
                data[f"{prefix}-{i}-{name}"] = str(value)
    return data


def _save(user, report: Report, code: str, section: dict) -> None:
    result = services.section_save(actor=user, report=report, code=code, data=_data(section), lock_version=report.lock_version)
    if result.state != "lengkap":
        raise RuntimeError(f"demo data for {code} does not pass its checks: {result.forms.errors_json()}")
    report.refresh_from_db(fields=["lock_version", "status"])


def _filed(user, factory, period: Period, report_type: str, inputs: dict[str, dict]) -> Report | None:
    """Start, fill every section and submit; None when the report already exists (idempotent).

    A report that can start from an accepted earlier one is pre-filled (``report_start``) and only its
    workforce, production and sales are saved again with this period's figures.
    """
    if Report.objects.filter(factory=factory, period=period, report_type=report_type).exists():
        return None
    report = services.report_start(actor=user, factory=factory, period=period, report_type=report_type)
    prefilled = {s.code for s in report.sections.all() if s.prefilled}
    for code in report.spec.sections:
        if code in prefilled and code not in PERIOD_SECTIONS:
            # A stock section carried over from the accepted report: the company confirms it unchanged.
            services.section_confirm(actor=user, report=report, code=code, lock_version=report.lock_version)
            report.refresh_from_db(fields=["lock_version", "status"])
            continue
        _save(user, report, code, inputs.get(code) or {"h": {}, **{r.prefix: [] for r in SECTION_HANDLERS[code].rows}})
    return services.report_submit(actor=user, report=report, lock_version=report.lock_version).report


SEED = 20240701
HISTORY = 4  # semesters of history: three closed ones and the newest opened one (still being worked through)
# Sections whose figures change every period (the rest of a pre-filled report is kept as it was).
PERIOD_SECTIONS = ("tenaga_kerja", "produksi", "pemasaran")
RETURN_COMMENTS = {
    "produksi": "Nilai produksi tidak sesuai dengan kapasitas terpasang; mohon periksa satuan dan volumenya.",
    "tenaga_kerja": "Jumlah tenaga kerja berbeda jauh dengan semester lalu; mohon dijelaskan atau diperbaiki.",
    "pemasaran": "Nilai penjualan dalam negeri melebihi nilai produksi; mohon periksa kembali.",
    "ki_lahan": "Luas lahan terjual bertambah tanpa tambahan tenant; mohon lengkapi data tenant.",
}


@dataclass
class Timeline:
    """When each step of one report happened (None: it did not happen, or not yet)."""

    created: dt.datetime
    submits: list[dt.datetime] = field(default_factory=list)
    returned: dt.datetime | None = None
    verified: dt.datetime | None = None
    validated: dt.datetime | None = None


def _moment(day: dt.date, rng: random.Random) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randrange(8, 17), rng.randrange(60))))


def _backdate(report: Report, timeline: Timeline) -> None:
    """Move the report's timestamps, versions and timeline to when the steps happened."""
    anchors = {
        ReportEvent.Action.RETURNED: timeline.returned,
        ReportEvent.Action.VERIFIED: timeline.verified,
        ReportEvent.Action.VALIDATED: timeline.validated,
    }
    submits = iter(timeline.submits)
    cursor = timeline.created
    events = list(report.events.order_by("id"))
    for event in events:
        if event.action in (ReportEvent.Action.SUBMITTED, ReportEvent.Action.RESUBMITTED):
            cursor = next(submits)
        elif event.action in anchors:
            cursor = anchors[event.action]
        else:
            cursor = cursor + dt.timedelta(minutes=7)  # created, pre-filled, a section saved
        event.created_at = cursor
    ReportEvent.objects.bulk_update(events, ["created_at"])
    for number, moment in enumerate(timeline.submits, start=1):
        ReportVersion.objects.filter(report=report, number=number).update(created_at=moment, on_time=report.period.is_on_time(moment))
    first = timeline.submits[0] if timeline.submits else None
    Report.objects.filter(pk=report.pk).update(
        created_at=timeline.created,
        updated_at=cursor,
        first_submitted_at=first,
        last_submitted_at=timeline.submits[-1] if timeline.submits else None,
        submitted_on_time=report.period.is_on_time(first) if first else None,
        returned_at=timeline.returned,
        verified_at=timeline.verified,
        validated_at=timeline.validated,
    )


def _report_type(factory: Factory) -> str:
    if factory.is_estate:
        return "kawasan_komersial" if factory.stage == Factory.Stage.PRODUCTION else "kawasan_pembangunan"
    if factory.stage == Factory.Stage.CONSTRUCTION:
        return "industri_pembangunan"
    return "industri_produksi_kecil" if factory.scale == Scale.KECIL else "industri_produksi"


def _validator(cast: DemoCast, factory: Factory):
    divisions = {k.division_id for k in factory.kbli.all()}
    for username in VALIDATORS:
        user = cast.users[username]
        if divisions & {d.pk for d in user.kbli_divisions.all()}:
            return user
    return cast.users["admin"]  # estates have no manufacturing KBLI: Pusdatin's administrator accepts them


VALIDATORS = ("validator_pangan", "validator_tekstil", "validator_kimia", "validator_logam")


def _outcome(rng: random.Random, diligence: float, latest: bool) -> tuple[str, str]:
    """(filing, review): filing is on_time / late / draft / none; review how far Pusdatin got."""
    roll = rng.random()
    if diligence < 0.3:
        filing = "none" if roll < 0.75 else "draft"  # the accounts that (almost) never file
    elif roll < diligence * 0.9:
        filing = "on_time"
    elif roll < diligence * 0.9 + 0.2:
        filing = "late"
    else:
        filing = "draft" if rng.random() < 0.35 else "none"
    weights = (30, 25, 15, 10, 20) if latest else (72, 8, 4, 12, 4)
    review = rng.choices(["validated", "verified", "returned", "resubmitted", "submitted"], weights)[0]
    return filing, review


def _history(cast: DemoCast, period: Period, *, latest: bool, now: dt.datetime) -> None:
    """File ``period`` for every generated account that owed it, then date every step."""
    verifier = cast.users["verifikator"]
    horizon = now - dt.timedelta(hours=2)
    for key, member in sorted(cast.members.items()):
        factory, user = cast.factories[key], cast.users[key]
        if not factory_expected(factory, period):
            continue  # registered after the window closed: it owed nothing
        rng = random.Random(f"{SEED}:{key}:{period.year}:{period.number}")  # noqa: S311 — deterministic demo data
        filing, review = _outcome(rng, member.diligence, latest)
        if filing == "none" or Report.objects.filter(factory=factory, period=period).exists():
            continue
        opens, closes = period.window_opens, period.window_closes
        span = (closes - opens).days
        if filing == "late":
            submitted = _moment(closes + dt.timedelta(days=rng.randrange(2, 75)), rng)
        else:
            submitted = _moment(opens + dt.timedelta(days=rng.randrange(2, span)), rng)
        if filing == "draft":
            started = _moment(opens + dt.timedelta(days=rng.randrange(0, span)), rng)
        else:
            started = max(_moment(opens, rng), submitted - dt.timedelta(days=rng.randrange(1, 15)))
        if started > horizon:
            continue  # the window has just opened: this account has not started yet
        if filing != "draft" and submitted > horizon:
            filing = "draft"  # started, not sent yet: the window is still open or the late filing is still to come
        growth = 1 + (period.year - 2024) * 0.04 + rng.uniform(-0.08, 0.08)
        line = member.line
        inputs = ESTATE if factory.is_estate else _industry(line.kbli, line.products, member.size * growth, line.material, line.machine)
        report_type = _report_type(factory)
        if filing == "draft":
            draft = services.report_start(actor=user, factory=factory, period=period, report_type=report_type)
            code = draft.spec.sections[0]
            _save(user, draft, code, inputs.get(code) or {"h": {}})
            _backdate(draft, Timeline(created=started))
            continue
        report = _filed(user, factory, period, report_type, inputs)
        timeline = Timeline(created=started, submits=[submitted])
        step = submitted + dt.timedelta(days=rng.randrange(2, 15), hours=rng.randrange(1, 5))
        if review in ("returned", "resubmitted") and step < horizon:
            code = rng.choice([c for c in RETURN_COMMENTS if c in report.spec.sections])
            report = services.report_return(actor=verifier, report=report, comments={code: RETURN_COMMENTS[code]})
            timeline.returned = step
            step = step + dt.timedelta(days=rng.randrange(3, 20), hours=rng.randrange(1, 5))
            if review == "resubmitted" and step < horizon:
                _save(user, report, code, inputs[code])
                report = services.report_submit(actor=user, report=report, lock_version=report.lock_version).report
                timeline.submits.append(step)
                review = "validated" if not latest else rng.choice(["validated", "verified", "submitted"])
                step = step + dt.timedelta(days=rng.randrange(2, 10), hours=rng.randrange(1, 5))
        if review in ("validated", "verified") and report.status == ReportStatus.SUBMITTED and step < horizon:
            report = services.report_verify(actor=verifier, report=report)
            timeline.verified = step
            step = step + dt.timedelta(days=rng.randrange(3, 30), hours=rng.randrange(1, 5))
            if review == "validated" and step < horizon:
                report = services.report_validate(actor=_validator(cast, factory), report=report)
                timeline.validated = step
        _backdate(report, timeline)


def _scripted_report(
    user, factory, period: Period, report_type: str, inputs: dict[str, dict], *, day: int = 9,
    verifier=None, validator=None, returned: dict[str, str] | None = None,
) -> Report | None:
    """One report of a README account: filed on the tenth day of the window, then (with a verifier)
    returned after five days with ``returned`` comments, or verified after a week and (with a validator)
    validated after a fortnight. None when the report exists already."""
    report = _filed(user, factory, period, report_type, inputs)
    if report is None:
        return None
    submitted = timezone.make_aware(dt.datetime.combine(period.window_opens + dt.timedelta(days=day), dt.time(10)))
    timeline = Timeline(created=submitted - dt.timedelta(days=2), submits=[submitted])
    if verifier is not None and returned:
        report = services.report_return(actor=verifier, report=report, comments=returned)
        timeline.returned = submitted + dt.timedelta(days=5)
    elif verifier is not None:
        report = services.report_verify(actor=verifier, report=report)
        timeline.verified = submitted + dt.timedelta(days=7)
        if validator is not None:
            report = services.report_validate(actor=validator, report=report)
            timeline.validated = submitted + dt.timedelta(days=15)
    _backdate(report, timeline)
    report.refresh_from_db()
    return report


def _scripted(cast: DemoCast, older: list[Period], previous: Period, current: Period) -> None:
    """The accounts the README names, each showing one state in the two latest periods."""
    users, factories = cast.users, cast.factories
    verifier, validator = users["verifikator"], users["validator_pangan"]
    pangan_inputs = _industry("10616", ["Tepung terigu", "Mi instan"], 1.0, "Gandum", "Mesin penggiling rol")
    tekstil_inputs = _industry("13121", ["Kain tenun poliester"], 0.4, "Benang poliester", "Mesin tenun air jet")
    logam_inputs = _industry("25952", ["Baut dan mur baja"], 0.01, "Kawat baja", "Mesin cold heading")
    karawang_inputs = _industry("10710", ["Roti tawar"], 0.2, "Tepung terigu", "Oven terowongan")
    # Earlier semesters: the five producing accounts filed on time and were accepted.
    for period in older:
        for key, report_type, inputs, checker in (
            ("indopangan", "industri_produksi", pangan_inputs, validator),
            ("indopangan2", "industri_produksi", karawang_inputs, validator),
            ("majutekstil", "industri_produksi", tekstil_inputs, users["validator_tekstil"]),
            ("sinarlogam", "industri_produksi_kecil", logam_inputs, users["validator_logam"]),
            ("kawasanbekasi", "kawasan_komersial", ESTATE, users["admin"]),
        ):
            _scripted_report(users[key], factories[key], period, report_type, inputs, verifier=verifier, validator=checker)

    # PT Indo Pangan Bekasi: last period validated; this period started, pre-filled from it.
    if _scripted_report(
        users["indopangan"], factories["indopangan"], previous, "industri_produksi", pangan_inputs, verifier=verifier, validator=validator
    ):
        draft = services.report_start(actor=users["indopangan"], factory=factories["indopangan"], period=current, report_type="industri_produksi")
        started = timezone.make_aware(dt.datetime.combine(current.window_opens + dt.timedelta(days=3), dt.time(9)))
        _backdate(draft, Timeline(created=min(started, timezone.now() - dt.timedelta(hours=1))))
    # PT Indo Pangan Karawang: validated last period, submitted this period, waiting for verification.
    _scripted_report(
        users["indopangan2"], factories["indopangan2"], previous, "industri_produksi", karawang_inputs, verifier=verifier, validator=validator
    )
    if timezone.localdate() > current.window_opens + dt.timedelta(days=12):
        _scripted_report(users["indopangan2"], factories["indopangan2"], current, "industri_produksi", karawang_inputs, day=12)
    # PT Maju Tekstil: verified last period, waiting for the sector validator.
    _scripted_report(users["majutekstil"], factories["majutekstil"], previous, "industri_produksi", tekstil_inputs, verifier=verifier)
    # CV Sinar Logam (Industri Kecil): returned for correction (Pengembalian Data).
    _scripted_report(
        users["sinarlogam"], factories["sinarlogam"], previous, "industri_produksi_kecil", logam_inputs, verifier=verifier,
        returned={"produksi": "Nilai produksi baut tampak terlalu rendah; mohon periksa satuannya."},
    )  # fmt: skip
    # Kawasan Cikarang: commercial-stage estate report verified.
    _scripted_report(users["kawasanbekasi"], factories["kawasanbekasi"], previous, "kawasan_komersial", ESTATE, verifier=verifier)
    # PT Baja Baru (construction): a draft for this period.
    if not Report.objects.filter(factory=factories["bajabaru"], period=current).exists():
        draft = services.report_start(actor=users["bajabaru"], factory=factories["bajabaru"], period=current, report_type="industri_pembangunan")
        data = _industry("24101", ["Baja lembaran canai panas"], 1.0, "Bijih besi", "Tanur busur listrik")
        for code in ("tenaga_kerja", "investasi", "lahan"):
            _save(users["bajabaru"], draft, code, data[code])


def seed(cast: DemoCast) -> None:
    today = timezone.localdate()
    for year in range(today.year - 2, today.year + 1):
        services.period_create_semesters(actor=None, year=year)
    opened = list(Period.objects.filter(period_type=Period.Type.SEMESTER, window_opens__lte=today).order_by("window_opens"))
    if len(opened) < 2:
        return
    history = opened[-HISTORY:]
    before = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    _scripted(cast, history[:-2], history[-2], history[-1])
    now = timezone.now()
    for period in history:
        _history(cast, period, latest=period == history[-1], now=now)
    # The receipts and return notices of this history went out when it happened (months ago): they are
    # not sent again today. Deleted before the commit, so the outbox has nothing to deliver for them.
    OutboxMessage.objects.filter(pk__gt=before, kind=OutboxMessage.Kind.EMAIL).delete()
