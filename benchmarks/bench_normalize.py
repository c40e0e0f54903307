"""Benchmark: TermMatcher build time and matching speed.

Prints the time to build the matcher from a rules folder and the chars/s of
``TermMatcher.find`` and of the whole normalize stage on a synthetic paper made from the
table's own aliases (every alias once, between filler words, in both languages), plus the
shared seed papers when ``../shared`` is present, and those papers repeated to ``--chars`` with and
without stand-in model spans. Times are CPU seconds (the machine is shared).

Example:
    python benchmarks/bench_normalize.py --rules rules --chars 20000
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.timing import best_cpu_seconds  # noqa: E402
from pipeline.normalize import Normalizer, TermMatcher, fold  # noqa: E402
from pipeline.rules import load_rules  # noqa: E402
from pipeline.types import Document, Mention  # noqa: E402

FILLER_EN = "the of and in was were after treatment group compared with increased decreased".split()
MODEL_SPAN_RE = re.compile(r"[\u4e00-\u9fff]{3,6}|[A-Za-z]{4,}(?: [A-Za-z]{3,}){1,2}")
MODEL_SPAN_GAP = 150  # chars between stand-in model spans
FILLER_ZH = ["研究", "发现", "治疗", "后", "明显", "增加", "降低", "组", "与", "相比", "，", "。"]


def synthetic_text(rules, n_chars: int, seed: int = 0) -> str:
    """A text of about ``n_chars`` chars mixing the table's aliases with filler words."""
    rng = random.Random(seed)
    aliases = [r["alias"] for r in rules.aliases] or ["MSCs"]
    parts: list[str] = []
    size = 0
    while size < n_chars:
        alias = rng.choice(aliases)
        filler = rng.choice(FILLER_ZH) if rng.random() < 0.5 else " " + rng.choice(FILLER_EN) + " "
        parts += [alias, filler]
        size += len(alias) + len(filler)
    return "".join(parts)[:n_chars]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=Path, default=ROOT / "rules")
    parser.add_argument("--chars", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    rules = load_rules(args.rules, strict=False)
    t0 = time.perf_counter()
    matcher = TermMatcher(rules)
    build_s = time.perf_counter() - t0
    print(f"rules {args.rules}: {len(rules.concepts)} concepts, {len(rules.aliases)} aliases, "
          f"{len(matcher)} folded keys; build {build_s:.3f} s")

    texts = {"synthetic": synthetic_text(rules, args.chars)}
    seeds = ROOT.parent / "shared" / "seeds"
    if not seeds.is_dir():
        seeds = ROOT.parent.parent / "shared" / "seeds"
    for path in sorted(seeds.glob("*.txt")) if seeds.is_dir() else []:
        texts[path.stem] = path.read_text(encoding="utf-8")
    real = "\n".join(t for name, t in texts.items() if name != "synthetic")
    if real:  # real papers repeated to the size asked: real text is less dense than synthetic
        texts["seeds_repeated"] = (real * (args.chars // len(real) + 1))[: args.chars]

    normalizer = Normalizer(rules)
    for name, text in texts.items():
        fold(text)  # warm the char cache (OpenCC) once, as a long run would be
        fold_s = best_cpu_seconds(lambda: fold(text), args.repeat)
        find_s = best_cpu_seconds(lambda: matcher.find(text), args.repeat)
        doc = Document(doc_id=name, text=text, source_path=name)
        stage_s = best_cpu_seconds(lambda: normalizer(doc), args.repeat)
        n = len(matcher.find(text))
        print(f"{name:24s} {len(text):7d} chars  fold {fold_s * 1000:6.1f} ms  find {find_s * 1000:6.1f} ms "
              f"({len(text) / find_s:,.0f} chars/s, {n} matches)  stage {stage_s * 1000:6.1f} ms")
    if real:  # model spans make the stage look each unmatched term up (fuzzy): time that too
        text = texts["seeds_repeated"]
        spans = model_spans(text)
        doc = Document(doc_id="model", text=text, source_path="model", mentions=spans)
        stage_s = best_cpu_seconds(lambda: normalizer(doc), args.repeat)
        print(f"{'seeds_repeated + model':24s} {len(text):7d} chars  {len(spans)} model spans "
              f"({len({m.text for m in spans})} distinct)  stage {stage_s * 1000:6.1f} ms")


def model_spans(text: str) -> tuple[Mention, ...]:
    """Stand-in NER output: a run of 3-6 Chinese chars or 2-3 English words every ~150 chars."""
    spans: list[Mention] = []
    for m in MODEL_SPAN_RE.finditer(text):
        if not spans or m.start() - spans[-1].end > MODEL_SPAN_GAP:
            spans.append(Mention(m.start(), m.end(), m.group(), "GENE_PROTEIN", "model", score=0.5))
    return tuple(spans)


if __name__ == "__main__":
    main()
