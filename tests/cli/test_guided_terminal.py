"""`kneecoach session` at a real (pseudo-)terminal: keys, quit and resume, and the log."""

from __future__ import annotations

import io
import json
import subprocess

import pexpect
import pytest

from tests.cli.conftest import SCRIPTED_INIT
from tests.cli.test_as_a_person import EXECUTABLE
from tests.conftest import migrated_sqlite_file, person_env


@pytest.fixture
def env(tmp_path):
    values = person_env(tmp_path)
    values.update(TERM="xterm", COLUMNS="90")
    migrated_sqlite_file(tmp_path / "data" / "kneecoach.db")  # set up, not a first run
    init = [a if a != "2026-11-23" else "today" for a in SCRIPTED_INIT]
    subprocess.run([EXECUTABLE, *init], env=values, check=True, capture_output=True)
    return values


def _history(env):
    out = subprocess.run(
        [EXECUTABLE, "history", "--json"], env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out)


def _spawn(env, *args):
    return pexpect.spawn(
        EXECUTABLE,
        ["session", "--quiet", *args],
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(30, 90),
    )


def _quit(child):
    """q: the player stops, and the command ends."""
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()


def _finish(child, pain="2", effort="5"):
    child.expect("Knee pain during Hip flexor stretch")  # the last exercise's: skipped
    child.sendline("")
    child.expect("Highest knee pain during the session")
    child.sendline(pain)
    child.expect("How hard was it")
    child.sendline(effort)
    child.expect("Logged")
    child.expect("checkin")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_a_whole_session_hands_free_with_keys_is_logged(env):
    child = _spawn(env, "--speed", "500")
    child.expect("Roll down")
    child.send(" ")  # pause
    child.expect("PAUSED")
    child.expect("PAUSED")  # drawn again at the next refresh: still paused
    child.send(" ")  # and go on
    # the split squat under way, not named by the rest before it ("next: Bulgarian split
    # squat, left leg, …"): a repeat in that rest would start the roll-down's set again
    child.expect("Bulgarian split squat — (LEFT|RIGHT) leg", timeout=20)
    # paused, so that the keys meet the same moment of the set however busy the machine is
    child.send(" ")
    child.expect("PAUSED")
    child.send("r")  # repeat the set: from its start
    child.send("n")  # then skip through its get-ready
    child.send(" ")  # and go on: the set is done in full
    _finish(child, pain="3", effort="6")
    [session] = _history(env)["sessions"]
    assert session["sets_done"] == 27
    assert session["pain_during"] == 3 and session["effort"] == 6


def test_quit_mid_session_then_resume_loses_nothing(env):
    child = _spawn(env, "--speed", "300")
    child.expect("Fire hydrant — (LEFT|RIGHT) leg", timeout=30)
    child.send("q")
    child.expect("Stopped. (\\d+) sets kept")
    kept = int(child.match.group(1))
    child.expect(pexpect.EOF)
    child.close()
    assert kept >= 5
    assert _history(env)["sessions"] == []  # kept, but not logged until finished

    again = _spawn(env, "--speed", "1000")  # the rest only needs finishing
    again.expect(f"after {kept} sets. Resume it")
    again.sendline("")
    again.expect("Fire hydrant")
    _finish(again)
    [session] = _history(env)["sessions"]
    assert session["sets_done"] == 27


def test_easier_variant_and_fewer_reps_are_logged_as_done(env):
    child = _spawn(env, "--speed", "300")
    child.expect("Fire hydrant — (LEFT|RIGHT) leg", timeout=30)
    child.send("e")
    child.expect("easier variant from now on")
    child.send("-")
    child.expect("fewer reps for the rest")
    _finish(child)
    out = subprocess.run(
        [EXECUTABLE, "history", "--json"], env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout)["sessions"][0]["sets_done"] == 27


def _screen_log(env):
    child = _spawn(env, "--speed", "1000")
    child.logfile_read = log = io.StringIO()
    _finish(child)
    return log.getvalue()


def test_in_a_kitty_terminal_the_player_shows_each_exercise_figure_once_per_side(env):
    env["TERM"] = "xterm-kitty"
    screen = _screen_log(env)
    placed = screen.count("\x1b_Ga=T,f=100,q=2,i=1,r=8,C=1")
    # roll down once (both legs), then each one-sided exercise on the left and the right
    # leg in turn, round by round: far more than six, each replacing the last
    assert placed >= 11
    assert screen.count("\x1b_Ga=d,d=I,i=1,q=2\x1b\\") == placed + 1  # and gone at the end


def test_in_other_terminals_the_player_sends_no_picture_codes(env):
    assert "\x1b_G" not in _screen_log(env)


def test_a_paused_program_starts_no_session_and_offers_no_resume(env):
    child = _spawn(env, "--speed", "300")
    child.expect("Fire hydrant — (LEFT|RIGHT) leg", timeout=30)
    _quit(child)
    subprocess.run(
        [EXECUTABLE, "screen", "--red-flag", "locking"], env=env, check=True, capture_output=True
    )
    refused = _spawn(env, "--speed", "100")
    refused.expect(pexpect.EOF)
    refused.close()
    said = refused.before
    assert refused.exitstatus == 2
    assert said.startswith("kneecoach: error: Red flag: the knee locks.")
    assert "see a clinician" in said and "Resume it" not in said
    assert len(said.strip().splitlines()) == 1
    assert _history(env)["sessions"] == []


def test_pain_above_five_in_the_player_offers_an_easier_way_at_once(env):
    child = _spawn(env, "--speed", "100")
    child.expect("Bulgarian split squat — (LEFT|RIGHT) leg", timeout=60)
    child.expect("rep \\d+ of 15", timeout=30)  # mid-set: the pain is the split squat's
    child.send("6")
    child.expect("Press d smaller range", timeout=20)  # the offers first, then the advice
    child.expect("too much", timeout=20)
    child.send("d")
    child.expect("a smaller range for the rest", timeout=20)
    _quit(child)


def test_pain_of_eight_in_the_player_stops_the_session_and_pauses(env):
    child = _spawn(env, "--speed", "100")
    child.expect("Bulgarian split squat — (LEFT|RIGHT) leg", timeout=60)
    child.send("8")
    child.expect("program is paused", timeout=20)
    child.expect(pexpect.EOF)
    child.close()
    [session] = _history(env)["sessions"]
    assert session["pain_during"] == 8
    today = subprocess.run(
        [EXECUTABLE, "today", "--json"], env=env, check=True, capture_output=True, text=True
    )
    assert json.loads(today.stdout)["status"] == "paused"


def test_the_t_key_reports_pain_of_ten_which_stops_the_session_and_pauses(env):
    child = _spawn(env, "--speed", "20")
    child.expect("Bulgarian split squat — (LEFT|RIGHT) leg", timeout=60)
    child.expect("t for 10", timeout=30)  # the key line says how to give 10/10
    child.send("t")
    child.expect("program is paused", timeout=20)
    child.expect(pexpect.EOF)
    child.close()
    [session] = _history(env)["sessions"]
    assert session["pain_during"] == 10  # the top of the scale, from one key
    today = subprocess.run(
        [EXECUTABLE, "today", "--json"], env=env, check=True, capture_output=True, text=True
    )
    assert json.loads(today.stdout)["status"] == "paused"


def test_the_last_exercises_pain_is_asked_at_the_end_and_kept_with_the_session(env):
    child = _spawn(env, "--speed", "1000")
    child.expect("Knee pain during Hip flexor stretch", timeout=60)
    child.sendline("3")
    child.expect("Highest knee pain during the session")
    child.sendline("3")
    child.expect("How hard was it")
    child.sendline("5")
    child.expect("Logged")
    out = subprocess.run(
        [EXECUTABLE, "history", "--json"], env=env, capture_output=True, text=True, check=True
    )
    [session] = json.loads(out.stdout)["sessions"]
    shown = subprocess.run(
        [EXECUTABLE, "progress", "--json"], env=env, capture_output=True, text=True, check=True
    )
    rows = {r["exercise"]: r for r in json.loads(shown.stdout)["exercises"]}
    assert session["pain_during"] == 3
    assert rows["hip-flexor-stretch"]["verdict"]["exercise_pain"] == 3
    assert rows["roll-down"]["verdict"]["exercise_pain"] is None


def test_a_pain_key_before_the_first_rep_is_not_filed_under_an_exercise_not_begun(env):
    child = _spawn(env, "--speed", "1")
    child.expect("GET READY", timeout=30)
    child.send("4")
    child.expect("Roll down has not begun yet", timeout=10)
    _quit(child)
    assert _history(env)["sessions"] == []
