"""Validated reports with a known palm-oil chain, written straight into the section tables (the section
checks have their own tests; here only what the graph reads matters)."""

from __future__ import annotations

from reporting.models import ReportStatus
from reporting.sections.models import CapacityProduct, Material
from tests.factories import FactoryAccountFactory
from tests.reporting.factories import PeriodFactory, ReportFactory

TBS = ("Tandan buah segar kelapa sawit", "12071090")
CPO = ("Minyak sawit mentah (CPO)", "15111000")
OLEIN = ("Olein sawit", "15119036")
STEARIN = ("Stearin sawit", "15119042")
GORENG = ("Minyak goreng sawit", "15119037")
MARGARIN = ("Margarin", "15171090")


def key(item: tuple[str, str]) -> str:
    return f"hs:{item[1]}"


def reported(
    factory, materials, products, *, kbli="10431", status=ReportStatus.VALIDATED, period=None, kind="baku", report_type="industri_produksi"
):
    """One report of ``factory`` with these raw materials and products ((name, hs) pairs)."""
    period = period or PeriodFactory(year=2025, number=2)
    report = ReportFactory(factory=factory, status=status, period=period, report_type=report_type)
    CapacityProduct.objects.bulk_create(
        CapacityProduct(report=report, position=i, name=n, hs_code=hs, kbli_code=kbli, unit="ton", capacity=1000)
        for i, (n, hs) in enumerate(products)
    )
    Material.objects.bulk_create(
        Material(report=report, position=i, name=n, hs_code=hs, kind=kind, origin="domestik", quantity=10, unit="ton", value=100)
        for i, (n, hs) in enumerate(materials)
    )
    return report


def chain() -> dict[str, list]:
    """3 mills TBS → CPO, 4 refineries CPO → olein + stearin, 3 plants olein → minyak goreng, 1 plant
    stearin → margarin; and rows the graph must ignore (drafts, submitted and verified reports, an older
    validated report, bahan penolong, a plant under construction)."""
    made = {"mills": [], "refineries": [], "plants": [], "margarin": []}
    for _ in range(3):
        made["mills"].append(reported(FactoryAccountFactory(), [TBS], [CPO], kbli="10431").factory)
    for _ in range(4):
        made["refineries"].append(reported(FactoryAccountFactory(), [CPO], [OLEIN, STEARIN], kbli="10434").factory)
    for _ in range(3):
        made["plants"].append(reported(FactoryAccountFactory(), [OLEIN], [GORENG], kbli="10437").factory)
    made["margarin"].append(reported(FactoryAccountFactory(), [STEARIN], [MARGARIN], kbli="10412").factory)
    ignored = FactoryAccountFactory()
    for status in (ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.VERIFIED, ReportStatus.RETURNED):
        reported(FactoryAccountFactory(), [STEARIN], [MARGARIN], kbli="10412", status=status)
    reported(ignored, [OLEIN], [GORENG], kbli="10437", status=ReportStatus.VERIFIED)
    # A mill's older validated report listed another product: only its latest validated report counts.
    reported(made["mills"][0], [TBS], [("Minyak inti sawit", "15132110")], period=PeriodFactory(year=2025, number=1))
    # A plant under construction lists what it will make, not what it makes.
    reported(FactoryAccountFactory(), [STEARIN], [MARGARIN], kbli="10412", report_type="industri_pembangunan")
    # Bahan penolong is not a link of the chain.
    reported(FactoryAccountFactory(), [("Bleaching earth", "25081000")], [OLEIN], kind="penolong", kbli="10434")
    return made
