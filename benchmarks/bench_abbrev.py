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

- ``--zh-dev``: a check of the Chinese long form on real text nobody annotated for us: every
  definition with a Chinese long form in ``shared/corpora/csl_medical`` abstracts (the medical
  subset and the raw keyword-generation files of every discipline) and ``shared/corpora/chinaxiv``
  papers, printed as TSV (doc, short, long_zh, long_en, form,
  context). Given a judgement TSV (doc, short, accepted long forms joined by '|', ...; kept
  outside the repository), it prints the precision of the Chinese long form instead.

Example:
    python benchmarks/bench_abbrev.py            # all corpora
    python benchmarks/bench_abbrev.py --errors zh_probe
    python benchmarks/bench_abbrev.py --zh-dev > /tmp/zh_dev.tsv      # then judge each row
    python benchmarks/bench_abbrev.py --zh-dev --judged /tmp/zh_dev_judged.tsv
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.abbreviations import lexicon_from_rules, paper_definitions  # noqa: E402
from pipeline.rules import load_rules  # noqa: E402

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


# The stage uses the names in rules/ (glued long forms, known Chinese names), as ``build`` does.
LEXICON = lexicon_from_rules(load_rules(ROOT / "rules", strict=False))


def predict(text: str) -> list[dict]:
    return [{"short": d.short, "long": d.long_en, "long_zh": d.long_zh, "form": d.form}
            for d in paper_definitions(text, LEXICON)]


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


def zh_dev_rows(shared: Path = SHARED) -> list[tuple[str, ...]]:
    """(doc, short, long_zh, long_en, form, context) of every Chinese definition in the dev texts."""
    texts = []
    for line in (shared / "corpora" / "csl_medical" / "csl_medical_keywords.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        texts.append(("csl:" + d["title"][:20], d["title"] + "\n" + d["abstract"]))
    for path in sorted((shared / "corpora" / "chinaxiv").glob("*.txt")):
        texts.append((path.stem, path.read_text(encoding="utf-8")))
    # CSL keyword-generation abstracts of every discipline (title, abstract, keywords per line):
    # more Chinese definitions, with the same term boundaries to get right.
    for name in ("kg_dev", "kg_test"):
        path = shared / "corpora" / "csl_medical" / "raw" / f"{name}.tsv"
        if path.is_file():
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
                texts.append((f"{name}:{n}", "\n".join(line.split("\t")[:2])))
    rows = []
    for doc_id, text in texts:
        for d in paper_definitions(text, LEXICON):
            if d.long_zh:
                context = re.sub(r"\s", " ", text[max(0, d.start - 40):d.end + 3])
                rows.append((doc_id, d.short, d.long_zh, d.long_en or "", d.form, context))
    return rows


def zh_dev_precision(rows: list[tuple[str, ...]], judged: Path) -> dict:
    """Precision of the Chinese long form against a judgement TSV; rows nobody judged are counted apart."""
    accepted: dict[tuple[str, str], list[set[str]]] = {}
    for line in judged.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        doc_id, short, forms, *_ = line.split("\t")
        accepted.setdefault((doc_id, short), []).append(set(forms.split("|")))
    ok = wrong = unjudged = 0
    for doc_id, short, long_zh, *_ in rows:
        options = accepted.get((doc_id, short))
        if options is None:
            unjudged += 1
        elif any(long_zh in forms for forms in options):
            ok += 1
        else:
            wrong += 1
    return {"judged": ok + wrong, "correct": ok, "P": ok / (ok + wrong) if ok + wrong else 0.0, "unjudged": unjudged}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", help="corpus names (default: all); 'seeds' = shared/gold")
    parser.add_argument("--errors", action="store_true", help="print false positives and misses")
    parser.add_argument("--zh-dev", action="store_true", help="Chinese definitions of csl_medical + chinaxiv as TSV")
    parser.add_argument("--judged", type=Path, help="with --zh-dev: judgement TSV; print long_zh precision")
    args = parser.parse_args()
    if args.zh_dev:
        rows = zh_dev_rows()
        if args.judged:
            print(zh_dev_precision(rows, args.judged))
        else:
            print("\n".join("\t".join(r) for r in rows))
        return
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
