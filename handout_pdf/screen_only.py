"""What only makes sense on a screen: the handouts leave it out (clean.py), print CSS hides
.screen-only, and the built-site checks refuse a safety part inside it (pipeline/page_scan.py).
No imports, so `guide check` reads it without loading the handout renderer."""

# Authors mark more with `.screen-only`.
SCREEN_ONLY_CLASS = "screen-only"
SCREEN_ONLY_TAGS = frozenset({"script", "style", "noscript", "iframe", "form", "button", "video", "audio"})
# As one CSS selector, for clean.py; a.headerlink is the theme's permalink pilcrow.
SCREEN_ONLY = ", ".join(["a.headerlink", f".{SCREEN_ONLY_CLASS}", *sorted(SCREEN_ONLY_TAGS)])
