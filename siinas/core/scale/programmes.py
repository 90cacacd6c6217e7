"""The programmes around the reports: twelve IKI months, e-service applications and the directory."""

from __future__ import annotations

import datetime as dt
import random

from django.core.files.base import ContentFile
from django.http import QueryDict
from django.utils import timezone

from eservice.catalog import SERVICES, get_service
from eservice.forms import ServiceEntry
from eservice.models import Application, ApplicationDocument, DirectoryProduct, DirectoryProfile, StatusChange
from iki import selectors as iki_selectors
from iki import tallies
from iki.engine import IKI_DIVISIONS
from iki.models import IkiResponse
from iki.questions import FACTOR_QUESTIONS, factor_bits
from siinas.core.scale import distributions as d
from siinas.core.scale.people import Cast, FactoryRow
from siinas.core.scale.sink import Sink
from siinas.lib.uploads import private_storage

# --- IKI -------------------------------------------------------------------------------------------

# A factory's habit: a panel that answers most months, occasional answerers, and the silent majority.
PANEL, OCCASIONAL = 0.235, 0.06
PANEL_RATE, OCCASIONAL_RATE = 0.85, 0.25


def closed_months(today: dt.date, count: int = 12) -> list[dt.date]:
    """The ``count`` most recent months whose questionnaire window has closed (oldest first)."""
    month = today.replace(day=1)
    months = []
    while len(months) < count:
        if iki_selectors.window_for(month).has_closed(today):
            months.append(month)
        month = iki_selectors.previous_month(month)
    return sorted(months)


def _answer(rng: random.Random, mood: float, choices: tuple[str, str, str]) -> str:
    up, down = 0.38 + mood, 0.25 - mood
    draw = rng.random()
    return choices[0] if draw < up else choices[2] if draw > 1 - down else choices[1]


def write_iki(sink: Sink, cast: Cast, seed: int, months: list[dt.date]) -> dict[str, int]:
    """About 10,000 responses per month at 50,000 factories: every IKI line of the responding
    production-stage industry accounts, with moods that move the index from month to month."""
    table = sink.table(
        IkiResponse,
        ("id", "factory_id", "period", "kbli2_id", "operating_commercially", "main_product", "official_name", "official_position",
         "official_phone", "official_email", "general", "orders", "orders_factors", "orders_other", "production",
         "production_factors", "production_other", "stock", "stock_factors", "stock_other", "outlook", "outlook_factors",
         "outlook_other", "answered_previous_month", "orders_factor_bits", "production_factor_bits", "stock_factor_bits",
         "outlook_factor_bits", "power_of_attorney", "submitted_by_id", "created_at", "updated_at"),
    )  # fmt: skip
    rng = random.Random(f"{seed}:iki")  # noqa: S311 — synthetic data
    eligible: list[tuple[FactoryRow, list[str], float]] = []
    for f in cast.factories:
        lines = [div for div in f.divisions if div in IKI_DIVISIONS]
        if f.account_type != "A" or f.stage != "produksi" or not f.active or not lines:
            continue
        habit = rng.random()
        rate = PANEL_RATE if habit < PANEL else OCCASIONAL_RATE if habit < PANEL + OCCASIONAL else 0.0
        if f.index < 2:
            rate = 1.0  # the showcase factories answer every month
        if rate:
            eligible.append((f, lines, rate))
    previous: set[tuple[int, str]] = set()
    per_month = {}
    for month in months:
        window = iki_selectors.window_for(month)
        mood = rng.uniform(-0.12, 0.12)
        division_mood = {div: rng.uniform(-0.08, 0.08) for div in IKI_DIVISIONS}
        answered: set[tuple[int, str]] = set()
        for f, lines, rate in eligible:
            if f.created_at.date() > window.closes_on or rng.random() >= rate:
                continue
            when = timezone.make_aware(dt.datetime.combine(window.opens_on, dt.time(9))) + dt.timedelta(
                hours=rng.uniform(0, 24 * ((window.closes_on - window.opens_on).days + 0.5))
            )
            for division in lines:
                m = mood + division_mood[division]
                answers = {
                    name: _answer(rng, m, ("meningkat", "tetap", "menurun"))
                    for name in ("general", "orders", "production", "stock")
                }
                answers["outlook"] = _answer(rng, m, ("optimis", "tidak_berubah", "pesimis"))
                factors, others, bits = {}, {}, {}
                for answer, factors_field, other_field, choices, neutral in FACTOR_QUESTIONS:
                    picked: list[str] = []
                    if answers[answer] != neutral:
                        codes = [c for c, _label in choices]
                        picked = rng.sample(codes[:-1], k=rng.randint(1, 3))
                        if rng.random() < 0.03:
                            picked.append(codes[-1])
                    factors[factors_field] = picked
                    others[other_field] = "Kondisi cuaca" if "lainnya" in picked else ""
                    bits[answer] = factor_bits(answer, picked)
                line = (f.id, division)
                answered.add(line)
                table.add(
                    (table.new_id(), f.id, month, division, True, f.main_product, f.contact_name, "Manajer Produksi",
                     "081234567890", f.email, answers["general"], answers["orders"], factors["orders_factors"], others["orders_other"],
                     answers["production"], factors["production_factors"], others["production_other"], answers["stock"],
                     factors["stock_factors"], others["stock_other"], answers["outlook"], factors["outlook_factors"],
                     others["outlook_other"], line in previous, bits["orders"], bits["production"], bits["stock"], bits["outlook"],
                     "", f.user_id, when, when)
                )  # fmt: skip
        per_month[f"{month:%Y-%m}"] = len(answered)
        previous = answered
    sink.flush(IkiResponse)
    for month in months:
        tallies.rebuild(month)  # the bulk insert skipped save(), which keeps the running tally
    return per_month


# --- E-services ------------------------------------------------------------------------------------

SERVICE_WEIGHTS = {
    "e-licensing": 22,
    "iomki": 8,
    "industri-hijau": 10,
    "restrukturisasi-mesin": 15,
    "tkdn-ik": 15,
    "tkdn": 22,
    "vki": 8,
}
STATUS_WEIGHTS = {
    "konsep": 12,
    "diajukan": 28,
    "diperiksa": 15,
    "perlu_perbaikan": 8,
    "disetujui": 30,
    "ditolak": 7,
}
# Minimal valid PDF, stored once and shared by every generated document row.
SAMPLE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _templates(today: dt.date) -> dict[str, dict]:
    """One valid answer per service, cleaned by the service's own form (so the stored shape is real)."""
    future = lambda days: (today + dt.timedelta(days=days)).isoformat()  # noqa: E731
    fields = {
        "e-licensing": {"kind": "ekspor", "purpose": "Ekspor produk ke Malaysia", "port": "Tanjung Priok", "valid_from": future(1),
                        "valid_until": future(180)},
        "iomki": {"activity": "keduanya", "shifts": "2", "workforce_total": "420", "workforce_on_site": "300",
                  "health_officer": "Dr. Sari Wulandari", "distribution_area": "Jawa dan Sumatra", "vehicles": "12", "health_protocol": "on"},
        "industri-hijau": {"data_year": str(today.year - 1), "main_product": "Produk utama", "production_volume": "120000",
                           "production_unit": "ton", "material_efficiency_pct": "96.5", "energy_intensity": "0.85", "water_intensity": "1.2",
                           "renewable_energy_pct": "12", "waste_recycled_pct": "70", "iso14001": "on", "smk3": "on", "proper_rating": "biru",
                           "csr_programmes": "Bank sampah desa", "score_production": "78", "score_management": "81"},
        "restrukturisasi-mesin": {"programme_year": str(today.year), "production_purpose": "Peningkatan kapasitas produksi",
                                  "supplier_name": "PT Mesin Nusantara"},
        "tkdn-ik": {"product_name": "Produk industri kecil", "brand": "Lokal", "specification": "Sesuai SNI", "hs_code": "731815",
                    "annual_capacity": "200.000 buah"},
        "tkdn": {"product_name": "Produk dalam negeri", "brand": "Nusantara", "hs_code": "110100", "specification": "Sesuai SNI",
                 "annual_capacity": "120.000 ton", "product_count": "3", "verifier": "sucofindo", "procurement_use": "Pengadaan pemerintah"},
        "vki": {"product_group": "kain", "material": "Benang poliester", "material_hs_code": "540233", "installed_capacity": "1000",
                "realised_production": "800", "material_need": "900", "domestic_supply": "600", "import_need": "250", "machines": "120",
                "workforce": "160"},
    }  # fmt: skip
    rows = {
        "e-licensing": [{"hs_code": "110100", "description": "Produk ekspor", "quantity": "5000", "unit": "ton", "country": "Malaysia"}],
        "restrukturisasi-mesin": [
            {"name": "Mesin pengemas otomatis", "brand": "MN-200", "origin": "dalam_negeri", "purchase_date": f"{today.year}-01-15",
             "quantity": "2", "unit_price": "100000000"},
        ],
        "tkdn-ik": [{"component": "Bahan baku", "category": "bahan", "domestic_cost": "600", "foreign_cost": "200"},
                    {"component": "Upah", "category": "tenaga_kerja", "domestic_cost": "150", "foreign_cost": "0"}],
    }  # fmt: skip
    out = {}
    for code, values in fields.items():
        data = QueryDict(mutable=True)
        data.update(values)
        table = rows.get(code)
        if table is not None:
            data["rows-TOTAL_FORMS"], data["rows-INITIAL_FORMS"] = str(len(table)), "0"
            for i, row in enumerate(table):
                for name, value in row.items():
                    data[f"rows-{i}-{name}"] = value
        entry = ServiceEntry(get_service(code), data=data)
        if not entry.is_valid():
            raise RuntimeError(
                f"load_scale: the {code} template does not pass its form: {entry.form.errors} {entry.formset and entry.formset.errors}"
            )
        out[code] = entry.payload()
    return out


def write_eservice(sink: Sink, cast: Cast, seed: int, count: int, *, now: dt.datetime) -> dict[str, int]:
    rng = random.Random(f"{seed}:eservice")  # noqa: S311 — synthetic data
    today = timezone.localdate(now)
    templates = _templates(today)
    pdf_name = private_storage.save("eservice/skala-contoh.pdf", ContentFile(SAMPLE_PDF))
    apps = sink.table(
        Application,
        ("id", "factory_id", "service", "status", "number", "data", "decision_data", "decision_note", "letter_number", "valid_until",
         "created_by_id", "reviewer_id", "created_at", "updated_at", "submitted_at", "last_submitted_at", "decided_at"),
    )  # fmt: skip
    history = sink.table(
        StatusChange,
        ("id", "application_id", "from_status", "to_status", "actor_id", "note", "snapshot", "created_at"),
    )
    documents = sink.table(
        ApplicationDocument,
        (
            "id",
            "application_id",
            "kind",
            "file",
            "original_name",
            "content_kind",
            "size",
            "uploaded_by_id",
            "uploaded_at",
        ),
    )
    services = {s.code: s for s in SERVICES}
    officers = cast.officers.values()
    verifiers = sorted(u.pk for u in officers if u.role == "verifier")
    industry = [f for f in cast.factories if f.account_type == "A" and f.active and f.kbli]
    textile = [f for f in industry if set(f.divisions) & {"13", "14"}]
    small = [f for f in industry if f.scale == "kecil"]
    codes, code_cum = d.normalised(SERVICE_WEIGHTS)
    statuses, status_cum = d.normalised(STATUS_WEIGHTS)
    stats: dict[str, int] = {}
    for _ in range(count):
        code = rng.choices(codes, cum_weights=code_cum)[0]
        pool = textile if code == "vki" else small if code == "tkdn-ik" else industry
        if not pool:
            code, pool = "tkdn", industry
        f = rng.choice(pool)
        service = services[code]
        status = rng.choices(statuses, cum_weights=status_cum)[0]
        app_id = apps.new_id()
        data = dict(templates[code])
        if "product_name" in data:
            data["product_name"] = f"{data['product_name']} {f.company_name.split(' ', 1)[1]}"
        created = now - dt.timedelta(days=rng.uniform(1, 540))
        t = created
        steps = [("", "konsep", f.user_id, "", {})]
        if status != "konsep":
            t = t + dt.timedelta(hours=rng.uniform(1, 72))
            snapshot = {
                "data": data,
                "documents": {
                    spec.code: {"id": 0, "name": f"{spec.code}.pdf"}
                    for spec in service.documents
                    if spec.required
                },
            }
            steps.append(("konsep", "diajukan", f.user_id, "", snapshot))
        reviewers = cast.reviewers_of(f, verifiers) if service.reviewing_role == "validator" else verifiers
        reviewer = rng.choice(reviewers) if status not in ("konsep", "diajukan") else None
        if reviewer:
            t = min(t + dt.timedelta(days=rng.uniform(1, 20)), now)
            steps.append(("diajukan", "diperiksa", reviewer, "", {}))
        if status == "perlu_perbaikan":
            steps.append(("diperiksa", "perlu_perbaikan", reviewer, "Mohon lengkapi dokumen pendukung.", {}))
        decided = None
        letter = valid_until = None
        decision = {}
        if status in ("disetujui", "ditolak"):
            decided = min(t + dt.timedelta(days=rng.uniform(1, 20)), now)
            steps.append(
                (
                    "diperiksa",
                    status,
                    reviewer,
                    "Sesuai persyaratan." if status == "disetujui" else "Persyaratan tidak terpenuhi.",
                    {},
                )
            )
            if status == "disetujui" and service.letter_title:
                letter = f"{service.prefix}/SK/{decided:%Y}/{app_id:06d}"
            if status == "disetujui" and service.decision_form is not None and code != "vki":
                valid_until = (today + dt.timedelta(days=rng.randint(30, 365))).isoformat()
                decision = {"valid_until": valid_until}
            elif status == "disetujui" and code == "vki":
                decision = {"verified_capacity": "1000.00", "verified_import_need": "250.00", "verification_method": "lapangan",
                            "verification_date": decided.date().isoformat()}  # fmt: skip
        submitted = created + dt.timedelta(hours=1) if status != "konsep" else None
        number = f"{service.prefix}-{submitted:%Y}-{app_id:06d}" if submitted else None
        apps.add(
            (app_id, f.id, code, status, number, data, decision, "", letter, valid_until, f.user_id, reviewer, created, decided or t,
             submitted, submitted, decided)
        )  # fmt: skip
        when = created
        for from_status, to_status, actor, note, snapshot in steps:
            history.add((history.new_id(), app_id, from_status, to_status, actor, note, snapshot, when))
            when = min(when + dt.timedelta(hours=rng.uniform(1, 96)), now)
        if status != "konsep":
            for spec in service.documents:
                if spec.required:
                    documents.add(
                        (
                            documents.new_id(),
                            app_id,
                            spec.code,
                            pdf_name,
                            f"{spec.code}.pdf",
                            "pdf",
                            len(SAMPLE_PDF),
                            f.user_id,
                            created,
                        )
                    )
        stats[status] = stats.get(status, 0) + 1
    return stats


# --- Directory -------------------------------------------------------------------------------------


def write_directory(sink: Sink, cast: Cast, seed: int, count: int, products_of) -> int:
    """``count`` directory profiles of industry accounts (85 % published), one to five products each."""
    rng = random.Random(f"{seed}:directory")  # noqa: S311 — synthetic data
    profiles = sink.table(
        DirectoryProfile,
        ("id", "factory_id", "is_published", "display_name", "description", "publish_description", "publish_region", "publish_address",
         "publish_kbli", "publish_scale", "publish_workforce", "contact_name", "contact_email", "contact_phone", "website",
         "publish_contact", "updated_at"),
    )  # fmt: skip
    products = sink.table(
        DirectoryProduct,
        (
            "id",
            "profile_id",
            "name",
            "description",
            "hs_code",
            "kbli_id",
            "capacity",
            "is_published",
            "created_at",
        ),
    )
    candidates = [
        f for f in cast.factories if f.account_type == "A" and f.active and f.stage == "produksi" and f.kbli
    ]
    chosen = candidates[:1] + rng.sample(candidates[1:], k=min(len(candidates) - 1, max(0, count - 1)))
    now = timezone.now()
    for f in chosen:
        profile_id = profiles.new_id()
        names = products_of(f)
        description = f"Produsen {', '.join(n.lower() for n, _kbli, _hs in names[:3])} di {f.region_short}."
        profiles.add(
            (profile_id, f.id, f.index == 0 or rng.random() < 0.85, f.company_name, description, True, rng.random() < 0.8,
             rng.random() < 0.4, rng.random() < 0.8, rng.random() < 0.6, rng.random() < 0.3, f.contact_name, f.email,
             "", "", rng.random() < 0.5, now)
        )  # fmt: skip
        for name, kbli, hs in names[: rng.randint(1, 5)]:
            products.add(
                (products.new_id(), profile_id, name, f"{name} mutu ekspor dan dalam negeri.", hs[:6], kbli,
                 f"{rng.randint(1, 900) * 100} per tahun", rng.random() < 0.9, now)
            )  # fmt: skip
    return len(chosen)
