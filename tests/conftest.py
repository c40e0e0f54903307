"""The only conftest: hand-made Documents, the mini rule tables, shared paths."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.types import Document, Page, Sentence

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
# CI has shared/ beside the checkout; a git worktree one level deeper finds it too.
SHARED = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()),
              ROOT.parent / "shared")

def _auto_sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in re.finditer(r"[。！？!?]|\.(?=\s|$)", text):
        end = m.end()
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


@pytest.fixture
def make_doc():
    """make_doc(text, sentences=None, **fields) -> Document with sentences (auto-split when not given)."""

    def _make(text: str, sentences: list[tuple[int, int]] | None = None, doc_id: str = "test", **fields):
        spans = sentences if sentences is not None else _auto_sentences(text)
        sents = tuple(
            Sentence(i, s, e, "zh" if re.search(r"[\u4e00-\u9fff]", text[s:e]) else "en", "body", text[s:e])
            for i, (s, e) in enumerate(spans)
        )
        fields.setdefault("pages", (Page(1, 0, len(text)),))
        return Document(doc_id=doc_id, text=text, source_path=f"{doc_id}.txt", sentences=sents, **fields)

    return _make


@pytest.fixture(scope="session")
def rules_dir() -> Path:
    return ROOT / "rules"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared is not beside the checkout")
    return SHARED


# A stage that hangs on papers whose id contains "hang" and kills its process on "crash".
_HANG_STAGE = """
import os, time

def build(config):
    def stage(doc):
        if "hang" in doc.doc_id:
            time.sleep(600)
        if "crash" in doc.doc_id:
            os._exit(3)
        return doc
    return stage
"""


@pytest.fixture
def hang_stage(tmp_path, monkeypatch) -> str:
    """An importable extra stage (see ``Config.extra_stages``) that hangs or crashes on cue."""
    import sys

    folder = tmp_path / "stage_mods"
    folder.mkdir()
    (folder / "hang_stage.py").write_text(_HANG_STAGE, encoding="utf-8")
    monkeypatch.setattr(sys, "path", [str(folder), *sys.path])
    return "hang_stage:build"
