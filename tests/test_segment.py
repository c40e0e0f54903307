"""Tests for pipeline/segment.py: sentence boundaries, language, offsets, tokens."""

from __future__ import annotations

import re
import time

import pytest

from pipeline import sections, segment
from pipeline.config import Config
from pipeline.types import Document

# fmt: off
# (body text, expected sentences)
SPLIT_CASES = [
    # Chinese terminals, including ；
    ("干细胞可以分化为成骨细胞。它们也能分化为脂肪细胞；这一过程受年龄影响！",
     ["干细胞可以分化为成骨细胞。", "它们也能分化为脂肪细胞；", "这一过程受年龄影响！"]),
    # PDF line wraps and blank lines in the middle of a sentence do not end it
    ("骨髓间充质干细胞具有自我更新\n\n能力，并可分化为软骨\n细胞。下一句。",
     ["骨髓间充质干细胞具有自我更新\n\n能力，并可分化为软骨\n细胞。", "下一句。"]),
    # no split inside parentheses
    ("去卵巢（ovariectomy。OVX）大鼠骨量下降。随后恢复。",
     ["去卵巢（ovariectomy。OVX）大鼠骨量下降。", "随后恢复。"]),
    # English: et al., e.g., Fig., vs., decimals
    ("Smith et al. showed that bone density rose by 2.5 percent vs. controls (Fig. 2). "
     "Cells, e.g. MSCs, were injected. The effect lasted.",
     ["Smith et al. showed that bone density rose by 2.5 percent vs. controls (Fig. 2).",
      "Cells, e.g. MSCs, were injected.", "The effect lasted."]),
    # histomorphometry symbols glued to a full stop
    ("Micro-CT showed that BV/TV and Tb.N increased and Tb.Sp decreased. Tb.Th did not change.",
     ["Micro-CT showed that BV/TV and Tb.N increased and Tb.Sp decreased.", "Tb.Th did not change."]),
    # a citation marker after the full stop stays with the sentence before
    ("Bone loss was reversed in treated rats.[12] Fracture healing was faster. [3,4] Both effects held.",
     ["Bone loss was reversed in treated rats.[12]", "Fracture healing was faster. [3,4]",
      "Both effects held."]),
    # ASCII ; ! ? in Chinese context end a sentence
    ("两组骨密度无差异;治疗组骨折更少?需要更多研究。",
     ["两组骨密度无差异;", "治疗组骨折更少?", "需要更多研究。"]),
    # mixed: an English sentence followed by a Chinese one
    ("The cells were labelled with GFP. 随后移植到小鼠体内。",
     ["The cells were labelled with GFP.", "随后移植到小鼠体内。"]),
    # half-width full stops between Chinese characters (CNKI-style abstracts); decimals stay whole
    ("目的:评价两种制剂的等效性.方法:测定20名志愿者的血药浓度.结果:生物利用度为(98.5±4.2)%.",
     ["目的:评价两种制剂的等效性.", "方法:测定20名志愿者的血药浓度.", "结果:生物利用度为(98.5±4.2)%."]),
    # a structured-abstract label alone on its line is its own piece
    ("ABSTRACT.PURPOSE::\nTo compare two grafts in rats.\n\nMETHODS:\nTwenty rats were treated.",
     ["ABSTRACT.PURPOSE::", "To compare two grafts in rats.", "METHODS:", "Twenty rats were treated."]),
]
# (sentence, lang)
LANG_CASES = [
    ("间充质干细胞(mesenchymal stem cells, MSCs)是一种多能干细胞。", "zh"),
    ("MSCs 可以分化为成骨细胞。", "zh"),
    ("Mesenchymal stem cells (MSCs) differentiate into osteoblasts.", "en"),
    ("Treatment with 骨碎补 extract increased bone mineral density in ovariectomized rats.", "en"),
]
# (text, words that must come out as one token)
TOKEN_CASES = [
    ("骨髓间充质干细胞可以分化为成骨细胞", ["成骨细胞"]),
    ("Bone marrow stromal cells (BMSCs) were injected.", ["BMSCs", "injected"]),
    ("将MSCs经尾静脉注射到OVX大鼠体内", ["MSCs", "OVX"]),
]
# fmt: on


def _body_doc(text: str) -> Document:
    from pipeline.types import Section

    return Document(doc_id="t", text=text, source_path="t.txt", sections=(Section("body", "body", 0, len(text)),))


@pytest.mark.parametrize("text,expected", SPLIT_CASES)
def test_segment_splits_prose(text, expected):
    doc = segment.segment(_body_doc(text))
    assert [s.text for s in doc.sentences] == expected


@pytest.mark.parametrize("text,expected", SPLIT_CASES)
def test_segment_offsets_point_into_text(text, expected):
    doc = segment.segment(_body_doc(text))
    for sent in doc.sentences:
        assert doc.text[sent.start:sent.end] == sent.text
        assert sent.text == sent.text.strip()
    assert [s.sent_id for s in doc.sentences] == list(range(len(doc.sentences)))


@pytest.mark.parametrize("text,lang", LANG_CASES)
def test_segment_sentence_language(text, lang):
    assert segment.sentence_lang(text) == lang


def test_segment_headings_rows_and_references_are_own_sentences(make_doc):
    from tests.conftest import FIXTURES

    text = (FIXTURES / "mini_review_zh.txt").read_text(encoding="utf-8")
    doc = sections.build(Config())(make_doc(text))
    doc = segment.build(Config())(doc)
    by_text = {s.text: s for s in doc.sentences}
    assert "1  间充质干细胞的来源" in by_text  # heading, not glued to the next sentence
    assert by_text["1  间充质干细胞的来源"].section == "1 间充质干细胞的来源"
    assert "骨髓\t+\t++" in by_text and by_text["骨髓\t+\t++"].section == "table"
    refs = [s for s in doc.sentences if s.section == "references"]
    assert len(refs) == len(doc.references) == 11
    assert refs[1].text.startswith("[2]") and refs[1].text.endswith("500-508.")
    abstract = [s for s in doc.sentences if s.section == "abstract_en"]
    assert [s.lang for s in abstract] == ["en", "en"]
    body = [s for s in doc.sentences if s.section == "1.1 动物实验"][1:]  # [0] is the heading
    assert body[0].text.startswith("Lee et al. [8] reported") and body[0].lang == "en"
    assert body[1].text == "Cartilage scores rose by 2.3 points vs. controls.[9]"


def test_segment_no_sentence_crosses_a_section(make_doc):
    from tests.conftest import FIXTURES

    text = (FIXTURES / "mini_review_zh.txt").read_text(encoding="utf-8")
    doc = segment.build(Config())(sections.build(Config())(make_doc(text)))
    for sent in doc.sentences:
        covering = [s for s in doc.sections if s.start <= sent.start and sent.end <= s.end]
        assert covering, sent.text


@pytest.mark.parametrize("text,words", TOKEN_CASES)
def test_segment_tokenize_offsets_and_whole_words(text, words):
    tokens = segment.tokenize(text)
    pieces = [text[a:b] for a, b in tokens]
    assert all(p.strip() == p and p for p in pieces)
    assert tokens == sorted(tokens)
    for word in words:
        assert word in pieces, pieces


def test_segment_tokenize_keeps_rule_terms_whole(rules_dir):
    from pipeline.rules import load_rules

    # jieba cuts at punctuation whatever its dictionary says; take a Chinese-only term
    words = [w for w in load_rules(rules_dir).jieba_words() if re.fullmatch(r"[\u4e00-\u9fff]{6,}", w)]
    if not words:
        pytest.skip("no Chinese aliases in rules/ yet")
    term = max(words, key=len)
    tokens = segment.tokenize(f"研究表明{term}在治疗中有效")
    assert term in [f"研究表明{term}在治疗中有效"[a:b] for a, b in tokens]


def test_segment_seeds_are_fast_and_complete(shared_dir):
    from pipeline import ingest

    build_sections = sections.build(Config())
    stage = segment.build(Config())
    stage(build_sections(Document(doc_id="warm", text="Warm up. 预热。", source_path="w")))
    for path in sorted((shared_dir / "seeds").glob("*.txt")):
        doc = build_sections(ingest.read(path, Config()))
        t0 = time.perf_counter()
        doc = stage(doc)
        assert time.perf_counter() - t0 < 1.0, path.name
        assert len(doc.sentences) >= 40, path.name
        for sent in doc.sentences:
            assert doc.text[sent.start:sent.end] == sent.text
        # a Chinese body sentence rarely runs past 400 characters; a missed boundary does
        long = [s for s in doc.sentences if s.lang == "zh" and len(s.text) > 400 and s.section != "table"]
        assert not long, (path.name, long[0].text[:80] if long else "")
