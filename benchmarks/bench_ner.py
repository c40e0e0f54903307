"""Benchmark: NER inference speed against PDF parsing of the same paper.

Runs the ``ner`` stage's tagger on one CPU thread over the text of each paper given (PDFs
are read with ``pipeline.ingest`` first, and that parsing is timed too), with and without
dynamic int8 quantization, and prints characters per second. The issue's budget: tagging
a paper should not cost more than parsing its PDF.

Example:
    python benchmarks/bench_ner.py ../shared/corpora/pdfs/en_med_23_clinsci2014.pdf ../shared/seeds/000_*.txt
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import ingest, ner  # noqa: E402
from pipeline.config import DEFAULT_NER_MODEL, Config  # noqa: E402
from pipeline.types import PipelineError  # noqa: E402

# Repeats per measurement; the median is reported (the machine is shared, outliers are common).
REPEATS = 3


def _default_papers() -> list[Path]:
    for base in (ROOT.parent, ROOT.parent.parent):
        shared = base / "shared"
        if shared.is_dir():
            pdfs = sorted((shared / "corpora" / "pdfs").glob("*.pdf"))
            seeds = sorted((shared / "seeds").glob("*.txt"))
            return pdfs[:3] + seeds[:1]
    return sorted((ROOT / "data" / "raw").glob("*"))[:3]


def _median_seconds(fn, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("papers", nargs="*", type=Path, help="PDF or text files (default: a few shared papers)")
    parser.add_argument("--model", type=Path, default=DEFAULT_NER_MODEL, help="NER model folder")
    parser.add_argument("--threads", type=int, default=1, help="torch threads")
    opts = parser.parse_args(argv)
    papers = opts.papers or _default_papers()
    config = Config()
    taggers = {q: ner.NerTagger(opts.model, threads=opts.threads, quantize=q) for q in (False, True)}
    print(f"model {opts.model.name}, {opts.threads} thread(s), median of {REPEATS}")
    print(f"{'paper':42} {'chars':>7} {'parse s':>8} {'ner s':>7} {'ner int8 s':>10} "
          f"{'chars/s':>8} {'int8 chars/s':>12} {'int8 ner/parse':>14}")
    totals = {"chars": 0, "parse": 0.0, False: 0.0, True: 0.0}
    for path in papers:
        try:
            parse_s = _median_seconds(lambda: ingest.read(path, config), 1 if path.suffix != ".pdf" else REPEATS)
            doc = ingest.read(path, config)
        except PipelineError as exc:
            print(f"{path.name[:42]:42} ingest failed: {exc.message}")
            continue
        text = doc.text
        secs = {q: _median_seconds(lambda t=tagger: t.tag(text)) for q, tagger in taggers.items()}
        ratio = f"{secs[True] / parse_s:.2f}" if path.suffix.lower() == ".pdf" and parse_s > 0 else "-"
        print(f"{path.name[:42]:42} {len(text):7d} {parse_s:8.3f} {secs[False]:7.3f} {secs[True]:10.3f} "
              f"{len(text) / secs[False]:8.0f} {len(text) / secs[True]:12.0f} {ratio:>14}")
        totals["chars"] += len(text)
        totals["parse"] += parse_s if path.suffix.lower() == ".pdf" else 0.0
        totals[False] += secs[False]
        totals[True] += secs[True]
    if totals["chars"]:
        print(f"all: {totals['chars'] / totals[False]:.0f} chars/s float32, "
              f"{totals['chars'] / totals[True]:.0f} chars/s int8 on {opts.threads} thread(s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
