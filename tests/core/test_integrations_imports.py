"""siinas/integrations returns plain data: no module in it imports an app (its models or anything else)."""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

INTEGRATIONS = Path(settings.BASE_DIR) / "siinas" / "integrations"


def _project_apps() -> set[str]:
    base = Path(settings.BASE_DIR).resolve()
    return {
        config.name.split(".")[0]
        for config in apps.get_app_configs()
        # The virtualenv may live inside the checkout (.venv): installed packages are not the project's apps.
        if Path(config.path).resolve().is_relative_to(base) and "site-packages" not in Path(config.path).parts
        and not config.name.startswith("siinas")
    } | {"siinas.core"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_integration_module_imports_an_app():
    project_apps = _project_apps()
    assert {"accounts", "reporting"} <= project_apps
    offenders = {
        f"{path.name}: {name}"
        for path in INTEGRATIONS.glob("*.py")
        for name in _imports(path)
        if name.split(".")[0] in project_apps or name.startswith("siinas.core") or name.endswith(".models")
        or name in ("django.apps",)
    }
    assert offenders == set()
