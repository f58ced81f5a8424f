"""Pain per exercise through the services: logged with a session, reported in the players,
and judged exercise by exercise — the exercise that hurt regresses, the others do not."""

from __future__ import annotations

import datetime as dt

import pytest

from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.evidence import POWERS_2014, PRODUCT_DEFAULT, SILBERNAGEL_2007
from kneecoach.domain.planning import Paused
from kneecoach.domain.progression import SESSIONS_TO_PROGRESS
from kneecoach.domain.redflags import AgeBand
from kneecoach.services import adaptation, guided, journal, onboarding, today
from kneecoach.services.context import RunnerContext
from kneecoach.services.player import FakeClock, Player
from kneecoach.services.ports import FixedClock
from kneecoach.storage.memory import MemoryStorage
from tests.helpers import MONDAY, profile

pytestmark = pytest.mark.own_dates

SQUAT = "bulgarian-split-squat"
HYDRANT = "fire-hydrant"
BRIDGE = "elevated-single-leg-glute-bridge"
WEDNESDAY = MONDAY + dt.timedelta(days=2)
SIX = (
    "roll-down",
    SQUAT,
    HYDRANT,
    "bent-knee-heel-raise",
    BRIDGE,
    "hip-flexor-stretch",
)


def only_squat_hurt(squat: int) -> dict[str, int]:
    """Pain during each of the six exercises: ``squat`` in the split squat, 1 elsewhere."""
    return {key: squat if key == SQUAT else 1 for key in SIX}


class Runner:
    def __init__(self, storage: MemoryStorage | None = None) -> None:
        self.storage = storage or MemoryStorage()
        self.user = self.storage.user_id("runner")
        onboarding.onboard(
            self.on(MONDAY),
            profile(pain_at_rest=1),
            onboarding.answers_from_flags([]),
            AgeBand.ADULT,
        )

    def on(self, day: dt.date) -> RunnerContext:
        return RunnerContext(self.storage.for_runner(self.user), FixedClock(day), self.user)

    def log(self, day: dt.date, pain: int, pains: dict[str, int] | None = None) -> None:
        """Every planned set done, with a calm check-in the next morning."""
        on_day = self.on(day)
        done = journal.planned_as_done(today.session_for(on_day, day))
        journal.record_session(on_day, day, done, pain, exercise_pain=pains)
        journal.record_checkin(self.on(day + dt.timedelta(days=1)), 0)

    def level(self, day: dt.date, exercise: str) -> adaptation.LevelView:
        row = next(r for r in adaptation.status(self.on(day)) if r.exercise == exercise)
        return row.level


def test_the_exercise_that_hurt_regresses_and_the_others_are_judged_by_their_own_pain():
    runner = Runner()
    runner.log(MONDAY, 6, only_squat_hurt(6))
    squat = runner.level(WEDNESDAY, SQUAT)
    assert squat.range == "partial"  # range before volume
    assert (squat.sets, squat.reps) == (2, 15)
    decisions = runner.storage.for_runner(runner.user).plan.decisions()
    assert [d.decision.exercise for d in decisions] == [SQUAT]
    why = decisions[0].decision
    assert "pain during this exercise reached 6/10" in why.why
    assert POWERS_2014 in why.sources
    # the others: one ideal session of their own, so they hold, not regress
    rows = {r.exercise: r for r in adaptation.status(runner.on(WEDNESDAY))}
    assert rows[HYDRANT].verdict is not None and rows[HYDRANT].verdict.band == "ideal"
    assert rows[HYDRANT].verdict.exercise_pain == 1
    assert rows[SQUAT].verdict is not None and rows[SQUAT].verdict.band == "too much"
    assert PRODUCT_DEFAULT in rows[SQUAT].verdict.sources
    assert SILBERNAGEL_2007 in rows[SQUAT].verdict.sources


def test_the_others_keep_progressing_while_the_painful_one_went_down():
    runner = Runner()
    day = MONDAY
    runner.log(day, 6, only_squat_hurt(6))
    before = runner.level(day, HYDRANT)
    for _ in range(SESSIONS_TO_PROGRESS - 1):
        day += dt.timedelta(days=2)
        runner.log(day, 1)
    after = runner.level(day + dt.timedelta(days=1), HYDRANT)
    assert after != before  # progressed on two tolerated sessions, the painful day included
    assert runner.level(day + dt.timedelta(days=1), SQUAT).range == "partial"


def test_without_per_exercise_figures_the_sessions_pain_judges_every_exercise():
    runner = Runner()
    runner.log(MONDAY, 6)
    moved = {d.decision.exercise for d in runner.storage.for_runner(runner.user).plan.decisions()}
    assert moved == set(SIX)


def _moved(runner: Runner) -> set[str]:
    return {d.decision.exercise for d in runner.storage.for_runner(runner.user).plan.decisions()}


def test_an_exercise_without_its_own_figure_is_judged_by_the_sessions():
    """The session's 6/10 came from an exercise not rated (those rated stayed lower): each
    exercise without a figure is judged by it and steps back."""
    runner = Runner()
    runner.log(MONDAY, 6, {SQUAT: 3, HYDRANT: 1})
    assert _moved(runner) == set(SIX) - {HYDRANT, SQUAT}


def test_an_exercise_without_its_own_figure_holds_when_a_rated_one_gave_the_sessions_pain():
    """The split squat's 6/10 is the session's: the exercises not rated are not stepped back
    for it (their pain is not known), and only the split squat moves."""
    runner = Runner()
    runner.log(MONDAY, 6, {SQUAT: 6, HYDRANT: 1})
    assert _moved(runner) == {SQUAT}


def test_pain_of_seven_in_one_exercise_pauses_the_program_as_the_sessions_would():
    runner = Runner()
    on_day = runner.on(MONDAY)
    done = journal.planned_as_done(today.session_for(on_day, MONDAY))
    journal.record_session(on_day, MONDAY, done, 3, exercise_pain={SQUAT: 7})
    assert isinstance(today.plan_for(runner.on(WEDNESDAY)), Paused)


def test_pain_for_an_exercise_with_no_set_logged_is_refused():
    runner = Runner()
    on_day = runner.on(MONDAY)
    done = [
        e for e in journal.planned_as_done(today.session_for(on_day, MONDAY)) if e.exercise != SQUAT
    ]
    with pytest.raises(InvalidInput, match="no set of it is logged"):
        journal.record_session(on_day, MONDAY, done, 3, exercise_pain={SQUAT: 2})


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        (["bss"], "EXERCISE=PAIN"),
        (["bss=eleven"], "EXERCISE=PAIN"),
        (["bss=11"], "0 to 10"),
        (["bss=2", "split squat=3"], "twice"),
        (["nope=2"], "nope"),
    ],
)
def test_exercise_pain_flags_are_read_strictly(entries: list[str], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        journal.exercise_pains_from_text(entries)


def test_exercise_pain_flags_take_the_names_exercises_accepts():
    assert journal.exercise_pains_from_text(["split squat=3", "hydrant=0"]) == {
        SQUAT: 3,
        HYDRANT: 0,
    }


@pytest.mark.parametrize(
    "data", [[], {"bss": True}, {"bss": 2.5}, {"bss": -1}, {"bss": 1, "split squat": 2}]
)
def test_exercise_pain_objects_are_read_strictly(data: object) -> None:
    with pytest.raises(InvalidInput):
        journal.exercise_pains_from_json(data)


def test_a_session_file_gives_pain_per_exercise():
    document = journal.read_session_document(
        {"as_planned": True, "pain_during": 3, "exercise_pain": {"bss": 3}}
    )
    assert document.exercise_pain == {SQUAT: 3}


def _play_until(session: guided.GuidedSession, exercise: str, sets: int) -> Player:
    """Run the guided session until ``sets`` sets of ``exercise`` are kept."""
    clock = FakeClock()
    player = Player(session.timeline, clock, session.keep)
    player.start()
    while sum(1 for ref in session.done if ref.exercise == exercise) < sets:
        clock.advance(0.5)
        player.poll()
    return player


def test_pain_above_five_mid_exercise_offers_a_smaller_range_first_then_fewer_reps():
    runner = Runner()
    session = guided.begin(runner.on(MONDAY))
    _play_until(session, SQUAT, 1)
    answer = session.report_pain("split squat", 6)
    assert (answer.light, answer.band, answer.stopped) == ("red", "too much", False)
    assert answer.offers == ("smaller_range", "fewer_reps")
    assert answer.offered == "a smaller range or fewer reps"
    rebuilt = session.smaller_range(SQUAT)
    assert rebuilt is not None
    squat = next(i for i in rebuilt.planned.exercises if i.exercise.key == SQUAT)
    eased = [s for s in rebuilt.steps if s.exercise == SQUAT and s.kind.value == "get-ready"]
    assert squat.range_key == "full" and eased and "partial range" in eased[0].cue
    assert session.report_pain(SQUAT, 6).offers == ("fewer_reps",)


def test_pain_of_seven_in_the_player_stops_logs_the_session_and_pauses():
    runner = Runner()
    c = runner.on(MONDAY)
    session = guided.begin(c)
    _play_until(session, SQUAT, 1)
    answer = session.report_pain(SQUAT, 8)
    assert answer.stopped and answer.light == "stop" and answer.offers == ()
    assert session.logged is not None and session.logged.pain_of(SQUAT) == 8
    assert session.logged.pain_during == 8
    assert guided.unfinished(c) is None
    assert isinstance(today.plan_for(runner.on(WEDNESDAY)), Paused)
    with pytest.raises(guided.ProgramPaused):
        guided.begin(runner.on(WEDNESDAY))


def test_pain_of_eight_before_any_set_is_done_stops_and_pauses_with_nothing_to_log():
    runner = Runner()
    c = runner.on(MONDAY)
    session = guided.begin(c)
    answer = session.report_pain("roll-down", 8)
    assert answer.stopped and session.logged is None
    assert isinstance(today.plan_for(runner.on(WEDNESDAY)), Paused)


def test_pain_after_an_exercise_is_kept_with_the_session_and_offers_nothing_left_to_ease():
    runner = Runner()
    c = runner.on(MONDAY)
    session = guided.begin(c)
    player = _play_until(session, SQUAT, 4)
    assert session.report_pain(SQUAT, 6).offers == ()
    while not player.done:
        player.clock.advance(5)  # type: ignore[attr-defined]
        player.poll()
    logged = session.finish(6, None)
    assert logged is not None and logged.pain_of(SQUAT) == 6
    kept = runner.storage.for_runner(runner.user).journal.sessions(MONDAY, MONDAY)
    assert kept[0].exercise_pain == ((SQUAT, 6),)


def test_the_player_asks_pain_in_the_rest_after_each_exercise():
    runner = Runner()
    view = guided.begin(runner.on(MONDAY)).view()
    asking = [s for s in view.steps if s.asks_pain]
    assert [s.pain_exercise for s in asking] == [
        "roll-down",
        SQUAT,
        HYDRANT,
        "bent-knee-heel-raise",
        BRIDGE,
    ]
    assert all(s.kind == "rest" and s.exercise != s.pain_exercise for s in asking)
    assert all(s.pain_exercise == s.exercise for s in view.steps if s.work)


def test_an_exercises_pain_is_asked_only_once_its_first_rep_has_begun():
    """Its get-ready comes before any rep: no pain is asked of it yet (the cold walk found
    the question on the split squat before its first rep), nor the one before's under its
    heading; the rest before it asked that one's."""
    view = guided.begin(Runner().on(MONDAY)).view()
    first, second = view.steps[0], view.steps[1]
    assert (first.kind, first.pain_exercise, second.work) == ("get-ready", "", True)
    readies = [
        (before, step)
        for before, step in zip(view.steps, view.steps[1:], strict=False)
        if step.kind == "get-ready" and before.asks_pain
    ]
    assert len(readies) == 5
    for _, ready in readies:
        assert (ready.pain_exercise, ready.asks_pain) == ("", False)
    later = [s for s in view.steps if s.kind == "get-ready" and s.set_number > 1]
    assert later and all(s.pain_exercise == s.exercise for s in later)


def test_the_browser_reports_pain_into_todays_session_and_a_stop_pauses():
    runner = Runner()
    c = runner.on(MONDAY)
    step = next(s for s in guided.browser_session(c).steps if s.exercise == SQUAT and s.ends_set)
    guided.keep_reported_set(c, guided.SetReport(SQUAT, guided.Side(step.side), 1, completed=True))
    amber = guided.report_browser_pain(c, "bss", 4)
    assert (amber.light, amber.offers, amber.stopped) == ("amber", (), False)
    red = guided.report_browser_pain(c, "bss", 6)
    assert red.offers == ("smaller_range", "fewer_reps")
    with pytest.raises(InvalidInput):
        guided.report_browser_pain(c, "clam", 3)
    stop = guided.report_browser_pain(c, SQUAT, 9)
    assert stop.stopped
    assert (
        runner.storage.for_runner(runner.user).journal.sessions(MONDAY, MONDAY)[0].pain_of(SQUAT)
        == 9
    )
    with pytest.raises(guided.ProgramPaused):
        guided.report_browser_pain(runner.on(MONDAY), SQUAT, 1)


def test_an_exercise_that_hurt_above_five_makes_the_flare_card_the_one_of_the_moment():
    """The session was too much as the model judges it (by its most painful exercise), so
    the card of the moment is the flare's, as it is for a session rated 6/10 overall."""
    from kneecoach.domain.education import Moment
    from kneecoach.services import education

    runner = Runner()
    runner.log(MONDAY + dt.timedelta(days=7), 3, only_squat_hurt(6))
    day = MONDAY + dt.timedelta(days=8)
    assert onboarding.current_screening(runner.on(day)).clear  # not a pause: a flare
    card = education.card_for_day(runner.on(day), day, paused=False)
    assert card is not None
    assert card.moment == Moment.FLARE.value
