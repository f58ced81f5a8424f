"""The installed ``kneecoach`` program, run as a separate process like a person runs it:
from a script, and at a real terminal answering the questions."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from tests.cli.conftest import SCRIPTED_INIT
from tests.conftest import person_env

EXECUTABLE = shutil.which("kneecoach", path=str(Path(sys.executable).parent)) or "kneecoach"


@pytest.fixture
def env(tmp_path):
    values = person_env(tmp_path)
    values.update(COLUMNS="100", TERM="xterm")
    return values


def _run(env, *args, stdin=""):
    return subprocess.run(
        [EXECUTABLE, *args], env=env, input=stdin, capture_output=True, text=True, timeout=60
    )


def test_a_script_sets_up_and_reads_todays_session(env):
    assert _run(env, *SCRIPTED_INIT).returncode == 0
    today = _run(env, "today", "--date", "2026-11-23")
    assert today.returncode == 0
    assert "Hip flexor stretch" in today.stdout and "Roll down" in today.stdout


def test_no_traceback_reaches_a_user(env, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "kneecoach.db").write_text("not a database")
    for args in (("today",), ("checkin", "--pain", "99"), ("log", "--file", "/nonexistent")):
        result = _run(env, *args)
        assert result.returncode == 2
        assert "Traceback" not in result.stderr + result.stdout
        assert result.stderr.startswith("kneecoach: error: ")


def test_an_unexpected_error_is_one_line_unless_debugging(env):
    env["KNEECOACH_DATABASE_URL"] = "sqlite:////proc/version/impossible.db"
    result = _run(env, "today")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_without_a_terminal_a_missing_answer_is_an_error_not_a_hang(env):
    result = _run(env, "init")
    assert result.returncode == 2
    assert "missing --knee (there is no terminal to ask" in result.stderr


def test_onboarding_and_logging_at_a_real_terminal(env):
    child = pexpect.spawn(EXECUTABLE, ["init"], env=env, encoding="utf-8", timeout=20)
    child.expect("Which knee hurts")
    child.sendline("")
    child.expect("Please answer left, right or both")
    child.sendline("Right")
    child.expect(r"pain at rest")
    child.sendline("12")
    child.expect("from 0 to 10")
    child.sendline("1")
    child.expect("pain when running")
    child.sendline("4")
    for question, answer in (
        ("low bench", "y"),
        ("dumbbells", "n"),
        ("resistance band", "y"),
        ("wall", "y"),
        ("kneel on", "y"),
    ):
        child.expect(question)
        child.sendline(answer)
    child.expect("sessions a week")
    child.sendline("")
    for _ in range(11):
        child.expect(r"\?")
        child.sendline("n")
    child.expect("age band")
    child.sendline("16-50")
    child.expect("No red flags")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    log = pexpect.spawn(EXECUTABLE, ["log"], env=env, encoding="utf-8", timeout=20)
    log.expect("Roll down: 1 set × 10 reps — done as planned")
    log.sendline("y")
    log.expect(r"Bulgarian split squat \(left\)")
    log.sendline("n")
    log.expect("How many sets")
    log.sendline("1")
    log.expect("Set 1: reps")
    log.sendline("8")
    for _ in range(9):
        log.expect("done as planned")
        log.sendline("y")
    log.expect("Highest knee pain during")
    log.sendline("3")
    log.expect("How hard")
    log.sendline("6")
    log.expect("Notes")
    log.sendline("left knee grumbled")
    log.expect("Logged")
    log.expect(pexpect.EOF)
    log.close()
    assert log.exitstatus == 0

    history = _run(env, "history", "--json")
    [session] = json.loads(history.stdout)["sessions"]
    assert session["sets_done"] == 26  # one of the two left split-squat sets
    assert session["notes"] == "left knee grumbled"
    assert session["pain_during"] == 3


def test_start_without_a_profile_and_without_a_terminal_says_how_to_begin(env):
    result = _run(env, "start")
    assert result.returncode == 2
    assert "kneecoach init --defaults" in result.stderr


def test_start_with_a_profile_shows_todays_plan(env):
    _run(env, "init", "--defaults", "--start", "today", "--no-red-flags", "--age-band", "16-50")
    result = _run(env, "start")
    assert result.returncode == 0
    assert "Roll down" in result.stdout and "kneecoach session" in result.stdout


@pytest.mark.parametrize(
    ("term", "program", "drawn"),
    [("xterm-kitty", "", "\x1b_Ga=T,f=100"), ("xterm-256color", "iTerm.app", "\x1b]1337;File=")],
)
def test_a_terminal_that_shows_pictures_gets_the_exercise_figure(env, term, program, drawn):
    env.update(TERM=term, TERM_PROGRAM=program)
    child = pexpect.spawn(EXECUTABLE, ["exercises", "bss"], env=env, timeout=20)
    child.expect(pexpect.EOF)
    output = child.before.decode()
    assert output.count(drawn) == 2  # body weight and with a dumbbell
    assert "the working leg is orange" in output


def test_other_terminals_and_pipes_get_no_picture_codes(env):
    plain = pexpect.spawn(EXECUTABLE, ["exercises", "bss"], env=env, timeout=20)
    plain.expect(pexpect.EOF)
    assert "\x1b_G" not in plain.before.decode() and "1337;File" not in plain.before.decode()
    env["TERM"] = "xterm-kitty"
    piped = _run(env, "exercises", "bss")
    assert "\x1b_G" not in piped.stdout and "working leg" not in piped.stdout
