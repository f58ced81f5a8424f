// Offline-first: registers the service worker (sw.js), keeps the player's page ready for
// offline on Today, and holds the outbox: what the player reports (each set, a pain, the
// finish) is kept on the device (IndexedDB) first and sent in order, each under its own
// Idempotency-Key, so a report sent again after a lost connection is stored once. While
// some wait, the page says how many ("3 sets waiting to be sent"); they go when the
// connection returns, from whichever page of the app is open. Reports are kept per account
// and only ever sent for the account that made them. A report sent with a slot (the pain
// during one exercise) replaces the one of that slot still waiting: the device keeps only
// what the server would keep, so the count on screen is what will be sent.
(function () {
  "use strict";
  const meta = (name) => {
    const found = document.querySelector('meta[name="' + name + '"]');
    return found ? found.content : null;
  };
  // The signed-in account's label, which no other account ever has (not its id alone: a
  // deleted account's id can be given to the next one): what is kept for sending is filed
  // under it and sent only while that account is signed in.
  const user = meta("kneecoach-user");
  const RETRY_MS = 3000;

  // The pages kept on this device are one account's. A page loaded for another account, or
  // for none, forgets them first, however the last one ended: the Log out button, "Sign out
  // here", a session ended from another device or run out, an account deleted.
  const forgotten = forgetAnotherAccountsPages();
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", {scope: "/"}).catch(() => { /* the app works without */ });
    if (user && location.pathname === "/today") forgotten.then(keepSessionForOffline);
    if (user && document.querySelector("meta[name='kneecoach-pose']")) keepPoseForOffline();
  }

  function forgetPages() {
    if (!("caches" in window)) return Promise.resolve();
    return caches.keys().then((all) => Promise.all(
      all.filter((n) => n.startsWith("kneecoach-pages-")).map((n) => caches.delete(n))));
  }

  function forgetAnotherAccountsPages() {
    const KEPT_FOR = "kneecoach-pages-kept-for";
    const now = user || "";
    let before = null;
    try { before = localStorage.getItem(KEPT_FOR); } catch (error) { /* none kept: forget */ }
    if (before === now && now) return Promise.resolve();
    return forgetPages().catch(() => {}).finally(() => {
      try { localStorage.setItem(KEPT_FOR, now); } catch (error) { /* forgotten each time */ }
    });
  }

  // A page that offers the camera has the pose model kept for offline use (once per
  // version of the app: the worker's cache keeps it).
  function keepPoseForOffline() {
    navigator.serviceWorker.ready.then((registration) => {
      if (!navigator.onLine || !registration.active) return;
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => { document.documentElement.dataset.pose = event.data; };
      registration.active.postMessage({type: "keep-pose"}, [channel.port2]);
    });
  }

  function keepSessionForOffline() {
    navigator.serviceWorker.ready.then((registration) => {
      if (!navigator.onLine || !registration.active) return;
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => { document.documentElement.dataset.offline = event.data; };
      registration.active.postMessage({type: "keep-session"}, [channel.port2]);
    });
  }

  // Logging out forgets the pages kept on this device (they show a person's record).
  function forgetOnLogout() {
    document.querySelectorAll('form[action="/logout"]').forEach(forgetting);
  }

  function forgetting(form) {
    form.addEventListener("submit", (event) => {
      if (!("caches" in window) || form.dataset.forgotten) return;
      event.preventDefault();
      Promise.race([forgetPages(), new Promise((done) => setTimeout(done, 1000))])
        .finally(() => { form.dataset.forgotten = "yes"; form.submit(); });
    });
  }

  // ---- the outbox ----
  let db = null;
  const memory = [];  // when the browser keeps no IndexedDB (some private modes)
  function database() {
    if (db) return db;
    db = new Promise((resolve) => {
      if (!("indexedDB" in window)) return resolve(null);
      const opening = indexedDB.open("kneecoach", 1);
      opening.onupgradeneeded = () => opening.result.createObjectStore("outbox", {keyPath: "id", autoIncrement: true});
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => resolve(null);
    });
    return db;
  }

  function store(mode, work) {
    return database().then((found) => new Promise((resolve, reject) => {
      if (!found) return resolve(work(null));
      const tx = found.transaction("outbox", mode);
      const answer = work(tx.objectStore("outbox"));
      tx.oncomplete = () => resolve(answer instanceof IDBRequest ? answer.result : answer);
      tx.onerror = () => reject(tx.error);
    }));
  }

  function all() {
    return store("readonly", (box) => (box ? box.getAll() : memory.slice()))
      .then((items) => items.filter((item) => item.user === user).sort((a, b) => a.id - b.id));
  }

  // Keeps item, in place of those of its slot still waiting (the same account's): its id
  // and the ids it replaced.
  let memoryId = 0;
  const sameSlot = (old, item) => Boolean(item.slot) && old.slot === item.slot && old.user === item.user;
  function put(item) {
    return store("readwrite", (box) => {
      const kept = {id: null, replaced: []};
      if (!box) {
        for (let at = memory.length - 1; at >= 0; at--) {
          if (sameSlot(memory[at], item)) kept.replaced.push(memory.splice(at, 1)[0].id);
        }
        item.id = kept.id = ++memoryId;
        memory.push(item);
        return kept;
      }
      const add = () => { box.add(item).onsuccess = (event) => { kept.id = event.target.result; }; };
      if (!item.slot) { add(); return kept; }
      box.getAll().onsuccess = (event) => {
        event.target.result.filter((old) => sameSlot(old, item)).forEach((old) => {
          box.delete(old.id);
          kept.replaced.push(old.id);
        });
        add();
      };
      return kept;
    });
  }

  // Whether the report ``id`` still waits (one replaced is never sent).
  function waits(id) {
    return store("readonly", (box) => (box ? box.count(id) : memory.some((item) => item.id === id) ? 1 : 0))
      .then((count) => count > 0);
  }

  function drop(id) {
    return store("readwrite", (box) => {
      if (box) return box.delete(id);
      const at = memory.findIndex((item) => item.id === id);
      if (at >= 0) memory.splice(at, 1);
      return null;
    });
  }

  function newKey() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // The page's own promises for the reports it made: each settles once "sent" (with the
  // server's answer), "waiting" (kept on the device for later) or "replaced" (a later
  // report of its slot took its place before it went: it is never sent nor answered).
  const pending = new Map();

  function send(url, kind, body, form, slot) {
    const item = {user: user, url: url, kind: kind, body: body, form: Boolean(form), key: newKey()};
    if (slot) item.slot = slot;
    let answered, settle;
    const answer = new Promise((resolve) => { answered = resolve; });
    const settled = new Promise((resolve) => { settle = resolve; });
    put(item).then((kept) => {
      kept.replaced.forEach((id) => {
        const before = pending.get(id);
        if (before) { pending.delete(id); before.settle("replaced"); }
      });
      pending.set(kept.id, {answered: answered, settle: settle});
      return flush();
    }, () => settle("waiting"));
    return {answer: answer, settled: settled};
  }

  // What the server's answer means for a report: "sent" (kept, or refused for good: the
  // page shows why), or "waiting" (no network, a server trouble, or a sign-in needed).
  function outcome(response) {
    if (response.redirected && new URL(response.url).pathname === "/login") return "waiting";
    if (response.status >= 500 || response.status === 403) return "waiting";
    return "sent";
  }

  // One sender at a time. A report kept while a pass is under way is sent by another pass
  // of the same sender, decided in the same step that ends it: a report kept as the last
  // pass was ending would otherwise wait, unsent, for the next report (at the end of a
  // session there is none, and the finish would wait for it for ever).
  let flushing = null, again = false, retry = null;
  function flush() {
    if (flushing) { again = true; return flushing; }
    flushing = (async () => {
      let sent = false;
      try {
        do { again = false; sent = await sendAll(); } while (sent && again);
      } catch (error) { sent = false; schedule(); } finally {
        flushing = null;
        // stalled: every report the page still awaits waits on the device, those kept
        // during the stalled pass too
        if (!sent) pending.forEach((p) => p.settle("waiting"));
      }
    })();
    return flushing;
  }

  // One pass over what waits, in order: true when all was sent, false when the connection
  // or the server stalled it (it is tried again later).
  async function sendAll() {
    for (const item of await all()) {
      if (!(await waits(item.id))) continue;  // replaced since the list was read
      let response = null;
      try {
        const token = meta("csrf-token") || "";
        const body = item.form ? item.body + "&csrf=" + encodeURIComponent(token) : item.body;
        response = await fetch(item.url, {method: "POST", credentials: "same-origin", body: body, headers: {
          "Content-Type": item.form ? "application/x-www-form-urlencoded" : "application/json",
          "X-CSRF-Token": token, "Idempotency-Key": item.key}});
      } catch (error) { response = null; }
      if (response === null || outcome(response) === "waiting") {
        schedule();
        await show();
        return false;
      }
      await drop(item.id);
      const mine = pending.get(item.id);
      if (mine) { pending.delete(item.id); mine.settle("sent"); mine.answered(response); }
      await show();
    }
    await show();
    return true;
  }

  function schedule() {
    clearTimeout(retry);
    retry = setTimeout(flush, RETRY_MS);
  }

  let shown = 0;
  async function show() {
    const status = document.getElementById("outbox");
    if (!status) return;
    const items = await all();
    const count = (kind) => items.filter((item) => item.kind === kind).length;
    const sets = count("set"), pains = count("pain"), finishes = count("finish");
    if (!items.length) {
      const offline = !navigator.onLine && user;
      status.textContent = offline ? "No connection: this is the copy kept on this device."
        : shown ? "Everything kept on this device has been sent." : "";
      status.hidden = !offline && !shown;
      status.dataset.waiting = "0";
      return;
    }
    shown = items.length;
    const parts = [];
    if (sets) parts.push(sets + (sets === 1 ? " set" : " sets"));
    if (pains) parts.push(pains + (pains === 1 ? " pain report" : " pain reports"));
    if (finishes) parts.push(finishes === 1 ? "the session's log" : finishes + " session logs");
    const checkins = count("checkin");
    if (checkins) parts.push(checkins === 1 ? "a check-in" : checkins + " check-ins");
    const tests = count("test");
    if (tests) parts.push(tests === 1 ? "a knee-alignment test" : tests + " knee-alignment tests");
    const listed = parts.length > 1 ? parts.slice(0, -1).join(", ") + " and " + parts[parts.length - 1] : parts[0];
    // in the player's dock one short line (the player says when it is sent); else in full
    const when = status.closest(".dock") ? "." : " when the connection returns.";
    status.textContent = listed + " waiting to be sent" + when;
    status.dataset.waiting = String(items.length);
    status.hidden = false;
  }

  function waiting() { return all().then((items) => items.length); }

  window.addEventListener("online", () => flush());
  window.addEventListener("offline", () => show());
  window.kneecoachOutbox = {send: send, flush: flush, waiting: waiting};
  // this script runs in the head (the player needs the outbox as it starts): the rest waits
  // for the page
  // A form marked data-outbox (the morning check-in) is posted as ever while online; with no
  // network it is kept in the outbox and sent, in order, when the connection returns (the
  // server then answers it as any other: a pause shows on Today).
  function keepFormsOffline() {
    document.querySelectorAll("form[data-outbox]").forEach((form) => {
      form.addEventListener("submit", (event) => {
        if (navigator.onLine || !user) return;
        event.preventDefault();
        const fields = new URLSearchParams(new FormData(form));
        fields.delete("csrf");  // the token of the page that sends it is added then
        send(form.getAttribute("action"), form.dataset.outbox, fields.toString(), true);
        form.hidden = true;
        const kept = document.getElementById(form.dataset.outbox + "-waiting");
        if (kept) kept.hidden = false;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    forgetOnLogout();
    keepFormsOffline();
    if (user) flush().then(show);
  });
})();
