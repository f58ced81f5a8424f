// Small behaviours every page may use, kept in a file so that the pages' security policy
// allows no inline script at all.
document.addEventListener("focusin", function (event) {
  var field = event.target;
  if (field && field.hasAttribute && field.hasAttribute("data-select-on-focus")) field.select();
});
