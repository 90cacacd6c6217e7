"""Statistical exchange (issue 15 §5): the two public datasets as SDMX-CSV 2.0 data with an SDMX-ML 3.0
structure message each (docs/api.md, "Pertukaran data statistik"; the choice in docs/decisions.md).

Two dataflows of agency ``KEMENPERIN``:

- ``DF_IKI(1.0)`` — the published IKI: FREQ (M) × REF_AREA (ID) × SUBSECTOR (``_T`` national, or a KBLI
  division of the 23) × MEASURE (IKI, V_ORDERS, V_PRODUCTION, V_STOCK, RESPONDENTS) × TIME_PERIOD (YYYY-MM);
- ``DF_INDUSTRI(1.0)`` — the public industry statistics: FREQ (S semester, Q triwulan) × REF_AREA (``ID``
  or a province) × KBLI (``_T`` or a KBLI division) × MEASURE × TIME_PERIOD (``2026-S1``).

Attributes per observation: UNIT_MEASURE, CONF_STATUS (F free, C primary confidential, D secondary
confidential: OBS_VALUE left empty) and, for IKI, RELEASE (the vintage shown). Codelists are built from the
reference data, so the structure names every code the data can carry.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from xml.etree import ElementTree as ET

from django.http import HttpResponse
from django.utils import timezone, translation

from api import public
from iki.engine import SUPPRESSED
from iki.selectors import IKI_DIVISIONS, division_titles
from informasi.selectors import MEASURES, PRIMARY, SECONDARY
from reporting.models import Period

AGENCY = "KEMENPERIN"
VERSION = "1.0"
DATA_CSV = "application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8"
STRUCTURE_XML = "application/vnd.sdmx.structure+xml; version=3.0.0; charset=utf-8"
NS = {
    "mes": "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/message",
    "str": "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/structure",
    "com": "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/common",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CONCEPT_SCHEME = "CS_SIINAS"

FREE, CONFIDENTIAL, SECONDARY_CONFIDENTIAL = "F", "C", "D"
CONF_STATUS = {None: FREE, PRIMARY: CONFIDENTIAL, SECONDARY: SECONDARY_CONFIDENTIAL}

CONCEPTS = {
    "FREQ": "Frekuensi",
    "REF_AREA": "Wilayah",
    "SUBSECTOR": "Subsektor industri (KBLI 2 digit)",
    "KBLI": "Golongan pokok KBLI 2020 (2 digit)",
    "MEASURE": "Ukuran",
    "TIME_PERIOD": "Periode waktu",
    "OBS_VALUE": "Nilai observasi",
    "UNIT_MEASURE": "Satuan",
    "CONF_STATUS": "Status kerahasiaan",
    "RELEASE": "Rilis ke (vintage)",
}

UNITS = {"IX": "Indeks (0–100)", "NUM": "Jumlah", "PS": "Orang", "IDR": "Rupiah", "PT": "Persen"}
CONF_CODES = {
    FREE: "Bebas dipublikasikan",
    CONFIDENTIAL: "Rahasia primer (kurang dari 3 perusahaan/responden, atau satu-dua perusahaan dominan)",
    SECONDARY_CONFIDENTIAL: "Rahasia sekunder (disembunyikan agar sel rahasia tidak dapat dihitung dari total)",
}
IKI_MEASURES = {
    "IKI": ("Indeks Kepercayaan Industri", "IX"),
    "V_ORDERS": ("Variabel pesanan baru (V1)", "IX"),
    "V_PRODUCTION": ("Variabel produksi (V2)", "IX"),
    "V_STOCK": ("Variabel persediaan produk (V3)", "IX"),
    "RESPONDENTS": ("Jumlah responden", "NUM"),
}
INDUSTRY_UNITS = {"establishments": "NUM", "workforce": "PS", "investment": "IDR", "production": "IDR", "export": "IDR", "utilisation": "PT"}


@dataclass(frozen=True)
class Dataflow:
    id: str
    dsd: str
    name: str
    dimensions: tuple[str, ...]  # in key order, TIME_PERIOD last
    attributes: tuple[str, ...]

    @property
    def ref(self) -> str:
        return f"{AGENCY}:{self.id}({VERSION})"

    @property
    def columns(self) -> list[str]:
        return ["STRUCTURE", "STRUCTURE_ID", "ACTION", *self.dimensions, "OBS_VALUE", *self.attributes]


DF_IKI = Dataflow(
    "DF_IKI", "DSD_IKI", "Indeks Kepercayaan Industri (IKI) bulanan",
    ("FREQ", "REF_AREA", "SUBSECTOR", "MEASURE", "TIME_PERIOD"), ("UNIT_MEASURE", "CONF_STATUS", "RELEASE"),
)  # fmt: skip
DF_INDUSTRI = Dataflow(
    "DF_INDUSTRI", "DSD_INDUSTRI", "Statistik industri dari laporan semester tervalidasi",
    ("FREQ", "REF_AREA", "KBLI", "MEASURE", "TIME_PERIOD"), ("UNIT_MEASURE", "CONF_STATUS"),
)  # fmt: skip
DATAFLOWS = {df.id: df for df in (DF_IKI, DF_INDUSTRI)}


# --- Codelists ---------------------------------------------------------------------------------------------


def codelists(flow: Dataflow) -> dict[str, tuple[str, str, dict[str, str]]]:
    """Per coded component: (codelist id, its name, {code: name}). TIME_PERIOD, OBS_VALUE and RELEASE are
    not coded."""
    area = {"ID": "Indonesia"}
    lists = {"CONF_STATUS": ("CL_CONF_STATUS", "Status kerahasiaan observasi", CONF_CODES)}
    if flow is DF_IKI:
        titles = division_titles()
        lists |= {
            "FREQ": ("CL_FREQ_IKI", "Frekuensi", {"M": "Bulanan"}),
            "REF_AREA": ("CL_AREA_IKI", "Wilayah", area),
            "SUBSECTOR": ("CL_SUBSECTOR_IKI", "Subsektor IKI", {public.NATIONAL: "Industri pengolahan nonmigas", **{d: titles.get(d, d) for d in IKI_DIVISIONS}}),
            "MEASURE": ("CL_MEASURE_IKI", "Ukuran IKI", {code: name for code, (name, _unit) in IKI_MEASURES.items()}),
            "UNIT_MEASURE": ("CL_UNIT_IKI", "Satuan", {u: UNITS[u] for u in ("IX", "NUM")}),
        }
    else:
        lists |= {
            "FREQ": ("CL_FREQ_INDUSTRI", "Frekuensi", {"S": "Semesteran", "Q": "Triwulanan"}),
            "REF_AREA": ("CL_AREA_PROVINSI", "Indonesia dan provinsi", area | dict(public.provinces())),
            "KBLI": ("CL_KBLI2", "Golongan pokok KBLI 2020", {public.NATIONAL: "Semua KBLI", **dict(public.divisions())}),
            "MEASURE": ("CL_MEASURE_INDUSTRI", "Ukuran statistik industri", {m.upper(): str(label) for m, label in MEASURES.items()}),
            "UNIT_MEASURE": ("CL_UNIT_INDUSTRI", "Satuan", {u: UNITS[u] for u in ("NUM", "PS", "IDR", "PT")}),
        }
    return lists


# --- Data (SDMX-CSV 2.0) -----------------------------------------------------------------------------------


def _value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format(Decimal(str(value)), "f")
    return str(value)


def csv_response(rows: Iterable[list], filename: str, content_type: str = "text/csv; charset=utf-8") -> HttpResponse:
    """A plain CSV (RFC 4180, UTF-8, header first; None written empty) shown inline."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([("" if v is None else v) for v in row] for row in rows)
    return sdmx_response(out.getvalue(), content_type, filename)


def sdmx_response(body: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _write(flow: Dataflow, rows: Iterable[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180, as SDMX-CSV asks
    writer.writerow(flow.columns)
    for row in rows:
        writer.writerow(["dataflow", flow.ref, "I", *row])
    return out.getvalue()


def iki_rows(observations: list[public.IkiObservation]) -> list[list]:
    """One row per month × (national or subsector) × measure; a suppressed subsector's values empty, C."""
    rows = []
    for o in observations:
        values = {"IKI": o.iki, "V_ORDERS": o.v_orders, "V_PRODUCTION": o.v_production, "V_STOCK": o.v_stock, "RESPONDENTS": o.respondents}
        status = CONFIDENTIAL if o.status == SUPPRESSED else FREE
        for measure, (_name, unit) in IKI_MEASURES.items():
            value = None if status == CONFIDENTIAL else values[measure]
            rows.append(["M", "ID", o.kbli2, measure, o.period, _value(value), unit, status, o.vintage])
    return rows


def iki_csv(since=None, until=None) -> str:
    return _write(DF_IKI, iki_rows(public.iki_observations(since, until)))


def industry_rows(observations: list[dict]) -> list[list]:
    """One row per shown or hidden cell (a cell nobody reported is no observation); a hidden cell's
    OBS_VALUE is empty and its CONF_STATUS says why (C primary, D secondary)."""
    rows = []
    for o in observations:
        freq = "S" if o["period_type"] == Period.Type.SEMESTER else "Q"
        for measure in MEASURES:
            cell = o["cells"][measure]
            if cell.value is None and cell.suppressed is None:
                continue
            rows.append([freq, o["area"], o["kbli"], measure.upper(), o["period"], _value(cell.value), INDUSTRY_UNITS[measure], CONF_STATUS[cell.suppressed]])
    return rows


def industry_csv(periods: list[Period], province: str | None = None, division: str | None = None) -> str:
    return _write(DF_INDUSTRI, industry_rows(public.statistics_observations(periods, province, division)))


# --- Structure (SDMX-ML 3.0) -------------------------------------------------------------------------------


def _urn(kind: str, ident: str, item: str | None = None) -> str:
    classes = {
        "codelist": "codelist.Codelist",
        "concept": "conceptscheme.Concept",
        "dsd": "datastructure.DataStructure",
    }
    urn = f"urn:sdmx:org.sdmx.infomodel.{classes[kind]}={AGENCY}:{ident}({VERSION})"
    return f"{urn}.{item}" if item else urn


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs) -> ET.Element:
    prefix, name = tag.split(":")
    element = ET.SubElement(parent, f"{{{NS[prefix]}}}{name}", {k: str(v) for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def _name(parent: ET.Element, text: str) -> None:
    _el(parent, "com:Name", text, **{XML_LANG: "id"})


def _maintainable(parent: ET.Element, tag: str, ident: str, name: str) -> ET.Element:
    element = _el(parent, tag, id=ident, agencyID=AGENCY, version=VERSION)
    _name(element, name)
    return element


def structure_xml(flow: Dataflow) -> str:
    """The structure message of ``flow``: its codelists, the concept scheme, the DSD and the dataflow. Names
    are Indonesian (``xml:lang="id"``) whatever the request's language."""
    with translation.override("id"):
        return _structure_xml(flow)


def _structure_xml(flow: Dataflow) -> str:
    for prefix, uri in NS.items():
        ET.register_namespace(prefix, uri)
    root = ET.Element(f"{{{NS['mes']}}}Structure")
    header = _el(root, "mes:Header")
    _el(header, "mes:ID", f"SIINAS_{flow.dsd}")
    _el(header, "mes:Test", "false")
    _el(header, "mes:Prepared", timezone.now().replace(minute=0, second=0, microsecond=0).isoformat())
    _el(header, "mes:Sender", id=AGENCY)
    structures = _el(root, "mes:Structures")

    lists = codelists(flow)
    codelists_el = _el(structures, "str:Codelists")
    for list_id, list_name, codes in sorted(lists.values()):
        codelist = _maintainable(codelists_el, "str:Codelist", list_id, list_name)
        for code, label in codes.items():
            _name(_el(codelist, "str:Code", id=code), label)

    concepts_el = _el(structures, "str:ConceptSchemes")
    scheme = _maintainable(concepts_el, "str:ConceptScheme", CONCEPT_SCHEME, "Konsep SIINas")
    used = {*flow.dimensions, "OBS_VALUE", *flow.attributes}
    for concept, label in CONCEPTS.items():
        if concept in used:
            _name(_el(scheme, "str:Concept", id=concept), label)

    dsds = _el(structures, "str:DataStructures")
    dsd = _maintainable(dsds, "str:DataStructure", flow.dsd, flow.name)
    components = _el(dsd, "str:DataStructureComponents")
    dimensions = _el(components, "str:DimensionList", id="DimensionDescriptor")
    for position, dim in enumerate(flow.dimensions, start=1):
        if dim == "TIME_PERIOD":
            element = _el(dimensions, "str:TimeDimension", id=dim)
            _el(element, "str:ConceptIdentity", _urn("concept", CONCEPT_SCHEME, dim))
            _el(_el(element, "str:LocalRepresentation"), "str:TextFormat", textType="ObservationalTimePeriod")
            continue
        element = _el(dimensions, "str:Dimension", id=dim, position=position)
        _el(element, "str:ConceptIdentity", _urn("concept", CONCEPT_SCHEME, dim))
        _el(_el(element, "str:LocalRepresentation"), "str:Enumeration", _urn("codelist", lists[dim][0]))
    attributes = _el(components, "str:AttributeList", id="AttributeDescriptor")
    for attr in flow.attributes:
        element = _el(attributes, "str:Attribute", id=attr, usage="mandatory")
        _el(element, "str:ConceptIdentity", _urn("concept", CONCEPT_SCHEME, attr))
        representation = _el(element, "str:LocalRepresentation")
        if attr in lists:
            _el(representation, "str:Enumeration", _urn("codelist", lists[attr][0]))
        else:
            _el(representation, "str:TextFormat", textType="Integer")
        _el(_el(element, "str:AttributeRelationship"), "str:Observation")
    measures = _el(components, "str:MeasureList", id="MeasureDescriptor")
    measure = _el(measures, "str:Measure", id="OBS_VALUE", usage="optional")  # empty when confidential
    _el(measure, "str:ConceptIdentity", _urn("concept", CONCEPT_SCHEME, "OBS_VALUE"))
    _el(_el(measure, "str:LocalRepresentation"), "str:TextFormat", textType="Decimal")

    dataflows = _el(structures, "str:Dataflows")
    dataflow = _maintainable(dataflows, "str:Dataflow", flow.id, flow.name)
    _el(dataflow, "str:Structure", _urn("dsd", flow.dsd))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
