"""Spot-check report: static HTML pages a reviewer can work in.

Writes ``RUN_DIR/report/index.html`` (one row per paper with its tuples from text and
from tables and its flagged tuples, plus charts drawn as inline SVG) and
``RUN_DIR/report/<doc_id>.html`` per paper: the clean text with mentions, abbreviations
and citations marked, beside a filterable, sortable table of the paper's study tuples.
Each tuple row shows intervention and outcome as the paper wrote them, the concept
they were normalised to under them, and its evidence sentence on one line, so that a
reviewer can judge it without clicking; :func:`tuple_flags` names what to check first
(low confidence, no concept id, a clause instead of a term). Clicking a tuple scrolls to
its evidence and marks the span behind each field; each tuple can be marked correct or
wrong and edited, the verdicts are kept in the browser (``localStorage``) and exported
as a gold JSON file in the format of ``shared/gold/README.md``, so that ``cli.py eval``
can score a run against it.

Texts converted from PDF keep the page's line wraps; :func:`soft_breaks` finds the
breaks inside paragraphs and the page hides them with CSS alone, so a paragraph reads
as one while every character (and so every offset) stays in the page.

The report reads only the run folder: the tables through
:func:`pipeline.export.read_table` and the clean texts ``text/<doc_id>.txt`` (every
offset in the tables is a character offset into that text). The pages open from disk
(``file://``) with no server and no network: CSS and JS from ``report_assets/`` are
inlined. Paper text is untrusted, so every piece of it is HTML-escaped, and data for
the scripts is embedded as JSON with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped.

To keep a long paper's page small, plain text stays plain: only the stretches that
carry a mark (mention, abbreviation, citation, tuple evidence or field span) become
elements, one flat ``<span>`` per stretch between two mark boundaries.
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from pipeline.export import TABLES, atomic_write_text, read_table
from pipeline.types import DIRECTIONS

REPORT_DIR = "report"
ASSETS_DIR = Path(__file__).with_name("report_assets")
# Prefix of the browser's localStorage keys: "<prefix>:<run>:<doc_id>".
STORAGE_PREFIX = "bbx-review"

# Mention colours (background, underline) per label; labels not listed get a colour from their name.
LABEL_COLOURS: dict[str, tuple[str, str]] = {
    "CELL": ("#dcecff", "#2f6fbd"),
    "DISEASE": ("#ffe0e0", "#c0392b"),
    "MODEL": ("#f3e3ff", "#8e44ad"),
    "SPECIES": ("#e0f5e4", "#2e8b57"),
    "INTERVENTION": ("#fff0d6", "#d4800b"),
    "GENE_PROTEIN": ("#e0f7f7", "#13888a"),
    "OUTCOME": ("#fde3f1", "#c2185b"),
    "ROUTE": ("#eceff1", "#546e7a"),
    "ANATOMY": ("#f5ecdf", "#8d6e63"),
    "DRUG": ("#fff6c7", "#b59a00"),
    "BIOMATERIAL": ("#e8f0d8", "#6b8e23"),
    "PROCEDURE": ("#ffe9dc", "#d35400"),
    "OTHER": ("#ededed", "#888888"),
}
# The tuple fields a reviewer checks, in table order: (key, column heading, editable, minimum width in em).
# The table lays itself out by content, so a word never breaks inside ("osteopor|osis"); the minimum
# widths keep short columns readable, and a table wider than its pane scrolls sideways.
# intervention / outcome show the paper's own words; the concept behind them shows under them.
TUPLE_FIELDS: tuple[tuple[str, str, bool, float], ...] = (
    ("refs", "refs", True, 2.6),
    ("first_author", "author", True, 4),
    ("species", "species", True, 4),
    ("model", "condition / model", True, 6),
    ("intervention", "intervention", True, 8),
    ("route", "route", True, 4),
    ("outcome", "outcome", True, 8),
    ("direction", "direction", True, 6.5),
    ("timepoint", "time", True, 3),
    ("confidence", "conf.", False, 2.6),
)
ID_COLUMN_EM = 2.2
VERDICT_COLUMN_EM = 4.6
# Review flags (index summary and the page's "flags" filter). Confidence below this means the tuple's
# study was not opened by a citation or its outcome matched no mention (pipeline/tuples.py scores
# 0.6-0.9): the rows a reviewer should check first.
LOW_CONFIDENCE = 0.75
# A surface text wider than this (display columns, CJK = 2) is a clause, not a term: a fragment to check.
MAX_TERM_COLUMNS = 30
FLAG_NAMES = {"low_confidence": f"confidence < {LOW_CONFIDENCE}",
              "no_intervention_id": "intervention has no concept id",
              "no_outcome_id": "outcome has no concept id",
              "fragment": f"intervention or outcome text longer than {MAX_TERM_COLUMNS // 2} CJK characters"}
# A chart taller than a screen is read, not looked at: show the largest groups only.
MAX_CHART_ROWS = 15
MAX_HEATMAP_COLUMNS = 8
# Marking every use of a short form is what makes abbreviations visible, but a paper with
# thousands of uses of one short form would only bloat the page; later uses stay plain.
MAX_ABBREVIATION_USES = 500
# A tooltip quoting a field's source text is cut here; the span itself is highlighted anyway.
MAX_QUOTE_CHARS = 200
MAX_REFERENCE_TITLE_CHARS = 160


@dataclass(frozen=True)
class Mark:
    """One marked stretch ``text[start:end]`` of a paper.

    ``kind`` is ``mention``, ``abbr_def``, ``abbr_use``, ``cite``, ``region`` (a tuple's
    evidence or field span: wrapped so the page's script can highlight it) or ``break`` (a soft
    line break, ``label`` = how it shows: ``join`` or ``space``; see :func:`soft_breaks`).
    """

    start: int
    end: int
    kind: str
    label: str = ""
    title: str = ""
    href: str = ""
    data: tuple[tuple[str, str], ...] = ()  # extra data-* attributes, e.g. a citation's refs


# ---------------------------------------------------------------- line breaks inside paragraphs
# Clean texts from PDF or .txt conversions keep the page's hard line wraps, sometimes with a blank
# line between every two lines ("骨髓间充\n\n质干细胞"). The text pane shows such a break as nothing
# (between two CJK characters, or after a word-splitting hyphen) or as one space (elsewhere), with CSS
# only: the characters stay in the page, so every offset still maps to the same character.
# A run of spaces and newlines holding at least one newline.
LINE_BREAK_RUN = re.compile(r"[ \t\r\u3000]*\n[ \t\r\n\u3000]*")
# A line ending in one of these ends a sentence, so its break may end a paragraph: keep it.
SENTENCE_END = frozenset("。！？；：!?;:.")
# Closing marks that may follow a sentence end ("……。”", "(Fig. 2).") before the break.
CLOSERS = frozenset("”’」』）)]】\"'")
# A next line starting like a heading, list item, reference entry or labelled block starts anew.
NEW_BLOCK_START = re.compile(
    r"(?:\d{1,2}(?:[.．]\d{1,2})*[\s、.．]|[（(]\d{1,2}[)）]|\[\d+\]\s|[一二三四五六七八九十]{1,3}[、.．]"
    r"|[【■●•·▪]"
    r"|参考文献|关键词|摘\s*要|References\b|Abstract\b|Key ?words\b|Keywords\b)", re.I)
# Paragraph indentation: a next line starting with two spaces or an ideographic space is a new paragraph.
INDENT = re.compile(r"(?:\u3000| {2,}|\t)")
# Converted tables keep one row per line with tab-separated cells: their breaks are rows, not wraps.
TABLE_CELL_SEPARATOR = "\t"
# A line wider than this (display columns, CJK = 2) is not a page's wrapped line: PDF text columns
# hold at most about 100 Latin or 50 CJK characters, so such a line is a whole paragraph.
MAX_WRAPPED_LINE_COLUMNS = 200
# A line narrower than this share of the paper's typical wrapped line ends early: a heading, an
# author line or the last line of a paragraph.
FULL_LINE_RATIO = 0.7
# The typical wrapped line: this quantile of the line widths (the longest lines are the full ones).
TYPICAL_LINE_QUANTILE = 0.8
# Fewer wrapped lines than this, or a smaller share of all lines, and the paper is not hard-wrapped
# (one line per paragraph, as in most .txt files): every break is kept.
MIN_WRAPPED_LINES = 5
MIN_WRAPPED_SHARE = 0.5


def _is_cjk(ch: str) -> bool:
    """True for CJK ideographs and full-width punctuation (where a line break means no space)."""
    o = ord(ch)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFF60 or 0x20000 <= o <= 0x3FFFF


def _columns(line: str) -> int:
    return sum(2 if _is_cjk(ch) else 1 for ch in line)


def soft_breaks(text: str) -> list[tuple[int, int, str]]:
    """Line breaks that wrap a paragraph rather than end it.

    A break is soft when the line before it is about as wide as the paper's typical wrapped line,
    does not end a sentence, and the next line does not start a heading, list item or indented
    paragraph. Short lines, the first line, lines ending in 。/./: and unwrapped papers keep their breaks.

    Args:
        text: a paper's clean text.

    Returns:
        ``(start, end, how)`` per soft break, ``text[start:end]`` being the whole run of spaces and
        newlines; ``how`` is ``"join"`` (show nothing: CJK on both sides, or a hyphenated word) or
        ``"space"`` (show one space).
    """
    runs = list(LINE_BREAK_RUN.finditer(text))
    if not runs:
        return []
    widths, n_lines, line_start = [], 0, 0
    for run in runs:
        width = _columns(text[line_start:run.start()].strip())
        n_lines += width > 0
        if 0 < width <= MAX_WRAPPED_LINE_COLUMNS:
            widths.append(width)
        line_start = run.end()
    if len(widths) < max(MIN_WRAPPED_LINES, MIN_WRAPPED_SHARE * n_lines):
        return []
    widths.sort()
    full = FULL_LINE_RATIO * widths[min(len(widths) - 1, int(TYPICAL_LINE_QUANTILE * len(widths)))]
    first_char = len(text) - len(text.lstrip())
    out, line_start = [], 0
    for run in runs:
        line, start, end = text[line_start:run.start()].strip(), run.start(), run.end()
        is_title, line_start = line_start <= first_char, end  # the first line is the title: keep its break
        if not line or is_title or end >= len(text) or not full <= _columns(line) <= MAX_WRAPPED_LINE_COLUMNS:
            continue
        last = line.rstrip("".join(CLOSERS))[-1:] or line[-1]
        next_end = text.find("\n", end)
        next_line = text[end:next_end if next_end >= 0 else len(text)]
        if (last in SENTENCE_END or INDENT.match(text, text.rfind("\n", start, end) + 1)
                or NEW_BLOCK_START.match(text, end)
                or TABLE_CELL_SEPARATOR in line or TABLE_CELL_SEPARATOR in next_line):
            continue
        before, after = line[-1], text[end]
        hyphenated = before == "-" and len(line) > 1 and line[-2].isalpha()
        out.append((start, end, "join" if hyphenated or (_is_cjk(before) and _is_cjk(after)) else "space"))
    return out


# ---------------------------------------------------------------- escaping
def esc(value) -> str:
    """HTML-escape any value for element content or a quoted attribute ('' for None)."""
    if value is None:
        return ""
    return html.escape(str(value), quote=True)


def esc_text(text: str) -> str:
    """Escape paper text so the browser's DOM holds exactly these characters, offsets intact.

    HTML parsing turns CR LF into LF and drops NUL from text, which would shift every
    later offset; as character references they survive (NUL as U+FFFD, one character still).
    """
    return html.escape(text, quote=False).replace("\r", "&#13;").replace("\x00", "&#xFFFD;")


def script_json(obj) -> str:
    """JSON safe to embed inside ``<script>``: no ``</script>``, no HTML comment, no JS line breaks."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def css_ident(label: str) -> str:
    """A label as a CSS class fragment (letters, digits and '_' only)."""
    return re.sub(r"[^A-Za-z0-9_]", "_", label or "OTHER") or "OTHER"


def anchor_id(prefix: str, value) -> str:
    return f"{prefix}-{re.sub(r'[^A-Za-z0-9_-]', '_', str(value))}"


def page_name(doc_id: str) -> str:
    """File name of a paper's page (``page_href`` is its URL from the index).

    A paper called ``index`` gets ``index.paper.html``, so that it cannot overwrite the index.
    """
    return f"{doc_id}.paper.html" if doc_id == "index" else f"{doc_id}.html"


def page_href(doc_id: str) -> str:
    return quote(page_name(doc_id))


# ---------------------------------------------------------------- reading the run
def _int(value, default: int | None = None) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return default


def _float(value, default: float = 0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _split(value, sep: str = ";") -> list[str]:
    return [v.strip() for v in str(value or "").split(sep) if v.strip()]


def _unique(values) -> list[str]:
    out: list[str] = []
    for v in values:
        v = str(v or "").strip()
        if v and v not in out:
            out.append(v)
    return out


def read_run(run_dir: Path) -> dict[str, dict[str, list[dict]]]:
    """Every table of a run as ``{table: {doc_id: [row, ...]}}`` (rows are dicts of strings).

    Args:
        run_dir: the run folder.

    Returns:
        Rows grouped by document; the ``candidates`` table, which has no ``doc_id``, is left out.
    """
    tables: dict[str, dict[str, list[dict]]] = {}
    for name, columns in TABLES.items():
        if "doc_id" not in columns:
            continue
        grouped: dict[str, list[dict]] = defaultdict(list)
        for row in read_table(run_dir, name).to_dict("records"):
            grouped[str(row.get("doc_id", ""))].append(row)
        tables[name] = grouped
    return tables


def read_text(run_dir: Path, doc_id: str) -> str | None:
    """The clean text of a paper exactly as written (no newline translation: offsets point into it)."""
    path = Path(run_dir) / "text" / f"{doc_id}.txt"
    if not path.exists():
        return None
    return path.read_bytes().decode("utf-8")


# ---------------------------------------------------------------- gold-format pieces
def gold_abbreviations(rows: list[dict]) -> list[dict]:
    """The abbreviations table of one paper in the gold format (one entry per short/long pair)."""
    out, seen = [], set()
    for r in rows:
        entry = {"short": r.get("short") or "", "long_en": r.get("long_en") or None,
                 "long_zh": r.get("long_zh") or None}
        key = (entry["short"], entry["long_en"], entry["long_zh"])
        if entry["short"] and key not in seen:
            seen.add(key)
            out.append(entry)
    return out


def concept_groups(mentions: list[dict]) -> list[dict]:
    """Mention texts grouped by concept id, in the gold format's ``concept_groups`` shape.

    Args:
        mentions: mention rows of one paper.

    Returns:
        One group per concept id (named by its English, else Chinese preferred name, else
        the id), aliases in order of first appearance; mentions without a concept are left out.
    """
    groups: dict[str, dict] = {}
    for m in sorted(mentions, key=lambda r: _int(r.get("start"), 0)):
        cid = m.get("concept_id")
        if not cid:
            continue
        g = groups.setdefault(cid, {"name": m.get("preferred_en") or m.get("preferred_zh") or cid,
                                    "concept_id": cid, "aliases": []})
        text = (m.get("text") or "").strip()
        if text and text not in g["aliases"]:
            g["aliases"].append(text)
    return list(groups.values())


# ---------------------------------------------------------------- marking up the text
def _clip(start, end, n: int) -> tuple[int, int] | None:
    s, e = _int(start), _int(end)
    if s is None or e is None:
        return None
    s, e = max(0, s), min(n, e)
    return (s, e) if e > s else None


def _mention_title(m: dict) -> str:
    parts = [m.get("label") or "?"]
    if m.get("concept_id"):
        parts.append(m["concept_id"])
    names = " / ".join(_unique([m.get("preferred_en"), m.get("preferred_zh")]))
    if names:
        parts.append(names)
    src = m.get("source") or ""
    score = m.get("score")
    if src:
        parts.append(f"source: {src}" + (f" ({_float(score):.2f})" if score not in (None, "") else ""))
    if m.get("flag"):
        parts.append(f"flag: {m['flag']}")
    return " · ".join(parts)


def _abbr_long(a: dict) -> str:
    return " / ".join(_unique([a.get("long_en"), a.get("long_zh")])) or "?"


def text_marks(text: str, tables: dict[str, list[dict]], references: dict[str, tuple[str, str]]) -> list[Mark]:
    """All marks of one paper: mentions, abbreviation definitions and uses, citations, tuple spans.

    Args:
        text: the paper's clean text.
        tables: the paper's rows per table name.
        references: reference number -> (anchor id of its entry in the rendered list, entry text).

    Returns:
        Marks with offsets clipped to the text; empty or out-of-range spans are dropped.
    """
    n = len(text)
    marks: list[Mark] = []
    for m in tables.get("mentions", []):
        span = _clip(m.get("start"), m.get("end"), n)
        if span:
            marks.append(Mark(*span, "mention", css_ident(m.get("label") or "OTHER"), _mention_title(m)))
    defs: dict[str, str] = {}
    def_starts: set[int] = set()
    for a in tables.get("abbreviations", []):
        short = a.get("short") or ""
        span = _clip(a.get("start"), a.get("end"), n)
        if span:
            def_starts.add(span[0])
            marks.append(Mark(*span, "abbr_def", title=f"abbreviation defined here: {short} = {_abbr_long(a)}"))
        if short and short not in defs:
            defs[short] = _abbr_long(a)
    for short, long in defs.items():
        if len(short) < 2:  # a one-letter short form matches everywhere
            continue
        pattern = re.compile(r"(?<![A-Za-z0-9])" + re.escape(short) + r"(?![A-Za-z0-9])")
        for i, hit in enumerate(pattern.finditer(text)):
            if i >= MAX_ABBREVIATION_USES:
                break
            if hit.start() in def_starts:
                continue
            marks.append(Mark(hit.start(), hit.end(), "abbr_use", title=f"{short} = {long}"))
    for c in tables.get("citations", []):
        span = _clip(c.get("start"), c.get("end"), n)
        if not span:
            continue
        refs = _split(c.get("refs"))
        target = next((references[r][0] for r in refs if r in references), "")
        who = f"{c['first_author']} " if c.get("first_author") else ""
        entries = [f"[{r}] {_cut(references[r][1], MAX_REFERENCE_TITLE_CHARS)}" for r in refs if r in references]
        marks.append(Mark(*span, "cite", title="\n".join([f"{who}ref {', '.join(refs) or '?'}", *entries]),
                          href=f"#{target}" if target else "",
                          data=(("refs", ";".join(refs)), ("author", c.get("first_author") or ""))))
    marks += [Mark(start, end, "break", how) for start, end, how in soft_breaks(text)]
    sentences = {_int(s.get("sent_id"), -1): s for s in tables.get("sentences", [])}
    for t in tables.get("tuples", []):
        start, end = evidence_span(t, sentences)
        for span in (_clip(start, end, n), *(_clip(s, e, n) for s, e in _tuple_spans(t).values())):
            if span:
                marks.append(Mark(*span, "region"))
    return marks


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def evidence_span(t: dict, sentences: dict[int, dict]) -> tuple[int | None, int | None]:
    """A tuple's evidence offsets; its sentence's when the tuple row has none."""
    start, end = _int(t.get("start")), _int(t.get("end"))
    if start is None or end is None or end <= start:
        sent = sentences.get(_int(t.get("sent_id"), -1))
        start, end = (_int(sent.get("start")), _int(sent.get("end"))) if sent else (None, None)
    return start, end


def _segment_html(piece: str, offset: int, active: list[Mark]) -> str:
    classes: list[str] = []
    titles: list[str] = []
    href = ""
    mentions = [m for m in active if m.kind == "mention"]
    if mentions:
        inner = min(mentions, key=lambda m: m.end - m.start)
        classes += ["m", f"m-{inner.label}"]
    kinds = {m.kind for m in active}
    breaks = [m for m in active if m.kind == "break"]
    if breaks:
        classes += ["sb", f"sb-{breaks[0].label}"]
    if "region" in kinds:
        classes.append("r")
    if "abbr_def" in kinds:
        classes.append("abdef")
    elif "abbr_use" in kinds:
        classes.append("abuse")
    data: dict[str, str] = {}
    for m in active:
        if m.title and m.title not in titles:
            titles.append(m.title)
        if m.kind == "cite":
            classes.append("cit")
            href = href or m.href
        for key, value in m.data:
            data.setdefault(key, value)
    attrs = f' class="{esc(" ".join(dict.fromkeys(classes)))}"' if classes else ""
    attrs += f' data-o="{offset}"'
    attrs += "".join(f' data-{esc(k)}="{esc(v)}"' for k, v in data.items() if v)
    if titles:
        attrs += f' title="{esc(chr(10).join(titles))}"'
    if "cite" in kinds:
        return f'<a{attrs} href="{esc(href or "#references")}">{esc_text(piece)}</a>'
    return f"<span{attrs}>{esc_text(piece)}</span>"


def mark_up(text: str, marks: list[Mark], anchors: dict[int, list[str]] | None = None) -> str:
    """The text as escaped HTML with one flat element per marked stretch.

    The text is cut at every mark boundary; a stretch covered by no mark stays a plain
    (escaped) text node, a covered one becomes a ``<span>`` (an ``<a>`` inside a citation)
    with ``data-o`` = its start offset, the classes of the marks covering it and their titles.

    Args:
        text: the paper's clean text.
        marks: from :func:`text_marks`.
        anchors: offset -> element ids of empty anchors to place there (section starts).

    Returns:
        HTML for the inside of a ``white-space: pre-wrap`` block.
    """
    anchors = anchors or {}
    starts: dict[int, list[Mark]] = defaultdict(list)
    bounds = {0, len(text), *(o for o in anchors if 0 <= o <= len(text))}
    for m in marks:
        starts[m.start].append(m)
        bounds.update((m.start, m.end))
    ordered = sorted(bounds)
    out: list[str] = []
    active: list[Mark] = []
    for a, b in zip(ordered, ordered[1:]):
        for ident in anchors.get(a, ()):
            out.append(f'<span class="anchor" id="{esc(ident)}"></span>')
        active = [m for m in active if m.end > a] + starts.get(a, [])
        piece = text[a:b]
        out.append(_segment_html(piece, a, active) if active else esc_text(piece))
    return "".join(out)


# ---------------------------------------------------------------- tuples for the page script
def _tuple_spans(t: dict) -> dict[str, tuple[int, int]]:
    try:
        raw = json.loads(t.get("spans") or "{}")
    except (TypeError, ValueError):
        return {}
    spans = {}
    if isinstance(raw, dict):
        for field, value in raw.items():
            if isinstance(value, (list, tuple)) and len(value) == 2:
                s, e = _int(value[0]), _int(value[1])
                if s is not None and e is not None:
                    spans[str(field)] = (s, e)
    return spans


def tuple_flags(t: dict) -> list[str]:
    """Why a tuple deserves a second look (keys of ``FLAG_NAMES``); [] when nothing stands out.

    Args:
        t: a ``tuples`` row.

    Returns:
        The flags in ``FLAG_NAMES`` order.
    """
    flags = []
    confidence = _float(t.get("confidence"), -1.0)
    if 0 <= confidence < LOW_CONFIDENCE:
        flags.append("low_confidence")
    for key in ("intervention", "outcome"):
        if (t.get(key) or t.get(f"{key}_text")) and not t.get(f"{key}_id"):
            flags.append(f"no_{key}_id")
    if any(_columns(str(t.get(f"{key}_text") or "")) > MAX_TERM_COLUMNS for key in ("intervention", "outcome")):
        flags.append("fragment")
    return flags


def tuple_record(t: dict, text: str, sentences: dict[int, dict]) -> dict:
    """One tuple row as the page script sees it.

    Args:
        t: a ``tuples`` row.
        text: the paper's clean text.
        sentences: the paper's ``sentences`` rows by ``sent_id`` (for the evidence fallback).

    Returns:
        The row's fields, ``id``, the evidence ``start``/``end``, ``spans`` {field: [start, end]},
        ``quotes`` {field: the text of that span} and ``flags`` (from :func:`tuple_flags`).
    """
    rec = {k: (t.get(k) or "") for k in TABLES["tuples"] if k not in ("doc_id", "spans")}
    rec["id"] = str(t.get("tuple_id") or "")
    rec["start"], rec["end"] = evidence_span(t, sentences)
    spans = _tuple_spans(t)
    rec["spans"] = {f: [s, e] for f, (s, e) in spans.items()}
    rec["quotes"] = {f: _cut(text[max(0, s):max(0, e)], MAX_QUOTE_CHARS) for f, (s, e) in spans.items()}
    rec["flags"] = tuple_flags(t)
    return rec


# ---------------------------------------------------------------- page parts
def _asset(name: str) -> str:
    return (ASSETS_DIR / name).read_text(encoding="utf-8")


def _inline_script(source: str) -> str:
    # An asset is our own code, but never let it close the element early.
    return "<script>\n" + source.replace("</script", "<\\/script") + "\n</script>"


def label_css(labels: list[str]) -> str:
    """CSS rules giving each mention label its colours, and hiding them when the legend says so."""
    rules = []
    for label in labels:
        ident = css_ident(label)
        bg, line = LABEL_COLOURS.get(ident, _hashed_colours(ident))
        rules.append(f".m-{ident}{{background:{bg};border-bottom:2px solid {line}}}"
                     f".sw-{ident}{{background:{bg};border-color:{line}}}"
                     f"#text.hide-{ident} .m-{ident}{{background:none;border-bottom-color:transparent}}")
    return "\n".join(rules)


def _hashed_colours(name: str) -> tuple[str, str]:
    hue = sum(ord(ch) * (i + 1) for i, ch in enumerate(name)) % 360
    return f"hsl({hue},70%,92%)", f"hsl({hue},55%,40%)"


def _page(title: str, body: str, extra_css: str, scripts: list[str], body_class: str = "") -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
        f"<title>{esc(title)}</title>\n<style>\n{_asset('report.css')}\n{extra_css}\n</style></head>\n"
        f"<body class=\"{esc(body_class)}\">\n{body}\n" + "\n".join(scripts) + "\n</body></html>\n"
    )


def _legend(label_counts: Counter) -> str:
    chips = []
    for label, count in sorted(label_counts.items(), key=lambda kv: (-kv[1], kv[0])):
        ident = css_ident(label)
        chips.append(f'<button type="button" class="chip sw-{esc(ident)}" data-label="{esc(ident)}" '
                     f'title="show/hide {esc(label)}">{esc(label)} <small>{count}</small></button>')
    chips.append('<span class="chip key-abdef">abbreviation defined</span>'
                 '<span class="chip key-abuse">abbreviation used</span>'
                 '<span class="chip key-cit">citation</span>'
                 '<span class="chip key-ev">evidence</span>')
    return '<div class="legend">' + "".join(chips) + "</div>"


# A reference entry usually starts with its own number ("[12] ", "12. ", "（12）"); the list shows it once.
REFERENCE_NUMBER = re.compile(r"^\s*[\[［(（]?\s*(\d+)\s*[\]］)）.．、]?\s*")


def _strip_reference_number(text: str, num: str) -> str:
    hit = REFERENCE_NUMBER.match(text)
    return text[hit.end():] if hit and hit.group(1) == num else text


def _references_html(refs: list[dict]) -> tuple[str, dict[str, tuple[str, str]]]:
    """The reference list as HTML, and reference number -> (anchor id, entry text) for citations."""
    ids: dict[str, tuple[str, str]] = {}
    items = []
    for r in sorted(refs, key=lambda r: (_int(r.get("ref_num"), 10**9), str(r.get("ref_num")))):
        num = str(r.get("ref_num") or "").strip()
        if not num or num in ids:
            continue
        ident = anchor_id("ref", num)
        meta = " · ".join(_unique([r.get("authors", "").replace(";", ", "), r.get("year"), r.get("doc_type")]))
        entry = _strip_reference_number(str(r.get("text") or ""), num)
        ids[num] = (ident, entry)
        items.append(f'<li id="{esc(ident)}"><span class="refnum">[{esc(num)}]</span> {esc(entry)}'
                     + (f' <small class="refmeta">{esc(meta)}</small>' if meta else "") + "</li>")
    if not items:
        return '<p class="muted">No reference list found.</p>', ids
    return '<ol class="refs">' + "".join(items) + "</ol>", ids


def _sections_select(sections: list[dict], n: int) -> tuple[str, dict[int, list[str]]]:
    anchors: dict[int, list[str]] = defaultdict(list)
    options = []
    for i, s in enumerate(sorted(sections, key=lambda r: _int(r.get("start"), 0))):
        start = _int(s.get("start"))
        if start is None or not 0 <= start <= n:
            continue
        ident = anchor_id("sec", i)
        anchors[start].append(ident)
        title = (s.get("title") or s.get("category") or "").strip()[:60]
        options.append(f'<option value="{esc(ident)}">{esc(s.get("category"))}: {esc(title)}</option>')
    if not options:
        return "", anchors
    return ('<select id="jump" title="jump to a section"><option value="">sections…</option>'
            + "".join(options) + "</select>"), anchors


def _tuple_table_head() -> str:
    # The verdict buttons come right after "#": in reach however wide the table grows.
    widths = [ID_COLUMN_EM, VERDICT_COLUMN_EM, *(f[3] for f in TUPLE_FIELDS)]
    cols = "".join(f'<col style="min-width:{w}em;width:{w}em">' for w in widths)
    cells = [f'<th data-key="id" class="num" style="min-width:{ID_COLUMN_EM}em">#</th>',
             f'<th class="nosort" style="min-width:{VERDICT_COLUMN_EM}em" title="verdict: correct / wrong">✓ ✗</th>']
    cells += [f'<th data-key="{k}" data-field="{k}" style="min-width:{w}em">{esc(h)}</th>'
              for k, h, _, w in TUPLE_FIELDS]
    return f"<colgroup>{cols}</colgroup><thead><tr>" + "".join(cells) + "</tr></thead>"


def render_paper(run: str, doc: dict, text: str | None, tables: dict[str, list[dict]]) -> str:
    """The HTML page of one paper.

    Args:
        run: the run's name (part of the browser storage key).
        doc: the paper's ``documents`` row.
        text: its clean text, or None when the run holds none (a failed paper).
        tables: the paper's rows per table name.

    Returns:
        A complete, self-contained HTML document.
    """
    doc_id = str(doc.get("doc_id"))
    title = doc.get("title_zh") or doc.get("title_en") or doc_id
    subtitle = doc.get("title_en") if doc.get("title_zh") and doc.get("title_en") else ""
    counts = (f"{len(tables.get('mentions', []))} mentions · {len(tables.get('abbreviations', []))} abbreviations · "
              f"{len(tables.get('citations', []))} citations · {len(tables.get('tuples', []))} tuples")
    header = (f'<header><div class="crumbs"><a href="index.html">← all papers</a> · <code>{esc(doc_id)}</code>'
              f' · {esc(counts)}</div><h1>{esc(title)}</h1>'
              + (f'<div class="subtitle">{esc(subtitle)}</div>' if subtitle else ""))
    if text is None:
        if doc.get("status") == "error":
            errors = "".join(f"<li><b>{esc(e.get('stage'))}</b>: {esc(e.get('error'))}</li>"
                             for e in tables.get("errors", [])) or f"<li>{esc(doc.get('error'))}</li>"
            problem = f'<h2>This paper failed</h2><ul class="errors">{errors}</ul>'
        else:
            problem = (f'<h2>No clean text</h2><p class="muted">The run has no <code>text/{esc(doc_id)}.txt</code>, '
                       "so the paper's marks and tuples cannot be placed.</p>")
        body = header + f'</header><main class="single">{problem}</main>'
        return _page(f"{doc_id} — report", body, "", [])

    refs_html, references = _references_html(tables.get("references", []))
    jump, anchors = _sections_select(tables.get("sections", []), len(text))
    marks = text_marks(text, tables, references)
    label_counts = Counter(m.label for m in marks if m.kind == "mention")
    labels = sorted(set(label_counts) | set(LABEL_COLOURS))
    sentences = {_int(s.get("sent_id"), -1): s for s in tables.get("sentences", [])}
    tuples = sorted(tables.get("tuples", []), key=lambda t: _int(t.get("tuple_id"), 0))
    data = {
        "run": run,
        "doc": doc_id,
        "storage_key": f"{STORAGE_PREFIX}:{run}:{doc_id}",
        "prefs_key": f"{STORAGE_PREFIX}:prefs",
        "directions": list(DIRECTIONS),
        "fields": [{"key": k, "head": h, "editable": e} for k, h, e, _ in TUPLE_FIELDS],
        "flags": FLAG_NAMES,
        "abbreviations": gold_abbreviations(tables.get("abbreviations", [])),
        "concept_groups": concept_groups(tables.get("mentions", [])),
        "tuples": [tuple_record(t, text, sentences) for t in tuples],
    }
    toolbar = (
        '<div class="toolbar">'
        '<input id="filter" type="search" placeholder="filter tuples…" aria-label="filter tuples">'
        '<select id="f-direction" aria-label="direction"><option value="">all directions</option></select>'
        '<select id="f-species" aria-label="species"><option value="">all species</option></select>'
        '<select id="f-verdict" aria-label="verdict"><option value="">all verdicts</option>'
        '<option value="correct">correct</option><option value="wrong">wrong</option>'
        '<option value="none">not reviewed</option></select>'
        '<select id="f-flag" aria-label="flags"><option value="">all tuples</option>'
        '<option value="any">any flag</option>'
        + "".join(f'<option value="{esc(k)}" title="{esc(v)}">{esc(k.replace("_", " "))}</option>'
                  for k, v in FLAG_NAMES.items())
        + '<option value="no_concept" title="intervention or outcome has no concept id">no concept id</option>'
        "</select>"
        '<button type="button" id="compact" aria-pressed="false" title="one line per tuple, smaller type">'
        "compact</button>"
        '<span id="progress" class="muted"></span>'
        '<button type="button" id="export" class="primary" title="download the reviewed tuples as gold JSON">'
        'Export gold JSON</button>'
        '<button type="button" id="add" title="select a missed tuple\'s evidence in the text, then click">'
        "+ tuple from selection</button>"
        '<button type="button" id="import" title="load a review file exported from this page">Import…</button>'
        '<input type="file" id="import-file" accept=".json,application/json" hidden>'
        '<button type="button" id="clear" title="forget this paper\'s verdicts and edits">Clear</button>'
        "</div>"
    )
    body = (
        header + _legend(label_counts) + "</header>\n"
        '<main class="panes">\n'
        '<section class="pane" id="text-pane" aria-label="paper text">'
        f'<div class="pane-bar">{jump}<span class="muted">{len(text):,} characters</span>'
        '<label class="muted" title="show the line breaks of the PDF or .txt conversion">'
        '<input type="checkbox" id="raw-breaks"> line breaks as extracted</label></div>'
        f'<div id="text" class="paper">{mark_up(text, marks, anchors)}</div>'
        f'<h2 id="references">References</h2>{refs_html}</section>\n'
        '<section class="pane" id="tuple-pane" aria-label="study tuples">'
        f"{toolbar}"
        '<div id="detail" class="detail muted">Click a tuple to see its evidence. Keys: ↑/↓ or j/k move, '
        "c = correct, w = wrong, Enter = show evidence.</div>"
        f'<div class="scroll"><table id="tuples" class="grid">{_tuple_table_head()}<tbody></tbody></table>'
        f'<p id="no-tuples" class="muted" hidden>No tuples were extracted from this paper.</p></div>'
        "</section>\n</main>\n"
        f'<script type="application/json" id="report-data">{script_json(data)}</script>'
    )
    return _page(f"{doc_id} — report", body, label_css(labels),
                 [_inline_script(_asset("common.js")), _inline_script(_asset("paper.js"))], "paper-page")


# ---------------------------------------------------------------- charts (inline SVG)
# Chart geometry in px: wide enough for a 30-character label beside a bar, narrow enough for three
# charts side by side on a laptop screen.
CHART_WIDTH = 520
BAR_HEIGHT = 20
LABEL_WIDTH = 200
# Direction columns keep one colour everywhere (green up, red down), as in the tuple table.
DIRECTION_COLOURS = {"increase": "#2e7d32", "improve": "#1565c0", "decrease": "#c62828", "worsen": "#6a1b9a",
                     "no_change": "#757575"}


# Approximate glyph widths at the charts' 12px font: CJK glyphs are square, Latin ones about half.
WIDE_GLYPH_PX = 12.5
NARROW_GLYPH_PX = 7.0


def _short(label: str, max_px: float = LABEL_WIDTH - 10) -> str:
    """``label`` cut (with an ellipsis) to fit ``max_px`` pixels of chart text."""
    label = str(label)
    width = 0.0
    for i, ch in enumerate(label):
        width += WIDE_GLYPH_PX if ord(ch) >= 0x2E80 else NARROW_GLYPH_PX
        if width > max_px:
            return label[: max(1, i - 1)] + "…"
    return label


def svg_bars(title: str, items: list[tuple[str, int]], note: str = "") -> str:
    """A horizontal bar chart as inline SVG.

    Args:
        title: the chart's heading.
        items: (label, value) pairs, drawn largest first, at most ``MAX_CHART_ROWS``.
        note: a line under the heading (what is counted).

    Returns:
        A ``<figure>`` holding the SVG, or a short note when there is nothing to draw.
    """
    items = sorted(((str(k), v) for k, v in items if v), key=lambda kv: (-kv[1], kv[0]))
    hidden = len(items) - MAX_CHART_ROWS
    items = items[:MAX_CHART_ROWS]
    head = f"<figcaption><b>{esc(title)}</b>" + (f" <small>{esc(note)}</small>" if note else "") + "</figcaption>"
    if not items:
        return f'<figure class="chart">{head}<p class="muted">nothing to show yet</p></figure>'
    top = max(v for _, v in items)
    span = CHART_WIDTH - LABEL_WIDTH - 40
    rows = []
    for i, (label, value) in enumerate(items):
        y = i * (BAR_HEIGHT + 4)
        w = max(2, round(span * value / top))
        rows.append(
            f'<g transform="translate(0,{y})"><title>{esc(label)}: {value}</title>'
            f'<text x="{LABEL_WIDTH - 6}" y="{BAR_HEIGHT - 6}" text-anchor="end">{esc(_short(label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="2" width="{w}" height="{BAR_HEIGHT - 4}" rx="2" class="bar"></rect>'
            f'<text x="{LABEL_WIDTH + w + 4}" y="{BAR_HEIGHT - 6}" class="val">{value}</text></g>')
    height = len(items) * (BAR_HEIGHT + 4)
    more = f'<p class="muted">and {hidden} more</p>' if hidden > 0 else ""
    return (f'<figure class="chart">{head}<svg role="img" width="{CHART_WIDTH}" height="{height}" '
            f'viewBox="0 0 {CHART_WIDTH} {height}" xmlns="http://www.w3.org/2000/svg">'
            + "".join(rows) + f"</svg>{more}</figure>")


def svg_heatmap(title: str, counts: Counter, columns: list[str] | None = None, note: str = "") -> str:
    """A row × column count grid as inline SVG: cell shade = count, number printed inside.

    Args:
        title: the chart's heading.
        counts: Counter keyed by (row, column).
        columns: column order to use (default: by total, largest first); at most
            ``MAX_HEATMAP_COLUMNS`` are drawn, the rest summed into "other".
        note: a line under the heading.

    Returns:
        A ``<figure>`` holding the SVG, or a short note when there is nothing to draw.
    """
    head = f"<figcaption><b>{esc(title)}</b>" + (f" <small>{esc(note)}</small>" if note else "") + "</figcaption>"
    if not counts:
        return f'<figure class="chart">{head}<p class="muted">nothing to show yet</p></figure>'
    row_tot, col_tot = Counter(), Counter()
    for (r, c), v in counts.items():
        row_tot[r] += v
        col_tot[c] += v
    cols = [c for c in (columns or []) if col_tot[c]] or [c for c, _ in col_tot.most_common()]
    cols += [c for c, _ in col_tot.most_common() if c not in cols]
    if len(cols) > MAX_HEATMAP_COLUMNS:
        keep = set(cols[: MAX_HEATMAP_COLUMNS - 1])
        folded = Counter()
        for (r, c), v in counts.items():
            folded[(r, c if c in keep else "other")] += v
        counts, cols = folded, cols[: MAX_HEATMAP_COLUMNS - 1] + ["other"]
    rows = [r for r, _ in sorted(row_tot.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CHART_ROWS]]
    cell_w, cell_h, head_h = 62, 22, 84
    width = LABEL_WIDTH + cell_w * len(cols) + 90
    height = head_h + cell_h * len(rows)
    top = max(counts[(r, c)] for r in rows for c in cols) or 1
    parts = []
    for j, c in enumerate(cols):
        x = LABEL_WIDTH + j * cell_w + cell_w / 2
        colour = DIRECTION_COLOURS.get(c, "#37474f")
        parts.append(f'<text x="{x - 4}" y="{head_h - 6}" transform="rotate(-40 {x - 4} {head_h - 6})"'
                     f' style="fill:{colour}"><title>{esc(c)}</title>{esc(_short(c, 100))}</text>')
    for i, r in enumerate(rows):
        y = head_h + i * cell_h
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + cell_h - 7}" text-anchor="end">'
                     f'<title>{esc(r)}</title>{esc(_short(r))}</text>')
        for j, c in enumerate(cols):
            v = counts[(r, c)]
            x = LABEL_WIDTH + j * cell_w
            shade = 0.08 + 0.85 * v / top if v else 0.0
            parts.append(f'<rect x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" rx="2" '
                         f'class="cell" fill-opacity="{shade:.2f}"><title>{esc(r)} × {esc(c)}: {v}</title></rect>')
            if v:
                ink = "#fff" if shade > 0.5 else "#222"
                parts.append(f'<text x="{x + cell_w / 2}" y="{y + cell_h - 7}" text-anchor="middle" '
                             f'style="fill:{ink}">{v}</text>')
        parts.append(f'<text x="{LABEL_WIDTH + cell_w * len(cols) + 6}" y="{y + cell_h - 7}" class="val">'
                     f'{row_tot[r]}</text>')
    more = (f'<p class="muted">{len(row_tot) - len(rows)} more rows not shown</p>'
            if len(row_tot) > len(rows) else "")
    return (f'<figure class="chart">{head}<svg role="img" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
            + "".join(parts) + f"</svg>{more}</figure>")


def _studies(tables: dict[str, dict[str, list[dict]]]) -> list[dict]:
    """Study rows of the run; derived from the tuples when the studies table is empty."""
    studies = [s for rows in tables["studies"].values() for s in rows]
    if studies:
        return studies
    seen: dict[tuple[str, str], dict] = {}
    for doc_id, rows in tables["tuples"].items():
        for t in rows:
            seen.setdefault((doc_id, t.get("study_id") or t.get("refs") or ""), t)
    return list(seen.values())


def _value(row: dict, key: str, fallback: str = "unknown") -> str:
    return (row.get(key) or "").strip() or fallback


def charts(tables: dict[str, dict[str, list[dict]]]) -> str:
    """The index page's charts: outcome × direction, studies by species × model, cell interventions."""
    tuples = [t for rows in tables["tuples"].values() for t in rows]
    outcome_dir = Counter((_value(t, "outcome"), _value(t, "direction")) for t in tuples)
    studies = _studies(tables)
    species_model = Counter((_value(s, "species"), _value(s, "model", "no model")) for s in studies)
    # Which interventions are cells: the label of their concept (or text) among the run's mentions.
    cell_ids, cell_texts = set(), set()
    for rows in tables["mentions"].values():
        for m in rows:
            if m.get("label") == "CELL":
                if m.get("concept_id"):
                    cell_ids.add(m["concept_id"])
                cell_texts.add((m.get("text") or "").strip())
    cell_tuples = [t for t in tuples if (t.get("intervention_id") and t["intervention_id"] in cell_ids)
                   or (t.get("intervention_text") or "").strip() in cell_texts]
    chosen, title = ((cell_tuples, "Interventions by cell source") if cell_tuples
                     else (tuples, "Interventions (none labelled as cells)"))
    per_source: dict[str, set] = defaultdict(set)
    for t in chosen:
        per_source[_value(t, "intervention")].add((t.get("doc_id"), t.get("study_id") or t.get("refs")))
    return (
        '<div class="charts">'
        + svg_heatmap("Tuples by outcome × direction", outcome_dir, list(DIRECTIONS), "count of tuples")
        + svg_heatmap("Studies by species × model", species_model, None, "count of studies")
        + svg_bars(title, [(k, len(v)) for k, v in per_source.items()], "count of studies")
        + "</div>"
    )


# ---------------------------------------------------------------- index page
INDEX_COLUMNS: tuple[tuple[str, str], ...] = (
    ("doc_id", "paper"), ("status", "status"), ("pages", "pages"), ("chars", "chars"),
    ("n_sentences", "sentences"), ("n_citations", "citations"), ("n_abbreviations", "abbrev."),
    ("n_mentions", "mentions"), ("n_tuples", "tuples"), ("from_text", "from text"), ("from_table", "from tables"),
    ("flagged", "flagged"), ("studies", "studies"), ("reviewed", "reviewed"), ("seconds", "s"), ("errors", "errors"),
)


def flag_counts(tuples: list[dict]) -> Counter:
    """How many tuples carry each flag of :func:`tuple_flags`, plus ``"any"`` (tuples with at least one)."""
    counts: Counter = Counter()
    for t in tuples:
        flags = tuple_flags(t)
        counts.update(flags)
        counts["any"] += bool(flags)
    return counts


def _flag_summary(counts: Counter, total: int) -> str:
    """'12 of 80 tuples flagged: 5 confidence < 0.75 · 7 outcome has no concept id …' (plain text)."""
    parts = [f"{counts[k]} {v}" for k, v in FLAG_NAMES.items() if counts[k]]
    return f"{counts['any']} of {total} tuples flagged" + (": " + " · ".join(parts) if parts else "")


def _num_cell(value: int | None, href: str = "", title: str = "") -> str:
    """A right-aligned count; ``data-v`` holds the bare number so that sorting never reads "7,143" as 7."""
    if value is None:
        return '<td class="num" data-v=""></td>'
    shown = f'<a href="{esc(href)}">{value:,}</a>' if href and value else f"{value:,}"
    return f'<td class="num" data-v="{value}"' + (f' title="{esc(title)}"' if title else "") + f">{shown}</td>"


def render_index(run: str, tables: dict[str, dict[str, list[dict]]], docs: list[dict], manifest: dict) -> str:
    """The run's index page: one row per paper, then the charts and the manifest.

    Args:
        run: the run's name (part of the browser storage keys the review column reads).
        tables: every table of the run, from :func:`read_run`.
        docs: one ``documents`` row per paper, failed papers included.
        manifest: the run's ``manifest.json`` ({} when missing).

    Returns:
        A complete, self-contained HTML document.
    """
    studies_per_doc = Counter(str(s.get("doc_id")) for s in _studies(tables))
    rows = []
    for d in docs:
        doc_id = str(d.get("doc_id"))
        errors = tables["errors"].get(doc_id, [])
        err_text = "; ".join(f"{e.get('stage')}: {e.get('error')}" for e in errors) or (d.get("error") or "")
        status = d.get("status") or "?"
        title = d.get("title_zh") or d.get("title_en") or ""
        n_tuples = _int(d.get("n_tuples"), len(tables["tuples"].get(doc_id, [])))
        cells = [
            f'<td data-v="{esc(doc_id)}"><a href="{esc(page_href(doc_id))}">{esc(doc_id)}</a>'
            + (f'<div class="doc-title">{esc(title)}</div>' if title else "") + "</td>",
            f'<td class="status-{esc(css_ident(status))}">{esc(status)}</td>',
        ]
        for key in ("pages", "chars", "n_sentences", "n_citations", "n_abbreviations", "n_mentions"):
            cells.append(_num_cell(_int(d.get(key))))
        failed = status == "error"
        doc_tuples = tables["tuples"].get(doc_id, [])
        by_source = Counter(str(t.get("source") or "text") for t in doc_tuples)
        flags = flag_counts(doc_tuples)
        cells.append(_num_cell(None if failed else n_tuples))
        cells.append(_num_cell(None if failed else by_source["text"]))
        cells.append(_num_cell(None if failed else by_source["table"]))
        cells.append(_num_cell(None if failed else flags["any"], f"{page_href(doc_id)}#flag=any",
                               _flag_summary(flags, len(doc_tuples))))
        cells.append(_num_cell(None if failed else studies_per_doc.get(doc_id, 0)))
        cells.append(f'<td class="num review" data-key="{esc(f"{STORAGE_PREFIX}:{run}:{doc_id}")}" '
                     f'data-total="{n_tuples or 0}">–</td>')
        cells.append(f'<td class="num" data-v="{esc(d.get("seconds"))}">{esc(d.get("seconds"))}</td>')
        cells.append(f'<td class="err">{esc(err_text)}</td>')
        rows.append(f'<tr class="{"bad" if status == "error" else ""}">' + "".join(cells) + "</tr>")
    n_err = sum(1 for d in docs if d.get("status") == "error")
    all_tuples = [t for rows in tables["tuples"].values() for t in rows]
    n_tuples = len(all_tuples)
    by_source = Counter(str(t.get("source") or "text") for t in all_tuples)
    finished = manifest.get("finished") or ""
    head = "".join(f'<th data-key="{esc(k)}"{" class=num" if k not in ("doc_id", "status", "errors") else ""}>'
                   f"{esc(h)}</th>" for k, h in INDEX_COLUMNS)
    body = (
        f'<header><h1>Spot-check report <code>{esc(run)}</code></h1>'
        f'<div class="crumbs">{len(docs)} papers · {n_err} errors · {n_tuples} tuples '
        f'({by_source["text"]} from text, {by_source["table"]} from tables)'
        + (f" · finished {esc(finished)}" if finished else "") + "</div></header>\n"
        '<main class="single">'
        f'<p class="flags-summary" title="flags: {esc("; ".join(f"{k} = {v}" for k, v in FLAG_NAMES.items()))}">'
        f"{esc(_flag_summary(flag_counts(all_tuples), n_tuples))}. "
        '<span class="muted">The “flagged” column opens a paper with only those tuples shown.</span></p>'
        '<input id="filter" type="search" placeholder="filter papers…" aria-label="filter papers">'
        f'<table id="papers" class="grid"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
        f"<h2>Charts</h2>{charts(tables)}"
        + (f'<details class="manifest"><summary>Run manifest</summary><pre>'
           f"{esc(json.dumps(manifest, ensure_ascii=False, indent=2, default=str))}</pre></details>"
           if manifest else "")
        + "</main>"
    )
    return _page(f"{run} — spot-check report", body, "",
                 [_inline_script(_asset("common.js")), _inline_script(_asset("index.js"))])


# ---------------------------------------------------------------- entry point
def build_report(run_dir: Path) -> Path:
    """Write the spot-check report of a finished run.

    Args:
        run_dir: a run folder written by ``cli.py run`` (tables ``<name>.csv``, ``text/``).

    Returns:
        The path of ``RUN_DIR/report/index.html``. One ``<doc_id>.html`` per row of
        ``documents.csv`` is written beside it (a failed paper gets a page naming its error).
    """
    run_dir = Path(run_dir)
    out = run_dir / REPORT_DIR
    out.mkdir(parents=True, exist_ok=True)
    run = run_dir.resolve().name
    try:
        manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    tables = read_run(run_dir)
    docs = [rows[0] for rows in tables["documents"].values() if rows]
    known = {str(d.get("doc_id")) for d in docs}
    for doc_id, errs in tables["errors"].items():  # an error row without a documents row still shows
        if doc_id not in known:
            docs.append({"doc_id": doc_id, "source_path": errs[0].get("source_path"), "status": "error"})
    written = set()
    for d in docs:
        doc_id = str(d.get("doc_id"))
        per_doc = {name: rows.get(doc_id, []) for name, rows in tables.items()}
        text = read_text(run_dir, doc_id) if d.get("status") != "error" else None
        try:
            page = render_paper(run, d, text, per_doc)
        except Exception as exc:  # noqa: BLE001 - one odd paper must not cost the run its report
            print(f"report: {doc_id}: {type(exc).__name__}: {exc}", file=sys.stderr)
            page = _page(f"{doc_id} — report", f"<main class=\"single\"><h1>{esc(doc_id)}</h1><p class=\"err\">"
                         f"The report could not render this paper: {esc(type(exc).__name__)}: {esc(exc)}</p></main>",
                         "", [])
        atomic_write_text(out / page_name(doc_id), page)
        written.add(page_name(doc_id))
    for stale in out.glob("*.html"):  # pages of papers no longer in the run
        if stale.name not in written and stale.name != "index.html":
            stale.unlink()
    index = out / "index.html"
    atomic_write_text(index, render_index(run, tables, docs, manifest))
    return index
