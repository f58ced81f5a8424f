"""Education in the terminal (evidence.md §10): ``kneecoach learn`` lists every card with
its sources, and ``kneecoach today`` prints the card of the runner's moment."""

from __future__ import annotations

from kneecoach.domain.education import CARDS
from tests.cli.conftest import SCRIPTED_INIT
from tests.conftest import TODAY


def _starting_today():
    at = SCRIPTED_INIT.index("--start")
    return (*SCRIPTED_INIT[: at + 1], TODAY.isoformat(), *SCRIPTED_INIT[at + 2 :])


def test_learn_lists_every_card_with_its_sources(kc):
    shown = kc("learn").flat
    for card in CARDS:
        assert card.title in shown
    assert "Sources: Crossley 2016" in shown
    cards = kc("learn", "--json").json
    assert [c["key"] for c in cards] == [c.key for c in CARDS]
    assert all(c["sources"] and c["moment"] is None for c in cards)


def test_today_in_the_first_week_prints_load_and_capacity_labelled_as_a_kneecoach_default(kc):
    kc(*_starting_today())
    card = kc("today", "--json").json["card"]
    assert card["key"] == "load-and-capacity" and card["moment"] == "the first week"
    assert card["moment_source"] == "kneecoach default"
    assert any(s.startswith("Esculier et al.") for s in card["sources"])
    shown = kc("today").flat
    assert "Load and capacity (for the first week: kneecoach default)" in shown
    assert "Sources: Crossley 2016; Collins 2018; Esculier 2018" in shown


def test_a_paused_program_shows_that_pain_is_not_damage_and_keeps_the_pause(kc):
    kc(*SCRIPTED_INIT)
    kc("checkin", "--pain", "2", "--swelling")
    today = kc("today", "--json").json
    assert today["status"] == "paused"
    assert today["card"]["key"] == "pain-is-not-damage"
    assert "pauses it until the knee is checked" in today["card"]["text"]


def test_meeting_the_return_to_run_criteria_shows_that_running_is_load_too(kc):
    kc(*SCRIPTED_INIT)
    assert kc("today", "--json").json["card"] is None  # a week in, no moment
    kc("return-to-run", "--walk-ok", "--squats", "10", "--hops", "10", "--test-pain", "0")
    card = kc("today", "--json").json["card"]
    assert card["key"] == "running-again" and card["moment"] == "starting to run again"
