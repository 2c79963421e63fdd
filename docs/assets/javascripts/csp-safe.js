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

  // The search index waits until the reader reaches for search. Material requests it (XHR) as
  // every page starts: about 30 KiB gzip, a quarter of a first visit, though most readers never
  // search. The request is sent when the search box gets focus (a click, a tap, or Material's
  // "/" and "s" keys all focus it). Offline copies (file://) load the index by a script tag
  // instead, so they are unchanged; a page opened from a search result (?h=) needs it at once.
  var release;
  var wanted = new Promise(function (resolve) { release = resolve; });
  if (new URLSearchParams(location.search).has("h")) release();
  function reachesForSearch(event) {
    var target = event.target;
    if (target.closest && target.closest(".md-search, label[for='__search']")) release();
  }
  document.addEventListener("focusin", reachesForSearch);
  document.addEventListener("pointerdown", reachesForSearch);
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, address) {
    this.waitsForSearch = /\/search\/search_index\.json$/.test(new URL(String(address), location.href).pathname);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var request = this;
    var body = arguments;
    if (!request.waitsForSearch) return send.apply(request, body);
    wanted.then(function () { send.apply(request, body); });
  };
})(document.currentScript);
