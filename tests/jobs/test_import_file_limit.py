"""KNEECOACH_IMPORT_FILE_LIMIT: the most one activity file may hold unpacked; 100 MB unless
set, and every runner's imports are held to it."""

from __future__ import annotations

import datetime as dt

import pytest

from kneecoach.bootstrap import build
from kneecoach.config import load_settings
from kneecoach.domain.errors import InvalidInput
from kneecoach.importers.detect import MAX_FILE_BYTES
from kneecoach.services.ports import FixedClock


@pytest.mark.parametrize(
    ("text", "size"),
    [("", 100 * 1024**2), ("100MB", 100 * 1024**2), ("1GB", 1024**3), ("65536", 65536)],
)
def test_the_file_limit_is_read_in_bytes_or_with_a_unit(text, size):
    assert load_settings({"KNEECOACH_IMPORT_FILE_LIMIT": text}).import_file_limit == size


def test_the_default_file_limit_is_the_importers_own():
    assert load_settings({}).import_file_limit == MAX_FILE_BYTES == 100 * 1024**2


@pytest.mark.parametrize("text", ["big", "1.5GB", "12"])
def test_a_file_limit_that_is_not_a_size_is_refused_with_the_settings_name(text):
    with pytest.raises(InvalidInput, match="KNEECOACH_IMPORT_FILE_LIMIT"):
        load_settings({"KNEECOACH_IMPORT_FILE_LIMIT": text})


def test_every_runners_imports_are_held_to_the_file_limit_set(tmp_path):
    settings = load_settings(
        {"KNEECOACH_DATA_DIR": str(tmp_path), "KNEECOACH_IMPORT_FILE_LIMIT": "5MB"}
    )
    runtime = build(settings, clock=FixedClock(dt.date(2026, 11, 24)))
    assert runtime.runner(1).file_limit == 5 * 1024**2
