// kneecoach's camera rules in the browser: the same steps as the domain's (domain/pose.py),
// frame by frame, so reps are counted on the device while the video stays there. Every
// number (the angle to follow, its start and deepest values, the hysteresis shares, the
// longest unseen gap, the tempo's bounds) comes from the server's view of the exercise
// (services.pose.camera_movement); this file only runs the steps. A test feeds the same
// generated recordings to this and to the domain and compares what each counts.
(function (root) {
  "use strict";
  const SIDES = ["left", "right"];

  function other(side) { return side === "left" ? "right" : "left"; }

  // A landmark seen well enough, or null (as the domain's LandmarkSeries leaves it NaN).
  function point(frame, name, minVisibility) {
    const found = frame.points[name];
    if (!found) return null;
    const seen = frame.visibility && name in frame.visibility ? frame.visibility[name] : 1;
    return seen >= minVisibility ? found : null;
  }

  function direction(start, end) {
    if (!start || !end) return NaN;
    return Math.atan2(end[1] - start[1], end[0] - start[0]) * 180 / Math.PI;
  }

  // Flexion between two consecutive segments: 0 in line, up to 180 (Python's floored %).
  function between(first, second) {
    const turned = second - first + 180;
    return Math.abs((((turned % 360) + 360) % 360) - 180);
  }

  // The knee, hip and ankle angles of one leg in one frame (NaN where a landmark is unseen);
  // the hip is measured from that side's shoulder, or the other one when it is hidden.
  function jointAngles(frame, side, minVisibility) {
    const at = (part, s) => point(frame, (s || side) + "_" + part, minVisibility);
    const shoulder = at("shoulder") || at("shoulder", other(side));
    const hip = at("hip"), knee = at("knee"), ankle = at("ankle"), toe = at("toe");
    const thigh = direction(hip, knee), shank = direction(knee, ankle);
    return {
      knee: between(thigh, shank),
      hip: between(direction(shoulder, hip), thigh),
      ankle: between(shank, direction(ankle, toe)),
    };
  }

  function share(movement, angle) { return (angle - movement.rest) / (movement.peak - movement.rest); }

  function freshState() { return {phase: "unknown", lastAt: null, lastShare: null, leftAt: null, deepest: 0}; }

  function crossing(state, at, value, threshold) {
    if (state.lastAt === null || state.lastShare === null || value === state.lastShare) return at;
    const part = (threshold - state.lastShare) / (value - state.lastShare);
    return state.lastAt + Math.min(1, Math.max(0, part)) * (at - state.lastAt);
  }

  // One steadied sample (domain.pose.advance): the new state and the rep it completed.
  function advance(movement, state, at, value) {
    if (state.lastAt !== null && at - state.lastAt > movement.max_gap_seconds) state = freshState();
    let phase = state.phase, leftAt = state.leftAt, deepest = state.deepest, done = null;
    if (value <= movement.leave_share) {
      if (phase === "deep" && leftAt !== null) {
        done = {started: leftAt, ended: crossing(state, at, value, movement.leave_share), depth: deepest};
      }
      phase = "rest"; leftAt = null; deepest = 0;
    } else if (phase === "rest") {
      phase = "going"; leftAt = crossing(state, at, value, movement.leave_share); deepest = value;
    } else if (phase === "going" || phase === "deep") {
      deepest = Math.max(deepest, value);
      if (value >= movement.enter_share) phase = "deep";
    }
    return {state: {phase: phase, lastAt: at, lastShare: value, leftAt: leftAt, deepest: deepest}, rep: done};
  }

  function median3(a, b, c) { return [a, b, c].sort((x, y) => x - y)[1]; }

  // The tempo of a rep: its time away from the start against what the tempo gives it.
  function tempoOf(movement, rep) {
    const seconds = rep.ended - rep.started;
    const expected = movement.away_seconds;
    const ratio = expected > 0 ? seconds / expected : 1;
    const tempo = ratio < movement.too_fast_share ? "too fast" : ratio > movement.too_slow_share ? "too slow" : "in time";
    return {started: rep.started, ended: rep.ended, depth: rep.depth, seconds: seconds,
            expected_seconds: expected, tempo: tempo};
  }

  // The counter fed frame by frame (domain.pose.Stream): each share steadied by the median
  // of itself and its neighbours, so a frame is judged one frame late; finish() judges the
  // last. onRep is called with each rep counted, its tempo judged.
  function Counter(movement, side, onRep) {
    this.movement = movement;
    this.side = side;
    this.onRep = onRep || function () {};
    this.state = freshState();
    this.pending = [];
    this.started = false;
    this.reps = [];
  }

  Counter.prototype.angleOf = function (frame) {
    return jointAngles(frame, this.side, this.movement.min_visibility)[this.movement.joint];
  };

  Counter.prototype.counted = function (rep) {
    if (rep === null) return null;
    const judged = tempoOf(this.movement, rep);
    this.reps.push(judged);
    this.onRep(judged, this.reps.length);
    return judged;
  };

  Counter.prototype.feedShare = function (at, value) {
    if (!Number.isFinite(value)) return null;
    this.pending.push([at, value]);
    if (!this.started) {
      this.started = true;
      const step = advance(this.movement, this.state, at, value);
      this.state = step.state;
      return this.counted(step.rep);
    }
    if (this.pending.length < 3) return null;
    const [before, middle, after] = this.pending;
    const step = advance(this.movement, this.state, middle[0], median3(before[1], middle[1], after[1]));
    this.state = step.state;
    this.pending = this.pending.slice(1);
    return this.counted(step.rep);
  };

  // One frame of landmarks: {at: seconds, points: {left_knee: [x, y], ...}, visibility: {...}}.
  Counter.prototype.feed = function (frame) {
    return this.feedShare(frame.at, share(this.movement, this.angleOf(frame)));
  };

  Counter.prototype.finish = function () {
    if (this.pending.length !== 2) return null;
    const last = this.pending[1];
    const step = advance(this.movement, this.state, last[0], last[1]);
    this.pending = [];
    return this.counted(step.rep);
  };

  // A whole recording counted (what a test compares with the domain's count_set).
  function countFrames(movement, side, frames) {
    const counter = new Counter(movement, side);
    frames.forEach((frame) => counter.feed(frame));
    counter.finish();
    return counter.reps;
  }

  // ---- knee alignment (domain.pose.fppa_series / fppa_trial) ----

  // The frontal plane projection angle of one leg in one frame (front view): positive when
  // the knee is inside the hip-ankle line (toward the other hip), negative outside it.
  function fppaOf(frame, side, minVisibility) {
    const hip = point(frame, side + "_hip", minVisibility);
    const knee = point(frame, side + "_knee", minVisibility);
    const ankle = point(frame, side + "_ankle", minVisibility);
    const otherHip = point(frame, other(side) + "_hip", minVisibility);
    const size = between(direction(hip, knee), direction(knee, ankle));
    if (!hip || !knee || !ankle) return NaN;
    const line = [ankle[0] - hip[0], ankle[1] - hip[1]];
    const length = line[0] * line[0] + line[1] * line[1];
    const along = length > 0 ? ((knee[0] - hip[0]) * line[0] + (knee[1] - hip[1]) * line[1]) / length : NaN;
    const off = [knee[0] - (hip[0] + along * line[0]), knee[1] - (hip[1] + along * line[1])];
    if (!otherHip) return NaN;  // which side the knee went to is unknown without it
    const inward = [otherHip[0] - hip[0], otherHip[1] - hip[1]];
    const sign = Math.sign(off[0] * inward[0] + off[1] * inward[1]);
    if (Number.isNaN(sign)) return NaN;
    return sign < 0 ? -size : size;
  }

  function legLength(frame, side, minVisibility) {
    const hip = point(frame, side + "_hip", minVisibility);
    const ankle = point(frame, side + "_ankle", minVisibility);
    return hip && ankle ? Math.hypot(ankle[0] - hip[0], ankle[1] - hip[1]) : NaN;
  }

  function percentile(sorted, share) {
    const at = share * (sorted.length - 1), low = Math.floor(at), high = Math.min(sorted.length - 1, low + 1);
    return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
  }

  function median(values) {
    const sorted = values.slice().sort((a, b) => a - b), middle = sorted.length >> 1;
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  // One single-leg squat's FPPA at its deepest point (where the hip comes closest to the
  // ankle): the median over the frames within the view's peak share of that depth. Returns
  // {fppa, at, frames}, or {problem: "leg" | "squat"} when the leg or a squat was not seen.
  function fppaTrial(test, frames, side) {
    const usable = [];
    frames.forEach((frame) => {
      const fppa = fppaOf(frame, side, test.min_visibility);
      const length = legLength(frame, side, test.min_visibility);
      if (Number.isFinite(fppa) && Number.isFinite(length)) usable.push({at: frame.at, fppa: fppa, length: length});
    });
    if (usable.length < 3) return {problem: "leg"};
    const standing = percentile(usable.map((u) => u.length).sort((a, b) => a - b), 0.95);
    let deepest = -Infinity, at = null;
    usable.forEach((u) => { if (standing - u.length > deepest) { deepest = standing - u.length; at = u.at; } });
    if (deepest < test.min_squat_share * standing) return {problem: "squat"};
    const near = usable.filter((u) => standing - u.length >= test.peak_share * deepest).map((u) => u.fppa);
    return {fppa: median(near), at: at, frames: near.length};
  }

  root.kneecoachPoseRules = {SIDES: SIDES, jointAngles: jointAngles, Counter: Counter,
                             countFrames: countFrames, tempoOf: tempoOf, fppaOf: fppaOf,
                             fppaTrial: fppaTrial};
})(typeof self !== "undefined" ? self : globalThis);
