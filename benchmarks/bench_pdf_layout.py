"""Benchmark: what the journal-PDF path loses against the same paper as text.

Every seed paper (``../shared/seeds/*.txt``, with gold in ``../shared/gold``) is typeset
by ``scripts/render_journal_pdf.py`` as a two-column Chinese journal PDF (running
headers, DOI line, first-page footnotes, a figure, tables, small-type references), in
two variants: citation markers printed as raised ``[12]`` and as bare raised ``12``.
A third set ``pdf-wide`` sets tables of three or more columns across the page (at the
top of the next page), as journals do with wide tables.
The text files and each PDF set are run through the pipeline (rules only, as
``cli.py run --no-ner``) and scored with ``cli.py eval``; the PDFs carry the seed's
file stem, so they are scored against the same gold file.

Printed per run: the micro scores (abbreviations, concept groups, tuples) and two
layout checks on the PDF's clean text: ``furniture`` = sentences holding a piece of the
invented running headers/footers (journal name, DOI, web address), or a footnote label
outside a metadata sentence, and
``order`` = the share of the text run's body sentences (prose, 20+ chars) found whole
in the PDF run's text (column order, line joins, markers).

Example:
    nice -n 19 python benchmarks/bench_pdf_layout.py --work /tmp/bench_pdf
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import pipeline  # noqa: E402
import render_journal_pdf as render  # noqa: E402
from pipeline import evaluate  # noqa: E402
from pipeline.config import Config  # noqa: E402

SHARED = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()), None)
# Pieces of the renderer's running headers and footers, which must never reach a sentence ...
FURNITURE = (render.JOURNAL_ZH, render.DOI, render.WEBSITE)
# ... and of its first-page footnotes, which may stand as their own metadata ('other')
# sentences but must not be glued into the body.
FOOTNOTE_PIECES = ("收稿日期", "基金项目", "作者简介", "通信作者：示例")
# Body sentences shorter than this say too little about order (headings, fragments).
MIN_ORDER_CHARS = 20


def _run(inputs: Path, out: Path) -> dict:
    config = Config(use_ner=False)
    pipeline.run_batch(pipeline.build(config, lazy=True), [inputs], out)
    return evaluate.evaluate_run(out, [SHARED / "gold"])


def _sentences(run: Path) -> dict[str, list[dict]]:
    with open(run / "sentences.csv", encoding="utf-8") as f:
        out: dict[str, list[dict]] = {}
        for row in csv.DictReader(f):
            out.setdefault(row["doc_id"], []).append(row)
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def layout_checks(txt_run: Path, pdf_run: Path) -> tuple[int, float]:
    """Furniture sentences in the PDF run, and the share of text-run body sentences kept whole.

    Args:
        txt_run: the run folder of the text files.
        pdf_run: the run folder of the PDFs.

    Returns:
        ``(furniture, order)``.
    """
    furniture = sum(1 for rows in _sentences(pdf_run).values() for r in rows
                    if any(piece in r["text"] for piece in FURNITURE)
                    or (r["section"] != "other" and any(piece in r["text"] for piece in FOOTNOTE_PIECES)))
    kept = total = 0
    for doc_id, rows in _sentences(txt_run).items():
        pdf_text = _squash((pdf_run / "text" / f"{doc_id}.txt").read_text(encoding="utf-8"))
        for r in rows:
            if r["section"] == "body" and len(r["text"]) >= MIN_ORDER_CHARS:
                total += 1
                kept += _squash(r["text"]) in pdf_text
    return furniture, kept / max(total, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench_pdf_layout"), help="scratch folder (not the repo)")
    args = parser.parse_args(argv)
    if SHARED is None:
        print("../shared not found: nothing to measure")
        return 1
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    rows = [("txt", _run(SHARED / "seeds", args.work / "run_txt"), None)]
    for name, bare, wide in (("pdf[12]", False, False), ("pdf^12", True, False), ("pdf-wide", False, True)):
        pdf_dir = args.work / f"pdf_{'wide' if wide else 'bare' if bare else 'brackets'}"
        for src in seeds:
            render.render(src, pdf_dir / f"{src.stem}.pdf", bare=bare, wide_tables=wide)
        run = args.work / f"run_{pdf_dir.name}"
        rows.append((name, _run(pdf_dir, run), layout_checks(args.work / "run_txt", run)))
    print(f"{'run':8} {'abbr P/R':>12} {'groups P/R/F1':>20} {'tuples P/R/F1 (pred/gold)':>34} {'furniture':>9} {'order':>6}")
    for name, scores, checks in rows:
        m = scores["micro"]
        a, g, t = m["abbreviations"], m["concept_groups"], m["tuples"]
        furn, order = checks if checks else ("-", 1.0)
        print(f"{name:8} {a['precision']:.3f}/{a['recall']:.3f} "
              f"{g['precision']:>8.3f}/{g['recall']:.3f}/{g['f1']:.3f} "
              f"{t['precision']:>10.3f}/{t['recall']:.3f}/{t['f1']:.3f} ({t['n_pred']}/{t['n_gold']}) "
              f"{furn:>9} {order:>6.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
