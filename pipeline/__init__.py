"""Bilingual (Chinese–English) extraction of study → intervention → outcome tuples.

The stages run in the order of :data:`STAGES`; each is built once per run by its
module's ``build(config)`` and is a callable ``Document -> Document`` that fills one
more field. ``ingest`` makes the Document; ``export``, ``report`` and ``evaluate``
read finished Documents and never change them.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.config import Config
from pipeline.types import Document

__version__ = "0.1.0"

# (stage name, module): every registration in one place. Each module has build(config).
STAGES: tuple[tuple[str, str], ...] = (
    ("sections", "pipeline.sections"),
    ("segment", "pipeline.segment"),
    ("citations", "pipeline.citations"),
    ("abbreviations", "pipeline.abbreviations"),
    ("ner", "pipeline.ner"),
    ("normalize", "pipeline.normalize"),
    ("tuples", "pipeline.tuples"),
)

Stage = Callable[[Document], Document]


@dataclass
class Pipeline:
    config: Config
    # None until first use when made by build(config, lazy=True): see :attr:`built_stages`.
    stages: list[tuple[str, Stage]] | None
    # True when made by build(config): a worker process can then rebuild it from the config.
    rebuildable: bool = False

    @property
    def built_stages(self) -> list[tuple[str, Stage]]:
        """The stages, built now if the pipeline was made lazily."""
        if self.stages is None:
            self.stages = _build_stages(self.config)
        return self.stages

    def __call__(self, doc: Document) -> Document:
        timings = dict(doc.timings)
        for name, stage in self.built_stages:
            t0 = time.perf_counter()
            try:
                doc = stage(doc)
            except Exception as exc:  # a stage failure is reported with the stage's name
                from pipeline.types import PipelineError

                if isinstance(exc, PipelineError):
                    raise
                raise PipelineError(name, f"{type(exc).__name__}: {exc}") from exc
            timings[name] = round(time.perf_counter() - t0, 4)
        return replace(doc, timings=timings)

    def run(self, path: Path | str) -> Document:
        """Ingest one file and run every stage on it."""
        from pipeline import ingest

        t0 = time.perf_counter()
        doc = ingest.read(Path(path), self.config)
        doc = replace(doc, timings={**doc.timings, "ingest": round(time.perf_counter() - t0, 4)})
        return self(doc)


def build(config: Config | None = None, lazy: bool = False) -> Pipeline:
    """Build every stage named in ``config.stages`` (all when empty).

    Args:
        config: run settings; defaults when None.
        lazy: check the rule tables and the NER model folder now, but build the stages
            (jieba dictionary, model weights) only when a paper is first processed here.
            ``run`` uses this: with per-paper worker processes the parent never processes a
            paper, so building the stages there too would cost seconds for nothing.

    Raises:
        FileNotFoundError: a rule table or the NER model folder is missing.
    """
    config = config or Config()
    if lazy:
        _preflight(config)
        return Pipeline(config, None, rebuildable=True)
    return Pipeline(config, _build_stages(config), rebuildable=True)


def _preflight(config: Config) -> None:
    """Fail early, and cheaply, on what would make every stage build fail."""
    from pipeline.rules import load_rules

    load_rules(config.rules_dir)
    if config.use_ner and config.ner_model is not None and not Path(config.ner_model).is_dir():
        raise FileNotFoundError(
            f"NER model folder not found: {config.ner_model} (train one with `python cli.py train-ner`, "
            "or pass --ner-model PATH, or --no-ner)"
        )


def _build_stages(config: Config) -> list[tuple[str, Stage]]:
    wanted = set(config.stages) if config.stages else None
    stages: list[tuple[str, Stage]] = []
    for name, module_name in STAGES:
        if wanted is not None and name not in wanted:
            continue
        if name == "ner" and not config.use_ner:
            continue
        module = importlib.import_module(module_name)
        stages.append((name, module.build(config)))
    for spec in config.extra_stages:
        module_name, _, factory = spec.partition(":")
        stages.append((spec, getattr(importlib.import_module(module_name), factory or "build")(config)))
    return stages


def run_batch(pipeline: Pipeline, inputs: list[Path], out_dir: Path, progress: bool = False):
    """Process files and folders into ``out_dir``; see :func:`pipeline.batch.run_batch`."""
    from pipeline import batch

    return batch.run_batch(pipeline, inputs, out_dir, progress=progress)
