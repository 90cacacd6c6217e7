"""The summary of a finished run (no Django): locust's CSV statistics, the load average samples and,
for the surge, the duplicate counts, as the lines ``run.sh`` prints and ``summary.json`` keeps."""

from __future__ import annotations

import csv
import json
import re
import statistics
from pathlib import Path

MINIMAL = "minimal signed-in page"


def _float(value: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def read_stats(path: Path) -> list[dict]:
    """Rows of locust's ``<prefix>_stats.csv`` (one per request name, then ``Aggregated``)."""
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh))


def read_loadavg(path: Path) -> list[float]:
    """The 1-minute load averages sampled during the run (``/proc/loadavg`` lines)."""
    if not path.exists():
        return []
    return [_float(line.split()[0]) for line in path.read_text().splitlines() if line.strip()]


def page_groups(rows: list[dict]) -> list[dict]:
    out = []
    for row in rows:
        if not _float(row["Request Count"]) and row["Name"] != "Aggregated":
            continue  # a name seen only before the statistics were reset (sign-ins)
        out.append(
            {
                "name": row["Name"] if row["Name"] != "Aggregated" else "all requests",
                "method": row["Type"],
                "requests": int(_float(row["Request Count"])),
                "failures": int(_float(row["Failure Count"])),
                "p50_ms": _float(row["50%"]),
                "p95_ms": _float(row["95%"]),
                "max_ms": _float(row["Max Response Time"]),
                "rps": _float(row["Requests/s"]),
            }
        )
    return out


ACCESS = re.compile(r'"(GET|POST) (\S+) HTTP/[^"]*" (\d{3}) .* (\d+)ms')


def server_times(path: Path) -> list[dict]:
    """Time spent inside gunicorn per route (ids folded to N), from the access log: with every worker
    busy, locust's times include the wait for a free worker, this does not."""
    if not path.exists():
        return []
    times: dict[tuple[str, str], list[int]] = {}
    for line in path.read_text(errors="replace").splitlines():
        match = ACCESS.search(line)
        if match is None or match.group(2).startswith("/health/"):
            continue
        route = re.sub(r"/[0-9a-f]{64}/", "/HASH/", match.group(2).split("?")[0])
        route = re.sub(r"\d+", "N", route)
        times.setdefault((match.group(1), route), []).append(int(match.group(4)))
    rows = [
        {"route": f"{method} {route}", "requests": len(v), "p50_ms": statistics.median(v), "total_s": sum(v) / 1000}
        for (method, route), v in times.items()
    ]
    return sorted(rows, key=lambda r: -r["total_s"])


def summarise(directory: Path) -> tuple[str, bool]:
    """(the text to print, whether the run passed: no failures and, for a surge, no duplicates)."""
    meta = json.loads((directory / "meta.json").read_text()) if (directory / "meta.json").exists() else {}
    groups = page_groups(read_stats(directory / "locust_stats.csv"))
    total = next((g for g in groups if g["name"] == "all requests"), None)
    loads = read_loadavg(directory / "loadavg.txt")
    lines = [f"{meta.get('scenario', '?')} run {directory.name}: {meta.get('users', '?')} users, "
             f"{meta.get('workers', '?')} gunicorn workers, database {meta.get('database', '?')}"]  # fmt: skip
    lines.append(f"{'page group':<44} {'requests':>8} {'fail':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'req/s':>7}")
    for g in sorted(groups, key=lambda g: (g["name"] == "all requests", g["name"])):
        lines.append(
            f"{g['name'][:44]:<44} {g['requests']:>8} {g['failures']:>5} {g['p50_ms']:>8.0f} {g['p95_ms']:>8.0f} "
            f"{g['max_ms']:>8.0f} {g['rps']:>7.1f}"
        )
    minimal = next((g for g in groups if g["name"] == MINIMAL or g["name"].endswith(MINIMAL)), None)
    summary = {
        "scenario": meta.get("scenario"),
        "requests": total["requests"] if total else 0,
        "failures": total["failures"] if total else 0,
        "rps": total["rps"] if total else 0.0,
        "p50_ms": total["p50_ms"] if total else 0.0,
        "p95_ms": total["p95_ms"] if total else 0.0,
        "minimal_p50_ms": minimal["p50_ms"] if minimal else None,
        "loadavg_median": round(statistics.median(loads), 2) if loads else None,
        "loadavg_max": max(loads) if loads else None,
        "groups": groups,
    }
    lines.append(
        f"total: {summary['requests']} requests, {summary['rps']:.1f} req/s, p50 {summary['p50_ms']:.0f} ms, "
        f"p95 {summary['p95_ms']:.0f} ms, {summary['failures']} failures; minimal page p50 "
        f"{summary['minimal_p50_ms'] if minimal else '—'} ms; load average (1 min) median "
        f"{summary['loadavg_median']} max {summary['loadavg_max']}"
    )
    server = server_times(directory / "access.log")
    summary["server"] = server
    if server:
        busy = sum(r["total_s"] for r in server)
        lines.append(f"server time by route (gunicorn access log; {busy:.0f} worker-seconds in all), the 12 largest:")
        for r in server[:12]:
            lines.append(f"  {r['route'][:52]:<52} {r['requests']:>6} × p50 {r['p50_ms']:>6.0f} ms = {r['total_s']:>6.1f} s")
    failures = directory / "locust_failures.csv"
    if failures.exists() and summary["failures"]:
        with failures.open(newline="") as fh:
            for row in list(csv.DictReader(fh))[:10]:
                lines.append(f"  failure ×{row.get('Occurrences')}: {row.get('Method')} {row.get('Name')}: {row.get('Error')}"[:300])
    ok = summary["failures"] == 0 and summary["requests"] > 0
    check = directory / "check.json"
    if check.exists():
        counts = json.loads(check.read_text())
        summary["duplicates"] = counts["duplicates"]
        summary["made"] = counts["made"]
        submit = next((g for g in groups if g["name"] == "surge: submit (POST)"), None)
        summary["submit_p95_ms"] = submit["p95_ms"] if submit else None
        lines.append(
            f"surge: {counts['made']['versions']} versions made, submit p95 {summary['submit_p95_ms']} ms; duplicates "
            + ", ".join(f"{k} {v}" for k, v in counts["duplicates"].items())
        )
        ok = ok and not any(counts["duplicates"].values())
    (directory / "summary.json").write_text(json.dumps(summary, indent=1))
    lines.append("result: " + ("OK" if ok else "FAILED (see above)"))
    return "\n".join(lines), ok
