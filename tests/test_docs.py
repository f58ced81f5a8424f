"""Every setting and every command is documented, and the README starts with the two
commands a new user needs."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

from kneecoach.cli.main import COMMANDS
from kneecoach.config import SETTINGS, load_settings

pytestmark = pytest.mark.own_dates

README = (Path(__file__).parents[1] / "README.md").read_text()


def test_the_readme_opens_with_make_run_and_make_test():
    first_block = README.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in first_block.strip().splitlines()]
    assert commands == ["make run", "make test"]
    assert README.index("make run") < 1500


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.variable)
def test_every_setting_is_in_the_readme_table(setting):
    assert f"| `{setting.variable}` |" in README


def test_every_setting_the_code_reads_is_listed(monkeypatch):
    listed = {s.variable for s in SETTINGS}
    source = inspect.getsource(load_settings)
    read = {word.strip("\"'[]") for word in source.split() if "KNEECOACH_" in word}
    read = {w[w.index("KNEECOACH_") :].split('"')[0].split("'")[0] for w in read}
    assert read <= listed


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_is_in_the_readme(name):
    assert f"`kneecoach {name}" in README


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_listed_summary_is_the_commands_own_first_line(name):
    module, function, summary = COMMANDS[name]
    target = getattr(importlib.import_module(module), function)
    doc = target.info.help if hasattr(target, "info") else inspect.getdoc(target)
    assert doc.splitlines()[0] == summary
