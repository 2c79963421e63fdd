// The builder's form and the printable sheet, made with DOM calls. Every piece of text, from the
// guide's data or from an address, goes in through text nodes (never as HTML), so markup typed
// into a name or planted in an address shows as typed and never runs.

import { DOSE_NAMES, checklistItems, clampDose, cleanText, defaultDose, emptyPlan, findExercise } from "./plan-state.js";
import { REVIEW_TOO_EARLY, aboveGuideText, dateText, doseText, logTimesText, reviewBeforePlan, weekDays } from "./plan-text.js";

// el("p", { class: "x" }, "text", child) -> <p class="x">text<child></p>
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (/^on/i.test(name)) throw new Error(`event handler attributes are not allowed: ${name}`);
    node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

const DOSE_LABELS = {
  hold: "Hold (seconds)", reps: "Repetitions", sets: "Sets", minutes: "Minutes",
  per_day: "Times a day", days_per_week: "Days a week",
};
const TEXT_FIELDS = [
  ["client", "Client's name", "text", "off"],
  ["practitioner", "Practitioner's name", "text", "name"],
  ["contact", "Practitioner's phone or email", "text", "off"],
];
const DATE_FIELDS = [["date", "Date of the plan"], ["review", "Review on"]];

// A dose box also has a line for what was changed in it ("200 is above the highest allowed (120),
// so 120 is used."), shown under the box: on a phone the status line is screens away, below the
// form, and the number changed under the practitioner's thumb without a word in sight.
function field(id, label, control, hint, problem = false) {
  const hintId = hint ? `${id}-hint` : null;
  const problemId = problem ? `${id}-problem` : null;
  const described = [hintId, problemId].filter(Boolean).join(" ");
  if (described) control.setAttribute("aria-describedby", described);
  return el("div", { class: "plan-field" },
    el("label", { for: id }, label), control,
    hint ? el("span", { class: "plan-field__hint", id: hintId }, hint) : null,
    problem ? el("span", { class: "plan-field__problem", id: problemId, hidden: true }) : null);
}

// Say under a dose box what was changed in it; "" clears it.
export function showDoseProblem(input, text) {
  const line = input.ownerDocument.getElementById(`${input.id}-problem`);
  if (!line) return;
  line.textContent = text;
  line.hidden = !text;
}

// Say under the "Review on" box when it is before the plan's date (the sheet leaves it out); the
// box is then marked invalid. Returns what it says, or "".
export function showReviewProblem(form, plan) {
  const input = form.querySelector("#plan-review");
  const text = reviewBeforePlan(plan) ? REVIEW_TOO_EARLY : "";
  showDoseProblem(input, text);
  if (text) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
  return text;
}

function exerciseControls(exercise, limits) {
  const base = `plan-ex-${exercise.id}`;
  const box = el("input", { type: "checkbox", id: base, "data-exercise": exercise.id, "aria-describedby": `${base}-summary` });
  const doseFields = Object.keys(exercise.dose).map((name) => {
    const [low, high] = limits.dose[name];
    const input = el("input", {
      type: "number", id: `${base}-${name}`, min: low, max: high, step: 1, inputmode: "numeric",
      "data-exercise": exercise.id, "data-dose": name, value: exercise.dose[name],
    });
    return field(`${base}-${name}`, DOSE_LABELS[name], input, `${low} to ${high}`, true);
  });
  const dose = el("fieldset", { class: "plan-ex__dose", id: `${base}-dose`, hidden: true },
    el("legend", {}, `Dose for ${exercise.name}`), ...doseFields,
    el("button", { type: "button", class: "plan-ex__reset", "data-reset": exercise.id }, `Use the guide's dose for ${exercise.name}`));
  return el("div", { class: "plan-ex" },
    el("div", { class: "plan-check" }, box, el("label", { for: base }, exercise.name)),
    el("p", { class: "plan-ex__summary", id: `${base}-summary` }, exercise.summary),
    dose);
}

// The whole form; returns the elements the controller needs.
export function buildForm(root, data) {
  const limits = data.limits;
  const people = el("fieldset", { class: "plan-form__people" }, el("legend", {}, "Who the plan is for"),
    ...TEXT_FIELDS.map(([name, label, , autocomplete]) => field(`plan-${name}`, label,
      el("input", { type: "text", id: `plan-${name}`, name, maxlength: limits.text[name], autocomplete, spellcheck: "false" }),
      `Up to ${limits.text[name]} characters.`)),
    ...DATE_FIELDS.map(([name, label]) => field(`plan-${name}`, label, el("input", { type: "date", id: `plan-${name}`, name }),
      null, name === "review")));
  const exercises = el("fieldset", { class: "plan-form__exercises" },
    el("legend", {}, `Exercises (up to ${limits.exercises})`),
    el("p", { class: "plan-form__hint", id: "plan-ex-limit" },
      `Pick up to ${limits.exercises}. Each one you pick shows its dose, which you can change.`),
    ...data.exercises.map((exercise) => exerciseControls(exercise, limits)));
  const lists = data.checklists.map((list) => el("fieldset", { class: "plan-form__list" },
    el("legend", {}, list.title),
    ...list.items.map((item, n) => el("div", { class: "plan-check" },
      el("input", { type: "checkbox", id: `plan-item-${list.id}-${n + 1}`, "data-item": item.key }),
      el("label", { for: `plan-item-${list.id}-${n + 1}` }, item.text)))));
  const checklist = el("fieldset", { class: "plan-form__checklist" }, el("legend", {}, `Checklist items (up to ${limits.items})`),
    el("p", { class: "plan-form__hint", id: "plan-item-limit" }, `Pick up to ${limits.items}, so the plan stays short.`),
    ...lists);
  const note = field("plan-note", "Note for the client",
    el("textarea", { id: "plan-note", name: "note", rows: 4, maxlength: limits.text.note }),
    `Up to ${limits.text.note} characters. It prints as you type it.`);
  const form = el("form", { class: "plan-form", id: "plan-form", novalidate: true, "aria-label": "Plan details" },
    people, exercises, checklist, note);
  root.replaceChildren(form);
  return form;
}

// The form as a plan (numbers clamped to the limits; an empty or unreadable dose uses the guide's).
export function readForm(form, data) {
  const plan = emptyPlan();
  for (const [name] of [...TEXT_FIELDS, ["note"]]) {
    plan[name] = cleanText(form.querySelector(`#plan-${name}`).value, data.limits.text[name], name === "note").text;
  }
  for (const [name] of DATE_FIELDS) plan[name] = form.querySelector(`#plan-${name}`).value;
  for (const box of form.querySelectorAll("input[data-exercise]:not([data-dose])")) {
    if (!box.checked) continue;
    const exercise = findExercise(data, box.dataset.exercise);
    const dose = defaultDose(exercise);
    for (const name of Object.keys(dose)) {
      const { value } = clampDose(form.querySelector(`#plan-ex-${exercise.id}-${name}`).value, name, data.limits);
      if (value !== null) dose[name] = value;
    }
    plan.exercises.push({ id: exercise.id, dose });
  }
  plan.checklist = [...form.querySelectorAll("input[data-item]:checked")].map((box) => box.dataset.item);
  return plan;
}

// Put a plan into the form (after reading an address).
export function fillForm(form, data, plan) {
  for (const name of ["client", "practitioner", "contact", "note", "date", "review"]) {
    form.querySelector(`#plan-${name}`).value = plan[name];
  }
  for (const exercise of data.exercises) {
    const chosen = plan.exercises.find((c) => c.id === exercise.id);
    form.querySelector(`#plan-ex-${exercise.id}`).checked = Boolean(chosen);
    for (const [name, value] of Object.entries(chosen ? chosen.dose : exercise.dose)) {
      const input = form.querySelector(`#plan-ex-${exercise.id}-${name}`);
      input.value = value;
      // Every dose box's line anew: a plan opened from its address says what its edit said (a dose
      // above the guide's own), and nothing an earlier plan's edit said.
      showDoseProblem(input, aboveGuideText(exercise, name, value) || "");
    }
  }
  const chosenItems = new Set(plan.checklist);
  for (const box of form.querySelectorAll("input[data-item]")) box.checked = chosenItems.has(box.dataset.item);
  showReviewProblem(form, plan);
  syncForm(form, data);
}

// Dose boxes show only for picked exercises; once a limit is reached the other boxes rest,
// and say why (the hint joins their description).
export function syncForm(form, data) {
  const exercises = [...form.querySelectorAll("input[data-exercise]:not([data-dose])")];
  restAtLimit(exercises, data.limits.exercises, "plan-ex-limit",
    (box) => `plan-ex-${box.dataset.exercise}-summary`);
  for (const box of exercises) form.querySelector(`#plan-ex-${box.dataset.exercise}-dose`).hidden = !box.checked;
  restAtLimit([...form.querySelectorAll("input[data-item]")], data.limits.items, "plan-item-limit", () => "");
}

function restAtLimit(boxes, limit, hintId, describedBy) {
  const full = boxes.filter((box) => box.checked).length >= limit;
  for (const box of boxes) {
    box.disabled = full && !box.checked;
    const ids = [describedBy(box), box.disabled ? hintId : ""].filter(Boolean).join(" ");
    if (ids) box.setAttribute("aria-describedby", ids);
    else box.removeAttribute("aria-describedby");
  }
}

// --- the sheet --------------------------------------------------------------------------------

// Each piece of typed text in its own <bdi>: a name in Hebrew or Arabic before a phone number ran
// the two into one right-to-left stretch, and "07700 900123" printed as "900123 07700".
function typed(text) {
  return text ? el("bdi", {}, text) : null;
}

function sheetHead(data, plan) {
  const from = [typed(plan.practitioner), plan.practitioner && plan.contact ? ", " : null, typed(plan.contact)];
  // Who it is for, who gave it and when are always on the sheet: one left empty in the form (the page
  // suggests keeping names out of the address) prints a line to write it on by hand, so the client is
  // never left with a plan that names no one to ask. An early or missing review date is left out.
  const lines = [
    ["For", plan.client ? [typed(plan.client)] : [], true],
    ["From", from.filter(Boolean), true],
    ["Date", [dateText(plan.date)].filter(Boolean), true],
    ["Review on", reviewBeforePlan(plan) ? [] : [dateText(plan.review)].filter(Boolean), false],  // never before the plan's own date
  ].filter(([, value, always]) => always || value.length);
  return [
    // The client's name is on the "For" line; in the title too it would cost lines a full plan needs.
    // tabindex -1: the phone's "See the plan" bar moves focus here (plan-main.js).
    el("h3", { class: "plan-sheet__title", id: "plan-sheet-title", tabindex: -1 }, "Your exercise and aftercare plan"),
    el("dl", { class: "plan-sheet__people" }, ...lines.flatMap(([label, value]) => [el("dt", {}, label),
      value.length ? el("dd", {}, ...value) : el("dd", { class: "plan-sheet__blank" }, el("span", { class: "plan-sheet__blank-words" }, "(to fill in)"))])),
  ];
}

// Not in the head: the note keeps its line breaks, so 500 characters can be 30 lines, and the care
// card (between the two) would go whole to page 2 and leave page 1 half blank.
function sheetNote(plan) {
  return plan.note ? [el("div", { class: "plan-sheet__note" }, el("p", { class: "plan-sheet__note-title" }, "Note from your practitioner"),
    el("p", { class: "plan-sheet__note-text", dir: "auto" }, plan.note))] : [];
}

function sheetExercise(exercise, dose) {
  const figure = exercise.figure
    ? el("img", { class: "plan-sheet__figure", src: exercise.figure.src, alt: exercise.figure.alt, width: 160, height: 120, decoding: "sync" })
    : null;
  return el("section", { class: "plan-sheet__exercise", "data-exercise": exercise.id },
    el("h4", {}, exercise.name),
    figure,
    el("div", { class: "plan-sheet__how" },
      el("p", { class: "plan-sheet__dose" }, el("strong", {}, "Dose: "), doseText(exercise, dose)),
      // Before the steps: "Had a hip replacement?" is read before the stretch.
      exercise.cautions.length ? el("p", { class: "plan-sheet__take-care" }, el("strong", {}, "Take care: "), exercise.cautions.join(" ")) : null,
      el("ol", {}, ...exercise.steps.map((step) => el("li", {}, step)))));
}

function logGrid(data, plan) {
  const days = weekDays(plan.date);
  const rows = plan.exercises.map((chosen) => {
    const exercise = findExercise(data, chosen.id);
    const boxes = () => el("td", {}, ...Array.from({ length: chosen.dose.per_day }, () => el("span", { class: "plan-box" })));
    return el("tr", {}, el("th", { scope: "row" }, exercise.name, el("span", { class: "plan-log__times" }, ` ${logTimesText(chosen.dose)}`)),
      ...days.map(boxes));
  });
  return el("table", { class: "plan-log" },
    el("caption", {}, "Weekly log: tick a box each time you do an exercise"),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Exercise"), ...days.map((day) => el("th", { scope: "col" }, day)))),
    el("tbody", {}, ...rows));
}

// Fill the sheet's parts (the page holds the static parts, such as the safety card, between them).
export function renderSheet(parts, data, plan) {
  parts.head.replaceChildren(...sheetHead(data, plan).filter(Boolean));
  parts.note.replaceChildren(...sheetNote(plan));
  // The guide's doses build up ("add 1 or 2 every few days"); a plan's dose is one number, so the sheet
  // says how to start when it lists an exercise.
  if (parts.buildUp) parts.buildUp.hidden = !plan.exercises.length;
  parts.exercises.replaceChildren(...(plan.exercises.length
    ? [...plan.exercises.map((chosen) => sheetExercise(findExercise(data, chosen.id), chosen.dose))]
    : [el("p", { class: "plan-sheet__empty" }, "No exercises picked yet. Pick them in the form.")]));
  const items = checklistItems(data).filter((item) => plan.checklist.includes(item.key));
  parts.checklist.replaceChildren(...(items.length
    ? [el("h4", { class: "plan-sheet__section" }, "Your checklist"),
      el("ul", { class: items.length > 3 ? "plan-sheet__checklist plan-sheet__checklist--long" : "plan-sheet__checklist" }, ...items.map((item) => el("li", {}, el("span", { class: "plan-box" }), item.text)))]
    : []));
  parts.log.replaceChildren(...(plan.exercises.length ? [logGrid(data, plan)] : []));
  parts.edition.replaceChildren(`Made with the ${data.guide.name} plan builder, version ${data.guide.version}` +
    (data.guide.date ? `, guide updated ${dateText(data.guide.date)}.` : "."),
    // Where to read more, on paper too: the card above points to the guide's pages by name.
    ...(data.guide.url ? [` Read the guide: `, el("a", { class: "plan-sheet__url", href: data.guide.url }, data.guide.url)] : []));
}

// Messages about an address: one sentence each, as text.
export function renderNotices(box, error, notices) {
  const items = [error, ...notices].filter(Boolean);
  box.hidden = items.length === 0;
  box.replaceChildren(...(items.length
    ? [el("p", { class: "plan-notices__title" }, "About the plan address you opened"), el("ul", {}, ...items.map((text) => el("li", {}, text)))]
    : []));
}

export function doseFieldName(name) {
  return DOSE_NAMES[name];
}
