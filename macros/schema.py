"""Pydantic models for every file in data/: one schema per file, strict about unknown keys."""
from __future__ import annotations

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
