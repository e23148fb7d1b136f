"""A printed page (the aftercare leaflet, the written consultation record) as HTML and as PDF,
legible in Polish, Russian, Chinese and English.

The PDF embeds (subset) two fonts, so it renders the same on any reader, with or without Asian
fonts installed: Noto Sans for Latin and Cyrillic (SIL Open Font License, from the
`fontpkg-noto-sans` wheel) and WenQuanYi Micro Hei for Chinese (Apache 2.0, embedding allowed,
from the `paperang-p2-fonts-cjk` wheel). Both carry a Unicode map, so the text can be extracted
again (a test does, in each language).
"""

from __future__ import annotations

import asyncio
import base64
import functools
import html
import io
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from xml.sax.saxutils import escape

import fontpkg
import paperang_p2_fonts_cjk
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from domain.printed import PrintedPage

LATIN_FONT = "NotoSans"
CJK_FONT = "WenQuanYiMicroHei"
CJK_FILE = Path(paperang_p2_fonts_cjk.__file__).with_name("fonts") / "wqy-microhei.ttc"
# CJK ideographs, their punctuation and full-width forms: set in the CJK font.
CJK_RUN = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")

# Setting a page as PDF is pure Python (reportlab): up to about a second for the longest notes
# a procedure type takes. It runs on a thread of its own, one at a time in a process, so the
# event loop keeps serving; the answer-size estimate counts each PDF asked as `PDF_WEIGHT`
# items. A request stopped meanwhile leaves its render to finish, still one at a time (a
# semaphore would let the next start beside it), and drops any not begun.
_PDF_MAKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="printed-pdf")


@functools.cache
def _fonts() -> None:
    pdfmetrics.registerFont(TTFont(LATIN_FONT, str(fontpkg.path("Noto Sans"))))
    pdfmetrics.registerFont(TTFont(CJK_FONT, str(CJK_FILE), subfontIndex=0))


def _markup(text: str) -> str:
    """Paragraph markup: escaped text with each CJK run in the CJK font."""
    parts, last = [], 0
    for run in CJK_RUN.finditer(text):
        parts.append(escape(text[last : run.start()]))
        parts.append(f'<font face="{CJK_FONT}">{escape(run.group())}</font>')
        last = run.end()
    parts.append(escape(text[last:]))
    return "".join(parts).replace("\n", "<br/>")


async def pdf_base64(page: PrintedPage) -> str:
    """The page as a PDF, base64, set on the process's one PDF thread."""
    pdf = await asyncio.get_running_loop().run_in_executor(_PDF_MAKER, render_pdf, page)
    return base64.b64encode(pdf).decode("ascii")


def render_pdf(page: PrintedPage) -> bytes:
    _fonts()
    wrap = "CJK" if page.language == "zh" else None
    body = ParagraphStyle("body", fontName=LATIN_FONT, fontSize=11, leading=16, wordWrap=wrap)
    heading = ParagraphStyle("h2", parent=body, fontSize=13, leading=19, spaceBefore=8)
    title = ParagraphStyle("h1", parent=body, fontSize=18, leading=24, spaceAfter=4)
    story = [Paragraph(_markup(page.title), title)]
    story.append(Paragraph(_markup(page.subtitle), heading))
    if page.dated:
        story.append(Paragraph(_markup(page.dated), body))
    for name, text in page.sections:
        story += [Spacer(1, 2 * mm), Paragraph(_markup(name), heading)]
        story.append(Paragraph(_markup(text), body))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=page.title,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    document.build(story)
    return buffer.getvalue()


def _paragraph(text: str) -> str:
    return "<br>\n".join(html.escape(line) for line in text.split("\n"))


def render_html(page: PrintedPage) -> str:
    """A printable page; the font stack names faces that cover all four languages."""
    e = html.escape
    sections = "\n".join(
        f"<h2>{e(name)}</h2>\n<p>{_paragraph(text)}</p>" for name, text in page.sections
    )
    dated = f"<p>{e(page.dated)}</p>\n" if page.dated else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{e(page.language)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(page.title)}</title>\n<style>\n"
        "body{font-family:'Noto Sans','WenQuanYi Micro Hei','Noto Sans SC','Noto Sans CJK SC',"
        "'PingFang SC','Microsoft YaHei','DejaVu Sans',sans-serif;max-width:40em;margin:2em auto;"
        "line-height:1.5}\n@media print{body{margin:0}}\n</style>\n</head>\n<body>\n"
        f"<h1>{e(page.title)}</h1>\n<p><strong>{e(page.subtitle)}</strong></p>\n"
        f"{dated}{sections}\n</body>\n</html>\n"
    )
