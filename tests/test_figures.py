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
    anatomy = built_site.page("before/understanding-the-psoas.html")
    exercises = built_site.page("aftercare/exercises.html")
    for fig in DATA.figures.values():
        page = exercises if fig.id.startswith("ex-") else anatomy
        match = re.search(rf'<img alt="([^"]+)"[^>]* src="[^"]*{re.escape(fig.src)}"', page)
        assert match and len(match.group(1)) >= 20, f"{fig.id} is not shown with its alt text"
    assert anatomy.count("<figcaption>") >= 2 and exercises.count("<figcaption>") == len(DATA.exercises)
