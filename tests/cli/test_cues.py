"""Cues: spoken through espeak-ng when asked and present, else the bell, or nothing."""

from __future__ import annotations

import time

import pytest

from kneecoach.cli.terminal import Cues, big

pytestmark = pytest.mark.own_dates


def _fake_espeak(tmp_path, monkeypatch):
    said = tmp_path / "said.txt"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "espeak-ng"
    script.write_text(f'#!/bin/sh\necho "$@" >> {said}\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    return said


def _wait_for(path, lines, timeout=5.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if path.exists() and len(path.read_text().splitlines()) >= lines:
            return path.read_text().splitlines()
        time.sleep(0.02)
    return path.read_text().splitlines() if path.exists() else []


def test_voice_speaks_each_cue_through_espeak_ng(tmp_path, monkeypatch):
    said = _fake_espeak(tmp_path, monkeypatch)
    cues = Cues("voice")
    assert cues.mode == "voice"
    cues.say("Bulgarian split squat, left leg. Get ready.", important=True)
    assert _wait_for(said, 1) == ["-s 175 Bulgarian split squat, left leg. Get ready."]
    cues.close()


def test_voice_falls_back_to_the_bell_without_espeak_ng(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))
    cues = Cues("voice")
    assert cues.mode == "bell"
    cues.say("Rest.", important=True)
    assert capsys.readouterr().out == "\a"


def test_the_bell_rings_on_announcements_and_rep_counts_only(capsys):
    cues = Cues("bell")
    cues.say("3", important=False)
    cues.say("up", important=False)
    cues.say("Hold for 40 seconds.", important=True)
    assert capsys.readouterr().out == "\a\a"


def test_quiet_is_silent(capsys):
    Cues("quiet").say("Rest.", important=True)
    assert capsys.readouterr().out == ""


def test_big_digits_are_five_lines_high():
    rows = big("10").splitlines()
    assert len(rows) == 5
    assert rows[0].startswith(" ██")
