// kneecoach browser player: runs the session timeline the server built.
// Deadlines are absolute from the start (performance.now()), so waiting errors never add
// up; every finished set is posted at once, so a closed tab loses nothing.
(function () {
  "use strict";
  const root = document.getElementById("player");
  const steps = JSON.parse(document.getElementById("timeline").textContent);
  const speed = Number(root.dataset.speed) || 1;
  const csrf = root.dataset.csrf;
  const $ = (id) => document.getElementById(id);
  const total = steps.length ? steps[steps.length - 1].start + steps[steps.length - 1].duration : 0;
  const totalSets = steps.filter((s) => s.ends_set).length;
  let base = 0, pausedAt = null, index = -1, timer = null, lock = null, audio = null, setsDone = 0;
  let figureKey = null, figureRep = null;

  // The exercise's figure, inline so its animation can be restarted on each rep's first
  // beat and paused with the session: it moves in step with the counting.
  function figureFor(s) {
    if (!s.figure) return;
    if (s.figure !== figureKey) {
      const url = figureKey = s.figure; figureRep = null;
      fetch(url, {credentials: "same-origin"})
        .then((r) => (r.ok ? r.text() : ""))
        .then((text) => {
          if (figureKey !== url) return;
          $("figure").innerHTML = text;
          if (steps[index]) pose(steps[index]);
        })
        .catch(() => { /* the figure is a help, not a must */ });
    } else pose(s);
  }

  function pose(s) {
    const svg = $("figure").querySelector("svg");
    if (!svg || !svg.setCurrentTime) return;
    const moving = s.kind === "beat" || s.kind === "hold";
    if (moving && (s.kind === "hold" ? figureRep !== "hold" : figureRep !== s.rep)) {
      figureRep = s.kind === "hold" ? "hold" : s.rep;
      svg.setCurrentTime(Math.max(0, offset() - s.start) / speed);
    }
    if (!moving) { figureRep = null; svg.setCurrentTime(0); }
    if (moving && pausedAt === null) svg.unpauseAnimations(); else svg.pauseAnimations();
  }

  function now() { return performance.now() / 1000 * speed; }
  function offset() { return (pausedAt === null ? now() : pausedAt) - base; }

  function say(text, important) {
    if (!text) return;
    if ($("beep").checked) beep(important ? 880 : 660);
    if (!$("voice").checked || !("speechSynthesis" in window) || speed > 3) return;
    if (!important && speechSynthesis.speaking) return;
    if (important) speechSynthesis.cancel();
    speechSynthesis.speak(new SpeechSynthesisUtterance(text));
  }

  function beep(freq) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      const osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = freq; gain.gain.value = 0.08;
      osc.connect(gain).connect(audio.destination);
      osc.start(); osc.stop(audio.currentTime + 0.12);
    } catch (e) { /* sound is optional */ }
  }

  function post(url, body) {
    return fetch(url, {method: "POST", headers: {"Content-Type": "application/json",
      "X-CSRF-Token": csrf}, body: JSON.stringify(body), credentials: "same-origin"});
  }

  function record(step, complete) {
    const elapsed = Math.max(0, offset() - step.start);
    const body = {exercise: step.exercise, variant: step.variant, side: step.side,
                  set_number: step.set_number, load_kg: step.load_kg};
    if (step.kind === "hold") body.hold_seconds = complete ? step.hold_seconds : Math.floor(Math.min(elapsed, step.hold_seconds));
    else body.reps = complete ? step.reps : Math.max(0, (step.rep || 1) - 1);
    if (!complete && !(body.reps || body.hold_seconds)) return;
    setsDone += 1;
    post("/session/sets", body);
  }

  function enter(i) {
    index = i;
    if (i >= steps.length) return finish();
    const s = steps[i];
    $("exercise").textContent = s.exercise_name;
    $("cue").textContent = s.cue_line || "";
    $("side").textContent = (s.side === "both" ? "" : s.side.toUpperCase() + " leg · ") + "set " + s.set_number + " of " + s.sets;
    const important = s.kind !== "beat";
    say(s.cue, important);
    let upcoming = "The end of the session.";
    for (let j = i + 1; j < steps.length; j++) {
      if (steps[j].kind !== "beat" && steps[j].kind !== "hold") { upcoming = steps[j].cue; break; }
    }
    $("next").textContent = upcoming;
    figureFor(s);
  }

  function draw() {
    const s = steps[index];
    if (!s) return;
    const left = Math.max(0, s.start + s.duration - offset());
    if (s.kind === "beat") { $("big").textContent = s.rep + "/" + s.reps; $("label").textContent = s.phase.toUpperCase(); }
    else {
      $("big").textContent = String(Math.ceil(left));
      $("label").textContent = {"get-ready": "GET READY", rest: "REST", "switch-side": "SWITCH SIDES", hold: "HOLD"}[s.kind];
    }
    if (pausedAt !== null) $("label").textContent = "PAUSED";
    $("progress").value = Math.min(total, offset());
    $("setcount").textContent = "set " + Math.min(totalSets, setsDone + 1) + " of " + totalSets;
    const rest = Math.max(0, total - offset()) / 1;
    $("left").textContent = Math.floor(rest / 60) + ":" + String(Math.floor(rest % 60)).padStart(2, "0");
  }

  function tick() {
    if (pausedAt !== null) return schedule();
    const at = offset();
    while (index < steps.length && at >= steps[index].start + steps[index].duration) {
      if (steps[index].ends_set) record(steps[index], true);
      enter(index + 1);
      if (index >= steps.length) return;
    }
    draw();
    schedule();
  }

  function schedule() {
    const s = steps[index];
    const wait = s ? Math.min(100, Math.max(0, (s.start + s.duration - offset()) / speed * 1000)) : 100;
    timer = setTimeout(tick, wait);
  }

  async function start() {
    $("start").hidden = true; $("pause").hidden = false; $("skip").hidden = false;
    try { if ("wakeLock" in navigator) lock = await navigator.wakeLock.request("screen"); } catch (e) { /* optional */ }
    base = now();
    enter(0); draw(); schedule();
  }

  function jump(i) {
    base = now() - (i < steps.length ? steps[i].start : total);
    if (pausedAt !== null) pausedAt = now();
    enter(i); draw();
  }

  function skip() {
    const s = steps[index];
    if (!s) return;
    if (s.kind === "beat" || s.kind === "hold") {
      record(s, false);
      let end = index;
      while (end < steps.length - 1 && !steps[end].ends_set) end++;
      jump(end + 1);
    } else jump(index + 1);
  }

  function togglePause() {
    if (pausedAt === null) { pausedAt = now(); $("pause").textContent = "Resume"; }
    else { base += now() - pausedAt; pausedAt = null; $("pause").textContent = "Pause"; }
    if (steps[index]) pose(steps[index]);
    draw();
  }

  function finish() {
    clearTimeout(timer);
    if (lock) lock.release();
    root.hidden = true;
    $("finish").hidden = false;
    say("Session complete. Well done.", true);
  }

  $("start").addEventListener("click", start);
  $("pause").addEventListener("click", togglePause);
  $("skip").addEventListener("click", skip);
  document.addEventListener("keydown", (e) => {
    if (index < 0) return;
    if (e.key === " ") { e.preventDefault(); togglePause(); }
    if (e.key === "n") skip();
  });
  if (!steps.length) { $("exercise").textContent = "Everything is done for today."; $("start").hidden = true; }
})();
