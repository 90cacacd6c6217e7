"""Fill empty English msgstr entries in locale/en from scripts/en_glossary.json, then compile.

Usage: .venv/bin/python scripts/fill_po.py   (after `make messages` has collected new strings)
Existing translations are kept; the script prints how many strings are still untranslated.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
GLOSSARY = ROOT / "scripts" / "en_glossary.json"


def main() -> int:
    glossary: dict[str, str] = json.loads(GLOSSARY.read_text(encoding="utf-8"))
    po = polib.pofile(str(PO))
    filled = 0
    for entry in po:
        if entry.obsolete or entry.msgid_plural:
            continue
        if not entry.msgstr and entry.msgid in glossary:
            entry.msgstr = glossary[entry.msgid]
            filled += 1
        if "fuzzy" in entry.flags and entry.msgid in glossary:
            entry.msgstr = glossary[entry.msgid]
            entry.flags.remove("fuzzy")
    po.save()
    po.save_as_mofile(str(PO.with_suffix(".mo")))
    missing = [e.msgid for e in po.untranslated_entries()]
    print(f"filled {filled}; untranslated {len(missing)}; {po.percent_translated()}% translated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
