"""Ingestion: files -> clean text with a page map.

Makes the :class:`~pipeline.types.Document` every later stage works on. Sets
``doc_id``, ``text`` (the clean text all offsets refer to), ``source_path``,
``format`` (``txt`` or ``pdf``), ``encoding``, ``sha256``, ``original_text``, ``warnings`` and
``pages`` (``Page(number, start, end)`` spans that cover ``text`` end to end).
Titles are left to the sections stage. It is the only module that imports pdfplumber.

Text files (``.txt``, ``.md``): the encoding is found by strict decodes in a fixed
order (BOM, UTF-8, GB18030, then charset-normalizer) and recorded; form feeds
(``pdftotext`` output) become page breaks. Hard-wrapped paragraphs (PDF-to-text copies
that break every line at the column width, often with an empty line after each) are
joined again, and so are paragraphs a page break cut in two (:func:`rejoin_wrapped_lines`);
spaces a converter left inside Chinese words of prose lines go (:func:`close_cjk_spaces`).

PDFs are read from pdfplumber's characters, not from ``extract_text()``:

1. characters are grouped into rows on their *baseline* (the text matrix), not on
   their top: Latin glyphs in Founder-typeset Chinese PDFs sit several points off
   the CJK top but share the baseline;
   Latin set in a font whose widths belong to another face (CAJ-to-PDF conversions:
   "M onito ring") is recognised by its letter gaps and closed up (:func:`_close_letter_gaps`);
2. a column gutter is looked for per page in the x-histogram of character coverage;
   rows that cross it are full-width (title blocks, wide tables) and keep their place,
   between them the left column is read before the right one;
3. raised, smaller characters are superscripts: digit/comma/dash runs become citation
   markers ``[1]``, ``[1,2]``, ``[3-5]`` (after ``10`` or a unit they are exponents ``^6``;
   in an author line they are affiliations, ``Li Wei^1,2``);
4. running headers, footers, page numbers and watermarks (lines repeated across pages
   in the top/bottom band, digit-only lines there, rotated glyphs) are dropped, and so
   are one-off publisher footers (licence, ©, received/accepted, DOI, "Page 1 of 9");
   footnotes at the foot of a column wait until the paragraph they cut has ended;
5. tables become one line per row with cells apart by tabs: columns from the vertical
   whitespace the rows share, wrapped cells joined into their row (two-column
   parameter | value tables are told by their one aligned wide gap per row);
6. lines are joined into paragraphs (no space between CJK characters, a space between
   Latin words, ``treat-``/``ment`` de-hyphenated) and paragraphs end with ``\\n``;
   headings, table rows and reference entries stay lines of their own. Whether a
   line-break hyphen stays (``low-molecular-weight``) or goes (``treatment``) is decided
   once the whole text is known, with the document's own words as the dictionary
   (:func:`repair_hyphens`; text files get the same repair for ``ef-\\nfective``).

A PDF that pdfplumber cannot read (or reads as 0 pages or without text) is rewritten by
pikepdf (qpdf rebuilds the cross-reference table) and read again; encrypted, scanned
(no text layer) and wholly garbled (broken font encoding) PDFs are refused with one line;
garbled pages of an otherwise readable PDF are dropped and named in ``Document.warnings``.

Normalisation (both formats, :func:`clean_text`): NFKC folds full-width Latin and
digits, ligatures and compatibility forms, **except** the full-width CJK punctuation
``（），；：！？～…``, which Chinese papers use as sentence and definition delimiters and
which NFKC would turn into ASCII; keeping them keeps the text as the authors wrote it
(the later stages accept both widths). Dash variants used as hyphen or minus become
``-``; Chinese ``——`` stays. Control and format characters (soft hyphen, zero-width
space, stray BOM) are removed, newlines are ``\\n``. Wholly letter-spaced lines are
closed up (``参 考 文 献`` -> ``参考文献``); in text files, LaTeX in ``$...$`` spans
(MinerU's Markdown) is read as text (``$3 0 \\mathrm { m g / k g }$`` -> ``30 mg/kg``).

References:
    pdfplumber's ``extract_text`` layout logic (``pdfplumber/utils/text.py``) and
    textacy's ``preprocessing.normalize.hyphenated_words`` for line-break repair.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import math
import re
import statistics
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.config import Config
from pipeline.types import Document, Page, PipelineError

TEXT_SUFFIXES = (".txt", ".md")
PDF_SUFFIX = ".pdf"

# ---------------------------------------------------------------------------
# Text normalisation
# ---------------------------------------------------------------------------

# Full-width punctuation kept as is: NFKC would make it ASCII, but Chinese papers use
# （…） for definitions and ，；：！？ as clause/sentence marks, ～ for ranges and …… as
# the ellipsis (NFKC: "......", which reads as sentence ends).
KEEP_FULLWIDTH = "（），；：！？～…"
# Roman numeral characters (Ⅰ型胶原, MHC-Ⅱ, ARCO Ⅳ期) are kept as the authors typed them:
# NFKC would spell Ⅳ as "IV", changing the length of the term and what a reader searches
# for; the term matcher treats Ⅰ/I/1 alike anyway.
ROMAN_NUMERALS = "\u2160-\u217f"
_KEEP_SPLIT_RE = re.compile(f"([{KEEP_FULLWIDTH}{ROMAN_NUMERALS}])")
# Dash variants that stand for a hyphen or a minus sign inside terms (TNF⁃α, IL‐6, −2):
# hyphen, non-breaking hyphen, figure dash, en dash, minus, hyphen bullet, small and
# full-width hyphen-minus. En dash ranges (1–3) also become '-', the form citations use.
HYPHEN_DASHES = "\u2010\u2011\u2012\u2013\u2212\u2043\ufe63\uff0d\u02d7\u2796"
_HYPHEN_TABLE = str.maketrans({ch: "-" for ch in HYPHEN_DASHES} | {"\u301c": "～", "\u2015": "—"})
# A single em dash between two word characters is a hyphen (TNF—α); ——, the Chinese
# dash, is punctuation and stays.
_EM_DASH_IN_WORD_RE = re.compile(r"(?<=[A-Za-z0-9\u0370-\u03ff])—(?=[A-Za-z0-9\u0370-\u03ff])")
# Unicode superscript digits: NFKC would turn 10⁶ into 106, so they are rewritten first.
_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT_MAP = str.maketrans(_SUPERSCRIPT_DIGITS + "⁻⁺,", "0123456789-+,")
_SUPERSCRIPT_RUN_RE = re.compile(f"[{_SUPERSCRIPT_DIGITS}⁻⁺](?:[{_SUPERSCRIPT_DIGITS}⁻⁺,])*")
# Scientific notation whose exponent lost its raise in a text copy ("1×107/人次", "2.5×10-3"):
# a mantissa of one digit (with decimals) times 10 followed straight by a one- or two-digit
# power is written 1×10^7; "3×100" (no power 0) and "12×105" (two-digit factor) stay.
_LOST_EXPONENT_RE = re.compile(r"(?<![\d.])(\d(?:\.\d+)?\s?[×x]\s?10)(-?[1-9]\d?)(?![\d.,^])")
# Characters removed: C0/C1 controls except \t and \n, and invisible format characters.
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_TRAILING_SPACE_RE = re.compile(r"[ \t\u3000]+\n")
# Indentation at line starts (Chinese paragraphs open with two ideographic spaces) is
# layout, not text: headings are recognised at line starts by the sections stage.
_LEADING_SPACE_RE = re.compile(r"^[ \t\u3000]+", re.MULTILINE)
# More than one empty line carries no extra meaning.
_BLANK_LINES_RE = re.compile(r"\n{3,}")

# Citation-like superscript runs: 3 / 1,2 / 3-5 / [4] (brackets when the PDF has them).
_CITATION_RUN_RE = re.compile(r"[\[［]?(\d{1,3}(?:\s*[,，\-–—~～]\s*\d{1,3})*)[\]］]?")
# Text just before a superscript that makes it an exponent, not a citation: 10⁶, cm², mL⁻¹.
# (Units of time are left out: "Egger's²⁴" is a citation; s⁻¹ is caught by its minus.)
_EXPONENT_BEFORE_RE = re.compile(r"(?:10|(?<![A-Za-z’'])(?:[cmkdμµn]?m|[mμµ]?[lL]|[mk]?g))$")
# Some publishers' fonts (Adv* Type 1 fonts in BMJ and Elsevier PDFs) encode the en
# dash of a superscript range as 'e': 1e3 stands for 1–3. Only applied inside superscripts.
_SUPERSCRIPT_E_DASH_RE = re.compile(r"(?<=\d)e(?=\d)")
_CJK_RANGES = ((0x2E80, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x2FA1F))


def is_wide(ch: str) -> bool:
    """True for CJK ideographs, kana, CJK and full-width punctuation (no spaces around them)."""
    if not ch:
        return False
    o = ord(ch[0])
    if o < 0x2E80:  # fast path: Latin, Greek, symbols
        return False
    return any(lo <= o <= hi for lo, hi in _CJK_RANGES)


def superscript_text(run: str, before: str) -> str:
    """Rewrite a raised run of characters for the clean text.

    Args:
        run: the superscript characters, e.g. ``"1,2"``, ``"3–5"``, ``"6"``, ``"a"``.
        before: the text just before the run on its line.

    Returns:
        ``"[1,2]"`` / ``"[3-5]"`` for citation markers, ``"^6"`` for an exponent after
        ``10`` or a unit (``10^6``, ``cm^2``, ``mL^-1``), the run unchanged otherwise.
    """
    s = run.strip()
    if not s:
        return run
    s = _SUPERSCRIPT_E_DASH_RE.sub("-", s)
    m = _CITATION_RUN_RE.fullmatch(s)
    if m and not _EXPONENT_BEFORE_RE.search(before.rstrip()):
        inner = re.sub(r"\s*[,，]\s*", ",", m.group(1))
        inner = re.sub(r"\s*[\-–—~～]\s*", "-", inner)
        return f"[{inner}]"
    if m or re.fullmatch(r"[-−–]\d{1,2}", s):
        return "^" + s.replace("−", "-").replace("–", "-")
    return s


def _rewrite_unicode_superscripts(text: str) -> str:
    def repl(m: re.Match) -> str:
        return superscript_text(m.group(0).translate(_SUPERSCRIPT_MAP), text[max(0, m.start() - 8):m.start()])

    return _SUPERSCRIPT_RUN_RE.sub(repl, text)


def _nfkc_keeping_cjk_punct(text: str) -> str:
    if unicodedata.is_normalized("NFKC", text):
        return text
    parts = _KEEP_SPLIT_RE.split(text)
    return "".join(p if i % 2 else unicodedata.normalize("NFKC", p) for i, p in enumerate(parts))


# LaTeX left by PDF-to-Markdown converters (MinerU) in .md/.txt input, inside $...$ only.
# Commands that stand for one character (symbols, Greek letters) ...
LATEX_SYMBOLS = {
    "%": "%", "pm": "±", "mp": "∓", "times": "×", "cdot": "·", "sim": "~", "circ": "°", "textdegree": "°",
    "degree": "°", "langle": "<", "rangle": ">", "lt": "<", "gt": ">", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥",
    "prime": "′", "textregistered": "®", "textbar": "|", "setminus": "\\", "approx": "≈", "neq": "≠", "to": "→",
    "rightarrow": "→", "uparrow": "↑", "downarrow": "↓", "infty": "∞", "odot": "⊙", "because": "∵", "&": "&",
    "#": "#", "_": "_", "{": "{", "}": "}", "$": "$",
    **{name: chr(0x3B1 + i) for i, name in enumerate(
        ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho varsigma sigma "
         "tau upsilon phi chi psi omega").split())},
    **{name: chr(0x391 + i) for i, name in enumerate(
        ("Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Mu Nu Xi Omicron Pi Rho _ Sigma "
         "Tau Upsilon Phi Chi Psi Omega").split()) if name != "_"},
}
# ... commands that stand for a space (MinerU writes a real space as "~" or "\ ") ...
LATEX_SPACES = ("quad", "qquad", " ", ",", ";", ":", "enspace")
# ... and every other command is a wrapper or a style (\mathrm{...}, \scriptstyle): dropped,
# its argument kept. A $...$ span is converted when it holds LaTeX syntax or MinerU's
# one-token-per-space spelling ("5 0 %"); "$5 and $10" in prose is left alone.
_MATH_SPAN_RE = re.compile(r"\$([^$\n]{1,400}?)\$")
_MATH_LIKE_RE = re.compile(r"[\\{}^_]|^\s*[+\-]?\s*$|^\s*(?:\S\s)+\S\s*$")
_SPACE_MARK = "\ue003"


def _latex_group(s: str, i: int) -> tuple[str, int]:
    """The converted argument of ^ or _ at ``s[i]`` (a {group} or one token) and the index after it."""
    while i < len(s) and s[i] == " ":
        i += 1
    if i >= len(s):
        return "", i
    if s[i] == "{":
        depth, j = 1, i + 1
        while j < len(s) and depth:
            depth += {"{": 1, "}": -1}.get(s[j], 0)
            j += 1
        return _latex_body(s[i + 1:j - 1]), j
    if s[i] == "\\":
        m = re.match(r"\\([A-Za-z]+|.)", s[i:])
        return _latex_body(m.group(0)), i + m.end()
    return s[i], i + 1


def _latex_body(s: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(s):
        ch = s[i]
        if ch == "\\":
            m = re.match(r"\\([A-Za-z]+|.)", s[i:])
            name = m.group(1) if m else ""
            i += m.end() if m else 1
            last = "".join(out).rstrip(" ")[-1:]
            if last.isdigit() and (name == "mu" or name not in LATEX_SYMBOLS and name not in LATEX_SPACES
                                   and not name.endswith("style")):
                out.append(_SPACE_MARK)  # a unit after a number: "3 0 \\mathrm { m g }" is 30 mg
            if name in LATEX_SYMBOLS:
                out.append(LATEX_SYMBOLS[name])
            elif name in LATEX_SPACES:
                out.append(_SPACE_MARK)
        elif ch in "^_":
            arg, i = _latex_group(s, i + 1)
            arg = arg.replace(" ", "")
            if ch == "_" or re.fullmatch(r"\[[\d,\-]+\]|[°′®]", arg):
                out.append(arg)  # subscripts (CO_2) and citation markers ^[29] go inline
            else:
                out.append("^" + arg)
        elif ch == "~":
            out.append(_SPACE_MARK)
            i += 1
        elif ch in "{}":
            i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def latex_to_text(text: str) -> str:
    """Turn the LaTeX of $...$ spans into plain text (converter output in .md/.txt files).

    MinerU writes every token apart ("$3 0 \\mathrm { m g / k g }$") and real spaces as
    ``~``: inside a span, plain spaces go, ``~``/``\\ `` become one space, symbol commands
    become their character (``\\pm`` ±, ``\\beta`` β, ``\\%`` %), wrappers are dropped with
    their argument kept, subscripts go inline and superscripts become ``^x`` (``[29]``
    and ``°`` inline).

    Args:
        text: text that may hold $...$ spans.

    Returns:
        The text with each LaTeX-like span replaced by its plain reading
        (``"30 mg/kg"``, ``"P<0.05"``, ``"FeCl3"``).
    """
    if "$" not in text:
        return text

    def repl(m: re.Match) -> str:
        body = m.group(1)
        if not _MATH_LIKE_RE.search(body):
            return m.group(0)
        if not body.strip():
            return " "
        plain = _latex_body(body).replace(" ", "")
        return re.sub(f"{_SPACE_MARK}+", " ", plain).strip()

    return _MATH_SPAN_RE.sub(repl, text)


# Markdown from PDF converters (MinerU): image links carry no text ("![](images/3f2a….jpg)"),
# and punctuation is backslash-escaped ("陈大明\\*\\*", "3\\~4次").
_MD_IMAGE_RE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_MD_ESCAPE_RE = re.compile(r"\\([*_~#`|<>\[\](){}+.!\-])")


# MinerU writes tables as HTML (<table><tr><td>…</td></tr></table>); they become the
# tab-separated rows that PDF tables and plain-text tables give (a cell spanning n
# columns is followed by n-1 empty cells, so that the columns stay aligned).
_HTML_ROW_RE = re.compile(r"<tr[^>]*>(.*?)(?=<tr[^>]*>|$)", re.IGNORECASE | re.DOTALL)
_HTML_CELL_RE = re.compile(r"<t[dh]([^>]*)>(.*?)(?=<t[dh][^>]*>|</tr>|$)", re.IGNORECASE | re.DOTALL)
_HTML_TAG_RE = re.compile(r"<[^>]+>")
_COLSPAN_RE = re.compile(r"colspan\s*=\s*[\"']?(\d{1,2})", re.IGNORECASE)


def _html_tables_to_rows(text: str) -> str:
    """Replace each ``<table …>…</table>`` by its rows (one pass: str.find, no regex rescans)."""
    lower = text.lower()
    out: list[str] = []
    pos = 0
    while True:
        start = lower.find("<table", pos)
        if start < 0:
            break
        open_end = lower.find(">", start)
        end = lower.find("</table>", open_end)
        if open_end < 0 or end < 0:
            break
        out.append(text[pos:start])
        out.append(_html_table_rows(text[open_end + 1:end]))
        pos = end + len("</table>")
    out.append(text[pos:])
    return "".join(out)


def _html_table_rows(body: str) -> str:
    import html

    rows = []
    for row in _HTML_ROW_RE.finditer(body):
        cells = []
        for cell in _HTML_CELL_RE.finditer(row.group(1)):
            value = " ".join(html.unescape(_HTML_TAG_RE.sub(" ", cell.group(2))).split())
            span = _COLSPAN_RE.search(cell.group(1))
            cells.extend([value] + [""] * (int(span.group(1)) - 1 if span else 0))
        if any(cells):
            rows.append("\t".join(cells))
    return "\n" + "\n".join(rows) + "\n"


# Pipe tables of other converters ("| 组别 | 骨密度 |", then "|---|:---:|"): the same rows.
_PIPE_ROW_RE = re.compile(r"^[ \t]*\|(.*\|)[ \t]*(?:\n|$)", re.MULTILINE)
_PIPE_RULE_RE = re.compile(r"^[\s|:\-]+$")


def _pipe_row(m: re.Match) -> str:
    body = m.group(1)
    if _PIPE_RULE_RE.match(body):
        return ""
    end = "\n" if m.group(0).endswith("\n") else ""
    return "\t".join(cell.strip() for cell in re.split(r"(?<!\\)\|", body)[:-1]) + end


def markdown_to_text(text: str) -> str:
    """Drop Markdown image links and backslash escapes, turn HTML tables into rows.

    Applied after :func:`latex_to_text`.

    Args:
        text: converter output.

    Returns:
        The text without ``![..](..)`` links, ``\\*`` read as ``*`` and ``\\~`` as ``~``,
        each ``<table>`` and ``| a | b |`` pipe table as one line per row with cells
        apart by tabs.
    """
    if "<table" in text or "<TABLE" in text:
        text = _html_tables_to_rows(text)
    if "|" in text:
        text = _PIPE_ROW_RE.sub(_pipe_row, text)
    if "\\" not in text and "![" not in text:
        return text
    return _MD_ESCAPE_RE.sub(r"\1", _MD_IMAGE_RE.sub("", text))


# Letter-spaced headings ("参 考 文 献", "1 前 言", "R E S U L T S"; CAJ conversions and
# display type): a line that is wholly single letters or CJK characters apart by single
# spaces (words apart by two or more), after an optional section number or bracket.
_SPACED_CHAR = r"[A-Za-z\u4e00-\u9fff]"
_SPACED_LINE_RE = re.compile(
    rf"^(?P<num>(?:\d+(?:\.\d+)*\.?|[一二三四五六七八九十]+、) )?(?P<open>[【\[(（]?)"
    rf"(?P<body>{_SPACED_CHAR}(?: {_SPACED_CHAR})+(?: {{2,}}{_SPACED_CHAR}(?: {_SPACED_CHAR})+)*)"
    r"(?P<close>[】\])）]?)[ \t]*$", re.MULTILINE)
# A spaced-out Latin line needs this many letters, one of them a capital: "A B" may be a
# list of labels, "a b c d" variables.
MIN_SPACED_LATIN = 4


def _collapse_spaced(m: re.Match) -> str:
    body = m.group("body")
    if not any(is_wide(ch) for ch in body) and (sum(ch.isalpha() for ch in body) < MIN_SPACED_LATIN
                                                or body.islower()):
        return m.group(0)  # "A B" labels, "a b c d" variables
    words = " ".join(word.replace(" ", "") for word in re.split(r" {2,}", body))
    return f"{m.group('num') or ''}{m.group('open')}{words}{m.group('close')}"


def collapse_letter_spacing(text: str) -> str:
    """Close up letter-spaced lines: "参 考 文 献" -> "参考文献", "1 前 言" -> "1 前言".

    Args:
        text: one or more lines.

    Returns:
        The text with each wholly letter-spaced line closed up (two or more spaces
        between letters mark a word break: "R E S E A R C H  A R T I C L E" ->
        "RESEARCH ARTICLE"); other lines unchanged.
    """
    if " " not in text:
        return text
    return _SPACED_LINE_RE.sub(_collapse_spaced, text)


def clean_text(text: str, latex: bool = False) -> str:
    """Normalise text for the pipeline (see the module docstring for the choices).

    Args:
        text: decoded text, any newline convention.
        latex: also read $...$ LaTeX spans and Markdown escapes as text
            (:func:`latex_to_text`, :func:`markdown_to_text`); set for text files,
            which may come from PDF-to-Markdown converters.

    Returns:
        The clean text: ``\\n`` newlines, NFKC except full-width CJK punctuation,
        hyphen/minus dashes as ``-``, lost exponents as ``1×10^7``, no control characters, no spaces at line ends
        or line starts, at most one empty line in a row.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    if latex:
        text = markdown_to_text(latex_to_text(text))
    if any(ch in text for ch in _SUPERSCRIPT_DIGITS):
        text = _rewrite_unicode_superscripts(text)
    text = _CONTROL_RE.sub("", text)
    text = _nfkc_keeping_cjk_punct(text)
    text = text.translate(_HYPHEN_TABLE)
    text = _EM_DASH_IN_WORD_RE.sub("-", text)
    if "10" in text:
        text = _LOST_EXPONENT_RE.sub(r"\1^\2", text)
    text = _TRAILING_SPACE_RE.sub("\n", text)
    text = _LEADING_SPACE_RE.sub("", text)
    text = collapse_letter_spacing(text)
    return _BLANK_LINES_RE.sub("\n\n", text)


# A hyphen that ended a line before a lower-case continuation ("treat-" / "ment") is
# followed by this mark until the whole text is known; :func:`repair_hyphens` then
# drops the hyphen or keeps it, using the document's own words as the dictionary.
LINE_BREAK_HYPHEN = "\ue002"
# Prefixes written with a hyphen in compounds ("anti-inflammatory", "meta-analyses",
# "non-union", "well-known", "self-renewal"): kept before a word of the document even
# when neither form occurs elsewhere. (AMA Manual of Style 8.3.1, Hyphens: prefixes.)
HYPHEN_PREFIXES = frozenset({"anti", "meta", "non", "self", "well", "post", "pre", "co", "cross", "long", "short",
                             "high", "low", "double", "multi", "semi", "sub", "ultra", "mini", "bone", "time",
                             "dose", "age", "sex", "cell", "stem", "full", "half", "three", "two", "four", "one"})
# The left half of "X-" / "Y" must be at least this long to count as a word of its own:
# "be-cause", "in-crease" split short function words.
MIN_HYPHEN_HALF = 3
# Every mark matches (the groups are optional): one without a word on both sides only goes.
_BREAK_RE = re.compile(rf"(?:([^\W\d_]+(?:-[^\W\d_]+)*)-)?{LINE_BREAK_HYPHEN}([^\W\d_]+)?")
_WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def repair_hyphens(text: str, context: str | None = None) -> tuple[str, list[int]]:
    """Resolve the line-break hyphens marked with :data:`LINE_BREAK_HYPHEN`.

    The hyphen is dropped ("treatment") when the joined form occurs elsewhere in the text,
    or when the halves are not both words there; it is kept ("low-molecular-weight",
    "anti-inflammatory") when the hyphenated form occurs elsewhere, or when the left
    half is a compound prefix or a word of the document and so is the right half (in a
    chain like "low-molecular-" the left half alone decides; see HYPHEN_PREFIXES,
    MIN_HYPHEN_HALF).

    Args:
        text: assembled text with the marks.
        context: the whole document when ``text`` is one part of it (its words are the
            dictionary); ``text`` itself when None.

    Returns:
        ``(text, removed)``: the repaired text and the ascending positions (in the
        input) of the characters removed, so that offsets can be moved.
    """
    if LINE_BREAK_HYPHEN not in text:
        return text, []
    plain = _BREAK_RE.sub(" ", text if context is None else context)
    words: Counter = Counter()
    pairs: Counter = Counter()
    for m in _WORD_RE.finditer(plain):
        token = m.group(0).lower()
        words[token] += 1
        parts = token.split("-")
        if len(parts) > 1:
            words.update(parts)
            pairs.update(f"{a}-{b}" for a, b in zip(parts, parts[1:]))
    out: list[str] = []
    removed: list[int] = []
    pos = 0
    for m in _BREAK_RE.finditer(text):
        left_word, right = m.group(1), m.group(2)
        if not left_word or not right:
            out.append(text[pos:m.start() + len(m.group(0)) - len(right or "") - 1])
            removed.append(m.end() - len(right or "") - 1)
            pos = m.end() - len(right or "")
            continue
        left = left_word.rsplit("-", 1)[-1]
        joined, hyphened = (left + right).lower(), f"{left}-{right}".lower()
        if words[joined]:
            keep = False
        elif pairs[hyphened]:
            keep = True
        else:
            lo = left.lower()
            left_is_word = lo in HYPHEN_PREFIXES or (len(lo) >= MIN_HYPHEN_HALF and words[lo] > 0)
            # In a chain ("low-molecular-" / "weight") a whole word before the break is
            # enough; "life-threa-" / "tening" breaks inside the last word.
            keep = left_is_word and ("-" in left_word or bool(words[right.lower()]))
        hyphen_at = m.start(2) - 2  # "-" then the mark
        out.append(text[pos:hyphen_at])
        if keep:
            out.append("-")
        else:
            removed.append(hyphen_at)
        removed.append(hyphen_at + 1)
        pos = m.start(2)
    out.append(text[pos:])
    return "".join(out), removed


# ---------------------------------------------------------------------------
# Text files
# ---------------------------------------------------------------------------

# ---------------------------------------------------------------------------
# Glued English words
# ---------------------------------------------------------------------------

# PDF-to-Markdown converters (MinerU) sometimes drop every space of an English line
# ('markedlydownregulatedinthefemoralbone'). A lower-case letter run (one leading capital
# allowed) at least this long is looked at: shorter runs are mostly real words, and the
# longest common English terms ('immunohistochemistry', 20) are known words of the paper.
MIN_GLUED_RUN = 20
_GLUED_RUN_RE = re.compile(rf"(?<![A-Za-z0-9])[A-Z]?[a-z]{{{MIN_GLUED_RUN - 1},}}(?![A-Za-z0-9])")
# Pieces shorter than this must be function words (spaCy's English stop words): content words of
# three letters ('rat', 'ion', 'gen') split real words apart ('gene rat ion').
MIN_CONTENT_PIECE = 4
# The longest piece tried: longer English words are rare and would be known whole.
MAX_PIECE = 24
# Word-frequency prior: function words are the most frequent words of any English text, so each
# counts as this many sightings; a word of the English names in rules/ counts once per name it
# is in ('cells' is in hundreds, a typo in one); the paper's own spaced, lower-case words count
# each time they occur.
FUNCTION_WORD_PRIOR = 50
RULE_WORD_PRIOR = 1
_LOWER_WORD_RE = re.compile(r"(?<![A-Za-z0-9])[a-z]+(?![A-Za-z0-9])")


@functools.lru_cache(maxsize=4)
def english_vocabulary(rules_dir: Path | None) -> dict[str, int]:
    """General English word counts to split glued words with, built without downloads.

    Args:
        rules_dir: the rules folder whose English aliases and concept names give the
            domain words; None for the function words only.

    Returns:
        Lower-case word -> prior count: spaCy's English stop words (FUNCTION_WORD_PRIOR)
        and every word of MIN_CONTENT_PIECE letters or more in the English names of
        ``rules/`` (RULE_WORD_PRIOR for each name it is in).
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    counts: dict[str, int] = {}
    if rules_dir is not None and Path(rules_dir).is_dir():
        from pipeline.rules import load_rules

        rules = load_rules(rules_dir, strict=False)
        names = [row.values.get("alias", "") for row in rules.aliases if row.values.get("lang") == "en"]
        names += [c.preferred_en for c in rules.concepts.values()]
        for name in names:
            for word in re.findall(r"[A-Za-z]+", name):
                if len(word) >= MIN_CONTENT_PIECE and (word.islower() or word[1:].islower()):
                    counts[word.lower()] = counts.get(word.lower(), 0) + RULE_WORD_PRIOR
    for word in STOP_WORDS:
        if word.isalpha() and (len(word) > 1 or word == "a"):  # 'i', 'x' would cut words anywhere
            counts[word] = FUNCTION_WORD_PRIOR
    return counts


# Inflected forms of a known word are known ('attenuate' -> 'attenuates', 'attenuated',
# 'attenuating'); a suffix in E_DROPPING_INFLECTIONS may have replaced a final 'e'.
INFLECTIONS = ("s", "es", "ed", "d", "ing", "ly")
E_DROPPING_INFLECTIONS = ("ed", "ing")
# Function words that are also negating/bound prefixes: before a content word they more often
# begin one word the vocabulary lacks ('independent', 'unchanged', 'reduced') than stand alone.
PREFIX_FUNCTION_WORDS = frozenset({"in", "un", "re", "co", "de", "non"})
def _piece_count(piece: str, counts: dict[str, int]) -> int:
    count = counts.get(piece, 0)
    if not count and len(piece) > MIN_CONTENT_PIECE + 1:
        for suffix in INFLECTIONS:
            stem = piece[: -len(suffix)]
            if not piece.endswith(suffix) or len(stem) < MIN_CONTENT_PIECE:
                continue
            if counts.get(stem, 0) > 0:
                return counts[stem]
            if suffix in E_DROPPING_INFLECTIONS and counts.get(stem + "e", 0) > 0:
                return counts[stem + "e"]
    return count


def _glued_to_function_word(word: str, counts: dict[str, int]) -> bool:
    """True when a paper's word is a known word glued to a function word ('activityof')."""
    if word in counts:
        return False
    for k in range(2, len(word) - 1):
        head, tail = word[:k], word[k:]
        if (counts.get(head, 0) >= FUNCTION_WORD_PRIOR and len(tail) >= MIN_CONTENT_PIECE and tail in counts) \
                or (counts.get(tail, 0) >= FUNCTION_WORD_PRIOR and len(head) >= MIN_CONTENT_PIECE and head in counts):
            return True
    return False


def _split_run(run: str, counts: dict[str, int], total: float) -> list[str] | None:
    """The most probable split of a run into known words (unigram model), or None.

    Dynamic programming over end positions: each piece costs ``log(total / count)``, so a
    split into common words beats one into rare words and fewer pieces beat more; a run
    that does not split wholly into known words (a typo, a name) has no split.
    """
    low = run.lower()
    n = len(low)
    best: list[tuple[float, int] | None] = [None] * (n + 1)  # (cost, start of last piece)
    best[0] = (0.0, 0)
    for i in range(1, n + 1):
        for j in range(max(0, i - MAX_PIECE), i):
            if best[j] is None:
                continue
            count = _piece_count(low[j:i], counts)
            if not count or (i - j < MIN_CONTENT_PIECE and count < FUNCTION_WORD_PRIOR):
                continue
            before = low[best[j][1]:j]
            if before in PREFIX_FUNCTION_WORDS and count < FUNCTION_WORD_PRIOR:
                continue
            cost = best[j][0] + math.log(total / count)
            if best[i] is None or cost < best[i][0]:
                best[i] = (cost, j)
    if best[n] is None:
        return None
    pieces, i = [], n
    while i > 0:
        j = best[i][1]
        pieces.append(run[j:i])
        i = j
    return pieces[::-1]


def split_glued_words(text: str, vocabulary: dict[str, int] | None = None,
                      context: str | None = None) -> tuple[str, list[int]]:
    """Put back the spaces a converter dropped inside long runs of English words.

    A run of MIN_GLUED_RUN or more letters, lower case after an optional capital, that is
    not a word of the paper or the vocabulary, is split by dynamic programming into the
    most probable sequence of known words (a unigram model: each word costs
    ``-log p(word)``, with p from the paper's own spaced words plus the prior counts of
    :func:`english_vocabulary`). Runs with no complete split stay as they are, and so do
    names with capitals inside ('anzhouUniversitykeyLaboratory').

    Args:
        text: the clean text (no offsets refer to it yet).
        vocabulary: prior word counts (:func:`english_vocabulary`); function words only when None.
        context: the whole paper when ``text`` is one page of it (its words are counted).

    Returns:
        The text with spaces inserted, and the positions in ``text`` before which a space
        was inserted (ascending), to move offsets computed before the split.
    """
    runs = list(_GLUED_RUN_RE.finditer(text))
    if not runs:
        return text, []
    counts = dict(vocabulary if vocabulary is not None else english_vocabulary(None))
    for word in _LOWER_WORD_RE.findall(context or text):
        if MIN_CONTENT_PIECE <= len(word) < MIN_GLUED_RUN and not _glued_to_function_word(word, counts):
            counts[word] = counts.get(word, 0) + 1
    total = float(sum(counts.values()))
    parts, inserted, pos = [], [], 0
    for m in runs:
        if m.group().lower() in counts:
            continue
        pieces = _split_run(m.group(), counts, total)
        if not pieces or len(pieces) < 2:
            continue
        parts.append(text[pos:m.start()])
        at = m.start()
        for k, piece in enumerate(pieces):
            if k:
                inserted.append(at)
                parts.append(" ")
            parts.append(piece)
            at += len(piece)
        pos = m.end()
    parts.append(text[pos:])
    return "".join(parts), inserted


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32", "utf-32-be"),
    (b"\xff\xfe", "utf-16", "utf-16-le"),
    (b"\xfe\xff", "utf-16", "utf-16-be"),
)
# Strict decodes tried in order when there is no BOM. GB18030 is a superset of GBK and
# GB2312, the encodings of older Chinese text files.
STRICT_ENCODINGS = ("utf-8", "gb18030")
# A text file whose decoded characters are more than this share control characters
# (other than tab/newline/form feed) or U+FFFD is binary, whatever decoded it.
MAX_CONTROL_SHARE = 0.01
# Share of NUL bytes at odd (even) positions that marks BOM-less UTF-16 LE (BE) text.
UTF16_NUL_SHARE = 0.3


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes.

    Args:
        data: the file's bytes (not empty).

    Returns:
        ``(text, encoding)``, encoding as recorded in ``Document.encoding``
        (``utf-8``, ``utf-8-sig``, ``utf-16-le``, ``gb18030``, …).

    Raises:
        PipelineError: when no encoding gives plausible text (binary content).
    """
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), name
            except UnicodeDecodeError as exc:
                raise PipelineError("ingest", f"{name} byte-order mark but invalid {name} at byte {exc.start}") \
                    from exc
    sample = data[:4096]
    if len(sample) >= 4 and sample.count(0):
        odd = sample[1::2].count(0) / (len(sample) // 2)
        even = sample[0::2].count(0) / (len(sample) // 2)
        for share, codec in ((odd, "utf-16-le"), (even, "utf-16-be")):
            if share > UTF16_NUL_SHARE:
                try:
                    return _plausible(data.decode(codec), codec), codec
                except UnicodeDecodeError:
                    pass
    for codec in STRICT_ENCODINGS:
        try:
            return _plausible(data.decode(codec), codec), codec
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise PipelineError("ingest", "binary content in a text file (no text encoding fits)")
    return _plausible(str(best), best.encoding), best.encoding


def _plausible(text: str, codec: str) -> str:
    bad = sum(1 for ch in text if (ch < " " and ch not in "\t\n\r\f") or ch == "\ufffd")
    if bad > MAX_CONTROL_SHARE * max(1, len(text)):
        raise PipelineError("ingest", f"binary content in a text file ({bad} control characters "
                                      f"in {len(text)} as {codec})")
    return text


# A hard line wrap inside a word of a text file (PDF-to-text and MinerU output): "ef-"
# at a line end, the word going on in lower case on the next line or after an empty one.
_TEXT_BREAK_RE = re.compile(r"(?<=[a-z])-\n\n?(?=[a-z])")

# Hard-wrapped text files (PDF-to-text output, copies from a PDF viewer) break every line
# of a paragraph at the column width, often with an empty line after each ("糖皮\n\n质激素").
# A file is hard-wrapped when at least WRAP_SHARE of its lines (and MIN_WRAP_LINES) are
# within one width band (display width: a CJK character counts 2, see WRAP_BIN) of at
# least MIN_WRAP_WIDTH; lines reaching FULL_LINE_SHARE of the band's median width are
# full, and so are lines the next line's first word would not have fitted on; a full
# line that does not end a sentence goes on in the next line. (The same test as a PDF
# line that ends early, with widths counted instead of measured.)
MIN_WRAP_WIDTH = 20
WRAP_BIN = 4
WRAP_SHARE = 0.35
MIN_WRAP_LINES = 8
FULL_LINE_SHARE = 0.85
# In a file that is not hard-wrapped (one paragraph per line, MinerU Markdown), a page or
# column break can still cut a paragraph, even a word, in two ("神经移\n\n植的"): a line of
# at least BROKEN_LINE_WIDTH ending in a CJK character that is no punctuation goes on in a
# next line starting with one when the two characters across the break occur side by side
# elsewhere in the document (移植), the same dictionary test as repair_hyphens.
BROKEN_LINE_WIDTH = 40
# Lines that never continue the line before: Markdown headings, numbered headings (short,
# no sentence end), list/reference entries, table rows, figure/table captions and their
# notes, front-matter labels.
_NUMBERED_HEAD_RE = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?|[一二三四五六七八九十]{1,3}[、.]|第[一二三四五六七八九十\d]{1,3}[章节部分])"
                               r"\s*[^\d\s.．,，%)）]")
_CAPTION_RE = re.compile(r"^(?:续?\s*表|图|附图|Fig(?:ure)?\.?|Table)\s*[\dⅠⅡⅢⅣⅤIVX]+(?![\d.]*\s*[)）所中和与及的显示可、，,])")
_ENTRY_START_RE = re.compile(r"^(?:#|\[\d{1,3}\]|［\d{1,3}］|[【〔]|[•·▪●○■□◆\-*+]\s|注\s*[:：])")
FRONT_LABELS = ("摘要", "关键词", "关键字", "中图分类号", "文献标识码", "文章编号", "引言", "前言", "参考文献",
                "abstract", "key words", "keywords", "references", "doi", "收稿日期", "基金项目", "作者简介",
                "通信作者", "通讯作者")
_FRONT_LABEL_RE = re.compile(r"^(?:" + "|".join(re.escape(w) for w in FRONT_LABELS) + r")\s*[:：\]】]?",
                             re.IGNORECASE)
# A line ending in one of these closes its sentence (or opens a list): it is not joined.
LINE_END_STOPS = "。！？.!?:：;；"


_WIDE_RE = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _CJK_RANGES) + "]")


def display_width(line: str) -> int:
    """Width of ``line`` in columns: CJK characters (see :func:`is_wide`) count two, others one."""
    return len(line) + len(_WIDE_RE.findall(line))


def _full_width(widths: list[int]) -> float | None:
    """The width of a full line (the band's median) in a hard-wrapped text, None when not wrapped."""
    wide = [w for w in widths if w >= MIN_WRAP_WIDTH]
    if len(wide) < MIN_WRAP_LINES:
        return None
    bins = Counter(w // WRAP_BIN for w in wide)
    mode = max(bins, key=lambda b: (bins[b] + bins[b - 1] + bins[b + 1], bins[b]))
    band = sorted(w for w in wide if mode - 1 <= w // WRAP_BIN <= mode + 1)
    if len(band) < max(MIN_WRAP_LINES, WRAP_SHARE * len(widths)):
        return None
    return band[len(band) // 2]


@functools.lru_cache(maxsize=4)
def _full_width_of(text: str) -> float | None:
    return _full_width([display_width(line) for line in text.split("\n") if line])


def _starts_own_line(line: str, full: float | None) -> bool:
    """Whether ``line`` is a heading, entry, table row or label that never continues a line."""
    if "\t" in line or _ENTRY_START_RE.match(line) or _CAPTION_RE.match(line) or _FRONT_LABEL_RE.match(line):
        return True
    if _NUMBERED_HEAD_RE.match(line) and line[-1] not in LINE_END_STOPS:
        return full is None or display_width(line) < FULL_LINE_SHARE * full
    return False


def rejoin_wrapped_lines(text: str, context: str | None = None) -> str:
    """Join the hard-wrapped lines of a text file's paragraphs (see MIN_WRAP_WIDTH ff.).

    Args:
        text: clean text (``\\n`` newlines, no spaces at line ends).
        context: the whole document when ``text`` is one page of it (its widths and
            character pairs decide); ``text`` itself when None.

    Returns:
        The text with each wrapped line joined to the next (no separator between CJK
        characters, a space between Latin words, a line-break hyphen marked with
        :data:`LINE_BREAK_HYPHEN` for :func:`repair_hyphens`); headings, list and
        reference entries, table rows and short lines stay lines of their own.
    """
    whole = text if context is None else context
    lines = text.split("\n")
    full = _full_width_of(whole)
    pairs: set[str] | None = None
    out: list[str] = []  # finished lines
    par = [lines[0]]  # the paragraph being joined: its lines and separators
    last = lines[0]  # its last physical line: the one whose width and end decide
    k = 1
    while k < len(lines):
        gap = 1
        if not lines[k] and k + 1 < len(lines) and lines[k + 1]:
            gap = 2
        nxt = lines[k + gap - 1]
        join = False
        if last and nxt and last[-1] not in LINE_END_STOPS and "\t" not in last and not par[0].startswith("#") \
                and not _starts_own_line(nxt, full) and not (len(par) == 1 and _CAPTION_RE.match(last)):
            width = display_width(last)
            if full is not None:
                # full, or ended early only because the next word did not fit (ragged right)
                first_word = 2 if is_wide(nxt[0]) else len(nxt.split(" ", 1)[0])
                join = width >= FULL_LINE_SHARE * full or width + 1 + first_word > full
            elif width >= BROKEN_LINE_WIDTH and is_wide(last[-1]) and is_wide(nxt[0]) \
                    and last[-1] not in KEEP_FULLWIDTH and nxt[0] not in KEEP_FULLWIDTH:
                if pairs is None:
                    pairs = {a + b for a, b in zip(whole, whole[1:]) if a >= "\u2e80" and b >= "\u2e80"}
                join = last[-1] + nxt[0] in pairs
        if join:
            sep = join_lines(last, nxt)
            par.append((LINE_BREAK_HYPHEN if sep == "\b" else sep) + nxt)
        else:
            out.append("".join(par))
            out.extend(lines[k:k + gap - 1])
            par = [nxt]
        last = nxt
        k += gap
    out.append("".join(par))
    return "\n".join(out)


# Converters that rebuild lines from a PDF (MinerU, copy and paste) leave a space where a
# line wrapped inside a Chinese word ("碱性磷酸 酶", "间 充质干细胞"). In a prose line (one
# with a Chinese comma or full stop: names, keyword lists and addresses are spaced on
# purpose and have none), a single space between two CJK characters goes when the two
# stand side by side elsewhere in the document (酸酶, 间充): repair_hyphens' test.
_CJK_SPACE_RE = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")
_PROSE_MARKS = "，。"


def close_cjk_spaces(text: str, context: str | None = None) -> str:
    """Drop the wrap spaces inside Chinese words of prose lines (see _CJK_SPACE_RE).

    Args:
        text: clean text.
        context: the whole document when ``text`` is one page of it; ``text`` when None.

    Returns:
        The text with each such space removed; other lines unchanged.
    """
    if " " not in text or not _CJK_SPACE_RE.search(text):
        return text
    whole = text if context is None else context
    pairs = {a + b for a, b in zip(whole, whole[1:]) if "\u4e00" <= a <= "\u9fff" and "\u4e00" <= b <= "\u9fff"}
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if " " in line and any(mark in line for mark in _PROSE_MARKS):
            lines[i] = _CJK_SPACE_RE.sub(lambda m: "" if line[m.start() - 1] + line[m.end()] in pairs else " ", line)
    return "\n".join(lines)


def _read_text(data: bytes, vocabulary: dict[str, int] | None = None) -> tuple[str, str, str, tuple[Page, ...]]:
    original, encoding = decode_bytes(data)
    chunks = [clean_text(chunk, latex=True) for chunk in original.split("\f")]
    whole = "\n".join(chunks)
    chunks = [_TEXT_BREAK_RE.sub("-" + LINE_BREAK_HYPHEN, rejoin_wrapped_lines(chunk, whole)) for chunk in chunks]
    chunks = [close_cjk_spaces(chunk, whole) for chunk in chunks]
    if any(LINE_BREAK_HYPHEN in chunk for chunk in chunks):
        whole = "".join(chunks)
        chunks = [repair_hyphens(chunk, whole)[0] for chunk in chunks]
    whole = "".join(chunks)
    chunks = [split_glued_words(chunk, vocabulary, whole)[0] for chunk in chunks]
    while len(chunks) > 1 and not chunks[-1].strip():  # pdftotext ends every page with \f
        tail = chunks.pop()
        chunks[-1] += tail
    pages, pos, parts = [], 0, []
    for number, chunk in enumerate(chunks, start=1):
        if number > 1:
            chunk = "\n" + chunk if not chunk.startswith("\n") and parts and not parts[-1].endswith("\n") else chunk
        pages.append(Page(number, pos, pos + len(chunk)))
        parts.append(chunk)
        pos += len(chunk)
    text = "".join(parts)
    if not text.strip():
        raise PipelineError("ingest", "no text after decoding (only whitespace or control characters)")
    return text, original, encoding, tuple(pages)


# ---------------------------------------------------------------------------
# PDF layout
# ---------------------------------------------------------------------------

# Rows: characters whose baselines differ by at most this share of their size (or
# BASELINE_MIN_TOLERANCE pt) are on one row. Glyphs of one line share their baseline to
# within ~0.4 pt (mixed CJK/Latin fonts included); the two columns of a page are often
# 1-2 pt apart and are better kept apart; superscripts sit 0.3-0.5 em higher.
BASELINE_TOLERANCE = 0.1
BASELINE_MIN_TOLERANCE = 0.6
# Gutter search: the gutter of a two-column page lies in this middle band of the width.
GUTTER_SEARCH = (0.25, 0.75)
# Two columns when, in a stretch of rows without two full-width rows in a row, at most
# this share span the emptiest x in the band (wide tables, figures); in a one-column
# page nearly every row spans it (word gaps do not line up over several rows).
MAX_GUTTER_CROSSING = 0.3
# ... and each side holds at least this many rows,
MIN_COLUMN_ROWS = 3
# ... of at least this many characters (median): a table's cells are not columns of text.
MIN_COLUMN_LINE_CHARS = 18
# A row with text on both sides of the gutter is one full-width line (title, abstract
# box) unless the gap there is at least this many ems: justified word gaps stay under
# ~0.6 em, column gutters are 1-2 em.
GUTTER_MIN_EM = 0.8
# Gutter candidates: every run of x whose coverage is within this share (plus
# GUTTER_COVERAGE_SLACK_ROWS) of the emptiest. On a first page the full-width title
# block crosses the real gutter, and a table inside one column leaves its cell gap
# uncovered by the other column's rows too: that gap can be the emptiest x, but the
# real gutter, nearly as empty, has far more lines reaching it on both sides: the
# lines of a column end (or start) within this many ems of it (justified text: under
# one em; ragged English text: a long word), while the other column's lines stop
# a whole table column short of a cell gap.
GUTTER_REACH_EM = 4.0
# ... "far more": this many times as many, and the other candidate must lie nearer the
# middle of the text (close calls keep the emptiest x, which is right on ordinary pages).
GUTTER_SWITCH_FACTOR = 3
GUTTER_COVERAGE_SLACK = 0.5
GUTTER_COVERAGE_SLACK_ROWS = 2
# Gutters are looked for again inside each side, this many levels deep (sidebar + 2 columns).
MAX_COLUMN_DEPTH = 2
# Superscripts: smaller than this share of the line's size, raised by 0.1-0.9 em
# (subscripts lowered by 0.1-0.5 em).
SUPERSCRIPT_SIZE_RATIO = 0.85
SUPERSCRIPT_RISE = (0.1, 0.9)
SUBSCRIPT_DROP = (0.1, 0.5)
# ... and touch a glyph of their row: at most this many ems of gap (a wider gap is a
# line of the other column that happens to sit at that height).
SCRIPT_ADJACENT_EM = 0.6
# Longer runs of small characters are lines of small type, not scripts ("[1,2,6-9,14-76]" is 15).
MAX_SCRIPT_CHARS = 16
# Glyphs turned by more than this (sin of the angle) are rotated text: watermarks,
# margin notes ("Downloaded from ..."), axis labels.
MAX_ROTATION = 0.02
# Superscripts on the baseline (a text rise pdfminer does not report) are told apart by
# size alone, so the bar is lower: superscripts are set at 0.58-0.8 of the body size,
# while Latin digits inside Chinese text may be ~0.83 of the CJK size (10 pt in 12 pt).
INLINE_SUPERSCRIPT_RATIO = 0.81
# Superscript runs are wrapped in these private-use marks while a line is assembled, so
# that an author line's affiliation marks can be told from citation markers.
SCRIPT_OPEN, SCRIPT_CLOSE = "\ue000", "\ue001"
_SCRIPT_RE = re.compile("\ue000([^\ue001]*)\ue001")
# An author line: names (Latin "Chad G. Ball", "LI Si", or 2-4 Chinese characters), each
# with an optional superscript, separated by commas, 、, ; or "and". Body text never
# has this shape over a whole line.
_LATIN_NAME = r"[A-ZÀ-Þ](?:[^\W\d_]|['\-])*\.?"  # accented names too: Sundström, Lars-Göran
_NAME = rf"(?:{_LATIN_NAME}(?:\s+(?:{_LATIN_NAME}|van|von|de|der|da|di|le|la)){{0,5}}|[\u4e00-\u9fff]{{2,4}})"
_MARK = "(?:\\s*\ue000[^\ue001]*\ue001[*†‡§#]*)"
_SEP = rf"(?:\s*(?:,|，|、|;|；|\band\b|&){_MARK}?\s*)"
_AUTHOR_LINE_RE = re.compile(rf"(?:and\s+)?{_NAME}{_MARK}?(?:{_SEP}+{_NAME}{_MARK}?)*{_SEP}?")
# Characters a superscript citation marker is made of.
_INLINE_SUP_CHARS = frozenset("0123456789,-–—[]")
# Between a CJK and a Latin character a space needs a wider gap than between two Latin
# words: Chinese typesetters add 1-2 pt of spacing around Latin runs.
CJK_SPACE_EM = 0.4
# Between Latin letters a gap wider than this share of the font size (or than
# config.pdf_x_tolerance, whichever is smaller) is a word space: tightly justified
# lines set word spaces of 0.15 em (1.4 pt at 9 pt) with letters 0.02 em apart.
WORD_GAP_EM = 0.12
# Fake bold: the same glyph drawn again less than this share of its width away.
DUPLICATE_GLYPH_OVERLAP = 0.5
# Header/footer band: the top and bottom share of the page height.
HEADER_BAND = 0.1
# A line in the band seen on at least this many pages (text with digits removed) is a
# running header/footer; a line anywhere seen on this share of pages is a watermark.
MIN_REPEAT_PAGES = 2
WATERMARK_PAGE_SHARE = 0.6
WATERMARK_MIN_PAGES = 3
# A band line whose text (digits removed) holds a whole band line of another page is a
# running header too, if that line has this many characters: Chinese journals print
# "第12卷第3期 <journal> 2025年3月" on page 1 and "<journal> 2025年3月" on the others.
# (Not the other way round: the title on page 1 is held by the "author, 等: title"
# header of the odd pages, and stays.)
MIN_SHARED_HEADER_CHARS = 6
# Top-band lines that name the journal issue are furniture even once (a 2-3 page paper
# has one even and one odd page; page 1 has a header of its own): ISSUE_MARKS of
# volume, issue, year and month, DOI, ISSN (one alone may be a reference line carried
# over to the page top), or a line that starts with the DOI.
_ISSUE_RE = re.compile(r"第\s*\d+\s*卷|第\s*\d+\s*期|\bvol(?:ume)?\.?\s*\d+|\bno\.\s*\d+|(?:19|20)\d\d\s*年\s*\d{1,2}\s*月"
                       r"|\bdoi\s*[:：]|\bissn\s*[:：]?\s*\d{4}-\d{3}[\dx]", re.IGNORECASE)
ISSUE_MARKS = 2
_DOI_LINE_RE = re.compile(r"\s*doi\s*[:：]\s*10\.\d{4,}/", re.IGNORECASE)
# ... at the same height (points, rounded to this step): a title repeated as a running
# header elsewhere on the page is not a watermark.
WATERMARK_Y_STEP = 6.0
# Page numbers and their decorations: "3", "- 3 -", "·3·", "第3页", "Page 3 of 10", "iv".
PAGE_NUMBER_RE = re.compile(r"[\s\-–—·•|]*(?:第\s*\d+\s*页|(?:page|p\.)?\s*\d+(?:\s*(?:of|/)\s*\d+)?|[ivxlc]{1,6})"
                            r"[\s\-–—·•|]*", re.IGNORECASE)
# Paragraphs: a vertical gap above this many median line spacings starts a paragraph.
PARAGRAPH_GAP = 1.5
# Line spacing is at least this many times the font size (for the lines of a title).
MIN_LEADING = 1.15
# A line starting this many ems right of its column's left edge is indented.
INDENT_EM = 0.8
# A line ends its paragraph when the next line's first word (plus this many ems of
# spacing) would have fitted in the room left at its end: the classic test for
# ragged-right text, centred lines and last lines of justified paragraphs.
ROOM_EM = 0.5
# Blocks with fewer lines take the page's text extent as their edges.
MIN_EDGE_LINES = 3
# Two lines ending within this many points share a (justified) right edge.
SHARED_EDGE_PT = 1.0
# Lines this much larger than the page's body text are display type (titles).
TITLE_SIZE_RATIO = 1.2
# Font size change between two lines (heading vs body) that starts a paragraph.
SIZE_CHANGE = 0.12
# A line with at least MIN_CELL_GAPS gaps wider than CELL_GAP_EM ems is a table row:
# justified word spaces stay under ~0.6 em, table cells sit apart by one em or more.
CELL_GAP_EM = 1.0
MIN_CELL_GAPS = 2
# Footnotes: lines under this share of the body size, below this share of the page
# height, at most this many, closing a block that the next block's body text continues.
FOOTNOTE_SIZE_RATIO = 0.9
FOOTNOTE_TOP = 0.6
MAX_FOOTNOTE_LINES = 12
FOOTNOTE_BLOCK = 10_000  # block ids given to moved footnotes (kept apart from the columns)
SENTENCE_END = "。！？.!?:：;；"
# Starts of reference-list entries and numbered items: "[12] ", "［12］", "12. ".
_REFERENCE_START_RE = re.compile(r"^(?:\[\d{1,3}\]|［\d{1,3}］|\d{1,3}\.\s?[A-Z\u4e00-\u9fff])")
# Fonts of CNKI's CAJ-to-PDF converter: symbols drawn without a Unicode map, so their
# ASCII codes are arbitrary ('3' for a flowchart arrow); such characters are dropped.
UNRELIABLE_FONT_PREFIXES = ("cajcd-fnt",)
# Garbage glyphs: a PDF whose text is more than this share (cid:NN) glyphs, private-use
# characters, U+FFFD or Latin-1 symbols among CJK (GBK bytes read as Latin-1) is refused.
MAX_GARBAGE_SHARE = 0.15
# ... page by page too (the others are kept, with a warning); a page needs this many
# characters to be judged (a figure label alone says little).
MIN_GARBAGE_PAGE_CHARS = 50
# A page whose glyphs are mostly (cid:NN) keeps only fragments of its text: dropped. With
# fewer, the readable part stays (a formula or symbol font without a Unicode map), and the
# share over the whole text decides whether the paper is refused.
MAX_CID_PAGE_SHARE = 0.5


@dataclass
class _Line:
    """One line of a page in reading order, with what paragraph joining needs."""

    text: str
    raw_start: str
    x0: float
    x1: float
    top: float
    bottom: float
    baseline: float
    size: float
    block: int  # reading block on its page (a column or a full-width run)
    left: float = 0.0  # the block's left and right edges
    right: float = 0.0
    first_word: float = 0.0  # width of the first word: did it fit at the end of the line before?
    tabular: bool = False  # cells apart by wide gaps: a table row, never joined
    body_size: float = 0.0  # the page's body text size


@dataclass
class _PageLines:
    number: int
    height: float
    lines: list[_Line] = field(default_factory=list)


def _char_rows(chars: list, page_height: float, stats: Counter) -> list[list[tuple]]:
    """Characters as tuples (x0, x1, baseline, size, text, top, kind, space_before), grouped into baseline rows."""
    items = []
    fonts: dict[int, str] = {}  # font of each Latin letter, for _close_letter_gaps
    space = False  # an explicit space glyph came just before (content-stream order)
    for c in chars:
        t = c["text"]
        m = c.get("matrix")
        if not c.get("upright", True) or (m and abs(m[1]) > MAX_ROTATION * (abs(m[0]) + abs(m[1]))):
            stats["rotated"] += 1
            continue
        if t.startswith("(cid:"):
            stats["cid"] += 1
            continue
        if not t or t.isspace():
            space = True
            continue
        if c["fontname"].lower().startswith(UNRELIABLE_FONT_PREFIXES) and t.isascii():
            continue
        size = c["size"] or (c["bottom"] - c["top"]) or 1.0
        if m and m[1] == 0 and m[2] == 0 and m[0] > 0 and m[3] > 0:
            baseline = c["bottom"] - (m[5] - c["y0"])
        else:
            baseline = c["bottom"]
        item = (c["x0"], c["x1"], baseline, size, t, c["top"], 0, space)
        items.append(item)
        if t.isascii() and t.isalpha():
            fonts[id(item)] = c["fontname"]
        space = False
    stats["chars"] += len(items)
    items.sort(key=lambda it: (it[2], it[0]))
    rows: list[list[tuple]] = []
    row_base = -1e9
    for it in items:
        if rows and it[2] - row_base <= max(BASELINE_MIN_TOLERANCE, BASELINE_TOLERANCE * it[3]):
            rows[-1].append(it)
        else:
            rows.append([it])
            row_base = it[2]
    for row in rows:
        row.sort(key=lambda it: it[0])
    if fonts:
        _close_letter_gaps(rows, fonts, stats)
    return rows


# Latin set in a font whose widths do not match its glyphs (CNKI's CAJ-to-PDF output uses
# non-embedded Times-Roman with widths of another face) shows gaps of -0.2..+0.22 em
# between the letters of a word ("M onito ring", "diagno sis"); its word spaces are 0.26 em
# or more. Such a font is told by its letter pairs: in a true font at least half of the
# pairs closer than half an em touch (within TOUCHING_EM), in these under a quarter. A font
# is judged on a page with at least MIN_FONT_PAIRS such pairs, and the verdict is kept for
# the rest of the document; in a misfit font, letters closer than MISFIT_WORD_GAP_EM are
# closed up, except a lower-case letter before a capital (word spaces before a capital
# are the narrowest: "Engine Monitoring").
TOUCHING_EM = 0.03
MIN_FONT_PAIRS = 30
MAX_MISFIT_TOUCHING = 0.35
MISFIT_WORD_GAP_EM = 0.24


def _close_letter_gaps(rows: list[list[tuple]], fonts: dict[int, str], stats: Counter) -> None:
    """Close the gaps inside words of Latin set in misfit fonts (see MISFIT_WORD_GAP_EM), in place."""
    pairs: list[tuple[list[tuple], int, str, float]] = []
    counts: dict[str, list[int]] = {}
    for row in rows:
        for k in range(len(row) - 1):
            a, b = row[k], row[k + 1]
            font = fonts.get(id(a))
            if font is None or b[7] or fonts.get(id(b)) != font:
                continue
            gap = (b[0] - a[1]) / a[3]
            if -0.5 < gap < 0.5:
                n = counts.setdefault(font, [0, 0])
                n[0] += 1
                n[1] += abs(gap) <= TOUCHING_EM
                pairs.append((row, k, font, gap))
    for font, (n, touching) in counts.items():
        if n >= MIN_FONT_PAIRS and ("misfit", font) not in stats:
            stats["misfit", font] = int(touching < MAX_MISFIT_TOUCHING * n)
    for row, k, font, gap in pairs:
        a = row[k]
        if stats.get(("misfit", font)) and 0 < gap < MISFIT_WORD_GAP_EM and not (a[4].islower()
                                                                                and row[k + 1][4].isupper()):
            row[k] = (a[0], row[k + 1][0], *a[2:])


def _row_metrics(row: list[tuple]) -> tuple[float, float]:
    """A row's size and baseline (most common among its full-size characters).

    The size is the median of the characters not smaller than SUPERSCRIPT_SIZE_RATIO of
    the largest, so a line that starts with a superscript ("[10]。") has the body size.
    """
    top = max(c[3] for c in row)
    sizes = sorted(c[3] for c in row if c[3] >= SUPERSCRIPT_SIZE_RATIO * top)
    size = sizes[len(sizes) // 2]
    base = Counter(round(c[2], 1) for c in row if c[3] >= size * 0.95).most_common(1)[0][0]
    return size, base


def _split_at(row: list[tuple], gutter: float) -> tuple[list[tuple], list[tuple], bool]:
    """A row's characters left and right of ``gutter`` and whether the row spans it."""
    k = bisect.bisect_left([(c[0] + c[1]) / 2 for c in row], gutter)
    left, right = row[:k], row[k:]
    if not left or not right:
        return left, right, False
    size = max(c[3] for c in row)
    return left, right, right[0][0] - max(c[1] for c in left) < GUTTER_MIN_EM * size


def _find_gutter(rows: list[list[tuple]]) -> float | None:
    """The x of the gutter between two columns of ``rows``, or None when there is none.

    Candidates are the emptiest runs of x (fewest rows with a glyph covering it, within
    :data:`GUTTER_COVERAGE_SLACK`) in the middle band of the text's extent. The page has
    columns when the emptiest one is a gutter: few rows span it (full-width rows) and
    each side holds at least :data:`MIN_COLUMN_ROWS` rows of text; the gutter is then
    the candidate that most lines reach, on its poorer side.
    """
    import numpy as np

    if len(rows) < 2 * MIN_COLUMN_ROWS:
        return None
    lo_x = min(row[0][0] for row in rows)
    hi_x = max(row[-1][1] for row in rows)
    n_bins = int(hi_x - lo_x) + 2
    if n_bins < 20:
        return None
    diff = np.zeros((len(rows), n_bins + 1), dtype=np.int32)
    for r, row in enumerate(rows):
        # Merge touching glyphs into spans first: far fewer writes than per char.
        start, end = row[0][0], row[0][1]
        for it in row[1:]:
            if it[0] <= end + 0.5:
                end = max(end, it[1])
            else:
                diff[r, int(start - lo_x)] += 1
                diff[r, min(n_bins, int(end - lo_x) + 1)] -= 1
                start, end = it[0], it[1]
        diff[r, int(start - lo_x)] += 1
        diff[r, min(n_bins, int(end - lo_x) + 1)] -= 1
    coverage = (np.cumsum(diff, axis=1)[:, :n_bins] > 0).sum(axis=0)
    lo, hi = int(n_bins * GUTTER_SEARCH[0]), int(n_bins * GUTTER_SEARCH[1])
    band = coverage[lo:hi]
    if band.size == 0:
        return None
    least = int(band.min())
    idx = np.flatnonzero(band <= least * (1 + GUTTER_COVERAGE_SLACK) + GUTTER_COVERAGE_SLACK_ROWS)
    runs = np.split(idx, np.flatnonzero(np.diff(idx) > 1) + 1)
    candidates = []  # (coverage, -width of its emptiest stretch, x)
    for run in runs:
        sub = run[band[run] == band[run].min()]
        best = max(np.split(sub, np.flatnonzero(np.diff(sub) > 1) + 1), key=len)
        candidates.append((int(band[best[0]]), -len(best), lo_x + lo + float(best[0] + best[-1]) / 2.0))
    # A gutter is wider than a word space: a narrow empty run is a gap that a few short
    # lines happen to share (a column holding three reference entries of one pattern).
    wide_enough = GUTTER_MIN_EM * statistics.median(c[3] for row in rows for c in row[:1])
    candidates = sorted(c for c in candidates if -c[1] >= wide_enough) or sorted(candidates)
    # The emptiest x decides whether the page has columns at all (as it always did) ...
    if not _gutter_support(rows, candidates[0][2]):
        return None
    # ... and it is the gutter unless another candidate is reached by far more lines from
    # both sides: a table's cell gap inside one column is reached by that table's cells only.
    best_x = candidates[0][2]
    best_support = least_support = _gutter_support(rows, best_x)
    middle = (lo_x + hi_x) / 2.0
    for _, _, x in candidates[1:]:
        if abs(x - middle) >= abs(candidates[0][2] - middle):
            continue  # the cell gap of an in-column table lies off-centre, the gutter does not
        support = _gutter_support(rows, x)
        if support > best_support and support >= GUTTER_SWITCH_FACTOR * least_support:
            best_x, best_support = x, support
    return best_x


def _gutter_support(rows: list[list[tuple]], gutter: float) -> int:
    """How well the x ``gutter`` parts ``rows`` into two columns (see :func:`_find_gutter`).

    Returns:
        0 when it is no gutter, else, in its best stretch of column rows, the number of
        rows on its poorer side that reach it (end or start within :data:`GUTTER_REACH_EM`).
    """
    kinds = [_split_at(row, gutter) for row in rows]
    # Columns: a stretch of rows with no two full-width rows in a row (a title block or
    # full-width abstract above the columns is such a pair, and is cut off), holding
    # column rows on both sides, with few full-width rows among them.
    stretch: list[tuple] = []
    support = 0
    n = len(kinds)
    for i, kind in enumerate(kinds):
        paired = kind[2] and ((i > 0 and kinds[i - 1][2]) or (i + 1 < n and kinds[i + 1][2]))
        if not paired:
            stretch.append(kind)
        elif stretch:
            support = max(support, _stretch_support(stretch, gutter))
            stretch = []
    return max(support, _stretch_support(stretch, gutter))


def _stretch_support(stretch: list[tuple], gutter: float) -> int:
    if not _is_column_stretch(stretch):
        return 0
    lefts = sum(1 for left, _, full in stretch
                if left and not full and gutter - max(c[1] for c in left) <= GUTTER_REACH_EM * left[-1][3])
    rights = sum(1 for _, right, full in stretch
                 if right and not full and right[0][0] - gutter <= GUTTER_REACH_EM * right[0][3])
    return max(1, min(lefts, rights))


def _is_column_stretch(stretch: list[tuple]) -> bool:
    n_full = sum(1 for _, _, full in stretch if full)
    lefts = sorted(len(left) for left, _, full in stretch if left and not full)
    rights = sorted(len(right) for _, right, full in stretch if right and not full)
    if min(len(lefts), len(rights)) < MIN_COLUMN_ROWS or n_full > MAX_GUTTER_CROSSING * len(stretch):
        return False
    # Text columns hold lines of text; the cells of a table do not.
    return min(lefts[len(lefts) // 2], rights[len(rights) // 2]) >= MIN_COLUMN_LINE_CHARS


def _columns(rows: list[list[tuple]], depth: int = 0) -> list[list[list[tuple]]]:
    """Blocks of rows in reading order, cutting at gutters recursively.

    Full-width rows keep their vertical place; between two of them the left side is read
    before the right side, each side cut again (a sidebar beside two columns).
    """
    gutter = _find_gutter(rows) if depth < MAX_COLUMN_DEPTH else None
    if gutter is None:
        return [rows] if rows else []
    blocks: list[list[list[tuple]]] = []
    left: list[list[tuple]] = []
    right: list[list[tuple]] = []
    full: list[list[tuple]] = []
    for row in rows:
        lpart, rpart, spans = _split_at(row, gutter)
        if spans:
            if left or right:
                blocks.extend(_columns(left, depth + 1) + _columns(right, depth + 1))
                left, right = [], []
            full.append(row)
            continue
        if full:
            blocks.append(full)
            full = []
        if lpart:
            left.append(lpart)
        if rpart:
            right.append(rpart)
    if full:
        blocks.append(full)
    blocks.extend(_columns(left, depth + 1) + _columns(right, depth + 1))
    return blocks


def _small_runs(row: list[tuple], limit: float) -> list[list[tuple]]:
    """Runs of touching characters smaller than ``limit`` on one baseline, in x order."""
    runs: list[list[tuple]] = []
    for c in row:
        if c[3] >= limit:
            continue
        if runs and -0.3 * c[3] <= c[0] - runs[-1][-1][1] <= SCRIPT_ADJACENT_EM * c[3] \
                and abs(c[2] - runs[-1][-1][2]) < 0.5:
            runs[-1].append(c)
        else:
            runs.append([c])
    return runs


def _script_host(run: list[tuple], window: list[int], rows: list[list[tuple]], metrics: list[tuple],
                 starts: list[list[float]]) -> tuple[int, int] | None:
    """The row a run of small characters is a superscript (1) or subscript (2) of, if any."""
    first, last = run[0], run[-1]
    for j in window:
        size_j, base_j = metrics[j]
        if first[3] >= SUPERSCRIPT_SIZE_RATIO * size_j:
            continue
        d = base_j - first[2]
        if SUPERSCRIPT_RISE[0] * size_j <= d <= SUPERSCRIPT_RISE[1] * size_j:
            kind = 1
        elif SUBSCRIPT_DROP[0] * size_j <= -d <= SUBSCRIPT_DROP[1] * size_j:
            kind = 2
        else:
            continue
        row_j = rows[j]
        k = bisect.bisect_left(starts[j], first[0])
        if k != bisect.bisect_left(starts[j], last[1] - 0.2 * size_j):
            continue  # glyphs of the row under the run: a line below, not a superscript
        before = row_j[k - 1] if k > 0 else None
        after = row_j[k] if k < len(row_j) else None
        if before is not None and before[1] > first[0] + 0.2 * size_j:
            continue
        # The run follows a glyph of the row ("等[3]", "rats¹") or precedes one ("¹Department").
        if before is not None and -SCRIPT_ADJACENT_EM * size_j <= first[0] - before[1] <= 0.2 * size_j:
            return j, kind
        if after is not None and -0.2 * size_j <= after[0] - last[1] <= SCRIPT_ADJACENT_EM * size_j:
            return j, kind
    return None


def _attach_scripts(rows: list[list[tuple]]) -> list[list[tuple]]:
    """Move small raised (lowered) characters into the row they belong to, marked 1 (2).

    Runs of touching characters smaller than :data:`SUPERSCRIPT_SIZE_RATIO` of a nearby
    row's size are a superscript of that row when its baseline lies 0.1-0.9 em lower and
    a glyph of the row ends right before the run or starts right after it; a subscript
    when it lies 0.1-0.5 em higher. Runs are placed one by one, not whole rows: on a
    two-column page a superscript of the left column can share its baseline with a line
    of the right column.
    """
    if len(rows) < 2:
        return rows
    metrics = [_row_metrics(row) for row in rows]
    starts = [[c[0] for c in row] for row in rows]
    extra: dict[int, list[tuple]] = {}
    for i, row in enumerate(rows):
        window = [j for j in range(max(0, i - 4), min(len(rows), i + 5)) if j != i]
        limit = SUPERSCRIPT_SIZE_RATIO * max(metrics[j][0] for j in window)
        if min(c[3] for c in row) >= limit:
            continue
        moved: set[int] = set()
        for run in _small_runs(row, limit):
            if len(run) > MAX_SCRIPT_CHARS:
                continue
            host = _script_host(run, [j for j in window if rows[j]], rows, metrics, starts)
            if host is not None:
                extra.setdefault(host[0], []).extend((*c[:6], host[1], c[7]) for c in run)
                moved.update(id(c) for c in run)
        if moved:
            rows[i] = [c for c in row if id(c) not in moved]
            starts[i] = [c[0] for c in rows[i]]
    for j, chars in extra.items():
        rows[j] = sorted(rows[j] + chars, key=lambda c: c[0])
    return [row for row in rows if row]


@dataclass
class _RawLine:
    chars: list  # tuples (x0, x1, baseline, size, text, top, kind, space_before), by x0; kind 1 = sup
    block: int
    baseline: float
    size: float


def _make_raw(chars: list, block: int) -> _RawLine:
    size, base = _row_metrics(chars)
    return _RawLine(chars, block, base, size)


def _mark_small_inline(chars: list, size: float) -> list:
    """Mark runs of small digits on the baseline right after a word as superscripts.

    Some PDFs raise superscripts with a text rise that pdfminer does not report; such
    markers only show as smaller digits (``wrist¹.``) and are caught here.
    """
    limit = INLINE_SUPERSCRIPT_RATIO * size
    if all(c[3] >= limit for c in chars):
        return chars
    out = list(chars)
    k, n = 0, len(out)
    while k < n:
        c = out[k]
        if c[6] == 0 and c[3] < limit and c[4] in _INLINE_SUP_CHARS and (k == 0 or out[k - 1][3] >= limit):
            j = k
            while j < n and out[j][6] == 0 and out[j][3] < limit and out[j][4] in _INLINE_SUP_CHARS:
                j += 1
            run = "".join(ch[4] for ch in out[k:j])
            if k > 0:
                attached = out[k][0] - out[k - 1][1] < 0.3 * size
            else:
                # a marker the line break put at the start of the next line ("…等\n¹³将"):
                # it leans on the text that follows it
                attached = j < n and out[j][3] >= limit and out[j][0] - out[j - 1][1] < 0.3 * size
            if _CITATION_RUN_RE.fullmatch(run) and attached:
                for m in range(k, j):
                    out[m] = (*out[m][:6], 1, out[m][7])
            k = j
        else:
            k += 1
    return out


# Tables. A region is a run of lines of one block and one size (a table is set in its own
# size) holding at least TABLE_MIN_ROWS tabular lines, with the short lines between and
# around them (wrapped cells) that are at most TABLE_MAX_GAP_EM ems apart.
TABLE_MIN_ROWS = 2
TABLE_MAX_GAP_EM = 2.2  # table rows sit ~1.3-1.7 em apart; a table's caption or the text after it further
# A short line joins a region only when narrower than this share of the region: a note
# running under the whole table is not a wrapped cell.
TABLE_PARTIAL_WIDTH = 0.5
# Captions and notes are lines of their own, never cells.
_TABLE_EDGE_RE = re.compile(r"^(?:续?\s*表\s*\d|(?:continued\s+)?tab(?:le|\.)\s*[\dIVX]|注|notes?\b|abbreviations?\b)",
                            re.IGNORECASE)
# Column gutters: x ranges no line of the region covers, at least this many ems wide
# (cells are padded apart by ~0.4 em or more, word spaces are ~0.25 em) ...
TABLE_GUTTER_EM = 0.4
# ... and where at least this share of the tabular lines that have text on both sides
# leave a gap wider than a word space (TABLE_WORD_GAP_EM): spaces inside a first column of
# "OVX + PBS", "OVX + BMSCs" line up over rows, but they are word spaces.
TABLE_GUTTER_SUPPORT = 0.5
TABLE_WORD_GAP_EM = 0.35
# A wrapped line between two rows goes with the row across the smaller gap: rows are
# padded apart, the lines of one cell are set at the cell's leading. Gaps this close
# (points) are equal, and the line goes with the row above (top-aligned cells).
TABLE_GAP_TIE_PT = 0.5


def _is_tabular(line: _RawLine) -> bool:
    chars = line.chars
    return sum(1 for a, b in zip(chars, chars[1:]) if b[0] - a[1] > CELL_GAP_EM * line.size) >= MIN_CELL_GAPS


def _table_gutters(lines: list[_RawLine], tabular: list[bool]) -> list[tuple[float, float]]:
    """Column gutters of a table region: x ranges that no line covers (see TABLE_GUTTER_*)."""
    size = statistics.median(line.size for line in lines)
    spans = sorted((c[0], c[1]) for line in lines for c in line.chars)
    gutters = []
    end = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - end >= TABLE_GUTTER_EM * size:
            gutters.append((end, x0))
        end = max(end, x1)
    kept = []
    for g0, g1 in gutters:
        sides = wide = 0
        for line, tab in zip(lines, tabular):
            if not tab:
                continue
            left = [c[1] for c in line.chars if c[1] <= g0 + 0.01]
            right = [c[0] for c in line.chars if c[0] >= g1 - 0.01]
            if left and right:
                sides += 1
                wide += min(right) - max(left) > TABLE_WORD_GAP_EM * line.size
        if sides and wide >= TABLE_GUTTER_SUPPORT * sides:
            kept.append((g0, g1))
    return kept


def _table_rows(lines: list[_RawLine], gutters: list[tuple[float, float]]) -> list[list[int]]:
    """Group a region's lines (indices) into table rows.

    A row's anchor line has text in the first column and at least one other, or in all
    columns but one; the lines between two anchors (cells wrapped onto further lines,
    set top-, centre- or bottom-aligned) are cut at the widest baseline gap among them,
    the part above going with the upper row.
    """
    bounds = [(g0 + g1) / 2 for g0, g1 in gutters]
    n_cols = len(bounds) + 1

    def cols(line: _RawLine) -> set[int]:
        return {bisect.bisect_left(bounds, (c[0] + c[1]) / 2) for c in line.chars}

    anchors = []
    for i, line in enumerate(lines):
        filled = cols(line)
        if (0 in filled and len(filled) >= 2) or len(filled) >= max(2, n_cols - 1):
            anchors.append(i)
    if not anchors:
        return [list(range(len(lines)))]
    rows = [[a] for a in anchors]
    # Lines before the first anchor go with it, lines after the last with it.
    rows[0] = list(range(0, anchors[0])) + rows[0]
    rows[-1] = rows[-1] + list(range(anchors[-1] + 1, len(lines)))
    for k, (a, b) in enumerate(zip(anchors, anchors[1:])):
        if b - a < 2:
            continue
        gaps = [lines[j + 1].baseline - lines[j].baseline for j in range(a, b)]
        widest = max(gaps)
        cut = max(j for j, g in enumerate(gaps) if g >= widest - TABLE_GAP_TIE_PT)
        rows[k].extend(range(a + 1, a + 1 + cut))
        rows[k + 1][:0] = list(range(a + 1 + cut, b))
    return rows


def _table_row_text(lines: list[_RawLine], gutters: list[tuple[float, float]], x_tol: float) -> str:
    """One table row as its cells joined by tabs; a cell's wrapped lines are joined."""
    bounds = [(g0 + g1) / 2 for g0, g1 in gutters]
    cells: list[str] = [""] * (len(bounds) + 1)
    for line in sorted(lines, key=lambda ln: ln.baseline):
        by_col: dict[int, list[tuple]] = {}
        for c in line.chars:
            by_col.setdefault(bisect.bisect_left(bounds, (c[0] + c[1]) / 2), []).append(c)
        for col, chars in by_col.items():
            part = _line_text(_RawLine(chars, line.block, line.baseline, line.size), x_tol)
            if not part:
                continue
            if not cells[col]:
                cells[col] = part
                continue
            sep = join_lines(cells[col], part)
            cells[col] += (LINE_BREAK_HYPHEN if sep == "\b" else sep) + part
    return "\t".join(cell.replace("\t", " ") for cell in cells)


# A table wider than a column is cut at the page's gutter like the text around it; when
# at least this many tabular lines of two blocks share their baselines, the halves are
# one table and are put back together (text lines of two columns are not tabular).
SPLIT_TABLE_MIN_ROWS = 3


def _merge_split_tables(raw: list[_RawLine]) -> list[_RawLine]:
    """Join the halves of tables cut by the column gutter (see SPLIT_TABLE_MIN_ROWS).

    The lines of the later block that lie between the first and last shared baseline
    (a table row apart by a line or two) move into the earlier block, and lines on one
    baseline become one line.
    """
    tabular = [_is_tabular(line) for line in raw]
    if sum(tabular) < 2 * SPLIT_TABLE_MIN_ROWS:
        return raw
    by_base: dict[tuple[int, int], int] = {}
    for k, line in enumerate(raw):
        if tabular[k]:
            by_base.setdefault((line.block, round(line.baseline)), k)
    pairs: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for (block, base), k in by_base.items():
        for other in {line.block for line in raw if line.block > block}:
            j = by_base.get((other, base))
            if j is not None:
                pairs.setdefault((block, other), []).append((k, j))
    for (a, b), matched in pairs.items():
        if len(matched) < SPLIT_TABLE_MIN_ROWS:
            continue
        size = raw[matched[0][0]].size
        lo = min(raw[k].baseline for k, _ in matched) - TABLE_MAX_GAP_EM * size
        hi = max(raw[k].baseline for k, _ in matched) + TABLE_MAX_GAP_EM * size
        moved = [line for line in raw if line.block == b and lo <= line.baseline <= hi]
        if not moved:
            continue
        moved_ids = {id(line) for line in moved}
        rest = [line for line in raw if id(line) not in moved_ids]
        merged: list[_RawLine] = []
        for line in rest:
            if line.block == a and lo <= line.baseline <= hi:
                partner = [m for m in moved if abs(m.baseline - line.baseline) < BASELINE_MIN_TOLERANCE]
                if partner:
                    chars = sorted(line.chars + [c for m in partner for c in m.chars], key=lambda c: c[0])
                    line = _RawLine(chars, a, line.baseline, line.size)
                    moved = [m for m in moved if m not in partner]
            merged.append(line)
        # lines of the later half on baselines of their own (wrapped header cells) go in by height
        for m in moved:
            at = next((i for i, line in enumerate(merged) if line.block == a and line.baseline > m.baseline), None)
            if at is None:
                at = max(i for i, line in enumerate(merged) if line.block == a) + 1
            merged.insert(at, _RawLine(m.chars, a, m.baseline, m.size))
        return _merge_split_tables(merged)
    return raw


def _crosses(line: _RawLine, gutters: list[tuple[float, float]]) -> bool:
    """Whether any character of ``line`` overlaps one of the column gutters."""
    return any(c[0] < g1 and c[1] > g0 for c in line.chars for g0, g1 in gutters)


# Two-column tables (parameter | value) have one wide gap per row, not MIN_CELL_GAPS: a
# run of at least TWO_CELL_MIN_ROWS lines of one block, each with exactly one gap of
# TWO_CELL_GAP_EM ems or more, whose right cells start (left-aligned values) or end
# (right-aligned values) within one em of each other, is a table. Justified word spaces
# stay under ~0.6 em, and a block is a column, so body text never lines up so.
TWO_CELL_GAP_EM = 2.0
TWO_CELL_MIN_ROWS = 3


def _two_cell_rows(raw: list[_RawLine]) -> list[int]:
    """Indices of the lines of two-column tables (see TWO_CELL_GAP_EM)."""
    cells: list[tuple[float, float] | None] = []
    numbered: set[int] = set()  # rows whose first cell is a bare list number ("22", "[3]")
    for k, line in enumerate(raw):
        chars = line.chars
        wide = [k for k in range(1, len(chars)) if chars[k][0] - chars[k - 1][1] >= TWO_CELL_GAP_EM * line.size]
        cells.append((chars[wide[0]][0], chars[-1][1]) if len(wide) == 1 else None)
        if len(wide) == 1 and _LIST_NUMBER_RE.fullmatch("".join(c[4] for c in chars[:wide[0]])):
            numbered.add(k)
    out: list[int] = []
    run: list[int] = []
    for k, cell in enumerate([*cells, None]):
        if run and k < len(raw) and raw[k].block == raw[run[-1]].block:
            prev = cells[run[-1]]
            if cell is not None and min(abs(cell[0] - prev[0]), abs(cell[1] - prev[1])) <= raw[k].size:
                run.append(k)
                continue
            chars = raw[k].chars
            if cell is None and abs(chars[0][0] - prev[0]) <= CELL_ALIGN_PT and run[-1] not in numbered:
                # a wrapped line of the second cell ("机制 | 详细阐述" tables) keeps the run; the
                # hanging indent of a numbered list ("22  Sun, Y., …") does not
                continue
        if len(run) >= TWO_CELL_MIN_ROWS:
            out.extend(run)
        run = [k] if cell is not None else []
    return out


# A wrapped line of a table's second or later cell starts within this many points of
# where that cell starts on a row line: a long cell ("机制 | 详细阐述" tables of Chinese
# reviews) wraps over many lines as wide as half the table, which the width test above
# cannot tell from a paragraph.
CELL_ALIGN_PT = 1.0


_LIST_NUMBER_RE = re.compile(r"[\[［(（]?\d{1,3}[\]］)）.．]?")


def _cell_starts(line: _RawLine, size: float) -> list[float]:
    """The x where each cell of a tabular line starts (after a gap of TABLE_GUTTER_EM or more)."""
    chars = line.chars
    return [chars[0][0]] + [c[0] for p, c in zip(chars, chars[1:]) if c[0] - p[1] >= TABLE_GUTTER_EM * size]


def _find_tables(raw: list[_RawLine], x_tol: float, height: float) -> dict[int, tuple[list[int], str]]:
    """Table rows of a page: for the first line of each row, (all its lines, row text).

    Columns come from the vertical whitespace the lines of a table region share (see
    TABLE_* above), so ruled and unruled tables are read alike; a wrapped cell's lines
    join its row. Regions wholly in the top band of the page (mastheads) are skipped.
    """
    tabular = [_is_tabular(line) for line in raw]
    for k in _two_cell_rows(raw):
        tabular[k] = True
    out: dict[int, tuple[list[int], str]] = {}
    i, n = 0, len(raw)
    texts: dict[int, str] = {}

    def text(k: int) -> str:
        if k not in texts:
            texts[k] = "".join(c[4] for c in raw[k].chars[:12])
        return texts[k]

    band = HEADER_BAND * height  # a journal's masthead (name | volume | date) is no table
    while i < n:
        if not tabular[i] or _TABLE_EDGE_RE.match(text(i)):
            i += 1
            continue
        size, block = raw[i].size, raw[i].block
        x0 = min(c[0] for c in raw[i].chars)
        x1 = max(c[1] for c in raw[i].chars)
        starts = _cell_starts(raw[i], size)
        first_cell = "".join(c[4] for c in raw[i].chars if len(starts) < 2 or c[0] < starts[1])
        # (a numbered list's hanging indent is no cell: "22  Sun, Y., …" / "    Zhang, L. …")
        inner_starts = [] if _LIST_NUMBER_RE.fullmatch(first_cell) else starts[1:]

        def fits(k: int, prev: int) -> bool:
            line = raw[k]
            if line.block != block or abs(line.size - size) > SIZE_CHANGE * size or _TABLE_EDGE_RE.match(text(k)):
                return False
            if abs(line.baseline - raw[prev].baseline) > TABLE_MAX_GAP_EM * size:
                return False
            if tabular[k] or line.chars[-1][1] - line.chars[0][0] < TABLE_PARTIAL_WIDTH * (x1 - x0):
                return True
            # a wrapped line of a later cell: it starts where that cell starts
            return any(abs(line.chars[0][0] - x) <= CELL_ALIGN_PT for x in inner_starts)

        start = i
        while start > 0 and not tabular[start - 1] and fits(start - 1, start):
            start -= 1
        end = i + 1
        while end < n and fits(end, end - 1):
            end += 1
        core = [k for k in range(start, end) if tabular[k]]
        if len(core) >= TABLE_MIN_ROWS and max(raw[k].baseline for k in range(start, end)) > band:
            region = list(range(core[0], core[-1] + 1))
            gutters = _table_gutters([raw[k] for k in region], [tabular[k] for k in region])
            # Lines above the first and below the last tabular line are wrapped cells only
            # when they stay inside the columns: a note or caption runs across the gutters.
            for k in range(core[0] - 1, start - 1, -1):
                if _crosses(raw[k], gutters):
                    break
                region.insert(0, k)
            for k in range(core[-1] + 1, end):
                if _crosses(raw[k], gutters):
                    break
                region.append(k)
            lines = [raw[k] for k in region]
            gutters = _table_gutters(lines, [tabular[k] for k in region])
            if gutters:
                for row in _table_rows(lines, gutters):
                    members = [region[j] for j in row]
                    out[members[0]] = (members, _table_row_text([raw[k] for k in members], gutters, x_tol))
        i = end
    return out


# A letter-spaced line (display type, CAJ conversions) has a gap after every glyph; gaps
# this many times the line's median gap are word breaks, written as two spaces so that
# clean_text's collapse_letter_spacing keeps them ("PARTICIPANTS  WHO" stays two words).
SPACED_WORD_GAP = 1.6
MAX_SPACED_LINE_CHARS = 40


def _spaced_line_text(chars: list, x_tol: float) -> str | None:
    """The text of a wholly letter-spaced line with word breaks as two spaces, else None."""
    if not 2 <= len(chars) <= MAX_SPACED_LINE_CHARS or any(c[6] for c in chars):
        return None
    gaps = [b[0] - a[1] for a, b in zip(chars, chars[1:])]
    if min(gaps) <= min(x_tol, WORD_GAP_EM * chars[0][3]) or not all(c[4].isalpha() for c in chars):
        return None
    median = statistics.median(gaps)
    out = [chars[0][4]]
    for gap, c in zip(gaps, chars[1:]):
        out.append("  " if gap > SPACED_WORD_GAP * median else " ")
        out.append(c[4])
    return "".join(out)


def _line_text(line: _RawLine, x_tol: float) -> str:
    """Assemble a line's characters into text: spaces from gaps, superscript runs rewritten."""
    spaced = _spaced_line_text(line.chars, x_tol)
    if spaced is not None:
        return clean_text(spaced).strip()
    parts: list[str] = []
    prev = None
    k = 0
    chars = _mark_small_inline(line.chars, line.size)
    n = len(chars)
    wide = [c[4] >= "\u2e80" and is_wide(c[4]) for c in chars]
    while k < n:
        c = chars[k]
        if prev is not None:
            if c[4] == prev[4] and c[0] - prev[0] < DUPLICATE_GLYPH_OVERLAP * max(0.1, prev[1] - prev[0]):
                k += 1
                continue
            gap = c[0] - prev[1]
            wide_c, wide_p = wide[k], wide[k - 1] if prev is chars[k - 1] else is_wide(prev[4])
            both_wide = wide_c and wide_p
            if wide_c or wide_p:
                tol = max(x_tol, CJK_SPACE_EM * c[3])
            else:
                tol = min(x_tol, WORD_GAP_EM * c[3])
            if gap > tol or (c[7] and not both_wide and gap > -0.5):
                parts.append(" ")
        if c[6] == 1:
            j = k
            while j < n and chars[j][6] == 1:
                j += 1
            run = "".join(ch[4] for ch in chars[k:j])
            before = "".join(parts).rstrip()
            if parts and parts[-1] == " " and _CITATION_RUN_RE.fullmatch(run.strip()):
                parts.pop()  # "word ³" -> "word[3]"
            parts.append(SCRIPT_OPEN + superscript_text(run, before[-8:]) + SCRIPT_CLOSE)
            prev = chars[j - 1]
            k = j
            continue
        parts.append(c[4])
        prev = c
        k += 1
    return _resolve_scripts(clean_text("".join(parts)).strip())


def _resolve_scripts(text: str) -> str:
    """Drop the superscript marks; in an author line, affiliation marks become ``^1,2``.

    "Antje Theurer²˒³, Charles Munthali³" names affiliations, not references: written as
    citation markers they would be read as citations of references 2, 3.
    """
    if SCRIPT_OPEN not in text:
        return text
    if _AUTHOR_LINE_RE.fullmatch(text) and text.count(SCRIPT_OPEN) >= 2:
        return _SCRIPT_RE.sub(lambda m: "^" + m.group(1).strip("[]"), text)
    return _SCRIPT_RE.sub(lambda m: m.group(1), text)


def _page_lines(chars: list, number: int, height: float, x_tol: float, stats: Counter) -> _PageLines:
    """One page's lines in reading order from pdfplumber's ``page.chars``."""
    rows = _char_rows(chars, height, stats)
    out = _PageLines(number, height)
    if not rows:
        return out
    rows = _attach_scripts(rows)
    raw = [_make_raw(row, block) for block, rows_ in enumerate(_columns(rows)) for row in rows_]
    raw = _merge_split_tables(raw)
    tables = _find_tables(raw, x_tol, height)
    in_table = {k for members, _ in tables.values() for k in members}
    for k, line in enumerate(raw):
        if k in tables:
            members, text = tables[k]
            chars = [c for j in members for c in raw[j].chars]
            line = _RawLine(sorted(chars, key=lambda c: c[0]), line.block, raw[members[-1]].baseline, line.size)
            tabular = True
        elif k in in_table:
            continue
        else:
            text = _line_text(line, x_tol)
            tabular = _is_tabular(line)
        if not text:
            continue
        x0, x1 = line.chars[0][0], max(c[1] for c in line.chars)
        top = min(c[5] for c in line.chars)
        raw_start = "".join(c[4] for c in line.chars[:6])
        out.lines.append(_Line(text, raw_start, x0, x1, top, line.baseline, line.baseline, line.size, line.block,
                               first_word=_first_word_width(line.chars, x_tol), tabular=tabular))
    _block_edges(out.lines)
    if out.lines:
        sizes = sorted(line.size for line in out.lines for _ in range(len(line.text)))
        body = sizes[len(sizes) // 2]
        for line in out.lines:
            line.body_size = body
        out.lines = _footnotes_last(out.lines, height, body)
    return out


def _footnotes_last(lines: list[_Line], height: float, body: float) -> list[_Line]:
    """Move footnotes at the foot of a column behind the page's other lines.

    Page 1 of a journal article often closes its left column with small-type notes
    (收稿日期, 基金项目, correspondence, licence) while the body text goes on in the
    right column; read in place they would cut a paragraph, often a sentence, in two.
    A footnote run is the last lines of a block, smaller than FOOTNOTE_SIZE_RATIO of
    the body, starting below FOOTNOTE_TOP of the page, with body text before it in its
    block and body-size text opening the next block (if any: the page's last block may
    end with a footnote too). :func:`_assemble` holds footnotes back until the paragraph
    they interrupt has ended, on this page or the next.
    """
    moved: list[_Line] = []
    kept = list(lines)
    blocks = sorted({line.block for line in lines}, key=lambda b: next(i for i, ln in enumerate(lines) if ln.block == b))
    for this, nxt in zip(blocks, [*blocks[1:], None]):
        idx = [i for i, line in enumerate(kept) if line.block == this]
        run = []
        for i in reversed(idx):
            if kept[i].size < FOOTNOTE_SIZE_RATIO * body:
                run.append(i)
            else:
                break
        if not run or len(run) == len(idx) or len(run) > MAX_FOOTNOTE_LINES:
            continue
        if kept[run[-1]].top < FOOTNOTE_TOP * height:
            continue
        following = next((line for line in kept if line.block == nxt), None)
        if following is not None and following.size < FOOTNOTE_SIZE_RATIO * body:
            continue
        for i in sorted(run, reverse=True):
            line = kept.pop(i)
            line.block = FOOTNOTE_BLOCK + this
            moved.append(line)
    moved.sort(key=lambda ln: (ln.block, ln.baseline))
    return kept + moved


def _first_word_width(chars: list, x_tol: float) -> float:
    """Width of a line's first word (its first character when that is CJK)."""
    first = chars[0]
    if is_wide(first[4]):
        return first[1] - first[0]
    end = first[1]
    for c in chars[1:]:
        if c[7] or is_wide(c[4]) or c[0] - end > min(x_tol, WORD_GAP_EM * c[3]):
            break
        end = max(end, c[1])
    return end - first[0]


def _block_edges(lines: list[_Line]) -> None:
    """Set each line's block edges: the most common left start, the near-maximal right end.

    The mode of x0 ignores indented first lines and stray footnotes; the right edge is
    the furthest x1 that two lines share, so one overhanging line does not move it. Blocks of fewer
    than MIN_EDGE_LINES lines (a heading, a title) say little about their edges: they
    take the page's text extent, so their lines end early and stand as paragraphs.
    """
    if not lines:
        return
    page_left = min(line.x0 for line in lines)
    page_right = max(line.x1 for line in lines)
    by_block: dict[int, list[_Line]] = {}
    for line in lines:
        by_block.setdefault(line.block, []).append(line)
    for all_lines in by_block.values():
        # Table rows (a table may be wider than its column) say nothing about the text's edges.
        block_lines = [line for line in all_lines if not line.tabular] or all_lines
        if len(block_lines) < MIN_EDGE_LINES:
            left, right = page_left, page_right
        else:
            lefts = Counter(round(line.x0) for line in block_lines)
            top_count = lefts.most_common(1)[0][1]
            left = float(min(x for x, n in lefts.items() if n == top_count))
            if top_count == 1:  # no shared left edge (centred lines)
                left = min(line.x0 for line in block_lines)
            # The right edge is the furthest x1 that two lines reach (justified text);
            # when none is shared (ragged or centred lines), the furthest x1.
            rights = sorted((line.x1 for line in block_lines), reverse=True)
            right = next((a for a, b in zip(rights, rights[1:]) if a - b <= SHARED_EDGE_PT), rights[0])
        for line in all_lines:
            line.left, line.right = left, right


def _norm_key(text: str) -> str:
    return re.sub(r"[\d\s]+", "", text).lower()


def _in_band(line: _Line, height: float) -> bool:
    return line.bottom < HEADER_BAND * height or line.top > (1 - HEADER_BAND) * height


def _band_keys(p: _PageLines) -> dict[int, tuple[str, str]]:
    """For each line in the header/footer band: its own key and its whole row's key.

    A running header split by the gutter on one page ("journal | title") and read
    whole on another (a page without columns) still matches through the row key.
    """
    rows: dict[int, list[_Line]] = {}
    for line in p.lines:
        if _in_band(line, p.height):
            rows.setdefault(round(line.baseline), []).append(line)
    keys = {}
    for row in rows.values():
        row_key = _norm_key("".join(line.text for line in sorted(row, key=lambda ln: ln.x0)))
        for line in row:
            keys[id(line)] = (_norm_key(line.text), row_key)
    return keys


def _watermark_key(line: _Line) -> str:
    """Text (digits kept: content lines differing by a number are content) and height."""
    return "".join(line.text.split()).lower() + f"@{round(line.baseline / WATERMARK_Y_STEP)}"


# Publisher footers set once, on page 1 (so not caught as repeated lines): licence and
# copyright notes, "Page 1 of 9", DOIs, received/accepted dates. A small-type line in the
# bottom FOOTER_ZONE of a page starting so is dropped with the lines of its block below it.
FOOTER_ZONE = 0.2
_FOOTER_START_RE = re.compile(
    r"(?:©|\(c\)\s*(?:19|20)\d\d|copyright\b|this is an open[ -]access article"
    r"|(?:received|accepted|published(?: online)?)\s*:?\s*\d|doi\s*:|https?://(?:dx\.)?doi\.org/|page \d+ of \d+$)", re.IGNORECASE)


def _drop_footers(p: _PageLines) -> int:
    """Remove publisher footers (see FOOTER_ZONE) from one page in place; returns how many lines."""
    kept: list[_Line] = []
    dropping: _Line | None = None
    dropped = 0
    for line in p.lines:
        if dropping is not None and line.block == dropping.block and abs(line.size - dropping.size) < 0.5 \
                and 0 < line.baseline - dropping.baseline <= 2 * line.size:
            dropping = line
            dropped += 1
            continue
        dropping = None
        if line.top > (1 - FOOTER_ZONE) * p.height and line.size < FOOTNOTE_SIZE_RATIO * line.body_size \
                and _FOOTER_START_RE.match(line.text):
            dropping = line
            dropped += 1
            continue
        kept.append(line)
    p.lines = kept
    return dropped


def _header_rows_with_numbers(p: _PageLines) -> set[int]:
    """Ids of the top-band lines that share a row with a page number ("示例，等：题名  · 215 ·")."""
    rows: dict[int, list[_Line]] = {}
    for line in p.lines:
        if line.bottom < HEADER_BAND * p.height:
            rows.setdefault(round(line.baseline), []).append(line)
    return {id(line) for row in rows.values() if len(row) > 1
            and any(PAGE_NUMBER_RE.fullmatch(other.text) for other in row) for line in row}


def _names_issue(text: str) -> bool:
    """A journal-issue line: two issue marks (volume, issue, year and month, ISSN) or a leading DOI."""
    return len(_ISSUE_RE.findall(text)) >= ISSUE_MARKS or bool(_DOI_LINE_RE.match(text))


def _shared_header(key: str, others: list[str]) -> bool:
    """Whether ``key`` holds one of ``others`` (see MIN_SHARED_HEADER_CHARS)."""
    return any(len(o) >= MIN_SHARED_HEADER_CHARS and o in key for o in others)


def _drop_furniture(pages: list[_PageLines]) -> int:
    """Remove running headers/footers, page numbers and watermarks in place; returns how many."""
    n_pages = len(pages)
    band_pages: dict[str, set[int]] = {}
    any_pages: dict[str, set[int]] = {}
    page_keys = []
    for p in pages:
        keys = _band_keys(p)
        page_keys.append(keys)
        for line_key, row_key in keys.values():
            band_pages.setdefault(line_key, set()).add(p.number)
            band_pages.setdefault(row_key, set()).add(p.number)
        for line in p.lines:
            any_pages.setdefault(_watermark_key(line), set()).add(p.number)
    watermark_min = max(WATERMARK_MIN_PAGES, WATERMARK_PAGE_SHARE * n_pages)
    dropped = sum(_drop_footers(p) for p in pages)
    for p, keys in zip(pages, page_keys):
        numbered = _header_rows_with_numbers(p)
        elsewhere = [k for q, qkeys in zip(pages, page_keys) if q is not p for k, _ in qkeys.values()]
        kept = []
        for line in p.lines:
            if id(line) in keys:
                line_key, row_key = keys[id(line)]
                repeated = n_pages > 1 and (
                    max(len(band_pages[line_key]), len(band_pages[row_key])) >= MIN_REPEAT_PAGES
                    or _shared_header(line_key, elsewhere))
                header = id(line) in numbered or (line.bottom < HEADER_BAND * p.height and _names_issue(line.text))
                if repeated or header or not line_key or PAGE_NUMBER_RE.fullmatch(line.text):
                    dropped += 1
                    continue
            wkey = _watermark_key(line)
            if len(wkey) >= 8 and n_pages >= WATERMARK_MIN_PAGES and len(any_pages[wkey]) >= watermark_min:
                dropped += 1
                continue
            kept.append(line)
        p.lines = kept
    return dropped


def _ended_early(prev: _Line, line: _Line) -> bool:
    """Whether ``prev`` stopped with room left for ``line``'s first word (a paragraph end).

    Not applied to display type (titles), which is set ragged or centred on purpose,
    unless ``line`` opens with a dotted section number (a heading after a wrapped heading).
    """
    if prev.size > TITLE_SIZE_RATIO * prev.body_size and line.size > TITLE_SIZE_RATIO * line.body_size \
            and not _DOTTED_NUMBER_START_RE.match(line.text):
        return False
    return prev.right - prev.x1 > line.first_word + ROOM_EM * line.size


# A line opening with a dotted section number ("3.1. 髓芯…", "2.3 Methods", "4. 结论"): on a
# page whose body is small type (a first page full of abstract) headings count as display
# type, and a heading after a wrapped heading would otherwise be joined to it.
_DOTTED_NUMBER_START_RE = re.compile(r"\d{1,2}(?:\.\d{1,2})*\.\s?[A-Z\u4e00-\u9fff]|\d{1,2}(?:\.\d{1,2})+\s?[A-Z\u4e00-\u9fff]")


def _starts_paragraph(prev: _Line, line: _Line, spacing: float) -> bool:
    """Whether ``line`` starts a new paragraph after ``prev`` (same page and block)."""
    size = max(line.size, prev.size)
    if abs(line.size - prev.size) > SIZE_CHANGE * size or prev.tabular or line.tabular:
        return True
    gap = line.baseline - prev.baseline
    # Large type has a larger leading than the block's body text.
    if gap <= 0 or gap > PARAGRAPH_GAP * max(spacing, MIN_LEADING * size):
        return True
    prev_at_left = prev.x0 <= prev.left + 0.5 * size
    # An indented first line runs to the right edge (a centred line does not).
    if prev_at_left and line.x0 > line.left + INDENT_EM * size and line.x1 > line.right - INDENT_EM * size:
        return True
    if _ended_early(prev, line):
        return True
    return _starts_reference(prev, line)


def _continues(prev: _Line, line: _Line) -> bool:
    """Whether ``line``, the first of a new column or page, continues ``prev``'s paragraph."""
    size = max(line.size, prev.size)
    if abs(line.size - prev.size) > SIZE_CHANGE * size or prev.tabular or line.tabular:
        return False
    if _ended_early(prev, line) or prev.text[-1] in SENTENCE_END:
        return False
    if line.x0 > line.left + INDENT_EM * size or _starts_reference(prev, line):
        return False
    return True


def _starts_reference(prev: _Line, line: _Line) -> bool:
    """A reference-list entry "[12] ..." after an entry that ended (not an inline "[2]")."""
    return bool(_REFERENCE_START_RE.match(line.raw_start)) and prev.text[-1] in ".。0123456789"


# Arrows written right after the measure they qualify (BMD↑, CTX-Ⅰ↓): a line (or a
# table cell) that wraps before one is joined without a space.
ATTACHED_ARROWS = "↑↓"


def join_lines(prev: str, nxt: str) -> str:
    """The separator between two lines of one paragraph (may eat ``prev``'s hyphen).

    Args:
        prev: the text so far (ends with the previous line).
        nxt: the next line.

    Returns:
        ``""`` between CJK, ``" "`` between Latin words, ``"\\b"`` meaning "drop the
        hyphen that ends ``prev``" for ``treat-``/``ment``.
    """
    a, b = prev[-1], nxt[0]
    if a == "-" and len(prev) >= 2 and prev[-2].islower() and b.islower():
        return "\b"
    if a in "-/" or is_wide(a) or is_wide(b) or b in ATTACHED_ARROWS:
        return ""
    return " "


def _emit_footnotes(lines: list[_Line], parts: list[str], length: int) -> int:
    """Append held-back footnote lines to ``parts`` as paragraphs; returns the new length."""
    prev: _Line | None = None
    for line in lines:
        if prev is None or line.block != prev.block or _starts_paragraph(prev, line, MIN_LEADING * line.size):
            sep = "\n" if parts else ""
        else:
            sep = join_lines(parts[-1], line.text)
        if sep == "\b":
            sep = LINE_BREAK_HYPHEN
        parts.append(sep + line.text)
        length += len(sep) + len(line.text)
        prev = line
    return length


def _assemble(pages: list[_PageLines], vocabulary: dict[str, int] | None = None) -> tuple[str, tuple[Page, ...]]:
    """Join lines into paragraphs across columns and pages; returns text and page map."""
    parts: list[str] = []
    length = 0
    starts: list[int] = []
    prev: _Line | None = None
    footnotes: list[_Line] = []  # held back until the paragraph they interrupt ends
    for p in pages:
        spacing_by_block: dict[int, float] = {}
        deltas: dict[int, list[float]] = {}
        for a, b in zip(p.lines, p.lines[1:]):
            if a.block == b.block and b.baseline > a.baseline:
                deltas.setdefault(a.block, []).append(b.baseline - a.baseline)
        all_deltas = [d for ds in deltas.values() for d in ds]
        page_spacing = statistics.median(all_deltas) if all_deltas else 0.0
        for blk, ds in deltas.items():
            spacing_by_block[blk] = statistics.median(ds) if len(ds) >= 3 else (page_spacing or statistics.median(ds))
        first = True
        for line in p.lines:
            text = line.text
            if line.block >= FOOTNOTE_BLOCK:
                footnotes.append(line)
                continue
            if prev is None:
                sep = ""
            else:
                if first or line.block != prev.block:
                    new_par = not _continues(prev, line)
                else:
                    spacing = spacing_by_block.get(line.block) or 1.3 * line.size
                    new_par = _starts_paragraph(prev, line, spacing)
                sep = "\n" if new_par else join_lines(parts[-1], text)
                if new_par and footnotes:
                    length = _emit_footnotes(footnotes, parts, length)
                    footnotes = []
            if sep == "\b":
                sep = LINE_BREAK_HYPHEN
            if first:
                starts.append(length + len(sep))
                first = False
            parts.append(sep + text)
            length += len(sep) + len(text)
            prev = line
        if first:
            starts.append(length)
    if footnotes:
        _emit_footnotes(footnotes, parts, length)
    text, removed = repair_hyphens("".join(parts))
    starts = [b - bisect.bisect_left(removed, b) for b in starts]
    text, inserted = split_glued_words(text, vocabulary)
    starts = [b + bisect.bisect_left(inserted, b) for b in starts]
    if text:
        text += "\n"
    bounds = starts + [len(text)]
    bounds[0] = 0
    page_map = tuple(Page(p.number, bounds[i], max(bounds[i], bounds[i + 1])) for i, p in enumerate(pages))
    return text, page_map


# Latin-1 letters and symbols common in real papers (degrees, plus-minus, accented names).
_LATIN1_PLAUSIBLE = set("°±×·µ÷©®§¶¼½¾éèêëáàâäíìîïóòôöúùûüçñåøæßÉÈÁÅÖÜÇÑ")
# ASCII punctuation/symbols: about 3-8 % of real text, far more in misdecoded glyph codes.
_ASCII_SYMBOLS = set("!\"#$%&'*+/<=>?@\\^_`{|}")


def garbage_share(text: str, cid_count: int = 0) -> float:
    """Share of characters that betray a broken font encoding.

    Counts (cid:NN) glyphs, private-use characters, U+FFFD, Latin-1 symbols and letters
    rare in papers (GBK bytes shown as Latin-1: ``»ùÒò``) and rare ASCII symbols
    (``!"#$``, glyph codes read as ASCII).

    Args:
        text: extracted text.
        cid_count: (cid:NN) glyphs dropped before the text was built.

    Returns:
        A share between 0 and 1.
    """
    chars = [ch for ch in text if not ch.isspace()]
    if not chars and not cid_count:
        return 0.0
    bad = cid_count
    for ch in chars:
        o = ord(ch)
        if (0xE000 <= o <= 0xF8FF or o == 0xFFFD or (0xA1 <= o <= 0xFF and ch not in _LATIN1_PLAUSIBLE)
                or ch in _ASCII_SYMBOLS):
            bad += 1
    return bad / (len(chars) + cid_count)


def _error_text(exc: BaseException) -> str:
    parts = []
    while exc is not None and len(parts) < 4:
        parts.append(f"{type(exc).__name__} {exc}")
        exc = exc.__cause__ or exc.__context__
    return " ".join(parts)


def _is_encryption_error(exc: BaseException) -> bool:
    msg = _error_text(exc).lower()
    return "password" in msg or "encrypt" in msg


def _repair(path: Path, tmp_dir: str) -> Path | None:
    """Rewrite a damaged PDF with pikepdf (qpdf rebuilds the xref); None when it cannot."""
    import pikepdf

    out = Path(tmp_dir) / "repaired.pdf"
    try:
        with pikepdf.open(path) as pdf:
            pdf.save(out)
    except pikepdf.PasswordError as exc:
        raise PipelineError("ingest", "encrypted PDF (a password is needed to open it)") from exc
    except Exception:  # noqa: BLE001 - anything qpdf cannot open is reported by the caller
        return None
    return out


def _read_pdf_pages(path: Path, config: Config) -> tuple[list[_PageLines], Counter]:
    import pdfplumber

    stats: Counter = Counter()
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types for broken files
        if _is_encryption_error(exc):
            raise PipelineError("ingest", "encrypted PDF (a password is needed to open it)") from exc
        raise _OpenFailed(_error_text(exc).splitlines()[0][:160]) from exc
    with pdf:
        try:
            n = len(pdf.pages)
        except Exception as exc:  # noqa: BLE001
            if _is_encryption_error(exc):
                raise PipelineError("ingest", "encrypted PDF (a password is needed to open it)") from exc
            raise _OpenFailed(_error_text(exc).splitlines()[0][:160]) from exc
        if n == 0:
            raise _OpenFailed("0 pages")
        if n > config.max_pdf_pages:
            raise PipelineError("ingest", f"PDF has {n} pages, more than max_pdf_pages={config.max_pdf_pages}")
        pages = []
        for number, page in enumerate(pdf.pages, start=1):
            try:
                chars = page.chars
                height = float(page.height)
            except Exception as exc:  # noqa: BLE001 - pdfminer raises many types for broken pages
                if _is_encryption_error(exc):
                    raise PipelineError("ingest", "encrypted PDF (a password is needed to open it)") from exc
                raise _OpenFailed(f"page {number}: {_error_text(exc).splitlines()[0][:120]}") from exc
            cid_before = stats["cid"]
            pages.append(_page_lines(chars, number, height, config.pdf_x_tolerance, stats))
            stats["cid", number] = stats["cid"] - cid_before
            page.close()
    return pages, stats


class _OpenFailed(Exception):
    """pdfplumber could not read the file as it is; a pikepdf repair may help."""


def _drop_garbage_pages(pages: list[_PageLines], stats: Counter) -> list[int]:
    """Empty the pages whose text is mostly garbage glyphs (see MAX_GARBAGE_SHARE); returns their numbers.

    A PDF may embed one badly encoded font on some pages only (a table, a scanned-in
    appendix): the good pages are kept. A page goes when its text itself is garbage
    (misdecoded glyphs), or when most of its glyphs are unmapped (cid:NN), which are
    left out of the text anyway (see MAX_CID_PAGE_SHARE). Pages with fewer than
    MIN_GARBAGE_PAGE_CHARS characters are too short to judge and stay.
    """
    bad = []
    for p in pages:
        body = "".join(line.text for line in p.lines)
        cid = stats.get(("cid", p.number), 0)
        if len(body) + cid < MIN_GARBAGE_PAGE_CHARS:
            continue
        n_chars = sum(1 for ch in body if not ch.isspace())
        if garbage_share(body) > MAX_GARBAGE_SHARE or cid > MAX_CID_PAGE_SHARE * (n_chars + cid):
            bad.append(p.number)
            p.lines = []
    return bad


def _read_pdf(path: Path, config: Config) -> tuple[str, tuple[Page, ...], tuple[str, ...]]:
    with tempfile.TemporaryDirectory(prefix="ingest-") as tmp:
        try:
            pages, stats = _read_pdf_pages(path, config)
            if stats["chars"] == 0 and not stats["cid"]:
                raise _OpenFailed("no text layer")
        except _OpenFailed as first:
            repaired = _repair(path, tmp)
            if repaired is None:
                raise PipelineError("ingest", f"broken PDF, not repairable ({first})") from first
            try:
                pages, stats = _read_pdf_pages(repaired, config)
            except _OpenFailed as second:
                if str(second) == "0 pages":
                    raise PipelineError("ingest", "PDF has 0 pages (malformed, repair found none)") from second
                raise PipelineError("ingest", f"broken PDF ({second})") from second
        if stats["chars"] == 0 and not stats["cid"]:
            raise PipelineError("ingest", "no text layer (scanned PDF?): no characters on any page")
        _drop_furniture(pages)
        whole_share = garbage_share("".join(line.text for p in pages for line in p.lines), stats["cid"])
        bad = _drop_garbage_pages(pages, stats)
        text, page_map = _assemble(pages, english_vocabulary(config.rules_dir))
        kept_cid = stats["cid"] - sum(stats.get(("cid", n), 0) for n in bad)
        if not text.strip() or garbage_share(text, kept_cid) > MAX_GARBAGE_SHARE:
            if bad or whole_share > MAX_GARBAGE_SHARE:
                share = max(whole_share, garbage_share(text, kept_cid))
                raise PipelineError("ingest", f"garbage glyphs (broken font encoding?): {share:.0%} of characters "
                                              "are (cid:NN), private-use or misdecoded")
            raise PipelineError("ingest", "no text layer (scanned PDF?): no readable characters")
        warnings = ()
        if bad:
            listed = ", ".join(map(str, bad))
            warnings = (f"ingest: dropped {len(bad)} of {len(pages)} pages as garbage glyphs (broken font "
                        f"encoding?): page{'s' if len(bad) > 1 else ''} {listed}",)
        return text, page_map, warnings


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


def read(path: Path, config: Config, doc_id: str | None = None) -> Document:
    """Read one paper into a Document.

    Args:
        path: a ``.txt``/``.md`` text file or a ``.pdf``.
        config: run settings (``max_text_bytes``, ``max_pdf_pages``, ``pdf_x_tolerance``).
        doc_id: the id to give the paper (the file's stem when None).

    Returns:
        A Document with ``text``, ``pages`` and the file's facts filled in.

    Raises:
        PipelineError: stage ``ingest``, one line saying what is wrong with the file.
    """
    path = Path(path)
    doc_id = doc_id or path.stem
    suffix = path.suffix.lower()
    if path.is_dir():
        raise PipelineError("ingest", f"{path.name} is a folder, expected a .txt, .md or .pdf file")
    if suffix not in TEXT_SUFFIXES and suffix != PDF_SUFFIX:
        raise PipelineError("ingest", f"unsupported file type '{suffix or '(none)'}', expected .txt, .md or .pdf")
    try:
        size = path.stat().st_size
        if suffix != PDF_SUFFIX and size > config.max_text_bytes:
            raise PipelineError("ingest", f"text file too large: {size} bytes, more than "
                                          f"max_text_bytes={config.max_text_bytes}")
        data = path.read_bytes()
    except OSError as exc:
        raise PipelineError("ingest", f"cannot read file: {exc.strerror or exc}") from exc
    if not data.strip():
        raise PipelineError("ingest", "empty file")
    sha = hashlib.sha256(data).hexdigest()
    if suffix == PDF_SUFFIX:
        if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF-" not in data[:1024]:
            raise PipelineError("ingest", "not a PDF: no %PDF header in the first 1024 bytes")
        text, pages, warnings = _read_pdf(path, config)
        return Document(doc_id=doc_id, text=text, source_path=str(path), format="pdf", encoding=None,
                        sha256=sha, original_text=text, pages=pages, warnings=warnings)
    text, original, encoding, pages = _read_text(data, english_vocabulary(config.rules_dir))
    return Document(doc_id=doc_id, text=text, source_path=str(path), format="txt", encoding=encoding,
                    sha256=sha, original_text=original, pages=pages)


__all__ = [
    "read", "clean_text", "collapse_letter_spacing", "latex_to_text", "repair_hyphens", "decode_bytes",
    "rejoin_wrapped_lines", "close_cjk_spaces", "display_width", "markdown_to_text",
    "superscript_text", "join_lines", "garbage_share", "is_wide", "split_glued_words", "english_vocabulary"
]
