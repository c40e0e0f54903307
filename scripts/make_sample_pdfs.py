"""Sample PDFs: typeset the synthetic papers in ``data/raw/*.txt`` as journal-like PDFs.

Each ``.txt`` paper becomes a ``.pdf`` beside it, laid out the way the ingest stage
must cope with: a full-width title block (title, authors, abstract, key words) above
two justified columns, a running header and page numbers on every page, citation
markers set as superscripts, a small table inside a column and a numbered reference
list. Chinese papers use reportlab's built-in CID font ``STSong-Light`` (no font file
is embedded or downloaded); English papers use Times with ``STSong-Light`` for the few
characters Times lacks (Greek letters). The ``.txt`` is the ground truth the tests
compare ``pipeline.ingest.read(pdf)`` against.

Text format read here (one paragraph per line): title, authors and affiliation lines,
the abstract block up to the ``Key words``/``Keywords`` line, then body paragraphs;
numbered headings (``1``, ``1.1``, ``2.1.``, ``一、``), a table (a ``表1``/``Table 1``
caption line followed by tab-separated rows) and a ``参考文献``/``References`` list.

Example:
    python scripts/make_sample_pdfs.py            # every data/raw/*.txt
    python scripts/make_sample_pdfs.py data/raw/sample_en_bmsc_ovx_rats.txt
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
CJK_FONT = "STSong-Light"
MARGIN = 54.0
GUTTER = 16.0
HEADER_Y = A4[1] - 34.0
FOOTER_Y = 28.0
# Body text size; headings and the title block are set larger, tables smaller.
BODY_SIZE = 9.0
TABLE_SIZE = 6.5
HEADING_RE = re.compile(r"^(?:\d+(?:\.\d+)*\.?\s+\S|[一二三四五六七八九十]+、)")
CAPTION_RE = re.compile(r"^(?:表\s*\d+|Table\s+\d+)")
REFERENCES_RE = re.compile(r"^(?:参考文献|References)$")
KEYWORDS_RE = re.compile(r"^(?:Key\s*words|Keywords)\s*[:：]", re.IGNORECASE)
# Citation markers in the source text: [3], [7,8], [10-12].
MARKER_RE = re.compile(r"\s?\[(\d{1,3}(?:[,-]\d{1,3})*)\]")
EXPONENT_RE = re.compile(r"(10)\^(-?\d+)")
CJK_RE = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
# The three-line table (三线表) of Chinese and most biomedical journals, with tight cells.
THREE_LINE_TABLE = [
    ("LINEABOVE", (0, 0), (-1, 0), 0.8, "black"),
    ("LINEBELOW", (0, 0), (-1, 0), 0.4, "black"),
    ("LINEBELOW", (0, -1), (-1, -1), 0.8, "black"),
    ("LEFTPADDING", (0, 0), (-1, -1), 1.5),
    ("RIGHTPADDING", (0, 0), (-1, -1), 1.5),
    ("TOPPADDING", (0, 0), (-1, -1), 1),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
]


def _is_cp1252(ch: str) -> bool:
    try:
        ch.encode("cp1252")
        return True
    except UnicodeEncodeError:
        return False


def markup(text: str, zh: bool, body: bool = True) -> str:
    """Source line -> reportlab paragraph markup (escaped; superscript markers and exponents).

    Args:
        text: one line of the source paper.
        zh: a Chinese paper (markers keep their brackets, as Chinese journals print them).
        body: convert citation markers (not in references or tables).

    Returns:
        Paragraph markup.
    """
    out = escape(text)
    out = EXPONENT_RE.sub(r"\1<super>\2</super>", out)
    if body:
        if zh:
            out = MARKER_RE.sub(lambda m: f"<super>[{m.group(1)}]</super>", out)
        else:
            out = MARKER_RE.sub(lambda m: f"<super>{m.group(1)}</super>", out)
    if not zh:
        # Times has no Greek: those characters are set in the CID font.
        out = "".join(ch if _is_cp1252(ch) or ch in "<>/&;" else f'<font name="{CJK_FONT}">{ch}</font>'
                      for ch in out)
    return out


def _styles(zh: bool) -> dict[str, ParagraphStyle]:
    base = CJK_FONT if zh else "Times-Roman"
    bold = CJK_FONT if zh else "Times-Bold"
    wrap = "CJK" if zh else None
    common = {"fontName": base, "wordWrap": wrap}
    return {
        "title": ParagraphStyle("title", fontSize=16, leading=21, alignment=TA_CENTER, spaceAfter=8,
                                **{**common, "fontName": bold}),
        "meta": ParagraphStyle("meta", fontSize=9, leading=12, alignment=TA_CENTER, spaceAfter=3, **common),
        "abstract": ParagraphStyle("abstract", fontSize=8.5, leading=12, alignment=TA_JUSTIFY, spaceAfter=3,
                                   **common),
        "heading": ParagraphStyle("heading", fontSize=10.5, leading=14, spaceBefore=6, spaceAfter=3,
                                  alignment=TA_LEFT, **{**common, "fontName": bold}),
        "body": ParagraphStyle("body", fontSize=BODY_SIZE, leading=13, alignment=TA_JUSTIFY,
                               firstLineIndent=18 if zh else 12, **common),
        "caption": ParagraphStyle("caption", fontSize=8, leading=11, alignment=TA_CENTER, spaceBefore=6,
                                  spaceAfter=3, **common),
        "cell": ParagraphStyle("cell", fontSize=TABLE_SIZE, leading=8.5, alignment=TA_LEFT, **common),
        "ref": ParagraphStyle("ref", fontSize=7.5, leading=10, alignment=TA_LEFT, leftIndent=12,
                              firstLineIndent=-12, **common),
    }


def _split_front(lines: list[str]) -> tuple[list[str], list[str]]:
    for i, line in enumerate(lines):
        if KEYWORDS_RE.match(line):
            return lines[: i + 1], lines[i + 1:]
    return lines[:3], lines[3:]


def build_flowables(lines: list[str], zh: bool, width: float) -> tuple[list, list]:
    """Front-matter and body flowables for one paper."""
    st = _styles(zh)
    front_lines, body_lines = _split_front(lines)
    front = []
    abstract_started = False
    for i, line in enumerate(front_lines):
        # The first line, and in a Chinese paper the English title after the Chinese key words.
        is_title = i == 0 or front_lines[i - 1].startswith(("【关键词】", "关键词"))
        if is_title:
            front.append(Paragraph(markup(line, zh, body=False), st["title"]))
        elif line.startswith(("【摘要】", "Abstract", "Background", "Methods", "Results", "Conclusion", "【关键词】")) \
                or KEYWORDS_RE.match(line):
            abstract_started = True
            front.append(Paragraph(markup(line, zh, body=False), st["abstract"]))
        elif abstract_started and len(line) > 80:
            front.append(Paragraph(markup(line, zh, body=False), st["abstract"]))
        else:
            front.append(Paragraph(markup(line, zh, body=False), st["meta"]))
    body: list = []
    in_refs = False
    k = 0
    while k < len(body_lines):
        line = body_lines[k]
        if REFERENCES_RE.match(line):
            in_refs = True
            body.append(Paragraph(escape(line), st["heading"]))
        elif in_refs:
            body.append(Paragraph(markup(line, zh, body=False), st["ref"]))
        elif CAPTION_RE.match(line) and k + 1 < len(body_lines) and "\t" in body_lines[k + 1]:
            body.append(Paragraph(markup(line, zh, body=False), st["caption"]))
            rows = []
            while k + 1 < len(body_lines) and "\t" in body_lines[k + 1]:
                k += 1
                rows.append([Paragraph(markup(cell, zh, body=False), st["cell"])
                             for cell in body_lines[k].split("\t")])
            n_cols = len(rows[0])
            first_w = width * (0.22 if zh else 0.27)
            widths = [first_w] + [(width - first_w) / (n_cols - 1)] * (n_cols - 1)
            table = Table(rows, colWidths=widths, hAlign="CENTER")
            table.setStyle(TableStyle(THREE_LINE_TABLE))
            body.append(table)
            body.append(Spacer(1, 6))
        elif HEADING_RE.match(line) and len(line) < 60 and not line.endswith(("。", ".")):
            body.append(Paragraph(markup(line, zh, body=False), st["heading"]))
        else:
            body.append(Paragraph(markup(line, zh), st["body"]))
        k += 1
    return front, body


def make_pdf(src: Path, out: Path | None = None) -> Path:
    """Typeset one source paper.

    Args:
        src: the ``.txt`` paper.
        out: the PDF to write (``src`` with ``.pdf`` when None).

    Returns:
        The path written.
    """
    pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    out = out or src.with_suffix(".pdf")
    lines = [line.strip() for line in src.read_text(encoding="utf-8").splitlines() if line.strip()]
    zh = bool(CJK_RE.search(lines[0]))
    page_w, page_h = A4
    full_w = page_w - 2 * MARGIN
    col_w = (full_w - GUTTER) / 2
    front, body = build_flowables(lines, zh, col_w)
    front_h = sum(f.wrap(full_w, page_h)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in front) + 16
    top = page_h - MARGIN - 8
    bottom = MARGIN
    if zh:
        header_left, header_right = "骨科再生医学进展（示例期刊） 2025年 第3卷 第2期", "林晓东，等. 间充质干细胞与骨再生"
    else:
        header_left = "Example Journal of Bone Research 2025; 7(2)"
        header_right = "Carter et al. BMSC delivery in OVX rats"

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        font = CJK_FONT if zh else "Times-Italic"
        canvas.setFont(font, 8)
        canvas.drawString(MARGIN, HEADER_Y, header_left)
        canvas.drawRightString(page_w - MARGIN, HEADER_Y, header_right)
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN, HEADER_Y - 4, page_w - MARGIN, HEADER_Y - 4)
        canvas.setFont("Times-Roman", 8)
        canvas.drawCentredString(page_w / 2, FOOTER_Y, f"· {doc.page} ·" if zh else str(doc.page))
        canvas.restoreState()

    first_cols = top - front_h - bottom
    frames_first = [
        Frame(MARGIN, top - front_h, full_w, front_h, id="front", leftPadding=0, rightPadding=0),
        Frame(MARGIN, bottom, col_w, first_cols, id="c1a", leftPadding=0, rightPadding=0),
        Frame(MARGIN + col_w + GUTTER, bottom, col_w, first_cols, id="c1b", leftPadding=0, rightPadding=0),
    ]
    frames_rest = [
        Frame(MARGIN, bottom, col_w, top - bottom, id="c2a", leftPadding=0, rightPadding=0),
        Frame(MARGIN + col_w + GUTTER, bottom, col_w, top - bottom, id="c2b", leftPadding=0, rightPadding=0),
    ]
    doc = BaseDocTemplate(str(out), pagesize=A4, title=lines[0], author="synthetic sample",
                          creator="scripts/make_sample_pdfs.py", invariant=1)
    doc.addPageTemplates([PageTemplate("first", frames_first, onPage=decorate, autoNextPageTemplate="rest"),
                          PageTemplate("rest", frames_rest, onPage=decorate)])
    doc.build(front + body)
    return out


def main(argv: list[str]) -> int:
    sources = [Path(a) for a in argv] or sorted(RAW.glob("sample_*.txt"))
    for src in sources:
        out = make_pdf(src)
        print(f"{src} -> {out} ({out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
