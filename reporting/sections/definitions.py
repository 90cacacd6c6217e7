"""Every section of fields.md: its fields, tables and rules (messages are asserted by the tests)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from reporting.sections import choices as c
from reporting.sections import models as m
from reporting.sections.base import CheckContext, Issue, NameList, RowSpec, Section, SectionValues, name_key

# --- messages (gettext constants; the tests assert them) ---
WF_TOTAL_MISMATCH = gettext_noop("Jumlah seluruh tenaga kerja (%(total)s) tidak sama dengan jumlah rinciannya (%(sum)s).")
WF_NATIONALITY_REQUIRED = gettext_noop("Ada tenaga kerja WNA: isi rincian kewarganegaraannya.")
WF_NATIONALITY_MISMATCH = gettext_noop("Jumlah rincian kewarganegaraan (%(rows)s) harus sama dengan jumlah tenaga kerja WNA (%(wna)s).")
WF_PLANNED_REQUIRED = gettext_noop("Isi rencana tenaga kerja saat beroperasi penuh.")
BIG_MOVE = gettext_noop("Nilai berubah lebih dari 50%% dibanding periode lalu (%(previous)s → %(current)s); isi penjelasan.")
OWNERSHIP_SUM = gettext_noop("Kepemilikan dalam negeri dan asing harus berjumlah 100%% (sekarang %(sum)s%%).")
FOREIGN_OWNERS_REQUIRED = gettext_noop("Ada kepemilikan asing: isi negara asal modal dan porsinya.")
FOREIGN_OWNERS_SUM = gettext_noop("Porsi per negara (%(rows)s%%) harus sama dengan kepemilikan asing (%(foreign)s%%).")
REALISATION_DROP = gettext_noop("Realisasi modal tetap (Rp %(current)s) lebih kecil dari periode lalu (Rp %(previous)s); isi penjelasan.")
BUILDING_OVER_LAND = gettext_noop("Luas bangunan tidak boleh melebihi luas lahan.")
OUTSIDE_INDONESIA = gettext_noop("Koordinat berada di luar wilayah Indonesia.")
ESTATE_NAME_REQUIRED = gettext_noop("Isi nama kawasan industri.")
AT_LEAST_ONE_PRODUCT = gettext_noop("Isi sedikitnya satu produk.")
KBLI_UNKNOWN = gettext_noop("KBLI %(code)s tidak ada dalam KBLI 2020 (5 digit).")
DUPLICATE_PRODUCT = gettext_noop("Produk ini sudah tercantum di baris lain.")
IMPORT_NEEDS_COUNTRY = gettext_noop("Bahan impor wajib mencantumkan negara asal.")
YEAR_IN_FUTURE = gettext_noop("Tahun pembuatan tidak boleh melewati tahun berjalan (%(year)s).")
PRODUCT_NOT_LISTED = gettext_noop("Pilih produk dari daftar kapasitas produksi.")
PRODUCT_NOT_IN_CAPACITY = gettext_noop("Produk tidak ada di daftar kapasitas produksi; tambahkan dulu di bagian Kapasitas produksi.")
UNIT_MISMATCH = gettext_noop("Satuan harus sama dengan satuan kapasitasnya (%(unit)s).")
OVER_CAPACITY = gettext_noop("Produksi melebihi kapasitas terpasang untuk periode ini (%(capacity)s %(unit)s); isi penjelasan.")
PRODUCT_NOT_PRODUCED = gettext_noop("Produk tidak ada di bagian Produksi.")
SALES_OVER_SUPPLY = gettext_noop("Penjualan (%(sold)s) melebihi produksi ditambah pengambilan dari stok (%(supply)s); isi penjelasan.")
EXPORT_NEEDS_DESTINATION = gettext_noop("Ada ekspor: isi negara tujuan ekspor produk ini.")
DESTINATION_PRODUCT_UNKNOWN = gettext_noop("Produk tidak ada di tabel penjualan.")
EXPORT_NEEDS_RATE = gettext_noop("Ada ekspor: isi kurs rata-rata Rp per USD.")
B3_NEEDS_HANDLER = gettext_noop("Limbah B3 wajib dikelola pihak berizin (isi nama pengelola) atau dengan izin pengelolaan sendiri.")
DATE_IN_FUTURE = gettext_noop("Tanggal tidak boleh melewati hari ini.")
PLANNED_DATE_PAST = gettext_noop("Rencana mulai produksi komersial sudah lewat; perbarui tanggalnya atau isi penjelasan.")
DUPLICATE_STAGE = gettext_noop("Tahapan ini sudah tercantum di baris lain.")
INDI_NEEDS_YEAR = gettext_noop("Isi tahun asesmen INDI 4.0.")
INDI_NEEDS_SCORE = gettext_noop("Isi skor INDI 4.0 untuk tahun asesmen ini.")
FINANCING_PERCENT_SUM = gettext_noop("Sumber pembiayaan dalam persen harus berjumlah 100%% (sekarang %(sum)s%%).")
SOLD_AVAILABLE_OVER = gettext_noop("Lahan terjual/disewakan ditambah kaveling tersedia (%(sum)s ha) melebihi luas lahan industri (%(industrial)s ha).")
DEVELOPED_OVER_LICENSED = gettext_noop("Luas yang dikembangkan tidak boleh melebihi luas izin.")
WATER_USED_OVER = gettext_noop("Air terpakai tidak boleh melebihi kapasitas pasokan.")
PMA_NEEDS_COUNTRY = gettext_noop("Tenant PMA wajib mencantumkan negara asal modal.")

INDONESIA_LAT = (Decimal("-11.5"), Decimal("6.5"))
INDONESIA_LON = (Decimal("94.5"), Decimal("141.5"))


def _num(value) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"


def big_move(previous, current) -> bool:
    """A move of more than 50 % from the previous value (a zero previous only counts when it grows)."""
    previous, current = _num(previous), _num(current)
    if previous == 0:
        return False
    return abs(current - previous) > previous / 2


_key = name_key


def _duplicates(names: list[str], table: str, fieldname: str, message: str) -> list[Issue]:
    seen: set[str] = set()
    issues = []
    for i, name in enumerate(names):
        if _key(name) in seen:
            issues.append(Issue(_(message), field=fieldname, table=table, index=i))
        seen.add(_key(name))
    return issues


def period_months(ctx: CheckContext) -> int:
    p = ctx.report.period
    return (p.end.year - p.start.year) * 12 + p.end.month - p.start.month + 1


# --- Industry ----------------------------------------------------------------------------------


class WorkforceSection(Section):
    code = "tenaga_kerja"
    model = m.Workforce
    fields = (*m.Workforce.PARTS, "total", "planned_total", "explanation")
    sums = {"total": m.Workforce.PARTS}  # computed, not typed (issue 16 §2); the check below guards stored data
    construction_only = ("planned_total",)
    rows = (
        RowSpec("wna", m.WorkforceNationality, ("country", "count"), gettext_lazy("Rincian tenaga kerja WNA"), sums=("count",)),
    )

    def check(self, values: SectionValues, ctx: CheckContext) -> list[Issue]:
        h = values.header
        issues = []
        parts = sum(getattr(h, f) or 0 for f in m.Workforce.PARTS)
        if h.total != parts:
            issues.append(Issue(_(WF_TOTAL_MISMATCH) % {"total": h.total, "sum": parts}, field="total"))
        wna = sum(getattr(h, f) or 0 for f in m.Workforce.WNA_PARTS)
        listed = sum(r.count for r in values.rows["wna"])
        if wna and not values.rows["wna"]:
            issues.append(Issue(_(WF_NATIONALITY_REQUIRED), table="wna"))
        elif listed != wna:
            issues.append(Issue(_(WF_NATIONALITY_MISMATCH) % {"rows": listed, "wna": wna}, table="wna"))
        if ctx.spec.construction and h.planned_total is None:
            issues.append(Issue(_(WF_PLANNED_REQUIRED), field="planned_total"))
        previous = ctx.previous_section(self.code)
        if previous and previous.get("fields") and big_move(previous["fields"]["total"], h.total) and not h.explanation.strip():
            issues.append(Issue(_(BIG_MOVE) % {"previous": previous["fields"]["total"], "current": h.total}, field="total"))
        return issues


class InvestmentSection(Section):
    code = "investasi"
    model = m.Investment
    fields = ("land", "buildings", "machinery", "other_fixed", "working_capital", "ownership", "domestic_pct", "foreign_pct", "explanation")
    rows = (
        RowSpec("asing", m.InvestmentOwner, ("country", "pct"), gettext_lazy("Kepemilikan asing per negara"), sums=("pct",)),
    )
    header_totals = (
        (gettext_lazy("Total modal tetap (Rp)"), ("land", "buildings", "machinery", "other_fixed")),  # the realisation rule
        (gettext_lazy("Total kepemilikan (%)"), ("domestic_pct", "foreign_pct")),  # must be 100
    )

    def check(self, values: SectionValues, ctx: CheckContext) -> list[Issue]:
        h = values.header
        issues = []
        total = h.domestic_pct + h.foreign_pct
        if total != 100:
            issues.append(Issue(_(OWNERSHIP_SUM) % {"sum": _fmt(total)}, field="foreign_pct"))
        owners = values.rows["asing"]
        if h.foreign_pct and not owners:
            issues.append(Issue(_(FOREIGN_OWNERS_REQUIRED), table="asing"))
        elif sum((r.pct for r in owners), Decimal(0)) != h.foreign_pct:
            rows_sum = sum((r.pct for r in owners), Decimal(0))
            issues.append(Issue(_(FOREIGN_OWNERS_SUM) % {"rows": _fmt(rows_sum), "foreign": _fmt(h.foreign_pct)}, table="asing"))
        previous = ctx.previous_section(self.code)
        if not ctx.spec.construction and previous and previous.get("fields"):
            before = sum(_num(previous["fields"][f]) for f in ("land", "buildings", "machinery", "other_fixed"))
            if h.fixed_total < before and not h.explanation.strip():
                issues.append(
                    Issue(_(REALISATION_DROP) % {"current": _fmt(h.fixed_total), "previous": _fmt(before)}, field="machinery")
                )
        return issues


class LandSection(Section):
    code = "lahan"
    model = m.Land
    fields = ("land_area_m2", "building_area_m2", "land_status", "in_estate", "estate_name", "latitude", "longitude")

    def check(self, values: SectionValues, ctx: CheckContext) -> list[Issue]:
        h = values.header
        issues = []
        if h.building_area_m2 > h.land_area_m2:
            issues.append(Issue(_(BUILDING_OVER_LAND), field="building_area_m2"))
        if not INDONESIA_LAT[0] <= h.latitude <= INDONESIA_LAT[1]:
            issues.append(Issue(_(OUTSIDE_INDONESIA), field="latitude"))
        if not INDONESIA_LON[0] <= h.longitude <= INDONESIA_LON[1]:
            issues.append(Issue(_(OUTSIDE_INDONESIA), field="longitude"))
        if h.in_estate and not h.estate_name.strip():
            issues.append(Issue(_(ESTATE_NAME_REQUIRED), field="estate_name"))
        return issues


# The factory's products are typed once, in Kapasitas produksi, and chosen from that list wherever a row names one.
PRODUCT_LIST = NameList("kapasitas", "produk", m.CapacityProduct, "name", PRODUCT_NOT_LISTED)


class CapacitySection(Section):
    code = "kapasitas"
    rows = (RowSpec("produk", m.CapacityProduct, ("name", "hs_code", "kbli_code", "unit", "capacity"), gettext_lazy("Produk")),)

    def check(self, values: SectionValues, ctx: CheckContext) -> list[Issue]:
        from siinas.core.models import Kbli

        products = values.rows["produk"]
        if not products:
            return [Issue(_(AT_LEAST_ONE_PRODUCT), table="produk")]
        codes = {p.kbli_code for p in products}
        known = set(Kbli.objects.filter(code__in=codes, level=Kbli.Level.KELOMPOK).values_list("code", flat=True))
        issues = [
            Issue(_(KBLI_UNKNOWN) % {"code": p.kbli_code}, field="kbli_code", table="produk", index=i)
            for i, p in enumerate(products)
            if p.kbli_code not in known
        ]
        return issues + _duplicates([p.name for p in products], "produk", "name", DUPLICATE_PRODUCT)


class MaterialSection(Section):
    code = "bahan_baku"
    rows = (
        RowSpec(
            "bahan",
            m.Material,
            ("name", "hs_code", "kind", "origin", "country", "quantity", "unit", "value"),
            gettext_lazy("Bahan baku dan bahan penolong"),
        ),
    )

    def check(self, values: SectionValues, ctx: CheckContext) -> list[Issue]:
        return [
            Issue(_(IMPORT_NEEDS_COUNTRY), field="country", table="bahan", index=i)
            for i, r in enumerate(values.rows["bahan"])
            if r.origin == c.Origin.IMPORT and not r.country
        ]


class MachineSection(Section):
    code = "mesin"
    rows = (
        RowSpec(
            "mesin",
            m.Machine,
            ("name", "count", "country", "year_made", "condition", "capacity", "capacity_unit", "value"),
            gettext_lazy("Mesin dan peralatan"),
        ),
    )

    def check(self, values: SectionValues, ctx: CheckContext) -> list[Issue]:
        year = timezone.localdate().year
        return [
            Issue(_(YEAR_IN_FUTURE) % {"year": year}, field="year_made", table="mesin", index=i)
            for i, r in enumerate(values.rows["mesin"])
            if r.year_made > year
        ]


class EnergySection(Section):
    code = "energi"
    model = m.Energy
    fields = ("pln_kwh", "own_kwh", "own_installed_kw", "sold_kwh")
    rows = (
        RowSpec("bbm", m.Fuel, ("kind", "quantity", "unit", "value"), gettext_lazy("Bahan bakar")),
        RowSpec("air", m.Water, ("source", "volume_m3"), gettext_lazy("Air baku")),
    )
    # quantities ≥ 0 are field validators on the models


class ProductionSection(Section):
    code = "produksi"
    rows = (
        RowSpec(
            "produksi",
            m.ProductionRow,
            ("product", "quantity", "unit", "value", "explanation"),
            gettext_lazy("Produksi"),
            chosen=(("product", PRODUCT_LIST),),
        ),
    )

    def check(self, values: SectionValues, ctx: CheckContext) -> list[Issue]:
        rows = values.rows["produksi"]
        if not rows:
            return [Issue(_(AT_LEAST_ONE_PRODUCT), table="produksi")]
        capacity = {_key(p.name): p for p in ctx.values("kapasitas").rows.get("produk", [])}
        share = Decimal(period_months(ctx)) / 12
        previous = ctx.previous_section(self.code)
        before = {_key(r["product"]): r for r in (previous or {}).get("rows", {}).get("produksi", [])}
        issues = _duplicates([r.product for r in rows], "produksi", "product", DUPLICATE_PRODUCT)
        for i, r in enumerate(rows):
            cap = capacity.get(_key(r.product))
            explained = bool(r.explanation.strip())
            if cap is None:
                issues.append(Issue(_(PRODUCT_NOT_IN_CAPACITY), field="product", table="produksi", index=i))
                continue
            if r.unit != cap.unit:
                issues.append(Issue(_(UNIT_MISMATCH) % {"unit": cap.get_unit_display()}, field="unit", table="produksi", index=i))
                continue
            limit = cap.capacity * share
            if r.quantity > limit and not explained:
                issues.append(
                    Issue(
                        _(OVER_CAPACITY) % {"capacity": _fmt(limit), "unit": cap.get_unit_display()},
                        field="quantity",
                        table="produksi",
                        index=i,
                    )
                )
            last = before.get(_key(r.product))
            if last and big_move(last["quantity"], r.quantity) and not explained:
                issues.append(
                    Issue(
                        _(BIG_MOVE) % {"previous": last["quantity"], "current": _fmt(r.quantity)},
                        field="quantity",
                        table="produksi",
                        index=i,
                    )
                )
        return issues


class MarketingSection(Section):
    code = "pemasaran"
    model = m.Marketing
    fields = ("usd_rate",)
    rows = (
        RowSpec(
            "penjualan",
            m.SalesRow,
            (
                "product", "domestic_qty", "domestic_value", "export_qty", "export_value_usd", "export_value",
                "stock_change", "explanation",
            ),  # fmt: skip
            gettext_lazy("Penjualan per produk"),
            chosen=(("product", PRODUCT_LIST),),
        ),
        RowSpec(
            "tujuan",
            m.ExportDestination,
            ("product", "country", "quantity"),
            gettext_lazy("Negara tujuan ekspor"),
            chosen=(("product", PRODUCT_LIST),),
        ),
    )

    def check(self, values: SectionValues, ctx: CheckContext) -> list[Issue]:
        sales = values.rows["penjualan"]
        destinations = values.rows["tujuan"]
        produced = {_key(r.product): r for r in ctx.values("produksi").rows.get("produksi", [])}
        issues = _duplicates([r.product for r in sales], "penjualan", "product", DUPLICATE_PRODUCT)
        with_destination = {_key(d.product) for d in destinations}
        for i, r in enumerate(sales):
            made = produced.get(_key(r.product))
            if made is None:
                issues.append(Issue(_(PRODUCT_NOT_PRODUCED), field="product", table="penjualan", index=i))
                continue
            sold = r.domestic_qty + r.export_qty
            supply = made.quantity + r.stock_change
            if sold > supply and not r.explanation.strip():
                issues.append(
                    Issue(_(SALES_OVER_SUPPLY) % {"sold": _fmt(sold), "supply": _fmt(supply)}, field="explanation", table="penjualan", index=i)
                )
            if r.export_qty > 0 and _key(r.product) not in with_destination:
                issues.append(Issue(_(EXPORT_NEEDS_DESTINATION), field="export_qty", table="penjualan", index=i))
        sold_products = {_key(r.product) for r in sales}
        issues += [
            Issue(_(DESTINATION_PRODUCT_UNKNOWN), field="product", table="tujuan", index=i)
            for i, d in enumerate(destinations)
            if _key(d.product) not in sold_products
        ]
        if any(r.export_qty > 0 for r in sales) and not values.header.usd_rate:
            issues.append(Issue(_(EXPORT_NEEDS_RATE), field="usd_rate"))
        return issues


class ExpenditureSection(Section):
    code = "pengeluaran"
    model = m.Expenditure
    fields = ("wages", "raw_materials", "energy", "other")
    header_totals = ((gettext_lazy("Total pengeluaran (Rp)"), ("wages", "raw_materials", "energy", "other")),)


class EnvironmentSection(Section):
    code = "lingkungan"
    model = m.Environment
    fields = ("document", "document_number", "document_date")
    rows = (
        RowSpec("limbah", m.Waste, ("kind", "volume", "unit", "treatment", "handler", "own_permit"), gettext_lazy("Limbah")),
    )

    def check(self, values: SectionValues, ctx: CheckContext) -> list[Issue]:
        issues = []
        if values.header.document_date > timezone.localdate():
            issues.append(Issue(_(DATE_IN_FUTURE), field="document_date"))
        issues += [
            Issue(_(B3_NEEDS_HANDLER), field="handler", table="limbah", index=i)
            for i, w in enumerate(values.rows["limbah"])
            if w.kind == c.WasteKind.B3 and not w.handler.strip() and not w.own_permit
        ]
        return issues


class ConstructionPlanSection(Section):
    code = "rencana_pembangunan"
    model = m.ConstructionPlan
    fields = ("commercial_start", "explanation")
    rows = (RowSpec("tahap", m.ConstructionStage, ("stage", "pct_complete"), gettext_lazy("Kemajuan pembangunan")),)

    def check(self, values: SectionValues, ctx: CheckContext) -> list[Issue]:
        h = values.header
        issues = _duplicates([s.stage for s in values.rows["tahap"]], "tahap", "stage", DUPLICATE_STAGE)
        if h.commercial_start < timezone.localdate() and not h.explanation.strip():
            issues.append(Issue(_(PLANNED_DATE_PAST), field="commercial_start"))
        return issues


class IndiSection(Section):
    code = "indi"
    model = m.Indi
    fields = ("score", "assessment_year")
    optional = True

    def check(self, values: SectionValues, ctx: CheckContext) -> list[Issue]:
        h = values.header
        if h.score is not None and h.assessment_year is None:
            return [Issue(_(INDI_NEEDS_YEAR), field="assessment_year")]
        if h.assessment_year is not None and h.score is None:
            return [Issue(_(INDI_NEEDS_SCORE), field="score")]
        if h.assessment_year and h.assessment_year > timezone.localdate().year:
            return [Issue(_(DATE_IN_FUTURE), field="assessment_year")]
        return []


# --- Industrial estate -------------------------------------------------------------------------


class EstateInvestmentSection(Section):
    code = "ki_investasi"
    model = m.EstateInvestment
    fields = ("planned_total", "land", "infrastructure", "buildings", "other")
    header_totals = ((gettext_lazy("Total realisasi kumulatif (Rp)"), ("land", "infrastructure", "buildings", "other")),)


class EstateFinancingSection(Section):
    code = "ki_pembiayaan"
    model = m.EstateFinancing
    fields = ("unit", "own_capital", "domestic_loans", "foreign_loans", "other")
    header_totals = ((gettext_lazy("Total sumber pembiayaan"), ("own_capital", "domestic_loans", "foreign_loans", "other")),)

    def check(self, values: SectionValues, ctx: CheckContext) -> list[Issue]:
        h = values.header
        total = h.own_capital + h.domestic_loans + h.foreign_loans + h.other
        if h.unit == c.FinancingUnit.PERCENT and total != 100:
            return [Issue(_(FINANCING_PERCENT_SUM) % {"sum": _fmt(total)}, field="other")]
        return []


class EstateLandSection(Section):
    code = "ki_lahan"
    model = m.EstateLand
    fields = ("licensed_ha", "developed_ha", "industrial_ha", "sold_ha", "available_ha", "available_count", "green_ha")

    def check(self, values: SectionValues, ctx: CheckContext) -> list[Issue]:
        h = values.header
        issues = []
        if h.sold_ha + h.available_ha > h.industrial_ha:
            issues.append(
                Issue(
                    _(SOLD_AVAILABLE_OVER) % {"sum": _fmt(h.sold_ha + h.available_ha), "industrial": _fmt(h.industrial_ha)},
                    field="available_ha",
                )
            )
        if h.developed_ha > h.licensed_ha:
            issues.append(Issue(_(DEVELOPED_OVER_LICENSED), field="developed_ha"))
        return issues


class EstateFacilitySection(Section):
    code = "ki_sarana"
    rows = (RowSpec("sarana", m.EstateFacility, ("kind", "capacity", "unit", "status"), gettext_lazy("Sarana dan prasarana")),)


class EstateEnergySection(Section):
    code = "ki_energi"
    model = m.EstateEnergy
    fields = ("electricity_mva", "electricity_source", "gas_mmbtu", "gas_source")


class EstateWaterSection(Section):
    code = "ki_air"
    model = m.EstateWater
    fields = ("capacity", "capacity_unit", "source", "used")

    def check(self, values: SectionValues, ctx: CheckContext) -> list[Issue]:
        if values.header.used > values.header.capacity:
            return [Issue(_(WATER_USED_OVER), field="used")]
        return []


class TenantSection(Section):
    code = "ki_tenant"
    rows = (
        RowSpec(
            "tenant",
            m.Tenant,
            ("name", "nib", "kbli_code", "land_ha", "status", "investment", "workforce", "ownership", "country"),
            gettext_lazy("Perusahaan industri / tenant"),
        ),
    )

    def check(self, values: SectionValues, ctx: CheckContext) -> list[Issue]:
        from siinas.core.models import Kbli

        tenants = values.rows["tenant"]
        known = set(
            Kbli.objects.filter(code__in={t.kbli_code for t in tenants}, level=Kbli.Level.KELOMPOK).values_list("code", flat=True)
        )
        issues = [
            Issue(_(KBLI_UNKNOWN) % {"code": t.kbli_code}, field="kbli_code", table="tenant", index=i)
            for i, t in enumerate(tenants)
            if t.kbli_code not in known
        ]
        issues += [
            Issue(_(PMA_NEEDS_COUNTRY), field="country", table="tenant", index=i)
            for i, t in enumerate(tenants)
            if t.ownership == c.Ownership.PMA and not t.country
        ]
        return issues

    def prepare_rows(self, spec: RowSpec, items: list) -> None:
        """A tenant whose NIB has its own SIINas account is linked to it (one query for all rows)."""
        from accounts.models import Company

        by_nib = dict(Company.objects.filter(nib__in={t.nib for t in items if t.nib}).values_list("nib", "pk"))
        for tenant in items:
            tenant.company_id = by_nib.get(tenant.nib)


SECTION_HANDLERS: dict[str, Section] = {
    s.code: s
    for s in (
        WorkforceSection(), InvestmentSection(), LandSection(), CapacitySection(), MaterialSection(), MachineSection(),
        EnergySection(), ProductionSection(), MarketingSection(), ExpenditureSection(), EnvironmentSection(),
        ConstructionPlanSection(), IndiSection(), EstateInvestmentSection(), EstateFinancingSection(),
        EstateLandSection(), EstateFacilitySection(), EstateEnergySection(), EstateWaterSection(), TenantSection(),
    )
}  # fmt: skip
