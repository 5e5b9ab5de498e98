import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from parasat.accounts import services as account_services
from parasat.assessment.models import Answer
from parasat.assessment.tests.data_setup import (
    DRAFT_TEXT,
    LEVELS,
    SECRET_TEXT,
    SEES,
    more_assignments,
)
from parasat.reviews.models import Role

pytestmark = pytest.mark.django_db
OUTSIDE_GOVERNMENT = [r for r in SEES if r != Role.COORDINATOR]


def user_for(mix, persona, role):
    return {
        Role.COORDINATOR: mix.work.coordinator,
        Role.CONTACT_PERSON: mix.work.contact,
    }.get(role) or persona(role)


def api(mix, path=""):
    return f"/api/reviews/{mix.work.review.slug}{path}"


def answers_of(client, mix, **params):
    response = client.get(api(mix, "/answers"), params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("role", list(SEES))
def test_each_role_lists_exactly_the_answers_it_may_read(client_for, persona, mix, role):
    data = answers_of(client_for(user_for(mix, persona, role)), mix)
    sample = {
        a["question"]["name"] for a in data["items"] if a["questionnaire"]["identifier"] == "SAMPLE"
    }
    assert sample == SEES[role]
    others = [a for a in data["items"] if a["questionnaire"]["identifier"] == "OTHER"]
    assert len(others) == (6 if role == Role.COORDINATOR else 0)
    assert data["count"] == len(data["items"])


@pytest.mark.parametrize("role", OUTSIDE_GOVERNMENT)
def test_government_only_answers_and_files_never_reach_others(client_for, persona, mix, role):
    client = client_for(user_for(mix, persona, role))
    response = client.get(api(mix, "/answers"))
    body = response.content.decode()
    assert SECRET_TEXT not in body
    assert DRAFT_TEXT not in body
    assert "Secret minutes" not in body
    assert "Secret act" not in body
    assert "government" not in {a["confidentiality"] for a in response.json()["items"]}
    for item in response.json()["items"]:
        assert {e["confidentiality"] for e in item["evidence"]} <= {"team", "peers", "public"}
    share = mix.work.answer("share")
    assert client.get(api(mix, f"/answers/{share.pk}")).status_code == 404
    draft = mix.other.answers.get(question__name="describe")
    assert client.get(api(mix, f"/answers/{draft.pk}")).status_code == 404


@pytest.mark.parametrize("role", list(SEES))
def test_a_token_reads_exactly_what_its_person_reads(client_for, persona, mix, role):
    """Same gate as the browser: a government-only answer the page refuses
    (404) is refused through the API with the person's token too."""
    user = user_for(mix, persona, role)
    secret = account_services.api_token_create(user=user, name="Script", days=7).secret
    headers = {"Authorization": f"Bearer {secret}"}
    by_token = Client()  # no session at all
    listed = by_token.get(api(mix, "/answers"), headers=headers)
    assert listed.status_code == 200
    assert listed.json() == answers_of(client_for(user), mix)
    share = mix.work.answer("share")  # government only
    page = client_for(user).get(f"/reviews/{mix.work.review.slug}/assessment/answers/{share.pk}/")
    through_api = by_token.get(api(mix, f"/answers/{share.pk}"), headers=headers)
    expected = 200 if role in (Role.COORDINATOR, Role.CONTACT_PERSON) else 404
    assert (page.status_code, through_api.status_code) == (expected, expected)


@pytest.mark.parametrize("role", OUTSIDE_GOVERNMENT)
def test_evidence_is_listed_with_only_the_items_the_reader_may_see(client_for, persona, mix, role):
    client = client_for(user_for(mix, persona, role))
    describe = client.get(api(mix, f"/answers/{mix.work.answer('describe').pk}")).json()
    assert [e["id"] for e in describe["evidence"]] == [mix.public_act.pk]
    if "policy" in SEES[role]:
        policy = client.get(api(mix, f"/answers/{mix.work.answer('policy').pk}")).json()
        assert [e["id"] for e in policy["evidence"]] == [mix.team_link.pk]
        listed = next(
            a for a in answers_of(client, mix)["items"] if a["id"] == mix.work.answer("policy").pk
        )
        assert [e["id"] for e in listed["evidence"]] == [mix.team_link.pk]


def test_the_government_side_sees_every_current_file(client_for, mix):
    for user in (mix.work.coordinator, mix.work.contact):
        client = client_for(user)
        policy = client.get(api(mix, f"/answers/{mix.work.answer('policy').pk}")).json()
        assert {e["id"] for e in policy["evidence"]} == {mix.secret_file.pk, mix.team_link.pk}
        secret = next(e for e in policy["evidence"] if e["id"] == mix.secret_file.pk)
        assert secret["download"].endswith(f"/assessment/evidence/{mix.secret_file.pk}/")
        describe = client.get(api(mix, f"/answers/{mix.work.answer('describe').pk}")).json()
        # The withdrawn link stays in the history, not in the answer's evidence.
        assert {e["id"] for e in describe["evidence"]} == {mix.public_act.pk, mix.secret_act.pk}


def test_an_answer_reads_as_a_person_reads_it(client_for, mix):
    client = client_for(mix.work.coordinator)
    bodies = client.get(api(mix, f"/answers/{mix.work.answer('bodies').pk}")).json()
    assert bodies["value"] == ["agency", "court"]
    assert bodies["display"] == "Anti-corruption agency; Courts"
    assert bodies["status"] == "forwarded"
    assert bodies["confidentiality"] == LEVELS["bodies"]
    assert bodies["question"] == {
        "code": "S-03",
        "name": "bodies",
        "label": {"en": "Question bodies", "ru": "Вопрос bodies", "kk": "Сұрақ bodies"},
        "kind": "select_multiple",
    }
    assert bodies["area"] == {
        "code": "REG",
        # Every language; the Kazakh name is missing in this data and shows so.
        "name": {"en": "Regulatory policy", "ru": "Регуляторная политика", "kk": ""},
    }
    assert bodies["questionnaire"]["identifier"] == "SAMPLE"
    assert bodies["ministry"]["code"] == "min-justice"
    assert bodies["updated_by"] == mix.work.contact.display_name
    assert "comments" not in bodies
    act = client.get(api(mix, f"/answers/{mix.work.answer('act').pk}")).json()
    assert act["value"] is None
    assert act["display"] == ""


def test_answers_filter_by_status_and_area(client_for, mix):
    client = client_for(mix.work.coordinator)
    forwarded = answers_of(client, mix, status="forwarded")
    assert {a["questionnaire"]["identifier"] for a in forwarded["items"]} == {"SAMPLE"}
    drafts = answers_of(client, mix, status="draft")
    assert {a["questionnaire"]["identifier"] for a in drafts["items"]} == {"OTHER"}
    fin = answers_of(client, mix, area="FIN")
    assert fin["count"] == 6
    assert {a["area"]["code"] for a in fin["items"]} == {"FIN"}
    assert answers_of(client, mix, area="XYZ")["count"] == 0
    assert client.get(api(mix, "/answers"), {"status": "lost"}).status_code == 422
    assert client.get(api(mix, "/answers"), {"page": 0}).status_code == 422


def test_answers_come_a_page_at_a_time(client_for, mix):
    client = client_for(mix.work.coordinator)
    first = answers_of(client, mix)
    assert (first["count"], first["page"], first["pages"], first["page_size"]) == (12, 1, 1, 100)
    beyond = answers_of(client, mix, page=2)
    assert beyond["items"] == []
    assert beyond["count"] == 12


def test_the_answer_list_keeps_its_query_count(client_for, mix, django_assert_max_num_queries):
    client = client_for(mix.work.coordinator)
    answers_of(client, mix)
    with CaptureQueriesContext(connection) as few:
        answers_of(client, mix)
    more_assignments(mix.work, 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        data = answers_of(client, mix)
    assert data["count"] == 12 + 3 * 6


def test_assignments_with_counts_for_the_coordinator_and_the_analysts(client_for, persona, mix):
    for user in (mix.work.coordinator, persona(Role.ANALYST)):
        data = client_for(user).get(api(mix, "/assignments")).json()["items"]
        by_id = {a["questionnaire"]["identifier"]: a for a in data}
        assert set(by_id) == {"SAMPLE", "OTHER"}
        assert by_id["SAMPLE"]["counts"]["forwarded"] == 6
        assert by_id["OTHER"]["counts"]["draft"] == 6
        assert by_id["OTHER"]["counts"]["answered"] == 1
        assert by_id["OTHER"]["contact_person"] == "Finance-Contact"
        assert by_id["SAMPLE"]["ministry"]["code"] == "min-justice"


def test_a_contact_person_sees_their_ministry_assignments_only(client_for, mix):
    data = client_for(mix.work.contact).get(api(mix, "/assignments")).json()["items"]
    assert [a["questionnaire"]["identifier"] for a in data] == ["SAMPLE"]
    assert data[0]["counts"]["total"] == 6


@pytest.mark.parametrize(
    ("role", "total"),
    [(Role.PEER_REVIEWER, 2), (Role.CIVIL_SOCIETY, 1), (Role.BUSINESS, 1)],
)
def test_others_see_assignments_counted_over_the_answers_they_read(
    client_for, persona, mix, role, total
):
    data = client_for(persona(role)).get(api(mix, "/assignments")).json()["items"]
    assert [a["questionnaire"]["identifier"] for a in data] == ["SAMPLE"]
    counts = data[0]["counts"]
    assert counts["total"] == counts["forwarded"] == total
    assert counts["draft"] == 0


def test_before_peer_review_opens_peers_see_nothing(client_for, persona, mix):
    mix.work.review.assessment_stage.delete()
    client = client_for(persona(Role.PEER_REVIEWER))
    assert client.get(api(mix, "/assignments")).json()["items"] == []
    assert answers_of(client, mix)["items"] == []


def test_opening_peer_review_reaches_a_peer_at_once(client_for, persona, mix):
    """Readers carry the stage from the shared cache: opening peer review must
    not wait for that entry to expire."""
    from parasat.assessment import services

    mix.work.review.assessment_stage.delete()
    client = client_for(persona(Role.PEER_REVIEWER))
    assert answers_of(client, mix)["items"] == []  # the closed stage is now cached
    services.peer_review_open(review=mix.work.review, by=mix.work.coordinator)
    assert answers_of(client, mix)["items"] != []


def test_a_contact_person_moved_to_another_ministry_sees_its_work_at_once(client_for, mix):
    """Readers carry their ministries from the shared cache: a changed role counts at once."""
    from parasat.reviews.models import Participant

    client = client_for(mix.work.contact)

    def identifiers():
        return {a["questionnaire"]["identifier"] for a in answers_of(client, mix)["items"]}

    assert "OTHER" not in identifiers()  # the sample ministry's reader is now cached
    role = Participant.objects.get(
        review=mix.work.review, user=mix.work.contact, role=Role.CONTACT_PERSON
    )
    role.organisation = mix.other.ministry
    role.save()
    assert "OTHER" in identifiers()


@pytest.mark.parametrize("path", ["/assignments", "/answers", "/answers/{pk}", "/answers/999999"])
def test_strangers_and_anonymous_callers_get_404(client_for, stranger, mix, path):
    path = path.format(pk=mix.work.answer("policy").pk)
    assert client_for(stranger).get(api(mix, path)).status_code == 404
    assert client_for(None).get(api(mix, path)).status_code == 404


def test_an_unknown_review_is_404(client_for, mix):
    response = client_for(mix.work.coordinator).get("/api/reviews/nowhere/answers")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_the_schema_lists_the_operations(client_for):
    schema = client_for(None).get("/api/openapi.json").json()
    for path in (
        "/api/reviews/{slug}/assignments",
        "/api/reviews/{slug}/answers",
        "/api/reviews/{slug}/answers/{answer_id}",
    ):
        assert path in schema["paths"]
    schemas = schema["components"]["schemas"]
    assert "AnswerOut" in schemas
    assert set(schemas["Status"]["enum"]) == set(Answer.Status.values)
