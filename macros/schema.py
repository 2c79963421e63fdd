"""Pydantic models for every file in data/: one schema per file, strict about unknown keys."""
from __future__ import annotations

from datetime import date as date_type
import datetime as dt
import re
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, StringConstraints, field_validator, model_validator

from . import clock
from .placeholders import placeholder_in
from .text import markup_problem, without_format_chars

Grade = Literal["supported", "limited", "anecdotal", "not-supported"]
# The three levels of help in data/safety.yml, most urgent first: named once, here.
HelpLevel = Literal["emergency", "urgent", "routine"]
URGENCY: tuple[str, ...] = get_args(HelpLevel)
# The levels that send a reader for help now (a warning sign after a session, a get-help line, a red flag).
GetHelpLevel = Literal["emergency", "urgent"]
GET_HELP_LEVELS: tuple[str, ...] = get_args(GetHelpLevel)

# Each pattern below -> what it allows, in plain words: a load error says this, not the regular expression.
PATTERN_WORDS: dict[str, str] = {}


def pattern(regex: str, words: str) -> str:
    PATTERN_WORDS[regex] = words
    return regex


Slug = Field(pattern=pattern(r"^[a-z0-9]+(-[a-z0-9]+)*$", "lower-case letters and digits, words joined by hyphens, "
                             "e.g. 'nhs-back-pain'"), description="lower-case words joined by hyphens")


class Strict(BaseModel):
    # Unknown keys are almost always typos ("soruces"); reject them rather than ignore them.
    # Text is stripped and must not be blank: " " prints as a missing word ("Emergency: ", "(, 2024)").
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, str_min_length=1)


# Text whose default "" deliberately means "none" (no closing line, no intro): it may be left empty.
OptionalText = Annotated[str, StringConstraints(min_length=0)]


class Finding(Strict):
    """What a source found, in plain words with its design and size, e.g. '82 adults; ...'.
    Pages cite a finding, so a reviewer can read the claim and the finding side by side."""
    id: str = Slug
    text: str = Field(min_length=10)
    urgency: HelpLevel | None = Field(default=None, description=(
        "when the source itself says to get help this fast (999, same day, a GP visit): a warning sign that "
        "cites this finding may not sit at a less urgent level in data/safety.yml"))


class Source(Strict):
    id: str = Slug
    title: str
    publisher: str
    year: int = Field(ge=1900, le=2100)
    url: HttpUrl
    kind: Literal["guideline", "review", "trial", "study", "reference", "consensus", "patient-information", "registry", "commentary"]
    short_name: OptionalText = Field(default="", description="what a reader calls it in running text, e.g. a trial registration number")
    findings: list[Finding] = Field(min_length=1, description="what it found, each with its own id")

    @field_validator("url")
    @classmethod
    def _https_only(cls, url: HttpUrl) -> HttpUrl:
        if url.scheme != "https":
            raise ValueError("use an https:// address")
        return url


class EvidenceSearch(Strict):
    """A dated literature search, so "we found no trial" says what was searched, when and what turned up."""
    id: str = Slug
    topic: str = Field(description="what we looked for, e.g. 'trials of psoas release'")
    date: dt.date
    searched: list[str] = Field(min_length=1, description="databases and registries searched")
    found: str = Field(description="what the search found, in plain words")
    registered: list[str] = Field(default=[], description="source ids of registered trials without published results")

    @field_validator("date")
    @classmethod
    def _not_in_the_future(cls, day: dt.date) -> dt.date:
        # Pages print it: "We searched PubMed ... on 24 November 2062" (a typo for 2026) read as fact.
        today = clock.today()  # GUIDE_TODAY, as for every date check
        if day > today:
            raise ValueError(f"{day} is in the future (today is {today}): a search is dated when it is run. "
                             "Fix: give the date the search was run")
        return day


class SourcesFile(Strict):
    sources: list[Source] = Field(min_length=1)
    searches: list[EvidenceSearch] = []


class Benefit(Strict):
    id: str = Slug
    text: str
    grade: Grade
    evidence: str = Field(description="one plain sentence on what the evidence says")
    sources: list[str] = Field(default=[], description="source ids or 'id:finding' that back the evidence sentence")
    search: str | None = Field(default=None, description="a search id from data/sources.yml, when the sentence says we found no study")
    reported: OptionalText = Field(default="", description="what people say they notice, for the 'people report' column")


class BenefitGroup(Strict):
    id: str = Slug
    title: str
    items: list[Benefit] = Field(min_length=1)


class BenefitsFile(Strict):
    groups: list[BenefitGroup] = Field(min_length=1)


class ChecklistItem(Strict):
    text: str
    sources: list[str] = []


class Checklist(Strict):
    id: str = Slug
    title: str
    intro: OptionalText = ""
    items: list[ChecklistItem] = Field(min_length=1)


class ChecklistsFile(Strict):
    checklists: list[Checklist] = Field(min_length=1)


class Dose(Strict):
    """How much and how often. The text fields are shown to readers; per_day and days_per_week are
    the same "how often" as numbers, so routines can be checked against it (and the plan builder
    can add it up). minutes is for exercises done for a time rather than counted."""
    hold_seconds: str | None = None
    hold_seconds_older_adults: str | None = Field(default=None, description="the longer hold the guide gives older "
                                                  "adults; the plan builder names it beside the usual most")
    reps: str | None = None
    sets: str | None = None
    minutes: str | None = None
    frequency: str
    per_day: int | None = Field(default=None, ge=1, le=24, description="times a day, on the days you do it")
    days_per_week: int | None = Field(default=None, ge=1, le=7, description="days a week (the least to aim for)")


class Figure(Strict):
    id: str = Slug
    src: str = Field(pattern=pattern(r"^assets/figures/[a-z0-9-]+\.svg$", "a path like 'assets/figures/bridge.svg' "
                                     "(lower-case letters, digits and hyphens, ending .svg)"), description="path under docs/")
    alt: str = Field(min_length=20, description="what the picture teaches, for people who cannot see it")
    caption: str


class FiguresFile(Strict):
    figures: list[Figure] = Field(min_length=1)


class Exercise(Strict):
    id: str = Slug
    name: str
    summary: str
    steps: list[str] = Field(min_length=1)
    dose: Dose
    cautions: list[str] = []
    sources: list[str] = Field(default=[], description="source ids or 'id:finding'; empty only with an evidence_note")
    evidence_note: OptionalText = Field(default="", description="what the exercise and its dose rest on, when that is practical advice rather than trials")
    figure: str | None = Field(default=None, description="a figure id from data/figures.yml")
    # No default: a line lost in an edit would silently drop the pregnancy caution.
    on_back: bool = Field(description="done lying on the back: it then carries the pregnancy "
                                                     "caution from data/safety.yml (pregnancy.caution)")


class RoutineStep(Strict):
    exercise: str
    dose: Dose | None = Field(default=None, description="overrides the exercise's own dose")
    steps: list[str] | None = Field(default=None, min_length=1,
                                    description="overrides the exercise's own steps, when this routine's dose "
                                                "changes what to do (a 2-minute walk, not a 30-minute one)")


class Routine(Strict):
    id: str = Slug
    name: str
    when: str
    minutes: int = Field(gt=0, le=120)
    per_day: int = Field(ge=1, le=24, description="times a day the whole routine is done, on its days")
    days_per_week: int = Field(ge=1, le=7, description="days a week the routine is done (the least to aim for)")
    steps: list[RoutineStep] = Field(min_length=1)


class ExercisesFile(Strict):
    exercises: list[Exercise] = Field(min_length=1)
    routines: list[Routine] = Field(min_length=1)


class Cause(Strict):
    id: str = Slug
    name: str
    self_check: OptionalText = Field(default="", description="a line the reader may tick in the self-check list")
    grade: Grade
    evidence: str
    sources: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _no_tick_for_a_cause_not_found(self) -> "Cause":
        # A tick beside it would suggest it is a cause, when studies looked and did not find it.
        if self.self_check and self.grade == "not-supported":
            raise ValueError("has a self_check line, but its grade is not-supported. Fix: remove the self_check line.")
        return self


class CausesFile(Strict):
    causes: list[Cause] = Field(min_length=1)


class Term(Strict):
    # '&' is safe (A&E): the abbr extension matches the term as escaped text and writes it escaped, and with
    # no ';' or '#' allowed it can never form a character reference.
    term: str = Field(pattern=pattern(r"^[A-Za-z][A-Za-z0-9 &\-–']*$", "letters, digits, spaces, hyphens, "
                                      "apostrophes and '&', starting with a letter, e.g. 'hip flexor' or 'A&E'"))
    definition: str = Field(max_length=200, description="one short sentence, shown as a tooltip")

    @field_validator("definition")
    @classmethod
    def _plain_text(cls, definition: str) -> str:
        # Material's tooltip inserts the text as HTML: markup here could run as script.
        problem = markup_problem(definition)
        if problem:
            raise ValueError(problem)
        return definition


class GlossaryFile(Strict):
    terms: list[Term] = Field(min_length=1)


# --- data/vocabulary.yml: readers' words for the search box (macros/vocabulary.py) ---
# Lower-case words (letters, hyphens, apostrophes) with single spaces: what a reader types.
Words = Annotated[str, StringConstraints(pattern=pattern(
    r"^[a-z][a-z'\-]*( [a-z][a-z'\-]*)*$", "lower-case words (letters, hyphens, apostrophes) with single spaces, "
    "e.g. 'tummy pain'"))]


class VocabularyEntry(Strict):
    guide: list[Words] = Field(min_length=1, description="words the guide's pages use")
    reader: list[Words] = Field(min_length=1, description="readers' words, other word forms, misspellings")


class VocabularyFile(Strict):
    stop_words: list[Words] = Field(default=[], description="question words dropped from a query")
    entries: list[VocabularyEntry] = Field(min_length=1)


# --- data/safety.yml (one wording for every safety fact; see macros/safety.py) ----------------


def _sourced(sign, what: str):
    """sign, if it has sources: a sign that sends someone for help is a factual claim."""
    if not sign.sources:
        raise ValueError(f"{what} has no sources. Fix: add the sources (ids from data/sources.yml) that give it")
    return sign


def _no_end_punctuation(text: str, allowed: str = "") -> str:
    """For text the safety macros put punctuation after (macros/safety.py): 'call 999 now' + '.' or ':'."""
    if text and text[-1] in ".!?:;," and text[-1] not in allowed:
        raise ValueError(f"ends with {text[-1]!r}, but the guide adds its own punctuation after it, so it would "
                         f"print as '...{text[-20:]}.' or '...{text[-20:]}:'. Fix: remove the {text[-1]!r} at the end")
    return text


class SafetySign(Strict):
    text: str
    sources: list[str] = []
    red_flag: bool = Field(default=False, description="a sign that must never sit at the routine level")


class SafetyLevel(Strict):
    id: HelpLevel
    anchor: str = Slug
    name: str
    action: str
    call: OptionalText = Field(default="", description="who to call, when the action does not say: also on the short card")
    how: str
    card: list[str] = Field(min_length=1, description="the short care card's signs, a few words each")
    # The card cites what its own lines rest on: a source backing only a sign the card leaves out
    # would lengthen the card (it must stay on a handout's page 1) for nothing it says.
    card_sources: list[str] = Field(default=[], description="sources of the card's lines; by default every sign's")
    signs: list[SafetySign] = Field(min_length=1)
    closing: OptionalText = ""
    closing_sources: list[str] = []

    @property
    def sign_sources(self) -> list[str]:
        """What its signs cite, in order: the full box's Sources line, and the card's by default."""
        return [ref for sign in self.signs for ref in sign.sources]

    @field_validator("name", "action")
    @classmethod
    def _name_and_action_end_bare(cls, text: str) -> str:
        # "[Emergency](#emergency): call 999 now." + "." or " if you have any of these:" (the care card).
        return _no_end_punctuation(text)

    @field_validator("how")
    @classmethod
    def _how_ends_with_a_full_stop_or_nothing(cls, how: str) -> str:
        # The card takes a full stop off and adds ':'; it leaves '?' or '!' ("these?:").
        return _no_end_punctuation(how, allowed=".")

    @field_validator("call")
    @classmethod
    def _call_ends_a_sentence(cls, call: str) -> str:
        # `how` follows it on the same line: "... urgent care service. Do this if ...".
        if call and call[-1] not in ".!?":
            raise ValueError(f"does not end with a full stop, but the next sentence follows it on the same line "
                             f"('...{call[-20:]} Do this if ...'). Fix: end it with a full stop")
        return call

    @model_validator(mode="after")
    def _get_help_signs_have_sources(self) -> "SafetyLevel":
        # A sign that sends someone to emergency or urgent care is a factual claim: it needs a source.
        if self.id != "routine":
            unsourced = [f"signs[{n}] ({s.text[:40]!r})" for n, s in enumerate(self.signs) if not s.sources]
            if unsourced:
                raise ValueError(f"signs without sources at the {self.id} level: {', '.join(unsourced)}. "
                                 "Fix: add the sources (ids from data/sources.yml) that give each sign")
        return self


Basis = Literal["reports", "guidance", "clinical-judgement"]


class StopSigns(Strict):
    title: str
    signs: list[SafetySign] = Field(min_length=1)
    basis: Basis | None = Field(default=None, description="where the list itself comes from, shown under it")
    closing: OptionalText = ""
    closing_sources: list[str] = Field(default=[], description="what backs the closing's emergency and same-day signs")


class LevelledSign(Strict):
    text: str
    level: GetHelpLevel = Field(description="warning signs after a session are never routine")
    sources: list[str] = []

    @model_validator(mode="after")
    def _has_sources(self) -> "LevelledSign":
        return _sourced(self, f"this {self.level} sign ({self.text[:40]!r})")


class AfterSession(Strict):
    title: str
    signs: list[LevelledSign] = Field(min_length=1)


class GetHelpIf(Strict):
    """A sign that, with the item it belongs to, means getting help: shown as a link to that box."""
    when: str = Field(description="the sign, shown as a question: 'you also have pain in your tummy' reads 'You also have pain in your tummy?'")
    level: GetHelpLevel
    sources: list[str] = []

    @field_validator("when")
    @classmethod
    def _when_ends_bare(cls, when: str) -> str:
        return _no_end_punctuation(when)  # shown as "When?" then the level's link and "."

    @model_validator(mode="after")
    def _has_sources(self) -> "GetHelpIf":
        return _sourced(self, f"its get_help_if ({self.when[:40]!r}, {self.level})")


class Contraindication(Strict):
    lead: str
    text: OptionalText = ""
    get_help_if: GetHelpIf | None = None
    basis: Basis
    sources: list[str] = []

    @model_validator(mode="after")
    def _reports_and_guidance_have_sources(self) -> "Contraindication":
        # "reports" and "guidance" say someone reported or advised it: the reader may check who.
        if self.basis != "clinical-judgement" and not self.sources:
            raise ValueError(f"its basis is '{self.basis}', but it has no sources. Fix: add the sources (ids from "
                             "data/sources.yml) that report it or give the guidance; if it is careful common sense "
                             "with no source, say basis: clinical-judgement (the page then says so)")
        return self

    @property
    def all_sources(self) -> list[str]:
        """Its own sources, then those of its get-help line."""
        return self.sources + (self.get_help_if.sources if self.get_help_if else [])


class ContraindicationGroup(Strict):
    id: str = Slug
    title: str
    items: list[Contraindication] = Field(min_length=1)


class SafetyCheckItem(Strict):
    text: str
    level: str = Field(description="emergency, urgent, or a contraindication group id")
    red_flag: bool = False
    sources: list[str] = []


class SafetyCheck(Strict):
    title: str
    intro: str
    if_ticked: str
    items: list[SafetyCheckItem] = Field(min_length=1)


class SafetyNote(Strict):
    title: str
    text: str
    sources: list[str] = []


class PregnancyNote(SafetyNote):
    caution: str = Field(description="one line, added to the cautions of every exercise with on_back: true")


class ConsentNote(Strict):
    title: str
    items: list[str] = Field(min_length=1)
    sources: list[str] = []


class CareCard(Strict):
    title: str
    stop: str
    who_not: str = Field(description="who should not have deep tummy pressure, in one sentence: a handout "
                                     "read without the safety chapter still says it")
    who_not_sources: list[str] = Field(min_length=1)
    more: str = Field(description="the words of the link to the safety chapter; on paper they are "
                                  "followed by which handout that is")

    @field_validator("more")
    @classmethod
    def _more_ends_bare(cls, more: str) -> str:
        return _no_end_punctuation(more)  # the link is followed by "."


PhoneNumber = Annotated[str, StringConstraints(pattern=pattern(
    r"^\d+( \d+)*$", "digits, with single spaces between groups, e.g. '1800 022 222'"))]


class SafetyFile(Strict):
    levels: list[SafetyLevel]
    phone_numbers: list[PhoneNumber] = Field(
        default=[], description="numbers the levels' action and call texts give: tap-to-call links on a phone")
    stop_signs: StopSigns
    after_session: AfterSession
    contraindications: list[ContraindicationGroup] = Field(min_length=1)
    check: SafetyCheck
    pregnancy: PregnancyNote
    consent: ConsentNote
    care_card: CareCard

    @field_validator("levels")
    @classmethod
    def _three_levels_in_order(cls, levels: list[SafetyLevel]) -> list[SafetyLevel]:
        ids = [level.id for level in levels]
        if ids != list(URGENCY):
            raise ValueError(f"levels must be {', '.join(URGENCY)}, in that order (got {ids})")
        return levels

    def numbers_in(self, text: str) -> list[str]:
        return [n for n in self.phone_numbers if re.search(rf"(?<!\d){re.escape(n)}(?!\d)", text)]

    @model_validator(mode="after")
    def _phone_numbers_in_the_text(self) -> SafetyFile:
        said = " ".join(f"{level.action} {level.call}" for level in self.levels)
        unused = [n for n in self.phone_numbers if n not in self.numbers_in(said)]
        if unused:
            raise ValueError(f"phone_numbers {unused} appear in no level's action or call text. Fix: remove them, "
                             "or give them in that text")
        return self

    @model_validator(mode="after")
    def _get_help_levels_give_a_number(self) -> SafetyFile:
        # Someone with an emergency sign must read a number to call in the box's first words;
        # the urgent box says who to call. The number must be one of phone_numbers (tap to call).
        for level in self.levels:
            said = {"emergency": level.action, "urgent": f"{level.action} {level.call}"}.get(level.id)
            if said is not None and not self.numbers_in(said):
                fields = "action" if level.id == "emergency" else "action or call"
                raise ValueError(
                    f"levels: the {level.id} level's {fields} text ({said.strip()!r}) gives none of phone_numbers "
                    f"{self.phone_numbers}. Fix: give the number to call there (e.g. 'call 999 ...'), "
                    "and list it in phone_numbers")
        return self


# --- data/review.yml (who, if anyone, has reviewed the guide; how to report a mistake) --------

# Words that stand in for a fact nobody has checked yet: shown on every page, they would read as fact.
# Not "ask": it is a real name (Ask Nilsen) and inbox (ask@clinic...); "TBC - ask Sam" is caught by TBC.
_PLACEHOLDERS = re.compile(r"\b(TBC|TBD|TBA|TODO|FIXME|XXX+)\b", re.I)
# A registering body and its number: "HCPC PH12345", "GMC 1234567", "NMC 12A3456E".
_REGISTRATION = re.compile(r"^[A-Za-z][A-Za-z&.'-]*( [A-Za-z][A-Za-z&.'-]*)* (?=[A-Z0-9]*\d{3})[A-Z0-9]{3,}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_HTTPS = re.compile(r"^https://[^\s/]+\.[^\s/]+(/\S*)?$")


def _no_placeholder_words(text: str) -> str:
    found = _PLACEHOLDERS.search(without_format_chars(text))
    if found:
        raise ValueError(f"{text!r} has the placeholder {found.group(0)!r}, which readers would take as fact. "
                         "Fix: write what is true, or leave reviewer and report_contact out until it is known")
    return text


class Reviewer(Strict):
    name: str = Field(min_length=2)
    role: str = Field(min_length=2, description="e.g. Chartered physiotherapist")
    registration: str = Field(min_length=2, description="body and number, e.g. HCPC PH12345")
    date: date_type
    # The pages' own dates cannot tell that shared facts (a safety sign, a dose) changed after the
    # review: this says which data the reviewer read (macros/data.py data_fingerprint).
    data_fingerprint: str = Field(pattern=r"^[0-9a-f]{12}$", description=(
        "what `python -m pipeline fingerprint` printed for the data the reviewer read"))

    @field_validator("name", "role")
    @classmethod
    def _not_a_placeholder(cls, text: str) -> str:
        return _no_placeholder_words(text)

    @field_validator("registration")
    @classmethod
    def _body_and_number(cls, registration: str) -> str:
        # A reader (or a complaint) checks the reviewer on the body's register: that needs both.
        _no_placeholder_words(registration)
        if not _REGISTRATION.match(registration):
            raise ValueError(f"{registration!r} is not a registering body and a number. Fix: write both, "
                             "e.g. 'HCPC PH12345' or 'GMC 1234567'")
        return registration

    @field_validator("date")
    @classmethod
    def _not_in_the_future(cls, day: date_type) -> date_type:
        today = clock.today()  # GUIDE_TODAY, as for every date check
        if day > today:
            raise ValueError(f"{day} is in the future (today is {today}): a review is dated when it is done. "
                             "Fix: give the date the review was done, or leave reviewer out until then")
        return day


class ReviewFile(Strict):
    reviewer: Reviewer | None = Field(default=None, description="leave out until a named clinician has reviewed the guide")
    report_contact: str | None = Field(default=None, min_length=5, description=(
        "an inbox the publisher reads (an email address or an https:// address), shown on every page and "
        "handout; leave out until there is one"))
    report_how: str = Field(description="the short form of words telling a reader what to write down")

    @field_validator("report_contact")
    @classmethod
    def _not_a_placeholder(cls, contact: str | None) -> str | None:
        if contact is None:
            return contact
        _no_placeholder_words(contact)
        if placeholder_in(contact):
            raise ValueError(f"{contact!r} is a placeholder address: readers' reports sent there would go nowhere. "
                             "Give an inbox the publisher reads, or leave report_contact out")
        if not (_EMAIL.match(contact) or _HTTPS.match(contact)):
            raise ValueError(f"{contact!r} is neither an email address nor an https:// address, so a reader "
                             "cannot send a report there. Fix: give one of those, or leave report_contact out")
        return contact

    @field_validator("report_how")
    @classmethod
    def _no_placeholder(cls, how: str) -> str:
        return _no_placeholder_words(how)
