"""``kneecoach init`` and ``screen`` refuse 'none of these' given with a red flag: exit 2,
one line naming the flag, and nothing kept."""

from __future__ import annotations

import pytest

ONBOARD = ("init", "--defaults", "--age-band", "16-50")


@pytest.mark.parametrize(
    "flags",
    [
        ("--red-flag", "swelling", "--no-red-flags"),
        ("--red-flag", "none", "--red-flag", "swelling"),
        ("--red-flag", "swelling", "--red-flag", "none", "--no-red-flags"),
    ],
)
def test_init_refuses_none_with_a_red_flag_and_keeps_nothing(kc, flags):
    refused = kc(*ONBOARD, *flags)
    assert refused.code == 2
    assert refused.err.startswith("kneecoach: error: 'none of these apply'")
    assert "--red-flag swelling" in refused.err and "Traceback" not in refused.err
    nothing = kc("today", "--json")
    assert nothing.code == 2 and "no profile yet" in nothing.err


def test_init_takes_none_given_as_a_flag_alone(kc):
    done = kc(*ONBOARD, "--red-flag", "none", "--json")
    assert done.code == 0, done.err
    assert done.json["red_flags"] == [] and done.json["program_started"] is True


def test_screen_refuses_none_with_a_red_flag(kc):
    kc(*ONBOARD, "--no-red-flags")
    refused = kc("screen", "--red-flag", "locking", "--no-red-flags")
    assert refused.code == 2
    assert "cannot go with --red-flag locking" in refused.err
    assert kc("today", "--json").json["status"] in {"session", "rest"}  # not paused
