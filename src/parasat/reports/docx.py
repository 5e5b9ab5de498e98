"""The Word round trip through pandoc (pypandoc-binary): a section or the
whole working text exported as DOCX, and an edited DOCX of one section read
back into Markdown, to be compared paragraph by paragraph with the text
before anyone accepts it. Blocks that pandoc only re-spelled (a table's
padding, an escaped bracket) keep the original's spelling, so only real
edits show as changes."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from parasat.reports.markdown import split_blocks
from parasat.reports.models import Report, Section

MAX_DOCX = 20 * 1024 * 1024
READ_FORMAT = "markdown-citations-smart-raw_html-raw_attribute-bracketed_spans-native_spans"
WRITE_FORMAT = "markdown-citations-smart-raw_html"
_XREF = re.compile(r"\\\[@(sec|fig|rec|p|cite):([A-Za-z0-9._\\-]+?)\\\]")
_FIGURE = re.compile(r"\\?\{\\?\{figure:([a-z0-9\\-]+)\\?\}\\?\}")


def _section_markdown(section: Section, *, heading: bool) -> str:
    body = "\n\n".join(p.text.source for p in section.paragraphs.order_by("order"))
    if not heading:
        return body
    return f"# {section.title.source}\n\n{body}"


def export_docx(report: Report, section: Section | None = None) -> bytes:
    """The English working text of ``section`` (or of every section) as DOCX."""
    import pypandoc

    sections = [section] if section is not None else list(report.sections.order_by("order"))
    markdown = "\n\n".join(_section_markdown(s, heading=True) for s in sections)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "report.docx"
        pypandoc.convert_text(
            markdown,
            "docx",
            format=WRITE_FORMAT,
            outputfile=str(out),
            extra_args=[f"--metadata=title:{report.title.source}", "--metadata=lang:en"],
            verify_format=False,  # see _read
        )
        return out.read_bytes()


def _normal(block: str) -> str:
    """A block as pandoc may re-spell it: no runs of spaces or dashes, no escapes."""
    text = re.sub(r"\\([\[\]{}@_*#|-])", r"\1", block)
    text = re.sub(r"-{3,}", "---", text)
    return " ".join(text.split())


def _unescape(markdown: str) -> str:
    markdown = _XREF.sub(lambda m: f"[@{m.group(1)}:{m.group(2).replace(chr(92), '')}]", markdown)
    return _FIGURE.sub(lambda m: "{{figure:" + m.group(1).replace("\\", "") + "}}", markdown)


def _read(upload: UploadedFile) -> str:
    """The Markdown pandoc reads from an uploaded DOCX, its cross references
    and figures unescaped; ValidationError when it is not a Word document."""
    import pypandoc

    if upload.size and upload.size > MAX_DOCX:
        raise ValidationError(_("The file is too large (at most 20 MB)."))
    upload.seek(0)
    data = upload.read()
    if not data.startswith(b"PK\x03\x04") or b"word/" not in data[:65536] and b"word/" not in data:
        raise ValidationError(_("The file is not a Word document (.docx)."))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.docx"
        path.write_bytes(data)
        try:
            # The formats are this module's constants: pypandoc need not run
            # pandoc twice more to list the formats it knows before each
            # conversion (verify_format), three processes where one does.
            markdown = pypandoc.convert_file(
                str(path),
                READ_FORMAT,
                format="docx",
                extra_args=["--wrap=none"],
                verify_format=False,
            )
        except RuntimeError as exc:
            raise ValidationError(_("The Word document could not be read.")) from exc
    return _unescape(markdown)


def _restored(section: Section, blocks: list[str]) -> str:
    """The blocks of ``section`` read back (those pandoc only re-spelled as they were)."""
    originals = {
        _normal(p.text.source): p.text.source for p in section.paragraphs.order_by("order")
    }
    return "\n\n".join(originals.get(_normal(b), b) for b in blocks)


def import_docx(section: Section, upload: UploadedFile) -> str:
    """The Markdown of an edited DOCX of ``section``; ValidationError when the
    file is not a Word document pandoc can read."""
    blocks = split_blocks(_read(upload))
    if blocks and blocks[0].startswith("# ") and blocks[0][2:].strip() == section.title.source:
        blocks = blocks[1:]
    return _restored(section, blocks)


def import_docx_all(report: Report, upload: UploadedFile) -> dict[str, str]:
    """The Markdown of each section of an edited DOCX of the whole report, by
    section key: the document is cut at the sections' titles (the "# " headings
    the export wrote). A section whose title is not in the document is left
    out (nothing of it changes); none found at all is refused."""
    sections = list(report.sections.order_by("order"))
    by_title = {s.title.source.strip(): s for s in sections}
    found: dict[str, tuple[Section, list[str]]] = {}
    current: list[str] | None = None
    for block in split_blocks(_read(upload)):
        title = block[2:].strip() if block.startswith("# ") and "\n" not in block else None
        if title in by_title and by_title[title].key not in found:
            section = by_title[title]
            current = []
            found[section.key] = (section, current)
        elif current is not None:
            current.append(block)
    if not found:
        raise ValidationError(
            _("No section of the report was found in the document: export the whole report again.")
        )
    return {key: _restored(section, blocks) for key, (section, blocks) in found.items()}
