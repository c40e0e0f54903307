"""Tests for pipeline/citations.py: markers, author cues, reference entries."""

from __future__ import annotations

import re

import pytest

from pipeline import citations, sections, segment
from pipeline.config import Config
from pipeline.types import Document, Reference

# fmt: off
# (sentence, expected (refs, first_author) per citation)
MARKER_CASES = [
    ("王黎明等[17]采用静脉输注的方式治疗。", [(("17",), "王黎明")]),
    ("研究显示,陶晖等[31]构建了模型。", [(("31",), "陶晖")]),
    ("Ichioka 等[24]首次进行了骨髓移植。", [(("24",), "Ichioka")]),
    ("Baxter 等 [9]的研究证实端粒缩短。", [(("9",), "Baxter")]),
    ("Rastogi等人[18]进行了随机对照研究。", [(("18",), "Rastogi")]),
    ("Morse[5]的动物实验证实骨量减少。", [(("5",), "Morse")]),
    ("Chain A等[37]也做了类似研究。", [(("37",), "Chain A")]),
    ("Lai CH[45]的前瞻性研究表明骨丢失减少。", [(("45",), "Lai CH")]),
    ("Lien et al. [30] reported recovery of bone mass.", [(("30",), "Lien")]),
    ("Wagner et al.[7] found senescence in culture.", [(("7",), "Wagner")]),
    ("Smith and Jones [4] compared two routes.", [(("4",), "Smith")]),
    ("McDonald et al. [6] confirmed it.", [(("6",), "McDonald")]),
    ("O'Brien 等[2]报道了相同结果。", [(("2",), "O'Brien")]),
    ("可分化为成骨细胞和脂肪细胞等[3]。", [(("3",), None)]),
    ("可分化为多种细胞如 MSCs 等[3]。", [(("3",), None)]),
    ("多项研究支持这一结论[2-5]。", [(("2", "3", "4", "5"), None)]),
    ("多项研究支持这一结论[2–3]。", [(("2", "3"), None)]),
    # a range whose end is below its start lost a digit or a comma in conversion
    ("Both routes were compared [10-1].", [(("10",), None)]),
    ("铁剂补充后血红蛋白升高[436-38]。", [(("4", "36", "37", "38"), None)]),
    ("结果一致[13, 14]。", [(("13", "14"), None)]),
    ("结果一致[13,14]。", [(("13", "14"), None)]),
    ("假体松动会导致手术失败[4] [5] [6]。", [(("4", "5", "6"), None)]),
    ("假体松动会导致手术失败[4]-[6]。", [(("4", "5", "6"), None)]),
    ("假体松动会导致手术失败[4]、[7]。", [(("4", "7"), None)]),
    ("Loosening led to failure [4]–[6].", [(("4", "5", "6"), None)]),
    ("治疗后骨密度增加^[1],疗效明显^[2-3]。", [(("1",), None), (("2", "3"), None)]),
    ("疗效明显［24］。", [(("24",), None)]),
    ("疗效明显【24】。", [(("24",), None)]),
    ("激活了 latent-TGFβ1[16-17]。", [(("16", "17"), None)]),
    ("Smad3 was phosphorylated in 2 d [5-7].", [(("5", "6", "7"), None)]),
    ("Bone loss was reversed.[3]The University cohort agreed.", [(("3",), None)]),
    ("占总人数的 $8 . 1 \\% ^ { [ 1 - 2 ] }$ 。", [(("1", "2"), None)]),
    # a comma misread as a full stop by OCR
    ("转录因子促进了成骨细胞成熟[4.10-11]。", [(("4", "10", "11"), None)]),
    ("Runx2 drives osteoblast maturation [3.7,8].", [(("3", "7", "8"), None)]),
]
# text that holds no citation
NOT_CITATION_CASES = [
    "见网页[2016-11-04]的报道。",
    "![图1](images/fig1.jpg) 显示结果。",
    "详见[1](https://example.org/paper)。",
    "本研究在[2020]年完成。",
    # amino-acid residues, affiliation numbers and statistics ranges
    "The ligand binds Tyr[12] and Arg[15] in the S2 pocket.",
    "配体与 His[23] 和 Glu-[24] 形成氢键。",
    "[2]Department of Orthopaedics, Some University, Xi'an, China",
    "[1] 某某大学第三医院骨科，北京 100191",
    "Anna Berg,[1] Tom Holm[2] and Lars Dahl[3]",
    "[2]Renji Hospital, Some University School of Medicine, Shanghai, China",
    "China [3]Shanghai Institute of Bone Diseases, Shanghai, China",
    "Author details\n[1]Department of Surgery, Some University, Calgary, Canada.[2]Department of Surgery, "
    "Other University, Vancouver, Canada.",
    "作者单位\n[1]某某大学附属医院骨科，北京 100191。[2]某某医院骨科，上海 200001",
    "Ping Xiong^1\n[1]Shanghai No.9 People's Hospital, Shanghai, China",
    "Median follow-up was 20 [0-50] months.",
    "The interquartile range [3-9] was narrow.",
    "住院时间中位数 8 [3-15] 天。",
    # flattened exponents
    "Groups were compared with χ[2] tests.",
    "The fit was good (R[2] = 0.91).",
    "缺损面积为 15 mm[2]。",
    # decimals in brackets
    "两组比值为 [1.5] 倍。",
    "The 95% interval was [2.5-3.0] in both arms.",
    "剂量范围 [0.5-2] mg/kg。",
    "两组差值为 [1.3-4.5] 分。",
]
# (entry text after its number, first author, title, source, year, doc type)
REFERENCE_CASES = [
    ("张三, 李四, 王五, 等. 骨髓间充质干细胞治疗骨质疏松[J]. 中国骨质疏松杂志, 2020, 12(3): 1-5.",
     "张三", "骨髓间充质干细胞治疗骨质疏松", "中国骨质疏松杂志", 2020, "J"),
    ("Smith J, Lee K, et al. Stem cells for bone repair[J]. Journal of Bone Research, 2019, 10: 1-9.",
     "Smith J", "Stem cells for bone repair", "Journal of Bone Research", 2019, "J"),
    ("Smith J, Lee K. Stem cells for bone repair. J Bone Miner Res. 2010;25(3):1-9.",
     "Smith J", "Stem cells for bone repair", "J Bone Miner Res", 2010, None),
    ("Smith, J., & Lee, K. (2010). Stem cells for bone repair. Journal of Bone Research, 5, 1-8.",
     "Smith, J.", "Stem cells for bone repair", "Journal of Bone Research", 2010, None),
    ("张三，李四.骨髓间充质干细胞研究[C]//第十届骨科学术会议论文集.北京：中华医学会，2019：10-12.",
     "张三", "骨髓间充质干细胞研究", "第十届骨科学术会议论文集.北京：中华医学会", 2019, "C"),
    ("刘洋. 脂肪干细胞成软骨分化研究[D]. 上海: 某某大学, 2016.",
     "刘洋", "脂肪干细胞成软骨分化研究", "上海: 某某大学", 2016, "D"),
    ("世界卫生组织. 骨质疏松防治指南[EB/OL]. (2021-03-01)[2022-05-06]. https://example.org/op.",
     "世界卫生组织", "骨质疏松防治指南", None, 2021, "EB/OL"),
    ("骨髓干细胞的研究简史.[2016-11-04].https://example.org/msc.html.",
     None, "骨髓干细胞的研究简史", None, 2016, None),
    ("Lazarus H.M., Haynesworth S.E., Gerson S.L., et al. Ex vivo expansion of progenitor cells[J]. "
     "Bone Marrow Transplant, 1995, 16(4): 557-564.",
     "Lazarus H.M", "Ex vivo expansion of progenitor cells", "Bone Marrow Transplant", 1995, "J"),
    # IEEE / Hindawi: initials first, quoted title, "vol., no., pp." before the year
    ("K. N. Abara, “Marrow stromal cells in bone repair,” Journal of Bone Research, vol. 5, no. 2, pp. 1-8, 2004.",
     "K. N. Abara", "Marrow stromal cells in bone repair", "Journal of Bone Research", 2004, None),
    ("L.-G. Chou, T. Berg, and U. Holm, “Loading and bone mass,” Bone Reports, vol. 3, pp. 9-12, 2011.",
     "L.-G. Chou", "Loading and bone mass", "Bone Reports", 2011, None),
    ("T. Berg and U. Holm. Loading and bone mass. Bone Reports, 2011, 3: 9-12.",
     "T. Berg", "Loading and bone mass", "Bone Reports", 2011, None),
]
# fmt: on


@pytest.fixture(scope="module")
def stage():
    return citations.build(Config())


def _run(text: str, references: tuple[Reference, ...] = ()) -> Document:
    doc = sections.build(Config())(Document(doc_id="t", text=text, source_path="t.txt"))
    if references:
        doc = Document(doc_id="t", text=text, source_path="t.txt", references=references, sections=doc.sections)
    return citations.build(Config())(segment.segment(doc))


@pytest.mark.parametrize("text,expected", MARKER_CASES)
def test_citations_markers_and_author_cues(text, expected):
    doc = _run(text)
    assert [(c.refs, c.first_author) for c in doc.citations] == expected
    for c in doc.citations:
        assert doc.text[c.start:c.end] == c.marker
        assert c.sent_id == 0
        if c.cue_start is not None:
            assert doc.text[c.cue_start:].startswith(c.first_author)


@pytest.mark.parametrize("text", NOT_CITATION_CASES)
def test_citations_skips_non_markers(text):
    refs = tuple(Reference(str(n), f"[{n}] X", 0, 0) for n in range(1, 31))
    assert _run(text, refs).citations == ()


def test_citations_first_author_from_reference_entry():
    ref = Reference("3", "[3] Dominici M, Le Blanc K. Title[J]. Stem Cell Rev, 2006, 5: 101-109.", 0, 0,
                    authors=("Dominici M", "Le Blanc K"), year=2006)
    doc = _run("最低标准已经提出[3]。", (ref,))
    (cit,) = doc.citations
    assert cit.first_author == "Dominici" and cit.cue_start is None


def test_citations_latin_cue_must_name_the_cited_author():
    ref = Reference("3", "[3] Chen W. Title[J]. J, 2016, 1: 1.", 0, 0, authors=("Chen W",), year=2016)
    doc = _run("该通路受 Wnt 等[3]调控。Chen 等[3]也发现了这一点。", (ref,))
    assert [(c.first_author, c.cue_start is None) for c in doc.citations] == [("Chen", True), ("Chen", False)]


def test_citations_bare_name_must_match_reference_when_list_exists():
    ref = Reference("3", "[3] Chen W. Title[J]. J, 2016, 1: 1.", 0, 0, authors=("Chen W",), year=2016)
    doc = _run("The Wnt [3] pathway matters.", (ref,))
    assert doc.citations[0].first_author == "Chen" and doc.citations[0].cue_start is None


def test_citations_numbers_beyond_reference_list_dropped():
    refs = tuple(Reference(str(n), f"[{n}] X", 0, 0) for n in range(1, 11))
    doc = _run("结果一致[9,10,78]。另见[78]。", refs)
    assert [c.refs for c in doc.citations] == [("9", "10")]


@pytest.mark.parametrize("body,first,title,source,year,doc_type", REFERENCE_CASES)
def test_citations_parse_reference_entry(body, first, title, source, year, doc_type):
    ref = citations.parse_entry("1", body, 0, len(body))
    assert (ref.authors[0] if ref.authors else None) == first
    assert ref.title == title
    assert ref.source == source
    assert ref.year == year
    assert ref.doc_type == doc_type


def test_citations_reference_list_with_wrapped_and_inline_entries():
    text = ("[1] 王小明. 题名一[J]. 刊名, 2018, 1: 1-2.\n"
            "- [2] Smith J. Title two[J]. Journal, 2015, 33(4):\n"
            "- 500-508.\n"
            "Translated title of entry two. 2015. [3] Brown T. Title three[M]. London: Press, 2001.\n"
            "4. Lee K. Title four. J Bone. 2012;1:1-2.\n")
    refs = citations.parse_references(text, 0, len(text))
    assert [r.ref_num for r in refs] == ["1", "2", "3", "4"]
    assert [r.year for r in refs] == [2018, 2015, 2001, 2012]
    assert refs[1].text.endswith("500-508. Translated title of entry two. 2015.")
    assert text[refs[2].start:].startswith("[3] Brown")


def test_citations_cover_every_marker_in_seeds(shared_dir):
    """Every bracketed number in the text (outside the reference list) is covered by a
    Citation, and every cited number exists in the parsed reference list when there is one."""
    from pipeline import ingest

    simple = re.compile(r"\[(\d+(?:\s*[,，\-–]\s*\d+)*)\]")
    stages = [sections.build(Config()), segment.build(Config()), citations.build(Config())]
    for path in sorted((shared_dir / "seeds").glob("*.txt")):
        doc = ingest.read(path, Config())
        for stage in stages:
            doc = stage(doc)
        assert doc.sections and doc.sentences and doc.citations, path.name
        skip = [(s.start, s.end) for s in doc.sections if s.category == "references"]
        for m in simple.finditer(doc.text):
            if any(a <= m.start() < b for a, b in skip):
                continue
            assert any(c.start <= m.start() < c.end for c in doc.citations), (path.name, m.group(0))
        numbers = {r.ref_num for r in doc.references}
        for c in doc.citations:
            assert c.sent_id >= 0
            if numbers:
                assert set(c.refs) <= numbers, (path.name, c.marker)


def test_citations_english_paper_markers():
    from tests.conftest import FIXTURES

    text = (FIXTURES / "mini_paper_en.txt").read_text(encoding="utf-8")
    doc = _run(text)
    got = [(c.refs, c.first_author, c.cue_start is not None) for c in doc.citations]
    assert got == [(("1",), "Kanis", False), (("2", "3"), "Lee", False), (("4",), "Smith", True),
                   (("5", "6", "7"), "Brown", False)]
    # "[2,3]" after the full stop belongs to the sentence it closes
    sent = doc.sentences[doc.citations[1].sent_id]
    assert sent.text.endswith("mice.[2,3]")


def test_citations_unnumbered_author_year_list():
    text = ("Brown, A. B. and Green, C. (2009). Stem cells in old age. Journal of Ageing, 5, 1-9.\n"
            "World Bone Society. (2015). Global report on\n"
            "osteoporosis. Geneva: WBS.\n"
            "Zhang, W. et al. (2012). Bone loss after injury. Bone, 50, 10-20.\n")
    refs = citations.parse_references(text, 0, len(text))
    assert [r.ref_num for r in refs] == ["1", "2", "3"]
    assert [r.year for r in refs] == [2009, 2015, 2012]
    assert refs[2].authors == ("Zhang, W.",)
    assert refs[1].text.endswith("Geneva: WBS.")


def test_citations_bare_numbered_list():
    text = ("1 Acharya, K. R. and Riordan, J. F. (2003) A new target. Nat. Rev. 2, 891-902\n"
            "2 Lindqvist, F. (2008) A second look. J. Bone Res. 31, 124-136\n")
    refs = citations.parse_references(text, 0, len(text))
    assert [(r.ref_num, r.year) for r in refs] == [("1", 2003), ("2", 2008)]


# (body sentence, how many entries the printed list has, how many were parsed, expected refs)
PARTLY_PARSED_CASES = [
    ("Marrow cells restored bone mass [10-12]. Loading helped too [13,14].", 15, 9,
     [("10", "11", "12"), ("13", "14")]),
    ("骨量得到恢复[10-12]。负荷同样有效[15]。", 15, 9, [("10", "11", "12"), ("15",)]),
    ("Numbers past the printed list are no citations [16].", 15, 9, []),
]


@pytest.mark.parametrize("body,printed,parsed,expected", PARTLY_PARSED_CASES)
def test_citations_markers_kept_when_list_partly_parsed(body, printed, parsed, expected):
    entries = "\n".join(f"{n}. Author{chr(64 + n)} A, Other B. A title {n}. J Bone. 20{n:02d};1:1-2."
                        for n in range(1, printed + 1))
    text = f"{body}\n\nReferences\n{entries}\n"
    refs = tuple(Reference(str(n), f"[{n}] X", 0, 0) for n in range(1, parsed + 1))
    doc = _run(text, refs)
    assert [c.refs for c in doc.citations] == expected


# fmt: off
# (reference list text, expected (number, year) per entry): entries glued or numbered loosely
GLUED_LIST_CASES = [
    # a bare number right after the previous entry's pages (two-column PDFs lose the line break)
    ("1 Moreau, K. L. and Tan, R. (2003) Bone cells in flight. J. Bone Biol. 2, 891-902\n"
     "2 Ivanova, P. (2008) Marrow revisited. J. Marrow 264, 224-236 3 Okafor, C. D., Lin, T. and\n"
     "Berg, U. (1988) Two sites of one enzyme. Proc. Bone Soc. 85, 9386-9390\n",
     [("1", 2003), ("2", 2008), ("3", 1988)]),
    # converted CAJ text splits names with spaces: "1 H arlow R A."
    ("1 H arlow R A. A ircraft bone m odel. Bone Tech, 1989\n"
     "2 程 明, 李 华. 骨 修 复 材 料. 材料学报, 1990\n"
     "3 K ovacs M E. U sers m anual. 某公司, 1988\n",
     [("1", 1989), ("2", 1990), ("3", 1988)]),
    # author-year entries glued after a doi
    ("Abara, K. N. and Bell, L. M. (2006). Stress hormones and bone. J. Bone, 26, 90-96. "
     "doi:10.1000/jb.26.90. Chou, L.-G. et al. (1997). A cohort of older women. Aging, 4, 1-32.\n"
     "Dahl, S. (2010). Midlife stress. Bone Rep., 5, 1-9.\n",
     [("1", 2006), ("2", 1997), ("3", 2010)]),
]
# fmt: on


@pytest.mark.parametrize("text,expected", GLUED_LIST_CASES)
def test_citations_glued_and_loosely_numbered_entries_split(text, expected):
    refs = citations.parse_references(text, 0, len(text))
    assert [(r.ref_num, r.year) for r in refs] == expected


# fmt: off
# (text, reference entries' first authors by number, expected first author per citation)
CUE_DISAGREEMENT_CASES = [
    ("Kim et al. [2] showed faster healing.", {"2": "Park J"}, ["Kim"]),
    ("Kim 等[2]发现愈合加快。", {"2": "Park J", "5": "Kim YS"}, ["Kim"]),
    ("该通路受 Notch 等[2]调控。", {"2": "Park J"}, ["Park"]),
    ("可分化为骨、软骨、脂肪、肝组织等[2]。", {}, [None]),
    ("促进了细胞的活化等[2]。", {}, [None]),
    ("王黎明等[2]采用静脉输注。", {"2": "Wang LM"}, ["王黎明"]),
]
# fmt: on


@pytest.mark.parametrize("text,firsts,expected", CUE_DISAGREEMENT_CASES)
def test_citations_text_cue_kept_unless_not_a_name(text, firsts, expected):
    refs = tuple(Reference(n, f"[{n}] {a}. T[J]. J, 2010, 1: 1.", 0, 0, authors=(a,), year=2010)
                 for n, a in sorted(firsts.items()))
    doc = _run(text, refs) if refs else _run(text)
    assert [c.first_author for c in doc.citations] == expected


# (first author as the entry prints it, surname the citation carries)
ENTRY_AUTHOR_CASES = [
    ("Dominici M", "Dominici"),
    ("Le Blanc K", "Le Blanc"),
    ("T. Corvera-Tindel", "Corvera-Tindel"),
    ("L. V. Doering", "Doering"),
    ("周丽芸", "周丽芸"),
    ("R. L. Campbell", "Campbell"),
    ("H artm an R A", "Hartman"),
]


@pytest.mark.parametrize("author,surname", ENTRY_AUTHOR_CASES)
def test_citations_first_author_surname_from_entry(author, surname):
    ref = Reference("3", f"[3] {author}. Title. J, 2006.", 0, 0, authors=(author,), year=2006)
    (cit,) = _run("最低标准已经提出[3]。", (ref,)).citations
    assert cit.first_author == surname


AUTHOR_YEAR_LIST = (
    "Abara, K. N. and Bell, L. M. (2006). Stress hormones and bone. J. Bone, 26, 90-96.\n"
    "Chou, L.-G. et al. (1997). A cohort of older women. Aging, 4, 1-32.\n"
    "Chou, L.-G., Berg, T. and Holm, U. (2004). The cohort revisited. Aging, 11, 1-9.\n"
    "Dahl, S. (2010a). Midlife stress. Bone Rep., 5, 1-9.\n"
    "Dahl, S. (2010b). Late-life stress. Bone Rep., 5, 10-19.\n"
    "World Bone Society. (2015). Global report on osteoporosis. Geneva: WBS.\n"
    "张明, 李华. (2012). 骨髓间充质干细胞移植. 中国骨科杂志, 3, 1-5.\n"
)
# fmt: off
# (sentence, expected (refs, first author, marker) per citation)
AUTHOR_YEAR_CASES = [
    ("Stress raised cortisol (Abara and Bell, 2006).", [(("1",), "Abara", "Abara and Bell, 2006")]),
    ("Bone loss was slower (Chou et al., 1997; 2004).",
     [(("2",), "Chou", "Chou et al., 1997"), (("3",), "Chou", "2004")]),
    ("In Chou et al. (2004) the cohort grew.", [(("3",), "Chou", "Chou et al. (2004)")]),
    ("Both papers (Dahl 2010b; World Bone Society, 2015) agree.",
     [(("5",), "Dahl", "Dahl 2010b"), (("6",), "World Bone Society", "World Bone Society, 2015")]),
    ("Dahl (2010a, 2010b) studied stress.", [(("4", "5"), "Dahl", "Dahl (2010a, 2010b)")]),
    ("移植后骨量增加（张明等，2012）。", [(("7",), "张明", "张明等，2012")]),
    ("研究显示张明等(2012)的结果可重复。", [(("7",), "张明", "张明等(2012)")]),
    # no entry by that author in that year: no citation
    ("Bone loss was slower (Smith et al., 1997).", []),
    ("The trial ran from 2001 to 2004 (Phase II, 2003).", []),
]
# fmt: on


@pytest.mark.parametrize("sentence,expected", AUTHOR_YEAR_CASES)
def test_citations_author_year_mapped_to_entries(sentence, expected):
    text = f"{sentence}\n\nReferences\n{AUTHOR_YEAR_LIST}"
    doc = _run(text)
    assert len(doc.references) == 7
    assert [(c.refs, c.first_author, c.marker) for c in doc.citations] == expected
    for c in doc.citations:
        assert doc.text[c.start:c.end] == c.marker and c.sent_id == 0


def test_citations_author_year_ignored_for_numbered_list():
    text = "Bone loss was slower (Lee et al., 2012) [1].\n\nReferences\n1. Lee K, Park J. A title. J Bone. 2012;1:1-2.\n"
    doc = _run(text)
    assert [c.marker for c in doc.citations] == ["[1]"]


FLAT_LIST = "\n\n参考文献\n" + "\n".join(f"[{n}] 作者{n}. 题名{n}[J]. 刊名, 2010, 1: 1-2." for n in range(1, 7))
# fmt: off
# (body of a paper that cites by (flattened) superscript, expected refs per citation)
FLAT_SUPERSCRIPT_CASES = [
    ("该产品已在多国上市5。干细胞疗法被广泛接受和使用4，前景良好。", [("5",), ("4",)]),
    ("多项研究证实了这一点3,4。", [("3", "4")]),
    # quantities and ordinals are not citations; neither are numbers beyond the list
    ("将大鼠分为3。随后观察第2，再测量约5。", []),
    ("结果如图1。详见表2，对照组3；", []),
    ("该指标升高了9。", []),
]
# fmt: on




# fmt: off
# (body of a paper that cites with brackets but lost a few of them in conversion, expected refs)
MIXED_FLAT_CASES = [
    ("研究支持[1]。另有报道[2]。该药已在多国上市3。第四项[4]。第五项[5]。",
     [("1",), ("2",), ("3",), ("4",), ("5",)]),
    ("研究支持[1]。另有报道[2]。可导致成骨不全3-4。第五项[5]。第六项[6]。",
     [("1",), ("2",), ("3", "4"), ("5",), ("6",)]),
    # the first citations were lost too: the flattened numbers still lie below the next bracket
    ("可导致成骨不全3-4。另有报道[5]。第六项[6]。第七项[6]。", [("3", "4"), ("5",), ("6",), ("6",)]),
    # a numbered molecule name, a number out of first-citation order, a clause that goes on
    ("研究支持[1]。另有报道[2]。其受体为白细胞介素3。第三项[3]。第四项[4]。",
     [("1",), ("2",), ("3",), ("4",)]),
    ("研究支持[1]。另有报道[2]。其水平升高了5。第三项[3]。第四项[4]。",
     [("1",), ("2",), ("3",), ("4",)]),
    ("研究支持[1]。另有报道[2]。已经上市3，第三项[3]。第四项[4]。",
     [("1",), ("2",), ("3",), ("4",)]),
]
# fmt: on


# fmt: off
# (body of a bracket-citing paper where conversion lost an opening bracket, expected refs)
UNOPENED_MARKER_CASES = [
    ("研究支持[1]。另有报道[2]。口服该药有预防软骨退变的作用2,3]。第四项[4]。",
     [("1",), ("2",), ("2", "3"), ("4",)]),
    ("可抑制破骨细胞的分化1]反之，通路异常则导致骨形成障碍[2]。", [("1",), ("2",)]),
    # out of first-citation order, beyond the list, or after a Latin letter: not a citation
    ("研究支持[1]。另有报道[2]。该作用5]。第三项[3]。", [("1",), ("2",), ("3",)]),
    ("研究支持[1]。另有报道[2]。该作用3,9]。", [("1",), ("2",)]),
    ("Marrow cells restored bone [1]. Loading helped 2]. Both agreed [2].", [("1",), ("2",)]),
]
# fmt: on


@pytest.mark.parametrize("body,expected", UNOPENED_MARKER_CASES)
def test_citations_marker_without_opening_bracket(body, expected):
    doc = _run(body + FLAT_LIST)
    assert [c.refs for c in doc.citations] == expected


@pytest.mark.parametrize("body,expected", MIXED_FLAT_CASES)
def test_citations_flattened_superscript_continues_bracket_order(body, expected):
    doc = _run(body + FLAT_LIST)
    assert [c.refs for c in doc.citations] == expected


# fmt: off
# (text, start of the sentence each citation belongs to): a marker printed after the full stop
CITING_SENTENCE_CASES = [
    ("干细胞移植后骨密度明显增加。[3]随后的研究证实了这一点。", ["干细胞移植后"]),
    ("骨密度明显增加。^[3]随后的研究证实了这一点。", ["骨密度明显增加"]),
    ("Bone density rose after transplantation.[3] Later work confirmed it.", ["Bone density rose"]),
    ("骨密度明显增加[2]。随后的研究[3]证实了这一点。", ["骨密度明显增加", "随后的研究"]),
]
# fmt: on


@pytest.mark.parametrize("text,expected", CITING_SENTENCE_CASES)
def test_citations_marker_after_full_stop_belongs_to_closed_sentence(text, expected):
    doc = _run(text)
    found = [doc.sentences[c.sent_id] for c in doc.citations]
    assert [doc.text[s.start:s.end].startswith(p) for s, p in zip(found, expected)] == [True] * len(expected)
    assert len(found) == len(expected)


PAREN_LIST = "\n\nReferences\n" + "\n".join(f"{n}. Author{chr(64 + n)} A. Title {n}. J Bone. 2010;1:1-2."
                                           for n in range(1, 9))
# fmt: off
# (body of an English paper that cites in parentheses, expected refs per citation)
PAREN_CASES = [
    ("Marrow cells restored bone mass (1). Loading helped too (2, 3). Both were confirmed (4-6).",
     [("1",), ("2", "3"), ("4", "5", "6")]),
    # a mean and its SD, a figure number, an enumeration, numbers past the list
    ("Bone mass rose (1). Loading helped (2). Mean age was 45 (12). See Figure (3). "
     "Aims were (1) to measure bone and (2) to compare. Both agreed (3).",
     [("1",), ("2",), ("3",)]),
    # a stray parenthesised number or two is no citation style; nor are counts that do not start at 1
    ("Bone mass rose (1). Loading helped (2).", []),
    ("Scores (2) and smoking (2) were compared with alcohol use (5).", []),
]
# fmt: on

# (body with three bracketed markers and unbracketed numbers, its reference list)
BRACKETS_USED_CASES = [
    ("已经上市5。研究支持[1]。另有报道[2]。第三项[3]。", FLAT_LIST),
    ("Bone mass rose [1]. Loading helped [2]. Both agreed [3]. It held (4). Again (5). Once more (6).", PAREN_LIST),
]


@pytest.mark.parametrize("body,listing,expected", [(b, FLAT_LIST, e) for b, e in FLAT_SUPERSCRIPT_CASES]
                         + [(b, PAREN_LIST, e) for b, e in PAREN_CASES])
def test_citations_unbracketed_numbers_flattened_or_parenthesised(body, listing, expected):
    doc = _run(body + listing)
    assert [c.refs for c in doc.citations] == expected


@pytest.mark.parametrize("body,listing", BRACKETS_USED_CASES)
def test_citations_unbracketed_numbers_ignored_when_brackets_used(body, listing):
    assert [c.refs for c in _run(body + listing).citations] == [("1",), ("2",), ("3",)]
