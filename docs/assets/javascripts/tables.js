/* Tables on a phone are shown as cards (docs/stylesheets/guide.css). Each cell gets its column's
 * name as data-label for the card, and explicit roles: with display changed, some browsers would
 * otherwise stop announcing the table as a table. */
(() => {
  "use strict";
  function label(table) {
    if (table.dataset.labelled) return;
    table.dataset.labelled = "true";
    const headers = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    table.setAttribute("role", "table");
    table.querySelectorAll("thead, tbody").forEach((group) => group.setAttribute("role", "rowgroup"));
    table.querySelectorAll("tr").forEach((row) => {
      row.setAttribute("role", "row");
      [...row.children].forEach((cell, column) => {
        if (cell.tagName === "TH") {
          cell.setAttribute("role", "columnheader");
        } else {
          cell.setAttribute("role", "cell");
          if (headers[column]) cell.dataset.label = headers[column];
        }
      });
    });
  }
  function setUp() {
    document.querySelectorAll(".md-typeset table:not([class])").forEach(label);
  }
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(setUp);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
