"""The embedded database of a run (SQLite).

Every processed paper's table rows are kept in ``<run>/store.sqlite``, keyed by
doc_id with the file's sha256 and the settings hash, one transaction per paper. A
re-run (or a run resumed after an interruption) skips every paper whose file and
settings have not changed, and the tables are rebuilt from here. The only module
that imports the database driver.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

STORE_NAME = "store.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    doc_id TEXT PRIMARY KEY,
    source_path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    settings TEXT NOT NULL,
    status TEXT NOT NULL,
    rows_json TEXT NOT NULL,
    seconds REAL,
    updated REAL
)
"""


class Store:
    def __init__(self, out_dir: Path) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.path = out_dir / STORE_NAME
        self.conn = sqlite3.connect(self.path, timeout=30)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute(SCHEMA)
        self.conn.commit()

    def done(self, doc_id: str, sha256: str, settings: str) -> dict | None:
        """The stored rows of a paper already processed with this file and these settings."""
        cur = self.conn.execute(
            "SELECT rows_json FROM docs WHERE doc_id=? AND sha256=? AND settings=?", (doc_id, sha256, settings)
        )
        row = cur.fetchone()
        return json.loads(row[0]) if row else None

    def put(self, doc_id: str, source_path: str, sha256: str, settings: str, status: str, rows: dict,
            seconds: float) -> None:
        with self.conn:  # one transaction: a crash leaves the old row or the new one
            self.conn.execute(
                "INSERT OR REPLACE INTO docs VALUES (?,?,?,?,?,?,?,?)",
                (doc_id, source_path, sha256, settings, status, json.dumps(rows, ensure_ascii=False, default=str),
                 seconds, time.time()),
            )

    def rows(self, doc_ids: list[str]) -> list[dict]:
        out = []
        for doc_id in doc_ids:
            cur = self.conn.execute("SELECT rows_json FROM docs WHERE doc_id=?", (doc_id,))
            row = cur.fetchone()
            if row:
                out.append(json.loads(row[0]))
        return out

    def close(self) -> None:
        self.conn.close()
