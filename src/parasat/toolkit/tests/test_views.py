import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyxform.xls2xform import convert

from parasat.reviews.models import Role
from parasat.toolkit.models import Instrument, Question, Questionnaire
from parasat.toolkit.services import questionnaire_freeze, questionnaire_new_version
from parasat.toolkit.tests.corpus import CORPUS
from parasat.toolkit.tests.factories import (
    ProvisionFactory,
    QuestionFactory,
    QuestionnaireFactory,
)

pytestmark = pytest.mark.django_db
ALL_ROLES = [r.value for r in Role]


def q_url(name, identifier="REG", version=1):
    return reverse(f"toolkit:{name}", args=[identifier, version])


def test_the_toolkit_asks_to_sign_in(client_for, fixture_bank):
    response = client_for(None).get(reverse("toolkit:index"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_role_browses_pillars_areas_and_questionnaires(
    client_for, persona, role, fixture_bank
):
    client = client_for(persona(role))
    index = client.get(reverse("toolkit:index"))
    assert index.status_code == 200
    assert "Functioning governance systems" in index.text and "Regulatory policy" in index.text
    assert client.get(reverse("toolkit:area", args=["REG"])).status_code == 200
    page = client.get(q_url("questionnaire"))
    assert page.status_code == 200
    assert "Does the law require a regulatory impact assessment" in page.text
    assert "A good answer cites the legal basis." in page.text  # guidance
    assert 'href="https://legalinstruments.oecd.org/en/instruments/OECD-LEGAL-0390"' in page.text
    assert "Import an XLSForm" not in index.text and "File under this area" not in page.text


def test_a_stranger_may_read_but_not_import(client_for, stranger, fixture_bank):
    client = client_for(stranger)
    assert client.get(reverse("toolkit:index")).status_code == 200
    assert client.get(reverse("toolkit:upload")).status_code == 403
    assert client.post(q_url("new_version")).status_code == 403
    assert Questionnaire.objects.count() == 2


def test_staff_may_import_without_a_role(client_for, stranger, fixture_bank):
    stranger.is_staff = True
    stranger.save()
    assert client_for(stranger).get(reverse("toolkit:upload")).status_code == 200


@pytest.mark.parametrize("role", ALL_ROLES)
def test_no_role_in_a_review_manages_the_shared_toolkit(client_for, persona, role, fixture_bank):
    """The toolkit is shared by every review: a role in one review (an analyst of
    another review) neither imports, nor makes versions, nor refiles."""
    client = client_for(persona(role))
    reg = Questionnaire.objects.get(identifier="REG")
    prc_area = Questionnaire.objects.get(identifier="PRC").area
    assert client.get(reverse("toolkit:upload")).status_code == 403
    assert client.post(q_url("new_version")).status_code == 403
    assert client.post(q_url("file_under"), {"area": prc_area.pk}).status_code == 403
    reg.refresh_from_db()
    assert reg.area != prc_area and Questionnaire.objects.count() == 2


def test_the_toolkit_editor_right_is_granted_on_the_account(client_for, editor, fixture_bank):
    client = client_for(editor)
    assert "Import an XLSForm" in client.get(reverse("toolkit:index")).text
    assert "File under this area" in client.get(q_url("questionnaire")).text
    assert client.get(reverse("toolkit:upload")).status_code == 200
    assert client.post(q_url("new_version")).status_code == 302
    editor.is_active = False  # a right held by an account that is closed is no right
    editor.save()
    assert client_for(editor).get(reverse("toolkit:upload")).status_code in {302, 403}


def test_a_questionnaire_in_use_keeps_its_area(client_for, editor, fixture_bank):
    reg = Questionnaire.objects.get(identifier="REG")
    questionnaire_freeze(questionnaire=reg)
    prc_area = Questionnaire.objects.get(identifier="PRC").area
    client = client_for(editor)
    response = client.post(q_url("file_under"), {"area": prc_area.pk}, follow=True)
    assert "in use by a review" in response.text
    reg.refresh_from_db()
    assert reg.area.code == "REG"
    assert "File under this area" not in client.get(q_url("questionnaire")).text
    # Its next version may be filed elsewhere: that is the way to change it.
    client.post(q_url("new_version"))
    client.post(q_url("file_under", "REG", 2), {"area": prc_area.pk})
    assert Questionnaire.objects.get(identifier="REG", version=2).area == prc_area


def test_the_reader_sees_their_language_and_missing_translations_marked(
    client_for, stranger, fixture_bank
):
    question = Question.objects.get(name="reg_ria_share")
    question.label = question.label.updated({"kk": ""})
    question.save()
    client = client_for(stranger)
    client.cookies["django_language"] = "kk"
    page = client.get(q_url("questionnaire"), HTTP_ACCEPT_LANGUAGE="kk")
    assert "Заң жобаларына реттеушілік әсерді бағалау" in page.text
    assert "tr-missing" in page.text  # the English fallback is marked


def test_the_index_and_questionnaire_pages_keep_their_query_count(
    client_for, stranger, fixture_bank, django_assert_max_num_queries
):
    client = client_for(stranger)
    with django_assert_max_num_queries(8):
        client.get(reverse("toolkit:index"))
    with django_assert_max_num_queries(12):
        client.get(q_url("questionnaire"))
    reg = Questionnaire.objects.get(identifier="REG")
    for n in range(30):
        QuestionFactory(questionnaire=reg, order=100 + n)
        QuestionnaireFactory(area=None)
    with django_assert_max_num_queries(8):
        client.get(reverse("toolkit:index"))
    with django_assert_max_num_queries(12):
        client.get(q_url("questionnaire"))


def test_search_by_text_in_any_language_and_by_provision(
    client_for, stranger, fixture_bank, django_assert_max_num_queries
):
    client = client_for(stranger)
    assert "REG-02" in client.get(reverse("toolkit:search"), {"q": "ДОЛЯ ПРОЕКТОВ"}).text
    by_key = client.get(reverse("toolkit:search"), {"q": "UNCAC:art.9"}).text
    assert "PRC-01" in by_key and "PRC-02" in by_key and "REG-01" not in by_key
    with django_assert_max_num_queries(8):
        client.get(reverse("toolkit:search"), {"q": "OECD-RPG"})
    reg = Questionnaire.objects.get(identifier="REG")
    for n in range(20):
        QuestionFactory(questionnaire=reg, order=200 + n, label={"en": f"assessment {n}"})
    with django_assert_max_num_queries(8):
        response = client.get(reverse("toolkit:search"), {"q": "assessment"})
    assert response.text.count("assessment") > 20


@pytest.mark.parametrize(
    ("lang", "mark"), [("en", "Parasat's paraphrase"), ("kk", "Parasat мазмұндамасы")]
)
def test_parasat_s_own_paraphrase_is_marked_and_shows_no_provision_number(
    client_for, stranger, fixture_bank, lang, mark
):
    question = Question.objects.get(name="reg_ria_required")
    paraphrase = ProvisionFactory(
        instrument=Instrument.objects.get(code="OECD-RPG"), ref="impact-assessment"
    )
    paraphrase.is_paraphrase = True
    paraphrase.save()
    question.provisions.add(paraphrase)
    client = client_for(stranger)
    client.cookies["django_language"] = lang
    for page in (
        client.get(q_url("questionnaire")),
        client.get(reverse("toolkit:search"), {"q": "OECD-RPG"}),
    ):
        assert page.status_code == 200
        assert "OECD-RPG:rec.4" in page.text  # a numbered provision keeps its number
        assert mark in page.text and page.text.count(mark) == 1
        assert "impact-assessment" not in page.text


def test_search_shows_only_the_newest_version(client_for, stranger, fixture_bank):
    questionnaire_new_version(questionnaire=Questionnaire.objects.get(identifier="PRC"))
    text = client_for(stranger).get(reverse("toolkit:search"), {"q": "complaint"}).text
    assert text.count("PRC-02") == 1 and "v2" in text


def test_download_gives_an_xlsform_pyxform_converts(client_for, stranger, fixture_bank):
    response = client_for(stranger).get(q_url("download"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="REG-v1.xlsx"'
    assert "reg_ria_share" in convert(xlsform=response.content, file_type=".xlsx").xform


def test_editor_uploads_a_form_filed_under_an_area(client_for, editor, fixture_bank):
    from parasat.toolkit.xlsform.writer import write_xlsform

    data = write_xlsform(Questionnaire.objects.get(identifier="PRC"))
    upload = SimpleUploadedFile("procurement.xlsx", data)
    area = Questionnaire.objects.get(identifier="REG").area
    response = client_for(editor).post(reverse("toolkit:upload"), {"file": upload, "area": area.pk})
    assert response.status_code == 302
    v2 = Questionnaire.objects.get(identifier="PRC", version=2)
    assert v2.area == area and v2.parent.version == 1
    assert response["Location"] == q_url("questionnaire", "PRC", 2)


@pytest.mark.skipif(not CORPUS.exists(), reason="the shared XLSForm corpus is not present")
def test_a_refused_upload_lists_sheet_row_and_column_and_writes_nothing(
    client_for, editor, fixture_bank
):
    path = CORPUS / "invalid" / "pyxform-bug-calculate_without_calculation.xls"
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    response = client_for(editor).post(reverse("toolkit:upload"), {"file": upload})
    assert response.status_code == 400
    assert "nothing was imported" in response.text
    assert "<td>survey</td><td>34</td><td>calculation</td>" in response.text
    assert "calculate_test" in response.text  # the offending row is shown
    assert Questionnaire.objects.count() == 2


def test_an_upload_that_is_not_a_spreadsheet_is_refused(client_for, editor, fixture_bank):
    fake = SimpleUploadedFile("form.xlsx", b"MZ\x90\x00 not a workbook")
    response = client_for(editor).post(reverse("toolkit:upload"), {"file": fake})
    assert response.status_code == 400 and "does not match" in response.text
    pdf = SimpleUploadedFile("form.pdf", b"%PDF-1.4")
    response = client_for(editor).post(reverse("toolkit:upload"), {"file": pdf})
    assert response.status_code == 400 and "not XLSForms" in response.text


def test_new_version_and_comparison(client_for, editor, fixture_bank):
    client = client_for(editor)
    response = client.post(q_url("new_version"))
    assert response.status_code == 302
    v2 = Questionnaire.objects.get(identifier="REG", version=2)
    assert v2.questions.count() == 4
    same = client.get(reverse("toolkit:compare", args=["REG"]))
    assert "ask the same questions" in same.text
    changed = v2.questions.get(name="reg_ria_share")
    changed.relevant = ""
    changed.label = changed.label.updated({"en": "What share of drafts were assessed?"})
    changed.save()
    v2.questions.get(name="reg_evidence_file").delete()
    QuestionFactory(questionnaire=v2, name="reg_new_question", order=50)
    page = client.get(reverse("toolkit:compare", args=["REG"]), {"from": 1, "to": 2}).text
    assert "reg_new_question" in page and "reg_evidence_file" in page
    assert "What share of drafts were assessed?" in page and "relevant when" in page


def test_compare_with_a_single_version_says_there_is_nothing_to_compare(client_for, stranger):
    question = QuestionFactory()
    identifier = question.questionnaire.identifier
    html = client_for(stranger).get(reverse("toolkit:compare", args=[identifier])).text
    assert "There is only one version so far (version 1)" in html
    assert "What changed from version" not in html and 'name="from"' not in html


def test_compare_refuses_unknown_versions(client_for, stranger, fixture_bank):
    response = client_for(stranger).get(reverse("toolkit:compare", args=["REG"]), {"to": 9})
    assert response.status_code == 404


def test_filing_an_unassigned_questionnaire(client_for, editor, persona, fixture_bank):
    q = QuestionnaireFactory(identifier="loose", area=None)
    area = Questionnaire.objects.get(identifier="PRC").area
    client = client_for(editor)
    client.post(q_url("file_under", "loose"), {"area": area.pk})
    q.refresh_from_db()
    assert q.area == area
    assert client_for(persona("expert")).post(q_url("file_under", "loose"), {}).status_code == 403
