"""The README is right on the first try (issue 19 §1): every page it names exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve

README = (Path(settings.BASE_DIR) / "README.md").read_text()


def _where_to_start_paths() -> list[str]:
    rows = [line for line in README.splitlines() if line.startswith("| ") and "[docs/" in line]
    return sorted({path for row in rows for path in re.findall(r"`(/[^`\s]*)`", row)})


@pytest.mark.parametrize("path", _where_to_start_paths())
def test_every_page_the_readme_names_resolves(path):
    try:
        resolve(path)
    except Resolver404:
        pytest.fail(f"README names {path}, which is a 404")


def test_the_readme_lists_every_prerequisite_of_the_two_commands():
    first_page = README.split("## Demo logins")[0]
    for needed in ("Python 3.12", "make", "npm", "apt-get", "chromium"):
        assert needed in first_page


def test_make_run_derives_the_base_url_from_host_and_port():
    import os
    import shutil
    import subprocess

    make = shutil.which("make")
    assert make, "make is a prerequisite"
    result = subprocess.run(  # noqa: S603 — our Makefile, dry run
        [make, "-n", "run", "PORT=8765"], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60,
        env={k: v for k, v in os.environ.items() if k != "SIINAS_BASE_URL"},
    )  # fmt: skip
    assert "SIINas on http://127.0.0.1:8765/" in result.stdout
