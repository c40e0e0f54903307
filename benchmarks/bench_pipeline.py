"""Whole-pipeline benchmark: seconds per stage, characters/s and peak memory.

Runs every stage on the given papers (default: the bundled samples and, when present,
../shared/seeds) plus one synthetic long paper made by repeating them, so that a stage
whose cost grows faster than the text shows up.

    python benchmarks/bench_pipeline.py [--no-ner] [--repeat 12] [PATHS...]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pipeline  # noqa: E402
from pipeline import ingest  # noqa: E402
from pipeline.batch import collect_inputs  # noqa: E402
from pipeline.config import Config  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--no-ner", action="store_true")
    parser.add_argument("--repeat", type=int, default=12, help="copies of the texts in the long paper")
    args = parser.parse_args()
    paths = args.paths or [ROOT / "data" / "raw"] + ([ROOT.parent / "shared" / "seeds"]
                                                       if (ROOT.parent / "shared" / "seeds").exists() else [])
    config = Config(use_ner=not args.no_ner)
    t0 = time.perf_counter()
    pipe = pipeline.build(config)
    print(f"build: {time.perf_counter() - t0:.2f} s")
    docs = [ingest.read(p, config) for p in collect_inputs(paths) if p.suffix == ".txt"]
    pipe(docs[0])  # warm-up: lazy loads (jieba, spaCy, the matcher) are not per-paper costs
    totals: dict[str, float] = {}
    chars = 0
    t0 = time.perf_counter()
    for doc in docs:
        done = pipe(doc)
        chars += len(doc.text)
        for stage, sec in done.timings.items():
            totals[stage] = totals.get(stage, 0.0) + sec
    wall = time.perf_counter() - t0
    print(f"{len(docs)} papers, {chars} chars: {len(docs) / wall:.2f} papers/s, {chars / wall:,.0f} chars/s")
    print("  per stage (s): " + ", ".join(f"{k} {v:.2f}" for k, v in totals.items()))
    long_text = "\n".join(d.text for d in docs) * args.repeat
    long_doc = replace(docs[0], doc_id="long", text=long_text, pages=())
    t0 = time.perf_counter()
    done = pipe(long_doc)
    wall = time.perf_counter() - t0
    print(f"long paper, {len(long_text)} chars: {wall:.1f} s, {len(long_text) / wall:,.0f} chars/s")
    print("  per stage (s): " + ", ".join(f"{k} {v:.2f}" for k, v in done.timings.items()))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
