// Page fixes that run before Material's bundle. A file, not an inline script, so that a strict
// Content-Security-Policy (script-src 'self') allows it; overrides/main.html loads it.
(function (script) {
  // Material's search dialog has no accessible name (axe: aria-dialog-name); name it.
  var dialog = document.querySelector('.md-search[role="dialog"]');
  if (dialog) dialog.setAttribute("aria-label", script.dataset.searchLabel);
  // Material's tooltip inserts an <abbr> title as HTML. Escape it, so a title always shows
  // as the text it is and can never become an element (glossary definitions are plain text).
  document.querySelectorAll("abbr[title]").forEach(function (abbr) {
    abbr.title = abbr.title.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  });
})(document.currentScript);
