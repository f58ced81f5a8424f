"""A malformed data file fails with the file, the field and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from kneecoach import definitions
from kneecoach.definitions import DefinitionError, load_catalogue_from, load_program_from

pytestmark = pytest.mark.own_dates

DATA = Path(definitions.__file__).with_name("data")


@pytest.fixture
def exercises_dir(tmp_path):
    folder = tmp_path / "exercises"
    folder.mkdir()
    for file in (DATA / "exercises").glob("*.toml"):
        (folder / file.name).write_text(file.read_text())
    return folder


def _edit(folder: Path, name: str, old: str, new: str) -> None:
    file = folder / name
    text = file.read_text()
    assert old in text
    file.write_text(text.replace(old, new, 1))


def _error(folder: Path) -> str:
    with pytest.raises(DefinitionError) as error:
        load_catalogue_from(folder)
    return str(error.value)


def test_the_built_in_files_load(exercises_dir):
    assert len(load_catalogue_from(exercises_dir)) == 6


def test_a_missing_field_is_named(exercises_dir):
    _edit(exercises_dir, "1-roll-down.toml", 'name = "Roll down"\n', "")
    assert _error(exercises_dir) == "exercises/1-roll-down.toml: name: is required but missing"


def test_a_wrongly_typed_field_is_named(exercises_dir):
    _edit(exercises_dir, "3-fire-hydrant.toml", 'targets = ["gluteus medius", ', "targets = [3, ")
    message = _error(exercises_dir)
    assert message.startswith("exercises/3-fire-hydrant.toml: targets: expected a list of text")


def test_an_unknown_field_is_refused_as_a_typo(exercises_dir):
    _edit(exercises_dir, "1-roll-down.toml", "aliases =", "alias =")
    assert "alias: is not a known field" in _error(exercises_dir)


def test_unknown_equipment_is_named_inside_a_variant(exercises_dir):
    _edit(
        exercises_dir,
        "4-bent-knee-heel-raise.toml",
        'equipment = ["wall", "dumbbells"]',
        'equipment = ["wall", "kettlebell"]',
    )
    message = _error(exercises_dir)
    assert "4-bent-knee-heel-raise.toml: variants[1].equipment: unknown equipment 'kettlebell'" in (
        message
    )


def test_an_easier_variant_must_exist(exercises_dir):
    _edit(exercises_dir, "3-fire-hydrant.toml", 'easier = "kneeling"', 'easier = "lying"')
    assert "variants[0].easier: no variant 'lying'" in _error(exercises_dir)


def test_invalid_toml_names_the_file(exercises_dir):
    (exercises_dir / "9-broken.toml").write_text("key = \n")
    assert _error(exercises_dir).startswith("exercises/9-broken.toml: not valid TOML")


def test_a_key_used_twice_is_refused(exercises_dir):
    text = (exercises_dir / "1-roll-down.toml").read_text()
    (exercises_dir / "7-copy.toml").write_text(text)
    assert "7-copy.toml: key: 'roll-down' is used twice" in _error(exercises_dir)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('exercise = "roll-down"', 'exercise = "plank"', "exercises[0].exercise: no exercise"),
        ('variant = "standing"', 'variant = "lying"', "exercises[2].variant: fire-hydrant has no"),
        ("reps = 10\n", "reps = 10\nhold_seconds = 5\n", "exercises[0].reps: give exactly one"),
        ("sets = 1\n", "sets = 0\n", "exercises[0].sets: must be from 1 to 20, got 0"),
        ("weeks = 12", 'weeks = "twelve"', "weeks: expected a whole number"),
        ('sources = ["seed"', 'sources = ["blog"', "sources: unknown source 'blog'"),
    ],
)
def test_program_errors_name_the_field(tmp_path, old, new, expected):
    text = (DATA / "programs" / "runners-knee.toml").read_text()
    assert old in text
    file = tmp_path / "runners-knee.toml"
    file.write_text(text.replace(old, new, 1))
    with pytest.raises(DefinitionError) as error:
        load_program_from(file, definitions.catalogue())
    assert str(error.value).startswith("programs/runners-knee.toml: ")
    assert expected in str(error.value)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('view = "side"', 'view = "top"', "variants[0].figure.view: must be side or front"),
        ('anchor = "near_ankle"', 'anchor = "elbow"', "figure.anchor: 'elbow' is not a joint"),
        ("at = 0.375", "at = 1.5", "figure.keyframes[1].at: must be from 0 to 1"),
        ("trunk = 90, neck = 90,", "trunk = 90, nek = 90,", "angles.nek: is not a body segment"),
        ("trunk = 90, neck = 90,", "trunk = 90,", "angles.neck: the first keyframe must give"),
    ],
)
def test_figure_errors_name_the_field(exercises_dir, old, new, expected):
    _edit(exercises_dir, "1-roll-down.toml", old, new)
    assert expected in _error(exercises_dir)


def test_a_segment_turned_too_far_out_of_the_picture_is_refused(exercises_dir):
    _edit(
        exercises_dir,
        "3-fire-hydrant.toml",
        "depth = { near_thigh = 70 }",
        "depth = { near_thigh = 90 }",
    )
    assert "figure.keyframes[1].depth: segments turned out of the picture" in _error(exercises_dir)


def test_a_part_credited_to_an_unknown_source_is_named(exercises_dir):
    _edit(exercises_dir, "3-fire-hydrant.toml", 'cautions = "product-default"', 'cautions = "blog"')
    assert _error(exercises_dir) == (
        "exercises/3-fire-hydrant.toml: part_sources.cautions: unknown source 'blog'"
    )


def test_a_source_for_a_part_an_exercise_does_not_have_is_refused(exercises_dir):
    _edit(exercises_dir, "3-fire-hydrant.toml", 'tempo = "product-default"', 'tempos = "seed"')
    assert "part_sources.tempos: is not a known field" in _error(exercises_dir)


SQUAT_FILE = "2-bulgarian-split-squat.toml"


def test_the_split_squat_has_a_partial_range_then_the_full_range_and_the_others_none():
    catalogue = definitions.catalogue()
    squat = catalogue.get("bulgarian-split-squat")
    assert [r.key.value for r in squat.ranges] == ["partial", "full"]
    assert squat.ranges[0].text == "partial range: bend to about 45°"
    assert squat.ranges[0].source.key == "powers-2014"
    assert squat.ranges[1].source.key == "seed"
    assert all(not e.ranges for e in catalogue if e.key != "bulgarian-split-squat")
    assert definitions.program().prescription("bulgarian-split-squat").range == "full"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('key = "partial"', 'key = "half"', "ranges[0].key: 'half' is not a range"),
        ('key = "partial"', 'key = "full"', "ranges: must list each range once, smallest first"),
        ('source = "powers-2014"', 'source = "blog"', "ranges[0].source: unknown source 'blog'"),
        ('text = "partial range', 'txt = "partial range', "ranges[0].text: is required"),
    ],
)
def test_range_errors_name_the_field(exercises_dir, old, new, expected):
    _edit(exercises_dir, SQUAT_FILE, old, new)
    assert expected in _error(exercises_dir)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('range = "full"', 'range = "deep"', "exercises[1].range: bulgarian-split-squat has no"),
        (
            'exercise = "fire-hydrant"\nvariant = "standing"\n',
            'exercise = "fire-hydrant"\nvariant = "standing"\nrange = "full"\n',
            "exercises[2].range: fire-hydrant is done through one range only",
        ),
    ],
)
def test_a_program_range_must_be_one_of_the_exercises(tmp_path, old, new, expected):
    text = (DATA / "programs" / "runners-knee.toml").read_text()
    assert old in text
    file = tmp_path / "runners-knee.toml"
    file.write_text(text.replace(old, new, 1))
    with pytest.raises(DefinitionError) as error:
        load_program_from(file, definitions.catalogue())
    assert expected in str(error.value)
