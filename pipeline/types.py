"""Shared record types.

Every stage passes these frozen dataclasses along; no stage invents its own shape.
All positions are character offsets into ``Document.text`` (the clean text written
to ``text/<doc_id>.txt``), the one coordinate system that jieba, spaCy and the
subword tokenizer share.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Literal

Lang = Literal["zh", "en"]
Direction = Literal["increase", "decrease", "improve", "worsen", "no_change"]
DIRECTIONS: tuple[str, ...] = ("increase", "decrease", "improve", "worsen", "no_change")

# Concept types used in rules/concepts.tsv and as mention labels (upper-cased NER labels).
CONCEPT_TYPES: tuple[str, ...] = (
    "cell",
    "disease",
    "model",
    "species",
    "route",
    "procedure",
    "drug",
    "biomaterial",
    "gene_protein",
    "outcome",
    "anatomy",
    "other",
)
# NER labels (issue 5) and the concept types each covers.
NER_LABELS: dict[str, tuple[str, ...]] = {
    "CELL": ("cell",),
    "DISEASE": ("disease",),
    "MODEL": ("model",),
    "SPECIES": ("species",),
    "INTERVENTION": ("procedure", "drug", "biomaterial"),
    "GENE_PROTEIN": ("gene_protein",),
    "OUTCOME": ("outcome",),
}


@dataclass(frozen=True)
class Page:
    """One PDF page (or the whole text file as page 1): ``text[start:end]``."""

    number: int
    start: int
    end: int


@dataclass(frozen=True)
class Section:
    """A titled stretch of the text.

    ``category`` is one of: title, authors, abstract_zh, abstract_en, keywords_zh,
    keywords_en, body, heading, table, references, other.
    """

    category: str
    title: str
    start: int
    end: int
    level: int = 0


@dataclass(frozen=True)
class Sentence:
    sent_id: int
    start: int
    end: int
    lang: Lang
    section: str
    text: str


@dataclass(frozen=True)
class Table:
    """A table kept as text: caption plus rows of cells (each row a tuple of cell strings)."""

    table_id: int
    caption: str
    start: int
    end: int
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    # Character offsets of each row's text in Document.text, parallel to ``rows``.
    row_spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Reference:
    """One entry of the reference list."""

    ref_num: str
    text: str
    start: int
    end: int
    authors: tuple[str, ...] = ()
    title: str | None = None
    source: str | None = None
    year: int | None = None
    doc_type: str | None = None  # GB/T 7714 type code: J, D, M, C, ...


@dataclass(frozen=True)
class Citation:
    """A citation marker in the text, e.g. ``陶晖等[31]`` or ``Lien et al. [30]``.

    ``start``/``end`` cover the marker itself; ``cue_start`` the author cue when present.
    """

    sent_id: int
    refs: tuple[str, ...]
    start: int
    end: int
    marker: str
    first_author: str | None = None
    cue_start: int | None = None


@dataclass(frozen=True)
class Abbreviation:
    """An abbreviation the paper defines.

    ``form`` names the pattern that found it: zh_en_short, zh_short, en_short,
    short_en (reverse), short_zh (reverse, Chinese long form), glossary, known.
    """

    short: str
    long_en: str | None
    long_zh: str | None
    start: int  # of the short form at its definition
    end: int
    sent_id: int
    form: str
    concept_id: str | None = None


@dataclass(frozen=True)
class Mention:
    """A biomedical term in the text, normalised to a concept when possible."""

    start: int
    end: int
    text: str
    label: str  # NER label: CELL, DISEASE, MODEL, SPECIES, INTERVENTION, GENE_PROTEIN, OUTCOME, ROUTE, ANATOMY, OTHER
    source: str  # "rule", "abbreviation" or "model"
    concept_id: str | None = None
    preferred_en: str | None = None
    preferred_zh: str | None = None
    score: float = 1.0
    sent_id: int = -1
    flag: str | None = None  # e.g. "ambiguous_short_form"


@dataclass(frozen=True)
class StudyTuple:
    """One (study, intervention, outcome) claim with its evidence sentence."""

    tuple_id: int
    study_id: str
    refs: tuple[str, ...]
    first_author: str | None
    year: int | None
    design: str | None
    species: str | None
    condition: str | None
    model: str | None
    intervention: str | None  # preferred name of the normalised concept, else the surface text
    intervention_id: str | None
    intervention_text: str | None
    route: str | None
    dose: str | None
    comparator: str | None
    outcome: str | None
    outcome_id: str | None
    outcome_text: str | None
    direction: str | None
    value: str | None
    timepoint: str | None
    sent_id: int
    start: int  # evidence span in Document.text
    end: int
    evidence: str
    source: str  # "text" or "table"
    confidence: float = 0.5
    # Offsets of the spans that produced each field: {"outcome": (s, e), ...}
    spans: tuple[tuple[str, int, int], ...] = ()


@dataclass(frozen=True)
class Study:
    study_id: str
    refs: tuple[str, ...]
    first_author: str | None
    year: int | None
    design: str | None
    species: str | None
    condition: str | None
    model: str | None
    n_tuples: int


@dataclass(frozen=True)
class Document:
    """A paper and everything the stages found in it."""

    doc_id: str
    text: str
    source_path: str
    format: str = "txt"  # txt or pdf
    encoding: str | None = None
    sha256: str = ""
    original_text: str | None = None  # before normalisation, for display only (not offset-aligned)
    pages: tuple[Page, ...] = ()
    sections: tuple[Section, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    tables: tuple[Table, ...] = ()
    references: tuple[Reference, ...] = ()
    citations: tuple[Citation, ...] = ()
    abbreviations: tuple[Abbreviation, ...] = ()
    mentions: tuple[Mention, ...] = ()
    tuples: tuple[StudyTuple, ...] = ()
    studies: tuple[Study, ...] = ()
    title_zh: str | None = None
    title_en: str | None = None
    warnings: tuple[str, ...] = ()  # one line each: what was wrong but did not stop the paper
    timings: dict[str, float] = field(default_factory=dict, compare=False, hash=False)

    def page_of(self, offset: int) -> int:
        """Page number holding character ``offset`` (1 when the paper has no page map).

        Pages (and sentences, below) are in text order, so the lookup bisects.
        """
        i = bisect_right(self.pages, offset, key=lambda p: p.start) - 1
        if 0 <= i and offset < self.pages[i].end:
            return self.pages[i].number
        return self.pages[-1].number if self.pages else 1

    def sentence_at(self, offset: int) -> Sentence | None:
        i = bisect_right(self.sentences, offset, key=lambda s: s.start) - 1
        if 0 <= i and offset < self.sentences[i].end:
            return self.sentences[i]
        return None


class PipelineError(Exception):
    """A paper that cannot be processed; ``stage`` names where it failed."""

    def __init__(self, stage: str, message: str) -> None:
        super().__init__(message)
        self.stage = stage
        self.message = message
