"""One core, two faces: the faces (cli/, web/ with its templates and JavaScript, exports/)
format view models; they hold no clinical number, band or citation, and they do not reach
the storage. Those live in domain/ and reach a face through a service's view."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import kneecoach

pytestmark = pytest.mark.own_dates

SOURCE = Path(kneecoach.__file__).parent
FACES = ("cli", "web", "exports")
FACE_FILES = sorted(
    path
    for face in FACES
    for path in (SOURCE / face).rglob("*")
    if path.suffix in {".py", ".html", ".js", ".css"}
    and SOURCE / "web" / "static" / "pose" not in path.parents
)
"""(The pose model's own scripts, installed into web/static/pose/, are not the app's face.)"""

CITATIONS = re.compile(
    r"Hulin|Gabbett|Impellizzeri|Lolli|Silbernagel|Thom[eé]e|Nielsen 20|Crossley|Kujala 19|"
    r"Banister|Williams 20|Herrington|Heiderscheit|Willson|Bramah|Esculier|Collins 20|Buist|"
    r"Bosquet|Powers et al"
)
"""Authors of the evidence kneecoach relies on: their names come from domain.evidence."""
ACWR_BANDS = re.compile(
    r"0\.8 *(-|–|to|<=?|,) *(v *<=? *)?1\.3|ratio[^\"]*\b(0\.8|1\.3|1\.5)\b"
    r"|\b(0\.8|1\.3|1\.5)\b[^;]*ratio"
)
PAIN_BANDS = re.compile(
    r"(at or below|above|over|under|up to|more than|less than|≤|<=?|>=?) *[0-9]+ */ *10"
    r"|[0-9]+ *(-|–) *[0-9]+ */ *10|\bpain\w*\b[^\n]*[<>]=? *[0-9]\b"
)
"""A pain threshold written into a face ('at or below 2/10', '0-2/10', 'pain > 5')."""


def _relative(path: Path) -> str:
    return str(path.relative_to(SOURCE))


@pytest.mark.parametrize("path", FACE_FILES, ids=_relative)
def test_no_face_holds_a_citation_an_acwr_band_or_a_pain_band(path):
    found = [
        f"{_relative(path)}:{number}: {line.strip()[:90]}"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if CITATIONS.search(line) or ACWR_BANDS.search(line) or PAIN_BANDS.search(line)
    ]
    assert found == []


@pytest.mark.parametrize("path", [p for p in FACE_FILES if p.suffix == ".py"], ids=_relative)
def test_no_face_reaches_the_store_or_imports_storage(path):
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in {"store", "repository"}:
            found.append(f"line {node.lineno}: {ast.unparse(node.value)}.{node.attr}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "kneecoach.storage"
        ):
            found.append(f"line {node.lineno}: from {node.module} import ...")
    assert found == []


CORE_FILES = sorted(
    path for layer in ("domain", "services") for path in (SOURCE / layer).rglob("*.py")
)


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module the file imports, at its top or inside a function."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
    return found


@pytest.mark.parametrize("path", CORE_FILES, ids=_relative)
def test_the_core_never_imports_a_face(path):
    faces = tuple(f"kneecoach.{face}" for face in FACES)
    found = [
        f"line {line}: {module}"
        for line, module in _imported_modules(path)
        if module.startswith(faces)
    ]
    assert found == []


@pytest.mark.parametrize("path", sorted((SOURCE / "domain").rglob("*.py")), ids=_relative)
def test_the_domain_imports_only_itself_the_standard_library_and_numpy(path):
    import sys

    found = [
        f"line {line}: {module}"
        for line, module in _imported_modules(path)
        if not module.startswith("kneecoach.domain")
        and module.split(".")[0] not in sys.stdlib_module_names | {"numpy", "__future__"}
    ]
    assert found == []
