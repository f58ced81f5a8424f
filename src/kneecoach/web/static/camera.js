// kneecoach's camera: the phone's camera and the pose model (MediaPipe, served by the app
// from /static/pose/, kept by the service worker), both on the device. Each video frame is
// turned into body landmarks here and only the landmarks go on, to the page's listeners
// (the player's rep counter, the knee-alignment test): no frame is drawn anywhere but the
// preview, kept, or sent. Every frame of landmarks, from the model or from a test, goes
// through one entry point, frame().
(function () {
  "use strict";
  // MediaPipe's landmark numbers for the points the rules use.
  const LANDMARKS = {
    left_shoulder: 11, right_shoulder: 12, left_hip: 23, right_hip: 24, left_knee: 25,
    right_knee: 26, left_ankle: 27, right_ankle: 28, left_toe: 31, right_toe: 32,
  };
  const MODEL_COMPLEXITY = {lite: 0, full: 1};
  const listeners = new Set();
  let stream = null, video = null, pose = null, running = false, held = false, busy = false;
  let lastTime = -1;
  const stats = {frames: 0, found: 0, started: null, model: null};

  function listen(fn) { listeners.add(fn); return () => listeners.delete(fn); }

  // The one way in for a frame of landmarks: {at, points: {left_knee: [x, y]}, visibility}.
  function frame(landmarks) {
    listeners.forEach((fn) => fn(landmarks));
  }

  // A model result as a frame: points in the video's pixels (square units), the person's
  // own left and right, as the rules name them.
  function toFrame(results, at, width, height) {
    const found = results.poseLandmarks;
    if (!found) return {at: at, points: {}, visibility: {}};
    const points = {}, visibility = {};
    Object.keys(LANDMARKS).forEach((name) => {
      const mark = found[LANDMARKS[name]];
      if (!mark) return;
      points[name] = [mark.x * width, mark.y * height];
      visibility[name] = mark.visibility === undefined ? 1 : mark.visibility;
    });
    return {at: at, points: points, visibility: visibility};
  }

  function supported() {
    return Boolean(navigator.mediaDevices && navigator.mediaDevices.getUserMedia && window.WebAssembly);
  }

  function loadModelScript() {
    if (window.Pose) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = "/static/pose/pose.js";
      script.onload = () => resolve();
      script.onerror = () => reject(new Error("the pose model could not be loaded"));
      document.head.appendChild(script);
    });
  }

  // Start the camera into `view` (a <video> shown to the runner as a preview) and the pose
  // model ("lite" or "full"). Resolves once the first frame has gone through the model.
  async function start(view, model) {
    if (running) return;
    if (!supported()) throw new Error("this browser cannot use the camera");
    video = view;
    stream = await navigator.mediaDevices.getUserMedia({audio: false,
      video: {facingMode: "user", width: {ideal: 640}, height: {ideal: 480}}});
    video.srcObject = stream;
    video.muted = true;
    video.playsInline = true;
    await video.play();
    await loadModelScript();
    pose = new window.Pose({locateFile: (file) => "/static/pose/" + file});
    pose.setOptions({modelComplexity: MODEL_COMPLEXITY[model] === undefined ? 0 : MODEL_COMPLEXITY[model],
      smoothLandmarks: true, enableSegmentation: false, selfieMode: false,
      minDetectionConfidence: 0.5, minTrackingConfidence: 0.5});
    pose.onResults((results) => {
      stats.frames += 1;
      if (results.poseLandmarks) stats.found += 1;
      frame(toFrame(results, performance.now() / 1000, video.videoWidth, video.videoHeight));
    });
    await pose.initialize();
    running = true; held = false;
    stats.frames = 0; stats.found = 0; stats.started = performance.now(); stats.model = model;
    await step();
    loop();
  }

  async function step() {
    if (!running || held || busy || !video || video.readyState < 2) return;
    if (video.currentTime === lastTime) return;
    lastTime = video.currentTime;
    busy = true;
    try { await pose.send({image: video}); } finally { busy = false; }
  }

  function loop() {
    if (!running) return;
    step().catch(() => { /* a frame the model could not read is skipped */ }).finally(() => {
      if (!running) return;
      if (video && video.requestVideoFrameCallback) video.requestVideoFrameCallback(loop);
      else requestAnimationFrame(loop);
    });
  }

  // Hold the model (the session paused): the camera stays on, no frame is read.
  function hold() { held = true; }
  function resume() { held = false; }

  function stop() {
    running = false;
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    if (video) video.srcObject = null;
    if (pose) pose.close();
    pose = null;
  }

  // Frames read a second since the model started.
  function rate() {
    if (!stats.started) return 0;
    return stats.frames / Math.max(0.001, (performance.now() - stats.started) / 1000);
  }

  window.kneecoachCamera = {start: start, stop: stop, hold: hold, resume: resume, frame: frame,
    listen: listen, supported: supported, rate: rate, stats: stats,
    get running() { return running; }};
})();
