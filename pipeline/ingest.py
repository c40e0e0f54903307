"""Ingestion: files -> clean text with a page map (first cut: text files only)."""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

from pipeline.config import Config
from pipeline.types import Document, Page, PipelineError


def read(path: Path, config: Config, doc_id: str | None = None) -> Document:
    path = Path(path)
    doc_id = doc_id or path.stem
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PipelineError("ingest", f"cannot read file: {exc.strerror}") from exc
    if not data.strip():
        raise PipelineError("ingest", "empty file")
    if path.suffix.lower() == ".pdf":
        raise PipelineError("ingest", "PDF input not supported yet")
    text = data.decode("utf-8-sig", errors="replace")
    clean = unicodedata.normalize("NFKC", text)
    return Document(doc_id=doc_id, text=clean, source_path=str(path), format="txt", encoding="utf-8",
                    sha256=hashlib.sha256(data).hexdigest(), original_text=text,
                    pages=(Page(1, 0, len(clean)),))
