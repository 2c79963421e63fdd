"""Our style sheets may not hide a safety part (pipeline/style_scan.py): one row per way to hide,
on screen or in print, and the rules that must pass. Fast and in-process."""
from __future__ import annotations

import pytest

from conftest import ROOT
from pipeline import site_rules, style_scan

NAMES = {*site_rules.NEVER_HIDDEN_CLASSES, *site_rules.NEVER_HIDDEN_IDS, site_rules.HANDOUT_NOTICE}

HIDING = [
    (".care-card { display: none }", ".care-card"),
    ("@media print { .page-review { display: none } }", ".page-review"),
    (".care-level { visibility: hidden }", ".care-level"),
    (".page-review__notice { opacity: 0 }", ".page-review__notice"),
    (".page-review__notice { opacity: 20% }", ".page-review__notice"),
    (".stop-signs { height: 0; overflow: hidden }", ".stop-signs"),
    (".care-card { position: absolute; clip: rect(0 0 0 0) }", ".care-card"),
    ("#emergency { clip-path: inset(50%) }", "#emergency"),
    (".safety-check { position: absolute; left: -9999px }", ".safety-check"),
    (".consent-note { font-size: 0 }", ".consent-note"),
    (".after-session-signs { color: transparent }", ".after-session-signs"),
    (".after-session-signs { color: rgb(0 0 0 / 0) }", ".after-session-signs"),
    (".pregnancy-note { transform: scale(0) }", ".pregnancy-note"),
    (".care-card { content-visibility: hidden }", ".care-card"),
    ("html.js .care-card:nth-child(2) { display: none }", ".care-card"),
    (".md-typeset { .care-card { display: none } }", ".care-card"),
    ("@supports (display: grid) { @media print { #urgent { display: none } } }", "#urgent"),
    ("div:has(> .care-card) { display: none }", ".care-card"),
    ('[class~="care-card"] { display: none }', "care-card"),
    ("main > div[id=see-a-doctor] { visibility: collapse }", "see-a-doctor"),
    (".handout-notice { display: none }", ".handout-notice"),
    (".x, #plan-care { display: none }", "#plan-care"),
    # The part stays, its words go: the card's title shows, and neither a part check nor the browser
    # test (which looks at the part's own box) saw the signs were gone.
    (".care-card li { display: none }", ".care-card"),
    # An aftercare card's summary (stop, the three levels) gone: the card and its signs after a session stay.
    (".md-typeset .care-card__summary { display: none }", ".care-card__summary"),
    ("@media print { .care-card__part { visibility: hidden } }", ".care-card__part"),
    ("@media screen and (max-width: 44.9375em) { .md-typeset .care-card li > ul { display: none } }", ".care-card"),
    (".care-card--after-session > div:first-of-type { visibility: hidden }", "care-card"),
    (".stop-signs > * { opacity: 0 }", ".stop-signs"),
    (".care-card > :not(.admonition-title) { display: none }", ".care-card"),
    (".care-card details { display: none }", ".care-card"),
    (".care-card { ul { display: none } }", ".care-card"),
    ("#emergency { & > ul { height: 0; overflow: hidden } }", "#emergency"),
]


@pytest.mark.parametrize("css, part", HIDING)
def test_a_rule_that_hides_a_safety_part_fails(css, part):
    found = list(style_scan.sheet_problems("docs/stylesheets/extra.css", css, NAMES))
    assert len(found) == 1, found
    said = str(found[0])
    assert "docs/stylesheets/extra.css: the rule '" in said and part in said and "a safety part" in said
    assert "Fix: take the rule out, or aim it at a thing inside the part by a class of its own" in said


@pytest.mark.parametrize("css", [
    ".care-card .care-card__more { display: none }",   # a named thing inside a part
    ".care-card .headerlink { display: none }",
    ".care-card__who-not { display: none }",           # another class that starts the same
    ".care-card::before { display: none }",            # generated content
    "@media print { .handout-link, .md-sidebar { display: none } }",  # no safety part
    ".care-card ~ p { display: none }",                # the part's neighbour
    ".care-card + ul li { display: none }",            # inside the neighbour
    ".md-content__inner:has(.plan-builder) > :not(.plan-builder) { display: none }",
    ".care-card { opacity: 0.9; color: #b71c1c; transform: translateX(2px); margin: 0 -0.8rem; font-size: 0.9rem }",
])
def test_a_rule_that_hides_no_safety_part_passes(css):
    assert list(style_scan.sheet_problems("x.css", css, NAMES)) == []


def test_our_real_sheets_pass_and_are_all_read():
    """paper.css styles the handouts and browser print alike: read once, with the handouts' sheets."""
    assert style_scan.style_problems(ROOT / "docs") == []
    read = style_scan.our_sheets(ROOT / "docs")
    assert {p.name for p in read} >= {"guide.css", "safety.css", "plan.css", "print.css", "paper.css",
                                      "handout.css", "large-print.css"}
    assert len(read) == len(set(read)), "a sheet is read twice"


def test_every_part_of_an_aftercare_card_is_named_never_hidden():
    """The summary of an aftercare chapter's card (stop, the three levels) is a part of its own: a rule
    hiding it left the card, and its signs after a session, on show, so no check looked further."""
    import re

    from macros import safety
    from macros.data import load_data

    card = safety.care_card(load_data(ROOT / "data"), "aftercare/emotional-changes.md", after_session=True)
    parts = {name for classes in re.findall(r'<div class="([^"]*)"', card) for name in classes.split()}
    assert parts >= {"care-card", "after-session-signs", "care-card__summary"}
    assert parts - {"admonition", "danger"} <= site_rules.NEVER_HIDDEN_CLASSES | {"care-card--after-session"}
