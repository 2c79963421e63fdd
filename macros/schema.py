"""Pydantic models for every file in data/: one schema per file, strict about unknown keys."""
from __future__ import annotations

from datetime import date as date_type
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, StringConstraints, field_validator

Grade = Literal["supported", "limited", "anecdotal", "not-supported"]
Slug = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", description="lower-case words joined by hyphens")


class Strict(BaseModel):
    # Unknown keys are almost always typos ("soruces"); reject them rather than ignore them.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    id: str = Slug
    title: str
    publisher: str
    year: int = Field(ge=1900, le=2100)
    url: HttpUrl
    kind: Literal["guideline", "review", "trial", "study", "reference", "consensus", "patient-information", "registry", "commentary"]

    @field_validator("url")
    @classmethod
    def _https_only(cls, url: HttpUrl) -> HttpUrl:
        if url.scheme != "https":
            raise ValueError("use an https:// address")
        return url


class SourcesFile(Strict):
    sources: list[Source]


class Benefit(Strict):
    id: str = Slug
    text: str
    grade: Grade
    evidence: str = Field(description="one plain sentence on what the evidence says")
    sources: list[str] = Field(min_length=1)


class BenefitGroup(Strict):
    id: str = Slug
    title: str
    items: list[Benefit] = Field(min_length=1)


class BenefitsFile(Strict):
    groups: list[BenefitGroup]


class ChecklistItem(Strict):
    text: str
    sources: list[str] = []


class Checklist(Strict):
    id: str = Slug
    title: str
    intro: str = ""
    items: list[ChecklistItem] = Field(min_length=1)


class ChecklistsFile(Strict):
    checklists: list[Checklist]


class Dose(Strict):
    hold_seconds: str | None = None
    reps: str | None = None
    sets: str | None = None
    frequency: str


class Figure(Strict):
    id: str = Slug
    src: str = Field(pattern=r"^assets/figures/[a-z0-9-]+\.svg$", description="path under docs/")
    alt: str = Field(min_length=20, description="what the picture teaches, for people who cannot see it")
    caption: str


class FiguresFile(Strict):
    figures: list[Figure]


class Exercise(Strict):
    id: str = Slug
    name: str
    summary: str
    steps: list[str] = Field(min_length=1)
    dose: Dose
    cautions: list[str] = []
    sources: list[str] = Field(min_length=1)
    figure: str | None = Field(default=None, description="a figure id from data/figures.yml")


class RoutineStep(Strict):
    exercise: str
    dose: Dose | None = Field(default=None, description="overrides the exercise's own dose")


class Routine(Strict):
    id: str = Slug
    name: str
    when: str
    minutes: int = Field(gt=0, le=120)
    steps: list[RoutineStep] = Field(min_length=1)


class ExercisesFile(Strict):
    exercises: list[Exercise]
    routines: list[Routine]


class Cause(Strict):
    id: str = Slug
    name: str
    self_check: str = Field(description="a yes/no question for the reader's self-check list")
    grade: Grade
    evidence: str
    sources: list[str] = Field(min_length=1)


class CausesFile(Strict):
    causes: list[Cause]


class Term(Strict):
    term: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9 \-–']*$")
    definition: str = Field(max_length=200, description="one short sentence, shown as a tooltip")


class GlossaryFile(Strict):
    terms: list[Term]



# --- data/vocabulary.yml: readers' words for the search box (macros/vocabulary.py) ---
# Lower-case words (letters, hyphens, apostrophes) with single spaces: what a reader types.
Words = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z'\-]*( [a-z][a-z'\-]*)*$")]


class VocabularyEntry(Strict):
    guide: list[Words] = Field(min_length=1, description="words the guide's pages use")
    reader: list[Words] = Field(min_length=1, description="readers' words, other word forms, misspellings")


class VocabularyFile(Strict):
    stop_words: list[Words] = Field(default=[], description="question words dropped from a query")
    entries: list[VocabularyEntry] = Field(min_length=1)


# --- data/safety.yml (one wording for every safety fact; see macros/safety.py) ----------------

HelpLevel = Literal["emergency", "urgent", "routine"]


class SafetySign(Strict):
    text: str
    sources: list[str] = []
    red_flag: bool = Field(default=False, description="a sign that must never sit at the routine level")


class SafetyLevel(Strict):
    id: HelpLevel
    anchor: str = Slug
    name: str
    action: str
    how: str
    card: str = Field(description="one line of signs for the short care card")
    signs: list[SafetySign] = Field(min_length=1)
    closing: str = ""
    closing_sources: list[str] = []


class StopSigns(Strict):
    title: str
    signs: list[SafetySign] = Field(min_length=1)
    closing: str = ""


class LevelledSign(Strict):
    text: str
    level: Literal["emergency", "urgent"] = Field(description="warning signs after a session are never routine")
    sources: list[str] = []


class AfterSession(Strict):
    title: str
    signs: list[LevelledSign] = Field(min_length=1)


class Contraindication(Strict):
    lead: str
    text: str = ""
    basis: Literal["reports", "guidance", "clinical-judgement"]
    sources: list[str] = []


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


class ConsentNote(Strict):
    title: str
    items: list[str] = Field(min_length=1)
    sources: list[str] = []


class CareCard(Strict):
    title: str
    stop: str
    more: str


class SafetyFile(Strict):
    levels: list[SafetyLevel]
    stop_signs: StopSigns
    after_session: AfterSession
    contraindications: list[ContraindicationGroup] = Field(min_length=1)
    check: SafetyCheck
    pregnancy: SafetyNote
    consent: ConsentNote
    care_card: CareCard

    @field_validator("levels")
    @classmethod
    def _three_levels_in_order(cls, levels: list[SafetyLevel]) -> list[SafetyLevel]:
        ids = [level.id for level in levels]
        if ids != ["emergency", "urgent", "routine"]:
            raise ValueError(f"levels must be emergency, urgent, routine, in that order (got {ids})")
        return levels


# --- data/review.yml (who, if anyone, has reviewed the guide; how to report a mistake) --------

class Reviewer(Strict):
    name: str = Field(min_length=2)
    role: str = Field(min_length=2, description="e.g. Chartered physiotherapist")
    registration: str = Field(min_length=2, description="body and number, e.g. HCPC PH12345")
    date: date_type


class ReviewFile(Strict):
    reviewer: Reviewer | None = Field(default=None, description="leave out until a named clinician has reviewed the guide")
    report_contact: str = Field(min_length=5, description="where readers send corrections (shown on every page and handout)")
    report_how: str = Field(description="the short form of words telling a reader what to send")
