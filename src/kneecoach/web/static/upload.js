// Progressive enhancement: drop files on the box, see upload progress; the plain form
// works without either.
(function () {
  var form = document.getElementById("upload"), drop = document.getElementById("drop");
  var input = document.getElementById("files");
  function send() {
    if (!window.XMLHttpRequest || !window.FormData) return form.submit();
    var bar = document.getElementById("sending"), xhr = new XMLHttpRequest();
    bar.hidden = false;
    xhr.upload.onprogress = function (e) { if (e.lengthComputable) bar.value = 100 * e.loaded / e.total; };
    xhr.onload = function () {
      // queued: the job's page (the request was redirected there); refused: the answer
      if (xhr.responseURL && xhr.responseURL.indexOf("/runs/jobs/") !== -1) {
        window.location.assign(xhr.responseURL);
        return;
      }
      document.open(); document.write(xhr.responseText); document.close();
    };
    xhr.open("POST", "/runs/import");
    xhr.send(new FormData(form));
  }
  form.addEventListener("submit", function (event) { event.preventDefault(); send(); });
  if (!("DataTransfer" in window)) return;
  document.getElementById("drop-hint").hidden = false;
  ["dragenter", "dragover"].forEach(function (name) {
    drop.addEventListener(name, function (e) { e.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    drop.addEventListener(name, function () { drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (e) {
    e.preventDefault();
    if (!e.dataTransfer || !e.dataTransfer.files.length) return;
    input.files = e.dataTransfer.files;
    send();
  });
})();
