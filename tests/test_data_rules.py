"""Data-layer rules from the adversarial review: each breaks one thing in a private copy of data/
and expects the load to fail naming the file, the entry and the fix (or the output to be inert).

Fast and in-process: nothing here builds the site.
"""
from __future__ import annotations

import datetime as dt
import html
import shutil
from pathlib import Path
from typing import Any, Callable

import jinja2
import pytest
import yaml

from conftest import ROOT
from macros import review, routines, schema
from macros.data import DataError, load_data
from macros.clock import TODAY_ENV, today
from macros.errors import MacroError, call_page_macro
from macros.register import _Names, macro_names, register

DATA = load_data(ROOT / "data")
PAGE = "aftercare/exercises.md"


def data_copy(tmp_path: Path, name: str, edit: Callable[[Any], None]) -> Path:
    """A copy of data/ with data/<name> changed by edit(raw YAML)."""
    data = shutil.copytree(ROOT / "data", tmp_path / "data")
    raw = yaml.safe_load((data / name).read_text(encoding="utf-8"))
    edit(raw)
    (data / name).write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return data


def load_error(tmp_path: Path, name: str, edit: Callable[[Any], None]) -> str:
    with pytest.raises(DataError) as info:
        load_data(data_copy(tmp_path, name, edit))
    message = str(info.value)
    assert name in message and "Fix:" in message and "Traceback" not in message, message
    assert "(top level)" not in message, message
    return message


def loads(tmp_path: Path, name: str, edit: Callable[[Any], None]):
    return load_data(data_copy(tmp_path, name, edit))


def level(raw: dict, ident: str) -> dict:
    return next(lv for lv in raw["levels"] if lv["id"] == ident)


def benefit(raw: dict, ident: str) -> dict:
    return next(b for g in raw["groups"] for b in g["items"] if b["id"] == ident)


def contraindication(raw: dict, lead_start: str) -> dict:
    return next(i for g in raw["contraindications"] for i in g["items"] if i["lead"].startswith(lead_start))


def setter(*path: Any, value: Any) -> Callable[[Any], None]:
    """edit(raw): raw[path...] = value."""
    def edit(raw: Any) -> None:
        node = raw
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return edit


def test_the_real_data_keeps_every_rule():
    assert DATA.safety.levels and DATA.review.report_how


# --- 1, 13: data text never runs as template code, and is plain text ---------------------------------

def test_review_partials_show_template_code_as_typed():
    """The partials are included as templates by the theme: data text must reach them inert."""
    typed = "x {{ 6*7 }} {# hidden #} {% raw %} y"
    review_file = schema.ReviewFile(report_how=typed, report_contact="fix@psoas-guide-clinic.org.uk")
    for make in (review.status_partial, review.report_partial):
        env = jinja2.Environment(loader=jinja2.DictLoader({"p.html": make(review_file)}), autoescape=True)
        shown = env.get_template("p.html").render()
        assert "42" not in shown and "{" not in shown
    shown = html.unescape(jinja2.Environment(loader=jinja2.DictLoader(
        {"p.html": review.report_partial(review_file)})).get_template("p.html").render())
    assert typed in shown


@pytest.mark.parametrize("name, path, text", [
    ("review.yml", ("report_how",), "x {{ 6*7 }} {{ cycler.__init__.__globals__.os.popen('uname -n').read() }}"),
    ("review.yml", ("report_how",), "Write it down {# hidden #} here."),
    ("review.yml", ("report_how",), "Write it {% raw %} down."),
    ("checklists.yml", ("checklists", 0, "items", 0, "text"), "Drink water {{ cite('nhs-back-pain') }}."),
    ("sources.yml", ("sources", 0, "url"), "https://www.nhs.uk/{{x}}"),  # not prose, still refused
])
def test_template_code_in_data_is_refused(tmp_path, name, path, text):
    message = load_error(tmp_path, name, setter(*path, value=text))
    assert "template code" in message and f"field '{path[-1]}'" in message


@pytest.mark.parametrize("text, shown", [
    ("I had a drink of water. See [the NHS](https://www.nhs.uk).", "']('"),
    ("You must **never** skip it.", "'**'"),
])
def test_markdown_links_and_bold_in_data_are_refused(tmp_path, text, shown):
    message = load_error(tmp_path, "checklists.yml", setter("checklists", 0, "items", 0, "text", value=text))
    assert shown in message and "sources:" in message and "plain text" in message


# --- 4: pages cannot read the data object ----------------------------------------------------------

def test_pages_cannot_read_guide_data():
    assert "guide_data" not in macro_names(DATA)
    names = _Names()
    register(names, DATA)
    assert names.variables == {}
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.globals.update(names.variables)
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ guide_data.safety.care_card.title }}").render()


# --- 6: no blank text; the emergency and urgent levels give a number ------------------------------------

@pytest.mark.parametrize("name, path, value", [
    ("safety.yml", ("levels", 0, "action"), " "),
    ("safety.yml", ("levels", 0, "card", 0), ""),
    ("sources.yml", ("sources", 0, "publisher"), " "),
    ("sources.yml", ("sources", 0, "title"), ""),
    ("exercises.yml", ("exercises", 0, "steps", 0), "  "),
])
def test_blank_text_is_refused(tmp_path, name, path, value):
    message = load_error(tmp_path, name, setter(*path, value=value))
    assert "blank" in message and f"field '{path[-1]}'" in message


def test_an_optional_text_may_still_be_left_empty(tmp_path):
    assert loads(tmp_path, "safety.yml", setter("levels", 0, "closing", value="")).safety.levels[0].closing == ""


def test_text_is_stripped(tmp_path):
    data = loads(tmp_path, "review.yml", setter("report_how", value="  Write it down.  "))
    assert data.review.report_how == "Write it down."


@pytest.mark.parametrize("named, change, numbers", [
    ("emergency", {"action": "call your local emergency number now"}, ["111"]),
    ("urgent", {"call": "Call your doctor."}, ["999", "911", "112"]),
])
def test_emergency_and_urgent_levels_give_a_number(tmp_path, named, change, numbers):
    def edit(raw):
        level(raw, named).update(change)
        raw["phone_numbers"] = numbers  # the numbers left are all given somewhere
    message = load_error(tmp_path, "safety.yml", edit)
    assert f"the {named} level" in message and "phone_numbers" in message


# --- 7: emergency signs cannot hide at the routine level --------------------------------------------

@pytest.mark.parametrize("line", [
    "new, sudden, very bad pain in your tummy",
    "trouble peeing, or tingling near your genitals",
    "pain and tingling in both legs",
])
def test_an_emergency_sign_on_the_routine_card_fails(tmp_path, line):
    message = load_error(tmp_path, "safety.yml", lambda raw: level(raw, "routine")["card"].append(line))
    assert "levels.routine.card" in message


@pytest.mark.parametrize("text", [
    "Pain in your tummy that came on all of a sudden.",  # a red-flag word
    "Your back pain gets worse when you cough or sneeze.",  # a run of words of an urgent sign
])
def test_an_emergency_or_urgent_sign_among_the_routine_signs_fails(tmp_path, text):
    message = load_error(tmp_path, "safety.yml", lambda raw: level(raw, "routine")["signs"].append({"text": text}))
    assert "levels.routine.signs" in message


# --- 8: a trial registration backs no claim -------------------------------------------------------------

def test_a_registration_cannot_back_a_benefit(tmp_path):
    message = load_error(tmp_path, "benefits.yml",
                         lambda raw: benefit(raw, "hip-extension").update(sources=["nct06267404:no-results"]))
    assert "entry 'hip-extension'" in message and "nct06267404" in message and "registration" in message


@pytest.mark.parametrize("ident, sources", [
    ("hip-extension", ["nhs-back-pain"]),  # supported, on patient information only
    ("less-back-pain", ["radiopaedia-psoas-major:diaphragm"]),  # limited, on an anatomy reference only
])
def test_a_supported_or_limited_grade_needs_a_source_that_reports_results(tmp_path, ident, sources):
    message = load_error(tmp_path, "benefits.yml", lambda raw: benefit(raw, ident).update(sources=sources))
    assert f"entry '{ident}'" in message and "trial, review, study or guideline" in message


def test_a_limited_cause_needs_a_source_that_reports_results(tmp_path):
    def edit(raw):
        next(c for c in raw["causes"] if c["id"] == "sitting")["sources"] = ["kenhub-psoas-major:action"]
    assert "entry 'sitting'" in load_error(tmp_path, "causes.yml", edit)


# --- 9: safety claims have sources -------------------------------------------------------------------

@pytest.mark.parametrize("edit, where", [
    (lambda raw: contraindication(raw, "The area has an open wound").pop("sources"), "basis is 'guidance'"),
    (lambda raw: contraindication(raw, "You are pregnant").pop("sources"), "basis is 'reports'"),
    (lambda raw: contraindication(raw, "You are ill")["get_help_if"].pop("sources"), "get_help_if"),
    (lambda raw: level(raw, "emergency")["signs"][0].pop("sources"), "entry 'emergency'"),
    (lambda raw: level(raw, "urgent")["signs"][-1].pop("sources"), "entry 'urgent'"),
    (lambda raw: raw["after_session"]["signs"][0].pop("sources"), "after_session.signs[0]"),
])
def test_a_safety_sign_or_reported_harm_without_sources_fails(tmp_path, edit, where):
    message = load_error(tmp_path, "safety.yml", edit)
    assert where in message and "sources" in message


# --- 10: every exercise says whether it is done on the back ----------------------------------------------

def test_every_real_exercise_states_on_back():
    raw = yaml.safe_load((ROOT / "data" / "exercises.yml").read_text(encoding="utf-8"))
    assert all("on_back" in ex for ex in raw["exercises"])


@pytest.mark.parametrize("ident", ["bridge", "half-kneeling-stretch"])
def test_an_exercise_without_on_back_fails(tmp_path, ident):
    def edit(raw):
        next(ex for ex in raw["exercises"] if ex["id"] == ident).pop("on_back")
    message = load_error(tmp_path, "exercises.yml", edit)
    assert f"entry '{ident}'" in message and "on_back" in message


# --- 11: review.yml says only what is true ---------------------------------------------------------------

def reviewer(**change: Any) -> dict:
    return {"name": "Alex Morgan", "role": "Chartered physiotherapist", "registration": "HCPC PH12345",
            "date": today() - dt.timedelta(days=7), "data_fingerprint": DATA.fingerprint, **change}


def test_a_real_looking_review_loads(tmp_path):
    def edit(raw):
        raw.update(reviewer=reviewer(), report_contact="https://clinic.org.uk/report")
    assert loads(tmp_path, "review.yml", edit).review.reviewer.registration == "HCPC PH12345"
    assert loads(tmp_path / "b", "review.yml", setter("report_contact", value="fix@clinic.org.uk")).review.report_contact


@pytest.mark.parametrize("change, expected", [
    ({"registration": "TBC"}, "field 'registration'"),
    ({"registration": "HCPC"}, "field 'registration'"),
    ({"registration": "HCPC PH12345 TBC"}, "placeholder"),
    ({"name": "TBC - ask Sam"}, "placeholder"),
    ({"role": "TODO"}, "placeholder"),
    ({"date": today() + dt.timedelta(days=30)}, "in the future"),
])
def test_an_unreal_reviewer_is_refused(tmp_path, change, expected):
    message = load_error(tmp_path, "review.yml", lambda raw: raw.update(reviewer=reviewer(**change)))
    assert expected in message


def test_a_review_dated_after_guide_today_is_in_the_future(tmp_path, monkeypatch):
    """GUIDE_TODAY runs every date check as on that day: the review's date too."""
    monkeypatch.setenv(TODAY_ENV, "2026-12-01")
    message = load_error(tmp_path, "review.yml", lambda raw: raw.update(reviewer=reviewer(date=dt.date(2026, 12, 2))))
    assert "2026-12-02 is in the future (today is 2026-12-01)" in message
    monkeypatch.setenv(TODAY_ENV, "2026-12-02")
    assert loads(tmp_path / "b", "review.yml", lambda raw: raw.update(reviewer=reviewer(date=dt.date(2026, 12, 2))))


@pytest.mark.parametrize("field, value", [
    ("report_contact", "TBC - ask Sam"),
    ("report_contact", "the clinic's front desk"),
    ("report_contact", "http://clinic.org.uk/report"),
    ("report_how", "TODO: write this."),
    ("report_how", "Write it down. XXX"),
])
def test_a_placeholder_or_unreachable_report_route_is_refused(tmp_path, field, value):
    message = load_error(tmp_path, "review.yml", setter(field, value=value))
    assert f"field '{field}'" in message


# --- 19: exercise_guide's heading level ------------------------------------------------------------------

@pytest.mark.parametrize("bad", [0, 1, 7, "3", True])
def test_exercise_guide_refuses_a_heading_level_out_of_range(bad):
    with pytest.raises(MacroError) as info:
        call_page_macro(lambda page, level=2: routines.exercise_guide(DATA, page, level), PAGE, ROOT / "docs", (bad,), {})
    message = str(info.value)
    assert f"exercise_guide({bad!r})" in message and "2 to 6" in message and "Fix:" in message


def test_exercise_guide_takes_a_heading_level():
    assert routines.exercise_guide(DATA, PAGE, 3).startswith("### ")


# --- second review: false alarms (legitimate edits load) and gaps (unsafe edits fail) ------------------

def exercise(raw: dict, ident: str) -> dict:
    return next(ex for ex in raw["exercises"] if ex["id"] == ident)


def text_copy(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """A copy of data/ with one piece of data/<name>'s text replaced, as an editor would type it."""
    data = shutil.copytree(ROOT / "data", tmp_path / "data")
    text = (data / name).read_text(encoding="utf-8")
    assert old in text
    (data / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    return data


@pytest.mark.parametrize("step", ["Put a little weight on your back foot.", "Keep your weight on your back leg.",
                                  "Lie flat on your front, then push up onto your hands."])
def test_a_back_foot_is_not_lying_on_the_back(tmp_path, step):
    data = loads(tmp_path, "exercises.yml", lambda raw: exercise(raw, "standing-lunge")["steps"].append(step))
    assert step in data.exercises["standing-lunge"].steps and not data.exercises["standing-lunge"].on_back


@pytest.mark.parametrize("step", ["Lie face up with knees bent and feet flat.", "Lie flat on the floor with knees bent.",
                                  "Lying flat on the bed, bend your knees.", "Start supine, knees bent.",
                                  "Lie on your b\u00adack with knees bent."])
def test_lying_on_the_back_in_other_words_needs_on_back(tmp_path, step):
    def edit(raw):
        exercise(raw, "bridge").update(on_back=False, steps=[step, *exercise(raw, "bridge")["steps"][1:]])
    message = load_error(tmp_path, "exercises.yml", edit)
    assert "entry 'bridge'" in message and "on_back: true" in message


@pytest.mark.parametrize("text", ["Your back pain after a session is no better after 2 weeks.",
                                  "Your back pain is worse than it was before you started."])
def test_a_routine_sign_may_share_a_few_generic_words_with_a_get_help_sign(tmp_path, text):
    data = loads(tmp_path, "safety.yml", lambda raw: level(raw, "routine")["signs"].append({"text": text}))
    assert text in [s.text for s in data.safety.levels[2].signs]


def test_a_guideline_backs_a_supported_grade(tmp_path):
    data = loads(tmp_path, "benefits.yml", lambda raw: benefit(raw, "hip-extension").update(sources=["nice-ng59"]))
    assert data.sources["nice-ng59"].kind == "guideline"


@pytest.mark.parametrize("change", [
    {"reviewer": reviewer(name="Ask Nilsen")},
    {"report_contact": "ask@backclinic.co.uk"},
    {"report_contact": "https://backclinic.co.uk/ask-us"},
])
def test_ask_is_an_ordinary_word_in_review_yml(tmp_path, change):
    assert loads(tmp_path, "review.yml", lambda raw: raw.update(change)).review


@pytest.mark.parametrize("text", ["\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\u0915\u094d\u200d\u0937",
                                  "physio\u00adtherapist"])
def test_translators_joiners_and_soft_hyphens_load(tmp_path, text):
    data = loads(tmp_path, "checklists.yml", setter("checklists", 0, "items", 0, "text", value=text))
    assert next(iter(data.checklists.values())).items[0].text == text


@pytest.mark.parametrize("text, shown", [("Well done \U0001F469\u200d\u2695\ufe0f", "emoji"),
                                         ("zero\u200bwidth", "U+200B")])
def test_emoji_and_other_invisible_characters_are_still_refused(tmp_path, text, shown):
    assert shown in load_error(tmp_path, "checklists.yml", setter("checklists", 0, "items", 0, "text", value=text))


def test_a_soft_hyphen_does_not_hide_a_red_flag(tmp_path):
    sign = {"text": "Numb\u00adness around your bottom."}
    assert "levels.routine.signs" in load_error(tmp_path, "safety.yml", lambda raw: level(raw, "routine")["signs"].append(sign))


def test_a_glossary_term_may_have_an_ampersand(tmp_path):
    import markdown

    from macros.glossary import abbreviations
    term = {"term": "A&E", "definition": "Accident and emergency, the hospital department for emergencies."}
    data = loads(tmp_path, "glossary.yml", lambda raw: raw["terms"].append(term))
    shown = markdown.markdown("Go to A&E now.\n\n" + abbreviations(data.glossary), extensions=["abbr"])
    assert '<abbr title="Accident and emergency, the hospital department for emergencies.">A&amp;E</abbr>' in shown


@pytest.mark.parametrize("term", ["A&lt;E", "<b>x</b>", "1st aid"])
def test_a_glossary_term_is_refused_in_plain_words(tmp_path, term):
    message = load_error(tmp_path, "glossary.yml", lambda raw: raw["terms"].append({"term": term, "definition": "A word."}))
    assert "letters, digits, spaces, hyphens" in message and "should match pattern" not in message


@pytest.mark.parametrize("name, old, new, expected", [
    ("safety.yml", 'phone_numbers: ["999", "911", "112", "111"]', 'phone_numbers: ["999", "911", "112", "111", 000]',
     ["field '4'", "YAML read this as a number (0)", "put the value in quotes"]),
    ("exercises.yml", "      - Switch sides.\n", "      - Switch sides.\n      - Tip: hold still\n",
     ["entry 'half-kneeling-stretch'", "YAML read the ': '", 'put the whole text in quotes, e.g. "Tip: hold still"']),
    ("safety.yml", 'phone_numbers: ["999", "911", "112", "111"]', 'phone_numbers: ["999", "911", "112", "111", "1800-022-222"]',
     ["'1800-022-222'", "digits, with single spaces between groups, e.g. '1800 022 222'"]),
])
def test_yaml_typing_mistakes_get_a_fix_that_says_what_to_type(tmp_path, name, old, new, expected):
    with pytest.raises(DataError) as info:
        load_data(text_copy(tmp_path, name, old, new))
    message = str(info.value)
    assert all(e in message for e in expected) and "valid string" not in message and "pattern" not in message, message


@pytest.mark.parametrize("where, text", [
    ("signs", "Your legs feel weak, or you have pins and needles around your bottom, or wetting yourself."),
    ("signs", "You feel feverish or have a temperature, and your tummy or groin hurts."),
    ("signs", "Throbbing like a heartbeat in your belly, or a swelling there."),
    ("card", "you feel feverish, or pins and needles around your bottom"),
])
def test_other_words_for_a_red_flag_at_the_routine_level_fail(tmp_path, where, text):
    def edit(raw):
        level(raw, "routine")[where].append({"text": text} if where == "signs" else text)
    assert f"levels.routine.{where}" in load_error(tmp_path, "safety.yml", edit)


def test_other_words_for_a_red_flag_in_a_safety_check_item_fail(tmp_path):
    item = {"text": "I feel feverish and my groin or side hurts, or I feel a throbbing like a heartbeat in my belly.",
            "level": "wait-until-well"}
    message = load_error(tmp_path, "safety.yml", lambda raw: raw["check"]["items"].append(item))
    assert "check.items" in message and "feverish" in message and "throbbing" in message


def test_a_contraindication_with_a_red_flag_must_say_to_get_help(tmp_path):
    item = {"lead": "You have numbness around your genitals or bottom, or new trouble peeing.",
            "basis": "clinical-judgement"}
    def edit(raw):
        next(g for g in raw["contraindications"] if g["id"] == "no-deep-pressure")["items"].append(item)
    message = load_error(tmp_path, "safety.yml", edit)
    assert "contraindications.no-deep-pressure" in message and "get_help_if" in message and "numbness" in message


def source(raw: dict, ident: str) -> dict:
    return next(s for s in raw["sources"] if s["id"] == ident)


@pytest.mark.parametrize("ident, change, why", [
    ("nct06267404", {"kind": "trial"}, "lists it as registered"),
    ("walkback-2024", {"url": "https://www.isrctn.com/ISRCTN15536383"}, "trial registry"),
    ("walkback-2024", {"url": "https://www.anzctr.org.au/Trial/Registration/TrialReview.aspx?id=1"}, "trial registry"),
    ("walkback-2024", {"url": "https://www.who.int/clinical-trials-registry-platform/x"}, "trial registry"),
])
def test_a_registration_cannot_be_relabelled_a_trial(tmp_path, ident, change, why):
    message = load_error(tmp_path, "sources.yml", lambda raw: source(raw, ident).update(change))
    assert f"entry '{ident}'" in message and why in message and "kind: registry" in message


def test_a_trial_paper_elsewhere_on_who_int_is_not_a_registration(tmp_path):
    data = loads(tmp_path, "sources.yml", lambda raw: source(raw, "walkback-2024").update(url="https://www.who.int/news/x"))
    assert data.sources["walkback-2024"].kind == "trial"


@pytest.mark.parametrize("refs, expected", [
    (["nhs-aaa:what-it-iz"], "no such finding"),
    (["nhs-fainting:feel-faint"], "none of its signs cites"),  # a sign of another level cites it
])
def test_a_care_card_level_cites_only_what_its_signs_cite(tmp_path, refs, expected):
    message = load_error(tmp_path, "safety.yml", lambda raw: level(raw, "urgent").update(card_sources=refs))
    assert "levels.urgent.card_sources" in message and expected in message


@pytest.mark.parametrize("refs, expected", [
    (["nct06267404"], "trial registration"),
    (["nhs-aaa:what-it-iz"], "no such finding"),
])
def test_care_card_who_not_sources_are_checked(tmp_path, refs, expected):
    message = load_error(tmp_path, "safety.yml", setter("care_card", "who_not_sources", value=refs))
    assert "care_card.who_not_sources" in message and expected in message


@pytest.mark.parametrize("edit, field", [
    (lambda raw: level(raw, "emergency").update(action="call 999 (UK), 911 (US) or 112 (EU and many other countries) now."), "action"),
    (lambda raw: level(raw, "urgent").update(name="Urgent:"), "name"),
    (lambda raw: level(raw, "routine").update(how="Do you have any of these?"), "how"),
    (lambda raw: level(raw, "urgent").update(call="Call your GP surgery or NHS 111"), "call"),
    (lambda raw: contraindication(raw, "You are ill")["get_help_if"].update(when="you also have back pain."), "when"),
    (lambda raw: raw["care_card"].update(more="Check all the warning signs."), "more"),
])
def test_end_punctuation_where_the_guide_adds_its_own_is_refused(tmp_path, edit, field):
    message = load_error(tmp_path, "safety.yml", edit)
    assert f"field '{field}'" in message and ("full stop" in message or "remove the" in message), message


def _move_sign(start: str, to: str) -> Callable[[Any], None]:
    def edit(raw: Any) -> None:
        for lv in raw["levels"]:
            for sign in lv["signs"]:
                if sign["text"].startswith(start):
                    lv["signs"].remove(sign)
                    level(raw, to)["signs"].append(sign)
                    return
        raise AssertionError(f"no sign starts {start!r}: this test would prove nothing")
    return edit


def _after_session_level(start: str, to: str) -> Callable[[Any], None]:
    def edit(raw: Any) -> None:
        sign = next(s for s in raw["after_session"]["signs"] if s["text"].startswith(start))
        sign["level"] = to
    return edit


@pytest.mark.parametrize("edit, where, cited, said", [
    (_move_sign("Back pain with numbness or tingling", "urgent"), "levels.urgent.signs[", "nhs-cauda-equina:emergency",
     "emergency"),
    (_move_sign("New, sudden, very bad pain", "routine"), "levels.routine.signs[", "nhs-aaa:burst", "emergency"),
    (_move_sign("Back pain with a high temperature", "routine"), "levels.routine.signs[", "nhs-back-pain:urgent",
     "urgent"),
    (_after_session_level("Chest pain", "urgent"), "after_session.signs[0]", "nhs-chest-pain:emergency", "emergency"),
])
def test_a_sign_moved_below_its_sources_urgency_fails(tmp_path, edit, where, cited, said):
    """A sign the NHS says needs 999 must not quietly become "get advice today"."""
    message = load_error(tmp_path, "safety.yml", edit)
    assert where in message and f"cites '{cited}', where the source says {said}" in message, message
    assert f"Fix: put the sign in the {said} level" in message, message


def test_a_sign_may_be_more_urgent_than_its_source(tmp_path):
    """Caution the other way is the publisher's call: e.g. 999 for a calf the NHS says needs a GP today
    (the real data asks for the same day for a tummy lump the NHS says needs a GP visit)."""
    data = loads(tmp_path, "safety.yml", _after_session_level("Swelling, pain or warmth in one calf", "emergency"))
    assert [s.level for s in data.safety.after_session.signs if s.text.startswith("Swelling")] == ["emergency"]


def _cite(start: str, refs: list[str]) -> Callable[[Any], None]:
    """The sign that starts so (at any level, or after a session) cites refs instead."""
    def edit(raw: Any) -> None:
        signs = [s for lv in raw["levels"] for s in lv["signs"]] + raw["after_session"]["signs"]
        next(s for s in signs if s["text"].startswith(start))["sources"] = refs
    return edit


def _card_line(line: str, to: str) -> Callable[[Any], None]:
    def edit(raw: Any) -> None:
        level(raw, "emergency")["card"].remove(line)
        level(raw, to)["card"].append(line)
    return edit


def _check_item(text: str, lv: str, refs: list[str]) -> Callable[[Any], None]:
    def edit(raw: Any) -> None:
        raw["check"]["items"].append({"text": text, "level": lv, "red_flag": True, "sources": refs})
    return edit


def _both(*edits: Callable[[Any], None]) -> Callable[[Any], None]:
    def edit(raw: Any) -> None:
        for one in edits:
            one(raw)
    return edit


@pytest.mark.parametrize("edit, said", [
    # The short card on every chapter and handout: its lines cite nothing, so only their words tell.
    (_card_line("chest pain", "urgent"), "levels.urgent.card[5] ('chest pain') has the words of a 999 sign ['chest pain']"),
    (_card_line("back pain, and pain, tingling, weakness or numbness in both legs", "urgent"), "['both legs']"),
    # Moved, and citing a finding without urgency, or the DVT finding it cited before the split.
    (_both(_after_session_level("Chest pain", "urgent"), _cite("Chest pain, or you are", ["ernst-2003-massage-safety:harms"])),
     "after_session.signs[1] ('Chest pain, or you are suddenly short of breath."),
    (_both(_after_session_level("Chest pain", "urgent"), _cite("Chest pain, or you are", ["nhs-dvt:signs"])), "['chest pain'"),
    (_both(_move_sign("Back pain with new trouble", "urgent"), _cite("Back pain with new trouble", ["nhs-back-pain:urgent"])),
     "['cannot control', 'trouble peeing']"),
    # Split: the 999 sign stays, and a copy waits for advice today.
    (lambda raw: level(raw, "urgent")["signs"].append({"text": "Chest pain.", "sources": ["nhs-back-pain:urgent"]}),
     "levels.urgent.signs[11] ('Chest pain.')"),
    (_check_item("I feel numb around my genitals or bottom, with back pain.", "urgent", []), "check.items[16]"),
])
def test_a_999_sign_in_other_words_or_citations_below_emergency_fails(tmp_path, edit, said):
    """The sources check alone missed these: a card line cites nothing, and a sign can cite a finding
    without urgency. Each would tell a reader with chest pain or cauda equina signs to wait."""
    message = load_error(tmp_path, "safety.yml", edit)
    assert said in message and "Fix: put that sign in the emergency level" in message, message


@pytest.mark.parametrize("edit, where, cited", [
    # A whole source stands for all it says (nhs-dvt: lungs is 999).
    (_both(_after_session_level("Chest pain", "urgent"), _cite("Chest pain, or you are", ["nhs-dvt"])), "after_session.signs[0]",
     "nhs-dvt"),
    # A safety-check box is a sign too.
    (_check_item("I have sudden new trouble with sex.", "urgent", ["nhs-cauda-equina:emergency"]), "check.items[15]",
     "nhs-cauda-equina:emergency"),
    (_check_item("I have had back pain for years.", "no-deep-pressure", ["nhs-back-pain:urgent"]), "check.items[15]",
     "nhs-back-pain:urgent"),
])
def test_a_whole_source_or_a_check_box_below_its_findings_urgency_fails(tmp_path, edit, where, cited):
    message = load_error(tmp_path, "safety.yml", edit)
    assert f"{where} (" in message and f"it cites '{cited}', where the source says" in message, message


def test_every_999_line_has_the_words_that_keep_it_there():
    """Moving any line of the emergency level down is caught by its words (macros/triage.py EMERGENCY_WORDS)."""
    from macros.triage import emergency_words

    emergency = level_of(DATA, "emergency")
    lines = [*emergency.card, *(s.text for s in emergency.signs),
             *(s.text for s in DATA.safety.after_session.signs if s.level == "emergency")]
    assert [line for line in lines if not emergency_words(line)] == []


def level_of(data: Any, ident: str) -> Any:
    return next(lv for lv in data.safety.levels if lv.id == ident)


# --- the review vouches for the data it read (reviewer.data_fingerprint) ------------------------------------

def test_the_data_fingerprint_follows_the_shared_facts_only(tmp_path):
    """Any edit to a data file but review.yml changes it; line endings written on Windows do not."""
    base = data_copy(tmp_path / "a", "review.yml", lambda raw: raw.update(report_how="Say what is wrong."))
    assert DATA.fingerprint == load_data(base).fingerprint  # review.yml is not part of it
    edited = data_copy(tmp_path / "b", "safety.yml", lambda raw: raw["stop_signs"].update(title="Stop now if you feel"))
    assert load_data(edited).fingerprint != DATA.fingerprint
    crlf = shutil.copytree(ROOT / "data", tmp_path / "c" / "data")
    (crlf / "exercises.yml").write_bytes((crlf / "exercises.yml").read_bytes().replace(b"\n", b"\r\n"))
    assert load_data(crlf).fingerprint == DATA.fingerprint


def test_every_page_says_so_once_the_data_changed_after_the_review():
    named = schema.ReviewFile(report_how="Tell us.", reviewer=reviewer(data_fingerprint="0123456789ab"))
    on_page = jinja2.Environment(loader=jinja2.DictLoader(
        {"p.html": review.status_partial(named, DATA.fingerprint)})).get_template("p.html")
    day = named.reviewer.date
    for updated in (day, day - dt.timedelta(days=30)):  # the page itself not edited since
        shown = on_page.render(page={"meta": {"updated": updated}})
        assert "The guide's shared facts have changed since then, and the changes have not been reviewed yet." in shown
        assert review.short_status(named, updated, DATA.fingerprint).endswith("; changed since, not yet checked again")
    same = schema.ReviewFile(report_how="Tell us.", reviewer=reviewer())
    assert "changed" not in review.status(same, same.reviewer.date, DATA.fingerprint)


def test_a_reviewer_without_the_data_fingerprint_is_refused(tmp_path):
    def edit(raw):
        raw["reviewer"] = {k: v for k, v in reviewer().items() if k != "data_fingerprint"}
    message = load_error(tmp_path, "review.yml", edit)
    assert "data_fingerprint" in message, message


def test_the_fingerprint_command_prints_the_datas_fingerprint(capsys):
    from pipeline.cli import parser, run

    run(parser().parse_args(["-f", str(ROOT / "mkdocs.yml"), "fingerprint"]))
    assert capsys.readouterr().out.strip() == DATA.fingerprint


@pytest.mark.parametrize("frequency, per_day, fits", [
    ("Once or twice a day", 1, True),
    ("Once or twice a day", 2, True),
    ("2 to 3 times a day", 2, True),
    ("2 or 3 times a day", 3, True),
    ("Once or twice a day", 3, False),
    ("2 to 3 times a day", 1, False),
    ("Twice a day", 1, False),
])
def test_a_range_of_times_a_day_is_read_as_a_range(frequency, per_day, fits):
    """"Once or twice a day" over per_day: 1 was refused as "says 'twice a day'": the times a day
    are a range, as the days a week are ("2 or 3 days a week")."""
    from macros.data import _check_frequency_words

    dose = schema.Dose(frequency=frequency, per_day=per_day, days_per_week=7)
    if fits:
        _check_frequency_words(Path("data/exercises.yml"), "exercise 'x'", dose)
    else:
        with pytest.raises(DataError, match=rf"says '{frequency}' but per_day is {per_day}"):
            _check_frequency_words(Path("data/exercises.yml"), "exercise 'x'", dose)


@pytest.mark.parametrize("step, fits", [
    ("Do this 3 times a day.", True),
    ("Repeat 5 times.", True),
    ("Do this 2 times a day.", False),
])
def test_times_a_day_in_a_step_is_how_often_not_repeats(step, fits):
    """"Do this 3 times a day" over per_day: 3 was refused as "the dose's reps is '5'": how often is
    per_day, and the frequency's words give its range."""
    from macros.data import _check_step_counts

    dose = schema.Dose(reps="5", frequency="3 times a day", per_day=3, days_per_week=7)
    if fits:
        _check_step_counts(Path("data/exercises.yml"), "exercise 'x'", [step], dose)
    else:
        with pytest.raises(DataError, match=r"says '2 times a day', but the dose's per_day is 3"):
            _check_step_counts(Path("data/exercises.yml"), "exercise 'x'", [step], dose)


def test_a_search_dated_in_the_future_is_refused(tmp_path, monkeypatch):
    """Pages print the date as when we searched: "on 24 November 2062" (a typo) read as fact.
    Any day works: GUIDE_TODAY is set either side of it."""
    day = dt.date(2030, 5, 6)

    def dated(raw: dict) -> None:
        raw["searches"][0]["date"] = day
    monkeypatch.setenv(TODAY_ENV, str(day - dt.timedelta(days=1)))
    message = load_error(tmp_path, "sources.yml", dated)
    assert f"{day} is in the future (today is {day - dt.timedelta(days=1)})" in message
    first = yaml.safe_load((ROOT / "data" / "sources.yml").read_text(encoding="utf-8"))["searches"][0]["id"]
    assert f"entry '{first}'" in message
    monkeypatch.setenv(TODAY_ENV, str(day))
    assert loads(tmp_path / "b", "sources.yml", dated).searches
