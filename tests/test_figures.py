"""Figures: every one is used, self-contained, titled, and shown with alt text and a caption."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from conftest import ROOT
from macros.data import load_data

DATA = load_data(ROOT / "data")
SVG = "{http://www.w3.org/2000/svg}"


def test_every_exercise_has_a_figure():
    assert all(ex.figure for ex in DATA.exercises.values())


def test_svgs_are_self_contained_and_titled():
    for fig in DATA.figures.values():
        path = ROOT / "docs" / fig.src
        text = path.read_text(encoding="utf-8")
        root = ET.fromstring(text)
        assert root.get("role") == "img" and root.find(f"{SVG}title") is not None, fig.src
        assert root.get("viewBox"), fig.src
        # Nothing that would load from elsewhere or fail in WeasyPrint.
        assert not re.search(r"<script|foreignObject|href=\"http|url\(http|var\(--", text), fig.src


def test_labels_stay_legible_at_320px():
    """Smallest text at least 12 CSS px when the figure is shown 320 px wide."""
    for fig in DATA.figures.values():
        root = ET.parse(ROOT / "docs" / fig.src).getroot()
        width = float(root.get("viewBox").split()[2])
        sizes = [float(re.sub(r"[a-z]+", "", el.get("font-size")))
                 for el in root.iter() if el.get("font-size")]
        assert sizes, f"{fig.src} has no sized text"
        assert min(sizes) * 320 / width >= 12, f"{fig.src}: smallest label too small at 320 px"


def test_figures_render_with_alt_text_and_caption(built_site):
    """Every figure in data/figures.yml is shown on some page, with its alt text and a caption."""
    site = built_site.site
    pages = {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
             for p in site.rglob("*.html") if "assets" not in p.parts}
    for fig in DATA.figures.values():
        shown = [name for name, page in pages.items()
                 if re.search(rf'<img alt="([^"]{{20,}})"[^>]* src="[^"]*{re.escape(fig.src)}"', page)]
        assert shown, f"{fig.id} is not shown with its alt text on any page"
    anatomy = pages["before/understanding-the-psoas.html"]
    exercises = pages["aftercare/exercises.html"]
    assert anatomy.count("<figcaption>") >= 2
    assert exercises.count("<figcaption>") == len(DATA.exercises) + 1  # one per exercise, and the floor steps


# Where each new figure belongs (issue 10, section 4): the page where a reader needs it.
NEW_FIGURES = {
    "thomas-test": "aftercare/posture-and-mobility.html",
    "pelvic-tilt-positions": "aftercare/posture-and-mobility.html",
    "breathing-position": "before/preparing.html",
    "tool-areas": "before/preparing.html",
    "pain-scale": "before/during-a-release.html",
    "floor-transfer": "aftercare/exercises.html",
}


def test_new_figures_are_on_the_page_that_needs_them(built_site):
    for fig_id, page in NEW_FIGURES.items():
        assert DATA.figures[fig_id].src in built_site.page(page), (fig_id, page)


def test_depth_figure_says_which_side_is_which():
    """The text says the aorta is on your left; on a scan-style slice, that is the picture's right."""
    root = ET.parse(ROOT / "docs" / DATA.figures["psoas-depth"].src).getroot()
    texts = {("".join(t.itertext())).strip(): float(t.get("x")) for t in root.iter(f"{SVG}text")}
    assert texts["left"] > 320 > texts["right"]  # "Your left" on the picture's right
    assert texts["Aorta"] > 320 > texts["Vena cava"]
    assert "your left" in DATA.figures["psoas-depth"].alt


def test_lying_stretch_text_matches_its_figure():
    ex = DATA.exercises["lying-hip-flexor-stretch"]
    words = " ".join(ex.steps + [ex.summary]) + DATA.figures[ex.figure].alt
    assert "end of" in words and "side of the bed" not in words and "edge of a" not in words


def test_pressure_card_has_an_instruction_for_every_level_above_the_aim():
    """Aim for 3 or 4; every box from 5 up is striped and "ask for less" (no level without one),
    and the card's stop list names feeling sick, as the care card does, and the emergency signs with 999."""
    root = ET.parse(ROOT / "docs" / DATA.figures["pain-scale"].src).getroot()
    boxes = [r for r in root.iter(f"{SVG}rect") if r.get("y") == "66"]
    striped = [n for n, r in enumerate(boxes) if "stripes" in (r.get("fill") or "")]
    assert len(boxes) == 11 and striped == list(range(5, 11)), striped
    words = " ".join(" ".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert "5 to 10 (striped): too strong, ask for less" in words and "faint or sick" in words
    # On its own (a client's pocket, no website) the card still says when to call for help.
    assert "call 999, 911 or 112 now" in words and "Very bad tummy or back pain" in words
    assert "at 5 or more, ask for less" in DATA.figures["pain-scale"].caption
