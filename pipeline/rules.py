"""Reading and checking the rule tables in ``rules/``.

Every table is a UTF-8 TSV file: leading ``#`` lines document it, the first other line
names the columns, every later line is one fact with a ``source``. No stage opens these
files itself; they call :func:`load_rules` (cached) or :func:`load_table`.

References:
    medspaCy's rule loaders reject unknown keys and name the offending line; so does this.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.types import CONCEPT_TYPES, DIRECTIONS

# name -> (required columns, optional columns)
TABLE_COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "concepts": (("concept_id", "type", "preferred_en", "preferred_zh", "source"), ("mesh_id", "polarity")),
    "aliases": (("concept_id", "alias", "lang", "source"), ()),
    "ambiguous": (("short", "concept_id", "context", "source"), ()),
    "cues": (("cue", "lang", "category", "value", "source"), ("note",)),
    "sections": (("category", "lang", "pattern", "source"), ()),
    "citation_cues": (("category", "lang", "cue", "source"), ()),
}
ALIAS_LANGS = ("en", "zh", "abbr")
POLARITIES = ("", "higher_better", "lower_better")
# MeSH descriptor UIs: D + 6 digits, or D + 9 digits for descriptors added since 2000s (D000077211).
MESH_ID_RE = re.compile(r"D\d{6}(\d{3})?")
# What a cue table row may say; the value column is checked for the closed categories.
CUE_CATEGORIES: dict[str, tuple[str, ...] | None] = {
    "direction": DIRECTIONS,
    "negation": None,
    "hedge": None,
    "species": None,
    "route": None,
    "design": ("animal", "clinical", "in_vitro"),
    "comparator": None,
    "study_continuation": None,
    "timepoint_unit": None,
    "dose_unit": None,
    "polarity_good": None,
    "polarity_bad": None,
    # tuples stage (issue 4): verb-only direction cues, clause scoping, intervention spotting
    "direction_verb": DIRECTIONS,
    "study_break": None,
    "scope_boundary": None,
    "modifier": None,
    "intervention_head": None,
    "intervention_verb": None,
    # tuples stage: headings / structured-abstract labels of an original article's own parts
    "own_study": ("objective", "methods", "results", "conclusion", "discussion"),
    # tuples stage: verbs that are their own outcome ('MSCs向骨髓归巢' -> homing increases)
    "outcome_event": DIRECTIONS,
}


class RuleTableError(ValueError):
    """A rule table that cannot be read; the message names file:line."""


@dataclass(frozen=True)
class Row:
    values: dict[str, str]
    path: str
    line: int

    def __getitem__(self, key: str) -> str:
        return self.values.get(key, "")

    def get(self, key: str, default: str = "") -> str:
        return self.values.get(key, default) or default


def load_table(path: Path, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> list[Row]:
    """Read one TSV rule table.

    Args:
        path: the ``.tsv`` file.
        required: columns that must be present (and non-empty for ``source``).
        optional: columns that may be present.

    Returns:
        The rows, each with its file and line number.

    Raises:
        RuleTableError: unknown or missing columns, wrong number of cells, no source.
    """
    rows: list[Row] = []
    header: list[str] | None = None
    allowed = set(required) | set(optional)
    with open(path, encoding="utf-8") as handle:
        for lineno, raw in enumerate(handle, start=1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = [c.strip() for c in cells]
                unknown = [c for c in header if c not in allowed]
                if unknown:
                    raise RuleTableError(f"{path}:{lineno}: unknown column(s) {unknown}; expected {sorted(allowed)}")
                missing = [c for c in required if c not in header]
                if missing:
                    raise RuleTableError(f"{path}:{lineno}: missing column(s) {missing}")
                continue
            if len(cells) > len(header):
                raise RuleTableError(f"{path}:{lineno}: {len(cells)} cells, header has {len(header)} columns")
            cells += [""] * (len(header) - len(cells))
            values = {k: v.strip() for k, v in zip(header, cells)}
            if "source" in header and not values["source"]:
                raise RuleTableError(f"{path}:{lineno}: empty source")
            rows.append(Row(values, str(path), lineno))
    if header is None:
        raise RuleTableError(f"{path}: no header row")
    return rows


@dataclass(frozen=True)
class Concept:
    concept_id: str
    type: str
    preferred_en: str
    preferred_zh: str
    mesh_id: str
    polarity: str
    source: str


@dataclass
class Rules:
    """All rule tables of one ``rules/`` folder, loaded and cross-checked."""

    directory: Path
    concepts: dict[str, Concept] = field(default_factory=dict)
    aliases: list[Row] = field(default_factory=list)
    ambiguous: list[Row] = field(default_factory=list)
    cues: list[Row] = field(default_factory=list)
    sections: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    digest: str = ""

    def cue_list(self, category: str, lang: str | None = None) -> list[Row]:
        return [r for r in self.cues if r["category"] == category and (lang is None or r["lang"] in (lang, "any"))]

    def jieba_words(self) -> list[str]:
        """Chinese aliases and preferred names, for jieba's user dictionary."""
        words = {r["alias"] for r in self.aliases if r["lang"] == "zh"}
        words |= {c.preferred_zh for c in self.concepts.values() if c.preferred_zh}
        return sorted(w for w in words if len(w) >= 2)


def _table_path(directory: Path, name: str) -> Path:
    return directory / f"{name}.tsv"


def load_rules(directory: Path | str, strict: bool = True) -> Rules:
    """Load every table in ``directory`` (cached per folder and file times).

    Args:
        directory: the rules folder.
        strict: raise on the first cross-table problem instead of collecting it.
    """
    directory = Path(directory).resolve()
    stamp = tuple(
        (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(directory.glob("*.tsv"))
    )
    return _load_rules_cached(directory, stamp, strict)


@lru_cache(maxsize=8)
def _load_rules_cached(directory: Path, stamp: tuple, strict: bool) -> Rules:
    rules = Rules(directory=directory)
    digest = hashlib.sha256()
    for name, (required, optional) in TABLE_COLUMNS.items():
        path = _table_path(directory, name)
        if not path.exists():
            if name in ("concepts", "aliases"):
                raise RuleTableError(f"{path}: required rule table missing")
            continue
        digest.update(path.read_bytes())
        rows = load_table(path, required, optional)
        if name == "concepts":
            for row in rows:
                cid = row["concept_id"]
                where = f"{row.path}:{row.line}"
                if cid in rules.concepts:
                    rules.problems.append(f"{where}: duplicate concept_id {cid!r}")
                if row["type"] not in CONCEPT_TYPES:
                    rules.problems.append(f"{where}: unknown type {row['type']!r}; expected one of {CONCEPT_TYPES}")
                if row.get("polarity") not in POLARITIES:
                    rules.problems.append(f"{where}: unknown polarity {row['polarity']!r}")
                if not row["preferred_en"] and not row["preferred_zh"]:
                    rules.problems.append(f"{where}: concept {cid!r} has no preferred name")
                if row.get("mesh_id") and not MESH_ID_RE.fullmatch(row["mesh_id"]):
                    rules.problems.append(f"{where}: mesh_id {row['mesh_id']!r} is not a MeSH descriptor UI (D + 6 or 9 digits)")
                if row.get("polarity") and row["type"] != "outcome":
                    rules.problems.append(f"{where}: polarity {row['polarity']!r} on a {row['type']} concept; only outcomes have one")
                rules.concepts[cid] = Concept(
                    cid, row["type"], row["preferred_en"], row["preferred_zh"], row.get("mesh_id"),
                    row.get("polarity"), row["source"],
                )
        elif name == "aliases":
            rules.aliases = rows
        elif name == "ambiguous":
            rules.ambiguous = rows
        elif name == "cues":
            rules.cues = rows
        elif name == "sections":
            rules.sections = rows
    rules.digest = digest.hexdigest()[:16]
    _cross_check(rules)
    if strict and rules.problems:
        raise RuleTableError(rules.problems[0] + (f" (+{len(rules.problems) - 1} more)" if len(rules.problems) > 1 else ""))
    return rules


def _alias_key(alias: str) -> str:
    return alias.casefold().replace(" ", "").replace("-", "")


def _cross_check(rules: Rules) -> None:
    owners: dict[tuple[str, str], str] = {}
    for row in rules.aliases:
        where = f"{row.path}:{row.line}"
        if row["concept_id"] not in rules.concepts:
            rules.problems.append(f"{where}: concept_id {row['concept_id']!r} not in concepts.tsv")
        if row["lang"] not in ALIAS_LANGS:
            rules.problems.append(f"{where}: unknown lang {row['lang']!r}; expected one of {ALIAS_LANGS}")
        # Exact alias (case kept for abbreviations: "SP" and "sp" differ) pointing at two concepts.
        key = (row["alias"] if row["lang"] == "abbr" else _alias_key(row["alias"]), row["lang"])
        other = owners.get(key)
        if other is not None and other != row["concept_id"]:
            rules.problems.append(
                f"{where}: alias {row['alias']!r} points at {other!r} and {row['concept_id']!r}"
                " (ambiguous short forms belong in ambiguous.tsv)"
            )
        owners.setdefault(key, row["concept_id"])
    abbr_aliases = {row["alias"] for row in rules.aliases if row["lang"] == "abbr"}
    for row in rules.ambiguous:
        if row["concept_id"] not in rules.concepts:
            rules.problems.append(f"{row.path}:{row.line}: concept_id {row['concept_id']!r} not in concepts.tsv")
        if row["short"] in abbr_aliases:
            rules.problems.append(f"{row.path}:{row.line}: ambiguous short form {row['short']!r} is also an abbr alias in aliases.tsv")
    for row in rules.cues:
        where = f"{row.path}:{row.line}"
        cat = row["category"]
        if cat not in CUE_CATEGORIES:
            rules.problems.append(f"{where}: unknown cue category {cat!r}; expected one of {sorted(CUE_CATEGORIES)}")
            continue
        allowed = CUE_CATEGORIES[cat]
        if allowed is not None and row["value"] not in allowed:
            rules.problems.append(f"{where}: {cat} value {row['value']!r} not in {allowed}")


def check_rules(directory: Path | str) -> tuple[Rules | None, list[str]]:
    """Validate the tables; returns the loaded rules (when readable) and every problem found."""
    try:
        rules = load_rules(directory, strict=False)
    except RuleTableError as exc:
        return None, [str(exc)]
    return rules, list(rules.problems)
