"""Output schema and writers.

Declares every output table's columns, turns finished Documents into rows, and writes
each table as CSV (UTF-8, header row) and Parquet, atomically (write to a temporary
file, then rename), plus ``manifest.json`` and ``text/<doc_id>.txt``. The only module
that imports pandas.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from pipeline.types import Document

SCHEMA_VERSION = "tables.v1"

DOCUMENT_COLUMNS = ("doc_id", "source_path", "sha256", "format", "encoding", "pages", "chars",
                    "title_zh", "title_en", "status", "error", "n_sentences", "n_citations",
                    "n_abbreviations", "n_mentions", "n_tuples", "seconds")
SECTION_COLUMNS = ("doc_id", "section_id", "category", "title", "level", "start", "end", "page")
SENTENCE_COLUMNS = ("doc_id", "sent_id", "section", "start", "end", "page", "lang", "text")
TABLE_COLUMNS = ("doc_id", "table_id", "caption", "start", "end", "header", "n_rows", "rows_json")
REFERENCE_COLUMNS = ("doc_id", "ref_num", "text", "authors", "title", "source", "year", "doc_type", "start", "end")
CITATION_COLUMNS = ("doc_id", "sent_id", "refs", "first_author", "marker", "start", "end", "cue_start")
ABBREVIATION_COLUMNS = ("doc_id", "short", "long_en", "long_zh", "concept_id", "sent_id", "start", "end", "form")
MENTION_COLUMNS = ("doc_id", "sent_id", "start", "end", "text", "label", "concept_id", "preferred_en",
                   "preferred_zh", "source", "score", "flag")
TUPLE_COLUMNS = ("doc_id", "tuple_id", "study_id", "refs", "first_author", "year", "design", "species",
                 "condition", "model", "intervention", "intervention_id", "intervention_text", "route",
                 "dose", "comparator", "outcome", "outcome_id", "outcome_text", "direction", "value",
                 "timepoint", "sent_id", "start", "end", "evidence", "source", "confidence", "spans")
STUDY_COLUMNS = ("doc_id", "study_id", "refs", "first_author", "year", "design", "species", "condition",
                 "model", "n_tuples")
CANDIDATE_COLUMNS = ("term", "label", "count", "example", "doc_ids")
ERROR_COLUMNS = ("doc_id", "source_path", "stage", "error")

TABLES: dict[str, tuple[str, ...]] = {
    "documents": DOCUMENT_COLUMNS,
    "sections": SECTION_COLUMNS,
    "sentences": SENTENCE_COLUMNS,
    "tables": TABLE_COLUMNS,
    "references": REFERENCE_COLUMNS,
    "citations": CITATION_COLUMNS,
    "abbreviations": ABBREVIATION_COLUMNS,
    "mentions": MENTION_COLUMNS,
    "tuples": TUPLE_COLUMNS,
    "studies": STUDY_COLUMNS,
    "candidates": CANDIDATE_COLUMNS,
    "errors": ERROR_COLUMNS,
}


def _join(values) -> str:
    return ";".join(str(v) for v in values)


def document_rows(doc: Document, seconds: float = 0.0) -> dict[str, list[dict]]:
    """All table rows of one processed paper (``candidates`` and ``errors`` excluded)."""
    d = doc.doc_id
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    rows["documents"].append({
        "doc_id": d, "source_path": doc.source_path, "sha256": doc.sha256, "format": doc.format,
        "encoding": doc.encoding, "pages": len(doc.pages) or 1, "chars": len(doc.text),
        "title_zh": doc.title_zh, "title_en": doc.title_en, "status": "ok", "error": "; ".join(doc.warnings) or None,
        "n_sentences": len(doc.sentences), "n_citations": len(doc.citations),
        "n_abbreviations": len(doc.abbreviations), "n_mentions": len(doc.mentions),
        "n_tuples": len(doc.tuples), "seconds": round(seconds, 3),
    })
    for i, s in enumerate(doc.sections):
        rows["sections"].append({"doc_id": d, "section_id": i, "category": s.category, "title": s.title,
                                 "level": s.level, "start": s.start, "end": s.end, "page": doc.page_of(s.start)})
    for s in doc.sentences:
        rows["sentences"].append({"doc_id": d, "sent_id": s.sent_id, "section": s.section, "start": s.start,
                                  "end": s.end, "page": doc.page_of(s.start), "lang": s.lang, "text": s.text})
    for t in doc.tables:
        rows["tables"].append({"doc_id": d, "table_id": t.table_id, "caption": t.caption, "start": t.start,
                               "end": t.end, "header": "\t".join(t.header), "n_rows": len(t.rows),
                               "rows_json": json.dumps([list(r) for r in t.rows], ensure_ascii=False)})
    for r in doc.references:
        rows["references"].append({"doc_id": d, "ref_num": r.ref_num, "text": r.text, "authors": _join(r.authors),
                                   "title": r.title, "source": r.source, "year": r.year, "doc_type": r.doc_type,
                                   "start": r.start, "end": r.end})
    for c in doc.citations:
        rows["citations"].append({"doc_id": d, "sent_id": c.sent_id, "refs": _join(c.refs),
                                  "first_author": c.first_author, "marker": c.marker, "start": c.start,
                                  "end": c.end, "cue_start": c.cue_start})
    for a in doc.abbreviations:
        rows["abbreviations"].append({"doc_id": d, "short": a.short, "long_en": a.long_en, "long_zh": a.long_zh,
                                      "concept_id": a.concept_id, "sent_id": a.sent_id, "start": a.start,
                                      "end": a.end, "form": a.form})
    for m in doc.mentions:
        rows["mentions"].append({"doc_id": d, "sent_id": m.sent_id, "start": m.start, "end": m.end,
                                 "text": m.text, "label": m.label, "concept_id": m.concept_id,
                                 "preferred_en": m.preferred_en, "preferred_zh": m.preferred_zh,
                                 "source": m.source, "score": round(m.score, 4), "flag": m.flag})
    for t in doc.tuples:
        row = {c: getattr(t, c, None) for c in TUPLE_COLUMNS if c != "doc_id"}
        row["doc_id"] = d
        row["refs"] = _join(t.refs)
        row["spans"] = json.dumps({k: [s, e] for k, s, e in t.spans}, ensure_ascii=False)
        rows["tuples"].append(row)
    for s in doc.studies:
        row = {c: getattr(s, c, None) for c in STUDY_COLUMNS if c != "doc_id"}
        row["doc_id"] = d
        row["refs"] = _join(s.refs)
        rows["studies"].append(row)
    return rows


def error_rows(doc_id: str, source_path: str, stage: str, error: str, sha256: str = "",
               fmt: str = "") -> dict[str, list[dict]]:
    """The rows a failed paper contributes: one in documents, one in errors."""
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    doc = {c: None for c in DOCUMENT_COLUMNS}
    doc.update({"doc_id": doc_id, "source_path": source_path, "sha256": sha256, "format": fmt,
                "status": "error", "error": f"{stage}: {error}"})
    rows["documents"].append(doc)
    rows["errors"].append({"doc_id": doc_id, "source_path": source_path, "stage": stage, "error": error})
    return rows


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def frame(name: str, rows: list[dict]):
    """A DataFrame of one table with its declared columns, in order."""
    import pandas as pd

    columns = TABLES[name]
    df = pd.DataFrame(rows, columns=list(columns))
    return df


def write_tables(out_dir: Path, rows: dict[str, list[dict]]) -> dict[str, int]:
    """Write every table as ``<name>.csv`` and ``<name>.parquet``; returns row counts."""
    import io

    counts = {}
    for name in TABLES:
        df = frame(name, rows.get(name, []))
        counts[name] = len(df)
        buf = io.StringIO()
        df.to_csv(buf, index=False)
        atomic_write_text(out_dir / f"{name}.csv", buf.getvalue())
        pbuf = io.BytesIO()
        df.astype({c: "string" for c in df.columns if df[c].dtype == object}).to_parquet(pbuf, index=False)
        atomic_write_bytes(out_dir / f"{name}.parquet", pbuf.getvalue())
    return counts


def write_manifest(out_dir: Path, manifest: dict) -> None:
    manifest = {"schema": SCHEMA_VERSION, **manifest}
    atomic_write_text(out_dir / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2, default=str))


def read_table(run_dir: Path, name: str):
    """Read one table of a finished run back as a DataFrame (CSV, strings kept as strings)."""
    import pandas as pd

    path = Path(run_dir) / f"{name}.csv"
    if not path.exists():
        return pd.DataFrame(columns=list(TABLES[name]))
    return pd.read_csv(path, dtype=str, keep_default_na=False)
