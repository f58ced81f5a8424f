from __future__ import annotations

import sys
from dataclasses import dataclass

import pytest

from kneecoach.cli.main import run


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def flat(self) -> str:
        """The output with line wrapping undone, for phrases that may wrap."""
        return " ".join(self.out.split())

    @property
    def json(self):
        import json

        return json.loads(self.out)


@pytest.fixture
def kc(isolated_env, capsys, monkeypatch):
    """Run ``kneecoach ARGS`` in this process, as a new user in a fresh data folder."""

    def invoke(*args: str) -> Result:
        monkeypatch.setattr(sys, "argv", ["kneecoach", *args])
        code = 0
        try:
            run()
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return invoke


SCRIPTED_INIT = (
    "init",
    "--knee",
    "left",
    "--pain-rest",
    "1",
    "--pain-running",
    "4",
    "--equipment",
    "low-bench,wall,pad,resistance-band",
    "--sessions-per-week",
    "3",
    "--start",
    "2026-11-23",
    "--no-red-flags",
    "--age-band",
    "16-50",
)
