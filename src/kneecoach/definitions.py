"""Load the exercise catalogue and programs from their TOML data files, validated.

The files live in ``kneecoach/data`` (one exercise a file under ``exercises/``, one program a
file under ``programs/``), so a clinician can read and change them without touching code.
The schema is the set of ``_Fields`` reads below: every field is typed, required unless it
has a default, and unknown fields are refused, so a typo is an error rather than a silent
no-op. Any problem names the file, the field and what is wrong.

Exercise file fields: key, name, aliases[], purpose, cue, tempo[{phase, seconds}] (empty for
holds), targets[], equipment[], instructions[], cautions[], look_for[], progression?,
substitutes[{equipment, text}], variants[{key, name, kind, equipment[], instructions[],
easier?}], source? (default "seed"), part_sources? (a table from a part — purpose,
instructions, cue, variants, progression, cautions, look_for, substitutes, tempo — to the key
of the source that backs it when ``source`` does not, e.g. ``cautions = "product-default"``
for advice kneecoach wrote), ranges? ([{key, name, text, cue, source}], smallest first: the
ranges of motion the ladder moves through, keys "partial" then "full"; an irritable knee
starts in the first, and a step moves depth before load both ways).

Program file fields: key, name, summary, weeks, sessions_per_week, sources[], length_source,
rest_source, phases[{name, first_week, last_week, summary}], exercises[{exercise, variant,
sets, reps | hold_seconds, per_side, rest_seconds, load_kg?, range? (one of the exercise's
ranges; its fullest when left out), ladder{amounts[], max_sets}}].
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from typing import TYPE_CHECKING, Any

from kneecoach.domain.catalogue import (
    PART_NAMES,
    Catalogue,
    Equipment,
    Exercise,
    MotionRange,
    RangeKey,
    TempoPhase,
    UnknownExercise,
    Variant,
    VariantKind,
)
from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.evidence import Source, source_by_key
from kneecoach.domain.figure import ANGLE_NAMES, Figure, Keyframe
from kneecoach.domain.prescription import Dosage, Phase, Prescription, Program
from kneecoach.domain.progression import Ladder

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

DEFAULT_PROGRAM = "runners-knee"


class DefinitionError(InvalidInput):
    """A data file that does not follow the schema."""


class _Fields:
    """Typed reads from one TOML table, remembering where it is for error messages."""

    def __init__(self, table: Any, file: str, path: str) -> None:
        if not isinstance(table, dict):
            raise DefinitionError(f"{file}: {path or 'top level'}: expected a table")
        self._table: dict[str, Any] = table
        self._file = file
        self._path = path
        self._used: set[str] = set()

    def _where(self, field: str) -> str:
        return f"{self._file}: {self._path + '.' if self._path else ''}{field}"

    def fail(self, field: str, problem: str) -> DefinitionError:
        return DefinitionError(f"{self._where(field)}: {problem}")

    def _get(self, field: str, default: Any = ...) -> Any:
        self._used.add(field)
        if field not in self._table:
            if default is ...:
                raise self.fail(field, "is required but missing")
            return default
        return self._table[field]

    def has(self, field: str) -> bool:
        return field in self._table

    def text(self, field: str, default: Any = ...) -> str:
        value = self._get(field, default)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(field, f"expected non-empty text, got {value!r}")
        return value.strip()

    def optional_text(self, field: str) -> str | None:
        return self.text(field) if self.has(field) else self._get(field, None)

    def integer(self, field: str, low: int, high: int, default: Any = ...) -> int:
        value = self._get(field, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(field, f"expected a whole number, got {value!r}")
        if not low <= value <= high:
            raise self.fail(field, f"must be from {low} to {high}, got {value}")
        return value

    def number(self, field: str, low: float, high: float, default: Any = ...) -> float:
        value = self._get(field, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(field, f"expected a number, got {value!r}")
        if not low <= value <= high:
            raise self.fail(field, f"must be from {low:g} to {high:g}, got {value:g}")
        return float(value)

    def boolean(self, field: str) -> bool:
        value = self._get(field)
        if not isinstance(value, bool):
            raise self.fail(field, f"expected true or false, got {value!r}")
        return value

    def texts(self, field: str, default: Any = ...) -> tuple[str, ...]:
        value = self._get(field, default)
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(field, f"expected a list of text, got {value!r}")
        return tuple(v.strip() for v in value)

    def equipment(self, field: str) -> frozenset[Equipment]:
        return frozenset(self.equipment_item(field, name) for name in self.texts(field))

    def equipment_item(self, field: str, name: str) -> Equipment:
        try:
            return Equipment(name)
        except ValueError:
            known = ", ".join(e.value for e in Equipment)
            raise self.fail(field, f"unknown equipment '{name}' (known: {known})") from None

    def source(self, field: str, default: Any = ...) -> Source:
        key = self.text(field, default)
        try:
            return source_by_key(key)
        except KeyError:
            raise self.fail(field, f"unknown source '{key}'") from None

    def table(self, field: str) -> _Fields:
        prefix = f"{self._path}." if self._path else ""
        return _Fields(self._get(field), self._file, f"{prefix}{field}")

    def integer_list(self, field: str, low: int, high: int) -> list[int]:
        value = self._get(field)
        if (
            not isinstance(value, list)
            or not value
            or not all(
                isinstance(v, int) and not isinstance(v, bool) and low <= v <= high for v in value
            )
        ):
            raise self.fail(field, f"expected a list of whole numbers from {low} to {high}")
        return value

    def tables(self, field: str, default: Any = ...) -> list[_Fields]:
        value = self._get(field, default)
        if not isinstance(value, list):
            raise self.fail(field, "expected a list of tables")
        prefix = f"{self._path}." if self._path else ""
        return [_Fields(item, self._file, f"{prefix}{field}[{i}]") for i, item in enumerate(value)]

    def done(self) -> None:
        unknown = sorted(set(self._table) - self._used)
        if unknown:
            raise self.fail(unknown[0], "is not a known field (a typo?)")


def _read_toml(path: Traversable, label: str) -> _Fields:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise DefinitionError(f"{label}: not valid TOML: {error}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise DefinitionError(f"{label}: cannot be read: {error}") from None
    return _Fields(data, label, "")


def parse_exercise(fields: _Fields) -> Exercise:
    variants: list[Variant] = []
    for table in fields.tables("variants"):
        try:
            kind = VariantKind(table.text("kind"))
        except ValueError:
            known = ", ".join(k.value for k in VariantKind)
            raise table.fail("kind", f"must be one of {known}") from None
        variants.append(
            Variant(
                key=table.text("key"),
                name=table.text("name"),
                kind=kind,
                equipment=table.equipment("equipment"),
                instructions=table.texts("instructions", []),
                easier=table.optional_text("easier"),
                figure=_figure(table.table("figure")) if table.has("figure") else None,
            )
        )
        table.done()
    if not variants:
        raise fields.fail("variants", "an exercise needs at least one variant")
    keys = [v.key for v in variants]
    for i, variant in enumerate(variants):
        if keys.count(variant.key) > 1:
            raise fields.fail(f"variants[{i}].key", f"'{variant.key}' is used twice")
        if variant.easier is not None and variant.easier not in keys:
            raise fields.fail(f"variants[{i}].easier", f"no variant '{variant.easier}'")
    substitutes = []
    for table in fields.tables("substitutes", []):
        substitutes.append(
            (table.equipment_item("equipment", table.text("equipment")), table.text("text"))
        )
        table.done()
    exercise = Exercise(
        key=fields.text("key"),
        name=fields.text("name"),
        aliases=fields.texts("aliases", []),
        purpose=fields.text("purpose"),
        targets=fields.texts("targets"),
        instructions=fields.texts("instructions"),
        cautions=fields.texts("cautions", []),
        look_for=fields.texts("look_for", []),
        equipment=fields.equipment("equipment"),
        substitutes=tuple(substitutes),
        variants=tuple(variants),
        source=fields.source("source", "seed"),
        part_sources=_part_sources(fields),
        progression=fields.text("progression") if fields.has("progression") else "",
        cue=fields.text("cue"),
        tempo=_tempo(fields),
        ranges=_ranges(fields),
    )
    fields.done()
    return exercise


def _ranges(fields: _Fields) -> tuple[MotionRange, ...]:
    """The ranges of motion, smallest first: none, or a partial range then the full one."""
    ranges: list[MotionRange] = []
    for table in fields.tables("ranges", []):
        key = table.text("key")
        try:
            kind = RangeKey(key)
        except ValueError:
            known = ", ".join(k.value for k in RangeKey)
            raise table.fail("key", f"'{key}' is not a range (known: {known})") from None
        ranges.append(
            MotionRange(
                key=kind,
                name=table.text("name"),
                text=table.text("text"),
                cue=table.text("cue"),
                source=table.source("source"),
            )
        )
        table.done()
    if ranges and [r.key for r in ranges] != list(RangeKey):
        order = ", ".join(k.value for k in RangeKey)
        raise fields.fail("ranges", f"must list each range once, smallest first: {order}")
    return tuple(ranges)


def _part_sources(fields: _Fields) -> tuple[tuple[str, Source], ...]:
    """The parts backed by another source than the exercise's own, from ``[part_sources]``."""
    if not fields.has("part_sources"):
        return ()
    table = fields.table("part_sources")
    found = tuple((part, table.source(part)) for part in PART_NAMES if table.has(part))
    table.done()
    return found


def _point(fields: _Fields, name: str, value: Any) -> tuple[float, float]:
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    ):
        raise fields.fail(name, f"expected [x, y], got {value!r}")
    return float(value[0]), float(value[1])


def _figure(fields: _Fields) -> Figure:
    """Keyframe poses; the first keyframe names every angle, later ones what changes."""
    view = fields.text("view")
    if view not in ("side", "front"):
        raise fields.fail("view", "must be side or front")
    anchor = fields.text("anchor")
    if anchor not in (
        "shoulder",
        *(f"{s}_{j}" for s in ("near", "far") for j in ("ankle", "toe", "knee")),
    ):
        raise fields.fail("anchor", f"'{anchor}' is not a joint that can be pinned")
    keyframes = []
    known: set[str] = set()
    for index, table in enumerate(fields.tables("keyframes")):
        angles = table._get("angles")
        if not isinstance(angles, dict) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in angles.values()
        ):
            raise table.fail("angles", "expected a table of angles in degrees")
        unknown = sorted(set(angles) - set(ANGLE_NAMES))
        if unknown:
            raise table.fail(f"angles.{unknown[0]}", "is not a body segment")
        known |= set(angles)
        if index == 0 and known != set(ANGLE_NAMES):
            missing = sorted(set(ANGLE_NAMES) - known)[0]
            raise table.fail(f"angles.{missing}", "the first keyframe must give every angle")
        targets = table._get("targets", {})
        if not isinstance(targets, dict) or not set(targets) <= {
            "near_ankle",
            "far_ankle",
            "near_hand",
            "far_hand",
        }:
            raise table.fail("targets", "only ankles and hands can be placed")
        bends = table._get("bends", {})
        if not isinstance(bends, dict) or not all(v in (-1, 1) for v in bends.values()):
            raise table.fail("bends", "bends are -1 or 1")
        depth = table._get("depth", {})
        if (
            not isinstance(depth, dict)
            or not set(depth) <= set(ANGLE_NAMES)
            or not all(
                isinstance(v, int | float) and not isinstance(v, bool) and -80 <= v <= 80
                for v in depth.values()
            )
        ):
            raise table.fail("depth", "segments turned out of the picture by -80 to 80 degrees")
        keyframes.append(
            Keyframe(
                at=table.number("at", 0, 1),
                angles={k: float(v) for k, v in angles.items()},
                targets={k: _point(table, f"targets.{k}", v) for k, v in targets.items()},
                bends=dict(bends),
                depth={k: float(v) for k, v in depth.items()},
            )
        )
        table.done()
    if [k.at for k in keyframes] != sorted(k.at for k in keyframes) or len(keyframes) < 2:
        raise fields.fail("keyframes", "need two or more, in order of time")
    bench = fields._get("bench", [0.0, 0.0, 0.30])
    if (
        not isinstance(bench, list)
        or len(bench) != 3
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in bench)
    ):
        raise fields.fail("bench", "expected [left, right, height]")
    figure = Figure(
        view=view,
        anchor=anchor,
        anchor_at=_point(fields, "anchor_at", fields._get("anchor_at")),
        keyframes=tuple(keyframes),
        props=fields.texts("props", []),
        bench=(float(bench[0]), float(bench[1]), float(bench[2])),
        wall_x=fields.number("wall_x", -5, 5, 0.0),
        pad=_point(fields, "pad", fields._get("pad", [0.0, 0.0])),
        load_hand=fields.optional_text("load_hand"),
        working=fields.optional_text("working") or "near",
    )
    if figure.working not in ("near", "far"):
        raise fields.fail("working", "must be near or far")
    fields.done()
    return figure


def _tempo(fields: _Fields) -> tuple[TempoPhase, ...]:
    phases = []
    for table in fields.tables("tempo", []):
        phases.append(TempoPhase(table.text("phase"), table.number("seconds", 0.25, 30)))
        table.done()
    return tuple(phases)


def parse_program(fields: _Fields, catalogue: Catalogue) -> Program:
    prescriptions: list[Prescription] = []
    ladders: dict[str, Ladder] = {}
    for table in fields.tables("exercises"):
        exercise_key = table.text("exercise")
        try:
            exercise = catalogue.get(exercise_key)
        except UnknownExercise:
            raise table.fail("exercise", f"no exercise '{exercise_key}' in the catalogue") from None
        variant_key = table.text("variant")
        if variant_key not in {v.key for v in exercise.variants}:
            raise table.fail("variant", f"{exercise_key} has no variant '{variant_key}'")
        if table.has("reps") == table.has("hold_seconds"):
            raise table.fail("reps", "give exactly one of reps and hold_seconds")
        if table.has("reps") and not exercise.tempo:
            raise table.fail("reps", f"{exercise_key} has no tempo to time its reps by")
        dosage = Dosage(
            sets=table.integer("sets", 1, 20),
            reps=table.integer("reps", 1, 200) if table.has("reps") else None,
            hold_seconds=table.integer("hold_seconds", 1, 600)
            if table.has("hold_seconds")
            else None,
            per_side=table.boolean("per_side"),
        )
        ladders[exercise_key] = _ladder(table, exercise, dosage)
        prescriptions.append(
            Prescription(
                exercise=exercise_key,
                variant=variant_key,
                dosage=dosage,
                rest_seconds=table.integer("rest_seconds", 0, 600),
                load_kg=table.number("load_kg", 0, 200, 0.0),
                range=_prescribed_range(table, exercise),
            )
        )
        table.done()
    if not prescriptions:
        raise fields.fail("exercises", "a program needs at least one exercise")
    program = Program(
        key=fields.text("key"),
        name=fields.text("name"),
        summary=fields.text("summary"),
        weeks=fields.integer("weeks", 1, 104),
        sessions_per_week=fields.integer("sessions_per_week", 1, 7),
        prescriptions=tuple(prescriptions),
        sources=tuple(_sources(fields, "sources")),
        length_source=fields.source("length_source"),
        rest_source=fields.source("rest_source"),
        ladders=ladders,
        phases=_phases(fields),
    )
    fields.done()
    return program


def _phases(fields: _Fields) -> tuple[Phase, ...]:
    phases: list[Phase] = []
    for table in fields.tables("phases", []):
        phase = Phase(
            name=table.text("name"),
            first_week=table.integer("first_week", 1, 104),
            last_week=table.integer("last_week", 1, 104),
            summary=table.text("summary"),
        )
        if phase.last_week < phase.first_week:
            raise table.fail("last_week", "comes before first_week")
        if phases and phase.first_week != phases[-1].last_week + 1:
            raise table.fail("first_week", "must follow the previous phase's last week")
        table.done()
        phases.append(phase)
    return tuple(phases)


def _ladder(table: _Fields, exercise: Exercise, dosage: Dosage) -> Ladder:
    """The exercise's ladder: its amounts must climb and include the prescribed one."""
    ladder = table.table("ladder")
    amounts = tuple(ladder.integer_list("amounts", 1, 600))
    if list(amounts) != sorted(set(amounts)):
        raise ladder.fail("amounts", "must climb, each step larger than the one before")
    prescribed = dosage.hold_seconds if dosage.hold_seconds is not None else dosage.reps
    if prescribed not in amounts:
        raise ladder.fail("amounts", f"must include the prescribed {prescribed}")
    max_sets = ladder.integer("max_sets", dosage.sets, 10)
    ladder.done()
    variants = _easy_to_hard(exercise)
    weighted = next((v.key for v in exercise.variants if v.takes_load), None)
    return Ladder(
        exercise.key,
        variants,
        weighted,
        amounts,
        max_sets,
        dosage.is_hold,
        ranges=tuple(r.key.value for r in exercise.ranges),
    )


def _prescribed_range(table: _Fields, exercise: Exercise) -> str | None:
    """The range an exercise is prescribed at: one of its ranges, the fullest by default."""
    keys = [r.key.value for r in exercise.ranges]
    if not table.has("range"):
        table.optional_text("range")
        return keys[-1] if keys else None
    key = table.text("range")
    if not keys:
        raise table.fail("range", f"{exercise.key} is done through one range only")
    if key not in keys:
        raise table.fail("range", f"{exercise.key} has no range '{key}' (it has {', '.join(keys)})")
    return key


def _easy_to_hard(exercise: Exercise) -> tuple[str, ...]:
    """Variants without load, ordered by their 'easier' links, easiest first."""
    plain = [v for v in exercise.variants if not v.takes_load]
    order: list[str] = []
    remaining = {v.key: v for v in plain}
    while remaining:
        easiest = next(
            k for k, v in remaining.items() if v.easier is None or v.easier not in remaining
        )
        order.append(easiest)
        del remaining[easiest]
    return tuple(order)


def _sources(fields: _Fields, field: str) -> list[Source]:
    sources = []
    for key in fields.texts(field):
        try:
            sources.append(source_by_key(key))
        except KeyError:
            raise fields.fail(field, f"unknown source '{key}'") from None
    return sources


def _data_dir() -> Traversable:
    return resources.files("kneecoach") / "data"


def load_catalogue_from(directory: Traversable) -> Catalogue:
    """Every ``*.toml`` under ``directory``, in file-name order (the display order)."""
    files = sorted(
        (f for f in directory.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name
    )
    exercises = [parse_exercise(_read_toml(f, f"exercises/{f.name}")) for f in files]
    seen: set[str] = set()
    for exercise, file in zip(exercises, files, strict=True):
        if exercise.key in seen:
            raise DefinitionError(f"exercises/{file.name}: key: '{exercise.key}' is used twice")
        seen.add(exercise.key)
    return Catalogue(tuple(exercises))


def load_program_from(file: Traversable, catalogue: Catalogue) -> Program:
    return parse_program(_read_toml(file, f"programs/{file.name}"), catalogue)


@functools.cache
def catalogue() -> Catalogue:
    """The built-in exercise catalogue."""
    return load_catalogue_from(_data_dir() / "exercises")


@functools.cache
def program(key: str = DEFAULT_PROGRAM) -> Program:
    """A built-in program by key."""
    file = _data_dir() / "programs" / f"{key}.toml"
    if not file.is_file():
        raise DefinitionError(f"no built-in program '{key}'")
    return load_program_from(file, catalogue())
