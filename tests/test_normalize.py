"""Tests for pipeline.normalize: term matching variants, abbreviations, ambiguity, model spans.

All rule rows come from tests/fixtures/rules_mini/ (a hand-written mini table), so the
expected concept ids do not move when the real rules/ grow.
"""

from __future__ import annotations

import pytest

from pipeline import normalize
from pipeline.config import Config
from pipeline.normalize import (
    AMBIGUOUS_FLAG, NESTED_FLAG, NEW_CONCEPT_FLAG, REFERENCE_FLAG, Normalizer, TermMatcher, alias_variants, build, fold,
)
from pipeline.rules import load_rules
from pipeline.types import Abbreviation, Mention, Section

from conftest import FIXTURES

RULES_MINI = FIXTURES / "rules_mini"

# fmt: off
# (text, surface expected to be matched, concept id)
VARIANT_CASES = [
    ("TNF-α水平升高", "TNF-α", "C_TNFA"),
    ("TNF⁃α水平升高", "TNF⁃α", "C_TNFA"),
    ("serum TNFα rose", "TNFα", "C_TNFA"),
    ("serum TNF α rose", "TNF α", "C_TNFA"),
    ("serum TNF-alpha rose", "TNF-alpha", "C_TNFA"),
    ("TGF-beta signalling", "TGF-beta", "C_TGFB"),
    ("TGF-β信号通路", "TGF-β", "C_TGFB"),
    ("TGF-$\\beta$ 信号", "TGF-$\\beta", "C_TGFB"),    # inline math left by PDF converters
    ("Ⅰ型胶原表达增加", "Ⅰ型胶原", "C_COL1"),
    ("I型胶原表达增加", "I型胶原", "C_COL1"),
    ("1型胶原表达增加", "1型胶原", "C_COL1"),
    ("type I collagen was higher", "type I collagen", "C_COL1"),
    ("type 1 collagen was higher", "type 1 collagen", "C_COL1"),
    ("移植骨髓間充質幹細胞后", "骨髓間充質幹細胞", "C_BMSC"),
    ("移植骨髓间充\n质干细胞后", "骨髓间充\n质干细胞", "C_BMSC"),
    ("human mesenchymal stem\ncells were", "mesenchymal stem\ncells", "C_MSC"),
    ("ＭＳＣｓ具有多向分化潜能", "ＭＳＣｓ", "C_MSC"),
    ("one MSC per well", "MSC", "C_MSC"),
    ("BM-MSCs were injected", "BM-MSCs", "C_BMSC"),
    ("BMMSCs were injected", "BMMSCs", "C_BMSC"),
    ("Osteoblasts formed nodules", "Osteoblasts", "C_OSTEOBLAST"),
    ("an osteo-\nblast lineage", "osteo-\nblast", "C_OSTEOBLAST"),
    ("mesenchymal stromal cells", "mesenchymal stromal cells", "C_MSC"),
    ("glucocorticoid- induced bone loss", "glucocorticoid", "C_GC"),
    ("骨质疏松症患者", "骨质疏松症", "C_OP"),
    ("2.4 间充质干细胞与骨质\n\n疏松症", "骨质\n\n疏松症", "C_OP"),
    ("骨密度值降低", "骨密度值", "C_BMD"),
    ("行髓芯减压治疗", "髓芯减压", "C_CORE_DECOMP"),
    ("细胞疗法与细胞治疗", "细胞治疗", "C_CELL_TX"),
    ("细胞治疗与细胞疗法", "细胞疗法", "C_CELL_TX"),     # 治疗 and 疗法 head the same therapy
    ("Ⅰ型胶原蛋白表达", "Ⅰ型胶原蛋白", "C_COL1"),
    ("NF-kB通路激活", "NF-kB", "C_NFKB"),
    ("移植骨髓来源的间充质干细胞后", "骨髓来源的间充质干细胞", "C_BMSC"),
    ("移植骨髓源性间充质干细胞后", "骨髓源性间充质干细胞", "C_BMSC"),
    ("移植骨髓组织来源的间充质干细胞后", "骨髓组织来源的间充质干细胞", "C_BMSC"),
    ("bone marrow-derived mesenchymal stem cells", "bone marrow-derived mesenchymal stem cells", "C_BMSC"),
    ("ovariectomized rats", "ovariectomized", "C_OVX"),
    ("骨髓间充质基质细胞", "骨髓间充质基质细胞", "C_BMSC"),
    ("bone marrow-derived mesenchymal stromal cells", "bone marrow-derived mesenchymal stromal cells", "C_BMSC"),
    ("NF-kappaB pathway", "NF-kappaB", "C_NFKB"),
    ("NFκB pathway", "NFκB", "C_NFKB"),
    ("OPG蛋白表达", "OPG蛋白", "C_OPG"),
    # British and American spellings, fat/adipose
    ("serum tumour necrosis factor-alpha rose", "tumour necrosis factor-alpha", "C_TNFA"),
    ("fat tissue around the knee", "fat tissue", "C_ADIPOSE"),
    ("Ovariectomised rats lost bone", "Ovariectomised", "C_OVX"),
    # a pathway under another head
    ("激活Wnt信号，抑制Wnt途径", "Wnt信号", "C_WNT"),
    ("激活Wnt信号，抑制Wnt途径", "Wnt途径", "C_WNT"),
    ("the Wnt pathway and Wnt signalling", "Wnt signalling", "C_WNT"),
    ("rhPTH1-34 daily", "rhPTH1-34", "C_PTH"),  # recombinant human, glued to the short form
    # full-width forms, non-breaking hyphens, traditional characters, a wrap after a hyphen
    ("血清ＴＮＦ－α升高", "ＴＮＦ－α", "C_TNFA"),
    ("serum TNF\u2011α rose", "TNF\u2011α", "C_TNFA"),
    ("骨質疏鬆症患者", "骨質疏鬆症", "C_OP"),
    ("Ⅰ型膠原表達", "Ⅰ型膠原", "C_COL1"),
    ("glucocorticoid-\ninduced osteoporosis", "glucocorticoid-\ninduced osteoporosis", "C_GIOP"),
    ("OSTEOPOROSIS AND BONE", "OSTEOPOROSIS", "C_OP"),
]
# (text, the mentions) -- a recombinant protein drug is one mention of the drug's concept
RECOMBINANT_CASES = [
    ("给予重组PTH1-34治疗", [("重组PTH1-34", "C_PTH")]),
    ("给予重组人 PTH1-34治疗", [("重组人 PTH1-34", "C_PTH")]),
    ("Recombinant human teriparatide was given", [("Recombinant human teriparatide", "C_PTH")]),
    ("human teriparatide", [("human", "C_HUMAN"), ("teriparatide", "C_PTH")]),  # no prefix: two mentions
]
# texts in which nothing may be found: generated variants and one-char Chinese aliases
NO_MATCH_CASES = [
    "细胞在培养中增殖",    # 细胞治疗 minus 治疗 is not an alias
    "病人与个人",          # 人 (one char) would match inside every word
    "the msc and Msc spellings",
]
# (text, surface of the one match expected) -- the longest alias wins
LONGEST_CASES = [
    ("骨髓间充质干细胞移植", "骨髓间充质干细胞"),
    ("transplanted bone marrow mesenchymal stem cells", "bone marrow mesenchymal stem cells"),
    ("老年骨质疏松症", "骨质疏松症"),
    ("an increased marrow fat\ntissue after OVX", "marrow fat\ntissue"),  # not marrow + fat tissue
    # a heading's last word + the next line's start spell an alias (成骨细胞); the longer
    # term that starts after the line break wins
    ("2.1 诱导成骨\n\n细胞治疗的进展", "细胞治疗"),
]
# (text, surfaces that must be found, in order) -- abbreviations keep to Latin word boundaries
BOUNDARY_CASES = [
    ("OPG and OP differ", ["OPG", "OP"]),
    ("ALPL is a gene; ALP an enzyme", ["ALP"]),
    ("IV injection for 4 weeks", ["IV"]),
    ("O P is not OP", ["OP"]),
    ("骨质疏松（OP）患者", ["骨质疏松", "OP"]),
    ("MSCs-derived exosomes", ["MSCs"]),
    ("sMSCsx", []),
    ("TNF-α与TNF-R1", ["TNF-α"]),
    ("OPG-2 and OPG-deficient mice", ["OPG"]),
]
# (paper definition short, long_en, long_zh, expected concept id; None = paper-local id)
PAPER_ABBREVIATION_CASES = [
    ("SP", "substance P", "P物质", "C_SUBSTANCE_P"),
    ("SP", "side population cells", None, "C_SIDE_POP"),
    ("OP", "organophosphate", "有机磷", None),  # the paper overrides the global OP
    ("XBC", None, "某某骨细胞", None),
    ("AKP", None, "检测碱性磷酸酶", "C_ALP"),  # a word too many on the left
    # the table's own short form with a loosely spelled long form takes the table's concept
    ("BMD", "bone mineral densitometry", None, "C_BMD"),
    ("ALP", None, "碱性磷酸脢", "C_ALP"),
    ("ALP", "acute lung protection", None, None),       # too far from every name: another concept
    # a long form reworded: word order, number, a family word
    ("DBM", "density of the bone minerals", None, "C_BMD"),
    ("TGFs", None, "转化生长因子-β家族", "C_TGFB"),
]
# (text, reading of every "SD" in it; None = left unlinked). SD has one reading in the table
# (the rat strain): the other, standard deviation, is outside the field, so a cue must be
# near the occurrence, as a word.
ONE_READING_CASES = [
    ("Scores are mean ± SD; hazard ratios were separately rated.", [None]),   # rat inside other words
    ("Data are given as mean (SD). The ratio did not change.", [None]),
    ("Rats were housed in pairs. Body weight is given as mean ± SD.", [None]),  # the cue is another sentence
    ("结果以均数±SD表示，大鼠体重见表1。另有一句。", [None]),                 # a statistic, rats or not
    ("Male SD rats gained weight (mean ± SD, n = 8).", ["C_SD_RAT", None]),
    ("SD = 2.1 in the rat group.", [None]),
    ("选用健康SD雄性大鼠40只。", ["C_SD_RAT"]),                               # zh cue in the sentence
    ("Jiang SD等[27]将大鼠分为两组。", [None]),                                 # an author's initials
    ("Male SD rats; Wang SD, Li X. Rat bone.", ["C_SD_RAT", None]),
    ("Male SD rats weighing 200 g were used.", ["C_SD_RAT"]),
    ("成年SD雄性大鼠随机分为两组。体重以均数±SD表示。", ["C_SD_RAT", None]),  # each occurrence on its own
]
# fmt: on


@pytest.fixture(scope="module")
def rules():
    return load_rules(RULES_MINI)


@pytest.fixture(scope="module")
def matcher(rules):
    return TermMatcher(rules)


@pytest.fixture(scope="module")
def normalizer(rules):
    return Normalizer(rules)


def _surfaces(matcher, text):
    return [(text[m.start:m.end], m.concept_id) for m in matcher.find(text)]


@pytest.mark.parametrize("text,surface,concept_id", VARIANT_CASES)
def test_normalize_matches_variant(matcher, text, surface, concept_id):
    assert (surface, concept_id) in _surfaces(matcher, text)


@pytest.mark.parametrize("text,expected", RECOMBINANT_CASES)
def test_normalize_recombinant_prefix_joins_protein_drug(normalizer, make_doc, text, expected):
    doc = normalizer(make_doc(text))
    assert [(m.text, m.concept_id) for m in doc.mentions] == expected


@pytest.mark.parametrize("text", NO_MATCH_CASES)
def test_normalize_finds_nothing_in_generic_text(matcher, text):
    assert _surfaces(matcher, text) == []


@pytest.mark.parametrize("text,surface", LONGEST_CASES)
def test_normalize_prefers_longest_match(matcher, text, surface):
    assert [s for s, _ in _surfaces(matcher, text)] == [surface]


@pytest.mark.parametrize("text,surfaces", BOUNDARY_CASES)
def test_normalize_abbreviation_word_boundaries(matcher, text, surfaces):
    assert [s for s, _ in _surfaces(matcher, text)] == surfaces


def test_normalize_fold_keeps_offsets():
    text = "ＴＮＦ－alpha与骨髓間充質\n幹細胞"
    f = fold(text)
    assert f.lower == "tnfα与骨髓间充质干细胞"
    assert len(f.starts) == len(f.ends) == len(f.lower)
    assert text[slice(*f.span(3, 4))] == "alpha"
    assert text[slice(*f.span(5, len(f.lower)))] == "骨髓間充質\n幹細胞"


def test_normalize_alias_variants_keep_bare_numerals_apart():
    assert "4" not in alias_variants("IV", "abbr")
    assert {"IGF-1", "IGF-I"} <= alias_variants("IGF-I", "abbr")
    assert "MSC" in alias_variants("MSCs", "abbr") and "MSCs" in alias_variants("MSC", "abbr")
    assert "osteoporosi" not in {v.lower() for v in alias_variants("osteoporosis", "en")}


def test_normalize_abbreviation_beats_case_folded_alias(tmp_path):
    # "sp" as an English word of one concept, "SP" an ambiguous short form: capitals are the short form.
    for name in ("concepts", "ambiguous"):
        (tmp_path / f"{name}.tsv").write_text((RULES_MINI / f"{name}.tsv").read_text(encoding="utf-8"), encoding="utf-8")
    aliases = (RULES_MINI / "aliases.tsv").read_text(encoding="utf-8") + "C_OSTEOBLAST\tsp\ten\ttest row\n"
    (tmp_path / "aliases.tsv").write_text(aliases, encoding="utf-8")
    matcher = TermMatcher(load_rules(tmp_path))
    assert [(m.concept_id, m.candidates) for m in matcher.find("the SP level")] == [(None, ("C_SUBSTANCE_P", "C_SIDE_POP"))]
    assert [m.concept_id for m in matcher.find("the sp level")] == ["C_OSTEOBLAST"]


def test_normalize_exclude_concepts_hides_aliases(rules):
    held_out = TermMatcher(rules, exclude_concepts=frozenset({"C_MSC"}))
    assert _surfaces(held_out, "MSCs and osteoblasts") == [("osteoblasts", "C_OSTEOBLAST")]


def test_normalize_mentions_have_exact_offsets_and_fields(normalizer, make_doc):
    text = "骨髓間充質幹細胞可分化为成骨细胞。MSCs rescued osteoporosis in mice."
    doc = normalizer(make_doc(text))
    assert [m.text for m in doc.mentions] == ["骨髓間充質幹細胞", "成骨细胞", "MSCs", "osteoporosis"]
    for m in doc.mentions:
        assert doc.text[m.start:m.end] == m.text
        assert m.source == "rule"
    first, _, msc, op = doc.mentions
    assert (first.concept_id, first.label, first.preferred_zh, first.sent_id) == ("C_BMSC", "CELL", "骨髓间充质干细胞", 0)
    assert (msc.concept_id, msc.preferred_en, msc.sent_id) == ("C_MSC", "mesenchymal stem cells", 1)
    assert (op.concept_id, op.label) == ("C_OP", "DISEASE")


@pytest.mark.parametrize("short,long_en,long_zh,expected", PAPER_ABBREVIATION_CASES)
def test_normalize_paper_abbreviation_links_short_and_long_forms(normalizer, make_doc, short, long_en, long_zh,
                                                                 expected):
    parts = [p for p in (long_zh, long_en) if p]
    text = f"{'，'.join(parts)}（{short}）是本文的重点。后文中{short}多次出现, {short} again."
    abbr = Abbreviation(short, long_en, long_zh, 0, 0, 0, "test")
    doc = normalizer(make_doc(text, abbreviations=(abbr,)))
    expected = expected or f"L:test:{short}"
    linked = {m.text: m.concept_id for m in doc.mentions}
    for form in parts + [short]:
        assert linked.get(form) == expected, (form, linked)
    assert all(m.source == "abbreviation" for m in doc.mentions if m.text == short)
    assert doc.abbreviations[0].concept_id == expected


def test_normalize_paper_local_concept_takes_model_label(normalizer, make_doc):
    text = "血清中的奇异肽（QXP）升高, QXP again."
    s = text.index("QXP")
    doc = make_doc(text, abbreviations=(Abbreviation("QXP", None, "奇异肽", s, s + 3, 0, "zh_short"),),
                   mentions=(Mention(s, s + 3, "QXP", "GENE_PROTEIN", "model", score=0.9),))
    out = normalizer(doc)
    assert {(m.text, m.concept_id, m.label) for m in out.mentions} == {
        ("奇异肽", "L:test:QXP", "GENE_PROTEIN"), ("QXP", "L:test:QXP", "GENE_PROTEIN")}


@pytest.mark.parametrize("short,long_en,long_zh,linked_zh", [
    ("ERK", "extracellular signal-regulated kinase", "激酶", False),  # slip: a generic head noun
    ("TAZ", "transcriptional co-activator with PDZ-binding motif", "结合因子", False),  # too short for 6 words
    ("QRS", "quorum regulator S", "群体调节蛋白S", True),
    ("USX", None, "超声刺激", True),
])
def test_normalize_unknown_long_form_linked_only_when_plausible(normalizer, make_doc, short, long_en, long_zh,
                                                                linked_zh):
    text = f"{long_zh}（{short}）升高。另一处的{long_zh}也升高, {short} again."
    abbr = Abbreviation(short, long_en, long_zh, 0, 0, 0, "test")
    doc = normalizer(make_doc(text, abbreviations=(abbr,)))
    zh = [m for m in doc.mentions if m.text == long_zh]
    assert (len(zh) == 2 and all(m.concept_id == f"L:test:{short}" for m in zh)) is linked_zh
    assert [m.concept_id for m in doc.mentions if m.text == short] == [f"L:test:{short}"] * 2


def test_normalize_paper_abbreviation_unifies_two_definitions(normalizer, make_doc):
    # One short form defined twice with different long forms: both join the majority concept.
    text = "骨髓间充质干细胞（MSCs）与间充质干细胞（mesenchymal stem cells, MSCs）。"
    abbrs = (Abbreviation("MSCs", None, "骨髓间充质干细胞", 9, 13, 0, "zh_short"),
             Abbreviation("MSCs", "mesenchymal stem cells", "间充质干细胞", 45, 49, 0, "zh_en_short"))
    doc = normalizer(make_doc(text, abbreviations=abbrs))
    assert {m.concept_id for m in doc.mentions} == {"C_MSC"}
    assert [a.concept_id for a in doc.abbreviations] == ["C_MSC", "C_MSC"]


def test_normalize_ambiguous_short_form_flagged_without_context(normalizer, make_doc):
    doc = normalizer(make_doc("The SP level was measured twice."))
    (m,) = doc.mentions
    assert (m.text, m.concept_id, m.flag) == ("SP", None, AMBIGUOUS_FLAG)


@pytest.mark.parametrize("text,expected", [
    ("感觉神经末梢释放神经肽SP，SP可促进成骨。", "C_SUBSTANCE_P"),
    ("Hoechst dye efflux defines the SP by flow cytometry.", "C_SIDE_POP"),
    ("Substance P levels rose. SP was measured twice.", "C_SUBSTANCE_P"),  # the concept is present
])
def test_normalize_ambiguous_short_form_resolved_by_context(normalizer, make_doc, text, expected):
    doc = normalizer(make_doc(text))
    sp = [m for m in doc.mentions if m.text == "SP"]
    assert sp and all(m.concept_id == expected and m.flag is None for m in sp)


@pytest.mark.parametrize("text,expected", ONE_READING_CASES)
def test_normalize_one_reading_short_form_needs_near_cue(normalizer, make_doc, text, expected):
    doc = normalizer(make_doc(text))
    assert [m.concept_id for m in doc.mentions if m.text == "SD"] == expected


def test_normalize_model_spans_merge_with_rules(normalizer, make_doc):
    text = "Injected mesenchymal stem cels and a frobnic widget restored osteoporotic bone in OP rats."
    def model(surface):
        s = text.index(surface)
        return Mention(s, s + len(surface), surface, "CELL", "model", score=0.8)
    spans = (model("mesenchymal stem cels"), model("frobnic widget"), model("OP rats"))
    doc = normalizer(make_doc(text, mentions=spans))
    got = {m.text: (m.source, m.concept_id) for m in doc.mentions}
    assert got["mesenchymal stem cels"][0] == "model" and got["mesenchymal stem cels"][1] == "C_MSC"
    assert got["frobnic widget"] == ("model", "N:test:frobnicwidget")
    assert next(m.flag for m in doc.mentions if m.text == "frobnic widget") == NEW_CONCEPT_FLAG
    assert "OP rats" not in got and got["OP"] == ("rule", "C_OP")  # the rule span wins


# (model span, concept of the closest alias it may take; None = a new term) -- a typo is
# forgiven, another number or Greek letter is another family member
MODEL_FUZZY_CASES = [
    ("mesenchymal stem cels", "C_MSC"),
    ("tumor necrosis factor-beta", None),
    ("type II collagen", None),
    ("bone marrow mesenchymal stem cels", "C_BMSC"),
    ("Ⅲ型胶原", None),
]


@pytest.mark.parametrize("span,expected", MODEL_FUZZY_CASES)
def test_normalize_model_span_fuzzy_keeps_numbers_and_greek(normalizer, make_doc, span, expected):
    text = f"结果显示 {span} 升高。"
    s = text.index(span)
    doc = normalizer(make_doc(text, mentions=(Mention(s, s + len(span), span, "GENE_PROTEIN", "model", score=0.8),)))
    (m,) = [m for m in doc.mentions if m.source == "model"]
    if expected:
        assert (m.concept_id, m.flag) == (expected, None)
    else:
        assert m.concept_id.startswith("N:") and m.flag == NEW_CONCEPT_FLAG


# (text, model spans, the spans that must share one new id) -- the other spans get other ids
NEW_TERM_CASES = [
    ("Frobnic widgets rose; the frobnic\nwidget fell; a glarb stayed.", ["Frobnic widgets", "frobnic\nwidget", "glarb"],
     ["Frobnic widgets", "frobnic\nwidget"]),
    ("奇美拉蛋白升高，奇美拉蛋白降低，某因子不变。", ["奇美拉蛋白", "奇美拉蛋白", "某因子"], ["奇美拉蛋白"]),
    ("Qi Mei LA rose and QI MEI la fell.", ["Qi Mei LA", "QI MEI la"], ["Qi Mei LA", "QI MEI la"]),
]


@pytest.mark.parametrize("text,spans,same", NEW_TERM_CASES)
def test_normalize_model_only_term_gets_one_paper_local_id(normalizer, make_doc, text, spans, same):
    mentions, pos = [], 0
    for span in spans:
        pos = text.index(span, pos)
        mentions.append(Mention(pos, pos + len(span), span, "GENE_PROTEIN", "model", score=0.7))
        pos += len(span)
    doc = normalizer(make_doc(text, doc_id="p1", mentions=tuple(mentions)))
    ids = {m.text: m.concept_id for m in doc.mentions}
    assert all(m.flag == NEW_CONCEPT_FLAG and m.concept_id.startswith("N:p1:") for m in doc.mentions)
    assert len({ids[s] for s in same}) == 1
    assert len(set(ids.values())) == len(set(spans) - set(same)) + 1
    first = doc.mentions[0]
    assert first.text in (first.preferred_en, first.preferred_zh)  # the term names itself


@pytest.mark.parametrize("link", [True, False])
def test_normalize_reference_list_flagged_or_skipped(normalizer, make_doc, monkeypatch, link):
    monkeypatch.setattr(normalize, "LINK_REFERENCE_LIST", link)
    body = "MSCs治疗骨质疏松。"
    refs = "[1] Smith J. MSCs and osteoporosis. J Bone, 2001."
    text = body + "\n参考文献\n" + refs
    sections = (Section("body", "", 0, len(body)), Section("references", "参考文献", len(body) + 1, len(text)))
    doc = normalizer(make_doc(text, sections=sections))
    in_body = [("MSCs", None), ("骨质疏松", None)]
    in_refs = [("MSCs", REFERENCE_FLAG), ("osteoporosis", REFERENCE_FLAG)] if link else []
    assert [(m.text, m.flag) for m in doc.mentions] == in_body + in_refs


@pytest.mark.parametrize("text,surface,expected", [
    ("SCI后骨质疏松症患者", "SCI后骨质疏松症", "C_OP+C_SCI"),
    ("in spinal cord injury-related osteoporosis", "spinal cord injury-related osteoporosis", "C_OP+C_SCI"),
    # a composite the table spells as one concept takes that concept
    ("GC诱导的骨质疏松症患者", "GC诱导的骨质疏松症", "C_GIOP"),
    ("in GC-induced osteoporosis", "GC-induced osteoporosis", "C_GIOP"),
    ("in glucocorticoid-induced osteoporosis", "glucocorticoid-induced osteoporosis", "C_GIOP"),
])
def test_normalize_cause_disease_composite(normalizer, make_doc, text, surface, expected):
    doc = normalizer(make_doc(text))
    primary = [m for m in doc.mentions if m.flag != NESTED_FLAG]  # the cause inside may also be a nested mention
    assert [(m.text, m.concept_id, m.label) for m in primary] == [(surface, expected, "DISEASE")]


@pytest.mark.parametrize("text,surface", [
    ("将人骨髓间充质干细胞移植", "人骨髓间充质干细胞"),
    ("病人骨髓间充质干细胞", "骨髓间充质干细胞"),   # 病人 is a word: not a species prefix
    ("in human MSCs", "MSCs"),                         # English "human" is a word of its own
])
def test_normalize_human_prefix_joins_chinese_cell_name(normalizer, make_doc, text, surface):
    doc = normalizer(make_doc(text))
    assert [m.text for m in doc.mentions if m.label == "CELL"] == [surface]


def test_normalize_build_is_a_stage(make_doc):
    stage = build(Config(rules_dir=RULES_MINI))
    doc = stage(make_doc("ALP活性升高。"))
    assert [(m.text, m.concept_id, m.label) for m in doc.mentions] == [("ALP", "C_ALP", "GENE_PROTEIN")]
    assert build(Config(rules_dir=RULES_MINI)) is stage  # built once per process


def test_normalize_seed_paper_abbreviation_forms_share_one_id(shared_dir, rules_dir):
    """On the real seed papers, each defined short form and its long forms get one concept id.

    The definitions are read from the gold files at test time (as the abbreviation stage's
    output would be); the check holds whatever the rule tables cover.
    """
    import json

    from pipeline.evaluate import concept_of_alias
    from pipeline.types import Document

    normalizer = Normalizer(load_rules(rules_dir, strict=False))
    checked = 0
    for gold_path in sorted((shared_dir / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = (shared_dir / "seeds" / f"{gold_path.stem}.txt").read_text(encoding="utf-8")
        abbrs = tuple(Abbreviation(a["short"], a["long_en"], a["long_zh"], 0, 0, -1, "gold") for a in gold["abbreviations"])
        doc = normalizer(Document(doc_id=gold_path.stem, text=text, source_path=gold_path.name, abbreviations=abbrs))
        for m in doc.mentions:
            assert doc.text[m.start:m.end] == m.text
        assigned = concept_of_alias([{"text": m.text, "concept_id": m.concept_id} for m in doc.mentions])
        for a in doc.abbreviations:
            forms = [f for f in (a.short, a.long_en, a.long_zh) if f]
            ids = {assigned.get("".join(f.split()).casefold()) for f in forms} - {None}
            assert ids == {a.concept_id}, (gold_path.stem, forms, ids)
            checked += 1
    assert checked > 0


def test_normalize_offsets_valid_on_noisy_text(matcher):
    """Random mixes of aliases, dashes, spaces, full-width and Greek text: every match is a
    non-empty, in-bounds span that starts and ends on a matched alias character."""
    import random

    rng = random.Random(7)
    pieces = ["MSCs", "ＭＳＣｓ", "TNF", "-", "⁃", " ", "\n", "alpha", "β", "骨髓", "間充質幹細胞", "Ⅰ型", "胶原",
              "OP", "G", "osteo", "blasts", "ﬁ", "İ", "", "\u3000"]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        last_end = 0
        for m in matcher.find(text):
            assert last_end <= m.start < m.end <= len(text)
            assert not text[m.start].isspace() and not text[m.end - 1].isspace()
            last_end = m.end


def test_normalize_find_skips_no_match(matcher):
    """The scan tries only word starts and alias-initial chars: on random noisy texts it finds
    exactly what trying every position finds."""
    import random

    from pipeline.normalize import _line_breaks

    rng = random.Random(11)
    pieces = ["MSCs", "sMSCs", "ＭＳＣｓ", "TNF", "-", " ", "\n", "alpha", "β", "骨髓", "間充質幹細胞", "Ⅰ型", "胶原",
              "OP", "OPG", "osteo", "blasts", "ﬁ", "x", "9", "Wnt", "信号", "rh", "PTH1-34", "fat", "tissue", "marrow"]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        f = fold(text)
        breaks, brute, i = _line_breaks(f), [], 0
        while i < len(f.lower):
            best = matcher._best_at(f, i, (matcher._trie,), breaks)
            if best is None:
                i += 1
                continue
            brute.append((*f.span(i, best[0]), best[1].concept_id))
            i = best[0]
        assert [(m.start, m.end, m.concept_id) for m in matcher.find(text)] == brute, text


@pytest.mark.parametrize("phrase,expected", [
    ("ＭＳＣｓ", "C_MSC"),
    ("msc", None),                       # abbreviations keep their case
    ("Mesenchymal Stromal Cells", "C_MSC"),
    ("骨髓間充質幹細胞", "C_BMSC"),
    ("骨髓间充质干细胞移植", None),     # whole phrase only
])
def test_normalize_lookup_whole_phrase(matcher, phrase, expected):
    assert matcher.lookup(phrase) == expected
