"""Tests for pipeline.normalize: model-span noise, lenient lookup before a new id is minted,
figure-panel ranges and abbreviation long forms cut before the member's number.

The rule tables are written here (a hand-made table of a few concepts), so each case shows
which neighbour in the table decides it (M-CSF next to MSCs, RANKL without RANK).
"""

from __future__ import annotations

import pytest

from pipeline.normalize import NESTED_FLAG, Normalizer, is_model_noise
from pipeline.rules import load_rules
from pipeline.types import Abbreviation, Mention, Section

CONCEPTS = """\
concept_id\ttype\tpreferred_en\tpreferred_zh\tmesh_id\tpolarity\tsource
C_MSC\tcell\tmesenchymal stem cells\t间充质干细胞\t\t\tMeSH:Mesenchymal Stem Cells
C_MCSF\tgene_protein\tmacrophage colony-stimulating factor\t巨噬细胞集落刺激因子\t\t\tMeSH:Macrophage Colony-Stimulating Factor
C_CXCR4\tgene_protein\tCXC chemokine receptor 4\t趋化因子受体4\t\t\tHGNC:CXCR4
C_RANKL\tgene_protein\tRANK ligand\tNF-κB受体活化因子配体\t\t\tMeSH:RANK Ligand
C_US\tother\tultrasonography\t超声检查\t\t\tMeSH:Ultrasonography
C_RUNX2\tgene_protein\tRunt-related transcription factor 2\tRunt相关转录因子2\t\t\tHGNC:RUNX2
C_BMP2\tgene_protein\tbone morphogenetic protein 2\t骨形态发生蛋白2\t\t\tMeSH:Bone Morphogenetic Protein 2
C_BMP4\tgene_protein\tbone morphogenetic protein 4\t骨形态发生蛋白4\t\t\tMeSH:Bone Morphogenetic Protein 4
C_BMP\tgene_protein\tbone morphogenetic proteins\t骨形态发生蛋白\t\t\tMeSH:Bone Morphogenetic Proteins
C_SCLEROSIS\tdisease\tsclerosis\t硬化\t\t\tMeSH:Sclerosis
C_CHONDROCYTE\tcell\tarticular chondrocytes\t关节软骨细胞\t\t\tMeSH:Chondrocytes
C_TGFB\tgene_protein\ttransforming growth factor beta\t转化生长因子β\t\t\tMeSH:Transforming Growth Factor beta
C_TGFB1\tgene_protein\ttransforming growth factor beta 1\t转化生长因子β1\t\t\tMeSH:Transforming Growth Factor beta1
"""
ALIASES = """\
concept_id\talias\tlang\tsource
C_MSC\tMSCs\tabbr\tMeSH:Mesenchymal Stem Cells
C_MCSF\tM-CSF\tabbr\tMeSH:Macrophage Colony-Stimulating Factor
C_CXCR4\tCXCR4\tabbr\tHGNC:CXCR4
C_RANKL\tRANKL\tabbr\tMeSH:RANK Ligand
C_US\t超声\tzh\tMeSH:Ultrasonography
C_RUNX2\tRunx2\tabbr\tHGNC:RUNX2
C_BMP2\tBMP-2\tabbr\tMeSH:Bone Morphogenetic Protein 2
C_BMP4\tBMP-4\tabbr\tMeSH:Bone Morphogenetic Protein 4
C_BMP\tBMP\tabbr\tMeSH:Bone Morphogenetic Proteins
C_CHONDROCYTE\tAC\tabbr\tcommon abbreviation of articular chondrocytes
C_TGFB\tTGF-β\tabbr\tMeSH:Transforming Growth Factor beta
C_TGFB\ttransforming growth factor\ten\tMeSH:Transforming Growth Factor beta (entry terms)
C_TGFB\t转化生长因子\tzh\t全国科学技术名词审定委员会
C_TGFB1\tTGF-β1\tabbr\tMeSH:Transforming Growth Factor beta1
"""
AMBIGUOUS = "short\tconcept_id\tcontext\tsource\n"

# fmt: off
# (text, model span, model label, concept it takes; None = a new paper-local term)
LENIENT_CASES = [
    ("超声波治疗后骨折愈合加快。", "超声波", "INTERVENTION", "C_US"),             # generic head 波
    ("CXCR4s were blocked", "CXCR4s", "GENE_PROTEIN", "C_CXCR4"),                 # plural s
    ("硬化蛋白水平升高。", "硬化蛋白", "GENE_PROTEIN", None),                       # 硬化 is no protein
    ("Runx2 gene expression rose.", "Runx2 gene", "GENE_PROTEIN", "C_RUNX2"),
    ("the MCSs were seeded on scaffolds", "MCSs", "CELL", "C_MSC"),               # swapped letters
    ("MSCS were seeded on scaffolds", "MSCS", "CELL", "C_MSC"),                   # one letter changed
    ("BMP3 levels rose", "BMP3", "GENE_PROTEIN", None),                           # another member
    ("CXCR blockade reduced homing", "CXCR", "GENE_PROTEIN", "C_CXCR4"),          # lost number
    ("CXCR blockade reduced homing", "CXCR", "CELL", None),                       # other label
    ("Cxcr blockade reduced homing", "Cxcr", "GENE_PROTEIN", None),                # not the symbol's case
    ("RANK signalling rose", "RANK", "GENE_PROTEIN", None),                       # a letter: another name
    ("BMP signalling rose", "BMP", "GENE_PROTEIN", None),                         # two members start so
]

# (text, span, is noise) -- the span is the first occurrence of the string in the text
NOISE_CASES = [
    ("随访43～77个月", "43～77", True),
    ("共纳入26例患者", "26", True),
    ("with p1⁄40.01 between groups", "p1⁄40", True),
    ("as J. Smith reported", "J.", True),
    ("cited by R. L. Jones", "R. L.", True),
    ("a 骨 b", "骨", True),
    ("odds ratio OR = 1.8 for", "OR", True),
    ("茜素红染色；收集细胞", "染色；收", True),                 # clause punctuation inside
    ("was down-\nregulated", "down-", True),                  # a word cut at a hyphen
    ("primer CAGTGTGGTTCTTCTG was used", "CAGTGTGGTTCTTCTG", True),
    ("该因子表达升高", "因子", True),                            # a generic head alone
    ("促进其分化并抑制凋亡", "分化", True),                      # a process word alone
    ("promotes differentiation of the cells", "differentiation", True),
    ("Cells were cultured for 7 days", "Cells", True),
    ("成骨分化能力增强", "成骨分化", False),                      # the term with its modifier
    ("osteogenic differentiation increased", "osteogenic differentiation", False),
    ("CD34阳性细胞增多", "CD34", False),
    ("H2O2 treatment induced apoptosis", "H2O2", False),
    ("IL-6水平升高", "IL-6", False),
    ("BMD = 0.81 g/cm2 in the group", "BMD", False),
    ("骨密度降低", "骨密度", False),
]

# (text, surface, concept of the mention there; None = no mention)
PANEL_CASES = [
    ("图2 A-C: 生理盐水组软骨表面光滑。", "A-C", None),
    ("Figure 3. A–C: saline group.", "A–C", None),
    ("AC were isolated from rabbit knees.", "AC", "C_CHONDROCYTE"),
]

# (text, short, long_en, long_zh, concept of the short form, concept of the long_zh elsewhere)
CUT_LONG_FORM_CASES = [
    ("转化生长因子（TGF-β1）促进软骨修复。转化生长因子家族成员众多。", "TGF-β1", None, "转化生长因子",
     "C_TGFB1", "C_TGFB"),
    ("骨形态发生（BMP-2）促进成骨。骨形态发生家族成员众多。", "BMP-2", None, "骨形态发生",
     "C_BMP2", "C_BMP"),                                   # the family (BMP) named by the table only
    ("转化生长因子β1（TGF-β1）促进软骨修复。转化生长因子β1表达升高。", "TGF-β1", None, "转化生长因子β1",
     "C_TGFB1", "C_TGFB1"),
    ("转化生长因子（transforming growth factor beta 1，TGF-β1）促进软骨修复。转化生长因子表达升高。", "TGF-β1",
     "transforming growth factor beta 1", "转化生长因子", "C_TGFB1", "C_TGFB1"),  # the English names the member
]
# fmt: on


@pytest.fixture(scope="module")
def normalizer(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rules_lenient")
    for name, text in (("concepts", CONCEPTS), ("aliases", ALIASES), ("ambiguous", AMBIGUOUS)):
        (folder / f"{name}.tsv").write_text(text, encoding="utf-8")
    return Normalizer(load_rules(folder))


@pytest.mark.parametrize("text,span,label,expected", LENIENT_CASES)
def test_normalize_lenient_lookup_before_minting(normalizer, text, span, label, expected):
    hit = normalizer.matcher.lenient(span, label)
    assert (hit[0] if hit else None) == expected


def test_normalize_lenient_model_span_takes_known_concept(normalizer, make_doc):
    text = "超声波治疗后骨折愈合加快，低强度超声波有效。"
    spans = tuple(Mention(k, k + 3, "超声波", "INTERVENTION", "model", score=0.7)
                  for k in (text.index("超声波"), text.rindex("超声波")))
    doc = normalizer(make_doc(text, doc_id="p1", mentions=spans))
    assert [(m.concept_id, m.flag) for m in doc.mentions if m.source == "model"] == [("C_US", None)] * 2
    assert not any(m.concept_id.startswith("N:") for m in doc.mentions)


@pytest.mark.parametrize("text,span,noise", NOISE_CASES)
def test_normalize_model_noise_is_dropped(normalizer, make_doc, text, span, noise):
    s = text.index(span)
    assert is_model_noise(text, s, s + len(span)) is noise
    doc = normalizer(make_doc(text, mentions=(Mention(s, s + len(span), span, "OUTCOME", "model", score=0.7),)))
    assert any(m.source == "model" for m in doc.mentions) is not noise


# (text, model SPECIES span, kept) -- the species are a closed class listed in the tables
SPECIES_CASES = [
    ("The difficulty of recruiting patients", "difficulty", False),
    ("实验采用斑马鱼模型", "斑马鱼", False),
]


@pytest.mark.parametrize("text,span,kept", SPECIES_CASES)
def test_normalize_model_species_outside_tables_is_dropped(normalizer, make_doc, text, span, kept):
    s = text.index(span)
    doc = normalizer(make_doc(text, mentions=(Mention(s, s + len(span), span, "SPECIES", "model", score=0.7),)))
    assert any(m.source == "model" for m in doc.mentions) is kept
    other = normalizer(make_doc(text, mentions=(Mention(s, s + len(span), span, "CELL", "model", score=0.7),)))
    assert any(m.source == "model" for m in other.mentions)  # another label mints a new term


# (text, model span, the mention it becomes; None = dropped)
TRIM_CASES = [
    ("患者并发aGVHD，死亡率升高", "aGVHD，", "aGVHD"),
    ("using (Frobnic widgets) in vitro", "(Frobnic widgets)", "Frobnic widgets"),
    ("骨髓值（均数）升高", "值（", None),                 # one char left
    ("the RANKL-RANK axis", "RANKL-", "RANKL"),           # a table term before the hyphen
    ("was down-\nregulated", "down-", None),             # a word cut at the line end
]


@pytest.mark.parametrize("text,span,expected", TRIM_CASES)
def test_normalize_model_span_edges_trimmed(normalizer, make_doc, text, span, expected):
    s = text.index(span)
    doc = normalizer(make_doc(text, mentions=(Mention(s, s + len(span), span, "DISEASE", "model", score=0.7),)))
    got = [(m.text, text[m.start:m.end]) for m in doc.mentions if m.source == "model"]
    assert got == ([(expected, expected)] if expected else [])


def test_normalize_model_span_in_author_section_is_dropped(normalizer, make_doc):
    text = "Zhang Wei, Department of Orthopaedics, Qilu Hospital\nFrobnic widgets rose."
    cut = text.index("\n")
    spans = tuple(Mention(text.index(w), text.index(w) + len(w), w, "CELL", "model", score=0.7)
                  for w in ("Qilu Hospital", "Frobnic widgets"))
    sections = (Section("authors", "authors", 0, cut), Section("body", "", cut + 1, len(text)))
    doc = normalizer(make_doc(text, sections=sections, mentions=spans))
    assert [m.text for m in doc.mentions if m.source == "model"] == ["Frobnic widgets"]


@pytest.mark.parametrize("text,surface,expected", PANEL_CASES)
def test_normalize_panel_range_is_not_an_abbreviation(normalizer, make_doc, text, surface, expected):
    doc = normalizer(make_doc(text))
    assert [m.concept_id for m in doc.mentions if m.text == surface] == ([expected] if expected else [])


@pytest.mark.parametrize("text,short,long_en,long_zh,short_cid,long_cid", CUT_LONG_FORM_CASES)
def test_normalize_cut_long_form_keeps_family_and_member_apart(normalizer, make_doc, text, short, long_en, long_zh,
                                                               short_cid, long_cid):
    s = text.index(short)
    abbr = Abbreviation(short, long_en, long_zh, s, s + len(short), 0, "zh_short")
    doc = normalizer(make_doc(text, abbreviations=(abbr,)))
    assert doc.abbreviations[0].concept_id == short_cid
    assert {m.concept_id for m in doc.mentions if m.text == short} == {short_cid}
    later = text.index(long_zh, s)
    assert [m.concept_id for m in doc.mentions if m.start == later and m.flag != NESTED_FLAG] == [long_cid]
