// The plan and its address: encode a plan into "#plan=v1.<base64url JSON>", and turn any address
// (bookmarked, typed, cut short, tampered with, or made with an older version of the guide's data)
// back into a plan that only holds what the guide knows, within the limits the data sets.
// No DOM here: node --test runs this file as it is.

export const VERSION = "v1";
export const PREFIX = "#plan=";
// Short keys keep addresses short; the order here is the order written, so encoding is stable.
export const DOSE_KEYS = { hold: "h", reps: "r", sets: "s", minutes: "m", per_day: "d", days_per_week: "w" };
const TEXT_KEYS = { client: "n", practitioner: "p", contact: "k", note: "o" };
const DATE_KEYS = { date: "t", review: "v" };
const SHOWN_ID_LENGTH = 40;

export function emptyPlan() {
  return { exercises: [], checklist: [], client: "", practitioner: "", contact: "", date: "", review: "", note: "" };
}

export function findExercise(data, id) {
  return data.exercises.find((ex) => ex.id === id);
}

export function checklistItems(data) {
  return data.checklists.flatMap((list) => list.items);
}

// Whole numbers only; anything else is "not a number" (null) so the caller can say so.
export function wholeNumber(value) {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^\s*-?\d{1,9}\s*$/.test(value)) return Number(value);
  return null;
}

// { value, problem }: value within [low, high]; problem says what was changed, or is "".
export function clampDose(value, field, limits) {
  const [low, high] = limits.dose[field];
  const n = wholeNumber(value);
  if (n === null) return { value: null, problem: "not a whole number" };
  if (n < low) return { value: low, problem: `${n} is below the lowest allowed (${low})` };
  if (n > high) return { value: high, problem: `${n} is above the highest allowed (${high})` };
  return { value: n, problem: "" };
}

// Text as plain characters: no control characters (newlines only where allowed), at most `limit`
// characters (counted as the reader sees them, so an emoji is never cut in half).
export function cleanText(value, limit, keepNewlines = false) {
  const pattern = keepNewlines ? /[\u0000-\u0009\u000B-\u001F\u007F]/g : /[\u0000-\u001F\u007F]/g;
  const chars = Array.from(String(value).replace(/\r\n?/g, "\n").replace(pattern, keepNewlines ? "" : " "));
  return { text: chars.slice(0, limit).join(""), cut: chars.length > limit };
}

export function isDate(value) {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

// How an unknown id or key is named in a notice: short, one line, and only ever shown as text. No
// direction controls: a right-to-left override in a tampered id turned the rest of the builder's own
// sentence around it backwards, so a link could make the notice say what it liked.
const DIRECTION_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

export function shownId(value) {
  const { text, cut } = cleanText(String(value).replace(DIRECTION_CONTROLS, ""), SHOWN_ID_LENGTH);
  return cut ? `${text}…` : text;
}

// "aftercare.i-know-the-warning-signs" -> "i know the warning signs…" (an item's first words).
export function shownItemKey(key) {
  const words = String(key).split(".").slice(1).join(".").replace(/-/g, " ");
  return `${shownId(words || key)}…`;
}

// --- base64url of UTF-8 (btoa/atob and TextEncoder exist in browsers and in node) --------------

export function toBase64Url(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64Url(code) {
  if (!/^[A-Za-z0-9_-]*$/.test(code) || code.length % 4 === 1) throw new Error("not base64url");
  const binary = atob(code.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}

// --- encode -------------------------------------------------------------------------------------

export function encodePlan(plan) {
  const wire = {
    e: plan.exercises.map((chosen) => {
      const entry = { i: chosen.id };
      for (const [field, key] of Object.entries(DOSE_KEYS)) {
        if (chosen.dose[field] !== undefined && chosen.dose[field] !== null) entry[key] = chosen.dose[field];
      }
      return entry;
    }),
    c: [...plan.checklist],
  };
  for (const [field, key] of Object.entries({ ...TEXT_KEYS, ...DATE_KEYS })) {
    if (plan[field]) wire[key] = plan[field];
  }
  return `${VERSION}.${toBase64Url(JSON.stringify(wire))}`;
}

export function planToHash(plan) {
  return PREFIX + encodePlan(plan);
}

// --- decode -------------------------------------------------------------------------------------

const DAMAGED = "This plan address is damaged or incomplete. It may have been cut short when it was copied. " +
  "The builder has started an empty plan.";

// { plan, notices, error }: plan is always usable; error (one sentence) means nothing could be read,
// notices list what was dropped or changed. A hash that is not a plan at all gives an empty plan.
export function decodeHash(hash, data) {
  if (typeof hash !== "string" || !hash.startsWith(PREFIX)) return { plan: emptyPlan(), notices: [], error: "" };
  const code = hash.slice(PREFIX.length);
  if (code.length > data.limits.fragment) {
    return { plan: emptyPlan(), notices: [], error: `This plan address is too long (over ${data.limits.fragment} characters), so it was not opened. The builder has started an empty plan.` };
  }
  const dot = code.indexOf(".");
  const version = dot < 0 ? "" : code.slice(0, dot);
  if (version !== VERSION) {
    const known = /^v\d{1,3}$/.test(version);
    return { plan: emptyPlan(), notices: [], error: known
      ? `This plan address was made by a newer version of the builder (${version}). Open it with the latest guide. The builder has started an empty plan.`
      : DAMAGED };
  }
  let raw;
  try {
    raw = JSON.parse(fromBase64Url(code.slice(dot + 1)));
  } catch {
    return { plan: emptyPlan(), notices: [], error: DAMAGED };
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return { plan: emptyPlan(), notices: [], error: DAMAGED };
  const { plan, notices } = sanitizePlan(raw, data);
  return { plan, notices, error: "" };
}

// Check every part of a decoded address against the guide's data and limits.
export function sanitizePlan(raw, data) {
  const plan = emptyPlan();
  const notices = [];
  const entries = Array.isArray(raw.e) ? raw.e : [];
  if (raw.e !== undefined && !Array.isArray(raw.e)) notices.push("The list of exercises could not be read, so no exercises were kept.");
  for (const entry of entries) {
    const id = entry && typeof entry === "object" ? entry.i : undefined;
    if (typeof id !== "string") {
      notices.push("An exercise in the address could not be read and was left out.");
      continue;
    }
    const exercise = findExercise(data, id);
    if (!exercise) {
      notices.push(`"${shownId(id)}" is not an exercise in this version of the guide, so it was left out.`);
      continue;
    }
    if (plan.exercises.some((chosen) => chosen.id === id)) {
      // A second dose for it (an address edited by hand) is dropped: say which one the plan keeps.
      notices.push(`"${exercise.name}" is in the address twice, so the first one, with its dose, was kept.`);
      continue;
    }
    if (plan.exercises.length >= data.limits.exercises) {
      notices.push(`A plan holds at most ${data.limits.exercises} exercises, so "${exercise.name}" was left out.`);
      continue;
    }
    plan.exercises.push({ id, dose: readDose(entry, exercise, data.limits, notices) });
  }
  const known = new Set(checklistItems(data).map((item) => item.key));
  if (raw.c !== undefined && !Array.isArray(raw.c)) notices.push("The checklist could not be read, so no checklist items were kept.");
  for (const key of Array.isArray(raw.c) ? raw.c : []) {
    if (typeof key === "string" && known.has(key)) {
      if (plan.checklist.includes(key)) continue;
      if (plan.checklist.length >= data.limits.items) {
        notices.push(`A plan holds at most ${data.limits.items} checklist items, so "${shownItemKey(key)}" was left out.`);
        continue;
      }
      plan.checklist.push(key);
    } else {
      notices.push(typeof key === "string"
        ? `A checklist item that is not in this version of the guide was left out ("${shownItemKey(key)}").`
        : "A checklist item in the address could not be read and was left out.");
    }
  }
  for (const [field, key] of Object.entries(TEXT_KEYS)) {
    if (raw[key] === undefined) continue;
    if (typeof raw[key] !== "string") {
      notices.push(`The ${FIELD_NAMES[field]} could not be read, so it was left empty.`);
      continue;
    }
    const { text, cut } = cleanText(raw[key], data.limits.text[field], field === "note");
    plan[field] = text;
    if (cut) notices.push(`The ${FIELD_NAMES[field]} was longer than ${data.limits.text[field]} characters, so it was cut short.`);
  }
  for (const [field, key] of Object.entries(DATE_KEYS)) {
    if (raw[key] === undefined) continue;
    if (isDate(raw[key])) plan[field] = raw[key];
    else notices.push(`The ${FIELD_NAMES[field]} was not a real date, so it was left empty.`);
  }
  return { plan, notices };
}

export const FIELD_NAMES = {
  client: "client's name", practitioner: "practitioner's name", contact: "practitioner's contact details",
  note: "note", date: "plan date", review: "review date",
};

export const DOSE_NAMES = {
  hold: "hold (seconds)", reps: "repetitions", sets: "sets", minutes: "minutes",
  per_day: "times a day", days_per_week: "days a week",
};

// Only the fields the exercise uses; anything missing or unreadable falls back to the guide's dose.
function readDose(entry, exercise, limits, notices) {
  const dose = {};
  for (const [field, fallback] of Object.entries(exercise.dose)) {
    const given = entry[DOSE_KEYS[field]];
    if (given === undefined) {
      dose[field] = fallback;
      continue;
    }
    const { value, problem } = clampDose(given, field, limits);
    dose[field] = value === null ? fallback : value;
    if (problem) {
      notices.push(`${exercise.name}, ${DOSE_NAMES[field]}: ${problem}, so ${dose[field]} is used.`);
    }
  }
  return dose;
}

export function defaultDose(exercise) {
  return { ...exercise.dose };
}
