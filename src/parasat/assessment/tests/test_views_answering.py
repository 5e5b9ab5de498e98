"""The answer form, saving, evidence, comments and history, for every role."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from parasat.assessment import selectors, services
from parasat.assessment.models import Answer, AnswerVersion, Evidence
from parasat.assessment.tests.factories import working_group
from parasat.conftest import ALL_ROLES
from parasat.reviews.models import Role
from parasat.toolkit.tests.factories import ProvisionFactory

S = Answer.Status
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def url(name, work, *args):
    return reverse(f"assessment:{name}", args=[work.review.slug, *args])


def post_save(client, work, answer, value, base=None, explanation="", confidentiality="team"):
    return client.post(
        url("answer_save", work, answer.pk),
        {
            "value": value,
            "explanation": explanation,
            "confidentiality": confidentiality,
            "base_version": answer.version if base is None else base,
        },
        **FETCH,
    )


def save(work, name, value, by=None, confidentiality="team"):
    answer = work.answer(name)
    services.answer_save(
        answer=answer,
        by=by or work.contact,
        value=value,
        explanation="",
        confidentiality=confidentiality,
        base_version=answer.version,
    )
    return answer


def forward_all(work, confidentiality="team"):
    save(work, "policy", "yes", confidentiality=confidentiality)
    save(work, "share", "40", confidentiality=confidentiality)
    save(work, "describe", "Text", confidentiality=confidentiality)
    services.assignment_submit(assignment=work.assignment, by=work.contact)
    services.answers_decide(
        answers=list(work.assignment.answers.all()), by=work.coordinator, accept=True
    )
    services.area_forward(
        review=work.review, area=work.assignment.questionnaire.area, by=work.coordinator
    )


def test_the_contact_person_gets_the_form_with_every_type(
    work, client_for, django_assert_max_num_queries
):
    client = client_for(work.contact)
    with django_assert_max_num_queries(16):
        response = client.get(url("assignment", work, work.assignment.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("data-autosave") == 6
    assert 'type="radio" name="value" value="partly"' in html
    assert 'type="checkbox" name="value" value="agency"' in html
    assert 'type="date"' in html
    assert "assessment/form.js" in html
    assert "Submit the answers to the co-ordinator" in html


def test_the_form_headings_step_down_inside_a_group(work, client_for):
    for name in ("policy", "since"):
        services.evidence_add_reference(
            answer=work.answer(name),
            by=work.contact,
            kind=Evidence.Kind.LINK,
            title=f"Link for {name}",
            url="https://example.kz/act",
            confidentiality="team",
        )
    html = client_for(work.contact).get(url("assignment", work, work.assignment.pk)).text
    # Each list of evidence is headed one level below its question.
    assert html.count("<h3>Evidence</h3>") == 1 and html.count("<h4>Evidence</h4>") == 1
    heading = {}
    for name in ("policy", "describe", "since", "act"):
        pk = work.answer(name).pk
        start = html.index(f'id="label-{pk}"')
        heading[name] = html[html.rindex("<", 0, start) + 1 : start].split()[0]
    group = html[html.index('class="group-title"') - 4 : html.index('class="group-title"')]
    # Under the h1: the questions at the top and the group are h2, the group's questions h3.
    assert heading == {"policy": "h2", "describe": "h2", "since": "h3", "act": "h3"}
    assert group.strip("< ") == "h2"


def test_the_answer_page_heads_its_evidence_once(work, client_for):
    services.evidence_add_reference(
        answer=work.answer("policy"),
        by=work.contact,
        kind=Evidence.Kind.LINK,
        title="A link",
        url="https://example.kz/act",
        confidentiality="team",
    )
    html = client_for(work.contact).get(url("answer", work, work.answer("policy").pk)).text
    assert html.count(">Evidence</h") == 1


def test_the_answer_page_marks_parasat_s_own_paraphrase_and_shows_no_number_for_it(
    work, client_for
):
    answer = work.answer("policy")
    numbered = ProvisionFactory(ref="art.5(3)")
    paraphrase = ProvisionFactory(ref="overall", is_paraphrase=True)
    answer.question.provisions.add(numbered, paraphrase)
    client = client_for(work.contact)
    html = client.get(url("answer", work, answer.pk)).text
    assert "UNCAC:art.5(3)" in html and "UNCAC:overall" not in html
    assert html.count("Parasat's paraphrase") == 1
    client.cookies["django_language"] = "ru"
    assert "Изложение Parasat" in client.get(url("answer", work, answer.pk)).text


def test_the_form_query_count_does_not_grow_with_answers_and_evidence(
    work, client_for, django_assert_max_num_queries
):
    answer = work.answer("describe")
    for i in range(3):
        save(work, "describe", f"Version {i}")
    for i in range(20):
        services.evidence_add_reference(
            answer=answer,
            by=work.contact,
            kind="legal_act",
            title=f"Act {i}",
            citation=f"Law No. {i}",
            confidentiality="team",
        )
        services.comment_post(answer=answer, by=work.coordinator, body=f"Comment {i}")
    client = client_for(work.contact)
    with django_assert_max_num_queries(16):
        assert client.get(url("assignment", work, work.assignment.pk)).status_code == 200


def test_the_form_lists_an_answer_s_first_evidence_and_counts_the_rest(work, client_for):
    """However much evidence an answer holds, its row lists the first few and
    says how many more there are; the answer's page lists them all."""
    answer = work.answer("describe")
    for i in range(5):
        services.evidence_add_reference(
            answer=answer,
            by=work.contact,
            kind="legal_act",
            title=f"Act number {i}",
            citation=f"Law No. {i}",
            confidentiality="team",
        )
    client = client_for(work.contact)
    html = client.get(url("assignment", work, work.assignment.pk)).text
    shown = [i for i in range(5) if f"Act number {i}" in html]
    assert shown == list(range(selectors.FORM_EVIDENCE)) == [0, 1, 2]  # the first added
    assert "<h3>Evidence (5)</h3>" in html
    more = f'<a href="{url("answer", work, answer.pk)}#h-evidence">2 more items: every one'
    assert more in html
    page = client.get(url("answer", work, answer.pk)).text
    assert all(f"Act number {i}" in page for i in range(5))


def test_the_evidence_shown_and_counted_is_what_the_reader_may_see(work, client_for, persona):
    """The count on the form counts only the items the reader may see."""
    answer = work.answer("act")
    for i, level in enumerate(["government", "government", "team", "government", "team"]):
        services.evidence_add_reference(
            answer=answer,
            by=work.contact,
            kind="link",
            title=f"Link {i} ({level})",
            url=f"https://example.kz/{i}",
            confidentiality=level,
        )
    save(work, "act", "See the links.", confidentiality="team")
    forward_all(work)
    analyst = client_for(persona(Role.ANALYST))
    html = analyst.get(url("assignment", work, work.assignment.pk)).text
    assert "Link 2 (team)" in html and "Link 4 (team)" in html
    assert "(government)" not in html and "more item" not in html


def test_autosave_answers_json_and_keeps_a_version(work, client_for):
    client = client_for(work.contact)
    answer = work.answer("share")
    response = post_save(client, work, answer, "12,5")
    assert response.status_code == 200
    assert response.json()["ok"] and response.json()["version"] == 1
    answer.refresh_from_db()
    assert answer.raw == "12.5"
    assert AnswerVersion.objects.filter(answer=answer).count() == 1


def test_a_save_without_script_redirects_back_to_the_question(work, client_for):
    client = client_for(work.contact)
    answer = work.answer("policy")
    response = client.post(
        url("answer_save", work, answer.pk),
        {"value": "yes", "explanation": "", "confidentiality": "team", "base_version": 0},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#q-policy")


def test_bad_values_get_a_clear_error_and_nothing_is_written(work, client_for):
    client = client_for(work.contact)
    answer = work.answer("share")
    response = post_save(client, work, answer, "150")
    assert response.status_code == 422
    assert response.json()["errors"] == ["Enter a percentage between 0 and 100."]
    response = post_save(client, work, answer, "1", confidentiality="secret")
    assert response.status_code == 422
    answer.refresh_from_db()
    assert answer.version == 0 and not AnswerVersion.objects.exists()


def test_a_second_editor_is_refused_and_shown_both_versions(work, client_for):
    answer = work.answer("describe")
    post_save(client_for(work.coordinator), work, answer, "The co-ordinator's text")
    response = post_save(client_for(work.contact), work, answer, "The contact's text", base=0)
    assert response.status_code == 409
    html = response.content.decode()
    assert "The co-ordinator&#x27;s text" in html and "The contact&#x27;s text" in html
    answer.refresh_from_db()
    assert answer.raw == "The co-ordinator's text"


def test_submit_lists_what_is_missing(work, client_for):
    client = client_for(work.contact)
    response = client.post(url("assignment_submit", work, work.assignment.pk), follow=True)
    html = response.content.decode()
    # One message, each question a link to where it is answered.
    assert html.count('class="message message-error"') == 1
    assert "Nothing was submitted. These questions still need you:" in html
    assert '<li><a href="#q-policy">S-01</a>: This question needs an answer.</li>' in html
    assert '<li><a href="#q-describe">S-04</a>: This question needs an answer.</li>' in html
    assert not work.assignment.answers.exclude(status=S.DRAFT).exists()


def test_evidence_upload_and_download(work, client_for):
    client = client_for(work.contact)
    answer = work.answer("act")
    response = client.post(
        url("evidence_add", work, answer.pk),
        {
            "kind": "file",
            "title": "",
            "confidentiality": "team",
            "next": "form",
            "file": SimpleUploadedFile("Закон.pdf", b"%PDF-1.7 body"),
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#q-act")
    evidence = Evidence.objects.get()
    download = client.get(url("evidence_download", work, evidence.pk))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == b"%PDF-1.7 body"


def test_evidence_goes_through_the_storage_api(work, client_for, uploads_in_memory, settings):
    client = client_for(work.contact)
    answer = work.answer("act")
    client.post(
        url("evidence_add", work, answer.pk),
        {
            "kind": "file",
            "title": "Law",
            "confidentiality": "team",
            "file": SimpleUploadedFile("law.pdf", b"%PDF-1.7 law"),
        },
    )
    evidence = Evidence.objects.get()
    assert uploads_in_memory.exists(evidence.file.name)
    download = url("evidence_download", work, evidence.pk)
    assert b"".join(client.get(download).streaming_content) == b"%PDF-1.7 law"
    assert not settings.MEDIA_ROOT.exists()
    uploads_in_memory.delete(evidence.file.name)
    assert client.get(download).status_code == 404


def test_a_bad_file_is_refused_with_a_reason(work, client_for):
    client = client_for(work.contact)
    answer = work.answer("act")
    response = client.post(
        url("evidence_add", work, answer.pk),
        {"kind": "file", "confidentiality": "team", "file": SimpleUploadedFile("x.exe", b"MZ\x90")},
        follow=True,
    )
    assert "Evidence not added" in response.content.decode()
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("page", ["answer", "form"])
def test_evidence_refused_comes_back_as_typed_with_the_reason_once(work, client_for, page):
    client = client_for(work.contact)
    answer = work.answer("act")  # an evidence question: the form adds evidence in its row
    data = {
        "kind": "link",
        "url": "ftp://example.kz/act",
        "title": "Law on <access>",
        "confidentiality": "public",
        **({"next": "form"} if page == "form" else {}),
    }
    response = client.post(url("evidence_add", work, answer.pk), data, follow=True)
    html = response.content.decode()
    assert not Evidence.objects.exists()
    form = html[html.index(f'action="{url("evidence_add", work, answer.pk)}"') :]
    form = form[: form.index("</form>")]
    assert 'value="ftp://example.kz/act"' in form
    assert 'value="Law on &lt;access&gt;"' in form
    assert '<input type="radio" name="kind" value="link" checked>' in form
    assert '<option value="public" selected>' in form
    assert "Enter a web address" in form  # the reason beside the form, not only at the top
    assert re.search(r'<details class="evidence-add"( id="add-evidence")? open>', html)
    again = client.get(response.redirect_chain[-1][0]).content.decode()
    assert "ftp://example.kz/act" not in again  # once: a reload starts afresh


def test_comments_and_history(work, client_for):
    save(work, "describe", "First")
    save(work, "describe", "First and second")
    answer = work.answer("describe")
    client = client_for(work.coordinator)
    client.post(url("comment_post", work, answer.pk), {"body": "Please cite the law."})
    page = client.get(url("answer", work, answer.pk)).content.decode()
    assert "Please cite the law." in page
    history = client.get(url("answer_history", work, answer.pk) + "?a=1&b=2").content.decode()
    assert "First and second" in history and "Version 2" in history
    assert "Side by side" in history
    save(work, "policy", "yes")
    once = client.get(url("answer_history", work, work.answer("policy").pk)).content.decode()
    assert "Side by side" not in once  # one version: nothing to set beside it


def test_add_evidence_in_the_form_opens_the_upload_form(work, client_for):
    client = client_for(work.contact)
    html = client.get(url("assignment", work, work.assignment.pk)).text
    answer = work.answer("policy")
    link = f"{url('answer', work, answer.pk)}?evidence=add#add-evidence"
    assert f'href="{link}"' in html
    page = client.get(url("answer", work, answer.pk), {"evidence": "add"}).text
    assert '<details class="evidence-add" id="add-evidence" open>' in page
    plain = client.get(url("answer", work, answer.pk)).text
    assert '<details class="evidence-add" id="add-evidence">' in plain


def test_the_comment_count_counts_only_comments_the_reader_may_read(work, persona, client_for):
    forward_all(work, confidentiality="peers")
    services.peer_review_open(review=work.review, by=work.coordinator)
    answer = work.answer("describe")
    services.comment_post(answer=answer, by=work.coordinator, body="Which law?")
    page = url("assignment", work, work.assignment.pk)
    assert "Details and comments (1)" in client_for(persona(Role.ANALYST)).get(page).text
    peer = client_for(persona(Role.PEER_REVIEWER))
    assert peer.get(url("answer", work, answer.pk)).status_code == 200  # the answer, not its thread
    html = peer.get(page).text
    assert "Details and comments" in html and "Details and comments (" not in html


def mailed(mailoutbox) -> set[str]:
    return {address for message in mailoutbox for address in message.to}


@pytest.mark.parametrize("confidentiality", ["government", "team"])
def test_a_comment_is_mailed_only_to_those_who_may_open_it(
    work, persona, mailoutbox, django_capture_on_commit_callbacks, confidentiality
):
    analyst = persona(Role.ANALYST)
    forward_all(work, confidentiality=confidentiality)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_post(answer=work.answer("describe"), by=work.contact, body="See p. 3.")
    assert work.coordinator.email in mailed(mailoutbox)
    assert (analyst.email in mailed(mailoutbox)) == (confidentiality == "team")


def test_the_team_is_told_only_of_forwarded_answers_it_may_read(
    work, persona, mailoutbox, django_capture_on_commit_callbacks
):
    analyst = persona(Role.ANALYST)
    save(work, "policy", "yes", confidentiality="government")
    save(work, "share", "40")
    save(work, "describe", "Text")
    services.assignment_submit(assignment=work.assignment, by=work.contact)
    services.answers_decide(
        answers=list(work.assignment.answers.all()), by=work.coordinator, accept=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        forwarded = services.area_forward(
            review=work.review, area=work.assignment.questionnaire.area, by=work.coordinator
        )
    readable = [a for a in forwarded if a.confidentiality != "government"]
    assert len(readable) == len(forwarded) - 1
    (message,) = [m for m in mailoutbox if m.to == [analyst.email]]
    assert f"forwarded {len(readable)} accepted answers" in message.body


def test_no_mail_to_the_team_when_it_may_read_none_of_the_forwarded_answers(
    work, persona, mailoutbox, django_capture_on_commit_callbacks
):
    analyst = persona(Role.ANALYST)
    work.assignment.answers.update(confidentiality="government")
    with django_capture_on_commit_callbacks(execute=True):
        forward_all(work, confidentiality="government")
    assert work.assignment.answers.filter(status=S.FORWARDED).count() == 6
    assert not [m for m in mailoutbox if analyst.email in m.to]


ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
WITH_SECONDS = re.compile(r"\b\d{1,2}:\d{2}:\d{2}\b")


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_dates_are_localised_without_seconds_on_every_page_of_the_work(work, client_for, language):
    save(work, "describe", "First")
    save(work, "describe", "First and second")
    answer = work.answer("describe")
    services.comment_post(answer=answer, by=work.coordinator, body="Which law?")
    client = client_for(work.coordinator)
    client.cookies["django_language"] = language
    with translation.override(language):
        due = date_format(work.assignment.due_on, "j E Y")
    pages = {
        "dashboard": reverse("assessment:home", args=[work.review.slug]),
        "assignment": url("assignment", work, work.assignment.pk),
        "history": url("answer_history", work, answer.pk),
        "answer": url("answer", work, answer.pk),
    }
    for name, address in pages.items():
        text = visible_text(client.get(address).text)
        assert not ISO_DATE.search(text), (name, ISO_DATE.search(text))
        assert not WITH_SECONDS.search(text), (name, WITH_SECONDS.search(text))
        if name in {"dashboard", "assignment"}:
            assert due in text, name


# --- who may reach what --------------------------------------------------------


def test_another_ministry_sees_nothing(work, client_for):
    _, outsider = working_group(work.review, username="other-contact")
    from parasat.reviews.models import Participant

    Participant.objects.filter(user=outsider).update(
        organisation=type(work.ministry).objects.create(
            code="min-other", name={"en": "Other"}, kind="ministry"
        )
    )
    client = client_for(outsider)
    answer = work.answer("describe")
    assert client.get(url("assignment", work, work.assignment.pk)).status_code == 404
    assert client.get(url("answer", work, answer.pk)).status_code == 404
    assert post_save(client, work, answer, "x").status_code == 404


def test_a_stranger_gets_404_everywhere(work, client_for, stranger):
    client = client_for(stranger)
    answer = work.answer("describe")
    for response in (
        client.get(url("assignment", work, work.assignment.pk)),
        client.get(url("answer", work, answer.pk)),
        client.get(url("answer_history", work, answer.pk)),
        post_save(client, work, answer, "x"),
    ):
        assert response.status_code == 404


# The contact person of the fixture's own ministry edits; another ministry's is covered above.
@pytest.mark.parametrize("role", [r for r in ALL_ROLES if r != Role.CONTACT_PERSON])
def test_drafts_are_read_only_by_the_government_side(work, persona, client_for, role):
    user = persona(role)
    client = client_for(user)
    answer = work.answer("describe")
    status = client.get(url("answer", work, answer.pk)).status_code
    save_status = post_save(client, work, answer, "x").status_code
    if role == Role.COORDINATOR:
        assert (status, save_status) == (200, 200)
    else:
        assert status == 404
        assert save_status in {403, 404}
    answer.refresh_from_db()
    assert answer.raw in {None, "x"} and (answer.raw is None or role == Role.COORDINATOR)


@pytest.mark.parametrize(
    ("confidentiality", "role", "stage", "visible"),
    [
        ("team", Role.ANALYST, None, True),
        ("government", Role.ANALYST, None, False),
        ("government", Role.EXPERT, None, False),
        ("team", Role.PEER_REVIEWER, "peer", False),
        ("peers", Role.PEER_REVIEWER, None, False),
        ("peers", Role.PEER_REVIEWER, "peer", True),
        ("public", Role.CIVIL_SOCIETY, "peer", False),
        ("public", Role.CIVIL_SOCIETY, "publish", True),
        ("peers", Role.BUSINESS, "publish", False),
        ("government", Role.PEER_REVIEWER, "peer", False),
    ],
)
def test_forwarded_answers_follow_confidentiality_and_stage(
    work, persona, client_for, confidentiality, role, stage, visible
):
    forward_all(work, confidentiality=confidentiality)
    if stage == "peer":
        services.peer_review_open(review=work.review, by=work.coordinator)
    if stage == "publish":
        services.answers_publish(review=work.review, by=work.coordinator)
    client = client_for(persona(role))
    answer = work.answer("describe")
    expected = 200 if visible else 404
    assert client.get(url("answer", work, answer.pk)).status_code == expected
    assert client.get(url("answer_history", work, answer.pk)).status_code == expected
    assert post_save(client, work, answer, "x").status_code in {403, 404}


def test_government_only_evidence_never_reaches_the_analytical_team(work, persona, client_for):
    answer = work.answer("act")
    secret = services.evidence_add_file(
        answer=answer,
        by=work.contact,
        upload=SimpleUploadedFile("secret.pdf", b"%PDF-1 s"),
        confidentiality="government",
    )
    shared = services.evidence_add_file(
        answer=answer,
        by=work.contact,
        upload=SimpleUploadedFile("shared.pdf", b"%PDF-1 t"),
        confidentiality="team",
    )
    forward_all(work)
    analyst = client_for(persona(Role.ANALYST))
    assert analyst.get(url("evidence_download", work, secret.pk)).status_code == 404
    assert analyst.get(url("evidence_download", work, shared.pk)).status_code == 200
    page = analyst.get(url("assignment", work, work.assignment.pk)).content.decode()
    assert "shared.pdf" in page and "secret.pdf" not in page
    history = analyst.get(url("answer_history", work, answer.pk)).content.decode()
    assert "secret.pdf" not in history
    coordinator = client_for(work.coordinator)
    assert coordinator.get(url("evidence_download", work, secret.pk)).status_code == 200


def test_comment_rights(work, persona, client_for):
    answer = work.answer("describe")
    analyst = client_for(persona(Role.ANALYST))
    assert analyst.post(url("comment_post", work, answer.pk), {"body": "x"}).status_code == 404
    peer = client_for(persona(Role.PEER_REVIEWER))
    assert peer.post(url("comment_post", work, answer.pk), {"body": "x"}).status_code == 403
    forward_all(work)
    assert analyst.post(url("comment_post", work, answer.pk), {"body": "Seen."}).status_code == 302
    assert answer.comments.get().body == "Seen."


def test_history_hides_versions_saved_under_a_narrower_confidentiality(work, persona, client_for):
    answer = work.answer("describe")
    services.answer_save(
        answer=answer,
        by=work.contact,
        value="Internal figures only",
        explanation="",
        confidentiality="government",
        base_version=0,
    )
    services.answer_save(
        answer=answer,
        by=work.contact,
        value="Published figures",
        explanation="",
        confidentiality="public",
        base_version=1,
    )
    save(work, "policy", "yes", confidentiality="public")
    save(work, "share", "1", confidentiality="public")
    services.assignment_submit(assignment=work.assignment, by=work.contact)
    services.answers_decide(
        answers=list(work.assignment.answers.all()), by=work.coordinator, accept=True
    )
    services.area_forward(
        review=work.review, area=work.assignment.questionnaire.area, by=work.coordinator
    )
    services.peer_review_open(review=work.review, by=work.coordinator)
    peer = client_for(persona(Role.PEER_REVIEWER)).get(url("answer_history", work, answer.pk))
    assert peer.status_code == 200
    html = peer.content.decode()
    assert "Published figures" in html and "Internal figures only" not in html
    analyst = client_for(persona(Role.ANALYST)).get(url("answer_history", work, answer.pk))
    assert "Internal figures only" not in analyst.content.decode()
    own = client_for(work.contact).get(url("answer_history", work, answer.pk))
    assert "Internal figures only" in own.content.decode()


@pytest.mark.parametrize("base", ["", "abc", "1.5"])
def test_a_save_without_a_readable_base_version_is_refused_clearly(work, client_for, base):
    client = client_for(work.contact)
    answer = work.answer("describe")
    response = client.post(
        url("answer_save", work, answer.pk),
        {"value": "Text", "explanation": "", "confidentiality": "team", "base_version": base},
        **FETCH,
    )
    assert response.status_code == 422
    assert "reload the page" in response.json()["errors"][0]
    answer.refresh_from_db()
    assert answer.version == 0 and not AnswerVersion.objects.exists()


@pytest.mark.parametrize("corrects", ["abc", "999999", "-1", "²", "9" * 30])
def test_a_correction_of_an_unknown_comment_is_not_found(work, client_for, corrects):
    client = client_for(work.coordinator)
    answer = work.answer("describe")
    response = client.post(
        url("comment_post", work, answer.pk), {"body": "x", "corrects": corrects}
    )
    assert response.status_code == 404
    assert not answer.comments.exists()


def test_working_group_falls_back_to_the_ministry_when_the_assignee_left(work):
    from parasat.assessment.selectors import working_group
    from parasat.reviews.models import Participant

    assert working_group(work.assignment) == {work.contact.pk}
    _, colleague = working_group_setup(work)
    Participant.objects.filter(user=work.contact).update(active=False)
    assert working_group(work.assignment) == {colleague.pk}


def working_group_setup(work):
    from parasat.assessment.tests.factories import working_group as add_contact

    return add_contact(work.review, ministry=work.ministry, username="colleague")


def test_a_contact_person_who_leaves_the_ministry_leaves_its_work(work, client_for):
    """Still named as the assignee, they no longer read or change the answers."""
    from parasat.accounts.tests.factories import OrganisationFactory
    from parasat.reviews.models import Participant

    answer = work.answer("describe")
    client = client_for(work.contact)
    assert client.get(url("answer", work, answer.pk)).status_code == 200
    role = Participant.objects.get(review=work.review, user=work.contact)
    role.organisation = OrganisationFactory(code="min-health")
    role.save()
    assert work.assignment.assignee == work.contact
    assert client.get(url("answer", work, answer.pk)).status_code == 404
    assert client.get(url("assignment", work, work.assignment.pk)).status_code == 404
    assert post_save(client, work, answer, "Changed", base=answer.version).status_code == 404
    assert url("assignment", work, work.assignment.pk) not in client.get(url("mine", work)).text
    answer.refresh_from_db()
    assert answer.raw != "Changed"


# --- every role against the actions on a draft, and comments on forwarded answers -------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_the_government_side_acts_on_a_draft(work, persona, client_for, role):
    answer = work.answer("describe")
    kept = services.evidence_add_reference(
        answer=answer,
        by=work.contact,
        kind="link",
        title="",
        url="https://kept.kz",
        confidentiality="team",
    )
    user = work.contact if role == Role.CONTACT_PERSON else persona(role)
    client = client_for(user)
    link = {
        "kind": "link",
        "url": "https://new.kz",
        "title": "",
        "citation": "",
        "confidentiality": "team",
    }
    statuses = {
        "evidence": client.post(url("evidence_add", work, answer.pk), link).status_code,
        "withdraw": client.post(url("evidence_withdraw", work, kept.pk)).status_code,
        "comment": client.post(url("comment_post", work, answer.pk), {"body": "x"}).status_code,
        "submit": client.post(url("assignment_submit", work, work.assignment.pk)).status_code,
    }
    if role in (Role.CONTACT_PERSON, Role.COORDINATOR):
        assert set(statuses.values()) == {302}
        assert answer.evidence.filter(url="https://new.kz").exists()
        return
    assert all(code in (403, 404) for code in statuses.values()), statuses
    assert list(answer.evidence.values_list("url", "withdrawn_at")) == [("https://kept.kz", None)]
    assert not answer.comments.exists()
    assert not work.assignment.answers.exclude(status=S.DRAFT).exists()


@pytest.mark.parametrize(
    ("role", "may"),
    [
        (Role.ANALYST, True),
        (Role.EXPERT, True),
        (Role.LOCAL_CONSULTANT, True),
        (Role.PEER_REVIEWER, False),
        (Role.CIVIL_SOCIETY, False),
        (Role.BUSINESS, False),
    ],
)
def test_the_analytical_team_comments_on_forwarded_answers_and_no_one_else(
    mix, persona, client_for, role, may
):
    work = mix.work  # built by data_setup.build
    answer = work.answer("describe")  # forwarded, public, published: every role reads it
    assert answer.status == S.FORWARDED
    client = client_for(persona(role))
    assert client.get(url("answer", work, answer.pk)).status_code == 200
    before = answer.comments.count()
    response = client.post(url("comment_post", work, answer.pk), {"body": "A question."})
    if may:
        assert response.status_code == 302
        assert answer.comments.count() == before + 1
    else:
        assert response.status_code in (403, 404)
        assert answer.comments.count() == before


def test_a_superuser_acts_as_the_coordinator(work, client_for):
    from parasat.accounts.tests.factories import UserFactory

    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client = client_for(admin)
    answer = work.answer("describe")
    assert client.get(url("answer", work, answer.pk)).status_code == 200
    assert client.get(url("assignment", work, work.assignment.pk)).status_code == 200
    assert client.get(reverse("assessment:home", args=[work.review.slug])).status_code == 200
    assert client.get(reverse("assessment:queue", args=[work.review.slug])).status_code == 200
    assert post_save(client, work, answer, "Set by the administrator").status_code == 200
    answer.refresh_from_db()
    assert answer.raw == "Set by the administrator"


def test_the_form_keeps_what_never_changes_of_a_questionnaire_in_use(
    work, client_for, django_assert_max_num_queries
):
    """The questions and choices of a frozen questionnaire are read and drawn
    once per language; a text edited in the administration shows at once."""
    client = client_for(work.contact)
    form = url("assignment", work, work.assignment.pk)
    assert work.assignment.questionnaire.frozen
    client.get(form)
    with django_assert_max_num_queries(16) as kept:
        html = client.get(form).content.decode()
    read = " ".join(q["sql"] for q in kept.captured_queries)
    assert 'FROM "toolkit_question"' not in read and 'FROM "toolkit_choice"' not in read
    question = work.answer("policy").question
    question.label = {"en": "Is there an edited policy?"}
    question.save()  # as the administration saves it
    choice = question.choice_list.choices.get(name="partly")
    choice.label = {"en": "In some ministries"}
    choice.save()
    html = client.get(form).content.decode()
    assert "Is there an edited policy?" in html and "In some ministries" in html
    # Another language is drawn apart, from the same rows.
    translation.activate("ru")
    html = client.get(form, headers={"accept-language": "ru"}).content.decode()
    assert "Is there an edited policy?" in html and 'lang="en"' in html  # marked: in English
