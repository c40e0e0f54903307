"""Citation markers and the reference list.

Sets ``Document.citations``. Also provides :func:`parse_references`, which the
`sections` stage calls to fill ``Document.references``.

Markers: ``[24]``, ``[13,14]``, ``[2-5]`` (expanded to 2,3,4,5), ``[2–3]``, ``^[1]``
(markdown superscript), ``［24］``/``【24】`` (full width), LaTeX ``^ { [ 1 - 2 ] }`` and runs
like ``[4] [5] [6]`` (one citation). Each is tied to the author cue right before it
(``陶晖等[31]``, ``Lien et al. [30]``, ``Morse[5]``, ``Smith and Jones [4]``); when there
is none, ``first_author`` comes from the parsed reference entry and ``cue_start`` stays None;
a sure cue (``Kim et al.``, ``Kim 等`` when Kim heads some entry) wins over a disagreeing entry.
Markers inside the reference list, type codes (``[J]``), numbers beyond the printed list
(``[2020]``; the ceiling is the printed list's length, not the parsed part of it), residues
(``Tyr[369]``), affiliation numbers (``[2]Department of …``), statistics ranges
(``20 [0-50]``) and flattened exponents (``χ[2]``, ``mm[2]``) are not citations.

When the reference list is unnumbered (APA/Harvard), author-year citations
(``(Smith et al., 2010)``, ``(Smith and Jones 2010; Lee 2012a)``, ``Smith et al. (2010)``,
``（张明等，2012）``) become one Citation per cited work, ``refs`` = the entry's list position.

Reference entries: GB/T 7714 (``张三, 李四, 等. 题名[J]. 刊名, 2020, 12(3): 1-5.``),
Vancouver (``Smith J, Lee K. Title. J Bone Miner Res. 2010;25(3):1-9.``) and APA-like
(``Smith, J. (2010). Title. Journal``), numbered ``[1]``, ``1.``, ``- [1]`` or ``1 Name``
(also CAJ-spaced ``1 H artm an R A.``), wrapped over several lines, or glued onto the end
of the previous entry (``...1164-1170 14 Yang, F.``, ``...doi:10.1/x. Chou, L.-G. et al. (1997)``).

References:
    GB/T 7714-2015 信息与文献 参考文献著录规则.
    ICMJE / NLM "Citing Medicine" (Vancouver style).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from pipeline.config import Config
from pipeline.rules import TABLE_COLUMNS, load_table
from pipeline.types import Citation, Document, Reference, Sentence

CUE_TABLE = "citation_cues"
CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
# Years a reference may carry: GB/T 7714 entries from the 19th century are historical
# curiosities in biomedicine; anything beyond next year is a page or volume number.
MIN_YEAR, MAX_YEAR = 1800, 2030
YEAR = re.compile(r"(?<![\d.])(1[89]\d{2}|20[0-3]\d)(?![\d])")
# An entry number at the start of a line: "[12]", "［12］", "- [12]", "12." (not "12.5").
ENTRY_START = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:[\[［【]\s*(?P<b>\d{1,3})\s*[\]］】]\s*\.?|(?P<d>\d{1,3})\s*[.．、)](?!\d))\s*")
# An entry that MinerU glued onto the end of the previous one: "...1205-1214. [2] 程野…".
# Also "...41:102-9. 8. Novak JA, Berg TL: ..." (a numbered entry whose line break was lost).
# Also "...12040-12047 6 Lind, T., Moro, A. K." (a bare number after the page range, then a
# "Surname, I." or "Surname IN," author).
ENTRY_INLINE = re.compile(r"(?<=[.。．\s])\s*(?:\[(?P<b>\d{1,3})\]|(?<=[.。]\s)(?P<d>\d{1,3})\.\s+"
                          r"(?=[A-Z][A-Za-z'’\-]+\s+[A-Z]{1,3}[,:.]|[\u4e00-\u9fff]{2,4}[,，.])"
                          r"|(?<=\d\s)(?P<e>\d{1,3})\s+(?=[A-Z][A-Za-z'’\-]+,\s+(?:[A-Z]\.\s*-?)+[,A-Z]"
                          r"|[A-Z][A-Za-z'’\-]+\s+[A-Z]{1,3},\s))")
# "1 Acharya, K. R., Sturrock, E. D. (2003) ..." (Portland Press): a bare number, then a name.
ENTRY_BARE = re.compile(r"^\s*(?P<d>\d{1,3})\s+(?=[A-Z][A-Za-z'’\-]+,?\s+(?:[A-Z]\.\s*)+"
                        r"|[A-Z][A-Za-z'’\-]+\s+[A-Z]{1,3}[,.]"
                        r"|[\u4e00-\u9fff]{2,4}[,，.．])")
# "1 H artm an R A. Title" (CAJ conversions split words with spaces): a bare number and a
# capital or a Chinese character; trusted only when it is exactly the next entry number.
ENTRY_BARE_NEXT = re.compile(r"^\s*(?P<d>\d{1,3})\s+(?=[A-Z\u4e00-\u9fff])")
# Dotted initials, hyphenated ones included ("K. N.", "L.-G.", "L-G.").
DOTTED_INITIALS = r"(?:(?:[A-Z]\.?-)?[A-Z]\.\s*)+"
AUTHOR_YEAR_START = re.compile(r"^\s*(?:[A-Z][A-Za-z'’\-]+(?: [A-Z][A-Za-z'’\-]+)?,\s+" + DOTTED_INITIALS +
                               r"|[A-Z][^.()]{2,80}\.\s+\((?:19|20)\d{2}[a-z]?\)"
                               r"|[\u4e00-\u9fff]{2,4}(?:[,，、]\s*[\u4e00-\u9fff]{2,4})*(?:[,，]\s*等)?[.．]?\s*"
                               r"[(（](?:19|20)\d{2}[a-z]?[)）])")
# An author-year entry glued onto the end of the previous one ("...2006. Johansson, L., Guo,
# X., ... (2011)."): "Surname, I." after a full stop, its "(year)" within a short author list.
AUTHOR_YEAR_INLINE = re.compile(r"(?<=[.]\s)(?=[A-Z][A-Za-z'’\-]+(?: [A-Z][A-Za-z'’\-]+)?,\s+" + DOTTED_INITIALS +
                                r"[^()]{0,300}?\((?:19|20)\d{2}[a-z]?\))")
# A dotted number may skip entries too, when an author name follows it ("13. Kurtoglu M, ...").
DOTTED_ENTRY = re.compile(r"^\s*\d{1,3}\s*[.．]\s+(?:[A-Z][A-Za-z'’\-]+\s+[A-Z]{1,3}\b|[\u4e00-\u9fff]{2,4}[,，.．])")
# Numbered lists skip a few numbers when entries were lost in conversion; larger jumps
# are page numbers or years at the start of a wrapped line.
MAX_ENTRY_GAP = 5
# The list bullet of the next entry ("\n- [13]") is not part of this one.
TRAILING_BULLET = re.compile(r"(?:\s*\n\s*[-*+])?\s*$")
DOC_TYPE = re.compile(r"[\[［]\s*([A-Z]{1,2}(?:\s*/\s*OL)?)\s*[\]］]")
# "et al." after a comma or space, "等" only after a comma (GB/T 7714: "张三, 李四, 等.");
# a bare "等" inside a Chinese title is a word, not the end of the author list.
ET_AL = re.compile(r"(?:[,，]\s*|\s+)(?:\bet\s*al\b\.?)|[,，]\s*等人?\.?", re.I)
# A Chinese "author" longer than this, or holding the particle 的, is the title of an
# entry that has no author (web pages, standards); the longest society names are ~20 characters.
MAX_ZH_AUTHOR_CHARS = 20
# Author lists longer than this are a missing full stop: the title would be swallowed.
MAX_AUTHORS_CHARS = 300
# BMC / older Vancouver: "Berg AL, Moro TC, Lind G: Early loading after ankle fixation ...".
AUTHORS_COLON = re.compile(r"^(?:[A-Z][A-Za-z'’\-]+(?:\s+[A-Z][A-Za-z'’\-]+)*\s+[A-Z]{1,3}(?:\s+Jr)?\s*,\s*)*"
                           r"[A-Z][A-Za-z'’\-]+(?:\s+[A-Z][A-Za-z'’\-]+)*\s+[A-Z]{1,3}(?:\s+Jr)?\s*:\s*")
# CAJ-to-PDF conversion splits words with spaces ("H artm an R A" for Hartman RA): a capital
# followed only by lower-case fragments is one surname.
CAJ_SPACED_NAME = re.compile(r"[A-Z]{1,2}(?: [a-z]{1,8})+")
# IEEE / Hindawi entries put the initials first and quote the title: "E. Braunwald, “Title,” J…";
# "R. L. Campbell, R. Banner, and M. D. Naylor, “…”". Their full stops end initials, not the list.
INITIALS_FIRST = re.compile(r"^(?:[A-Z]\.\s*-?\s*)+[A-Z][a-z]")
QUOTED_TITLE = re.compile(r"^\s*[“\"](?P<title>[^”\"]{3,}?)[,.]?\s*[”\"]")
AUTHOR_SPLIT = re.compile(r"\s*(?:[,，;；、]|\band\b|&)\s*")
INITIALS = re.compile(r"^(?:[A-Z]{1,3}|(?:[A-Z]\.\s*-?){1,3}|[A-Z]-[A-Z])$")
# A bracketed date after the title ("历程.[2016-11-04]") ends it too.
TITLE_END = re.compile(r"(?<=[^A-Z\s\d][.?])(?:\s+|(?=[\u4e00-\u9fff]|[\[［]\d))|(?<=[．。])")
APA = re.compile(r"^(?P<authors>[^\[\]()]{2,300}?)\s*\((?P<year>(?:1[89]|20)\d{2})[a-z]?\)\.?\s*(?P<rest>.*)$", re.S)
MARKDOWN_EMPHASIS = re.compile(r"(?<!\w)[*_]{1,2}|[*_]{1,2}(?!\w)")

# A citation marker: brackets (ASCII, full width, lenticular) around numbers, ranges and lists;
# spaces inside are allowed because LaTeX conversion spaces everything out ("[ 1 - 2 ]").
# OCR and MinerU read a comma as a full stop now and then ("[4.10-11]" for "[4,10-11]"); such a
# list is kept only when it also holds a range or a comma and its numbers rise (see LIST_PERIOD).
NUMBER_LIST = (r"\d{1,4}(?:\s*[-–—~～]\s*\d{1,4})?"
               r"(?:(?:\s*[,，、]\s*|\.(?=\d))\d{1,4}(?:\s*[-–—~～]\s*\d{1,4})?)*")
# A period between numbers inside a marker: a misread comma, or a decimal ("[2.5-3.0]").
LIST_PERIOD = re.compile(r"\d\.\d")
DECIMAL_RANGE = re.compile(r"\d\.\d+\s*[-–—~～]\s*\d+\.\d")  # "[1.3-4.5]", an interval
MARKER = re.compile(
    r"(?P<sup>\^\s*(?:\{\s*)?)?(?:\[\s*(?P<a>" + NUMBER_LIST + r")\s*\]|［\s*(?P<b>" + NUMBER_LIST
    + r")\s*］|【\s*(?P<c>" + NUMBER_LIST + r")\s*】)(?(sup)(?:\s*\})?)")
RANGE = re.compile(r"(\d+)\s*[-–—~～]\s*(\d+)")
# Sections whose bracketed numbers are not citations: the list itself, and the
# affiliation numbers of author lines ("Xiaolu Huang,[1,2]").
NOT_CITING = ("references", "authors", "title", "keywords_zh", "keywords_en")
# Journal running headers ("第[9]卷 第[4]期": flattened superscripts) cite nothing either.
NOT_CITING_OTHER = ("other", "metadata")
# A marker that opens a sentence right after one of these closed the sentence before it.
SENTENCE_CLOSE = tuple("。！？.!?")
MARKER_LEAD = " \t\n^{"
# Markers separated only by this are one citation: "[4] [5] [6]", "[4],[5]".
MARKER_JOIN = re.compile(r"^[\s,，、]*$")
# "[4]-[6]", "[4]～[6]": two markers joined by a dash are a range.
MARKER_RANGE_JOIN = re.compile(r"^\s*[-–—~～]\s*$")
# Without a reference list, larger numbers are years or quantities, not reference numbers.
MAX_REF_NUMBER = 999
# A range wider than this is a typo or a year span ("[2010-2020]"); keep its two ends.
MAX_RANGE_SPAN = 60
# An entry number anywhere in a reference list: at a line start or glued after the previous
# entry ("...1164-1170 14 Yang, F."), followed by a capitalised name or a Chinese character.
# Used only to learn how long the list is when some of its entries could not be parsed.
LIST_NUMBER = re.compile(r"(?:^|(?<=\s))[\[［]?(\d{1,3})(?:[\]］.．]|(?=\s))\s*(?=[A-Z][a-z]|[\u4e00-\u9fff])", re.M)
# An author-year entry's "(2009)": counting them bounds how many entries a list holds when
# their numbers were lost in conversion.
APA_YEAR = re.compile(r"\((?:1[89]|20)\d{2}[a-z]?\)")
# Amino-acid residues are numbered in brackets by some structure papers ("Tyr[369]"): the
# IUPAC-IUB three-letter codes glued to a bracket are residues, not citations.
RESIDUE_CODES = ("Ala", "Arg", "Asn", "Asp", "Cys", "Gln", "Glu", "Gly", "His", "Ile", "Leu", "Lys", "Met",
                 "Phe", "Pro", "Ser", "Thr", "Trp", "Tyr", "Val", "Sec", "Pyl", "Asx", "Glx")
RESIDUE_BEFORE = re.compile(r"(?<![A-Za-z])(?:" + "|".join(RESIDUE_CODES) + r")-?$")
# An affiliation superscript flattened into brackets: "[1]Department of Surgery", "[2] 北京大学".
# A Chinese unit name ends at its unit word ("北京大学,", not "天津医科大学学报", a journal),
# or its line carries the 6-digit postcode of an address ("…医院骨科，北京 100191").
AFFILIATION_AFTER = re.compile(r"^ ?(?:Department|Dept\b|Division|School|Faculty|College|Institute|"
                               r"Laboratory|Hospital|Universit|Center|Centre|Clinic|Key Lab|"
                               r"[\u4e00-\u9fff]{0,12}(?:大学|学院|医院|研究所|研究院|中心|实验室)(?=[\s,，、;；\d]|$)"
                               r"|[\u4e00-\u9fff]{2,30}(?:大学|学院|医院|研究所|研究院)[^\n]{0,40}?\d{6})")
# "[2]Renji Hospital, …", "[6]Shanghai Institute of …": a number glued to a capitalised word
# whose phrase names an institution within a few words (a citation is followed by a space or
# punctuation, never glued to the next word).
AFFILIATION_GLUED = re.compile(r"^[A-Z](?:(?!\.\s)[^\n\[\];]){0,50}?\b(?:Hospital|Universit|Institute|Department|School|College|"
                               r"Cent(?:er|re)|Laborator|Academy|Clinic|Faculty)")
# "Anna Berg,[1] Tom Holm[2] and ...": a marker right after a capitalised name and before a
# comma, "and" or the next capitalised name is an author's affiliation number.
AUTHOR_SUPERSCRIPT = re.compile(r"(?<![.;:])\b[A-Z][a-zà-ÿ'’\-]+,?$")
NEXT_AUTHOR = re.compile(r"^\s*(?:,|and\b|&|[A-Z][a-zà-ÿ'’\-]+\s+[A-Z][a-zà-ÿ'’\-]+[,\[])")
# A bracketed range after a statistic is the range itself: "median 20 [0-50]", "IQR [3-9]".
# A flattened exponent: "χ[2] test", "R[2] = 0.8", "15 cm[2]", "kg/m[2]" (squares and cubes
# glued to a Greek letter, a one-letter symbol or a length unit).
EXPONENT_BEFORE = re.compile(r"(?:(?<![A-Za-z])[A-Za-z]|[\u0370-\u03ff]|(?<![A-Za-z])(?:[cmkμµ]?m|kg/m))$")
EXPONENTS = ("2", "3")
# The number must stand alone ("20 [0-50]"), not end a name ("TGFβ1[16-17]").
STATISTIC_BEFORE = re.compile(r"(?:\b(?:range|median|mean|IQR|interquartile|CI|SD|n)\b[\s:=]*|[=≈±]\s*"
                              r"|(?<![\w.])\d+(?:\.\d+)?\s+)$", re.I)
# Superscript numbers flattened into Chinese text ("上市5。", "使用4，", "研究3,4。"): a bare
# number list between a Chinese character and a clause end. Looked for only when a paper
# with a numbered list has at most this many bracketed markers (it cites by superscript).
FLAT_SUPERSCRIPT = re.compile(r"(?<=[\u4e00-\u9fff])(\d{1,3}(?:[,，\-–~]\d{1,3})*)(?=[。，；！？;])")
MAX_BRACKETED_FOR_FLAT = 2
# Vancouver citations in parentheses: "…bone loss (12).", "…rats (3-5, 8),". The number list
# follows a word (not a number: "45 (12)" is a mean and its SD) and precedes punctuation (an
# enumeration "(1) the first…" goes on with a word).
PAREN_MARKER = re.compile(r"(?<=[A-Za-z\]%’'”])\s?\((?P<n>\d{1,3}(?:\s*[-–,]\s*\d{1,3})*)\)(?=[.,;:]|\s*$)", re.M)
# Numbered things that are not references: "Figure (2).", "Table (1)", "step (3)".
PAREN_NOT_AFTER = re.compile(r"\b(?:fig|figure|table|eq|equation|step|stage|grade|type|class|phase|lane|panel|"
                             r"appendix|file|section|chapter|version|no|number|formula)\.?\s?$", re.I)
# A paper that cites in parentheses does so many times; a stray "(2)." or two is something else.
MIN_PAREN_MARKERS = 3
# A number after these characters is a quantity, an ordinal or a label ("分为3。", "第2，",
# "约5。", "如图1。", "见表2，", "对照组1；").
QUANTITY_BEFORE = "为是达约至共第到于及和或与等近超逾余计占每前后图表式组号型级期"
# In a paper that mostly cites with brackets, a conversion may still flatten a few markers
# ("…成骨不全3-4。" among "[2]" … "[8]"). There a bare number is a citation only when it
# ends a sentence and is the next number in first-citation order (Vancouver lists are
# numbered by first citation), and it does not end a numbered molecule name: 白细胞介素6
# (interleukin 6), 骨形态发生蛋白2, 转化生长因子1, 受体2, 激酶3, 多肽1.
MIXED_FLAT_END = "。；;"
NAME_BEFORE = "素白子体酶肽链基"
# A marker that lost its opening bracket in conversion ("…的作用20,31]。", "…的分化2]反之"):
# a number list glued after a Chinese character and closed by a bracket. Kept only when every
# number lies within the printed list and the list fits the first-citation order (see
# :func:`_in_citing_order`), because a lone "]" is otherwise a typo.
UNOPENED_MARKER = re.compile(r"(?<=[\u4e00-\u9fff])(\d{1,3}(?:\s*[,，\-–]\s*\d{1,3})*)\s*[\]］]")
# A bracket opened this close before such a list and not closed holds it ("[图1]", "[表2]").
UNOPENED_LOOKBACK = 30
# Author-year citations (APA, Harvard): "(Smith et al., 2010)", "(Smith and Jones 2010; Lee
# 2012a)", narrative "Smith et al. (2010)". A name is a capitalised surname (particles and
# hyphens allowed) or an organisation of capitalised words ("American Psychiatric Association").
# Chinese papers write "(张三等，2010)" and "张三和李四(2012)".
AY_NAME = (r"(?:(?:van|de|von|der|den|du|le|la|di)\s+)?[A-Z][A-Za-zà-ÿ'’\-]+(?:\s+[A-Z][A-Za-zà-ÿ'’\-]+){0,4}"
           r"|[\u4e00-\u9fff]{2,4}?")
AY_YEARS = r"(?:19|20)\d{2}[a-z]?(?:\s*[,，]\s*(?:19|20)\d{2}[a-z]?)*"
AY_YEAR = re.compile(r"((?:19|20)\d{2})([a-z]?)")
AY_MORE = rf"(?:\s*,?\s+(?:and|&)\s+(?P<second>{AY_NAME})|\s*[和与]\s*(?P<second_zh>{AY_NAME})|\s+et\s+al\.?|\s*等人?)?"
AY_PART = re.compile(rf"(?:e\.g\.,?\s*|see\s+(?:also\s+)?|cf\.\s*)?(?P<name>{AY_NAME}){AY_MORE}"
                     rf"\s*[,，]?\s*(?P<years>{AY_YEARS})")
AY_GROUP = re.compile(r"[(（]([^()（）\n]{4,300}?(?:19|20)\d{2}[a-z]?)[)）]")
AY_NARRATIVE = re.compile(rf"(?<![A-Za-z])(?P<name>{AY_NAME}){AY_MORE}\s*[(（](?P<years>{AY_YEARS})[)）]")
# How far before a marker to look for its author cue.
CUE_WINDOW = 60
# Latin surname, optionally followed by initials ("Lai CH", "Chain A").
# The second letter is lower case ("Wagner", "McDonald", "O'Brien"), so acronyms such as
# "MSCs 等[3]" (cells, et cetera) are not taken for names.
LATIN_NAME = r"(?<![A-Za-z'’\-])[A-Z](?:[a-z]|['’][A-Z])[A-Za-z'’\-]*(?:\s+[A-Z][a-z]+)?(?:\s+[A-Z]{1,3}(?![A-Za-z]))?"


def _load_cues(rules_dir: Path) -> dict[str, list[str]]:
    path = Path(rules_dir) / f"{CUE_TABLE}.tsv"
    cues: dict[str, list[str]] = {}
    if not path.exists():
        return cues
    required, optional = TABLE_COLUMNS.get(CUE_TABLE, (("category", "lang", "cue", "source"), ()))
    for row in load_table(path, required, optional):
        cues.setdefault(row["category"], []).append(row["cue"])
    return cues


# ----------------------------------------------------------------------------- references
def _clean(text: str) -> str:
    text = re.sub(r"\s*\n\s*(?:[-*+]\s+)?", " ", text)
    text = MARKDOWN_EMPHASIS.sub("", text)
    return re.sub(r"\s{2,}", " ", text).strip()


def _surname(author: str) -> str:
    """'Dominici M' -> 'Dominici', 'Le Blanc K' -> 'Le Blanc', 'T. Corvera-Tindel' -> 'Corvera-Tindel'."""
    parts = author.replace(".", ". ").split()
    while len(parts) > 1 and INITIALS.match(parts[-1].strip(".")) or len(parts) > 1 and parts[-1].endswith("."):
        parts.pop()
    # IEEE / Hindawi style puts the initials first: "T. Corvera-Tindel", "L. V. Doering"
    while len(parts) > 1 and parts[0].endswith(".") and INITIALS.match(parts[0].strip(".")):
        parts.pop(0)
    name = " ".join(parts).strip(" .,，")
    return re.sub(r"\s+", "", name) if CAJ_SPACED_NAME.fullmatch(name) else name


def _split_authors(text: str) -> tuple[str, ...]:
    text = ET_AL.sub("", text).strip(" .,，;；")
    authors = [a.strip(" .*:：") for a in AUTHOR_SPLIT.split(text)]
    return tuple(a for a in authors if a and not re.fullmatch(r"et\s*al|等|等人", a))


def _authors_end(body: str) -> int:
    """Offset in ``body`` where the author list ends (its closing '.' consumed)."""
    m = ET_AL.search(body[:MAX_AUTHORS_CHARS])
    if m:
        end = m.end()
        while end < len(body) and body[end] in " .．,，":
            end += 1
        return end
    colon = AUTHORS_COLON.match(body[:MAX_AUTHORS_CHARS])
    if colon:
        return colon.end()
    if INITIALS_FIRST.match(body):
        quote = re.search(r"[“\"]", body[:MAX_AUTHORS_CHARS])
        if quote:
            return quote.start()
        for m in re.finditer(r"[.．]", body[:MAX_AUTHORS_CHARS]):
            if m.start() >= 1 and body[m.start() - 1].isupper() and (m.start() == 1 or body[m.start() - 2] in " -.,"):
                continue  # an initial ("E.", "R. L.", "L.-G.")
            end = m.end()
            while end < len(body) and body[end] == " ":
                end += 1
            return end
    for m in re.finditer(r"[.．]", body[:MAX_AUTHORS_CHARS]):
        after = body[m.end():m.end() + 3]
        nxt = after.lstrip()[:1]
        if nxt in (",", "，", ";", "；") or re.match(r"\s?[A-Z]\.", after):
            continue  # "Lazarus H.M., Haynesworth S.E." : initials, the list goes on
        end = m.end()
        while end < len(body) and body[end] == " ":
            end += 1
        return end
    return 0


def parse_entry(number: str, raw: str, start: int, end: int) -> Reference:
    """Parse one reference entry.

    Args:
        number: the entry number as printed ("12").
        raw: the entry's text after its number (may hold line breaks).
        start: offset of the entry (its number) in ``Document.text``.
        end: offset just past the entry.

    Returns:
        A Reference with authors, title, source, year and GB/T 7714 type code when found.
    """
    body = _clean(raw)
    text = f"[{number}] {body}"
    doc_type = None
    m = DOC_TYPE.search(body)
    if m:
        doc_type = re.sub(r"\s+", "", m.group(1))
    apa = APA.match(body)
    if apa and not m and "." in apa.group("authors"):
        names = ET_AL.sub("", apa.group("authors"))
        authors = tuple(a.strip(" ,") for a in re.split(r"(?<=\.),\s*(?:&\s*)?|\s+&\s+|\band\b", names)
                        if a.strip(" ,"))
        rest = apa.group("rest")
        parts = re.split(r"(?<=[.?!])\s+", rest, maxsplit=1)
        title = parts[0].rstrip(".") or None
        source = re.split(r"[,.]", parts[1])[0].strip() if len(parts) > 1 else None
        return Reference(number, text, start, end, authors, title, source or None, int(apa.group("year")), doc_type)
    a_end = _authors_end(body)
    authors = _split_authors(body[:a_end]) if a_end else ()
    if len(authors) == 1 and CJK_CHAR.match(authors[0]) and (
            "的" in authors[0] or len(authors[0]) > MAX_ZH_AUTHOR_CHARS):
        # "间充质干细胞的简要研究历程.[2016-11-04]": an entry without authors starts with its title
        authors, a_end = (), 0
    rest = body[a_end:]
    title = source = None
    quoted = QUOTED_TITLE.match(rest)
    if m:
        t_end = m.start() - a_end
        title = rest[:t_end].strip(" .．") if t_end > 0 else None
        after = rest[m.end() - a_end:].lstrip(" .．,，")
    elif quoted:
        # IEEE: '“Title,” Journal, vol. 3, no. 1, pp. 1-9, 2004.'
        title = quoted.group("title").strip(" ,.")
        after = rest[quoted.end():].lstrip(" .,")
    else:
        # The title ends at a full stop before a space or a Chinese character ("应用.遗传, 2010"),
        # not after an initial or inside a number.
        parts = TITLE_END.split(rest, maxsplit=1)
        title = parts[0].strip(" .．") or None
        after = parts[1] if len(parts) > 1 else ""
    ym = YEAR.search(after) or YEAR.search(body)
    year = int(ym.group(1)) if ym else None
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        year = None
    if after:
        cut = YEAR.search(after)
        # IEEE sources run on with ", vol. 3, no. 1, pp." before the year: the journal is the first field
        src = after[:cut.start()] if cut and not quoted else re.split(r"[,，]", after)[0]
        src = src.strip(" .．,，;；[]()（）/：:")
        source = src or None
    return Reference(number, text, start, end, authors, title or None, source, year, doc_type)


def parse_references(text: str, start: int, end: int) -> tuple[Reference, ...]:
    """Split the reference list ``text[start:end]`` into parsed entries.

    Args:
        text: the whole ``Document.text``.
        start: offset where the list begins (after its heading).
        end: offset where it ends.

    Returns:
        The entries in order, each with offsets into ``text``.
    """
    heads: list[tuple[int, int, str]] = []  # (entry start, body start, number)
    last = 0
    pos = start
    lines = []
    for line in text[start:end].split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    for line_start, line in lines:
        m = ENTRY_START.match(line) or ENTRY_BARE.match(line)
        if m is None:
            loose = ENTRY_BARE_NEXT.match(line)
            m = loose if loose and int(loose.group("d")) == last + 1 else None
        if m:
            bracketed = m.groupdict().get("b") is not None
            number_at = m.start("b") if bracketed else m.start("d")
            num = int(line[number_at:m.end("b") if bracketed else m.end("d")])
            skipped_ok = bracketed or DOTTED_ENTRY.match(line) or m.re is ENTRY_BARE
            if (skipped_ok and last < num <= last + MAX_ENTRY_GAP) or num == last + 1:
                opener = max(line.rfind(c, 0, number_at) for c in "[［【") if bracketed else number_at
                heads.append((line_start + opener, line_start + m.end(), str(num)))
                last = num
        for im in ENTRY_INLINE.finditer(line, m.end() if m else 0):
            group = "b" if im.group("b") else "d" if im.group("d") else "e"
            num = int(im.group(group))
            if num == last + 1:
                number_at = im.start("b") - 1 if group == "b" else im.start(group)
                heads.append((line_start + number_at, line_start + im.end(), str(num)))
                last = num
    if not heads:
        # An unnumbered author-year list (APA, Harvard): an entry starts where a line starts
        # with "Surname, I." or an organisation followed by "(2009)".
        for line_start, line in lines:
            m = AUTHOR_YEAR_START.match(line)
            if m:
                skip = len(line) - len(line.lstrip())
                heads.append((line_start + skip, line_start + skip, str(len(heads) + 1)))
            if heads:
                for im in AUTHOR_YEAR_INLINE.finditer(line, m.end() if m else 0):
                    heads.append((line_start + im.start(), line_start + im.start(), str(len(heads) + 1)))
    heads.sort()
    refs: list[Reference] = []
    for k, (e_start, b_start, num) in enumerate(heads):
        e_end = heads[k + 1][0] if k + 1 < len(heads) else end
        raw = TRAILING_BULLET.sub("", text[b_start:e_end])
        e_end = b_start + len(raw)
        refs.append(parse_entry(num, raw.strip(), e_start, e_end))
    return tuple(refs)


# ----------------------------------------------------------------------------- citations
def expand(numbers: str, max_ref: int | None = None) -> tuple[str, ...]:
    """'2-5, 7' -> ('2', '3', '4', '5', '7'); numbers above ``max_ref`` are dropped."""
    out: list[int] = []
    for part in re.split(r"\s*[,，、]\s*|\.", numbers.strip()):
        r = RANGE.fullmatch(part)
        if r:
            lo, hi = int(r.group(1)), int(r.group(2))
            if hi < lo:
                out.extend(_reversed_range(r.group(1), hi))
            else:
                out.extend(range(lo, hi + 1) if 0 < hi - lo <= MAX_RANGE_SPAN else (lo, hi))
        elif part.isdigit():
            out.append(int(part))
    limit = max_ref if max_ref is not None else MAX_REF_NUMBER
    seen: list[int] = []
    for n in out:
        if 0 < n <= limit and n not in seen:
            seen.append(n)
    return tuple(str(n) for n in seen)


def _reversed_range(lo: str, hi: int) -> list[int]:
    """A range whose end is below its start lost a character in conversion.

    "436-38" lost the comma of "4,36-38" (the start's tail opens a rising range); "10-1"
    lost the end's last digit (only the start is sure).
    """
    for k in range(1, len(lo)):
        head, tail = int(lo[:k]), lo[k:]
        if not tail.startswith("0") and head < int(tail) < hi and hi - int(tail) <= MAX_RANGE_SPAN:
            return [head, *range(int(tail), hi + 1)]
    return [int(lo)]


class CitationFinder:
    """Finds citation markers and their author cues (the `citations` stage)."""

    def __init__(self, cues: dict[str, list[str]]) -> None:
        suffix_zh = sorted(cues.get("author_suffix_zh", ["等人", "等"]), key=len, reverse=True)
        suffix_en = sorted(cues.get("author_suffix_en", ["et al.", "et al"]), key=len, reverse=True)
        self.surnames = set(cues.get("surname_zh", ()))
        self.not_names = set(cues.get("not_name_zh", ())) | set(cues.get("not_name_en", ()))
        zh = "|".join(re.escape(s) for s in suffix_zh)
        en = "|".join(re.escape(s).replace(r"\ ", r"\s*") for s in suffix_en)
        connect = "|".join(re.escape(s) for s in cues.get("author_connector", ["and", "&", "和", "与"]))
        self.en_etal = re.compile(rf"(?P<name>{LATIN_NAME})(?:\s*,?\s+(?:{connect})\s+{LATIN_NAME})?"
                                  rf"\s*,?\s*(?:{en})\s*,?\s*$")
        self.latin_deng = re.compile(rf"(?P<name>{LATIN_NAME})\s*(?:{zh})\s*$")
        self.cjk_deng = re.compile(rf"(?P<name>[\u4e00-\u9fff]{{1,4}})\s*(?:{zh})\s*$")
        self.pair = re.compile(rf"(?P<name>{LATIN_NAME})\s+(?:{connect})\s+{LATIN_NAME}\s*$")
        self.bare = re.compile(rf"(?<![A-Za-z\-])(?P<name>{LATIN_NAME})\s*$")

    def _cjk_name(self, before: str, m: re.Match) -> tuple[str, int] | None:
        name = m.group("name")
        start = m.start("name")
        if name in self.not_names or any(name.endswith(w) for w in self.not_names):
            return None
        if start == 0 or not re.match(r"[\u4e00-\u9fff]", before[start - 1]):
            # "骨、软骨、肝组织等[3]", "的活化等[4]": a name starts with a surname
            if name[0] in self.surnames or name[:2] in self.surnames:
                return name, start
            return None
        # The name is glued to the preceding words: take the longest tail that starts with a surname.
        for size in (3, 2):
            if len(name) >= size:
                tail = name[-size:]
                if tail[0] in self.surnames or tail[:2] in self.surnames:
                    return tail, start + len(name) - size
        return None

    def cue(self, text: str, marker_start: int, lang: str,
            ref_authors: tuple[str, ...]) -> tuple[str, int, bool] | None:
        """The author cue ending right before ``marker_start``.

        Returns:
            (first author, cue offset, sure): ``sure`` when the cue cannot be anything but a
            name ("Lien et al.", "Smith and Jones"), so it wins over a disagreeing reference entry.
        """
        lo = max(0, marker_start - CUE_WINDOW)
        before = text[lo:marker_start]
        for pattern in (self.en_etal, self.latin_deng, self.pair):
            m = pattern.search(before)
            if m:
                name = _as_written(m.group("name"))
                if name.lower() in self.not_names:
                    return None
                return name, lo + m.start("name"), pattern is not self.latin_deng
        m = self.cjk_deng.search(before)
        if m:
            found = self._cjk_name(before, m)
            if found:
                return found[0], lo + found[1], True
            return None
        m = self.bare.search(before)
        if m:
            name = _as_written(m.group("name"))
            confirmed = any(_surname(a).lower() == _surname(name).lower() for a in ref_authors[:1])
            if name.lower() not in self.not_names and (confirmed or (lang == "zh" and not ref_authors)):
                return name, lo + m.start("name"), confirmed
        return None

    def __call__(self, doc: Document) -> Document:
        refs_by_num = {r.ref_num: r for r in doc.references}
        list_authors = tuple(r.authors[0] for r in doc.references if r.authors)
        max_ref = reference_ceiling(doc)
        skip = [(s.start, s.end) for s in doc.sections
                if s.category in NOT_CITING or (s.category, s.title) == NOT_CITING_OTHER]
        starts = [s.start for s in doc.sentences]
        text = doc.text
        found: list[tuple[int, int, tuple[str, ...]]] = []
        for m in MARKER.finditer(text):
            if any(a <= m.start() < b for a, b in skip):
                continue
            if m.start() > 0 and text[m.start() - 1] == "!" or text[m.end():m.end() + 1] == "(":
                continue  # markdown image or link
            numbers = m.group("a") or m.group("b") or m.group("c")
            if _not_a_citation(text, m.start(), m.end(), numbers):
                continue
            nums = expand(numbers, max_ref)
            if not nums:
                continue
            if max_ref is None and re.fullmatch(r"\s*(1[89]|20)\d{2}\s*", numbers):
                continue  # a bracketed year
            found.append((m.start(), m.end(), nums))
        if len(found) <= MAX_BRACKETED_FOR_FLAT and max_ref is not None:
            found = sorted(found + _flattened_superscripts(doc, skip, max_ref) + _parenthesised(doc, skip, max_ref))
        elif max_ref is not None:
            found = sorted(found + _next_flattened(found, _flattened_superscripts(doc, skip, max_ref), text))
        if max_ref is not None:
            found = sorted(found + _unopened_markers(found, doc.text, skip, max_ref))
        merged: list[list] = []
        for start, end, nums in found:
            between = text[merged[-1][1]:start] if merged else ""
            joined = MARKER_JOIN.match(between) or MARKER_RANGE_JOIN.match(between)
            if merged and start - merged[-1][1] <= 3 and joined:
                if MARKER_RANGE_JOIN.match(between) and 0 < int(nums[0]) - int(merged[-1][2][-1]) <= MAX_RANGE_SPAN:
                    # "[4]-[6]": the numbers in between are cited too
                    nums = tuple(str(n) for n in range(int(merged[-1][2][-1]) + 1, int(nums[0]))) + nums
                merged[-1][1] = end
                merged[-1][2] = merged[-1][2] + tuple(n for n in nums if n not in merged[-1][2])
            else:
                merged.append([start, end, nums])
        citations: list[Citation] = []
        for start, end, nums in merged:
            sent = _citing_sentence(doc, starts, start)
            ref = refs_by_num.get(nums[0])
            ref_authors = ref.authors if ref else ()
            cue = self.cue(text, start, sent.lang if sent else "zh", ref_authors)
            if cue and ref_authors and not _agrees(cue[0], ref_authors) and not (
                    cue[2] or _agrees(cue[0], list_authors)):
                # "Wnt 等[3]": a Latin word that names neither the cited entry's author nor
                # any first author of the list; a sure cue ("Kim et al.") keeps the text's name
                cue = None
            if cue:
                first_author, cue_start = cue[0], cue[1]
            else:
                first_author = _surname(ref_authors[0]) if ref_authors else None
                cue_start = None
            citations.append(Citation(sent.sent_id if sent else -1, nums, start, end, text[start:end],
                                      first_author, cue_start))
        if _is_author_year_list(doc):
            taken = [(c.start, c.end) for c in citations]
            for cit in author_year_citations(doc, skip):
                if not any(a < cit.end and cit.start < b for a, b in taken):
                    citations.append(cit)
            citations.sort(key=lambda c: c.start)
        return replace(doc, citations=tuple(citations))


def _parenthesised(doc: Document, skip: list[tuple[int, int]], max_ref: int) -> list[tuple[int, int, tuple[str, ...]]]:
    """Numbered citations in parentheses ("…bone loss (12).", "(3-5, 8),") of English text.

    Only looked for in papers with a numbered reference list and (almost) no bracketed
    markers, and kept only when the paper holds at least ``MIN_PAREN_MARKERS`` of them and
    the first one cites entry 1.
    """
    out = []
    for m in PAREN_MARKER.finditer(doc.text):
        if any(a <= m.start() < b for a, b in skip) or PAREN_NOT_AFTER.search(
                doc.text, max(0, m.start() - CUE_WINDOW), m.start()):
            continue
        nums = expand(m.group("n"), max_ref)
        if nums and len(nums) == len(expand(m.group("n"))):
            out.append((m.start(), m.end(), nums))
    # Vancouver numbers references by first citation: the first marker cites entry 1
    if len(out) < MIN_PAREN_MARKERS or out[0][2][0] != "1" or _is_author_year_list(doc):
        return []
    return out


def _citing_sentence(doc: Document, starts: list[int], start: int) -> Sentence | None:
    """The sentence a marker at ``start`` cites for.

    A marker printed after the full stop ("骨密度增加。[3]随后…") opens the next sentence
    when the text is split, but it belongs to the sentence that the full stop closed.
    """
    k = bisect.bisect_right(starts, start) - 1
    sent = doc.sentences[k] if k >= 0 and start < doc.sentences[k].end else None
    if sent is None or k == 0 or doc.text[sent.start:start].strip(MARKER_LEAD):
        return sent
    prev = doc.sentences[k - 1]
    if doc.text[prev.start:prev.end].rstrip().endswith(SENTENCE_CLOSE) and not doc.text[prev.end:start].strip():
        return prev
    return sent


def _flattened_superscripts(doc: Document, skip: list[tuple[int, int]],
                            max_ref: int) -> list[tuple[int, int, tuple[str, ...]]]:
    """Superscript citation numbers that PDF conversion flattened into the Chinese text.

    "…在瑞士等国上市5。" is "上市⁵。": a bare number between a Chinese character and a
    clause end. Only looked for in papers with a numbered reference list and (almost) no
    bracketed markers, where the numbers stay within the list.
    """
    out = []
    for m in FLAT_SUPERSCRIPT.finditer(doc.text):
        if any(a <= m.start() < b for a, b in skip) or doc.text[m.start() - 1] in QUANTITY_BEFORE:
            continue
        nums = expand(m.group(1), max_ref)
        if nums and len(nums) == len(expand(m.group(1))):
            out.append((m.start(), m.end(), nums))
    return out


def _in_citing_order(values: list[int], highest: int, upper: int | None) -> bool:
    """Whether a number list fits Vancouver first-citation order at its place in the text.

    Args:
        values: the list's numbers, ascending as printed.
        highest: the highest number cited before it.
        upper: the lowest new number the next bracketed marker cites, or None.

    Returns:
        True when the numbers it cites for the first time start at the next new number, or
        all lie above every number cited before and below ``upper``; re-cited numbers are free.
    """
    new = [v for v in values if v > highest]
    if not new:
        return bool(values) and min(values) >= 1
    return new[0] == highest + 1 or (upper is not None and new[-1] < upper)


def _next_upper(events: list[tuple], k: int, highest: int) -> int | None:
    """The lowest new number of the first bracketed marker after ``events[k]`` that cites something new."""
    return next((min(v for v in map(int, e[2]) if v > highest) for e in events[k + 1:]
                 if not e[3] and any(int(n) > highest for n in e[2])), None)


def _next_flattened(found: list[tuple[int, int, tuple[str, ...]]], flats: list[tuple[int, int, tuple[str, ...]]],
                    text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """The flattened numbers of a bracket-citing paper that continue its first-citation order.

    Args:
        found: the bracketed markers (start, end, refs), in text order.
        flats: candidate flattened superscripts from :func:`_flattened_superscripts`.
        text: ``Document.text``.

    Returns:
        The candidates that end a sentence, follow no molecule-name character and fit the
        first-citation order: the next new number, or numbers above every number cited
        before and below the next new bracketed number.
    """
    events = sorted([(s, e, nums, False) for s, e, nums in found] + [(s, e, nums, True) for s, e, nums in flats])
    highest, out = 0, []
    for k, (start, end, nums, flat) in enumerate(events):
        values = [int(n) for n in nums]
        if flat:
            upper = _next_upper(events, k, highest)
            in_order = values[0] == highest + 1 or (upper is not None and highest < values[0] and values[-1] < upper)
            if text[end:end + 1] not in MIXED_FLAT_END or text[start - 1] in NAME_BEFORE or not in_order:
                continue
            out.append((start, end, nums))
        highest = max(highest, *values)
    return out


def _unopened_markers(found: list[tuple[int, int, tuple[str, ...]]], text: str, skip: list[tuple[int, int]],
                      max_ref: int) -> list[tuple[int, int, tuple[str, ...]]]:
    """Markers that lost their opening bracket in conversion ("…的作用20,31]").

    Args:
        found: the markers found so far (start, end, refs), in text order.
        text: ``Document.text``.
        skip: spans that cite nothing (reference list, author lines).
        max_ref: the printed reference list's length.

    Returns:
        (start, end, refs) of each :data:`UNOPENED_MARKER` outside ``skip`` whose numbers all
        lie within the list and fit the first-citation order (:func:`_in_citing_order`).
    """
    cands = []
    for m in UNOPENED_MARKER.finditer(text):
        if any(a <= m.start() < b for a, b in skip) or any(a <= m.start() < b for a, b, _ in found):
            continue
        before = text[max(0, m.start() - UNOPENED_LOOKBACK):m.start()]
        if max(before.rfind("["), before.rfind("［")) > max(before.rfind("]"), before.rfind("］"), before.rfind("\n")):
            continue
        nums = expand(m.group(1), max_ref)
        if nums and len(nums) == len(expand(m.group(1))):
            cands.append((m.start(), m.end(), nums))
    events = sorted([(s, e, nums, False) for s, e, nums in found] + [(s, e, nums, True) for s, e, nums in cands])
    highest, out = 0, []
    for k, (start, end, nums, cand) in enumerate(events):
        values = [int(n) for n in nums]
        if cand:
            if not _in_citing_order(values, highest, _next_upper(events, k, highest)):
                continue
            out.append((start, end, nums))
        highest = max(highest, *values)
    return out


def _is_author_year_list(doc: Document) -> bool:
    """Whether the reference list is unnumbered (APA/Harvard): its entries start with a name."""
    if not doc.references:
        return False
    named = sum(1 for r in doc.references if re.match(r"[A-Z\u4e00-\u9fff]", doc.text[r.start:r.start + 1]))
    return named * 2 > len(doc.references)


def _author_year_index(doc: Document) -> list[tuple[str, str, int, str]]:
    """(first author lower-cased, second author lower-cased, year, ref number) per entry."""
    index = []
    for r in doc.references:
        if r.year is None or not r.authors:
            continue
        second = r.authors[1].lower() if len(r.authors) > 1 else ""
        index.append((r.authors[0].lower().rstrip(" .,，"), second, r.year, r.ref_num))
    return index


def _lookup(index, name: str, second: str | None, year: int, suffix: str) -> str | None:
    """The ref number of the entry by ``name`` (and ``second``) in ``year``; 'b' takes the second one."""
    key = name.lower()
    found = [e for e in index if e[2] == year and (e[0] == key or e[0].startswith(key + ",")
                                                   or e[0].startswith(key + " "))]
    if second:
        narrowed = [e for e in found if e[1].startswith(second.lower())]
        found = narrowed or found
    if not found:
        return None
    k = ord(suffix) - ord("a") if suffix else 0
    return found[min(k, len(found) - 1)][3]


def author_year_citations(doc: Document, skip: list[tuple[int, int]]) -> list[Citation]:
    """Author-year citations mapped to the entries of an unnumbered reference list.

    '(Smith et al., 2010)', '(Smith and Jones 2010; Lee 2012)', '(Lee, 2011a, 2012)' and
    narrative 'Smith et al. (2010)' each give one Citation per cited work; ``refs`` holds the
    entry's number in list order. Names with no entry of that year are left out.

    Args:
        doc: a Document with ``references`` and ``sentences`` set.
        skip: (start, end) spans whose text is never citing (the reference list itself).

    Returns:
        The citations, in text order.
    """
    index = _author_year_index(doc)
    starts = [s.start for s in doc.sentences]
    text = doc.text
    out: list[Citation] = []

    def add(start: int, end: int, name: str, second: str | None, years: str) -> None:
        if any(a <= start < b for a, b in skip):
            return
        refs: list[str] = []
        name = _as_written(name)
        # "In Smith et al. (2010)", "研究显示张三等(2010)": leading words may not belong to the name
        tails = [name[k:] for k in range(len(name) - 1)] if CJK_CHAR.match(name) else [
            " ".join(name.split()[k:]) for k in range(len(name.split()))]
        for tail in tails:
            name = tail
            for ym in AY_YEAR.finditer(years):
                num = _lookup(index, name, second, int(ym.group(1)), ym.group(2) or "")
                if num and num not in refs:
                    refs.append(num)
            if refs:
                at = text.find(name, start, end)
                start = at if at >= 0 else start
                break
        if not refs:
            return
        k = bisect.bisect_right(starts, start) - 1
        sent = doc.sentences[k] if k >= 0 and start < doc.sentences[k].end else None
        out.append(Citation(sent.sent_id if sent else -1, tuple(refs), start, end, text[start:end], name, start))

    for group in AY_GROUP.finditer(text):
        pos = group.start(1)
        last: tuple[str, str | None] | None = None
        for part in re.split(r"([;；]\s*)", group.group(1)):
            body = part.strip()
            m = AY_PART.fullmatch(body)
            lead = len(part) - len(part.lstrip())
            if m:
                last = (m.group("name"), m.group("second") or m.group("second_zh"))
                add(pos + lead, pos + lead + len(body), last[0], last[1], m.group("years"))
            elif last and body and re.fullmatch(AY_YEARS, body):
                # "(Nilsson et al., 1997; 2004)": a bare year cites the same author again
                add(pos + lead, pos + lead + len(body), last[0], last[1], body)
            pos += len(part)
    for m in AY_NARRATIVE.finditer(text):
        add(m.start(), m.end(), m.group("name"), m.group("second") or m.group("second_zh"), m.group("years"))
    out.sort(key=lambda c: c.start)
    return out


def _not_a_citation(text: str, start: int, end: int, numbers: str) -> bool:
    """A bracketed number that is a residue, an affiliation number or a statistic's range."""
    before = text[max(0, start - CUE_WINDOW):start]
    after = text[end:end + CUE_WINDOW]
    if RESIDUE_BEFORE.search(before) or AFFILIATION_AFTER.match(after):
        return True
    if AFFILIATION_GLUED.match(after) and (not before or before[-1].isspace()) and not before.rstrip().endswith(
            tuple(".!?;:。；")):
        return True  # an affiliation line starts here, not a sentence that ended before the marker
    if numbers.strip() in EXPONENTS and EXPONENT_BEFORE.search(before):
        return True
    if AUTHOR_SUPERSCRIPT.search(before) and NEXT_AUTHOR.match(after) and not before.rstrip().endswith(
            ("al", "al.")):
        return True
    if LIST_PERIOD.search(numbers):
        # "[4.10-11]" is a misread "[4,10-11]"; "[1.5]", "[2.5-3.0]" and "[0.5-1]" are decimals
        ends = [int(n) for n in re.findall(r"\d+", numbers)]
        if (not re.search(r"[-–—~～,，、]", numbers) or any(a >= b for a, b in zip(ends, ends[1:])) or 0 in ends
                or DECIMAL_RANGE.search(numbers)):
            return True
    if RANGE.search(numbers):
        lo = int(RANGE.search(numbers).group(1))
        if lo == 0 or STATISTIC_BEFORE.search(before):
            return True
    return False


def reference_ceiling(doc: Document) -> int | None:
    """The highest reference number a marker may cite, or None when the paper has no list.

    A partly parsed list (entries glued together, lost line breaks) must not drop the
    markers of its unparsed tail: the ceiling is the largest of the highest parsed entry,
    the end of the chain of entry numbers seen in the reference sections (1, 2, 3 … with
    gaps of at most ``MAX_ENTRY_GAP``) and the number of "(year)" groups in those sections
    (author-year entries whose numbers were lost).

    Args:
        doc: a Document with ``references`` and ``sections`` set.

    Returns:
        The ceiling, or None when there is neither a parsed entry nor a numbered list.
    """
    parsed = max((int(r.ref_num) for r in doc.references if r.ref_num.isdigit()), default=0)
    seen: set[int] = set()
    for section in doc.sections:
        if section.category == "references":
            seen.update(int(m.group(1)) for m in LIST_NUMBER.finditer(doc.text, section.start, section.end))
    chain = 0
    for n in sorted(seen):
        if n > chain + MAX_ENTRY_GAP:
            break
        chain = n
    years = sum(len(APA_YEAR.findall(doc.text, s.start, s.end)) for s in doc.sections if s.category == "references")
    ceiling = max(parsed, chain, years if parsed else 0)
    return ceiling or None


def _as_written(name: str) -> str:
    """The cue's name as the text writes it ("Lai CH", "Wagner"), spaces collapsed."""
    return re.sub(r"\s+", " ", name).strip()


def _agrees(cue: str, ref_authors: tuple[str, ...]) -> bool:
    """A Latin cue must name one of the entry's authors; a Chinese cue may face an English entry."""
    if CJK_CHAR.search(cue) or not any(re.match(r"[A-Za-z]", a) for a in ref_authors):
        return True
    key = re.sub(r"[\s'’\-]", "", _surname(cue)).lower()
    return any(re.sub(r"[\s'’\-]", "", _surname(a)).lower() == key for a in ref_authors)


@lru_cache(maxsize=4)
def _finder(rules_dir: str, stamp: float) -> CitationFinder:
    return CitationFinder(_load_cues(Path(rules_dir)))


def build(config: Config):
    """The `citations` stage: ``Document -> Document`` with ``citations`` set."""
    path = Path(config.rules_dir) / f"{CUE_TABLE}.tsv"
    return _finder(str(config.rules_dir), path.stat().st_mtime if path.exists() else 0.0)
