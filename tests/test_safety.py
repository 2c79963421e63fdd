"""Safety layer (issue 10 §1, §3): the triage rule, care cards on every chapter and handout,
safety text at body size on a phone, and an honest review status with a report-a-mistake route.

Each rule is first shown to fail on planted bad data, so a pass means something.
"""
from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import jinja2
import pytest
from pydantic import ValidationError
import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader

from conftest import ROOT, html_pages
from macros import plan, review, safety, schema
from macros.links import AFTER_SESSION_PAGE
from macros.data import DataError, load_data
from macros.placeholders import placeholder_in
from pipeline.pages import read_page

EMERGENCY_WORDS = "999 (UK), 911 (US) or 112 (EU and many other countries)"
SAFETY_PAGE = "before/is-it-safe.html"
URGENT_CALL = "In the UK, call your GP surgery or NHS 111. Elsewhere, call your doctor or an urgent care service."


def chapters() -> list[str]:
    """Markdown paths of every page with `handout: true` (each gets a PDF)."""
    out = []
    for md in sorted((ROOT / "docs").rglob("*.md")):
        meta = read_page(md, md.name)[0].meta  # the build's own front-matter reader
        if meta is not None and meta.handout:
            out.append(md.relative_to(ROOT / "docs").as_posix())
    assert len(out) == 11, out
    return out


def html_of(md: str) -> str:
    return md[:-3] + ".html"


def pdf_of(md: str) -> str:
    return f"handouts/{Path(md).stem}.pdf"


# --- the triage rule ---------------------------------------------------------------------------

def data_copy(tmp_path: Path, edit) -> Path:
    """A copy of data/ with safety.yml changed by edit(dict)."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    raw = yaml.safe_load((data / "safety.yml").read_text(encoding="utf-8"))
    edit(raw)
    (data / "safety.yml").write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return data


def test_real_safety_data_keeps_the_triage_rule():
    data = load_data(ROOT / "data")
    routine = next(level for level in data.safety.levels if level.id == "routine")
    assert not any(s.red_flag for s in routine.signs)
    for item in data.safety.check.items:
        if item.red_flag:
            assert item.level in ("emergency", "urgent"), item


@pytest.mark.parametrize("sign", [
    {"text": "A fever with tummy pain."},
    {"text": "A pulsing lump in your tummy."},
    {"text": "Tummy or low back pain that does not go away."},
    {"text": "Something quiet.", "red_flag": True},
])
def test_red_flag_at_routine_level_fails_the_build(tmp_path, sign):
    def edit(raw):
        raw["levels"][2]["signs"].append(sign)
    with pytest.raises(DataError) as err:
        load_data(data_copy(tmp_path, edit))
    message = str(err.value)
    assert "safety.yml" in message and "levels.routine.signs" in message and "Fix:" in message, message


@pytest.mark.parametrize("item", [
    {"text": "I have a fever and tummy pain.", "level": "no-deep-pressure"},
    {"text": "I feel a pulsing in my tummy.", "level": "ask-first"},
    # Same day at least (FACTS F, triage), never "no pressure, book a visit":
    {"text": "My bowel is flaring up, or I have tummy pain nobody has explained.", "level": "no-deep-pressure"},
    {"text": "I have tummy pain that is unexplained.", "level": "ask-first"},
    {"text": "Quiet words.", "level": "no-deep-pressure", "red_flag": True},
    {"text": "Quiet words.", "level": "urgent"},
    {"text": "Quiet words.", "level": "see-your-doctor-sometime"},
])
def test_red_flag_in_the_safety_check_must_point_to_emergency_or_urgent(tmp_path, item):
    def edit(raw):
        raw["check"]["items"].append(item)
    with pytest.raises(DataError) as err:
        load_data(data_copy(tmp_path, edit))
    message = str(err.value)
    assert "safety.yml" in message and "check.items" in message and "Fix:" in message, message


def test_after_session_signs_cannot_be_routine(tmp_path):
    def edit(raw):
        raw["after_session"]["signs"][0]["level"] = "routine"
    with pytest.raises(DataError) as err:
        load_data(data_copy(tmp_path, edit))
    assert "after_session" in str(err.value)


def test_safety_check_links_each_item_to_its_own_box(built_site):
    soup = BeautifulSoup(built_site.page(SAFETY_PAGE), "html.parser")
    items = soup.select("#checklist-safety-check li.task-list-item")
    data = load_data(ROOT / "data")
    assert len(items) == len(data.safety.check.items)
    for li, item in zip(items, data.safety.check.items, strict=True):
        href = li.select_one(".safety-check__todo a")["href"]
        anchor = {"emergency": "emergency", "urgent": "urgent"}.get(item.level, item.level)
        assert href == f"#{anchor}", (item.text, href)
        assert soup.find(id=anchor) is not None, f"no box with id {anchor}"
    # The routine box must not send anyone with a ticked red flag to a routine visit.
    routine = soup.find(id="see-a-doctor").get_text(" ", strip=True).lower()
    assert "ticked any box" not in routine


def test_data_text_is_escaped():
    # The load now refuses '**' in data (tests/test_data_rules.py); escaping must hold even without that check.
    data = load_data(ROOT / "data")
    card = data.safety.care_card.model_copy(update={"stop": "<script>alert(1)</script> **bold**"})
    data = type(data)(**{**data.__dict__, "safety": data.safety.model_copy(update={"care_card": card})})
    html = safety.care_card(data, "before/preparing.md")
    # Markdown marks become character references (macros/text.py safe()): shown as typed, never bold.
    assert "<script>" not in html and "&lt;script&gt;" in html and "&#42;&#42;bold&#42;&#42;" in html



def test_emergency_numbers_tap_to_call_wherever_the_levels_are_given(tmp_path):
    """On a phone the numbers in 'Emergency: call 999 ...' dial; the level's name links to its box
    (a link cannot hold a link). A number inside a character reference or a longer number stays text."""
    data = load_data(ROOT / "data")
    card = BeautifulSoup(safety.care_card(data, "before/preparing.md"), "html.parser")
    dials = [a["href"] for a in card.select("a[href^='tel:']")]
    assert dials == ["tel:999", "tel:911", "tel:112", "tel:111"], dials
    assert not card.select("a a"), "a tel: link inside the link to the box"
    box = BeautifulSoup(safety.care_level(data, "emergency", "before/is-it-safe.md"), "html.parser")
    assert box.select(".admonition-title a[href='tel:999']"), "the Emergency box's own title does not dial"

    def edit(raw):
        raw["levels"][0]["action"] = "call 999, 911, 112 or 123, not 1999 {x}"
        raw["phone_numbers"].append("123")  # safe() writes '{' as the reference &#123;
    data = load_data(data_copy(tmp_path, edit))
    text = safety._callable(data, data.safety.levels[0].action)
    assert text.count('href="tel:999"') == 1 and text.count('href="tel:123"') == 1, text
    assert "not 1999 &#123;x&#125;" in text, text


def test_a_phone_number_no_level_gives_fails_the_load(tmp_path):
    def edit(raw):
        raw["phone_numbers"].append("0800 123")
    with pytest.raises(DataError) as err:
        load_data(data_copy(tmp_path, edit))
    assert "safety.yml" in str(err.value) and "0800 123" in str(err.value), err.value

# --- care cards on every chapter and handout ---------------------------------------------------

def test_care_card_on_every_chapter_page_with_one_emergency_wording(built_site):
    for md in chapters():
        soup = BeautifulSoup(built_site.page(html_of(md)), "html.parser")
        article = soup.find("article")
        card = article.select_one(".care-card") or article.select_one("#emergency.urgency")
        assert card is not None, f"{md}: no care card; add {{{{ care_card() }}}} after the 'In short' box"
        assert EMERGENCY_WORDS in card.get_text(" ", strip=True), f"{md}: emergency numbers worded differently"
        assert card.select_one("a[href*='is-it-safe']") or md.endswith("is-it-safe.md"), f"{md}: card has no link to the safety page"
        sources = card.select(".care-sources")
        assert len(sources) == 1 and not card.select("li a.cite"), f"{md}: citations go on one Sources line at the end"
        # "Get medical advice today" must say from whom: most handouts are read without the safety chapter.
        urgent = card if card.has_attr("class") and "care-card" in card["class"] else article.select_one("#urgent")
        assert URGENT_CALL in " ".join(urgent.get_text().split()), f"{md}: the Urgent line does not say who to call"


def test_an_aftercare_card_holds_the_signs_after_a_session_in_one_box():
    """A phone review: the aftercare chapters opened with two red boxes (the signs after a session,
    then the care card) before their first words. care_card(after_session=True) is one box with
    both: the signs after a session, then the card's summary (stop signs, levels); still the guide's card."""
    import markdown

    data = load_data(ROOT / "data")
    after = data.safety.after_session.signs
    for page in ("aftercare/emotional-changes.md", AFTER_SESSION_PAGE):
        html = markdown.markdown(safety.care_card(data, page, after_session=True), extensions=["md_in_html", "attr_list"])
        soup = BeautifulSoup(html, "html.parser")
        assert len(soup.select(".admonition")) == 1, f"{page}: more than one box"
        card = soup.select_one(".admonition.danger.care-card")
        parts = card.select(":scope > .care-card__part")
        assert [" ".join(p["class"]) for p in parts] == ["after-session-signs care-card__part", "care-card__summary care-card__part"]
        assert "Stop at once" in parts[1].get_text() and "Emergency" in parts[1].get_text()
        rows = [" ".join(li.get_text(" ").split()) for li in parts[0].select("li")]
        assert len(rows) == len(after) and all(" ".join(s.text.split()) in row for s, row in zip(after, rows, strict=True))
        # The guide's card: it links the Emergency box and dials; one Sources line, which names the
        # findings the signs after a session rest on.
        assert card.select("a[href^='tel:']") and card.select_one("a[href$='is-it-safe.md#emergency']")
        assert len(card.select(".care-sources")) == 1 and not card.select("li a.cite")
        cited = {(a.get("data-source"), a.get("data-finding")) for a in card.select(".care-sources a.cite")}
        assert {tuple(ref.split(":")) for s in after for ref in s.sources} <= cited
        # Search skips the summary everywhere (tests/test_reader_search.py), the signs except on their page.
        skipped = [el.has_attr("data-search-exclude") for el in (card, card.select_one(".admonition-title"), *parts)]
        assert skipped == [False, True, page != AFTER_SESSION_PAGE, True]
    with pytest.raises(ValueError, match="after_session is True or False"):
        safety.care_card(data, "aftercare/emotional-changes.md", after_session="yes")


def test_the_home_page_links_straight_to_the_signs_after_a_session():
    """A phone review: a reader worried after a session found no way from the home page's first screen
    to the signs after a session (the chapter list is three screens down). The home page's safety box
    now links the card that opens Immediate effects by its id, and says when to call 999."""
    from macros.links import AFTER_SESSION_ANCHOR

    data = load_data(ROOT / "data")
    card = BeautifulSoup(safety.care_card(data, AFTER_SESSION_PAGE, after_session=True), "html.parser")
    assert card.select_one(".care-card")["id"] == AFTER_SESSION_ANCHOR
    # One card to a page, and only this page's is the target (the whole guide joins every chapter).
    elsewhere = BeautifulSoup(safety.care_card(data, "aftercare/emotional-changes.md", after_session=True), "html.parser")
    assert not elsewhere.select_one(".care-card").has_attr("id")
    home = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    safety_box = home.split('!!! danger "Safety first"', 1)[1].split("\n## ", 1)[0]
    assert f"]({AFTER_SESSION_PAGE}#{AFTER_SESSION_ANCHOR})" in safety_box
    assert '{{ level_action("emergency") }}' in safety_box


def test_after_session_signs_near_the_top_of_aftercare_pages(built_site):
    for md in [c for c in chapters() if c.startswith("aftercare/") and not c.endswith("exercises.md")]:
        article = BeautifulSoup(built_site.page(html_of(md)), "html.parser").find("article")
        signs = article.select_one(".after-session-signs")
        assert signs is not None, f"{md}: no after-session warning signs"
        first_h2 = article.find("h2")
        assert first_h2 is None or signs in first_h2.find_all_previous("div"), f"{md}: warning signs come after the first section"
        text = signs.get_text(" ", strip=True).lower()
        for words in ("blood in your pee", "pulsing lump", "calf", "chest pain", "being sick or a fever"):
            assert words in text, f"{md}: after-session signs miss {words!r}"


# --- safety where the technique is, and no "wait and see" for the aneurysm signs ------------------

def test_the_pregnancy_note_names_every_exercise_done_on_the_back():
    """NHS: not flat on the back for long after 16 weeks. An exercise added on the back must be named."""
    data = load_data(ROOT / "data")
    note = data.safety.pregnancy.text.lower()
    on_back = [e.name for e in data.exercises.values() if re.search(r"on your back|lie back", " ".join(e.steps), re.I)]
    assert len(on_back) >= 6, on_back
    assert not [name for name in on_back if name.lower() not in note], f"pregnancy note misses: {on_back}"


def test_every_exercise_on_the_back_carries_the_pregnancy_caution():
    """Said where the exercise is taught, so a printed plan or routine without the note still
    carries it (FACTS F: constructive rest, bridges, pelvic tilts, knee rolls)."""
    data = load_data(ROOT / "data")
    caution = data.safety.pregnancy.caution
    on_back = [e for e in data.exercises.values() if re.search(r"on your back|lie back", " ".join(e.steps), re.I)]
    assert len(on_back) >= 6 and "Pregnant?" in caution
    assert [e.id for e in on_back if caution not in e.cautions] == []
    assert caution not in data.exercises["walking"].cautions
    plan_exercises = {e["id"]: e for e in plan.plan_data(data, "reference/plan-builder.md", {"name": "G"})["exercises"]}
    assert caution in plan_exercises["bridge"]["cautions"], "the printed plan must carry it too"


def test_every_dose_keeps_the_start_small_rule():
    """The guide says to begin with about 5 of each movement and build up (NHS inform; FACTS E).
    A dose that starts higher must say how to start (a caution such as "Start with 5 ...")."""
    data = load_data(ROOT / "data")
    doses = [(e.id, e.dose, e) for e in data.exercises.values()]
    doses += [(f"{r.id}/{st.exercise}", st.dose, data.exercises[st.exercise])
              for r in data.routines.values() for st in r.steps if st.dose]
    higher = [(where, dose.reps) for where, dose, ex in doses
              if dose.reps and int(re.match(r"\d+", dose.reps)[0]) > 5
              and not any(c.startswith(("Start with", "New to it? Start with")) for c in ex.cautions)]
    assert higher == [], f"doses that start above 5 without saying how to start: {higher}"


def test_an_exercise_on_the_back_without_on_back_fails_the_build(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    text = (data / "exercises.yml").read_text(encoding="utf-8")
    # on_back is required; a wrong false is caught by the steps' words ("lie on your back").
    (data / "exercises.yml").write_text(text.replace("    on_back: true\n", "    on_back: false\n", 1), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_data(data)
    message = str(err.value)
    assert "exercises.yml" in message and "on_back: true" in message and "Fix:" in message, message


def test_every_hip_flexor_stretch_warns_after_a_hip_replacement():
    """FACTS F: no hip-extension stretching after a hip replacement without the surgeon's advice,
    said where the stretch is taught (exercise pages, handouts and printed plans carry the cautions)."""
    data = load_data(ROOT / "data")
    stretches = [e for e in data.exercises.values() if "hip flexor stretch" in f"{e.name} {e.summary}".lower()]
    assert len(stretches) == 3, [e.id for e in stretches]
    assert all(any("hip replacement" in c.lower() and "surgeon" in c for c in e.cautions) for e in stretches)


@pytest.mark.parametrize("md", ["before/preparing.md", "aftercare/maintaining-psoas-health.md"])
def test_tool_advice_names_fragile_bones_and_links_the_reason(md):
    text = (ROOT / "docs" / md).read_text(encoding="utf-8")
    assert "fragile bones" in text and "is-it-safe.md#no-tools" in text


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=\.)\s+", text) if s.strip()]


def test_the_stop_box_does_not_say_wait_for_the_aneurysm_signs():
    """Sudden severe pain with faintness is an emergency now, and a pulse under the hands means a
    doctor the same day even if it stops. The one wait before 999 is a few minutes lying down for
    feeling faint; the other signs may be waited on for advice today (FACTS F, triage)."""
    closing = load_data(ROOT / "data").safety.stop_signs.closing
    sentences = _sentences(closing)
    assert sentences[0].startswith("New, sudden, very bad pain") and "emergency" in sentences[0] and "now" in sentences[0]
    # Any one burst-aneurysm sign on its own (NHS): fainting waits for nothing (a session is given
    # lying down), nor does sudden breathlessness or a racing heart with feeling faint.
    assert sentences[1] == "So is fainting, even for a moment.", sentences
    assert sentences[2].startswith("So is") and "suddenly short of breath" in sentences[2], sentences
    assert "racing heart" in sentences[2] and "lie" not in sentences[2], sentences
    # Cauda equina's tingling in both legs.
    assert sentences[3].startswith("So is") and "both legs" in sentences[3] and "genitals" in sentences[3], sentences
    assert any("pulse" in s for s in sentences) and any("same day, even if it stops" in s for s in sentences)
    waits = [s for s in sentences if "few minutes" in s]
    assert len(waits) == 2, sentences
    # Feeling faint: lie down with the legs raised (NHS first aid), a time, then 999 (not "today").
    faint_wait, other_wait = waits
    before = sentences[sentences.index(faint_wait) - 1]
    assert before.startswith("If you feel faint, dizzy") and "legs raised" in before, sentences
    assert "emergency" in faint_wait and "call now" in faint_wait and "today" not in faint_wait, faint_wait
    # The other signs: waited on, then how fast: the same day, never "get help" with no level.
    assert sentences[sentences.index(other_wait) - 1].startswith("For the other signs"), sentences
    assert "today" in other_wait, other_wait
    assert "does not pass when you lie down" not in closing  # no wait without a time


def test_the_emergency_box_waits_only_a_few_minutes_and_only_for_feeling_faint():
    """"Does not pass when you lie down" had no time, stood in a box that closes "do not wait", and
    put fainting and breathlessness (burst-aneurysm signs, NHS) behind a wait. Now: fainting,
    sudden breathlessness and a racing heart with feeling faint are 999 at once; feeling faint,
    dizzy, sweaty or clammy gets a few minutes lying down with the legs raised (the NHS's first aid),
    and the box says that time is our advice."""
    data = load_data(ROOT / "data")
    emergency = next(level for level in data.safety.levels if level.id == "emergency")
    at_once = [s for s in emergency.signs if s.text.startswith("You faint")]
    assert len(at_once) == 1, [s.text for s in emergency.signs]
    assert "suddenly short of breath" in at_once[0].text and "heart races" in at_once[0].text
    assert not re.search(r"\b(lie|lying|minutes|does not pass|has not gone)\b", at_once[0].text), at_once[0].text
    waits = [s for s in emergency.signs if re.search(r"\b(lie|lying|minutes)\b", s.text)]
    assert len(waits) == 1, [s.text for s in waits]
    wait = waits[0]
    assert "a few minutes" in wait.text and "legs raised" in wait.text, wait.text
    assert "short of breath" not in wait.text  # breathlessness never waits
    assert {"nhs-aaa:burst", "nhs-fainting:feel-faint"} <= set(wait.sources), wait.sources
    # The closing no longer says "do not wait" over a sign that waits: it names the one wait and labels its time.
    assert "only wait" in emergency.closing and "our own advice" in emergency.closing, emergency.closing
    # The stop box's closing gives the same wait for the same signs.
    stop = data.safety.stop_signs
    assert "If you feel faint, dizzy, sweaty or clammy, or your heart races, lie down with your legs raised." in stop.closing
    assert "nhs-fainting:feel-faint" in stop.closing_sources


def test_sudden_breathlessness_is_999_everywhere_it_is_named():
    """The signs after a session send sudden breathlessness to 999; the Emergency box once let it
    wait "until it does not pass when you lie down". No box may tell a reader to wait for it."""
    data = load_data(ROOT / "data").safety
    after = [s for s in data.after_session.signs if "short of breath" in s.text]
    assert after and all(s.level == "emergency" for s in after), after
    emergency = next(level for level in data.levels if level.id == "emergency")
    named = [s.text for s in emergency.signs if "short of breath" in s.text]
    assert named and not any(re.search(r"\b(lie|lying|minutes|does not pass|has not gone)\b", t) for t in named), named
    assert "short of breath" not in " ".join(_sentences(data.stop_signs.closing)[4:]), data.stop_signs.closing



def test_the_stop_box_cites_the_emergency_signs_its_closing_names():
    """Its closing names a burst aneurysm's and cauda equina's signs as emergencies, but its
    Sources line named only the anatomy reference behind the stop signs."""
    from macros import safety

    box = safety.stop_signs(load_data(ROOT / "data"), "before/during-a-release.md")
    cited = set(re.findall(r'data-source="([^"]+)" data-finding="([^"]+)"', box.rsplit("Sources:", 1)[-1]))
    assert {("nhs-aaa", "burst"), ("nhs-cauda-equina", "emergency")} <= cited, cited

def test_the_safety_check_asks_who_may_have_an_aneurysm_without_knowing():
    """It often causes no symptoms, so a check that asks only about a diagnosed one misses most."""
    items = load_data(ROOT / "data").safety.check.items
    risk = [i for i in items if "more likely" in i.text and "smoke" in i.text and "65" in i.text]
    assert len(risk) == 1 and risk[0].level == "no-deep-pressure"
    assert any("might have" in i.text and "aneurysm" in i.text for i in items)
    # The same risks as the list on the page ("So do high blood pressure, high cholesterol ...").
    aneurysm = next(i for g in load_data(ROOT / "data").safety.contraindications for i in g.items if "aneurysm" in i.lead)
    for risk_word in ("used to smoke", "blood pressure", "cholesterol", "heart disease", "COPD", "stroke", "relative"):
        assert risk_word in risk[0].text, risk_word
    for risk_word in ("in the past", "blood pressure", "cholesterol", "heart disease", "COPD", "stroke", "relative"):
        assert risk_word in aneurysm.text, risk_word


def test_sudden_severe_pain_alone_is_an_emergency():
    """The NHS lists each burst-aneurysm sign on its own, and calls 999 for any: sudden severe tummy
    or lower back pain must not wait for a second sign (the card once said "... and you feel faint")."""
    emergency = next(level for level in load_data(ROOT / "data").safety.levels if level.id == "emergency")
    pain = [c for c in emergency.card if c.startswith("new, sudden, very bad pain")]
    assert pain and " and " not in pain[0] and " with " not in pain[0], emergency.card
    assert any(s.text.startswith("New, sudden, very bad pain") and "unlike any you have had before" in s.text
               for s in emergency.signs)
    # Fainting on its own in the box too, as on the card (one rule, not "only if it lasts").
    # "(pass out), even for a moment": the word explained, and no faint too short to count.
    assert any(s.text.startswith("You faint (pass out), even for a moment.") for s in emergency.signs)
    assert "faint" in pain[0], emergency.card  # fainting on its own is a sign too
    page = (ROOT / "docs" / "aftercare" / "long-term-well-being.md").read_text(encoding="utf-8")
    assert "New, sudden, very bad pain in your tummy or lower back is an emergency" in page
    assert "feeling faint or short of breath is an emergency" not in page


def test_tingling_in_both_legs_or_the_saddle_area_is_an_emergency():
    """NHS back pain: 999 for pain, tingling, weakness or numbness in both legs, and for numbness
    or tingling around the genitals or buttocks; the card and the box say both."""
    emergency = next(level for level in load_data(ROOT / "data").safety.levels if level.id == "emergency")
    for words in (emergency.card, [s.text for s in emergency.signs]):
        legs = [w for w in words if "both legs" in w]
        saddle = [w for w in words if "genitals" in w and "bottom" in w]
        assert legs and all("tingling" in w and "weakness" in w for w in legs), words
        assert saddle and all("tingling" in w for w in saddle), words


def test_one_rule_for_a_blood_clot_in_a_deep_vein():
    """A clot in the groin is a deep-vein clot: every deep-vein clot, wherever it is, rules out deep
    tummy pressure (and pressure on the area), never only one of the two."""
    safety = load_data(ROOT / "data").safety
    deep = next(g for g in safety.contraindications if g.id == "no-deep-pressure")
    clot = [i.lead for i in deep.items if "clot" in i.lead]
    assert len(clot) == 1 and "deep vein" in clot[0] and "leg" in clot[0] and "groin" in clot[0], clot
    check = [i for i in safety.check.items if "clot" in i.text]
    assert {i.level for i in check} == {"no-deep-pressure", "no-local-pressure"}, check
    assert all("deep vein" in i.text and "leg" in i.text for i in check if i.level == "no-deep-pressure")


# Words that never change what a sign means ("near" or "around your genitals"); and words that, added
# to a card line, make it narrower ("back pain WITH chest pain" is not "chest pain").
_FILLER = frozenset("a an the your you or in near around of to".split())
_NARROWING = frozenset("with after and".split())


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z']+", text.lower()))


def _alternatives(text: str) -> list[str]:
    """'A, or B' -> ['A', 'B']: each part is a sign on its own."""
    return [part.strip(" .") for part in re.split(r",? or (?=you\b)|, or ", text) if part.strip(" .")]


def card_line_problems(level: schema.SafetyLevel) -> list[str]:
    """Each part of each card line, said in substance by one part of one sign in the level's full box:
    every meaningful word of it there, and no 'with', 'after' or 'and' there that the card line lacks."""
    clauses = [clause for sign in level.signs for sentence in _sentences(sign.text) for clause in _alternatives(sentence)]
    problems = []
    for line in level.card:
        for part in _alternatives(line):
            needed = _words(part) - _FILLER
            said = [c for c in clauses if needed <= _words(c) and not (_NARROWING & (_words(c) - _words(part)))]
            if not said:
                near = [c for c in clauses if needed <= _words(c)]
                problems.append(f"card line {line!r}: {part!r} is not in the {level.name} box on its own"
                                + (f" (only narrower: {near})" if near else ""))
    return problems


def test_each_emergency_card_line_is_in_the_full_box_on_its_own():
    """The short card summarises the Emergency box: it may not say more than the box. The card said
    "chest pain" while the box named it only with back pain or with sudden breathlessness."""
    data = load_data(ROOT / "data").safety
    for level in data.levels:
        if level.id == "emergency":
            assert card_line_problems(level) == []
    # The check itself: the box as it was, with chest pain only as part of a narrower sign, fails.
    emergency = next(level for level in data.levels if level.id == "emergency")
    old = [s for s in emergency.signs if not s.text.startswith("Chest pain")]
    old.append(old[-1].model_copy(update={"text": "Back pain with chest pain, or back pain after a bad fall or a car crash."}))
    problems = card_line_problems(emergency.model_copy(update={"signs": old}))
    assert len(problems) == 1 and "'chest pain'" in problems[0] and "only narrower" in problems[0], problems


def test_chest_pain_is_999_wherever_it_is_named_and_rests_on_the_nhs_chest_pain_page():
    """The card, the Emergency box, the signs after a session, the stop box and "Long-term well-being"
    all send chest pain to 999, and each cites the NHS chest pain page, not only the DVT page (which
    sends chest pain to 999 only with breathlessness and a swollen leg). Calling for every chest pain,
    even mild, is more than the NHS says: the box says that part is our own advice."""
    chest = "nhs-chest-pain:emergency"
    data = load_data(ROOT / "data")
    assert data.sources["nhs-chest-pain"].findings[0].urgency == "emergency"
    safety_data = data.safety
    emergency = next(level for level in safety_data.levels if level.id == "emergency")
    assert "chest pain" in emergency.card and chest in emergency.card_sources
    alone = [s for s in emergency.signs if s.text.startswith("Chest pain, even if it is mild.")]
    assert len(alone) == 1 and chest in alone[0].sources, [s.text for s in emergency.signs]
    assert "heart attack" in alone[0].text
    named = [s for s in emergency.signs if "chest pain" in s.text.lower()]
    assert all(chest in s.sources for s in named), [(s.text, s.sources) for s in named]
    assert "calling for mild chest pain, are our own advice" in emergency.closing
    assert chest in emergency.closing_sources
    after = [s for s in safety_data.after_session.signs if "chest pain" in s.text.lower()]
    assert after and all(s.level == "emergency" and chest in s.sources for s in after), after
    assert "So is chest pain," in safety_data.stop_signs.closing and chest in safety_data.stop_signs.closing_sources
    page = (ROOT / "docs" / "aftercare" / "long-term-well-being.md").read_text(encoding="utf-8")
    lines = [line.strip() for line in page.splitlines() if "chest pain" in line.lower()]
    assert lines[0].startswith("So is chest pain {{ cite(") and chest in lines[0], lines
    assert "nhs-dvt" not in lines[0], lines
    assert any("our own advice" in line for line in lines), lines


def test_every_care_card_says_who_should_not_have_deep_pressure(built_site):
    """Most handouts are read without the safety chapter: each card names who should not have
    deep tummy pressure, and on paper says which handout has the full list."""
    for md in chapters():
        if md == SAFETY_PAGE.replace(".html", ".md"):
            continue  # the full boxes and lists are the chapter itself
        text = " ".join("\n".join(p.extract_text() or "" for p in PdfReader(built_site.site / pdf_of(md)).pages).split())
        assert "Deep tummy pressure is not safe for everyone, for example if you are pregnant" in text, md
        assert "Check who should not have deep pressure, and all the warning signs (see the “Is it safe for me?” handout)." in text, md


def test_a_fever_on_its_own_rules_out_deep_pressure_and_with_pain_is_urgent():
    """FACTS B: no deep pressure with a fever (here: no session until well); with tummy, side or
    groin pain it is same-day."""
    safety = load_data(ROOT / "data").safety
    groups = {i.lead: g.id for g in safety.contraindications for i in g.items}
    fever = [lead for lead in groups if "fever" in lead]
    assert fever and groups[fever[0]] == "wait-until-well", groups
    ill = [i for i in safety.check.items if i.text.startswith("I am ill today")]
    assert len(ill) == 1 and ill[0].level == "wait-until-well"
    with_pain = [i for i in safety.check.items if "fever" in i.text]
    assert with_pain and all(i.level == "urgent" for i in with_pain)
    # Back pain too: the care card says "a fever with back, tummy, side or groin pain".
    also = next(i.get_help_if for g in safety.contraindications for i in g.items if "fever" in i.lead)
    assert any("back" in i.text for i in with_pain) and also and also.level == "urgent" and "back" in also.when


def test_a_lump_in_the_tummy_is_urgent_everywhere_it_is_named():
    """FACTS F: a pulsing feeling or a lump in the tummy is same-day, never "take extra care"."""
    safety = load_data(ROOT / "data").safety
    urgent = next(level for level in safety.levels if level.id == "urgent")
    assert any("new lump" in s.text and "tummy" in s.text for s in urgent.signs) and any("new lump" in c for c in urgent.card)
    lumps = [i for i in safety.check.items if "lump" in i.text]
    assert lumps and all(i.level == "urgent" and i.red_flag for i in lumps), lumps
    # One rule in every place: a new lump no doctor has checked (a known hernia or tumour has its own box).
    assert all("new lump" in i.text and "no doctor has checked" in i.text for i in lumps)
    # A known tumour is "ask first", and its item sends a new, unchecked lump to the Urgent box.
    tumour = next(i for g in safety.contraindications for i in g.items if "tumour" in i.lead)
    assert "a doctor knows about" in tumour.lead and tumour.get_help_if and tumour.get_help_if.level == "urgent"


def test_a_lump_at_a_lower_level_fails_the_triage_rule(tmp_path):
    for words in ("I have a lump in my tummy.", "I have lumps in my tummy."):
        def plant(raw, words=words):
            raw["check"]["items"].append({"text": words, "level": "ask-first"})
        with pytest.raises(DataError, match=r"lump.*Fix: set level to urgent"):
            load_data(data_copy(tmp_path / words[7:12], plant))


def test_in_short_keeps_the_not_urgent_box_from_ruling_out_a_release(built_site):
    """"Do not have a release" is for the Emergency and Urgent signs; the Not urgent box says see
    a doctor first (it holds "back pain no better after 2 weeks", common among readers)."""
    summary = BeautifulSoup(built_site.page(SAFETY_PAGE), "html.parser").select_one(".admonition.abstract")
    text = summary.get_text(" ", strip=True)
    sentences = re.split(r"(?<=\.)\s+", text)
    assert any("Emergency or Urgent sign" in s and "no release until a doctor has seen you" in s for s in sentences), text
    assert "Not urgent sign fits you, see your doctor before you book a release" in text


def test_the_stop_list_says_it_is_our_careful_advice(built_site):
    box = BeautifulSoup(built_site.page(SAFETY_PAGE), "html.parser").select_one(".stop-signs")
    assert "Our careful advice, not based on studies." in box.get_text(" ", strip=True)


def test_the_wait_until_well_box_links_the_urgent_box(built_site):
    """The urgent case inside a box is a link with the box's instruction, as in the safety check."""
    box = BeautifulSoup(built_site.page(SAFETY_PAGE), "html.parser").select_one("#wait-until-well")
    link = box.select_one("a.urgency")
    assert link and link["href"] == "#urgent" and link.get_text() == "Urgent"
    assert "Urgent: get medical advice today" in link.parent.get_text()
    assert "You also have pain in your back, tummy, side or groin? Urgent" in box.get_text(" ", strip=True)


def test_the_not_urgent_box_links_the_safety_check_it_names(built_site):
    """"A box you ticked in the safety check": on another page, and on paper, it must say where."""
    html = built_site.page("aftercare/immediate-effects.html")
    box = BeautifulSoup(html, "html.parser").select_one("#see-a-doctor")
    link = next(a for a in box.select("a") if a.get_text() == "safety check")
    assert link["href"] == "../before/is-it-safe.html#safety-check" and link.get("data-see") == "Is it safe for me?"


def test_recent_childbirth_is_labelled_clinical_judgement_and_pregnancy_reads_alike():
    """FACTS F: recent childbirth is clinical judgement, so it may not borrow the massage reports;
    and the pregnancy box carries the list's own exception ("unless a doctor says it is safe")."""
    safety = load_data(ROOT / "data").safety
    items = {i.lead: i for g in safety.contraindications for i in g.items}
    baby = [i for lead, i in items.items() if "had a baby" in lead]
    assert len(baby) == 1 and baby[0].basis == "clinical-judgement" and "pregnant" not in baby[0].lead
    group = next(g for g in safety.contraindications if any("pregnant" in i.lead for i in g.items))
    assert group.title.endswith("unless a doctor says it is safe")
    assert "unless your doctor or midwife says it is safe" in safety.pregnancy.text


NO_BETTER = re.compile(r"no better after ([^.,;]*)", re.I)


def test_one_rule_for_when_to_see_a_gp_if_back_pain_is_no_better(built_site):
    """Not "2 weeks" on one line and "a few weeks" on the next: the 2 weeks are of gentle
    exercise (NHS inform), the few weeks of home care (NHS)."""
    found = []
    for md in chapters():
        text = " ".join(BeautifulSoup(built_site.page(html_of(md)), "html.parser").select_one("article").get_text(" ").split())
        found += [(md, m.group(1)) for m in NO_BETTER.finditer(text)]
    assert len(found) >= 10, found
    wrong = [(md, rule) for md, rule in found if not rule.startswith("2 weeks of gentle exercise")]
    assert not wrong, wrong


def test_mental_health_help_is_listed_most_urgent_first(built_site):
    html = built_site.page("aftercare/emotional-changes.html")
    order = [html.index(words) for words in ("If you might harm yourself", "If you need urgent help",
                                             "If upsetting feelings last for days")]
    assert order == sorted(order), "999 first, then 111 or 988, then the GP"


ABSENCE = re.compile(r"\bno (\w+ )?(study|studies|trial|trials|one) (has|have|shows?|tested|measured)\b|no one has studied"
                     r"|(has|have) not been (tested|studied)|nobody has (tested|studied)", re.I)


def test_no_page_says_nothing_was_ever_studied():
    """Absence is a dated search statement ("we found no published trial", linked to the search):
    trials of psoas release are registered, one finished in 2025, so "no study has" may be untrue."""
    found = []
    for path in [*(ROOT / "docs").rglob("*.md"), *(ROOT / "data").glob("*.yml")]:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.lstrip().startswith("#") and ABSENCE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()[:90]}")
    assert not found, "say what the search found instead:\n" + "\n".join(found)


def test_when_to_stop_comes_before_how_a_session_goes(built_site):
    """Safety first: the full list of stop signs is read before the hands-on technique."""
    html = built_site.page("before/during-a-release.html")
    assert 0 < html.index('class="admonition danger stop-signs"') < html.index('id="how-a-session-usually-goes"')


@pytest.mark.parametrize("page", ["aftercare/exercises.html", "aftercare/maintaining-psoas-health.html"])
def test_pregnancy_note_where_the_exercises_are(built_site, page):
    note = BeautifulSoup(built_site.page(page), "html.parser").select_one(".pregnancy-note")
    assert note is not None, f"{page}: no pregnancy note"
    text = note.get_text(" ")
    assert "16 weeks" in text and "lie flat on your back" in text and "constructive rest" in text


def test_care_card_and_review_status_in_every_chapter_pdf(built_site):
    for md in chapters():
        text = " ".join("\n".join(p.extract_text() or "" for p in PdfReader(built_site.site / pdf_of(md)).pages).split())
        assert "When to stop and get help" in text or "Emergency: call 999" in text, f"{pdf_of(md)}: no care card"
        assert URGENT_CALL in text, f"{pdf_of(md)}: the Urgent line does not say who to call"
        assert "Not yet checked by a health professional" in text, f"{pdf_of(md)}: no honest review status"
        assert "Report a mistake" in text and review.NO_INBOX in text, f"{pdf_of(md)}: no report route"
        assert not placeholder_in(text), f"{pdf_of(md)}: a placeholder address"
        assert "last reviewed" not in text.lower(), f"{pdf_of(md)}: claims a review"


# --- safety text never smaller than body text, on a phone --------------------------------------

SIZE_JS = """() => {
  const px = el => parseFloat(getComputedStyle(el).fontSize);
  const body = px(document.querySelector('article > p, .md-content__inner > p'));
  const pick = sel => [...document.querySelectorAll(sel)].filter(el => el.offsetParent !== null || el.getClientRects().length);
  const out = {};
  for (const sel of SELECTORS) out[sel] = pick(sel).map(px);
  return {body, out};
}"""

SELECTORS = [
    ".care-card li", ".care-card .cite", ".care-card .admonition-title",
    ".urgency li", ".urgency .cite", ".admonition p", ".admonition li",
    ".after-session-signs li", ".safety-check li", ".safety-check .cite",
]


@pytest.mark.parametrize("page", [SAFETY_PAGE, "before/preparing.html", "aftercare/immediate-effects.html"])
def test_safety_text_is_body_size_on_a_phone(browser, site_server, page):
    tab = browser.new_page(viewport={"width": 360, "height": 740})
    tab.goto(site_server + page)
    sizes = tab.evaluate(SIZE_JS.replace("SELECTORS", str(SELECTORS)))
    tab.close()
    body = sizes["body"]
    assert body >= 15, f"body text {body}px"
    measured = {sel: vals for sel, vals in sizes["out"].items() if vals}
    assert any(".care-card" in s or ".urgency" in s for s in measured), measured.keys()
    small = {sel: min(vals) for sel, vals in measured.items() if min(vals) < body - 0.01}
    assert not small, f"{page}: safety text smaller than body text ({body}px): {small}"


def test_ticked_safety_box_shows_a_warning_not_success(browser, site_server):
    tab = browser.new_page(viewport={"width": 360, "height": 740})
    tab.goto(site_server + SAFETY_PAGE)
    box = tab.locator("#checklist-safety-check input[type=checkbox]").nth(2)
    indicator = tab.locator("#checklist-safety-check .task-list-indicator").nth(2)
    before = indicator.evaluate("el => getComputedStyle(el, '::before').backgroundColor")
    box.check(force=True)
    after = indicator.evaluate("el => getComputedStyle(el, '::before').backgroundColor")
    row_bg = tab.locator("#checklist-safety-check li").nth(2).evaluate("el => getComputedStyle(el).backgroundColor")
    note = tab.locator(".safety-check__if-ticked")
    note_visible, note_weight = note.is_visible(), note.evaluate("el => getComputedStyle(el).fontWeight")
    tab.close()
    r, g, b = (int(x) for x in re.findall(r"\d+", after)[:3])
    assert after != before and r > g and r > b, f"ticked box colour {after}: should be a warning (red/orange), not green"
    assert row_bg not in ("rgba(0, 0, 0, 0)", "transparent"), "a ticked row should be highlighted"
    assert note_visible and int(note_weight) >= 700, "the 'if you ticked any box' note should stand out once a box is ticked"


# --- honest review status and report-a-mistake -------------------------------------------------

def test_no_page_claims_a_review_without_a_named_reviewer(built_site):
    assert load_data(ROOT / "data").review.reviewer is None
    for path in html_pages(built_site.site):
        html = path.read_text(encoding="utf-8")
        assert "last reviewed" not in html.lower() and "Reviewed by" not in html, path
        soup = BeautifulSoup(html, "html.parser")
        aside = soup.select_one("aside.page-review")
        assert aside is not None, path
        text = aside.get_text(" ", strip=True)
        assert "Clinical review: not yet" in text, path
        report = aside.select_one(".page-review__report")
        assert report is not None and review.NO_INBOX in report.get_text(" "), f"{path}: no report route"


def test_dates_on_a_page_are_written_out(built_site):
    meta = read_page(ROOT / "docs" / SAFETY_PAGE.replace(".html", ".md"), SAFETY_PAGE)[0].meta
    assert meta is not None
    updated, checked, due = (review.long_date(getattr(meta, k)) for k in ("updated", "evidence_checked", "review_due"))
    aside = BeautifulSoup(built_site.page(SAFETY_PAGE), "html.parser").select_one("aside.page-review")
    text = aside.get_text(" ", strip=True)
    assert f"Written or updated: {updated}" in text, text
    assert f"Evidence last checked: {checked}" in text, text
    assert f"Next planned review: {due}" in text, text
    assert f"version of {updated}" in aside.select_one(".page-review__report").get_text(" ", strip=True)
    assert aside.select_one(f"time[datetime='{meta.updated.isoformat()}']") is not None


def render_partial(review_file: schema.ReviewFile, theme: Path, updated: object = dt.date(2026, 11, 25)) -> str:
    """The page-review partial with its two includes generated from review_file, as a build makes them.
    `updated` is the page's front-matter date: a date under MkDocs, possibly text under another engine."""
    (theme / "partials" / "generated").mkdir(parents=True, exist_ok=True)
    for name in ("page-review.html", "not-medical-advice.html"):  # the second is included by the first
        shutil.copy(ROOT / "overrides" / "partials" / name, theme / "partials" / name)
    for rel, make in ((review.STATUS_PARTIAL, review.status_partial), (review.REPORT_PARTIAL, review.report_partial)):
        (theme / Path(rel).relative_to("overrides")).write_text(make(review_file), encoding="utf-8")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(theme), autoescape=True)
    page = type("Page", (), {"title": "Is it safe for me?", "meta": {
        "updated": updated, "evidence_checked": dt.date(2026, 11, 24), "review_due": dt.date(2029, 11, 24)}})
    return env.get_template("partials/page-review.html").render(page=page)


INBOX = "fix@psoas-guide-clinic.org.uk"


def test_named_reviewer_and_only_then_reviewed_by(tmp_path):
    none = schema.ReviewFile(report_contact=INBOX, report_how="Tell us.")
    named = schema.ReviewFile(
        report_contact=INBOX, report_how="Tell us.",
        reviewer={"name": "A. Example", "role": "Chartered physiotherapist", "registration": "HCPC PH000000",
                  "date": "2026-01-05", "data_fingerprint": "0123456789ab"})  # a review date may not be in the future
    unreviewed = render_partial(none, tmp_path / "a")
    assert "Reviewed by" not in unreviewed and "Clinical review: not yet" in unreviewed
    assert f"Tell us. Send it to {INBOX}." in unreviewed
    html = render_partial(named, tmp_path / "b", updated=dt.date(2026, 1, 5))
    assert "Reviewed by A. Example, Chartered physiotherapist (HCPC PH000000), on 5 January 2026" in html
    assert "not yet" not in html and "changed since" not in html
    assert review.short_status(none) == "Not yet checked by a health professional"
    assert review.short_status(named) == "Reviewed by A. Example, 5 January 2026"
    assert review.short_status(named, dt.date(2026, 1, 5)) == "Reviewed by A. Example, 5 January 2026"


@pytest.mark.parametrize("updated", [dt.date(2026, 1, 6), "2026-01-06", dt.date(2026, 11, 25)])
def test_a_page_changed_after_its_review_says_so(tmp_path, updated):
    """A review vouches for the words the reviewer read: a page updated later must not borrow it,
    on the page (whatever type the engine gives the date) or on its handout."""
    named = schema.ReviewFile(
        report_how="Tell us.", reviewer={"name": "A. Example", "role": "Chartered physiotherapist",
                                         "registration": "HCPC PH000000", "date": "2026-01-05",
                                         "data_fingerprint": "0123456789ab"})
    html = render_partial(named, tmp_path, updated=updated)
    assert "on 5 January 2026. This page has changed since then, and the changes have not been reviewed yet." in html
    day = dt.date.fromisoformat(updated) if isinstance(updated, str) else updated
    assert review.short_status(named, day) == "Reviewed by A. Example, 5 January 2026; changed since, not yet checked again"
    with pytest.raises(ValidationError):
        schema.ReviewFile(report_contact=INBOX, report_how="x",
                          reviewer={"name": "A. Example", "role": "Physio", "date": "2027-01-05"})  # no registration


@pytest.mark.parametrize("contact", ["fix@psoas-guide.invalid", "fix@example.org", "Fix@Mail.Example.COM",
                                     "fix@guide.test", "fix@clinic.example"])
def test_a_placeholder_inbox_is_refused(contact):
    """A report sent to a placeholder goes nowhere, while the reader thinks it was sent."""
    with pytest.raises(ValidationError, match="placeholder address.*Give an inbox the publisher reads, or leave report_contact out"):
        schema.ReviewFile(report_contact=contact, report_how="x")


def test_without_an_inbox_readers_are_told_who_to_tell():
    assert review.report_text(schema.ReviewFile(report_how="Write it down.")) == f"Write it down. {review.NO_INBOX}"
    assert schema.ReviewFile(report_contact="fix@example.org.uk", report_how="x").report_contact  # a real domain


def test_long_date_has_no_padding():
    assert review.long_date(dt.date(2026, 3, 4)) == "4 March 2026"
    assert review.long_date("2026-11-24") == "24 November 2026"


def test_emergency_numbers_have_one_wording_on_every_page(built_site):
    """The 112 line once differed between pages; now any mention of 112 is the data's wording."""
    for path in html_pages(built_site.site):
        text = " ".join(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").get_text(" ").split())
        for match in re.finditer(r"\b112\b", text):
            window = text[max(0, match.start() - 30): match.end() + 40]
            if not re.search(r"999|911|emergency|call", window, re.I):
                continue  # another 112, such as "112 days"
            assert EMERGENCY_WORDS in window, f"{path}: emergency numbers worded differently: {window!r}"
