"""What a set counts as when it ends: the whole prescription, or the part of it that was done.

A runner ends a set early when the knee asks for it, or stops the session part way. The
work done still counts, and only the work done: the repetitions finished before the one
under way, or the seconds held so far. A set ended before any of it was done is no set at
all, so it never reads as done in the journal. This is how kneecoach counts (a kneecoach
default, not evidence); both guided players report how far the runner got, and this rule
alone turns that into the set kept.
"""

from __future__ import annotations

from kneecoach.domain.journal import LoggedSet
from kneecoach.domain.timeline import Step, StepKind


def set_done(step: Step, *, completed: bool, seconds_in_step: float = 0.0) -> LoggedSet | None:
    """The set done, from the work step the runner was on when it ended; None if nothing was.

    ``step`` is a repetition's beat or a hold. A completed set is the prescription in full.
    A set ended part way counts the repetitions before ``step.rep``, or the whole seconds
    held (``seconds_in_step`` into the hold, never more than the hold).
    """
    if not step.is_work:
        raise ValueError(f"a {step.kind} step is not part of a set")
    if step.kind is StepKind.HOLD:
        hold = step.hold_seconds or 0
        held = hold if completed else int(min(float(hold), max(0.0, seconds_in_step)))
        done = LoggedSet(
            step.exercise,
            step.variant,
            step.side,
            step.set_number,
            hold_seconds=held,
            load_kg=step.load_kg,
        )
    else:
        reps = (step.reps or 0) if completed else max(0, (step.rep or 1) - 1)
        done = LoggedSet(
            step.exercise, step.variant, step.side, step.set_number, reps=reps, load_kg=step.load_kg
        )
    return done if completed or done.reps or done.hold_seconds else None
