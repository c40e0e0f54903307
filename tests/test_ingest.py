"""Tests for pipeline.ingest: text files, PDFs, normalisation and bad input.

Bad inputs are built inside each test (tmp_path); the sample papers in data/raw are
the golden pairs (PDF generated from its .txt); the real PDFs in ../shared are read at
test time only (short probes, no passages copied).
"""

from __future__ import annotations

import difflib
import functools
import os
import re
import time
from pathlib import Path

import pytest

from pipeline.config import Config
from pipeline.ingest import (LINE_BREAK_HYPHEN, clean_text, close_cjk_spaces, collapse_letter_spacing, decode_bytes,
                             display_width, garbage_share, join_lines, latex_to_text, read, rejoin_wrapped_lines,
                             repair_hyphens, superscript_text)
from pipeline.types import PipelineError

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
SAMPLES = ("sample_zh_msc_osteoporosis_review", "sample_en_bmsc_ovx_rats")

# fmt: off
# (raw text, clean text): NFKC except full-width CJK punctuation, dashes, controls, newlines.
NORMALISE_CASES = [
    ("去卵巢（OVX）大鼠，骨密度升高。", "去卵巢（OVX）大鼠，骨密度升高。"),          # CJK punctuation kept
    ("ＢＭＳＣｓ移植１２周", "BMSCs移植12周"),                                  # full-width Latin/digits
    ("TNF⁃α和IL‐6表达", "TNF-α和IL-6表达"),                                   # hyphen bullet, hyphen
    ("TNF—α levels", "TNF-α levels"),                                         # em dash inside a term
    ("骨量——即骨密度", "骨量——即骨密度"),                                      # Chinese dash kept
    ("dose 1–3 mg and −2 SD", "dose 1-3 mg and -2 SD"),                      # en dash, minus
    ("8〜12周", "8～12周"),                                                    # wave dash range
    ("Ⅰ型胶原、MHC-Ⅱ and ARCO Ⅳ", "Ⅰ型胶原、MHC-Ⅱ and ARCO Ⅳ"),                # Roman numerals kept
    ("the ﬁrst eﬀect", "the first effect"),                                   # ligatures
    ("treat\u00adment\u200b of OVX", "treatment of OVX"),                     # soft hyphen, zero-width space
    ("line one\r\nline two\rline three", "line one\nline two\nline three"),  # newlines
    ("bell\x07 char\x00", "bell char"),                                       # control characters
    ("1×10⁶个细胞", "1×10^6个细胞"),                                           # superscript exponent
    ("shown in rats¹²", "shown in rats[12]"),                                 # superscript citation
    ("area 5 cm²", "area 5 cm^2"),                                            # superscript unit power
    ("细胞数为1×107/只", "细胞数为1×10^7/只"),                                  # exponent lost in a text copy
    ("a dose of 2.5 × 10-3 mol/L", "a dose of 2.5 × 10^-3 mol/L"),
    ("3×100 mg and 12×105 cells", "3×100 mg and 12×105 cells"),               # not scientific notation
    ("骨密度（BMD）  \n\n\n\n下一段", "骨密度（BMD）\n\n下一段"),                # trailing spaces, blank lines
    ("\u3000\u3000骨质疏松症是……\n  1 引言", "骨质疏松症是……\n1 引言"),         # indentation
]
# (superscript run, text before it, rewritten)
SUPERSCRIPT_CASES = [
    ("3", "吴海峰等", "[3]"),
    ("1,2", "has been shown", "[1,2]"),
    ("3–5", "骨密度升高", "[3-5]"),
    ("[4]", "研究发现", "[4]"),
    ("1e3", "especially in Asia.", "[1-3]"),                                  # Adv* fonts' en dash
    ("6", "1×10", "^6"),
    ("2", "5 cm", "^2"),
    ("-1", "mg·kg", "^-1"),
    ("a", "Zhang San", "a"),
    ("24", "as calculated with Egger’s", "[24]"),
]
# (text so far, next line, joined)
JOIN_CASES = [
    ("骨髓间充质干", "细胞移植", "骨髓间充质干细胞移植"),
    ("bone marrow", "stromal cells", "bone marrow stromal cells"),
    ("after treat-", "ment the rats", "after treatment the rats"),
    ("levels of TNF-", "α rose", "levels of TNF-α rose"),
    ("移植后BMD", "明显升高", "移植后BMD明显升高"),
    ("干细胞（bone", "marrow）", "干细胞（bone marrow）"),
]
# (text with a line-break hyphen marked "-|", repaired): the document's own words decide.
HYPHEN_CASES = [
    ("after treat-|ment the rats", "after treatment the rats"),              # halves not both words
    ("骨髓间充质干细胞（bone mar-|row stromal cells）", "骨髓间充质干细胞（bone marrow stromal cells）"),
    ("low-molecular-|weight heparin; molecular mass", "low-molecular-weight heparin; molecular mass"),  # chain
    ("a life-threa-|tening embolism", "a life-threatening embolism"),       # break inside a chain's word
    ("non-steroidal anti-|inflammatory drugs reduce inflammatory pain", "non-steroidal anti-inflammatory drugs "
     "reduce inflammatory pain"),                                            # prefix + word
    ("two meta-|analyses and one meta-analyses table", "two meta-analyses and one meta-analyses table"),
    ("a well-|known effect, well known", "a well-known effect, well known"),  # both halves are words
    ("cells in-|crease BMD", "cells increase BMD"),                          # short half: not a word
    ("the cell-|cycle and cell cycle arrest", "the cell-cycle and cell cycle arrest"),
    ("bone for-|mation and bone formation", "bone formation and bone formation"),  # joined form elsewhere
    ("stem cell trans-|plantation", "stem cell transplantation"),
]
# Hard-wrapped text files: (paragraph text, wrap width in characters, line separator).
# The paragraph is wrapped at the width and must come back whole; the heading and the
# reference entry after it stay lines of their own.
WRAPPED_CASES = [
    ("间充质干细胞具有自我更新和多向分化的能力，在体外可分化为成骨细胞、软骨细胞和脂肪细胞。"
     "去卵巢大鼠经尾静脉移植骨髓间充质干细胞后，腰椎骨密度明显升高，骨小梁数量增加，"
     "血清骨钙素水平上升，而骨吸收标志物明显下降。糖皮质激素诱导的骨质疏松模型中，"
     "移植细胞归巢到骨髓腔并促进成骨分化，提示细胞治疗可能成为骨质疏松的新方法。", 22, "\n\n"),
    ("间充质干细胞具有自我更新和多向分化的能力，在体外可分化为成骨细胞、软骨细胞和脂肪细胞。"
     "去卵巢大鼠经尾静脉移植骨髓间充质干细胞（bone marrow mesenchymal stem cells，BMSCs）后，"
     "腰椎骨密度明显升高，骨小梁数量增加，血清骨钙素水平上升，而骨吸收标志物明显下降。", 18, "\n"),
    ("Mesenchymal stem cells renew themselves and differentiate into osteoblasts, chondrocytes and "
     "adipocytes. Ovariectomized rats given intravenous bone marrow stromal cells showed higher lumbar "
     "bone mineral density, more trabeculae and lower resorption markers after eight weeks, while the "
     "untreated animals kept losing bone; the grafted cells homed to the marrow cavity and joined the "
     "osteogenic lineage, which suggests a cell therapy for postmenopausal bone loss.", 52, "\n"),
]
# (converter output with $...$ LaTeX, plain text): only inside $...$ spans.
LATEX_CASES = [
    ("骨密度升高$1 8 \\%$", "骨密度升高18%"),                                   # MinerU digit spacing, \%
    ("给予$2 5 \\mathrm { m g / k g }$地塞米松", "给予25 mg/kg地塞米松"),         # unit after a number
    ("TGF-$\\beta$信号通路", "TGF-β信号通路"),                                   # Greek
    ("差异有统计学意义($ \\mathrm{P < 0.05} $)", "差异有统计学意义(P<0.05)"),
    ("${ \\mathrm { A A / F e C l } } _ { 3 }$诱导", "AA/FeCl3诱导"),              # nested group, subscript
    ("BMD was $0 . 8 2 { \\scriptstyle \\pm 0 . 0 5 }$ g/cm2", "BMD was 0.82±0.05 g/cm2"),
    ("as reported by $\\mathrm { L i } ^ { [ 1 2 ] }$.", "as reported by Li[12]."),  # citation superscript
    ("kept at $4 ~ ^ { \\circ } \\mathrm { C }$ for $2 4 \\mathrm { ~ h ~ }$", "kept at 4 °C for 24 h"),
    ("$1 \\times 1 0 ^ { 6 }$ cells", "1×10^6 cells"),                           # exponent
    ("costs $5 and $10 per test", "costs $5 and $10 per test"),               # prose dollars stay
]
# (line, closed up): letter-spaced headings; lines not wholly letter-spaced stay.
SPACED_CASES = [
    ("参 考 文 献", "参考文献"),
    ("1 前 言", "1 前言"),
    ("2.1 材 料 与 方 法", "2.1 材料与方法"),
    ("【摘 要】", "【摘要】"),
    ("R E S U L T S  A N D  D I S C U S S I O N", "RESULTS AND DISCUSSION"),
    ("张 津执笔", "张 津执笔"),                                                  # not wholly spaced
    ("P < 0 . 0 5", "P < 0 . 0 5"),                                              # symbols, digits
    ("A B", "A B"),                                                              # too short for Latin
    ("x y z w", "x y z w"),                                                      # lower-case variables
    ("Vitamin D and K", "Vitamin D and K"),
]
# (text, encoding name, expected Document.encoding)
ENCODING_CASES = [
    ("间充质干细胞（MSCs）治疗骨质疏松。", "utf-8", "utf-8"),
    ("间充质干细胞（MSCs）治疗骨质疏松。", "utf-8-sig", "utf-8-sig"),
    ("间充质干细胞（MSCs）治疗骨质疏松。", "gb18030", "gb18030"),
    ("间充质干细胞（MSCs）治疗骨质疏松。", "gbk", "gb18030"),
    ("Mesenchymal stem cells (MSCs) in osteoporosis.", "utf-8", "utf-8"),
    ("间充质干细胞 mesenchymal stem cells", "utf-16", "utf-16-le"),
]
# Column-order probes in the real English two-column PDFs: (file, earlier, later).
# "earlier" spans a line break in the left column; "later" starts the right column.
COLUMN_PROBES = [
    ("en_med_20_bmc_review_dvt_prophylaxis.pdf", "is a significant risk factor for the development of",
     "as the primary DVT prophylactic agent"),
    ("en_med_22_intpsychogeriatrics2014.pdf", "among the diseases most feared by the elderly",
     "that promote continued independent living"),
    ("en_med_21_hpylori_iron_deficiency.pdf", "is a global public health problem affecting both",
     "Inclusion criteria were established before"),
]
# Tables drawn as PDFs (reportlab): (font, rows of cells). One cell of each wraps onto
# more lines; the PDF must give one line per row, cells apart by tabs, the wrap joined.
TABLE_CASES = [
    ("STSong-Light", [["研究", "动物", "模型", "途径", "结果"],
                      ["李明 2020", "SD大鼠", "OVX", "尾静脉", "骨密度升高"],
                      ["王强 2021", "C57小鼠", "GIOP", "局部注射", "骨小梁数量增加，骨吸收标志物下降"],
                      ["陈静 2019", "新西兰兔", "ONFH", "髓芯减压", "新生骨增多"]]),
    ("Helvetica", [["Study", "Animal", "Model", "Route", "Result"],
                   ["Smith 2018", "Wistar rat", "OVX", "i.v.", "BMD increased"],
                   ["Jones 2020", "C57 mouse", "GIOP", "local", "trabecular number rose and resorption markers fell"],
                   ["Brown 2022", "rabbit", "ONFH", "core", "more new bone"]]),
]
# Two-column tables (parameter | value): one wide gap per row.
TWO_CELL_CASES = [
    ("STSong-Light", [["参数", "数值"], ["细胞数量", "1×10^6个"], ["移植途径", "尾静脉注射"], ["观察时间", "8周"],
                      ["骨密度变化", "升高12.5%"]]),
    ("Helvetica", [["Parameter", "Value"], ["Cell dose", "2 million"], ["Route", "intravenous"], ["Follow-up", "8 weeks"],
                   ["BMD change", "+12.5%"]]),
]
# fmt: on


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _char_match(source: str, extracted: str) -> float:
    """Share of the source's non-space characters found in order in the extracted text."""
    a = re.sub(r"\s+", "", source)
    b = re.sub(r"\s+", "", extracted)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(a)


@functools.lru_cache(maxsize=None)
def _read_shared(path: Path):
    return read(path, Config())


def _flat(text: str) -> str:
    return " ".join(text.split())


# --- normalisation ------------------------------------------------------------------


@pytest.mark.parametrize("raw,expected", NORMALISE_CASES)
def test_ingest_clean_text_normalises(raw, expected):
    assert clean_text(raw) == expected


@pytest.mark.parametrize("run,before,expected", SUPERSCRIPT_CASES)
def test_ingest_superscript_runs_become_markers_or_exponents(run, before, expected):
    assert superscript_text(run, before) == expected


@pytest.mark.parametrize("line,expected", SPACED_CASES)
def test_ingest_letter_spaced_headings_close_up(line, expected):
    assert collapse_letter_spacing(line) == expected
    assert clean_text(f"正文第一句。\n{line}\n[1] Li W.") == f"正文第一句。\n{expected}\n[1] Li W."


def test_ingest_real_caj_pdf_letter_spaced_headings(shared_dir):
    text = _read_shared(shared_dir / "corpora" / "pdfs" / "zh_eng_16_jap1994_cnki_caj2pdf.pdf").text
    assert "\n1 前言\n" in text and "\n参考文献\n" in text


@pytest.mark.parametrize("raw,expected", LATEX_CASES)
def test_ingest_latex_spans_become_text(raw, expected):
    assert latex_to_text(raw) == expected


def test_ingest_markdown_latex_is_read_as_text_but_pdf_text_is_not(tmp_path):
    path = tmp_path / "mineru.md"
    path.write_text("# 结果\n\n模型组骨密度降低$3 0 \\%$（$\\mathrm { P } { < } 0 . 0 5$）。\n"
                    "![](images/5f3a9c.jpg)\n图1 各组骨密度\n实验重复3\\~4次，李华\\*为通信作者。\n", encoding="utf-8")
    text = read(path, Config()).text
    assert "模型组骨密度降低30%（P<0.05）。" in text
    assert "images/" not in text and "实验重复3~4次，李华*为通信作者。" in text  # Markdown links, escapes



def test_ingest_markdown_html_table_becomes_tab_rows(tmp_path):
    path = tmp_path / "mineru_table.md"
    path.write_text("表1 各组骨密度比较\n<table><tr><th>组别</th><th colspan=\"2\">骨密度（g/cm2）</th></tr>"
                    "<tr><td>OVX组</td><td>0.21 &plusmn; 0.02</td><td><b>降低</b></td></tr>"
                    "<tr><td>Sham group</td><td>0.25</td><td>-</td></tr></table>\n正文继续。\n", encoding="utf-8")
    lines = read(path, Config()).text.split("\n")
    assert "OVX组\t0.21 ± 0.02\t降低" in lines and "Sham group\t0.25\t-" in lines
    assert "组别\t骨密度（g/cm2）" in lines and "正文继续。" in lines
    path.write_text("Table 1 Bone density\n| Group | BMD (g/cm2) |\n|:---|---:|\n| OVX | 0.21 |\n| Sham | 0.25 |\n"
                    "Text goes on | with a bar.\n", encoding="utf-8")
    lines = read(path, Config()).text.split("\n")
    assert lines[1:4] == ["Group\tBMD (g/cm2)", "OVX\t0.21", "Sham\t0.25"]
    assert "Text goes on | with a bar." in lines
    assert clean_text("$3 0 \\%$") == "$3 0 \\%$"  # clean_text leaves $...$ alone unless asked


@pytest.mark.parametrize("marked,expected", HYPHEN_CASES)
def test_ingest_repair_hyphens_uses_document_words(marked, expected):
    text = marked.replace("-|", "-" + LINE_BREAK_HYPHEN)
    repaired, removed = repair_hyphens(text)
    assert repaired == expected
    assert "".join(ch for i, ch in enumerate(text) if i not in set(removed)) == repaired


def _wrap(text: str, width: int) -> list[str]:
    """Wrap at ``width`` columns (CJK characters take two), Latin words whole, CJK one by one."""
    lines, line = [], ""
    for word in re.findall(r"[A-Za-z,.;()]+ ?|.", text):
        if display_width(line + word.rstrip()) > 2 * width and line:
            lines.append(line.rstrip())
            line = ""
        line += word
    return lines + [line.rstrip()]


@pytest.mark.parametrize("paragraph,width,sep", WRAPPED_CASES)
def test_ingest_text_file_rejoins_hard_wrapped_paragraphs(tmp_path, paragraph, width, sep):
    heading = "2 材料与方法" if re.search("[一-龥]", paragraph) else "2 Methods"
    raw = sep.join(["1 引言" if heading.startswith("2 材") else "1 Introduction", *_wrap(paragraph, width), heading,
                    *_wrap(paragraph, width), "[1] Li W, Wang Q. Stem cells in bone repair. J Bone, 2020, 1: 1-9."])
    path = tmp_path / "wrapped.txt"
    path.write_text(raw, encoding="utf-8")
    lines = [line for line in read(path, Config()).text.split("\n") if line]
    # A wrapped line that ends a sentence may stay a paragraph end (no sign tells); all
    # others are joined: put those sentence ends back together to compare.
    merged: list[str] = []
    for line in lines:
        if merged and merged[-1][-1] in ".。" and line[0] not in "2[" and merged[-1] != lines[0]:
            merged[-1] += (" " if line[0].isascii() else "") + line
        else:
            merged.append(line)
    assert merged == [lines[0], paragraph, heading, paragraph, lines[-1]]
    assert lines[-1].startswith("[1] Li W")
    # A caption after a full line that does not end a sentence stays a line of its own.
    caption = "表1 各组骨密度比较" if heading.startswith("2 材") else "Table 1 Bone mineral density by group"
    wrapped = _wrap(paragraph, width)
    text = rejoin_wrapped_lines(sep.join(wrapped[:-1] + [caption] + wrapped[:-1]))
    assert caption in text.split("\n")


# (converter text with wrap spaces, closed up): a space inside a word of a prose line goes
# when the two characters stand side by side elsewhere; names, keywords, addresses stay.
CJK_SPACE_CASES = [
    ("骨髓间 充质干细胞移植后，间充质干细胞归巢。", "骨髓间充质干细胞移植后，间充质干细胞归巢。"),
    ("碱性磷酸 酶活性升高，碱性磷酸酶是成骨标志。", "碱性磷酸酶活性升高，碱性磷酸酶是成骨标志。"),
    ("张明 李华 王强\n张明和李华的研究。", "张明 李华 王强\n张明和李华的研究。"),                 # names: no prose marks
    ("关键词 脂肪干细胞 生长因子\n脂肪干细胞生长因子的作用。", "关键词 脂肪干细胞 生长因子\n脂肪干细胞生长因子的作用。"),
    ("结果显示，细胞增殖不 明显。", "结果显示，细胞增殖不 明显。"),                           # 不明 not attested
]


@pytest.mark.parametrize("raw,expected", CJK_SPACE_CASES)
def test_ingest_close_cjk_wrap_spaces(raw, expected):
    assert close_cjk_spaces(raw) == expected


def test_ingest_rejoin_cut_paragraph_only_when_the_pair_is_a_word_elsewhere():
    # Not hard-wrapped (one paragraph per line): a paragraph cut at a page break joins
    # when the characters across the cut occur side by side elsewhere (移植).
    text = ("骨髓间充质干细胞移植治疗骨质疏松的研究进展\n\n张明 李华\n\n"
            "静脉注射脂肪干细胞后，大鼠坐骨神经损伤明显减轻，说明脂肪干细胞是进行神经移\n\n"
            "植的理想种子细胞。\n\n细胞移植后神经功能评分升高。")
    out = rejoin_wrapped_lines(text)
    assert "说明脂肪干细胞是进行神经移植的理想种子细胞。" in out
    assert out.startswith("骨髓间充质干细胞移植治疗骨质疏松的研究进展\n\n张明 李华\n\n")  # title, authors


def test_ingest_text_file_rejoins_wrapped_words(tmp_path):
    path = tmp_path / "wrapped.txt"
    path.write_text("低强度脉冲超声（low intensity pulsed ul-\n\ntrasound）促进骨折愈合。\n"
                    "THA is the most ef-\nfective treatment; low-molecular-\n"
                    "weight heparin (a molecular mass below 8 kDa) was given.\n"
                    "Pre-\nTreatment values stay.\n", encoding="utf-8")
    text = read(path, Config()).text
    assert "（low intensity pulsed ultrasound）促进骨折愈合" in text
    assert "the most effective treatment; low-molecular-weight heparin" in text
    assert "Pre-\nTreatment" in text  # a capital after the hyphen: a line of its own


def test_ingest_pdf_hyphen_repair_keeps_compounds(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "hyphens.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Times-Roman", 10)
    # "inflammatory", "molecular" and "treatment" are words elsewhere in the document.
    lines = ["Old rats with osteoporosis were then given the anti-", "inflammatory drugs as well as low-molecular-",
             "weight heparin for four weeks before the treat-", "ment; the inflammatory markers were read after the",
             "treatment, with molecular tests."]
    width = max(c.stringWidth(line, "Times-Roman", 10) for line in lines)
    for k, line in enumerate(lines):  # justified: every line but the last reaches the right edge
        t = c.beginText(60, 780 - 13 * k)
        t.setFont("Times-Roman", 10)
        if k < len(lines) - 1:
            t.setWordSpace((width - c.stringWidth(line, "Times-Roman", 10)) / line.count(" "))
        t.textLine(line)
        c.drawText(t)
    c.showPage()
    c.save()
    text = read(path, Config()).text
    assert ("the anti-inflammatory drugs as well as low-molecular-weight heparin for four weeks before the treatment; "
            "the") in text


@pytest.mark.parametrize("prev,nxt,expected", JOIN_CASES)
def test_ingest_join_lines(prev, nxt, expected):
    sep = join_lines(prev, nxt)
    joined = prev[:-1] + nxt if sep == "\b" else prev + sep + nxt
    assert joined == expected


def test_ingest_author_line_superscripts_are_affiliations():
    from pipeline.ingest import SCRIPT_CLOSE as C
    from pipeline.ingest import SCRIPT_OPEN as O
    from pipeline.ingest import _resolve_scripts

    assert _resolve_scripts(f"张三{O}[1]{C}，李四{O}[1,2]{C}，王五{O}[2]{C}") == "张三^1，李四^1,2，王五^2"
    assert _resolve_scripts(f"Anna Berg{O}[1]{C}, Li Wei{O}[2]{C} and Tom Hale{O}[1]{C}") == \
        "Anna Berg^1, Li Wei^2 and Tom Hale^1"
    assert _resolve_scripts(f"吴海峰等{O}[11]{C}采用OVX大鼠模型，王五{O}[2]{C}") == "吴海峰等[11]采用OVX大鼠模型，王五[2]"
    assert _resolve_scripts(f"as shown in rats{O}[3]{C}, mice{O}[4]{C} and pigs{O}[5]{C}") == \
        "as shown in rats[3], mice[4] and pigs[5]"


def test_ingest_garbage_share_separates_broken_fonts():
    assert garbage_share("间充质干细胞（MSCs）治疗骨质疏松，骨密度（BMD）升高。") < 0.02
    assert garbage_share("Mean age was 62 ± 8 years; 45% were women (Müller et al.).") < 0.05
    assert garbage_share("»ùÒòÍâÏÔ×Ó¡¤B%¡¤Í¼! !\"#$ À©Ôö²úÎïÇíÖ¬") > 0.3
    assert garbage_share("\ue001\ue002\ue003\ue004ab") > 0.6
    assert garbage_share("", cid_count=10) == 1.0


# --- text files ---------------------------------------------------------------------


@pytest.mark.parametrize("text,codec,expected", ENCODING_CASES)
def test_ingest_detects_text_encoding(tmp_path, text, codec, expected):
    path = _write(tmp_path / "paper.txt", text.encode(codec))
    doc = read(path, Config())
    assert doc.encoding == expected
    assert doc.text == text
    assert doc.format == "txt"
    assert doc.pages[0].start == 0 and doc.pages[-1].end == len(doc.text)


def test_ingest_utf16_big_endian_with_bom(tmp_path):
    path = _write(tmp_path / "be.txt", "\ufeff骨髓间充质干细胞".encode("utf-16-be"))
    doc = read(path, Config())
    assert doc.encoding == "utf-16-be" and doc.text == "骨髓间充质干细胞"


def test_ingest_utf16_without_bom(tmp_path):
    path = _write(tmp_path / "nobom.txt", "bone mineral density 骨密度".encode("utf-16-le"))
    assert read(path, Config()).text == "bone mineral density 骨密度"


def test_ingest_text_fields_and_original(tmp_path):
    raw = "ＢＭＳＣｓ治疗\r\n骨质疏松（OP）。\r\n"
    path = _write(tmp_path / "zh.txt", raw.encode("utf-8"))
    doc = read(path, Config(), doc_id="p1")
    assert doc.doc_id == "p1" and doc.source_path == str(path)
    assert doc.text == "BMSCs治疗\n骨质疏松（OP）。\n"
    assert doc.original_text == raw
    assert len(doc.sha256) == 64


def test_ingest_markdown_is_read_like_text(tmp_path):
    path = _write(tmp_path / "notes.md", "# 摘要\n\n骨密度（BMD）升高[3]。\n".encode())
    doc = read(path, Config())
    assert doc.format == "txt" and "骨密度（BMD）升高[3]。" in doc.text


def test_ingest_form_feeds_make_pages(tmp_path):
    path = _write(tmp_path / "pages.txt", "第一页 page one\f第二页 page two\f第三页\f".encode())
    doc = read(path, Config())
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert doc.pages[0].start == 0 and doc.pages[-1].end == len(doc.text)
    assert all(a.end == b.start for a, b in zip(doc.pages, doc.pages[1:]))
    assert "page two" in doc.text[doc.pages[1].start:doc.pages[1].end]
    assert "\f" not in doc.text


@pytest.mark.parametrize("name,data,message", [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\t\n", "empty file"),
    ("binary.txt", bytes(range(256)) * 40, "binary content"),
    ("nul.txt", b"\x00\x01\x02\x03" * 500, "binary content"),
    ("paper.docx", b"PK\x03\x04 zip body", "unsupported file type '.docx'"),
    ("figure.png", b"\x89PNG\r\n\x1a\n....", "unsupported file type '.png'"),
    ("fake.pdf", b"just text, not a PDF", "not a PDF"),
])
def test_ingest_rejects_bad_text_input(tmp_path, name, data, message):
    path = _write(tmp_path / name, data)
    with pytest.raises(PipelineError) as err:
        read(path, Config())
    assert err.value.stage == "ingest"
    assert message in err.value.message
    assert "\n" not in err.value.message


def test_ingest_rejects_huge_text(tmp_path):
    path = _write(tmp_path / "huge.txt", "骨密度".encode() * 1000)
    with pytest.raises(PipelineError, match="too large: 9000 bytes, more than max_text_bytes=1000"):
        read(path, Config(max_text_bytes=1000))


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_ingest_rejects_unreadable_file(tmp_path):
    path = _write(tmp_path / "locked.txt", "骨密度".encode())
    path.chmod(0)
    try:
        with pytest.raises(PipelineError, match="cannot read file: Permission denied"):
            read(path, Config())
    finally:
        path.chmod(0o644)


def test_ingest_rejects_missing_file_and_folder(tmp_path):
    with pytest.raises(PipelineError, match="cannot read file"):
        read(tmp_path / "missing.txt", Config())
    folder = tmp_path / "papers.txt"
    folder.mkdir()
    with pytest.raises(PipelineError, match="is a folder"):
        read(folder, Config())


# --- PDFs: the generated samples ----------------------------------------------------


@pytest.fixture(scope="module")
def sample_docs():
    return {name: read(RAW / f"{name}.pdf", Config()) for name in SAMPLES}


@pytest.mark.parametrize("name", SAMPLES)
def test_ingest_sample_pdf_matches_its_source(sample_docs, name):
    doc = sample_docs[name]
    source = clean_text((RAW / f"{name}.txt").read_text(encoding="utf-8"))
    assert doc.format == "pdf"
    assert _char_match(source, doc.text) >= 0.99


@pytest.mark.parametrize("name", SAMPLES)
def test_ingest_sample_pdf_page_map_covers_text(sample_docs, name):
    doc = sample_docs[name]
    assert len(doc.pages) >= 2
    assert doc.pages[0].start == 0 and doc.pages[-1].end == len(doc.text)
    assert all(a.end == b.start for a, b in zip(doc.pages, doc.pages[1:]))
    assert [p.number for p in doc.pages] == list(range(1, len(doc.pages) + 1))


def test_ingest_sample_pdf_drops_running_header_and_page_numbers(sample_docs):
    zh, en = sample_docs[SAMPLES[0]], sample_docs[SAMPLES[1]]
    assert "示例期刊" not in zh.text and "Example Journal of Bone Research" not in en.text
    assert not re.search(r"^\s*(?:· \d+ ·|\d+)\s*$", zh.text + en.text, re.MULTILINE)


def test_ingest_sample_pdf_superscripts_become_markers(sample_docs):
    zh, en = sample_docs[SAMPLES[0]].text, _flat(sample_docs[SAMPLES[1]].text)
    assert "吴海峰等[11]采用OVX大鼠模型" in zh
    assert "1×10^6个" in zh
    assert "出现股骨头塌陷[3-5]。" in zh
    assert "仍存留在骨组织中[10]。" in zh  # a marker that starts a line
    assert "刘洋等[19]在兔模型中" in zh  # a marker that ends a line
    assert re.search(r"Smith et al\. ?\[5\] showed", en)
    assert re.search(r"limited in duration ?\[2,3\]\.", en)
    assert "1×10^6 allogeneic BMSCs" in en


def _table_rows(text: str) -> list[str]:
    """The tab-separated lines right after the first table caption."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if re.match(r"(?:表|Table )1", line))
    rows = []
    for line in lines[start + 1:]:
        if "\t" not in line:
            break
        rows.append(line)
    return rows


@pytest.mark.parametrize("name", SAMPLES)
def test_ingest_sample_pdf_table_rows_match_source(sample_docs, name):
    source = _table_rows(clean_text((RAW / f"{name}.txt").read_text(encoding="utf-8")))
    assert len(source) >= 5
    assert _table_rows(sample_docs[name].text) == source


def _table_pdf(path: Path, font: str, before: list[str], rows: list[list[str]], after: list[str],
               valign: str = "BOTTOM") -> Path:
    """A one-page PDF: paragraphs, a ruled table of wrapping cells (8 pt), paragraphs."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    if font == "STSong-Light":
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("b", fontName=font, fontSize=10, leading=13, wordWrap="CJK" if font != "Helvetica" else None)
    cell = ParagraphStyle("c", parent=body, fontSize=8, leading=10)
    widths = {2: [150, 90], 5: [70, 60, 45, 50, 90]}.get(len(rows[0]), [60, 50, 40, 45, 50, 80, 30])
    table = Table([[Paragraph(c, cell) for c in row] for row in rows], colWidths=widths)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), valign), ("LINEABOVE", (0, 0), (-1, 0), 0.8, "black"),
                               ("LINEBELOW", (0, -1), (-1, -1), 0.8, "black")]))
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build(
        [Paragraph(p, body) for p in before] + [table] + [Paragraph(p, body) for p in after])
    return path


@pytest.mark.parametrize("valign", ["TOP", "BOTTOM", "MIDDLE"])
@pytest.mark.parametrize("font,rows", TABLE_CASES)
def test_ingest_pdf_table_rows_are_tab_lines(tmp_path, font, rows, valign):
    zh = font != "Helvetica"
    path = _table_pdf(tmp_path / "table.pdf", font, ["表1 示例研究汇总" if zh else "Table 1 Example studies"], rows,
                      ["本段在表格之后。" if zh else "This paragraph follows the table."], valign)
    text = read(path, Config()).text
    assert _table_rows(text) == ["\t".join(row) for row in rows], text


@pytest.mark.parametrize("font,rows", TWO_CELL_CASES)
def test_ingest_pdf_two_column_table_rows_are_tab_lines(tmp_path, font, rows):
    zh = font != "Helvetica"
    before = ["表1 实验参数" if zh else "Table 1 Experimental parameters"]
    after = ["本段在表格之后，说明实验参数的来源。" if zh else "This paragraph follows the table and explains it."]
    text = read(_table_pdf(tmp_path / "table2.pdf", font, before, rows, after), Config()).text
    assert _table_rows(text) == ["\t".join(row) for row in rows], text
    assert after[0] in text.split("\n")


def test_ingest_pdf_table_gives_table_tuples_like_text(tmp_path):
    from pipeline import build

    before = ["骨髓间充质干细胞移植的动物研究", "1 动物研究", "多个团队在不同动物模型中检验了细胞移植，结果汇总于表1。",
              "表1 骨髓间充质干细胞移植的动物研究"]
    rows = [["研究", "动物", "模型", "细胞", "途径", "结果", "文献"],
            ["李明 2020", "SD大鼠", "OVX", "BMSCs", "尾静脉", "骨密度升高", "[3]"],
            ["王强 2021", "C57小鼠", "GIOP", "BMSCs", "局部注射", "骨小梁数量增加，骨吸收标志物下降", "[4]"],
            ["陈静 2019", "新西兰兔", "ONFH", "BMSCs", "髓芯减压", "新生骨增多", "[5]"]]
    after = ["2 结论", "干细胞移植可改善骨量。"]
    txt = tmp_path / "paper.txt"
    txt.write_text("\n".join(before + ["\t".join(row) for row in rows] + after) + "\n", encoding="utf-8")
    pdf = _table_pdf(tmp_path / "paper.pdf", "STSong-Light", before, rows, after)
    pipe = build(Config(use_ner=False))

    def table_tuples(path: Path) -> list[tuple]:
        return [(t.refs, t.outcome_text, t.direction) for t in pipe.run(path).tuples if t.source == "table"]

    expected = table_tuples(txt)
    assert len(expected) >= 3
    assert table_tuples(pdf) == expected


def test_ingest_sample_pdf_keeps_two_columns_in_order(sample_docs):
    text = sample_docs[SAMPLES[0]].text
    order = ["【摘要】", "Abstract:", "1 间充质干细胞的生物学特性", "1.2 促进骨修复的机制", "2.1 去卵巢骨质疏松模型",
             "表1", "参考文献", "[30] Thomsen M"]
    positions = [text.find(probe) for probe in order]
    assert -1 not in positions, dict(zip(order, positions))
    assert positions == sorted(positions)


@pytest.mark.parametrize("name", SAMPLES)
def test_ingest_sample_pdf_keeps_paragraphs(sample_docs, name):
    """Each source line (title, author line, heading, paragraph, reference) comes back as one line."""
    source = clean_text((RAW / f"{name}.txt").read_text(encoding="utf-8"))
    wanted = ["".join(line.split()) for line in source.splitlines() if line.strip() and "\t" not in line]
    got = {"".join(line.split()) for line in sample_docs[name].text.splitlines()}
    found = [line for line in wanted if line in got]
    assert len(found) / len(wanted) >= 0.95, [line[:40] for line in wanted if line not in got]


def test_ingest_sample_pdf_paragraphs_and_references_are_lines(sample_docs):
    lines = sample_docs[SAMPLES[0]].text.splitlines()
    refs = [line for line in lines if re.match(r"\[\d+\] ", line)]
    assert len(refs) == 30
    assert any(line.startswith("MSCs最早从骨髓中分离获得") and line.endswith("产品[7,8]。") for line in lines)


# --- PDFs: bad input ----------------------------------------------------------------


# Words for the long test PDF: every line differs, as in a real book.
_WORDS = ("bone", "marrow", "stromal", "cells", "were", "injected", "into", "ovariectomized", "rats", "and",
          "density", "rose", "after", "eight", "weeks", "of", "treatment", "骨密度", "升高")


def _canvas_pdf(path: Path, pages: int, lines_per_page: int = 12) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for n in range(1, pages + 1):
        c.setFont("Times-Roman", 10)
        for k in range(lines_per_page):
            words = [_WORDS[(n * 7 + k * 3 + i * i) % len(_WORDS)] for i in range(9)]
            c.drawString(60, 760 - 14 * k, f"Page {n} line {k}: " + " ".join(w for w in words if w.isascii()))
        c.drawCentredString(A4[0] / 2, 30, str(n))
        c.showPage()
    c.save()
    return path


def test_ingest_drops_watermarks_and_running_footers(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "marked.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for n in range(1, 5):
        c.setFont("Times-Roman", 10)
        for k in range(20):
            words = [_WORDS[(n * 5 + k * 7 + i * i) % len(_WORDS)] for i in range(10)]
            c.drawString(60, 740 - 14 * k, f"{n}.{k} " + " ".join(w for w in words if w.isascii()))
        c.drawString(60, 300, "Downloaded from example.org by guest on 1 May 2025")  # same place on every page
        c.saveState()
        c.translate(300, 400)
        c.rotate(45)
        c.setFont("Times-Roman", 40)
        c.drawString(0, 0, "FOR REVIEW ONLY")  # rotated watermark
        c.restoreState()
        c.setFont("Times-Roman", 8)
        c.drawString(60, 30, f"Example Journal 2025; 7: {100 + n}")  # running footer with a changing number
        c.showPage()
    c.save()
    doc = read(path, Config())
    assert "Downloaded from" not in doc.text and "REVIEW ONLY" not in doc.text
    assert "Example Journal" not in doc.text
    assert all(f"{n}.19 " in doc.text for n in range(1, 5))


# (page-1 footer in small type, whether it is dropped): licence and publisher lines go,
# a correspondence footnote stays but after the paragraph it would cut.
FOOTER_CASES = [
    ("© 2021 Li et al.; licensee Example Press. This is an open access article.", True),
    ("Received: 3 March 2021; Accepted: 9 May 2021", True),
    ("Page 1 of 9", True),
    ("* Correspondence: li.wei@example.org", False),
    ("通信作者：李伟，E-mail: li.wei@example.org", False),
]


@pytest.mark.parametrize("footer,dropped", FOOTER_CASES)
def test_ingest_page_one_footer_does_not_cut_a_word(tmp_path, footer, dropped):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "footer.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    words = [w for w in _WORDS if w.isascii()]
    for page in (1, 2):
        c.setFont("Times-Roman", 10)
        for k in range(40):
            line = " ".join(words[(page * 3 + k * 5 + i) % len(words)] for i in range(9))
            if page == 1 and k == 39:
                line += " after treat-"
            if page == 2 and k == 0:
                line = "ment the rats " + line
            c.drawString(60, 780 - 14 * k, line)
        if page == 1:
            c.setFont("STSong-Light", 7)
            c.drawString(60, 60, footer)
        c.showPage()
    c.save()
    text = read(path, Config()).text
    assert "after treatment the rats" in text
    assert (footer not in text) == dropped
    if not dropped:  # kept, behind the paragraph that runs on to page 2
        assert text.index(footer) > text.index("after treatment the rats")


def test_ingest_rejects_encrypted_pdf(tmp_path):
    pikepdf = pytest.importorskip("pikepdf")
    path = tmp_path / "locked.pdf"
    with pikepdf.open(RAW / f"{SAMPLES[1]}.pdf") as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(owner="owner-secret", user="user-secret", R=4))
    with pytest.raises(PipelineError, match="encrypted PDF"):
        read(path, Config())


def test_ingest_reads_pdf_with_owner_password_only(tmp_path):
    pikepdf = pytest.importorskip("pikepdf")
    path = tmp_path / "owner_only.pdf"
    with pikepdf.open(RAW / f"{SAMPLES[1]}.pdf") as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(owner="owner-secret", user="", R=4))
    assert "ovariectomized rats" in read(path, Config()).text


def test_ingest_rejects_pdf_with_zero_pages(tmp_path):
    pikepdf = pytest.importorskip("pikepdf")
    path = tmp_path / "empty.pdf"
    pikepdf.new().save(path)
    with pytest.raises(PipelineError, match="0 pages"):
        read(path, Config())


def test_ingest_repairs_broken_xref(tmp_path):
    pikepdf = pytest.importorskip("pikepdf")
    packed = tmp_path / "packed.pdf"
    with pikepdf.open(RAW / f"{SAMPLES[1]}.pdf") as pdf:
        pdf.save(packed, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    data = packed.read_bytes()
    # A wrong startxref: pdfminer cannot find the catalog inside the object streams.
    broken = _write(tmp_path / "broken.pdf", data[:data.rfind(b"startxref")] + b"startxref\n123\n%%EOF\n")
    doc = read(broken, Config())
    source = clean_text((RAW / f"{SAMPLES[1]}.txt").read_text(encoding="utf-8"))
    assert _char_match(source, doc.text) >= 0.99


def test_ingest_rejects_truncated_pdf(tmp_path):
    data = (RAW / f"{SAMPLES[0]}.pdf").read_bytes()
    path = _write(tmp_path / "cut.pdf", data[:400])
    with pytest.raises(PipelineError, match="broken PDF|0 pages|no text layer"):
        read(path, Config())


def test_ingest_rejects_scanned_pdf(tmp_path):
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (200, 280), 255)
    for x in range(20, 180):
        for y in range(40, 44):
            image.putpixel((x, y), 0)  # a printed line, as an image
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.drawImage(ImageReader(image), 50, 100, width=400, height=560)
    c.showPage()
    c.save()
    with pytest.raises(PipelineError, match=r"no text layer \(scanned PDF\?\)"):
        read(path, Config())


def _pages_pdf(path: Path, pages: list[list[str]]) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), invariant=1)
    for lines in pages:
        c.setFont("Helvetica", 10)
        for k, line in enumerate(lines):
            c.drawString(60, 760 - 14 * k, line)
        c.showPage()
    c.save()
    return path


# A page of GBK bytes shown as Latin-1, as a broken font encoding gives it.
GARBAGE_LINE = "»ùÒòÍâÏÔ×Ó %¡&¢¡’¢¡(¢ oÍÎ¢ÎÀÐÇÔîμÄ À©Ôö úÎïÇíÖ¬ÌÇμçÓ"


def test_ingest_drops_garbage_pages_and_keeps_the_rest_with_a_warning(tmp_path):
    good = ["Bone marrow stromal cells were given to ovariectomized rats by tail vein injection.",
            "Lumbar bone mineral density rose after eight weeks compared with the control group."]
    path = _pages_pdf(tmp_path / "mixed.pdf", [good, [GARBAGE_LINE] * 6, good[::-1]])
    doc = read(path, Config())
    assert "tail vein injection" in doc.text and "»ù" not in doc.text
    assert [p.number for p in doc.pages] == [1, 2, 3] and not doc.text[doc.pages[1].start:doc.pages[1].end].strip()
    assert len(doc.warnings) == 1 and "dropped 1 of 3 pages" in doc.warnings[0] and "page 2" in doc.warnings[0]
    assert "\n" not in doc.warnings[0]
    with pytest.raises(PipelineError, match="garbage glyphs"):  # nothing usable left
        read(_pages_pdf(tmp_path / "all_bad.pdf", [[GARBAGE_LINE] * 6] * 2), Config())
    assert read(_pages_pdf(tmp_path / "clean.pdf", [good]), Config()).warnings == ()


def test_ingest_garbage_pages_by_unmapped_glyphs():
    from collections import Counter

    from pipeline.ingest import _drop_garbage_pages, _Line, _PageLines

    text = "Bone marrow stromal cells raised bone mineral density in ovariectomized rats."

    def page(number: int) -> _PageLines:
        return _PageLines(number, 800.0, [_Line(text, text[:6], 60, 500, 100, 110, 110, 10, 0)])

    n = sum(1 for ch in text if not ch.isspace())
    # page 1: a few unmapped symbols (kept); page 2: mostly unmapped glyphs (dropped)
    stats = Counter({("cid", 1): n // 4, ("cid", 2): 2 * n})
    pages = [page(1), page(2)]
    assert _drop_garbage_pages(pages, stats) == [2]
    assert pages[0].lines and not pages[1].lines


def test_ingest_rejects_too_many_pages(tmp_path):
    path = _canvas_pdf(tmp_path / "long.pdf", pages=6, lines_per_page=2)
    with pytest.raises(PipelineError, match="6 pages, more than max_pdf_pages=5"):
        read(path, Config(max_pdf_pages=5))


@pytest.mark.slow
def test_ingest_reads_300_page_pdf(tmp_path):
    path = _canvas_pdf(tmp_path / "book.pdf", pages=300)
    t0 = time.perf_counter()
    doc = read(path, Config())
    seconds = time.perf_counter() - t0
    assert len(doc.pages) == 300
    assert "Page 300 line 11" in doc.text[doc.pages[-1].start:]
    assert not re.search(r"^\d+$", doc.text, re.MULTILINE)  # page numbers dropped
    assert seconds < 120, f"300 pages took {seconds:.0f} s"


# --- PDFs: real papers in ../shared -------------------------------------------------


@pytest.mark.parametrize("name,earlier,later", COLUMN_PROBES)
def test_ingest_real_english_pdf_column_order(shared_dir, name, earlier, later):
    doc = _read_shared(shared_dir / "corpora" / "pdfs" / name)
    text = _flat(doc.text)
    assert earlier in text, f"{earlier!r} not joined across its line break"
    assert later in text
    assert text.index(earlier) < text.index(later)


def test_ingest_real_pdf_dehyphenates_and_marks_citations(shared_dir):
    doc = _read_shared(shared_dir / "corpora" / "pdfs" / "en_med_20_bmc_review_dvt_prophylaxis.pdf")
    text = _flat(doc.text)
    assert "life-threatening" in text and "prolonged immobilization" in text
    assert "overall DVT rates exceed 50% [1-3]" in text


def test_ingest_real_pdf_superscript_range_with_broken_dash(shared_dir):
    doc = _read_shared(shared_dir / "corpora" / "pdfs" / "en_med_21_hpylori_iron_deficiency.pdf")
    assert re.search(r"especially in Asia\.\[1-3\]", doc.text)


@pytest.mark.parametrize("name,across", [
    ("en_med_22_intpsychogeriatrics2014.pdf", "Such a rapid increase in dementia among the elderly"),
    ("en_med_20_bmc_review_dvt_prophylaxis.pdf", "anticoagulation with low molecular weight heparins (LMWHs)"),
    ("en_med_22_intpsychogeriatrics2014.pdf",
     "(Lupien et al., 2007; Peavy et al., 2009). Furthermore, in animal models"),
])
def test_ingest_real_pdf_footnotes_do_not_cut_paragraphs(shared_dir, name, across):
    """Page-1 footnotes under the left column go behind the page; the paragraph runs on."""
    doc = _read_shared(shared_dir / "corpora" / "pdfs" / name)
    assert across in doc.text


@pytest.mark.parametrize("name,first_cell,n_cells", [
    ("en_med_21_hpylori_iron_deficiency.pdf", "Choe YH[25]", 9),   # a table wider than its column, cut by the gutter
    ("en_med_24_bmc_health_research_barriers.pdf", "Privacy given", 4),
    ("zh_tpl_17_xjtu_journal_template.pdf", "工况", 4),
])
def test_ingest_real_pdf_table_rows_are_tab_lines(shared_dir, name, first_cell, n_cells):
    lines = _read_shared(shared_dir / "corpora" / "pdfs" / name).text.split("\n")
    row = next(line for line in lines if line.startswith(first_cell))
    assert len(row.split("\t")) == n_cells, row


@pytest.mark.parametrize("name", ["en_med_20_bmc_review_dvt_prophylaxis.pdf",
                                  "en_med_24_bmc_health_research_barriers.pdf"])
def test_ingest_real_pdf_licence_footer_is_dropped(shared_dir, name):
    doc = _read_shared(shared_dir / "corpora" / "pdfs" / name)
    assert "licensee" not in doc.text and "Creative Commons" not in doc.text


def test_ingest_real_pdf_author_affiliations_are_not_citations(shared_dir):
    doc = _read_shared(shared_dir / "corpora" / "pdfs" / "en_med_20_bmc_review_dvt_prophylaxis.pdf")
    assert "Indraneel Datta^1, Chad G Ball^1*" in doc.text
    doc = _read_shared(shared_dir / "corpora" / "pdfs" / "en_med_22_intpsychogeriatrics2014.pdf")
    assert "Anna Sundström,^1 Michael Rönnlund,^2" in doc.text  # accented names


def test_ingest_real_pdf_broken_font_encoding_is_an_error(shared_dir):
    with pytest.raises(PipelineError, match="garbage glyphs"):
        read(shared_dir / "corpora" / "pdfs" / "zh_med_18_mineru_broken_encoding_page.pdf", Config())


def test_ingest_real_chinese_template_pdf(shared_dir):
    doc = _read_shared(shared_dir / "corpora" / "pdfs" / "zh_tpl_17_xjtu_journal_template.pdf")
    text = doc.text
    assert len(doc.pages) == 3
    for probe in ("摘要：", "关键词：", "Abstract:", "Key words:"):
        assert probe in text
    assert text.index("摘要：") < text.index("Abstract:")
    abstract = text[text.index("摘要："):text.index("关键词：")]
    assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", abstract)  # no spaces between CJK characters


def test_ingest_real_gbt7714_reference_entries_are_lines(shared_dir):
    doc = _read_shared(shared_dir / "corpora" / "pdfs" / "zh_ref_19_gb7714_journal_examples.pdf")
    entries = [line for line in doc.text.splitlines() if re.match(r"\[\d+\] \S", line)]
    assert len(entries) >= 40
    assert all(re.search(r"\[(?:J|N|J/OL|N/OL)\]", line) for line in entries[:4])


def test_ingest_real_old_cnki_pdf_is_readable(shared_dir):
    doc = _read_shared(shared_dir / "corpora" / "pdfs" / "zh_eng_16_jap1994_cnki_caj2pdf.pdf")
    assert len(doc.pages) == 6
    assert garbage_share(doc.text) < 0.02
    assert "故障诊断" in doc.text
    assert "第[9]卷" not in doc.text and "第9卷" in doc.text  # Latin digits in a CJK line are not markers
    assert "Engine Monitoring and" in doc.text  # misfit glyph widths: "M onito ring" closed up


def _misfit_font_pdf(path: Path, words: list[str], misfit: bool) -> None:
    """Words drawn glyph by glyph; with ``misfit`` each glyph is followed by a gap of its
    own (0-0.2 em, as when a PDF's widths belong to another face), word spaces 0.3 em."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), invariant=1)
    size = 10.0
    y = 780.0
    x = 60.0
    for w in words:
        if x > 420:
            x, y = 60.0, y - 14
        for ch in w:
            c.setFont("Times-Roman", size)
            c.drawString(x, y, ch)
            x += c.stringWidth(ch, "Times-Roman", size)
            if misfit:
                x += size * (0.02 + 0.18 * ((ord(ch) * 7) % 10) / 10)
        x += 0.3 * size
    c.showPage()
    c.save()


def test_ingest_closes_letter_gaps_of_misfit_fonts_only(tmp_path):
    words = ("Engine monitoring and fault diagnosis were applied to aircraft engines in two airlines; "
             "the gas path analysis isolated faults of the compressor and turbine modules with "
             "measured parameters and improved the accuracy of diagnosis in service").split()
    for misfit in (True, False):
        path = tmp_path / f"misfit_{misfit}.pdf"
        _misfit_font_pdf(path, words, misfit)
        assert _flat(read(path, Config()).text) == " ".join(words)


# fmt: off
# (text, expected): long glued English runs split with the paper's own words and a general
# vocabulary; Chinese, names with capitals inside, known long words and runs that do not split
# wholly into known words stay as they are.
GLUED_CASES = [
    ("the graftedcellsimprovedthewoundhealing of rats", "the grafted cells improved the wound healing of rats"),
    ("干细胞（mesenchymalstemcellsfromthemarrow）移植", "干细胞（mesenchymal stem cells from the marrow）移植"),
    ("Stainingshowedtheinflammatoryresponse clearly", "Staining showed the inflammatory response clearly"),
    ("immunohistochemistry showed it", "immunohistochemistry showed it"),
    ("骨髓间充质干细胞移植后骨密度升高", "骨髓间充质干细胞移植后骨密度升高"),
    ("at KeyLaboratoryofStemCellBiology today", "at KeyLaboratoryofStemCellBiology today"),
    ("the cellsqwzkxvtplmnofthewoundregion", "the cellsqwzkxvtplmnofthewoundregion"),
]
# fmt: on
_GLUED_CONTEXT = (" The grafted cells improved healing. Staining showed an inflammatory response. "
                  "Wound healing improved in the marrow region.")


@pytest.mark.parametrize("text,expected", GLUED_CASES)
def test_ingest_splits_glued_english_runs(text, expected):
    from pipeline.ingest import english_vocabulary, split_glued_words

    vocabulary = english_vocabulary(Config().rules_dir)
    out, inserted = split_glued_words(text, vocabulary, text + _GLUED_CONTEXT)
    assert out == expected
    assert len(out) == len(text) + len(inserted)
    for k, pos in enumerate(inserted):  # each inserted space sits where the list says
        assert out[pos + k] == " " and text[pos] == out[pos + k + 1]


def test_ingest_glued_split_keeps_prefixed_words():
    from pipeline.ingest import split_glued_words

    # 'in' before a content word is more often a prefix the vocabulary lacks ('independent').
    text = "a ubiquitinindependentpathway was involved; the pathway was ubiquitin bound"
    assert split_glued_words(text, None)[0] == text


def test_ingest_read_splits_glued_words_and_keeps_page_map(tmp_path):
    path = tmp_path / "glued.txt"
    path.write_text("摘要 干细胞移植。\nThe grafted cells improved healing.\fStainingshowedthegraftedcellsimprovedhealing.\n",
                    encoding="utf-8")
    doc = read(path, Config())
    assert "Staining showed the grafted cells improved healing." in doc.text
    assert doc.pages[-1].end == len(doc.text)
    assert doc.text[doc.pages[1].start:].lstrip("\n").startswith("Staining showed")


# ---------------------------------------------------------------------------
# Journal-style PDFs made by scripts/render_journal_pdf.py from an invented paper
# ---------------------------------------------------------------------------

# fmt: off
# An invented two-page Chinese review (our own words): body paragraphs with citation
# markers (bracketed, ranges, lists), a numbered heading after a wrapped heading, a
# two-cell "机制 | 说明" table whose second cell wraps, and a GB/T 7714 reference list.
JOURNAL_BODY = [
    ("1 引言", None),
    ("骨质疏松是一种以骨量减少和骨微结构破坏为特征的全身性骨病，老年女性尤为多见[1]。"
     "现有药物多以抑制骨吸收为主，长期使用的安全性仍有争议[2-3]。", "引言"),
    ("间充质干细胞（mesenchymal stem cells，MSCs）来源广泛，可向成骨细胞分化，"
     "并能分泌多种营养因子，被视为骨再生的候选细胞[4,5]。", "引言"),
    ("2 间充质干细胞移植在骨质疏松动物模型中的作用与局限", None),
    ("2.1 静脉输注", None),
    ("周明等[6]将骨髓来源的 MSCs 经尾静脉输入去卵巢（ovariectomy，OVX）大鼠体内，"
     "8 周后股骨骨密度明显升高，骨小梁数量增加，血清骨钙素水平上升。", "静脉"),
    ("另一项研究采用脂肪来源干细胞治疗老龄小鼠，发现骨形成率提高而破骨细胞数量减少[7]。", "静脉"),
    ("2.2 局部注射", None),
    ("赵蕾等[8]在股骨髓腔内直接注射干细胞，发现局部骨量增加，但全身骨密度变化不明显；"
     "作者认为细胞在注射部位存留时间较短是主要原因[9]。", "局部"),
    ("表 1 干细胞治疗骨质疏松的可能机制", None),
    ("机制\t说明", None),
    ("促进骨形成\t移植细胞分化为成骨细胞并分泌成骨因子，碱性磷酸酶活性和骨钙素表达随之升高，"
     "新生骨小梁增多，骨形成标志物在治疗后持续上升[10]", None),
    ("抑制骨吸收\t干细胞分泌骨保护素，阻断破骨细胞前体的分化与活化，血清骨吸收标志物下降，"
     "骨吸收陷窝数量减少[11]", None),
    ("调节免疫\t干细胞下调炎症因子的表达，改善骨髓微环境，间接减轻炎症相关的骨丢失[12]", None),
    ("3 结论", None),
    ("干细胞治疗骨质疏松的动物实验结果令人鼓舞，但细胞来源、剂量和给药途径尚无统一标准[13]。"
     "今后需要设计严谨的临床试验，观察长期疗效和安全性，并比较不同给药途径的效果[14]。", "结论"),
]
JOURNAL_FRONT = [
    "干细胞治疗骨质疏松的研究进展",
    "李晓明1 王芳2",
    "1. 示例大学医学院，示例 100000；2. 示例医院骨科，示例 100001",
    "摘要：本文综述干细胞治疗骨质疏松的动物实验与临床研究，讨论输注途径、作用机制和存在的问题。",
    "关键词：干细胞；骨质疏松；骨密度",
    "Research progress of stem cell therapy for osteoporosis",
    "Abstract: This review summarises animal and clinical studies of stem cell therapy for osteoporosis.",
    "Key words: stem cells; osteoporosis; bone mineral density",
]
JOURNAL_REFERENCES = [f"[{n}] 示例作者{n}, 作者乙. 干细胞与骨代谢研究之{n}[J]. 示例医学杂志, 2020, {n}(2): 1-5."
                      for n in range(1, 15)]
# fmt: on


def _render_module():
    import importlib.util

    import sys

    if "render_journal_pdf" not in sys.modules:
        spec = importlib.util.spec_from_file_location("render_journal_pdf", ROOT / "scripts" / "render_journal_pdf.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["render_journal_pdf"] = module  # its dataclass looks itself up there
        spec.loader.exec_module(module)
    return sys.modules["render_journal_pdf"]


def _journal_paper(tmp_path: Path, repeat: int) -> Path:
    """The invented paper as text, its body paragraphs repeated (with new numbers) to fill pages."""
    lines = list(JOURNAL_FRONT)
    for r in range(repeat):
        for text, _ in JOURNAL_BODY:
            if r and (text.startswith("表") or "\t" in text):
                continue  # one table (two with rows on the same baselines would read as one wide table)
            if r and re.match(r"\d", text):  # headings of a later round: numbered on from the first
                text = re.sub(r"^(\d+)", lambda m: str(int(m.group(1)) + 3 * r), text)
            elif r:
                text += f"第{r + 1}轮实验得到相似的结果。"  # every paragraph distinct, for the order check
            lines.append(text)
    lines += ["参考文献", *JOURNAL_REFERENCES]
    path = tmp_path / "journal_paper.txt"
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def journal_pdfs(tmp_path_factory):
    render = _render_module()
    tmp = tmp_path_factory.mktemp("journal")
    src = _journal_paper(tmp, repeat=3)
    out = {}
    for bare in (False, True):
        pdf = render.render(src, tmp / f"journal_{'bare' if bare else 'brackets'}.pdf", bare=bare)
        out[bare] = (src, read(pdf, Config()))
    return render, out


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("bare", [False, True], ids=["brackets", "bare"])
def test_ingest_journal_pdf_body_in_reading_order_with_citations(journal_pdfs, bare):
    _, docs = journal_pdfs
    src, doc = docs[bare]
    assert len(doc.pages) >= 2
    text = _squash(doc.text)
    body = [p for p in src.read_text(encoding="utf-8").split("\n\n")
            if len(p) > 40 and "\t" not in p and not p.startswith(("[", "摘要", "Abstract"))]
    positions = []
    for paragraph in body:
        # every paragraph comes back whole (markers as [n], [2-3], [4,5]) ...
        pos = text.find(_squash(paragraph))
        assert pos >= 0, paragraph[:30]
        positions.append(pos)
    # ... and in the order it was written, across both columns and pages
    assert positions == sorted(positions)
    assert len(re.findall(r"\[\d+(?:[,-]\d+)*\]", doc.text)) >= 14 * 3


@pytest.mark.parametrize("bare", [False, True], ids=["brackets", "bare"])
def test_ingest_journal_pdf_drops_headers_and_keeps_footnotes_apart(journal_pdfs, bare):
    render, docs = journal_pdfs
    _, doc = docs[bare]
    for piece in (render.JOURNAL_ZH, render.JOURNAL_EN, render.DOI, render.WEBSITE, "示例作者，等"):
        assert piece not in doc.text, piece
    assert not re.search(r"^·\s*\d+\s*·$", doc.text, re.MULTILINE)  # page numbers
    lines = doc.text.split("\n")
    for label in ("收稿日期", "基金项目", "作者简介", "通信作者"):
        # the first-page footnotes are lines of their own, never inside a body paragraph
        hits = [line for line in lines if label in line]
        assert hits and all(line.startswith(label) for line in hits), label


def test_ingest_journal_pdf_wrapped_cell_table_rows(journal_pdfs):
    _, docs = journal_pdfs
    src, doc = docs[False]
    rows = [line for line in src.read_text(encoding="utf-8").split("\n\n") if "\t" in line]
    got = [line for line in doc.text.split("\n") if "\t" in line]
    for row in rows:
        assert row in got, row[:20]


def test_ingest_journal_pdf_headings_stay_lines(journal_pdfs):
    _, docs = journal_pdfs
    src, doc = docs[False]
    headings = [t for t, _ in JOURNAL_BODY if re.match(r"\d+(?:\.\d+)? ", t)]
    lines = set(doc.text.split("\n"))
    for heading in headings:
        assert heading in lines, heading


# A seed paper typeset as a journal PDF scores within this much of the same paper as
# text (tuples F1, rules only); measured 0.868 against 0.884 (benchmarks/bench_pdf_layout.py).
PDF_SEED_F1_MARGIN = 0.05


@pytest.mark.slow
def test_ingest_journal_pdf_seeds_score_like_their_text(shared_dir, tmp_path):
    import pipeline
    from pipeline import evaluate

    render = _render_module()
    seeds = sorted((shared_dir / "seeds").glob("*.txt"))
    pdf_dir = tmp_path / "pdf"
    for src in seeds:
        render.render(src, pdf_dir / f"{src.stem}.pdf", bare=True)
    config = Config(use_ner=False, paper_timeout=0)
    scores = {}
    for name, inputs in (("txt", shared_dir / "seeds"), ("pdf", pdf_dir)):
        out = tmp_path / f"run_{name}"
        pipeline.run_batch(pipeline.build(config, lazy=True), [inputs], out)
        scores[name] = evaluate.evaluate_run(out, [shared_dir / "gold"])["micro"]
    for task in ("abbreviations", "concept_groups", "tuples"):
        assert scores["pdf"][task]["f1"] >= scores["txt"][task]["f1"] - PDF_SEED_F1_MARGIN, (task, scores)
