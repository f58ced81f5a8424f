"""The clinician is told: when a runner they follow is paused, or their AKPS gets worse by
a change that matters, each clinician following them who keeps an address gets an email.

When to tell is a kneecoach default built on two rules the product already applies: a pause
(a red flag, pain of 7/10 or more in a session, swelling — the pause rules of the
pain-monitoring model and the red-flag screen) and an AKPS worse by at least its MCID
(Crossley 2004), the point at which kneecoach advises the runner to see a clinician. The
clinician is told once, when the state begins, not at every write while it lasts.

The email says who and what kind of event, with a link; the figures and answers stay behind
the sign-in, because email is not a protected channel for health details. The notice is
queued in the transaction of the write that caused it (``RunnerStore.notices``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kneecoach.services.ports import Mail, NoticeStore


class CareAlert(StrEnum):
    PAUSED = "paused"
    AKPS_WORSE = "akps-worse"


ATTENTION_FIRST = (CareAlert.PAUSED, CareAlert.AKPS_WORSE)
"""The order in which runners need a clinician's look: a paused runner first."""

WHAT_HAPPENED = {
    CareAlert.PAUSED: "their program is paused (a red flag or a pause sign in training)",
    CareAlert.AKPS_WORSE: "their Kujala AKPS is worse by a change that matters",
}


def attention(paused: bool, akps_worse: bool) -> CareAlert | None:
    """What most needs the clinician about a runner now, if anything."""
    if paused:
        return CareAlert.PAUSED
    return CareAlert.AKPS_WORSE if akps_worse else None


def attention_rank(alert: CareAlert | None) -> int:
    """Higher for what needs a look sooner; 0 for nothing."""
    return 0 if alert is None else len(ATTENTION_FIRST) - ATTENTION_FIRST.index(alert)


@dataclass(frozen=True, slots=True)
class CareTeam:
    """Tells a runner's clinicians by email (present only when email is on)."""

    site: str
    """The public address the link in a notice starts with."""

    def tell(self, notices: NoticeStore, runner_id: int, alert: CareAlert) -> int:
        """Queue the notice for each clinician following the runner; how many were queued."""
        addresses = notices.care_team_emails()
        if not addresses:
            return 0
        name = notices.runner_name()
        for address in addresses:
            notices.queue(care_notice(address, name, runner_id, alert, self.site))
        return len(addresses)


def care_notice(to: str, runner: str, runner_id: int, alert: CareAlert, site: str) -> Mail:
    return Mail(
        to=to,
        subject=f"kneecoach: {runner} needs your attention",
        body=(
            f"A runner you follow in kneecoach, {runner}, needs your attention: "
            f"{WHAT_HAPPENED[alert]}.\n\n"
            f"Sign in to see their record and decide what comes next: "
            f"{site}/clinic/runners/{runner_id}\n\n"
            "The details stay in kneecoach: email is not a safe place for health records.\n\n"
            "kneecoach\n"
        ),
    )


def tell_when_begun(
    care_team: CareTeam | None,
    notices: NoticeStore,
    runner_id: int,
    alert: CareAlert,
    *,
    before: bool,
    after: bool,
) -> None:
    """Tell the care team when ``alert``'s state has just begun (false before, true now)."""
    if care_team is not None and after and not before:
        care_team.tell(notices, runner_id, alert)
