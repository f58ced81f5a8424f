"""Kept pages are bounded: the least recently used goes first."""

from __future__ import annotations

import pytest

from kneecoach.web.kept_pages import KeptPages

pytestmark = pytest.mark.own_dates


def test_the_least_recently_used_page_goes_first_when_full():
    kept = KeptPages(capacity=2)
    kept.keep("a", b"A")
    kept.keep("b", b"B")
    assert kept.get("a") == b"A"  # now the most recent
    kept.keep("c", b"C")
    assert kept.get("b") is None and kept.get("a") == b"A" and kept.get("c") == b"C"
    assert len(kept) == 2


def test_a_new_revision_is_a_new_key_so_an_old_page_is_never_served_for_it():
    kept = KeptPages()
    kept.keep(("today", 1, 7), b"old")
    assert kept.get(("today", 1, 8)) is None
