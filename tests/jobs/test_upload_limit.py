"""KNEECOACH_UPLOAD_LIMIT: bytes, or a size with its unit; 2 GB unless set."""

from __future__ import annotations

import pytest

from kneecoach.config import load_settings
from kneecoach.domain.errors import InvalidInput

pytestmark = pytest.mark.own_dates


@pytest.mark.parametrize(
    ("text", "size"),
    [("", 2 * 1024**3), ("2GB", 2 * 1024**3), ("500 MB", 500 * 1024**2), ("4096", 4096)],
)
def test_the_upload_limit_is_read_in_bytes_or_with_a_unit(text, size):
    assert load_settings({"KNEECOACH_UPLOAD_LIMIT": text}).upload_limit == size


@pytest.mark.parametrize("text", ["lots", "2XB", "-5", "1.5GB", "12"])
def test_a_limit_that_is_not_a_size_is_refused_with_the_settings_name(text):
    with pytest.raises(InvalidInput, match="KNEECOACH_UPLOAD_LIMIT"):
        load_settings({"KNEECOACH_UPLOAD_LIMIT": text})


def test_uploads_wait_in_a_jobs_folder_under_the_data_folder(tmp_path):
    settings = load_settings({"KNEECOACH_DATA_DIR": str(tmp_path)})
    assert settings.jobs_dir == tmp_path / "jobs"
