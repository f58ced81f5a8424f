"""The guided-session engine: runs a timeline against a monotonic clock.

Every step's deadline is absolute — session start plus the step's offset — so waiting
errors never add up over a long session: a late wake-up makes that one cue late, not every
cue after it. Pauses, skips and repeats move the start point instead of the steps.
The engine knows nothing of terminals or browsers: adapters poll it and send it commands.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from kneecoach.domain.journal import LoggedSet
from kneecoach.domain.sets import set_done
from kneecoach.domain.timeline import Step, StepKind, Timeline


class MonotonicClock(Protocol):
    def monotonic(self) -> float:
        """Seconds of session time since an arbitrary point; never goes backwards."""
        ...


class RealClock:
    """The machine's monotonic clock, run ``speed`` times faster (for demos and tests)."""

    def __init__(self, speed: float = 1.0) -> None:
        if not 0 < speed <= 1000:
            raise ValueError(f"speed must be above 0 and at most 1000, not {speed}")
        self.speed = speed
        self._origin = time.monotonic()

    def monotonic(self) -> float:
        return (time.monotonic() - self._origin) * self.speed

    def real_seconds(self, session_seconds: float) -> float:
        return session_seconds / self.speed


class FakeClock:
    """A clock that moves only when told: for tests."""

    def __init__(self, now: float = 0.0) -> None:
        self.now = now

    def monotonic(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class State(StrEnum):
    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"
    QUIT = "quit"


@dataclass(frozen=True, slots=True)
class Cue:
    """A step that began: what to say, and how late it began against the plan."""

    step: Step
    lateness: float


SetDone = Callable[[LoggedSet], None]


class Player:
    def __init__(
        self,
        timeline: Timeline,
        clock: MonotonicClock,
        on_set_done: SetDone,
        on_cue: Callable[[Cue], None] = lambda cue: None,
    ) -> None:
        self.timeline = timeline
        self.clock = clock
        self.on_set_done = on_set_done
        self.on_cue = on_cue
        self.state = State.READY
        self.index = 0
        self._base = 0.0
        self._paused_at = 0.0
        self.worst_lateness = 0.0
        self.sets_done = 0

    # reading ---------------------------------------------------------------------------
    @property
    def steps(self) -> tuple[Step, ...]:
        return self.timeline.steps

    @property
    def current(self) -> Step | None:
        return self.steps[self.index] if self.index < len(self.steps) else None

    def offset(self) -> float:
        """Session time elapsed against the plan (pauses excluded)."""
        now = self._paused_at if self.state is State.PAUSED else self.clock.monotonic()
        return now - self._base

    def remaining_in_step(self) -> float:
        step = self.current
        return max(0.0, step.end - self.offset()) if step else 0.0

    def next_deadline(self) -> float | None:
        """Clock time at which the current step ends, or None when nothing is running."""
        step = self.current
        if self.state is not State.RUNNING or step is None:
            return None
        return self._base + step.end

    def lag(self) -> float:
        """How far the clock is past the planned end of the session (pauses excluded)."""
        return self.clock.monotonic() - (self._base + self.timeline.total_seconds)

    @property
    def done(self) -> bool:
        return self.state in (State.FINISHED, State.QUIT)

    # running -----------------------------------------------------------------------------
    def start(self) -> None:
        self._base = self.clock.monotonic()
        self.state = State.RUNNING
        self._enter(0)

    def poll(self) -> None:
        """Finish every step whose deadline has passed, and begin the one now due. A step's
        cue that pauses or stops the session (a pain answered as the rest after an exercise
        begins) stops it there, however late the poll: no later set is run past it."""
        if self.state is not State.RUNNING:
            return
        offset = self.clock.monotonic() - self._base
        while (
            self.state is State.RUNNING
            and self.index < len(self.steps)
            and offset >= self.steps[self.index].end
        ):
            step = self.steps[self.index]
            if step.ends_set:
                self._record(step, complete=True, offset=offset)
            self._enter(self.index + 1, offset)

    def _enter(self, index: int, offset: float | None = None) -> None:
        self.index = index
        if index >= len(self.steps):
            self.state = State.FINISHED
            return
        step = self.steps[index]
        lateness = 0.0 if offset is None else max(0.0, offset - step.start)
        self.worst_lateness = max(self.worst_lateness, lateness)
        self.on_cue(Cue(step, lateness))

    def _jump(self, index: int) -> None:
        """Make step ``index`` begin now: move the start point, never the steps."""
        now = self.clock.monotonic()
        target = self.steps[index].start if index < len(self.steps) else self.timeline.total_seconds
        self._base = now - target
        if self.state is State.PAUSED:
            self._paused_at = now
        self._enter(index)

    def _record(self, step: Step, *, complete: bool, offset: float) -> None:
        done = set_done(step, completed=complete, seconds_in_step=offset - step.start)
        if done is not None:
            self.sets_done += 1
            self.on_set_done(done)

    # commands ----------------------------------------------------------------------------
    def pause(self) -> None:
        if self.state is State.RUNNING:
            self._paused_at = self.clock.monotonic()
            self.state = State.PAUSED

    def resume(self) -> None:
        if self.state is State.PAUSED:
            self._base += self.clock.monotonic() - self._paused_at
            self.state = State.RUNNING

    def toggle_pause(self) -> None:
        if self.state is State.PAUSED:
            self.resume()
        else:
            self.pause()

    def skip(self) -> None:
        """Skip a rest or get-ready; in the middle of a set, end the set with what was done."""
        step = self.current
        if step is None or self.done:
            return
        if step.is_work:
            self._record(step, complete=False, offset=self.offset())
            end = self._block_end(self.index)
            self._jump(end + 1)
        else:
            self._jump(self.index + 1)

    def repeat_set(self) -> None:
        """Start the current set again — or, during a rest, the set just done."""
        step = self.current
        if step is None or self.done:
            return
        at = self.index
        if step.kind is StepKind.REST and at > 0:
            at -= 1
        self._jump(self._block_start(at))

    def quit(self) -> None:
        self.state = State.QUIT

    def replace_timeline(self, timeline: Timeline) -> None:
        """Carry on with a rebuilt timeline (fewer reps, an easier variant), from its start."""
        self.timeline = timeline
        self._jump(0)

    def _block_start(self, index: int) -> int:
        ref = self.steps[index].set_ref
        while (
            index > 0
            and self.steps[index - 1].set_ref == ref
            and self.steps[index - 1].kind is not StepKind.REST
            and self.steps[index].kind is not StepKind.GET_READY
            and self.steps[index].kind is not StepKind.SWITCH_SIDE
        ):
            index -= 1
        return index

    def _block_end(self, index: int) -> int:
        while index < len(self.steps) - 1 and not self.steps[index].ends_set:
            index += 1
        return index


KeyWait = Callable[[float], "str | None"]
"""Wait up to so many real seconds for a key press; return the key, or None on timeout."""


def drive(
    player: Player,
    clock: RealClock,
    wait: KeyWait,
    on_key: Callable[[str], None] = lambda key: None,
    on_tick: Callable[[], None] = lambda: None,
    refresh: float = 0.1,
) -> None:
    """Run the player to its end: wait for the next deadline (or a key), then poll.

    ``refresh`` caps each wait in real seconds so a display can redraw its countdown.
    """
    if player.state is State.READY:
        player.start()
    while not player.done:
        deadline = player.next_deadline()
        pause = refresh
        if deadline is not None:
            pause = min(refresh, max(0.0, clock.real_seconds(deadline - clock.monotonic())))
        key = wait(pause)
        if key is not None:
            on_key(key)
        player.poll()
        on_tick()
