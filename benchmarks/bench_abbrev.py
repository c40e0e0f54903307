"""Benchmark: abbreviation definitions against public gold corpora and the seed gold.

Prints precision, recall and F1 per corpus with the lenient rule of
``shared/corpora/abbrev/README.md`` and ``shared/gold/README.md``: short and long forms
compare ignoring case, spaces and hyphens.

- English corpora (Medstract, Ab3P, BIOADI, ...): a predicted pair matches a gold pair when
  the short forms and the English long forms match.
- ``zh_probe`` and the seed gold: a pair matches when the short forms match and either the
  English long forms match or the Chinese long forms match (the gold README's "long_en (or
  long_zh)"). A gold pair that has both long forms is matched by a prediction that gets
  either one right; the ``both`` column counts the stricter rule (every long form the gold
  gives must match).

Example:
    python benchmarks/bench_abbrev.py            # all corpora
    python benchmarks/bench_abbrev.py --errors zh_probe
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.abbreviations import find_definitions, merge_definitions  # noqa: E402

SHARED = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()),
              ROOT.parent / "shared")
EN_CORPORA = ("medstract", "ab3p", "bioadi", "schwartz_hearst", "ab3p_med1250_original", "sdu_aaai21_ai_dev")
# Ab3P's F1 measured with the lenient rule (the targets to beat).
AB3P_F1 = {"medstract": 0.947, "ab3p": 0.901, "bioadi": 0.854}


def norm(s: str | None) -> str | None:
    """Lenient key: lower case, no spaces, no hyphens."""
    return re.sub(r"[\s\-‐–—]+", "", s).lower() if s else None


def _matches(pred, gold, bilingual: bool) -> bool:
    if norm(pred["short"]) != norm(gold["short"]):
        return False
    en = gold.get("long") is not None and norm(pred.get("long")) == norm(gold.get("long"))
    if not bilingual:
        return en
    zh = gold.get("long_zh") is not None and norm(pred.get("long_zh")) == norm(gold.get("long_zh"))
    return en or zh


def _matches_both(pred, gold) -> bool:
    if norm(pred["short"]) != norm(gold["short"]):
        return False
    return all(norm(pred.get(k)) == norm(gold.get(k)) for k in ("long", "long_zh") if gold.get(k) is not None)


def predict(text: str) -> list[dict]:
    return [{"short": d.short, "long": d.long_en, "long_zh": d.long_zh, "form": d.form}
            for d in merge_definitions(find_definitions(text))]


def score(docs: list[tuple[str, str, list[dict]]], bilingual: bool, errors: bool = False) -> dict:
    """Docs are (id, text, gold pairs); returns counts and P/R/F1."""
    n_pred = n_gold = tp_pred = tp_gold = both_gold = 0
    for doc_id, text, gold in docs:
        preds = predict(text)
        if not bilingual:
            preds = [p for p in preds if p["long"]]
        n_pred += len(preds)
        n_gold += len(gold)
        ok_p = [any(_matches(p, g, bilingual) for g in gold) for p in preds]
        ok_g = [any(_matches(p, g, bilingual) for p in preds) for g in gold]
        tp_pred += sum(ok_p)
        tp_gold += sum(ok_g)
        both_gold += sum(any(_matches_both(p, g) for p in preds) for g in gold)
        if errors:
            for p, ok in zip(preds, ok_p):
                if not ok:
                    print(f"FP {doc_id}: {p}")
            for g, ok in zip(gold, ok_g):
                if not ok:
                    print(f"FN {doc_id}: {g}  | predicted: {[p for p in preds if norm(p['short']) == norm(g['short'])]}")
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"docs": len(docs), "gold": n_gold, "pred": n_pred, "P": p, "R": r, "F1": f,
            "R_both": both_gold / n_gold if n_gold else 0.0}


def load_corpus(name: str, shared: Path = SHARED) -> list[tuple[str, str, list[dict]]]:
    """(id, text, gold pairs) of one JSONL corpus in ``shared/corpora/abbrev``."""
    path = shared / "corpora" / "abbrev" / f"{name}.jsonl"
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        docs.append((d["id"], d["text"], d["pairs"]))
    return docs


def load_seeds(shared: Path = SHARED) -> list[tuple[str, str, list[dict]]]:
    """(id, seed text, gold abbreviations) for every paper in ``shared/gold``."""
    docs = []
    for gold_path in sorted((shared / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = (shared / "seeds" / f"{gold_path.stem}.txt").read_text(encoding="utf-8")
        pairs = [{"short": a["short"], "long": a.get("long_en"), "long_zh": a.get("long_zh")}
                 for a in gold.get("abbreviations", [])]
        docs.append((gold_path.stem, text, pairs))
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", help="corpus names (default: all); 'seeds' = shared/gold")
    parser.add_argument("--errors", action="store_true", help="print false positives and misses")
    args = parser.parse_args()
    names = args.corpora or ["zh_probe", "seeds", *EN_CORPORA]
    print(f"{'corpus':24} {'docs':>5} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6} {'R_both':>6}  Ab3P F1")
    for name in names:
        bilingual = name in ("zh_probe", "seeds")
        docs = load_seeds() if name == "seeds" else load_corpus(name)
        s = score(docs, bilingual, errors=args.errors)
        ref = AB3P_F1.get(name, "")
        print(f"{name:24} {s['docs']:5d} {s['gold']:5d} {s['pred']:5d} {s['P']:6.3f} {s['R']:6.3f} {s['F1']:6.3f}"
              f" {s['R_both']:6.3f}  {ref}")


if __name__ == "__main__":
    main()
