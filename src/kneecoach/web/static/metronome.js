// The run of the day's metronome: a short click at the target step rate (the button's
// data-bpm, from the server), by the Web Audio API. Beats are scheduled a little ahead on the
// audio clock, so timer jitter does not move them. Stop suspends the audio context.
(function () {
  "use strict";
  var button = document.getElementById("metronome");
  if (!button) return;
  var bpm = Number(button.getAttribute("data-bpm"));
  if (!(bpm > 0)) { button.disabled = true; return; }
  var startLabel = button.textContent;
  var AudioContextClass = window.AudioContext || window.webkitAudioContext;
  if (!AudioContextClass) {
    button.disabled = true;
    button.textContent = "This browser cannot play a metronome";
    return;
  }
  var context = null;
  var timer = null;
  var nextBeat = 0;
  var interval = 60 / bpm;
  var AHEAD = 0.2; // seconds of beats scheduled ahead
  var TICK_MS = 50;

  function click(at) {
    var oscillator = context.createOscillator();
    var gain = context.createGain();
    oscillator.frequency.value = 1000;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.6, at + 0.002);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.04);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(at);
    oscillator.stop(at + 0.05);
  }

  function schedule() {
    while (nextBeat < context.currentTime + AHEAD) {
      click(nextBeat);
      nextBeat += interval;
    }
  }

  function start() {
    if (!context) context = new AudioContextClass();
    window.kneecoachMetronome = context;
    context.resume().then(function () {
      nextBeat = context.currentTime + 0.05;
      schedule();
      timer = window.setInterval(schedule, TICK_MS);
    });
    button.setAttribute("aria-pressed", "true");
    button.textContent = "Stop metronome";
  }

  function stop() {
    if (timer !== null) window.clearInterval(timer);
    timer = null;
    if (context) context.suspend();
    button.setAttribute("aria-pressed", "false");
    button.textContent = startLabel;
  }

  button.addEventListener("click", function () {
    if (button.getAttribute("aria-pressed") === "true") stop(); else start();
  });
})();
