"""``python -m bench plan|check|summary`` — the Django-side steps of ``bench/run.sh``.

- ``plan --out FILE [--companies N] [--surge N]``: pick users and URLs (bench/plan.py) into FILE (JSON);
- ``check --since ISO [--json FILE]``: the surge's duplicate counts (bench/checks.py); exit 1 if any is not 0;
- ``summary DIR``: req/s, p50/p95 per page group, failures and load average of a finished run (no Django).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siinas.settings")
    import django

    django.setup()


def plan(args) -> int:
    _django()
    from bench.plan import build_plan

    data = build_plan(companies=args.companies, surge=args.surge, log=print)
    Path(args.out).write_text(json.dumps(data, indent=1))
    if args.surge and len(data["surge"]) < args.surge:
        print(f"plan: only {len(data['surge'])} surge accounts pass their checks ({args.surge} asked for)")
    return 0


def check(args) -> int:
    _django()
    from bench.checks import made_since, surge_duplicates

    since = dt.datetime.fromisoformat(args.since)
    counts = surge_duplicates(since=since)
    made = made_since(since=since)
    print(f"surge made: {made['versions']} versions, {made['reports_started']} reports started, "
          f"{made['receipt_mails']} receipt e-mails")  # fmt: skip
    for name, value in counts.items():
        print(f"  duplicates {name:<17} {value}")
    if args.json:
        Path(args.json).write_text(json.dumps({"duplicates": counts, "made": made}, indent=1))
    bad = {k: v for k, v in counts.items() if v}
    print("surge check: " + ("FAILED " + json.dumps(bad) if bad else "OK, nothing was made twice"))
    return 1 if bad else 0


def summary(args) -> int:
    from bench.report import summarise

    text, ok = summarise(Path(args.dir))
    print(text)
    return 0 if ok else 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("plan")
    p.add_argument("--out", required=True)
    p.add_argument("--companies", type=int, default=40)
    p.add_argument("--surge", type=int, default=0)
    p.set_defaults(func=plan)
    c = sub.add_parser("check")
    c.add_argument("--since", required=True)
    c.add_argument("--json")
    c.set_defaults(func=check)
    s = sub.add_parser("summary")
    s.add_argument("dir")
    s.set_defaults(func=summary)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
