from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from pyxform.xls2xform import convert

from parasat.toolkit.models import Questionnaire
from parasat.toolkit.tests.corpus import CORPUS
from parasat.toolkit.tests.factories import FIXTURE_BANK

pytestmark = pytest.mark.django_db
needs_corpus = pytest.mark.skipif(not CORPUS.exists(), reason="the shared corpus is absent")


def run(*args) -> str:
    out = StringIO()
    call_command("toolkit", *args, stdout=out, stderr=out)
    return out.getvalue()


def test_load_bank_then_list_one_line_each_identifier_first():
    out = run("load-bank", "--directory", str(FIXTURE_BANK))
    assert "questionnaires created 2" in out and "REG: 4 questions (en 4, ru 4, kk 4)" in out
    assert "unchanged 2" in run("load-bank", "--directory", str(FIXTURE_BANK))
    lines = run("list").splitlines()
    assert lines == ["REG\tREG\tv1\t4", "PRC\tPRC\tv1\t2"]


def test_load_bank_reports_problems_and_fails(tmp_path):
    (tmp_path / "pillars.toml").write_text("[[pillar]]\ncode = 'gov'\n")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("toolkit", "load-bank", "--directory", str(tmp_path), stderr=err)
    assert "pillars.toml: pillar gov: code must be three capital letters" in err.getvalue()


@needs_corpus
def test_import_with_and_without_an_area_then_export(tmp_path):
    run("load-bank", "--directory", str(FIXTURE_BANK))
    out = run("import", str(CORPUS / "pyodk-fav_color.xlsx"))
    assert "Imported fav_color v1 (unassigned)" in out
    out = run("import", str(CORPUS / "pyodk-fav_color.xlsx"), "--area", "prc")
    assert "Imported fav_color v2 (PRC)" in out
    assert "fav_color\tPRC\tv2\t" in run("list")
    target = tmp_path / "fav.xlsx"
    assert "Wrote fav_color v2" in run("export", "fav_color", "-o", str(target))
    assert "fav_color" in convert(xlsform=str(target)).xform
    run("export", "fav_color@1", "-o", str(target))


@needs_corpus
def test_a_refused_import_exits_non_zero_and_writes_nothing():
    err = StringIO()
    with pytest.raises(CommandError, match="refused; nothing was written"):
        call_command(
            "toolkit", "import", str(CORPUS / "invalid" / "onadata-MCH_v1.xlsx"), stderr=err
        )
    assert "sheet “survey”, row 17, column “type”" in err.getvalue()
    assert not Questionnaire.objects.exists()


def test_import_and_export_name_what_is_missing(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run("import", str(tmp_path / "nope.xlsx"))
    with pytest.raises(CommandError, match="No questionnaire"):
        run("export", "nope", "-o", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match="No policy area"):
        run("import", str(FIXTURE_BANK / "pillars.toml"), "--area", "XYZ")
