"""Running many papers.

Collects input files (recursing into folders), runs the pipeline on each, keeps every
paper's rows in the run's store as soon as it is done (so an interrupted run resumes),
reports a bad paper as one line in the ``errors`` table and on stderr and carries on,
then writes the tables, the clean texts and the manifest atomically.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import re
import sys
import time
from multiprocessing.connection import wait as wait_for_connections
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


# Files that travel with a folder of papers but are not papers (a corpus's README).
NOT_PAPERS = re.compile(r"^(readme|manifest|license|licence|changelog|copying|notice)\b", re.IGNORECASE)


def collect_inputs(inputs: list[Path]) -> list[Path]:
    """Files named, and files under folders named (recursively), in a stable order.

    Files named directly are kept whatever their extension (a wrong one is reported
    per paper); in folders only ``.txt``, ``.md`` and ``.pdf`` files are taken, and
    README/MANIFEST/LICENSE files are passed over.
    """
    files: list[Path] = []
    for item in inputs:
        item = Path(item)
        if item.is_dir():
            files.extend(sorted(p for p in item.rglob("*") if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES
                                and not p.name.startswith(".") and not NOT_PAPERS.match(p.name)))
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
    """``doc_id`` is the file's stem; stems shared by several inputs are told apart the same
    way whatever the input order: by the format when the suffixes differ (``paper__pdf``,
    ``paper__txt``), else by the parent folder (``folder__paper``), else by a counter."""
    from collections import Counter

    stems = Counter(f.stem for f in files)
    ids: list[str] = []
    for f in files:
        if stems[f.stem] == 1:
            ids.append(f.stem)
            continue
        same_stem = [g for g in files if g.stem == f.stem]
        if len({g.suffix.lower() for g in same_stem}) == len(same_stem):
            ids.append(f"{f.stem}__{f.suffix.lower().lstrip('.')}")
        else:
            ids.append(f"{f.parent.name}__{f.stem}")
    taken: Counter = Counter()
    unique = []
    for doc_id in ids:
        taken[doc_id] += 1
        unique.append(doc_id if taken[doc_id] == 1 else f"{doc_id}_{taken[doc_id]}")
    return unique


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return ""
    return h.hexdigest()


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


# A tiny bilingual paper run once per process so that lazy loads (jieba, spaCy, the
# matcher, the model) are not counted in the first real paper's seconds.
WARM_UP_TEXT = ("骨髓间充质干细胞（bone marrow mesenchymal stem cells, BMSCs）可促进成骨[1]。\n"
                "Bone marrow mesenchymal stem cells (BMSCs) increased bone mineral density in rats [2]. "
                "The effect lasted eight weeks.\n")


def _quiet_libraries() -> None:
    # pdfminer reports recoverable font/colour problems on stderr for many real PDFs.
    for name in ("pdfminer", "pdfplumber", "pikepdf"):
        logging.getLogger(name).setLevel(logging.ERROR)


def warm_up(pipe) -> None:
    from pipeline.types import Document, Page

    doc = Document(doc_id="warm_up", text=WARM_UP_TEXT, source_path="", pages=(Page(1, 0, len(WARM_UP_TEXT)),))
    try:
        pipe(doc)
    except Exception:  # noqa: BLE001 - a failing stage is reported on the real papers
        pass


def _worker_main(conn, config: Config) -> None:
    """A worker process: build the pipeline once, then process the papers it is sent."""
    _quiet_libraries()
    import pipeline

    pipe = pipeline.build(config)
    warm_up(pipe)
    conn.send(("ready", None))
    while True:
        task = conn.recv()
        if task is None:
            return
        conn.send(("done", _process(pipe, *task)))


class _Worker:
    """One worker process with its pipe, the paper it holds and that paper's deadline."""

    def __init__(self, ctx, config: Config) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, config), daemon=True)
        self.proc.start()
        child.close()
        self.ready = False
        self.task: tuple | None = None
        self.deadline = 0.0

    def give(self, task: tuple, timeout: float) -> None:
        self.task = task
        self.deadline = time.monotonic() + timeout
        self.conn.send(task)

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.terminate()
        self.proc.join(5)
        self.conn.close()


def lost_paper(config: Config, task: tuple, why: str) -> tuple:
    """The outcome of a paper whose worker gave up on it (timeout) or died: one error row.

    Args:
        config: run settings (the paper is charged ``paper_timeout`` seconds).
        task: (path, doc_id, sha) as handed to the worker.
        why: the one-line reason.
    """
    path, doc_id, sha = task
    fmt = Path(path).suffix.lower().lstrip(".")
    return "error", export.error_rows(doc_id, str(path), "unknown", why, sha, fmt), None, config.paper_timeout


def _run_isolated(config: Config, todo: list[tuple], record) -> None:
    """Run papers in worker processes; a paper over ``config.paper_timeout`` or one that kills
    its worker becomes an error row, and a fresh worker takes the rest."""
    ctx = multiprocessing.get_context("spawn")
    pending = list(todo)
    workers = [_Worker(ctx, config) for _ in range(min(config.workers, len(todo)))]
    try:
        while pending or any(w.task for w in workers):
            for w in workers:
                if w.ready and w.task is None and pending:
                    w.give(pending.pop(0), config.paper_timeout)
            busy = [w.deadline for w in workers if w.task]
            wait_s = max(0.05, min(busy) - time.monotonic()) if busy else 5.0
            ready = wait_for_connections([w.conn for w in workers], timeout=wait_s)
            for i, w in enumerate(workers):
                message = None
                if w.conn in ready:
                    try:
                        message = w.conn.recv()
                    except (EOFError, OSError):
                        message = ("died", None)
                if message and message[0] == "ready":
                    w.ready = True
                elif message and message[0] == "done":
                    task, w.task = w.task, None
                    record(*task, message[1])
                elif message or (w.task and time.monotonic() > w.deadline):
                    task = w.task
                    if message is None:
                        why = f"timeout: gave up after {config.paper_timeout:.0f} s"
                    else:
                        why = f"worker process died (exit code {w.proc.exitcode})"
                    w.stop()
                    workers[i] = _Worker(ctx, config)
                    if task is None:  # died while starting: the pipeline cannot be built there
                        raise RuntimeError(f"worker process could not start ({why})")
                    record(*task, lost_paper(config, task, why))
        for w in workers:
            if w.ready:
                w.conn.send(None)
    finally:
        for w in workers:
            w.stop()


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
    settings = ":".join((pipe.config.settings_hash(), _rules_digest(pipe.config), code_digest(),
                         _model_digest(pipe.config)))
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
        lines = []
        if status == "error":
            err = rows["errors"][0]
            lines.append(f"error: {doc_id}: {err['stage']}: {err['error']}")
        else:  # what was wrong but did not stop the paper (dropped garbage pages …)
            note = rows["documents"][0].get("error")
            lines += [f"warning: {doc_id}: {w}" for w in (note.split("; ") if note else [])]
        for line in lines:
            if bar is not None:
                bar.write(line, file=sys.stderr)
            else:
                print(line, file=sys.stderr)
        if bar is not None:
            bar.update(1)

    _quiet_libraries()
    if todo and pipe.config.engine == "ray":
        from pipeline.scale import run_ray

        run_ray(pipe.config, todo, record)
    elif todo and pipe.rebuildable and pipe.config.paper_timeout > 0:
        _run_isolated(pipe.config, todo, record)
    elif todo:
        warm_up(pipe)
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
    merged["candidates"] = _candidates(merged["mentions"], merged["sentences"])
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


def code_digest() -> str:
    """Hash of the pipeline's own source: a paper stored by other code is processed again."""
    h = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".js", ".css"):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _model_digest(config: Config) -> str:
    """Identity of the NER weights in use (folder, size and time of each weights file)."""
    if not config.use_ner or config.ner_model is None or not Path(config.ner_model).is_dir():
        return "no-ner"
    parts = [str(Path(config.ner_model).resolve())]
    for f in sorted(Path(config.ner_model).glob("*")):
        if f.is_file():
            st = f.stat()
            parts.append(f"{f.name}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _rules_digest(config: Config) -> str:
    try:
        from pipeline.rules import load_rules

        return load_rules(config.rules_dir).digest
    except Exception:  # noqa: BLE001 - a broken rules folder is reported by the stages
        return "unreadable"


def _candidates(mentions: list[dict], sentences: list[dict] = ()) -> list[dict]:
    """Model-only spans no alias matched (flag new_concept), grouped by term: what a curator may
    add to rules/, with the sentence of its first occurrence as the example."""
    sentence_text = {(s["doc_id"], s["sent_id"]): s["text"] for s in sentences}
    grouped: dict[tuple[str, str], dict] = {}
    for m in mentions:
        if m.get("source") != "model" or m.get("flag") != "new_concept":
            continue
        key = (m["text"], m["label"])
        g = grouped.setdefault(key, {"term": m["text"], "label": m["label"], "count": 0, "example": "",
                                     "doc_ids": []})
        g["count"] += 1
        if not g["example"]:
            g["example"] = sentence_text.get((m["doc_id"], m.get("sent_id")), "")
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
        "code_hash": code_digest(),
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
