"""Stage `normalize`: every biomedical term mention -> one concept id.

Sets ``Document.mentions`` (rule, abbreviation and model mentions, each with its concept)
and fills ``Abbreviation.concept_id`` for ``Document.abbreviations``.

How it works:

1. :func:`fold` maps text to a *folded* string through one char-level normalisation
   (NFKC full-width/compatibility forms, traditional -> simplified Chinese, spelled-out
   Greek letters -> the letter, spaces and dashes dropped) and keeps, for every folded
   char, the span of the original text it came from. Aliases and paper text go through
   the same fold, so ``TNF-α``, ``TNF⁃α``, ``TNF α``, ``TNFα`` and ``TNF-alpha`` meet;
   ``mesenchymal stem\\ncells`` and ``骨髓間充質幹細胞`` too.
2. :class:`TermMatcher` puts every alias (plus the variants of :func:`alias_variants`:
   plural/singular, Roman/Arabic numerals, NF-kB/NF-κB, British/American spelling and
   fat/adipose, a pathway under each head (Wnt信号通路 / Wnt信号 / Wnt pathway), rhX for a
   protein drug, Chinese heads such as 症, 值, 术, 蛋白) into a character trie over the
   lower-cased fold, and scans leftmost-longest from word starts and alias-initial chars.
   A candidate is kept only when it passes the checks the fold cannot express: abbreviations
   match case-sensitively ("SP" is not "sp"), a Latin alias must not start or end inside a
   longer Latin word ("OP" is not in "OPG"), a one-word Latin alias may not be glued
   from two words ("O P"), a dash-joined pair of capitals is a range of figure panels ("A-C:"
   is not AC), and a two-char Chinese match must start and end on a jieba word
   boundary (血管 is not in 心血管; jieba runs with the tables' words as user words). A match
   at least two chars longer that starts inside the current one at a Chinese word start
   takes the overlap (异体|骨髓 MSCs, 自体|骨髓间充质干细胞).
3. Abbreviations the paper defines override the global table for that paper: the long
   forms pick the concept (exact; fuzzy keeping numbers and Greek letters; the tail of a
   long form; the same English words reordered or singular; a family word dropped; or the
   table's own short form with a loosely spelled long form), and short and long forms all
   map to it, or to a paper-local id ``L:<doc_id>:<short>`` when no concept fits. A
   definition whose long forms all lack the short form's number or Greek letter
   (转化生长因子 for TGF-β1) names the family: the short form keeps its own concept and
   the long form is left to the tables.
4. Ambiguous short forms (``rules/ambiguous.tsv``) are resolved per occurrence: from cue
   words (whole words) or the concept near it, else, for a short form with two or more
   readings listed, from the whole paper; a one-reading short form (its other reading is
   outside the field: SD, standard deviation) and any short form in statistical context
   ("mean ± SD") stay unlinked with ``flag="ambiguous_short_form"``.
5. "Cause + linker + disease" pairs (SCI后骨质疏松症, GC-induced ONFH) become one composite
   mention: the table's concept when it spells the composite, else ``<disease>+<cause>``.
   Prefixes bound to a term join its mention: 人 before a Chinese cell name, "recombinant
   (human)" / 重组(人) before a protein drug. "Source tissue + cell" pairs the tables spell
   as one cell concept merge into it ("bone MSCs" = bone mesenchymal stem cells -> BMSCs).
   The head term of the same kind at the start of a longer mention (功能性电刺激 in
   功能性电刺激自行车) is emitted as an extra mention flagged ``nested``.
6. Model (NER) mentions lose to rule mentions where they overlap; noise spans
   (:func:`is_model_noise`: numbers, initials, statistic symbols, one char; author and
   affiliation sections) are dropped; the rest are normalised by a close fuzzy match, else a
   lenient lookup (:meth:`TermMatcher.lenient`: a generic head dropped, 超声波 -> 超声; an
   acronym typo, MCSs -> MSCs; a lost member number, CXCR -> CXCR4), or else get a
   paper-local id ``N:<doc_id>:<folded text>`` (one id per term across the paper, the span
   as its preferred name, flag ``new_concept``). A two-char Chinese model span must be a
   jieba word, as a rule match must.

Public API: :func:`build` (the stage), :class:`TermMatcher` (``find(text) -> [Match]``, used
for NER silver labels; ``lenient(span, label)``), :func:`fold`, :func:`fold_key`,
:meth:`Normalizer.concept_of_phrase`, :func:`is_model_noise` (which model spans are noise).

References:
    Schwartz & Hearst (2003), a simple algorithm for identifying abbreviation definitions
    in biomedical text (the abbreviation stage finds them; this stage resolves them, like
    scispaCy's ``resolve_abbreviations`` hand-off to its linker).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import compress, repeat
from operator import add

from pipeline.config import Config
from pipeline.rules import Rules, load_rules
from pipeline.types import NER_LABELS, Abbreviation, Document, Mention

# ----------------------------------------------------------------------------- folding

# Characters dropped by the fold: all dashes (PDFs and fonts use many: TNF⁃α, BM‐MSCs) and
# whitespace (line breaks inside terms, "glucocorticoid- induced", Chinese spacing).
DASHES = frozenset("-‐‑‒–—―⁃−﹣－˗⸺⸻")
# Inline-math delimiters and command backslashes that PDF-to-Markdown converters leave
# around Greek letters: "TGF-$\beta$1" folds like "TGF-β1". Dropped too.
MATH_MARKUP = frozenset("$\\")
# Spelled-out Greek letters, as in TGF-beta, TNFalpha, NF-kappaB, IFN-gamma.
GREEK_WORDS = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "kappa": "κ"}
# Word start: start, non-letter or an upper-case letter/digit (TNFalpha); word end: anything
# but a lower-case letter (kappaB, beta1, beta-catenin). "alphabet", "diabetes" stay.
_GREEK_RE = re.compile(r"(?<![a-z])(?i:(" + "|".join(GREEK_WORDS) + r"))(?![a-z])")
# Letters and digits that make a Latin "word": an alias must not start or end inside one.
_WORD_RE = re.compile(r"[A-Za-z0-9\u0370-\u03ff]")
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Folded (lower-cased) chars that are word chars: an alias starting with one starts a word.
_WORD_FOLDED = {c: True for c in "abcdefghijklmnopqrstuvwxyz0123456789" + "".join(map(chr, range(0x370, 0x400)))}

_CHAR_FOLD: dict[str, str] = {}  # original char -> folded chars ("" when dropped)
_TRANSLATE: dict[int, str] = {}  # the same, keyed by code point, for str.translate
_MULTI: set[str] = set()  # chars that fold to more than one char (ligatures, ㎎)
_WORD_CHAR: dict[str, bool] = {}  # original char -> whether its fold starts with a word char


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # opencc-python-reimplemented

    return opencc.OpenCC("t2s")


def _prime_chars(text: str) -> None:
    """Fill :data:`_CHAR_FOLD` for the new chars of ``text`` (one OpenCC call for all of them)."""
    new = [c for c in set(text) if c not in _CHAR_FOLD]
    if not new:
        return
    folded = {}
    for c in new:
        f = unicodedata.normalize("NFKC", c)
        folded[c] = "".join(ch for ch in f if not ch.isspace() and ch not in DASHES and ch not in MATH_MARKUP)
    cjk = [c for c in new if len(folded[c]) == 1 and _CJK_RE.match(folded[c])]
    if cjk:
        # One char per line: OpenCC's phrase tables never join across a line break, so the
        # conversion is char-by-char and keeps offsets aligned.
        converted = _t2s().convert("\n".join(folded[c] for c in cjk)).split("\n")
        if len(converted) == len(cjk):
            for c, s in zip(cjk, converted):
                if len(s) == 1:
                    folded[c] = s
    _CHAR_FOLD.update(folded)
    _TRANSLATE.update({ord(c): f for c, f in folded.items()})
    _MULTI.update(c for c, f in folded.items() if len(f) > 1)
    _WORD_CHAR.update({c: bool(f) and bool(_WORD_RE.match(f[0])) for c, f in folded.items()})


@dataclass(frozen=True)
class Folded:
    """A folded text: ``cased`` keeps case, ``lower`` is for lookup (same length).

    ``starts[k]``/``ends[k]`` give the original-text span of folded char ``k``.
    """

    original: str
    cased: str
    lower: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, s: int, e: int) -> tuple[int, int]:
        """Original-text span of the folded range ``[s, e)``."""
        return self.starts[s], self.ends[e - 1]


def fold(text: str) -> Folded:
    """Fold ``text`` for matching and keep the offset map back to it.

    Args:
        text: any text (a whole paper or one alias).

    Returns:
        The :class:`Folded` text.
    """
    _prime_chars(text)
    multi = bool(_MULTI) and not _MULTI.isdisjoint(text)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for m in _GREEK_RE.finditer(text):
        _fold_run(text, pos, m.start(), multi, out, starts, ends)
        out.append(GREEK_WORDS[m.group(1).lower()])
        starts.append(m.start())
        ends.append(m.end())
        pos = m.end()
    _fold_run(text, pos, len(text), multi, out, starts, ends)
    cased = "".join(out)
    return Folded(text, cased, _lower(cased), tuple(starts), tuple(ends))


def _fold_run(text: str, a: int, b: int, multi: bool, out: list, starts: list, ends: list) -> None:
    """Fold ``text[a:b]`` (no spelled-out Greek letter inside) onto ``out``/``starts``/``ends``.

    The common case runs in C (``str.translate`` and ``itertools.compress``); chars that fold
    to several chars (``multi``) take the per-char path.
    """
    if a >= b:
        return
    run = text[a:b]
    out.append(run.translate(_TRANSLATE))
    cuts = [m.start() for m in _multi_re().finditer(text, a, b)] if multi else []
    pos = a
    for cut in (*cuts, b):
        kept = list(compress(range(pos, cut), map(_CHAR_FOLD.__getitem__, text[pos:cut])))
        if cut < b:
            kept += [cut] * len(_CHAR_FOLD[text[cut]])
        starts.extend(kept)
        ends.extend(map(add, kept, repeat(1)))
        pos = cut + 1


def _multi_re() -> re.Pattern:
    """A pattern of the chars known to fold to several chars."""
    return _chars_re(frozenset(_MULTI))


def fold_cased(text: str) -> str:
    """The fold of a short phrase, case kept, without the offset map (fast, for aliases)."""
    _prime_chars(text)
    parts = []
    pos = 0
    for m in _GREEK_RE.finditer(text):
        parts.append(text[pos:m.start()].translate(_TRANSLATE))
        parts.append(GREEK_WORDS[m.group(1).lower()])
        pos = m.end()
    parts.append(text[pos:].translate(_TRANSLATE))
    return "".join(parts)


def _lower(cased: str) -> str:
    lower = cased.lower()
    return lower if len(lower) == len(cased) else "".join(c.lower() if len(c.lower()) == 1 else c for c in cased)


@lru_cache(maxsize=65536)
def fold_key(text: str) -> str:
    """The lookup key of a phrase (an alias, a long form): its lower-cased fold, cached."""
    return _lower(fold_cased(text))


def _is_word_char(c: str) -> bool:
    if c not in _WORD_CHAR:
        _prime_chars(c)
    return _WORD_CHAR[c]


def script_of(text: str) -> str:
    """'zh' when ``text`` has a CJK character, else 'en'."""
    return "zh" if _CJK_RE.search(text) else "en"


# ----------------------------------------------------------------------------- variants

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
_TO_ARABIC = {r: str(i + 1) for i, r in enumerate(ROMAN)}
_ROMAN_ALT = "|".join(sorted(ROMAN, key=len, reverse=True))
# A Roman numeral standing alone (type I collagen, MHC-II, IGF-I) and an Arabic numeral that
# plays the same role: before 型/类/期/级/度 (1型胶原) or after type/class/grade/stage/phase.
_ROMAN_RE = re.compile(rf"(?<![A-Za-z])({_ROMAN_ALT})(?![A-Za-z0-9])")
_ARABIC_RE = re.compile(
    r"(?:(?<=\btype )|(?<=\bclass )|(?<=\bgrade )|(?<=\bstage )|(?<=\bphase )|(?<=[-\s]))"
    r"(1[0-2]|[1-9])(?![0-9])(?=$|[\s型类期级度])"
    r"|(?<![0-9A-Za-z])(1[0-2]|[1-9])(?=[型类期级度])",
    re.IGNORECASE,
)
# Abbreviations only vary a numeral at their end after a separator (IGF-I / IGF-1, MHC-Ⅱ):
# a bare "IV" (intravenous) must never become "4".
_ABBR_ROMAN_RE = re.compile(rf"(?<=[A-Za-z][-\s])({_ROMAN_ALT})$")
_ABBR_ARABIC_RE = re.compile(r"(?<=[A-Za-z][-\s])(1[0-2]|[1-9])$")
# Kappa is typed as a Latin k in NF-kB, IkB, RANKL's "receptor activator of NF-kB".
_KAPPA_RE = re.compile(r"κ(?=B)")
_LATIN_KAPPA_RE = re.compile(r"(?<![a-z])k(?=B(?![a-z]))")
# Stem/stromal cells named by their source tissue, with or without "derived" (英: -derived;
# 中: 来源的, 来源, 源性): adipose(-derived) stem cells, 脂肪(来源)间充质干细胞.
_EN_DERIVED_RE = re.compile(r"^(?P<source>.+?)[- ]derived (?P<cell>.+)$", re.IGNORECASE)
_EN_CELL_HEAD_RE = re.compile(
    r"^(?P<source>.+?) (?P<cell>(?:mesenchymal |multipotent )?(?:stem|stromal|progenitor|precursor) cells?)$",
    re.IGNORECASE,
)
_ZH_CELL_HEAD_RE = re.compile(r"^(?P<source>.+?)(?P<cell>间充质干细胞|间充质基质细胞|间充质细胞|干细胞|基质细胞|祖细胞)$")
ZH_SOURCE_MARKERS = ("来源的", "来源", "源性")
ZH_TISSUE = "组织"
# Mesenchymal stem and stromal cells are one concept in use (ISCT 2005 position statement:
# "multipotent mesenchymal stromal cells"; both names abbreviate to MSCs).
MSC_SYNONYMS_EN = ("mesenchymal stem cell", "mesenchymal stromal cell")
MSC_SYNONYMS_ZH = ("间充质干细胞", "间充质基质细胞")
# Words before "stem cells" that say what kind, not where from: no "-derived" variant.
CELL_NOT_SOURCE_EN = frozenset({
    "mesenchymal", "multipotent", "pluripotent", "adult", "embryonic", "hematopoietic", "haematopoietic",
    "neural", "skeletal", "cancer", "tumor", "tumour", "induced", "somatic", "the", "of",
})
CELL_NOT_SOURCE_ZH = ("间充质", "多能", "多潜能", "成体", "胚胎", "造血", "神经", "骨骼", "肿瘤", "诱导", "的")
# Surgical removal and the operated animal: ovariectomy / ovariectomized (-ised).
EN_ECTOMY = "ectomy"
EN_ECTOMY_ADJECTIVES = ("ized", "ised")  # replace the final y
# English plural endings that are not plurals: osteoporosis, virus, mass, stimulus.
SINGULAR_S_ENDINGS = ("ss", "us", "is", "ys", "os")
# Chinese disease names are written with and without 症 (骨质疏松 / 骨质疏松症).
ZH_DISEASE_SUFFIX = "症"
# Chinese outcome measures are often written with 值 "value" (骨密度 / 骨密度值).
ZH_OUTCOME_SUFFIX = "值"
# Chinese surgical procedures are written with and without 术 (髓芯减压术 / 髓芯减压); bare
# procedure names also get 疗法 (运动 / 运动疗法). 治疗/疗法 are never stripped: the stem
# of 细胞治疗 or 基因疗法 is another (or no) concept.
ZH_PROCEDURE_STRIP = ("术",)
ZH_PROCEDURE_SUFFIXES = ("疗法", "治疗", "术")
ZH_PROCEDURE_DEFAULT = "疗法"
# ... and 治疗 and 疗法 are the same head of a therapy name (物理治疗 / 物理疗法, 超声治疗 /
# 超声疗法, 基因治疗 / 基因疗法): a procedure alias with one gets the other.
ZH_THERAPY_HEADS = ("治疗", "疗法")
# Chinese names of a protein are written with these heads (Ⅰ型胶原蛋白, MHC-Ⅱ类分子, OPG蛋白,
# RUNX2基因): the same gene_protein concept.
ZH_PROTEIN_SUFFIXES = ("蛋白", "蛋白质", "分子", "类分子", "基因")
MIN_ZH_STEM_CHARS = 2  # a stem shorter than this is not a term (术 alone)
# Heads a signalling pathway is written with, longest first (the first that ends an alias is
# swapped for the others): 医学名词 信号转导通路 and the shorter forms papers use.
PATHWAY_HEADS = {
    "zh": ("信号转导通路", "信号传导通路", "信号通路", "信号途径", "信号转导", "信号传导", "通路", "途径", "信号"),
    "en": ("signal transduction pathway", "signaling pathway", "signalling pathway", "signaling cascade",
           "signalling cascade", "pathway", "signaling", "signalling"),
}
MIN_PATHWAY_STEM_CHARS = 2  # "Wnt", "NF-κB": a stem shorter than this is no pathway name
# Recombinant forms of a protein or protein drug are the same concept (MeSH lists
# "recombinant human parathyroid hormone (1-34)" under Teriparatide): rhBMP-2 is an alias
# variant; 重组PTH1-34 and "recombinant human BMP-2" extend the mention over the prefix
# (see _with_recombinant_prefix).
RECOMBINANT_TYPES = frozenset({"drug", "gene_protein"})
RECOMBINANT_ABBR_PREFIX = "rh"
_RECOMBINANT_BEFORE_RE = re.compile(r"(?:重组人?|\b[Rr]ecombinant(?:\s+human)?)\s?$")
RECOMBINANT_LOOKBACK = 24  # chars before a mention searched for the prefix
# Chinese aliases match anywhere in running text, so one character (人, 马, 鼠) would match
# inside every other word (病人, 马克, 老鼠疮): they are left out of the matcher.
MIN_ZH_ALIAS_CHARS = 2
# A Chinese match this short must also start and end on a jieba word boundary: two
# characters are often the inside of a longer word that names something else (血管 in
# 心血管, 骨髓 in 骨髓腔, 软骨 in 软骨下). jieba knows those words (its dictionary plus the
# tables' aliases as user words); longer aliases are specific enough to match anywhere.
MAX_BOUNDED_ZH_CHARS = 2


# American and British spellings of the same words (Merriam-Webster / Oxford pairs), as
# (American, British, where): "start"/"end" of a word, a "suffix" (word end after a
# consonant: anemia, not the British anaemia), a whole "word", or "any"where. An
# English alias in one spelling also matches the other.
EN_SPELLINGS: tuple[tuple[str, str, str], ...] = (
    ("hem", "haem", "start"), ("emia", "aemia", "suffix"), ("emic", "aemic", "suffix"), ("leukem", "leukaem", "start"),
    ("estrogen", "oestrogen", "start"), ("edema", "oedema", "start"), ("esophag", "oesophag", "start"),
    ("pediatric", "paediatric", "start"), ("orthopedic", "orthopaedic", "any"), ("tumor", "tumour", "any"),
    ("signaling", "signalling", "any"), ("labeling", "labelling", "any"), ("modeling", "modelling", "any"),
    ("fiber", "fibre", "any"), ("center", "centre", "any"), ("behavior", "behaviour", "any"),
    ("color", "colour", "start"), ("ization", "isation", "any"), ("ize", "ise", "end"), ("ized", "ised", "end"),
    ("izing", "ising", "end"), ("leukocyte", "leucocyte", "any"), ("gray", "grey", "word"), ("aging", "ageing", "word"),
)
_ANCHORS = {"start": r"\b{}", "end": r"{}\b", "suffix": r"(?<=[^\Waeiou]){}\b", "word": r"\b{}\b", "any": "{}"}
_US_TO_UK = tuple((re.compile(_ANCHORS[w].format(re.escape(us))), uk) for us, uk, w in EN_SPELLINGS)
_UK_TO_US = tuple((re.compile(_ANCHORS[w].format(re.escape(uk))), us) for us, uk, w in EN_SPELLINGS)
# Words English uses interchangeably in tissue and cell names: "fat tissue" / "adipose
# tissue", "fat-derived stem cells" / "adipose-derived stem cells" (MeSH entry terms of
# Adipose Tissue list both).
EN_WORD_SYNONYMS: tuple[tuple[str, str], ...] = (("adipose", "fat"),)


def _spelling_variants(alias: str, lang: str) -> set[str]:
    """British and American spellings and word synonyms of an English alias (lower case)."""
    if lang != "en":
        return set()
    low = alias.lower()
    forms = {low}
    for table in (_US_TO_UK, _UK_TO_US):
        form = low
        for rx, repl in table:
            form = rx.sub(repl, form)
        forms.add(form)
    for a, b in EN_WORD_SYNONYMS:
        for x, y in ((a, b), (b, a)):
            forms |= {re.sub(rf"\b{x}\b", y, f) for f in list(forms)}
    forms.discard(low)
    return forms


def _numeral_variants(alias: str, lang: str) -> set[str]:
    text = unicodedata.normalize("NFKC", alias)
    if lang == "abbr":
        roman_re, arabic_re = _ABBR_ROMAN_RE, _ABBR_ARABIC_RE
    else:
        if text.strip() in ROMAN or text.strip().isdigit():
            return set()
        roman_re, arabic_re = _ROMAN_RE, _ARABIC_RE
    out = set()
    if roman_re.search(text):
        out.add(roman_re.sub(lambda m: _TO_ARABIC[m.group(1)], text))
    if arabic_re.search(text):
        out.add(arabic_re.sub(lambda m: ROMAN[int(m.group(m.lastindex)) - 1], text))
    return out


def _cell_source_variants(alias: str, lang: str) -> set[str]:
    """Cell names with and without a word for "derived from" between source and cell.

    "adipose stem cells" / "adipose-derived stem cells", "骨髓间充质干细胞" /
    "骨髓来源间充质干细胞" / "骨髓源性间充质干细胞".
    """
    out: set[str] = set()
    if lang == "en":
        m = _EN_DERIVED_RE.match(alias)
        if m:
            out.add(f"{m['source']} {m['cell']}")
        else:
            m = _EN_CELL_HEAD_RE.match(alias)
            if m and m["source"].split()[-1].lower() not in CELL_NOT_SOURCE_EN:
                out.add(f"{m['source']}-derived {m['cell']}")
        out |= {_swap(f, MSC_SYNONYMS_EN) for f in (alias, *out)}
        return out - {None}
    if lang != "zh":
        return out
    m = _ZH_CELL_HEAD_RE.match(alias)
    if m:
        source = m["source"]
        for marker in ZH_SOURCE_MARKERS:
            if source.endswith(marker):
                source = source[: -len(marker)]
                break
        if source and not source.endswith(CELL_NOT_SOURCE_ZH):
            out |= {source + marker + m["cell"] for marker in ("", *ZH_SOURCE_MARKERS)}
            # the source tissue named as a tissue: 脂肪组织来源干细胞
            tissue = source if source.endswith(ZH_TISSUE) else source + ZH_TISSUE
            out |= {tissue + marker + m["cell"] for marker in ZH_SOURCE_MARKERS}
    out |= {_swap(f, MSC_SYNONYMS_ZH) for f in (alias, *out)}
    return out - {None}


def _swap(text: str, pair: tuple[str, str]) -> str | None:
    """``text`` with one member of ``pair`` replaced by the other, or None."""
    a, b = pair
    if a in text:
        return text.replace(a, b)
    if b in text:
        return text.replace(b, a)
    return None


def _plural_variants(alias: str, lang: str) -> set[str]:
    if not alias or not alias[-1].isascii() or not alias[-1].isalpha():
        return set()
    if lang == "abbr":
        # MSC <-> MSCs; the plural 's' follows an upper-case letter or digit.
        if len(alias) > 2 and alias[-1] == "s" and not alias[-2].islower():
            return {alias[:-1]}
        if not alias[-1].islower():
            return {alias + "s"}
        return set()
    if lang != "en":
        return set()
    low = alias.lower()
    if low.endswith("ies") and len(low) > 4:
        return {alias[:-3] + "y"}
    if low.endswith(("ches", "shes", "xes", "sses")):
        return {alias[:-2]}
    if low.endswith("s") and not low.endswith(SINGULAR_S_ENDINGS):
        return {alias[:-1]}
    if low.endswith(SINGULAR_S_ENDINGS[0]) or low.endswith(("ch", "sh", "x")):
        return {alias + "es"}
    if low.endswith("y") and len(low) > 2 and low[-2] not in "aeiou":
        return {alias[:-1] + "ies"}
    if low.endswith(("is", "us", "os")):
        return set()
    return {alias + "s"}


def _pathway_variants(alias: str, lang: str) -> set[str]:
    """A signalling pathway under each of the heads it is written with (Wnt信号通路 / Wnt信号 /
    Wnt通路 / Wnt途径; Wnt signaling pathway / Wnt pathway / Wnt signalling)."""
    heads = PATHWAY_HEADS.get("zh" if lang == "zh" else "en", ())
    low = alias.lower()
    for head in heads:
        if low.endswith(head) and len(alias) - len(head) >= MIN_PATHWAY_STEM_CHARS:
            stem = alias[: len(alias) - len(head)]
            if lang != "zh" and not stem.endswith(" "):
                continue
            return {stem + h for h in heads}
    return set()


def alias_variants(alias: str, lang: str, concept_type: str = "") -> set[str]:
    """Surface variants of an alias the fold alone does not cover.

    Args:
        alias: the table alias.
        lang: ``en``, ``zh`` or ``abbr``.
        concept_type: the concept's type (disease, outcome ... add Chinese suffix variants).

    Returns:
        The alias itself plus its numeral, plural/singular and suffix variants.
    """
    forms = {alias}
    forms |= _spelling_variants(alias, lang)
    forms |= {_KAPPA_RE.sub("k", alias), _LATIN_KAPPA_RE.sub("κ", alias)}
    forms |= _numeral_variants(alias, lang)
    if concept_type == "cell":
        forms |= _cell_source_variants(alias, lang)
    for f in list(forms):
        forms |= _plural_variants(f, lang)
    if lang == "en" and alias.lower().endswith(EN_ECTOMY):
        forms |= {alias[:-1] + suffix for suffix in EN_ECTOMY_ADJECTIVES}  # ovariectomy -> ovariectomized
    pathway = _pathway_variants(alias, lang)
    forms |= pathway
    if concept_type in RECOMBINANT_TYPES and lang == "abbr" and not pathway:
        forms |= {RECOMBINANT_ABBR_PREFIX + f for f in list(forms)}  # glued: rhBMP-2
    if concept_type == "gene_protein" and lang in ("zh", "abbr") and not pathway:
        forms |= {f + x for f in list(forms) for x in ZH_PROTEIN_SUFFIXES if not f.endswith(ZH_PROTEIN_SUFFIXES)}
    if lang == "zh" and _CJK_RE.search(alias[-1:]):
        if concept_type == "disease":
            forms |= {f[:-1] if f.endswith(ZH_DISEASE_SUFFIX) else f + ZH_DISEASE_SUFFIX for f in list(forms)}
        elif concept_type == "outcome":
            forms |= {f + ZH_OUTCOME_SUFFIX for f in list(forms) if not f.endswith(ZH_OUTCOME_SUFFIX)}
        elif concept_type == "procedure":
            for f in list(forms):
                if not f.endswith(ZH_PROCEDURE_SUFFIXES):
                    forms.add(f + ZH_PROCEDURE_DEFAULT)
                for suffix in ZH_PROCEDURE_STRIP:
                    if f.endswith(suffix) and len(f) - len(suffix) >= MIN_ZH_STEM_CHARS:
                        forms.add(f[: -len(suffix)])
                for head, other in (ZH_THERAPY_HEADS, ZH_THERAPY_HEADS[::-1]):
                    if f.endswith(head) and len(f) - len(head) >= MIN_ZH_STEM_CHARS:
                        forms.add(f[: -len(head)] + other)
    return forms


# ----------------------------------------------------------------------------- matcher

# A match that starts inside another and runs past its end takes the overlap only when it is
# this many (folded) chars longer and jieba starts a Chinese word where it starts: 异体|骨髓
# MSCs, 自体|骨髓间充质干细胞. Chinese compounds share a char at a seam (成骨细胞|凋亡 against
# 骨细胞凋亡, 成骨|修复 against 骨修复), where one char more is no evidence. English matches
# start at word starts, so the leftmost one is a real term and keeps its words
# ("peripheral nerve | regeneration").
MIN_OVERTAKE_LEAD = 2

# Mention label of each concept type: the NER labels, plus the types NER does not tag.
TYPE_LABELS: dict[str, str] = {
    **{t: label for label, types in NER_LABELS.items() for t in types},
    "route": "ROUTE",
    "anatomy": "ANATOMY",
    "other": "OTHER",
}
# Concept type whose alias variants a paper-local concept of each label gets.
LABEL_TYPES: dict[str, str] = {"DISEASE": "disease", "OUTCOME": "outcome", "INTERVENTION": "procedure"}
_END = ""  # trie key of the entries that end at a node (no folded char is empty)
# A one-word Latin alias may cross a line break only after a hyphen ("osteo-\nporosis").
_GLUED_SPACE_RE = re.compile(r"(?<![-‐‑‒–—⁃−])\s")
_SEPARATOR_RE = re.compile(r"[\s\-‐‑‒–—⁃−/]")
# A hyphen and a number, Greek letter or capital after an abbreviation make a longer name of
# a family member: "IL" is not in "IL-6", "BMP" not in "BMP-2"; "MSCs-derived" is fine.
_ABBR_CONTINUATION_RE = re.compile(r"[-‐‑‒–—⁃−]\s?(?:[0-9\u0370-\u03ff]|[A-Z](?![a-z]))")
# Single capitals joined by a dash are a range of figure panels ("A-C: saline group"); the
# fold drops the dash, so an abbreviation written without one ("AC") must not match them.
_LETTER_RANGE_RE = re.compile(r"[A-Z]\s?[-‐‑‒–—⁃−]\s?[A-Z]")
_DASH_RE = re.compile(r"[-‐‑‒–—⁃−]")


@dataclass(frozen=True)
class Match:
    """One alias found in a text: ``text[start:end]`` is the matched surface."""

    start: int
    end: int
    concept_id: str | None  # None for an ambiguous short form (see ``candidates``)
    label: str
    alias: str  # the table alias that matched
    candidates: tuple[str, ...] = ()  # concept ids of an ambiguous short form
    source: str = "rule"  # "rule" (global table) or "abbreviation" (paper-defined)


@dataclass(frozen=True)
class _Entry:
    concept_id: str | None
    label: str
    alias: str
    lang: str
    cased: str  # folded alias with case (abbreviations compare it)
    compact: bool  # one Latin word: may not be glued from two words of the text
    starts_word: bool
    ends_word: bool
    candidates: tuple[str, ...] = ()
    source: str = "rule"
    variant: bool = False  # made by alias_variants, not written in a table


def _make_entry(form: str, concept_id: str | None, label: str, alias: str, lang: str,
                candidates: tuple[str, ...] = (), source: str = "rule") -> tuple[str, _Entry] | None:
    cased = fold_cased(form)
    if not cased or (lang == "zh" and len(cased) < MIN_ZH_ALIAS_CHARS):
        return None
    compact = lang != "zh" and not _SEPARATOR_RE.search(form) and not _CJK_RE.search(form)
    entry = _Entry(
        concept_id, label, alias, lang, cased, compact,
        bool(_WORD_RE.match(cased[0])), bool(_WORD_RE.match(cased[-1])), candidates, source, form != alias,
    )
    return _lower(cased), entry


def _insert(trie: dict, key: str, entry: _Entry) -> bool:
    """Add ``entry`` under ``key``; a table alias beats a generated variant of another concept.

    Returns:
        True when the key was new.
    """
    node = trie
    for ch in key:
        node = node.setdefault(ch, {})
    existing = node.get(_END)
    if existing is None:
        node[_END] = [entry]
        return True
    if any(e.concept_id == entry.concept_id and e.cased == entry.cased and e.lang == entry.lang for e in existing):
        return False
    if entry.variant and any(not e.variant for e in existing):
        return False
    if not entry.variant:
        existing[:] = [e for e in existing if not e.variant]
    # Case-sensitive abbreviations are tried first: "ALP" in capitals is the abbreviation,
    # whatever a case-folded English alias spelled "alp" would say.
    if entry.lang == "abbr":
        existing.insert(0, entry)
    else:
        existing.append(entry)
    return False


def _label_of(rules: Rules, concept_ids) -> str:
    labels = {TYPE_LABELS.get(rules.concepts[c].type, "OTHER") for c in concept_ids if c in rules.concepts}
    return labels.pop() if len(labels) == 1 else "OTHER"


def _start_positions(f: Folded, tries: tuple[dict, ...]) -> list[int]:
    """Folded positions where an alias may start, ascending.

    An alias that starts with a Latin letter, digit or Greek letter must start a word of the
    original text (see :meth:`TermMatcher._accept`), so only word starts are tried for
    those; any other char is tried where some alias starts with it (Chinese). Both lists
    come from regular expressions, so the scan runs in C, not char by char.
    """
    firsts = frozenset(c for trie in tries for c in trie if c != _END and not _WORD_FOLDED.get(c))
    positions = [m.start() for m in _chars_re(firsts).finditer(f.lower)] if firsts else []
    word = frozenset(c for c in set(f.original) if _WORD_CHAR.get(c))
    if word:
        cls = _chars_re(word).pattern
        word_start = _word_start_re(cls)
        starts = f.starts
        positions += [bisect.bisect_left(starts, m.start()) for m in word_start.finditer(f.original)]
        positions.sort()
    return positions


@lru_cache(maxsize=64)
def _chars_re(chars: frozenset[str]) -> re.Pattern:
    """A pattern matching one of ``chars``."""
    return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")


@lru_cache(maxsize=64)
def _word_start_re(cls: str) -> re.Pattern:
    return re.compile(f"(?<!{cls}){cls}")


class TermMatcher:
    """Finds every alias of the rule tables in a text (leftmost-longest, non-overlapping).

    Args:
        rules: the loaded rule tables.
        exclude_concepts: concept ids whose aliases are left out (held-out concepts for NER).
        word_bounds: check short Chinese matches against jieba word boundaries (see
            :data:`MAX_BOUNDED_ZH_CHARS`); False matches them anywhere.

    Example:
        >>> matcher = TermMatcher(load_rules("rules"))
        >>> [(m.start, m.end, m.concept_id) for m in matcher.find("骨髓間充質幹細胞 and MSCs")]
    """

    def __init__(self, rules: Rules, exclude_concepts: frozenset[str] = frozenset(), word_bounds: bool = True) -> None:
        self.rules = rules
        self.word_bounds = word_bounds
        self.exclude_concepts = frozenset(exclude_concepts)
        self._trie: dict = {}
        self._n_keys = 0
        self._fuzzy: dict[str, tuple[list[str], list[_Entry]]] = {}
        self._abbrs: dict[int, list[tuple[str, str]]] | None = None  # by length (see _one_edit)
        ambiguous: dict[str, list[str]] = defaultdict(list)
        for row in rules.ambiguous:
            if row["concept_id"] not in self.exclude_concepts:
                ambiguous[row["short"]].append(row["concept_id"])
        for row in rules.aliases:
            cid = row["concept_id"]
            if cid in self.exclude_concepts or cid not in rules.concepts:
                continue
            if row["lang"] == "abbr" and row["alias"] in ambiguous:
                continue  # a short form listed as ambiguous is resolved per paper, never global
            concept = rules.concepts[cid]
            label = TYPE_LABELS.get(concept.type, "OTHER")
            for form in alias_variants(row["alias"], row["lang"], concept.type):
                self._add(form, cid, label, row["alias"], row["lang"])
        for cid, concept in rules.concepts.items():  # preferred names are aliases too
            if cid in self.exclude_concepts:
                continue
            label = TYPE_LABELS.get(concept.type, "OTHER")
            for name, lang in ((concept.preferred_en, "en"), (concept.preferred_zh, "zh")):
                if name:
                    for form in alias_variants(name, lang, concept.type):
                        self._add(form, cid, label, name, lang)
        for short, cids in ambiguous.items():
            cands = tuple(dict.fromkeys(cids))
            for form in alias_variants(short, "abbr"):
                self._add(form, None, _label_of(rules, cands), short, "abbr", cands)

    def _add(self, form: str, cid, label, alias, lang, candidates=()) -> None:
        made = _make_entry(form, cid, label, alias, lang, candidates)
        if made is not None and _insert(self._trie, *made):
            self._n_keys += 1

    def __len__(self) -> int:
        """Number of distinct folded keys."""
        return self._n_keys

    def find(self, text: str, overlay: dict | None = None, folded: Folded | None = None) -> list[Match]:
        """Every alias in ``text``, leftmost-longest, non-overlapping.

        A longer alias that starts inside a match and runs past its end takes the overlap
        (异体骨髓 MSCs: 骨髓 MSCs, not 异体骨 + MSCs); the first match is then cut short to
        an alias that ends before it, or dropped.

        Args:
            text: the text to scan.
            overlay: a second trie (from :func:`build_overlay`) whose entries win ties:
                the paper's own abbreviation definitions.
            folded: ``fold(text)`` when the caller has it already.

        Returns:
            The matches in text order, offsets into ``text``.
        """
        f = folded if folded is not None else fold(text)
        tries = (self._trie,) if overlay is None else (overlay, self._trie)  # overlay first: it wins ties
        out: list[Match] = []
        breaks = _line_breaks(f)
        bounds = _ZhWords(f.lower, self.rules.directory, self._has_key) if self.word_bounds else None
        i = 0
        positions = _start_positions(f, tries)
        memo: dict[int, tuple[int, _Entry] | None] = {}  # position -> its longest match

        def best_at(q: int) -> tuple[int, _Entry] | None:
            if q not in memo:
                memo[q] = self._best_at(f, q, tries, breaks, bounds)
            return memo[q]

        for n, p in enumerate(positions):
            if p < i:
                continue
            best = best_at(p)
            if best is None:
                continue
            cut = self._overtaken_at(positions, n, best[0], best_at, bounds)
            if cut is not None:
                best = self._best_at(f, p, tries, breaks, bounds, max_end=cut)
                if best is None:
                    continue
            j, entry = best
            start, end = f.span(p, j)
            out.append(Match(start, end, entry.concept_id, entry.label, entry.alias, entry.candidates, entry.source))
            i = j
        return out

    @staticmethod
    def _overtaken_at(positions: list[int], n: int, j: int, best_at, bounds: _ZhWords | None) -> int | None:
        """The first start inside the match ``[positions[n], j)`` of a match that ends after
        ``j`` and is :data:`MIN_OVERTAKE_LEAD` chars longer, at a jieba word start; or None.

        ``best_at(q)`` is the longest match at position ``q`` (memoised by the caller).
        """
        p = positions[n]
        for k in range(n + 1, len(positions)):
            q = positions[k]
            if q >= j:
                return None
            alt = best_at(q)
            if alt is not None and alt[0] > j and alt[0] - q >= j - p + MIN_OVERTAKE_LEAD and (
                    bounds is not None and bounds.starts_zh_word(q)):
                return q
        return None

    def _best_at(self, f: Folded, i: int, tries: tuple, breaks: list[int] | None,
                 bounds: _ZhWords | None = None, max_end: int | None = None) -> tuple[int, _Entry] | None:
        """The longest valid match starting at folded position ``i``: ``(end, entry)``.

        ``breaks`` (folded positions that follow a line break) turns on the check of
        :meth:`_loses_across_break`; ``bounds`` the word-boundary check of short Chinese
        matches (:data:`MAX_BOUNDED_ZH_CHARS`); ``max_end`` leaves out longer matches.
        """
        s, n = f.lower, len(f.lower)
        found: list[tuple[int, int, list]] = []
        for rank, trie in enumerate(tries):
            node = trie.get(s[i])
            j = i + 1
            while node is not None:
                ends = node.get(_END)
                if ends is not None:
                    found.append((j, -rank, ends))
                if j >= n:
                    break
                node = node.get(s[j])
                j += 1
        if not found:
            return None
        if len(tries) == 1:
            found.reverse()  # one trie: found in order of length, longest last
        else:
            found.sort(reverse=True)  # longest first; at equal length the overlay first
        for j, _, entries in found:
            if max_end is not None and j > max_end:
                continue
            if j < n and f.starts[j] == f.starts[j - 1]:
                continue  # ends inside the fold of one char ("MHC-I" in the "II" of Ⅱ)
            entry = self._accept(f, i, j, entries)
            if entry is None:
                continue
            if bounds is not None and j - i <= MAX_BOUNDED_ZH_CHARS and not bounds.is_word(i, j):
                continue
            if breaks and self._loses_across_break(f, i, j, tries, breaks, bounds):
                continue
            return j, entry
        return None

    def _loses_across_break(self, f: Folded, i: int, j: int, tries: tuple, breaks: list[int],
                            bounds: _ZhWords | None = None) -> bool:
        """A match across a line break gives way to a longer term that starts after the break.

        "…自行车运动\n\n功能性电刺激疗法": the heading's last word and the next line's first
        characters happen to spell an alias (运动功能); the next line's own term wins.
        """
        for b in range(bisect.bisect_right(breaks, i), bisect.bisect_left(breaks, j)):
            alt = self._best_at(f, breaks[b], tries, None, bounds)
            if alt is not None and alt[0] > j:
                return True
        return False

    @staticmethod
    def _accept(f: Folded, i: int, j: int, entries: list[_Entry]) -> _Entry | None:
        text = f.original
        start, end = f.span(i, j)
        for entry in entries:
            if entry.lang == "abbr" and f.cased[i:j] != entry.cased:
                continue
            if entry.starts_word and start > 0 and _is_word_char(text[start - 1]):
                continue
            if entry.ends_word and end < len(text) and _is_word_char(text[end]):
                continue
            if entry.compact and _GLUED_SPACE_RE.search(text, start, end):
                continue
            if entry.lang == "abbr" and entry.ends_word and _ABBR_CONTINUATION_RE.match(text, end):
                continue
            if entry.lang == "abbr" and _LETTER_RANGE_RE.fullmatch(text, start, end) and not _DASH_RE.search(entry.alias):
                continue  # figure panels "A-C:", not the abbreviation AC
            return entry
        return None

    def head_of(self, f: Folded, start: int, end: int, overlay: dict | None = None) -> Match | None:
        """The longest alias that starts where the match ``[start, end)`` (original offsets)
        starts and ends before it ends: the head term of a longer term (功能性电刺激 in
        功能性电刺激疗法), or None."""
        i = bisect.bisect_left(f.starts, start)
        j = bisect.bisect_left(f.starts, end)
        if i >= j:
            return None
        tries = (self._trie,) if overlay is None else (overlay, self._trie)
        best = self._best_at(f, i, tries, None, None, max_end=j - 1)
        if best is None:
            return None
        k, entry = best
        s, e = f.span(i, k)
        return Match(s, e, entry.concept_id, entry.label, entry.alias, entry.candidates, entry.source)

    def _has_key(self, key: str) -> bool:
        """Whether some alias (or variant) folds to ``key``."""
        node = self._trie
        for ch in key:
            node = node.get(ch)
            if node is None:
                return False
        return _END in node

    def lookup_key(self, key: str) -> str | None:
        """The concept of a full-word alias (not an abbreviation) whose folded key is ``key``."""
        node = self._trie
        for ch in key:
            node = node.get(ch)
            if node is None:
                return None
        return next((e.concept_id for e in node.get(_END, ()) if e.concept_id and e.lang != "abbr"), None)

    def lookup(self, phrase: str) -> str | None:
        """The concept whose alias folds exactly to ``phrase`` (abbreviations: same case), else None."""
        f = fold(phrase)
        node = self._trie
        for ch in f.lower:
            node = node.get(ch)
            if node is None:
                return None
        for entry in node.get(_END, ()):
            if entry.concept_id and (entry.lang != "abbr" or entry.cased == f.cased):
                return entry.concept_id
        return None

    def fuzzy(self, phrase: str, min_ratio: float) -> tuple[str, float] | None:
        """The concept of the closest same-script alias of ``phrase`` (rapidfuzz ratio).

        Args:
            phrase: a long form or a model span.
            min_ratio: the least ratio (0-100) accepted.

        Returns:
            ``(concept_id, ratio / 100)`` or None.
        """
        from rapidfuzz import fuzz, process

        script = script_of(phrase)
        if script not in self._fuzzy:
            keys: list[str] = []
            entries: list[_Entry] = []
            self._collect(self._trie, "", script, keys, entries)
            self._fuzzy[script] = (keys, entries)
        keys, entries = self._fuzzy[script]
        query = fold_key(phrase)
        if len(query) < MIN_FUZZY_CHARS or not keys:
            return None
        marks = _number_marks(phrase)
        for _, ratio, k in process.extract(query, keys, scorer=fuzz.ratio, score_cutoff=min_ratio,
                                           limit=FUZZY_CANDIDATES):
            if _number_marks(entries[k].alias) == marks:  # IL-12 is not IL-1, type II collagen not type I
                return entries[k].concept_id, ratio / 100
        return None

    def lenient(self, phrase: str, label: str | None = None) -> tuple[str, float] | None:
        """The concept of a model span no alias spells, looked up leniently.

        In order: the span without a generic head the table term lacks (超声波 -> 超声,
        "Runx2 gene", "CXCR4s"); a Latin acronym one substitution or swap from one concept's
        abbreviation ("MCSs" -> MSCs; :data:`MIN_EDIT_ACRONYM_CHARS`); the start of exactly
        one concept's aliases of the same label ("CXCR" -> CXCR4; :data:`MAX_PREFIX_TAIL`).

        Args:
            phrase: the model span.
            label: the model's label of the span (the prefix rule needs it to agree).

        Returns:
            ``(concept_id, LENIENT_SCORE)`` or None.
        """
        span = phrase.strip()
        for stem, need in _stems(span):
            cid = self.lookup(stem)
            if cid and (need is None or TYPE_LABELS.get(self.rules.concepts[cid].type) == need):
                return cid, LENIENT_SCORE
        cid = self._one_edit(span) or (self._prefix_of(span, label) if label else None)
        return (cid, LENIENT_SCORE) if cid else None

    def _one_edit(self, span: str) -> str | None:
        """The one concept whose abbreviation is one substitution or swap from ``span``."""
        from rapidfuzz.distance import OSA

        if len(span) < MIN_EDIT_ACRONYM_CHARS or not _ACRONYM_RE.match(span) or sum(c.isupper() for c in span) < 2:
            return None
        if self._abbrs is None:
            self._abbrs = defaultdict(list)
            stack = [self._trie]
            while stack:
                node = stack.pop()
                for ch, child in node.items():
                    if ch != _END:
                        stack.append(child)
                        continue
                    for e in child:
                        if e.lang == "abbr" and e.concept_id:
                            self._abbrs[len(e.cased)].append((e.cased, e.concept_id))
        cased, marks = fold_cased(span), _number_marks(span)
        near = [(form, cid) for form, cid in self._abbrs.get(len(cased), ())
                if OSA.distance(cased, form, score_cutoff=1) == 1 and _number_marks(form) == marks]
        # Two letters swapped keep the letters: the likelier typo than a letter changed
        # ("MCSs" is MSCs, not M-CSF).
        swapped = {cid for form, cid in near if sorted(form) == sorted(cased)}
        hits = swapped or {cid for _, cid in near}
        return hits.pop() if len(hits) == 1 else None

    def _prefix_of(self, span: str, label: str) -> str | None:
        """The one concept of ``label`` whose aliases (alone) extend ``span`` by a short tail."""
        cased = fold_cased(span)
        key = _lower(cased)
        if not key:
            return None
        latin = bool(_WORD_RE.match(key[-1]))
        if len(key) < (MIN_PREFIX_LATIN_CHARS if latin else MIN_PREFIX_ZH_CHARS):
            return None
        node = self._trie
        for ch in key:
            node = node.get(ch)
            if node is None:
                return None
        found: list[tuple[str, _Entry]] = []
        stack = [(child, ch) for ch, child in node.items() if ch != _END]
        while stack:
            node, tail = stack.pop()
            found += [(tail, e) for e in node.get(_END, ())]
            if len(tail) < MAX_PREFIX_TAIL:
                stack += [(child, tail + ch) for ch, child in node.items() if ch != _END]
        if len({e.concept_id for _, e in found}) != 1:
            return None
        ok = any(
            e.concept_id and e.label == label and (_NUMBER_TAIL_RE.match(tail) if latin else tail in ZH_GENERIC_HEADS)
            and (e.lang != "abbr" or e.cased.startswith(cased))  # "CXCR" is the start of CXCR4, not of Cxcr4
            for tail, e in found
        )
        return found[0][1].concept_id if ok else None

    @staticmethod
    def _collect(node: dict, prefix: str, script: str, keys: list, entries: list) -> None:
        stack = [(node, prefix)]
        while stack:
            node, prefix = stack.pop()
            for ch, child in node.items():
                if ch == _END:
                    good = [e for e in child if e.concept_id and e.lang != "abbr" and script_of(e.alias) == script]
                    if good and len(prefix) >= MIN_FUZZY_CHARS:
                        keys.append(prefix)
                        entries.append(good[0])
                else:
                    stack.append((child, prefix + ch))


_CJK_RUN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


class _ZhWords:
    """jieba word boundaries of the Chinese runs of one folded text, tokenised on demand.

    A run (Chinese chars between non-Chinese ones) is the unit jieba segments anyway, so
    tokenising only the runs that hold a short match gives the boundaries a whole-text pass
    would. The folded text has no line breaks and is simplified Chinese, so a word broken
    by a hard wrap or written in traditional characters is segmented as one.

    A jieba word that crosses the match but is itself a table term (骨修复 across 成骨 in
    成骨修复) does not count: two terms compete there, and the matcher's leftmost-longest
    choice stands; only a word outside the tables (心血管, 性激素) vetoes the match.

    Args:
        lower: the folded text (``Folded.lower``).
        rules_dir: the rules folder, for jieba's user words.
        is_term: whether a folded word is a table term.
    """

    def __init__(self, lower: str, rules_dir, is_term) -> None:
        self.lower = lower
        self.rules_dir = str(rules_dir)
        self.is_term = is_term
        self._runs: list[tuple[int, int]] | None = None

    def is_word(self, i: int, j: int) -> bool:
        """Whether the folded range ``[i, j)`` starts and ends on word boundaries (True
        when it is not all Chinese: the Latin word checks of ``_accept`` cover that)."""
        if not _CJK_RUN_RE.fullmatch(self.lower, i, j):
            return True
        return self._no_word_across(i, i, j)

    def starts_zh_word(self, i: int) -> bool:
        """Whether a Chinese word (by jieba, whatever the word) starts at folded position ``i``."""
        if not _CJK_RUN_RE.match(self.lower, i):
            return False
        if i == 0 or not _CJK_RUN_RE.match(self.lower, i - 1):
            return True
        return self._no_word_across(i, i, terms_too=True)

    def _no_word_across(self, i: int, *cuts: int, terms_too: bool = False) -> bool:
        """Whether no jieba word of the run holding ``i`` crosses one of ``cuts`` (a word
        that is a table term does not count unless ``terms_too``)."""
        if self._runs is None:
            self._runs = [m.span() for m in _CJK_RUN_RE.finditer(self.lower)]
        k = bisect.bisect_right(self._runs, (i, len(self.lower) + 1)) - 1
        a, b = self._runs[k]
        run = self.lower[a:b]
        for x, y in _words(run, self.rules_dir):
            if any(x < c - a < y for c in cuts) and (terms_too or not self.is_term(run[x:y])):
                return False
        return True


@lru_cache(maxsize=65536)
def _words(run: str, rules_dir: str) -> tuple[tuple[int, int], ...]:
    """jieba's words (with the tables' words as user words) of a Chinese run, as offsets."""
    from pipeline.segment import tokenize  # segment owns jieba

    return tuple(tokenize(run, rules_dir))


def build_overlay(entries: list[tuple[str, str, str, str]]) -> dict:
    """A trie of paper-defined aliases for :meth:`TermMatcher.find`.

    Args:
        entries: ``(form, concept_id, label, lang)`` rows; lang is ``abbr`` for short forms.

    Returns:
        The overlay trie.
    """
    trie: dict = {}
    for form, cid, label, lang in entries:
        for variant in alias_variants(form, lang, LABEL_TYPES.get(label, "")):
            made = _make_entry(variant, cid, label, form, lang, source="abbreviation")
            if made is not None:
                _insert(trie, *made)
    return trie


# ----------------------------------------------------------------------------- the stage

# rapidfuzz ratio a paper's long form needs to take a concept it does not spell exactly.
ABBREVIATION_FUZZY_MIN = 92.0
# A model span is only linked to a concept when its text is this close to an alias: a wrong
# link merges two concept groups, which costs more than leaving a candidate unlinked.
MODEL_FUZZY_MIN = 92.0
# Fuzzy matching looks at this many closest aliases and takes the first whose numbers and
# Greek letters are those of the phrase: one digit apart is another family member
# (白细胞介素-12 is 92 from 白细胞介素-1, a different cytokine).
FUZZY_CANDIDATES = 10
_NUMBER_MARK_RE = re.compile(r"[0-9]+|[\u0370-\u03ff]")


@lru_cache(maxsize=65536)
def _number_marks(phrase: str) -> tuple[str, ...]:
    """The numbers (Roman numerals as Arabic) and Greek letters of a phrase, in order."""
    text = unicodedata.normalize("NFKC", phrase)
    text = _GREEK_RE.sub(lambda m: GREEK_WORDS[m.group(1).lower()], text)
    text = _ROMAN_RE.sub(lambda m: _TO_ARABIC[m.group(1)], text)
    return tuple(_NUMBER_MARK_RE.findall(text))
# Fuzzy ratios on very short strings are meaningless ("OP" vs "OPG" is 80).
MIN_FUZZY_CHARS = 4
# An ambiguous short form is resolved only when its best reading leads by this much.
AMBIGUOUS_MIN_LEAD = 1.0
# Cue words count as near an occurrence inside its sentence and at most this many chars
# either side: a reading is taken from near evidence first (see _resolve_ambiguous).
CUE_WINDOW = 150
CUE_NEAR_WEIGHT = 2.0
CUE_PAPER_WEIGHT = 1.0
# A short form right after "±", "mean (", 均数± ... or right before "= <number>" is a
# statistic (SD, SE, CI), not a term, in any paper.
STAT_LOOKBACK = 16
_STAT_BEFORE_RE = re.compile(r"(?:±|\+/-|\bmeans?\b|\baverage\b|均数|均值|平均值?|95\s?%)[^。.;；\n]{0,10}$", re.IGNORECASE)
_STAT_AFTER_RE = re.compile(r"\s*[=:：]\s*[-−]?\d")
# Initials after a surname are no term: "Jiang SD等[27]", "Lassen MR, Colwell CW", "Fan CM:".
_SURNAME_BEFORE_RE = re.compile(r"\b[A-Z][a-z]+(?:-[A-Z]?[a-z]+)? $")
_AUTHOR_AFTER_RE = re.compile(r"\s*(?:等|et\s+al|[,，:;；.\[(（]|$)")
# Latin cue words shorter than this must be whole words ("rat" is not in "ratio"); longer
# ones may lead a word ("thrombo" -> thrombosis, "osteoclast" -> osteoclastogenesis).
MIN_PREFIX_CUE_CHARS = 6
# Another mention of the candidate concept in the paper is strong context.
CONCEPT_PRESENT_WEIGHT = 2.0
# Label of a paper-local concept from the end of its long form (no type in the tables).
LOCAL_LABEL_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("cells", "CELL"), ("cell", "CELL"), ("细胞", "CELL"),
    ("osis", "DISEASE"), ("disease", "DISEASE"), ("injury", "DISEASE"), ("症", "DISEASE"),
    ("病", "DISEASE"), ("损伤", "DISEASE"), ("坏死", "DISEASE"),
    ("mice", "MODEL"), ("mouse", "MODEL"), ("小鼠", "MODEL"), ("大鼠", "MODEL"),
    ("factor", "GENE_PROTEIN"), ("protein", "GENE_PROTEIN"), ("receptor", "GENE_PROTEIN"), ("ligand", "GENE_PROTEIN"),
    ("因子", "GENE_PROTEIN"), ("蛋白", "GENE_PROTEIN"), ("受体", "GENE_PROTEIN"), ("配体", "GENE_PROTEIN"),
    ("density", "OUTCOME"), ("密度", "OUTCOME"), ("评分", "OUTCOME"), ("score", "OUTCOME"),
    ("therapy", "INTERVENTION"), ("stimulation", "INTERVENTION"), ("疗法", "INTERVENTION"), ("刺激", "INTERVENTION"),
    ("术", "INTERVENTION"), ("arthroplasty", "INTERVENTION"), ("scaffold", "INTERVENTION"), ("支架", "INTERVENTION"),
)
AMBIGUOUS_FLAG = "ambiguous_short_form"
# Terms in the reference list (cited titles) are linked too, so the paper's concept groups
# include them, but flagged: the tuples stage and the report leave reference sentences out.
# False drops them instead.
LINK_REFERENCE_LIST = True
REFERENCE_FLAG = "in_references"
NEW_CONCEPT_FLAG = "new_concept"  # a model span no alias is close to: a candidate for the tables
# Head terms of the same kind inside longer rule mentions are emitted too, flagged NESTED_FLAG
# (they overlap the longer mention: consumers that want one mention per span skip the flag).
EMIT_NESTED_HEADS = True
NESTED_FLAG = "nested"
# Id prefix of such a new term: "N:<doc_id>:<folded text>", one id for the term across the paper.
NEW_CONCEPT_PREFIX = "N:"

# -- model spans: noise and lenient lookup (before a new N: id is minted) --
# A model span is noise, not a term, when it is shorter than MIN_MODEL_SPAN_CHARS folded
# chars, has more digits than letters (a number, a p value "p1⁄40"), is a person's initials
# ("J.", "R. L."), is a short statistic symbol before a comparison ("P < 0.05", "OR = 1.8"),
# or lies in a section of author names, affiliations or thanks.
MIN_MODEL_SPAN_CHARS = 2
_INITIALS_RE = re.compile(r"^(?:[A-Za-z]\.?|(?:[A-Z]\.\s?){1,3}[A-Z]\.?)$")
MAX_STAT_SYMBOL_CHARS = 2  # P, OR, HR, CI, df, r: longer spans before "=" are measures (BMD = 0.8)
_STAT_COMPARISON_RE = re.compile(r"\s*[=<>≤≥＜＞]\s*[-−]?\d")
MODEL_NOISE_SECTIONS = frozenset({"authors", "acknowledgements"})
# A term holds no clause punctuation ("损伤，", "染色；收"), does not start or end on a
# hyphen ("down-", a word cut at a line end), and is no primer sequence (CAGTGTGG…).
_CLAUSE_PUNCT_RE = re.compile(r"[，。；：、！？,;:!?()（）\[\]【】]")
# Punctuation and spaces a model span takes over at its edges ("aGVHD，", "（Grafix"): trimmed
# first, so only punctuation inside the span makes it noise.
EDGE_PUNCT = frozenset("，。；：、！？,;:!?()（）[]【】\"'“”‘’ \t\n\u3000")
_EDGE_HYPHEN_RE = re.compile(r"^[-‐‑–]|[-‐‑–]$")
_PRIMER_RE = re.compile(r"^[ACGTU]{8,}$")
# The tables list the species of the field (a closed class): a model SPECIES span no species
# alias is close to is a word the model misread ("difficulty", "rural"), not a new species.
CLOSED_MODEL_LABELS = frozenset({"SPECIES"})
# Generic heads a model span may carry that the table term lacks (超声波 = 超声 + 波,
# 骨钙素蛋白, Runx2 gene): stripped, the stem is looked up exactly, and must name a concept
# of the label the head implies (硬化 of 硬化蛋白 is no protein; None: any label). A stem
# shorter than MIN_STEM_CHARS folded chars names nothing. Longest heads first.
ZH_GENERIC_HEADS: dict[str, str | None] = {
    "蛋白质": "GENE_PROTEIN", "蛋白": "GENE_PROTEIN", "基因": "GENE_PROTEIN", "因子": "GENE_PROTEIN",
    "分子": "GENE_PROTEIN", "波": None,
}
_EN_GENERIC_HEAD_RE = re.compile(r"[\s\-‐‑–]+(?:genes?|proteins?|mRNAs?)$", re.IGNORECASE)
EN_GENERIC_HEAD_LABEL = "GENE_PROTEIN"
_EN_ACRONYM_PLURAL_RE = re.compile(r"(?<=[A-Z0-9])s$")  # "CXCR4s", "BMSCs": the s is a plural
MIN_STEM_CHARS = 2
# A Latin acronym of at least MIN_EDIT_ACRONYM_CHARS chars one substitution or swap away from
# exactly one table abbreviation's concept is a typo of it ("MCSs" for MSCs). Shorter ones
# are too dense (OPG/OPN) to forgive an edit; numbers and Greek letters must agree (BMP4 is
# not BMP2), and an insertion or deletion makes another name (RANK/RANKL), so the length too.
MIN_EDIT_ACRONYM_CHARS = 4
_ACRONYM_RE = re.compile(r"^[A-Za-z0-9]+$")
# A model span that is the start of exactly one concept's aliases, of the span's own label,
# missing at most MAX_PREFIX_TAIL folded chars, is that concept: Latin spans lose only a
# number or Greek letter ("CXCR" of CXCR4; a letter makes another name: RANK/RANKL),
# Chinese spans lose a generic head ("骨形态发生" of 骨形态发生蛋白).
MAX_PREFIX_TAIL = 3
MIN_PREFIX_LATIN_CHARS = 3
MIN_PREFIX_ZH_CHARS = 3  # a two-char span is too often a common word or fragment (卷曲 "curled" of 卷曲蛋白)
_NUMBER_TAIL_RE = re.compile(r"^[0-9\u0370-\u03ff]+$")
LENIENT_SCORE = 0.9  # the score of a mention a lenient lookup linked (an exact alias scores 1.0)
# A long form whose last TAIL_MIN_COVER of chars is one alias names that alias's concept
# (the rest is a word the abbreviation finder took too many); it votes with TAIL_VOTE,
# below any exact or fuzzy reading.
TAIL_MIN_COVER = 0.6
TAIL_VOTE = 0.5
# A paper's short form that is the table's (unambiguous) short form of a concept takes that
# concept when its long form is at least this close (rapidfuzz ratio) to one of the concept's
# names: "MAP kinase" (MAPK, 64), "血管肠肽" (VIP, 80). Measured on the gold pairs of the
# abbreviation corpora: above 63 the readings agreed; below, "maltose-binding protein" (MBP,
# 62) and "microvascular decompression" (MVD, 58) were other concepts.
KNOWN_SHORT_MIN_RATIO = 63.0
# A long form reworded (words reordered, plural, a family word) votes with this weight.
REWORDED_VOTE = 0.8
# Words left out of an English word bag, and the least number of words a bag needs (one
# word is a plain alias lookup).
BAG_FUNCTION_WORDS = frozenset({"of", "the", "a", "an", "in", "for"})
MIN_BAG_WORDS = 2
_BAG_WORD_RE = re.compile(r"[a-z0-9Ͱ-Ͽ]+")
# A trailing word for "the family of": the long form names the family's concept.
_FAMILY_RE = re.compile(r"\s*(?:家族|超家族|家族成员|family|superfamily|family members)$", re.IGNORECASE)
# A long form that names no known concept is linked paper-wide only when it looks like a
# term: not shorter than this (folded), not a bare generic head noun, and (Chinese next to
# an English long form) with at least one character per English word. Shorter or generic
# ones (激酶 for ERK, 因子 for TAZ) are slips of the abbreviation finder.
MIN_LONG_FORM_CHARS = {"zh": 2, "en": 3}
ZH_GENERIC_TERMS = frozenset({
    "因子", "激酶", "蛋白", "蛋白质", "蛋白激酶", "受体", "基因", "细胞", "通道", "技术", "方法", "模型",
    "疗法", "治疗", "手术", "药物", "试剂", "指标", "评分", "信号", "通路", "分子", "物质",
})
# A model span that is one of these words alone names no particular entity: a generic head
# (ZH_GENERIC_TERMS), or a process / measure word of biomedical prose that is the head of many
# terms (成骨分化 is a term, 分化 alone is not; "osteogenic differentiation" / "differentiation").
# Written for this project from the commonest heads of MeSH process terms; QA of session 2 found
# such words among the model-only mentions (分化, 刺激, differentiation, training, severity).
MODEL_GENERIC_WORDS = ZH_GENERIC_TERMS | frozenset({
    "分化", "增殖", "凋亡", "培养", "移植", "刺激", "免疫", "含量", "面积", "沉积", "表达", "分裂", "修复", "再生",
    "损伤", "感染", "功能", "水平", "活性", "来源", "体外", "体内", "组织", "材料", "支架", "疾病",
    "cell", "cells", "differentiation", "proliferation", "apoptosis", "culture", "transplantation", "stimulation",
    "therapy", "therapies", "treatment", "treatments", "training", "disease", "diseases", "effect", "effects",
    "effectiveness", "efficiency", "score", "scores", "rate", "rates", "risk", "risks", "volume", "severity",
    "potential", "level", "levels", "index", "expression", "function", "activity", "tissue", "material",
    "scaffold", "injury", "repair", "regeneration", "infection", "self", "controlled", "surgical",
})
# Chinese names human cells with the species as a prefix of the compound: 人脐带间充质干细胞.
HUMAN_PREFIX_LABELS = frozenset({"CELL"})
HUMAN_ZH = "人"
# Words that end in 人 without naming the species of the cells after them (病人骨髓...).
ZH_REN_WORDS = frozenset({"病人", "个人", "成人", "老人", "他人", "女人", "男人", "家人", "常人", "患人", "众人"})
# Cause-disease composites: a disease mention right after a cause mention and one of these
# linkers is one (more specific) concept: "SCI后骨质疏松症", "GC-induced ONFH",
# "糖皮质激素诱导的股骨头坏死". Matched after dropping spaces and dashes, lower-cased.
CAUSE_LINKERS = frozenset({
    "后", "所致", "所致的", "引起", "引起的", "导致", "导致的", "所导致", "所导致的", "诱导", "诱导的",
    "诱发", "诱发的", "继发", "继发的", "性", "相关", "相关的", "相关性",
    "induced", "related", "associated",
})
CAUSE_LABELS = frozenset({"DISEASE", "INTERVENTION", "MODEL"})
EFFECT_LABELS = frozenset({"DISEASE"})
# How a composite may be spelled as one alias in the tables (glucocorticoid-induced
# osteoporosis, 糖皮质激素性骨质疏松症): "<cause><link><disease>", tried before a composite id
# is made up. Compared as folded keys, so spaces and hyphens do not matter.
COMPOSITE_LINKS = {"en": ("induced", "related", "associated"), "zh": ("性", "所致", "诱导的", "后", "相关", "相关性")}
# "Source + cell" pairs (bone MSCs, 脂肪 干细胞): a cell mention after another mention, with
# one of these linkers between (spaces and dashes dropped), may be one more specific cell
# concept (see Normalizer._source_cells).
SOURCE_CELL_LABELS = frozenset({"CELL"})
SOURCE_LINKERS = ("", "derived", "来源", "来源的", "源性", "源")
_LINKER_GAP_RE = re.compile(r"[\s\-‐‑‒–—⁃−]")
MAX_LINKER_CHARS = 12  # the longest linker ("-associated ") plus spaces


@dataclass(frozen=True)
class _PaperConcept:
    concept_id: str
    label: str
    preferred_en: str | None
    preferred_zh: str | None


class Normalizer:
    """The stage: a :class:`TermMatcher` built once, applied to each Document.

    Args:
        rules: the loaded rule tables.
    """

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.matcher = TermMatcher(rules)
        self._names: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"en": [], "zh": []})
        for cid, c in rules.concepts.items():
            for name, lang in ((c.preferred_en, "en"), (c.preferred_zh, "zh")):
                if name:
                    self._names[cid][lang].append(name)
        for row in rules.aliases:
            if row["lang"] in ("en", "zh") and row["concept_id"] in rules.concepts:
                self._names[row["concept_id"]][row["lang"]].append(row["alias"])
        self._bags: dict[str, str] | None = None  # built on first use (see _word_bags)
        self._cues: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
        for row in rules.ambiguous:
            cues = [fold_key(c) for c in row["context"].split(";") if c.strip()]
            self._cues[row["short"]].append((row["concept_id"], [c for c in cues if c]))

    # -- concepts -------------------------------------------------------------
    def _concept(self, cid: str) -> _PaperConcept:
        c = self.rules.concepts[cid]
        return _PaperConcept(cid, TYPE_LABELS.get(c.type, "OTHER"), c.preferred_en or None, c.preferred_zh or None)

    def concept_of_phrase(self, phrase: str, min_ratio: float = ABBREVIATION_FUZZY_MIN) -> tuple[str, float] | None:
        """The concept a whole phrase names: an exact alias match covering it, else fuzzy.

        Args:
            phrase: e.g. an abbreviation's long form or a model span.
            min_ratio: least rapidfuzz ratio for the fuzzy fallback.

        Returns:
            ``(concept_id, score)`` or None.
        """
        if not phrase or not phrase.strip():
            return None
        f = fold(phrase)
        core = [k for k, c in enumerate(f.cased) if c.isalnum()]
        matches = self.matcher.find(phrase, folded=f)
        if len(matches) == 1 and matches[0].concept_id and core:
            m = matches[0]
            if m.start <= f.starts[core[0]] and m.end >= f.ends[core[-1]]:
                return m.concept_id, 1.0
        return self.matcher.fuzzy(phrase, min_ratio)

    # -- abbreviations --------------------------------------------------------
    def _paper_abbreviations(self, doc: Document) -> tuple[dict[str, _PaperConcept], list]:
        """Concept of each short form the paper defines, and the overlay rows it implies."""
        by_short: dict[str, list[Abbreviation]] = defaultdict(list)
        for abbr in doc.abbreviations:
            if abbr.short and abbr.short.strip():
                by_short[abbr.short.strip()].append(abbr)
        chosen: dict[str, _PaperConcept] = {}
        rows: list[tuple[str, str, str, str]] = []
        for short, defs in by_short.items():
            votes: Counter = Counter()
            pairs = [(lf.strip(), d) for d in defs for lf in (d.long_en, d.long_zh) if lf and lf.strip()]
            global_short = [m.concept_id for m in self.matcher.find(short)
                            if m.concept_id and (m.start, m.end) == (0, len(short))]
            cut = [(lf, d) for lf, d in pairs if global_short and _cut_short(lf, short, d)]
            if cut:  # a long form cut short names the family, not the member
                pairs = [p for p in pairs if p not in cut]
            longs = []
            for lf, d in pairs:
                hit = self.concept_of_phrase(lf) or self._tail_concept(lf) or self._reworded_concept(lf)
                if hit:
                    votes[hit[0]] += hit[1]
                if hit or _plausible_long_form(lf, d):
                    longs.append(lf)
            if votes:
                top = max(votes.values())
                tied = [c for c, v in votes.items() if v == top]
                cid = next((c for c in tied if c in global_short), tied[0])
                concept = self._concept(cid)
            elif global_short and not pairs:
                concept = self._concept(global_short[0])  # every long form was cut short
            elif global_short and any(
                m.concept_id == global_short[0] for lf, _ in pairs for m in self.matcher.find(lf)
            ):
                concept = self._concept(global_short[0])  # the long form names it, with extra words
            elif global_short and any(self._resembles(global_short[0], lf) for lf, _ in pairs):
                concept = self._concept(global_short[0])  # the table's short form, a long form spelled loosely
            else:
                long_en = next((lf for lf in longs if script_of(lf) == "en"), None)
                long_zh = next((lf for lf in longs if script_of(lf) == "zh"), None)
                label = _local_label(long_en, long_zh)
                if label == "OTHER":  # the NER model may have tagged the short or long form
                    forms = {fold_key(x) for x in [short, *longs]}
                    label = next((m.label for m in doc.mentions if m.source == "model"
                                  and fold_key(doc.text[m.start:m.end]) in forms), label)
                concept = _PaperConcept(f"L:{doc.doc_id}:{short}", label, long_en, long_zh)
            chosen[short] = concept
            rows.append((short, concept.concept_id, concept.label, "abbr"))
            rows += [(lf, concept.concept_id, concept.label, script_of(lf)) for lf in longs]
            family = self._family_of(short, global_short[0]) if cut else None
            if family:
                rows += [(lf, family.concept_id, family.label, script_of(lf)) for lf, _ in cut]
        return chosen, rows

    def _family_of(self, short: str, member: str) -> _PaperConcept | None:
        """The family concept of a member's short form: the short form with its trailing
        numbers and Greek letters dropped one by one (TGF-β1 -> TGF-β; BMP-2 -> BMP), the
        first that names a concept other than ``member``, or None."""
        stem = short
        while True:
            cut = _TRAILING_MARK_RE.sub("", stem)
            if cut == stem or not cut:
                return None
            stem = cut
            cid = self.matcher.lookup(stem)
            if cid and cid != member:
                return self._concept(cid)

    def _resembles(self, cid: str, long_form: str) -> bool:
        """Whether a long form is close enough to a name of ``cid`` (same script) to take it,
        given that the paper's short form is the table's short form of ``cid``."""
        from rapidfuzz import fuzz

        key = fold_key(long_form)
        names = self._names[cid][script_of(long_form)]
        return any(fuzz.ratio(key, fold_key(x)) >= KNOWN_SHORT_MIN_RATIO for x in names)

    def _reworded_concept(self, long_form: str) -> tuple[str, float] | None:
        """The concept of a long form reworded: English words in another order or number
        ("density of bone minerals"), or a trailing family word dropped ("TGF-β家族").
        """
        if script_of(long_form) == "en":
            cid = self._word_bags().get(_word_bag(long_form))
            if cid:
                return cid, REWORDED_VOTE
        m = _FAMILY_RE.search(long_form)
        if m and m.start() > 0:
            hit = self.concept_of_phrase(long_form[: m.start()])
            if hit:
                return hit[0], REWORDED_VOTE
        return None

    def _word_bags(self) -> dict[str, str]:
        """English names by :func:`_word_bag` (bags two concepts share are left out)."""
        if self._bags is None:
            owners: dict[str, set[str]] = defaultdict(set)
            for cid, names in self._names.items():
                for name in names["en"]:
                    bag = _word_bag(name)
                    if bag:
                        owners[bag].add(cid)
            self._bags = {bag: next(iter(c)) for bag, c in owners.items() if len(c) == 1}
        return self._bags

    def _tail_concept(self, long_form: str) -> tuple[str, float] | None:
        """The concept a long form ends with, when extra words lead it ("运用增强型绿色荧光蛋白").

        Abbreviation finders often take a word too many on the left; the term is the tail.
        """
        f = fold(long_form)
        matches = self.matcher.find(long_form, folded=f)
        if not matches or not matches[-1].concept_id or not f.cased:
            return None
        last = matches[-1]
        covered = sum(1 for k in range(len(f.cased)) if f.starts[k] >= last.start and f.ends[k] <= last.end)
        if f.ends[-1] <= last.end and covered / len(f.cased) >= TAIL_MIN_COVER:
            return last.concept_id, TAIL_VOTE
        return None

    # -- ambiguous short forms -----------------------------------------------
    def _resolve_ambiguous(self, doc: Document, f: Folded, matches: list[Match]) -> dict[int, str | None]:
        """The reading of each ambiguous short-form occurrence, keyed by its start offset.

        An occurrence takes the reading whose cue words (or whose concept) occur near it: in
        its sentence, at most :data:`CUE_WINDOW` chars away. Without near evidence, a short
        form the table lists with two or more readings falls back to the paper-wide evidence
        (cue words anywhere, the concept named elsewhere). A short form with one reading
        listed has a competing reading outside the field (SD = standard deviation): paper-wide
        evidence does not choose between the two, so such an occurrence stays unlinked
        unless the evidence is near ("SD大鼠", "male SD rats").
        """
        by_short: dict[str, list[Match]] = defaultdict(list)
        for m in matches:
            if m.concept_id is None and m.candidates:
                by_short[m.alias].append(m)
        if not by_short:
            return {}
        concept_starts: dict[str, list[int]] = defaultdict(list)
        for m in matches:
            if m.concept_id:
                concept_starts[m.concept_id].append(m.start)
        sent_spans = [(s.start, s.end) for s in doc.sentences]
        sent_starts = [a for a, _ in sent_spans]
        resolved: dict[int, str | None] = {}
        for short, occ in by_short.items():
            readings = self._cues.get(short, [])
            paper: Counter = Counter()
            for cid, cues in readings:
                paper[cid] = CONCEPT_PRESENT_WEIGHT if concept_starts.get(cid) else 0.0
                paper[cid] += CUE_PAPER_WEIGHT * sum(1 for cue in cues if _find_cue(f, cue, 0, len(f.lower)))
            fallback = _leader(paper) if len(readings) > 1 else None
            for m in occ:
                if _STAT_BEFORE_RE.search(f.original, max(0, m.start - STAT_LOOKBACK), m.start) or \
                        _STAT_AFTER_RE.match(f.original, m.end):
                    resolved[m.start] = None  # "mean ± SD", "SD = 1.2": a statistic, whatever the paper is about
                    continue
                if _SURNAME_BEFORE_RE.search(f.original, max(0, m.start - STAT_LOOKBACK), m.start) and \
                        _AUTHOR_AFTER_RE.match(f.original, m.end):
                    resolved[m.start] = None  # "Jiang SD等[27]", "Fan CM: ...": a person's initials
                    continue
                lo, hi = _near_span(m, sent_spans, sent_starts, len(f.original))
                a, b = self._folded_index(f, lo), self._folded_index(f, hi)
                near: Counter = Counter()
                for cid, cues in readings:
                    starts = concept_starts.get(cid, ())
                    k = bisect.bisect_left(starts, lo) if starts else 0
                    near[cid] = CONCEPT_PRESENT_WEIGHT if k < len(starts) and starts[k] < hi else 0.0
                    near[cid] += CUE_NEAR_WEIGHT * sum(1 for cue in cues if _find_cue(f, cue, a, b))
                resolved[m.start] = _leader(near) or fallback
        return resolved

    @staticmethod
    def _folded_index(f: Folded, offset: int) -> int:
        return bisect.bisect_left(f.starts, max(0, offset))

    # -- the stage ------------------------------------------------------------
    def __call__(self, doc: Document) -> Document:
        text = doc.text
        chosen, rows = self._paper_abbreviations(doc)
        overlay = build_overlay(rows) if rows else None
        f = fold(text)
        matches = self.matcher.find(text, overlay=overlay, folded=f)
        refs = [(s.start, s.end) for s in doc.sections if s.category == "references"]
        skip = [] if LINK_REFERENCE_LIST else refs
        matches = [m for m in matches if not _inside(m.start, skip)]
        resolved = self._resolve_ambiguous(doc, f, matches)
        local = {c.concept_id: c for c in chosen.values()}
        sent_starts = [s.start for s in doc.sentences]

        mentions: list[Mention] = []
        for m in matches:
            flag = None
            cid = m.concept_id
            if cid is None and m.candidates:
                cid = resolved.get(m.start)
                flag = None if cid else AMBIGUOUS_FLAG
            concept = local.get(cid) or (self._concept(cid) if cid in self.rules.concepts else None)
            mentions.append(Mention(
                start=m.start, end=m.end, text=text[m.start:m.end],
                label=concept.label if concept else m.label, source=m.source, concept_id=cid,
                preferred_en=concept.preferred_en if concept else None,
                preferred_zh=concept.preferred_zh if concept else None,
                score=1.0, sent_id=_sent_id(doc, sent_starts, m.start), flag=flag,
            ))
        mentions = self._composites(text, mentions, local)
        mentions = self._source_cells(text, mentions, local)
        mentions = _with_human_prefix(text, mentions)
        mentions = self._with_recombinant_prefix(text, mentions)
        if EMIT_NESTED_HEADS:
            mentions += self._nested_heads(doc, f, mentions, overlay, local, sent_starts)
        mentions += self._model_mentions(doc, mentions, overlay, local, sent_starts, skip, f)
        if refs and LINK_REFERENCE_LIST:
            mentions = [replace(m, flag=m.flag or REFERENCE_FLAG) if _inside(m.start, refs) else m for m in mentions]
        mentions.sort(key=lambda x: (x.start, -x.end))
        abbreviations = tuple(
            replace(a, concept_id=chosen[a.short.strip()].concept_id) if a.short.strip() in chosen else a
            for a in doc.abbreviations
        )
        return replace(doc, mentions=tuple(mentions), abbreviations=abbreviations)

    # -- composites -----------------------------------------------------------
    def _composites(self, text: str, mentions: list[Mention], local: dict) -> list[Mention]:
        """Merge "cause + linker + disease" mention pairs into one composite mention."""
        out: list[Mention] = []
        i = 0
        while i < len(mentions):
            a = mentions[i]
            b = mentions[i + 1] if i + 1 < len(mentions) else None
            if (
                b is not None and a.concept_id and b.concept_id and a.concept_id != b.concept_id
                and a.label in CAUSE_LABELS and b.label in EFFECT_LABELS
                and 0 < b.start - a.end <= MAX_LINKER_CHARS
                and _LINKER_GAP_RE.sub("", text[a.end:b.start]).lower() in CAUSE_LINKERS
            ):
                out.append(self._compose(text, a, b, local))
                i += 2
                continue
            out.append(a)
            i += 1
        return out

    def _compose(self, text: str, a: Mention, b: Mention, local: dict) -> Mention:
        names_a, names_b = self._names_of(a, local), self._names_of(b, local)
        cid = None
        for lang, links in COMPOSITE_LINKS.items():
            for x in names_a[lang]:
                for y in names_b[lang]:
                    for link in links:
                        cid = cid or self.matcher.lookup_key(fold_key(x) + fold_key(link) + fold_key(y))
        if cid and cid in self.rules.concepts:
            c = self._concept(cid)
            pref_en, pref_zh = c.preferred_en, c.preferred_zh
        else:
            cid = f"{b.concept_id}+{a.concept_id}"
            pref_en = f"{a.preferred_en}-induced {b.preferred_en}" if a.preferred_en and b.preferred_en else None
            pref_zh = f"{a.preferred_zh}所致{b.preferred_zh}" if a.preferred_zh and b.preferred_zh else None
        return Mention(
            start=a.start, end=b.end, text=text[a.start:b.end], label=b.label, source=b.source,
            concept_id=cid, preferred_en=pref_en, preferred_zh=pref_zh, score=min(a.score, b.score),
            sent_id=a.sent_id, flag=None,
        )

    def _nested_heads(self, doc, f: Folded, mentions: list[Mention], overlay, local, sent_starts) -> list[Mention]:
        """The head terms of longer rule mentions, as extra mentions flagged :data:`NESTED_FLAG`.

        A long term often holds a shorter one at its start that the paper never writes
        alone (功能性电刺激 in 功能性电刺激疗法 and 功能性电刺激自行车); readers and the concept
        groups still look for it. Only a head of the same kind (label) as the mention counts:
        a less specific name of the same thing. A head of another kind is a modifier of the
        term (骨髓 of 骨髓间充质干细胞, 股骨头 of 股骨头坏死), not a mention of its own.
        """
        out = []
        for m in mentions:
            if not m.concept_id or m.source == "model":
                continue
            head = self.matcher.head_of(f, m.start, m.end, overlay)
            if head is None or not head.concept_id:
                continue
            cid = head.concept_id
            concept = local.get(cid) or (self._concept(cid) if cid in self.rules.concepts else None)
            if (concept.label if concept else head.label) != m.label:
                continue
            out.append(Mention(
                start=head.start, end=head.end, text=doc.text[head.start:head.end],
                label=concept.label if concept else head.label, source=head.source, concept_id=cid,
                preferred_en=concept.preferred_en if concept else None,
                preferred_zh=concept.preferred_zh if concept else None,
                score=1.0, sent_id=m.sent_id, flag=NESTED_FLAG,
            ))
        return out

    def _source_cells(self, text: str, mentions: list[Mention], local: dict) -> list[Mention]:
        """Merge "source tissue + cell" mention pairs the tables name as one cell concept.

        "bone MSCs" is bone + MSCs; spelled out with a name of the cell concept it is "bone
        mesenchymal stem cells", an alias of the bone-marrow MSC concept. The pair becomes
        one mention of that concept (whatever the linker: space, hyphen, -derived, 来源的).
        A cell as the source (MSCs 来源的外泌体) stays two mentions: the cell and its product
        are each a concept a reader looks for.
        """
        out: list[Mention] = []
        for b in mentions:
            a = out[-1] if out else None
            if (
                a is not None and b.label in SOURCE_CELL_LABELS and a.label not in SOURCE_CELL_LABELS
                and a.concept_id and b.concept_id
                and a.concept_id != b.concept_id and 0 <= b.start - a.end <= MAX_LINKER_CHARS
                and _LINKER_GAP_RE.sub("", text[a.end:b.start]).lower() in SOURCE_LINKERS
            ):
                cid = self._source_cell_concept(text[a.start:a.end], b, local)
                if cid is not None:
                    c = self._concept(cid)
                    out[-1] = replace(b, start=a.start, text=text[a.start:b.end], concept_id=cid, label=c.label,
                                      preferred_en=c.preferred_en, preferred_zh=c.preferred_zh)
                    continue
            out.append(b)
        return out

    def _source_cell_concept(self, source: str, cell: Mention, local: dict) -> str | None:
        """The cell concept the tables spell as the source's surface + a linker + the cell's
        surface or a name of its concept (the source by its surface only: "bone" is not
        every name of bone)."""
        names = self._names_of(cell, local)
        head = fold_key(source)
        for tail in dict.fromkeys(fold_key(x) for x in (cell.text, *names["en"], *names["zh"])):
            for link in SOURCE_LINKERS:
                cid = self.matcher.lookup_key(head + fold_key(link) + tail)
                if cid and cid != cell.concept_id and cid in self.rules.concepts \
                        and TYPE_LABELS.get(self.rules.concepts[cid].type) in SOURCE_CELL_LABELS:
                    return cid
        return None

    def _with_recombinant_prefix(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """Extend protein and drug mentions over a "recombinant (human)" / 重组(人) before them."""
        out: list[Mention] = []
        for m in mentions:
            concept = self.rules.concepts.get(m.concept_id or "")
            if concept is not None and concept.type in RECOMBINANT_TYPES:
                before = _RECOMBINANT_BEFORE_RE.search(text, max(0, m.start - RECOMBINANT_LOOKBACK), m.start)
                if before and not (out and out[-1].start < before.start() < out[-1].end):
                    while out and out[-1].start >= before.start():  # "human" of "recombinant human"
                        out.pop()
                    m = replace(m, start=before.start(), text=text[before.start():m.end])
            out.append(m)
        return out

    def _names_of(self, m: Mention, local: dict) -> dict[str, list[str]]:
        if m.concept_id in self.rules.concepts:
            return self._names[m.concept_id]
        return {"en": [m.preferred_en] if m.preferred_en else [], "zh": [m.preferred_zh] if m.preferred_zh else []}

    def _model_mentions(self, doc, rule_mentions, overlay, local, sent_starts, skip, f: Folded) -> list[Mention]:
        """Model spans no rule mention overlaps, normalised when an alias is close (none in ``skip``).

        Noise spans (:func:`is_model_noise`, :data:`MODEL_NOISE_SECTIONS`) are dropped.

        A short Chinese span must be a word, as a rule match must (:data:`MAX_BOUNDED_ZH_CHARS`):
        "殖率" of 增殖率, "蛋白" of 蛋白质 are pieces of words, not terms.
        """
        bounds = _ZhWords(f.lower, self.rules.directory, self.matcher._has_key) if self.matcher.word_bounds else None
        taken = sorted((m.start, m.end) for m in rule_mentions)
        starts = [s for s, _ in taken]
        out = []
        seen: dict[str, tuple[str, float | None]] = {}  # folded span -> (concept, ratio)
        new: dict[str, _PaperConcept] = {}
        noise_sections = [(s.start, s.end) for s in doc.sections if s.category in MODEL_NOISE_SECTIONS]
        for m in doc.mentions:
            if m.source != "model" or _inside(m.start, skip):
                continue
            m = _trimmed(doc.text, m)
            m = self._known_before_hyphen(doc.text, m)
            if is_model_noise(doc.text, m.start, m.end) or _inside(m.start, noise_sections):
                continue
            k = bisect.bisect_left(starts, m.end)
            if any(s < m.end and e > m.start for s, e in taken[max(0, k - 64):k]):
                continue  # the rules found this span (or part of it): rules win
            span = doc.text[m.start:m.end]
            key = fold_key(span)
            if bounds is not None and len(key) <= MAX_BOUNDED_ZH_CHARS:
                i, j = self._folded_index(f, m.start), self._folded_index(f, m.end)
                if not bounds.is_word(i, j):
                    continue
            if key not in seen:
                seen[key] = self._model_concept(doc, span, m.label, overlay, local, new)
            cid, ratio = seen[key]
            if cid in new and m.label in CLOSED_MODEL_LABELS:
                continue
            concept = local.get(cid) or new.get(cid) or (self._concept(cid) if cid in self.rules.concepts else None)
            out.append(Mention(
                start=m.start, end=m.end, text=span, label=m.label, source="model", concept_id=cid,
                preferred_en=concept.preferred_en if concept else None,
                preferred_zh=concept.preferred_zh if concept else None,
                score=m.score if ratio is None else ratio, sent_id=_sent_id(doc, sent_starts, m.start),
                flag=m.flag or (NEW_CONCEPT_FLAG if cid in new else None),
            ))
        return out

    def _known_before_hyphen(self, text: str, m: Mention) -> Mention:
        """A model span ending on a hyphen ("RANKL-" of RANKL-/RANK) without the hyphen when
        what is left is a table term; else ``m`` (an edge hyphen makes it noise)."""
        if m.end - m.start > 1 and text[m.end - 1] in DASHES:
            cut = text[m.start:m.end - 1]
            if self.matcher.lookup(cut):
                return replace(m, end=m.end - 1, text=cut)
        return m

    def _model_concept(self, doc, span, label, overlay, local, new) -> tuple[str, float | None]:
        """The concept of a model span: an alias spelling it whole, a close fuzzy alias, or a
        lenient match (:meth:`lenient`), or a new paper-local concept ``N:<doc_id>:<key>``
        (added to ``new``) that every span of the same term in the paper shares.

        Returns:
            ``(concept_id, fuzzy ratio or None)``.
        """
        exact = self.matcher.find(span, overlay=overlay)
        if len(exact) == 1 and exact[0].concept_id and exact[0].end - exact[0].start == len(span.strip()):
            return exact[0].concept_id, None
        hit = self.matcher.fuzzy(span, MODEL_FUZZY_MIN) or self.matcher.lenient(span, label)
        if hit:
            return hit
        term = span.strip()
        cid = f"{NEW_CONCEPT_PREFIX}{doc.doc_id}:{_new_concept_key(term)}"
        if cid not in new:
            zh = script_of(term) == "zh"
            new[cid] = _PaperConcept(cid, "OTHER", None if zh else term, term if zh else None)
        return cid, None


def is_model_noise(text: str, start: int, end: int) -> bool:
    """Whether a model span of ``text`` is noise rather than a term (see :data:`MIN_MODEL_SPAN_CHARS`).

    Only the span and its right context are read: a span too short, mostly digits, a
    person's initials, clause punctuation, a word cut at a hyphen, a primer sequence, a
    generic head or process word alone (:data:`MODEL_GENERIC_WORDS`: 因子, 分化, differentiation), or a
    statistic symbol before a
    comparison. Sections of author names and affiliations are checked by the stage
    (:data:`MODEL_NOISE_SECTIONS`).

    Args:
        text: the document text.
        start: the span start (char offset).
        end: the span end (char offset).

    Returns:
        True when the span should not become a mention.
    """
    span = text[start:end].strip()
    if len(fold_key(span)) < MIN_MODEL_SPAN_CHARS:
        return True
    digits = sum(c.isdigit() for c in span)
    letters = sum(c.isalpha() for c in span)
    if letters == 0 or digits > letters:
        return True
    if _INITIALS_RE.match(span) or _CLAUSE_PUNCT_RE.search(span) or _EDGE_HYPHEN_RE.search(span):
        return True
    if _PRIMER_RE.match(span) or fold_key(span) in MODEL_GENERIC_WORDS:
        return True
    return len(span) <= MAX_STAT_SYMBOL_CHARS and bool(_STAT_COMPARISON_RE.match(text, end))


def _trimmed(text: str, m: Mention) -> Mention:
    """``m`` without the :data:`EDGE_PUNCT` chars at its edges (``m`` itself when none)."""
    start, end = m.start, m.end
    while start < end and text[start] in EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in EDGE_PUNCT:
        end -= 1
    return m if (start, end) == (m.start, m.end) else replace(m, start=start, end=end, text=text[start:end])


def _stems(span: str) -> list[tuple[str, str | None]]:
    """``span`` without the generic head it ends with (:data:`ZH_GENERIC_HEADS`, an English
    "gene"/"protein"/"mRNA" word, an acronym's plural s), each with the label its concept
    must have (None: any), when the stem is long enough."""
    stems = []
    head = next((h for h in ZH_GENERIC_HEADS if span.endswith(h)), None)
    if head:
        stems.append((span[: -len(head)], ZH_GENERIC_HEADS[head]))
    m = _EN_GENERIC_HEAD_RE.search(span)
    if m:
        stems.append((span[: m.start()], EN_GENERIC_HEAD_LABEL))
    m = _EN_ACRONYM_PLURAL_RE.search(span)
    if m:
        stems.append((span[: m.start()], None))
    return [(s, need) for s, need in stems if len(fold_key(s)) >= MIN_STEM_CHARS]


def _word_bag(phrase: str) -> str:
    """English words of a phrase, singular, without function words, sorted: one key for
    "bone mineral density", "density of bone minerals" and "Bone-mineral density"."""
    text = _GREEK_RE.sub(lambda m: f" {GREEK_WORDS[m.group(1).lower()]} ", unicodedata.normalize("NFKC", phrase))
    words = []
    for w in _BAG_WORD_RE.findall(text.lower()):
        if w in BAG_FUNCTION_WORDS:
            continue
        singular = _plural_variants(w, "en") if w.endswith("s") else set()
        words.append(min(singular, key=len) if singular else w)
    return " ".join(sorted(words)) if len(words) >= MIN_BAG_WORDS else ""


def _new_concept_key(term: str) -> str:
    """The key of a new term: its fold, an English plural made singular ("widgets" -> "widget")."""
    singular = [v for v in _plural_variants(term, "en") if len(v) < len(term)] if script_of(term) == "en" else []
    return fold_key(singular[0] if singular else term)


# One trailing number or Greek letter of a short form, with the dash before it (TGF-β1 -> TGF-β).
_TRAILING_MARK_RE = re.compile(r"[-‐‑–\s]?(?:[0-9]+|[\u0370-\u03ff])$")


def _marks(phrase: str) -> set[str]:
    """The numbers and Greek letters of a phrase, Roman numerals and spelled Greek as in
    :func:`_number_marks` of the fold ("type II", "beta 1" -> {"2"}, {"β", "1"})."""
    text = _ROMAN_RE.sub(lambda m: _TO_ARABIC[m.group(1)], unicodedata.normalize("NFKC", phrase))
    return set(_number_marks(fold_cased(text)))


def _cut_short(long_form: str, short: str, definition: Abbreviation) -> bool:
    """Whether a long form lacks numbers or Greek letters its short form has ("转化生长因子"
    for TGF-β1, "bone morphogenetic protein" for BMP-2) and so does every long form of its
    definition. Such a long form names the family (the abbreviation finder or the author cut
    it before the member's mark): it must not take the member's concept, nor the member the
    family's. When the definition's other language has the mark ("分泌型卷曲相关蛋白" beside
    "secreted frizzled-related protein 5"), the author names the member so, and it stays."""
    own = _marks(short)
    return bool(own) and all(
        _marks(lf) < own for lf in (long_form, definition.long_en, definition.long_zh) if lf and lf.strip()
    )


def _plausible_long_form(long_form: str, definition: Abbreviation) -> bool:
    """Whether a long form that names no known concept looks like a term worth linking."""
    key = fold_key(long_form)
    script = script_of(long_form)
    if len(key) < MIN_LONG_FORM_CHARS[script]:
        return False
    if script == "zh":
        if key in ZH_GENERIC_TERMS:
            return False
        if definition.long_en and long_form == (definition.long_zh or "").strip():
            n_words = len(re.findall(r"[A-Za-z]+", definition.long_en))
            if len(_CJK_RE.findall(long_form)) < n_words:
                return False
    return True


def _local_label(long_en: str | None, long_zh: str | None) -> str:
    for form in (long_en, long_zh):
        if form:
            low = form.strip().lower()
            for suffix, label in LOCAL_LABEL_SUFFIXES:
                if low.endswith(suffix):
                    return label
    return "OTHER"


def _with_human_prefix(text: str, mentions: list[Mention]) -> list[Mention]:
    """Extend Chinese cell mentions over the 人 right before them (人脐带间充质干细胞).

    In Chinese the species is a bound prefix of the compound; English "human" stays a
    word (and a species mention) of its own.
    """
    out: list[Mention] = []
    for m in mentions:
        if (
            m.label in HUMAN_PREFIX_LABELS and m.start >= 1 and text[m.start - 1] == HUMAN_ZH
            and text[max(0, m.start - 2):m.start] not in ZH_REN_WORDS
            and not (out and out[-1].end > m.start - 1)
        ):
            m = replace(m, start=m.start - 1, text=text[m.start - 1:m.end])
        out.append(m)
    return out


def _line_breaks(f: Folded) -> list[int]:
    """Folded positions whose char follows a line break in the original text (ascending)."""
    out = []
    pos = f.original.find("\n")
    while pos >= 0:
        k = bisect.bisect_left(f.starts, pos)
        if k < len(f.starts) and (not out or out[-1] != k):
            out.append(k)
        pos = f.original.find("\n", pos + 1)
    return out


def _leader(scores: Counter) -> str | None:
    """The best-scored key when it is above zero and leads the next by :data:`AMBIGUOUS_MIN_LEAD`."""
    ranked = scores.most_common(2)
    if ranked and ranked[0][1] > 0 and (len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= AMBIGUOUS_MIN_LEAD):
        return ranked[0][0]
    return None


def _near_span(m: Match, sent_spans: list[tuple[int, int]], sent_starts: list[int], n: int) -> tuple[int, int]:
    """The text around an occurrence where cue words count as near: its sentence, clipped to
    :data:`CUE_WINDOW` chars either side (the whole window when sentences are unknown)."""
    lo, hi = max(0, m.start - CUE_WINDOW), min(n, m.end + CUE_WINDOW)
    k = bisect.bisect_right(sent_starts, m.start) - 1
    if k >= 0 and sent_spans[k][0] <= m.start < sent_spans[k][1]:
        lo, hi = max(lo, sent_spans[k][0]), min(hi, max(sent_spans[k][1], m.end))
    return lo, hi


def _find_cue(f: Folded, cue: str, a: int, b: int) -> bool:
    """Whether the folded cue occurs in ``f.lower[a:b]`` as a word.

    A Latin cue must start a word of the original text ("rat" is not in "separate"), and a
    short one must also end it, a plural s/es allowed ("rats", not "ratio"); a longer one
    may lead a word ("thrombo" in "thrombosis"). Chinese cues match anywhere.
    """
    s, text, n = f.lower, f.original, len(f.original)
    latin_start, latin_end = bool(_WORD_RE.match(cue[0])), bool(_WORD_RE.match(cue[-1]))
    k = s.find(cue, a, b)
    while k >= 0:
        start = f.starts[k]
        if not (latin_start and start > 0 and _is_word_char(text[start - 1])):
            if not latin_end or len(cue) >= MIN_PREFIX_CUE_CHARS:
                return True
            end = f.ends[k + len(cue) - 1]
            for tail in ("", "s", "es"):
                if text[end:end + len(tail)].lower() == tail and (
                        end + len(tail) >= n or not _is_word_char(text[end + len(tail)])):
                    return True
        k = s.find(cue, k + 1, b)
    return False


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= offset < e for s, e in spans)


def _sent_id(doc: Document, sent_starts: list[int], offset: int) -> int:
    k = bisect.bisect_right(sent_starts, offset) - 1
    if k >= 0 and doc.sentences[k].start <= offset < doc.sentences[k].end:
        return doc.sentences[k].sent_id
    return -1


@lru_cache(maxsize=4)
def _normalizer(rules_dir: str, digest: str) -> Normalizer:
    return Normalizer(load_rules(rules_dir))


def build(config: Config) -> Normalizer:
    """Build the stage once per process (the matcher is cached per rules folder and digest).

    Args:
        config: run settings; ``config.rules_dir`` names the rule tables.

    Returns:
        A callable ``Document -> Document`` that sets ``mentions`` and ``Abbreviation.concept_id``.
    """
    rules = load_rules(config.rules_dir)
    return _normalizer(str(config.rules_dir), rules.digest)
