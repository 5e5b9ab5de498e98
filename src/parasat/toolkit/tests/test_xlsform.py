"""Import and export details: language columns, Parasat's own columns, provisions."""

import csv
import datetime
import re
import zipfile
from io import BytesIO, StringIO
from unittest import mock

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet._reader import WorkSheetParser
from pyxform.xls2json_backends import get_xlsform

from parasat.core.testing.spreadsheets import with_raw_cell
from parasat.toolkit.models import Questionnaire
from parasat.toolkit.services import questionnaire_import
from parasat.toolkit.tests.test_corpus import snapshot
from parasat.toolkit.xlsform import reader
from parasat.toolkit.xlsform.columns import language_code, map_columns
from parasat.toolkit.xlsform.importer import kind_and_list
from parasat.toolkit.xlsform.reader import XLSFormRefused
from parasat.toolkit.xlsform.writer import write_xlsform

pytestmark = pytest.mark.django_db


def xlsx(sheets: dict[str, list[list[str]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("token", "code"),
    [
        ("English (en)", "en"),
        ("english", "en"),
        ("EN", "en"),
        ("English\n", "en"),
        ("Русский (ru)", "ru"),
        ("Russian", "ru"),
        ("Қазақша (kk)", "kk"),
        ("Kazakh", "kk"),
        ("French (fr)", None),
        ("Swahili", None),
    ],
)
def test_language_names(token, code):
    assert language_code(token) == code


def test_column_mapping_follows_pyxform_and_keeps_the_rest():
    cols = map_columns(
        ["type", "name", "label", "label::Русский (ru)", "hint::French", "relevance",
         "parasat_provisions", "_Category", "media::image"],
        "survey",
    )  # fmt: skip
    assert (cols["label"].field, cols["label"].language) == ("label", "en")
    assert cols["label::Русский (ru)"].language == "ru"
    assert cols["hint::French"].field == "extra"
    assert cols["relevance"].field == "relevant"
    single = map_columns(["type", "label:English", "bind: relevant", "bind:jr:constraintMsg"], "s")
    assert single["label:English"].language == "en"
    assert single["bind: relevant"].field == "extra"  # settings-like sheet: not a survey
    survey = map_columns(["type", "label:English", "bind: relevant"], "survey")
    assert survey["bind: relevant"].field == "relevant"
    assert cols["parasat_provisions"].field == "provisions"
    assert cols["_Category"].field == "extra" and cols["media::image"].field == "media"
    both = map_columns(["label", "label::English (en)"], "survey")
    assert both["label"].field == "extra" and both["label::English (en)"].language == "en"


@pytest.mark.parametrize(
    ("xlsform_type", "kind", "list_name"),
    [
        ("select_one yes_no_partly", "yes_no_partly", "yes_no_partly"),
        ("select_one colours", "select_one", "colours"),
        ("select one from colours", "select_one", "colours"),
        ("select all that apply from modes or specify other", "select_multiple", "modes"),
        ("select_multiple modes or_other", "select_multiple", "modes"),
        ("select_one_from_file places.csv", "select_one", ""),
        ("begin group", "begin_group", ""),
        ("begin loop over animals", "begin_repeat", ""),
        ("end_repeat", "end_repeat", ""),
        ("file", "evidence", ""),
        ("geopoint", "other", ""),
        ("int", "integer", ""),
    ],
)
def test_kinds(xlsform_type, kind, list_name):
    assert kind_and_list(xlsform_type) == (kind, list_name)


def test_three_languages_and_guidance_are_read_from_their_columns(fixture_bank):
    data = xlsx(
        {
            "survey": [
                ["type", "name", "label::English (en)", "label::Русский (ru)",
                 "label::Қазақша (kk)", "guidance_hint::English (en)", "parasat_provisions",
                 "parasat_code", "kobo--locking-profile"],
                ["select_one yes_no_partly", "q_one", "One?", "Один?", "Бір?", "Say so.",
                 "UNCAC:art.5(1) OECD-RPG:rec.4", "X-01", "lock_all"],
            ],
            "choices": [
                ["list_name", "name", "label::English (en)", "label::Русский (ru)"],
                ["yes_no_partly", "yes", "Yes", "Да"],
                ["yes_no_partly", "no", "No", "Нет"],
            ],
            "settings": [["form_title", "form_id"], ["Mine", "mine"]],
        }
    )  # fmt: skip
    q = questionnaire_import(data=data, filename="mine.xlsx")
    question = q.questions.get()
    assert (q.identifier, q.title.source) == ("mine", "Mine")
    assert question.label.get("ru") == "Один?" and question.label.get("kk") == "Бір?"
    assert question.guidance.source == "Say so." and question.code == "X-01"
    assert question.kind == "yes_no_partly" and question.choice_list.name == "yes_no_partly"
    assert sorted(p.key for p in question.provisions.all()) == ["OECD-RPG:rec.4", "UNCAC:art.5(1)"]
    assert question.extra == {"kobo--locking-profile": "lock_all"}


def test_unknown_provisions_refuse_the_file_naming_the_rows(fixture_bank):
    data = xlsx(
        {
            "survey": [
                ["type", "name", "label", "parasat_provisions"],
                ["text", "a_one", "A", "UNCAC:art.5(1)"],
                ["text", "a_two", "B", "UNCAC:art.77 FATF:r.24"],
            ]
        }
    )
    with pytest.raises(XLSFormRefused) as exc:
        questionnaire_import(data=data, filename="a.xlsx")
    found = {(p.row, p.column, p.message) for p in exc.value.problems}
    assert (3, "parasat_provisions", "The provision “FATF:r.24” is not in the toolkit.") in found
    assert len(found) == 2
    assert Questionnaire.objects.count() == 2  # the bank's, nothing more


def test_bank_questionnaire_export_then_import_gives_the_same_questionnaire(fixture_bank):
    for original in Questionnaire.objects.filter(source="bank"):
        again = questionnaire_import(data=write_xlsform(original), filename="x.xlsx")
        assert (again.identifier, again.version, again.parent) == (
            original.identifier,
            2,
            original,
        )
        assert again.title == original.title and again.description == original.description
        before, after = snapshot(original), snapshot(again)
        assert after[0] == before[0] and after[1] == before[1]


def test_export_writes_the_three_language_columns_and_provisions(fixture_bank):
    book = load_workbook(BytesIO(write_xlsform(Questionnaire.objects.get(identifier="REG"))))
    headers = [c.value for c in book["survey"][1]]
    for field in ("label", "guidance_hint", "parasat_evidence"):
        for lang in ("English (en)", "Русский (ru)", "Қазақша (kk)"):
            assert f"{field}::{lang}" in headers
    assert "parasat_provisions" in headers
    assert [c.value for c in book["choices"][2]][:3] == ["yes_no_partly", "yes", "Yes"]
    assert book.sheetnames == ["survey", "choices", "settings"]


def test_a_csv_form_with_plain_labels_gains_russian_columns_on_export(fixture_bank):
    text = StringIO()
    writer = csv.writer(text)
    writer.writerows([["survey", "type", "name", "label"], ["", "text", "who", "Who are you?"]])
    q = questionnaire_import(data=text.getvalue().encode(), filename="who.csv")
    question = q.questions.get()
    question.label = question.label.updated({"ru": "Кто вы?"})
    question.save()
    book = load_workbook(BytesIO(write_xlsform(q)))
    assert [c.value for c in book["survey"][1]][:4] == [
        "type",
        "name",
        "label",
        "label::Русский (ru)",
    ]
    again = questionnaire_import(data=write_xlsform(q), filename="who.xlsx")
    assert again.questions.get().label.get("ru") == "Кто вы?"


def test_a_number_cell_beyond_reason_refuses_the_file_not_a_crash():
    """A number cell of 5,000 digits made openpyxl raise ValueError (a server error)."""
    data = xlsx({"survey": [["type", "name", "label"], ["integer", "n", 12345]]})
    with pytest.raises(XLSFormRefused) as exc:
        questionnaire_import(data=with_raw_cell(data, "12345", "9" * 5000), filename="n.xlsx")
    assert "number too long" in str(exc.value)


def test_regex_patterns_the_form_cannot_run_safely_are_listed_on_import(fixture_bank):
    """Issue 10: such a pattern is never run (the form shows the question and
    does not check it, on both sides); pyxform decides what a form is, so the
    file is imported and the patterns are listed by row and column."""
    data = xlsx(
        {
            "survey": [
                ["type", "name", "label", "constraint", "relevant"],
                ["text", "iin", "IIN", "regex(., '[0-9]{12}')", ""],
                ["text", "code", "Code", "regex(., '(a+)+b')", ""],
                ["text", "other", "Other", "", "regex(${code}, 'a(?=b)')"],
            ]
        }
    )
    q = questionnaire_import(data=data, filename="p.xlsx")
    unchecked = q.extra["unchecked"]
    assert len(unchecked) == 2
    assert "row 3, column “constraint”" in unchecked[0] and "exponential" in unchecked[0]
    assert "row 4, column “relevant”" in unchecked[1] and "RE2" in unchecked[1]


def test_nul_characters_in_a_form_are_removed(fixture_bank):
    """Issue 10: PostgreSQL refuses NUL in text (SQLite stored it). The upload
    check looks for NUL in a text file's first 4 KB only."""
    text = StringIO()
    csv.writer(text).writerows(
        [
            ["survey", "type", "name", "label", "hint"],
            ["", "text", "who", "Who\x00 are you?", "x" * 5000],
            ["", "note", "note", "Thanks\x00", ""],
        ]
    )
    q = questionnaire_import(data=text.getvalue().encode(), filename="who.csv")
    labels = [str(question.label) for question in q.questions.order_by("order")]
    assert labels == ["Who are you?", "Thanks"]
    assert list(q.questions.order_by("order").values_list("name", flat=True)) == ["who", "note"]


def test_texts_beginning_with_an_equals_sign_are_written_as_text_not_formulas(fixture_bank):
    """Issue 10: labels, hints and choice labels beginning with "=" were
    written as formula cells, which a spreadsheet runs when the file is opened."""
    data = xlsx(
        {
            "survey": [
                ["type", "name", "label", "hint"],
                ["select_one yn", "q", '\'=HYPERLINK("http://x","Click")', "'=1+1"],
            ],
            "choices": [["list_name", "name", "label"], ["yn", "yes", "'=cmd|' /C calc'!A0"]],
        }
    )
    q = questionnaire_import(data=data, filename="formula.xlsx")
    question = q.questions.get()
    question.label = question.label.updated({"en": '=HYPERLINK("http://x","Click")'})
    question.hint = question.hint.updated({"en": "=1+1"})
    question.save()
    choice = question.choice_list.choices.get()
    choice.label = choice.label.updated({"en": "=cmd|' /C calc'!A0"})
    choice.save()
    book = load_workbook(BytesIO(write_xlsform(q)))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value]
    formulas = [c.coordinate for c in cells if c.data_type == "f"]
    assert formulas == []
    texts = {c.value for c in cells}
    assert {'=HYPERLINK("http://x","Click")', "=1+1", "=cmd|' /C calc'!A0"} <= texts
    # And the export imports again with the same texts.
    again = questionnaire_import(data=write_xlsform(q), filename="formula.xlsx").questions.get()
    assert again.label.get("en") == '=HYPERLINK("http://x","Click")'


def _without_dimensions(data: bytes) -> bytes:
    """``data`` (an .xlsx) with no <dimension> in its sheets, as LibreOffice and
    some generators write them."""
    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                content = re.sub(rb"<dimension [^>]*/>", b"", content)
            target.writestr(item, content)
    return out.getvalue()


def test_sheets_are_read_as_pyxform_reads_them_and_not_twice_for_their_size():
    """The reader opens the workbook once for pyxform's sheets and the others;
    a sheet without <dimension> was read whole for its size (openpyxl looks for
    it until the end of the rows) and then again for its rows."""
    rows = [["integer", f"n{i}", f"N {i}", "", "=1+1" if i == 3 else i * 1.5] for i in range(300)]
    data = xlsx(
        {
            "survey": [["type", "name", "label", "", "default"], *rows, [], ["note", "end", "X"]],
            "choices": [["list_name", "name", "label"], ["yn", "yes", True]],
            "settings": [["form_id", "version"], ["dims", datetime.datetime(2024, 5, 1, 8, 30)]],
            "notes": [["anything"], ["kept", 3]],
        }
    )
    for form in (data, _without_dimensions(data)):
        expected = get_xlsform(xlsform=BytesIO(form), file_type=".xlsx")
        expected.fallback_form_name = "dims"
        with mock.patch.object(
            WorkSheetParser, "parse_dimensions", side_effect=AssertionError("read for its size")
        ):
            definition, book = reader._definition(form, "dims.xlsx", ".xlsx")
            try:
                other = reader._other_sheets(form, ".xlsx", definition, book)
            finally:
                book.close()
        assert definition == expected
        assert other == [{"name": "notes", "rows": [["anything"], ["kept", "3"]]}]


@pytest.mark.parametrize(
    "inner",
    [
        "<t>plain</t>",
        '<t xml:space="preserve"> spaced </t>',
        "<t/>",
        "<r><t>rich </t></r><r><rPr><b/></rPr><t>text</t></r>",
        '<t>kanji</t><rPh sb="0" eb="1"><t>kana</t></rPh><phoneticPr fontId="1"/>',
        "",
    ],
)
def test_strings_read_without_openpyxl_rich_text_machinery_read_the_same(inner):
    """The reader takes a string of one <t> (shared or inline: every string of
    an export) as its text, and gives the rest to openpyxl: the same content."""
    from defusedxml.ElementTree import fromstring
    from openpyxl.cell.text import Text

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    node = fromstring(f'<si xmlns="{main}">{inner}</si>')
    assert reader._text(node) == Text.from_tree(node).content


def _with_part(data: bytes, part: str, change) -> bytes:
    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == part:
                content = change(content)
            target.writestr(item, content)
    return out.getvalue()


def test_a_form_declaring_entities_is_refused_by_defusedxml():
    """The reader's own sheet reading (_SizedSheet) still parses with
    defusedxml (openpyxl's iterparse, as its shared strings do): a sheet
    declaring an entity (billion laughs, or an external one) is refused
    before anything expands."""
    from defusedxml import EntitiesForbidden

    data = xlsx({"survey": [["type", "name", "label"], ["note", "n", "N"]]})
    for declared in (b'<!ENTITY lol "lol">', b'<!ENTITY lol SYSTEM "file:///etc/passwd">'):
        bomb = _with_part(
            data,
            "xl/worksheets/sheet1.xml",
            lambda xml, d=declared: re.sub(
                rb"^(<\?xml[^>]*\?>)?", rb"\1<!DOCTYPE x [" + d + rb"]>", xml, count=1
            ),
        )
        with pytest.raises(ValueError, match="Unable to read workbook") as exc:
            reader._xlsx_definition(bomb)
        assert isinstance(exc.value.__cause__, EntitiesForbidden), declared
        # And the person uploading it is told, not shown a server error.
        with pytest.raises(XLSFormRefused, match="refused for safety"):
            reader.read_xlsform(bomb, "bomb.xlsx")


def test_a_damaged_workbook_is_refused_with_a_clear_error():
    """Sheet XML cut short reached the upload page as a server error."""
    data = xlsx({"survey": [["type", "name", "label"], ["note", "n", "N"]]})
    cut = _with_part(data, "xl/worksheets/sheet1.xml", lambda xml: xml[: len(xml) // 2])
    with pytest.raises(XLSFormRefused, match="cannot be read: it is damaged"):
        reader.read_xlsform(cut, "cut.xlsx")


def test_the_export_is_written_in_memory_as_openpyxl_saves_it(fixture_bank):
    """Each sheet's XML stays in memory: openpyxl's save wrote it to a
    temporary file, zipped it from there and deleted it."""
    from openpyxl.worksheet import _writer

    data = xlsx({"survey": [["type", "name", "label"], ["text", "a", "A"]], "notes": [["x"]]})
    q = questionnaire_import(data=data, filename="memory.xlsx")
    with mock.patch.object(
        _writer, "create_temporary_file", side_effect=AssertionError("a temporary file")
    ):
        exported = write_xlsform(q)
    saved = BytesIO()
    book = load_workbook(BytesIO(exported))
    book.save(saved)  # openpyxl's own save, through temporary files
    ours, theirs = zipfile.ZipFile(BytesIO(exported)), zipfile.ZipFile(saved)
    assert ours.namelist() == theirs.namelist()
    for name in ours.namelist():
        if name != "docProps/core.xml":  # the time it was saved
            assert ours.read(name) == theirs.read(name), name


def test_a_new_version_reads_of_the_latest_only_its_number_and_area(fixture_bank):
    """The latest version was read whole, its extra sheets (thousands of rows
    on a large form) decoded, for its number and area."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    data = xlsx({"survey": [["type", "name", "label"], ["text", "a", "A"]], "notes": [["x"]]})
    first = questionnaire_import(data=data, filename="versions.xlsx")
    with CaptureQueriesContext(connection) as queries:
        second = questionnaire_import(data=data, filename="versions.xlsx")
    assert (second.version, second.parent_id, second.area_id) == (2, first.pk, first.area_id)
    read = [
        q["sql"] for q in queries if q["sql"].startswith("SELECT") and "questionnaire" in q["sql"]
    ]
    assert read and not [sql for sql in read if '"extra"' in sql or '"columns"' in sql], read
