// The prescribe form on a runner's page: choosing an exercise offers only its variants and
// starts the dose from where that exercise stands now (its variant, sets, reps or hold and
// load, as the page gives them), so a clinician changes what they mean to change. Without
// this script the form still works: it starts from the first exercise, and a variant of
// another exercise is refused with a clear reason.
(function () {
  "use strict";
  const exercise = document.getElementById("exercise");
  const variant = document.getElementById("variant");
  if (!exercise || !variant || !exercise.form || !exercise.form.action.endsWith("/prescribe")) return;
  const field = (id) => document.getElementById(id);

  function follow() {
    const chosen = exercise.selectedOptions[0];
    if (!chosen) return;
    const key = chosen.value;
    variant.querySelectorAll("optgroup").forEach((group) => {
      const its = group.dataset.exercise === key;
      group.hidden = !its;
      group.disabled = !its;
    });
    const now = chosen.dataset;
    const options = Array.from(variant.querySelectorAll("optgroup[data-exercise='" + CSS.escape(key) + "'] option"));
    const current = options.find((o) => o.value === now.variant) || options[0];
    if (current) current.selected = true;
    if (now.sets) field("sets").value = now.sets;
    if (now.amount) field("amount").value = now.amount;
    if (now.load) field("load").value = now.load;
    // a range of motion only for an exercise that has ranges (the split squat): its own
    // ranges, starting "as it is now"
    const range = field("range");
    if (range) {
      let any = false;
      range.querySelectorAll("optgroup").forEach((group) => {
        const its = group.dataset.exercise === key;
        group.hidden = !its;
        group.disabled = !its;
        any = any || its;
      });
      range.value = "";
      field("rangefield").hidden = !any;
    }
    const said = field("prescribenow");
    if (said) said.textContent = now.now || "";
  }

  exercise.addEventListener("change", follow);
  follow();
})();
