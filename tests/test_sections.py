"""Tests for pipeline/sections.py: front matter, headings, tables, reference list."""

from __future__ import annotations

import re

import pytest

from pipeline import sections
from pipeline.config import Config
from tests.conftest import FIXTURES

# fmt: off
# (text, expected headings as (title, level)); wrapped lines that start with a number are not headings.
HEADING_CASES = [
    ("前言段落结束。\n\n1  材料与方法\n\n正文内容。\n\n1.1  实验动物\n\n大鼠共 20 只，\n"
     "4 周后处死并取材。\n\n2  结果\n\n结果如下。\n",
     [("1 材料与方法", 1), ("1.1 实验动物", 2), ("2 结果", 1)]),
    ("引言结束。\n\n一、研究背景\n\n内容。\n\n（一）发病机制\n\n内容。\n\n二、治疗进展\n\n内容。\n",
     [("一、研究背景", 1), ("（一）发病机制", 2), ("二、治疗进展", 1)]),
    ("# 1.2分析方法\n\n采用定量分析。\n\n# 2．结果\n\n结果。\n",
     [("1.2分析方法", 2), ("2．结果", 1)]),
    ("Text ends here.\n\n1. Introduction\n\nBone loss is common.\n\n2. Methods\n\nRats were used.\n",
     [("1. Introduction", 1), ("2. Methods", 1)]),
    ("Text ends here.\n\nIntroduction\n\nBone loss is common.\n\nResults\n\nDensity rose.\n",
     [("Introduction", 1), ("Results", 1)]),
    # a run-in heading: the title ends at the double space, the rest is body text
    ("上文结束。\n\n2.3.1  原发性骨质疏松症  老年小鼠骨量\n降低。\n",
     [("2.3.1 原发性骨质疏松症", 3)]),
]
# (line, category of the section it opens)
MARKER_CASES = [
    ("【摘  要】 干细胞可以修复骨缺损。", "abstract_zh"),
    ("摘要：干细胞可以修复骨缺损。", "abstract_zh"),
    ("[摘要] 干细胞可以修复骨缺损。", "abstract_zh"),
    ("Abstract: Stem cells repair bone defects.", "abstract_en"),
    ("【Abstract】Stem cells repair bone defects.", "abstract_en"),
    ("关键词：干细胞；骨缺损", "keywords_zh"),
    ("Key words: stem cells; bone defect", "keywords_en"),
    ("Keywords: stem cells; bone defect", "keywords_en"),
]
# fmt: on


@pytest.fixture(scope="module")
def stage():
    return sections.build(Config())


@pytest.fixture(scope="module")
def mini(stage):
    from pipeline.types import Document

    text = (FIXTURES / "mini_review_zh.txt").read_text(encoding="utf-8")
    return stage(Document(doc_id="mini", text=text, source_path="mini_review_zh.txt"))


@pytest.mark.parametrize("text,expected", HEADING_CASES)
def test_sections_finds_numbered_headings(make_doc, stage, text, expected):
    doc = stage(make_doc(text))
    found = [(s.title, s.level) for s in doc.sections if s.category == "heading"]
    assert found == expected


@pytest.mark.parametrize("line,category", MARKER_CASES)
def test_sections_marker_opens_front_section(make_doc, stage, line, category):
    text = f"骨髓间充质干细胞的研究进展\n\n{line}\n"
    doc = stage(make_doc(text))
    cats = [s.category for s in doc.sections]
    assert category in cats
    section = next(s for s in doc.sections if s.category == category)
    # the section holds the content, not the marker
    assert not re.match(r"[【\[]?\s*(摘|Abstract|关键|Key)", doc.text[section.start:section.end])


def test_sections_front_matter_of_bilingual_paper(mini):
    assert mini.title_zh == "间充质干细胞修复软骨缺损的研究进展"
    assert mini.title_en == "Progress of mesenchymal stem cells in cartilage defect repair"
    cats = [s.category for s in mini.sections]
    for category in ("title", "authors", "abstract_zh", "keywords_zh", "abstract_en", "keywords_en",
                     "heading", "body", "table", "references", "other"):
        assert category in cats, category
    abstract_zh = next(s for s in mini.sections if s.category == "abstract_zh")
    assert mini.text[abstract_zh.start:abstract_zh.end].endswith("应用。")


def test_sections_body_title_is_innermost_heading(mini):
    body = [s for s in mini.sections if s.category == "body"]
    titles = [s.title for s in body]
    assert titles[0] == "body"  # before the first heading
    assert "1.1 动物实验" in titles
    for s in body:
        assert mini.text[s.start:s.end] == mini.text[s.start:s.end].strip()


def test_sections_table_rows_have_cells_and_offsets(mini):
    assert len(mini.tables) == 1
    table = mini.tables[0]
    assert table.caption.startswith("表 1") and "Table 1" in table.caption
    assert table.header == ("来源", "增殖", "成软骨")
    assert table.rows == (("骨髓", "+", "++"), ("脂肪", "++", "+"))
    for row, (start, end) in zip(table.rows, table.row_spans):
        assert mini.text[start:end].split("\t") == list(row)


def test_sections_sections_do_not_overlap(mini):
    spans = sorted((s.start, s.end) for s in mini.sections)
    for (a0, a1), (b0, b1) in zip(spans, spans[1:]):
        assert a1 <= b0


def test_sections_references_parsed_in_order(mini):
    assert [r.ref_num for r in mini.references] == [str(n) for n in range(1, 12)]
    assert all(r.year for r in mini.references)
    # the continuation line "- 500-508." belongs to entry 2, not to a new entry
    assert mini.references[1].text.endswith("500-508.")
    assert "\n-" not in mini.text[mini.references[1].start:mini.references[1].end].rstrip("-")[-3:]


def test_sections_reference_list_of_seed_fully_parsed(stage, shared_dir):
    from pipeline import ingest

    doc = stage(ingest.read(shared_dir / "seeds" / "001_bb77ab046c489186.txt", Config()))
    refs = doc.references
    assert len(refs) >= 10
    assert [int(r.ref_num) for r in refs] == list(range(1, len(refs) + 1))
    assert all(r.year is not None for r in refs)
    assert all(r.authors and r.title and r.source for r in refs)


def test_sections_every_seed_has_headings_or_abstract(stage, shared_dir):
    from pipeline import ingest

    for path in sorted((shared_dir / "seeds").glob("*.txt")):
        doc = stage(ingest.read(path, Config()))
        cats = {s.category for s in doc.sections}
        assert "body" in cats, path.name
        assert cats & {"heading", "abstract_zh", "table"}, path.name


def test_sections_messy_conversions_pass(stage, shared_dir):
    from pipeline import ingest

    for path in sorted((shared_dir / "corpora" / "chinaxiv").glob("*.txt")):
        doc = stage(ingest.read(path, Config()))
        assert doc.title_zh and doc.title_en, path.name
        assert any(s.category == "heading" for s in doc.sections), path.name
        assert len(doc.references) >= 5, path.name


def test_sections_gbt7714_examples_pdf(stage, shared_dir):
    from pipeline import ingest
    from pipeline.types import PipelineError

    path = shared_dir / "corpora" / "pdfs" / "zh_ref_19_gb7714_journal_examples.pdf"
    try:
        doc = ingest.read(path, Config())
    except PipelineError as exc:
        pytest.skip(f"ingest cannot read PDFs yet: {exc.message}")
    doc = stage(doc)
    if not doc.references:
        pytest.skip("no reference list heading in the PDF text")
    with_year = [r for r in doc.references if r.year]
    assert len(with_year) >= 0.8 * len(doc.references)


@pytest.fixture(scope="module")
def mini_en(stage):
    from pipeline.types import Document

    text = (FIXTURES / "mini_paper_en.txt").read_text(encoding="utf-8")
    return stage(Document(doc_id="mini_en", text=text, source_path="mini_paper_en.txt"))


def test_sections_english_paper_imrad(mini_en):
    assert mini_en.title_zh is None
    assert mini_en.title_en.startswith("Mesenchymal stem cell therapy")
    headings = [s.title for s in mini_en.sections if s.category == "heading"]
    assert headings == ["Introduction", "Methods", "Results", "Discussion", "References"]
    abstract = next(s for s in mini_en.sections if s.category == "abstract_en")
    assert mini_en.text[abstract.start:abstract.end].startswith("Background:")
    assert mini_en.text[abstract.start:abstract.end].endswith("fracture healing.")
    assert [s.title for s in mini_en.sections if s.category == "other"] == ["acknowledgements"]
    table = mini_en.tables[0]
    assert table.header == ("Group", "BMD (g/cm2)", "P") and len(table.rows) == 2


def test_sections_english_vancouver_references(mini_en):
    refs = mini_en.references
    assert [r.ref_num for r in refs] == [str(n) for n in range(1, 8)]
    assert refs[0].authors == ("Kanis JA", "Johnell O")
    assert refs[0].source == "Osteoporos Int" and refs[0].year == 2005
    assert refs[1].text.endswith("800-10.")


# fmt: off
# inputs that must not break any of the three structure stages
ODD_INPUTS = [
    "",
    "   \n\n  \n",
    "只有一行没有标点",
    "Windows line ends.\r\n\r\n1  Methods\r\nRats were used [1].\r\n",
    "参考文献\n[1] 张三. 题名[J]. 刊名, 2020, 1: 1-2.\n",
    "（" * 50 + "未闭合的括号。" * 20,
    "[1]" * 200,
    "表 1\n\n" + "a\tb\n" * 50,
    "# \n#\n# 1\n",
    "骨髓间充质干细胞，" * 5000 + "。",
]
# fmt: on


@pytest.mark.parametrize("text", ODD_INPUTS)
def test_sections_survives_odd_inputs(stage, text):
    import time

    from pipeline import citations, segment
    from pipeline.types import Document

    t0 = time.perf_counter()
    doc = stage(Document(doc_id="odd", text=text, source_path="odd.txt"))
    doc = segment.build(Config())(doc)
    doc = citations.build(Config())(doc)
    assert time.perf_counter() - t0 < 5.0
    for s in doc.sections:
        assert 0 <= s.start <= s.end <= len(text)
    for s in doc.sentences:
        assert text[s.start:s.end] == s.text and s.text.strip() == s.text and s.text


def test_sections_english_abstract_after_references(make_doc, stage):
    text = ("骨髓间充质干细胞与骨再生\n\n摘要：干细胞可以促进骨再生。\n\n关键词：干细胞；骨再生\n\n"
            "1  引言\n\n骨缺损常见[1]。\n\n参考文献 (References)\n\n"
            "[1] 王五. 骨缺损的治疗[J]. 骨科杂志, 2019, 3: 1-4.\n"
            "[2] Smith J. Bone repair[J]. Bone, 2018, 1: 1-3.\n\n"
            "Bone marrow mesenchymal stem cells and bone regeneration\n\nWANG Wu\n\n"
            "Abstract: Stem cells can promote bone regeneration.\n\nKey words: stem cells; bone regeneration\n")
    doc = stage(make_doc(text))
    assert doc.title_en == "Bone marrow mesenchymal stem cells and bone regeneration"
    assert [r.ref_num for r in doc.references] == ["1", "2"]
    assert doc.references[1].text.endswith("1-3.")
    cats = [s.category for s in doc.sections]
    assert cats[-3:] == ["authors", "abstract_en", "keywords_en"]


# fmt: off
REFERENCE_HEADING_CASES = [
    "正文结束。\n\n参考文献：[1] 张三. 题名一[J]. 刊名, 2018, 1: 1-2.\n[2] 李四. 题名二[J]. 刊名, 2019, 2: 3-4.\n",
    "Text ends.\n\nReferences 1. Smith J. Title one. J Bone. 2018;1:1-2.\n2. Lee K. Title two. J Bone. 2019;2:3-4.\n",
    # the heading was lost: after the body, a list that starts at [1] and goes on with [2]
    "1  结论\n\n正文结束。\n\n[1] 张三. 题名一[J]. 刊名, 2018, 1: 1-2.\n[2] 李四. 题名二[J]. 刊名, 2019, 2: 3-4.\n",
]
# fmt: on


@pytest.mark.parametrize("text", REFERENCE_HEADING_CASES)
def test_sections_reference_list_heading_variants(make_doc, stage, text):
    doc = stage(make_doc(text))
    assert [(r.ref_num, r.year) for r in doc.references] == [("1", 2018), ("2", 2019)]
    assert any(s.category == "references" for s in doc.sections)


# fmt: off
# (front matter, expected title_zh, expected title_en)
WRAPPED_TITLE_CASES = [
    ("脂肪来源干细胞修复软骨缺损的实验研究及\n其机制探讨\n王小明1 陈丽华1，2\n\n摘要：本文综述相关进展。\n",
     "脂肪来源干细胞修复软骨缺损的实验研究及其机制探讨", None),
    ("Outcomes of early weight bearing after\nankle fracture fixation: a pooled analysis of the\n"
     "cohorts\nAnna Berg1, Tomas Lind1\n\nAbstract\nEarly loading is common.\n",
     None, "Outcomes of early weight bearing after ankle fracture fixation: a pooled analysis of the "
     "cohorts"),
    # a Chinese title whose letters are mostly Latin (a drug name)
    ("Alendronate sodium的合成\n李明1\n\n摘要：本文报道了一种合成方法。\n", "Alendronate sodium的合成", None),
]
# fmt: on


@pytest.mark.parametrize("text,title_zh,title_en", WRAPPED_TITLE_CASES)
def test_sections_title_wrapped_over_lines(make_doc, stage, text, title_zh, title_en):
    doc = stage(make_doc(text))
    assert (doc.title_zh, doc.title_en) == (title_zh, title_en)
    assert "authors" in [s.category for s in doc.sections]


def test_sections_abstract_without_closing_marker_ends(make_doc, stage):
    body = "Bone loss was measured in treated rats and compared with controls at every time point. " * 60
    text = f"A study of bone loss in rats\n\nAbstract\n{'Rats lost bone. ' * 20}\n\n{body}\n\n{body}\n"
    doc = stage(make_doc(text))
    abstract = next(s for s in doc.sections if s.category == "abstract_en")
    assert abstract.end - abstract.start < 2 * len(body)
    assert any(s.category == "body" for s in doc.sections)


def test_sections_rule_table_has_every_category(rules_dir):
    from pipeline.rules import load_rules

    rows = load_rules(rules_dir).sections
    categories = {r["category"] for r in rows}
    needed = set(sections.MARKER_CATEGORIES) | set(sections.HEADING_CATEGORIES) | {
        "table_caption", "figure_caption", "affiliation", "front_metadata", "heading_runin",
        "abstract_label", "title_prefix"}
    assert needed <= categories, needed - categories
    assert categories <= needed, categories - needed  # a category no code reads is a typo
    for row in rows:
        re.compile(row["pattern"])
        assert row["lang"] in ("zh", "en", "any"), f"{row.path}:{row.line}"


def test_sections_markdown_pipe_table(make_doc, stage):
    text = ("正文。\n\n表 2 各组骨密度比较\n| 组别 | 骨密度 | P |\n|---|:---:|---|\n"
            "| 对照 | 0.21 | - |\n| 治疗 | 0.25 | 0.01 |\n\n后文。\n")
    (table,) = stage(make_doc(text)).tables
    assert table.header == ("组别", "骨密度", "P")
    assert table.rows == (("对照", "0.21", "-"), ("治疗", "0.25", "0.01"))


# (text, title of the heading that ends the reference list)
SUPPLEMENT_CASES = [
    ("Intro text.\n\nReferences\n1. Smith J. A title. J Bone. 2010;1:1-2.\n\nSUPPLEMENTARY ONLINE DATA\n"
     "Compound 3 was made as follows.\n", "SUPPLEMENTARY ONLINE DATA"),
    ("正文内容。\n\n参考文献\n[1] 张三. 题名[J]. 刊名, 2010, 1: 1-2.\n\n附录\n补充方法如下。\n", "附录"),
]


@pytest.mark.parametrize("text,heading", SUPPLEMENT_CASES)
def test_sections_supplementary_material_ends_reference_list(make_doc, stage, text, heading):
    doc = stage(make_doc(text))
    (refs,) = [s for s in doc.sections if s.category == "references"]
    assert heading not in doc.text[refs.start:refs.end]
    assert any(s.category == "heading" and s.title == heading for s in doc.sections)
    assert len(doc.references) == 1


# fmt: off
# (text, category expected to hold `probe`, probe)
FRONT_MATTER_CASES = [
    # CSL-style structured abstract: labels without 摘要, the first one with or without a colon
    ("骨髓干细胞移植治疗骨缺损的实验研究\n\n目的：观察干细胞移植的疗效。方法将大鼠分为两组。结果骨量增加。\n\n关键词：干细胞；骨缺损\n",
     "abstract_zh", "方法将大鼠分为两组"),
    ("骨髓干细胞移植治疗骨缺损的实验研究\n\n目的观察干细胞移植的疗效。方法：将大鼠分为两组。\n\n关键词：干细胞；骨缺损\n",
     "abstract_zh", "目的观察"),
    ("骨髓干细胞移植治疗骨缺损的实验研究\n\n目的：观察疗效。方法：分组。\n\n关键词：干细胞；骨缺损\n",
     "keywords_zh", "干细胞；骨缺损"),
    # an unstructured abstract closed by its keywords line
    ("脂肪干细胞修复软骨的研究\n\n本文综述了脂肪干细胞的来源、分离培养方法及其向软骨细胞分化的条件.脂肪干细胞修复关节软骨缺损的机制仍不清楚,可能与旁分泌作用和免疫调节有关.今后需要更多设计严谨的临床研究证实其安全性与有效性.\n\n关键词：脂肪干细胞；软骨\n",
     "abstract_zh", "本文综述了"),
    # a label followed by a space; an abstract naming a hospital is still an abstract
    ("颈椎融合一例\n\n目的 调查某医学院学生的颈椎病患病率.方法 问卷调查.结果 患病率为5%.\n\n关键词：颈椎\n",
     "abstract_zh", "目的 调查"),
    ("颈椎融合一例\n\n本院神经外科中心自2000年以来收治颈椎融合患者12例,均经手术证实.现将诊治体会报道如下.\n\n关键词：颈椎\n",
     "abstract_zh", "本院神经外科"),
    # a short one-paragraph abstract (two sentences) is no author line
    ("颈椎融合一例\n\n在尸骨中发现一例颈椎融合.锯开未见椎间盘.\n\n关键词：颈椎；融合\n", "abstract_zh", "在尸骨中"),
    # an affiliation line before the keywords stays an author line
    ("颈椎融合一例\n\n张明，李华\n(1. 某某大学医学院, 上海 200000)\n\n关键词：颈椎；融合\n", "authors", "(1. 某某大学"),
    # English: labels without an "Abstract" marker, front-matter lines before them
    ("Research Article Marrow Cells in Aged Rats\nAnna Berg and Tom Holm\nDepartment of Surgery, Some University\n"
     "Correspondence should be addressed to Tom Holm, holm@example.org\nReceived 9 May 2010; Accepted 2 June 2010\n"
     "Copyright © 2010 Anna Berg et al. This is an open access article.\n"
     "Objectives. Marrow cells were given to aged rats. Methods. Twenty rats were treated.\n\n1. Introduction\nText.\n",
     "abstract_en", "Objectives. Marrow cells"),
    ("TITLE:\nMarrow Cells in Aged Rats\n\nBACKGROUND:\nMarrow cells were given to aged rats.\n", "title",
     "Marrow Cells in Aged Rats"),
    # author names with flattened superscript numbers ("Berg,^1,2"), affiliation lines, then ABSTRACT
    ("Marrow cells restore bone in aged rats\n" + ", ".join(f"Author{k} Name{k},^{k},2" for k in range(1, 14))
     + "\n" + "".join(f"[{k}]Department {k} of Surgery, Some University, Shanghai, China\n" for k in range(1, 7))
     + "Correspondence to\nDr A Name, Department of Surgery, Some University\n"
     "Received 3 March 2011 Accepted 9 July 2011\nABSTRACT\nMarrow cells were given to aged rats.\n",
     "abstract_en", "Marrow cells were given"),
    ("骨髓干细胞修复骨缺损的研究\n张明^1,2，李华^2，王强^1\n1. 某某大学医学院，上海 200000\n摘要：目的 观察疗效。\n",
     "abstract_zh", "目的 观察疗效"),
    # a long address line ending in a full stop, then the "Abstract" marker: the address is no abstract
    ("Marrow cells restore bone in aged rats\nAnna BERG and Tom HOLM\n"
     "Department of Biology and Biochemistry, Some University, Long Road, Some Town AB1 2CD, U.K.\n"
     "Abstract\nMarrow cells were given to aged rats.\nKey words: marrow, rats\n",
     "abstract_en", "Marrow cells were given"),
    # affiliation lines that name no university or hospital, after the keywords
    ("Marrow cells restore bone in aged rats\nAnna Berg^1 and Tom Holm^2\n\n"
     "Abstract\nMarrow cells were given to rats.\nKeywords: marrow, rats\n* Correspondence: holm@example.org\n"
     "[1]Project Officer, Bone Health Directorate, Some Town\n[2]Regional Health Secretariat, Other Town\nBackground\nBone loss is common.\n",
     "authors", "[2]Regional Health"),
    ("骨髓干细胞修复骨缺损的研究\n张明^1，李华^2\n\n摘要：目的 观察疗效。\n关键词：骨缺损\n"
     "^1某某省卫生健康委员会，某某市\n^2某某区疾病预防控制所，某某市\n1 引言\n正文。\n",
     "authors", "^2某某区疾病"),
    ("骨髓干细胞修复骨缺损的研究\n张明，李华\n某某大学医学院生物化学与分子生物学系暨省部共建重点实验室，上海市某某区某某路100号，上海 200000。\n"
     "摘要：目的 观察疗效。\n关键词：骨缺损\n",
     "abstract_zh", "目的 观察疗效"),
]
# (first lines, title_en)
TITLE_PREFIX_CASES = [
    ("Research Article Marrow Cells in Aged Rats\nAnna Berg\n", "Marrow Cells in Aged Rats"),
    ("REVIEW Open Access\nMarrow cells in aged rats: a review\nAnna Berg\n", "Marrow cells in aged rats: a review"),
    ("TITLE:\nMarrow Cells in Aged Rats\n", "Marrow Cells in Aged Rats"),
    ("Review of marrow cells in aged rats\nAnna Berg\n", "Review of marrow cells in aged rats"),
]
# fmt: on


@pytest.mark.parametrize("text,category,probe", FRONT_MATTER_CASES)
def test_sections_abstract_without_marker(make_doc, stage, text, category, probe):
    doc = stage(make_doc(text))
    at = text.index(probe)
    assert any(s.category == category and s.start <= at < s.end for s in doc.sections), \
        [(s.category, text[s.start:s.end][:20]) for s in doc.sections]


@pytest.mark.parametrize("text,title", TITLE_PREFIX_CASES)
def test_sections_title_without_article_type_label(make_doc, stage, text, title):
    assert stage(make_doc(text)).title_en == title


def test_sections_page_footer_inside_reference_list(make_doc, stage):
    text = ("Body text.\n\nREFERENCES\n1 Berg, A. (2003) A title. J. Bone 2, 1-9\n"
            "Received 19 July 2013; accepted 9 September 2013\n"
            "Holm, T. and Dahl, S. (2009) Another title. Bone 48, 10-12\n")
    doc = stage(make_doc(text))
    (refs,) = [s for s in doc.sections if s.category == "references"]
    assert refs.end == len(text.rstrip("\n"))


# (text, headings expected)
LOST_HEADING_CASES = [
    ("1 前言\n正文第一段。\n参数预测、状态监控\n2 系统功能\n系统特点为简单。\n3 关键技术\n3. 1 故障识别\n正文。\n",
     ["1 前言", "3 关键技术", "3. 1 故障识别"]),
    ("1 Introduction\nText here.\nA table row 12 34\n2 Methods\nRats were used.\n3 Results\nBone rose.\n",
     ["1 Introduction", "3 Results"]),
]

# fmt: off
# (text, headings expected): a named heading alone on its line after a line with no full stop
STANDALONE_NAMED_CASES = [
    ("Some Title of a Cohort Study\n\nAbstract\nWe studied bone loss in rats. It was large.\n\n"
     "Full list of author information is at the end of the article\nBackground\nBone loss is common.\n"
     "The aims were to assess\n1. the bone mass of the rats\nMethods\nRats were used.\n",
     ["Background", "Methods"]),
    ("骨量研究\n\n摘要：本文研究了大鼠的骨量变化。结果显示骨量下降。\n\n作者单位见文末\n背景\n骨量丢失很常见。\n"
     "研究目的如下\n1. 评估大鼠骨量\n方法\n采用大鼠实验。\n",
     ["背景", "方法"]),
    # a lower-case word left alone by a line wrap is not a heading
    ("1 Introduction\nBone loss was seen. We then compared the\nresults\nof both groups.\n", ["1 Introduction"]),
]
# fmt: on


@pytest.mark.parametrize("text,expected", LOST_HEADING_CASES + STANDALONE_NAMED_CASES)
def test_sections_headings_survive_lost_ones_and_unfinished_lines(make_doc, stage, text, expected):
    doc = stage(make_doc(text))
    assert [s.title for s in doc.sections if s.category == "heading"] == expected


# fmt: off
# (front matter, the keywords section's text): a correspondence line ends the keywords
KEYWORDS_END_CASES = [
    ("A Study of Bone Loss\n\nAbstract\nWe studied bone loss in rats. It was large.\n"
     "Keywords: bone loss, rats\n* Correspondence: someone@example.org\nBackground\nText.\n",
     "bone loss, rats"),
    ("骨量研究\n\n摘要：本文研究了大鼠的骨量变化。结果显示骨量下降。\n"
     "关键词：骨量；大鼠\n*通信作者：某某，E-mail: someone@example.org\n1 引言\n正文。\n",
     "骨量；大鼠"),
]
# fmt: on


@pytest.mark.parametrize("text,keywords", KEYWORDS_END_CASES)
def test_sections_keywords_end_at_correspondence_line(make_doc, stage, text, keywords):
    doc = stage(make_doc(text))
    (kw,) = [s for s in doc.sections if s.category.startswith("keywords")]
    assert doc.text[kw.start:kw.end] == keywords


# fmt: off
# (text, expected number of abstract sections and the text they cover)
REPEATED_MARKER_CASES = [
    ("TITLE:\nMarrow Cells in Aged Rats\n\nABSTRACT.BACKGROUND::\nMarrow cells were given.\n\n"
     "ABSTRACT.METHODS::\nTwenty rats were treated.\n", "abstract_en", "Twenty rats were treated."),
    ("骨髓干细胞治疗骨缺损\n\n摘要：目的 观察疗效。\n\n摘要：方法 将大鼠分为两组。\n", "abstract_zh", "方法 将大鼠分为两组。"),
]
# fmt: on


@pytest.mark.parametrize("text,category,last", REPEATED_MARKER_CASES)
def test_sections_repeated_abstract_marker_continues_abstract(make_doc, stage, text, category, last):
    doc = stage(make_doc(text))
    (abstract,) = [s for s in doc.sections if s.category == category]
    assert doc.text[abstract.start:abstract.end].endswith(last)
