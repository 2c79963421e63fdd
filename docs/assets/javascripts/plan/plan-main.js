// The builder page: read the guide's data from the page, open the plan in the address, and keep
// form, sheet and address in step. The address is the only place a plan is kept: nothing is
// stored in the browser and nothing is sent anywhere (a fragment never leaves the browser).

import { PREFIX, clampDose, decodeHash, emptyPlan, findExercise, planToHash } from "./plan-state.js";
import { buildForm, doseFieldName, fillForm, readForm, renderNotices, renderSheet, showDoseProblem, showReviewProblem, syncForm } from "./plan-view.js";
import { REVIEW_TOO_EARLY, aboveGuideText, pickedText, reviewBeforePlan } from "./plan-text.js";

function startBuilder() {
  const dataNode = document.getElementById("plan-data");
  const root = document.getElementById("plan-builder");
  if (!dataNode || !root) return;
  const data = JSON.parse(dataNode.textContent);
  const byId = (id) => document.getElementById(id);
  const parts = {
    head: byId("plan-sheet-head"), note: byId("plan-sheet-note"), exercises: byId("plan-sheet-exercises"), checklist: byId("plan-sheet-checklist"),
    log: byId("plan-sheet-log"), edition: byId("plan-sheet-edition"), buildUp: byId("plan-sheet-build-up"),
  };
  const notices = byId("plan-notices");
  const status = byId("plan-status");
  const address = byId("plan-address");
  const form = buildForm(root, data);
  const builder = root.closest(".plan-builder");
  // The safety card is rendered from the guide's safety data into the page; it belongs on the sheet,
  // under the head and above the note and the exercises: safety first, as in every chapter.
  const care = byId("plan-care");
  if (care) parts.head.after(care);

  // Where the columns stack (phones, tablets) the sheet is far below the form: a bar at the foot of
  // the screen jumps to it, saying what the plan holds, and one under the sheet goes back to the
  // control last used. Buttons, not #links: the address after the # is the plan.
  const sheet = byId("plan-sheet");
  const jumpCount = byId("plan-jump-count");
  let lastControl = null;
  form.addEventListener("focusin", (event) => { lastControl = event.target; });
  byId("plan-jump-button").addEventListener("click", () => {
    sheet.scrollIntoView({ block: "start" });
    byId("plan-sheet-title").focus({ preventScroll: true });
  });
  byId("plan-back-button").addEventListener("click", () => {
    // The control may since be hidden (another plan opened from the address hid its dose): a
    // hidden control cannot take the focus, so the form's heading does.
    const usable = lastControl && lastControl.isConnected && !lastControl.disabled && lastControl.getClientRects().length > 0;
    const target = usable ? lastControl : byId("make-the-plan");
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  });
  for (const bar of builder.querySelectorAll(".plan-jump")) bar.hidden = false;

  function render(plan) {
    renderSheet(parts, data, plan);
    jumpCount.textContent = pickedText(plan);
  }

  function show(plan) {
    render(plan);
    address.value = location.href;
  }

  function openAddress() {
    clearTimeout(pending);
    builder.removeAttribute("data-saving");
    const { plan, notices: found, error } = decodeHash(location.hash, data);
    renderNotices(notices, error, found);
    fillForm(form, data, plan);
    if (error) history.replaceState(null, "", location.pathname + location.search);
    show(plan);
  }

  // Chromium ignores history updates beyond about 200 in 10 seconds, which fast typing in the
  // note could reach; so the address is written at most every WRITE_GAP ms, the last edit always.
  // data-saving on the builder marks a write still to come (tests wait for it to go).
  const WRITE_GAP = 150;
  let lastWrite = 0;
  let pending = null;
  function writeAddress(plan) {
    clearTimeout(pending);
    const write = () => {
      pending = null;
      lastWrite = Date.now();
      history.replaceState(null, "", planToHash(plan));
      address.value = location.href;
      builder.removeAttribute("data-saving");
    };
    const wait = lastWrite + WRITE_GAP - Date.now();
    if (wait <= 0) write();
    else {
      builder.setAttribute("data-saving", "");
      pending = setTimeout(write, wait);
    }
  }

  function update() {
    syncForm(form, data);
    const plan = readForm(form, data);
    showReviewProblem(form, plan);
    render(plan);
    writeAddress(plan);
    return plan;
  }

  // While typing, the sheet follows; on leaving a number box, an out-of-range dose is set to the
  // nearest allowed value and the change is said out loud (status region), not silently.
  form.addEventListener("input", (event) => {
    if (event.target.dataset && event.target.dataset.dose) showDoseProblem(event.target, "");
    update();
  });
  form.addEventListener("change", (event) => {
    const input = event.target;
    if (input.dataset && input.dataset.dose) {
      const exercise = findExercise(data, input.dataset.exercise);
      const { value, problem } = clampDose(input.value, input.dataset.dose, data.limits);
      const fallback = exercise.dose[input.dataset.dose];
      // Said out loud (status region) and under the box.
      const explain = (text) => {
        status.textContent = `${exercise.name}, ${doseFieldName(input.dataset.dose)}: ${text}`;
        showDoseProblem(input, text);
      };
      // Within the limits but above what the guide says: kept (the practitioner's call), and said.
      const above = aboveGuideText(exercise, input.dataset.dose, input.value);
      if (problem) {
        input.value = value === null ? fallback : value;
        explain(`${problem}, so ${input.value} is used.`);
      } else if (above) {
        explain(above);
      }
    }
    const plan = update();
    // A review date before the plan's date (either box changed): said out loud too, as a dose is.
    const early = `Review on: ${REVIEW_TOO_EARLY}`;
    if (input.id === "plan-date" || input.id === "plan-review") {
      if (reviewBeforePlan(plan)) status.textContent = early;
      else if (status.textContent === early) status.textContent = "";
    }
    // The box that fills the plan greys out the others: said out loud, or a screen reader hears
    // nothing and the keyboard simply skips the boxes that rest. Unticking one makes room again.
    if (input.dataset.item || (input.dataset.exercise && !input.dataset.dose)) {
      const [what, selector, limit] = input.dataset.item
        ? ["checklist items", "input[data-item]:checked", data.limits.items]
        : ["exercises", "input[data-exercise]:not([data-dose]):checked", data.limits.exercises];
      const full = `${limit} ${what} picked, the most a plan holds. Untick one to pick another.`;
      if (input.checked && form.querySelectorAll(selector).length >= limit) status.textContent = full;
      else if (!input.checked && status.textContent === full) status.textContent = "";
    }
  });
  form.addEventListener("click", (event) => {
    const id = event.target.dataset && event.target.dataset.reset;
    if (!id) return;
    for (const [name, value] of Object.entries(findExercise(data, id).dose)) {
      byId(`plan-ex-${id}-${name}`).value = value;
      showDoseProblem(byId(`plan-ex-${id}-${name}`), "");
    }
    status.textContent = `${findExercise(data, id).name}: the guide's dose is used again.`;
    update();
  });
  byId("plan-print").addEventListener("click", () => window.print());
  byId("plan-new").addEventListener("click", () => {
    clearTimeout(pending);
    builder.removeAttribute("data-saving");
    // A new entry in the history, so the browser's Back button brings the old plan back.
    history.pushState(null, "", location.pathname + location.search);
    renderNotices(notices, "", []);
    fillForm(form, data, emptyPlan());
    show(emptyPlan());
    status.textContent = "A new, empty plan. Use your browser's Back button to get the last one back.";
  });
  byId("plan-copy").addEventListener("click", async () => {
    address.select();
    try {
      await navigator.clipboard.writeText(address.value);
      status.textContent = "The plan's address is copied.";
    } catch {
      status.textContent = "Copy the selected address: Ctrl+C, or Cmd+C on a Mac; on a phone, press and hold it.";
    }
  });
  // From a folder or a zip the address is a file on this computer: no use to anyone else.
  byId("plan-address-local").hidden = location.protocol !== "file:";
  // A plan address (Back, Forward, one pasted in) opens that plan. Any other #fragment is a jump
  // within the page: the skip link (the first Tab stop), the title's permalink, a search result
  // for one of this page's headings. Chromium fires popstate for those too, and opening them as
  // an address wiped the form without a word. The plan stays, and goes back into the address
  // so a bookmark made now still holds it. An empty plan has nothing to keep: the jump's address
  // stays, so a reader can still copy a heading's link (not "#plan=" of nothing).
  function addressChanged() {
    if (location.hash.startsWith(PREFIX) || !location.hash) {
      openAddress();
      return;
    }
    const plan = readForm(form, data);
    if (planToHash(plan) !== planToHash(emptyPlan())) {
      writeAddress(plan);
      return;
    }
    clearTimeout(pending);  // an earlier edit's write would put "#plan=" back over the heading
    pending = null;
    builder.removeAttribute("data-saving");
    address.value = location.href.split("#")[0];  // the empty plan's address: the page's own
  }
  window.addEventListener("hashchange", addressChanged);
  window.addEventListener("popstate", addressChanged);
  openAddress();
  builder.classList.add("plan-builder--ready");
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startBuilder);
else startBuilder();
