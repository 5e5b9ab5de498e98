"""Translation files: the working text exported for translators' tools as
XLIFF 1.1 (translate-toolkit) or as a spreadsheet, paragraph by paragraph
with their identifiers, and read back into rows for
:func:`parasat.reports.services.translations_import`, which refuses a file
made for another version and names every broken row."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from parasat.core.lib.translated import Status, TranslatedText
from parasat.reports.models import Paragraph, Report
from parasat.reports.services import TranslationRow, version_label

MAX_FILE = 20 * 1024 * 1024


def _paragraphs(report: Report) -> list[Paragraph]:
    return list(
        Paragraph.objects.filter(section__report=report)
        .select_related("section")
        .order_by("section__order", "order")
    )


def xliff_export(report: Report, language: str) -> bytes:
    """XLIFF 1.1: one ``<file>`` named by the version, one unit per paragraph
    (its identifier, the English, the translation so far; a stale one marked
    for review, a missing one untranslated)."""
    from translate.storage.xliff import xlifffile

    store = xlifffile(sourcelanguage="en", targetlanguage=language)
    store.switchfile(version_label(report), createifmissing=True)
    for paragraph in _paragraphs(report):
        text = TranslatedText.from_json(paragraph.text)
        unit = store.UnitClass(text.source)
        unit.setid(paragraph.pid)
        if text.get(language):
            unit.target = text.get(language)
        unit.addnote(paragraph.section.key, origin="developer")
        status = text.status(language)
        if status == Status.STALE:
            unit.markfuzzy(True)
        store.addunit(unit)
    return bytes(store)


def xliff_read(data: bytes) -> tuple[str, str, list[TranslationRow]]:
    """(the version it names, its target language, its rows)."""
    from translate.storage.xliff import xlifffile

    try:
        store = xlifffile.parsestring(data)
    except Exception as exc:  # lxml and translate-toolkit raise many kinds for a bad file
        raise ValidationError(_("The file is not a readable XLIFF file.")) from exc
    names = [n for n in store.getfilenames() if n != "NoName"]
    if len(names) != 1:
        raise ValidationError(_("The XLIFF file must hold the one file exported from Parasat."))
    rows = []
    for n, unit in enumerate(store.units, start=1):
        if unit.isheader():
            continue
        pid = (unit.getid() or "").split("\x04")[-1]
        rows.append(TranslationRow(n, pid, str(unit.source or ""), str(unit.target or "")))
    return names[0], store.gettargetlanguage() or "", rows


def xlsx_export(report: Report, language: str) -> bytes:
    from openpyxl import Workbook

    from parasat.core.lib.spreadsheets import append_row

    book = Workbook()
    sheet = book.active
    sheet.title = language
    append_row(sheet, ["version", version_label(report), language])
    append_row(sheet, ["id", "section", "en", language, "status"])
    for paragraph in _paragraphs(report):
        text = TranslatedText.from_json(paragraph.text)
        append_row(
            sheet,
            [
                paragraph.pid,
                paragraph.section.key,
                text.source,
                text.get(language),
                str(text.status(language)),
            ],
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_read(upload: UploadedFile) -> tuple[str, str, list[TranslationRow]]:
    from parasat.core.lib.spreadsheets import xlsx_rows

    rows = list(xlsx_rows(upload))
    if len(rows) < 2 or str(rows[0][0] or "") != "version" or len(rows[0]) < 3:
        raise ValidationError(_("The spreadsheet is not a translation file exported from Parasat."))
    label, language = str(rows[0][1] or ""), str(rows[0][2] or "")
    found = []
    for n, row in enumerate(rows[2:], start=3):
        cells = [("" if c is None else str(c)) for c in (*row, "", "", "", "")][:4]
        if not any(cells):
            continue
        found.append(TranslationRow(n, cells[0].strip(), cells[2], cells[3]))
    return label, language, found


def read_upload(upload: UploadedFile) -> tuple[str, str, list[TranslationRow]]:
    """A translation file by its content: XLIFF or XLSX, anything else refused."""
    if upload.size and upload.size > MAX_FILE:
        raise ValidationError(_("The file is too large (at most 20 MB)."))
    upload.seek(0)
    head = upload.read(512)
    upload.seek(0)
    if head.startswith(b"PK"):
        return xlsx_read(upload)
    if b"<xliff" in head or head.lstrip().startswith(b"<?xml"):
        return xliff_read(upload.read())
    raise ValidationError(_("Upload the .xlf or .xlsx file exported from this page."))
