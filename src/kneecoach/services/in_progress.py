"""A session kept set by set and not finished yet, as a runner's Today and their clinician
see it: the sets kept out of the day's planned sets and the pain reported so far."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kneecoach.domain.planning import SessionPlan
from kneecoach.services.adaptation import exercise_name
from kneecoach.services.ports import UnfinishedSession


@dataclass(frozen=True, slots=True)
class PainSoFarView:
    """Pain the runner reported during one exercise of a session not finished yet."""

    exercise: str
    name: str
    pain: int
    """0–10; the highest reported for the exercise stands."""


@dataclass(frozen=True, slots=True)
class UnfinishedSessionView:
    """A session the runner keeps set by set (the browser player) and has not finished
    with how it felt: what is kept of it so far. It is not a session done, so adherence and
    the sessions logged leave it out until it is finished."""

    day: dt.date
    in_progress: bool
    """True for today's session while the program runs (the runner may still go on and
    finish it); False for one of an earlier day, never finished, or one the program's pause
    stopped (a paused program guides no session)."""
    sets_kept: int
    sets_planned: int
    """The sets of the day's session as it was planned (each side of a one-leg exercise
    counts), at the levels in force that day."""
    pains: tuple[PainSoFarView, ...] = ()
    """Pain reported during an exercise so far, in the session's order of exercises."""

    @property
    def pains_said(self) -> str:
        """The pain reported so far, in words: 'Roll down 6/10, Clamshell 2/10'."""
        return ", ".join(f"{p.name} {p.pain}/10" for p in self.pains)

    @property
    def status(self) -> str:
        """'in progress' or 'not finished'."""
        return "in progress" if self.in_progress else "not finished"


def is_in_progress(stopped: UnfinishedSession, today: dt.date, program_runs: bool) -> bool:
    """A session kept set by set is in progress on its own day while the program runs (the
    runner may go on and finish it); a paused program guides no session."""
    return stopped.performed_on == today and program_runs


def unfinished_view(
    stopped: UnfinishedSession, plan: SessionPlan, today: dt.date, *, program_runs: bool
) -> UnfinishedSessionView:
    """``stopped`` against ``plan``, the session as it was fitted for its day."""
    order = [item.exercise.key for item in plan.exercises]
    pains = sorted(
        stopped.exercise_pain,
        key=lambda kept: order.index(kept[0]) if kept[0] in order else len(order),
    )
    return UnfinishedSessionView(
        day=stopped.performed_on,
        in_progress=is_in_progress(stopped, today, program_runs),
        sets_kept=len(stopped.sets),
        sets_planned=plan.planned_sets,
        pains=tuple(PainSoFarView(key, exercise_name(key), pain) for key, pain in pains),
    )
