"""Scoring a run against gold annotations.

Implements the rules of ``shared/gold/README.md``: abbreviations match on the short
form plus the English (or Chinese) long form, ignoring case, spaces and hyphens;
concept groups are scored with B-cubed precision and recall over the concept ids the
run assigns to mentions of each group's aliases; a predicted tuple matches a gold
tuple when the reference numbers overlap, a gold outcome alias and the predicted
outcome (text or preferred name) contain one another ignoring case, the same holds
for the intervention, and the predicted direction is one of the gold directions.
Gold may be the hand-made files or a reviewer's export from the HTML report (same
format). Reads finished runs; never changes them.

References:
    Bagga & Baldwin (1998), "Algorithms for scoring coreference chains" (B-cubed).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

TASKS = ("abbreviations", "concept_groups", "tuples")


@dataclass
class Counts:
    """Numerators and denominators for one task on one paper (summed for micro averages)."""

    tp_pred: float = 0.0  # predictions that match (B-cubed: summed item precision)
    n_pred: float = 0.0
    tp_gold: float = 0.0  # gold items matched (B-cubed: summed item recall)
    n_gold: float = 0.0

    def add(self, other: Counts) -> None:
        self.tp_pred += other.tp_pred
        self.n_pred += other.n_pred
        self.tp_gold += other.tp_gold
        self.n_gold += other.n_gold

    def scores(self) -> dict[str, float]:
        p = self.tp_pred / self.n_pred if self.n_pred else 0.0
        r = self.tp_gold / self.n_gold if self.n_gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                "n_pred": int(self.n_pred), "n_gold": int(self.n_gold)}


# ---------------------------------------------------------------- abbreviations
_LENIENT_DROP = re.compile(r"[\s\-‐‑‒–—⁃_]+")


def lenient(text: str | None) -> str:
    """Case, spaces and hyphens ignored (the gold README's abbreviation rule)."""
    return _LENIENT_DROP.sub("", text or "").casefold()


def _abbr_matches(pred: dict, gold: dict) -> bool:
    if lenient(pred.get("short")) != lenient(gold.get("short")):
        return False
    for key in ("long_en", "long_zh"):
        p, g = lenient(pred.get(key)), lenient(gold.get(key))
        if p and g and p == g:
            return True
    return False


def score_abbreviations(pred: list[dict], gold: list[dict]) -> Counts:
    """Precision over distinct predicted definitions, recall over gold definitions."""
    seen, unique = set(), []
    for p in pred:
        key = (lenient(p.get("short")), lenient(p.get("long_en")), lenient(p.get("long_zh")))
        if key not in seen:
            seen.add(key)
            unique.append(p)
    c = Counts(n_pred=len(unique), n_gold=len(gold))
    c.tp_pred = sum(any(_abbr_matches(p, g) for g in gold) for p in unique)
    c.tp_gold = sum(any(_abbr_matches(p, g) for p in unique) for g in gold)
    return c


# ---------------------------------------------------------------- concept groups
def _mention_key(text: str) -> str:
    return re.sub(r"\s+", "", text or "").casefold()


def concept_of_alias(mentions: list[dict]) -> dict[str, str | None]:
    """Surface text (case and spaces ignored) -> the concept id the run gives it most often."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for m in mentions:
        votes[_mention_key(m.get("text", ""))][m.get("concept_id") or None] += 1
    out = {}
    for key, counter in votes.items():
        linked = [(n, cid) for cid, n in counter.items() if cid]
        out[key] = max(linked)[1] if linked else None
    return out


def score_concept_groups(mentions: list[dict], groups: list[dict]) -> tuple[Counts, dict]:
    """B-cubed over the gold aliases; an alias with no (linked) mention is a singleton cluster.

    Returns the counts (item precision/recall sums) and a detail dict with alias coverage.
    """
    assigned = concept_of_alias(mentions)
    items: list[tuple[int, str]] = []  # (gold group index, predicted cluster id)
    found = total = 0
    seen_alias: set[str] = set()
    for gi, group in enumerate(groups):
        for alias in group.get("aliases", []):
            key = _mention_key(alias)
            if not key or key in seen_alias:
                continue
            seen_alias.add(key)
            total += 1
            cid = assigned.get(key)
            if cid:
                found += 1
                items.append((gi, cid))
            else:
                items.append((gi, f"__unlinked__{gi}__{key}"))
    c = Counts(n_pred=len(items), n_gold=len(items))
    by_gold = Counter(g for g, _ in items)
    by_pred = Counter(p for _, p in items)
    both = Counter(items)
    for g, p in items:
        c.tp_pred += both[(g, p)] / by_pred[p]
        c.tp_gold += both[(g, p)] / by_gold[g]
    return c, {"aliases": total, "aliases_found": found}


# ---------------------------------------------------------------- tuples
def _split_refs(value) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, list):
        return {str(v).strip() for v in value if str(v).strip()}
    return {v.strip() for v in str(value).split(";") if v.strip()}


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value if v is not None and str(v).strip()]
    return [str(value)] if str(value).strip() else []


def _contains_either(predicted: list[str], gold_aliases: list[str]) -> bool:
    for p in predicted:
        p = p.casefold().strip()
        if not p:
            continue
        for g in gold_aliases:
            g = g.casefold().strip()
            if g and (g in p or p in g):
                return True
    return False


def tuple_matches(pred: dict, gold: dict) -> bool:
    """The gold README's matching rule for one predicted and one gold tuple."""
    p_refs, g_refs = _split_refs(pred.get("refs")), _split_refs(gold.get("refs"))
    if not (p_refs & g_refs or (not p_refs and not g_refs)):
        return False
    if (pred.get("direction") or "") not in _as_list(gold.get("direction")):
        return False
    for field in ("outcome", "intervention"):
        predicted = [pred.get(field) or "", pred.get(f"{field}_text") or ""]
        if not _contains_either(predicted, _as_list(gold.get(field))):
            return False
    return True


def score_tuples(pred: list[dict], gold: list[dict]) -> Counts:
    c = Counts(n_pred=len(pred), n_gold=len(gold))
    matched_gold = [False] * len(gold)
    for p in pred:
        hit = False
        for i, g in enumerate(gold):
            if tuple_matches(p, g):
                hit = True
                matched_gold[i] = True
        c.tp_pred += hit
    c.tp_gold = sum(matched_gold)
    return c


# ---------------------------------------------------------------- runs
def load_gold(paths: list[Path]) -> dict[str, dict]:
    """Gold JSON files (or folders of them) by document id ('doc' key, else the file stem)."""
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        files.extend(sorted(path.glob("*.json")) if path.is_dir() else [path])
    gold = {}
    for f in files:
        data = json.loads(f.read_text(encoding="utf-8"))
        doc = data.get("doc") or f.stem
        gold[doc] = data
    return gold


def _rows_by_doc(run_dir: Path, name: str) -> dict[str, list[dict]]:
    from pipeline.export import read_table

    df = read_table(run_dir, name)
    out: dict[str, list[dict]] = defaultdict(list)
    for row in df.to_dict("records"):
        out[row["doc_id"]].append({k: (None if v == "" else v) for k, v in row.items()})
    return out


def evaluate_run(run_dir: Path, gold_paths: list[Path]) -> dict:
    """Per-paper and micro-averaged scores of a run against gold files.

    Args:
        run_dir: a folder written by ``cli.py run``.
        gold_paths: gold JSON files or folders.

    Returns:
        {"papers": {doc: {task: scores}}, "micro": {task: scores}, "missing": [doc ids not in the run]}
    """
    run_dir = Path(run_dir)
    gold = load_gold(gold_paths)
    abbrs = _rows_by_doc(run_dir, "abbreviations")
    mentions = _rows_by_doc(run_dir, "mentions")
    tuples = _rows_by_doc(run_dir, "tuples")
    docs = _rows_by_doc(run_dir, "documents")
    micro = {task: Counts() for task in TASKS}
    papers, missing = {}, []
    alias_total = alias_found = 0
    for doc, g in sorted(gold.items()):
        if doc not in docs:
            missing.append(doc)
        per = {}
        c = score_abbreviations(abbrs.get(doc, []), g.get("abbreviations", []))
        per["abbreviations"] = c
        c2, detail = score_concept_groups(mentions.get(doc, []), g.get("concept_groups", []))
        per["concept_groups"] = c2
        alias_total += detail["aliases"]
        alias_found += detail["aliases_found"]
        per["tuples"] = score_tuples(tuples.get(doc, []), g.get("tuples", []))
        papers[doc] = {task: per[task].scores() for task in TASKS}
        papers[doc]["concept_groups"]["alias_coverage"] = round(
            detail["aliases_found"] / detail["aliases"], 4) if detail["aliases"] else 0.0
        for task in TASKS:
            micro[task].add(per[task])
    micro_scores = {task: micro[task].scores() for task in TASKS}
    micro_scores["concept_groups"]["alias_coverage"] = round(alias_found / alias_total, 4) if alias_total else 0.0
    return {"papers": papers, "micro": micro_scores, "missing": missing}


def format_scores(scores: dict) -> str:
    """A plain table: one line per paper and task, then the micro averages."""
    lines = [f"{'paper':<28} {'task':<15} {'P':>6} {'R':>6} {'F1':>6} {'pred':>5} {'gold':>5}"]
    for doc, per in scores["papers"].items():
        for task in TASKS:
            s = per[task]
            lines.append(f"{doc[:28]:<28} {task:<15} {s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f} "
                         f"{s['n_pred']:>5} {s['n_gold']:>5}")
    for task in TASKS:
        s = scores["micro"][task]
        extra = f"  aliases found {s['alias_coverage']:.3f}" if "alias_coverage" in s else ""
        lines.append(f"{'MICRO':<28} {task:<15} {s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f} "
                     f"{s['n_pred']:>5} {s['n_gold']:>5}{extra}")
    if scores.get("missing"):
        lines.append("not in the run: " + ", ".join(scores["missing"]))
    return "\n".join(lines)
