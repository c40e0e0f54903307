"""Running many papers.

Collects input files (recursing into folders), runs the pipeline on each, keeps every
paper's rows in the run's store as soon as it is done (so an interrupted run resumes),
reports a bad paper as one line in the ``errors`` table and on stderr and carries on,
then writes the tables, the clean texts and the manifest atomically.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import export
from pipeline.config import INPUT_SUFFIXES, Config
from pipeline.store import Store
from pipeline.types import PipelineError


@dataclass
class RunResult:
    out_dir: Path
    n_docs: int = 0
    n_ok: int = 0
    n_errors: int = 0
    n_skipped: int = 0  # reused from the store
    pages: int = 0
    sentences: int = 0
    citations: int = 0
    abbreviations: int = 0
    mentions: int = 0
    tuples: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.n_docs} papers ({self.n_errors} errors, {self.n_skipped} resumed), {self.pages} pages, "
                f"{self.sentences} sentences, {self.citations} citations, {self.abbreviations} abbreviations, "
                f"{self.mentions} mentions, {self.tuples} tuples, {self.seconds:.1f} s -> {self.out_dir}")


def collect_inputs(inputs: list[Path]) -> list[Path]:
    """Files named, and files under folders named (recursively), in a stable order.

    Files named directly are kept whatever their extension (a wrong one is reported
    per paper); in folders only ``.txt``, ``.md`` and ``.pdf`` files are taken.
    """
    files: list[Path] = []
    for item in inputs:
        item = Path(item)
        if item.is_dir():
            files.extend(sorted(p for p in item.rglob("*") if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES
                                and not p.name.startswith(".")))
        elif item.exists():
            files.append(item)
        else:
            raise FileNotFoundError(f"no such file or folder: {item}")
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def assign_doc_ids(files: list[Path]) -> list[str]:
    """``doc_id`` is the file's stem; a stem seen twice gets its parent folder's name added."""
    ids: list[str] = []
    taken: set[str] = set()
    for f in files:
        doc_id = f.stem
        if doc_id in taken:
            doc_id = f"{f.parent.name}__{f.stem}"
        n = 2
        base = doc_id
        while doc_id in taken:
            doc_id = f"{base}_{n}"
            n += 1
        taken.add(doc_id)
        ids.append(doc_id)
    return ids


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return ""
    return h.hexdigest()


_WORKER_PIPELINE = None


def _init_worker(config: Config) -> None:
    global _WORKER_PIPELINE
    import pipeline

    _WORKER_PIPELINE = pipeline.build(config)


def _process(pipe, path: Path, doc_id: str, sha: str) -> tuple[str, dict, str | None, float]:
    """Run one paper; returns (status, rows, clean text or None, seconds)."""
    from dataclasses import replace

    from pipeline import ingest

    t0 = time.perf_counter()
    fmt = path.suffix.lower().lstrip(".")
    try:
        doc = ingest.read(path, pipe.config, doc_id=doc_id)
        doc = replace(doc, sha256=sha, timings={"ingest": round(time.perf_counter() - t0, 4)})
        doc = pipe(doc)
    except PipelineError as exc:
        return "error", export.error_rows(doc_id, str(path), exc.stage, exc.message, sha, fmt), None, \
            time.perf_counter() - t0
    except MemoryError:
        return "error", export.error_rows(doc_id, str(path), "unknown", "out of memory", sha, fmt), None, \
            time.perf_counter() - t0
    except Exception as exc:  # noqa: BLE001 - one bad paper never stops the batch
        msg = f"{type(exc).__name__}: {exc}".splitlines()[0]
        return "error", export.error_rows(doc_id, str(path), "unknown", msg, sha, fmt), None, \
            time.perf_counter() - t0
    seconds = time.perf_counter() - t0
    rows = export.document_rows(doc, seconds)
    rows["documents"][0]["timings"] = doc.timings
    return "ok", rows, doc.text, seconds


def _process_in_worker(path: Path, doc_id: str, sha: str):
    return _process(_WORKER_PIPELINE, path, doc_id, sha)


def run_batch(pipe, inputs: list[Path], out_dir: Path, progress: bool = False) -> RunResult:
    """Process ``inputs`` into ``out_dir``.

    Args:
        pipe: a built :class:`pipeline.Pipeline`.
        inputs: files and folders.
        out_dir: the run folder (created; an existing run there is resumed).
        progress: show a progress bar on stderr.

    Returns:
        Counts and the per-paper error lines.
    """
    t_start = time.perf_counter()
    out_dir = Path(out_dir)
    files = collect_inputs(inputs)
    doc_ids = assign_doc_ids(files)
    store = Store(out_dir)
    settings = pipe.config.settings_hash() + ":" + _rules_digest(pipe.config)
    result = RunResult(out_dir=out_dir, n_docs=len(files))
    todo = []
    for path, doc_id in zip(files, doc_ids):
        sha = file_sha256(path)
        if sha and store.done(doc_id, sha, settings) is not None and (out_dir / "text" / f"{doc_id}.txt").exists():
            result.n_skipped += 1
            continue
        todo.append((path, doc_id, sha))

    bar = None
    if progress and todo:
        from tqdm import tqdm

        bar = tqdm(total=len(todo), unit="paper", file=sys.stderr, dynamic_ncols=True)

    def record(path: Path, doc_id: str, sha: str, outcome) -> None:
        status, rows, text, seconds = outcome
        if text is not None:
            export.atomic_write_text(out_dir / "text" / f"{doc_id}.txt", text)
        store.put(doc_id, str(path), sha, settings, status, rows, seconds)
        if status == "error":
            err = rows["errors"][0]
            line = f"error: {doc_id}: {err['stage']}: {err['error']}"
            if bar is not None:
                bar.write(line, file=sys.stderr)
            else:
                print(line, file=sys.stderr)
        if bar is not None:
            bar.update(1)

    workers = min(pipe.config.workers, max(1, len(todo)))
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(pipe.config,)) as pool:
            futures = [(pool.submit(_process_in_worker, p, d, s), p, d, s) for p, d, s in todo]
            for fut, p, d, s in futures:
                record(p, d, s, fut.result())
    else:
        for p, d, s in todo:
            record(p, d, s, _process(pipe, p, d, s))
    if bar is not None:
        bar.close()

    # Tables hold every paper of this run, in input order, rebuilt from the store.
    merged: dict[str, list[dict]] = {name: [] for name in export.TABLES}
    timings: dict[str, float] = {}
    for rows in store.rows(doc_ids):
        for name, table_rows in rows.items():
            if name in merged:
                merged[name].extend(table_rows)
        for doc_row in rows.get("documents", []):
            for stage, sec in (doc_row.pop("timings", None) or {}).items():
                timings[stage] = round(timings.get(stage, 0.0) + sec, 4)
    store.close()
    merged["candidates"] = _candidates(merged["mentions"])
    counts = export.write_tables(out_dir, merged)

    result.n_errors = counts["errors"]
    result.n_ok = result.n_docs - result.n_errors
    result.pages = sum(int(r.get("pages") or 0) for r in merged["documents"])
    result.sentences = counts["sentences"]
    result.citations = counts["citations"]
    result.abbreviations = counts["abbreviations"]
    result.mentions = counts["mentions"]
    result.tuples = counts["tuples"]
    result.errors = [f"{r['doc_id']}: {r['stage']}: {r['error']}" for r in merged["errors"]]
    result.seconds = time.perf_counter() - t_start
    export.write_manifest(out_dir, _manifest(pipe.config, result, counts, timings, files))
    _write_report(out_dir)
    return result


def _rules_digest(config: Config) -> str:
    try:
        from pipeline.rules import load_rules

        return load_rules(config.rules_dir).digest
    except Exception:  # noqa: BLE001 - a broken rules folder is reported by the stages
        return "unreadable"


def _candidates(mentions: list[dict]) -> list[dict]:
    """Model-only spans no alias matched (flag new_concept), grouped by term: what a curator may add to rules/."""
    grouped: dict[tuple[str, str], dict] = {}
    for m in mentions:
        if m.get("source") != "model" or m.get("flag") != "new_concept":
            continue
        key = (m["text"], m["label"])
        g = grouped.setdefault(key, {"term": m["text"], "label": m["label"], "count": 0, "example": "",
                                     "doc_ids": []})
        g["count"] += 1
        if m["doc_id"] not in g["doc_ids"]:
            g["doc_ids"].append(m["doc_id"])
    out = sorted(grouped.values(), key=lambda g: (-g["count"], g["term"]))
    for g in out:
        g["doc_ids"] = ";".join(g["doc_ids"])
    return out


def _manifest(config: Config, result: RunResult, counts: dict, timings: dict, files: list[Path]) -> dict:
    import platform

    import pipeline

    versions = {"pipeline": pipeline.__version__, "python": platform.python_version()}
    for mod in ("pdfplumber", "jieba", "spacy", "transformers", "torch", "pandas"):
        try:
            versions[mod] = __import__(mod).__version__
        except Exception:  # noqa: BLE001
            versions[mod] = None
    return {
        "versions": versions,
        "settings": config.as_dict(),
        "settings_hash": config.settings_hash(),
        "rules_hash": _rules_digest(config),
        "ner_model": str(config.ner_model) if config.use_ner and config.ner_model else None,
        "inputs": [str(f) for f in files],
        "counts": counts,
        "papers": result.n_docs,
        "errors": result.n_errors,
        "resumed": result.n_skipped,
        "stage_seconds": timings,
        "seconds": round(result.seconds, 3),
        "pid": os.getpid(),
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }


def _write_report(out_dir: Path) -> None:
    """Build the HTML report when the report module is available."""
    try:
        from pipeline import report
    except ImportError:
        return
    builder = getattr(report, "build_report", None)
    if builder is not None:
        builder(out_dir)
