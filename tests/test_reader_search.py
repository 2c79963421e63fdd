"""Search finds the right chapter in readers' own words, offline under file://.

data/vocabulary.yml maps readers' words to the guide's; macros/vocabulary.py turns it into a
script; docs/assets/javascripts/search-words.js expands the query before Material's worker.
"""
from __future__ import annotations

import json
import re
import shutil

import pytest
import yaml

from conftest import ROOT, search_settled
from macros.data import DataError, load_data
from macros.vocabulary import vocabulary_map, vocabulary_script
from reader_questions import FIRST_ANSWERS, QUESTIONS


# --- the data and the generated script -------------------------------------------------------------

def test_vocabulary_script_is_data_only_and_escaped(tmp_path):
    data = load_data(ROOT / "data")
    script = vocabulary_script(data)
    assert script.startswith("/* Generated from data/vocabulary.yml")
    body = script.split("window.psoasVocabulary=", 1)[1].rstrip().rstrip(";")
    payload = json.loads(body)
    assert payload["words"]["stomach"] == ["tummy"]
    assert "can" in payload["stop"]
    # Guide words reach the browser as single words without stop words.
    assert all(" " not in w for words in payload["words"].values() for w in words)


def test_text_from_the_data_file_cannot_close_a_script(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    vocab = tmp_path / "data" / "vocabulary.yml"
    raw = yaml.safe_load(vocab.read_text())
    raw["entries"][0]["reader"].append("</script><script>alert(1)</script>")
    vocab.write_text(yaml.safe_dump(raw))
    with pytest.raises(DataError, match=r"(?s)vocabulary.yml.*entries\[0\].reader.*Fix"):
        load_data(tmp_path / "data")


def test_a_reader_word_in_two_entries_is_an_error_naming_both(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    vocab = tmp_path / "data" / "vocabulary.yml"
    raw = yaml.safe_load(vocab.read_text())
    raw["entries"].append({"guide": ["pelvis"], "reader": ["stomach"]})
    vocab.write_text(yaml.safe_dump(raw))
    with pytest.raises(DataError, match=r"vocabulary.yml: reader word 'stomach' is listed under guide words \[tummy\] and \[pelvis\]"):
        load_data(tmp_path / "data")


def test_every_guide_word_is_in_the_search_index(built_site):
    """A guide word no page uses would send readers nowhere: each must start a word in the index."""
    index = json.loads((built_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(f"{d['title']} {d['text']}" for d in index["docs"]).lower()
    words = set(re.findall(r"[a-z][a-z'-]*", re.sub(r"<[^>]+>", " ", text)))
    guide = {w for ws in vocabulary_map(load_data(ROOT / "data").vocabulary).values() for w in ws}
    missing = sorted(g for g in guide if not any(w.startswith(g) for w in words))
    assert missing == []


def test_each_safety_box_is_found_on_its_own_page_only(built_site):
    """The same safety box on a dozen pages filled a phone's first screen of results with copies
    ("numb leg" put the safety chapter tenth): search finds each box where it is the subject."""
    index = json.loads((built_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))

    def pages_with(words: str) -> set[str]:
        return {d["location"].split("#")[0] for d in index["docs"]
                if words.lower() in re.sub(r"<[^>]+>|\s+", " ", d["text"]).lower()}

    safety = load_data(ROOT / "data").safety
    emergency = next(level for level in safety.levels if level.id == "emergency")
    assert pages_with(next(s.text for s in emergency.signs if "wipe" in s.text)) == {"before/is-it-safe.html"}
    assert pages_with(safety.after_session.signs[-1].text[:40]) == {"aftercare/immediate-effects.html"}
    assert pages_with(safety.care_card.who_not[:40]) == set()  # the card sums up the safety chapter
    # Still on every page for a reader: only the index leaves them out (Material drops the
    # data-search-exclude attribute from the page once it has indexed it).
    page = (built_site.site / "aftercare" / "exercises.html").read_text(encoding="utf-8")
    assert safety.care_card.who_not[:40] in page


# --- in the browser, from disk, offline ------------------------------------------------------------

def result_pages(page, site_uri: str) -> list[str]:
    hrefs = page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(a => a.href)")
    pages: list[str] = []
    for href in hrefs:
        rel = href.split("#")[0].split("?")[0].removeprefix(site_uri + "/")
        if rel not in pages:
            pages.append(rel)
    return pages


@pytest.fixture
def offline_page(browser):
    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page, errors
    context.close()


def ask(page, question: str) -> None:
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.press_sequentially(question, delay=10)
    search_settled(page, question)


@pytest.mark.browser
def test_reader_questions_find_the_right_chapter_offline(built_site, offline_page):
    page, errors = offline_page
    site = built_site.site
    page.goto((site / "reference" / "about.html").as_uri(), wait_until="load")
    assert len(QUESTIONS) >= 40
    misses = {}
    for question, wanted in QUESTIONS:
        ask(page, question)
        top = result_pages(page, site.as_uri())[:3]
        if not any(w in top for w in wanted):
            misses[question] = top
    hits = len(QUESTIONS) - len(misses)
    print(f"\nreader questions: {hits}/{len(QUESTIONS)} found the right chapter in the top 3")
    assert misses == {}
    # The guide's words added to a query are not listed as "Missing" words the reader never typed.
    ask(page, "my hip hurts when I walk")
    terms = page.evaluate("""() => [...document.querySelectorAll('.md-search-result__terms')]
                                 .map(e => e.getClientRects().length > 0)""")
    assert terms and not any(terms), terms
    assert errors == []


@pytest.mark.browser
def test_a_worried_reader_s_first_result_is_the_page_that_answers(built_site, offline_page):
    """The first result, clicked, opens the page that answers: a reader on a phone reads no further."""
    page, errors = offline_page
    site = built_site.site
    wrong = {}
    for question, wanted in FIRST_ANSWERS:
        page.goto((site / "reference" / "about.html").as_uri(), wait_until="load")
        ask(page, question)
        with page.expect_navigation(wait_until="load"):
            page.locator(".md-search-result__item > a").first.click()
        landed = page.url.split("#")[0].split("?")[0].removeprefix(site.as_uri() + "/")
        if landed != wanted:
            wrong[question] = landed
    assert wrong == {}, f"first result, wanted {dict(FIRST_ANSWERS)}"
    assert errors == []


@pytest.mark.browser
def test_results_on_a_phone_are_near_the_size_of_the_page_s_words(built_site, browser):
    """A phone review: Material sets the results' words at 12.8 px against the pages' 16 px, and the
    first result for "numb leg" quotes the Emergency signs. They are read at table size now."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True, offline=True)
    page = context.new_page()
    page.goto((built_site.site / "index.html").as_uri(), wait_until="load")
    body = page.locator("article p").first.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")
    page.locator(".md-header label[for='__search']").first.tap()
    ask(page, "numb leg")
    sizes = page.evaluate("""() => {
        const size = sel => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize);
        return {words: size('.md-search-result__article li, .md-search-result__article p'),
                more: size('.md-search-result__more > summary > div')};
    }""")
    context.close()
    assert min(sizes.values()) >= 0.9 * body, (sizes, body)


@pytest.mark.browser
def test_the_box_keeps_what_the_reader_typed(built_site, offline_page):
    page, _ = offline_page
    page.goto((built_site.site / "index.html").as_uri(), wait_until="load")
    ask(page, "crying")
    assert page.locator("input.md-search__input").input_value() == "crying"
    # Question words go; the safety page's title word comes with "pregnant" (data/vocabulary.yml).
    expanded = page.evaluate("window.psoasSearchWords.expand('can I do this pregnant')")
    assert expanded.split() == ["pregnant", "safe"]
    assert page.evaluate("window.psoasSearchWords.expand('title:psoas')") == "title:psoas"
    assert page.evaluate("window.psoasSearchWords.expand('-massage')") == "-massage"
    # A hyphen inside a word joins two words, as the index splits them: not search syntax.
    assert page.evaluate("window.psoasSearchWords.expand('c-section')").split() == ["surgery", "safe", "c", "section"]


@pytest.mark.browser
def test_the_index_loads_only_when_the_reader_reaches_for_search(browser, site_server):
    # A quarter of a first visit: most readers never search, so the index waits for the search box.
    context = browser.new_context()
    page = context.new_page()
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "search_index" in r.url else None)
    page.goto(site_server + "before/understanding-the-psoas.html", wait_until="networkidle")
    assert asked == []
    ask(page, "pregnant")
    assert [url.rsplit("/", 1)[1] for url in asked] == ["search_index.json"]
    assert "before/is-it-safe.html" in result_pages(page, site_server.rstrip("/"))[:3]
    # A page opened from a search result highlights the words, so it needs the index at once.
    asked.clear()
    page.goto(site_server + "before/preparing.html?h=stretch", wait_until="networkidle")
    assert len(asked) == 1
    context.close()
