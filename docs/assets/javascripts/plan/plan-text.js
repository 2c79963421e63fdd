// Words for the printed plan: a dose as a sentence, dates written out, the log's day names.
// Fixed English wording (not the browser's locale), so a plan prints the same everywhere.

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
  "September", "October", "November", "December"];
const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

export function timesText(n) {
  return n === 1 ? "once" : n === 2 ? "twice" : `${n} times`;
}

function capital(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

// "Hold 20 seconds. Repeat 3 times each side. Do 2 sets. Once a day, every day." Short sentences,
// as on NHS exercise sheets, so "3 times" (repeats) and "3 times a day" are never run together.
export function doseText(exercise, dose) {
  const side = exercise.each_side ? " each side" : "";
  const parts = [];
  if (dose.hold != null) parts.push(`Hold ${dose.hold} seconds.`);
  if (dose.reps != null) parts.push(dose.reps === 1 ? `Do it once${side}.` : `Repeat ${timesText(dose.reps)}${side}.`);
  if (dose.sets != null) parts.push(`Do ${dose.sets} ${dose.sets === 1 ? "set" : "sets"}.`);
  if (dose.minutes != null) parts.push(`Do it for ${dose.minutes} ${dose.minutes === 1 ? "minute" : "minutes"}.`);
  parts.push(`${capital(timesText(dose.per_day))} a day, ${daysText(dose.days_per_week)}.`);
  return parts.join(" ");
}

function daysText(n) {
  return n === 7 ? "every day" : `on ${n} ${n === 1 ? "day" : "days"} a week`;
}

// The weekly log's row label: "(3 times a day)", with the days when fewer than seven, "(once a day,
// on 2 days a week)". The log has a column for every day, and a row that said only "3 times a day"
// read as every day: a dead bug set for 2 days a week was ticked 21 times instead of 6.
export function logTimesText(dose) {
  const days = dose.days_per_week === 7 ? "" : `, ${daysText(dose.days_per_week)}`;
  return `(${timesText(dose.per_day)} a day${days})`;
}

// Under a dose box above what the guide says (kept, within the hard limits: the practitioner's call),
// when it is typed and when a plan with it is opened from its address. null when it is not above.
// A stretch's hold names the longer hold the guide gives older adults too (guide_most_older, from
// data/exercises.yml): a 60-second hold is not simply "more than the guide's".
export function aboveGuideText(exercise, field, value) {
  const most = (exercise.guide_most || {})[field];
  if (most == null || !(Number(value) > most)) return null;
  const older = (exercise.guide_most_older || {})[field];
  const upTo = older == null ? `up to ${most}` : `up to ${most}, or ${older} for older adults`;
  return `More than the guide's dose (${upTo}). Check it suits this client.`;
}

// A review date before the plan's own date: said beside the "Review on" box, and left off the sheet.
// Dates are "YYYY-MM-DD" (isDate), so they compare as text; the same day is fine. A review year
// starting with 0 is one still being typed: a date box holds "0002-12-01", "0020-12-01", "0202-12-01"
// on the way to 2026, and each was said out loud as too early while a later date was typed.
export const REVIEW_TOO_EARLY = "This date is before the plan's date, so the printed plan leaves it out. Pick a later date.";

export function reviewBeforePlan(plan) {
  return Boolean(plan.date && plan.review && !plan.review.startsWith("0") && plan.review < plan.date);
}

// "2 exercises, 1 checklist item": what a plan holds, on the phone's "See the plan" bar.
export function pickedText(plan) {
  const exercises = plan.exercises.length;
  const items = plan.checklist.length;
  return `${exercises} ${exercises === 1 ? "exercise" : "exercises"}, ${items} checklist ${items === 1 ? "item" : "items"}`;
}

// "2026-11-25" -> "25 November 2026"; anything else -> "".
export function dateText(iso) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
  if (!match) return "";
  return `${Number(match[3])} ${MONTHS[Number(match[2]) - 1]} ${match[1]}`;
}

// The log's seven columns, starting on the plan's date if it has one, else on Monday.
export function weekDays(iso) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
  if (!match) return [...DAYS];
  const weekday = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))).getUTCDay();
  const start = (weekday + 6) % 7; // getUTCDay: 0 is Sunday; DAYS starts on Monday
  return DAYS.map((_, i) => DAYS[(start + i) % 7]);
}
