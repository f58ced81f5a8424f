"""domain/ imports nothing outside the standard library, numpy and itself."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import kneecoach.domain

pytestmark = pytest.mark.own_dates

DOMAIN = Path(kneecoach.domain.__file__).parent
ALLOWED = set(sys.stdlib_module_names) | {"numpy", "kneecoach"}
CLOCK_AND_IO = {"open", "input", "print"}


def _imports(file: Path) -> list[tuple[str, int]]:
    found = []
    for node in ast.walk(ast.parse(file.read_text())):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node.lineno))
    return found


def test_domain_imports_only_stdlib_numpy_and_itself():
    offenders = []
    for file in sorted(DOMAIN.rglob("*.py")):
        for module, line in _imports(file):
            top = module.split(".")[0]
            inside = module == "kneecoach" or module.startswith("kneecoach.domain")
            if top not in ALLOWED or (top == "kneecoach" and not inside):
                offenders.append(f"{file.name}:{line} imports {module}")
    assert offenders == []


def test_domain_reads_no_clock_and_does_no_io():
    offenders = []
    for file in sorted(DOMAIN.rglob("*.py")):
        for node in ast.walk(ast.parse(file.read_text())):
            if isinstance(node, ast.Call):
                name = ast.unparse(node.func)
                if name in CLOCK_AND_IO or name.endswith(
                    ("date.today", "datetime.now", "time.time", "time.monotonic", "utcnow")
                ):
                    offenders.append(f"{file.name}:{node.lineno} calls {name}")
    assert offenders == []
