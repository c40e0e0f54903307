"""Journal PDF renderer: typeset a text paper the way a Chinese biomedical journal prints it.

Measures what the PDF path loses: the same paper is run through ``cli.py run`` once as
text and once as a journal-style PDF made here, and the two scores are compared
(``benchmarks/bench_pdf_layout.py``). The layout copies what Chinese journals do and
what our ingest stage must undo:

- page 1: a running header (invented journal name, year, volume, issue, page range) and a
  DOI line, then a one-column block with the Chinese title, authors, affiliation, 摘要,
  关键词, 中图分类号, the English title, authors, Abstract and Key words;
- the body in two justified columns at 9 pt, headings set larger, citation markers
  raised (``<super>[12]</super>``, or bare ``¹²`` with ``--bare-superscripts``);
- a first-page footnote block (收稿日期, 基金项目, 作者简介, 通信作者) at the foot of the
  *left* column under a short rule, so the body paragraph it cuts goes on in the right
  column;
- alternating running headers on later pages (page number outside, journal name and
  volume on even pages, the short title on odd pages) and a footer with the journal's
  web address;
- tables in a column with three rules, an invented figure (bars with axis labels and a
  ``图 1`` caption), and the reference list at 7 pt, GB/T 7714 style, in the columns.

The input is read by ``pipeline.ingest`` and ``pipeline.sections`` (so the renderer sees
paragraphs, headings, tables and references the way the pipeline does); no text is
invented except the journal furniture (header, footer, footnotes, figure), which is
exactly what the pipeline must drop or keep apart. Output goes where ``--out`` says
(keep PDFs of shared texts out of the repository: write them to /tmp).

Example:
    python scripts/render_journal_pdf.py ../shared/seeds/*.txt --out /tmp/journal_pdfs
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (BaseDocTemplate, Frame, KeepTogether, NextPageTemplate, PageBreak, PageTemplate, Paragraph,
                                Spacer, Table, TableStyle)

ROOT = Path(__file__).resolve().parent.parent
for _path in (ROOT, ROOT / "scripts"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from make_sample_pdfs import THREE_LINE_TABLE  # noqa: E402
from pipeline import ingest, sections  # noqa: E402
from pipeline.config import Config  # noqa: E402

CJK_FONT = "STSong-Light"  # reportlab's built-in Adobe CID font: no font file is embedded or fetched
PAGE_W, PAGE_H = A4
MARGIN_X = 50.0
MARGIN_TOP = 62.0
MARGIN_BOTTOM = 52.0
GUTTER = 14.0
HEADER_Y = PAGE_H - 38.0
FOOTER_Y = 30.0
BODY_SIZE = 9.0  # Chinese journals set body text in 五号/小五 (10.5/9 pt)
REF_SIZE = 7.0  # reference lists are one or two sizes smaller (六号)
FOOTNOTE_SIZE = 7.0
FIRST_PAGE_NUMBER = 213  # journals number pages through the volume: papers rarely start at 1
# Invented furniture; none of it is a real journal.
JOURNAL_ZH = "中国骨与再生医学示例杂志"
JOURNAL_EN = "Chinese Journal of Example Bone and Regenerative Medicine"
ISSUE_ZH = "2025年3月 第12卷 第3期"
ISSUE_EN = "Mar. 2025, Vol.12, No.3"
DOI = "10.99999/j.issn.1000-0000.2025.03.007"
WEBSITE = "http://www.example-bone-journal.cn"
FOOTNOTES = (
    "收稿日期：2024-11-05；修回日期：2025-01-12",
    "基金项目：示例省自然科学基金资助项目（2024JJ0000）",
    "作者简介：示例作者（1980—），男，副主任医师，研究方向：骨代谢。",
    "通信作者：示例通信作者，E-mail：author@example.cn",
)
CLC_LINE = "中图分类号：R318    文献标志码：A    文章编号：1000-0000（2025）03-0213-08"

# Citation markers in the input text: [3], [7,8], [10-12], [1, 2], [3–5].
MARKER_RE = re.compile(r"\s?\[(\d{1,3}(?:\s*[,，\-–~～]\s*\d{1,3})*)\]")
EXPONENT_RE = re.compile(r"(10)\^(-?\d+)")
CJK_RE = re.compile(r"[\u3400-\u9fff]")
# One-column front-matter categories, in the order a Chinese journal prints them.
FRONT_CATEGORIES = ("title", "authors", "abstract_zh", "keywords_zh", "abstract_en", "keywords_en", "other")
FOOTNOTE_RE = re.compile(r"^[*＊]?\s*(?:收稿日期|修回日期|基金项目|作者简介|通[信讯]作者|Corresponding author)", re.I)


@dataclass(frozen=True)
class Block:
    """One line of the input paper with the category the sections stage gave it."""

    kind: str
    text: str


def paper_blocks(src: Path, config: Config | None = None) -> list[Block]:
    """Read a text paper into blocks (one per line of the clean text).

    Args:
        src: a ``.txt``/``.md`` paper.
        config: pipeline settings (defaults when None).

    Returns:
        Blocks whose ``kind`` is a section category (title, authors, abstract_zh,
        keywords_zh, abstract_en, keywords_en, other, heading, body, table, references).
    """
    config = config or Config()
    doc = sections.build(config)(ingest.read(src, config))
    spans = sorted(doc.sections, key=lambda s: (s.start, -(s.end - s.start)))
    out: list[Block] = []
    pos = 0
    for line in doc.text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if not line.strip():
            continue
        end = start + len(line)
        # the shortest section overlapping the line names it (a section's span may begin
        # after its label: "摘要：" is outside the abstract_zh span)
        hits = [s for s in spans if s.start < end and s.end > start]
        kind = min(hits, key=lambda s: s.end - s.start).category if hits else "body"
        out.append(Block(kind, line.strip()))
    return out


def markup(text: str, body: bool, bare: bool = False) -> str:
    """One input line -> reportlab paragraph markup.

    Args:
        text: the line.
        body: raise citation markers (body text, not references or front matter).
        bare: print raised markers without brackets (``¹²`` instead of ``^[12]``).

    Returns:
        Escaped markup with ``<super>`` markers and exponents.
    """
    out = escape(text)
    out = EXPONENT_RE.sub(r"\1<super>\2</super>", out)
    if body:
        if bare:  # "[4][5][6]" printed bare must not read "456"
            out = re.sub(r"\]\s*\[(?=\d)", ",", out)
        out = MARKER_RE.sub(lambda m: f"<super>{m.group(1) if bare else '[' + m.group(1) + ']'}</super>", out)
    return out


def _styles() -> dict[str, ParagraphStyle]:
    common = {"fontName": CJK_FONT, "wordWrap": "CJK"}
    return {
        "title": ParagraphStyle("title", fontSize=17, leading=24, alignment=TA_CENTER, spaceAfter=6, **common),
        "title_en": ParagraphStyle("title_en", fontSize=12, leading=16, alignment=TA_CENTER, spaceBefore=6,
                                   spaceAfter=4, **common),
        "meta": ParagraphStyle("meta", fontSize=9, leading=12, alignment=TA_CENTER, spaceAfter=2, **common),
        "abstract": ParagraphStyle("abstract", fontSize=8.5, leading=12, alignment=TA_JUSTIFY, spaceAfter=2,
                                   leftIndent=14, rightIndent=14, **common),
        "heading": ParagraphStyle("heading", fontSize=10.5, leading=15, spaceBefore=5, spaceAfter=2,
                                  alignment=TA_LEFT, **common),
        "body": ParagraphStyle("body", fontSize=BODY_SIZE, leading=13.5, alignment=TA_JUSTIFY,
                               firstLineIndent=2 * BODY_SIZE, **common),
        "caption": ParagraphStyle("caption", fontSize=7.5, leading=10, alignment=TA_CENTER, spaceBefore=4,
                                  spaceAfter=3, **common),
        "cell": ParagraphStyle("cell", fontSize=6.5, leading=8.5, alignment=TA_LEFT, **common),
        "ref": ParagraphStyle("ref", fontSize=REF_SIZE, leading=9.5, alignment=TA_JUSTIFY, leftIndent=14,
                              firstLineIndent=-14, **common),
        "footnote": ParagraphStyle("footnote", fontSize=FOOTNOTE_SIZE, leading=9, alignment=TA_LEFT, **common),
    }


@dataclass
class WideTable:
    """A table that spans both columns: its flowables at page width, and in one column as a fallback."""

    wide: list
    narrow: list


# A wide table taller than this share of the text height stays in its column (split over columns).
MAX_WIDE_TABLE_SHARE = 0.7


def _figure(width: float) -> list:
    """An invented bar chart with axis labels and a caption, as text-bearing vector art."""
    h = 92.0
    d = Drawing(width, h)
    d.add(Line(28, 16, 28, h - 6, strokeWidth=0.6))
    d.add(Line(28, 16, width - 6, 16, strokeWidth=0.6))
    for i, tick in enumerate(("0", "20", "40", "60")):
        y = 16 + i * (h - 26) / 3
        d.add(String(10, y - 2, tick, fontName="Helvetica", fontSize=6))
    for i, (label, value) in enumerate((("A组", 0.35), ("B组", 0.8), ("C组", 0.6))):
        x = 48 + i * (width - 60) / 3
        d.add(Rect(x, 16, 22, value * (h - 26), fillColor=None, strokeWidth=0.6))
        d.add(String(x + 3, 5, label, fontName=CJK_FONT, fontSize=6))
    return [Spacer(1, 4), d, Paragraph("图 1  各组指标比较示意图", _styles()["caption"])]


def _table(rows: list[list[str]], width: float, st: dict) -> Table:
    n = max(len(r) for r in rows)
    rows = [r + [""] * (n - len(r)) for r in rows]
    first = width * 0.3 if n > 2 else width * 0.5
    widths = [first] + [(width - first) / (n - 1)] * (n - 1) if n > 1 else [width]
    table = Table([[Paragraph(markup(c, body=False), st["cell"]) for c in r] for r in rows], colWidths=widths)
    table.setStyle(TableStyle(THREE_LINE_TABLE))
    return table


def flowables(blocks: list[Block], col_w: float, bare: bool = False, figure: bool = True,
              wide_tables: bool = False) -> tuple[list, list, list]:
    """Front block, body flowables and first-page footnotes for one paper.

    Args:
        blocks: the paper as :func:`paper_blocks` returns it.
        col_w: the width of one body column.
        bare: bare superscript markers (no brackets).
        figure: add the invented figure after the second body heading.
        wide_tables: set tables of three or more columns across the page, at the top of
            the next page (else every table stays in its column).

    Returns:
        ``(front, body, footnotes)``: one-column flowables, column flowables and the footnote lines.
    """
    st = _styles()
    front: list = []
    body: list = []
    notes = list(FOOTNOTES)
    seen_body = False
    headings = 0
    k = 0
    while k < len(blocks):
        b = blocks[k]
        k += 1
        if FOOTNOTE_RE.match(b.text) and (b.kind == "other" or not seen_body):
            notes.append(b.text)
            continue
        label = (b.kind == "body" and len(b.text) < 12 and k < len(blocks)
                 and blocks[k].kind.startswith(("abstract", "keywords")))  # "摘  要" alone on its line
        if (b.kind in FRONT_CATEGORIES or label) and not seen_body:
            if b.kind == "title":
                style = st["title"] if CJK_RE.search(b.text) else st["title_en"]
            elif b.kind.startswith(("abstract", "keywords")) or label:
                style = st["abstract"]
            else:
                style = st["meta"]
            front.append(Paragraph(markup(b.text, body=False), style))
            if b.kind == "keywords_zh" or (b.kind == "abstract_zh" and not any(
                    x.kind == "keywords_zh" for x in blocks)):
                front.append(Paragraph(escape(CLC_LINE), st["meta"]))
            continue
        if b.kind == "references":
            body.append(Paragraph(markup(b.text, body=False), st["heading" if len(b.text) < 12 else "ref"]))
            continue
        seen_body = True
        if b.kind == "table" and "\t" in b.text:
            rows = [b.text.split("\t")]
            while k < len(blocks) and blocks[k].kind == "table" and "\t" in blocks[k].text:
                rows.append(blocks[k].text.split("\t"))
                k += 1
            if wide_tables and max(len(r) for r in rows) > 2:
                # a table of three or more columns spans the page (at the top of the next one),
                # its captions with it
                captions = []
                while body and getattr(body[-1], "style", None) is st["caption"]:
                    captions.insert(0, body.pop())
                wide = _table(rows, 2 * col_w + GUTTER, st)
                body.append(WideTable([*captions, wide, Spacer(1, 6)], [*captions, _table(rows, col_w, st)]))
            else:
                body += [_table(rows, col_w, st), Spacer(1, 5)]
        elif b.kind == "table":
            body.append(Paragraph(markup(b.text, body=False), st["caption"]))
        elif b.kind == "heading":
            headings += 1
            if figure and headings == 3:
                body += _figure(col_w)
            body.append(Paragraph(markup(b.text, body=False), st["heading"]))
        else:
            body.append(Paragraph(markup(b.text, body=True, bare=bare), st["body"]))
    if not front:  # a paper without a detected front block: its first line is the title
        front, body = [Paragraph(escape(blocks[0].text), st["title"])], body[1:]
    return front, body, notes


def render(src: Path, out: Path, bare: bool = False, figure: bool = True, wide_tables: bool = False) -> Path:
    """Typeset one text paper as a two-column Chinese journal PDF.

    Args:
        src: the ``.txt``/``.md`` paper.
        out: the PDF to write.
        bare: bare superscript citation numbers (``¹²``) instead of ``[12]``.
        figure: add the invented figure.
        wide_tables: tables of three or more columns across the page (see :func:`flowables`).

    Returns:
        ``out``.
    """
    pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    full_w = PAGE_W - 2 * MARGIN_X
    col_w = (full_w - GUTTER) / 2
    front, body, notes = flowables(paper_blocks(src), col_w, bare=bare, figure=figure, wide_tables=wide_tables)
    st = _styles()
    top = PAGE_H - MARGIN_TOP
    front_h = sum(f.wrap(full_w, PAGE_H)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in front) + 10
    # A front block longer than most of a page continues in the columns (rare: very long abstracts).
    front_h = min(front_h, (top - MARGIN_BOTTOM) * 0.75)
    note_paras = [Paragraph(escape(n), st["footnote"]) for n in notes]
    notes_h = sum(p.wrap(col_w, PAGE_H)[1] for p in note_paras) + 8
    short_title = re.sub(r"\s+", "", front[0].text if hasattr(front[0], "text") else "")[:24]

    def first_page(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(CJK_FONT, 8)
        canvas.drawString(MARGIN_X, HEADER_Y, f"第12卷 第3期  {JOURNAL_ZH}  {ISSUE_ZH}")
        canvas.drawRightString(PAGE_W - MARGIN_X, HEADER_Y, f"· {FIRST_PAGE_NUMBER} ·")
        canvas.setFont("Times-Roman", 7.5)
        canvas.drawString(MARGIN_X, HEADER_Y - 11, f"{JOURNAL_EN}, {ISSUE_EN}")
        canvas.drawRightString(PAGE_W - MARGIN_X, HEADER_Y - 11, f"DOI: {DOI}")
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, HEADER_Y - 15, PAGE_W - MARGIN_X, HEADER_Y - 15)
        # footnote rule and notes at the foot of the left column
        y = MARGIN_BOTTOM + notes_h - 4
        canvas.line(MARGIN_X, y, MARGIN_X + col_w * 0.4, y)
        y -= 2
        for p in note_paras:
            _, h = p.wrap(col_w, PAGE_H)
            p.drawOn(canvas, MARGIN_X, y - h)
            y -= h
        canvas.setFont("Times-Roman", 7)
        canvas.drawCentredString(PAGE_W / 2, FOOTER_Y, WEBSITE)
        canvas.restoreState()

    def later_page(canvas, doc) -> None:
        canvas.saveState()
        number = FIRST_PAGE_NUMBER + doc.page - 1
        canvas.setFont(CJK_FONT, 8)
        if number % 2 == 0:
            canvas.drawString(MARGIN_X, HEADER_Y, f"· {number} ·")
            canvas.drawRightString(PAGE_W - MARGIN_X, HEADER_Y, f"{JOURNAL_ZH}  {ISSUE_ZH}")
        else:
            canvas.drawString(MARGIN_X, HEADER_Y, f"示例作者，等：{short_title}")
            canvas.drawRightString(PAGE_W - MARGIN_X, HEADER_Y, f"· {number} ·")
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, HEADER_Y - 4, PAGE_W - MARGIN_X, HEADER_Y - 4)
        canvas.setFont("Times-Roman", 7)
        canvas.drawCentredString(PAGE_W / 2, FOOTER_Y, WEBSITE)
        canvas.restoreState()

    cols_h = top - front_h - MARGIN_BOTTOM
    first = [
        Frame(MARGIN_X, top - front_h, full_w, front_h, id="front", leftPadding=0, rightPadding=0,
              topPadding=0, bottomPadding=0),
        Frame(MARGIN_X, MARGIN_BOTTOM + notes_h, col_w, cols_h - notes_h, id="p1a", leftPadding=0,
              rightPadding=0, topPadding=0, bottomPadding=0),
        Frame(MARGIN_X + col_w + GUTTER, MARGIN_BOTTOM, col_w, cols_h, id="p1b", leftPadding=0,
              rightPadding=0, topPadding=0, bottomPadding=0),
    ]
    rest = [
        Frame(MARGIN_X, MARGIN_BOTTOM, col_w, top - MARGIN_BOTTOM, id="a", leftPadding=0, rightPadding=0,
              topPadding=0, bottomPadding=0),
        Frame(MARGIN_X + col_w + GUTTER, MARGIN_BOTTOM, col_w, top - MARGIN_BOTTOM, id="b", leftPadding=0,
              rightPadding=0, topPadding=0, bottomPadding=0),
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    doc = BaseDocTemplate(str(out), pagesize=A4, title=src.stem, author="render_journal_pdf",
                          creator="scripts/render_journal_pdf.py", invariant=1)
    templates = [PageTemplate("first", first, onPage=first_page, autoNextPageTemplate="rest"),
                 PageTemplate("rest", rest, onPage=later_page)]
    story = [KeepTogether(front)] if front_h < (top - MARGIN_BOTTOM) * 0.75 else list(front)
    for item in body:
        if not isinstance(item, WideTable):
            story.append(item)
            continue
        h = sum(f.wrap(full_w, PAGE_H)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in item.wide) + 4
        if h > MAX_WIDE_TABLE_SHARE * (top - MARGIN_BOTTOM):
            story += item.narrow
            continue
        name = f"wide{len(templates)}"
        frames = [Frame(MARGIN_X, top - h, full_w, h, id=f"{name}top", leftPadding=0, rightPadding=0, topPadding=0,
                        bottomPadding=0)]
        frames += [Frame(f.x1, MARGIN_BOTTOM, col_w, top - h - MARGIN_BOTTOM, id=f"{name}{f.id}", leftPadding=0,
                         rightPadding=0, topPadding=0, bottomPadding=0) for f in rest]
        templates.append(PageTemplate(name, frames, onPage=later_page, autoNextPageTemplate="rest"))
        story += [NextPageTemplate(name), PageBreak(), *item.wide]
    doc.addPageTemplates(templates)
    doc.build(story)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("papers", nargs="+", type=Path, help=".txt/.md papers")
    parser.add_argument("--out", type=Path, required=True, help="folder for the PDFs (use /tmp for shared texts)")
    parser.add_argument("--bare-superscripts", action="store_true", help="print citations as ¹² not [12]")
    parser.add_argument("--no-figure", action="store_true", help="leave out the invented figure")
    parser.add_argument("--wide-tables", action="store_true", help="tables of 3+ columns across the page")
    args = parser.parse_args(argv)
    for src in args.papers:
        pdf = render(src, args.out / f"{src.stem}.pdf", bare=args.bare_superscripts, figure=not args.no_figure,
                     wide_tables=args.wide_tables)
        print(f"{src} -> {pdf} ({pdf.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
