"""The leaflet as HTML and as PDF, legible in Polish, Russian, Chinese and English.

The PDF embeds (subset) two fonts, so it renders the same on any reader, with or without Asian
fonts installed: Noto Sans for Latin and Cyrillic (SIL Open Font License, from the
`fontpkg-noto-sans` wheel) and WenQuanYi Micro Hei for Chinese (Apache 2.0, embedding allowed,
from the `paperang-p2-fonts-cjk` wheel). Both carry a Unicode map, so the text can be extracted
again (a test does, in each language).
"""

from __future__ import annotations

import functools
import html
import io
import re
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

from domain.procedures.leaflet import Leaflet

LATIN_FONT = "NotoSans"
CJK_FONT = "WenQuanYiMicroHei"
CJK_FILE = Path(paperang_p2_fonts_cjk.__file__).with_name("fonts") / "wqy-microhei.ttc"
# CJK ideographs, their punctuation and full-width forms: set in the CJK font.
CJK_RUN = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")


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


def render_pdf(leaflet: Leaflet) -> bytes:
    _fonts()
    wrap = "CJK" if leaflet.language == "zh" else None
    body = ParagraphStyle("body", fontName=LATIN_FONT, fontSize=11, leading=16, wordWrap=wrap)
    heading = ParagraphStyle("h2", parent=body, fontSize=13, leading=19, spaceBefore=8)
    title = ParagraphStyle("h1", parent=body, fontSize=18, leading=24, spaceAfter=4)
    story = [Paragraph(_markup(leaflet.title), title)]
    story.append(Paragraph(_markup(leaflet.procedure_name), heading))
    if leaflet.treated_on:
        story.append(Paragraph(_markup(leaflet.treated_on), body))
    for name, text in leaflet.sections:
        story += [Spacer(1, 2 * mm), Paragraph(_markup(name), heading)]
        story.append(Paragraph(_markup(text), body))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=leaflet.title,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    document.build(story)
    return buffer.getvalue()


def render_html(leaflet: Leaflet) -> str:
    """A printable page; the font stack names faces that cover all four languages."""
    e = html.escape
    sections = "\n".join(f"<h2>{e(name)}</h2>\n<p>{e(text)}</p>" for name, text in leaflet.sections)
    treated = f"<p>{e(leaflet.treated_on)}</p>\n" if leaflet.treated_on else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{e(leaflet.language)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(leaflet.title)}</title>\n<style>\n"
        "body{font-family:'Noto Sans','WenQuanYi Micro Hei','Noto Sans SC','Noto Sans CJK SC',"
        "'PingFang SC','Microsoft YaHei','DejaVu Sans',sans-serif;max-width:40em;margin:2em auto;"
        "line-height:1.5}\n@media print{body{margin:0}}\n</style>\n</head>\n<body>\n"
        f"<h1>{e(leaflet.title)}</h1>\n<p><strong>{e(leaflet.procedure_name)}</strong></p>\n"
        f"{treated}{sections}\n</body>\n</html>\n"
    )
