"""The camera's rules (domain.pose) on recordings made from kneecoach's own figures.

- Rep counting error: for each camera exercise (split squat, heel raise, bridge, roll down),
  sets of 5 repetitions plus one partial repetition, with jitter of about 7 mm, a tenth of
  the frames lost, one landmark in 20 missed and late frame times, at 10, 15 and 30 frames a
  second: how many repetitions the counter got wrong in all. Target: 0 wrong at >= 15 fps.
- Time per frame of the rules (landmarks to arrays, joint angles, hysteresis, tempo; and the
  FPPA of a single-leg squat trial) against the peer that bounds it: the camera's frame
  interval at 30 fps (33.3 ms). Also one frame fed to ``pose.feed``, what the browser will
  run per frame.

KNEECOACH_BENCH_POSE_SEEDS sets how many recordings per exercise and frame rate (default 10).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import pose_sequences as seq  # noqa: E402

from kneecoach import definitions  # noqa: E402
from kneecoach.domain import pose  # noqa: E402

SEEDS = int(os.environ.get("KNEECOACH_BENCH_POSE_SEEDS", "10"))
RATES = (10, 15, 30)
EXERCISES = (
    ("bulgarian-split-squat", "body-weight"),
    ("bent-knee-heel-raise", "body-weight"),
    ("elevated-single-leg-glute-bridge", "body-weight"),
    ("roll-down", "body-weight"),
)
FAULTS = {"noise": 0.004, "drop": 0.1, "miss": 0.05, "frame_jitter": 0.5}
REPS = 5
FRAME_BUDGET_MS = 1000 / 30


def counting_errors() -> dict[int, tuple[int, int, int]]:
    """Per frame rate: repetitions performed, counted wrong, recordings with any error."""
    catalogue = definitions.catalogue()
    found: dict[int, tuple[int, int, int]] = {}
    for fps in RATES:
        performed = wrong = bad = 0
        for key, variant in EXERCISES:
            exercise = catalogue.get(key)
            movement = pose.movement_of(exercise, variant)
            assert movement is not None
            for seed in range(SEEDS):
                recording = seq.set_recording(
                    exercise, variant, reps=REPS, fps=fps, seed=seed, partial_after=2, **FAULTS
                )
                count = pose.count_set(recording.series, "left", movement).count
                performed += REPS
                wrong += abs(count - REPS)
                bad += count != REPS
        found[fps] = (performed, wrong, bad)
    return found


def _per_frame_ms(work, frames: int, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000 / frames


def timings() -> list[tuple[str, float]]:
    catalogue = definitions.catalogue()
    exercise = catalogue.get("bulgarian-split-squat")
    movement = pose.movement_of(exercise, "body-weight")
    assert movement is not None
    recording = seq.set_recording(exercise, "body-weight", reps=10, fps=30, seed=1, **FAULTS)
    frames = recording.frames
    trial = seq.squat_trial(12.0, fps=30, seed=1, noise=0.004).frames
    series = pose.LandmarkSeries.from_frames(frames)
    angles = pose.joint_angles(series, "left")[movement.joint]
    shares = [movement.share(a) for a in angles.tolist() if a == a]
    times = series.times.tolist()

    def stepping() -> None:
        stream = pose.Stream()
        for at, share in zip(times, shares, strict=False):
            stream, _ = pose.feed(stream, at, share)

    return [
        (
            "count a set (frames in, reps and tempo out)",
            _per_frame_ms(
                lambda: pose.count_set(pose.LandmarkSeries.from_frames(frames), "left", movement),
                len(frames),
            ),
        ),
        ("one frame fed to the streaming counter (browser)", _per_frame_ms(stepping, len(shares))),
        (
            "FPPA of a single-leg squat trial",
            _per_frame_ms(
                lambda: pose.fppa_trial(pose.LandmarkSeries.from_frames(trial), "left"), len(trial)
            ),
        ),
    ]


def main() -> None:
    print("\nCamera rules: rep counting error on generated recordings (domain.pose)")
    print(f"{'fps':>4} {'reps':>6} {'wrong':>6} {'bad sets':>9}  verdict")
    for fps, (performed, wrong, bad) in counting_errors().items():
        verdict = "(information)" if fps < 15 else "ok" if wrong == 0 else "OVER TARGET"
        print(f"{fps:>4} {performed:>6} {wrong:>6} {bad:>9}  {verdict}")
    print("target: 0 repetitions wrong at >= 15 fps")
    print("\nCamera rules: time per frame against the camera's frame interval at 30 fps")
    print(f"{'rule':<52} {'per frame':>10} {'of 33.3 ms':>11}")
    for name, ms in timings():
        print(f"{name:<52} {ms * 1000:>8.1f}us {ms / FRAME_BUDGET_MS:>10.4f}x")


if __name__ == "__main__":
    main()
