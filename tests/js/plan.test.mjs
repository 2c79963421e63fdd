// Unit tests of the plan builder's ES modules (node --test; no dependencies).
// tests/test_plan_builder.py runs them, so `make test` does too.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import {
  PREFIX, clampDose, cleanText, decodeHash, emptyPlan, encodePlan, fromBase64Url, isDate, planToHash, toBase64Url,
} from "../../docs/assets/javascripts/plan/plan-state.js";
import {
  REVIEW_TOO_EARLY, aboveGuideText, dateText, doseText, logTimesText, pickedText, reviewBeforePlan, weekDays,
} from "../../docs/assets/javascripts/plan/plan-text.js";

const PLAN_DIR = new URL("../../docs/assets/javascripts/plan/", import.meta.url);

// A small copy of what macros/plan.py makes (same shape; tests/test_plan_builder.py checks the shape).
const DATA = {
  format: 1,
  guide: { name: "Psoas Guide", version: "0.1.0", date: "2026-11-25" },
  limits: {
    dose: { hold: [5, 120], reps: [1, 30], sets: [1, 5], minutes: [1, 60], per_day: [1, 3], days_per_week: [1, 7] },
    text: { client: 80, practitioner: 80, contact: 120, note: 600 },
    fragment: 8000,
    exercises: 3,
    items: 2,
  },
  links: { safety: "../before/is-it-safe.html" },
  exercises: [
    { id: "bridge", name: "Bridge", summary: "s", steps: ["a"], cautions: [], each_side: false, figure: null,
      dose: { hold: 5, reps: 5, per_day: 1, days_per_week: 7 } },
    { id: "dead-bug", name: "Dead bug", summary: "s", steps: ["a"], cautions: [], each_side: true, figure: null,
      dose: { reps: 8, sets: 2, per_day: 1, days_per_week: 2 } },
    { id: "walking", name: "Brisk walking", summary: "s", steps: ["a"], cautions: [], each_side: false, figure: null,
      dose: { per_day: 1, days_per_week: 5 } },
    { id: "constructive-rest", name: "Constructive rest", summary: "s", steps: ["a"], cautions: [], each_side: false,
      figure: null, dose: { minutes: 10, per_day: 1, days_per_week: 7 } },
  ],
  checklists: [{ id: "aftercare", title: "After", items: [
    { key: "aftercare.i-drink-water-and-eat-as-normal", text: "I drink water and eat as normal." },
    { key: "aftercare.i-go-for-an-easy-walk", text: "I go for an easy walk." },
  ] }],
};

function fullPlan() {
  return {
    exercises: [{ id: "bridge", dose: { hold: 30, reps: 12, per_day: 2, days_per_week: 6 } },
      { id: "walking", dose: { per_day: 1, days_per_week: 5 } }],
    checklist: ["aftercare.i-go-for-an-easy-walk"],
    client: "Zoë O'Neil 🙂 <b>bold</b>", practitioner: "Dr Ana Souza", contact: "ana@example.org / 020 7946 0000",
    date: "2026-11-25", review: "2026-12-09", note: "Line one.\nLine two & <script>alert(1)</script>",
  };
}

// An address made by hand, as someone tampering with it would.
function addressOf(wire, version = "v1") {
  return `${PREFIX}${version}.${toBase64Url(JSON.stringify(wire))}`;
}

test("a plan survives the trip through its address unchanged, markup and all", () => {
  const plan = fullPlan();
  const hash = planToHash(plan);
  assert.match(hash, /^#plan=v1\.[A-Za-z0-9_-]+$/);
  const { plan: back, notices, error } = decodeHash(hash, DATA);
  assert.equal(error, "");
  assert.deepEqual(notices, []);
  assert.deepEqual(back, plan);
  assert.equal(encodePlan(back), encodePlan(plan), "encoding is stable");
});

test("an empty plan and a hash that is not a plan both open as an empty plan, silently", () => {
  for (const hash of ["", "#", "#make-the-plan", planToHash(emptyPlan())]) {
    assert.deepEqual(decodeHash(hash, DATA), { plan: emptyPlan(), notices: [], error: "" }, hash);
  }
});

test("base64url carries any Unicode text and refuses what is not base64url", () => {
  for (const text of ["", "a", "ab", "abc", "Zoë 🙂 ü", "\u2028</script>"]) assert.equal(fromBase64Url(toBase64Url(text)), text);
  for (const bad of ["a+b", "a/b", "ab=", "a", "%%%"]) assert.throws(() => fromBase64Url(bad), bad);
  assert.throws(() => fromBase64Url(toBase64Url("x").slice(0, 0) + "_w"), "bytes that are not UTF-8 are refused");
});

test("every shortened copy of an address opens safely: a clear message or a valid plan, never a throw", () => {
  const hash = planToHash(fullPlan());
  let damaged = 0;
  for (let end = 0; end < hash.length; end++) {
    const { plan, error } = decodeHash(hash.slice(0, end), DATA);
    assert.ok(Array.isArray(plan.exercises) && Array.isArray(plan.checklist));
    if (error) {
      damaged++;
      assert.deepEqual(plan, emptyPlan());
      assert.match(error, /damaged or incomplete|newer version/);
    }
  }
  assert.ok(damaged > hash.length / 2, `only ${damaged} of ${hash.length} cut addresses were reported`);
});

test("damaged, foreign and oversized addresses give one clear message and an empty plan", () => {
  const cases = {
    "#plan=": /damaged/, "#plan=v1.": /damaged/, "#plan=v1.!!!!": /damaged/, "#plan=hello": /damaged/,
    [addressOf([1, 2])]: /damaged/, [addressOf("text")]: /damaged/, [addressOf(null)]: /damaged/,
    [`#plan=v1.${toBase64Url("{not json")}`]: /damaged/,
    [addressOf({ e: [] }, "v2")]: /newer version of the builder \(v2\)/,
    [`#plan=v1.${"A".repeat(9000)}`]: /too long \(over 8000 characters\)/,
  };
  for (const [hash, message] of Object.entries(cases)) {
    const { plan, error } = decodeHash(hash, DATA);
    assert.match(error, message, hash.slice(0, 40));
    assert.deepEqual(plan, emptyPlan());
  }
});

test("a tampered id cannot turn the builder's own notice around with direction controls", () => {
  // U+202E (right-to-left override) before reversed words: shown as it was, the rest of the sentence read backwards.
  const hash = addressOf({ e: [{ i: "\u202Edlo sraey 01 rof deretsiger" }], c: ["aftercare.\u2067x\u2069\u202D"] });
  const { notices } = decodeHash(hash, DATA);
  assert.equal(notices.length, 2);
  for (const notice of notices) assert.doesNotMatch(notice, /[\u202A-\u202E\u2066-\u2069]/, notice);
  assert.match(notices[0], /^"dlo sraey 01 rof deretsiger" is not an exercise/);
});

test("unknown exercises and checklist items are named and dropped; known ones stay", () => {
  const longId = "x".repeat(300);
  const { plan, notices } = decodeHash(addressOf({
    e: [{ i: "bridge" }, { i: "psoas-squeeze" }, { i: longId }, { i: 7 }, "junk", { i: "bridge" }],
    c: ["aftercare.i-go-for-an-easy-walk", "aftercare.i-know-the-warning-signs", 42],
  }), DATA);
  assert.deepEqual(plan.exercises.map((e) => e.id), ["bridge"]);
  assert.deepEqual(plan.exercises[0].dose, DATA.exercises[0].dose, "a missing dose is the guide's");
  assert.deepEqual(plan.checklist, ["aftercare.i-go-for-an-easy-walk"]);
  assert.ok(notices.some((n) => n.includes('"psoas-squeeze" is not an exercise in this version of the guide')));
  assert.ok(notices.some((n) => n.includes(`"${"x".repeat(40)}…"`)), "a long unknown id is shown cut short");
  assert.ok(notices.every((n) => n.length < 300));
  assert.ok(notices.some((n) => n.includes('("i know the warning signs…")')));
  assert.equal(notices.filter((n) => n.includes("could not be read")).length, 3);
});

test("doses outside the limits are brought within them, with a notice naming exercise and field", () => {
  const { plan, notices } = decodeHash(addressOf({ e: [
    { i: "bridge", h: 1, r: 500, d: 9, w: 0, s: 3 },
    { i: "dead-bug", r: "12", s: 2.5, d: null, w: "7 days" },
  ] }), DATA);
  assert.deepEqual(plan.exercises[0].dose, { hold: 5, reps: 30, per_day: 3, days_per_week: 1 }, "sets is not a bridge field");
  assert.deepEqual(plan.exercises[1].dose, { reps: 12, sets: 2, per_day: 1, days_per_week: 2 });
  assert.ok(notices.includes("Bridge, repetitions: 500 is above the highest allowed (30), so 30 is used."));
  assert.ok(notices.includes("Bridge, hold (seconds): 1 is below the lowest allowed (5), so 5 is used."));
  assert.ok(notices.includes("Dead bug, sets: not a whole number, so 2 is used."));
  assert.equal(notices.length, 7);
});

test("an exercise twice in an address keeps its first dose and says so", () => {
  const { plan, notices } = decodeHash(addressOf({ e: [{ i: "bridge", h: 5 }, { i: "bridge", h: 120, d: 3 }] }), DATA);
  assert.deepEqual(plan.exercises, [{ id: "bridge", dose: { hold: 5, reps: 5, per_day: 1, days_per_week: 7 } }]);
  assert.deepEqual(notices, ['"Bridge" is in the address twice, so the first one, with its dose, was kept.']);
});

test("clampDose reads whole numbers only", () => {
  const limits = DATA.limits;
  assert.deepEqual(clampDose("12", "reps", limits), { value: 12, problem: "" });
  assert.deepEqual(clampDose(" 7 ", "reps", limits), { value: 7, problem: "" });
  assert.deepEqual(clampDose(-3, "reps", limits), { value: 1, problem: "-3 is below the lowest allowed (1)" });
  for (const bad of ["", "1e3", "0x10", "12abc", 1.5, NaN, Infinity, null, undefined, [], {}, true]) {
    assert.equal(clampDose(bad, "reps", limits).value, null, String(bad));
  }
});

test("more exercises than a plan holds: the first ones stay and the rest are named", () => {
  const { plan, notices } = decodeHash(addressOf({ e: DATA.exercises.map((e) => ({ i: e.id })) }), DATA);
  assert.equal(plan.exercises.length, 3);
  assert.deepEqual(notices, ['A plan holds at most 3 exercises, so "Constructive rest" was left out.']);
});

test("more checklist items than a plan holds: the first ones stay and the rest are named", () => {
  const data = { ...DATA, limits: { ...DATA.limits, items: 1 } };
  const keys = DATA.checklists[0].items.map((item) => item.key);
  const { plan, notices } = decodeHash(addressOf({ c: [...keys, keys[0]] }), data);
  assert.deepEqual(plan.checklist, [keys[0]]);
  assert.deepEqual(notices, ['A plan holds at most 1 checklist items, so "i go for an easy walk…" was left out.']);
});

test("long or odd text is cut to its limit and kept as text; bad dates are dropped", () => {
  const { plan, notices } = decodeHash(addressOf({
    n: "🙂".repeat(100), p: "A\u0000B\tC", k: ["not", "text"], o: `${"n".repeat(700)}`, t: "2026-02-30", v: "<b>",
  }), DATA);
  assert.equal(Array.from(plan.client).length, 80);
  assert.equal(plan.client, "🙂".repeat(80), "no emoji cut in half");
  assert.equal(plan.practitioner, "A B C");
  assert.equal(plan.contact, "");
  assert.equal(plan.note.length, 600);
  assert.equal(plan.date, "");
  assert.equal(plan.review, "");
  assert.deepEqual(notices, [
    "The client's name was longer than 80 characters, so it was cut short.",
    "The practitioner's contact details could not be read, so it was left empty.",
    "The note was longer than 600 characters, so it was cut short.",
    "The plan date was not a real date, so it was left empty.",
    "The review date was not a real date, so it was left empty.",
  ]);
});

test("cleanText keeps line breaks only where asked", () => {
  assert.deepEqual(cleanText("a\r\nb\u0007", 10, true), { text: "a\nb", cut: false });
  assert.deepEqual(cleanText("a\nb", 10), { text: "a b", cut: false });
  assert.ok(isDate("2028-02-29") && !isDate("2027-02-29") && !isDate("2026-1-01") && !isDate(20261101));
});

test("doses, dates and the log's days read as plain words", () => {
  const [bridge, deadBug, walking, rest] = DATA.exercises;
  assert.equal(doseText(bridge, bridge.dose), "Hold 5 seconds. Repeat 5 times. Once a day, every day.");
  assert.equal(doseText(deadBug, deadBug.dose), "Repeat 8 times each side. Do 2 sets. Once a day, on 2 days a week.");
  assert.equal(doseText(deadBug, { reps: 1, sets: 1, per_day: 2, days_per_week: 1 }), "Do it once each side. Do 1 set. Twice a day, on 1 day a week.");
  assert.equal(doseText(walking, walking.dose), "Once a day, on 5 days a week.");
  assert.equal(doseText(rest, { minutes: 1, per_day: 3, days_per_week: 7 }), "Do it for 1 minute. 3 times a day, every day.");
  assert.equal(dateText("2026-11-05"), "5 November 2026");
  assert.equal(dateText("junk"), "");
  assert.deepEqual(weekDays(""), ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]);
  assert.deepEqual(weekDays("2026-11-25"), ["Wed", "Thu", "Fri", "Sat", "Sun", "Mon", "Tue"]);
});

test("the weekly log's row says on how many days, when it is not every day", () => {
  // The log has a box for every day: "(once a day)" alone on a 2-days-a-week row read as daily.
  const [bridge, deadBug, walking] = DATA.exercises;
  assert.equal(logTimesText(bridge.dose), "(once a day)");
  assert.equal(logTimesText(deadBug.dose), "(once a day, on 2 days a week)");
  assert.equal(logTimesText(walking.dose), "(once a day, on 5 days a week)");
  assert.equal(logTimesText({ per_day: 3, days_per_week: 1 }), "(3 times a day, on 1 day a week)");
});

test("the phone's bar says what a plan holds, in words", () => {
  const plan = emptyPlan();
  assert.equal(pickedText(plan), "0 exercises, 0 checklist items");
  plan.exercises.push({ id: "bridge", dose: {} });
  plan.checklist.push("aftercare.x");
  assert.equal(pickedText(plan), "1 exercise, 1 checklist item");
  plan.exercises.push({ id: "walking", dose: {} });
  plan.checklist.push("aftercare.y", "aftercare.z");
  assert.equal(pickedText(plan), "2 exercises, 3 checklist items");
});

test("a dose above the guide's own is said in words; at or below it, or with no most, nothing", () => {
  const bridge = { guide_most: { hold: 5, reps: 10 } };
  assert.equal(aboveGuideText(bridge, "hold", 120), "More than the guide's dose (up to 5). Check it suits this client.");
  assert.equal(aboveGuideText(bridge, "reps", "11"), "More than the guide's dose (up to 10). Check it suits this client.");
  assert.equal(aboveGuideText(bridge, "reps", 10), null);
  assert.equal(aboveGuideText(bridge, "per_day", 3), null);
  assert.equal(aboveGuideText({}, "hold", 120), null);
});

test("a stretch hold above the guide's says the older adults' most too, from the data", () => {
  // The guide: hold 20 to 30 seconds; older adults may hold 30 to 60. A 60-second hold was
  // "More than the guide's dose (up to 30)" alone, as if the guide never said 60.
  const stretch = { guide_most: { hold: 30, reps: 4 }, guide_most_older: { hold: 60 } };
  const said = "More than the guide's dose (up to 30, or 60 for older adults). Check it suits this client.";
  assert.equal(aboveGuideText(stretch, "hold", 60), said);
  assert.equal(aboveGuideText(stretch, "hold", "45"), said);
  assert.equal(aboveGuideText(stretch, "hold", 90), said);
  assert.equal(aboveGuideText(stretch, "hold", 30), null);
  assert.equal(aboveGuideText(stretch, "reps", 5), "More than the guide's dose (up to 4). Check it suits this client.");
});

test("a review date before the plan's own date is caught; the same day, later, or a missing date is not", () => {
  const plan = (date, review) => ({ ...emptyPlan(), date, review });
  assert.equal(reviewBeforePlan(plan("2026-11-25", "2026-11-24")), true);
  assert.equal(reviewBeforePlan(plan("2026-11-25", "2025-12-31")), true);
  assert.equal(reviewBeforePlan(plan("2026-11-25", "2026-11-25")), false);
  assert.equal(reviewBeforePlan(plan("2026-11-25", "2026-12-09")), false);
  assert.equal(reviewBeforePlan(plan("", "2026-11-24")), false);
  assert.equal(reviewBeforePlan(plan("2026-11-25", "")), false);
  // A year still being typed (a date box's value after "2", "20", "202" of 2026) is not yet a date.
  for (const typing of ["0002-12-01", "0020-12-01", "0202-12-01"]) {
    assert.equal(reviewBeforePlan(plan("2026-11-25", typing)), false, typing);
  }
  assert.equal(reviewBeforePlan(plan("2026-11-25", "1999-12-01")), true);
  assert.match(REVIEW_TOO_EARLY, /before the plan's date/);
});

test("no module writes HTML from strings or evaluates code", () => {
  // The bundle joined from these at build time is checked the same way in tests/test_plan_builder.py.
  for (const name of ["plan-state.js", "plan-text.js", "plan-view.js", "plan-main.js"]) {
    const source = readFileSync(new URL(name, PLAN_DIR), "utf8");
    for (const risky of ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "setAttribute(\"on"]) {
      assert.ok(!source.includes(risky), `${name} uses ${risky}`);
    }
  }
});

test("the view's element helper puts text in as text and refuses event-handler attributes", async () => {
  // The smallest stand-in for the DOM calls el() makes.
  globalThis.document = {
    createElement: (tag) => ({ tag, attrs: {}, kids: [], setAttribute(n, v) { this.attrs[n] = v; }, append(k) { this.kids.push(k); } }),
    createTextNode: (text) => ({ text }),
  };
  const { el } = await import("../../docs/assets/javascripts/plan/plan-view.js");
  const node = el("p", { class: "x", hidden: true, title: null }, "<img src=x onerror=alert(1)>");
  assert.deepEqual(node.attrs, { class: "x", hidden: "" });
  assert.deepEqual(node.kids, [{ text: "<img src=x onerror=alert(1)>" }]);
  assert.throws(() => el("img", { onerror: "alert(1)" }), /event handler/);
  assert.throws(() => el("img", { OnLoad: "alert(1)" }), /event handler/);
  delete globalThis.document;
});
