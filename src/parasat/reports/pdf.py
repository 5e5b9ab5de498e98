"""The report as a PDF in one language, with WeasyPrint: a cover, the table of
contents with page numbers (``target-counter``), bookmarks from the headings,
running heads with the chapter's title, footnotes at the foot of the page
(``float: footnote``), figures as vectors (inline SVG), DejaVu fonts (they
have every Kazakh letter), tagged for accessibility (PDF/UA-1) with the
document's language set on its root element."""

from __future__ import annotations

from typing import Any

import lxml.html
from django.template.loader import render_to_string
from django.utils import translation

from parasat.core.lib.pdf import offline_fetcher
from parasat.reports import rendering

_FN_REF = "//sup[contains(concat(' ', @class, ' '), ' footnote-ref ')]"


def inline_footnotes(html: str) -> str:
    """Move each footnote's text to where it is called (WeasyPrint then sets
    it at the foot of that page) and drop the list at the end of the section."""
    if "footnote-ref" not in html:
        return html
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    notes = {}
    for item in root.xpath("//li[contains(@class, 'footnote-item')]"):
        for backref in item.xpath(".//a[contains(@class, 'footnote-backref')]"):
            backref.drop_tree()
        notes[item.get("id")] = item
    for sup in root.xpath(_FN_REF):
        link = sup.find("a")
        target = (link.get("href") or "").lstrip("#") if link is not None else ""
        item = notes.get(target)
        if item is None:
            continue
        span = lxml.html.Element("span", {"class": "fn"})
        for n, p in enumerate(item.findall("p") or [item]):
            if n == 0:
                span.text = p.text
            else:
                br = lxml.html.Element("br")
                br.tail = p.text
                span.append(br)
            for child in list(p):
                span.append(child)
        span.tail = sup.tail
        sup.getparent().replace(sup, span)
    for block in root.xpath("//section[contains(@class, 'footnotes')]"):
        block.drop_tree()
    for rule in root.xpath("//hr[contains(@class, 'footnotes-sep')]"):
        rule.drop_tree()
    inner = lxml.html.tostring(root, encoding="unicode")
    return inner[len("<div>") : -len("</div>")]


def report_html(content: dict[str, Any], language: str, *, review_title: str) -> str:
    """The single HTML document the PDF is printed from."""
    with translation.override(language):
        sections = rendering.render_sections(content, language, lambda key: "")
        for view in sections:
            view.html = inline_footnotes(view.html)
        return render_to_string(
            "reports/pdf.html",
            {
                "language": language,
                "title": rendering.text(content["title"], language),
                "review_title": review_title,
                "sections": sections,
            },
        )


def pdf_from_html(html: str) -> bytes:
    """WeasyPrint's PDF of ``html``: tagged (PDF/UA-1), and never fetching
    anything from the network (the figures are inline, the fonts local)."""
    # WeasyPrint takes seconds to import: load it when a PDF is asked for.
    from weasyprint import HTML

    fetcher = offline_fetcher("data")
    return HTML(string=html, url_fetcher=fetcher).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
