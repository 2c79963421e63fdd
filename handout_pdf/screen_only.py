"""What only makes sense on a screen: the handouts leave it out (clean.py), print CSS hides
.screen-only, and the built-site checks refuse a safety part inside it (pipeline/page_scan.py).
No imports, so `guide check` reads it without loading the handout renderer."""

# Authors mark more with `.screen-only`.
SCREEN_ONLY_CLASS = "screen-only"
SCREEN_ONLY_TAGS = frozenset({"script", "style", "noscript", "iframe", "form", "button", "video", "audio"})
# As one CSS selector, for clean.py; a.headerlink is the theme's permalink pilcrow.
SCREEN_ONLY = ", ".join(["a.headerlink", f".{SCREEN_ONLY_CLASS}", *sorted(SCREEN_ONLY_TAGS)])

# What our templates put around a page's Markdown content, inside its <article> (overrides/): the
# handouts leave it out (pipeline/handouts.py), so a safety part inside one would be on screen only.
PAGE_CHROME_CLASSES = ("print-header", "handout-link", "page-review", "md-source-file", "md-content__button", "md-tags")
# Zensical's theme puts its skip link's target, an empty <a id="__skip">, first in the article. On
# paper it is a blank line under the notice: enough to push the safety handout's Emergency box to page 2.
THEME_ANCHORS = ("a#__skip",)
PAGE_CHROME = ", ".join([*(f".{name}" for name in PAGE_CHROME_CLASSES), *THEME_ANCHORS])
