"""Direction benchmark on Evidence Inference 2.0 (English RCT abstracts).

For each test prompt whose evidence is in the abstract (``in_abstract`` true), the
abstract is split into sentences, the sentence that best mentions the outcome (and the
intervention) is chosen, and the tuples stage's English direction logic
(:func:`pipeline.tuples.english_direction`) labels it increase / decrease / no_change.
Prints macro-F1 over the three labels, accuracy, and the evidence-sentence hit rate (the
chosen sentence overlaps an annotator's evidence string). Majority class: 42.4%.

With ``--tuples`` it instead runs the whole pipeline (no NER) on each abstract written as a
``.txt`` and reports end-to-end tuple recall: a prompt is found when some produced tuple's
outcome text shares a content word with the prompt outcome and its direction equals the label
(improve/worsen counted as increase/decrease, as EI has three labels).

References:
    Lehman et al. 2019; DeYoung et al. 2020 (Evidence Inference 2.0).

Example: python benchmarks/bench_direction.py ../shared/corpora/evidence_inference
Example: python benchmarks/bench_direction.py --tuples --write /tmp/t3en
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.config import Config  # noqa: E402
from pipeline.rules import load_rules  # noqa: E402
from pipeline.tuples import STATISTIC_RE, TupleExtractor, english_direction  # noqa: E402

LABELS = {"significantly increased": "increase", "significantly decreased": "decrease",
          "no significant difference": "no_change"}
STOP = {"the", "of", "and", "in", "a", "an", "to", "with", "for", "on", "at", "by", "or", "was", "were", "vs",
        "group", "patients", "after", "levels", "level", "rate", "score", "scores", "from", "between"}


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOP and len(w) > 1}


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z(])|\n+", text)
    return [p.strip() for p in parts if len(p.strip()) > 20]


def pick_sentence(abstract: str, outcome: str, intervention: str, extractor: TupleExtractor) -> str | None:
    """Among the abstract sentences naming some outcome word, one that states a result (a statistic or a
    direction cue) wins; ties go to more outcome words, then more intervention words. Background and
    conclusion sentences often name the outcome too, but only a result sentence states its direction."""
    ow, iw = _words(outcome), _words(intervention)
    best, best_key = None, (False, 0, 0, 0)
    for sent in _sentences(abstract):
        sw = _words(sent)
        states = int(bool(STATISTIC_RE.search(sent)) or english_direction(sent, extractor, outcome) is not None)
        key = (bool(ow & sw), states, len(ow & sw), len(iw & sw))
        if key > best_key:
            best, best_key = sent, key
    return best


def macro_f1(gold: list[str], pred: list[str]) -> float:
    f1s = []
    for lab in ("increase", "decrease", "no_change"):
        tp = sum(g == p == lab for g, p in zip(gold, pred))
        fp = sum(p == lab and g != lab for g, p in zip(gold, pred))
        fn = sum(g == lab and p != lab for g, p in zip(gold, pred))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return sum(f1s) / len(f1s)


def _load(corpus: Path) -> tuple[dict[str, str], list[dict]]:
    with open(corpus / "ev2_test_abstracts.jsonl", encoding="utf-8") as fh:
        abstracts = {rec["pmcid"]: rec["text"] for rec in map(json.loads, fh)}
    with open(corpus / "ev2_test_prompts.jsonl", encoding="utf-8") as fh:
        prompts = [p for p in map(json.loads, fh) if any(p.get("in_abstract") or []) and p["pmcid"] in abstracts]
    return abstracts, prompts


def tuple_recall(corpus: Path, out_dir: Path, show: bool = False) -> None:
    """End-to-end recall of in-abstract prompts by the pipeline's tuples (see module docstring).

    Args:
        corpus: the evidence_inference folder.
        out_dir: where each abstract is written as ``ev_<pmcid>.txt`` before the run.
        show: print the prompts that no tuple matches, with the tuples of their abstract.
    """
    import pipeline

    abstracts, prompts = _load(corpus)
    out_dir.mkdir(parents=True, exist_ok=True)
    pipe = pipeline.build(Config(use_ner=False))
    tuples = {}
    for pmcid in sorted({p["pmcid"] for p in prompts}):
        path = out_dir / f"ev_{pmcid}.txt"
        path.write_text(abstracts[pmcid], encoding="utf-8")
        tuples[pmcid] = pipe.run(path).tuples
    found = 0
    for p in prompts:
        want, ow = LABELS[p["label"]], _words(p["outcome"])
        hit = any(ow & _words(t.outcome_text or "")
                  and {"improve": "increase", "worsen": "decrease"}.get(t.direction, t.direction) == want
                  for t in tuples[p["pmcid"]])
        found += hit
        if show and not hit:
            print(f"MISS {p['pmcid']} O={p['outcome']!r} {want} | {p['evidence'][0][:110]!r}")
    n_t = sum(len(v) for v in tuples.values())
    print(f"prompts {len(prompts)}  found {found}  recall {found / max(1, len(prompts)):.3f}  "
          f"abstracts {len(tuples)}  tuples {n_t}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path, nargs="?",
                    default=next((p / "shared" / "corpora" / "evidence_inference" for p in (ROOT.parent, ROOT.parent.parent)
                                 if (p / "shared").is_dir()), ROOT.parent / "shared" / "corpora" / "evidence_inference"))
    ap.add_argument("--tuples", action="store_true", help="end-to-end tuple recall instead of direction F1")
    ap.add_argument("--write", type=Path, default=Path("/tmp/ev_abstracts"), help="folder for the .txt abstracts")
    ap.add_argument("--show", action="store_true", help="with --tuples: print the missed prompts")
    args = ap.parse_args()
    if args.tuples:
        tuple_recall(args.corpus, args.write, args.show)
        return
    extractor = TupleExtractor(load_rules(Config().rules_dir))
    abstracts = {}
    with open(args.corpus / "ev2_test_abstracts.jsonl", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            abstracts[rec["pmcid"]] = rec["text"]
    gold, pred, hits, n = [], [], 0, 0
    with open(args.corpus / "ev2_test_prompts.jsonl", encoding="utf-8") as fh:
        for line in fh:
            p = json.loads(line)
            if not any(p.get("in_abstract") or []) or p["pmcid"] not in abstracts:
                continue
            n += 1
            sent = pick_sentence(abstracts[p["pmcid"]], p["outcome"], p["intervention"], extractor)
            label = english_direction(sent, extractor, p["outcome"], p["intervention"], p["comparator"]) if sent else None
            gold.append(LABELS[p["label"]])
            # EI has three labels: an improvement/worsening the sentence states counts as the change
            # in the outcome measure itself (improved survival = increase).
            pred.append({"improve": "increase", "worsen": "decrease"}.get(label, label) or "no_change")
            norm = re.sub(r"\s+", " ", (sent or "").lower())
            if any(re.sub(r"\s+", " ", e.lower())[:60] in norm or norm[:60] in re.sub(r"\s+", " ", e.lower())
                   for e in p["evidence"] if e):
                hits += 1
    acc = sum(g == q for g, q in zip(gold, pred)) / max(1, n)
    print(f"prompts {n}  macro-F1 {macro_f1(gold, pred):.3f}  accuracy {acc:.3f}  "
          f"evidence-sentence hit rate {hits / max(1, n):.3f}")
    print("gold", dict(Counter(gold)), "pred", dict(Counter(pred)))
    majority = Counter(gold).most_common(1)[0][1] / max(1, n)
    print(f"majority-class accuracy on this subset {majority:.3f}")


if __name__ == "__main__":
    main()
