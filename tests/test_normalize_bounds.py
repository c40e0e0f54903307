"""Tests for pipeline.normalize: word boundaries, overlaps and source + cell composites.

Short Chinese aliases keep to jieba word boundaries; a much longer term starting inside a
match takes the overlap; "source tissue + cell" mention pairs become the specific cell
concept the tables name.

The tables are tests/fixtures/rules_mini/ plus a few two-character aliases written here
(blood vessel, hormone, bone formation, bone repair), so the cases do not move when the
real rules/ grow. The example sentences are our own.
"""

from __future__ import annotations

import pytest

from pipeline.normalize import NESTED_FLAG, Normalizer, TermMatcher
from pipeline.rules import load_rules
from pipeline.types import Mention

from conftest import FIXTURES

RULES_MINI = FIXTURES / "rules_mini"

# fmt: off
EXTRA_CONCEPTS = [
    ("C_VESSEL", "anatomy", "blood vessel", "血管", "", "", "MeSH:Blood Vessels"),
    ("C_OSTEOGENESIS", "outcome", "bone formation", "骨形成", "", "", "MeSH:Osteogenesis"),
    ("C_BONE_REPAIR", "outcome", "bone repair", "骨修复", "", "", "MeSH:Bone Regeneration"),
    ("C_ALLOGRAFT", "procedure", "bone allograft", "同种异体骨", "", "", "MeSH:Allografts"),
    ("C_OSTEOCYTE_DEATH", "outcome", "osteocyte apoptosis", "骨细胞死亡", "", "", "MeSH:Osteocytes"),
    ("C_BONE", "anatomy", "bone", "骨骼", "", "", "MeSH:Bone and Bones"),
    ("C_EXO", "cell", "exosomes", "外泌体", "", "", "MeSH:Exosomes"),
    ("C_MSC_EXO", "cell", "MSC-derived exosomes", "间充质干细胞来源外泌体", "", "", "MeSH:Exosomes"),
    ("C_FES", "procedure", "functional electrical stimulation", "功能性电刺激", "", "", "MeSH:Electric Stimulation Therapy"),
    ("C_FES_CYCLING", "procedure", "FES cycling", "功能性电刺激踏车", "", "", "Peckham & Knutson 2005"),
    ("C_FEMORAL_HEAD", "anatomy", "femoral head", "股骨头", "", "", "MeSH:Femur Head"),
    ("C_ONFH", "disease", "osteonecrosis of the femoral head", "股骨头坏死", "", "", "MeSH:Femur Head Necrosis"),
    ("C_MHC1", "gene_protein", "MHC class I", "MHC-Ⅰ类分子", "", "", "MeSH:Histocompatibility Antigens Class I"),
    ("C_MHC2", "gene_protein", "MHC class II", "MHC-Ⅱ类分子", "", "", "MeSH:Histocompatibility Antigens Class II"),
]
EXTRA_ALIASES = [
    ("C_GC", "激素", "zh", "test row: clinical shorthand for glucocorticoids"),
    ("C_OSTEOGENESIS", "成骨", "zh", "MeSH:Osteogenesis"),
    ("C_VESSEL", "blood vessels", "en", "MeSH:Blood Vessels"),
    ("C_ALLOGRAFT", "异体骨", "zh", "MeSH:Allografts"),
    ("C_ALLOGRAFT", "allogeneic bone", "en", "MeSH:Allografts"),
    ("C_BMSC", "骨髓MSCs", "zh", "common mixed spelling of bone marrow MSCs"),
    ("C_OSTEOCYTE_DEATH", "骨细胞凋亡", "zh", "MeSH:Osteocytes; MeSH:Apoptosis"),
    ("C_BMSC", "bone mesenchymal stem cells", "en", "common name of bone marrow MSCs"),
    ("C_EXO", "exosome", "en", "MeSH:Exosomes"),
    ("C_FES_CYCLING", "功能性电刺激自行车", "zh", "Peckham & Knutson 2005"),
    ("C_FES_CYCLING", "functional electrical stimulation cycling", "en", "Peckham & Knutson 2005"),
    ("C_MHC1", "MHC-I", "abbr", "MeSH:Histocompatibility Antigens Class I"),
    ("C_MHC2", "MHC-II", "abbr", "MeSH:Histocompatibility Antigens Class II"),
]
# (text, the (surface, concept id) matches expected, in order)
BOUNDARY_CASES = [
    # a two-char alias inside a longer everyday word is no mention
    ("心血管疾病的患者增多", []),
    ("血管内皮受损", [("血管", "C_VESSEL")]),
    ("性激素水平下降", []),
    ("长期激素治疗后", [("激素", "C_GC")]),
    # a hard wrap inside the longer word changes nothing
    ("心血\n管疾病", []),
    # the competing jieba word is itself a table term: leftmost-longest stands
    ("增加成骨修复骨缺损", [("成骨", "C_OSTEOGENESIS")]),
    ("促进骨修复", [("骨修复", "C_BONE_REPAIR")]),
    # longer aliases and Latin text are not affected
    ("糖皮质激素性骨质疏松症", [("糖皮质激素性骨质疏松症", "C_GIOP")]),
    ("cardiovascular blood vessels", [("blood vessels", "C_VESSEL")]),
    ("血管and骨质疏松", [("血管", "C_VESSEL"), ("骨质疏松", "C_OP")]),
]
# (text, matches expected) -- a much longer term starting inside a match at a word start
# takes the overlap; a term one char longer across a compound seam does not
OVERTAKE_CASES = [
    ("移植异体骨髓MSCs后", [("骨髓MSCs", "C_BMSC")]),
    ("自体骨髓间充质干细胞", [("骨髓间充质干细胞", "C_BMSC")]),
    ("异体骨植入", [("异体骨", "C_ALLOGRAFT")]),
    ("成骨细胞凋亡增加", [("成骨细胞", "C_OSTEOBLAST")]),
    ("骨细胞凋亡增加", [("骨细胞凋亡", "C_OSTEOCYTE_DEATH")]),
    # English matches start at word starts: the leftmost term keeps its words
    ("allogeneic bone mesenchymal stem cells", [("allogeneic bone", "C_ALLOGRAFT"), ("mesenchymal stem cells", "C_MSC")]),
]
# (text, mentions expected) -- source + cell pairs the tables spell as one concept
SOURCE_CELL_CASES = [
    ("healthy bone MSCs were given", [("bone MSCs", "C_BMSC")]),
    ("bone-derived MSCs", [("bone-derived MSCs", "C_BMSC")]),
    ("MSCs 来源的外泌体", [("MSCs", "C_MSC"), ("外泌体", "C_EXO")]),   # a cell as source: cell and product
    ("间充质干细胞来源外泌体", [("间充质干细胞来源外泌体", "C_MSC_EXO")]),   # the table's own composite
    ("间充质干细胞源性外泌体", [("间充质干细胞", "C_MSC"), ("外泌体", "C_EXO")]),
    ("bone and MSCs", [("bone", "C_BONE"), ("MSCs", "C_MSC")]),           # no linker: two mentions
    ("osteoblasts and exosomes", [("osteoblasts", "C_OSTEOBLAST"), ("exosomes", "C_EXO")]),
]
# (text, model span, kept) -- a short Chinese model span must be a word, like a rule match
MODEL_SPAN_CASES = [
    ("细胞增殖率明显提高", "殖率", False),
    ("蛋白质合成减少", "蛋白", False),
    ("细胞增殖率明显提高", "增殖率", True),
    ("检测瘦素水平", "瘦素", True),
]
# (text, the rule mention expected, nested heads flagged "nested") -- a head of the same kind
# is a less specific name of the term; a head of another kind only modifies it
NESTED_CASES = [
    ("功能性电刺激自行车训练", ("功能性电刺激自行车", "C_FES_CYCLING"), [("功能性电刺激", "C_FES")]),
    ("functional electrical stimulation cycling was used", ("functional electrical stimulation cycling", "C_FES_CYCLING"),
     [("functional electrical stimulation", "C_FES")]),
    ("股骨头坏死患者", ("股骨头坏死", "C_ONFH"), []),                   # site of the disease: no
    ("骨髓间充质干细胞", ("骨髓间充质干细胞", "C_BMSC"), []),
    ("MHC-Ⅱ表达", ("MHC-Ⅱ", "C_MHC2"), []),      # no head ends inside the fold of Ⅱ (MHC-I of II)
]
# fmt: on


@pytest.fixture(scope="module")
def rules_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rules_bounds")
    concepts = (RULES_MINI / "concepts.tsv").read_text(encoding="utf-8")
    concepts += "".join("\t".join(row) + "\n" for row in EXTRA_CONCEPTS)
    aliases = (RULES_MINI / "aliases.tsv").read_text(encoding="utf-8")
    aliases += "".join("\t".join(row) + "\n" for row in EXTRA_ALIASES)
    (folder / "concepts.tsv").write_text(concepts, encoding="utf-8")
    (folder / "aliases.tsv").write_text(aliases, encoding="utf-8")
    (folder / "ambiguous.tsv").write_text((RULES_MINI / "ambiguous.tsv").read_text(encoding="utf-8"), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def matcher(rules_dir):
    return TermMatcher(load_rules(rules_dir))


@pytest.mark.parametrize("text,expected", BOUNDARY_CASES)
def test_normalize_short_chinese_alias_keeps_word_boundaries(matcher, text, expected):
    assert [(text[m.start:m.end], m.concept_id) for m in matcher.find(text)] == expected


def test_normalize_word_bounds_can_be_turned_off(rules_dir):
    loose = TermMatcher(load_rules(rules_dir), word_bounds=False)
    assert [m.concept_id for m in loose.find("心血管疾病")] == ["C_VESSEL"]


@pytest.mark.parametrize("text,expected", OVERTAKE_CASES)
def test_normalize_longer_term_inside_match_takes_overlap(matcher, text, expected):
    assert [(text[m.start:m.end], m.concept_id) for m in matcher.find(text)] == expected


@pytest.mark.parametrize("text,expected", SOURCE_CELL_CASES)
def test_normalize_source_and_cell_become_specific_cell(rules_dir, make_doc, text, expected):
    doc = Normalizer(load_rules(rules_dir))(make_doc(text))
    assert [(m.text, m.concept_id) for m in doc.mentions if m.flag != NESTED_FLAG] == expected


@pytest.mark.parametrize("text,span,kept", MODEL_SPAN_CASES)
def test_normalize_short_chinese_model_span_must_be_a_word(rules_dir, make_doc, text, span, kept):
    s = text.index(span)
    spans = (Mention(s, s + len(span), span, "OUTCOME", "model", score=0.8),)
    doc = Normalizer(load_rules(rules_dir))(make_doc(text, mentions=spans))
    assert (span in [m.text for m in doc.mentions if m.source == "model"]) is kept


@pytest.mark.parametrize("text,outer,nested", NESTED_CASES)
def test_normalize_nested_head_of_same_kind_is_flagged_mention(rules_dir, make_doc, text, outer, nested):
    doc = Normalizer(load_rules(rules_dir))(make_doc(text))
    assert outer in [(m.text, m.concept_id) for m in doc.mentions if m.flag is None]
    assert [(m.text, m.concept_id) for m in doc.mentions if m.flag == NESTED_FLAG] == nested
