"""The engine step's bracket finder (pipeline/link_brackets.py) gives Python-Markdown's own answer."""
from __future__ import annotations

import random

import markdown
from markdown.inlinepatterns import LinkInlineProcessor

from conftest import ROOT
from pipeline import link_brackets

# Read at collection, before any test of this process could install ours.
LIBRARY = LinkInlineProcessor._findBracketEnds


def test_the_library_has_the_method_we_replace():
    # A new Python-Markdown without it: install() leaves the library alone, and this says to look.
    assert LIBRARY is not link_brackets.find_bracket_ends
    assert LIBRARY("a [b] c") == link_brackets.find_bracket_ends("a [b] c")


def test_same_answer_as_the_library_on_random_brackets():
    rng = random.Random(20261207)
    for _ in range(5000):
        text = "".join(rng.choice("[[]] ab\\") for _ in range(rng.randint(0, 60)))
        assert link_brackets.find_bracket_ends(text) == LIBRARY(text), text


def test_same_answer_on_every_page_of_the_guide():
    pages = sorted((ROOT / "docs").rglob("*.md"))
    assert len(pages) > 10
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert link_brackets.find_bracket_ends(text) == LIBRARY(text), page.name


def test_installed_it_makes_the_same_html():
    text = ("Sources: ([NHS, 2024](a.md#x){ .cite }: [lump](a.md#y), [what [it] is](a.md#z)); "
            "an [open bracket, [a [link](b.md) and ![a picture](c.png) ]] [ref][1]\n\n[1]: d.md")
    extensions = ["attr_list"]
    own = LinkInlineProcessor.__dict__["_findBracketEnds"]  # the staticmethod itself, put back below
    try:
        LinkInlineProcessor._findBracketEnds = staticmethod(LIBRARY)  # type: ignore[method-assign]
        before = markdown.markdown(text, extensions=extensions)
        link_brackets.install()
        assert LinkInlineProcessor._findBracketEnds is link_brackets.find_bracket_ends
        assert markdown.markdown(text, extensions=extensions) == before
    finally:
        LinkInlineProcessor._findBracketEnds = own
