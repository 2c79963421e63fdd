"""The handouts' style sheets and templates, named once: document.py and render.py typeset with
them, and the built-site checks read them for rules that would hide a safety part on paper
(pipeline/style_scan.py). No imports beyond pathlib, so `guide check` reads it cheaply."""
from pathlib import Path

PACKAGE = Path(__file__).parent
# Given to WeasyPrint as the handout's own sheet.
STYLESHEET = PACKAGE / "handout.css"
# Paper rules shared with browser print (mkdocs.yml lists the same file for the site, before print.css).
PAPER_STYLESHEET = PACKAGE.parent / "docs" / "stylesheets" / "paper.css"
# Added for the large-print variant (handouts/large-print/<slug>.pdf).
LARGE_PRINT_STYLESHEET = PACKAGE / "large-print.css"
# Every sheet that can style a handout, in the order a large-print handout applies them.
HANDOUT_SHEETS = (STYLESHEET, PAPER_STYLESHEET, LARGE_PRINT_STYLESHEET)
# The handout documents' templates (their <style> too).
TEMPLATES = PACKAGE / "templates"
