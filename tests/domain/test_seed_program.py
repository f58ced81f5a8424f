"""The default program prescribes exactly the seed's dosage, row for row."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kneecoach import definitions

pytestmark = pytest.mark.own_dates

# The seed's dosage table (shared/program-source.md), transcribed:
# (exercise, sets, reps, hold seconds, per side, equipment)
SEED_TABLE = [
    ("roll-down", 1, 10, None, False, set()),
    ("bulgarian-split-squat", 2, 15, None, True, {"low-bench"}),
    ("fire-hydrant", 2, 15, None, True, {"resistance-band"}),
    ("bent-knee-heel-raise", 3, 15, None, True, {"wall"}),
    ("elevated-single-leg-glute-bridge", 3, 15, None, True, {"low-bench"}),
    ("hip-flexor-stretch", 3, None, 40, True, {"pad", "low-bench"}),
]

PROGRAM_SOURCE = Path(__file__).resolve().parents[3] / "shared" / "program-source.md"


def test_default_program_prescribes_the_seed_dosage_row_for_row():
    program = definitions.program()
    rows = [
        (
            p.exercise,
            p.dosage.sets,
            p.dosage.reps,
            p.dosage.hold_seconds,
            p.dosage.per_side,
            {e.value for e in definitions.catalogue().get(p.exercise).equipment},
        )
        for p in program.prescriptions
    ]
    assert rows == SEED_TABLE


def test_weighted_work_starts_at_body_weight():
    assert all(p.load_kg == 0 for p in definitions.program().prescriptions)


def _numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", text)]


@pytest.mark.skipif(not PROGRAM_SOURCE.exists(), reason="shared/program-source.md not beside")
def test_transcribed_table_matches_the_shared_program_source():
    """Guard the transcription itself against the document it came from."""
    rows = [
        line.split("|")[1:-1]
        for line in PROGRAM_SOURCE.read_text().splitlines()
        if re.match(r"^\| [1-6] \|", line)
    ]
    assert len(rows) == 6
    for (key, sets, reps, hold, per_side, _), row in zip(SEED_TABLE, rows, strict=True):
        dosage, side = row[2].strip(), row[3].strip()
        numbers = _numbers(dosage)
        if hold is not None:
            assert numbers == [hold, sets], key
        else:
            assert numbers == [reps, sets], key
        assert side.startswith("yes") == per_side, key
