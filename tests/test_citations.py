"""Citing a finding: markup, errors, the Sources page entries and the cited-on markers.

Units on the real data first; the last tests check the built site, where every citation of a
finding must land on that finding's anchor on the Sources page, with the finding's text there."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from macros import citations
from macros.data import DataError, load_data

ROOT = Path(__file__).resolve().parents[1]
DATA = load_data(ROOT / "data")
PAGE = "aftercare/posture-and-mobility.md"


def test_cite_a_finding_links_its_anchor_and_names_source_and_finding():
    out = citations.cite(DATA.sources, ["watt-2011-hip-flexor-stretch:stride-stiffest"], PAGE)
    assert out == (
        "([Watt and colleagues, PM&amp;R, 2011](../reference/sources.md#src-watt-2011-hip-flexor-stretch-stride-stiffest)"
        '{ .cite data-source="watt-2011-hip-flexor-stretch" data-finding="stride-stiffest" })')


def test_several_findings_of_one_source_are_each_named():
    # The name linked to the first finding and only the later ones were named: on paper (no links)
    # "(Bartsch and colleagues, 2021: cautions)" hid that the contraindications were cited too.
    out = citations.cite(DATA.sources, ["wu-2021-mfr-back-pain:pain", "wu-2021-mfr-back-pain:function"], PAGE)
    text = re.sub(r"\]\([^)]*\)\{[^}]*\}", "", out).replace("[", "")
    assert text.endswith(": pain, function)"), text
    assert out.count('data-finding="pain"') == 2 and out.count('data-finding="function"') == 1
    # A whole source cited beside its findings is the name, not an empty link after it.
    out = citations.cite(DATA.sources, ["nhs-aaa", "nhs-aaa:burst"], PAGE)
    assert "[](" not in out and out.startswith("([NHS") and ": [burst](" in out, out


def test_many_sources_of_one_publisher_and_year_each_get_their_own_letters():
    """Author-year letters run a..z, then aa, ab: a 27th NHS page of one year raised an IndexError."""
    one = next(iter(DATA.sources.values()))
    many = {f"s{n}": one.model_copy(update={"id": f"s{n}"}) for n in range(30)}
    names = citations.labels(many)
    assert [names[f"s{n}"].rsplit(", ", 1)[1][4:] for n in (0, 25, 26, 29)] == ["a", "z", "aa", "ad"]
    assert len(set(names.values())) == 30


def test_a_finding_cited_twice_is_named_once():
    """A ref given twice (a copied line in a data list) printed "(NHS, 2024a: burst, burst)"."""
    once = citations.cite(DATA.sources, ["nhs-aaa:burst"], PAGE)
    assert citations.cite(DATA.sources, ["nhs-aaa:burst", "nhs-aaa:burst"], PAGE) == once
    two = citations.cite(DATA.sources, ["wu-2021-mfr-back-pain:pain", "wu-2021-mfr-back-pain:function"], PAGE)
    assert citations.cite(DATA.sources, ["wu-2021-mfr-back-pain:pain", "wu-2021-mfr-back-pain:function",
                                         "wu-2021-mfr-back-pain:pain"], PAGE) == two


def test_unknown_finding_names_page_source_and_valid_findings():
    with pytest.raises(DataError) as info:
        citations.cite(DATA.sources, ["watt-2011-hip-flexor-stretch:longer-stride"], PAGE)
    msg = str(info.value)
    assert PAGE in msg and "cite('watt-2011-hip-flexor-stretch:longer-stride')" in msg
    assert "source 'watt-2011-hip-flexor-stretch'" in msg
    assert "hip-extension, stride-stiffest" in msg and "Fix" in msg


def test_unknown_source_in_a_finding_ref_suggests_nearest():
    with pytest.raises(DataError, match=r"unknown source id 'watt-2011-hip-flexor'.*Did you mean: watt-2011-hip-flexor-stretch"):
        citations.cite(DATA.sources, ["watt-2011-hip-flexor:hip-extension"], PAGE)


def test_source_list_markup_per_source_and_finding():
    out = citations.source_list(DATA.sources, "reference/sources.md")
    soup = BeautifulSoup(out, "html.parser")
    watt = soup.find(id="src-watt-2011-hip-flexor-stretch")
    finding = soup.find(id="src-watt-2011-hip-flexor-stretch-hip-extension")
    assert finding is not None and finding.find_parent("li") is watt
    assert "82" in finding.get_text() and "hip extension improved" in finding.get_text()
    # The markers the pipeline fills (pipeline/postprocess.py), for the source and for each finding.
    assert "Cited on: <!-- cited-on:watt-2011-hip-flexor-stretch -->." in out
    assert "Cited on: <!-- cited-on:watt-2011-hip-flexor-stretch:hip-extension -->." in out
    assert out.count("<!-- cited-on:") == len(DATA.sources) + sum(len(s.findings) for s in DATA.sources.values())


def test_source_list_reading_links_each_have_their_own_name():
    """A screen reader's list of links showed six "doi.org" and eight "pubmed.ncbi.nlm.nih.gov", with
    nothing to tell them apart. Each reading link's name starts with the words it shows (WCAG 2.5.3)
    and names its source."""
    out = citations.source_list(DATA.sources, "reference/sources.md")
    links = BeautifulSoup(out, "html.parser").select("a.source-list__link")
    names = [a.get("aria-label") or a.get_text() for a in links]
    assert len(links) == len(DATA.sources) and len(set(names)) == len(names), sorted(names)
    assert all(name.startswith(a.get_text()) for name, a in zip(names, links, strict=True))
    assert "pubmed.ncbi.nlm.nih.gov: Ernst, Rheumatology, 2003" in names


def test_source_list_escapes_data(monkeypatch):
    evil = DATA.sources["nhs-aaa"].model_copy(update={"title": "<script>x</script>"})
    out = citations.source_list({"nhs-aaa": evil}, "reference/sources.md")
    assert "<script>" not in out and html.escape("<script>") in out


def test_psoas_minor_source_is_the_cureus_cadaver_study():
    src = DATA.sources["psoas-minor-prevalence"]
    assert src.publisher == "Cureus" and src.year == 2018
    assert any("10 donated bodies" in f.text and "60%" in f.text for f in src.findings)


def test_search_statement_is_dated_and_lists_registered_trials():
    out = citations.search_statement(DATA, "psoas-release-trials", "reference/sources.md", names=True)
    # Every place the listed trials came from is named: one is only in the Iranian registry.
    assert out.startswith("We searched PubMed, ClinicalTrials.gov and the World Health Organization's trial search "
                          "on 24 November 2026")
    assert "no published trial of psoas release on its own" in out
    for number in ("NCT06267404 (finished in 2025)", "NCT06994364", "IRCT20201108049305N1", "NCT04760366"):
        assert number in out
    assert 'data-finding="no-results"' in out
    # A chapter's reader gets the count and the citations, not five registration numbers.
    plain = citations.search_statement(DATA, "psoas-release-trials", "index.md")
    assert "Five trials are listed in trial registers, but we found no published results (" in plain
    assert "NCT06994364" not in plain.split("(", 1)[0] and 'data-finding="no-results"' in plain



def test_a_search_link_takes_its_date_from_the_data():
    out = citations.search_link(DATA, "psoas-release-trials", "aftercare/immediate-effects.md")
    assert out.startswith("([our search, 24 November 2026](../reference/sources.md#search-psoas-release-trials)")


def test_pages_link_a_search_with_the_macro_not_a_typed_date():
    """A date typed beside the link stays behind when the search is run again (a review found some
    links with the date, some without)."""
    typed = [f"{path.relative_to(ROOT)}:{n}" for path in (ROOT / "docs").rglob("*.md")
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if "[our search" in line]
    assert not typed, "use {{ search_link(\"id\") }}: " + ", ".join(typed)

# --- grades follow the guide's own definitions (docs/reference/about.md) ---------------------------

def test_grades_match_what_the_sources_found():
    benefits = {b.id: b for g in DATA.benefit_groups.values() for b in g.items}
    assert DATA.causes["stress"].grade == "anecdotal"  # no study tested it: anecdotal, not "not supported"
    assert benefits["longer-stride"].grade != "supported"  # only the stiffest walkers
    assert "stride" not in benefits["hip-extension"].text.lower()
    assert benefits["keeps-moving"].grade == "anecdotal"
    assert "nice-ng59" not in " ".join(s for s in benefits["keeps-moving"].sources if not s.endswith(":exercise"))
    trunk = next(f.text for f in DATA.sources["wu-2021-mfr-back-pain"].findings if f.id == "trunk-mobility")
    assert "not significant" in trunk and "SMD 1.02" in trunk and "p = 0.07" in trunk and "I² = 92%" in trunk


def test_registry_entries_never_back_an_absence_claim():
    """A registration shows a trial was planned; 'no study' sentences point to the dated search instead."""
    registries = {s.id for s in DATA.sources.values() if s.kind == "registry"}
    for group in DATA.benefit_groups.values():
        for b in group.items:
            assert not {r.partition(":")[0] for r in b.sources} & registries, b.id
    for cause in DATA.causes.values():
        assert not {r.partition(":")[0] for r in cause.sources} & registries, cause.id


def test_fixed_citations_in_data():
    ex = DATA.exercises
    for ident in ("dead-bug", "constructive-rest"):
        assert not any(r.startswith("nhs-inform") for r in ex[ident].sources), ident
    assert ex["constructive-rest"].sources == [] and "Alexander" in ex["constructive-rest"].evidence_note
    assert all(r.startswith(("acsm-stretching:", "acsm-2011-position-stand:")) for r in ex["lying-hip-flexor-stretch"].sources)
    assert not any(r.startswith("hatefi") for r in ex["half-kneeling-stretch"].sources)
    walk_item = next(i for i in DATA.checklists["aftercare"].items if "walk" in i.text)
    assert not any(r.startswith("walkback") for r in walk_item.sources)


# --- the built site ----------------------------------------------------------------------------------

def _pages(site: Path):
    for path in sorted(site.rglob("*.html")):
        if "assets" not in path.parts and "handouts" not in path.parts:
            yield path


def test_every_citation_of_a_finding_lands_on_that_finding(built_site):
    site = built_site.site
    sources = BeautifulSoup((site / "reference" / "sources.html").read_text(encoding="utf-8"), "html.parser")
    checked = 0
    for path in _pages(site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for link in soup.select("article a.cite"):
            if "cite--search" in link.get("class", []):
                continue
            ident = link.get("data-source")
            assert ident in DATA.sources, f"{path.name}: citation without a valid data-source: {link}"
            finding = link.get("data-finding")
            target = link["href"].split("#")[1]
            assert link["href"].split("#")[0].endswith("sources.html"), link["href"]
            if not finding:
                assert target == f"src-{ident}"
                continue
            assert target == f"src-{ident}-{finding}"
            entry = sources.find(id=target)
            assert entry is not None, f"{path.name}: #{target} is not on the Sources page"
            text = next(f.text for f in DATA.sources[ident].findings if f.id == finding)
            assert " ".join(text.split()) in " ".join(entry.get_text(" ").split()), target
            checked += 1
    assert checked >= 60, f"only {checked} finding citations found"


def test_no_absence_claim_cites_a_registry_or_says_no_trial_tested(built_site):
    site = built_site.site
    for path in _pages(site):
        rel = path.relative_to(site).as_posix()
        if rel == "before/is-it-safe.html":  # owned by the safety work; it will use the same statement
            continue
        text = " ".join(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").get_text(" ").split())
        assert not re.search(r"No trial has (yet )?tested psoas release", text), rel
        assert "Tick what you notice" not in text, rel


def test_dated_search_statement_is_on_the_sources_page(built_site):
    page = built_site.page("reference/sources.html")
    soup = BeautifulSoup(page, "html.parser")
    heading = soup.find(id="search-psoas-release-trials")
    assert heading is not None
    assert "24 November 2026" in heading.find_next("p").get_text()


def test_unknown_finding_on_a_page_fails_the_strict_build(project_copy, tmp_path):
    from conftest import build
    page = project_copy / "docs" / "aftercare" / "posture-and-mobility.md"
    text = page.read_text(encoding="utf-8")
    assert 'cite("vigotsky-2016-thomas-test:not-valid")' in text
    page.write_text(text.replace('cite("vigotsky-2016-thomas-test:not-valid")', 'cite("vigotsky-2016-thomas-test:invalid")'),
                    encoding="utf-8")
    result = build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert "aftercare/posture-and-mobility.md" in result.output
    assert "finding 'invalid' of source 'vigotsky-2016-thomas-test'" in result.output and "not-valid" in result.output
    assert not (tmp_path / "site" / "aftercare" / "posture-and-mobility.html").exists()


def test_several_findings_of_one_source_name_it_once():
    out = citations.cite(DATA.sources, ["wu-2021-mfr-back-pain:pain", "wu-2021-mfr-back-pain:trunk-mobility",
                                        "chen-2021-mfr-back-pain:disability"], PAGE)
    assert out.count("Wu and colleagues") == 1 and out.count("Chen and colleagues") == 1
    assert "[trunk mobility](../reference/sources.md#src-wu-2021-mfr-back-pain-trunk-mobility)" in out
    assert out.count('data-source="wu-2021-mfr-back-pain"') == 3  # the name, "pain" and "trunk mobility"


def test_sources_page_lists_the_pages_citing_each_finding(built_site):
    """The pipeline fills each finding's cited-on marker from the links the built pages carry."""
    soup = BeautifulSoup(built_site.page("reference/sources.html"), "html.parser")
    stride = soup.find(id="src-watt-2011-hip-flexor-stretch-stride-stiffest")
    hrefs = [a["href"] for a in stride.select(".cited-on a")]
    assert hrefs == ["../aftercare/posture-and-mobility.html"]
    assert "<!-- cited-on:" not in str(soup)


SOURCE_LISTS = ("sources", "closing_sources", "registered")
# A source's own findings define what may be cited; they are not citations.
NOT_CITATIONS = ("findings",)


def _bare_refs(node, where: str):
    """(where, ref) for each source reference in raw YAML that names no finding."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in SOURCE_LISTS and isinstance(value, list) and all(isinstance(v, str) for v in value):
                yield from ((f"{where}.{key}", ref) for ref in value if ":" not in ref)
            elif key not in NOT_CITATIONS:
                yield from _bare_refs(value, f"{where}.{key}")
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from _bare_refs(value, f"{where}[{n}]")


def test_every_citation_names_the_finding_it_rests_on():
    """A citation is a promise about one finding. A source cited whole hides which finding backs
    the sentence, and the Sources page then shows its findings as "not cited yet". (What pages and
    data write; the care card's one Sources line names whole sources on purpose, as a summary of
    the boxes that cite the findings.)"""
    import yaml

    bare = [f"docs/{md.relative_to(ROOT / 'docs')}: {ref}"
            for md in sorted((ROOT / "docs").rglob("*.md"))
            for call in re.findall(r"cite\(([^)]*)\)", md.read_text(encoding="utf-8"))
            for ref in re.findall(r'"([^"]+)"', call) if ":" not in ref]
    for path in sorted((ROOT / "data").glob("*.yml")):
        bare += [f"{path.name} {where}: {ref}" for where, ref in _bare_refs(yaml.safe_load(path.read_text()), "")]
    assert not bare, "name the finding, as 'source-id:finding-id':\n" + "\n".join(bare)
