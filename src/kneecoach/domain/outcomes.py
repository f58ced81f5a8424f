"""The Kujala Anterior Knee Pain Scale (AKPS): 13 items, scored 0–100, higher is better.

Items, options and points as tabulated in J Orthop 2023;42:54-62 for Kujala et al.,
Arthroscopy 1993;9(2):159-163. A change of 10 points is the minimal clinically important
difference (Crossley et al., Arch Phys Med Rehabil 2004;85:815-822).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from kneecoach.domain.advice import Advice
from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.evidence import CROSSLEY_2004, KUJALA_1993, PRODUCT_DEFAULT, Source
from kneecoach.domain.scales import ScaleBand

MCID = 10
"""Minimal clinically important difference of the AKPS, in points."""

SCORING: tuple[Source, ...] = (KUJALA_1993,)
"""The scale: its items, options and points."""
SOURCES: tuple[Source, ...] = (*SCORING, CROSSLEY_2004)
"""The scale and its scoring, and what size of change matters."""

REVIEW_BY_WEEK = 6
"""kneecoach default (built on the MCID): no gain of the MCID by this week of the program
calls for a clinician to review the plan."""

DEFAULT_EVERY_DAYS = 7
"""kneecoach default: the AKPS falls due weekly (KNEECOACH_AKPS_EVERY_DAYS changes it)."""


@dataclass(frozen=True, slots=True)
class Option:
    text: str
    points: int


@dataclass(frozen=True, slots=True)
class Item:
    number: int
    name: str
    options: tuple[Option, ...]

    @property
    def maximum(self) -> int:
        return max(option.points for option in self.options)


def _item(number: int, name: str, *options: tuple[str, int]) -> Item:
    return Item(number, name, tuple(Option(text, points) for text, points in options))


ITEMS: tuple[Item, ...] = (
    _item(1, "Limp", ("None", 5), ("Slight or periodical", 3), ("Constant", 0)),
    _item(
        2,
        "Support",
        ("Full support without pain", 5),
        ("Painful", 3),
        ("Weight-bearing impossible", 0),
    ),
    _item(
        3,
        "Walking",
        ("Unlimited", 5),
        ("More than 2 km", 3),
        ("1-2 km", 2),
        ("Unable", 0),
    ),
    _item(
        4,
        "Stairs",
        ("No difficulty", 10),
        ("Slight pain when descending", 8),
        ("Pain both when descending and ascending", 5),
        ("Unable", 0),
    ),
    _item(
        5,
        "Squatting",
        ("No difficulty", 5),
        ("Repeated squatting painful", 4),
        ("Painful each time", 3),
        ("Possible with partial weight bearing", 2),
        ("Unable", 0),
    ),
    _item(
        6,
        "Running",
        ("No difficulty", 10),
        ("Pain after more than 2 km", 8),
        ("Slight pain from start", 6),
        ("Severe pain", 3),
        ("Unable", 0),
    ),
    _item(
        7,
        "Jumping",
        ("No difficulty", 10),
        ("Slight difficulty", 7),
        ("Constant pain", 2),
        ("Unable", 0),
    ),
    _item(
        8,
        "Prolonged sitting with knees flexed",
        ("No difficulty", 10),
        ("Pain after exercise", 8),
        ("Constant pain", 6),
        ("Pain forces to extend knees temporarily", 4),
        ("Unable", 0),
    ),
    _item(
        9,
        "Pain",
        ("None", 10),
        ("Slight and occasional", 8),
        ("Interferes with sleep", 6),
        ("Occasionally severe", 3),
        ("Constant and severe", 0),
    ),
    _item(
        10,
        "Swelling",
        ("None", 10),
        ("After severe exertion", 8),
        ("After daily activities", 6),
        ("Every evening", 4),
        ("Constant", 0),
    ),
    _item(
        11,
        "Abnormal painful kneecap (patellar) movements",
        ("None", 10),
        ("Occasionally in sports activities", 6),
        ("Occasionally in daily activities", 4),
        ("At least one documented dislocation", 2),
        ("More than two dislocations", 0),
    ),
    _item(12, "Atrophy of thigh", ("None", 5), ("Slight", 3), ("Severe", 0)),
    _item(13, "Flexion deficiency", ("None", 5), ("Slight", 3), ("Severe", 0)),
)


SCORE_MAX = sum(item.maximum for item in ITEMS)
"""The best AKPS total: 100."""


@dataclass(frozen=True, slots=True)
class AkpsResult:
    """One completed questionnaire: the option chosen per item (1-based) and the score."""

    taken_on: dt.date
    answers: tuple[int, ...]

    def __post_init__(self) -> None:
        check_answers(self.answers)

    @property
    def score(self) -> int:
        return score(self.answers)

    @property
    def item_points(self) -> tuple[int, ...]:
        return tuple(
            item.options[a - 1].points for item, a in zip(ITEMS, self.answers, strict=True)
        )


def check_answers(answers: Sequence[int]) -> tuple[int, ...]:
    """Thirteen option numbers, each one that its item offers."""
    if len(answers) != len(ITEMS):
        raise InvalidInput(f"the AKPS has {len(ITEMS)} items; {len(answers)} answers were given")
    for item, answer in zip(ITEMS, answers, strict=True):
        if isinstance(answer, bool) or not isinstance(answer, int):
            raise InvalidInput(f"item {item.number} ({item.name}): answers are option numbers")
        if not 1 <= answer <= len(item.options):
            raise InvalidInput(
                f"item {item.number} ({item.name}) has options 1 to {len(item.options)}, "
                f"not {answer}"
            )
    return tuple(answers)


DISLOCATION_ITEM = 11
"""Abnormal painful kneecap movements: its options of a documented dislocation or more are a
red flag (a kneecap that has dislocated, evidence.md §7)."""


def reports_dislocation(answers: Sequence[int]) -> bool:
    """Whether the answers report at least one documented kneecap dislocation."""
    check_answers(answers)
    item = ITEMS[DISLOCATION_ITEM - 1]
    return "dislocation" in item.options[answers[DISLOCATION_ITEM - 1] - 1].text.lower()


def score(answers: Sequence[int]) -> int:
    """The AKPS total, 0 to 100."""
    check_answers(answers)
    return sum(item.options[a - 1].points for item, a in zip(ITEMS, answers, strict=True))


@dataclass(frozen=True, slots=True)
class AkpsChange:
    baseline: AkpsResult
    latest: AkpsResult

    @property
    def points(self) -> int:
        return self.latest.score - self.baseline.score

    @property
    def meaningful(self) -> bool:
        """At least the minimal clinically important difference (either way)."""
        return abs(self.points) >= MCID

    def explain(self) -> str:
        direction = "better" if self.points > 0 else "worse"
        if self.points == 0:
            return "No change since the first AKPS."
        verdict = (
            f"a change that matters (at least {MCID} points)"
            if self.meaningful
            else f"less than the {MCID} points that make a change that matters"
        )
        return f"{abs(self.points)} points {direction} since the first AKPS: {verdict}."


def guidance(found: AkpsChange | None) -> Advice:
    """The change since the first AKPS in words, judged against the MCID; before there are
    two results, what size of change will matter (Crossley 2004)."""
    if found is None:
        return Advice(
            f"A change of {MCID} points or more from the first AKPS is one that matters.",
            (CROSSLEY_2004,),
        )
    return Advice(found.explain(), (CROSSLEY_2004,))


def worse_by_mcid(found: AkpsChange | None) -> bool:
    """The AKPS is worse than the first result by at least the MCID (Crossley 2004): a
    change that matters, for the worse."""
    return found is not None and found.points <= -MCID


def referral(found: AkpsChange | None, program_start: dt.date) -> Advice | None:
    """When the AKPS calls for a clinician (kneecoach defaults built on the MCID):

    - worse by at least the MCID from the first result: see a clinician;
    - a latest result in week 6 of the program or later without a gain of the MCID: ask a
      clinician to review the plan.

    None while neither applies, or with fewer than two results to compare.
    """
    if found is None:
        return None
    if worse_by_mcid(found):
        return Advice(
            f"The AKPS is {-found.points} points worse than the first, at least the {MCID} "
            "points of a change that matters: a clinician should take a look.",
            (CROSSLEY_2004, PRODUCT_DEFAULT),
        )
    week = (found.latest.taken_on - program_start).days // 7 + 1
    if week >= REVIEW_BY_WEEK and found.points < MCID:
        return Advice(
            f"No gain of {MCID} points in the AKPS by week {REVIEW_BY_WEEK} of the program: "
            "a clinician should review the plan.",
            (CROSSLEY_2004, PRODUCT_DEFAULT),
        )
    return None


def mcid_band(first: int) -> ScaleBand:
    """Scores less than the MCID away from the first: a move within it is not yet a change
    that matters (Crossley 2004). What an AKPS chart shades."""
    return ScaleBand(
        max(0, first - MCID),
        min(SCORE_MAX, first + MCID),
        f"within the {MCID}-point MCID of the first score",
        (CROSSLEY_2004,),
    )


def one_a_day(results: Sequence[AkpsResult]) -> list[AkpsResult]:
    """The results by day, oldest first, one a day: of two taken the same day the later (in
    the order given) replaces the earlier. A retake corrects the day's answers; a change is
    never computed between them (kneecoach default, evidence.md §11)."""
    by_day = {result.taken_on: result for result in results}
    return [by_day[day] for day in sorted(by_day)]


def change(results: Sequence[AkpsResult]) -> AkpsChange | None:
    """From the first day's result to the latest day's; None with fewer than two days."""
    kept = one_a_day(results)
    if len(kept) < 2:
        return None
    return AkpsChange(kept[0], kept[-1])


def next_due(last_taken: dt.date | None, every_days: int, program_start: dt.date) -> dt.date:
    """When the AKPS falls due: ``every_days`` after the last one taken. The first is due
    from the day the program starts: it is the baseline every later score is compared with,
    and it stays due until it is taken."""
    if last_taken is None:
        return program_start
    return last_taken + dt.timedelta(days=every_days)
