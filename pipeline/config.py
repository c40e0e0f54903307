"""Run settings.

One dataclass of named defaults, checked in ``__post_init__``; the CLI overrides fields.
No domain vocabulary lives here (that is ``rules/``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RULES_DIR = ROOT / "rules"
DEFAULT_NER_MODEL = ROOT / "models" / "ner-zh-en-v1"
INPUT_SUFFIXES = (".txt", ".pdf", ".md")
ENGINES = ("local", "ray")


@dataclass
class Config:
    rules_dir: Path = DEFAULT_RULES_DIR
    # Transformer NER: a Hugging Face token-classification folder, or None for rules only.
    ner_model: Path | None = DEFAULT_NER_MODEL
    ner_label_map: Path | None = None  # TSV model_label -> our label, for foreign models
    use_ner: bool = True
    ner_threads: int = 1
    # PDF layout (points). pdfplumber's default x tolerance (3) glues justified English words.
    pdf_x_tolerance: float = 1.5
    max_pdf_pages: int = 400
    max_text_bytes: int = 20_000_000
    workers: int = 1
    # Each paper runs in a worker process that is killed after this many seconds (a
    # pathological paper must not hang the batch); 0 runs papers in this process.
    paper_timeout: float = 900.0
    # Where papers run: "local" (this machine's processes) or "ray" (Ray actors, see pipeline/scale.py).
    engine: str = "local"
    ray_address: str | None = None  # None: a private Ray instance for the run; else a cluster address
    stages: tuple[str, ...] = field(default_factory=tuple)  # empty: all stages
    # Extra stages after the standard ones, as "module:factory" (factory(config) -> stage).
    extra_stages: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        self.rules_dir = Path(self.rules_dir)
        if self.ner_model is not None:
            self.ner_model = Path(self.ner_model)
        if self.paper_timeout < 0:
            raise ValueError(f"paper_timeout must be >= 0, got {self.paper_timeout}")
        if self.engine not in ENGINES:
            raise ValueError(f"engine must be one of {ENGINES}, got {self.engine!r}")
        if self.workers < 1:
            raise ValueError(f"workers must be >= 1, got {self.workers}")
        if self.pdf_x_tolerance <= 0:
            raise ValueError(f"pdf_x_tolerance must be > 0, got {self.pdf_x_tolerance}")
        if self.max_pdf_pages < 1:
            raise ValueError(f"max_pdf_pages must be >= 1, got {self.max_pdf_pages}")

    def as_dict(self) -> dict:
        return {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(self).items()}

    def settings_hash(self) -> str:
        """Hash of the settings that change extraction results (for resuming runs)."""
        data = self.as_dict()
        data.pop("workers", None)
        data.pop("paper_timeout", None)
        data.pop("engine", None)
        data.pop("ray_address", None)
        blob = json.dumps(data, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()[:16]
