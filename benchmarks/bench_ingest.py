"""Benchmark: ingestion speed and memory against bare pdfplumber.

For every PDF (the real ones in ../shared/corpora/pdfs when present, and the samples in
data/raw) it times three passes over all pages:

* ``chars``   - bare pdfplumber: open, touch ``page.chars`` on every page (the floor);
* ``extract`` - pdfplumber's own ``page.extract_text()``;
* ``ingest``  - :func:`pipeline.ingest.read` (layout, superscripts, furniture, paragraphs).

and prints pages per CPU-second for each and the share ``ingest`` loses to its layout work relative to
``chars``. Peak memory: the process's maximum resident set size, and the tracemalloc peak
of one ``ingest`` pass over the largest PDF. Text files (data/raw/*.txt and the seed papers
in ../shared/seeds) are timed as papers/s.

Example:
    nice python benchmarks/bench_ingest.py
    nice python benchmarks/bench_ingest.py --repeat 3 data/raw/*.pdf
"""

from __future__ import annotations

import argparse
import resource
import sys
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402

from benchmarks.timing import best_cpu_seconds  # noqa: E402
from pipeline import ingest  # noqa: E402
from pipeline.config import Config  # noqa: E402
from pipeline.types import PipelineError  # noqa: E402

SHARED = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()), None)


def _bare_chars(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            _ = page.chars
            page.close()
        return len(pdf.pages)


def _bare_extract(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
        return len(pdf.pages)


def _ingest(path: Path, config: Config) -> int:
    try:
        return len(ingest.read(path, config).pages)
    except PipelineError:
        with pdfplumber.open(path) as pdf:  # refused papers still cost their pages
            return len(pdf.pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path, help="PDFs (default: shared corpus + data/raw samples)")
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs per file and method")
    args = parser.parse_args(argv)
    config = Config()
    pdfs = args.pdfs or sorted((SHARED / "corpora" / "pdfs").glob("*.pdf") if SHARED else []) + sorted(
        (ROOT / "data" / "raw").glob("*.pdf"))
    totals = {"chars": 0.0, "extract": 0.0, "ingest": 0.0}
    total_pages = 0
    # Once-per-process loads (the English word counts from the rule tables for de-gluing, imports)
    # are paid by whichever paper comes first: reported apart, not charged to the first file's pages.
    warm = next(iter(sorted((ROOT / "data" / "raw").glob("*.txt"))), None)
    if warm is not None:
        print(f"one-off start-up (first ingest in this process, {warm.name}): "
              f"{best_cpu_seconds(lambda: ingest.read(warm, config), 1):.2f} CPU-s")
    print(f"{'file':48s} {'pages':>5s} {'chars p/s':>10s} {'extract p/s':>12s} {'ingest p/s':>11s} {'lost':>6s}")
    for path in pdfs:
        times = {
            "chars": best_cpu_seconds(lambda: _bare_chars(path), args.repeat),
            "extract": best_cpu_seconds(lambda: _bare_extract(path), args.repeat),
            "ingest": best_cpu_seconds(lambda: _ingest(path, config), args.repeat),
        }
        pages = _bare_chars(path)
        total_pages += pages
        for k, v in times.items():
            totals[k] += v
        lost = 1 - times["chars"] / times["ingest"]
        print(f"{path.name[:48]:48s} {pages:5d} {pages / times['chars']:10.1f} {pages / times['extract']:12.1f} "
              f"{pages / times['ingest']:11.1f} {lost:6.0%}")
    if total_pages:
        lost = 1 - totals["chars"] / totals["ingest"]
        print(f"{'ALL':48s} {total_pages:5d} {total_pages / totals['chars']:10.1f} "
              f"{total_pages / totals['extract']:12.1f} {total_pages / totals['ingest']:11.1f} {lost:6.0%}")
        largest = max(pdfs, key=lambda p: p.stat().st_size)
        tracemalloc.start()
        _ingest(largest, config)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"tracemalloc peak for one ingest of {largest.name}: {peak / 2**20:.1f} MiB")

    texts = sorted((ROOT / "data" / "raw").glob("*.txt"))
    if SHARED:
        texts += sorted((SHARED / "seeds").glob("*.txt"))
    if texts:
        n_bytes = sum(p.stat().st_size for p in texts)
        seconds = best_cpu_seconds(lambda: [ingest.read(p, config) for p in texts], max(3, args.repeat))
        print(f"text files: {len(texts)} papers, {n_bytes / 1e6:.2f} MB in {seconds:.3f} s -> "
              f"{len(texts) / seconds:.1f} papers/s ({n_bytes / 1e6 / seconds:.1f} MB/s)")
    print(f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
