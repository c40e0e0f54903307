"""Abbreviation definitions, Chinese and English.

Finds every abbreviation a paper defines and where it defines it. Sets
``Document.abbreviations`` (one :class:`~pipeline.types.Abbreviation` per distinct
definition, at its first position; ``concept_id`` is left for ``normalize``).

Forms found (the ``form`` field of each record):

- ``zh_en_short``: 中文术语（english long form, SHORT） in full- or half-width brackets;
- ``zh_short``: 中文术语(SHORT), no English long form;
- ``en_short``: english long form (SHORT), matched letter by letter;
- ``short_en``: SHORT (english long form), the reverse order;
- ``short_zh``: SHORT（中文术语）, the reverse order with a Chinese long form;
- ``glossary``: glossary lines and table notes, ``BMD, bone mineral density; OVX, ovariectomy``
  or ``注：BMD：骨密度；OVX：去卵巢``, and the one-item-per-line lists under an 'Abbreviations'
  (缩略语) heading that journals print at the end of a paper.

English long forms are found with the Schwartz–Hearst algorithm (short-form characters
matched right to left in the words before the bracket, the first one at the start of a
word), widened the way Ab3P widens it: Greek letters, digits and hyphens in the short
form, plural ``s``, letters inside words, digits spelt as number words or Roman numerals
('three-dimensional (3D)', 'collagen type II alpha 1 (COL2A1)'), chemical groups
('8-hydroxy…' for 8-OHdG), the X of surgical removals ('ovariectomized (OVX)'), and filters
that reject brackets which are not definitions (numbers, p-values, citations, units,
``e.g.``, ``n = 10``). A short form the rule tables give to one concept is also defined by
any of that concept's names right before its bracket, whether or not the letters spell it
('Runt-related transcription factor 2 (Runx2)', 'Western Ontario and McMaster Universities
Osteoarthritis Index (WOMAC)', '核心结合因子α1(Runx2)'); an English name must start with the short
form's first letter or hold its letters as word initials in another order ('N-terminal propeptide of
type I procollagen (P1NP)'), so that a synonym ('serotonin (5-HT)') is not taken for its spelling.
Long forms may hold an article after a preposition ('area under the curve (AUC)'), open with the
short form as a hyphen prefix ('LDL-cholesterol (LDL)') and end with a bracketed remark that adds
initials ('drotrecogin alfa (activated) (DrotAA)').
The Chinese long form is the run of term characters before the bracket, cut at punctuation, function words
and verbs, and bounded by the size of the English long form or of the short form.

The Chinese left edge is then aligned with the short form and the English long form: words
that open a noun phrase before the term (species 豚鼠/大鼠, samples 血清/尿, populations
成人/患者, modifiers 先天性, verbs and prepositions 行/经, the time word 后) are trimmed unless
the English long form says them or the short form starts with their initial (``hUC-MSCs``
keeps 人); section labels (目的/方法/结果/结论), locatives (在…中), a modal + effect verb
('可提高', '能够显著降低'), arm words ('治疗组', 'A组') and title lines end the term; a Latin prefix glued to the Chinese is kept when the short or English form starts with
it ('c-Jun氨基末端激酶', 'FGF受体'). English long forms damaged by conversion are repaired:
LaTeX Greek letters (:func:`delatex`), dropped spaces (:func:`unglue`, with the paper's own
words and the English names in ``rules/``), and a head noun the English lost ('Schwann' ->
'Schwann cells' for 雪旺细胞, SCs).

:func:`find_definitions` works on any string and reports offsets into it; the stage
built by :func:`build` runs :func:`paper_definitions` on ``Document.text``, which merges the
definitions per paper: one short form written twice with near-identical long forms (a typo
'stem cels', a Chinese term cut before its code) is one row, two meanings stay two rows.

References:
    Schwartz, A. S. & Hearst, M. A. (2003). A simple algorithm for identifying abbreviation
    definitions in biomedical text. Pacific Symposium on Biocomputing 8: 451-462.
    Sohn, S., Comeau, D. C., Kim, W. & Wilbur, W. J. (2008). Abbreviation definition
    identification based on automatic precision estimates. BMC Bioinformatics 9: 402 (Ab3P).
"""

from __future__ import annotations

import functools
import math
import re
import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from pipeline.config import Config
from pipeline.types import Abbreviation, Document

# ---------------------------------------------------------------------------
# Character classes
# ---------------------------------------------------------------------------
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_GREEK = "\u0370-\u03ff"
# Roman numerals as single code points (Ⅰ型胶原, MHC-Ⅱ) behave like term characters.
_ROMAN = "\u2160-\u217f"
CJK_RE = re.compile(f"[{_CJK}]")

# Chinese papers use full-width brackets, English ones half-width; PDF conversion mixes them.
OPEN_PARENS = "(（["
CLOSE_PARENS = ")）]"
# A bracket longer than this is a remark, not a definition (the longest English long form
# plus short form seen in a Chinese bracket is about 60 characters).
MAX_PAREN_CHARS = 150
# A bracket followed by a charge, or glued to a Latin letter and followed by a count, is part of
# a chemical formula or a sequence motif: '(BrCO)+', 'Ca(BTZ)2', 'DG(X)2'. A count after a spaced
# bracket is a family member: 'Src homology (SH)2', '(ERK)1/2'.
FORMULA_CHARGE_RE = re.compile(r"\+")
# In Chinese text a bracket glued to one free lower-case letter is a quantity: 'm(MgO)∶m(EG)'. A
# capital there ends a term ('神经肽Y(NPY)', '生长因子-I(IGF-I)', '蛋白激酶 B(p-Akt)').
QUANTITY_NOTATION_RE = re.compile(r"(?<![A-Za-z0-9\-])[a-z][(（]$")
FORMULA_COUNT_RE = re.compile(r"[0-9]")
# Separators between the English long form and the short form inside one bracket:
# 骨质疏松（osteoporosis, OP）, （spinal cord injury，SCI）, （…; OVX）, （bone mineral density：BMD）.
INNER_SEPARATORS = ",，;；:："
# A colon separates only before a word, full-width or followed by a space: not in 'a-C:F' or
# before a deposition number ('CCDC：912345').
COLON_SEPARATOR_RE = re.compile(r"(?:：\s*|:\s+)[A-Za-z]")

# Greek letters compared as the Latin letter their name starts with, so that 'TGF-β' can
# match 'transforming growth factor beta' (Ab3P matches Greek names the same way).
GREEK_TO_LATIN = {
    "α": "a", "β": "b", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "e", "θ": "t", "ι": "i",
    "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s",
    "τ": "t", "υ": "u", "φ": "p", "χ": "c", "ψ": "p", "ω": "o",
}

# ---------------------------------------------------------------------------
# Short-form candidates
# ---------------------------------------------------------------------------
# Schwartz & Hearst: a short form has at most two words and at most ten characters; Ab3P
# allows a little more for gene names with Greek letters and suffixes ('VEGF-165', 'hUC-MSCs').
MAX_SHORT_WORDS = 2
MAX_SHORT_CHARS = 12
# A one-character short form ('P', 'D') is nearly always a label or a variable.
MIN_SHORT_LETTERS = 2
# Ab3P accepts one-letter short forms defined by the single word before them ('masseter (M)');
# the word must be at least this long so that labels such as 'group (A)' stay out.
SINGLE_LETTER_RE = re.compile(r"^[A-Z]$")
MIN_SINGLE_LETTER_WORD = 5
# Neighbouring letters in brackets this close mark figure panels or list items, not definitions.
PANEL_WINDOW = 400
# A bare short form after a Chinese term needs two capitals ('MSCs', 'TGF-β') and no run of
# lower-case letters longer than three ('Invitrogen', 'Technologies' are names, not short forms).
MIN_ACRONYM_CAPITALS = 2
MAX_ACRONYM_LOWER_RUN = 3
# Statistics and sample sizes inside brackets are not definitions: '(P < 0.05)', '(n = 10)'.
STATISTIC_RE = re.compile(r"[=<>≤≥±%×]|\bvs\.?\b|\bp\s*[<=>]", re.I)
# Latin remarks: '(e.g.)', '(i.e.)', '(et al.)', '(see)'.
LATIN_REMARKS = frozenset({"e.g.", "i.e.", "eg", "ie", "etc", "etc.", "et al.", "see", "cf.", "ibid", "viz."})
# List markers and roman numerals used as labels: '(i)', '(iv)', '(a)'.
LIST_MARKER_RE = re.compile(r"^(?:x{0,3}(?:ix|iv|v?i{0,3})|[a-h])$", re.I)
# Units and numbers-with-units: '(10 mg)', '(kDa)', '(24 h)', '(1,2)'.
UNITS = frozenset(
    "mg kg g ml mL l L h min s d wk mm cm nm um μm μg μl μL mol mmol nmol pmol kDa kD Da bp kb "
    "Hz kHz MHz Gy rpm mM μM nM pM ng pg".split()
)
NUMBER_START_RE = re.compile(r"^[\d.,+\-–]+\s")

# ---------------------------------------------------------------------------
# English long forms (Schwartz & Hearst, widened as in Ab3P)
# ---------------------------------------------------------------------------
# Schwartz & Hearst: the long form has at most min(|A| + 5, 2|A|) words, |A| = short-form length.
LONG_FORM_EXTRA_WORDS = 5
LONG_FORM_WORD_FACTOR = 2
# The long-form window stops at these: a sentence end, a clause break, another bracket, or Chinese.
LONG_FORM_BARRIER_RE = re.compile(rf"[;:!?\[\]{{}}()（）【】；：。！？—{_CJK}]|\.\s|--|(?<=[a-z]{{2}})\.(?=[A-Z][a-z])")
# Brackets glued to a word ('NH(2)-terminal', 'poly(ethyleneglycol)', 'benzo[a]pyrene') are part of
# the long form, not a barrier.
ATTACHED_BRACKET_RE = re.compile(r"(?<=[^\s(\[])[(\[][^()\[\]\s]{1,12}[)\]]")
# The reverse form may announce its long form: 'Sdic (for sperm-specific ...)'.
REVERSE_LEAD_RE = re.compile(r"^(?:for|i\.e\.,?|or|also|abbreviated from)\s+", re.I)
# In the reverse form nothing anchors the long form but the letters, so most short-form
# letters must start a long-form word (the SHORT (long) order is rare and easily confused
# with an apposition such as 'Rats (male Wistar)').
REVERSE_MIN_INITIAL_SHARE = 0.75
# Short forms of procedures clip their long form ('OVX' for ovariectomy): the reverse form is
# also accepted when its first two thirds of letters occur in order from the long form's start.
REVERSE_PREFIX_SHARE = 2 / 3
# 'non-high-density lipoprotein (HDL)', 'anti-human immunodeficiency virus (HIV)': a negating
# prefix before the first matched letter names something else and is left out.
NEGATING_PREFIXES = frozenset(f"{word}{dash}" for word in ("non", "anti") for dash in "-–‐")  # en dash and Unicode hyphen from PDFs too
# Words that never occur inside a long form (articles, pronouns, auxiliaries): the long-form
# window starts after the last of them ('we identified a 48-kDa polypeptide' -> '48-kDa polypeptide').
CLAUSE_WORDS = frozenset({"the", "a", "an", "we", "is", "are", "was", "were", "be", "been", "has", "have",
                          "had", "which", "that", "this", "these", "those", "our", "their", "its", "it",
                          "using", "called", "termed", "named", "designated", "encode", "encodes"})
# An article after a preposition belongs to a long form ('organum vasculosum of the lamina
# terminalis', 'Program of the Uniformed Services'); elsewhere it starts the clause before it.
ARTICLES = frozenset({"the", "a", "an"})
PREPOSITIONS = frozenset({"of", "in", "on", "for", "to", "with", "from", "at", "by", "into", "against",
                          # 'area under the curve', 'time to the event', 'distance between the ...'
                          "under", "over", "between", "within", "through", "across", "after", "before", "during",
                          "among", "without", "upon", "toward", "towards", "above", "below", "beyond"})
# Words a long form never ends with: 'cell density at the time of (Ca2+)' is a clause, not a term.
TRAILING_FUNCTION_WORDS = frozenset({"of", "the", "a", "an", "and", "or", "in", "on", "for", "with", "by", "to",
                                     "at", "from", "when", "than", "that", "which", "as", "is", "are", "was", "were"})
# Words a long form never starts with; Schwartz & Hearst's right-to-left match can land on them
# when a short-form letter also starts the function word ('the' for T).
LEADING_FUNCTION_WORDS = frozenset({"the", "a", "an", "of", "and", "or", "in", "on", "for", "with", "by", "to", "as"})
# A bracketed remark between the long form and the short form's bracket ('drotrecogin alfa
# (activated) (DrotAA)'): lower-case words only (no units, numbers or acronyms), at most this many.
TRAILING_REMARK_RE = re.compile(r"\s\((?P<words>[a-z]{3,}(?: [a-z]{3,}){0,2})\)\s*$")
# A long form may start with the short form as the prefix of a hyphenated word ('HDL-cholesterol
# (HDL)'), unless the rest is a Greek letter or an isoform word ('TNF-alpha (TNF)' names a member).
HYPHEN_PREFIX_TAILS_REJECTED = frozenset({"alpha", "beta", "gamma", "delta", "kappa", "epsilon", "like", "related",
                                          "induced", "mediated", "dependent", "positive", "negative", "type"})
# Ab3P ranks candidate long forms; a long-form word that contributes no short-form letter
# ('conducted as part of the Community ... Trial' for COMMIT) costs as much as one initial gains.
UNMATCHED_WORD_PENALTY = 1
# Ab3P: a first word followed by words that give no letters ('cellular actions through adenosine
# ... monophosphate' for cAMP) is a match by chance; this many such words reject the long form.
MAX_LEADING_GAP = 3
# When the short form's digits are not spelt in the long form ('nitrous oxide (N2O)'), at least
# this share of its letters must start long-form words.
DIGITLESS_MIN_INITIAL_SHARE = 0.67
# Ab3P: when most short-form letters are not word-initial in the long form, the match is
# usually a coincidence; require this share of word-initial matches for lowercase short forms.
MIN_INITIAL_SHARE_LOWERCASE = 0.99
# A digit in a short form may stand for a number word or a Roman numeral of the long form:
# 'three-dimensional (3D)', 'third larval stage (L3)', 'collagen type II alpha 1 (COL2A1)'.
# Each digit's words (prefixes, matched at a word start); the digit is then matched as their initial.
NUMBER_WORDS: dict[str, tuple[str, ...]] = {
    "1": ("one", "first", "single", "mono", "uni"), "2": ("two", "second", "double", "di", "bi"),
    "3": ("three", "third", "triple", "tri"), "4": ("four", "fourth", "tetra", "quadr"),
    "5": ("five", "fifth", "penta"), "6": ("six", "sixth", "hexa"),
}
ROMAN_NUMERALS = {"1": "i", "2": "ii", "3": "iii", "4": "iv", "5": "v", "6": "vi"}
# Concentrations are written in square brackets, with i for intracellular and o/e for extracellular:
# 'intracellular free Ca2+ concentration ([Ca2+]i)', 'extracellular K+ concentration ([K+]o)'. The side
# letter stands for a word before the ion, so the letters cannot be matched in order.
CONCENTRATION_SHORT_RE = re.compile(r"^\[(?P<ion>[^\[\]]+)\]\(?(?P<side>[ioe])\)?$")
CONCENTRATION_SIDE_WORDS = {"i": ("intracellular", "cytosolic", "cytoplasmic"), "o": ("extracellular",),
                            "e": ("extracellular",)}
CONCENTRATION_END_RE = re.compile(r"\b(?:concentrations?|levels?)$", re.I)
# Locants and isomer codes before a chemical name: '17β-', '17-beta-', '1,25-'.
_LOCANT = rf"(?:[0-9{_GREEK},'′]+|alpha|beta|gamma|delta)"
LOCANT_PREFIX_RE = re.compile(rf"^(?:{_LOCANT}|[DLRSdl])(?:[\s\-]+{_LOCANT})*[\s\-]+")
# Chemical groups written as formulas in the short form and as words in the long form:
# '8-hydroxy-2'-deoxyguanosine (8-OHdG)'. Each formula is matched as its word's initial.
CHEMICAL_GROUPS = {"OH": "hydroxy"}
# Surgical removal is abbreviated with X: 'ovariectomized (OVX)', 'adrenalectomy (ADX)',
# 'orchiectomized (ORX)', 'parathyroidectomy (PTX)' (the X stands for -ectomy, which spells no X).
EXCISION_SHORT_RE = re.compile(r"^[A-Za-z]{1,4}[Xx]$")
EXCISION_WORD_RE = re.compile(r"(?:ectom(?:y|ies|ized|ised))$", re.I)
# A bracket may hold an identifier before the short form: 'glutathione peroxidase (EC 1.11.1.9;
# GPx)'; the English long form then stands before the bracket.
IDENTIFIER_REMARK_RE = re.compile(r"^(?:EC|CAS|GenBank|UniProt|OMIM|PDB|CID)\b", re.I)

# ---------------------------------------------------------------------------
# Chinese long forms
# ---------------------------------------------------------------------------
# Function words, reporting and method verbs and category nouns that mark the left edge of a
# Chinese term: 研究表明去卵巢骨质疏松 -> 去卵巢骨质疏松; 分化指标碱性磷酸酶 -> 碱性磷酸酶.
ZH_LEFT_BOUNDARY_WORDS = frozenset({
    # function words, conjunctions and copulas
    "是", "为", "在", "和", "与", "及", "或", "对", "将", "由", "被", "以", "等", "了", "称", "即",
    "指", "从", "向", "把", "使", "其", "该", "此", "这", "这些", "如", "例如", "包括", "以及", "并且",
    "且", "而", "并", "但", "则", "于",
    "一种", "一类", "一个", "各种", "多种", "又称", "简称", "称为", "也称", "即为", "属于", "作为",
    # reporting and method verbs, which do not occur inside terms
    "达到", "表明", "发现", "显示", "证实", "提示", "认为", "研究", "检测", "测定", "观察", "评估", "评价",
    "进行", "采用", "使用", "通过", "利用", "给予", "探讨", "分析", "比较", "考察", "揭示", "阐明",
    "建立", "构建", "制备", "筛选", "鉴定", "测量", "含有", "具有", "参与", "参加", "加入", "添加", "联合",
    "用于", "针对", "刺激下", "作用下", "了解", "探究", "记录", "运用", "评定", "调查", "检查",
    "监测", "用", "做", "其它", "其他", "之间", "患者", "属",
    # time adverbs before a term ('现如今功能性电刺激')
    "如今", "现今", "目前", "当前", "近年来", "现在",
    # category nouns put before the term they name (成骨分化指标碱性磷酸酶)
    "指标", "标志物", "标记物", "药物", "通路", "途径",
    # abstract section labels glued to the first sentence ('方法成纤维细胞生长因子')
    "目的", "方法", "结果", "结论", "背景", "摘要",
    # verbs that start a clause and never occur inside a term ('开展异体脂肪来源…')
    "开展", "实施", "纳入", "选取", "收集", "收治",
    # prepositions and adverbs that open a clause ('首先根据最小均方误差', '为满足…', '基于…')
    "根据", "依据", "基于", "首先", "其次", "然后", "最后", "满足", "所有", "借助", "对于", "关于", "经过", "给出",
    # evaluative adjectives ('重要转化生长因子')
    "重要", "常见", "关键",
    # the hospital that reports ('某院妇科手术部位感染', '我院')
    "某院", "我院", "本院", "某医院",
    # 作 'as' and 受 'by' open a clause ('甲酸作直接甲醇燃料电池', '受中西非裂谷系影响'); the terms
    # that hold them are in ZH_BOUNDARY_EXCEPTIONS (作用, 受体 ...)
    "作", "受",
    # verbs and pronouns that open a clause before a term ('引入丙烯酸', '赋予木塑复合材料', '按…规范',
    # '我国', '我们用', '随着', '仅有')
    "引入", "赋予", "按照", "按", "我国", "我们", "随着", "仅", "仅有",
})
# Arm and group names of a study put before a measured term ('治疗组碱性磷酸酶', '模型组大鼠骨密度'):
# a group is never part of the term it reports on (a bracket right after the group itself,
# '对照组（CON）', is not cut since no term follows).
ZH_ARM_WORDS = ("治疗组", "对照组", "模型组", "实验组", "观察组", "假手术组", "空白组", "干预组", "试验组",
                "给药组", "正常组", "剂量组", "手术组", "训练组", "运动组", "联合组", "用药组", "药物组", "安慰剂组",
                "西药组", "中药组", "针刺组", "保守组", "康复组", "护理组", "常规组", "研究组", "参照组", "阳性组",
                "阴性组", "病例组", "健康组", "各组", "两组", "每组", "组间", "组内")
# A group named by a code ('A组骨密度', 'BMSCs组碱性磷酸酶') is an arm too, unless 组 opens a word
# (组织 tissue, 组蛋白 histone, 组胺 histamine, 组合, 组成, 组分, 组学 ...).
ZH_CODE_ARM_RE = re.compile(rf"(?<![A-Za-z0-9])[A-Za-z0-9+/\-]{{1,8}}组(?=[{_CJK}])")
ZH_GROUP_COMPOUND_NEXT = set("织蛋胺合成分学件别装建")
# A modal or degree adverb before an effect verb opens a predicate ('移植可提高骨密度', '能够显著降低'):
# the verb is then the clause's, never the term's, however short the term after it is.
ZH_MODALS = ("可以", "能够", "可能", "均可", "亦可", "也可", "可", "能", "会", "均", "亦", "也", "还")
ZH_DEGREE_ADVERBS = ("显著", "明显", "有效", "进一步", "大大", "明显地", "显著地", "有效地", "更", "较")
ZH_EFFECT_VERBS = ("提高", "降低", "促进", "抑制", "增加", "减少", "改善", "增强", "减弱", "减轻", "缓解", "加速",
                   "延缓", "逆转", "上调", "下调", "升高", "激活", "阻断", "诱导", "恢复", "维持", "调节", "调控",
                   "刺激", "加快", "阻止", "预防", "保护")
# Nouns that end with a modal character ('功能改善评分', '社会支持'): their 能/会/可 is no modal.
ZH_MODAL_COMPOUNDS = ("功能", "性能", "体能", "智能", "技能", "动能", "效能", "机能", "潜能", "热能", "电能", "核能",
                      "产能", "社会", "协会", "学会", "机会", "体会", "年会", "许可", "认可")
_MODAL_VERB_RE = re.compile(
    "(?:(?:{m})(?:{a})?|(?:{a}))(?:{v})".format(
        m="|".join(ZH_MODALS), a="|".join(sorted(ZH_DEGREE_ADVERBS, key=len, reverse=True)),
        v="|".join(sorted(ZH_EFFECT_VERBS, key=len, reverse=True))))
# Class nouns put before the compound they name ('HO抑制剂锌原卟啉'); they also end terms
# ('蛋白酶体抑制剂', '组织抑制剂1'), so they cut only when a Chinese term follows them.
ZH_CLASS_NOUNS = ("抑制剂", "激动剂", "拮抗剂", "阻滞剂")
# Verbs that take a term as object but also build terms (骨形成蛋白, 诱导型一氧化氮合酶,
# 细胞外信号调节激酶): they cut only when the term left after them is long enough for its
# English long form or short form (``ZH_MIN_CHARS_PER_WORD``).
ZH_WEAK_BOUNDARY_WORDS = frozenset({
    "治疗", "提高", "抑制", "促进", "降低", "增加", "减少", "诱导", "影响", "应用", "调节", "调控",
    "上调", "下调", "激活", "活化", "介导", "导致", "引起", "分泌", "产生", "形成", "移植", "注射",
    "表达", "刺激", "过表达", "敲除", "转染", "处理", "培养",
    "切割", "降解", "合成", "分离", "提取", "萃取", "纯化", "扩增",
    # 结合 'combined with', 优化 'optimised', 计算 'computing' also build terms (核心结合因子,
    # 粒子群优化算法, 统一计算设备架构)
    "结合", "优化", "计算",
    # 的 mostly ends a modifier phrase, but also joins a term ('脂肪组织来源的干细胞')
    "的",
    # samples and animals put before a measured term ('血清一氧化氮', '大鼠肝匀浆'), which
    # also start some terms ('血清淀粉样蛋白A')
    "血清", "血浆", "匀浆", "大鼠", "小鼠", "家兔",
})
# A boundary verb followed by a nominal suffix is part of a noun: 激活剂 (activator), 抑制剂,
# 移植物 (graft), 治疗组, 培养基 (medium); the cut does not happen there.
ZH_NOMINAL_SUFFIXES = set("剂素物酶子性型者率量法组后基")
# Coordinators inside a name: 'A大学和B大学骨关节炎指数' joins two institutions inside one scale's
# name, so 和/与/及 right after an institution word does not cut the term.
ZH_COORDINATORS = ("和", "与", "及")
ZH_INSTITUTION_WORDS = ("大学", "学院", "医院", "协会", "学会", "研究所", "研究院", "中心", "委员会", "基金会")
# A bracket after a supplier, kit or reagent word names a company or a catalogue number:
# 试剂盒(P0321), 公司（FULGENE）; after a bare generic noun it is a product, not a definition.
ZH_SUPPLIER_WORDS = ("公司", "试剂盒", "试剂", "厂", "集团")
ZH_GENERIC_WORDS = frozenset({"抗体", "技术", "细胞", "蛋白", "基因", "软件", "仪器", "系统", "方法", "模型",
                              # bare head nouns: 'FGF受体(FGFR)' cut to '受体' names no concept
                              "受体", "因子", "激酶", "评分", "指数", "通道", "量表",
                              "算法", "参数", "函数", "变换", "计划", "方程", "理论", "指标", "装置", "材料"})
# One-character heads that end a term after a verb ('测定法', '扫描仪', '置换术').
ZH_TERM_SUFFIXES = frozenset("法仪术学机器计剂物")
# A bracket after a marker class holds a member of the class ('成骨分化标志物（ALP）', '肿瘤标志物（CEA）'),
# unless the short form ends with the M of 'marker' ('骨转换标志物（BTMs）').
ZH_MARKER_WORDS = ("标志物", "标记物")
# 'RCCP(即振动碾压…)': a word announcing the gloss is not part of it.
ZH_GLOSS_LEAD_RE = re.compile(r"^(?:即|亦即|也即|又称|也称|简称|全称)")
# SHORT（中文）: a bracket that names a group, a figure mark or a role is a remark, not a long form
# ('GAPDH(内参照基因)', 'DKK-1(黑色方框所示)', 'FeCl(实验组)').
ZH_NOT_A_TERM_ENDINGS = ("组", "所示", "图", "表", "法测定")
ZH_NOT_A_TERM_WORDS = ("所示", "参照", "内参", "实验组", "对照组", "见图", "如图")
# Chinese puts the head noun of a scale after the bracket: '视觉模拟(VAS)评分', '肺部感染(CPIS)评分'.
# Each head with the English initial the short form ends with (Score/Scale, Index).
ZH_HEADS_AFTER_BRACKET = {"评分表": "s", "评分": "s", "量表": "s", "指数": "i"}
# Words that contain a boundary character but belong inside a term ('自由基' free radical).
ZH_BOUNDARY_EXCEPTIONS = ("自由", "对称", "指数", "等位", "以上", "对照", "合并", "并发", "相对", "由于", "而言",
                          "用药", "作用", "费用", "金属", "属性",
                          # 向量 (vector), 等离子 (plasma), 并联 (parallel), 指挥 (command), 可用/需用
                          # (available/required), 对- as para- in chemical names (对氨基酚, p-aminophenol)
                          "向量", "等离子", "并联", "指挥", "可用", "需用", "对氨", "对苯", "对硝", "对羟", "对甲", "对乙酰",
                          # terms holding 作 or 受 or a binding 结合
                          "作物", "作业", "作战", "工作", "合作", "操作", "发作", "制作", "动作", "创作", "受体", "受精", "受试",
                          "受损", "受累", "受压", "感受", "接受", "承受", "耐受", "享受", "结合蛋白", "结合因子",
                          "结合位点", "结合域", "结合能", "按摩", "按压", "按需",
                          # 指 'refer to' inside 指南 (guideline), 指骨 (phalanx), 手指 (finger)
                          "指南", "指导", "指骨", "手指", "指甲", "指尖", "指端", "指纹", "指令")
# A count of kinds before a term ('三种亚格子模型'): trimmed like a qualifier.
ZH_KIND_COUNT_RE = re.compile(r"^另?[一二三四五六七八九十两几数][种类项份个]")
# 中 is a locative ('in') after a medium, fluid or tissue word, but starts 中性粒细胞, 中枢神经 ...
ZH_CONTAINER_CHARS = set("基液清血织胞体质髓骨组型")
ZH_ZHONG_COMPOUND_NEXT = set("性枢间心度期药医国层胚脑")
# In '在…中' the 中 closes a locative phrase whatever precedes it ('在骨折愈合过程中骨形态发生蛋白').
ZH_LOCATIVE_OPEN = "在"
# Locative phrases without 在 ('肺纤维化发生发展中基质金属蛋白酶1').
ZH_LOCATIVE_PHRASES = ("过程中", "发展中", "进程中", "期间", "条件下", "温度下", "情况下")
# Two or more spaces inside a line separate layout blocks (a heading from the text after it),
# while PDF conversion leaves single spaces inside terms ('转化生长因子 β').
MIN_LAYOUT_GAP = 2
# A numbered heading line ('2.3 机械刺激疗法', '3.1.2 Results') ends the scan at its line break.
HEADING_LINE_RE = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+\S.{0,30}$")
# A run-in heading: the title, a layout gap, then the paragraph wrapping onto the next line
# ('2.3.1  骨质疏松症  SAMP6 小鼠属快速老\n化模型小鼠（…）'); that break is a wrap, not the heading's end.
RUN_IN_HEADING_RE = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+\S+(?: \S+)*\s{2,}\S")
# Counter and date words that follow a number ('2006年', '12月龄', '3例', '8周').
ZH_COUNTER_CHARS = set("年月日周天例名只个次组岁龄号期")
# Unit symbols that end a measurement like a digit does ('25℃时幼孢子体…').
UNIT_SYMBOLS = "℃%％‰°"
# Postpositions after a counted time or age ('治疗3个月后骨密度', '30岁左右'): not the term's either.
ZH_AFTER_COUNTER_WORDS = ("左右", "以上", "以下", "后", "前", "内", "末", "时")

# Words that open a Chinese noun phrase before the term proper: the species, sample or
# population studied ('豚鼠内毛细胞', '血清降钙素原', '成人呼吸机相关性肺炎'), a modifier the
# paper adds ('先天性冠状动脉瘘' for coronary artery fistula), a verb or preposition ('行', '经',
# '应用'). Each maps to the English word stems that say the same inside a long form. The word is
# trimmed unless the English long form contains one of them or, without English, the short form
# starts with one of their initials ('人脐带间充质干细胞 (hUC-MSCs)', '成人呼吸窘迫综合征 (ARDS)',
# '血清淀粉样蛋白A (SAA)' keep theirs). Longer words are tried first (人类 before 人).
ZH_QUALIFIERS: dict[str, tuple[str, ...]] = {
    # species (MeSH Animals)
    "豚鼠": ("guinea",), "大鼠": ("rat",), "小鼠": ("mouse", "mice", "murine"), "家兔": ("rabbit",),
    "兔": ("rabbit",), "鸡": ("chicken", "chick", "avian"), "人类": ("human",), "人": ("human",),
    # samples and tissues
    "血清": ("serum",), "血浆": ("plasma",), "尿液": ("urine", "urinary"), "尿": ("urine", "urinary"),
    "根系": ("root",), "叶片": ("leaf", "foliar"),
    # populations
    "成人": ("adult",), "患者": ("patient",), "患儿": ("child", "pediatric", "paediatric"), "儿童": ("child", "pediatric", "paediatric", "juvenile"),
    "老年": ("elderly", "aged", "senile", "geriatric", "old"), "新生儿": ("neonat", "newborn"),
    "非吸烟者": ("non-smok", "nonsmok"), "吸烟者": ("smok",), "雄性": ("male",), "雌性": ("female",),
    # modifiers a paper puts before a defined term
    "先天性": ("congenital",), "内源性": ("endogenous",), "实验性": ("experimental",),
    # course and cause of a disease ('急性脊髓损伤 (SCI)', '非创伤性股骨头坏死 (ONFH)'; kept in
    # '急性肾损伤 (AKI)', '创伤性脑损伤 (TBI)', '原发性骨质疏松症 (POP)')
    "急性": ("acute",), "慢性": ("chronic",), "非创伤性": ("non-traum", "nontraum", "atraum"),
    "创伤性": ("traum",), "原发性": ("primary",), "继发性": ("secondary",),
    "不同粒径": ("size",), "不同": ("different",),
    "主要": ("major", "main", "principal"),
    "最高": ("maxim", "highest", "peak"), "最低": ("minim", "lowest"),
    "口服": ("oral", "per os"),
    # time adverbs before a term ('术后口服…', '长期口服避孕药')
    "术后": ("post",), "术前": ("pre",), "长期": ("long-term", "long term", "chronic", "prolonged"),
    # verbs and prepositions (行 'perform', 经 'via', 应用/运用 'apply', 有 'have')
    "行": (), "经": ("trans", "per", "via", "through"), "应用": ("appli",), "运用": ("appli",), "有": (),
}
# Class nouns put before a member of the class ('脂肪因子分泌型卷曲相关蛋白' = the adipokine SFRP5).
# They also open terms ('细胞因子信号转导抑制因子', SOCS), so they are trimmed only when an
# English long form is given and does not contain the class.
ZH_CLASS_QUALIFIERS: dict[str, tuple[str, ...]] = {
    "脂肪因子": ("adipokine", "adipocytokine"), "细胞因子": ("cytokine",), "趋化因子": ("chemokine",),
    "转录因子": ("transcription factor",), "生长因子": ("growth factor",),
}
# Longest first, so that 人类 is tried before 人.
_QUALIFIERS = dict(sorted(ZH_QUALIFIERS.items(), key=lambda kv: -len(kv[0])))
_QUALIFIERS_WITH_CLASSES = dict(sorted({**ZH_QUALIFIERS, **ZH_CLASS_QUALIFIERS}.items(), key=lambda kv: -len(kv[0])))
# What is left after a trimmed qualifier must not start with a bound word: '人类相关转录基因'
# keeps 人类 (相关 'related' cannot open a term).
ZH_BOUND_STARTS = ("相关", "样", "性", "型", "的", "之", "源")
# Words that start with a qualifier but are one word with what follows ('人工关节', '尿酸', '行为').
ZH_QUALIFIER_COMPOUNDS = ("人工", "人参", "人格", "人群", "人口", "人体", "鸡内金", "鸡血藤", "鸡眼", "尿素", "尿酸",
                          "尿激酶", "尿嘧啶", "尿苷", "尿路", "尿道", "血清素", "雄性激素", "雌性激素", "行为", "行走", "行动", "行政",
                          "经络", "经典", "经验", "经济", "经期", "兔唇", "有氧", "有丝", "有效", "有机", "有创",
                          "有害", "有限", "有序", "有关", "有利")
# A time word inside the term: '后' ('治疗后骨密度') is cut unless the long form says so
# ('post-', 'posterior': '绝经后骨质疏松 (PMOP)', '后纵韧带骨化 (OPLL)'), or, without English,
# the short form has a P; words that continue after 后 ('后遗症') are not cut.
ZH_TIME_WORD = "后"
ZH_TIME_CUES = ("post", "after", "posterior", "hind")
ZH_TIME_COMPOUNDS = ("后遗", "后续", "后期", "后者", "后果", "后代", "后肢", "后角", "后根", "后纵", "后叶", "后部")
# A line break after a title or a heading line ('…的影响因素\n高效抗逆转录病毒治疗') ends the term;
# other breaks are wraps ('聚丙交酯–乙\n交酯'). A line is a title or heading when it has no clause
# punctuation, and the break ends the term only when at least this many characters (and the
# weak-cut minimum) follow it, so that a term is not cut in two.
ZH_WRAP_MIN_CHARS = 4
# A wrapped line runs to the full text width; a title, a heading or a paragraph's last line is
# shorter. The line before a break must be shorter than this share of the median line length.
SHORT_LINE_SHARE = 0.8
CLAUSE_PUNCTUATION_RE = re.compile(r"[。，；、,;]|\.\s")
_ZH_BOUNDARIES = tuple(sorted(ZH_LEFT_BOUNDARY_WORDS | ZH_WEAK_BOUNDARY_WORDS | set(ZH_CLASS_NOUNS)
                             | set(ZH_LOCATIVE_PHRASES) | set(ZH_ARM_WORDS), key=len, reverse=True))
# Latin or Greek pieces inside a Chinese term stay short: 'P 物质', '核因子 κB受体', '神经肽Y';
# a longer Latin word ('PLGA 磷酸钙') belongs to the sentence, not to the term.
MAX_LATIN_IN_ZH = 2
# A capitalised Latin name glued to the Chinese head ('Toll样受体4', 'Smad蛋白') may open a term
# when it is at most this long; with a space before the Chinese ('PLGA 磷酸钙') it belongs to the sentence.
MAX_GLUED_NAME = 6
# A trailing code right before the bracket (受体 4, 蛋白-2, 因子-165, 因子 β) may be longer when
# it is a number; letters and digits mixed ('菌株BL21(DE3)') make a strain or clone name instead.
MAX_LATIN_SUFFIX_ZH = 4
# The Chinese long form has at most this many characters per English word (or per short-form
# letter when there is no English) plus a margin; Chinese technical terms take 1-4 characters per word.
ZH_CHARS_PER_WORD = 4
ZH_CHARS_MARGIN = 3
# A weak boundary verb cuts only when at least this many characters per English content word
# (or short-form capital) remain: 'extracellular signal-regulated kinase' needs 6, so 调节 in
# 细胞外信号调节激酶 is kept.
ZH_MIN_CHARS_PER_WORD = 1.5
# English words that do not count as content words when sizing the Chinese term.
EN_FUNCTION_WORDS = frozenset({"of", "and", "the", "with", "for", "in", "on", "to", "by", "a", "an", "or"})
# A Chinese long form has at least two characters (a single character is a word, not a term).
MIN_ZH_CHARS = 2

# ---------------------------------------------------------------------------
# Glossaries and table notes
# ---------------------------------------------------------------------------
# A line that announces a glossary: 'Abbreviations:', '缩略语：', '注：' (table notes).
GLOSSARY_HEAD_RE = re.compile(r"(?:abbreviations?(?:\s+used)?|缩略语|缩略词|缩写|英文缩写|注|notes?)\s*[:：]", re.I)
# Items of a glossary line are separated by semicolons (or full stops at the end).
GLOSSARY_ITEM_SPLIT_RE = re.compile(r"[;；。]|\.\s|\.$")
# One item: SHORT, long / SHORT: long / SHORT = long.
GLOSSARY_ITEM_RE = re.compile(r"^\s*(?P<short>[^\s,，:：=]{1,12}(?: [A-Za-z0-9]{1,3})?)\s*[,，:：=]\s*(?P<long>.+?)\s*$")
# Without a heading, a line must hold at least this many items to count as a glossary.
MIN_GLOSSARY_ITEMS = 2
# A heading line alone ('Abbreviations', 'List of abbreviations', 'The following abbreviations are
# used in this manuscript:', '缩略语') opens a block of one item per line, as journals print them.
GLOSSARY_BLOCK_HEAD_RE = re.compile(
    r"^\s*(?:(?:list of |non-?standard )?abbreviations?(?: used)?"
    r"(?: in this (?:paper|article|study|manuscript|review))?"
    r"|the following abbreviations are used in this (?:paper|article|study|manuscript|review)"
    r"|缩略语表?|缩略词表?|英文缩写)\s*[:：]?\s*$", re.I)
# One item on its own line: 'ALP\tAlkaline phosphatase', 'BMD: bone mineral density', 'OVX  ovariectomy'.
GLOSSARY_LINE_ITEM_RE = re.compile(
    r"^\s*(?P<short>[^\s,，:：=]{1,12})(?:\s*[,，:：=–—]\s*|\t+\s*|\s+)(?P<long>\S.*?)\s*[;；.,]?\s*$")

# ---------------------------------------------------------------------------
# PDF line-break repair
# ---------------------------------------------------------------------------
# A hyphen at a line end inside a lowercase word ('mar-\nrow') is a typesetting break: join.
HYPHEN_NEWLINE_RE = re.compile(r"(?<=[a-z])-[ \t]*\n\s*(?=[a-z])")
# A hyphen followed by a space ('glucocorticoid- induced') was a real hyphen whose line break
# became a space: keep the hyphen, drop the space.
HYPHEN_SPACE_RE = re.compile(r"(?<=\w)-\s+(?=\w)")
# A hyphen inside a word whose tail is a bound suffix ('parathy-roid', 'stimula-tion') is a line
# break that lost its newline: join. Free-standing tails ('dose-dependent') keep their hyphen.
BOUND_SUFFIX_RE = re.compile(
    r"(?<=[a-z]{2})-(?=[a-z]{0,3}(?:tion|sion|ment|ness|ity|ive|ous|oid|ular|ology|ance|ence|ism)s?\b)"
)

# Markdown converted from PDFs keeps LaTeX for Greek letters: '$\\beta$', 'TGF- $_ { \\cdot \\beta 1 }$'.
LATEX_MATH_RE = re.compile(r"\$([^$]{1,40})\$")
LATEX_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ",
    "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ", "chi": "χ",
    "psi": "ψ", "omega": "ω",
}
# A LaTeX '\\cdot' already turned into a dot after a hyphen: 'TGF- ·β1' is TGF-β1.
LATEX_DOT_RE = re.compile(r"-\s*[·⋅∙]\s*")
# LaTeX commands that only change the look of what they wrap.
LATEX_STYLE_RE = re.compile(r"\\(?:mathrm|mathit|mathbf|text|rm|it|bf|cdot|,|;|!|quad)\b|\\[,;!]")

# Glued words in long forms ('centralnervoussystem', 'proteinkinaseA'): PDF or Markdown conversion
# dropped the spaces. A lower-case run of at least this length before capitals ('cyclicAMP') is
# split there; a word at least this long that is not in the vocabulary is split into vocabulary words.
MIN_CAMEL_LOWER_RUN = 4
MIN_GLUED_WORD = 9
# Pieces shorter than this are not trusted as words of a split ('Gene rat ion' for Generation).
MIN_SPLIT_PIECE = 4
# Suffixes are words in no vocabulary of terms, but some are spelt like one ('Heart less').
BOUND_SUFFIXES = frozenset({"less", "like", "ness", "ases", "able", "ible", "ment", "tion", "ions", "ation", "ship"})
# Bound prefixes that make one word with what follows: 'postmenopausal' is not 'post menopausal'.
BOUND_PREFIXES = ("post", "pre", "anti", "non", "sub", "super", "inter", "intra", "trans", "hyper", "hypo",
                  "neuro", "osteo", "chondro", "myelo", "peri", "endo", "epi", "extra", "micro", "macro",
                  "multi", "poly", "mono", "auto", "immuno", "cyto", "hemi", "semi", "over", "under", "co", "meta",
                  "bio", "photo", "radio", "thermo", "electro", "hydroxy", "carboxy", "methyl", "ethyl", "amino",
                  "deoxy", "phospho", "glyco", "oxy", "tri", "di")
# The head noun a Chinese long form ends with and its English word: '雪旺细胞（Schwann，SCs）'
# gives 'Schwann cells', since the short form's C stands for the head noun the English lost.
ZH_HEAD_NOUNS_EN = {"细胞": "cell", "蛋白": "protein", "因子": "factor", "受体": "receptor", "激酶": "kinase",
                    "抗体": "antibody"}

# Greek letter names spelt out end a lower-case run that belongs to the capital after it ('kappaB').
_GREEK_NAMES_BEHIND = "|".join(f"(?<={name})" for name in ("alpha", "beta", "gamma", "delta", "kappa", "epsilon"))


def delatex(text: str) -> str:
    """Replace short LaTeX math holding Greek letters by the letters.

    Args:
        text: A long or short form, e.g. 'TGF- $_ { \\cdot \\beta 1 }$'.

    Returns:
        'TGF-β1'; math that is not a Greek letter with digits or letters is left as it is.
    """
    def repl(m: re.Match) -> str:
        inner = LATEX_STYLE_RE.sub(" ", m.group(1))
        inner = re.sub(r"\\([A-Za-z]+)", lambda g: LATEX_GREEK.get(g.group(1), g.group(0)), inner)
        inner = re.sub(r"[\s{}_^]+", "", inner)
        if "\\" in inner or not re.fullmatch(rf"[{_GREEK}A-Za-z0-9+\-]{{1,8}}", inner):
            return m.group(0)
        return inner

    if "$" not in text:
        return text
    out = LATEX_MATH_RE.sub(repl, text)
    return re.sub(rf"(?<=[{_GREEK}])\s+-|(?<=-)\s+(?=[{_GREEK}])|(?<=\w-)\s+(?=[{_GREEK}])", lambda m: m.group().strip(), out)


def unglue(long: str, vocabulary: frozenset[str]) -> str:
    """Put back the spaces a conversion dropped inside an English long form.

    Args:
        long: The long form, e.g. 'centralnervoussystem' or 'proteinkinaseA'.
        vocabulary: Lower-case English words known to be words (the paper's own words and the
            English names in ``rules/``).

    Returns:
        'central nervous system', 'protein kinase A'; words found in the vocabulary, words
        with a bound prefix ('postmenopausal') and words that do not split wholly into
        vocabulary words stay as they are.
    """
    out = []
    for token in long.split(" "):
        # 'cyclicAMP' -> 'cyclic AMP', but 'kappaB', 'IkappaB' are one name.
        camel = re.fullmatch(rf"([A-Z]?[a-z]{{{MIN_CAMEL_LOWER_RUN},}})(?<!{_GREEK_NAMES_BEHIND})([A-Z].*)", token)
        if camel and camel.group(1).lower() not in BOUND_PREFIXES:  # 'microRNAs' is one word
            token = f"{camel.group(1)} {camel.group(2)}"
        out.append(re.sub(r"[A-Za-z]+", lambda m: _split_glued(m.group(), vocabulary), token))
    return " ".join(out)


def _split_glued(word: str, vocabulary: frozenset[str]) -> str:
    low = word.lower()
    if len(low) < MIN_GLUED_WORD or low in vocabulary or not vocabulary \
            or not word[1:].islower():  # 'MERISTEMLESS', 'RNAtriphosphatase' are names, not glued words
        return word
    # Fewest pieces covering the word, each a vocabulary word of MIN_SPLIT_PIECE letters or more.
    best: list[list[int] | None] = [None] * (len(low) + 1)
    best[0] = []
    for i in range(1, len(low) + 1):
        for j in range(max(0, i - 25), i - MIN_SPLIT_PIECE + 1):
            piece = low[j:i]
            if best[j] is not None and piece in vocabulary and piece not in BOUND_SUFFIXES \
                    and not (j == 0 and piece in BOUND_PREFIXES) \
                    and (best[i] is None or len(best[j]) + 1 < len(best[i])):
                best[i] = [*best[j], i]
    cuts = best[len(low)]
    if not cuts or len(cuts) < 2:
        return word
    pieces, j = [], 0
    for i in cuts:
        pieces.append(word[j:i])
        j = i
    return " ".join(pieces)


def repair_line_breaks(text: str) -> str:
    """Undo PDF line-break damage inside a term and collapse whitespace.

    Args:
        text: A long or short form as it stands in the paper.

    Returns:
        The form on one line: 'glucocorticoid- induced' -> 'glucocorticoid-induced',
        'parathy-roid' -> 'parathyroid', 'bone mar-\\nrow' -> 'bone marrow'.
    """
    text = delatex(text)
    text = LATEX_DOT_RE.sub("-", text)
    text = HYPHEN_NEWLINE_RE.sub("", text)
    text = HYPHEN_SPACE_RE.sub("-", text)
    text = BOUND_SUFFIX_RE.sub("", text)
    # Whitespace between two Chinese characters is a wrap or a PDF spacing artefact ('糖原 合酶').
    text = re.sub(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])", "", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Definition:
    """One abbreviation definition found in a string.

    ``start``/``end`` are offsets of the short form in the string that was searched.
    """

    short: str
    long_en: str | None
    long_zh: str | None
    start: int
    end: int
    form: str


# ---------------------------------------------------------------------------
# Short forms
# ---------------------------------------------------------------------------
def is_short_form(candidate: str) -> bool:
    """Whether a bracket's content (or a word before one) can be a short form.

    Args:
        candidate: The text, already stripped and repaired.

    Returns:
        True for 'MSCs', 'IL-1β', 'TGF-β1', 'BMP-2', 'hUC-MSCs'; False for numbers,
        p-values, citations, units, Latin remarks, list markers and Chinese text.
    """
    s = candidate.strip()
    if not s or len(s) > MAX_SHORT_CHARS or len(s.split()) > MAX_SHORT_WORDS:
        return False
    if CJK_RE.search(s) or STATISTIC_RE.search(s) or re.search(r"[、，；：。]", s):
        return False
    if not (s[0].isalnum() or s[0] in GREEK_TO_LATIN or s[0] == "["):
        return False
    letters = [c for c in s if c.isalpha()]
    if len(letters) < MIN_SHORT_LETTERS and not (letters and any(c.isdigit() for c in s)):
        return False
    if s in LATIN_REMARKS or LIST_MARKER_RE.match(s) or s in UNITS:
        return False
    if NUMBER_START_RE.match(s):  # '10 mg', '2 weeks'
        return False
    if s.startswith("[") and not re.search(r"[A-Za-z]{2}", s) and not CONCENTRATION_SHORT_RE.match(s):
        return False  # citations '[3]'; '[K+]o' is a concentration
    return True


def _match_key(text: str) -> str:
    """Lower-case, Greek letters as Latin; one character per input character (offsets kept)."""
    return "".join(GREEK_TO_LATIN.get(c, c) for c in text.lower())


def _sh_match(short: str, long: str) -> tuple[int, int] | None:
    """Schwartz & Hearst's findBestLongForm on one candidate string.

    Matches the short form's letters and digits right to left in ``long``; the first
    short-form character must start a word.

    Returns:
        (start index of the long form in ``long``, number of word-initial matches), or None.
    """
    s_key, l_key = _match_key(short), _match_key(long)
    s_idx, l_idx = len(s_key) - 1, len(l_key) - 1
    initials = 0
    while s_idx >= 0:
        c = s_key[s_idx]
        if not c.isalnum():
            s_idx -= 1
            continue
        while l_idx >= 0 and (
            l_key[l_idx] != c or (s_idx == 0 and l_idx > 0 and l_key[l_idx - 1].isalnum())
        ):
            l_idx -= 1
        if l_idx < 0:
            return None
        if l_idx == 0 or not l_key[l_idx - 1].isalnum():
            initials += 1
        l_idx -= 1
        s_idx -= 1
    start = max(long.rfind(" ", 0, l_idx + 1), long.rfind("\n", 0, l_idx + 1)) + 1
    return start, initials


def _short_alnum(short: str) -> int:
    return sum(1 for c in short if c.isalnum() or c in GREEK_TO_LATIN)


def _word_initial(key: str, i: int) -> bool:
    return i == 0 or not key[i - 1].isalnum()


def _initial_match(short: str, candidate: str) -> tuple[int, int] | None:
    """Ab3P's preference for word-initial letters, as a small dynamic programme.

    Schwartz & Hearst take the first match scanning right to left, which stops early when a
    short-form letter also occurs inside a word ('Index of Erectile Function' for IIEF).
    Here every start word whose initial is the short form's first character is tried, the
    other characters are matched in order maximising word-initial matches, and the start
    with the best score wins: initials minus content words that match nothing
    (``UNMATCHED_WORD_PENALTY``), then fewer words.

    Returns:
        (start index of the long form in ``candidate``, word-initial matches, words without a
        match right after the first word), or None.
    """
    s_key = [c for c in _match_key(short) if c.isalnum()]
    l_key = _match_key(candidate)
    if not s_key:
        return None
    n, m = len(l_key), len(s_key)
    neg = -1
    # best[k][q]: most initials matching s_key[k:] within l_key[q:], -1 when impossible.
    best = [[0] * (n + 1) for _ in range(m + 1)]
    for k in range(m - 1, -1, -1):
        row, nxt = best[k], best[k + 1]
        row[n] = neg
        c = s_key[k]
        for q in range(n - 1, -1, -1):
            v = row[q + 1]
            if l_key[q] == c and nxt[q + 1] != neg:
                v = max(v, nxt[q + 1] + (1 if _word_initial(l_key, q) else 0))
            row[q] = v
    choice = None
    for p in range(n):
        if l_key[p] != s_key[0] or not _word_initial(l_key, p) or best[1][p + 1] == neg:
            continue
        initials = best[1][p + 1] + 1
        # Backtrack one assignment with that many initials.
        hits, q = [p], p + 1
        for k in range(1, m):
            r = q
            while not (l_key[r] == s_key[k] and best[k + 1][r + 1] != neg
                       and best[k + 1][r + 1] + _word_initial(l_key, r) == best[k][q]):
                r += 1
            hits.append(r)
            q = r + 1
        start = _long_form_start(candidate, p)
        if candidate[start:].split(" ", 1)[0].lower() in LEADING_FUNCTION_WORDS:
            continue
        unmatched = gap = run = 0
        for k, w in enumerate(re.finditer(r"\S+", candidate[start:])):
            a, b = start + w.start(), start + w.end()
            hit = any(a <= h < b for h in hits)
            if k > 0 and not gap:
                # Words without a match between the first word and the next word with one.
                run, gap = (0, run or -1) if hit else (run + 1, 0)
            if len(w.group()) > 1 and w.group().lower() not in LEADING_FUNCTION_WORDS and not hit:
                unmatched += 1
        first_word = candidate[start:].split(" ", 1)[0]
        score = (initials - UNMATCHED_WORD_PENALTY * unmatched, len(first_word) > 1, -len(candidate[start:].split()))
        if choice is None or score >= choice[3]:
            choice = (start, initials, max(gap, 0), score)
    return choice[:3] if choice else None


def _long_form_start(candidate: str, p: int) -> int:
    """Where the long form starts when its first letter is matched at ``p``.

    As in Schwartz & Hearst the whole space-delimited word is kept ('2,6-diaminopurine',
    'pre-T cell receptor'), except after a slash: 'AML1/core binding factor beta' starts at 'core'.
    """
    word_start = max(candidate.rfind(" ", 0, p), -1) + 1
    slash = candidate.rfind("/", word_start, p)
    if slash >= 0:
        return slash + 1
    if candidate[word_start:p].lower() in NEGATING_PREFIXES:
        return p
    return word_start


def _mask_attached(m: re.Match) -> str:
    """Hide a glued bracket from the barrier search, unless it defines another short form
    ('dimethyl-[DMP], diethyl-[DEP]': each long form ends at the previous definition)."""
    inner = m.group()[1:-1]
    if sum(c.isupper() for c in inner) >= 2 and is_short_form(inner) and _looks_like_acronym(inner):
        return m.group()  # 'poly(ADP-ribose) polymerase': a glued name with a word in it stays masked
    return "_" * len(m.group())


def best_long_form(short: str, before: str) -> str | None:
    """The English long form of ``short`` at the end of ``before`` (Schwartz & Hearst, Ab3P).

    Args:
        short: The short form, e.g. 'BMMSCs'.
        before: The text right before the bracket, e.g. '... from bone marrow mesenchymal stem cells '.

    Returns:
        The long form ('bone marrow mesenchymal stem cells'), repaired, or None when no
        acceptable one exists.
    """
    remark = TRAILING_REMARK_RE.search(before)
    if remark and remark.group("words") not in UNITS:
        # 'drotrecogin alfa (activated) (DrotAA)': with the remark when its words spell more of the
        # short form's initials ('Activated'), else the long form before it ('muscle strength (dominant) (MS)').
        without = _best_long_form(short, before[:remark.start()])
        within = _best_long_form(short, before, remark.start() + 1)
        if within and (not without or _initials(short, within) > _initials(short, without)):
            return within
        return without
    return _best_long_form(short, before)


def _initials(short: str, long: str) -> int:
    found = _initial_match(short, long)
    return found[1] if found else 0


def _best_long_form(short: str, before: str, remark_at: int | None = None) -> str | None:
    """:func:`best_long_form` with the bracketed remark from ``remark_at`` on kept in the window."""
    masked = ATTACHED_BRACKET_RE.sub(_mask_attached, before)
    if remark_at is not None:
        masked = masked[:remark_at] + re.sub(r"[()]", "_", masked[remark_at:])
    cut = max((m.end() for m in LONG_FORM_BARRIER_RE.finditer(masked)), default=0)
    window = repair_line_breaks(before[cut:]).rstrip(" ,-")
    if not window:
        return None
    n = _short_alnum(short)
    max_words = min(n + LONG_FORM_EXTRA_WORDS, LONG_FORM_WORD_FACTOR * n)
    words = window.split(" ")
    cut = max((k + 1 for k, w in enumerate(words) if w in CLAUSE_WORDS
               and not (w in ARTICLES and k > 0 and words[k - 1].lower() in PREPOSITIONS)), default=0)
    candidate = " ".join(words[max(cut, len(words) - max_words):])
    if not candidate:
        return None
    if conc := CONCENTRATION_SHORT_RE.match(short):
        return _concentration_long(conc.group("ion"), conc.group("side"), candidate)
    found = _initial_match(short, candidate)
    if found is None and (spelt := _spelt_digits(short, candidate)):
        found = _initial_match(spelt, candidate)
    if found is None and EXCISION_SHORT_RE.match(short):
        return _excision_long(short, candidate)
    if found is None:
        # Ab3P: digits of the short form may be absent from the long form ('nitrous oxide (N2O)').
        letters_only = re.sub(r"[\d\W_]+", "", short)
        if letters_only == short or not letters_only:
            return None
        if len(letters_only) == 1:
            return _single_letter_long(letters_only, candidate) if letters_only.isupper() else None
        found = _initial_match(letters_only, candidate)
        if found is None or found[1] < DIGITLESS_MIN_INITIAL_SHARE * len(letters_only):
            return None
    start, initials = found[0], found[1]
    if found[2] >= MAX_LEADING_GAP:
        return None
    long = candidate[start:].strip().strip("\"'“”‘’").lstrip("-–")
    first_word = long.split(" ")[0].lower()
    if first_word in LEADING_FUNCTION_WORDS:
        return None
    if not _acceptable_pair(short, long, initials):
        return None
    # 'the 20-item Toronto Alexithymia Scale (TAS-20)': the short form's number, not spelt in the
    # long form, is in the counted word right before it.
    numbers = re.findall(r"\d+", short)
    before_words = candidate[:start].split()
    if numbers and not any(n in long for n in numbers) and before_words \
            and re.fullmatch(rf"(?:{'|'.join(numbers)})-[a-z]+", before_words[-1]):
        long = f"{before_words[-1]} {long}"
    return long


def _concentration_long(ion: str, side: str, candidate: str) -> str | None:
    """'intracellular free Ca2+ concentration ([Ca2+]i)': from the last side word
    (``CONCENTRATION_SIDE_WORDS``) to the bracket, which must name the ion and end with
    'concentration' or 'level'."""
    low = candidate.lower()
    k = max((m.start() for w in CONCENTRATION_SIDE_WORDS[side] for m in re.finditer(rf"\b{w}\b", low)), default=-1)
    if k < 0:
        return None
    long = candidate[k:].strip()
    if not CONCENTRATION_END_RE.search(long) or _norm(ion) not in (_norm(long) or ""):
        return None
    return long


def _spelt_digits(short: str, candidate: str) -> str | None:
    """The short form with each digit replaced by the initial of a number word or Roman numeral
    of ``candidate`` that spells it (``NUMBER_WORDS``): '3D' -> 'tD' for 'three-dimensional',
    'COL2A1' -> 'COLiA1' for 'collagen type II alpha 1', and each chemical formula replaced by its
    word's initial (``CHEMICAL_GROUPS``, '8-OHdG' -> '8-hdG'); None when nothing is spelt."""
    if not any(c.isupper() for c in short):
        return None  # '2c', '3a' are compound numbers, not spelt numerals
    words = re.split(r"[\s\-–/]+", candidate.lower())
    out, changed = [], False
    for formula, word in CHEMICAL_GROUPS.items():
        if formula in short and word in candidate.lower():
            short, changed = short.replace(formula, word[0]), True
    for ch in short:
        spelt = next((w[0] for w in words if ch in NUMBER_WORDS and w.startswith(NUMBER_WORDS[ch])), None) \
            or (ROMAN_NUMERALS[ch][0] if ch in ROMAN_NUMERALS and ROMAN_NUMERALS[ch] in words else None)
        out.append(spelt or ch)
        changed |= bool(spelt)
    return "".join(out) if changed else None


def _excision_long(short: str, candidate: str) -> str | None:
    """'ovariectomized (OVX)': the last word names a removal (``EXCISION_WORD_RE``), starts with the
    short form's first letter and holds its other letters (the X aside) in order."""
    word = candidate.split(" ")[-1].strip("\"'“”‘’")
    if not EXCISION_WORD_RE.search(word):
        return None
    key, letters = word.lower(), short[:-1].lower()
    if not key.startswith(letters[0]):
        return None
    pos = 1
    for c in letters[1:]:
        pos = key.find(c, pos)
        if pos < 0:
            return None
        pos += 1
    return word


def _hyphen_prefix(short: str, long: str) -> bool:
    """'HDL-cholesterol (HDL)': the long form opens with the short form joined by a hyphen to a
    word (``HYPHEN_PREFIX_TAILS_REJECTED`` aside), and the short form occurs nowhere else in it."""
    m = re.match(rf"{re.escape(short)}-(?P<tail>[a-z]{{4,}})\b", long)
    return bool(m) and m.group("tail") not in HYPHEN_PREFIX_TAILS_REJECTED \
        and not re.search(rf"(?<!\w){re.escape(short)}(?!\w)", long[m.end():])


def _acceptable_pair(short: str, long: str, initials: int) -> bool:
    """Ab3P-style sanity checks on a matched (short, long) pair."""
    if len(long) <= len(short) or not re.search(r"[^\W\d_]{3}", long):
        return False
    if long.split()[-1] in TRAILING_FUNCTION_WORDS:
        return False
    # The short form standing as a word inside its own long form is a repetition, not a definition.
    if re.search(rf"(?<!\w){re.escape(short)}(?!\w)", long) and not _hyphen_prefix(short, long):
        return False
    # A plural s ('cyclin-dependent kinases (cdks)') is not an initial of the long form.
    plural = short.endswith("s") and long.endswith("s") and len(short) > 2
    letters = sum(1 for c in short if c.isalpha()) - plural
    clipped = " " not in long and long.lower().startswith(short)  # 'apolipoprotein (apo)'
    if short.islower() and letters and initials / max(1, letters) < MIN_INITIAL_SHARE_LOWERCASE and not clipped:
        return False
    return True


# ---------------------------------------------------------------------------
# Chinese long forms
# ---------------------------------------------------------------------------
def _is_term_char(c: str) -> bool:
    return bool(re.match(f"[{_CJK}{_ROMAN}]", c))


def zh_long_form(text: str, end: int, size: tuple[int, float], short: str = "",
                 long_en: str | None = None) -> tuple[int, str] | None:
    """The Chinese term that ends at ``end`` (right before a bracket).

    Scans back over Chinese characters, short Latin/Greek pieces and a trailing code
    ('受体 4', '蛋白-2', '因子 β'), stops at punctuation, long Latin words and digits, then
    cuts after the rightmost function word or verb (``ZH_LEFT_BOUNDARY_WORDS``).

    Args:
        text: The whole string.
        end: Offset right after the term (the bracket, spaces before it allowed).
        size: The most characters the term may have, and the fewest it may keep after a
            weak boundary verb (see :func:`_zh_size`).
        short: The short form; its letters decide whether a leading qualifier belongs to the
            term (:data:`ZH_QUALIFIERS`) and whether a glued Latin prefix does ('3H-胸腺嘧啶').
        long_en: The English long form given in the same bracket, if any; it is compared
            with the Chinese the same way, and its first word may anchor the Chinese start.

    Returns:
        (start offset, repaired term) or None when no Chinese term ends there.
    """
    i = end
    while i > 0 and text[i - 1] in " \t\n\u3000":
        i -= 1
    term_end = i
    # Trailing code: letters/digits/Greek joined by '-' or a space to the Chinese term.
    j = i
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] in GREEK_TO_LATIN) and not _is_term_char(text[j - 1]):
        j -= 1
    suffix = text[j:term_end]
    if term_end - j > MAX_LATIN_SUFFIX_ZH or (not suffix.isdigit() and sum(c.isalpha() for c in suffix) > MAX_LATIN_IN_ZH) \
            or (any(c.isdigit() for c in suffix) and any(c.isalpha() and c not in GREEK_TO_LATIN for c in suffix)
                and not (suffix and short.lower().endswith(suffix.lower()))):
        return None  # a code such as 'BL21' before '(DE3)' is a name, not the end of a term ('5b' of TRACP-5b is not)
    if j < term_end:
        k = j
        while k > 0 and text[k - 1] in " -–":
            k -= 1
        if k == 0 or not _is_term_char(text[k - 1]):
            return None
        i = k
    start = i
    while start > 0:
        c = text[start - 1]
        if _is_term_char(c):
            start -= 1
            continue
        if c in "-–‐" and start > 1 and _is_term_char(text[start]) and (
                _is_term_char(text[start - 2]) or text[start - 2] in GREEK_TO_LATIN):
            start -= 1  # 聚丙交酯–乙交酯, 超广谱β-内酰胺酶
            continue
        if c in " \t\n\u3000":
            # Spaces and wraps inside a term are PDF artefacts when Chinese or a short code follows.
            k = start - 1
            while k > 0 and text[k - 1] in " \t\n\u3000":
                k -= 1
            gap = text[k:start]
            if "\n" not in gap and len(gap) >= MIN_LAYOUT_GAP:
                break  # '2.3.3  特发性骨质疏松症  成骨不全 （…）': a column or heading gap
            prev_line = text[text.rfind("\n", 0, k) + 1:k]
            if "\n" in gap and HEADING_LINE_RE.match(prev_line) and not RUN_IN_HEADING_RE.match(prev_line):
                break  # the line before is a numbered heading ('2.5 超声疗法')
            if k > 0 and (_is_term_char(text[k - 1]) or text[k - 1].isalpha()):
                start = k
                continue
            break
        if c.isalpha() or c in GREEK_TO_LATIN:
            k = start
            while k > 0 and (text[k - 1].isalpha() or text[k - 1] in GREEK_TO_LATIN) and not _is_term_char(text[k - 1]):
                k -= 1
            if k > 1 and text[k - 1] in "-–" and _is_term_char(text[k - 2]) and start - k <= MAX_LATIN_IN_ZH:
                start = k - 1  # '核因子-κB受体': a short code joined by a hyphen inside the term
                continue
            if k > 0 and (text[k - 1].isdigit() or text[k - 1] in "-_"):
                break
            if start - k > MAX_LATIN_IN_ZH:
                # 'Toll样受体', 'Wnt信号通路': a gene name glued to the Chinese head opens the term.
                glued = _is_term_char(text[start]) and (k == 0 or not (text[k - 1].isascii() and text[k - 1].isalnum()))
                if glued and start - k <= MAX_GLUED_NAME and text[k].isupper():
                    start = k
                break
            start = k
            continue
        break
    # Do not start with a space or a Latin piece that is cut off from the term.
    while start < i and not (_is_term_char(text[start]) or text[start].isalpha()):
        start += 1
    # A short Latin piece after a number is its unit ('10 MW高温气冷实验堆'), not the term's.
    unit = re.match(r"[A-Za-zμ]{1,3}(?=[\s\u3000]*[" + _CJK + "])", text[start:i])
    if unit and re.search(r"\d[\s\u3000]*$", text[max(0, start - 4):start]):
        start += unit.end()
        while start < i and text[start] in " \t\u3000":
            start += 1
    # '2006年国际…': a counter or date word after the digits that stopped the scan is not the term's.
    if start > 0 and (text[start - 1].isdigit() or text[start - 1] in UNIT_SYMBOLS):
        while start < i and text[start] in ZH_COUNTER_CHARS:
            start += 1
        if start > 0 and (text[start - 1] in ZH_COUNTER_CHARS or text[start - 1] in UNIT_SYMBOLS):
            while start < i and (w := next((w for w in ZH_AFTER_COUNTER_WORDS if text.startswith(w, start)), None)):
                start += len(w)
    span = text[start:term_end]
    if not CJK_RE.search(span):
        return None
    budget, min_after_weak = size
    cut = max(_left_boundary(span, min_after_weak, short, long_en), _predicate_or_arm_end(span))
    cut = _after_wrap(span, cut, min_after_weak, text, start)
    cut = _trim_qualifiers(span, cut, short, long_en)
    cut = _english_anchor(span, cut, long_en or short)
    start += cut
    while start < term_end and not (_is_term_char(text[start]) or text[start].isalpha()):
        start += 1
    start = _latin_prefix(text, start, short, long_en)
    term = repair_line_breaks(text[start:term_end])
    n_chars = len(term.replace(" ", ""))
    # The budget counts Chinese characters: codes ('-1β', 'κB') are the English words' own.
    if n_chars < MIN_ZH_CHARS or len(CJK_RE.findall(term)) > budget or not CJK_RE.search(term):
        return None
    if term in ZH_QUALIFIERS and (short or long_en) and not _qualifier_kept(ZH_QUALIFIERS[term], short, long_en):
        return None  # '大鼠（SD）': the species alone is not what SD stands for
    return start, term


def _left_boundary(span: str, min_after_weak: float, short: str = "", long_en: str | None = None) -> int:
    """Offset in ``span`` right after the rightmost boundary word that leaves a term behind.

    Line breaks inside ``span`` are skipped when matching ('包\n括' is 包括); a weak boundary
    verb counts only when at least ``min_after_weak`` characters (spaces aside) follow it. A
    boundary word that is also a qualifier (大鼠, 血清) the short or English long form expresses
    stays in the term: '小鼠胚胎成纤维细胞 (MEFs)' is cut before 小鼠, not after it.
    """
    keep = [k for k, ch in enumerate(span) if ch not in "\r\n"]
    flat = "".join(span[k] for k in keep)
    for pos in range(len(flat) - 1, 0, -1):
        rest = flat[pos:].strip()
        # '测定法', '评价函数', '参与性方法': a verb before a suffix or a bare head belongs to the term.
        bare_head = ((len(rest) == 1 and rest in ZH_TERM_SUFFIXES) or rest in ZH_GENERIC_WORDS
                     or (rest[:1] in "性型" and rest[1:] in ZH_GENERIC_WORDS))
        for word in _ZH_BOUNDARIES:
            if not flat.endswith(word, 0, pos):
                continue
            if any(_covers(flat, pos, ex) for ex in ZH_BOUNDARY_EXCEPTIONS):
                continue
            if word in ZH_COORDINATORS and flat.endswith(ZH_INSTITUTION_WORDS, 0, pos - len(word)):
                continue
            if not CJK_RE.search(flat[pos:]):
                continue
            if len(word) > 1 and bare_head:
                break  # '评价函数', '参与性方法': what follows is no term by itself, the verb is the term's
            if word in ZH_CLASS_NOUNS and not CJK_RE.match(flat[pos]):
                continue
            if word in ZH_LOCATIVE_PHRASES and sum(not ch.isspace() for ch in flat[pos:]) < min_after_weak:
                continue
            if word in ZH_WEAK_BOUNDARY_WORDS and (flat[pos] in ZH_NOMINAL_SUFFIXES
                                                   or sum(not ch.isspace() for ch in flat[pos:]) < min_after_weak):
                continue
            if word in ZH_QUALIFIERS and (short or long_en) and _qualifier_kept(ZH_QUALIFIERS[word], short, long_en):
                return keep[pos - len(word)]
            return keep[pos]
        # Locative 中 after a medium or tissue ('培养基中乳酸脱氢酶', '血清中'), not 中性/中枢.
        if (flat[pos - 1] == "中" and pos >= 2
                and (flat[pos - 2] in ZH_CONTAINER_CHARS or ZH_LOCATIVE_OPEN in flat[:pos - 2])
                and flat[pos] not in ZH_ZHONG_COMPOUND_NEXT
                and sum(not ch.isspace() for ch in flat[pos:]) >= min_after_weak):
            return keep[pos]
    return 0



def _predicate_or_arm_end(span: str) -> int:
    """Offset in ``span`` right after the last modal + effect verb run ('可提高', '能够显著降低')
    or group named by a code ('BMSCs组') that leaves a term behind (``ZH_EFFECT_VERBS``,
    ``ZH_CODE_ARM_RE``); 0 when there is none."""
    keep = [k for k, ch in enumerate(span) if ch not in "\r\n"]
    flat = "".join(span[k] for k in keep)
    runs = sorted([*_MODAL_VERB_RE.finditer(flat), *ZH_CODE_ARM_RE.finditer(flat)], key=lambda m: m.end())
    for m in reversed(runs):
        if m.re is ZH_CODE_ARM_RE and flat[m.end()] in ZH_GROUP_COMPOUND_NEXT:
            continue  # 'MHC组织相容性': 组 opens a word
        if any(flat.startswith(w, m.start() - len(w) + 1) for w in ZH_MODAL_COMPOUNDS if m.start() >= len(w) - 1):
            continue  # '功能改善': 能 ends a noun
        rest = flat[m.end():].strip()
        if (_cjk_count(rest) < MIN_ZH_CHARS or not CJK_RE.match(rest) or rest[0] in ZH_NOMINAL_SUFFIXES
                or rest in ZH_GENERIC_WORDS):
            continue
        return keep[m.end()]
    return 0


def _cjk_count(s: str) -> int:
    return sum(1 for ch in s if not ch.isspace())


@functools.lru_cache(maxsize=8)
def _median_line_length(text: str) -> float:
    """Median length of the non-blank lines of ``text`` (the width of a wrapped line)."""
    lengths = [len(ln) for ln in text.splitlines() if ln.strip()]
    return statistics.median(lengths) if lengths else 0.0


def _after_wrap(span: str, cut: int, min_after_weak: float, line_text: str, line_offset: int) -> int:
    """Start after the last line break in ``span`` when the rest is a term by itself.

    A break inside a term is a PDF wrap ('骨髓间充\\n质干细胞'); a break before a whole term
    after a title, a heading or a section label ends that line. ``line_text[line_offset:]``
    starts with ``span``, so the whole line before the break can be read.
    """
    nl = span.rfind("\n", cut)
    if nl < 0:
        return cut
    line_end = len(line_text[:line_offset + nl].rstrip())  # blank lines between count as one break
    line_start = line_text.rfind("\n", 0, line_end) + 1
    line = line_text[line_start:line_end]
    if CLAUSE_PUNCTUATION_RE.search(line) or len(line) >= SHORT_LINE_SHARE * _median_line_length(line_text):
        return cut
    rest = span[nl + 1:]
    if CJK_RE.match(rest.lstrip()) and _cjk_count(rest) >= max(ZH_WRAP_MIN_CHARS, min_after_weak):
        return nl + 1
    return cut


def _qualifier_kept(cues: tuple[str, ...], short: str, long_en: str | None, anywhere: bool = False) -> bool:
    """Whether the English long form (or else the short form) expresses a qualifier's cues."""
    if long_en:
        low = long_en.lower()
        return any(c in low for c in cues)
    letters = [c for c in short.lower() if c.isalpha()]
    if not letters:
        return True
    initials = {c[0] for c in cues}
    return bool(initials & set(letters)) if anywhere else letters[0] in initials


def _trim_qualifiers(span: str, cut: int, short: str, long_en: str | None) -> int:
    """Move ``cut`` past leading species, sample, population and verb words and past a time
    word ('后') that the short form and the English long form do not express.

    The rest must stay a term: at least ``MIN_ZH_CHARS`` characters, starting with Chinese,
    and not a bare generic head noun (``ZH_GENERIC_WORDS``).
    """
    def still_a_term(k: int) -> bool:
        rest = span[k:].strip()
        return (_cjk_count(rest) >= MIN_ZH_CHARS and bool(CJK_RE.match(rest)) and rest not in ZH_GENERIC_WORDS
                and not rest.startswith(ZH_BOUND_STARTS))

    if not short and not long_en:
        return cut
    changed = True
    while changed:
        changed = False
        head = span[cut:]
        if head.startswith(ZH_QUALIFIER_COMPOUNDS):
            break
        table = _QUALIFIERS_WITH_CLASSES if long_en else _QUALIFIERS
        count = ZH_KIND_COUNT_RE.match(head)
        if count and still_a_term(cut + count.end()):
            cut += count.end()
            changed = True
            continue
        word = next((w for w in table if head.startswith(w)), None)
        if word and still_a_term(cut + len(word)) and not _qualifier_kept(table[word], short, long_en):
            cut += len(word)
            changed = True
    k = span.rfind(ZH_TIME_WORD, cut, len(span) - MIN_ZH_CHARS)
    if k >= 0 and not span.startswith(ZH_TIME_COMPOUNDS, k) and still_a_term(k + 1) \
            and not _qualifier_kept(ZH_TIME_CUES, short, long_en, anywhere=True):
        cut = k + 1
    return cut


def _english_anchor(span: str, cut: int, long_en: str | None) -> int:
    """Start the Chinese where the English long form's (or else the short form's) first code starts.

    'β-site amyloid precursor protein-cleaving enzyme 1' starts with 'β', so
    '…天冬氨酸蛋白酶β-位淀粉样蛋白…' starts at 'β-位'; '增溶剂β-环糊精 (β-CD)' starts at 'β'. Only
    codes (Greek letters, words with capitals or digits) anchor; a plain English word never
    occurs inside the Chinese.
    """
    if not long_en:
        return cut
    m = re.match(rf"[A-Za-z0-9{_GREEK}]+", long_en)
    if not m or not (re.search(rf"[A-Z0-9{_GREEK}]", m.group())):
        return cut
    k = span.rfind(m.group(), cut + 1)
    if k > cut and CJK_RE.match(span[k - 1]) and CJK_RE.search(span[k:]):
        return k
    return cut


def _latin_prefix(text: str, start: int, short: str, long_en: str | None) -> int:
    """Extend the term over a Latin prefix glued to it when the short form or the English long
    form starts with that prefix: 'c-Jun氨基末端激酶' (c-Jun N-terminal kinase), 'FGF受体'
    (FGFR), '3H-胸腺嘧啶' (3H-TdR)."""
    m = re.search(r"(?<![A-Za-z0-9])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*-?$", text[max(0, start - 16):start])
    if not m or start >= len(text) or not _is_term_char(text[start]):
        return start
    keys = [k for k in (_norm(short), _norm(long_en)) if k]
    pieces = m.group().rstrip("-").split("-")
    for n in range(len(pieces)):
        prefix = "-".join(pieces[n:])
        key = _norm(prefix)
        if key and not key.isdigit() and any(k.startswith(key) and k != key for k in keys):
            full = prefix + ("-" if m.group().endswith("-") else "")
            return start - len(full)
    return start


def _covers(span: str, pos: int, word: str) -> bool:
    """Whether an occurrence of ``word`` straddles or touches the cut at ``pos``."""
    for m in re.finditer(re.escape(word), span):
        if m.start() < pos <= m.end() - 1 or m.end() == pos:
            return True
    return False


def _zh_size(long_en: str | None, short: str) -> tuple[int, float]:
    """(most, fewest-after-a-weak-cut) characters of the Chinese long form.

    Sized by the English content words ('C-X-C chemokine receptor-4' has 2) or, without an
    English long form, by the short form's capitals and digits.
    """
    if long_en:
        units = len([w for w in re.split(r"[\s\-–/]+", long_en)
                     if sum(c.isalpha() for c in w) >= 3 and w.lower() not in EN_FUNCTION_WORDS]) or 1
    else:
        units = sum(1 for c in short if c.isupper() or c.isdigit() or c in GREEK_TO_LATIN) or _short_alnum(short)
    return ZH_CHARS_PER_WORD * units + ZH_CHARS_MARGIN, ZH_MIN_CHARS_PER_WORD * units


# ---------------------------------------------------------------------------
# Brackets
# ---------------------------------------------------------------------------
def _brackets(text: str) -> Iterator[tuple[int, int]]:
    """(open, close) offsets of each outermost-or-inner bracket pair, content ≤ MAX_PAREN_CHARS."""
    stack: list[int] = []
    for i, c in enumerate(text):
        if c in OPEN_PARENS:
            stack.append(i)
        elif c in CLOSE_PARENS and stack:
            o = stack.pop()
            if i - o - 1 <= MAX_PAREN_CHARS:
                yield o, i
        elif c == "\n" and len(stack) > 3:
            stack = stack[-3:]


def _strip_span(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _word_before(text: str, o: int) -> tuple[int, int] | None:
    """Span of the word right before offset ``o`` (for the reverse form 'OVX (ovariectomy)')."""
    b = o
    while b > 0 and text[b - 1] in " \t":
        b -= 1
    a = b
    while a > 0 and not text[a - 1].isspace() and text[a - 1] not in OPEN_PARENS + CLOSE_PARENS + ",;:，；：。、" \
            and not CJK_RE.match(text[a - 1]):
        a -= 1
    return (a, b) if a < b else None


def _from_bracket(text: str, o: int, c: int) -> Definition | None:
    a, b = _strip_span(text, o + 1, c)
    if a >= b or FORMULA_CHARGE_RE.match(text, c + 1) or (
            FORMULA_COUNT_RE.match(text, c + 1) and o > 0 and text[o - 1].isascii() and text[o - 1].isalnum()):
        return None
    if o > 0 and CJK_RE.search(text[max(0, o - 12):o]) and QUANTITY_NOTATION_RE.search(text, max(0, o - 2), o + 1):
        return None
    content = repair_line_breaks(text[a:b])
    before = text[max(0, o - 400):o]
    # (english long form, SHORT) - optionally after a Chinese term.
    inner = text[a:b]
    seps = [m.start() for m in re.finditer(f"[{INNER_SEPARATORS}]", inner)
            if not (0 < m.start() < len(inner) - 1 and inner[m.start() - 1].isdigit() and inner[m.start() + 1].isdigit())
            and (m.group() not in ":：" or COLON_SEPARATOR_RE.match(inner, m.start()))]
    if not seps and o > 0 and CJK_RE.match(text[o - 1]) and (spaced := _space_separated(inner)):
        seps = [spaced]  # '（bone mineral density BMD）': the separator was lost
    if seps:
        last = a + seps[-1]
        sa, sb = _strip_span(text, last + 1, b)
        short = repair_line_breaks(text[sa:sb])
        long_en = repair_line_breaks(text[a:last]).rstrip(" ,")
        if is_short_form(short) and IDENTIFIER_REMARK_RE.match(long_en) and not CJK_RE.search(before[-1:]):
            # '(EC 1.11.1.9; GPx)': the identifier is a remark, the long form stands before the bracket.
            if long := best_long_form(short, before):
                return Definition(short, long, None, sa, sb, "en_short")
        if is_short_form(short) and _english_long(long_en) and _initial_letter_ok(short, long_en):
            zh = zh_long_form(text, o, _zh_size(long_en, short), short, long_en)
            if zh and zh[1] in ZH_GENERIC_WORDS:
                zh = None
            # Without a Chinese term before it, '(long, SHORT)' must also pass the English checks
            # (so that lists such as '(dimethyl-[DMP], diethyl, DEP)' are not read as definitions).
            if zh or _explicit_english_ok(short, long_en):
                form = "zh_en_short" if zh else "en_short"
                if zh:
                    long_en = _restore_head_noun(long_en, zh[1], short)
                return Definition(short, long_en, zh[1] if zh else None, sa, sb, form)
        # (SHORT; n = 10), (SHORT, 2 weeks): the short form comes first.
        fa, fb = _strip_span(text, a, a + seps[0])
        first = repair_line_breaks(text[fa:fb])
        rest = repair_line_breaks(text[a + seps[0] + 1:b]).strip(" ,，")
        if len(seps) == 1 and is_short_form(first) and _english_long(rest) and _explicit_english_ok(first, rest):
            # 间充质干细胞（MSCs, mesenchymal stem cells）: the short form first, then the English.
            zh = zh_long_form(text, o, _zh_size(rest, first), first, rest)
            if zh and zh[1] not in ZH_GENERIC_WORDS:
                return Definition(first, rest, zh[1], fa, fb, "zh_en_short")
        if is_short_form(first):
            found = _single_short(text, o, first, fa, fb, before)
            if found:
                return found
        elif SINGLE_LETTER_RE.match(first) and not _panel_label(text, o, first) \
                and (long := _single_letter_long(first, before)):
            return Definition(first, long, None, fa, fb, "en_short")
        # 'ACE (angiotensin-converting enzyme; EC 3.4.15.1)': a remark after a semicolon is not
        # part of the reverse long form.
        if len(seps) == 1 and (both := _reverse_bilingual(text, o, inner[:seps[0]], inner[seps[0] + 1:])):
            return both
        semi = re.search(r"[;；]", content)
        return (semi and _reverse(text, o, content[:semi.start()].rstrip())) or _reverse(text, o, content)
    if is_short_form(content):
        return _single_short(text, o, content, a, b, before)
    if SINGLE_LETTER_RE.match(content) and not _panel_label(text, o, content):
        long = _single_letter_long(content, before)
        return Definition(content, long, None, a, b, "en_short") if long else None
    return _reverse(text, o, content)


def _space_separated(inner: str) -> int | None:
    """Offset of the space before a final acronym in '骨密度（english long form SHORT）', or None.

    Only after a Chinese term, where the bracket is known to gloss it; the long form must spell
    the acronym mostly with word initials."""
    m = re.search(r"\s+(\S+)\s*$", inner)
    if not m or " " not in inner.strip():
        return None
    head, last = inner[:m.start()].strip(), m.group(1)
    if not (_looks_like_acronym(last) and is_short_form(last) and _english_long(head)
            and _explicit_english_ok(last, head)):
        return None
    found = _initial_match(last, head)
    letters = sum(c.isalpha() for c in last)
    return m.start() if found and found[1] >= REVERSE_MIN_INITIAL_SHARE * letters else None


def _restore_head_noun(long_en: str, long_zh: str, short: str) -> str:
    """'雪旺细胞（Schwann，SCs）' -> 'Schwann cells': the English lost the head noun that the
    Chinese ends with (``ZH_HEAD_NOUNS_EN``) and that the short form's last capital stands for;
    a plural short form ('SCs') gets the plural noun.

    Args:
        long_en: The English long form as given.
        long_zh: The Chinese long form before the bracket.
        short: The short form.

    Returns:
        The English long form, completed with the head noun when it lost it.
    """
    head = next((en for zh, en in ZH_HEAD_NOUNS_EN.items() if long_zh.endswith(zh)), None)
    plural = short.endswith("s") and short[:-1][-1:].isupper()
    stem = short[:-1] if plural else short
    if not head or not stem[-1:].isupper() or stem[-1].lower() != head[0]:
        return long_en
    last = long_en.split()[-1]
    if last.lower().startswith(head[0]) or head in long_en.lower():
        return long_en
    # The head may hide inside the last word ('osteoclasts' for 破骨细胞, OCs): only a word that
    # cannot be the head itself is completed - a name without plural s ('Schwann', SCs), or a
    # capitalised eponym for a singular short form ('Leydig', LC).
    if (plural and last.endswith("s")) or (not plural and not last[:1].isupper()):
        return long_en
    return f"{long_en} {head}{'s' if plural else ''}"


def _explicit_english_ok(short: str, long: str) -> bool:
    """'(green fluorescent protein, GFP)': the long form matches from its first word."""
    spelt = _spelt_digits(short, long)
    found = _initial_match(short, long) or (spelt and _initial_match(spelt, long)) \
        or _initial_match(re.sub(r"[\d\W_]+", "", short), long)
    return bool(found) and found[0] == 0 and _acceptable_pair(short, long, found[1])


def _reverse(text: str, o: int, content: str) -> Definition | None:
    """SHORT (long form): 'OVX (ovariectomy)', 'Sdic (for sperm-specific dynein intermediate chain)'."""
    content = REVERSE_LEAD_RE.sub("", content)
    if CJK_RE.search(content):
        return _reverse_zh(text, o, content)
    if not _english_long(content):
        return None
    wb = _word_before(text, o)
    if not wb:
        return None
    short = text[wb[0]:wb[1]]
    if not is_short_form(short) or not any(ch.isupper() for ch in short):
        return None
    letters = sum(1 for ch in short if ch.isalpha())
    found = _initial_match(short, content) or _initial_match(re.sub(r"[\d\W_]+", "", short), content)
    if not found or found[0] != 0 or found[1] < REVERSE_MIN_INITIAL_SHARE * letters:
        if not _prefix_in_order(short, content):
            return None
        found = (0, 1)
    if len(content.split()) > min(letters + LONG_FORM_EXTRA_WORDS, LONG_FORM_WORD_FACTOR * max(letters, 1)):
        return None
    if not _acceptable_pair(short, content, found[1]):
        return None
    return Definition(short, content, None, wb[0], wb[1], "short_en")


def _reverse_bilingual(text: str, o: int, left: str, right: str) -> Definition | None:
    """SHORT（english long form，中文术语） or SHORT（中文术语，english long form）: both long forms
    of the short form before the bracket, each checked as in :func:`_reverse` and :func:`_reverse_zh`."""
    left, right = repair_line_breaks(left), repair_line_breaks(right)
    if bool(CJK_RE.search(left)) == bool(CJK_RE.search(right)):
        return None
    zh_part, en_part = (left, right) if CJK_RE.search(left) else (right, left)
    en, zh = _reverse(text, o, en_part), _reverse_zh(text, o, zh_part)
    if en and zh and en.short == zh.short:
        return replace(en, long_zh=zh.long_zh)
    return en or zh


def _reverse_zh(text: str, o: int, content: str) -> Definition | None:
    """SHORT（中文术语）: 'BDNF（脑源性神经营养因子）'.

    Nothing ties the letters to the Chinese, so the bracket must hold one bare term: Chinese
    characters (short Latin pieces allowed), no punctuation or digits, no function word or
    verb, no group or figure word, and a size that fits the short form.
    """
    wb = _word_before(text, o)
    if not wb:
        return None
    short = text[wb[0]:wb[1]]
    if not (is_short_form(short) and _looks_like_acronym(short)):
        return None
    # The last word of an English phrase ('receptor activator of NF-κB(中文)') is glossed, not defined.
    left = text[max(0, wb[0] - 2):wb[0]].rstrip(" ")
    if left and left[-1].isascii() and left[-1].isalnum():
        return None
    term = ZH_GLOSS_LEAD_RE.sub("", repair_line_breaks(content))
    if not re.fullmatch(rf"[{_CJK}{_ROMAN}]+(?:[ \-–]?[A-Za-z{_GREEK}]{{1,{MAX_LATIN_IN_ZH}}}[ \-–]?[{_CJK}{_ROMAN}]*)*"
                        rf"(?:[ \-–]?\d{{1,3}})?", term):
        return None
    most, _ = _zh_size(None, short)
    if not MIN_ZH_CHARS < len(term) <= most or term.endswith(ZH_NOT_A_TERM_ENDINGS):
        return None
    if any(w in term for w in ZH_LEFT_BOUNDARY_WORDS if len(w) > 1) or any(w in term for w in ZH_NOT_A_TERM_WORDS):
        return None
    return Definition(short, None, term, wb[0], wb[1], "short_zh")


def _prefix_in_order(short: str, long: str) -> bool:
    """'OVX (ovariectomy)': the long form starts with the short form's first letter and the
    first ``REVERSE_PREFIX_SHARE`` of its letters occur in order (the X of -ectomy is not spelt)."""
    s_key = [c for c in _match_key(short) if c.isalpha()]
    l_key = _match_key(long)
    if len(s_key) < 2 or not l_key.startswith(s_key[0]):
        return False
    need = max(2, math.ceil(REVERSE_PREFIX_SHARE * len(s_key)))
    pos = 0
    for c in s_key[:need]:
        pos = l_key.find(c, pos)
        if pos < 0:
            return False
        pos += 1
    return True


def _single_short(text: str, o: int, short: str, a: int, b: int, before: str) -> Definition | None:
    # A Chinese term right before the bracket: 降钙素基因相关肽 (CGRP), 神经肽Y(NPY).
    i = o
    while i > 0 and text[i - 1] in " \t\n":
        i -= 1
    if i > 0 and text[i - 1] in CLOSE_PARENS and (pair := _english_bracket_before(text, i - 1, short)):
        return Definition(short, pair[1], pair[0], a, b, "zh_en_short")
    if i > 0 and (CJK_RE.match(text[i - 1]) or _latin_tail_after_cjk(text, i)):
        if not _looks_like_acronym(short) or text[o] == "[":
            return None  # '[CDB]/[AIBN]' after Chinese is a concentration, not a definition
        zh = zh_long_form(text, o, _zh_size(None, short), short)
        if zh and zh[1].endswith(ZH_MARKER_WORDS) and not short.rstrip("s").upper().endswith("M"):
            return None  # '成骨分化标志物（ALP）' names a member of the class, not the class
        if zh and not zh[1].endswith(ZH_SUPPLIER_WORDS) and zh[1] not in ZH_GENERIC_WORDS:
            return Definition(short, None, zh[1] + _head_after_bracket(text, b, short, zh[1]), a, b, "zh_short")
        return None
    long = best_long_form(short, before)
    if long:
        return Definition(short, long, None, a, b, "en_short")
    return None


def _english_bracket_before(text: str, close: int, short: str) -> tuple[str, str] | None:
    """骨关节炎（osteoarthritis）（OA）: the English long form in its own bracket right before the
    short form's, after the Chinese term. Returns (long_zh, long_en) or None."""
    p = close - 1
    while p >= 0 and text[p] not in OPEN_PARENS + CLOSE_PARENS and close - p <= MAX_PAREN_CHARS:
        p -= 1
    if p < 0 or text[p] not in OPEN_PARENS:
        return None
    inner = repair_line_breaks(text[p + 1:close])
    if not (_english_long(inner) and _explicit_english_ok(short, inner)):
        return None
    zh = zh_long_form(text, p, _zh_size(inner, short), short, inner)
    return (zh[1], inner) if zh and zh[1] not in ZH_GENERIC_WORDS else None


def _head_after_bracket(text: str, b: int, short: str, long_zh: str) -> str:
    """The head noun written after the bracket: '视觉模拟(VAS)评分' is '视觉模拟评分'.

    Returned when the short form's last capital is the head's English initial
    (``ZH_HEADS_AFTER_BRACKET``) and the Chinese before the bracket does not end with a head.
    """
    k = b
    while k < len(text) and text[k] in " \t":
        k += 1
    if k >= len(text) or text[k] not in CLOSE_PARENS:
        return ""
    capitals = [c for c in short if c.isupper()]
    for head, initial in ZH_HEADS_AFTER_BRACKET.items():
        if text.startswith(head, k + 1) and capitals and capitals[-1].lower() == initial \
                and not long_zh.endswith(tuple(ZH_HEADS_AFTER_BRACKET)):
            return head
    return ""


def _looks_like_acronym(short: str) -> bool:
    """A bare bracket after a Chinese term holds an abbreviation only when it looks like one.

    'VEGF', 'MSCs', 'TGF-β', 'IL-6', 'hUC-MSCs' pass; English words ('Technologies',
    'Invitrogen'), catalogue and clone numbers ('P0321', '8H10D10'), spaced or joined
    labels ('USD M', 'AdRFP+AdGFP') do not.
    """
    if " " in short or set(short) & set("+&#/"):
        return False
    capitals = sum(1 for c in short if c.isupper() or c in GREEK_TO_LATIN)
    letters = sum(1 for c in short if c.isalpha())
    digits = sum(1 for c in short if c.isdigit())
    if capitals < MIN_ACRONYM_CAPITALS or digits >= letters:
        return False
    return not re.search(f"[a-z]{{{MAX_ACRONYM_LOWER_RUN + 1},}}", short)


def _panel_label(text: str, o: int, letter: str) -> bool:
    """'Western blotting (B)': a one-letter bracket next to the neighbouring letter's bracket
    ('(A)', '(C)') within ``PANEL_WINDOW`` characters labels a figure panel or a list item."""
    near = text[max(0, o - PANEL_WINDOW):o + PANEL_WINDOW]
    for other in {chr(ord(letter) - 1), chr(ord(letter) + 1)} - {"@", "["}:
        if re.search(rf"[(（\[]{other}[)）\],，]", near):
            return True
    return False


def _single_letter_long(letter: str, before: str) -> str | None:
    """'masseter (M)', 'progesterone (P)': the word right before the bracket, when it starts
    with the letter and is long enough to be a term (``MIN_SINGLE_LETTER_WORD``)."""
    m = re.search(r"([A-Za-z][A-Za-z\-]*)\s*$", before)
    if not m:
        return None
    word = m.group(1)
    if len(word) < MIN_SINGLE_LETTER_WORD or word[0].lower() != letter.lower() or word.lower() in CLAUSE_WORDS:
        return None
    # A locant or isomer code glued before the word belongs to it: '17β-estradiol (E2)'.
    code = re.search(rf"(?:^|\s)([0-9{_GREEK}][0-9A-Za-z{_GREEK},′']*-(?:[A-Za-z{_GREEK}]+-)?)$", before[:m.start(1)])
    return (code.group(1) + word) if code and re.search(rf"[0-9{_GREEK}]", code.group(1)) else word


def _latin_tail_after_cjk(text: str, i: int) -> bool:
    """'神经肽Y(NPY)', '因子-2 (BMP-2)': a short code glued to a Chinese term."""
    j = i
    while j > 0 and i - j <= MAX_LATIN_SUFFIX_ZH and not CJK_RE.match(text[j - 1]) and text[j - 1] not in "\n,，.;；":
        j -= 1
    return j > 0 and i - j <= MAX_LATIN_SUFFIX_ZH and bool(CJK_RE.match(text[j - 1]))


def _english_long(s: str) -> bool:
    """Whether ``s`` reads as an English long form: Latin words, no Chinese, mostly letters."""
    if not s or CJK_RE.search(s) or STATISTIC_RE.search(s):
        return False
    letters = sum(1 for c in s if c.isalpha())
    return letters >= 3 and letters >= 0.6 * len(s.replace(" ", "")) and bool(re.search(r"[A-Za-z]{3}", s))


def _initial_letter_ok(short: str, long: str) -> bool:
    """A bracketed '(long, SHORT)' pair: the short form's first letter starts some long-form word."""
    key = _match_key(_spelt_digits(short, long) or short)  # '(three-dimensional, 3D)'
    first = next((ch for ch in key if ch.isalnum()), "")
    words = re.split(r"[\s\-–/]+", _match_key(long))
    return any(w.startswith(first) for w in words if w) or _sh_match(short, long) is not None


# ---------------------------------------------------------------------------
# Glossaries
# ---------------------------------------------------------------------------
def _glossary(text: str, lexicon: Lexicon | None = None) -> Iterator[Definition]:
    in_block = False
    for line_m in re.finditer(r"[^\n]*", text):
        line, base = line_m.group(), line_m.start()
        if GLOSSARY_BLOCK_HEAD_RE.match(line):
            in_block = True
            continue
        if in_block:
            # One item per line under an 'Abbreviations' heading: 'ALP\tAlkaline phosphatase'.
            m = GLOSSARY_LINE_ITEM_RE.match(line)
            forms = m and _glossary_item(m.group("short"), m.group("long"), lexicon)
            if forms:
                s_off = base + m.start("short")
                yield Definition(m.group("short"), *forms, s_off, s_off + len(m.group("short")), "glossary")
                continue
            in_block = not line.strip() and line_m.start() == line_m.end()  # a blank line may follow the heading
            if in_block:
                continue
        head = GLOSSARY_HEAD_RE.search(line)
        body_start = head.end() if head else 0
        items = []
        pos = body_start
        for part in GLOSSARY_ITEM_SPLIT_RE.split(line[body_start:]):
            m = GLOSSARY_ITEM_RE.match(part)
            off = line.find(part, pos) if part else pos
            pos = off + len(part)
            if not m:
                continue
            forms = _glossary_item(m.group("short"), m.group("long"), lexicon)
            if not forms:
                continue
            s_off = base + off + m.start("short")
            items.append(Definition(m.group("short"), *forms, s_off, s_off + len(m.group("short")), "glossary"))
        if items and (len(items) >= MIN_GLOSSARY_ITEMS or (head and head.start() < 3)):
            yield from items


def _glossary_item(short: str, long: str, lexicon: Lexicon | None) -> tuple[str | None, str | None] | None:
    """(long_en, long_zh) of one glossary item, or None when it is not one."""
    if not is_short_form(short):
        return None
    long_en, long_zh = _split_bilingual(long)
    if long_en and not (_glossary_english_ok(short, long_en) or _known_name(short, long_en, lexicon)):
        return None
    if not long_en and not (long_zh and _looks_like_acronym(short)):
        return None  # a Chinese gloss alone ties no letters: the short form must look like one ('BMD 骨密度')
    return long_en, long_zh


def _known_name(short: str, long: str, lexicon: Lexicon | None) -> bool:
    """Whether the rule tables give ``long`` as a name of the one concept ``short`` names."""
    names = lexicon and _names_of(short, lexicon)
    return bool(names) and _norm(long) in {_norm(n) for n in (*names[0], *names[1])}


def _glossary_english_ok(short: str, long: str) -> bool:
    """A glossary item's English long form must match the short form from its first word
    and respect Schwartz & Hearst's word limit (so 'Thus, the cells ...' is not an item);
    'OVX, ovariectomized' (the X of a removal) is also an item."""
    n = _short_alnum(short)
    if len(long.split()) > min(n + LONG_FORM_EXTRA_WORDS, LONG_FORM_WORD_FACTOR * n):
        return False
    if EXCISION_SHORT_RE.match(short) and _excision_long(short, long) == long:
        return True
    found = _sh_match(_spelt_digits(short, long) or short, long)
    return found is not None and found[0] == 0 and _acceptable_pair(short, long, found[1])


def _split_bilingual(long: str) -> tuple[str | None, str | None]:
    """'monosodium iodoacetate 单碘乙酸钠' -> ('monosodium iodoacetate', '单碘乙酸钠')."""
    long = repair_line_breaks(long)
    # 'extracellular matrix(细胞外基质)': the Chinese form in brackets after the English one.
    long = re.sub(rf"[(（]([^()（）]*[{_CJK}][^()（）]*)[)）]\s*$", r" \1", long)
    m = CJK_RE.search(long)
    if not m:
        return (long if _english_long(long) else None), None
    en, zh = long[: m.start()].strip(" ,，"), long[m.start():].strip(" ,，")
    if re.search(r"[A-Za-z]{3}", zh) and not CJK_RE.search(zh[-1:]):
        return None, None  # English after Chinese: not a glossary item we understand
    return (en if en and _english_long(en) else None), (zh or None)


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Lexicon:
    """What ``rules/`` tells this stage.

    ``english_words`` (lower case) split glued long forms; ``zh_by_en`` maps a normalised English
    name ('bonemineraldensity') to the Chinese names of the same concept, longest first, so that a
    Chinese long form with extra words before a known name is cut to that name; ``names_by_short``
    gives the English and Chinese names (longest first) of the one concept a short form names, so
    that 'Runt-related transcription factor 2 (Runx2)', whose letters do not spell the short form,
    is still read as a definition. (Chinese long forms given without English are not cut to a
    known name: the paper's term is often more specific than the short form's concept,
    '骨髓间充质干细胞 (MSCs)'.)
    """

    english_words: frozenset[str] = frozenset()
    zh_by_en: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # short form (as written, an ``abbr`` alias of exactly one concept) -> (English names, Chinese names)
    names_by_short: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)


def find_definitions(text: str, lexicon: Lexicon | None = None) -> list[Definition]:
    """Every abbreviation definition in ``text``, in text order.

    Args:
        text: Any string: a sentence, an abstract, a whole paper.
        lexicon: Names from ``rules/`` (:func:`lexicon_from_rules`); without it the paper's own
            words still split glued long forms.

    Returns:
        Definitions with offsets of the short form into ``text``; a short form defined
        twice appears twice (:func:`merge_definitions` keeps one row per definition).
    """
    lexicon = lexicon or Lexicon()
    found = [d for o, c in _brackets(text)
             if (d := _from_bracket(text, o, c) or (lexicon.names_by_short and _known_definition(text, o, c, lexicon)))]
    found.extend(_glossary(text, lexicon))
    found.sort(key=lambda d: d.start)
    if any(d.long_en and len(d.long_en) >= MIN_GLUED_WORD for d in found):
        words = lexicon.english_words | _text_words(text)
        found = [replace(d, long_en=unglue(d.long_en, words)) if d.long_en else d for d in found]
    if lexicon.zh_by_en:
        found = [_known_chinese_name(d, lexicon) for d in found]
    return found


# A rule-table name whose initials hold at least this share of the short form's letters, the
# first included, spells it out of order (P1NP, CTX); a synonym shares hardly any ('serotonin (5-HT)',
# 'reduced glutathione (GSH)' has 1 of 3).
KNOWN_NAME_INITIAL_SHARE = 2 / 3


def _known_definition(text: str, o: int, c: int, lexicon: Lexicon) -> Definition | None:
    """'Runt-related transcription factor 2 (Runx2)': a bracket holding only a short form that the
    rule tables know, right after one of its concept's names (English or Chinese, compared
    ignoring case, spaces and hyphens). The letters need not spell the short form: the tables
    vouch for the pair. An English name must still start with the short form's first letter:
    'serotonin (5-HT)' names the concept by a synonym, which abbreviation gold does not count.

    Returns:
        The definition with the name as the paper writes it, or None.
    """
    a, b = _strip_span(text, o + 1, c)
    short = text[a:b]
    names = _names_of(short, lexicon)
    if not names or not is_short_form(short):
        return None
    before = text[max(0, o - 120):o].rstrip()
    for lang, pool in zip(("en", "zh"), names):
        for name in pool:
            m = _name_at_end(before, name)
            if m is None:
                continue
            if lang == "en":
                if re.search(rf"(?<!\w){re.escape(short)}(?!\w)", m):
                    continue  # 'GM1 ganglioside (GM1)' repeats the short form
                name_start = _match_key(LOCANT_PREFIX_RE.sub("", m))[:1]  # '17β-estradiol (E2)'
                if _match_key(_spelt_digits(short, m) or short)[:1] not in (_match_key(m)[:1], name_start) \
                        and not _initials_out_of_order(short, m):
                    continue  # a synonym ('serotonin (5-HT)', 'Reduced glutathione (GSH)'), not its spelling
                return Definition(short, repair_line_breaks(m), None, a, b, "en_short")
            return Definition(short, None, repair_line_breaks(m), a, b, "zh_short")
    return None


def _initials_out_of_order(short: str, name: str) -> bool:
    """'N-terminal propeptide of type I procollagen (P1NP)': the short form's letters are word
    initials of the name in another order (``KNOWN_NAME_INITIAL_SHARE`` of them, the first one
    included), as marker names are reordered in English."""
    letters = [ch for ch in _match_key(short) if ch.isalpha()]
    initials = {w[0] for w in re.split(r"[\s\-–/]+", _match_key(name)) if w}
    if len(letters) < 2 or letters[0] not in initials:
        return False
    return sum(ch in initials for ch in letters) >= KNOWN_NAME_INITIAL_SHARE * len(letters)


def _names_of(short: str, lexicon: Lexicon) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The concept names of a short form, or of its singular ('MSCs' -> 'MSC')."""
    return lexicon.names_by_short.get(short) or (short.endswith("s") and lexicon.names_by_short.get(short[:-1])) or None


def _name_at_end(before: str, name: str) -> str | None:
    """The text at the end of ``before`` that spells ``name`` ignoring case, spaces and hyphens,
    starting at a word boundary; None when it does not end with the name."""
    key = _norm(name) or ""
    if len(key) < MIN_ZH_CHARS + 1:
        return None
    k, i = len(key), len(before)
    while k > 0 and i > 0:
        ch = before[i - 1]
        if ch in " -–‐\n\t":
            i -= 1
            continue
        if ch.lower() != key[k - 1]:
            return None
        i, k = i - 1, k - 1
    if k > 0:
        return None
    if i > 0 and before[i - 1].isascii() and before[i - 1].isalnum() and before[i].isascii():
        return None  # 'pre-Runt...' ends inside a longer word
    if i > 0 and before[i - 1] in "-–" and before[i].isascii():
        # As in Schwartz & Hearst the whole word is kept: '17β-estradiol (E2)'.
        i = max(before.rfind(" ", 0, i - 1), before.rfind("\n", 0, i - 1)) + 1
    return before[i:]


def _known_chinese_name(d: Definition, lexicon: Lexicon) -> Definition:
    """Cut the Chinese long form to the known Chinese name of its English long form when the
    Chinese ends with it: '腰椎骨密度 (bone mineral density, BMD)' -> '骨密度'."""
    if not (d.long_en and d.long_zh):
        return d
    names = lexicon.zh_by_en.get(_norm(d.long_en) or "", ())
    zh = _norm(d.long_zh) or ""
    if not names or zh in {_norm(n) for n in names}:
        return d
    for name in names:
        key = _norm(name) or ""
        if len(key) >= MIN_ZH_CHARS and zh.endswith(key):
            return replace(d, long_zh=name)
    return d


# A word of the paper counts as a word for splitting when it occurs at least this often: a glued
# artefact ('centralnervoussystem') occurs once, so it must not vouch for itself.
MIN_TEXT_WORD_COUNT = 2


def _text_words(text: str) -> frozenset[str]:
    """Lower-case words that stand on their own in ``text`` at least ``MIN_TEXT_WORD_COUNT`` times."""
    counts = Counter(w.lower() for w in re.findall(r"(?<![A-Za-z])[A-Za-z]{3,}(?![A-Za-z])", text))
    return frozenset(w for w, n in counts.items() if n >= MIN_TEXT_WORD_COUNT)


def lexicon_from_rules(rules) -> Lexicon:
    """The :class:`Lexicon` of a :class:`pipeline.rules.Rules`.

    Args:
        rules: The loaded rule tables (aliases and concepts).

    Returns:
        English words (three letters or more) of every English alias and preferred name, and the
        Chinese names of each concept under each of its English names.
    """
    en: dict[str, set[str]] = {}
    zh: dict[str, set[str]] = {}
    for r in rules.aliases:
        if r["lang"] in ("en", "zh"):
            (en if r["lang"] == "en" else zh).setdefault(r["concept_id"], set()).add(r["alias"])
    for c in rules.concepts.values():
        if c.preferred_en:
            en.setdefault(c.concept_id, set()).add(c.preferred_en)
        if c.preferred_zh:
            zh.setdefault(c.concept_id, set()).add(c.preferred_zh)
    words = frozenset(w.lower() for names in en.values() for name in names for w in re.findall(r"[A-Za-z]{3,}", name))
    zh_by_en: dict[str, set[str]] = {}
    for cid, names in en.items():
        for name in names:
            zh_by_en.setdefault(_norm(name) or "", set()).update(zh.get(cid, ()))
    # Short forms of exactly one concept, and not listed as ambiguous.
    concepts_of: dict[str, set[str]] = {}
    for r in rules.aliases:
        if r["lang"] == "abbr":
            concepts_of.setdefault(r["alias"], set()).add(r["concept_id"])
    ambiguous = {r["short"] for r in getattr(rules, "ambiguous", ())}
    longest = functools.partial(sorted, key=len, reverse=True)
    by_short = {short: (tuple(longest(n for n in en.get(cid, ()) if n != short and not _is_code(n))),
                        tuple(longest(zh.get(cid, ()))))
                for short, cids in concepts_of.items() if len(cids) == 1 and short not in ambiguous
                for cid in cids}
    return Lexicon(words, {k: tuple(sorted(v, key=len, reverse=True)) for k, v in zh_by_en.items() if k and v},
                   by_short)


def _is_code(name: str) -> bool:
    """An English alias that is itself a symbol ('Cbfa1', 'TGF-β1'), not a spelt-out name."""
    return " " not in name.strip() and sum(c.isupper() or c.isdigit() for c in name) >= 2


def _norm(s: str | None) -> str | None:
    return re.sub(r"[\s\-–‐]+", "", s).lower() if s else None


def _merge_key(long_en: str) -> str:
    """English long forms that differ only in case, spaces, hyphens or a plural s are one
    definition: 'bone morphogenetic proteins 9' and 'bone morphogenetic protein9'."""
    return _norm(re.sub(r"(?<=[a-z]{3})s\b", "", long_en.lower())) or ""


# Two long forms of one short form in one paper are one definition written twice when their
# normalised spellings are this similar (rapidfuzz ratio, 0-100): typos ('stem cels', 'matrixc')
# and variants ('morphogenic'/'morphogenetic') score 90-97, different meanings far lower.
NEAR_DUPLICATE_RATIO = 90
# ... or when one is the other cut off before a trailing code of at most this many Latin, Greek or
# digit characters ('转化生长因子' for '转化生长因子β1'); extra Chinese characters or words make a
# different term ('间充质干细胞' and '骨髓间充质干细胞' are two definitions of MSCs).
NEAR_DUPLICATE_MAX_TAIL = 3


def _near_duplicate(a: str | None, b: str | None, key=_norm) -> bool:
    """Whether two long forms (either may be missing) can be one definition's spellings."""
    if not a or not b:
        return True
    ka, kb = key(a) or "", key(b) or ""
    if ka == kb:
        return True
    from rapidfuzz import fuzz

    short, long = sorted((ka, kb), key=len)
    tail = long[len(short):]
    if long.startswith(short) and len(tail) <= NEAR_DUPLICATE_MAX_TAIL and not CJK_RE.search(tail):
        return True
    return fuzz.ratio(ka, kb) >= NEAR_DUPLICATE_RATIO


# A word is a typo of the word at its place in the other spelling when it is not attested and
# this similar (rapidfuzz ratio) to that attested word: 'cels'/'cells' 89, 'matrixc'/'matrix' 92;
# spelling variants such as 'sulphur'/'sulfur' (77) are the author's choice and stay.
TYPO_WORD_RATIO = 85


def _has_typo(a: str, b: str, vocabulary: frozenset[str] | None) -> bool:
    """Whether English long form ``a`` misspells a word that ``b`` spells as ``vocabulary`` attests."""
    if not vocabulary:
        return False
    from rapidfuzz import fuzz

    theirs = [w for w in re.findall(r"[A-Za-z]{3,}", b.lower()) if w in vocabulary]
    return any(w not in vocabulary and any(fuzz.ratio(w, v) >= TYPO_WORD_RATIO for v in theirs)
               for w in re.findall(r"[A-Za-z]{3,}", a.lower()))


def _attested_share(long_en: str, vocabulary: frozenset[str]) -> float:
    """Share of the long form's words (three letters or more) found in ``vocabulary``."""
    words = [w.lower() for w in re.findall(r"[A-Za-z]{3,}", long_en)]
    return sum(w in vocabulary for w in words) / len(words) if words else 1.0


def _pick(values: list[tuple[str | None, int]], vocabulary: frozenset[str] | None, key=_norm) -> str | None:
    """The spelling to keep among near-duplicates, each with the number of long forms its row has.

    Spellings with one ``key`` are one spelling, written as it first appears; among the rest the
    one whose words the paper or the rule tables attest wins (English only, with ``vocabulary``),
    then the one from the fuller row, then the first.
    """
    spellings: dict[str, list] = {}  # key -> [first spelling, most long forms of its rows, first index]
    for k, (v, n) in enumerate(values):
        if v:
            entry = spellings.setdefault(key(v) or "", [v, n, k])
            entry[1] = max(entry[1], n)
    if not spellings:
        return None
    return max(spellings.values(),
               key=lambda e: (_attested_share(e[0], vocabulary) if vocabulary else 0.0, e[1], -e[2]))[0]


def _same(a: str | None, b: str | None, key=_norm) -> bool:
    """Whether two long forms (either may be missing) are one spelling under ``key``."""
    return not a or not b or key(a) == key(b)


def _fullness(d: Definition) -> int:
    return bool(d.long_en) + bool(d.long_zh)


def merge_definitions(defs: list[Definition], vocabulary: frozenset[str] | None = None) -> list[Definition]:
    """One row per distinct (short, long) definition, at its first position.

    A short form defined once with a Chinese and once with an English long form (and no
    conflict) becomes one row with both. Long forms that are near-duplicates
    (:data:`NEAR_DUPLICATE_RATIO`, a cut-off trailing code) are one definition when one row has
    more long forms or one spelling is a typo of the other (:data:`TYPO_WORD_RATIO`): the row
    keeps the spelling whose words ``vocabulary`` attests, else the one of the row with both long
    forms ('adipose derived stem cels' and 'adipose-derived stem cells, 脂肪来源干细胞' are one
    row). Long forms that differ more are different meanings and stay apart.

    Args:
        defs: Definitions in text order.
        vocabulary: Lower-case English words known to be spelt right (the paper's repeated
            words and the rule tables' words); without it the fuller row's spelling wins.

    Returns:
        Merged definitions in order of first appearance.
    """
    rows: list[Definition] = []
    sources: list[list[Definition]] = []
    for d in sorted(defs, key=lambda d: d.start):
        for k, row in enumerate(rows):
            if row.short != d.short:
                continue
            same = _same(row.long_en, d.long_en, _merge_key) and _same(row.long_zh, d.long_zh)
            # Near-duplicates are merged when one row has more long forms (a bilingual definition and
            # a cut-off or monolingual one) or one English spelling is a typo of the other; two
            # deliberate spellings of the same fullness ('PRL regulatory element' and 'prolactin
            # regulatory element') are kept, as annotators list every definition the paper writes.
            near = (_near_duplicate(row.long_en, d.long_en, _merge_key) and _near_duplicate(row.long_zh, d.long_zh)
                    and (_fullness(row) != _fullness(d)
                         or (row.long_en and d.long_en and (_has_typo(row.long_en, d.long_en, vocabulary)
                                                            or _has_typo(d.long_en, row.long_en, vocabulary)))))
            if same or near:
                sources[k].append(d)
                group = sources[k]
                filled = [_fullness(g) for g in group]
                # Offsets and form stay those of the first definition.
                rows[k] = replace(row, long_en=_pick([(g.long_en, n) for g, n in zip(group, filled)], vocabulary,
                                                     _merge_key),
                                  long_zh=_pick([(g.long_zh, n) for g, n in zip(group, filled)], None))
                break
        else:
            rows.append(d)
            sources.append([d])
    return rows


def paper_definitions(text: str, lexicon: Lexicon | None = None) -> list[Definition]:
    """The merged definitions of one paper, as the stage writes them.

    Args:
        text: The paper's text.
        lexicon: Names from ``rules/`` (:func:`lexicon_from_rules`).

    Returns:
        :func:`find_definitions` merged by :func:`merge_definitions`, near-duplicate spellings
        decided by the paper's repeated words and the rule tables' words.
    """
    lexicon = lexicon or Lexicon()
    return merge_definitions(find_definitions(text, lexicon), lexicon.english_words | _text_words(text))


@functools.lru_cache(maxsize=4)
def _rules_lexicon(rules_dir: str) -> Lexicon:
    from pipeline.rules import load_rules

    try:
        return lexicon_from_rules(load_rules(rules_dir, strict=False))
    except (OSError, ValueError):
        return Lexicon()  # no rules folder: the paper's own words still split glued forms


def build(config: Config):
    """The ``abbreviations`` stage: sets ``Document.abbreviations``.

    Args:
        config: Run settings; the names in ``config.rules_dir`` split glued long forms and align Chinese ones.

    Returns:
        A callable Document -> Document.
    """

    lexicon = _rules_lexicon(str(config.rules_dir))

    def stage(doc: Document) -> Document:
        rows = []
        for d in paper_definitions(doc.text, lexicon):
            sent = doc.sentence_at(d.start)
            rows.append(Abbreviation(d.short, d.long_en, d.long_zh, d.start, d.end,
                                     sent.sent_id if sent else -1, d.form))
        return replace(doc, abbreviations=tuple(rows))

    return stage
