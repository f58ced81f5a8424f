"""SQL statements per web request, and the places where the adapters reach the storage.

Two counts to compare before and after moving the storage behind the services:

- Statements per request. One runner signs up and onboards, then, on a fixed day: opens
  Today twice (the second visit should be served from the pages kept per data revision),
  opens the guided session, posts two sets as the browser player does, finishes the
  session, opens Today again and the Progress, History and Load pages. Every statement the
  app's engine sends is counted (SQLAlchemy's ``before_cursor_execute``), on SQLite and,
  when one can be started, on a throwaway PostgreSQL server. A GET that writes is named.
  Not counted: transaction BEGIN/COMMIT, the connection set-up pragmas and PostgreSQL's
  pre-ping, which bypass that event.
- Direct storage use, read from the source (AST) of kneecoach/cli, web and exports:
  attribute access on something named ``repository`` or ``store`` (``web.repository.
  sessions``, ``c.store.journal``) and imports of ``kneecoach.storage``.

These are counts, not timings: the same run before and after the refactor is the peer.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from kneecoach.config import load_settings
from kneecoach.services.ports import FixedClock
from kneecoach.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.helpers import counting  # noqa: E402
from tests.postgres import temporary_server  # noqa: E402

SOURCE = ROOT / "src" / "kneecoach"
ADAPTERS = ("cli", "web", "exports")
TODAY = dt.date(2026, 11, 30)
PASSWORD = "a long enough password"
WRITES = ("INSERT", "UPDATE", "DELETE")
WRITTEN_TABLE = re.compile(r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.I)


@dataclass(frozen=True)
class Measured:
    request: str
    statements: tuple[str, ...]

    @property
    def writes(self) -> tuple[str, ...]:
        return tuple(s for s in self.statements if s.lstrip().upper().startswith(WRITES))

    def written_tables(self) -> list[str]:
        found = (WRITTEN_TABLE.match(s) for s in self.writes)
        return sorted({m.group(1) for m in found if m})


def csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    if found is None:
        raise RuntimeError("no CSRF token on the page")
    return found.group(1)


def set_posted(step: dict[str, Any]) -> dict[str, Any]:
    """The body the browser player (web/static/player.js) posts when a set ends."""
    body = {k: step[k] for k in ("exercise", "side", "set_number", "rep")}
    return {**body, "completed": True, "elapsed_seconds": step["duration"]}


def run_day(database_url: str, data: str) -> list[Measured]:
    """One runner's day in the web app, each request's statements counted."""
    settings = load_settings({"KNEECOACH_DATA_DIR": data, "KNEECOACH_DATABASE_URL": database_url})
    app = create_app(settings, clock=FixedClock(TODAY))
    measured: list[Measured] = []

    with TestClient(app, follow_redirects=False) as client:

        def measure(label: str, method: str, path: str, status: int = 200, **sent: Any) -> str:
            with counting() as seen:
                response = client.request(method, path, **sent)
            if response.status_code != status:
                raise RuntimeError(f"{label}: {response.status_code}, expected {status}")
            measured.append(Measured(label, tuple(seen)))
            return str(response.text)

        client.post(
            "/setup",
            data={"name": "ana", "password": PASSWORD, "csrf": csrf(client.get("/setup").text)},
        )
        client.post(
            "/onboarding",
            data={
                "csrf": csrf(client.get("/onboarding").text),
                "knee": "left",
                "pain_rest": "1",
                "pain_running": "3",
                "equipment": ["low-bench", "wall", "pad", "resistance-band"],
                "sessions_per_week": "7",
                "no_red_flags": "1",
                "age_band": "16-50",
            },
        )
        token = csrf(measure("GET  /today, first render", "GET", "/today"))
        measure("GET  /today, second visit", "GET", "/today")
        page = measure("GET  /session (the player)", "GET", "/session")
        player = json.loads(page.split('type="application/json">')[1].split("</script>")[0])
        sets = [set_posted(step) for step in player["steps"] if step["ends_set"]]
        header = {"X-CSRF-Token": token}
        for label, body in (("first set of the day", sets[0]), ("a later set", sets[1])):
            measure(
                f"POST /session/sets, {label}", "POST", "/session/sets", json=body, headers=header
            )
        finish = {"csrf": token, "pain": "2", "effort": "5"}
        measure("POST /session/finish", "POST", "/session/finish", 303, data=finish)
        measure("GET  /today, after the session", "GET", "/today")
        for path in ("/progress", "/history", "/load"):
            measure(f"GET  {path}", "GET", path)
    return measured


def statements_table() -> None:
    runs: dict[str, list[Measured]] = {}
    notes: list[str] = []
    with tempfile.TemporaryDirectory() as data:
        runs["SQLite"] = run_day(f"sqlite:///{data}/kneecoach.db", data)
    with ExitStack() as stack, tempfile.TemporaryDirectory() as data:
        try:
            server = stack.enter_context(temporary_server())
        except RuntimeError as error:
            notes.append(f"PostgreSQL left out: {error}")
        else:
            runs["PostgreSQL"] = run_day(server, data)
    print(f"\nSQL statements per request, one runner on {TODAY}")
    print(f"{'request':<42}" + "".join(f"{name:>12}{'writes':>8}" for name in runs))
    for row in zip(*runs.values(), strict=True):
        cells = "".join(f"{len(m.statements):>12}{len(m.writes):>8}" for m in row)
        print(f"{row[0].request:<42}{cells}")
    writing = [
        f"{name}: {m.request.split(',')[0]} writes ({', '.join(m.written_tables())})"
        for name, measured in runs.items()
        for m in measured
        if m.request.startswith("GET") and m.writes
    ]
    notes.extend(writing or ["no GET wrote to the database"])
    for note in notes:
        print(f"  {note}")


def storage_uses(path: Path) -> tuple[int, int]:
    """Attribute accesses on something named ``repository`` or ``store`` (the storage port
    before and after it was split by role), and imports of ``kneecoach.storage``, in one
    file."""
    calls = imports = 0
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Attribute):
            owner = node.value
            named = (isinstance(owner, ast.Name) and owner.id in PORT_NAMES) or (
                isinstance(owner, ast.Attribute) and owner.attr in PORT_NAMES
            )
            calls += int(named)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [f"{node.module}.{alias.name}" for alias in node.names]
            imports += int(any(is_storage(m) for m in [node.module, *modules]))
        elif isinstance(node, ast.Import):
            imports += int(any(is_storage(alias.name) for alias in node.names))
    return calls, imports


PORT_NAMES = ("repository", "store")


def is_storage(module: str) -> bool:
    return module == "kneecoach.storage" or module.startswith("kneecoach.storage.")


def storage_table() -> None:
    files = sorted(p for package in ADAPTERS for p in (SOURCE / package).rglob("*.py"))
    uses = {str(path.relative_to(SOURCE)): storage_uses(path) for path in files}
    found = {name: counts for name, counts in uses.items() if any(counts)}
    print(
        f"\nDirect storage use from the adapters ({', '.join(ADAPTERS)}: {len(files)} files, "
        f"{len(files) - len(found)} without any)"
    )
    print(f"{'file':<30} {'x.store.y':>14} {'storage imports':>16} {'total':>6}")
    for name, (calls, imports) in found.items():
        print(f"{name:<30} {calls:>14} {imports:>16} {calls + imports:>6}")
    calls = sum(c for c, _ in found.values())
    imports = sum(i for _, i in found.values())
    print(f"{'total':<30} {calls:>14} {imports:>16} {calls + imports:>6}")


def main() -> None:
    statements_table()
    storage_table()


if __name__ == "__main__":
    main()
