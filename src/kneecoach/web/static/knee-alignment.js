// The knee-alignment test on the device: each single-leg squat is recorded as landmarks
// (camera.js), measured here with the domain's rules (pose-rules.js, the numbers from the
// server's view), and only the angles of the test the runner keeps are sent, through the
// outbox (offline.js): with no signal the test waits on the device and is kept when the
// connection returns. The server places the mean beside the published values.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const setup = JSON.parse($("alignmentsetup").textContent);
  const camera = window.kneecoachCamera, rules = window.kneecoachPoseRules;
  const outbox = window.kneecoachOutbox;
  if (!$("startcamera")) return;  // the camera is not offered on this server: the page says why
  let trials = [], recording = null;

  function leg() { return $("leg").value; }

  camera.listen((frame) => { if (recording) recording.push(frame); });

  function showTrials() {
    const list = $("trials");
    list.replaceChildren();
    trials.forEach((trial, i) => {
      const item = document.createElement("li");
      item.textContent = "Squat " + (i + 1) + ": " + trial.fppa.toFixed(1) + "°";
      list.appendChild(item);
    });
    const done = trials.length >= setup.trials;
    $("trial").hidden = done;
    $("trial").textContent = "Record squat " + (trials.length + 1);
    $("keep").hidden = !done;
  }

  function restart() {
    trials = []; recording = null;
    $("result").hidden = true;
    showTrials();
  }

  function toggleTrial() {
    if (!recording) {
      recording = [];
      $("trial").textContent = "End squat " + (trials.length + 1);
      $("camerastate").textContent = "Recording: squat on your " + leg() + " leg, then come back up.";
      return;
    }
    const frames = recording;
    recording = null;
    const measured = rules.fppaTrial(setup, frames, leg());
    if (measured.problem) {
      $("camerastate").textContent = measured.problem === "leg"
        ? "Your " + leg() + " hip, knee and ankle were not seen: step back so your whole body is in view, and record it again."
        : "No squat was seen: bend the standing knee, and record it again.";
    } else {
      trials.push(measured);
      $("camerastate").textContent = "Squat " + trials.length + " measured.";
    }
    showTrials();
  }

  function showAnswer(answer) {
    const test = answer.test;
    const box = $("result");
    box.replaceChildren();
    const lines = [
      test.position.text + " [" + test.position.sources.join("; ") + "]",
      test.caveat.text + " [" + test.caveat.sources.join("; ") + "]",
    ];
    lines.forEach((text) => {
      const p = document.createElement("p");
      p.textContent = text;
      box.appendChild(p);
    });
    box.dataset.mean = String(test.mean);
    box.hidden = false;
  }

  function keep() {
    $("keep").disabled = true;
    const body = {side: leg(), trials: trials.map((t) => ({fppa: Math.round(t.fppa * 100) / 100}))};
    const sending = outbox.send("/knee-alignment/tests", "test", JSON.stringify(body));
    sending.settled.then((state) => {
      if (state !== "waiting") return;
      $("result").textContent = "Kept on this device: the test is sent, and placed beside the published values, when the connection returns.";
      $("result").hidden = false;
    });
    sending.answer
      .then((r) => r.json().then((answer) => ({ok: r.ok, answer: answer})))
      .then(({ok, answer}) => {
        $("keep").disabled = false;
        if (!ok) { $("camerastate").textContent = answer.detail || "The test was not kept."; return; }
        showAnswer(answer);
        trials = [];
        $("trial").hidden = false;
        $("keep").hidden = true;
        $("trial").textContent = "Record squat 1";
        $("trials").replaceChildren();
      })
      .catch(() => { $("camerastate").textContent = "The answer could not be read."; });
  }

  $("startcamera").addEventListener("click", () => {
    if (!camera.supported()) { $("camerastate").textContent = "This browser cannot use a camera."; return; }
    $("startcamera").disabled = true;
    $("camerastate").textContent = "Starting the camera ...";
    $("cameraview").hidden = false;
    camera.start($("cameraview"), $("cameramodel").value).then(() => {
      $("camerastate").textContent = "Camera on: the test is measured on this device.";
      $("trialbox").hidden = false;
      $("startcamera").hidden = true;
    }, (error) => {
      $("startcamera").disabled = false;
      $("cameraview").hidden = true;
      $("camerastate").textContent = "The camera did not start (" + error.message + ").";
    });
  });
  $("trial").addEventListener("click", toggleTrial);
  $("restart").addEventListener("click", restart);
  $("keep").addEventListener("click", keep);
  $("leg").addEventListener("change", restart);
  window.kneecoachAlignment = {get trials() { return trials.slice(); }, get recording() { return recording !== null; }};
})();
