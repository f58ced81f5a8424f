// kneecoach service worker: the app keeps working with no signal (a gym, a bedroom).
// - The app shell (styles, scripts, icons) is kept at install, per version: a newer
//   deployment is a newer worker, whose cache replaces the old one.
// - Pages are asked of the network first and kept as they come; with no network the kept
//   copy is shown (the player's page under any speed), else a page that says so.
// - Today's page asks the worker to keep the player's page and its figures too (and the
//   check-in), so a session can be started after the signal is gone. Online, every page and plan is
//   fetched afresh, so a newer plan replaces the kept one.
// - A page that offers the camera asks the worker to keep the pose model ("keep-pose").
// - Nothing is kept for the API, and nothing but GETs: what the player sends waits in the
//   page's outbox (offline.js) until the network is back.
const VERSION = "__KNEECOACH_VERSION__";
const SHELL = "kneecoach-shell-" + VERSION;
const PAGES = "kneecoach-pages-" + VERSION;
const SHELL_FILES = [
  "/static/app.css", "/static/page.js", "/static/offline.js", "/static/player.js",
  "/static/figure-url.js", "/static/metronome.js", "/static/icon.svg",
  "/static/icon-maskable.svg", "/static/icon-192.png", "/static/icon-512.png",
  "/static/icon-maskable-512.png", "/manifest.webmanifest", "/static/pose-rules.js",
  "/static/camera.js", "/static/knee-alignment.js",
];
// The camera's pose model (static/pose/, installed with the app): kept when a page that
// offers the camera asks ("keep-pose"), so the camera counts with no signal too.
const POSE_FILES = [
  "pose.js", "pose_web.binarypb", "pose_solution_packed_assets_loader.js",
  "pose_solution_packed_assets.data", "pose_solution_simd_wasm_bin.js",
  "pose_solution_simd_wasm_bin.wasm", "pose_solution_simd_wasm_bin.data",
  "pose_solution_wasm_bin.js", "pose_solution_wasm_bin.wasm", "pose_landmark_lite.tflite",
  "pose_landmark_full.tflite",
].map((name) => "/static/pose/" + name);
importScripts("/static/figure-url.js");

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(SHELL_FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((n) => n.startsWith("kneecoach-") && n !== SHELL && n !== PAGES)
      .map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

function isFigure(url) { return /^\/exercises\/[^/]+\/figure\.svg$/.test(url.pathname); }

// What a page's copy is kept under: its own address. A page the server sent elsewhere is
// not kept; one it refused now (the program paused: no session) also drops the copy kept
// before, under any speed, so a paused program never runs from an old copy.
async function keep(request, response) {
  if (response.redirected || response.type !== "basic") return;
  const pages = await caches.open(PAGES);
  if (response.ok) await pages.put(request, response);
  else await pages.delete(request, {ignoreSearch: true});
}

async function kept(request, url) {
  const pages = await caches.open(PAGES);
  const found = await pages.match(request) || await caches.match(request);
  if (found) return found;
  if (isFigure(url)) {  // the figure at the plain pace, when this pace was never kept
    const plain = new URL(url); plain.searchParams.set("speed", "1");
    return pages.match(plain.href);
  }
  if (request.mode === "navigate") {  // the player kept under another speed; the app's start
    const found = await pages.match(request, {ignoreSearch: true});
    return found || (url.pathname === "/" ? pages.match("/today") : undefined);
  }
  return undefined;
}

async function networkFirst(request, url) {
  try {
    const response = await fetch(request);
    await keep(request, response.clone());
    return response;
  } catch (error) {
    const found = await kept(request, url);
    if (found) return found;
    if (request.mode === "navigate") {
      return new Response("<!doctype html><html lang=\"en\"><meta name=\"viewport\" " +
        "content=\"width=device-width, initial-scale=1\"><link rel=\"stylesheet\" href=\"/static/app.css\">" +
        "<title>No connection · kneecoach</title><main id=\"main\"><h1>No connection</h1>" +
        "<p>This page has not been kept on this device. <a href=\"/today\">Today</a> and the " +
        "guided session are.</p></main></html>",
        {status: 503, headers: {"Content-Type": "text/html; charset=utf-8"}});
    }
    return Response.error();
  }
}

async function shellFirst(request) {
  const found = await caches.match(request);
  if (found) return found;
  const response = await fetch(request);
  if (response.ok) (await caches.open(SHELL)).put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/") || url.pathname === "/sw.js") return;
  if (url.pathname.startsWith("/static/") || url.pathname === "/manifest.webmanifest") {
    event.respondWith(shellFirst(request));
  } else if (request.mode === "navigate" || isFigure(url)) {
    event.respondWith(networkFirst(request, url));
  }
});

// Today's page asks for itself, the player's page, its figures and the check-in to be kept
// ("keep-session"); a
// log-out asks for every kept page to be forgotten ("forget"). The answer goes back on the
// message's port.
async function keepPage(path) {
  const response = await fetch(path, {credentials: "same-origin"});
  await keep(new Request(new URL(path, self.location.origin).href), response);
}

async function keepSession() {
  await keepPage("/today");  // kept as the page asking is: a first visit's page came before the worker
  await keepPage("/checkin");
  const response = await fetch("/session", {credentials: "same-origin"});
  await keep(new Request(new URL("/session", self.location.origin).href), response.clone());
  if (!response.ok || response.redirected) return "not-kept";
  const html = await response.text();
  const found = html.match(/<script id="timeline" type="application\/json">([\s\S]*?)<\/script>/);
  if (!found) return "kept";  // the day is done or paused: the page says so, and is kept
  const session = JSON.parse(found[1]);
  const urls = new Set(session.steps.map((s) => self.kneecoachFigureUrl(s.figure, 1)));
  const pages = await caches.open(PAGES);
  await Promise.all([...urls].map((u) => fetch(u, {credentials: "same-origin"})
    .then((r) => (r.ok ? pages.put(u, r) : null))));
  return "kept";
}

self.addEventListener("message", (event) => {
  const port = event.ports[0];
  const answer = (text) => { if (port) port.postMessage(text); };
  const kind = event.data && event.data.type;
  if (kind === "keep-session") {
    event.waitUntil(keepSession().then(answer, () => answer("not-kept")));
  } else if (kind === "keep-pose") {
    event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(POSE_FILES))
      .then(() => answer("kept"), () => answer("not-kept")));
  } else if (kind === "forget") {
    event.waitUntil(caches.delete(PAGES).then(() => answer("forgotten")));
  }
});
