// Live progress of an import: asks the job's progress every second and shows it; once the
// job has ended, reloads the page, which shows the report. Without JavaScript the page's
// Refresh link does the same by hand.
(function () {
  var box = document.getElementById("job");
  if (!box || !box.dataset.progress || !window.fetch) return;
  var text = document.getElementById("job-text"), bar = document.getElementById("job-bar");
  function ask() {
    fetch(box.dataset.progress, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (job) {
        if (!job) return setTimeout(ask, 3000);
        if (job.ended) return window.location.reload();
        text.textContent = job.text;
        if (bar) { bar.max = Math.max(1, job.files_total); bar.value = job.files_done; }
        setTimeout(ask, 1000);
      })
      .catch(function () { setTimeout(ask, 3000); });
  }
  setTimeout(ask, 500);
})();
