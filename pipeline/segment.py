"""Sentence segmentation and word tokens for mixed Chinese–English text.

Sets ``Document.sentences``. Also provides :func:`tokenize`, the one place other stages
get word tokens (jieba for Chinese, spaCy's English tokenizer for Latin runs), as
character offsets. The only module that imports jieba.

Sentences never cross a section: headings, table rows, reference entries, title,
author and keyword lines are sentences of their own. Inside abstracts and body text:

* Chinese sentences end at 。！？； and at ``;`` ``!`` ``?`` between Chinese characters;
* Latin runs (an English abstract, an English paper) go through spaCy's sentencizer;
* nothing splits inside parentheses, after ``et al.`` ``e.g.`` ``Fig.`` ``vs.`` and other
  abbreviations, or before a lower-case continuation;
* a citation marker right after the full stop (``shown before.[3]``) stays with the
  sentence before it;
* hard line breaks and blank lines from PDF wrapping do not end a sentence.

References:
    spaCy ``Sentencizer`` (rule-based sentence boundaries) and ``zh`` tokenizer with the
    jieba segmenter; textacy's mixed-language preprocessing (language runs first).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from pipeline.config import Config
from pipeline.sections import CJK, zh_share
from pipeline.types import Document, Section, Sentence

# Sentence-final punctuation of Chinese text (full width); ；ends a clause that the
# gold and the tuple stage treat as its own claim.
ZH_TERMINALS = "。！？；"
# ASCII marks that end a sentence when a Chinese character is next to them.
ASCII_TERMINALS_IN_ZH = ";!?"
# Closing quotes and brackets that belong to the sentence they close.
CLOSERS = "”’」』\"')）]】"
OPENERS = {"(": ")", "（": "）", "[": "]", "［": "］", "【": "】", "{": "}"}
# Parentheses that stay open longer than this are unbalanced conversion noise, not a
# parenthetical (a real one in a review is a definition or a short aside).
MAX_PAREN_CHARS = 300
LATEX_MATH = re.compile(r"\$[^$\n]{1,%d}\$" % MAX_PAREN_CHARS)
# A sentence is Chinese when this share of its letters is CJK ("MSCs 可以分化为…" is zh).
ZH_SENTENCE_SHARE = 0.2
NON_CJK_RUN = re.compile(r"[^\u3400-\u9fff\uf900-\ufaff]+")
LATIN_LETTER = re.compile(r"[A-Za-z]")
# Characters that may end a sentence; only these positions are examined.
TERMINAL_CANDIDATE = re.compile(r"[。！？；;!?.]")
# Latin stretches with at least this many letters are English runs for spaCy.
MIN_EN_RUN_LETTERS = 40
# A piece longer than this has lost its punctuation (flattened lists): cut at line breaks.
MAX_SENTENCE_CHARS = 1200
# spaCy refuses texts over 1,000,000 characters by default (a parser's memory limit); the
# tokenizer and sentencizer used here are linear, so a whole book-length run is fine.
MAX_SPACY_CHARS = 50_000_000
# Abbreviations that end in a full stop without ending the sentence.
NO_SPLIT_AFTER = re.compile(
    r"(?:\bet\s*al|\be\.g|\bi\.e|\bcf|\bvs|\bFigs?|\bTabs?|\bRefs?|\bEqs?|\bNo|\bNos|\bVol|\bapprox|\bca|\bresp"
    r"|\bincl|\bDr|\bProf|\bSt|\bSupp|\bsp|\bspp|\bal|\bMr|\bMrs|\bMs|\bJr|\bvar|\bsubsp|\bmin|\bmax"
    r"|(?<![A-Za-z])[A-Z])\.\s*$",
    re.I,
)
# A citation marker that may follow a full stop: "shown before.[3]", "before. [3,4]".
TRAILING_CITATION = re.compile(r"\s*\^?\s*(?:\[[\d\s,，\-–~]+\]|［[\d\s,，\-–~]+］)(?:\s*\[[\d\s,，\-–~]+\])*")
# A full stop with no space after it ends a sentence only before a real word ("0.05).Conclusions").
GLUED_SHORT_WORD = re.compile(r"[A-Za-z]{1,3}(?![A-Za-z])")
PERIOD_BEFORE_CITATION = re.compile(r"(?<=[A-Za-z)）%])[.!?](?=\s*\^?\[[\d\s,，\-–~]+\]\s*(?:[A-Z\u4e00-\u9fff]|$))")
# An upper-case label ending in a colon alone on its line (PubMed/PMC plain text: "ABSTRACT.PURPOSE::",
# "METHODS:").
LABEL_LINE = re.compile(r"^[ \t]*(?:ABSTRACT\.)?[A-Z][A-Z /&\-]{2,40}:{1,2}[ \t]*$", re.M)
# Sections whose text is split into sentences; every other section is one sentence per line.
PROSE = ("body", "abstract_zh", "abstract_en")
# Tables, author lines and other sections: each line (caption, header, row) is a sentence.
WHOLE = ("title", "keywords_zh", "keywords_en", "heading")


def sentence_lang(text: str) -> str:
    """'zh' when CJK characters make up a meaningful share of the letters, else 'en'."""
    return "zh" if zh_share(text) >= ZH_SENTENCE_SHARE else "en"


@lru_cache(maxsize=1)
def _english():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = MAX_SPACY_CHARS
    return nlp


def _paren_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Balanced bracket pairs in ``text[start:end]`` (inner offsets), short enough to be real."""
    spans = []
    stack: list[tuple[int, str]] = []
    closers = {v: k for k, v in OPENERS.items()}
    for i in range(start, end):
        ch = text[i]
        if ch in OPENERS:
            stack.append((i, ch))
        elif ch in closers:
            # pop to the matching opener (unmatched inner openers are dropped)
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][1] == closers[ch]:
                    o = stack[k][0]
                    del stack[k:]
                    if i - o <= MAX_PAREN_CHARS:
                        spans.append((o + 1, i))
                    break
    # LaTeX math left by PDF-to-Markdown converters ("$ 0 . 2 5 \\pm 0 . 0 4 $") is one unit too.
    spans += [(m.start() + 1, m.end() - 1) for m in LATEX_MATH.finditer(text, start, end)]
    return spans


class _Protected:
    """Positions inside brackets or LaTeX math, as a flag per character (O(1) lookups)."""

    def __init__(self, spans: list[tuple[int, int]], start: int, end: int) -> None:
        self.start = start
        self.flags = bytearray(end - start)
        for a, b in spans:
            self.flags[a - start:b - start] = b"\x01" * (b - a)

    def __contains__(self, pos: int) -> bool:
        i = pos - self.start
        return 0 <= i < len(self.flags) and self.flags[i] == 1


def _inside(pos: int, protected: _Protected) -> bool:
    return pos in protected


def _english_runs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Stretches of ``text[start:end]`` without CJK characters and with enough Latin letters."""
    runs = []
    for m in NON_CJK_RUN.finditer(text, start, end):
        if m.end() - m.start() >= MIN_EN_RUN_LETTERS and len(LATIN_LETTER.findall(m.group())) >= MIN_EN_RUN_LETTERS:
            runs.append((m.start(), m.end()))
    return runs


def _boundaries(text: str, start: int, end: int) -> list[int]:
    """End offsets of the sentences in ``text[start:end]`` (before whitespace trimming)."""
    paren_spans = _paren_spans(text, start, end)
    parens = _Protected(paren_spans, start, end)
    closing = {b for _, b in paren_spans}
    cuts: set[int] = set()
    for m in TERMINAL_CANDIDATE.finditer(text, start, end):
        i = m.start()
        ch = text[i]
        if ch in ZH_TERMINALS or (ch in ASCII_TERMINALS_IN_ZH and _chinese_context(text, i, start, end)):
            if not _inside(i, parens):
                cuts.add(i + 1)
        elif ch == "." and i + 1 < end and _chinese_context(text, i, start, end, after_only=True):
            if not NO_SPLIT_AFTER.search(text[max(start, i - 8):i + 1]) and not text[i - 1:i].isdigit():
                if not _inside(i, parens):
                    cuts.add(i + 1)
        elif ch == "." and i > start and i + 1 < end and CJK.match(text[i - 1]) and CJK.match(text[i + 1]):
            # half-width full stop between Chinese characters ("等效性.方法:"), common in CNKI abstracts
            if not _inside(i, parens):
                cuts.add(i + 1)
    # a structured-abstract label on its own line ("MATERIALS AND METHODS::") is not part of
    # the sentence that follows it
    for m in LABEL_LINE.finditer(text, start, end):
        cuts.add(m.end())
    # spaCy glues "controls.[9]" into one token, so a full stop followed by a citation marker
    # and a new sentence is found here.
    for m in PERIOD_BEFORE_CITATION.finditer(text, start, end):
        i = m.start()
        if not _inside(i, parens) and not NO_SPLIT_AFTER.search(text[max(start, i - 8):i + 1]):
            cuts.add(i + 1)
    for a, b in _english_runs(text, start, end):
        doc = _english()(text[a:b])
        for sent in list(doc.sents)[1:]:
            cut = a + sent.start_char
            # spaCy starts the sentence inside "controls.[9]": back up over the open bracket
            k = cut
            while k > a and (text[k - 1].isspace() or text[k - 1] in "[［^"):
                k -= 1
            if k == a or _inside(cut - 1, parens):
                continue
            nxt = text[cut:cut + 1]
            if nxt.islower() or NO_SPLIT_AFTER.search(text[max(a, k - 12):k]) or text[k - 1] not in ".!?;:\"'”)]":
                continue
            if k == cut and GLUED_SHORT_WORD.match(text, cut):
                continue  # "Tb.N", "Tb.Sp": an abbreviation glued to a short symbol, not a new sentence
            cuts.add(k)
    # Citation markers after the full stop stay with the sentence before; closing quotes too.
    out = []
    for cut in sorted(cuts):
        while cut < end and text[cut] in CLOSERS and not (text[cut] in ")）]】" and cut not in closing):
            cut += 1
        m = TRAILING_CITATION.match(text, cut, end)
        if m and text[cut - 1:cut] in ".!?":
            cut = m.end()
        if not out or cut > out[-1]:
            out.append(cut)
    if not out or out[-1] < end:
        out.append(end)
    return out


def _chinese_context(text: str, i: int, start: int, end: int, after_only: bool = False) -> bool:
    j = i + 1
    while j < end and text[j] in " \t\n":
        j += 1
    after = j < end and bool(CJK.match(text[j]))
    if after_only:
        return after and i > start and bool(re.match(r"[A-Za-z0-9)）\]%]", text[i - 1]))
    k = i - 1
    while k >= start and text[k] in " \t":
        k -= 1
    before = k >= start and bool(CJK.match(text[k]))
    return before or after


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _long_piece(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a piece without punctuation at its line breaks."""
    if end - start <= MAX_SENTENCE_CHARS:
        return [(start, end)]
    pieces, pos = [], start
    for m in re.finditer(r"\n", text[start:end]):
        cut = start + m.start()
        if cut - pos >= MAX_SENTENCE_CHARS // 4:
            pieces.append((pos, cut))
            pos = cut
    pieces.append((pos, end))
    return pieces


def split_prose(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans (trimmed) of the prose ``text[start:end]``.

    Args:
        text: the whole ``Document.text``.
        start: start offset of an abstract or body section.
        end: its end offset.

    Returns:
        ``(start, end)`` offsets of each sentence, whitespace stripped.
    """
    spans = []
    pos = start
    for cut in _boundaries(text, start, end):
        for a, b in _long_piece(text, pos, cut):
            a, b = _trim(text, a, b)
            if b > a and re.search(r"\w", text[a:b]):
                spans.append((a, b))
        pos = cut
    return spans


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, pos = [], start
    for line in text[start:end].split("\n"):
        a, b = _trim(text, pos, pos + len(line))
        if b > a:
            spans.append((a, b))
        pos += len(line) + 1
    return spans


def _section_label(section: Section) -> str:
    if section.category in ("body", "heading"):
        return section.title
    return section.category


def segment(doc: Document) -> Document:
    """Split ``doc`` into sentences along its sections.

    Args:
        doc: a Document with ``sections`` (and ``tables``/``references``) set; without
            sections the whole text is treated as body.

    Returns:
        The Document with ``sentences`` set.
    """
    text = doc.text
    sections = doc.sections or (Section("body", "body", 0, len(text)),)
    spans: list[tuple[int, int, str]] = []
    for section in sorted(sections, key=lambda s: (s.start, s.end)):
        label = _section_label(section)
        if section.category in PROSE:
            pieces = split_prose(text, section.start, section.end)
        elif section.category in WHOLE:
            pieces = [_trim(text, section.start, section.end)]
        elif section.category == "references":
            entries = [r for r in doc.references if section.start <= r.start < section.end]
            pieces = [_trim(text, r.start, r.end) for r in entries] or _lines(text, section.start, section.end)
        else:
            pieces = _lines(text, section.start, section.end)
        spans.extend((a, b, label) for a, b in pieces if b > a)
    spans.sort()
    sentences = []
    last_end = -1
    for a, b, label in spans:
        if a < last_end:  # overlapping sections: keep the first
            continue
        sentences.append(Sentence(len(sentences), a, b, sentence_lang(text[a:b]), label, text[a:b]))
        last_end = b
    return replace(doc, sentences=tuple(sentences))


# ----------------------------------------------------------------------------- tokens
@lru_cache(maxsize=2)
def _chinese(words: tuple[str, ...]):
    import jieba
    import spacy

    jieba.setLogLevel(60)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.max_length = MAX_SPACY_CHARS
    for word in words:
        jieba.add_word(word)
    return nlp


@lru_cache(maxsize=4)
def _user_words(rules_dir: str) -> tuple[str, ...]:
    from pipeline.rules import load_rules

    try:
        return tuple(load_rules(rules_dir).jieba_words())
    except Exception:  # a broken rules folder must not stop tokenisation
        return ()


def _spacy_offsets(nlp, text: str, offset: int) -> list[tuple[int, int]]:
    return [(offset + t.idx, offset + t.idx + len(t.text)) for t in nlp(text) if not t.text.isspace()]


def tokenize(text: str, rules_dir: Path | str | None = None) -> list[tuple[int, int]]:
    """Word tokens of mixed Chinese–English ``text`` as ``(start, end)`` offsets.

    Latin stretches go through spaCy's English tokenizer, the rest through spaCy's
    Chinese tokenizer with jieba, whose user dictionary holds the Chinese aliases of
    ``rules/`` so that domain terms (骨髓间充质干细胞) stay whole. Loading jieba takes
    about a second the first time; later calls are cached.

    Args:
        text: any text (a sentence, a section).
        rules_dir: the rules folder for jieba's user words (default: the project's rules/).

    Returns:
        Token offsets into ``text``, whitespace dropped, in order.
    """
    if not text:
        return []
    if not CJK.search(text):
        return _spacy_offsets(_english(), text, 0)
    from pipeline.config import DEFAULT_RULES_DIR

    zh = _chinese(_user_words(str(rules_dir or DEFAULT_RULES_DIR)))
    tokens: list[tuple[int, int]] = []
    pos = 0
    for a, b in _english_runs(text, 0, len(text)):
        if a > pos:
            tokens += _spacy_offsets(zh, text[pos:a], pos)
        tokens += _spacy_offsets(_english(), text[a:b], a)
        pos = b
    if pos < len(text):
        tokens += _spacy_offsets(zh, text[pos:], pos)
    return tokens


def build(config: Config):
    """The `segment` stage: ``Document -> Document`` with ``sentences`` set."""
    return segment
