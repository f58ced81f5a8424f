"""Plain-data views of plans, sessions and history: what `--json` prints and the web API
returns, so both speak the same documented fields."""

from __future__ import annotations

import datetime as dt
from typing import Any


def day_plan_json(plan: Any) -> dict[str, Any]:
    from kneecoach.domain.planning import NotStarted, Paused, RestDay

    if isinstance(plan, Paused):
        return {
            "date": plan.date,
            "status": "paused" if plan.screening.answered else "screen",
            "red_flags": [f.key for f in plan.screening.flagged],
            "advice": plan.screening.advice,
            "source": plan.screening.source.citation,
        }
    if isinstance(plan, NotStarted):
        return {"date": plan.date, "status": "not-started", "start_date": plan.start_date}
    if isinstance(plan, RestDay):
        return {"date": plan.date, "status": "rest", "next_session": plan.next_session}
    return {
        "date": plan.date,
        "status": "session",
        "week": plan.week,
        "weeks": plan.weeks,
        "phase": plan.phase,
        "course_note": advice_json(plan.course_note),
        "duration_seconds": plan.seconds,
        "exercises": [
            {
                "order": order,
                "exercise": item.exercise.key,
                "name": item.exercise.name,
                "variant": item.variant.key,
                "variant_name": item.variant.name,
                "sets": item.dosage.sets,
                "reps": item.dosage.reps,
                "hold_seconds": item.dosage.hold_seconds,
                "per_side": item.dosage.per_side,
                "load_kg": item.load_kg,
                "range": item.range_key,
                "range_text": item.range_text,
                "rest_seconds": item.rest_seconds,
                "equipment": sorted(e.value for e in item.variant.equipment),
                "notes": [advice_json(note) for note in item.notes],
                "set_by_clinician": item.set_by_clinician,
                "back_on_automatic": item.back_on_automatic,
            }
            for order, item in enumerate(plan.exercises, start=1)
        ],
    }


def today_json(view: Any) -> dict[str, Any]:
    """``kneecoach today --json`` and ``GET /api/v1/today``: the day's plan, the AKPS and
    the run due, what is already logged, and the education card of the moment."""
    logged = view.logged
    return day_plan_json(view.plan) | {
        "akps_due": view.akps_due,
        "akps_due_on": view.akps_due_on,
        "run": view.run_due,
        "race_run": None if view.race_run is None else race_run_json(view.race_run),
        "logged": None
        if logged is None
        else {
            "sets": logged.sets,
            "pain_during": logged.pain_during,
            "end": None if logged.end is None else session_end_json(logged.end),
        },
        "card": None if view.education is None else education_card_json(view.education),
        "in_progress": None
        if view.in_progress is None
        else unfinished_session_json(view.in_progress),
    }


def education_card_json(card: Any) -> dict[str, Any]:
    """An education card (``kneecoach learn --json`` lists them; ``today`` gives the card of
    the moment, with the moment and the source of choosing it)."""
    return {
        "key": card.key,
        "title": card.title,
        "text": card.text,
        "sources": citations(card.sources),
        "moment": card.moment,
        "moment_source": None if card.moment_source is None else card.moment_source.citation,
    }


def advice_json(advice: Any) -> dict[str, Any]:
    return {"text": advice.text, "sources": citations(advice.sources)}


def session_json(session: Any) -> dict[str, Any]:
    from kneecoach.domain.pain import pain_during_band

    return {
        "id": session.id,
        "date": session.performed_on,
        "pain_during": session.pain_during,
        "pain_after": session.pain_after,
        "pain_band": pain_during_band(session.pain_during),
        "peak_pain": session.peak_pain,
        # the session's band as the model judges it: by its most painful exercise too
        "peak_band": pain_during_band(session.peak_pain),
        "exercise_pain": dict(session.exercise_pain),
        "eased": list(session.eased),
        "effort": session.effort,
        "notes": session.notes,
        "sets": [
            {
                "exercise": s.exercise,
                "variant": s.variant,
                "side": s.side.value,
                "set": s.set_number,
                "reps": s.reps,
                "hold_seconds": s.hold_seconds,
                "load_kg": s.load_kg,
            }
            for s in session.sets
        ],
    }


def history_json(report: Any) -> dict[str, Any]:
    """`kneecoach history --json` and `GET /api/v1/history`."""
    a = report.adherence
    return {
        "from": report.first,
        "to": report.last,
        "adherence": {
            "sessions_planned": a.sessions_planned,
            "sessions_done": a.sessions_done,
            "sessions_extra": a.sessions_extra,
            "session_rate": a.session_rate,
            "sets_planned": a.sets_planned,
            "sets_done": a.sets_done,
            "set_rate": a.set_rate,
            "sessions_paused": len(a.paused_days),
            "sessions_moved": len(a.moved),
        },
        "sessions": [
            {
                "id": s.id,
                "date": s.date,
                "planned_day": s.planned_day,
                "sets_done": s.sets_done,
                "sets_planned": s.sets_planned,
                "planned_sets": s.sets_planned,
                "done_sets": s.sets_done,
                "pain_during": s.pain_during,
                "peak_pain": s.peak_pain,
                "pain_next_morning": s.pain_next_morning,
                "effort": s.effort,
                "notes": s.notes,
            }
            for s in report.sessions
        ],
        "checkins": [{"date": c.date, "pain_morning": c.pain_morning} for c in report.checkins],
        "pauses": [
            {"from": p.start, "lifted": p.lifted, "signs": list(p.signs), "lifted_by": p.lifted_by}
            for p in report.pauses
        ],
    }


def citations(sources: Any) -> list[str]:
    return [s.citation for s in sources]


def level_json(level: Any) -> dict[str, Any]:
    return {
        "variant": level.variant,
        "sets": level.sets,
        "reps": level.reps,
        "hold_seconds": level.hold_seconds,
        "load_kg": level.load_kg,
        "range": level.range,
    }


def decision_json(d: Any) -> dict[str, Any]:
    return {
        "date": d.decided_on,
        "based_on": d.based_on,
        "action": d.action,
        "why": d.why,
        "sources": citations(d.sources),
        "before": level_json(d.before),
        "after": level_json(d.after),
        "undone": d.undone,
    }


def exercise_status_json(row: Any) -> dict[str, Any]:
    return {
        "exercise": row.exercise,
        "name": row.name,
        "now": level_json(row.level),
        "pinned": row.pinned,
        "decisions": [decision_json(d) for d in row.decisions],
        "next": {
            "action": row.next.action,
            "why": row.next.why,
            "sources": citations(row.next.sources),
        },
        "today": None if row.today is None else dosage_today_json(row.today),
        "verdict": None if row.verdict is None else exercise_verdict_json(row.verdict),
    }


def exercise_pain_json(answer: Any) -> dict[str, Any]:
    """The answer to pain reported during an exercise in a player: the traffic light, the
    band, the advice with its sources, what may be offered at once, and whether the session
    stopped (and the program paused)."""
    return {
        "exercise": answer.exercise,
        "name": answer.name,
        "pain": answer.pain,
        "light": answer.light,
        "band": answer.band,
        "advice": advice_json(answer.advice),
        "offers": list(answer.offers),
        "offered": answer.offered,
        "choices": [{"offer": offer, "words": words} for offer, words in answer.choices],
        "stopped": answer.stopped,
    }


def exercise_verdict_json(verdict: Any) -> dict[str, Any]:
    """How an exercise's latest session sat with the knee, judged by its own pain when the
    session has it (`exercise_pain`), with the verdict's sources."""
    return {
        "date": verdict.performed_on,
        "band": verdict.band,
        "reason": verdict.reason,
        "exercise_pain": verdict.exercise_pain,
        "sources": citations(verdict.sources),
    }


def session_end_json(end: Any) -> dict[str, Any]:
    """The message a runner sees when a session ends (as the terminal and the Today page
    show it): `per_exercise` (true when it comes from the per-exercise verdicts),
    `message` (each line's `text` and `sources`), and `exercises` (each `exercise`, `name`,
    `pain` — its own, or null —, `band`, `next_time` — `steps back`, `held` or
    `keeps progressing` — and `advice`; empty without per-exercise figures)."""
    return {
        "per_exercise": end.per_exercise,
        "message": [advice_json(line) for line in end.message],
        "exercises": [
            {
                "exercise": e.exercise,
                "name": e.name,
                "pain": e.pain,
                "band": e.band,
                "next_time": e.next_time,
                "advice": advice_json(e.advice),
            }
            for e in end.exercises
        ],
    }


def logged_session_json(session: Any, end: Any) -> dict[str, Any]:
    """A session just kept (`log --json`, `session --json`, `POST /api/v1/sessions`,
    `POST /api/v1/session/finish`): the session, and `end`, the end-of-session message."""
    return session_json(session) | {"end": session_end_json(end)}


def dosage_today_json(today: Any) -> dict[str, Any]:
    """What today's session prescribes for the exercise (as `today --json` lists it), whether
    the day's adjustments changed it from the level, and why."""
    return {
        **level_json(today.level),
        "variant_name": today.variant_name,
        "described": today.level.described,
        "adjusted": today.adjusted,
        "notes": [advice_json(note) for note in today.notes],
        "range_text": today.range_text,
        "set_by_clinician": today.set_by_clinician,
        "back_on_automatic": today.back_on_automatic,
    }


def progress_json(view: Any, note: str | None = None) -> dict[str, Any]:
    """`kneecoach progress --json` and `GET /api/v1/progress`: each exercise, and the note
    of what was just changed (undone, pinned), if anything."""
    return {
        "note": note,
        "exercises": [exercise_status_json(r) for r in view.exercises],
        "day": day_json(view.day),
    }


def day_json(day: Any) -> dict[str, Any] | None:
    """What the runner's day is, as Today has it: `kind` is 'session', 'rest',
    'not-started' or 'paused'; while paused no exercise has a `today` (no session at all)."""
    if day is None:
        return None
    return {
        "date": day.day,
        "kind": day.kind,
        "paused": day.paused,
        "next_session": day.next_session,
        "starts_on": day.starts_on,
        "logged": day.logged,
    }


def undo_note(view: Any) -> str:
    """What undoing the latest decision did, or why it did nothing, in one line."""
    if view.refused is not None:
        return f"Not undone: {view.refused}."
    undone = view.undone
    if undone is None:
        return "There is no decision to undo."
    return (
        f"Undone: {undone.action} of {undone.name} on {undone.decided_on:%d %b}; back to "
        f"{undone.before.described}."
    )


def akps_change_json(change: Any) -> dict[str, Any] | None:
    if change is None:
        return None
    return {
        "from": change.first_on,
        "to": change.latest_on,
        "points": change.points,
        "meaningful": change.meaningful,
        "mcid": change.mcid,
        "source": "; ".join(citations(change.sources)),
    }


def akps_referral_json(view: Any) -> dict[str, Any]:
    """Whether the AKPS calls for a clinician (an AkpsView's referral), why, and on what
    sources (none while it does not)."""
    referral = view.referral
    return {
        "see_clinician": referral is not None,
        "reason": None if referral is None else referral.text,
        "sources": [] if referral is None else citations(referral.sources),
    }


def akps_history_json(view: Any) -> dict[str, Any]:
    """`kneecoach akps --history --json` and `GET /api/v1/akps`."""
    return {
        "results": [{"taken_on": r.taken_on, "score": r.score} for r in view.results],
        "change": akps_change_json(view.change),
        "due_on": view.due_on,
        "due": view.due,
        "guidance": advice_json(view.guidance),
        "referral": None if view.referral is None else advice_json(view.referral),
    } | akps_referral_json(view)


def akps_recorded_json(view: Any) -> dict[str, Any]:
    """`kneecoach akps --json`: the result item by item, and the change it makes."""
    return {
        "score": view.score,
        "taken_on": view.taken_on,
        "answers": list(view.answers),
        "items": [
            {
                "item": item.number,
                "name": item.name,
                "answer": item.answer,
                "option": item.option,
                "points": item.points,
            }
            for item in view.items
        ],
        "source": "; ".join(citations(view.sources)),
        "change": akps_change_json(view.history.change),
        "replaced": view.replaced,
        "paused": None if view.paused is None else advice_json(view.paused),
    } | akps_referral_json(view.history)


def review_json(r: Any) -> dict[str, Any]:
    """`kneecoach review --json` and `GET /api/v1/review`."""
    return {
        "from": r.first,
        "to": r.last,
        "adherence": {
            "sessions_planned": r.sessions.sessions_planned,
            "sessions_done": r.sessions.sessions_done,
            "sets_planned": r.sessions.sets_planned,
            "sets_done": r.sessions.sets_done,
        },
        "pain": {
            "during": r.pain_during.week,
            "during_week_before": r.pain_during.week_before,
            "during_advice": advice_json(r.pain_during.advice),
            "morning": r.morning.week,
            "morning_week_before": r.morning.week_before,
            "morning_advice": advice_json(r.morning.advice),
        },
        "akps": {
            "latest": r.akps.latest.score if r.akps.latest else None,
            "change": akps_change_json(r.akps.change),
            "due_on": r.akps.due_on,
            "due": r.akps.due,
            "guidance": advice_json(r.akps.guidance),
        },
        "decisions": [
            {
                "exercise": d.exercise,
                "date": d.decided_on,
                "action": d.action,
                "why": d.why,
                "sources": citations(d.sources),
            }
            for d in r.decisions
        ],
        "next_sessions": list(r.next_sessions),
        "red_flags": list(r.red_flags),
        "program_active": r.program_active,
    }


def activity_json(run: Any) -> dict[str, Any]:
    """One activity of `runs list --json` and `GET /api/v1/runs` (a RunView): the device's
    metres and seconds, and the distance and pace in the runner's unit."""
    return {
        "id": run.id,
        "sport": run.sport,
        "start": run.start.isoformat().replace("+00:00", "Z"),
        "distance_m": round(run.distance_m, 1),
        "elapsed_s": round(run.elapsed_s, 1),
        "moving_s": round(run.moving_s, 1),
        "ascent_m": None if run.ascent_m is None else round(run.ascent_m, 1),
        "avg_hr": run.avg_hr,
        "max_hr": run.max_hr,
        "avg_cadence": run.avg_cadence,
        "indoor": run.indoor,
        "name": run.name,
        "sources": list(run.sources),
        "effort": run.effort,
        "distance": round(run.distance, 3),
        "distance_unit": run.distance_unit,
        "pace_s": None if run.pace_s is None else round(run.pace_s, 1),
        "pace_unit": run.pace_unit,
        "sport_label": run.sport_label,
        "cross_training": not run.is_run,
        "format": run.format,
        "step_rate": None if run.step_rate is None else round(run.step_rate, 1),
    }


def run_json(run: Any) -> dict[str, Any]:
    """`runs show ID --json` and `GET /api/v1/runs/{id}`: the activity, its sample count and
    its laps."""
    return activity_json(run) | {
        "samples": run.samples,
        "laps": [
            {
                "start": lap.start.isoformat(),
                "elapsed_s": lap.elapsed_s,
                "distance_m": lap.distance_m,
                "distance": round(lap.distance, 3),
            }
            for lap in run.laps
        ],
    }


def clock_text(seconds: float) -> str:
    """A duration or a pace as a watch shows it: 25:07, or 1:02:30 past the hour."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def load_json(view: Any) -> list[dict[str, Any]]:
    """`load --json` and `GET /api/v1/load` (a LoadView): one object per day from the first run
    to today. Loads, fitness, fatigue and form are in ``unit``; the caveat comes with every
    day that has a ratio."""
    caveat = advice_json(view.caveat)
    step_sources = [] if view.step_rate is None else citations(view.step_rate.sources)
    return [
        {
            "date": day.day,
            "load": _rounded(day.load),
            "acwr_rolling": _rounded(day.rolling.value),
            "acwr_uncoupled": _rounded(day.uncoupled.value),
            "acwr_ewma": _rounded(day.ewma.value),
            "ctl": _rounded(day.ctl),
            "atl": _rounded(day.atl),
            "tsb": _rounded(day.tsb),
            "warnings": [
                {
                    "kind": warning.kind,
                    "text": warning.advice.text,
                    "sources": citations(warning.advice.sources),
                    "since": warning.since,
                }
                for warning in day.warnings
            ],
            "unit": view.unit_label,
            "acwr_zones": {
                ratio.key: None if ratio.zone is None else ratio.zone.key for ratio in day.ratios
            },
            "acwr_caveat": caveat if any(r.value is not None for r in day.ratios) else None,
            "step_rate": _rounded(day.step_rate),
            "step_rate_baseline": _rounded(day.step_rate_baseline),
            "step_rate_target": day.step_rate_target,
            "step_rate_ceiling": day.step_rate_ceiling,
            "step_rate_sources": step_sources if day.step_rate_target is not None else [],
        }
        for day in view.days
    ]


def step_rate_json(view: Any) -> dict[str, Any]:
    """Step-rate coaching (a StepRateView), in `return-to-run --json` and its API: steps a
    minute at easy pace, the baseline, the suggested target and its ceiling, with the
    advice, its sources and the weak-evidence note."""
    return {
        "unit": "steps/min",
        "baseline": _rounded(view.baseline),
        "runs": view.runs,
        "since": view.since,
        "until": view.until,
        "target": view.target,
        "ceiling": view.ceiling,
        "latest": _rounded(view.latest),
        "latest_on": view.latest_on,
        "advice": None if view.advice is None else advice_json(view.advice),
        "message": view.message,
        "weak_evidence": view.weak_evidence,
        "definition": advice_json(view.definition),
        "sources": citations(view.sources),
    }


def camera_movement_json(view: Any) -> dict[str, Any]:
    """What the browser's rep counter needs for one exercise variant (a CameraMovementView):
    the angle to follow (degrees), the hysteresis thresholds, the tempo's bounds."""
    return {
        "exercise": view.exercise,
        "variant": view.variant,
        "joint": view.joint,
        "rest": _rounded(view.rest),
        "peak": _rounded(view.peak),
        "enter": _rounded(view.enter),
        "leave": _rounded(view.leave),
        "enter_share": view.enter_share,
        "leave_share": view.leave_share,
        "max_gap_seconds": view.max_gap_seconds,
        "min_visibility": view.min_visibility,
        "away_seconds": _rounded(view.away_seconds),
        "rep_seconds": view.rep_seconds,
        "too_fast_share": view.too_fast_share,
        "too_slow_share": view.too_slow_share,
        "note": advice_json(view.note),
        "sources": citations(view.sources),
    }


def counted_set_json(view: Any) -> dict[str, Any]:
    """A set counted from the camera (a CountedSetView): the count and each repetition's
    tempo with its advice and sources."""
    return {
        "exercise": view.exercise,
        "variant": view.variant,
        "side": view.side,
        "joint": view.joint,
        "count": view.count,
        "reps": [
            {
                "started": _rounded(rep.started),
                "ended": _rounded(rep.ended),
                "seconds": _rounded(rep.seconds),
                "expected_seconds": _rounded(rep.expected_seconds),
                "tempo": rep.tempo,
                "advice": advice_json(rep.advice),
            }
            for rep in view.reps
        ],
        "seen_share": _rounded(view.seen_share),
        "note": advice_json(view.note),
    }


def fppa_json(view: Any) -> dict[str, Any]:
    """A knee-alignment test (an FppaView): the mean FPPA of 3 trials in degrees, the
    published values beside it, the validity caveat and the sources."""
    return {
        "taken_on": view.taken_on,
        "side": view.side,
        "unit": "degrees",
        "mean": _rounded(view.mean),
        "trials": [
            {"fppa": _rounded(t.fppa), "at": _rounded(t.at), "frames": t.frames}
            for t in view.trials
        ],
        "references": [
            {"group": r.group, "mean": r.mean, "sd": r.sd, "source": r.source.citation}
            for r in view.references
        ],
        "position": advice_json(view.position),
        "caveat": {"text": view.caveat.text, "sources": [s.short() for s in view.caveat.sources]},
        "method": advice_json(view.method),
        "sources": citations(view.sources),
    }


def fppa_history_json(view: Any) -> dict[str, Any]:
    """Every knee-alignment test kept (an FppaHistoryView), oldest first, and whether the next
    one is due."""
    return {
        "tests": [fppa_json(test) for test in view.tests],
        "due": view.due,
        "every_days": view.every_days,
        "due_source": view.due_source.citation,
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def pain_trend(line: Any) -> str:
    """A week's mean pain beside the week before's, in words (CLI and web alike)."""
    now, before = line.week, line.week_before
    if now is None:
        return "no ratings this week"
    text = f"{now:.1f}/10"
    if before is None:
        return text
    if now > before:
        return f"{text}, up from {before:.1f}"
    if now < before:
        return f"{text}, down from {before:.1f}"
    return f"{text}, as the week before"


def return_to_run_json(now: Any, attempts: Any, step_rate: Any = None) -> dict[str, Any]:
    """`kneecoach return-to-run --json` and `GET /api/v1/return-to-run`; ``step_rate`` (a
    StepRateView) is the step-rate coaching for the runs."""
    from kneecoach.domain.return_to_run import STAGES

    return {
        "started": now.stage is not None,
        "stage": now.stage.number if now.stage else None,
        "done_at_stage": now.done_at_stage,
        "next_run_on": now.next_run_on,
        "finished": now.finished,
        "message": now.message,
        "sources": citations(now.sources),
        "paused": now.paused,
        "refusal": now.refusal,
        "notes": list(now.notes),
        "stages": [
            {
                "stage": s.number,
                "walk_minutes": s.walk_minutes,
                "run_minutes": s.run_minutes,
                "distance_m": s.distance_m,
                "effort": s.effort,
            }
            for s in STAGES
        ],
        "attempts": [
            {
                "date": a.day,
                "stage": a.stage,
                "tolerated": a.tolerated,
                "source": a.source,
                "flag": a.flag,
            }
            for a in attempts
        ],
        "step_rate": None if step_rate is None else step_rate_json(step_rate),
    }


def runner_summary_json(r: Any) -> dict[str, Any]:
    """One runner as the clinic dashboard sees them (`GET /api/v1/runners`)."""
    return {
        "id": r.runner_id,
        "name": r.name,
        "set_up": r.set_up,
        "last_session": r.last_session,
        "adherence": r.adherence,
        "pain_latest": r.pain_latest,
        "pain_recent": r.pain_recent,
        "pain_change": r.pain_change,
        "pain_trend": r.pain_trend,
        "akps_change": None if r.akps_change is None else r.akps_change.points,
        "akps_due_on": r.akps_due_on,
        "warnings": [advice_json(f) for f in r.flags],
        "attention": r.attention,
        "attention_rank": r.attention_rank,
        "morning_pain": r.morning_pain,
        "morning_pain_on": r.morning_pain_on,
        "morning_swelling": r.morning_swelling,
        "in_progress_sets": r.in_progress_sets,
    }


ATTEMPT_VERDICTS = {
    None: "waiting for the next-morning check-in",
    True: "tolerated",
    False: "swelling or more pain: no progress",
}
"""A return-to-run attempt, judged by the next morning's check-in, in words."""


def plan_line(item: Any) -> str:
    """One exercise of a coming session: 'Fire hydrant: 2 × 15 reps each side, standing'."""
    load = f", {item.load_kg:g} kg" if item.load_kg else ""
    depth = f", {item.range_text}" if item.range_text else ""
    return f"{item.name}: {item.dosage}, {item.variant.lower()}{load}{depth}"


def stage_state(now: Any, number: int) -> str:
    """'done', 'now' or '' for a return-to-run stage, given where the runner is."""
    current = now.stage.number if now.stage else None
    if current is None:
        return ""
    if number < current or now.finished:
        return "done"
    return "now" if number == current else ""


def restore_json(restored: Any) -> dict[str, Any]:
    """What a backup restore added and skipped, per table (`kneecoach import backup --json`,
    `POST /api/v1/backup`)."""
    return {
        "added": {t.table: t.added for t in restored.tables},
        "skipped": {t.table: t.skipped for t in restored.tables},
    }


def checkin_json(kept: Any, replaced: Any, screening: Any) -> dict[str, Any]:
    """A check-in just kept (`kneecoach checkin --json`, `POST /api/v1/checkins`): the day, the
    pain, the swelling, the pain it replaced, whether the program goes on and, when it is
    paused, what to do with its source (a ScreeningView)."""
    paused = screening.status == "paused"
    return {
        "date": kept.date,
        "pain_morning": kept.pain_morning,
        "swelling": kept.swelling,
        "replaced": replaced.pain_morning if replaced else None,
        "program_active": screening.program_active,
        "pause": advice_json(screening.advice) if paused else None,
    }


def checkins_json(report: Any) -> list[dict[str, Any]]:
    """The check-ins of a HistoryView (`GET /api/v1/checkins`)."""
    return [
        {"date": c.date, "pain_morning": c.pain_morning, "swelling": c.swelling}
        for c in report.checkins
    ]


def session_player_json(view: Any) -> dict[str, Any]:
    """The guided session as the players run it (a SessionPlayerView: every step, the totals
    and the sets done before), for `GET /api/v1/session`."""
    from dataclasses import asdict

    found: dict[str, Any] = asdict(view)
    found["stop_advice"] = advice_json(view.stop_advice)
    return found


def offer_taken_json(taken: Any) -> dict[str, Any]:
    """An easier way taken in a player (an OfferTakenView): what it changed for the rest of
    today's session, and the rest of the session as the player now runs it."""
    return {
        "exercise": taken.exercise,
        "name": taken.name,
        "offer": taken.offer,
        "message": taken.message,
        "reps": taken.reps,
        "variant": taken.variant,
        "variant_name": taken.variant_name,
        "range": taken.range,
        "range_text": taken.range_text,
        "session": session_player_json(taken.player),
    }


def kept_set_json(kept: Any) -> dict[str, Any]:
    """What a set reported by a player counted as (a KeptSetView, or None: nothing done)."""
    from dataclasses import asdict

    return {
        "kept": kept is not None,
        "session": None if kept is None else kept.session,
        "set": None if kept is None else asdict(kept),
    }


def pin_note(level: Any, pinned: bool) -> str:
    """What pinning or unpinning an exercise did, in one line."""
    if pinned:
        return f"Pinned at {level.described}."
    return f"Unpinned; it moves again from {level.described}."


def akps_questions_json(questions: Any) -> list[dict[str, Any]]:
    """The AKPS items as they are asked (`GET /api/v1/akps/questionnaire`): an answer is the
    1-based number of an item's option."""
    return [{"item": q.number, "name": q.name, "options": list(q.options)} for q in questions]


def import_report_text(report: Any) -> str:
    """One line for people, the same in the terminal and on the runs page: the counts add
    up (files = read + failed; activities = added + merged + already kept)."""
    files = f"{report.files} file{'' if report.files == 1 else 's'}"
    line = f"{files}: {report.read} read, {len(report.failed)} failed"
    if report.read:
        line += (
            f" · {report.activities} activit{'y' if report.activities == 1 else 'ies'} found: "
            f"{report.added} added, {report.merged} merged into one already kept, "
            f"{report.already_kept} already kept"
        )
    return line + "."


def import_report_json(report: Any) -> dict[str, Any]:
    """`kneecoach runs import --json` and `POST /api/v1/runs`: files seen (read + failed),
    activities found (added + merged + already_kept; skipped = merged + already_kept), and
    each file that failed with its reason."""
    return {
        "files": report.files,
        "added": report.added,
        "skipped": report.skipped,
        "failed": [{"file": f, "reason": r} for f, r in report.failed],
        "read": report.read,
        "activities": report.activities,
        "merged": report.merged,
        "already_kept": report.already_kept,
    }


def exercise_json(exercise: Any, brief: bool) -> dict[str, Any]:
    """`kneecoach exercises [NAME] --json` and `GET /api/v1/exercises[/{key}]`: an exercise,
    its default dosage and variants; in full, its instructions, cautions and substitutes."""
    from kneecoach import definitions

    prescribed = definitions.program().prescription(exercise.key)
    data: dict[str, Any] = {
        "exercise": exercise.key,
        "name": exercise.name,
        "purpose": exercise.purpose,
        "targets": list(exercise.targets),
        "equipment": sorted(e.value for e in exercise.equipment),
        "dosage": {
            "sets": prescribed.dosage.sets,
            "reps": prescribed.dosage.reps,
            "hold_seconds": prescribed.dosage.hold_seconds,
            "per_side": prescribed.dosage.per_side,
            "range": prescribed.range,
        },
        "ranges": [
            {
                "range": r.key.value,
                "name": r.name,
                "text": r.text,
                "cue": r.cue,
                "source": r.source.citation,
            }
            for r in exercise.ranges
        ],
        "variants": [v.key for v in exercise.variants],
        "source": exercise.source.citation,
        "credits": [
            {"source": c.source.citation, "parts": list(c.parts)} for c in exercise.credits
        ],
    }
    if brief:
        return data
    data.update(
        aliases=list(exercise.aliases),
        instructions=list(exercise.instructions),
        cautions=list(exercise.cautions),
        look_for=list(exercise.look_for),
        substitutes={e.value: text for e, text in exercise.substitutes},
        variants=[
            {
                "variant": v.key,
                "name": v.name,
                "kind": v.kind.value,
                "equipment": sorted(e.value for e in v.equipment),
                "instructions": list(v.instructions),
                "easier": v.easier,
            }
            for v in exercise.variants
        ],
    )
    return data


def profile_json(profile: Any) -> dict[str, Any]:
    """A ProfileView: the profile of `kneecoach init --json` and `GET /api/v1/profile`."""
    return {
        "affected_knee": profile.affected_knee,
        "pain_at_rest": profile.pain_at_rest,
        "pain_running": profile.pain_running,
        "equipment": list(profile.equipment),
        "heaviest_dumbbell_kg": profile.heaviest_dumbbell_kg,
        "sessions_per_week": profile.sessions_per_week,
        "start_date": profile.start_date.isoformat(),
        "start_side": profile.start_side,
    }


def screening_json(screening: Any) -> dict[str, Any]:
    """A ScreeningView: `kneecoach screen --json` and `POST /api/v1/screen`, and the day the
    screen in force was answered."""
    return {
        "red_flags": list(screening.red_flags),
        "program_active": screening.program_active,
        "advice": screening.advice.text,
        "source": screening.advice.cited_in_full,
        "taken_on": screening.taken_on,
        "status": screening.status,
        "age_band": screening.age_band,
        "lifted_by": screening.lifted_by,
        "seen_clinician_on": screening.seen_clinician_on,
        "lifts": screening.lifts,
        "lift_rule": None if screening.lift_rule is None else advice_json(screening.lift_rule),
    }


def onboarded_json(profile: Any, screening: Any, replaced: bool) -> dict[str, Any]:
    """`kneecoach init --json` and `PUT /api/v1/profile`: the profile kept, the red flags
    raised, whether the program started, and whether a profile was replaced."""
    return {
        "profile": profile_json(profile),
        "red_flags": list(screening.red_flags),
        "program_started": screening.program_active,
        "replaced": replaced,
        "screening": screening_json(screening),
    }


def runner_profile_json(view: Any) -> dict[str, Any]:
    """`GET /api/v1/profile`: the profile, its program and the red-flag screen in force."""
    return {
        "profile": profile_json(view.profile),
        "program": view.program,
        "screening": screening_json(view.screening),
    }


def settings_json(preferences: Any, calendar_feed: bool) -> dict[str, Any]:
    """`GET /api/v1/settings`: the settings the server applies to the runner's figures, and
    whether a calendar subscription address exists."""
    return {
        "units": preferences.units,
        "load_unit": preferences.load_unit,
        "akps_every_days": preferences.akps_every_days,
        "calendar_feed": calendar_feed,
    }


def runner_detail_json(detail: Any) -> dict[str, Any]:
    """`GET /api/v1/runners/{id}`: a clinician's page on one runner — their progress, history
    and AKPS (the fields of `progress --json`, `history --json`, `akps --history --json`),
    the exercises and variants that may be prescribed, and the session kept set by set and
    not finished, if there is one; only the name before set-up."""
    progress = detail.progress
    return {
        "id": detail.runner_id,
        "name": detail.name,
        "set_up": progress is not None,
        "screening": None if detail.screening is None else screening_json(detail.screening),
        "progress": None if progress is None else progress_json(progress),
        "history": None if progress is None else history_json(progress.history),
        "akps": None if progress is None else akps_history_json(progress.akps),
        "race": None if detail.race is None else race_plan_json(detail.race),
        "alignment": None if detail.alignment is None else fppa_history_json(detail.alignment),
        "prescribable": [
            {
                "exercise": p.exercise,
                "name": p.name,
                "variants": [{"variant": v.key, "name": v.name} for v in p.variants],
            }
            for p in detail.prescribable
        ],
        "unfinished_session": (
            None if detail.unfinished is None else unfinished_session_json(detail.unfinished)
        ),
    }


def unfinished_session_json(view: Any) -> dict[str, Any]:
    """An UnfinishedSessionView: the session a runner keeps set by set and has not finished
    (not a session done: the history and adherence leave it out)."""
    return {
        "date": view.day.isoformat(),
        "status": view.status,
        "in_progress": view.in_progress,
        "sets_kept": view.sets_kept,
        "sets_planned": view.sets_planned,
        "exercise_pain": [
            {"exercise": p.exercise, "name": p.name, "pain": p.pain} for p in view.pains
        ],
    }


def delivery_json(result: Any) -> dict[str, Any]:
    """One round of sending the outbox (``kneecoach mail send --json``)."""
    return {
        "sent": result.sent,
        "failed": result.failed,
        "given_up": result.given_up,
        "waiting": result.waiting,
        "errors": list(result.errors),
    }


def audit_entry_json(entry: Any) -> dict[str, Any]:
    """One line of the audit log: who, what, when, from where, and whether it was allowed."""
    return {
        "at": entry.at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "runner_id": entry.runner_id,
        "runner_name": entry.runner_name,
        "action": entry.action,
        "address": entry.address,
        "allowed": entry.allowed,
    }


def audit_log_json(view: Any) -> list[dict[str, Any]]:
    return [audit_entry_json(entry) for entry in view.entries]


def conflict_json(error: Any) -> dict[str, Any]:
    """A conflict: what is in the way and, where the use case said, what is kept there."""
    from kneecoach.domain.journal import LoggedSession
    from kneecoach.services.adaptation import EndedSession

    body: dict[str, Any] = {"detail": str(error)}
    existing = getattr(error, "existing", None)
    if isinstance(existing, EndedSession):  # as the answer that kept it
        body["existing"] = logged_session_json(existing.session, existing.end)
    elif isinstance(existing, LoggedSession):
        body["existing"] = session_json(existing)
    return body


def job_progress_text(view: Any) -> str:
    """Where an import job is, in one line for people (its page and the page's script)."""
    if view.state == "queued":
        return "Waiting to start: the import begins within a few seconds."
    if view.kind != "import":  # a Strava sync or fetch
        return strava_sync_text(view)
    if view.state == "running":
        of = f" of {view.files_total}" if view.files_total else ""
        return (
            f"Importing: {view.files_done}{of} file{'' if view.files_total == 1 else 's'} read, "
            f"{view.added} activit{'y' if view.added == 1 else 'ies'} added, "
            f"{view.merged} merged into one already kept."
        )
    if view.state == "done":
        return "Done: " + import_report_text(view.report)
    if view.state == "failed":
        return f"The import stopped on an error ({view.error}); upload the files again."
    return "The import was given up (it could not finish); upload the files again."


def job_json(view: Any, url: str) -> dict[str, Any]:
    """`GET /api/v1/jobs/{id}` and the job page's script: where the job is, its progress
    (files read of those found, activities added and merged so far) and, once done, the
    import's report as `POST /api/v1/runs` gave it before imports ran in the background."""
    return {
        "id": view.id,
        "url": url,
        "kind": "import",
        "state": view.state,
        "ended": view.ended,
        "files_done": view.files_done,
        "files_total": view.files_total,
        "files_failed": view.files_failed,
        "added": view.added,
        "merged": view.merged,
        "text": job_progress_text(view),
        "error": view.error,
        "created_at": view.created_at.isoformat(),
        "finished_at": None if view.finished_at is None else view.finished_at.isoformat(),
        "result": None if view.report is None else import_report_json(view.report),
        "waiting_until": None if view.waiting_until is None else view.waiting_until.isoformat(),
    }


def race_run_json(run: Any) -> dict[str, Any]:
    """The race plan's run of the day (a RaceRunToday), on Today and under /api/v1/race."""
    return {
        "date": run.day,
        "kind": run.kind,
        "distance_km": run.distance_km,
        "text": run.text,
        "step_rate_target": run.step_rate_target,
        "step_rate_ceiling": run.step_rate_ceiling,
        "sources": citations(run.sources),
    }


def race_plan_json(view: Any) -> dict[str, Any]:
    """`kneecoach race plan --json` (a RacePlanView): ``reachable``, ``reasons``,
    ``sources`` and ``weeks`` are the public shape; the rest is added beside them:
    ``held_by`` names the clinician holding the plan (their hold stands whatever the runner
    changes), ``goal.set_by`` the clinician who set the goal (null: the runner), and
    ``clinician_decisions`` lists their holds, releases and steps back."""
    goal = view.goal
    return {
        "reachable": view.reachable,
        "stopped": view.stopped,
        "reasons": list(view.reasons),
        "sources": citations(view.sources),
        "goal": None
        if goal is None
        else {
            "date": goal.race_on,
            "distance_m": goal.distance_m,
            "distance": goal.distance,
            "target": goal.target,
            "set_on": goal.set_on,
            "start_km": goal.start_km,
            "set_by": goal.set_by,
        },
        "peak_km": view.peak_km,
        "earliest_date": view.earliest_race_on,
        "shorter_distance": view.shorter_distance,
        "weeks": [
            {
                "monday": w.monday,
                "runs": w.runs,
                "distance_km": w.distance_km,
                "long_run_km": w.long_run_km,
                "done_km": w.done_km,
                "kind": w.kind,
                "race_km": w.race_km,
                "strength_sessions": w.strength_sessions,
                "note": w.note,
                "flag": w.flag,
            }
            for w in view.weeks
        ],
        "held_by": view.held_by,
        "held_since": view.held_since,
        "hold": view.hold,
        "goal_locked": view.goal_locked,
        "clinician_decisions": [
            {"decision": c.call, "date": c.day, "by": c.by} for c in view.calls
        ],
    }


def strava_wait_text(until: dt.datetime) -> str:
    """A Strava sync's wait for the next window of requests, until when (UTC)."""
    return f"Waiting for Strava's next window of requests, until {until:%H:%M} UTC"


def strava_sync_text(view: Any) -> str:
    """Where a Strava sync job is, in one line for people."""
    if view.state == "queued":
        return "The sync from Strava starts within a few seconds."
    if view.state == "running":
        read = (
            f"Syncing from Strava: {view.files_done} "
            f"activit{'y' if view.files_done == 1 else 'ies'} read, {view.added} added, "
            f"{view.merged} merged into one already kept."
        )
        if view.waiting_until is not None:
            return (
                f"{read} {strava_wait_text(view.waiting_until)}: Strava allows 100 "
                "requests each 15 minutes, so a long history arrives in bursts."
            )
        return (
            f"{read} Strava allows 100 requests each 15 minutes, so a long history arrives "
            "in bursts, with waits of up to 15 minutes."
        )
    if view.state == "done":
        return (
            f"The last sync read {view.files_done} "
            f"activit{'y' if view.files_done == 1 else 'ies'}: {view.added} added, "
            f"{view.merged} merged into one already kept."
        )
    if view.state == "failed":
        return f"The last sync stopped on an error ({view.error})."
    return "The last sync was given up (it could not finish); sync again."


def strava_status_json(found: Any, job: Any = None) -> dict[str, Any]:
    """`kneecoach strava status --json` and `GET /api/v1/strava`: the connection as
    services.strava.StravaStatus has it (times as ISO 8601), and (API) the newest sync job."""
    from dataclasses import asdict

    document = asdict(found)
    for key in ("connected_at", "last_sync_at", "history_from"):
        if document[key] is not None:
            document[key] = document[key].isoformat()
    if document["reached"] is not None:
        document["reached"] = document["reached"].isoformat()
    if job is not None:
        document["sync"] = {
            "id": job.id,
            "state": job.state,
            "activities_read": job.files_done,
            "added": job.added,
            "merged": job.merged,
            "error": job.error,
        }
    return document


def fppa_recorded_json(view: Any) -> dict[str, Any]:
    """A knee-alignment test kept, and the one of the same day and leg it replaced."""
    return {
        "test": fppa_json(view.test),
        "replaced": None if view.replaced is None else fppa_json(view.replaced),
    }


def fppa_setup_json(view: Any) -> dict[str, Any]:
    """What the knee-alignment page's measuring needs (every number from the domain)."""
    return {
        "trials": view.trials,
        "peak_share": view.peak_share,
        "min_squat_share": view.min_squat_share,
        "min_visibility": view.min_visibility,
    }
