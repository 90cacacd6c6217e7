"""Four semesters of reports: who filed, when, how the review went, and every version and event.

Per expected (factory, period): filed with a probability from the factory's diligence and the
period's age, else perhaps a draft. A filed report gets a *story* — submitted, returned and
resubmitted (sometimes twice), verified, validated — that fixes its status, its versions and its
timeline, with times that only move forward and never pass the present. Older periods are mostly
validated; the latest one still has full queues.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from dataclasses import dataclass
from types import SimpleNamespace

from django.utils import timezone

from reporting.models import Period, Report, ReportEvent, ReportSection, ReportVersion
from reporting.registry import REPORT_TYPES, report_types_owed
from reporting.sections.definitions import SECTION_HANDLERS, WF_TOTAL_MISMATCH
from reporting.services import semester_defaults
from siinas.core.scale import sections as gen
from siinas.core.scale.people import Cast, FactoryRow
from siinas.core.scale.sink import EMPTY_JSON, RawJson, Sink

# Final status of a filed report: (latest period, older periods).
FINAL = {
    "latest": {"tervalidasi": 0.28, "terverifikasi": 0.26, "terkirim": 0.39, "pengembalian": 0.07},
    "older": {"tervalidasi": 0.80, "terverifikasi": 0.09, "terkirim": 0.07, "pengembalian": 0.04},
}
FILED = {"latest": 0.74, "older": 0.92}  # times the factory's diligence
DRAFTED = {"latest": 0.35, "older": 0.05}  # of the reports not filed
RESUBMITTED = {"latest": 0.05, "older": 0.065}  # a filed, not currently returned report went back once
RETURN_COMMENTS = (
    "Nilai produksi tampak terlalu rendah; mohon periksa satuannya.",
    "Jumlah tenaga kerja berbeda jauh dengan profil; mohon dilengkapi penjelasan.",
    "Kode HS beberapa bahan baku belum diisi.",
    "Nilai investasi mesin perlu dicek kembali dengan laporan keuangan.",
    "Mohon lengkapi dokumen lingkungan yang berlaku.",
)
USD_RATES = (15_480, 15_730, 16_120, 16_390)


def latest_periods(today: dt.date, count: int = 4) -> list[Period]:
    """The ``count`` most recent semesters whose filing window opened before today (created when missing)."""
    candidates = []
    for year in range(today.year - 4, today.year + 1):
        for number in (1, 2):
            window = semester_defaults(year, number)
            if window["window_opens"] < today:  # opened at least a day ago: reports have been started
                candidates.append((year, number, window))
    periods = []
    for year, number, window in candidates[-count:]:
        period, _created = Period.objects.get_or_create(
            period_type=Period.Type.SEMESTER, year=year, number=number, defaults=window
        )
        periods.append(period)
    return periods


@dataclass
class Layout:
    """Per report type: each section's header fields in the snapshot and its row tables."""

    code: str
    sections: list[tuple[str, tuple[str, ...] | None, list[tuple[str, tuple[str, ...]]]]]


def _layouts() -> dict[str, Layout]:
    out = {}
    for code, spec in REPORT_TYPES.items():
        if not spec.periodic:
            continue
        items = []
        for section in spec.sections:
            handler = SECTION_HANDLERS[section]
            header = handler.header_fields(spec) if handler.model is not None else None
            items.append((section, header, [(r.prefix, r.fields) for r in handler.rows]))
        out[code] = Layout(code, items)
    return out


class ReportWriter:
    """Writes reports, their typed section data, draft states, versions and timeline."""

    def __init__(self, sink: Sink, cast: Cast, seed: int, periods: list[Period], *, now: dt.datetime):
        self.sink, self.cast, self.seed, self.periods, self.now = sink, cast, seed, periods, now
        self.today = timezone.localdate(now)
        self.layouts = _layouts()
        self.reports = sink.table(
            Report,
            ("id", "factory_id", "period_id", "report_type", "status", "lock_version", "prefilled_from_id", "created_at",
             "updated_at", "first_submitted_at", "last_submitted_at", "submitted_on_time", "verified_at", "validated_at",
             "returned_at"),
        )  # fmt: skip
        self.states = sink.table(
            ReportSection,
            ("id", "report_id", "code", "state", "raw", "errors", "prefilled", "updated_at", "updated_by_id"),
        )
        self.versions = sink.table(
            ReportVersion,
            ("id", "report_id", "number", "data", "content_hash", "created_by_id", "created_at", "on_time"),
        )
        self.events = sink.table(
            ReportEvent,
            (
                "id",
                "report_id",
                "actor_id",
                "action",
                "from_status",
                "to_status",
                "section",
                "comment",
                "version_id",
                "created_at",
            ),
        )
        self.headers = {}
        self.rows = {}
        for handler in SECTION_HANDLERS.values():
            if handler.model is not None:
                self.headers[handler.code] = sink.table(handler.model, ("id", "report_id", *handler.fields))
            for r in handler.rows:
                extra = ("company_id",) if r.prefix == "tenant" else ()
                self.rows[r.prefix] = sink.table(r.model, ("id", "report_id", "position", *r.fields, *extra))
        officers = cast.officers.values()
        self.verifiers = sorted(u.pk for u in officers if u.role == "verifier")
        self.admin = next(u.pk for u in officers if u.role == "admin")
        self.accepted: dict[
            int, tuple[int, int]
        ] = {}  # factory index → (report, period number) last accepted earlier
        self.stats: dict[str, int] = {}
        self._profiles: dict[int, gen.Profile] = {}

    # --- the pass over one period ---

    def write_period(self, k: int) -> None:
        period = self.periods[k]
        age = "latest" if k == len(self.periods) - 1 else "older"
        closes = timezone.make_aware(dt.datetime.combine(period.window_closes, dt.time.max))
        opens = timezone.make_aware(dt.datetime.combine(period.window_opens, dt.time(8)))
        accepted_now: dict[int, tuple[int, int]] = {}
        for f in self.cast.factories:
            if not f.expected_types or f.created_at > closes:
                continue
            owed = report_types_owed(
                SimpleNamespace(account_type=f.account_type, stage=f.stage, scale=f.scale)
            )
            if not owed:
                continue
            spec = owed[0]
            rng = random.Random(f"{self.seed}:report:{f.index}:{k}")  # noqa: S311 — synthetic data
            start = max(opens, f.created_at + dt.timedelta(days=1))
            showcase = f.index < 2
            filed = rng.random() < f.diligence * FILED[age]
            if showcase and age == "latest":
                story = self._story(
                    rng,
                    age,
                    final="pengembalian" if f.index == 0 else "terkirim",
                    returns=1 if f.index == 0 else 0,
                )
            elif showcase or filed:
                story = self._story(rng, age, final="tervalidasi" if showcase else None)
            elif rng.random() < DRAFTED[age]:
                story = None
            else:
                continue
            report_id = self._write(f, k, period, spec, story, rng, start)
            if story and story[-1][0] in ("verify", "validate"):
                accepted_now[f.index] = (report_id, k)
        self.accepted.update(accepted_now)
        if age == "latest":
            self._profiles.clear()

    def _story(
        self, rng: random.Random, age: str, *, final: str | None = None, returns: int | None = None
    ) -> list[tuple]:
        weights = FINAL[age]
        final = final or rng.choices(list(weights), weights=list(weights.values()))[0]
        if returns is None:
            if final == "pengembalian":
                returns = 1 if rng.random() < 0.85 else 2
            else:
                returns = (1 if rng.random() < 0.9 else 2) if rng.random() < RESUBMITTED[age] else 0
        steps: list[tuple] = [("submit",)]
        for i in range(returns):
            by_validator = rng.random() < 0.3
            if by_validator:
                steps.append(("verify",))
            steps.append(("return", by_validator))
            if not (final == "pengembalian" and i == returns - 1):
                steps.append(("submit",))
        if final in ("terverifikasi", "tervalidasi"):
            steps.append(("verify",))
        if final == "tervalidasi":
            steps.append(("validate",))
        return steps

    def _later(self, rng: random.Random, t: dt.datetime, lo_hours: float, hi_hours: float) -> dt.datetime:
        candidate = t + dt.timedelta(hours=rng.uniform(lo_hours, hi_hours))
        ceiling = self.now - dt.timedelta(minutes=5)
        if candidate > ceiling:
            candidate = (
                t + (ceiling - t) * rng.uniform(0.3, 0.7) if ceiling > t else t + dt.timedelta(seconds=1)
            )
        return candidate

    def _values(self, f: FactoryRow, k: int, spec_code: str) -> dict[str, tuple]:
        profile = self._profile(f)
        rng = random.Random(f"{self.seed}:values:{f.index}:{k}")  # noqa: S311 — synthetic data
        if f.account_type == "B":
            return gen.estate_values(profile, k, rng, commercial=spec_code == "kawasan_komersial")
        return gen.industry_values(
            profile,
            k,
            rng,
            construction=spec_code == "industri_pembangunan",
            usd_rate=USD_RATES[k % len(USD_RATES)],
        )

    def _profile(self, f: FactoryRow) -> gen.Profile:
        """Drawn once per factory from its own stream and kept for the four periods' passes."""
        profile = self._profiles.get(f.index)
        if profile is None:
            rng = random.Random(f"{self.seed}:profile:{f.index}")  # noqa: S311 — synthetic data
            if f.account_type == "B":
                kbli_codes = self.cast.kbli_by_division["10"] + self.cast.kbli_by_division["25"]
                profile = gen.estate_profile(rng, f, self.today, self.cast.tenant_pool, kbli_codes)
            else:
                profile = gen.industry_profile(rng, f, self.today)
            self._profiles[f.index] = profile
        return profile

    def snapshot(self, f: FactoryRow, period: Period, layout: Layout, values: dict[str, tuple]) -> dict:
        sections = {}
        for code, header_fields, row_specs in layout.sections:
            header, rows = values.get(code, (None, {}))
            sections[code] = {
                "fields": None
                if header is None or header_fields is None
                else {n: header[n] for n in header_fields},
                "rows": {
                    prefix: [{n: row[n] for n in names} for row in rows.get(prefix, [])]
                    for prefix, names in row_specs
                },
            }
        return {
            "report_type": layout.code,
            "period": str(period),
            "factory": {
                "id": f.id,
                "company": f.company_name,
                "nib": f.nib,
                "name": f.name,
                "address": f.address,
            },
            "sections": sections,
        }

    # --- one report ---

    def _write(
        self,
        f: FactoryRow,
        k: int,
        period: Period,
        spec,
        story,
        rng: random.Random,
        start: dt.datetime,
    ) -> int:
        report_id = self.reports.new_id()
        layout = self.layouts[spec.code]
        closes = timezone.make_aware(dt.datetime.combine(period.window_closes, dt.time(23)))
        source = self.accepted.get(f.index) if rng.random() < 0.7 else None
        prefilled_from = source[0] if source else None
        source_period = str(self.periods[source[1]]) if source else ""
        values = self._values(f, k, spec.code)
        if story is None:
            return self._write_draft(
                f, period, spec, layout, values, rng, start, report_id, prefilled_from, source_period
            )
        # first submission: most inside the window, some late (never in the future)
        if rng.random() < 0.82 or start > closes:
            first = (
                start + (min(closes, self.now) - start) * rng.random()
                if min(closes, self.now) > start
                else start
            )
        else:
            first = closes + dt.timedelta(days=rng.uniform(1, 75))
        first = min(first, self.now - dt.timedelta(hours=2))
        created = max(start - dt.timedelta(hours=1), first - dt.timedelta(days=rng.uniform(0.5, 20)))
        user = f.user_id
        events: list[tuple] = [(user, ReportEvent.Action.CREATED, "", "konsep", "", "", None, created)]
        if prefilled_from:
            events.append(
                (user, ReportEvent.Action.PREFILLED, "", "konsep", "", source_period, None, created)
            )
        submits = sum(1 for s in story if s[0] == "submit")
        final_snapshot = self.snapshot(f, period, layout, values)
        status, t = "konsep", first
        number = 0
        dates: dict[str, dt.datetime | None] = {
            "verified": None,
            "validated": None,
            "returned": None,
            "first": None,
            "last": None,
        }
        for i, step in enumerate(story):
            if i:
                t = self._later(rng, t, 20, 24 * 25)
            kind = step[0]
            if kind == "submit":
                number += 1
                data = final_snapshot if number == submits else self._earlier(final_snapshot, number)
                text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                version_id = self.versions.new_id()
                on_time = period.is_on_time(t)
                self.versions.add(
                    (
                        version_id,
                        report_id,
                        number,
                        RawJson(text),
                        hashlib.sha256(text.encode()).hexdigest(),
                        user,
                        t,
                        on_time,
                    )
                )
                action = ReportEvent.Action.SUBMITTED if number == 1 else ReportEvent.Action.RESUBMITTED
                events.append((user, action, status, "terkirim", "", "", version_id, t))
                dates["first"] = dates["first"] or t
                dates["last"] = t
                status = "terkirim"
            elif kind == "verify":
                events.append(
                    (
                        rng.choice(self.verifiers),
                        ReportEvent.Action.VERIFIED,
                        status,
                        "terverifikasi",
                        "",
                        "",
                        None,
                        t,
                    )
                )
                dates["verified"], status = t, "terverifikasi"
            elif kind == "validate":
                events.append(
                    (
                        self._validator(f, rng),
                        ReportEvent.Action.VALIDATED,
                        status,
                        "tervalidasi",
                        "",
                        "",
                        None,
                        t,
                    )
                )
                dates["validated"], status = t, "tervalidasi"
            else:
                actor = self._validator(f, rng) if step[1] else rng.choice(self.verifiers)
                events.append((actor, ReportEvent.Action.RETURNED, status, "pengembalian", "", "", None, t))
                returned = rng.sample(
                    [c for c, *_rest in layout.sections], k=min(len(layout.sections), rng.randint(1, 2))
                )
                for code in sorted(returned, key=[c for c, *_r in layout.sections].index):
                    events.append(
                        (
                            actor,
                            ReportEvent.Action.RETURNED,
                            "",
                            "",
                            code,
                            rng.choice(RETURN_COMMENTS),
                            None,
                            t,
                        )
                    )
                dates["returned"], status = t, "pengembalian"
        self.reports.add(
            (report_id, f.id, period.pk, spec.code, status, len(layout.sections) + len(story), prefilled_from, created, t,
             dates["first"], dates["last"], period.is_on_time(dates["first"]), dates["verified"], dates["validated"], dates["returned"])
        )  # fmt: skip
        self._write_sections(
            report_id, layout, values, user, created + (first - created) * 0.9, prefilled=False
        )
        for event in events:
            self.events.add((self.events.new_id(), report_id, *event))
        self.stats[status] = self.stats.get(status, 0) + 1
        self.stats["versions"] = self.stats.get("versions", 0) + number
        return report_id

    def _earlier(self, snapshot: dict, number: int) -> dict:
        """An earlier version: what the company corrected after the Pengembalian Data."""
        data = json.loads(json.dumps(snapshot))
        sections = data["sections"]
        rows = (sections.get("produksi") or {}).get("rows", {}).get("produksi")
        if rows:
            rows[0]["value"] = str(int(int(rows[0]["value"]) * (0.8 - 0.1 * number)))
        else:
            sections["tenaga_kerja"]["fields"]["explanation"] = f"Perkiraan awal (versi {number})"
        return data

    def _validator(self, f: FactoryRow, rng: random.Random) -> int:
        validators = self.cast.reviewers_of(f, [])
        # an estate has no KBLI line, so no validator: the administrator validates it
        return rng.choice(validators) if validators else self.admin

    def _write_sections(
        self,
        report_id: int,
        layout: Layout,
        values: dict,
        user: int,
        when: dt.datetime,
        *,
        prefilled: bool,
        only=None,
        to_confirm=frozenset(),
    ):
        for code, _header_fields, row_specs in layout.sections:
            if only is not None and code not in only:
                continue
            if code not in values:
                continue  # an optional section never saved (INDI 4.0)
            header, rows = values[code]
            handler = SECTION_HANDLERS[code]
            if header is not None and handler.model is not None:
                table = self.headers[code]
                table.add((table.new_id(), report_id, *[header.get(n) for n in handler.fields]))
            for prefix, names in row_specs:
                table = self.rows[prefix]
                for position, row in enumerate(rows.get(prefix, [])):
                    extra = (row.get("company_id"),) if prefix == "tenant" else ()
                    table.add((table.new_id(), report_id, position, *[row[n] for n in names], *extra))
            self.states.add(
                (
                    self.states.new_id(),
                    report_id,
                    code,
                    ReportSection.State.TO_CONFIRM if code in to_confirm else ReportSection.State.VALID,
                    EMPTY_JSON,
                    EMPTY_JSON,
                    prefilled and code in to_confirm,
                    when,
                    user,
                )
            )

    def _write_draft(
        self, f, period, spec, layout, values, rng, start, report_id, prefilled_from, source_period
    ) -> int:
        created = min(start + (self.now - start) * rng.uniform(0.0, 0.5), self.now - dt.timedelta(hours=3))
        user = f.user_id
        codes = [c for c, *_r in layout.sections]
        # a pre-filled draft has its stock sections copied by report_start, waiting for confirmation (some
        # already confirmed), and some of its flow sections (which start empty) filled in
        to_confirm: set[str] = set()
        if prefilled_from:
            stock = [c for c in codes if not spec.is_flow(c)]
            flows = [c for c in codes if spec.is_flow(c)]
            to_confirm = set(stock[rng.randint(0, len(stock)) :])
            saved = stock + flows[: rng.randint(0, len(flows))]
        else:
            saved = codes[: rng.randint(0, len(codes) - 1)]
        invalid = (
            "tenaga_kerja"
            if not prefilled_from and "tenaga_kerja" not in saved and rng.random() < 0.1
            else None
        )
        updated = self._later(rng, created, 1, 24 * 10)
        self.reports.add(
            (report_id, f.id, period.pk, spec.code, "konsep", len(saved) + (1 if invalid else 0), prefilled_from, created, updated,
             None, None, None, None, None, None)
        )  # fmt: skip
        self._write_sections(
            report_id, layout, values, user, updated, prefilled=bool(prefilled_from), only=set(saved), to_confirm=to_confirm
        )
        if invalid:
            header = values["tenaga_kerja"][0]
            raw = {
                f"h-{n}": [str(header[n])]
                for n in ("prod_male_wni", "prod_female_wni", "nonprod_male_wni", "nonprod_female_wni")
            }
            parts = sum(int(v[0]) for v in raw.values())
            raw |= {"h-total": [str(parts + 7)], "wna-TOTAL_FORMS": ["0"], "wna-INITIAL_FORMS": ["0"]}
            errors = {"h": {"total": [WF_TOTAL_MISMATCH % {"total": parts + 7, "sum": parts}]}}
            self.states.add(
                (
                    self.states.new_id(),
                    report_id,
                    "tenaga_kerja",
                    ReportSection.State.INVALID,
                    raw,
                    errors,
                    False,
                    updated,
                    user,
                )
            )
        events = [(user, ReportEvent.Action.CREATED, "", "konsep", "", "", None, created)]
        if prefilled_from:
            events.append(
                (user, ReportEvent.Action.PREFILLED, "", "konsep", "", source_period, None, created)
            )
        for event in events:
            self.events.add((self.events.new_id(), report_id, *event))
        self.stats["konsep"] = self.stats.get("konsep", 0) + 1
        return report_id
