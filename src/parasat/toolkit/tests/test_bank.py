import shutil

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pyxform.xls2xform import convert

from parasat.toolkit.bank import BANK_DIR, BankInvalid, load_bank, read_bank
from parasat.toolkit.models import Pillar, PolicyArea, Provision, Question, Questionnaire
from parasat.toolkit.services import questionnaire_freeze, questionnaire_import
from parasat.toolkit.tests.factories import FIXTURE_BANK
from parasat.toolkit.xlsform.writer import write_xlsform

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank_copy(tmp_path):
    target = tmp_path / "bank"
    shutil.copytree(FIXTURE_BANK, target)
    return target


def test_fixture_bank_loads_everything(fixture_bank):
    assert Pillar.objects.count() == 2 and PolicyArea.objects.count() == 2
    assert Provision.objects.count() == 3
    reg = Questionnaire.objects.get(identifier="REG")
    assert (reg.version, reg.area.code, reg.source) == (1, "REG", "bank")
    first = reg.questions.get(name="reg_ria_required")
    assert first.kind == "yes_no_partly" and first.type == "select_one yes_no_partly"
    assert first.label.get("kk").startswith("Заң жобаларына")
    assert sorted(p.key for p in first.provisions.all()) == ["OECD-RPG:rec.4", "UNCAC:art.5(1)"]
    assert [c.name for c in first.choice_list.choices.all()] == ["yes", "partly", "no"]
    upload = reg.questions.get(name="reg_evidence_file")
    assert (upload.kind, upload.type) == ("evidence", "file")
    assert Provision.objects.get(key="UNCAC:art.5(1)").link.startswith("https://www.unodc.org")


def test_loading_twice_changes_nothing(fixture_bank):
    ids = sorted(Question.objects.values_list("pk", flat=True))
    report = load_bank(FIXTURE_BANK)
    assert sorted(report.unchanged) == ["PRC", "REG"] and not report.created
    assert sorted(Question.objects.values_list("pk", flat=True)) == ids
    assert Questionnaire.objects.count() == 2


def test_changed_pillars_areas_and_provisions_are_updated_in_place(bank_copy):
    load_bank(bank_copy)
    before = {p.key: p.pk for p in Provision.objects.all()}
    gov, reg = Pillar.objects.get(code="GOV"), PolicyArea.objects.get(code="REG")
    pillars = bank_copy / "pillars.toml"
    text = pillars.read_text().replace("Functioning governance systems", "Governance")
    pillars.write_text(text.replace('pillar = "GOV"', 'pillar = "PRV"', 1))
    rpg = bank_copy / "provisions-rpg.toml"
    rpg.write_text(rpg.read_text().replace("impact assessment early.", "impact assessment."))
    rpg.write_text(rpg.read_text() + PARAPHRASE.format(ref="impact-assessment"))
    load_bank(bank_copy)
    assert Pillar.objects.get(pk=gov.pk).name.source == "Governance"
    assert PolicyArea.objects.get(pk=reg.pk).pillar.code == "PRV"
    after = {p.key: p for p in Provision.objects.all()}
    assert {k: p.pk for k, p in after.items() if k in before} == before
    assert after["OECD-RPG:rec.4"].text.source == "Integrate regulatory impact assessment."
    assert after["OECD-RPG:impact-assessment"].is_paraphrase


def test_an_unchanged_bank_loaded_again_writes_nothing(fixture_bank):
    with CaptureQueriesContext(connection) as queries:
        load_bank(FIXTURE_BANK)
    written = [q["sql"] for q in queries if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}]
    assert written == []


def test_a_changed_file_rewrites_an_unused_questionnaire(bank_copy):
    load_bank(bank_copy)
    path = bank_copy / "areas" / "06-PRC.toml"
    path.write_text(path.read_text().replace("on average?", "on average, in days?"))
    report = load_bank(bank_copy)
    assert report.updated == ["PRC"]
    prc = Questionnaire.objects.get(identifier="PRC")
    assert prc.version == 1
    assert "in days" in prc.questions.get(name="prc_complaints_days").label.source


def test_a_changed_file_makes_a_new_version_of_a_frozen_questionnaire(bank_copy):
    load_bank(bank_copy)
    v1 = Questionnaire.objects.get(identifier="PRC")
    questionnaire_freeze(questionnaire=v1)
    path = bank_copy / "areas" / "06-PRC.toml"
    path.write_text(path.read_text().replace("on average?", "on average, in days?"))
    report = load_bank(bank_copy)
    assert report.new_versions == ["PRC"]
    v2 = Questionnaire.objects.get(identifier="PRC", version=2)
    assert v2.parent == v1 and not v2.frozen
    assert "in days" not in v1.questions.get(name="prc_complaints_days").label.source


def test_a_newer_imported_version_is_left_the_newest_until_the_file_changes(bank_copy):
    load_bank(bank_copy)
    v1 = Questionnaire.objects.get(identifier="PRC")
    v2 = questionnaire_import(data=write_xlsform(v1), filename="PRC.xlsx")
    assert sorted(load_bank(bank_copy).unchanged) == ["PRC", "REG"]
    assert Questionnaire.objects.filter(identifier="PRC").count() == 2
    path = bank_copy / "areas" / "06-PRC.toml"
    path.write_text(path.read_text().replace("on average?", "on average, in days?"))
    assert load_bank(bank_copy).new_versions == ["PRC"]
    v3 = Questionnaire.objects.get(identifier="PRC", version=3)
    assert v3.parent == v2 and v3.source == "bank"
    assert load_bank(bank_copy).new_versions == []


def test_missing_provisions_are_all_listed_and_nothing_is_written(bank_copy):
    path = bank_copy / "areas" / "06-PRC.toml"
    text = path.read_text().replace('"UNCAC:art.9(1)"]', '"UNCAC:art.99", "FATF:r.24"]', 1)
    path.write_text(text)
    with pytest.raises(BankInvalid) as exc:
        load_bank(bank_copy)
    message = "\n".join(exc.value.errors)
    assert "UNCAC:art.99" in message and "FATF:r.24" in message
    assert "06-PRC.toml prc_open_tender_default" in message
    assert not Pillar.objects.exists() and not Questionnaire.objects.exists()


def test_errors_name_the_file_and_the_question(bank_copy):
    path = bank_copy / "areas" / "01-REG.toml"
    text = path.read_text().replace('type = "integer"', 'type = "slider"')
    text = text.replace('kk = "Тізілім бойынша санаңыз."', 'kk = ""')
    path.write_text(text.replace('name = "reg_evidence_file"', 'name = "Bad Name"'))
    with pytest.raises(BankInvalid) as exc:
        read_bank(bank_copy)
    errors = exc.value.errors
    assert any("areas/01-REG.toml: question reg_ria_share: type must be" in e for e in errors)
    assert any("question reg_ria_share: guidance: no text in kk" in e for e in errors)
    assert any("question Bad Name: name must match" in e for e in errors)


def test_broken_toml_is_reported_with_its_file(bank_copy):
    (bank_copy / "instruments.toml").write_text("[[instrument]\ncode = ")
    with pytest.raises(BankInvalid) as exc:
        read_bank(bank_copy)
    assert exc.value.errors[0].startswith("instruments.toml: not valid TOML")


def test_the_shipped_bank_loads_and_every_questionnaire_exports_to_a_valid_xform():
    report = load_bank(BANK_DIR)
    assert report.pillars == 4 and report.areas == 15
    assert list(PolicyArea.objects.values_list("order", flat=True)) == list(range(1, 16))
    for questionnaire in Questionnaire.objects.all():
        result = convert(xlsform=write_xlsform(questionnaire), file_type=".xlsx", warnings=[])
        assert "<h:html" in result.xform, questionnaire.identifier


def test_the_fixture_bank_exports_to_valid_xforms(fixture_bank):
    for questionnaire in Questionnaire.objects.all():
        warnings: list[str] = []
        result = convert(xlsform=write_xlsform(questionnaire), file_type=".xlsx", warnings=warnings)
        assert "reg_ria_required" in result.xform or questionnaire.identifier == "PRC"
        assert 'lang="Русский (ru)"' in result.xform and 'lang="Қазақша (kk)"' in result.xform


SHIPPED_AREAS = sorted((BANK_DIR / "areas").glob("*.toml"))


@pytest.mark.skipif(not SHIPPED_AREAS, reason="the shipped bank has no questionnaires yet")
def test_the_shipped_bank_covers_every_area_with_eight_trilingual_questions():
    report = load_bank(BANK_DIR)
    areas = set(PolicyArea.objects.values_list("code", flat=True))
    covered = set(Questionnaire.objects.values_list("area__code", flat=True))
    assert covered == areas
    for identifier, counts in report.counts.items():
        assert counts["questions"] >= 8, identifier
        assert counts["en"] == counts["ru"] == counts["kk"] == counts["questions"], identifier
    assert report.questions >= 120
    assert not Question.objects.filter(provisions__isnull=True).exists()


PARAPHRASE = """
[[provision]]
key = "OECD-RPG:{ref}"
paraphrase = true
text = {{ en = "Impact assessment.", ru = "Оценка воздействия.", kk = "Әсерді бағалау." }}
"""


def test_a_provision_marked_as_paraphrase_loads_as_parasat_s_own(bank_copy):
    path = bank_copy / "instruments.toml"
    path.write_text(path.read_text() + PARAPHRASE.format(ref="impact-assessment"))
    load_bank(bank_copy)
    provision = Provision.objects.get(key="OECD-RPG:impact-assessment")
    assert provision.is_paraphrase and provision.citation == "OECD-RPG"
    numbered = Provision.objects.get(key="OECD-RPG:rec.4")
    assert not numbered.is_paraphrase and numbered.citation == "OECD-RPG:rec.4"


@pytest.mark.parametrize("ref", ["p2", "rec.4", "ii", "annex-2"])
def test_a_paraphrase_may_not_be_named_like_a_provision_number(bank_copy, ref):
    path = bank_copy / "instruments.toml"
    path.write_text(path.read_text() + PARAPHRASE.format(ref=ref))
    with pytest.raises(BankInvalid) as exc:
        read_bank(bank_copy)
    assert any(
        f"provision OECD-RPG:{ref}: a paraphrase is named by its topic" in e
        for e in exc.value.errors
    )
