"""Tuple benchmark: run the pipeline's tuples stage on the seed papers and score against gold.

Scoring is the lead's ``pipeline.evaluate.tuple_matches`` (shared/gold/README.md): a predicted
tuple matches a gold tuple when the refs overlap, some gold outcome alias and the predicted
outcome (text or preferred name) contain one another (case-insensitive), the same for the
intervention, and the direction is one of the gold directions.

Example: python benchmarks/bench_tuples.py ../../shared --show-misses 000
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.config import Config  # noqa: E402


def as_row(pred) -> dict:
    """A StudyTuple as the row ``pipeline.evaluate`` scores (refs list, names and surface texts)."""
    return {"refs": list(pred.refs), "direction": pred.direction, "outcome": pred.outcome,
            "outcome_text": pred.outcome_text, "intervention": pred.intervention,
            "intervention_text": pred.intervention_text}


def match(pred, gold) -> bool:
    """Whether one predicted tuple (a StudyTuple) matches one gold tuple (a dict), by the lead's
    ``pipeline.evaluate.tuple_matches`` (the gold README rule, strict containment)."""
    from pipeline.evaluate import tuple_matches

    return tuple_matches(as_row(pred), gold)


def run_docs(shared: Path):
    import pipeline
    from pipeline import ingest

    config = Config(use_ner=False)
    pipe = pipeline.build(config)
    for gold_path in sorted((shared / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        src = shared / "seeds" / f"{gold_path.stem}.txt"
        doc = pipe(ingest.read(src, config)) if hasattr(ingest, "read") else None
        yield gold_path.stem, doc, gold


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("shared", type=Path, nargs="?", default=ROOT.parent.parent / "shared")
    ap.add_argument("--show", default="", help="doc stem prefix: print false positives and misses")
    args = ap.parse_args()
    tot_g = tot_gm = tot_p = tot_pm = 0
    for stem, doc, gold in run_docs(args.shared):
        preds = list(doc.tuples)
        g = gold["tuples"]
        gm = [any(match(p, x) for p in preds) for x in g]
        pm = [any(match(p, x) for x in g) for p in preds]
        tot_g += len(g); tot_gm += sum(gm); tot_p += len(preds); tot_pm += sum(pm)
        print(f"{stem}: gold {len(g)} recall {sum(gm) / max(1, len(g)):.3f}  "
              f"pred {len(preds)} precision {sum(pm) / max(1, len(preds)):.3f}")
        if args.show and stem.startswith(args.show):
            for p, ok in zip(preds, pm):
                if not ok:
                    print(f"  FP {p.refs} I={p.intervention_text!r} O={p.outcome_text!r} {p.direction} | "
                          f"{p.evidence[:70]}")
            for x, ok in zip(g, gm):
                if not ok:
                    print(f"  MISS {x['refs']} I={x['intervention'][:2]} O={x['outcome'][:2]} {x['direction']} | "
                          f"{x['evidence'][:50]!r}")
    r = tot_gm / max(1, tot_g)
    p = tot_pm / max(1, tot_p)
    print(f"ALL: recall {r:.3f} ({tot_gm}/{tot_g})  precision {p:.3f} ({tot_pm}/{tot_p})  "
          f"F1 {2 * p * r / max(1e-9, p + r):.3f}")


if __name__ == "__main__":
    main()
