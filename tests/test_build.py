"""The real site builds strictly, reflects its data, and bad input stops the build with a clear message."""
from __future__ import annotations

import datetime as dt
import re

from conftest import build, html_pages


def test_strict_build_passes(built_site):
    assert (built_site.site / "index.html").exists()
    assert "WARNING" not in built_site.output


def test_no_unrendered_jinja_left(built_site):
    for page in html_pages(built_site.site):
        text = page.read_text(encoding="utf-8")
        assert "{{" not in text and "{%" not in text, f"{page} has an unrendered macro"
        assert 'markdown="' not in text, f"{page} has an md_in_html attribute left over"


def test_pages_show_generated_checklists_and_tables(built_site):
    home = built_site.page("index.html")
    assert 'id="checklist-safety-check"' in home
    # The effects table lives on its chapter only; the home page links there.
    assert 'id="benefits-immediate"' not in home
    assert 'id="benefits-immediate"' in built_site.page("aftercare/immediate-effects.html")
    maintain = built_site.page("aftercare/maintaining-psoas-health.html")
    assert maintain.count("<table>") == 5  # 4 routines and the benefits table
    assert 'href="exercises.html#ex-bridge"' in maintain
    assert 'id="benefits-long-term"' in maintain and 'id="checklist-aftercare"' in maintain


def test_data_change_changes_the_page(project_copy, tmp_path):
    data = project_copy / "data" / "exercises.yml"
    data.write_text(data.read_text().replace("name: Bridge\n", "name: Glute bridge on the floor\n"))
    result = build(project_copy, tmp_path / "site")
    assert result.returncode == 0, result.output
    assert "Glute bridge on the floor" in result.page("aftercare/maintaining-psoas-health.html")


def test_html_in_data_is_shown_as_text(project_copy, tmp_path):
    data = project_copy / "data" / "checklists.yml"
    data.write_text(data.read_text().replace(
        "text: I drink water and eat as normal.",
        'text: "I drink <script>alert(1)</script> <b>water</b> { onclick=alert(1) }"'))
    result = build(project_copy, tmp_path / "site")
    assert result.returncode == 0, result.output
    page = result.page("aftercare/maintaining-psoas-health.html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;water&lt;/b&gt;" in page
    assert "<script>alert(1)" not in page
    # The attribute-list text shows as typed and adds no attribute (text.safe() uses character references).
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(page, "html.parser")
    assert not soup.find(attrs={"onclick": True})
    assert "I drink <script>alert(1)</script> <b>water</b> { onclick=alert(1) }" in soup.get_text()


def test_unknown_id_in_macro_fails_and_page_is_not_published(project_copy, tmp_path):
    page = project_copy / "docs" / "aftercare" / "maintaining-psoas-health.md"
    page.write_text(page.read_text().replace('routine_table("weekly")', 'routine_table("weekley")'))
    result = build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert "unknown routine id 'weekley'" in result.output and "Did you mean: weekly" in result.output
    assert "maintaining-psoas-health.md" in result.output
    assert not (tmp_path / "site" / "aftercare" / "maintaining-psoas-health.html").exists()


def test_every_page_has_review_dates_and_notice(built_site):
    for page in html_pages(built_site.site):
        text = page.read_text(encoding="utf-8")
        assert "Not medical advice." in text, page
        assert re.search(r"Written or updated: <time datetime=\"\d{4}-\d\d-\d\d\"", text), page
        updated = re.search(r"Written or updated: <time datetime=\"(\d{4}-\d\d-\d\d)\">(\d+ \w+ \d{4})</time>", text)
        due = re.search(r"Next planned review: <time datetime=\"(\d{4}-\d\d-\d\d)\">(\d+ \w+ \d{4})</time>", text)
        assert updated and due, f"{page}: review dates missing or not written out in words"
        # No comparison with today: that would fail on a future day. Overdue reviews are the
        # build's job (issue 14), not a test's.
        assert dt.date.fromisoformat(due.group(1)) > dt.date.fromisoformat(updated.group(1)), page


def test_glossary_terms_are_explained_on_first_use_only(built_site):
    page = built_site.page("before/understanding-the-psoas.html")
    terms = [t.casefold() for t in re.findall(r'<abbr title="[^"]+">([^<]+)</abbr>', page)]
    assert "psoas" in terms and "iliacus" in terms
    assert len(terms) == len(set(terms)), "a glossary term is marked more than once on the page"
    assert not re.search(r"<h([1-6])\b[^>]*>(?:(?!</h\1>).)*<abbr", page, re.S), "a heading carries a tooltip"
