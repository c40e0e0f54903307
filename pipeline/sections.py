"""Section detection: title, authors, abstracts, keywords, headings, tables, references.

Sets ``Document.sections``, ``Document.tables``, ``Document.references``,
``Document.title_zh`` and ``Document.title_en``.

The text is read line by line through a small state machine (front matter → abstracts
→ body → references). Heading, marker and caption patterns are data, one row per
pattern in ``rules/sections.tsv``; this module holds only the layout heuristics that
decide when a line that *matches* a pattern really *is* a heading (PDF line wraps put
numbers such as ``4 周后`` at the start of ordinary lines).

Every body heading becomes a ``Section(category='heading', level=...)``; the text
under it is covered by ``category='body'`` sections whose title is the innermost
heading (``'2.1 MSCs的免疫特性'``), so a sentence's ``section`` says where it is.

References:
    GB/T 7713.2-2022 学术论文编写规则 (front matter, 摘要, 关键词, 章节编号).
    ICMJE Recommendations, "Preparing a Manuscript for Submission" (IMRaD sections).
    medspaCy ``Sectionizer``: section detection as its own stage, rules as data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from pipeline.citations import parse_references
from pipeline.config import Config
from pipeline.rules import load_rules
from pipeline.types import Document, Section, Table

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z]")
# A line is Chinese when this share of its letters (CJK + Latin) is CJK: one CJK character
# carries about as much as a short English word, so 0.3 keeps "MSCs 可以分化为…" Chinese.
ZH_LINE_SHARE = 0.3
# Titles shorter than this are journal column labels (基础研究, 综述, Review).
MIN_TITLE_CHARS = 6
# Titles and author lines longer than this are body paragraphs.
MAX_TITLE_CHARS = 300
# PDF text wraps a long title over at most this many lines.
MAX_TITLE_LINES = 3
MAX_AUTHOR_LINE_CHARS = 300
# A front-matter line that opens with a flattened superscript glued to a word ("[1]Project
# Officer, …", "^2Health Directorate, …") is an affiliation, whatever the unit is called.
AFFILIATION_NUMBER = re.compile(r"^(?:\[\d{1,2}\]|\^\d{1,2})[A-Z\u4e00-\u9fff]")
# An address may close with a full stop after its postcode ("…，上海 200000。"): still no sentence.
ADDRESS_STOP = re.compile(r"\d{6}\s*。")
# Abstracts are at most a few hundred words (ICMJE: 250–350 words; GB/T 7713.2: 200–300 字);
# past this many characters a paragraph break ends an abstract that has no closing marker.
MAX_ABSTRACT_CHARS = 4000
# An abstract paragraph without a marker: at least this long and this many sentences
# (author and affiliation lines are shorter and carry no sentence ends).
MIN_PROSE_CHARS = 80
MIN_PROSE_SENTENCES = 2
# Shorter than this it is a label or a name, whatever its punctuation.
MIN_SENTENCE_CHARS = 20
# An address line ends in ")" ("(1. 某大学, 北京 100000)"); a sentence ends in one of these.
SENTENCE_TERMINALS = tuple("。．.!?！？")
SENTENCE_END = re.compile(r"[。！？]|[.!?](?=\s|$|[\u4e00-\u9fff])")
# Lines between the English title and the English abstract (authors, affiliations, emails).
MAX_FRONT_LOOKAHEAD = 8
# Top-level headings that may go missing between two found ones (then "3" may follow "1.2").
MAX_LOST_HEADINGS = 1
# Heading titles are short; longer "titles" are wrapped body lines that start with a number.
MAX_HEADING_CHARS_ZH = 40
MAX_HEADING_CHARS_EN = 120
# A numbered line whose "title" starts with a unit is a wrapped measurement ("4 周后", "1.25 cm").
UNIT_START = re.compile(
    r"^(?:周|天|日|月|年|个|次|倍|只|例|组|岁|小时|分钟|型|期|代|号|种|项|位|%|％|℃|×|x\b|h\b|d\b|min\b|s\b|"
    r"[μµmckn]?[gmlLM]\b|mm|cm|kb|bp|wk|weeks?\b|days?\b|months?\b|years?\b|mg|ml|mL)",
)
# Sentence-final punctuation: a line ending with one of these closes its paragraph.
PARAGRAPH_END = tuple("。！？.!?；;：:)）】]")
# Heading titles never end in a clause separator or contain a full stop.
NOT_HEADING_END = tuple("，,、；;")
# Cells of a flattened table are separated by a tab, a pipe or (inside a table) 2+ spaces.
CELL_SPLIT = re.compile(r"\t|\s*\|\s*")
CELL_SPLIT_SPACES = re.compile(r"\t|\s*\|\s*|\s{2,}|\u3000+")
# Table captions are followed by their English caption and header within this many lines.
MAX_CAPTION_LINES = 3
# Markdown decoration around a line's content (MinerU/pandoc output).
MD_HEADING = re.compile(r"^(#{1,6})\s*")
EMPHASIS = re.compile(r"^[*_]{1,3}(?=\S)")
MD_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")
IMAGE_LINE = re.compile(r"^!\[[^\]]*\]\([^)]*\)\s*$")
# Author names: 2–4 CJK characters with superscript digits/asterisks, or capitalised words.
NAME_SEP = r"[\s\d¹²³⁴⁵⁶⁷⁸⁹⁰,，、;；*\\'’`\[\]^]"
NAMES_ZH = re.compile(rf"^[\u4e00-\u9fff·]{{2,4}}(?:{NAME_SEP}+[\u4e00-\u9fff·]{{1,4}})*{NAME_SEP}*$")
# Words that end a Chinese title; a short line ending in one is the title's wrapped tail,
# not an author's name ("…的机制及 / 治疗的研究进展").
TITLE_TAIL = re.compile(r"(?:研究|进展|分析|综述|观察|探讨|机制|作用|影响|效果|评价|应用|比较|报告|体会)$")
# Possessive quantifiers (*+): a run of capitals is one name, never re-split on backtracking,
# so a long glued all-caps line fails in linear time instead of 2**n.
# "^1,2" is a superscript affiliation number flattened by the PDF converter.
NAMES_EN = re.compile(r"^(?:[A-Z][A-Za-z\-'’.]*+[\s\d¹²³⁴⁵⁶⁷⁸⁹⁰,，;*\\'’`\[\]†‡§^]*+(?:and\s+)?)+$")
# A long list of author names (consortium papers) is still an author line.
MAX_NAMES_LINE_CHARS = 1000
# A reference entry's number at the start of a line ("[12]", "12.").
# CAJ conversions split names with spaces ("10 U rban L A."): a bare number before a capital
# or a Chinese character is an entry too.
ENTRY_NUMBER = re.compile(r"^(?:[-*+]\s+)?(?:\[\s*\d{1,3}\s*\]|\d{1,3}\s*[.．、)](?!\d)"
                          r"|\d{1,3}\s+[A-Z\u4e00-\u9fff])")
# An author-year entry's start ("Bergmann, R., Linusson, A.").
AUTHOR_ENTRY = re.compile(r"^[A-Z][A-Za-z'’\-]+,\s+(?:[A-Z]\.\s*-?)+")
HEADING_CATEGORIES = ("heading_arabic", "heading_cn", "heading_cn_paren", "heading_paren", "heading_named")
MARKER_CATEGORIES = ("abstract_zh", "abstract_en", "keywords_zh", "keywords_en", "references",
                     "acknowledgements", "metadata", "supplementary")
FRONT_ONLY = ("abstract_zh", "abstract_en", "keywords_zh", "keywords_en")
# An abstract marker inside a front-matter line (MinerU glues 【摘要】 to the affiliation).
INLINE_ABSTRACT = re.compile(r"[【\[]\s*(摘\s*要|abstract)\s*[】\]]\s*[:：]?\s*|(摘\s*要|abstract)\s*[:：]\s*"
                             r"|(?<=\s)((?-i:Abstract|ABSTRACT))\s+(?=[A-Z])", re.I)


def _inline_category(m: re.Match) -> str:
    word = next(g for g in m.groups() if g)
    return "abstract_en" if word.lower() == "abstract" else "abstract_zh"


@dataclass(frozen=True)
class Line:
    """One line of the text: ``start``/``end`` of its stripped content (after markdown marks)."""

    index: int
    start: int
    end: int
    text: str  # stripped content
    md_level: int = 0  # number of leading '#' (0 when not a markdown heading)

    @property
    def blank(self) -> bool:
        return not self.text


@dataclass(frozen=True)
class Heading:
    style: str
    num: tuple[int, ...]
    title: str  # "2.1 MSCs的免疫特性", whitespace collapsed
    level: int
    end: int  # end offset of the heading itself (a run-in heading's body follows)


class SectionRules:
    """The compiled patterns of ``rules/sections.tsv``, by category."""

    def __init__(self, rows) -> None:
        self.patterns: dict[str, list[re.Pattern]] = {}
        for row in rows:
            self.patterns.setdefault(row["category"], []).append(re.compile(row["pattern"], re.I))

    def match(self, category: str, text: str) -> re.Match | None:
        for pattern in self.patterns.get(category, ()):
            m = pattern.match(text)
            if m:
                return m
        return None

    def search(self, category: str, text: str) -> re.Match | None:
        for pattern in self.patterns.get(category, ()):
            m = pattern.search(text)
            if m:
                return m
        return None


def split_lines(text: str) -> list[Line]:
    """Lines with the offsets of their stripped content (markdown '#' and emphasis removed)."""
    lines: list[Line] = []
    pos = 0
    for i, raw in enumerate(text.split("\n")):
        start, end = pos, pos + len(raw)
        pos = end + 1
        content = raw.strip()
        if not content:
            lines.append(Line(i, start, start, ""))
            continue
        s = start + (len(raw) - len(raw.lstrip()))
        e = start + len(raw.rstrip())
        md = 0
        m = MD_HEADING.match(text[s:e]) if text.startswith("#", s) else None
        if m:
            md = len(m.group(1))
            s += m.end()
        m = EMPHASIS.match(text[s:e])
        if m:
            s += m.end()
        content = text[s:e].rstrip("*_ ").strip()
        e = s + len(text[s:e].rstrip("*_ ").rstrip())
        lines.append(Line(i, s, e, content, md))
    return lines


def zh_share(text: str) -> float:
    """Share of CJK characters among the letters (CJK + Latin) of ``text``."""
    cjk = len(CJK.findall(text))
    latin = len(LATIN.findall(text))
    return cjk / (cjk + latin) if cjk + latin else 0.0


def _is_prose(text: str) -> bool:
    """Running text ending like a sentence: long, or several sentences (not a name or address line)."""
    text = text.rstrip("”’\"'」』")
    if len(text) < MIN_SENTENCE_CHARS or not text.endswith(SENTENCE_TERMINALS):
        return False
    return len(text) >= MIN_PROSE_CHARS or len(SENTENCE_END.findall(text)) >= MIN_PROSE_SENTENCES


def _is_latin_line(text: str) -> bool:
    return zh_share(text) < ZH_LINE_SHARE and len(LATIN.findall(text)) >= 3


def _cells(text: str, spaces: bool) -> list[str]:
    cells = (CELL_SPLIT_SPACES if spaces else CELL_SPLIT).split(text.strip().strip("|"))
    return [c.strip() for c in cells]


def _is_row(line: Line, in_table: bool) -> bool:
    if line.blank or line.md_level:
        return False
    if "\t" in line.text or line.text.count("|") >= 2:
        return len([c for c in _cells(line.text, False) if c]) >= 2 or "\t" in line.text
    return in_table and len([c for c in _cells(line.text, True) if c]) >= 2


class _Parser:
    """One pass over the lines of one document."""

    def __init__(self, text: str, rules: SectionRules) -> None:
        self.text = text
        self.rules = rules
        self.lines = split_lines(text)
        self.sections: list[Section] = []
        self.tables: list[Table] = []
        self.title_zh: str | None = None
        self.title_en: str | None = None
        self.last_num: tuple[int, ...] = ()
        self.max_arabic_level = 0
        self.cn_used = False
        self.heading_title = ""
        self.body_start: int | None = None
        self.body_end = 0
        self.seen: set[str] = set()
        self.structural_lines: set[int] = set()

    # ----- helpers -------------------------------------------------------------------
    def _add(self, category: str, title: str, start: int, end: int, level: int = 0) -> None:
        if end > start:
            self.sections.append(Section(category, title, start, end, level))

    def _flush_body(self) -> None:
        if self.body_start is not None:
            self._add("body", self.heading_title or "body", self.body_start, self.body_end)
        self.body_start = None

    def _body_line(self, start: int, end: int) -> None:
        if self.body_start is None:
            self.body_start = start
        self.body_end = end

    def _prev_nonblank(self, i: int) -> Line | None:
        for j in range(i - 1, -1, -1):
            if not self.lines[j].blank:
                return self.lines[j]
        return None

    def _marker(self, line: Line) -> tuple[str, re.Match] | None:
        for category in MARKER_CATEGORIES:
            m = self.rules.match(category, line.text)
            if m:
                return category, m
        return None

    def _valid_successor(self, num: tuple[int, ...]) -> bool:
        last = self.last_num
        if not last:
            # the first heading is "1" (or "0"), or a sub-heading whose parents were lost
            return num in ((1,), (0,)) or len(num) >= 2
        if num == last + (1,):
            return True
        for k in range(len(last)):
            if num == last[:k] + (last[k] + 1,):
                return True
        # one lost top-level heading (a wrapped or table-glued "2 …" the layout hid) must not
        # hide every later one: "3" may follow "1.x"
        return len(num) == 1 and num[0] == last[0] + MAX_LOST_HEADINGS + 1

    def heading(self, i: int) -> Heading | None:
        """The heading on line ``i``, or None when the line is not one."""
        line = self.lines[i]
        if line.blank or "\t" in line.text or IMAGE_LINE.match(line.text):
            return None
        md = line.md_level > 0
        for style in HEADING_CATEGORIES:
            m = self.rules.match(style, line.text)
            if not m:
                continue
            title = m.group("title").strip()
            title_end = line.start + m.end("title")
            if not re.search(r"[A-Za-z\u4e00-\u9fff]", title):
                return None  # "0.5 78.5 79.2": a table row of numbers
            runin_en = self.rules.match("heading_runin", title) if style == "heading_arabic" else None
            if runin_en:
                # "1. Introduction Heart failure places ...": the name, then the first sentence
                title_end = line.start + m.start("title") + runin_en.end("title")
                title = runin_en.group("title")
            run_in = re.search(r"\s{2,}|\u3000", title)
            if run_in and style != "heading_named":
                body = title[run_in.end():]
                title = title[:run_in.start()]
                title_end = line.start + m.start("title") + run_in.start()
                if not body or not title:
                    run_in = None
            limit = MAX_HEADING_CHARS_EN if _is_latin_line(title) else MAX_HEADING_CHARS_ZH
            if not md:
                if len(title) > limit or "。" in title or title.endswith(NOT_HEADING_END):
                    return None
                if UNIT_START.match(title):
                    return None
                prev = self._prev_nonblank(i)
                # "Methods" alone on its line, capitalised, is a heading even after a line without a
                # full stop (a list item, an affiliation); a lower-case "results" is a wrapped word
                standalone = style == "heading_named" and title == line.text.strip() and (
                    CJK.match(title) or title[:1].isupper())
                if prev is not None and not prev.text.endswith(PARAGRAPH_END) and not self._structural(prev) \
                        and not standalone:
                    return None
            elif len(title) > 2 * limit:
                return None
            num_text = m.groupdict().get("num") or ""
            if style == "heading_arabic":
                num = tuple(int(x) for x in re.findall(r"\d+", num_text))
                if not md and not self._valid_successor(num):
                    return None
                level = len(num)
            elif style == "heading_cn":
                # "一、" is the top level, or a list under a numbered heading ("3.2" → level 3)
                num, level = (), len(self.last_num) + 1
            elif style == "heading_cn_paren":
                num, level = (), len(self.last_num) + 2
            elif style == "heading_paren":
                # "（1）实验证明…，…" is an enumerated sentence, not a heading
                if not md and (run_in or len(title) > MAX_HEADING_CHARS_ZH // 2 or re.search(r"[,，;；]", title)):
                    return None
                num, level = (), 3 if self.cn_used else self.max_arabic_level + 1
            else:
                num, level = (), 1
            label = self.text[line.start:title_end]
            return Heading(style, num, re.sub(r"\s+", " ", label).strip(), level, title_end)
        return None

    def _structural(self, line: Line) -> bool:
        # a caption ends without a full stop, and a heading often comes right after a figure
        return bool(line.md_level or line.index in self.structural_lines or "\t" in line.text or self._marker(line)
                    or self._caption(line, "table_caption") or self._caption(line, "figure_caption"))

    def _caption(self, line: Line, category: str) -> re.Match | None:
        if line.blank or len(line.text) > MAX_TITLE_CHARS or line.text.endswith(("。", "，", ",")):
            return None
        m = self.rules.match(category, line.text)
        if not m:
            return None
        rest = line.text[m.end():]
        # "表 1 显示…" in running text: a caption is followed by its title, not by a verb phrase.
        if rest[:1] in ("，", ",", "。", "中", "所", "显", "示", "为", "和", "与", "及"):
            return None
        return m

    def _title_continues(self, title: str, nxt: Line) -> bool:
        """Whether ``nxt`` is the wrapped rest of the title (no blank line between, not names)."""
        if nxt.blank or nxt.md_level or self._marker(nxt):
            return False
        if self._author_like(nxt) and not TITLE_TAIL.search(nxt.text):
            return False
        if zh_share(title) >= ZH_LINE_SHARE:
            # a Chinese title's tail is short and carries no digits or commas (author lines do)
            return (len(nxt.text) <= MAX_HEADING_CHARS_ZH and not re.search(r"[\d,，。]", nxt.text)
                    and zh_share(nxt.text) >= ZH_LINE_SHARE)
        # an English title goes on in lower case ("... thrombosis / prophylaxis in trauma")
        return nxt.text[:1].islower() and len(title) + len(nxt.text) <= MAX_TITLE_CHARS

    def _author_like(self, line: Line) -> bool:
        t = line.text
        if len(t) <= MAX_NAMES_LINE_CHARS and NAMES_EN.match(t):
            return True
        if len(t) > MAX_AUTHOR_LINE_CHARS or "。" in t and not ADDRESS_STOP.search(t):
            return False
        if self.rules.search("affiliation", t) or AFFILIATION_NUMBER.match(t):
            return True
        return bool(NAMES_ZH.match(t) or NAMES_EN.match(t))

    def _marker_ahead(self, i: int, categories: tuple[str, ...], stop: tuple[str, ...] = ()) -> bool:
        """True when a front marker of ``categories`` follows line ``i`` within a few lines.

        A marker of ``stop`` met first ends the search with False.
        """
        seen = 0
        for j in range(i + 1, len(self.lines)):
            line = self.lines[j]
            if line.blank:
                continue
            found = self._marker(line)
            inline = INLINE_ABSTRACT.search(line.text)
            for category in (found[0] if found else None, _inline_category(inline) if inline else None):
                if category in categories:
                    return True
                if category in stop:
                    return False
            seen += 1
            if seen > MAX_FRONT_LOOKAHEAD or line.md_level and _is_latin_line(line.text) != _is_latin_line(
                    self.lines[i].text):
                return False
        return False

    def _english_title_ahead(self, i: int) -> bool:
        """True when an English abstract or keyword marker follows line ``i`` within a few lines."""
        return self._marker_ahead(i, ("abstract_en", "keywords_en"))

    # ----- the pass ------------------------------------------------------------------
    def run(self) -> None:
        lines = self.lines
        state = "front"
        open_cat = None  # category of the open front section (abstract_zh, ...)
        open_start = open_end = 0
        front_authors_ok = False
        i = 0
        n = len(lines)

        def close_open():
            nonlocal open_cat
            if open_cat:
                self._add(open_cat, open_cat, open_start, open_end)
                self.seen.add(open_cat)
            open_cat = None

        while i < n:
            line = lines[i]
            if line.blank:
                i += 1
                continue
            if IMAGE_LINE.match(line.text):
                if state == "body":
                    self._flush_body()
                self._add("other", "image", line.start, line.end)
                i += 1
                continue
            marker = self._marker(line)
            if (marker and marker[0] in ("keywords_zh", "keywords_en") and state == "body" and not self.heading_title
                    and marker[0] not in self.seen and not any(x.category == "heading" for x in self.sections)):
                # "关键词：…" right after an abstract that had no marker (the text ran on as body)
                self._flush_body()
                state = "front"
            elif marker and marker[0] in FRONT_ONLY and (state == "body" or marker[0] in self.seen):
                marker = None  # a second "Abstract", or a body line starting with "Summary", is text
            if state in ("front", "abstract"):
                # -- front matter and abstracts
                inline = INLINE_ABSTRACT.search(line.text) if not marker and open_cat is None else None
                if inline and _inline_category(inline) in self.seen:
                    inline = None
                if marker and marker[0] in FRONT_ONLY and marker[0] == open_cat and open_cat.startswith("abstract"):
                    # "ABSTRACT.METHODS::" after "ABSTRACT.BACKGROUND::" (PMC export): the same abstract goes on
                    open_end = line.end
                    i += 1
                    continue
                if marker and marker[0] in FRONT_ONLY:
                    close_open()
                    # the section holds the content, not the "摘要:" marker itself
                    open_cat, open_start = marker[0], line.start + marker[1].end()
                    open_end = line.end
                    if open_start >= open_end:
                        open_start = next((x.start for x in lines[i + 1:] if not x.blank), open_end)
                    state = "abstract"
                    i += 1
                    continue
                if inline and inline.start() > 0:
                    self._add("authors", "authors", line.start, line.start + len(line.text[:inline.start()].rstrip()))
                    cat = _inline_category(inline)
                    open_cat, open_start, open_end = cat, line.start + inline.end(), line.end
                    state = "abstract"
                    i += 1
                    continue
                if marker and marker[0] == "metadata":
                    close_open()
                    self._add("other", "metadata", line.start, line.end)
                    i += 1
                    continue
                if marker and marker[0] in ("references", "acknowledgements", "supplementary"):
                    close_open()
                    state = "body"
                    continue
                if open_cat:
                    heading = self.heading(i)
                    if heading is None or heading.style == "heading_paren":
                        keep = True
                        if open_cat in ("keywords_zh", "keywords_en"):
                            # keywords wrap onto at most a directly following short line
                            keep = (not lines[i - 1].blank and len(line.text) < MAX_HEADING_CHARS_EN
                                    and "\n" not in self.text[open_start:open_end]
                                    and not AFFILIATION_NUMBER.match(line.text)
                                    and (zh_share(line.text) >= ZH_LINE_SHARE) == (open_cat == "keywords_zh"))
                        elif open_cat == "abstract_en":
                            keep = _is_latin_line(line.text) or zh_share(line.text) < ZH_LINE_SHARE
                        elif open_cat == "abstract_zh":
                            keep = not (_is_latin_line(line.text) and (line.md_level or self._english_title_ahead(i)))
                        if keep and open_end - open_start > MAX_ABSTRACT_CHARS and lines[i - 1].blank \
                                and self.text[:open_end].rstrip().endswith(PARAGRAPH_END):
                            keep = False  # an abstract never runs this long: the body has begun
                        if keep and not line.md_level:
                            open_end = line.end
                            i += 1
                            continue
                    close_open()
                    state = "front"
                    continue
                # no open section
                label = self.rules.match("abstract_label", line.text)
                if label and (self.title_zh or self.title_en) and not {"abstract_zh", "abstract_en"} & self.seen:
                    # a structured abstract without an 摘要/Abstract marker: "目的：…", "Objectives. …";
                    # the label stays in the section, it is the abstract's first word
                    open_cat = "abstract_zh" if zh_share(line.text) >= ZH_LINE_SHARE else "abstract_en"
                    open_start, open_end = line.start, line.end
                    state = "abstract"
                    i += 1
                    continue
                heading = self.heading(i)
                if heading is not None and (heading.style != "heading_named" or self.sections):
                    state = "body"
                    continue
                if self._caption(line, "table_caption") or _is_row(line, False):
                    state = "body"
                    continue
                if not re.search(r"[A-Za-z\u4e00-\u9fff]{2}", line.text):
                    self._add("other", "separator", line.start, line.end)  # "......", "----", page numbers
                    i += 1
                    continue
                if self.title_zh is None and self.title_en is None and not self.seen:
                    if self.rules.match("front_metadata", line.text):
                        self._add("other", "metadata", line.start, line.end)
                        i += 1
                        continue
                    # "Research Article Patient experiences…", "TITLE:", "REVIEW Open Access": the
                    # article-type label is not part of the title
                    prefix = self.rules.match("title_prefix", line.text)
                    skip = prefix.end() if prefix else 0
                    if len(line.text) - skip < MIN_TITLE_CHARS:
                        self._add("other", "column", line.start, line.end)
                        i += 1
                        continue
                    if len(line.text) <= MAX_TITLE_CHARS and not line.text.endswith(("。", "，", ".", ",", ";", "；")):
                        end, title = line.end, line.text[skip:]
                        for _ in range(MAX_TITLE_LINES - 1):
                            nxt = lines[i + 1] if i + 1 < n else None
                            if nxt is None or line.md_level or not self._title_continues(title, nxt):
                                break
                            joiner = "" if zh_share(title) >= ZH_LINE_SHARE else " "
                            end, title = nxt.end, title + joiner + nxt.text
                            i += 1
                        # an English title holds no CJK character; "Celecoxib的合成" is Chinese
                        # although most of its letters are Latin
                        if CJK.search(title):
                            self.title_zh = title
                        else:
                            self.title_en = title
                        self._add("title", title, line.start + skip, end)
                        front_authors_ok = True
                        i += 1
                        continue
                if (self.title_en is None and _is_latin_line(line.text) and len(line.text) >= 20
                        and (self.title_zh or self.seen) and "abstract_en" not in self.seen
                        and self._english_title_ahead(i)):
                    self.title_en = line.text
                    self._add("title", line.text, line.start, line.end)
                    front_authors_ok = True
                    i += 1
                    continue
                if (self.title_zh or self.title_en) and not {"abstract_zh", "abstract_en"} & self.seen \
                        and _is_prose(line.text) and not (NAMES_ZH.match(line.text) or NAMES_EN.match(line.text)) \
                        and self._marker_ahead(i, ("keywords_zh", "keywords_en"), stop=("abstract_zh", "abstract_en")):
                    # an unstructured abstract with no 摘要/Abstract marker, closed by its keywords line
                    # (an address line before the "Abstract" marker is not one)
                    open_cat = "abstract_zh" if zh_share(line.text) >= ZH_LINE_SHARE else "abstract_en"
                    open_start, open_end = line.start, line.end
                    state = "abstract"
                    i += 1
                    continue
                if front_authors_ok and (self._author_like(line) or (
                        not self.seen and len(line.text) <= MAX_AUTHOR_LINE_CHARS and "。" not in line.text
                        and self._marker_ahead(i, FRONT_ONLY)) or (
                        self.title_en and "abstract_en" not in self.seen and self._english_title_ahead(i)
                        and _is_latin_line(line.text) and len(line.text) <= MAX_AUTHOR_LINE_CHARS)):
                    self._add("authors", "authors", line.start, line.end)
                    i += 1
                    continue
                state = "body"
                continue
            if state == "references":
                nxt = next((x for x in self.lines[i + 1:] if not x.blank), None)
                if marker and marker[0] == "metadata" and nxt is not None and (
                        ENTRY_NUMBER.match(nxt.text) or AUTHOR_ENTRY.match(nxt.text)):
                    # a page footer ("Received …; accepted …") between two entries: the list goes on
                    self.ref_end = line.end
                    i += 1
                    continue
                if marker and marker[0] in ("metadata", "acknowledgements", "supplementary"):
                    self._close_references()
                    state = "body"
                    continue
                # Chinese journals often print the English title and abstract after the references
                if (marker and marker[0] in FRONT_ONLY) or (
                        self.title_en is None and "abstract_en" not in self.seen and _is_latin_line(line.text)
                        and not ENTRY_NUMBER.match(line.text) and self._english_title_ahead(i)):
                    self._close_references()
                    state = "front"
                    continue
                self.ref_end = line.end
                i += 1
                continue
            if state == "ack":
                heading = self.heading(i)
                if marker or heading:
                    self._add("other", "acknowledgements", self.ack_start, self.ack_end)
                    state = "body"
                    continue
                self.ack_end = line.end
                i += 1
                continue
            # -- body
            if marker:
                cat = marker[0]
                if cat == "metadata":
                    self._flush_body()
                    self._add("other", "metadata", line.start, line.end)
                    i += 1
                    continue
                if cat == "references":
                    # "参考文献：[1] 张三. …": the list may start on the heading's own line
                    self._flush_body()
                    head_end = line.start + len(line.text[:marker[1].end()].rstrip())
                    self._add("heading", self.text[line.start:head_end], line.start, head_end, 1)
                    state = "references"
                    self.ref_start = line.start + marker[1].end()
                    self.ref_end = line.end
                    i += 1
                    continue
                if cat == "supplementary":
                    # supplementary material printed after the paper: its own body, under its own heading
                    self._flush_body()
                    self._add("heading", line.text, line.start, line.end, 1)
                    self.structural_lines.add(line.index)
                    self.heading_title = line.text
                    self.last_num = ()
                    i += 1
                    continue
                if cat == "acknowledgements":
                    self._flush_body()
                    state = "ack"
                    self.ack_start, self.ack_end = line.start, line.end
                    i += 1
                    continue
            if self._headless_reference_list(i):
                self._flush_body()
                state = "references"
                self.ref_start = self.ref_end = line.start
                continue
            heading = self.heading(i)
            if heading is not None:
                self._flush_body()
                if heading.style == "heading_arabic":
                    self.last_num = heading.num
                    self.max_arabic_level = max(self.max_arabic_level, heading.level)
                elif heading.style in ("heading_cn", "heading_cn_paren"):
                    self.cn_used = True
                self._add("heading", heading.title, line.start, heading.end, heading.level)
                self.structural_lines.add(line.index)
                self.heading_title = heading.title
                rest = self.text[heading.end:line.end]
                if rest.strip():
                    self._body_line(heading.end + len(rest) - len(rest.lstrip()), line.end)
                i += 1
                continue
            if self._caption(line, "table_caption") or _is_row(line, False) and i + 1 < n and \
                    _is_row(lines[i + 1], False):
                self._flush_body()
                i = self._table(i)
                continue
            if self._caption(line, "figure_caption") and (self._prev_nonblank(i) is None or
                                                          self._prev_nonblank(i).text.endswith(PARAGRAPH_END)
                                                          or lines[i - 1].blank):
                self._flush_body()
                self._add("other", "figure", line.start, line.end)
                i += 1
                continue
            self._body_line(line.start, line.end)
            i += 1
        if state in ("front", "abstract"):
            close_open()
        elif state == "references":
            self._close_references()
        elif state == "ack":
            self._add("other", "acknowledgements", self.ack_start, self.ack_end)
        self._flush_body()
        self.sections.sort(key=lambda s: (s.start, s.end))

    def _headless_reference_list(self, i: int) -> bool:
        """A list "[1] …", "[2] …" whose 参考文献/References heading was lost in conversion."""
        # only after the front matter (affiliations are numbered "[1]", "[2]" too), and the
        # entries carry publication years
        if not self.heading_title or not re.match(r"\[\s*1\s*\]\s*\S", self.lines[i].text) or any(
                s.category == "references" for s in self.sections):
            return False
        following = [x for x in self.lines[i + 1:i + 1 + MAX_CAPTION_LINES * 2] if not x.blank]
        second = next((x for x in following if re.match(r"\[\s*2\s*\]\s*\S", x.text)), None)
        return second is not None and all(re.search(r"(?:19|20)\d{2}", x.text) for x in (self.lines[i], second))

    def _close_references(self) -> None:
        self._add("references", "references", self.ref_start, self.ref_end)

    def _table(self, i: int) -> int:
        """Read the table starting at line ``i``; returns the index of the first line after it."""
        lines = self.lines
        first = lines[i]
        caption_lines: list[Line] = []
        j = i
        if not _is_row(first, False):
            caption_lines.append(first)
            j = i + 1
            extra = 0
            while j < len(lines) and extra < MAX_CAPTION_LINES:
                line = lines[j]
                if line.blank:
                    j += 1
                    continue
                if _is_row(line, False) or self.heading(j) or self._marker(line):
                    break
                if self._caption(line, "table_caption") or (_is_latin_line(line.text) and not extra
                                                            and not _is_row(line, True)):
                    caption_lines.append(line)
                    extra += 1
                    j += 1
                    continue
                break
        rows: list[tuple[str, ...]] = []
        spans: list[tuple[int, int]] = []
        k = j
        while k < len(lines):
            line = lines[k]
            if line.blank:
                # a blank line inside a table only when the next line is a row again
                nxt = next((x for x in lines[k + 1:k + 3] if not x.blank), None)
                if rows and nxt is not None and _is_row(nxt, False):
                    k += 1
                    continue
                break
            if not _is_row(line, True) or self._caption(line, "table_caption") and rows:
                break
            if not MD_TABLE_RULE.match(line.text):  # "|---|:--:|" draws a line, holds no cells
                rows.append(tuple(_cells(line.text, "\t" not in line.text and "|" not in line.text)))
                spans.append((line.start, line.end))
            k += 1
        self.structural_lines.update(range(i, k))
        caption = " ".join(x.text for x in caption_lines)
        start = (caption_lines[0] if caption_lines else first).start
        end = spans[-1][1] if spans else caption_lines[-1].end
        header: tuple[str, ...] = ()
        if len(rows) > 1:
            header, rows, spans = rows[0], rows[1:], spans[1:]
        table = Table(len(self.tables) + 1, caption, start, end, header, tuple(rows), tuple(spans))
        self.tables.append(table)
        self._add("table", caption or f"table {table.table_id}", start, end)
        return k if spans or header else (j if caption_lines else i + 1)


@lru_cache(maxsize=4)
def _section_rules(rules_dir: str, digest: str) -> SectionRules:
    return SectionRules(load_rules(rules_dir).sections)


def detect(doc: Document, rules: SectionRules) -> Document:
    """Find the sections, tables, titles and reference list of ``doc``.

    Args:
        doc: a Document with its ``text``.
        rules: the compiled ``rules/sections.tsv`` patterns.

    Returns:
        The Document with ``sections``, ``tables``, ``references``, ``title_zh``, ``title_en`` set.
    """
    parser = _Parser(doc.text, rules)
    parser.run()
    refs: list = []
    for section in parser.sections:
        if section.category == "references":
            # a second list (supplementary references) adds the numbers the first one lacks
            known = {r.ref_num for r in refs}
            refs += [r for r in parse_references(doc.text, section.start, section.end) if r.ref_num not in known]
    return replace(doc, sections=tuple(parser.sections), tables=tuple(parser.tables), references=tuple(refs),
                   title_zh=parser.title_zh, title_en=parser.title_en)


def build(config: Config):
    """The `sections` stage: ``Document -> Document`` with sections, tables, references, titles."""
    rules = load_rules(config.rules_dir)
    compiled = _section_rules(str(config.rules_dir), rules.digest)

    def stage(doc: Document) -> Document:
        return detect(doc, compiled)

    return stage
