"""Imports point down, never up: public → articles → glossary → core and markup (markup imports no Django)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Each package and the project packages it may import (besides itself).
ALLOWED = {
    "markup": set(),
    "core": set(),
    "glossary": {"core", "markup"},
    "articles": {"core", "glossary", "markup"},
    "public": {"core", "glossary", "articles", "markup"},
    "config": {"core", "glossary", "articles", "public", "markup"},
    # Deployment helpers (nginx in front of the app servers) know nothing of the app.
    "deploy": set(),
}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module `path` imports (at any depth: inside functions too), with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def upward_imports(package: str) -> list[str]:
    problems = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for line, module in imported_modules(path):
            top = module.split(".")[0]
            if top in ALLOWED and top != package and top not in ALLOWED[package]:
                problems.append(f"{path.relative_to(ROOT)}:{line}: imports {module}")
    return problems


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_no_package_imports_a_layer_above_it(package):
    assert upward_imports(package) == []


def test_markup_imports_no_django():
    django = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted((ROOT / "markup").rglob("*.py"))
        for line, module in imported_modules(path)
        if module.split(".")[0] == "django"
    ]
    assert django == []


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    (tmp_path / "glossary").mkdir()
    (tmp_path / "glossary" / "models.py").write_text("def f():\n    from articles.models import Article\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)

    assert upward_imports("glossary") == ["glossary/models.py:2: imports articles.models"]
