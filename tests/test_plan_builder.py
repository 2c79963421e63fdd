"""The aftercare plan builder: its data (macros/plan.py), its JavaScript (node's own test runner),
the built page, and the builder in Chromium from file:// with the network cut."""
from __future__ import annotations

import base64
import dataclasses
import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from conftest import ROOT, only_files
from macros import plan
from pipeline import plan_bundle
from pipeline.config import load_config
from pipeline.pages import read_page
from macros.data import DataError, load_data
from macros.schema import Checklist, ChecklistItem, Dose, Exercise

DATA = load_data(ROOT / "data")
PAGE_MD = "reference/plan-builder.md"
PAGE = "reference/plan-builder.html"
NODE_TESTS = ROOT / "tests" / "js"
# Node 20 reads the plan modules (plain .js files, no "type": "module" anywhere) as ES modules only with this flag.
NODE_TEST = ["node", "--experimental-detect-module", "--test"]


def exercise(**dose) -> Exercise:
    return Exercise(id="test-move", name="Test move", summary="s", steps=["a"], sources=["nhs-back-pain"], on_back=False,
                    dose=Dose(**{"frequency": "Daily", "per_day": 1, "days_per_week": 7, **dose}))


# --- macros/plan.py ----------------------------------------------------------------------------

def test_doses_become_starting_numbers():
    """Counts in words give their first number; how often is the data's per_day / days_per_week."""
    found = {ex.id: plan.dose_defaults(ex) for ex in DATA.exercises.values()}
    assert found["half-kneeling-stretch"] == {"hold": 20, "reps": 2, "per_day": 1, "days_per_week": 7}
    assert found["lying-hip-flexor-stretch"]["hold"] == 20  # "at least 20"
    assert found["pelvic-tilt"] == {"reps": 5, "per_day": 3, "days_per_week": 7}
    assert found["dead-bug"] == {"reps": 8, "sets": 2, "per_day": 1, "days_per_week": 2}
    assert found["constructive-rest"] == {"minutes": 10, "per_day": 1, "days_per_week": 7}
    assert found["walking"] == {"minutes": 10, "per_day": 1, "days_per_week": 5}
    assert plan.each_side(DATA.exercises["knee-rolls"]) and not plan.each_side(DATA.exercises["bridge"])


def test_the_most_the_guide_says_is_known_per_dose():
    """What the builder notes a dose above (kept, not clamped): the highest number the guide gives."""
    most = {ex.id: plan.dose_guide_most(ex) for ex in DATA.exercises.values()}
    assert most["bridge"] == {"hold": 5, "reps": 10, "per_day": 1, "days_per_week": 7}
    assert most["dead-bug"] == {"reps": 12, "sets": 3, "per_day": 1, "days_per_week": 3}  # "2 or 3 days a week"
    assert most["walking"] == {"minutes": 30, "per_day": 1, "days_per_week": 7}  # "most days" sets no most
    assert most["pelvic-tilt"]["per_day"] == 3
    assert "hold" not in plan.dose_guide_most(exercise(hold_seconds="at least 20"))  # no most given


def test_the_longer_hold_for_older_adults_comes_from_the_data():
    """The guide says older adults may hold a stretch 30 to 60 seconds (Maintaining psoas health, from
    ACSM); the builder called a 60-second hold "More than the guide's dose (up to 30)". The 60 is
    data (data/exercises.yml), shipped beside the guide's most, and backed by the finding it cites."""
    out = {ex["id"]: ex for ex in plan.plan_data(DATA, PAGE_MD, {})["exercises"]}
    stretches = [ex for ex in DATA.exercises.values() if ex.dose.hold_seconds_older_adults]
    assert {ex.id for ex in stretches} == {"half-kneeling-stretch", "standing-lunge", "lying-hip-flexor-stretch"}
    finding = {f.id: f.text for f in DATA.sources["acsm-stretching"].findings}["hold"]
    for ex in stretches:
        assert "acsm-stretching:hold" in ex.sources
        assert f"older adults may benefit from {ex.dose.hold_seconds_older_adults} seconds" in finding
        assert out[ex.id]["guide_most"]["hold"] == 30 and out[ex.id]["guide_most_older"] == {"hold": 60}
    assert out["bridge"]["guide_most_older"] == {}
    page = (ROOT / "docs" / "aftercare" / "maintaining-psoas-health.md").read_text(encoding="utf-8")
    assert "Older adults may hold for 30 to 60 seconds" in page
    with pytest.raises(DataError, match=r"'test-move', field 'dose.hold_seconds_older_adults' \('20'\): .*not longer than"):
        plan.dose_guide_most_older(exercise(hold_seconds="20 to 30", hold_seconds_older_adults="20"))


@pytest.mark.parametrize("dose, message", [
    ({"reps": "a few"}, r"exercise 'test-move', field 'dose.reps' \('a few'\): the plan builder cannot read a number.*Fix: start it with a whole number"),
    ({"hold_seconds": "200"}, r"field 'dose.hold_seconds' \('200'\): 200 is outside the plan builder's limits \(5 to 120\)\. Fix: .*DOSE_LIMITS in macros/plan.py"),
    ({"per_day": 5}, r"field 'dose.per_day' \('5'\): 5 is outside"),
    ({"days_per_week": None}, r"field 'dose.days_per_week' \('None'\): the plan builder needs it as a number\. Fix: add days_per_week: N"),
])
def test_a_dose_the_builder_cannot_use_stops_the_build_with_a_fix(dose, message):
    with pytest.raises(DataError, match=message):
        plan.dose_defaults(exercise(**dose))


def test_how_often_comes_from_the_numbers_not_the_frequency_text():
    """The frequency text is for readers ("At each break"); the builder reads per_day / days_per_week."""
    def dose(**fields):
        base = {"hold_seconds": None, "reps": "5", "sets": None, "minutes": "10 at first, building to 30",
                "frequency": "At each break", "per_day": 2, "days_per_week": 5}
        return SimpleNamespace(id="desk-move", dose=SimpleNamespace(**{**base, **fields}))

    assert plan.dose_defaults(dose()) == {"reps": 5, "minutes": 10, "per_day": 2, "days_per_week": 5}
    with pytest.raises(DataError, match=r"'desk-move', field 'dose.per_day' \('8'\): 8 is outside"):
        plan.dose_defaults(dose(per_day=8))
    with pytest.raises(DataError, match=r"'desk-move', field 'dose.per_day' \('None'\): the plan builder needs it as a number"):
        plan.dose_defaults(dose(per_day=None))


def test_checklist_items_get_stable_readable_keys():
    assert plan.item_key("aftercare", "I drink water, and eat as normal.") == "aftercare.i-drink-water-and-eat-as-normal"
    keys = [item["key"] for cl in plan.plan_data(DATA, PAGE_MD, {})["checklists"] for item in cl["items"]]
    assert len(keys) == len(set(keys)) == sum(len(DATA.checklists[c].items) for c in plan.PLAN_CHECKLISTS)


def test_two_items_with_the_same_first_words_are_refused():
    twins = Checklist(id="aftercare", title="t", items=[
        ChecklistItem(text="I walk a little every day after the session, slowly."),
        ChecklistItem(text="I walk a little every day after the session, briskly.")])
    data = dataclasses.replace(DATA, checklists={**DATA.checklists, "aftercare": twins})
    with pytest.raises(DataError, match="checklist 'aftercare'.*same eight words. Fix: reword one"):
        plan.plan_data(data, PAGE_MD, {})


def test_no_data_text_can_end_the_script_element():
    nasty = "</script><script>alert(1)</script> <!-- & \u2028\u2029 {{ x }} {% y %} </SCRIPT >"
    out = plan.script_json({"a": nasty, "b": [{}]})
    assert json.loads(out) == {"a": nasty, "b": [{}]}
    for raw in ("<", ">", "&", "\u2028", "\u2029", "{{", "{%"):
        assert raw not in out, raw
    ex = DATA.exercises["bridge"].model_copy(update={"name": nasty, "steps": [nasty]})
    data = dataclasses.replace(DATA, exercises={**DATA.exercises, "bridge": ex})
    block = plan.plan_builder_data(data, PAGE_MD, {"name": nasty})
    assert block.lower().count("</script") == 1 and block.endswith("</script>")
    body = block.removeprefix('<script type="application/json" id="plan-data">').removesuffix("</script>")
    assert json.loads(body)["exercises"][3]["name"] == nasty


def test_a_published_guide_gives_its_address_to_the_plan():
    """A physiotherapist's review: the paper plan sends the client to the guide ("see Is it safe for
    me?") but never said where it is, even with SITE_URL set. The macro ships the address (and no
    placeholder while the guide is unpublished)."""
    from macros.register import _Names, register

    def shipped(conf: dict) -> dict:
        env = _Names()
        env.conf = conf  # type: ignore[attr-defined]
        register(env, DATA)
        ctx = {"page": SimpleNamespace(meta={"updated": "2026-12-07"}, file=SimpleNamespace(src_uri=PAGE_MD))}
        block = env.macros["plan_builder_data"](ctx)
        return json.loads(re.sub(r"^<script[^>]*>|</script>$", "", block))["guide"]

    published = shipped({"site_name": "Psoas Guide", "site_url": "https://guide.example-clinic.org/"})
    assert published["url"] == "https://guide.example-clinic.org/" and published["date"] == "2026-12-07"
    assert shipped({"site_name": "Psoas Guide", "site_url": None})["url"] == ""


def test_limits_are_shipped_with_the_data():
    out = plan.plan_data(DATA, PAGE_MD, {"name": "Psoas Guide"})
    assert out["limits"]["dose"] == {k: list(v) for k, v in plan.DOSE_LIMITS.items()}
    assert out["limits"]["text"] == plan.TEXT_LIMITS
    assert out["exercises"][0]["figure"]["src"] == "../assets/figures/ex-half-kneeling-stretch.svg"
    assert out["links"]["safety"] == "../before/is-it-safe.html"
    # The keys tests/js/plan.test.mjs builds its small copy of the data with.
    assert set(out) == {"format", "guide", "limits", "links", "exercises", "checklists"}
    assert set(out["exercises"][0]) == {"id", "name", "summary", "steps", "cautions", "dose", "guide_most", "guide_most_older",
                                        "each_side", "figure"}


# --- the JavaScript ------------------------------------------------------------------------------

def run_node_tests(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*NODE_TEST, str(path)], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_javascript_unit_tests_pass():
    result = run_node_tests(NODE_TESTS)
    counts = dict(re.findall(r"^# (pass|fail) (\d+)$", result.stdout, re.M))
    assert result.returncode == 0 and counts.get("fail") == "0", result.stdout[-3000:] + result.stderr
    assert int(counts["pass"]) >= 14
    print(f"\nnode --test: {counts['pass']} passed")


def test_javascript_test_run_can_fail(tmp_path):
    (tmp_path / "broken.test.mjs").write_text('import { test } from "node:test"; import assert from "node:assert";\n'
                                              'test("planted", () => assert.equal(1, 2));\n')
    result = run_node_tests(tmp_path)
    assert result.returncode != 0 and "# fail 1" in result.stdout


def test_the_site_ships_a_fresh_bundle_of_the_modules(built_site):
    shipped = built_site.site / "assets" / "javascripts" / "plan" / plan_bundle.BUNDLE
    assert shipped.read_text(encoding="utf-8") == plan_bundle.bundle_dir(ROOT), "the build did not write a fresh bundle"
    check = subprocess.run(["node", "--check", str(shipped)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_the_bundle_writes_no_html_from_strings_and_evaluates_no_code():
    """As tests/js/plan.test.mjs checks each module: the bundle is made at build time, so a fresh
    clone's fast tier has no file to read; its text is made here, in-process."""
    joined = plan_bundle.bundle_dir(ROOT)
    for risky in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", 'setAttribute("on'):
        assert risky not in joined, f"the plan builder's bundle uses {risky}"


def test_the_bundler_refuses_what_it_cannot_join():
    with pytest.raises(plan_bundle.BundleError, match="a.js:1: imports b.js, which is not listed before"):
        plan_bundle.bundle({"a.js": 'import { x } from "./b.js";', "b.js": "export const x = 1;"})
    with pytest.raises(plan_bundle.BundleError, match="a.js:2: only top-level"):
        plan_bundle.bundle({"a.js": "const x = 1;\nexport default x;"})
    with pytest.raises(plan_bundle.BundleError, match="write imports on one line"):
        plan_bundle.bundle({"a.js": "import {\n  x } from './b.js';"})


# --- the built page -----------------------------------------------------------------------------

def test_built_page_embeds_the_data_and_links_what_exists(built_site):
    soup = BeautifulSoup(built_site.page(PAGE), "html.parser")
    blocks = soup.select('script[type="application/json"]#plan-data')
    assert len(blocks) == 1
    embedded = json.loads(blocks[0].string)
    meta = read_page(ROOT / "docs" / PAGE_MD, PAGE_MD)[0].meta
    assert meta is not None
    site_name = load_config(ROOT / "mkdocs.yml").site_name
    assert embedded == plan.plan_data(DATA, PAGE_MD, plan.edition(site_name, meta.updated.isoformat()))
    here = built_site.site / PAGE
    targets = [ex["figure"]["src"] for ex in embedded["exercises"] if ex["figure"]]
    targets += [embedded["links"]["safety"], soup.select_one("script[src$='plan/plan-builder.js']")["src"],
                soup.select_one(".plan-builder__needs-js a")["href"],
                soup.select_one("link[rel=stylesheet][href$='/plan.css']")["href"]]
    missing = [t for t in targets if not (here.parent / t).resolve().is_file()]
    assert len(targets) >= 12 and not missing, missing
    # Material's navigation.tracking writes the nearest heading's anchor over the address (and the
    # plan in it) whenever the page has a table of contents; the builder's headings stay out of it.
    assert soup.select('[data-md-component="toc"]') == []
    # The safety card is on the page (the script moves it into the sheet, above the exercises).
    assert soup.select_one("#plan-care .admonition.care-card")


def test_only_the_builder_page_loads_its_stylesheet(built_site):
    # plan.css is 10 KiB every other page would fetch for nothing on a first visit.
    for page in built_site.site.rglob("*.html"):
        links = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("link[href$='plan.css']")
        assert len(links) == (page == built_site.site / PAGE), page


def test_builder_is_in_the_nav_and_linked_from_home_and_handouts(built_site):
    for page, href in [("index.html", "reference/plan-builder.html"), ("reference/handouts.html", "plan-builder.html")]:
        soup = BeautifulSoup(built_site.page(page), "html.parser")
        assert soup.select(f'article a[href="{href}"]'), f"{page} does not link to the plan builder"
        assert soup.select(f'.md-nav--primary a[href="{href}"]'), f"the navigation on {page} lacks the plan builder"


# --- in Chromium, from file://, with the network cut -----------------------------------------------

EXERCISE_NAMES = {ex.id: ex.name for ex in DATA.exercises.values()}
CHOSEN = ["bridge", "dead-bug", "walking"]
ITEMS = ["plan-item-aftercare-1", "plan-item-aftercare-6"]


class OfflineBuilder:
    """A tab on the builder page from disk: requests off file:// are aborted and recorded."""

    def __init__(self, browser, site: Path, **context):
        self.external: list[str] = []
        self.errors: list[str] = []
        self.url = (site / PAGE).as_uri()
        self.context = browser.new_context(offline=True, **context)
        self.context.route("**/*", only_files(self.external))
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, fragment: str = "") -> None:
        self.page.goto("about:blank")
        self.page.goto(self.url + fragment, wait_until="load")
        self.page.wait_for_selector(".plan-builder--ready #plan-form", state="attached")

    def sheet_text(self) -> str:
        return " ".join(self.page.inner_text("#plan-sheet").split())

    def form_state(self) -> dict:
        return self.page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('#plan-form input, #plan-form textarea')]
            .map(i => [i.id, i.type === 'checkbox' ? i.checked : i.value]))""")

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def site_on_disk(built_site, tmp_path_factory) -> Path:
    """The built site somewhere else, with a space and a non-ASCII letter in its path."""
    return shutil.copytree(built_site.site, tmp_path_factory.mktemp("plan") / "USB stick" / "Praxis Müller")


@pytest.fixture
def builder(browser, site_on_disk):
    tab = OfflineBuilder(browser, site_on_disk, viewport={"width": 1280, "height": 900})
    yield tab
    tab.close()


def address(wire: dict, version: str = "v1") -> str:
    code = base64.urlsafe_b64encode(json.dumps(wire).encode()).decode().rstrip("=")
    return f"#plan={version}.{code}"


def pdf_pages(pdf: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]


# The care card's first and last words on paper: it opens the sheet, whole on page 1, before any exercise.
CARD_STARTS, CARD_ENDS = "When to stop and get help", "Not urgent"


def assert_card_first_and_whole(paper: str, pages: list[str], first_exercise: str) -> None:
    text = " ".join(pages)
    assert CARD_STARTS in pages[0] and CARD_ENDS in pages[0], f"{paper}: the care card is not whole on page 1"
    assert text.index(CARD_ENDS) < text.index(first_exercise), f"{paper}: {first_exercise!r} printed before the care card"


def make_plan(tab: OfflineBuilder) -> None:
    page = tab.page
    for ex in CHOSEN:
        page.check(f"#plan-ex-{ex}")
    page.fill("#plan-ex-bridge-reps", "12")
    page.press("#plan-ex-bridge-reps", "Tab")
    for item in ITEMS:
        page.check(f"#{item}")
    page.fill("#plan-client", "Sam Example")
    page.fill("#plan-date", "2026-11-25")
    address_written(page)


def address_written(page) -> None:
    """The builder writes the address at most every 150 ms; wait for the last edit to be in it."""
    page.wait_for_function("!document.querySelector('.plan-builder[data-saving]')")


@pytest.mark.browser
def test_a_plan_prints_on_one_or_two_pages_and_reopens_from_its_address(builder):
    builder.open()
    make_plan(builder)
    page = builder.page
    url = page.url
    assert re.search(r"#plan=v1\.[A-Za-z0-9_-]+$", url), url
    assert page.input_value("#plan-address") == url
    # Opened from disk: the address is a file on this computer, and the page says so.
    assert page.is_visible("#plan-address-local") and url.startswith("file:")
    sheet = builder.sheet_text()
    page.emulate_media(media="print")
    assert not page.is_visible("#plan-form") and not page.is_visible(".md-header") and page.is_visible("#plan-sheet")
    for paper in ("A4", "Letter"):
        printed = pdf_pages(page.pdf(format=paper))
        pages, text = len(printed), " ".join(printed)
        assert 1 <= pages <= 2, f"{paper}: {pages} pages"
        assert_card_first_and_whole(paper, printed, EXERCISE_NAMES[CHOSEN[0]])
        for ex_id, name in EXERCISE_NAMES.items():
            assert (name in text) == (ex_id in CHOSEN), f"{paper}: {name!r} {'missing' if ex_id in CHOSEN else 'printed'}"
        for words in ["Hold 5 seconds. Repeat 12 times. Once a day, every day.", "Your exercise and aftercare plan For Sam Example",
                      "I drink water and eat as normal.", "I know the warning signs", "Weekly log", "Not medical advice.",
                      "version 0.1.0", "Wed Thu Fri Sat Sun Mon Tue",
                      # The safety card, from data/safety.yml like every chapter's.
                      "When to stop and get help", "Stop at once", "Emergency: call 999", "Urgent: get medical advice today",
                      # and the signs after a session: the plan goes home after one.
                      "After a session, get help if you notice", "Swelling, pain or warmth in one calf or leg"]:
            assert words in text, f"{paper}: {words!r} not printed"
        for words in ["Make the plan", "Copy the address", "How the plan is kept", "I have had a drink of water",
                      "opened from a file"]:
            assert words not in text, f"{paper}: {words!r} printed"
        # A dose on paper is one number; the guide's doses build up ("add 1 or 2 every few days"). The
        # sheet says how to start, after the safety card and before the first exercise.
        assert text.index("Stop at once") < text.index("Build up slowly.") < text.index(EXERCISE_NAMES[CHOSEN[0]]), paper
        assert "add 1 or 2 every few days" in text, paper
    print(f"\nprinted plan: {pages} page(s) on Letter, {len(text)} characters")
    # The same address, opened again, is the same plan.
    state = builder.form_state()
    page.emulate_media(media="screen")
    builder.open(url[url.index("#"):])
    assert builder.form_state() == state
    assert builder.sheet_text() == sheet
    assert page.is_hidden("#plan-notices")
    # Safety first: the card sits under the sheet's head, before the note and exercises (on screen and paper).
    assert page.evaluate("""() => { const care = document.querySelector('#plan-care');
        return [care.previousElementSibling.id, care.nextElementSibling.id]; }""") == ["plan-sheet-head", "plan-sheet-note"]
    # The print button prints (window.print stubbed: headless Chromium has no dialog to show).
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.click("#plan-print")
    assert page.evaluate("window.__printed") is True
    assert builder.external == [] and builder.errors == []


@pytest.mark.browser
def test_the_fullest_plan_that_must_fit_prints_on_three_pages(builder):
    """The measured promise in macros/plan.py: the four longest exercises, the eight longest checklist
    items, a full note and every name at its longest still print on three A4 or Letter pages, with the
    care card and its signs after a session whole on page 1, before the first exercise. The note is
    the tallest 500 characters make in practice: a line a day (it keeps its line breaks)."""
    data = plan.plan_data(DATA, PAGE_MD, {})
    longest = sorted(data["exercises"], key=lambda e: -len(" ".join(e["steps"] + e["cautions"])))[:4]
    items = sorted((i for c in data["checklists"] for i in c["items"]), key=lambda i: -len(i["text"]))[:plan.MAX_ITEMS]
    def words(n):
        return ("Word " * n)[:n]

    def a_line_a_day(n):
        return "\n".join(f"Day {day}: walk 20 minutes." for day in range(1, 40))[:n]

    builder.open(address({"e": [{"i": e["id"]} for e in longest], "c": [i["key"] for i in items],
                          "n": words(80), "p": words(80), "k": words(120), "o": a_line_a_day(plan.TEXT_LIMITS["note"]), "t": "2026-11-25", "v": "2026-12-09"}))
    assert builder.page.is_hidden("#plan-notices")
    builder.page.emulate_media(media="print")
    for paper in ("A4", "Letter"):
        printed = pdf_pages(builder.page.pdf(format=paper))
        pages, text = len(printed), " ".join(printed)
        assert pages <= 3, f"{paper}: {pages} pages"
        assert_card_first_and_whole(paper, printed, longest[0]["name"])
        assert all(e["name"] in text for e in longest) and "Weekly log" in text and "When to stop" in text
        assert "After a session, get help if you notice" in text and "Blood in your pee" in text


@pytest.mark.browser
def test_a_checklist_only_plan_prints_no_words_meant_for_the_form(builder):
    # A plan of aftercare items alone is a real plan; its sheet printed "No exercises picked yet.
    # Pick them in the form." for the client, who has no form.
    builder.open()
    for item in ITEMS:
        builder.page.check(f"#{item}")
    address_written(builder.page)
    assert "Pick them in the form" in builder.sheet_text()  # on screen it guides the practitioner
    builder.page.emulate_media(media="print")
    text = " ".join(pdf_pages(builder.page.pdf(format="A4")))
    assert "I drink water and eat as normal." in text and CARD_STARTS in text
    assert "No exercises picked" not in text and "the form" not in text, text
    assert "Build up slowly" not in text  # no exercise to build up


@pytest.mark.browser
def test_a_tampered_address_shows_text_and_runs_nothing(builder):
    builder.open(address({
        "e": [{"i": "bridge", "r": 999}, {"i": "no-such-exercise"}, {"i": "walking", "d": "<b>"}],
        "c": ["aftercare.gone-item"],
        "n": '<img src=x onerror="window.__pwned=1">',
        "o": "<script>window.__pwned=2</script>\n**bold**",
        "t": "2026-13-45",
    }))
    page = builder.page
    assert page.evaluate("window.__pwned") is None
    assert page.locator('img[src="x"], #plan-sheet script').count() == 0
    assert page.input_value("#plan-client") == '<img src=x onerror="window.__pwned=1">'
    sheet = builder.sheet_text()
    assert 'For <img src=x onerror="window.__pwned=1">' in sheet
    assert "<script>window.__pwned=2</script> **bold**" in sheet
    assert "Hold 5 seconds. Repeat 30 times." in sheet and page.input_value("#plan-ex-bridge-reps") == "30"
    notices = " ".join(page.inner_text("#plan-notices").split())
    for words in ['"no-such-exercise" is not an exercise in this version of the guide',
                  "Bridge, repetitions: 999 is above the highest allowed (30), so 30 is used.",
                  "Brisk walking, times a day: not a whole number, so 1 is used.",
                  '("gone item…")', "The plan date was not a real date"]:
        assert words in notices
    assert page.get_attribute("#plan-notices", "role") == "alert"
    assert builder.external == [] and builder.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("cut", [1, 7, 30])
def test_a_cut_short_address_says_so_and_starts_empty(builder, cut):
    builder.open()
    make_plan(builder)
    url = builder.page.url
    builder.open(url[url.index("#"):-cut])
    assert "damaged or incomplete" in builder.page.inner_text("#plan-notices")
    assert not any(v is True for v in builder.form_state().values()), "a box is still ticked"
    assert "#plan=" not in builder.page.url, "the damaged address stays in the address bar"
    assert "No exercises picked yet" in builder.sheet_text()


@pytest.mark.browser
def test_dose_boxes_keep_to_their_limits_and_say_so(builder):
    builder.open()
    page = builder.page
    page.check("#plan-ex-dead-bug")
    page.fill("#plan-ex-dead-bug-sets", "40")
    page.press("#plan-ex-dead-bug-sets", "Tab")
    assert page.input_value("#plan-ex-dead-bug-sets") == "5"
    assert page.inner_text("#plan-status") == "Dead bug, sets: 40 is above the highest allowed (5), so 5 is used."
    assert "Repeat 8 times each side. Do 5 sets." in builder.sheet_text()
    page.click("text=Use the guide's dose for Dead bug")
    assert page.input_value("#plan-ex-dead-bug-sets") == "2"
    # A plan holds at most MAX_EXERCISES: then the other boxes rest, and say why.
    page.uncheck("#plan-ex-dead-bug")
    for ex in list(EXERCISE_NAMES)[:plan.MAX_EXERCISES]:
        page.check(f"#plan-ex-{ex}")
    left = [ex for ex in EXERCISE_NAMES if not page.is_checked(f"#plan-ex-{ex}")]
    assert left and all(page.is_disabled(f"#plan-ex-{ex}") for ex in left)
    assert "plan-ex-limit" in page.get_attribute(f"#plan-ex-{left[0]}", "aria-describedby")
    page.uncheck(f"#plan-ex-{list(EXERCISE_NAMES)[0]}")
    assert not any(page.is_disabled(f"#plan-ex-{ex}") for ex in left)
    items = page.locator("input[data-item]")
    for n in range(plan.MAX_ITEMS):
        items.nth(n).check()
    assert items.nth(plan.MAX_ITEMS).is_disabled()
    assert items.nth(plan.MAX_ITEMS).get_attribute("aria-describedby") == "plan-item-limit"


@pytest.mark.browser
def test_a_changed_dose_is_explained_beside_its_box_on_a_phone(browser, site_on_disk):
    """On a phone the status line is some 2,500 px below the form: the box changed from 200 to 120
    with no word in sight. The reason now shows under the box, and goes with the next edit."""
    tab = OfflineBuilder(browser, site_on_disk, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    tab.open()
    page = tab.page
    page.check("#plan-ex-bridge")
    page.fill("#plan-ex-bridge-hold", "200")
    page.press("#plan-ex-bridge-hold", "Tab")
    line = page.locator("#plan-ex-bridge-hold-problem")
    assert page.input_value("#plan-ex-bridge-hold") == "120"
    assert line.is_visible() and line.inner_text() == "200 is above the highest allowed (120), so 120 is used."
    box = line.bounding_box()
    assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= 844, f"the reason is off the screen: {box}"
    assert "plan-ex-bridge-hold-problem" in page.get_attribute("#plan-ex-bridge-hold", "aria-describedby")
    page.fill("#plan-ex-bridge-hold", "30")
    assert line.is_hidden()
    page.fill("#plan-ex-bridge-reps", "0")
    page.press("#plan-ex-bridge-reps", "Tab")
    assert page.is_visible("#plan-ex-bridge-reps-problem")
    page.click("text=Use the guide's dose for Bridge")
    assert page.is_hidden("#plan-ex-bridge-reps-problem")
    assert tab.errors == []
    tab.close()


@pytest.mark.browser
def test_a_dose_above_the_guides_own_is_kept_and_noted(builder):
    """A practitioner's review: 20 repeats of a bridge the guide doses at 5 to 10 went through without
    a word. Within the hard limits it is the practitioner's call: kept, and noted under the box."""
    builder.open()
    page = builder.page
    page.check("#plan-ex-bridge")
    page.fill("#plan-ex-bridge-reps", "20")
    page.press("#plan-ex-bridge-reps", "Tab")
    line = page.locator("#plan-ex-bridge-reps-problem")
    assert page.input_value("#plan-ex-bridge-reps") == "20"
    assert line.inner_text() == "More than the guide's dose (up to 10). Check it suits this client."
    assert "More than the guide's dose" in page.inner_text("#plan-status")
    page.fill("#plan-ex-bridge-reps", "10")
    page.press("#plan-ex-bridge-reps", "Tab")
    assert line.is_hidden()
    assert builder.errors == []



@pytest.mark.browser
def test_more_often_than_the_guide_says_is_noted(builder):
    """An adversarial review: a dead bug every day (the guide says 2 or 3 days a week) or a bridge 3
    times a day went through without a word, while 11 bridge repeats were noted."""
    builder.open()
    page = builder.page
    page.check("#plan-ex-dead-bug")
    page.fill("#plan-ex-dead-bug-days_per_week", "7")
    page.press("#plan-ex-dead-bug-days_per_week", "Tab")
    assert page.inner_text("#plan-ex-dead-bug-days_per_week-problem") == (
        "More than the guide's dose (up to 3). Check it suits this client.")
    page.fill("#plan-ex-dead-bug-days_per_week", "3")  # "2 or 3 days a week": within the guide's
    page.press("#plan-ex-dead-bug-days_per_week", "Tab")
    assert page.is_hidden("#plan-ex-dead-bug-days_per_week-problem")
    assert builder.errors == []

@pytest.mark.browser
def test_a_dose_above_the_guides_own_is_noted_when_the_plan_reopens(builder):
    """The note went with the edit only: the same plan opened from its address (Back, a bookmark, a
    link to reprint it) showed a 2-minute bridge hold, 24 times the guide's, without a word."""
    builder.open(address({"e": [{"i": "bridge", "h": 120, "r": 20}]}))
    page = builder.page
    assert page.input_value("#plan-ex-bridge-hold") == "120"
    assert page.inner_text("#plan-ex-bridge-hold-problem") == "More than the guide's dose (up to 5). Check it suits this client."
    assert page.inner_text("#plan-ex-bridge-reps-problem") == "More than the guide's dose (up to 10). Check it suits this client."
    builder.open(address({"e": [{"i": "bridge", "h": 5, "r": 10}]}))  # the guide's own: no note
    assert page.is_hidden("#plan-ex-bridge-hold-problem") and page.is_hidden("#plan-ex-bridge-reps-problem")
    assert builder.errors == []


@pytest.mark.browser
def test_a_longer_stretch_hold_is_noted_in_the_guides_own_words(builder):
    """A tester's review: a 60-second hold was "More than the guide's dose (up to 30)", though the
    guide says older adults may hold 30 to 60 seconds. Still noted (above 30), in the guide's words."""
    builder.open()
    page = builder.page
    page.check("#plan-ex-half-kneeling-stretch")
    page.fill("#plan-ex-half-kneeling-stretch-hold", "60")
    page.press("#plan-ex-half-kneeling-stretch-hold", "Tab")
    said = "More than the guide's dose (up to 30, or 60 for older adults). Check it suits this client."
    assert page.input_value("#plan-ex-half-kneeling-stretch-hold") == "60"
    assert page.inner_text("#plan-ex-half-kneeling-stretch-hold-problem") == said
    assert page.inner_text("#plan-status") == f"Half-kneeling hip flexor stretch, hold (seconds): {said}"
    assert "Hold 60 seconds." in builder.sheet_text()
    assert builder.errors == []


@pytest.mark.browser
def test_a_review_date_before_the_plan_date_is_said_and_not_printed(builder):
    """A tester's review: "Review on" could be set before the plan's own date, and the sheet printed
    both dates without a word. The form says so beside the box (and out loud, as for a dose); the
    sheet leaves the review date out until it is the plan's date or later."""
    builder.open()
    page = builder.page
    page.check("#plan-ex-bridge")
    page.fill("#plan-date", "2026-11-25")
    page.fill("#plan-review", "2026-11-18")
    address_written(page)
    line = page.locator("#plan-review-problem")
    said = "This date is before the plan's date, so the printed plan leaves it out. Pick a later date."
    assert line.is_visible() and line.inner_text() == said
    assert "plan-review-problem" in page.get_attribute("#plan-review", "aria-describedby")
    assert page.get_attribute("#plan-review", "aria-invalid") == "true"
    assert page.inner_text("#plan-status") == f"Review on: {said}"
    sheet = builder.sheet_text()
    assert "Date 25 November 2026" in sheet and "Review on" not in sheet and "18 November 2026" not in sheet
    page.emulate_media(media="print")
    text = " ".join(pdf_pages(page.pdf(format="A4")))
    assert "25 November 2026" in text and "Review on" not in text and "18 November 2026" not in text
    page.emulate_media(media="screen")
    # A review on the plan's day or later is fine: the line and the spoken message go, the sheet prints it.
    page.fill("#plan-review", "2026-11-25")
    assert line.is_hidden() and page.get_attribute("#plan-review", "aria-invalid") is None
    assert page.inner_text("#plan-status") == ""
    assert "Review on 25 November 2026" in builder.sheet_text()
    # An earlier plan date makes a review date too early just the same.
    page.fill("#plan-date", "2026-11-26")
    assert line.is_visible() and "Review on" not in builder.sheet_text()
    # A plan opened from its address with the dates that way round says so too.
    builder.open(address({"e": [{"i": "bridge"}], "t": "2026-11-25", "v": "2026-11-18"}))
    assert page.input_value("#plan-review") == "2026-11-18" and line.is_visible() and line.inner_text() == said
    assert "Review on" not in builder.sheet_text()
    builder.open(address({"e": [{"i": "bridge"}], "t": "2026-11-25", "v": "2026-12-09"}))
    assert line.is_hidden() and "Review on 9 December 2026" in builder.sheet_text()
    assert builder.errors == []


@pytest.mark.browser
def test_typing_a_later_review_date_is_never_said_to_be_too_early(browser, site_on_disk):
    """A tester with a screen reader: typing a review date after the plan's, the year goes into the
    box a digit at a time ("0002-12-01", "0020-12-01", "0202-12-01" on the way to 2026), and each was
    said out loud, shown beside the box and marked invalid as before the plan's date. Typed with the
    keyboard in a US English browser (month, day, year), as a practitioner would."""
    tab = OfflineBuilder(browser, site_on_disk, viewport={"width": 1280, "height": 900}, locale="en-US")
    try:
        tab.open()
        page = tab.page
        page.fill("#plan-date", "2026-11-25")
        page.evaluate("""() => {
            window.heard = [];
            const status = document.getElementById('plan-status');
            const line = document.getElementById('plan-review-problem');
            new MutationObserver(() => window.heard.push(status.textContent))
                .observe(status, {childList: true, characterData: true, subtree: true});
            new MutationObserver(() => { if (!line.hidden) window.heard.push('line: ' + line.textContent); })
                .observe(line, {attributes: true, childList: true, subtree: true});
        }""")
        page.focus("#plan-review")
        page.keyboard.type("12012026")
        assert page.input_value("#plan-review") == "2026-12-01"
        heard = page.evaluate("window.heard")
        assert not [h for h in heard if "before the plan's date" in h], heard
        assert page.is_hidden("#plan-review-problem") and page.get_attribute("#plan-review", "aria-invalid") is None
        assert "Review on 1 December 2026" in tab.sheet_text()
        # A review date typed before the plan's is still said, once its year is whole.
        page.fill("#plan-review", "")
        page.focus("#plan-date")
        page.focus("#plan-review")  # anew, at its first part (the month)
        page.keyboard.type("11182026")
        assert page.input_value("#plan-review") == "2026-11-18"
        assert page.inner_text("#plan-status").startswith("Review on: This date is before the plan's date")
        assert page.get_attribute("#plan-review", "aria-invalid") == "true"
        assert tab.errors == []
    finally:
        tab.close()


@pytest.mark.browser
def test_the_weekly_log_says_on_how_many_days(builder):
    """Seven columns of boxes: a row saying only "(once a day)" read as every day."""
    builder.open()
    make_plan(builder)
    rows = [" ".join(t.split()) for t in builder.page.locator(".plan-log tbody th").all_inner_texts()]
    assert rows == ["Bridge (once a day)", "Dead bug (once a day, on 2 days a week)", "Brisk walking (once a day, on 5 days a week)"]


@pytest.mark.browser
@pytest.mark.parametrize("jump", ["skip link", "permalink", "search result"])
def test_a_jump_within_the_page_keeps_the_plan(builder, jump):
    """Chromium fires popstate for a #fragment link too: the skip link (the first Tab stop), the
    title's permalink or a search result for a heading on this page opened it as a plan address
    and emptied the form without a word."""
    builder.open()
    make_plan(builder)
    page = builder.page
    before, sheet, before_url = builder.form_state(), builder.sheet_text(), page.url
    if jump == "skip link":
        page.focus("a.md-skip")
        page.keyboard.press("Enter")
    elif jump == "permalink":
        page.click("h1 a.headerlink")
    else:
        page.evaluate("location.hash = '#tips'")
    # Either way this is soon true: the plan back in the address, or the form emptied.
    page.wait_for_function("location.hash.startsWith('#plan=v1.') || !document.querySelector('#plan-ex-bridge').checked")
    address_written(page)
    assert builder.form_state() == before and builder.sheet_text() == sheet, "the jump emptied the form"
    assert page.url.endswith(before_url[before_url.index("#"):]) and page.input_value("#plan-address") == page.url
    assert builder.errors == []


@pytest.mark.browser
def test_with_an_empty_plan_a_jump_keeps_its_own_address(builder):
    """No plan to keep: the heading's link stays in the address to be copied, not "#plan=" of an
    empty plan (nor one an edit's pending write puts back)."""
    builder.open()
    page = builder.page
    page.check("#plan-ex-bridge")
    page.uncheck("#plan-ex-bridge")  # an empty plan again, its write maybe still to come
    page.click("h1 a.headerlink")
    page.evaluate("new Promise((done) => setTimeout(done, 300))")  # past the builder's write gap
    address_written(page)
    assert page.evaluate("location.hash") == "#aftercare-plan-builder"
    assert page.input_value("#plan-address") == page.url.split("#")[0]
    assert builder.errors == []


@pytest.mark.browser
def test_builder_works_from_the_keyboard_alone(builder):
    builder.open()
    page = builder.page
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "plan-client":
            break
    else:
        pytest.fail("Tab never reached the client's name")
    page.keyboard.type("Kim")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "plan-ex-half-kneeling-stretch":
            break
    else:
        pytest.fail("Tab never reached the first exercise")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none", "no visible focus"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "plan-ex-half-kneeling-stretch-hold"
    page.keyboard.press("ArrowUp")
    assert "Hold 21 seconds" in builder.sheet_text() and "For Kim" in builder.sheet_text()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_builder_with_a_plan_passes_axe(browser, site_on_disk, scheme):
    from axe_playwright_python.sync_playwright import Axe

    from test_accessibility import AXE_OPTIONS, describe

    tab = OfflineBuilder(browser, site_on_disk, viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    tab.open(address({"e": [{"i": "no-such"}], "c": ["aftercare.gone"]}))  # the notices box shows too
    make_plan(tab)
    tab.page.fill("#plan-ex-bridge-reps", "99")
    tab.page.press("#plan-ex-bridge-reps", "Tab")  # the status line shows too
    violations = Axe().run(tab.page, options=AXE_OPTIONS).response["violations"]
    tab.close()
    assert not violations, describe(violations)


@pytest.mark.browser
def test_on_a_phone_a_bar_jumps_to_the_sheet_and_back(browser, site_on_disk):
    """A phone review: on a phone the sheet starts some 4,000 px down, so a practitioner ticking boxes
    never saw it change. A bar at the foot of the screen, there from the first screen, says what the
    plan holds and jumps to the sheet; one under the sheet goes back to the control last used.
    Buttons, not #links (the address after the # is the plan); from the keyboard too; axe-clean."""
    from axe_playwright_python.sync_playwright import Axe

    from test_accessibility import AXE_OPTIONS, describe

    tab = OfflineBuilder(browser, site_on_disk, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    tab.open()
    page = tab.page
    bar = page.locator("#plan-jump-button")
    box = bar.bounding_box()
    assert bar.is_visible() and box is not None and box["y"] + box["height"] <= 844, "no bar on the first screen"
    assert " ".join(bar.inner_text().split()) == "See the plan 0 exercises, 0 checklist items"
    page.check("#plan-ex-bridge")
    page.check("#plan-item-aftercare-1")
    assert " ".join(bar.inner_text().split()) == "See the plan 1 exercise, 1 checklist item"
    bar.click()
    where = page.evaluate("""() => ({focus: document.activeElement.id,
        sheet: document.querySelector('#plan-sheet').getBoundingClientRect().top,
        header: document.querySelector('.md-header').getBoundingClientRect().bottom})""")
    assert where["focus"] == "plan-sheet-title", where
    assert where["header"] <= where["sheet"] < 844 / 4, f"the sheet is not at the top of the screen: {where}"
    address_written(page)
    assert "#plan=v1." in page.url, "the jump wrote over the plan in the address"
    back = page.locator("#plan-back-button")
    assert back.is_visible()
    back.click()
    focus = page.evaluate("""() => { const r = document.activeElement.getBoundingClientRect();
        return {id: document.activeElement.id, top: r.top, bottom: r.bottom}; }""")
    assert focus["id"] == "plan-item-aftercare-1" and 0 < focus["top"] and focus["bottom"] < 844, focus
    # The control last used can be hidden since: a dose, then an empty plan opened from the address.
    page.focus("#plan-ex-bridge-reps")
    page.evaluate("location.hash = ''")
    page.wait_for_function("document.querySelector('#plan-ex-bridge-dose').hidden")
    back.click()
    assert page.evaluate("document.activeElement.id") == "make-the-plan", "the focus was lost on a hidden control"
    # From the keyboard: the bar comes before the form's first box, and the focus it moves is seen.
    tab.open()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") in ("plan-jump-button", "plan-client"):
            break
    assert page.evaluate("document.activeElement.id") == "plan-jump-button", "Tab reached the form before the bar"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "plan-sheet-title"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none", "no visible focus"
    assert tab.external == [] and tab.errors == []
    # The bars and the sheet, checked at this width (the other axe test is side by side). Last: axe
    # reads the stylesheets itself, and file:// refuses it with console errors of its own.
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    tab.close()
    assert not violations, describe(violations)
    # Side by side, the sheet is already in view: no bars.
    wide = OfflineBuilder(browser, site_on_disk, viewport={"width": 1280, "height": 900})
    wide.open()
    assert wide.page.is_hidden("#plan-jump-button") and wide.page.is_hidden("#plan-back-button")
    wide.close()


@pytest.mark.browser
def test_every_control_on_a_phone_is_a_24px_target_with_a_name(browser, site_on_disk):
    """A phone review (WCAG 2.5.8): the form's tick boxes were 23 px. Every control shown, doses
    and reset buttons included, is at least 24 by 24 CSS px and has a name a screen reader says."""
    tab = OfflineBuilder(browser, site_on_disk, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    tab.open(address({"e": [{"i": ex} for ex in CHOSEN]}))
    found = tab.page.evaluate("""() => [...document.querySelectorAll('.plan-builder :is(input, textarea, button)')]
        .filter(el => el.getClientRects().length)
        .map(el => { const r = el.getBoundingClientRect();
            const name = (el.labels && el.labels.length ? el.labels[0].textContent
                          : el.getAttribute('aria-label') || el.textContent).trim();
            return {id: el.id || el.outerHTML.slice(0, 60), w: r.width, h: r.height, name}; })""")
    tab.close()
    assert len(found) > 30
    small = [(c["id"], round(c["w"], 1), round(c["h"], 1)) for c in found if c["w"] < 24 or c["h"] < 24]
    assert not small, f"controls smaller than 24 x 24 px: {small}"
    assert not [c["id"] for c in found if not c["name"]], "controls without a name"


@pytest.mark.browser
def test_builder_fits_a_320px_screen(browser, site_on_disk):
    tab = OfflineBuilder(browser, site_on_disk, viewport={"width": 320, "height": 640})
    tab.open(address({"e": [{"i": ex} for ex in CHOSEN], "n": "W" * 80, "k": "x" * 120}))
    width = tab.page.evaluate("document.scrollingElement.scrollWidth")
    tab.close()
    assert width <= 320


@pytest.mark.browser
def test_builder_works_the_same_online(browser, site_server):
    """Served over http (as a host would), the same script builds, and the address carries the plan."""
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_server + PAGE + address({"e": [{"i": "bridge", "r": 9}], "n": "Online"}))
    page.wait_for_selector(".plan-builder--ready #plan-form")
    assert "Hold 5 seconds. Repeat 9 times." in page.inner_text("#plan-sheet")
    page.check("#plan-ex-walking")
    address_written(page)
    assert "walking" in base64.urlsafe_b64decode(page.url.split("v1.")[1] + "==").decode()
    page.close()
    assert errors == []


@pytest.mark.browser
def test_fast_typing_ends_with_every_word_in_the_address(builder):
    """Chromium drops history updates past ~200 in 10 s; the builder writes the address sparingly."""
    warnings = []
    builder.page.on("console", lambda m: warnings.append(m.text) if "hrottl" in m.text else None)
    builder.open()
    note = "Walk after lunch. " * 22
    builder.page.click("#plan-note")
    builder.page.keyboard.type(note)
    address_written(builder.page)
    code = builder.page.url.split("#plan=v1.")[1]
    assert json.loads(base64.urlsafe_b64decode(code + "=" * (-len(code) % 4)))["o"] == note
    assert warnings == [] and builder.errors == []


@pytest.mark.browser
def test_a_new_plan_starts_empty_and_back_brings_the_last_one(builder):
    builder.open()
    make_plan(builder)
    page = builder.page
    before = builder.form_state()
    page.click("#plan-new")
    assert "#plan=" not in page.url and not any(v is True for v in builder.form_state().values())
    assert "Back button" in page.inner_text("#plan-status")
    page.go_back()
    page.wait_for_function("document.querySelector('#plan-ex-bridge').checked")
    assert builder.form_state() == before
    assert builder.errors == []


@pytest.mark.browser
def test_a_served_plan_address_is_not_called_a_local_file(browser, site_server):
    page = browser.new_page()
    page.goto(site_server + "reference/plan-builder.html")
    page.wait_for_selector(".plan-builder--ready")
    assert page.is_hidden("#plan-address-local")
    page.close()


@pytest.mark.browser
def test_the_browsers_own_header_and_footer_print_no_plan_address(builder):
    """A physiotherapist's review: Chrome's print dialog prints headers and footers unless told
    otherwise, and at the foot of every sheet it printed the address: the whole plan, the client's
    name in it (base64 is no secret), and from a folder the practitioner's own file path; at the top
    the builder page's title. The plan's own page boxes leave the browser no room: no address, no
    site chrome, and the pages numbered instead ("Page 1 of 2"), so a missing sheet is noticed."""
    builder.open()
    make_plan(builder)
    page = builder.page
    code = page.url.split("#plan=")[1]
    page.emulate_media(media="print")
    for paper in ("A4", "Letter"):
        # Playwright's display_header_footer draws the browser's own date, title, address and page number.
        printed = pdf_pages(page.pdf(format=paper, display_header_footer=True))
        text = " ".join(printed)
        for leak in ("file:", "ﬁle:", "plan-builder.html", code[:20], "Aftercare plan builder"):
            assert leak not in text, f"{paper}: {leak!r} printed"
        assert all(f"Page {n} of {len(printed)}" in p for n, p in enumerate(printed, 1)), f"{paper}: pages not numbered"
        assert_card_first_and_whole(paper, printed, EXERCISE_NAMES[CHOSEN[0]])


@pytest.mark.browser
def test_a_right_to_left_name_keeps_the_phone_number_in_order(builder):
    """A physiotherapist's review: a practitioner's name in Hebrew or Arabic and a UK phone number on
    the "From" line ran together right to left, and "07700 900123" printed as "900123 07700": the
    client would ring a wrong number. Each typed value is isolated (<bdi>); the note follows its own
    direction."""
    builder.open(address({"p": "שרה כהן", "k": "07700 900123", "n": "محمد", "o": "مرحبا بك"}))
    left = builder.page.evaluate("""() => {
        const dd = [...document.querySelectorAll('#plan-sheet .plan-sheet__people dt')]
            .find((dt) => dt.textContent === 'From').nextElementSibling;
        const at = {};
        const walker = document.createTreeWalker(dd, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const word of ['07700', '900123']) {
                const i = node.data.indexOf(word);
                if (i < 0) continue;
                const range = document.createRange();
                range.setStart(node, i);
                range.setEnd(node, i + word.length);
                at[word] = range.getBoundingClientRect().left;
            }
        }
        return at;
    }""")
    assert left["07700"] < left["900123"], f"the phone number prints out of order: {left}"
    assert "From שרה כהן, 07700 900123" in builder.sheet_text()
    assert builder.page.evaluate("getComputedStyle(document.querySelector('.plan-sheet__note-text')).direction") == "rtl"
    assert builder.errors == []


@pytest.mark.browser
def test_a_published_plan_says_where_to_read_the_guide(builder, site_on_disk):
    """On paper, with no website: the plan says where the guide is, once it has an address (SITE_URL,
    shipped in the data: test_a_published_guide_gives_its_address_to_the_plan); unpublished, none."""
    builder.open(address({"e": [{"i": "bridge"}]}))
    assert "Read the guide" not in builder.sheet_text()
    page_file = site_on_disk / PAGE
    published = page_file.with_name("plan-builder-published.html")
    html = page_file.read_text(encoding="utf-8")
    assert html.count('"url":""') == 1
    published.write_text(html.replace('"url":""', '"url":"https://guide.example-clinic.org/"'), encoding="utf-8")
    try:
        builder.url = published.as_uri()
        builder.open(address({"e": [{"i": "bridge"}]}))
        builder.page.emulate_media(media="print")
        text = " ".join(pdf_pages(builder.page.pdf(format="A4")))
    finally:
        published.unlink()
    assert re.search(r"guide updated \d+ \w+ \d{4}\. Read the guide: https://guide\.example-clinic\.org/", text), text[-300:]
    assert builder.external == [] and builder.errors == []


@pytest.mark.browser
def test_a_long_guide_address_stays_on_the_sheet_on_a_phone_and_on_paper(browser, site_on_disk):
    """A hospital's address with a path (SITE_URL) is longer than a phone's line: kept on one line
    (white-space: nowrap), it ran 480 px past a 320 px screen, so the whole builder page scrolled
    sideways, and on paper its end was lost. It breaks at the line's end now, never at a hyphen."""
    long_url = "https://www.hospital-trust-physiotherapy.nhs.uk/patient-information/psoas-guide/"
    page_file = site_on_disk / PAGE
    published = page_file.with_name("plan-builder-long-address.html")
    published.write_text(page_file.read_text(encoding="utf-8").replace('"url":""', f'"url":"{long_url}"'), encoding="utf-8")
    tab = OfflineBuilder(browser, site_on_disk, viewport={"width": 320, "height": 740}, is_mobile=True, has_touch=True)
    try:
        tab.url = published.as_uri()
        tab.open(address({"e": [{"i": "bridge"}]}))
        page = tab.page
        assert page.inner_text(".plan-sheet__url") == long_url
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], f"the page scrolls sideways at 320 px: {widths}"
        url, sheet = page.locator(".plan-sheet__url").bounding_box(), page.locator("#plan-sheet").bounding_box()
        assert url and sheet and url["x"] + url["width"] <= sheet["x"] + sheet["width"], (url, sheet)
        page.emulate_media(media="print")
        paper = "".join(" ".join(pdf_pages(page.pdf(format="A4"))).split())
        assert long_url in paper, paper[-300:]
        assert tab.external == [] and tab.errors == []
    finally:
        tab.close()
        published.unlink()


def contrast(fg: str, bg: str) -> float:
    """WCAG contrast of two opaque computed colours ("rgb(r, g, b)")."""
    def luminance(colour: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", colour)[:3]]
        r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    high, low = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.browser
def test_dark_mode_buttons_stay_readable_when_tapped_hovered_or_focused(browser, site_on_disk):
    """A physiotherapist's review on a phone in dark mode: after tapping "See the plan", the "Back to
    the form" bar sits under the same thumb, hovered, and read light teal on salmon (1.02:1): a blank
    bar. "Start a new plan" and "Copy the address" did the same under a mouse or the keyboard's focus,
    and so did every outlined button of the guide (guide.css); Material's own white on that light
    accent was 1.8:1 (a chapter's PDF button, print.css, in the light palette too)."""
    tab = OfflineBuilder(browser, site_on_disk, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                         color_scheme="dark")
    try:
        tab.open(address({"e": [{"i": "bridge"}]}))
        page = tab.page
        page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")  # the colours at once
        page.click("#plan-jump-button")
        found = {}
        for how, button in [("hover", "#plan-back-button"), ("hover", "#plan-new"), ("focus", "#plan-copy"), ("hover", "#plan-copy")]:
            page.focus("#plan-sheet-title")
            getattr(page, how)(button)
            found[f"{button} ({how})"] = page.evaluate("""(selector) => { const style = getComputedStyle(document.querySelector(selector));
                return [style.color, style.backgroundColor]; }""", button)
        # The same rule, site-wide (guide.css), and a chapter's outlined PDF button (print.css) in both palettes.
        for scheme in ("dark", "light"):
            page.emulate_media(color_scheme=scheme)
            page.goto((site_on_disk / "before" / "is-it-safe.html").as_uri())
            page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
            pdf_button = ".handout-link__button:not(.md-button--primary)"
            assert page.locator(pdf_button).count() >= 1
            page.hover(pdf_button)
            found[f"chapter PDF button ({scheme}, hover)"] = page.evaluate("""(selector) => { const style = getComputedStyle(document.querySelector(selector));
                return [style.color, style.backgroundColor]; }""", pdf_button)
        low = {name: round(contrast(*colours), 2) for name, colours in found.items() if contrast(*colours) < 4.5}
        assert not low, f"button text below 4.5:1: {low} {found}"
        assert tab.errors == []
    finally:
        tab.close()


@pytest.mark.browser
def test_names_and_date_left_empty_print_lines_to_write_on(builder):
    """A physiotherapist's review: the page suggests keeping the client's name out of the address, but
    a plan with no name, practitioner or date printed no "For", "From" or "Date" at all: nowhere to
    write them by hand, and a client with no one named to ask. Each prints as a line to fill in."""
    builder.open(address({"e": [{"i": "bridge"}], "p": "Alex Physio"}))
    page = builder.page
    people = page.evaluate("""() => [...document.querySelectorAll('#plan-sheet .plan-sheet__people dt')].map((dt) => {
        const box = dt.nextElementSibling.getBoundingClientRect();
        return [dt.textContent, dt.nextElementSibling.classList.contains('plan-sheet__blank'), box.width, box.height]; })""")
    assert [p[:2] for p in people] == [["For", True], ["From", False], ["Date", True]], people
    assert all(width > 100 and height > 15 for _, blank, width, height in people if blank), people
    page.emulate_media(media="print")
    for paper in ("A4", "Letter"):
        first = pdf_pages(page.pdf(format=paper))[0]
        assert re.search(r"For From Alex Physio Date", first), f"{paper}: {first[:200]}"
        assert "to fill in" not in first  # said to a screen reader only
    assert builder.errors == []
