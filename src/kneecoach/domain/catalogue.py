"""The exercise catalogue: what each exercise is, how it is done and what it needs.

The catalogue is read from data files (``kneecoach/data``) by a loader outside the domain;
here are only the validated shapes and the name matching people rely on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from kneecoach.domain.advice import Advice
from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.evidence import PRODUCT_DEFAULT, Source
from kneecoach.domain.figure import Figure


class Equipment(StrEnum):
    LOW_BENCH = "low-bench"
    DUMBBELLS = "dumbbells"
    RESISTANCE_BAND = "resistance-band"
    WALL = "wall"
    PAD = "pad"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ")


class VariantKind(StrEnum):
    """How a variant differs: the load it adds, or the position it is done in."""

    BODY_WEIGHT = "body-weight"
    WEIGHTED = "weighted"
    STANDING = "standing"
    KNEELING = "kneeling"


@dataclass(frozen=True, slots=True)
class TempoPhase:
    """One beat of a repetition: 'down' for 2 s, 'pause' for 1 s, 'up' for 2 s."""

    name: str
    seconds: float


class RangeKey(StrEnum):
    """How deep a repetition goes: a partial range, or the full range the seed describes."""

    PARTIAL = "partial"
    FULL = "full"


@dataclass(frozen=True, slots=True)
class MotionRange:
    """One range of motion an exercise can be done through, in a runner's words.

    ``text`` is what stands beside the dosage ('partial range: bend to about 45°'); ``cue``
    the line the guided players show mid-set at this range; ``source`` backs both.
    """

    key: RangeKey
    name: str
    text: str
    cue: str
    source: Source


@dataclass(frozen=True, slots=True)
class Variant:
    key: str
    name: str
    kind: VariantKind
    equipment: frozenset[Equipment]
    instructions: tuple[str, ...]
    easier: str | None = None
    """The key of the easier variant to fall back to, if there is one."""
    figure: Figure | None = None
    """Keyframe poses for the animated figure (see domain.figure)."""

    @property
    def takes_load(self) -> bool:
        return self.kind is VariantKind.WEIGHTED


PARTS: tuple[tuple[str, str], ...] = (
    ("purpose", "what it does"),
    ("instructions", "how to do it"),
    ("cue", "the cue"),
    ("variants", "the variants"),
    ("progression", "how to progress"),
    ("cautions", "take care"),
    ("look_for", "what to look for"),
    ("substitutes", "without the equipment"),
    ("tempo", "the tempo"),
)
"""The parts of an exercise a reader sees, each credited to a source, in the words shown."""
PART_NAMES: tuple[str, ...] = tuple(name for name, _ in PARTS)


@dataclass(frozen=True, slots=True)
class Credit:
    """One source and the parts of an exercise it backs, in a reader's words."""

    source: Source
    parts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Exercise:
    key: str
    name: str
    aliases: tuple[str, ...]
    purpose: str
    targets: tuple[str, ...]
    instructions: tuple[str, ...]
    cautions: tuple[str, ...]
    look_for: tuple[str, ...]
    equipment: frozenset[Equipment]
    substitutes: tuple[tuple[Equipment, str], ...]
    variants: tuple[Variant, ...]
    source: Source
    progression: str = ""
    """How the seed says to make it harder, told to the runner beside a body-weight plan."""
    cue: str = ""
    """The one line a runner needs mid-set, shown by the guided players."""
    tempo: tuple[TempoPhase, ...] = ()
    """The beats of one repetition (slow and controlled, as the seed asks); empty for holds."""
    part_sources: tuple[tuple[str, Source], ...] = ()
    """The parts that ``source`` does not back (written by kneecoach, say), with theirs: only
    what a source says is credited to it."""
    ranges: tuple[MotionRange, ...] = ()
    """The ranges of motion the ladder moves through, smallest first; empty for an exercise
    done through one range only."""

    def range_text(self, key: str | None) -> str | None:
        """The words for one of the exercise's ranges, or None when it has none."""
        if not self.ranges:
            return None
        return self.motion_range(key).text if key is not None else self.ranges[-1].text

    @property
    def range_note(self) -> Advice | None:
        """How the ranges are used, for an exercise with more than one (None for the
        others): the smallest range's source backs it, the ordering is a kneecoach default."""
        if len(self.ranges) < 2:
            return None
        return Advice(
            f"An irritable knee starts in the {self.ranges[0].name.lower()}; the depth comes "
            "back before reps, sets or weight are added, and goes first when a session is too "
            "much.",
            (self.ranges[0].source, PRODUCT_DEFAULT),
        )

    def motion_range(self, key: str) -> MotionRange:
        for motion in self.ranges:
            if motion.key == key:
                return motion
        raise KeyError(f"{self.key} has no range {key!r}")

    def source_of(self, part: str) -> Source:
        """The source of one part of the exercise (see ``PARTS``)."""
        if part not in PART_NAMES:
            raise KeyError(f"an exercise has no part {part!r}")
        return dict(self.part_sources).get(part, self.source)

    @property
    def credits(self) -> tuple[Credit, ...]:
        """Each source with the parts it backs, in the order the parts are shown; parts this
        exercise lacks (no progression, no tempo for a hold) are left out."""
        present = {
            "progression": bool(self.progression),
            "cautions": bool(self.cautions),
            "look_for": bool(self.look_for),
            "substitutes": bool(self.substitutes),
            "tempo": bool(self.tempo),
        }
        grouped: dict[str, tuple[Source, list[str]]] = {}
        for part, words in PARTS:
            if present.get(part, True):
                source = self.source_of(part)
                grouped.setdefault(source.key, (source, []))[1].append(words)
        return tuple(Credit(source, tuple(parts)) for source, parts in grouped.values())

    @property
    def held(self) -> bool:
        """Whether it is done as a hold (seconds held), not in repetitions: a hold has no
        tempo of beats."""
        return not self.tempo

    @property
    def rep_seconds(self) -> float:
        return sum(phase.seconds for phase in self.tempo)

    def variant(self, key: str) -> Variant:
        for variant in self.variants:
            if variant.key == key:
                return variant
        raise KeyError(f"{self.key} has no variant {key!r}")

    def chosen_variant(self, key: str | None) -> Variant:
        """The variant named by ``key``, or the first when none is named."""
        if key is None:
            return self.variants[0]
        for variant in self.variants:
            if variant.key == key:
                return variant
        choices = ", ".join(v.key for v in self.variants)
        raise InvalidInput(f"{self.name} has no variant '{key}': choose from {choices}")

    def substitute_for(self, item: Equipment) -> str | None:
        for equipment, text in self.substitutes:
            if equipment is item:
                return text
        return None

    @property
    def has_weighted_variant(self) -> bool:
        return any(v.takes_load for v in self.variants)


def normalise_name(text: str) -> str:
    """Fold case, hyphens, underscores and apostrophes so 'Bulgarian_Split-squat' matches."""
    return re.sub(r"[\s\-_'’]+", " ", text.strip().lower()).strip()


class UnknownExercise(InvalidInput):
    def __init__(self, query: str, candidates: tuple[str, ...]) -> None:
        self.query = query
        self.candidates = candidates
        if candidates:
            detail = f"'{query}' matches several exercises: {', '.join(candidates)}"
        else:
            detail = f"no exercise matches '{query}'"
        super().__init__(detail)


@dataclass(frozen=True, slots=True)
class Catalogue:
    exercises: tuple[Exercise, ...]

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self.exercises)

    def __len__(self) -> int:
        return len(self.exercises)

    def get(self, key: str) -> Exercise:
        for exercise in self.exercises:
            if exercise.key == key:
                return exercise
        raise UnknownExercise(key, ())

    def find(self, query: str) -> Exercise:
        """Find an exercise the way a person types it: any case, spaces or hyphens, a prefix,
        an alias, or the words' initials ('bss')."""
        wanted = normalise_name(query)
        if not wanted:
            raise UnknownExercise(query, ())
        names = {e.key: [normalise_name(n) for n in (e.key, e.name, *e.aliases)] for e in self}
        compact = wanted.replace(" ", "")
        exact = [k for k, ns in names.items() if compact in {n.replace(" ", "") for n in ns}]
        if exact:
            return self.get(exact[0])
        prefixed = [
            k
            for k, ns in names.items()
            if any(n.startswith(wanted) or n.replace(" ", "").startswith(compact) for n in ns)
        ]
        if len(prefixed) == 1:
            return self.get(prefixed[0])
        if not prefixed:
            words = wanted.split()
            prefixed = [
                k
                for k, ns in names.items()
                if any(_words_start_with(n.split(), words) for n in ns)
                or any("".join(w[0] for w in n.split()) == wanted.replace(" ", "") for n in ns)
            ]
            if len(prefixed) == 1:
                return self.get(prefixed[0])
        raise UnknownExercise(query, tuple(prefixed))


def _words_start_with(name_words: list[str], query_words: list[str]) -> bool:
    """True when every query word is the prefix of a name word, in order ('split sq')."""
    position = 0
    for query_word in query_words:
        while position < len(name_words) and not name_words[position].startswith(query_word):
            position += 1
        if position == len(name_words):
            return False
        position += 1
    return True
