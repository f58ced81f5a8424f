// Small behaviours every page may use, kept in a file so that the pages' security policy
// allows no inline script at all.
document.addEventListener("focusin", function (event) {
  var field = event.target;
  if (field && field.hasAttribute && field.hasAttribute("data-select-on-focus")) field.select();
});

// A secret shown once (an invitation link, a calendar address, a token: _copy_field.html) has a
// button that puts exactly it on the clipboard. The button is shown here, so that without
// JavaScript the field to select by hand is all there is. Where the clipboard is out of reach
// (not a secure context, or the browser refuses) the field is selected for the person to copy
// by hand, and the status says so.
(function () {
  var COPIED_FOR_MS = 3000;
  var buttons = document.querySelectorAll(".copy-field button[data-copy]");
  for (var i = 0; i < buttons.length; i++) buttons[i].hidden = false;

  function say(status, text) {
    // emptied first, so that the same words said again are announced again
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function selectByHand(field, status, what) {
    field.focus();
    field.setSelectionRange(0, field.value.length);  // a phone's browser may ignore select()
    window.clearTimeout(status.kneecoachClear);
    say(status, "Not copied: this browser does not let the page copy. The " + what + " is selected: copy it by hand.");
  }

  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest && event.target.closest(".copy-field button[data-copy]");
    if (!button) return;
    var box = button.closest(".copy-field");
    var field = box.querySelector("input");
    var status = box.querySelector(".copy-status");
    var what = button.getAttribute("data-copy") || "text";
    var clipboard = window.isSecureContext && navigator.clipboard;
    if (!clipboard || !clipboard.writeText) { selectByHand(field, status, what); return; }
    clipboard.writeText(field.value).then(function () {
      window.clearTimeout(status.kneecoachClear);
      say(status, "Copied");
      status.kneecoachClear = window.setTimeout(function () { status.textContent = ""; }, COPIED_FOR_MS);
    }, function () { selectByHand(field, status, what); });
  });
})();

// A page answered to a POST that made a secret shown once (an invitation link) says where it
// stands (data-address): the browser's entry for it becomes that plain address, so reloading
// the page reads it again instead of sending the form again (a second link, made unseen).
(function () {
  var answered = document.querySelector("[data-address]");
  if (answered && window.history && window.history.replaceState) {
    window.history.replaceState(null, "", answered.getAttribute("data-address"));
  }
})();
