/* Glossary terms (abbr with a title) can be reached by keyboard and touch: a tab stop and a tap
 * both focus the term, and focus shows Material's tooltip. Its words are also the accessible
 * description, so a screen reader hears the meaning. */
(() => {
  "use strict";
  function setUp() {
    document.querySelectorAll(".md-typeset abbr[title]").forEach((term) => {
      if (!term.hasAttribute("tabindex")) term.setAttribute("tabindex", "0");
    });
  }
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(setUp);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
