"""Tests for pipeline/report.py: escaping, pages per paper, charts, and a real browser session.

The run folders are made here with the export helpers from hand-written Documents (our
own example sentences, Chinese and English), so the report is tested on exactly the
tables and texts that ``cli.py run`` writes. The browser test drives Debian's Chromium
through Playwright (never a downloaded browser) and skips only when /usr/bin/chromium
is missing; CI installs it with scripts/install_browser.sh.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import time
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline import export, report
from pipeline.types import (Abbreviation, Citation, Document, Mention, Page, Reference, Section, Sentence,
                            StudyTuple)

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# fmt: off
# Untrusted text that must come out as text: (input, what must not appear raw in the page).
ESCAPE_CASES = [
    ("<script>window.__pwned=1</script>", "<script>window.__pwned"),
    ("<b>粗体</b>骨密度", "<b>粗体"),
    ('"><img src=x onerror="window.__pwned=2">', "<img src=x"),
    ("</script><script>window.__pwned=3</script>", "</script><script>window.__pwned"),
]
# Strings that would end a <script> element or a JS string early if embedded as plain JSON.
SCRIPT_JSON_CASES = [
    "</script><script>alert(1)</script>",
    "<!-- 注释 -->",
    "a & b > c",
    "line\u2028separator\u2029paragraph",
    "骨髓间充质干细胞（BMSCs）",
]
# (tuple start, end) -> evidence offsets; a row without its own span falls back to its sentence (5, 40).
EVIDENCE_CASES = [
    (("12", "30"), (12, 30)),
    (("", ""), (5, 40)),
    (("30", "30"), (5, 40)),
]
# A hard-wrapped paper (our own sentences), lines about as wide in CJK (2 columns each) as in Latin text.
WRAPPED_TEXT = (
    "干细胞移植治疗骨质疏松的研究进展\n"
    "近年来，骨髓间充质干细胞移植用于治疗去卵巢大\n"
    "鼠骨质疏松的研究越来越多，多数研究发现移植后\n\n"
    "股骨骨密度明显升高，骨小梁数量也随之增加。\n"
    "1.1 动物实验\n"
    "Several groups injected stromal cells into\n"
    "the femur of ovariectomized rats; the bone mar-\n"
    "row of treated rats held more osteoblasts at\n"
    "eight weeks than that of the untreated rats.\n"
    "王明等发现脂肪来源的干细胞经尾静脉注射后可以\n"
    "归巢至骨髓腔，并降低血清中骨吸收标志物水平，\n"
    "\u3000\u3000另一项研究则观察了脐带来源干细胞的作用，结\n"
    "果与上述研究一致，说明细胞来源的影响较小。\n"
)
# (text just before a line break, text just after it, how the pane shows it: "join", "space" or None = kept).
SOFT_BREAK_CASES = [
    ("去卵巢大", "鼠骨质疏", "join"),              # CJK on both sides: no space
    ("发现移植后", "股骨骨密度", "join"),          # a blank line inside a paragraph
    ("stromal cells into", "the femur", "space"),  # Latin words: one space
    ("the bone mar-", "row of", "join"),           # a hyphenated word
    ("研究进展", "近年来", None),                  # the title line
    ("随之增加。", "1.1 动物实验", None),          # a sentence end before a heading
    ("动物实验", "Several", None),                 # a short heading line
    ("untreated rats.", "王明等", None),           # a sentence end
    ("标志物水平，", "\u3000\u3000另一项", None),  # an indented new paragraph
]
# fmt: on

# Our own example paper: a Chinese review paragraph with citations, an English paragraph, hostile markup,
# and a reference list. Offsets below are found with str.find so they stay right if the text changes.
PAPER_TEXT = (
    "脂肪干细胞治疗骨质疏松的研究进展（𠮷𝛼 outside the BMP count once in Python, twice in JS）\n"
    "摘要：骨质疏松（osteoporosis，OP）是一种骨量减少的全身性骨病。间充质干细胞（mesenchymal stem cells，MSCs）"
    "可以向成骨细胞分化。\n"
    "1 动物实验\n"
    "王明等[3]将脂肪来源的MSCs经尾静脉注射至去卵巢（OVX）大鼠体内，8周后股骨骨密度明显升高。"
    "李华等[4,5]发现骨髓MSCs可降低OVX小鼠血清TRAP水平。\n"
    "Smith et al. [6] reported that umbilical cord MSCs increased trabecular bone volume in OVX rats "
    "after 12 weeks.\n"
    "A note that must stay text: <script>window.__pwned=1</script> and <b>bold</b> and "
    '"><img src=x onerror="window.__pwned=2">.\r\n'
    "参考文献\n"
    "[3] 王明, 张强. 脂肪干细胞移植治疗去卵巢大鼠骨质疏松[J]. 组织工程杂志, 2019, 23(5): 1-5.\n"
    "[4] 李华, 陈刚. 骨髓干细胞与破骨活性[J]. 骨科杂志, 2018, 12(2): 20-24.\n"
    "[5] 李华. 干细胞与骨代谢[M]. 北京: 科学出版社, 2017.\n"
    "[6] Smith J, Brown K. Umbilical cord cells and trabecular bone[J]. Stem Cell Res, 2020, 11: 10.\n"
)
DOC_ID = "paper_zh_01"


def _at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def _sentences(text: str) -> tuple[Sentence, ...]:
    spans, start = [], 0
    for m in re.finditer(r"[。\n]|(?<!et al)\.(?=\s)", text):
        if text[start:m.end()].strip():
            spans.append((start, m.end()))
        start = m.end()
    return tuple(Sentence(i, s, e, "zh" if re.search(r"[\u4e00-\u9fff]", text[s:e]) else "en", "body", text[s:e])
                 for i, (s, e) in enumerate(spans))


def _mention(text: str, needle: str, label: str, concept: str | None, en: str | None, zh: str | None,
             nth: int = 0, source: str = "rule") -> Mention:
    s, e = _at(text, needle, nth)
    return Mention(s, e, needle, label, source, concept, en, zh, 0.9, -1)


def _tuple(doc: Document, tid: int, refs: tuple[str, ...], author: str, species: str, model: str,
           interv: tuple[str, str, int], outcome: tuple[str, str, int], cue: tuple[str, int], direction: str,
           timepoint: str | None, sentence_needle: str) -> StudyTuple:
    text = doc.text
    sent_start = text.index(sentence_needle)
    sent = next(s for s in doc.sentences if s.start <= sent_start < s.end)
    i_s, i_e = _at(text, interv[1], interv[2])
    o_s, o_e = _at(text, outcome[1], outcome[2])
    c_s, c_e = _at(text, cue[0], cue[1])
    return StudyTuple(
        tuple_id=tid, study_id=f"S{refs[0]}", refs=refs, first_author=author, year=None, design="animal",
        species=species, condition="osteoporosis", model=model, intervention=interv[0], intervention_id=None,
        intervention_text=interv[1], route=None, dose=None, comparator=None, outcome=outcome[0], outcome_id=None,
        outcome_text=outcome[1], direction=direction, value=None, timepoint=timepoint, sent_id=sent.sent_id,
        start=sent.start, end=sent.end, evidence=sent.text, source="text", confidence=0.7,
        spans=(("intervention", i_s, i_e), ("outcome", o_s, o_e), ("direction", c_s, c_e)))


def make_paper(text: str = PAPER_TEXT, doc_id: str = DOC_ID) -> Document:
    """The example paper with every table filled the way the stages fill them."""
    sentences = _sentences(text)
    mentions = (
        _mention(text, "骨质疏松", "DISEASE", "C_OP", "osteoporosis", "骨质疏松", nth=1),
        _mention(text, "osteoporosis", "DISEASE", "C_OP", "osteoporosis", "骨质疏松"),
        _mention(text, "间充质干细胞", "CELL", "C_MSC", "mesenchymal stem cells", "间充质干细胞"),
        _mention(text, "MSCs", "CELL", "C_MSC", "mesenchymal stem cells", "间充质干细胞"),
        _mention(text, "脂肪来源的MSCs", "CELL", "C_ADSC", "adipose-derived stem cells", "脂肪干细胞"),
        _mention(text, "尾静脉注射", "ROUTE", "C_IV", "intravenous", "静脉注射"),
        _mention(text, "去卵巢", "MODEL", "C_OVX", "ovariectomy", "去卵巢", nth=1),
        _mention(text, "大鼠", "SPECIES", "C_RAT", "rat", "大鼠", nth=1),
        _mention(text, "骨密度", "OUTCOME", "C_BMD", "bone mineral density", "骨密度"),
        _mention(text, "骨髓MSCs", "CELL", "C_BMSC", "bone marrow mesenchymal stem cells", "骨髓间充质干细胞"),
        _mention(text, "TRAP", "GENE_PROTEIN", "C_TRAP", "tartrate-resistant acid phosphatase", None),
        _mention(text, "umbilical cord MSCs", "CELL", "C_UCMSC", "umbilical cord mesenchymal stem cells", None,
                 source="model"),
        _mention(text, "trabecular bone volume", "OUTCOME", "C_BVTV", "trabecular bone volume", "骨小梁体积"),
        _mention(text, "rats", "SPECIES", "C_RAT", "rat", "大鼠"),
        _mention(text, "<b>bold</b>", "OTHER", None, None, None, source="model"),
    )
    abbreviations = (
        Abbreviation("OP", "osteoporosis", "骨质疏松", *_at(text, "OP"), 1, "zh_en_short", "C_OP"),
        Abbreviation("MSCs", "mesenchymal stem cells", "间充质干细胞", *_at(text, "MSCs"), 1, "zh_en_short", "C_MSC"),
        Abbreviation("OVX", None, "去卵巢", *_at(text, "OVX"), 3, "zh_short", "C_OVX"),
    )
    citations = (
        Citation(3, ("3",), *_at(text, "[3]"), "[3]", "王明", _at(text, "王明")[0]),
        Citation(4, ("4", "5"), *_at(text, "[4,5]"), "[4,5]", "李华", _at(text, "李华")[0]),
        Citation(5, ("6",), *_at(text, "[6]"), "[6]", "Smith", _at(text, "Smith")[0]),
    )
    references = tuple(
        Reference(num, line, *_at(text, line), authors=(author,), year=year, doc_type=kind)
        for num, author, year, kind in (("3", "王明", 2019, "J"), ("4", "李华", 2018, "J"), ("5", "李华", 2017, "M"),
                                        ("6", "Smith J", 2020, "J"))
        for line in [next(ln for ln in text.splitlines() if ln.startswith(f"[{num}]"))]
    )
    sections = (
        Section("title", text[:text.index("（")], 0, text.index("\n")),
        Section("abstract_zh", "摘要", text.index("摘要"), text.index("1 动物实验")),
        Section("heading", "1 动物实验", text.index("1 动物实验"), text.index("参考文献")),
        Section("references", "参考文献", text.index("参考文献"), len(text)),
    )
    doc = Document(doc_id=doc_id, text=text, source_path=f"{doc_id}.txt", sha256="0" * 64,
                   pages=(Page(1, 0, len(text)),), sections=sections, sentences=sentences, references=references,
                   citations=citations, abbreviations=abbreviations, mentions=mentions,
                   title_zh="脂肪干细胞治疗骨质疏松的研究进展 <script>window.__pwned=4</script>")
    tuples = (
        _tuple(doc, 1, ("3",), "王明", "rat", "OVX", ("adipose-derived stem cells", "脂肪来源的MSCs", 0),
               ("bone mineral density", "骨密度", 0), ("升高", 0), "increase", "8周", "王明等[3]"),
        _tuple(doc, 2, ("4", "5"), "李华", "mouse", "OVX", ("bone marrow MSCs", "骨髓MSCs", 0),
               ("TRAP", "TRAP", 0), ("降低", 0), "decrease", None, "李华等[4,5]"),
        _tuple(doc, 3, ("6",), "Smith", "rat", "OVX", ("umbilical cord MSCs", "umbilical cord MSCs", 0),
               ('trabecular bone volume <img src=x onerror="window.__pwned=5">', "trabecular bone volume", 0),
               ("increased", 0), "increase", "12 weeks", "Smith et al."),
    )
    return replace(doc, tuples=tuples)


def make_run(run_dir: Path, docs: list[Document], errors: list[tuple[str, str, str]] = ()) -> Path:
    """Write a run folder the way batch.run_batch does: tables, clean texts, manifest."""
    merged: dict[str, list[dict]] = {name: [] for name in export.TABLES}
    for doc in docs:
        for name, rows in export.document_rows(doc, 0.5).items():
            merged[name].extend(rows)
        export.atomic_write_text(run_dir / "text" / f"{doc.doc_id}.txt", doc.text)
    for doc_id, stage, message in errors:
        for name, rows in export.error_rows(doc_id, f"{doc_id}.pdf", stage, message).items():
            merged[name].extend(rows)
    export.write_tables(run_dir, merged)
    export.write_manifest(run_dir, {"papers": len(docs) + len(errors), "finished": "2026-11-23T12:00:00"})
    return run_dir


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    english = ("Bone marrow stromal cells were injected into the tibia of aged mice. "
               "Four weeks later the cortical thickness of treated mice increased.\n")
    en_doc = Document(doc_id="paper_en_02", text=english, source_path="paper_en_02.txt", sentences=_sentences(english),
                      mentions=(_mention(english, "Bone marrow stromal cells", "CELL", "C_BMSC",
                                         "bone marrow mesenchymal stem cells", "骨髓间充质干细胞"),))
    return make_run(tmp_path / "run-demo", [make_paper(), en_doc],
                    errors=[("broken_03", "ingest", "PDF has no text layer <script>x</script>")])


class _TextOf(HTMLParser):
    """Collects the text of an element with a given id (the way a browser would show it)."""

    def __init__(self, element_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.element_id, self.depth, self.parts = element_id, 0, []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += 1
        elif dict(attrs).get("id") == self.element_id:
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def _text_of(page: str, element_id: str = "text") -> str:
    parser = _TextOf(element_id)
    parser.feed(page)
    return "".join(parser.parts)


# ---------------------------------------------------------------- plain tests
@pytest.mark.parametrize("before,after,how", SOFT_BREAK_CASES)
def test_report_soft_breaks_join_wrapped_lines_only(before, after, how):
    start = WRAPPED_TEXT.index(before) + len(before)
    end = WRAPPED_TEXT.index(after, start)
    assert WRAPPED_TEXT[start:end].strip(" \n") == ""
    found = {(s, e): h for s, e, h in report.soft_breaks(WRAPPED_TEXT)}
    assert found.get((start, end)) == how


def test_report_soft_breaks_leave_unwrapped_text_alone():
    # One paragraph per line, as most .txt files hold them: no line is a wrap.
    text = "".join(f"第{i}段：骨髓间充质干细胞移植后骨密度升高，" * 12 + "\n" for i in range(8))
    assert report.soft_breaks(text) == []
    assert report.soft_breaks("") == [] and report.soft_breaks("无换行") == []


def test_report_paper_page_keeps_offsets_across_soft_breaks(tmp_path):
    doc = Document(doc_id="wrapped", text=WRAPPED_TEXT, source_path="wrapped.txt", sentences=_sentences(WRAPPED_TEXT))
    make_run(tmp_path / "run", [doc])
    report.build_report(tmp_path / "run")
    page = (tmp_path / "run" / "report" / "wrapped.html").read_text(encoding="utf-8")
    assert _text_of(page) == WRAPPED_TEXT
    joins = re.findall(r'<span class="sb sb-join" data-o="(\d+)">([^<]*)</span>', page)
    assert len(joins) == 5
    for offset, piece in joins:
        assert WRAPPED_TEXT[int(offset):int(offset) + len(piece)] == piece and piece.strip() == ""


@pytest.mark.parametrize("value", SCRIPT_JSON_CASES)
def test_report_script_json_cannot_close_script(value):
    encoded = report.script_json({"v": value})
    assert not set(encoded) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(encoded) == {"v": value}


@pytest.mark.parametrize("hostile,raw", ESCAPE_CASES)
def test_report_mark_up_renders_markup_as_text(hostile, raw):
    text = f"骨髓间充质干细胞 {hostile} improved bone mass."
    s, e = _at(text, hostile)
    mention = report.Mark(0, 8, "mention", "CELL", f"CELL · {hostile}")
    for marks in ([mention], [mention, report.Mark(s, e, "region")]):  # as plain text, and inside a span
        page = "<div id=\"text\">" + report.mark_up(text, marks) + "</div>"
        assert raw not in page
        assert _text_of(page) == text  # every character shows, in order, as text


def test_report_mark_up_offsets_point_into_text():
    text = "王明等[3]发现骨密度升高。Bone volume increased."
    marks = [report.Mark(*_at(text, "骨密度"), "mention", "OUTCOME"),
             report.Mark(*_at(text, "[3]"), "cite", href="#ref-3"),
             report.Mark(*_at(text, "Bone volume increased."), "region")]
    page = report.mark_up(text, marks)
    for offset, piece in re.findall(r'data-o="(\d+)"[^>]*>([^<]*)<', page):
        assert text[int(offset):int(offset) + len(html.unescape(piece))] == html.unescape(piece)
    assert '<a class="cit" data-o="3"' in page and 'href="#ref-3"' in page
    assert page.count("<span") == 2  # the mention and the English sentence; plain text stays plain


def test_report_writes_a_page_per_document_and_an_index_row_for_errors(run_dir):
    index = report.build_report(run_dir)
    assert index == run_dir / "report" / "index.html"
    pages = sorted(p.name for p in (run_dir / "report").glob("*.html"))
    assert pages == ["broken_03.html", "index.html", "paper_en_02.html", "paper_zh_01.html"]
    page = index.read_text(encoding="utf-8")
    rows = re.findall(r"<tr class=\"[^\"]*\">.*?</tr>", page)
    assert len(rows) == 3
    broken = next(r for r in rows if "broken_03" in r)
    assert "status-error" in broken and "ingest: PDF has no text layer &lt;script&gt;" in broken
    assert "<script>x" not in page
    assert "PDF has no text layer" in (run_dir / "report" / "broken_03.html").read_text(encoding="utf-8")
    assert "<summary>Run manifest</summary>" in page and "2026-11-23T12:00:00" in page


def test_report_paper_without_its_text_says_so(run_dir):
    (run_dir / "text" / "paper_en_02.txt").unlink()
    report.build_report(run_dir)
    page = (run_dir / "report" / "paper_en_02.html").read_text(encoding="utf-8")
    assert "No clean text" in page and "text/paper_en_02.txt" in page and "failed" not in page


def test_report_survives_a_paper_it_cannot_render_and_drops_stale_pages(run_dir, monkeypatch, capsys):
    real = report.render_paper
    stale = run_dir / "report" / "gone_from_run.html"
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_text("old page")

    def fragile(run, doc, text, tables):
        if doc["doc_id"] == "paper_en_02":
            raise ValueError("odd <row>")
        return real(run, doc, text, tables)

    monkeypatch.setattr(report, "render_paper", fragile)
    report.build_report(run_dir)
    page = (run_dir / "report" / "paper_en_02.html").read_text(encoding="utf-8")
    assert "could not render this paper: ValueError: odd &lt;row&gt;" in page
    assert "paper_en_02: ValueError" in capsys.readouterr().err
    assert (run_dir / "report" / f"{DOC_ID}.html").exists() and not stale.exists()


def test_report_paper_named_index_does_not_replace_the_index(tmp_path):
    text = "Bone marrow stromal cells raised bone volume.\n"
    paper = Document(doc_id="index", text=text, source_path="index.txt", sentences=_sentences(text))
    make_run(tmp_path / "run", [paper])
    index = report.build_report(tmp_path / "run")
    assert "Spot-check report" in index.read_text(encoding="utf-8")
    assert 'href="index.paper.html"' in index.read_text(encoding="utf-8")
    assert "raised bone volume" in (tmp_path / "run" / "report" / "index.paper.html").read_text(encoding="utf-8")


def test_report_paper_page_shows_text_literally(run_dir):
    report.build_report(run_dir)
    page = (run_dir / "report" / f"{DOC_ID}.html").read_text(encoding="utf-8")
    for _, raw in ESCAPE_CASES[:3]:
        assert raw not in page
    assert page.count("<script") == 3  # the JSON data block and the two inlined assets, nothing else
    assert _text_of(page) == PAPER_TEXT
    embedded = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S)
    data = json.loads(embedded.group(1))
    assert [t["id"] for t in data["tuples"]] == ["1", "2", "3"]
    first = data["tuples"][0]
    assert PAPER_TEXT[first["start"]:first["end"]] == first["evidence"]
    assert first["quotes"] == {"intervention": "脂肪来源的MSCs", "outcome": "骨密度", "direction": "升高"}
    assert data["storage_key"] == f"{report.STORAGE_PREFIX}:run-demo:{DOC_ID}"


def test_report_paper_page_marks_mentions_abbreviations_citations(run_dir):
    report.build_report(run_dir)
    page = (run_dir / "report" / f"{DOC_ID}.html").read_text(encoding="utf-8")
    assert re.search(r'<span class="m m-OUTCOME[^"]*" data-o="\d+" title="OUTCOME · C_BMD · bone mineral density / 骨密度 '
                     r'· source: rule \(0.90\)">骨密度</span>', page)
    assert re.search(r'<a class="[^"]*cit" data-o="\d+" data-refs="3" data-author="王明" title="王明 ref 3\n'
                     r'\[3\] 王明, 张强. 脂肪干细胞移植治疗去卵巢大鼠骨质疏松\[J\][^"]*" href="#ref-3">\[3\]</a>', page)
    assert 'href="#ref-4">[4,5]</a>' in page and '<li id="ref-5">' in page
    assert 'class="abdef"' in page and 'title="abbreviation defined here: OVX = 去卵巢"' in page
    uses = re.findall(r'class="[^"]*\babuse\b[^"]*" data-o="\d+" title="([^"]*)">(\w+)<', page)
    assert ("OVX = 去卵巢", "OVX") in uses  # a later use, with the long form in its tooltip
    assert sum(t.endswith("MSCs = mesenchymal stem cells / 间充质干细胞") for t, w in uses if w == "MSCs") >= 2
    assert 'data-label="CELL"' in page and ".m-CELL{" in page  # legend chip and its colour


@pytest.mark.parametrize("mentions,expected", [
    ([("MSCs", "C_MSC", "mesenchymal stem cells"), ("间充质干细胞", "C_MSC", "mesenchymal stem cells"),
      ("MSCs", "C_MSC", "mesenchymal stem cells"), ("OVX", "C_OVX", "ovariectomy"), ("骨", None, None)],
     [{"name": "mesenchymal stem cells", "concept_id": "C_MSC", "aliases": ["MSCs", "间充质干细胞"]},
      {"name": "ovariectomy", "concept_id": "C_OVX", "aliases": ["OVX"]}]),
])
def test_report_concept_groups_group_mention_texts_by_concept(mentions, expected):
    rows = [{"text": t, "concept_id": c, "preferred_en": p, "start": str(i)} for i, (t, c, p) in enumerate(mentions)]
    assert report.concept_groups(rows) == expected


@pytest.mark.parametrize("span,expected", EVIDENCE_CASES)
def test_report_evidence_span_falls_back_to_the_sentence(span, expected):
    row = {"start": span[0], "end": span[1], "sent_id": "2"}
    assert report.evidence_span(row, {2: {"start": "5", "end": "40"}}) == expected


# fmt: off
# A tuple row's fields -> the flags the reviewer's filter and the index count.
FLAG_CASES = [
    ({"confidence": "0.9", "intervention": "MSCs", "intervention_id": "C_MSC", "outcome": "骨密度",
      "outcome_id": "C_BMD", "intervention_text": "MSCs", "outcome_text": "骨密度"}, []),
    ({"confidence": "0.6", "intervention": "MSCs", "intervention_id": "C_MSC", "outcome": "骨密度",
      "outcome_id": "C_BMD"}, ["low_confidence"]),
    ({"confidence": "0.9", "intervention": "bone marrow cells",
      "outcome_text": "股骨远端骨小梁的数量和骨小梁厚度均明显增加", "outcome": "股骨远端骨小梁的数量和骨小梁厚度均明显增加"},
     ["no_intervention_id", "no_outcome_id", "fragment"]),
    ({"confidence": "", "intervention_id": "C_X", "outcome_id": "C_Y",
      "intervention_text": "transplanted cells that were injected into the tail vein"}, ["fragment"]),
]
# fmt: on


@pytest.mark.parametrize("row,flags", FLAG_CASES)
def test_report_tuple_flags_name_what_to_check(row, flags):
    assert report.tuple_flags(row) == flags


def test_report_index_counts_tuples_by_source_and_flags(tmp_path):
    run = _reviewer_run(tmp_path)
    page = report.build_report(run).read_text(encoding="utf-8")
    heads = re.findall(r'<th data-key="([^"]+)"', page)
    row = next(r for r in re.findall(r"<tr class=\"[^\"]*\">.*?</tr>", page) if DOC_ID in r)
    values = dict(zip(heads, re.findall(r'<td[^>]*data-v="([^"]*)"|<td class="(?:status|err)[^>]*>', row)))
    assert values["doc_id"] == DOC_ID
    assert (values["n_tuples"], values["from_text"], values["from_table"], values["flagged"]) == ("4", "3", "1", "3")
    assert values["chars"] == str(len(PAPER_TEXT))  # the bare number, not "1,234", so sorting is numeric
    assert f'href="{DOC_ID}.html#flag=any">3</a>' in row
    assert "5 tuples (4 from text, 1 from tables)" in page
    assert "3 of 5 tuples flagged: 3 confidence &lt; 0.75" in page


def test_report_charts_draw_counts_and_escape_labels():
    tables = {"tuples": {"d": [{"outcome": "骨密度 <i>", "direction": "increase", "intervention": "ADSCs",
                                "intervention_text": "ADSCs", "study_id": "S1", "doc_id": "d"},
                               {"outcome": "骨密度 <i>", "direction": "decrease", "intervention": "BMSCs",
                                "intervention_text": "BMSCs", "study_id": "S2", "doc_id": "d"}]},
              "studies": {"d": [{"species": "rat", "model": "OVX", "doc_id": "d"},
                                {"species": "rat", "model": "OVX", "doc_id": "d"},
                                {"species": "mouse", "model": "", "doc_id": "d"}]},
              "mentions": {"d": [{"label": "CELL", "text": "ADSCs", "concept_id": None}]}}
    svg = report.charts(tables)
    assert "骨密度 &lt;i&gt;" in svg and "<i>" not in svg
    assert svg.count("<svg") == 3
    assert "rat × OVX: 2" in svg and "mouse × no model: 1" in svg
    assert "Interventions by cell source" in svg and "ADSCs: 1" in svg and "BMSCs" not in svg


def test_report_long_paper_stays_small_and_fast(tmp_path):
    # About 300 pages of text (2,000 characters a page) with a mention about every 90 characters.
    unit = "骨髓间充质干细胞移植后骨密度升高，" + "the treated rats showed more trabecular bone. " + "无标记的正文内容。" * 3
    text = (unit * (600_000 // len(unit) + 1))[:600_000]
    text = "\n".join(text[i:i + 40] for i in range(0, len(text), 40))  # hard-wrapped, as PDF text is
    mentions = tuple(Mention(m.start(), m.end(), m.group(), "CELL", "rule", "C_BMSC", "BMSC", None)
                     for m in re.finditer("骨髓间充质干细胞", text))
    doc = Document(doc_id="long", text=text, source_path="long.txt", mentions=mentions)
    make_run(tmp_path / "run", [doc])
    t0 = time.perf_counter()
    report.build_report(tmp_path / "run")
    seconds = time.perf_counter() - t0
    size = (tmp_path / "run" / "report" / "long.html").stat().st_size
    assert len(mentions) > 5000
    page = (tmp_path / "run" / "report" / "long.html").read_text(encoding="utf-8")
    assert page.count('class="sb') > 5000  # most of its 15,000 line breaks are wraps
    assert seconds < 20, f"report of a 300-page paper took {seconds:.1f} s"
    assert size < 3 * len(text.encode("utf-8")), f"page is {size:,} bytes for {len(text):,} characters"


def test_report_cli_rebuilds_the_report(run_dir):
    from typer.testing import CliRunner

    import cli

    result = CliRunner().invoke(cli.app, ["report", str(run_dir)])
    assert result.exit_code == 0, result.output
    assert (run_dir / "report" / "index.html").exists()
    assert "report ->" in result.output


def test_report_install_browser_script_is_a_no_op_when_present(tmp_path):
    script = ROOT / "scripts" / "install_browser.sh"
    assert subprocess.run(["bash", "-n", str(script)]).returncode == 0
    fake = tmp_path / "bin"
    fake.mkdir()
    for name in ("chromium", "fc-list"):  # both present: nothing to install, no apt-get
        (fake / name).write_text("#!/bin/sh\necho 'Noto Sans CJK SC'\n")
        (fake / name).chmod(0o755)
    (fake / "apt-get").write_text("#!/bin/sh\necho apt-get called >&2\nexit 1\n")
    (fake / "apt-get").chmod(0o755)
    env = {**os.environ, "PATH": f"{fake}:/usr/bin:/bin"}
    done = subprocess.run(["bash", str(script)], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert "apt-get called" not in done.stderr


@pytest.mark.parametrize("apt_status,warned", [(0, False), (1, True)])
def test_report_install_browser_script_installs_what_is_missing(tmp_path, apt_status, warned):
    script = ROOT / "scripts" / "install_browser.sh"
    fake = tmp_path / "bin"  # a PATH with neither chromium nor fonts, root, and an apt-get that logs its calls
    fake.mkdir()
    log = tmp_path / "apt.log"
    tools = {"id": "echo 0", "fc-list": "echo 'DejaVu Sans'",
             "apt-get": f'echo "$@" >> {log}; exit {apt_status}'}
    for name, body in tools.items():
        (fake / name).write_text(f"#!/bin/sh\n{body}\n")
        (fake / name).chmod(0o755)
    (fake / "grep").symlink_to(subprocess.run(["bash", "-c", "command -v grep"], capture_output=True,
                                              text=True).stdout.strip())
    done = subprocess.run(["/bin/bash", str(script)], env={"PATH": str(fake)}, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0
    calls = log.read_text().splitlines()
    assert calls[0] == "update -qq"
    if not warned:
        assert calls[1] == "install -y -qq chromium fonts-noto-cjk"
    assert ("warning: could not install chromium fonts-noto-cjk" in done.stderr) is warned


# ---------------------------------------------------------------- browser test
@pytest.fixture
def browser_page():
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing (CI installs it with scripts/install_browser.sh)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.add_init_script("window.alert = () => { window.__pwned = 'alert'; };")
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        yield page, errors
        context.close()
        browser.close()


@pytest.mark.browser
def test_report_browser_review_session(run_dir, browser_page, tmp_path):
    from playwright.sync_api import expect

    page, errors = browser_page
    report.build_report(run_dir)
    page.goto((run_dir / "report" / f"{DOC_ID}.html").as_uri())
    page.wait_for_function("window.__reportReady === true")

    # Nothing from the paper ran, and the hostile markup shows as text.
    assert page.evaluate("window.__pwned") is None
    shown = page.inner_text("#text")
    assert "<script>window.__pwned=1</script>" in shown and "<b>bold</b>" in shown
    assert "<script>window.__pwned=4</script>" in page.inner_text("h1")
    assert page.evaluate("t => document.getElementById('text').textContent === t", PAPER_TEXT)  # offsets hold
    assert page.locator("#tuples tbody tr.tup").count() == 3

    # The legend hides and shows a label's colour; the section menu jumps to a heading.
    cell_colour = "getComputedStyle(document.querySelector('#text .m-CELL')).backgroundColor"
    page.click('.legend [data-label="CELL"]')
    assert page.evaluate(cell_colour) == "rgba(0, 0, 0, 0)"
    page.click('.legend [data-label="CELL"]')
    assert page.evaluate(cell_colour) != "rgba(0, 0, 0, 0)"
    page.set_viewport_size({"width": 1400, "height": 420})  # short panes: the reference list starts out of view
    references = page.locator("#text .anchor").nth(3)
    expect(references).not_to_be_in_viewport()
    page.select_option("#jump", label="references: 参考文献")
    expect(references).to_be_in_viewport()

    # Clicking a tuple highlights its evidence sentence (scrolled back into view) and the span behind each field.
    smith = page.locator("#text span.r", has_text="reported that").first
    expect(smith).not_to_be_in_viewport()
    page.click('#tuples tr[data-id="3"] td[data-field="species"]')
    evidence = page.locator("#text .ev")
    expect(evidence.first).to_be_in_viewport()
    expect(smith).to_have_class(re.compile(r"\bev\b"))
    page.set_viewport_size({"width": 1400, "height": 900})
    assert "".join(evidence.all_text_contents()) == ("Smith et al. [6] reported that umbilical cord MSCs increased "
                                                     "trabecular bone volume in OVX rats after 12 weeks.")
    assert page.locator('#text .fld[data-f="outcome"]').all_text_contents() == ["trabecular bone volume"]
    assert page.locator('#text .fld-first[data-f="direction"]').inner_text() == "increased"
    assert "“trabecular bone volume”" in page.get_attribute('#tuples tr[data-id="3"] td[data-field="outcome"]', "title")
    assert "Smith et al. [6]" in page.inner_text("#detail blockquote")

    # Verdicts and an inline edit, kept across a reload.
    page.click('#tuples tr[data-id="3"] .v-ok')
    cell = page.locator('#tuples tr[data-id="3"] td[data-field="outcome"]')
    cell.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("骨小梁体积 | BV/TV")
    page.keyboard.press("Enter")
    page.select_option('#tuples tr[data-id="1"] td[data-field="direction"] select', "improve")
    page.click('#tuples tr[data-id="2"] td[data-field="refs"]')
    page.keyboard.press("Escape")
    page.locator("#tuples").click(position={"x": 5, "y": 5})  # leave the cell; keys go to the page
    page.click('#tuples tr[data-id="2"] td.num')
    page.keyboard.press("w")
    page.click('#tuples tr[data-id="1"] .v-ok')
    expect(page.locator("#progress")).to_have_text("3 / 3 reviewed (2 ✓, 1 ✗)")
    page.reload()
    page.wait_for_function("window.__reportReady === true")
    expect(page.locator('#tuples tr[data-id="3"]')).to_have_class(re.compile("is-correct"))
    expect(page.locator('#tuples tr[data-id="2"]')).to_have_class(re.compile("is-wrong"))
    expect(page.locator('#tuples tr[data-id="3"] td[data-field="outcome"]')).to_have_text("骨小梁体积 | BV/TV")

    # Filters and sorting.
    page.select_option("#f-species", "mouse")
    assert page.locator("#tuples tbody tr.tup:visible").count() == 1
    page.select_option("#f-species", "")
    page.fill("#filter", "trabecular")
    assert [r.get_attribute("data-id") for r in page.locator("#tuples tbody tr.tup:visible").all()] == ["3"]
    page.fill("#filter", "")
    page.click('#tuples th[data-key="outcome"]')
    order = [r.get_attribute("data-id") for r in page.locator("#tuples tbody tr.tup").all()]
    assert order.index("1") < order.index("2")  # the shown words: "骨密度" (gu) before "TRAP" in pinyin order
    page.click('#tuples th[data-key="outcome"]')
    assert [r.get_attribute("data-id") for r in page.locator("#tuples tbody tr.tup").all()] == list(reversed(order))

    # Clicking inside an evidence sentence in the text selects its tuple.
    page.locator("#text span.r", has_text="小鼠血清").first.click()
    expect(page.locator('#tuples tr[data-id="2"]')).to_have_class(re.compile(r"\bsel\b"))

    # A tuple the pipeline missed: select its evidence in the text, add it, fill in its fields.
    page.evaluate("""() => {
        const box = document.getElementById('text');
        const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
        const want = 'Smith et al.', end = 'after 12 weeks.';
        let a = null, b = null;
        while (walker.nextNode()) {
            const n = walker.currentNode;
            if (!a && n.data.includes(want)) a = [n, n.data.indexOf(want)];
            if (n.data.includes(end)) b = [n, n.data.indexOf(end) + end.length];
        }
        const r = document.createRange();
        r.setStart(a[0], a[1]); r.setEnd(b[0], b[1]);
        const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r);
    }""")
    page.click("#add")
    added = page.locator('#tuples tr[data-id="+1"]')
    expect(added).to_have_class(re.compile("is-correct"))
    expect(added.locator('td[data-field="refs"]')).to_have_text("6")
    for field, value in (("intervention", "UC-MSCs"), ("outcome", "BV/TV"), ("species", "rat")):
        added.locator(f'td[data-field="{field}"]').click()
        page.keyboard.type(value)
        page.keyboard.press("Enter")
    added.locator('td[data-field="direction"] select').select_option("increase")
    expect(page.locator("#progress")).to_have_text("4 / 4 reviewed (3 ✓, 1 ✗)")

    # Export: a gold-format file with the reviewed tuples and every verdict.
    with page.expect_download() as info:
        page.click("#export")
    download = info.value
    assert download.suggested_filename == f"{DOC_ID}.json"
    saved = tmp_path / "review.json"
    download.save_as(saved)
    gold = json.loads(saved.read_text(encoding="utf-8"))
    assert gold["doc"] == DOC_ID
    assert gold["review"] == {"1": "correct", "2": "wrong", "3": "correct", "+1": "correct"}
    assert {"short": "OVX", "long_en": None, "long_zh": "去卵巢"} in gold["abbreviations"]
    msc = next(g for g in gold["concept_groups"] if g["concept_id"] == "C_MSC")
    assert msc["aliases"] == ["间充质干细胞", "MSCs"]
    missed = next(t for t in gold["tuples"] if t["tuple_id"] == "+1")
    assert missed["evidence"] == ("Smith et al. [6] reported that umbilical cord MSCs increased trabecular bone volume "
                                  "in OVX rats after 12 weeks.")
    assert (missed["refs"], missed["first_author"], missed["intervention"], missed["outcome"], missed["direction"],
            missed["species"]) == (["6"], "Smith", ["UC-MSCs"], ["BV/TV"], ["increase"], "rat")
    start = PAPER_TEXT.index("Smith et al.")  # offsets in code points, as the tables count them
    assert [(t["start"], t["end"]) for t in gold["added"]] == [(start, start + len(missed["evidence"]))]
    by_refs = {tuple(t["refs"]): t for t in gold["tuples"] if t["tuple_id"] != "+1"}
    assert set(by_refs) == {("3",), ("6",)}
    assert by_refs[("6",)]["outcome"] == ["骨小梁体积", "BV/TV"]
    assert by_refs[("6",)]["intervention"] == ["umbilical cord MSCs"]
    assert by_refs[("3",)]["direction"] == ["improve"]
    assert by_refs[("3",)]["intervention"] == ["adipose-derived stem cells", "脂肪来源的MSCs"]
    assert by_refs[("3",)]["evidence"].startswith("王明等[3]")
    assert gold["edits"]["3"] == {"outcome": "骨小梁体积 | BV/TV"}
    # ... which `cli.py eval` reads as gold: the run's own abbreviations and concepts score 1.0 against it.
    from pipeline.evaluate import evaluate_run

    scores = evaluate_run(run_dir, [saved])["papers"][DOC_ID]
    assert scores["tuples"]["n_gold"] == 3
    assert scores["abbreviations"]["recall"] == scores["concept_groups"]["recall"] == 1.0

    # Clear forgets the review; importing the exported file brings it all back.
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#clear")
    expect(page.locator("#progress")).to_have_text("0 / 3 reviewed (0 ✓, 0 ✗)")
    page.set_input_files("#import-file", str(saved))
    expect(page.locator("#progress")).to_have_text("4 / 4 reviewed (3 ✓, 1 ✗)")
    expect(page.locator('#tuples tr[data-id="+1"] td[data-field="outcome"]')).to_have_text("BV/TV")
    expect(page.locator('#tuples tr[data-id="3"] td[data-field="outcome"]')).to_have_text("骨小梁体积 | BV/TV")

    # The index shows every paper, the review progress and the charts.
    page.goto((run_dir / "report" / "index.html").as_uri())
    assert page.locator("#papers tbody tr").count() == 3
    expect(page.locator("#papers tr", has_text="paper_zh_01").locator("td.review")).to_have_text("3 / 3 (+1)")
    assert page.locator("figure.chart svg").count() == 3
    assert page.evaluate("window.__pwned") is None
    assert errors == []


def _reviewer_run(tmp_path: Path) -> Path:
    """The example paper with concept ids on tuple 1 and a fourth tuple from tuple 1's study; the wrapped paper
    with a tuple whose evidence runs across two soft line breaks."""
    paper = make_paper()
    first = replace(paper.tuples[0], intervention_id="C_ADSC", outcome_id="C_BMD", confidence=0.9)
    same_study = replace(paper.tuples[1], tuple_id=4, study_id=first.study_id, refs=first.refs,
                         first_author=first.first_author, species=first.species, model=first.model, source="table")
    paper = replace(paper, tuples=(first, *paper.tuples[1:], same_study))
    start = WRAPPED_TEXT.index("近年来")
    end = WRAPPED_TEXT.index("增加。") + 3
    wrapped = Document(doc_id="wrapped", text=WRAPPED_TEXT, source_path="wrapped.txt",
                       sentences=(Sentence(0, start, end, "zh", "body", WRAPPED_TEXT[start:end]),))
    wrapped = replace(wrapped, tuples=(StudyTuple(
        tuple_id=1, study_id="S1", refs=(), first_author=None, year=None, design=None, species="rat",
        condition=None, model="ovariectomy", intervention="bone marrow mesenchymal stem cells",
        intervention_id="C_BMSC", intervention_text="骨髓间充质干细胞", route=None, dose=None, comparator=None,
        outcome="bone mineral density", outcome_id="C_BMD", outcome_text="股骨骨密度", direction="increase",
        value=None, timepoint=None, sent_id=0, start=start, end=end, evidence=WRAPPED_TEXT[start:end],
        source="text", confidence=0.9),))
    return make_run(tmp_path / "run-review", [paper, wrapped])


@pytest.mark.browser
def test_report_browser_tuple_table_reads_without_clicking(tmp_path, browser_page):
    from playwright.sync_api import expect

    page, errors = browser_page
    run = _reviewer_run(tmp_path)
    report.build_report(run)
    page.set_viewport_size({"width": 1100, "height": 800})  # a narrow pane: columns must not squeeze words
    page.goto((run / "report" / f"{DOC_ID}.html").as_uri())
    page.wait_for_function("window.__reportReady === true")
    row = page.locator('#tuples tr.tup[data-id="1"]')

    # The paper's own words, with the concept under them; a missing concept says so.
    expect(row.locator('td[data-field="outcome"] .v')).to_have_text("骨密度")
    expect(row.locator('td[data-field="outcome"] .sub')).to_have_text("bone mineral density · C_BMD")
    expect(row.locator('td[data-field="intervention"] .v')).to_have_text("脂肪来源的MSCs")
    expect(page.locator('#tuples tr.tup[data-id="2"] td[data-field="outcome"] .sub')).to_have_text("no concept id")
    assert "concept: bone mineral density · C_BMD" in row.locator('td[data-field="outcome"]').get_attribute("title")

    # One evidence line per tuple: one line high, the whole sentence in its tooltip.
    line = page.locator('#tuples tr.evl[data-for="3"] .evline')
    evidence = ("Smith et al. [6] reported that umbilical cord MSCs increased trabecular bone volume in OVX rats "
                "after 12 weeks.")
    assert line.get_attribute("title") == evidence and evidence in line.inner_text()
    assert line.evaluate("e => e.getBoundingClientRect().height") < 20
    expect(page.locator('#tuples tr.evl[data-for="4"] .badge').first).to_have_text("table")

    # No word breaks inside itself: every word of the English cells sits on one line.
    broken = page.evaluate("""() => {
        const out = [];
        for (const v of document.querySelectorAll('#tuples td .v')) {
            const node = v.firstChild;
            if (!node || node.nodeType !== 3) continue;
            for (const m of node.data.matchAll(/[A-Za-z]{4,}/g)) {
                const r = document.createRange();
                r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
                if (r.getClientRects().length > 1) out.push(m[0]);
            }
        }
        return out;
    }""")
    assert broken == []

    # A study's refs, author, species and model show once for its rows in a row (the text stays for editing).
    page.click('#tuples th[data-key="id"]')
    order = [r.get_attribute("data-id") for r in page.locator("#tuples tbody tr.tup").all()]
    if order[0] != "1":
        page.click('#tuples th[data-key="id"]')
    page.click('#tuples th[data-key="refs"]')  # sorted by refs: tuples 1 and 4 (both ref 3) are neighbours
    ids = [r.get_attribute("data-id") for r in page.locator("#tuples tbody tr.tup").all()]
    assert abs(ids.index("1") - ids.index("4")) == 1
    later = ids[max(ids.index("1"), ids.index("4"))]
    for key in ("refs", "first_author", "species", "model"):
        expect(page.locator(f'#tuples tr.tup[data-id="{later}"] td[data-field="{key}"]')).to_have_class(
            re.compile(r"\bdup\b"))
    expect(page.locator('#tuples tr.tup[data-id="2"] td[data-field="refs"]')).not_to_have_class(re.compile(r"\bdup\b"))

    # Flag filters: low confidence (0.7 < 0.75) and missing concept ids.
    def visible():
        return sorted(r.get_attribute("data-id") for r in page.locator("#tuples tbody tr.tup:visible").all())

    page.select_option("#f-flag", "low_confidence")
    assert visible() == ["2", "3", "4"]
    expect(page.locator('#tuples tr.evl[data-for="1"]')).to_be_hidden()
    page.select_option("#f-flag", "no_concept")
    assert visible() == ["2", "3", "4"]
    page.select_option("#f-flag", "")
    assert visible() == ["1", "2", "3", "4"]
    expect(page.locator('#tuples tr.tup[data-id="3"] td.conf')).to_have_class(re.compile(r"\blow\b"))

    # Compact mode hides the concept lines and is remembered.
    page.click("#compact")
    expect(row.locator('td[data-field="outcome"] .sub')).to_be_hidden()
    page.set_viewport_size({"width": 1400, "height": 800})  # a laptop screen: the compact table fits its pane
    assert page.evaluate("""() => document.getElementById('tuples').getBoundingClientRect().width
                            <= document.querySelector('#tuple-pane .scroll').clientWidth + 1""")
    assert page.get_attribute('#tuples tr.tup[data-id="1"] td[data-field="model"]', "title").startswith("OVX")
    page.reload()
    page.wait_for_function("window.__reportReady === true")
    expect(page.locator('#tuples tr.tup[data-id="1"] td[data-field="outcome"] .sub')).to_be_hidden()
    page.click("#compact")
    expect(page.locator('#tuples tr.tup[data-id="1"] td[data-field="outcome"] .sub')).to_be_visible()

    # The wrapped paper reads as paragraphs; offsets still point at the same characters.
    page.goto((run / "report" / "wrapped.html").as_uri())
    page.wait_for_function("window.__reportReady === true")
    assert page.evaluate("t => document.getElementById('text').textContent === t", WRAPPED_TEXT)
    shown = page.inner_text("#text")
    assert "去卵巢大鼠骨质疏松" in shown and "发现移植后股骨骨密度" in shown
    assert "injected stromal cells into the femur" in shown
    assert "1.1 动物实验\n" in shown and "研究进展\n" in shown  # headings and the title keep their breaks
    page.click('#tuples tr.tup[data-id="1"] td[data-field="species"]')
    lit = page.locator("#text .ev")
    start, end = WRAPPED_TEXT.index("近年来"), WRAPPED_TEXT.index("增加。") + 3
    assert "".join(lit.all_text_contents()) == WRAPPED_TEXT[start:end]
    page.check("#raw-breaks")
    assert "去卵巢大\n鼠" in page.inner_text("#text")
    page.reload()
    page.wait_for_function("window.__reportReady === true")
    assert page.is_checked("#raw-breaks") and "去卵巢大\n鼠" in page.inner_text("#text")
    assert errors == []


@pytest.mark.browser
def test_report_browser_index_sorts_numbers_and_opens_flagged_tuples(tmp_path, browser_page):
    page, errors = browser_page
    english = "Stromal cells raised bone volume in rats.\n" * 300  # longer than the example paper: 12,600 chars
    long_doc = Document(doc_id="long_en", text=english, source_path="long_en.txt", sentences=_sentences(english))
    run = _reviewer_run(tmp_path)
    make_run(run, [make_paper(), long_doc, Document(doc_id="wrapped", text=WRAPPED_TEXT, source_path="w.txt")])
    report.build_report(run)
    page.goto((run / "report" / "index.html").as_uri())
    page.click('#papers th[data-key="chars"]')
    names = [r.get_attribute("data-v") for r in page.locator("#papers tbody tr td:first-child").all()]
    assert names == ["wrapped", DOC_ID, "long_en"]  # 12,600 after 1,2xx: sorted as numbers
    page.click(f'#papers tr:has-text("{DOC_ID}") td[title*="flagged"] a')
    page.wait_for_function("window.__reportReady === true")
    assert page.input_value("#f-flag") == "any"
    shown = sorted(r.get_attribute("data-id") for r in page.locator("#tuples tbody tr.tup:visible").all())
    assert shown == ["1", "2", "3"]
    assert errors == []
