// kneecoach browser player: runs the session the server built (its steps, words and
// figures) on the browser's clock, and reports how each set ended: the set, whether it ran
// to its end, the seconds into the step it stopped in and the repetition under way. The
// server judges what the set counts as. Deadlines are absolute from the start
// (performance.now()), so waiting errors never add up; every set is reported as it ends, so
// a closed tab loses nothing. Reports go through the outbox (offline.js): kept on the device
// first, sent in order, each once, so a session with no signal runs to its end and is sent
// when the connection returns.
(function () {
  "use strict";
  const root = document.getElementById("player");
  const session = JSON.parse(document.getElementById("timeline").textContent);
  let steps = session.steps;
  let total = session.total_seconds;
  const speed = paceOf(new URLSearchParams(location.search).get("speed")) || Number(root.dataset.speed) || 1;
  const outbox = window.kneecoachOutbox;
  const csrf = root.dataset.csrf;
  const $ = (id) => document.getElementById(id);
  let base = 0, pausedAt = null, index = -1, timer = null, lock = null, audio = null;
  let figureKey = null, figureRep = null;

  // The speed the address asks for (the page may be a copy kept for offline, drawn for
  // another speed); the server checks the same bounds when it draws the page.
  function paceOf(text) {
    const value = Number(text);
    return text !== null && value > 0 && value <= 1000 ? value : 0;
  }

  function figureUrl(figure) { return self.kneecoachFigureUrl(figure, speed); }

  // The exercise's figure, inline so its animation can be restarted on each rep's first
  // beat and paused with the session: it moves in step with the counting.
  function figureFor(s) {
    const url = figureUrl(s.figure);
    if (url !== figureKey) {
      figureKey = url; figureRep = null;
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
    const beat = s.rep === null ? "hold" : s.rep;
    if (s.work && figureRep !== beat) {
      figureRep = beat;
      svg.setCurrentTime(Math.max(0, offset() - s.start) / speed);
    }
    if (!s.work) { figureRep = null; svg.setCurrentTime(0); }
    if (s.work && pausedAt === null) svg.unpauseAnimations(); else svg.pauseAnimations();
  }

  function now() { return performance.now() / 1000 * speed; }
  function offset() { return (pausedAt === null ? now() : pausedAt) - base; }
  function minutes(seconds) {
    return Math.floor(seconds / 60) + ":" + String(Math.floor(seconds % 60)).padStart(2, "0");
  }

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

  function problem(text) { $("problem").textContent = text; $("problem").hidden = false; }

  // How the set of step s ended; the server answers with what it kept, or why not. Reports
  // go one at a time, in order (the outbox sends them so), and the finish waits until the
  // last is answered or kept on the device for later.
  let reports = Promise.resolve();
  function track(sending) {
    const before = reports;
    reports = Promise.all([before, sending.settled]);
    return sending;
  }

  function report(s, completed) {
    const body = {exercise: s.exercise, side: s.side, set_number: s.set_number, completed: completed,
                  elapsed_seconds: Math.round(Math.max(0, offset() - s.start) * 1000) / 1000};
    if (s.rep !== null) body.rep = s.rep;
    const counted = cameraCount(s);
    if (counted !== null) {  // the camera's count (as the runner corrected it) in place of the clock's
      body.completed = counted >= (s.set_reps || s.reps);
      body.elapsed_seconds = 0;
      if (body.completed) delete body.rep; else body.rep = counted + 1;
    }
    track(outbox.send("/session/sets", "set", JSON.stringify(body))).answer
      .then((r) => (r.ok ? null : r.json().then((answer) => answer.detail, () => "A set was not kept.")))
      .then((refused) => { if (refused) problem(refused); });
  }

  // Pain during an exercise: asked in the rest after it (one tap, skippable), and open to
  // a tap at any time for the exercise under way. The question names its exercise, the
  // heading above it names the same one (the rest after an exercise is headed by it, not
  // by the next), and a tap is filed under the exercise the question named when it was
  // tapped. When the question moves on to another exercise its buttons are held for a
  // moment, so a tap aimed at the one before is not filed under the new one. The server
  // judges it and answers with the light, the advice and what to offer; at a stop it has
  // logged the session and paused. A tap answers the question at once, with or without a
  // connection: the number tapped shows as chosen and the question stops asking; another
  // tap (the pain changed) takes its place, on the device too while it waits to be sent.
  const PAIN_HOLD_MS = 800;
  let painFor = null, painChosen = null;
  function askPain(s) {
    // an exercise's get-ready, before its first rep: nothing to ask about yet, and the
    // question of the one before (asked in the rest) has gone, its answer with it; the
    // get-ready of the exercise asked about (the rest of a session rebuilt for an easier
    // way starts with one) keeps its answer for when its reps start
    const asked = s.pain_exercise || null;
    const about = asked || (s.exercise === painFor ? painFor : null);
    if (painFor !== about) {
      painFor = about;
      showChosen(null);
      if (about) holdPainButtons(about);
      // the answer shown (the server's advice, or "Pain n kept on this device") was the
      // exercise before's: it goes with its question, as its easier ways do
      const kept = $("painanswer");
      kept.hidden = true;
      kept.textContent = "";
      delete kept.dataset.light;
      // the easier ways offered were for the sets left of the exercise before: none now
      $("offers").replaceChildren();
      $("offers").hidden = true;
    }
    if (!asked) { $("painask").hidden = true; return; }
    $("painexercise").textContent = s.pain_exercise_name;
    $("painask").dataset.exercise = s.pain_exercise;
    $("painask").hidden = false;
    $("painask").classList.toggle("asking", s.asks_pain && painChosen === null);
  }

  // The pain tapped for the exercise asked about (null: none yet), shown on its scale.
  function showChosen(pain) {
    painChosen = pain;
    document.querySelectorAll("#painask button.pain").forEach((b) => {
      b.setAttribute("aria-pressed", String(Number(b.dataset.pain) === pain));
    });
    $("painhint").hidden = pain !== null;
    $("painchosen").hidden = pain === null;
    $("painvalue").textContent = pain === null ? "" : String(pain);
    $("painask").classList.toggle("answered", pain !== null);
    if (pain !== null) $("painask").classList.remove("asking");
  }

  function holdPainButtons(exercise) {
    const buttons = document.querySelectorAll("#painask button.pain");
    buttons.forEach((b) => { b.disabled = true; });
    setTimeout(() => {
      if (painFor === exercise) buttons.forEach((b) => { b.disabled = false; });
    }, PAIN_HOLD_MS);
  }

  function reportPain(pain) {
    const exercise = $("painask").dataset.exercise;
    if (!exercise || exercise !== painFor) return;
    showChosen(pain);
    const sending = track(outbox.send("/session/exercise-pain", "pain",
      JSON.stringify({exercise: exercise, pain: pain}), false, "pain:" + exercise));
    sending.settled.then((state) => {
      if (state !== "waiting" || painChosen !== pain || painFor !== exercise) return;
      if (pain >= session.stop_pain) {
        // no connection to judge it: the stop the server would answer, said here and now
        // (the program's pause follows when the report arrives)
        const advice = session.stop_advice;
        stopForPain(advice.text + " [" + advice.sources.join("; ") + "]", true);
        return;
      }
      const shown = $("painanswer");
      shown.textContent = "Pain " + pain + " kept on this device: it is sent, and answered, when the connection returns.";
      delete shown.dataset.light;
      shown.hidden = false;
    });
    sending.answer
      .then((r) => r.json().then((answer) => ({ok: r.ok, answer: answer})))
      .then(({ok, answer}) => {
        if (!ok) {
          problem(answer.detail || "The pain was not kept.");
          if (painFor === exercise && painChosen === pain) showChosen(null);  // tap it again
          return;
        }
        showVerdict(answer);
      })
      .catch(() => problem("The pain's answer could not be read."));
  }

  function showVerdict(answer) {
    // an answer that comes once the question has moved on is no longer shown (a stop is)
    if (answer.exercise !== painFor && !answer.stopped) return;
    const sources = answer.advice.sources.join("; ");
    const shown = $("painanswer");
    const offer = answer.offered ? " Offer: " + answer.offered + "." : "";
    shown.textContent = answer.advice.text + " [" + sources + "]" + offer;
    shown.dataset.light = answer.light;
    shown.hidden = false;
    showOffers(answer.exercise, answer.choices || []);
    if (answer.stopped) stopForPain(shown.textContent);
  }

  // The easier ways the server offered, one button each; a tap asks the server to take it
  // and the rest of the session comes back as the player now runs it.
  function showOffers(exercise, choices) {
    const box = $("offers");
    box.replaceChildren();
    choices.forEach((choice) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "offer";
      button.dataset.offer = choice.offer;
      button.textContent = choice.words.charAt(0).toUpperCase() + choice.words.slice(1);
      button.addEventListener("click", () => takeOffer(exercise, choice.offer));
      box.appendChild(button);
    });
    box.hidden = choices.length === 0;
  }

  // An easier way needs the server's answer (the rest of the session as it then is): it is
  // asked once everything before it has been sent.
  function takeOffer(exercise, offer) {
    $("offers").querySelectorAll("button").forEach((b) => { b.disabled = true; });
    reports = reports
      .then(() => outbox.waiting())
      .then((waiting) => {
        if (waiting) throw new Error("offline");
        return post("/session/offers", {exercise: exercise, offer: offer});
      })
      .then((r) => r.json().then((answer) => ({ok: r.ok, answer: answer})))
      .then(({ok, answer}) => {
        if (!ok) { $("problem").textContent = answer.detail || "The change was not made."; $("problem").hidden = false; return; }
        $("offers").hidden = true;
        $("painanswer").textContent = answer.message;
        follow(answer.session);
      })
      .catch(() => {
        problem("An easier way needs the connection: carry on as you can, or stop.");
        $("offers").querySelectorAll("button").forEach((b) => { b.disabled = false; });
      });
  }

  // Carry on with the rest of the session as the server rebuilt it, from its start (the
  // set under way begins again, as it now is).
  function follow(rest) {
    steps = rest.steps;
    total = rest.total_seconds;
    session.sets_in_session = rest.sets_in_session;
    $("progress").max = total;
    if (index < 0) return;
    if (!steps.length) return finish();
    jump(0);
  }

  // ``waiting``: stopped on the device with the pain not yet sent (no connection).
  function stopForPain(why, waiting) {
    clearTimeout(timer);
    if (cameraOn) stopCamera();
    index = steps.length;
    letGo();
    root.hidden = true;
    $("controls").hidden = true;
    $("offers").hidden = true;
    $("finish").hidden = true;
    $("painask").hidden = true;
    $("stoppedwhy").textContent = why;
    $("stoppedlogged").hidden = Boolean(waiting);
    $("stoppedwaiting").hidden = !waiting;
    $("stopped").hidden = false;
    say("Stop here.", true);
  }

  // ---- the camera counting reps, on the device (camera.js runs the pose model, and
  // pose-rules.js the domain's counting rules with the numbers the server gave) ----
  const camera = window.kneecoachCamera, rules = window.kneecoachPoseRules;
  const cameraData = JSON.parse($("cameradata").textContent);
  let cameraOn = false, counting = null;

  function movementFor(s) {
    const variants = cameraData.movements[s.figure.exercise];
    return variants ? variants[s.figure.variant] : undefined;
  }
  function setKey(s) { return s.exercise + "|" + s.side + "|" + s.set_number; }

  // Each set of a movement the camera can count gets fresh counters (one per leg for a
  // set done with both legs: the leg seen better counts); frames count only in the set.
  function cameraStep(s) {
    if (!cameraOn) return;
    if (!s.work || s.rep === null) { if (counting) counting.live = false; return; }
    const movement = movementFor(s);
    if (!movement) {
      counting = null;
      $("cameracount").hidden = true;
      $("camerastate").textContent = "The camera does not count " + s.exercise_name + ": the clock does.";
      return;
    }
    if (!counting || counting.key !== setKey(s)) {
      const legs = s.side === "both" ? rules.SIDES : [s.side];
      counting = {key: setKey(s), correction: 0, live: true,
                  counters: legs.map((leg) => new rules.Counter(movement, leg, showTempo))};
      $("tempo").textContent = "";
      $("camerastate").textContent = "Counting " + s.exercise_name + " on this device.";
    }
    counting.live = true;
    $("cameracount").hidden = false;
    showCount();
  }

  function countedNow() {
    if (!counting) return 0;
    const seen = Math.max(...counting.counters.map((c) => c.reps.length));
    return Math.max(0, seen + counting.correction);
  }
  function showCount() { $("counted").textContent = String(countedNow()); }

  function showTempo(rep, number) {
    $("tempo").textContent = "Rep " + number + ": " + rep.tempo + " (" + rep.seconds.toFixed(1) +
      " s away from the start; the tempo gives about " + rep.expected_seconds.toFixed(1) + " s).";
    $("tempo").dataset.tempo = rep.tempo;
    if (rep.tempo === "too fast") say("Slower", false);
    showCount();
  }

  // The count of the set of step s as the camera saw it and the runner corrected it, or
  // null when the camera is not counting this set (the clock's report goes as ever).
  function cameraCount(s) {
    const target = s.set_reps || s.reps;
    if (!counting || counting.key !== setKey(s) || !target) return null;
    counting.counters.forEach((c) => c.finish());
    counting.live = false;
    showCount();
    return Math.min(target, countedNow());
  }

  function setUpCamera() {
    const box = $("usecamera");
    if (!box || !camera || !rules) return;
    camera.listen((frame) => {
      if (counting && counting.live) { counting.counters.forEach((c) => c.feed(frame)); showCount(); }
    });
    if (!camera.supported()) {
      box.disabled = true;
      $("camerastate").textContent = "This browser cannot use a camera: the clock counts.";
      return;
    }
    box.addEventListener("change", () => {
      if (!box.checked) { stopCamera(); $("camerastate").textContent = "Camera off: the clock counts."; return; }
      $("camerastate").textContent = "Starting the camera ...";
      $("cameraview").hidden = false;
      camera.start($("cameraview"), $("cameramodel").value).then(() => {
        cameraOn = true;
        $("camerastate").textContent = "Camera on: reps are counted on this device.";
        if (steps[index]) cameraStep(steps[index]);
      }, (error) => {
        box.checked = false;
        stopCamera();
        $("camerastate").textContent = "The camera did not start (" + error.message + "): the clock counts.";
      });
    });
    $("countless").addEventListener("click", () => { if (counting) { counting.correction -= countedNow() > 0 ? 1 : 0; showCount(); } });
    $("countmore").addEventListener("click", () => { if (counting) { counting.correction += 1; showCount(); } });
  }

  function stopCamera() {
    cameraOn = false;
    counting = null;
    if (camera) camera.stop();
    $("cameraview").hidden = true;
    $("cameracount").hidden = true;
  }

  function enter(i) {
    index = i;
    if (i >= steps.length) return finish();
    const s = steps[i];
    root.dataset.kind = s.kind;  // what the step is (work, rest…), for the page's style
    askPain(s);
    if (s.asks_pain) {
      // the rest after an exercise belongs to it: its pain is asked under its own name
      $("exercise").textContent = s.pain_exercise_name;
      $("cue").textContent = "Done. Rest, then " + s.exercise_name + ".";
      $("side").textContent = "";
      // the figure is already the next exercise's, under the heading of the one just done
      $("figurecaption").textContent = "Next: " + s.exercise_name;
    } else {
      $("figurecaption").textContent = "";
      $("exercise").textContent = s.exercise_name;
      $("cue").textContent = s.cue_line;
      $("side").textContent = [s.side_label, "set " + s.set_number + " of " + s.sets,
        s.set_reps ? s.set_reps + " reps" : "", s.variant_name, s.range_text].filter(Boolean).join(" · ");
    }
    $("figurecaption").hidden = !$("figurecaption").textContent;
    $("next").textContent = s.next_line;
    say(s.cue, s.important);
    figureFor(s);
    cameraStep(s);
  }

  function draw() {
    const s = steps[index];
    if (!s) return;
    const left = Math.max(0, s.start + s.duration - offset());
    $("big").textContent = s.kind === "beat" ? s.rep + "/" + s.reps : String(Math.ceil(left));
    $("label").textContent = pausedAt === null ? s.label : "PAUSED";
    $("progress").value = Math.min(total, offset());
    $("setcount").textContent = s.set_in_session + " of " + session.sets_in_session + " sets today";
    $("left").textContent = minutes(Math.max(0, total - offset()));
  }

  function tick() {
    if (pausedAt !== null) return schedule();
    const at = offset();
    while (index < steps.length && at >= steps[index].start + steps[index].duration) {
      if (steps[index].ends_set) report(steps[index], true);
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

  // While the session runs the screen stays on (a wake lock, taken again when the page
  // comes back into view, as the browser lets it go when the page is hidden) and, if the
  // runner wants it (the default on a phone), the page fills the screen.
  let running = false;
  function keepAwake() {
    if (!running || !("wakeLock" in navigator) || document.visibilityState !== "visible") return;
    if (lock && !lock.released) return;
    navigator.wakeLock.request("screen")
      .then((taken) => { lock = taken; if (!running) letGo(); })
      .catch(() => { /* optional: the browser may refuse */ });
  }
  document.addEventListener("visibilitychange", keepAwake);

  function fillScreen() {
    const page = document.documentElement;
    if (!$("fullscreen").checked || document.fullscreenElement || !page.requestFullscreen) return;
    page.requestFullscreen({navigationUI: "hide"}).catch(() => { /* optional */ });
  }

  function letGo() {
    running = false;
    if (lock) { lock.release().catch(() => {}); lock = null; }
    if (document.fullscreenElement && document.exitFullscreen) document.exitFullscreen().catch(() => {});
  }

  function start() {
    $("start").hidden = true;
    ["back", "pause", "skip"].forEach((id) => { $(id).hidden = false; });
    running = true;
    fillScreen();
    keepAwake();
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
    if (s.work) {
      report(s, false);
      let end = index;
      while (end < steps.length - 1 && !steps[end].ends_set) end++;
      jump(end + 1);
    } else jump(index + 1);
  }

  // Back to the start of the set under way (in a rest, to the start of the rest): a set
  // already reported is never run again.
  function back() {
    if (!steps[index]) return;
    let first = index;
    while (first > 0 && !steps[first - 1].ends_set) first--;
    if (steps[index].kind !== "rest") while (first < index && steps[first].kind === "rest") first++;
    jump(first);
  }

  function togglePause() {
    if (pausedAt === null) { pausedAt = now(); $("pause").textContent = "Resume"; if (cameraOn) camera.hold(); }
    else { base += now() - pausedAt; pausedAt = null; $("pause").textContent = "Pause"; if (cameraOn) camera.resume(); }
    if (steps[index]) pose(steps[index]);
    draw();
  }

  function askHowItWent() {
    const last = steps[steps.length - 1];
    if (last) askPain(Object.assign({}, last, {asks_pain: true}));
    const send = $("finish").querySelector("button");
    send.disabled = true;
    reports.then(() => { send.disabled = false; });
    root.hidden = true;
    $("controls").hidden = true;
    $("offers").hidden = true;
    $("finish").hidden = false;
  }

  function finish() {
    clearTimeout(timer);
    if (cameraOn) stopCamera();
    letGo();
    askHowItWent();
    say("Session complete. Well done.", true);
  }

  // Why the server refused the finish, from the page it answered with (its heading and
  // lines, without the way back).
  function refusal(html) {
    const page = new DOMParser().parseFromString(html, "text/html");
    const heading = page.querySelector("main h1");
    const lines = Array.from(page.querySelectorAll("main > p"))
      .filter((p) => !p.id && !p.querySelector("a"))
      .map((p) => p.textContent.trim()).filter(Boolean);
    return (heading ? heading.textContent.trim() : "Not logged") + ": " +
      (lines.join(" ") || "the session was not logged.");
  }

  // The finish goes through the outbox too, after every set: with no signal it waits on the
  // device and is logged when the connection returns.
  $("finish").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = $("finish");
    const send = form.querySelector("button");
    send.disabled = true;
    const fields = new URLSearchParams(new FormData(form));
    fields.delete("csrf");  // the outbox adds the token of the page that sends it
    const sending = track(outbox.send("/session/finish", "finish", fields.toString(), true));
    sending.settled.then((state) => {
      if (state !== "waiting") return;
      form.querySelectorAll("input, label").forEach((field) => { field.hidden = true; });
      send.hidden = true;
      $("finishwaiting").hidden = false;
    });
    sending.answer.then((r) => {
      // logged: the server sent the page on to Today (a 303 given again under its key
      // comes without the address, which is always Today)
      if ((r.ok && r.redirected) || r.status === 303) { location.assign("/today"); return; }
      return r.text().then(refusal).then((why) => {
        problem(why);
        form.querySelectorAll("input, label").forEach((field) => { field.hidden = false; });
        send.hidden = false;
        send.disabled = false;
        $("finishwaiting").hidden = true;
      });
    });
  });

  document.querySelectorAll("#painask button.pain").forEach((button) => {
    button.addEventListener("click", () => reportPain(Number(button.dataset.pain)));
  });
  setUpCamera();
  // what waits on the device to be sent is said in the dock, one short line above the
  // controls, rather than above the player, where it pushed the beat under the dock
  $("dock").prepend($("outbox"));
  $("start").addEventListener("click", start);
  $("pause").addEventListener("click", togglePause);
  $("skip").addEventListener("click", skip);
  $("back").addEventListener("click", back);
  $("fullscreen").checked = matchMedia("(max-width: 640px), (pointer: coarse)").matches;
  document.addEventListener("keydown", (e) => {
    if (index < 0) return;
    if (e.key === " ") { e.preventDefault(); togglePause(); }
    if (e.key === "n") skip();
    if (e.key === "b") back();
  });
  if (steps.length) {
    $("setcount").textContent = steps[0].set_in_session + " of " + session.sets_in_session + " sets today";
    $("left").textContent = minutes(total);
    $("next").textContent = session.opening_line;
    figureFor(steps[0]);
  } else askHowItWent();  // every set is kept already: only the finish is left
})();
