"""Stage `citations` (not built yet: passes the Document through unchanged)."""

from __future__ import annotations

from pipeline.config import Config
from pipeline.types import Document


def build(config: Config):
    def stage(doc: Document) -> Document:
        return doc

    return stage
