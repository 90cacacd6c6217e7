"""Reading responses and GDP shares from files, for ``iki_compute --csv`` (no database here).

The response CSV header is exactly ``period,respondent,kbli2,workforce,general,orders,production,
stock,outlook``. Every row is checked before anything is computed; each problem names its line.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path

from iki.engine import CHANGE_ANSWERS, IKI_DIVISIONS, OUTLOOK_ANSWERS, GdpGroup, ResponseRecord

HEADER = ["period", "respondent", "kbli2", "workforce", "general", "orders", "production", "stock", "outlook"]
PERIOD_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
MAX_REPORTED_ERRORS = 20


class CsvError(ValueError):
    """The file cannot be used; ``errors`` lists every problem found, each naming its line."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def _check_row(line: int, row: dict[str, str]) -> list[str]:
    problems = []
    if not PERIOD_RE.match(row["period"]):
        problems.append(f"baris {line}: period harus berformat YYYY-MM (tertulis {row['period']!r})")
    if not row["respondent"]:
        problems.append(f"baris {line}: respondent kosong")
    if row["kbli2"] not in IKI_DIVISIONS:
        problems.append(
            f"baris {line}: kbli2 harus salah satu dari 23 golongan pokok IKI (10–33 kecuali 19), tertulis {row['kbli2']!r}"
        )
    if not re.fullmatch(r"\d{1,9}", row["workforce"]):
        problems.append(f"baris {line}: workforce harus bilangan bulat tidak negatif (tertulis {row['workforce']!r})")
    for column in ("general", "orders", "production", "stock"):
        if row[column] not in CHANGE_ANSWERS:
            problems.append(f"baris {line}: {column} harus meningkat|tetap|menurun (tertulis {row[column]!r})")
    if row["outlook"] not in OUTLOOK_ANSWERS:
        problems.append(f"baris {line}: outlook harus optimis|tidak_berubah|pesimis (tertulis {row['outlook']!r})")
    return problems


def read_responses(lines: Iterable[str]) -> list[ResponseRecord]:
    """Parse and check the whole file; raise ``CsvError`` with every problem, or return all rows."""
    reader = csv.reader(lines)
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader)]
    except StopIteration:
        raise CsvError(["baris 1: berkas kosong, header tidak ditemukan"]) from None
    except csv.Error as exc:
        raise CsvError([f"baris 1: CSV tidak dapat dibaca ({exc})"]) from None
    if header != HEADER:
        raise CsvError([f"baris 1: header harus persis {','.join(HEADER)} (tertulis {','.join(header)})"])

    errors: list[str] = []
    records: list[ResponseRecord] = []
    seen: dict[tuple[str, str, str], int] = {}
    try:
        for values in reader:
            line = reader.line_num
            if not values or all(not v.strip() for v in values):
                continue
            if len(values) != len(HEADER):
                errors.append(f"baris {line}: harus {len(HEADER)} kolom, ditemukan {len(values)}")
                continue
            row = {k: v.strip() for k, v in zip(HEADER, values, strict=True)}
            problems = _check_row(line, row)
            key = (row["period"], row["respondent"], row["kbli2"])
            if not problems and key in seen:
                problems.append(
                    f"baris {line}: respondent {row['respondent']!r} sudah menjawab untuk KBLI {row['kbli2']} "
                    f"periode {row['period']} di baris {seen[key]}"
                )
            if problems:
                errors.extend(problems)
                continue
            seen[key] = line
            records.append(
                ResponseRecord(
                    period=row["period"],
                    respondent=row["respondent"],
                    kbli2=row["kbli2"],
                    workforce=int(row["workforce"]),
                    general=row["general"],
                    orders=row["orders"],
                    production=row["production"],
                    stock=row["stock"],
                    outlook=row["outlook"],
                )
            )
    except csv.Error as exc:
        errors.append(f"baris {reader.line_num}: CSV tidak dapat dibaca ({exc})")
    if errors:
        shown = errors[:MAX_REPORTED_ERRORS]
        if len(errors) > MAX_REPORTED_ERRORS:
            shown.append(f"… dan {len(errors) - MAX_REPORTED_ERRORS} kesalahan lain")
        raise CsvError(shown)
    return records


def read_gdp_groups(path: Path) -> tuple[str, list[GdpGroup]]:
    """The shipped default shares (data/manufacturing_gdp_share.csv): the latest quarter in the file,
    else the latest year. Returns (period, groups)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    quarters = sorted({r["period"] for r in rows if r["period_type"] == "quarter"})
    years = sorted({r["period"] for r in rows if r["period_type"] == "annual"})
    chosen = (quarters or years)[-1]
    groups = []
    for r in rows:
        if r["period"] != chosen:
            continue
        try:
            share = Decimal(r["share_of_nonmigas_manufacturing_pct"])
        except InvalidOperation as exc:
            raise ValueError(f"{path.name}: pangsa tidak valid untuk {r['subsector']}") from exc
        divisions = frozenset(d for d in r["kbli_2020_divisions_derived"].split(";") if d)
        groups.append(GdpGroup(share_pct=share, divisions=divisions))
    return chosen, groups
