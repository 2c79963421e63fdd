/* Checklists that respond and remember.
 *
 * - The whole line of a checklist item ticks its box, not only the small circle.
 * - Ticks are kept per page in this browser's localStorage (file:// included, in Chromium), so
 *   they survive a reload and a later visit. Nothing leaves the device. Where storage is blocked
 *   (private modes, strict settings), the boxes still tick; they are just not remembered.
 * - Each list gets a "Clear my ticks" button once storage works.
 * - The safety check is never remembered: its answers ("I am pregnant") are health details the
 *   next person on a shared or clinic device must not see, and it is answered afresh each time.
 * Works on every page load, including Material's instant navigation if it is ever turned on.
 */
(() => {
  "use strict";
  const PREFIX = "psoas-guide:ticks:";
  const ITEM = ".md-typeset .task-list-item";
  const NOT_REMEMBERED = ".safety-check";
  const BOX = ':scope > .task-list-control > input[type="checkbox"], :scope > input[type="checkbox"]';

  function storage() {
    try {
      const store = window.localStorage;
      const probe = PREFIX + "probe";
      store.setItem(probe, "1");
      store.removeItem(probe);
      return store;
    } catch (error) {
      return null;  // blocked: tick without remembering
    }
  }

  /* The same page from any copy (online, a folder, a zip) shares its ticks: the canonical address. */
  function pageKey() {
    const canonical = document.querySelector('link[rel="canonical"]');
    const address = canonical ? canonical.getAttribute("href") : location.pathname;
    return PREFIX + address.replace(/[?#].*$/, "");
  }

  /* An item is known by its words, so an edit that reorders a list does not move the ticks. */
  function itemKey(item) {
    const clone = item.cloneNode(true);
    clone.querySelectorAll("sup, .cite").forEach((el) => el.remove());
    return clone.textContent.replace(/\s+/g, " ").trim().slice(0, 160);
  }

  function boxOf(item) {
    return item.querySelector(BOX);
  }

  function load(store, key) {
    try {
      const saved = JSON.parse(store.getItem(key) || "[]");
      return new Set(Array.isArray(saved) ? saved : []);
    } catch (error) {
      return new Set();
    }
  }

  function save(store, key, items) {
    const ticked = items.filter((item) => boxOf(item).checked).map(itemKey);
    try {
      if (ticked.length) store.setItem(key, JSON.stringify(ticked));
      else store.removeItem(key);
    } catch (error) {
      /* full or blocked: the ticks stay on screen */
    }
  }

  function clearButton(list, onClear) {
    const wrap = document.createElement("p");
    wrap.className = "checklist__memory";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "checklist__clear";
    button.textContent = "Clear my ticks";
    const note = document.createElement("span");
    note.textContent = " Your ticks are kept in this browser only.";
    button.addEventListener("click", onClear);
    wrap.append(button, note);
    list.after(wrap);
  }

  function setUp() {
    const items = [...document.querySelectorAll(ITEM)].filter(boxOf);
    if (!items.length) return;
    const store = storage();
    const key = pageKey();

    // Tapping anywhere on the line ticks the box, unless the tap was on a link, the box itself,
    // or ended a text selection.
    for (const item of items) {
      if (item.dataset.tickable) continue;
      item.dataset.tickable = "true";
      item.addEventListener("click", (event) => {
        if (event.target.closest("a, button, input, label, summary")) return;
        if (String(window.getSelection()).length) return;
        boxOf(item).click();
      });
    }
    if (!store) return;

    const remembered = items.filter((item) => !item.closest(NOT_REMEMBERED));
    const saved = load(store, key);
    for (const item of remembered) {
      if (saved.has(itemKey(item))) boxOf(item).checked = true;
      boxOf(item).addEventListener("change", () => save(store, key, remembered));
    }
    // One button under each list (top-level lists only: a nested list is part of its parent).
    const lists = new Set(remembered.map((item) => item.closest("ul, ol")).filter((list) => !list.parentElement.closest(".task-list-item")));
    for (const list of lists) {
      if (list.nextElementSibling && list.nextElementSibling.classList.contains("checklist__memory")) continue;
      const own = remembered.filter((item) => list.contains(item));
      clearButton(list, () => {
        own.forEach((item) => { boxOf(item).checked = false; });
        save(store, key, remembered);
      });
    }
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUp);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
