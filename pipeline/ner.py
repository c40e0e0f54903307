"""Transformer named-entity recognition.

Stage ``ner``: tags biomedical terms with a token-classification model (by default our own
``models/ner-zh-en-v1``, trained by :mod:`pipeline.train_ner`) and appends them to
``Document.mentions`` with ``source="model"``. The ``normalize`` stage that runs next merges
them with the rule matches (rules win) and maps them to concepts.

How it works: the text (without the reference list) is tokenized once with offsets, cut into
overlapping windows of subwords, run through the model in small batches, and each subword
takes its label from the window where it sits farthest from an edge. BIO labels are then
joined into character spans of ``Document.text``; a span never ends inside a Latin word.

This is the only module that imports torch.

References:
    Devlin et al. 2019, BERT (token classification head, WordPiece).
    Hugging Face ``TokenClassificationPipeline`` (offset mappings, "first"/"average" aggregation).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.config import Config
from pipeline.types import NER_LABELS, Document, Mention

# Subwords per window, [CLS]/[SEP] excluded. Our model was trained on 128-subword passages
# and has 512 positions; 254 keeps attention cheap while giving every token wide context.
WINDOW_TOKENS = 254
# Subwords shared by neighbouring windows: a token is labelled by the window where it is
# farthest from an edge, so each label sees at least STRIDE/2 tokens of context either side.
WINDOW_OVERLAP = 64
# Windows per forward pass: bigger batches barely help on one or two CPU threads and
# padding waste grows; 8 keeps memory small.
BATCH_WINDOWS = 8
# Spans whose mean label probability is below this are dropped. A model folder may set its own
# (``min_span_score`` in ner_meta.json, chosen by train_ner on training documents).
MIN_SPAN_SCORE = 0.5
# Entities are never a single punctuation mark or digit; shorter spans are noise.
MIN_SPAN_CHARS = 2
# Dynamic int8 quantization of the Linear layers: 1.7x the characters/s of float32 on one
# thread (benchmarks/bench_ner.py) with held-out span F1 unchanged (0.263 vs 0.262 on a
# development model; models/README.md).
QUANTIZE = True
# Section categories that hold no running text worth tagging (GB/T 7714 reference lists
# are mostly author names and journal titles).
SKIP_SECTIONS = ("references",)
# A word written in Latin letters or digits: a span that stops inside one is widened to it.
_LATIN_WORD_CHAR = re.compile(r"[A-Za-z0-9]")
# Tag prefixes used by BIO / BIOES / BILOU schemes.
_TAG_PREFIXES = ("B-", "I-", "E-", "S-", "L-", "U-")


class NerModelMissing(FileNotFoundError):
    """The configured model folder does not exist or is not a Hugging Face checkpoint."""


@dataclass(frozen=True)
class Span:
    """A labelled stretch of text found by the model (offsets into the tagged string)."""

    start: int
    end: int
    label: str
    score: float


def read_label_map(path: Path | str) -> dict[str, str]:
    """Read a TSV mapping model labels to ours (``model_label<TAB>our_label``, ``#`` comments).

    Args:
        path: the TSV file. Labels may be given with or without ``B-``/``I-`` prefixes;
            an empty or ``O`` target drops that label.

    Returns:
        Model entity type (prefix stripped) -> our label (one of ``NER_LABELS`` or another
        Mention label such as ``ANATOMY``), or "" to drop it.
    """
    mapping: dict[str, str] = {}
    with open(path, encoding="utf-8") as handle:
        for lineno, raw in enumerate(handle, start=1):
            line = raw.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cells = [c.strip() for c in line.split("\t")]
            if cells[0] in ("model_label", "label"):  # header row
                continue
            if len(cells) < 2:
                raise ValueError(f"{path}:{lineno}: expected 'model_label<TAB>our_label', found {line!r}")
            target = "" if cells[1] in ("", "O") else cells[1].upper()
            mapping[_entity_type(cells[0])] = target
    return mapping


def _entity_type(tag: str) -> str:
    """``B-CELL`` -> ``CELL``; ``O`` -> ``""``."""
    if tag == "O":
        return ""
    return tag[2:] if tag[:2] in _TAG_PREFIXES else tag


def decode_spans(
    tags: list[str], scores: list[float], offsets: list[tuple[int, int]], text: str, min_score: float = MIN_SPAN_SCORE
) -> list[Span]:
    """Join per-subword BIO tags into character spans.

    A span starts at ``B-X`` (or at an ``I-X`` that does not continue an ``X`` span, the
    usual lenient reading) and goes on over ``I-X``. Its score is the mean probability of its
    subwords' tags. A span that stops inside a Latin word (``MSC`` of ``MSCs``) is widened to
    the whole word, since subword tags inside a word disagree more often than word edges.

    Args:
        tags: one tag per subword (``O``, ``B-X``, ``I-X``; BIOES prefixes are read as B/I).
        scores: the probability of each tag.
        offsets: each subword's (start, end) in ``text``.
        text: the string the offsets point into.
        min_score: spans scoring less are dropped.

    Returns:
        Spans in text order, not overlapping.
    """
    spans: list[Span] = []
    cur: list[int] | None = None  # [start, end, sum of scores, count]
    cur_label = ""

    def close() -> None:
        if cur is None:
            return
        start, end = _widen_to_word(text, cur[0], cur[1])
        score = cur[2] / cur[3]
        if score >= min_score and end - start >= MIN_SPAN_CHARS and text[start:end].strip():
            if spans and start < spans[-1].end:  # widening ran into the previous span
                if score <= spans[-1].score:
                    return
                spans.pop()
            spans.append(Span(start, end, cur_label, round(score, 4)))

    for tag, score, (start, end) in zip(tags, scores, offsets):
        if start == end:  # special or empty token
            continue
        label = _entity_type(tag)
        inside = tag[:2] in ("I-", "E-", "L-") and cur is not None and label == cur_label
        if inside:
            cur[1] = end
            cur[2] += score
            cur[3] += 1
            continue
        close()
        cur, cur_label = (None, "") if not label else ([start, end, score, 1], label)
    close()
    return spans


def _widen_to_word(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and _LATIN_WORD_CHAR.match(text[start - 1]) and _LATIN_WORD_CHAR.match(text[start]):
        start -= 1
    while end < len(text) and _LATIN_WORD_CHAR.match(text[end]) and _LATIN_WORD_CHAR.match(text[end - 1]):
        end += 1
    # Never keep surrounding blanks.
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def window_starts(n_tokens: int, size: int = WINDOW_TOKENS, overlap: int = WINDOW_OVERLAP) -> list[int]:
    """First subword of each window so that windows of ``size`` cover ``n_tokens`` with ``overlap``.

    Returns:
        Start indices; the last window ends exactly at ``n_tokens`` (``[0]`` for short texts).
    """
    if n_tokens <= size:
        return [0]
    step = size - overlap
    starts = list(range(0, n_tokens - size, step))
    starts.append(n_tokens - size)
    return starts


def text_regions(doc: Document) -> list[tuple[int, int]]:
    """Stretches of ``doc.text`` to tag: everything but the reference list.

    Returns:
        Sorted, non-overlapping (start, end) pairs.
    """
    skip = sorted((s.start, s.end) for s in doc.sections if s.category in SKIP_SECTIONS)
    skip += sorted((r.start, r.end) for r in doc.references)
    skip.sort()
    regions, pos = [], 0
    for start, end in skip:
        if start > pos:
            regions.append((pos, start))
        pos = max(pos, end)
    if pos < len(doc.text):
        regions.append((pos, len(doc.text)))
    return [(s, e) for s, e in regions if doc.text[s:e].strip()]


class NerTagger:
    """A token-classification model with its tokenizer, ready to tag plain strings.

    Args:
        model_dir: a Hugging Face folder (config.json, tokenizer files, weights).
        label_map: TSV of model label -> our label; default ``label_map.tsv`` in the folder,
            else the model's own labels when they are ours (``CELL``, ``DISEASE`` ...).
        threads: torch intra-op threads.
        quantize: apply dynamic int8 quantization to Linear layers.
    """

    def __init__(self, model_dir: Path | str, label_map: Path | str | None = None, threads: int = 1,
                 quantize: bool = QUANTIZE) -> None:
        model_dir = Path(model_dir)  # checked before the slow torch import
        if not (model_dir / "config.json").is_file():
            raise NerModelMissing(
                f"NER model folder {model_dir} not found (no config.json); expected a Hugging Face "
                "token-classification folder. Train ours with `python cli.py train-ner`, pass another "
                "with --ner-model, or run without the model with --no-ner."
            )
        import warnings

        import torch
        from transformers import AutoModelForTokenClassification, AutoTokenizer
        from transformers.utils import logging as hf_logging

        self.torch = torch
        torch.set_num_threads(max(1, threads))
        self.model_dir = model_dir
        self.tokenizer = AutoTokenizer.from_pretrained(model_dir)
        if not getattr(self.tokenizer, "is_fast", False):
            raise ValueError(f"{model_dir}: a fast tokenizer (tokenizer.json) is needed for offset mappings")
        # The Rust tokenizer itself: whole papers at once, offsets, no length warning.
        self._backend = self.tokenizer.backend_tokenizer
        self._backend.no_truncation()
        self._backend.no_padding()
        hf_logging.disable_progress_bar()  # no "Loading weights" bar per worker process
        model = AutoModelForTokenClassification.from_pretrained(model_dir, dtype=torch.float32)
        model.eval()
        if quantize:
            with warnings.catch_warnings():  # torch announces a future API; the result is what we measured
                warnings.simplefilter("ignore", UserWarning)
                model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        self.model = model
        if label_map is None and (model_dir / "label_map.tsv").is_file():
            label_map = model_dir / "label_map.tsv"
        mapping = read_label_map(label_map) if label_map is not None else {}
        self.id2tag = self._tags(model.config.id2label, mapping)
        meta = json.loads((model_dir / "ner_meta.json").read_text()) if (model_dir / "ner_meta.json").is_file() else {}
        self.name = meta.get("name", model_dir.name)
        self.min_score = float(meta.get("min_span_score", MIN_SPAN_SCORE))

    @staticmethod
    def _tags(id2label: dict, mapping: dict[str, str]) -> dict[int, str]:
        """Model label ids -> our tags (``B-CELL``), ``O`` for labels we do not use."""
        tags: dict[int, str] = {}
        for idx, tag in id2label.items():
            etype = _entity_type(tag)
            ours = mapping.get(etype, etype.upper() if etype.upper() in NER_LABELS else "") if etype else ""
            # A tag without a prefix (IO scheme) continues a neighbour of its type.
            tags[int(idx)] = f"{tag[:2] if tag[:2] in _TAG_PREFIXES else 'I-'}{ours}" if ours else "O"
        return tags

    def tag(self, text: str, min_score: float | None = None) -> list[Span]:
        """Find entity spans in ``text``.

        Args:
            text: any length; long texts are cut into overlapping windows.
            min_score: spans with a lower mean tag probability are dropped (default: the
                model's ``min_span_score``, else ``MIN_SPAN_SCORE``).

        Returns:
            Spans with offsets into ``text``.
        """
        torch = self.torch
        enc = self._backend.encode(text, add_special_tokens=False)
        ids, offsets = enc.ids, enc.offsets
        n = len(ids)
        if n == 0:
            return []
        size = min(WINDOW_TOKENS, self.model.config.max_position_embeddings - 2)
        starts = window_starts(n, size, min(WINDOW_OVERLAP, size // 2))
        best_tag = [0] * n
        best_prob = [0.0] * n
        best_margin = [-1] * n  # distance of the token from its window's nearer edge
        cls_id, sep_id, pad_id = (self.tokenizer.cls_token_id, self.tokenizer.sep_token_id,
                                  self.tokenizer.pad_token_id or 0)
        with torch.inference_mode():
            for b in range(0, len(starts), BATCH_WINDOWS):
                batch = starts[b:b + BATCH_WINDOWS]
                rows = [[cls_id, *ids[s:s + size], sep_id] for s in batch]
                width = max(len(r) for r in rows)
                input_ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
                mask = torch.zeros((len(rows), width), dtype=torch.long)
                for i, row in enumerate(rows):
                    input_ids[i, :len(row)] = torch.tensor(row)
                    mask[i, :len(row)] = 1
                logits = self.model(input_ids=input_ids, attention_mask=mask).logits
                probs, labels = torch.softmax(logits.float(), dim=-1).max(dim=-1)
                probs, labels = probs.tolist(), labels.tolist()
                for i, s in enumerate(batch):
                    length = len(rows[i]) - 2
                    for j in range(length):
                        k = s + j
                        margin = min(j, length - 1 - j)
                        if margin > best_margin[k]:
                            best_margin[k] = margin
                            best_tag[k] = labels[i][j + 1]
                            best_prob[k] = probs[i][j + 1]
        tags = [self.id2tag.get(t, "O") for t in best_tag]
        return decode_spans(tags, best_prob, [tuple(o) for o in offsets], text,
                            self.min_score if min_score is None else min_score)


class NerStage:
    """Stage ``ner``: appends model mentions to ``Document.mentions``.

    Args:
        config: uses ``ner_model``, ``ner_label_map`` and ``ner_threads``.
    """

    def __init__(self, config: Config) -> None:
        if config.ner_model is None:
            raise NerModelMissing("no NER model configured; pass --ner-model or --no-ner")
        self.tagger = NerTagger(config.ner_model, config.ner_label_map, threads=config.ner_threads)

    def __call__(self, doc: Document) -> Document:
        found: list[Mention] = []
        for start, end in text_regions(doc):
            for span in self.tagger.tag(doc.text[start:end]):
                s, e = start + span.start, start + span.end
                sent = doc.sentence_at(s)
                found.append(Mention(s, e, doc.text[s:e], span.label, "model", score=span.score,
                                     sent_id=sent.sent_id if sent is not None else -1))
        return replace(doc, mentions=doc.mentions + tuple(found))


def build(config: Config) -> NerStage:
    """Load the model once (raises :class:`NerModelMissing` with a hint when the folder is absent)."""
    return NerStage(config)
