import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from parasat.assessment import services
from parasat.assessment.models import (
    Answer,
    AnswerVersion,
    Assignment,
    Evidence,
    Reminder,
    Transition,
)
from parasat.assessment.tasks import send_due_reminders
from parasat.assessment.tests.factories import assign, sample_questionnaire, working_group

S = Answer.Status


def save(answer, by, value, explanation="", confidentiality="team", base=None, **kw):
    return services.answer_save(
        answer=answer,
        by=by,
        value=value,
        explanation=explanation,
        confidentiality=confidentiality,
        base_version=answer.version if base is None else base,
        **kw,
    )


def fill(work):
    save(work.answer("policy"), work.contact, "partly")
    save(work.answer("share"), work.contact, "40")
    save(work.answer("describe"), work.contact, "The law of 2015.")


def test_assigning_freezes_the_questionnaire_and_makes_a_draft_per_question(work):
    q = work.assignment.questionnaire
    q.refresh_from_db()
    assert q.frozen
    names = sorted(work.assignment.answers.values_list("question__name", flat=True))
    assert names == ["act", "bodies", "describe", "policy", "share", "since"]
    assert set(work.assignment.answers.values_list("status", flat=True)) == {S.DRAFT}


def test_a_questionnaire_is_assigned_once_per_review(work):
    with pytest.raises(ValidationError):
        services.assignment_create(
            review=work.review,
            questionnaire=work.assignment.questionnaire,
            ministry=work.ministry,
            assignee=None,
            due_on=dt.date.today(),
            by=work.coordinator,
        )


def test_assignee_must_be_a_contact_person_of_the_ministry(review, persona):
    coordinator = persona("coordinator")
    ministry, _ = working_group(review)
    other_ministry, other = working_group(review, username="other")
    from parasat.accounts.tests.factories import OrganisationFactory

    third = OrganisationFactory(code="min-third")
    with pytest.raises(ValidationError):
        assign(review, by=coordinator, ministry=third, assignee=other)


def test_saving_keeps_every_version_and_normalises_values(work):
    answer = work.answer("share")
    assert save(answer, work.contact, " 12,5 ")
    assert answer.raw == "12.5"
    assert save(answer, work.contact, "13")
    assert not save(answer, work.contact, "13")  # nothing changed: no new version
    assert list(answer.versions.values_list("number", "value")) == [
        (1, {"value": "12.5"}),
        (2, {"value": "13"}),
    ]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("share", "abc", "Enter a number."),
        ("share", "150", "Enter a percentage between 0 and 100."),
        ("policy", "maybe", "is not one of the options"),
        ("bodies", ["agency", "ghost"], "is not one of the options"),
        ("since", "2015-13-01", "YYYY-MM-DD"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(work, name, value, message):
    answer = work.answer(name)
    with pytest.raises(ValidationError, match=message):
        save(answer, work.contact, value)
    answer.refresh_from_db()
    assert answer.value == {} and answer.version == 0
    assert not AnswerVersion.objects.filter(answer=answer).exists()


def test_a_stale_save_is_refused_with_both_versions(work, persona):
    answer = work.answer("describe")
    save(answer, work.contact, "First text.")
    other_view = Answer.objects.get(pk=answer.pk)
    save(answer, work.coordinator, "Coordinator's text.")
    with pytest.raises(services.EditConflict) as caught:
        save(other_view, work.contact, "Contact's text.")
    assert caught.value.answer.raw == "Coordinator's text."
    assert caught.value.mine["value"] == {"value": "Contact's text."}
    answer.refresh_from_db()
    assert answer.raw == "Coordinator's text." and answer.version == 2


def test_submit_checks_required_relevance_and_constraints(work):
    with pytest.raises(ValidationError) as caught:
        services.assignment_submit(assignment=work.assignment, by=work.contact)
    text = " ".join(caught.value.messages)
    assert "S-01" in text and "S-04" in text
    assert not Transition.objects.exists()
    # "No" hides the share question: it need not be answered.
    save(work.answer("policy"), work.contact, "no")
    save(work.answer("describe"), work.contact, "None yet.")
    submitted = services.assignment_submit(assignment=work.assignment, by=work.contact)
    assert len(submitted) == 6
    assert set(work.assignment.answers.values_list("status", flat=True)) == {S.SUBMITTED}


def test_the_whole_workflow_is_recorded(work, mailoutbox):
    fill(work)
    services.assignment_submit(assignment=work.assignment, by=work.contact)
    share = work.answer("share")
    with pytest.raises(ValidationError, match="why"):
        services.answers_decide(answers=[share], by=work.coordinator, accept=False, reason=" ")
    services.answers_decide(
        answers=[share], by=work.coordinator, accept=False, reason="Give the source of the figure."
    )
    share.refresh_from_db()
    assert share.status == S.RETURNED and share.return_reason == "Give the source of the figure."
    assert save(share, work.contact, "41", explanation="Register of legal acts, 2014.")
    services.assignment_submit(assignment=work.assignment, by=work.contact, only=[share.pk])
    everything = list(work.assignment.answers.all())
    services.answers_decide(answers=everything, by=work.coordinator, accept=True)
    forwarded = services.area_forward(
        review=work.review, area=work.assignment.questionnaire.area, by=work.coordinator
    )
    assert len(forwarded) == 6
    assert [t.to_status for t in share.transitions.order_by("at", "pk")] == [
        S.SUBMITTED,
        S.RETURNED,
        S.SUBMITTED,
        S.ACCEPTED,
        S.FORWARDED,
    ]
    returned = share.transitions.get(to_status=S.RETURNED)
    assert returned.by == work.coordinator and returned.reason


def test_moving_answers_takes_as_many_queries_for_one_as_for_many(work, django_assert_num_queries):
    """Submitting, accepting and forwarding record each answer's change, in
    queries that do not grow with the number of answers moved at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fill(work)
    share, policy, describe = (work.answer(n) for n in ("share", "policy", "describe"))

    def queries(action) -> int:
        with CaptureQueriesContext(connection) as captured:
            action()
        return len(captured.captured_queries)

    def submit(answers):
        return services.assignment_submit(
            assignment=work.assignment, by=work.contact, only=[a.pk for a in answers]
        )

    def accept(answers):
        return services.answers_decide(answers=answers, by=work.coordinator, accept=True)

    assert queries(lambda: submit([share])) == queries(lambda: submit([policy, describe]))
    assert queries(lambda: accept([share])) == queries(lambda: accept([policy, describe]))
    forwarded = services.area_forward(
        review=work.review, area=work.assignment.questionnaire.area, by=work.coordinator
    )
    assert len(forwarded) == 3 and {a.status for a in forwarded} == {S.FORWARDED}
    for answer in (share, policy, describe):
        answer.refresh_from_db()
        assert answer.status == S.FORWARDED
        assert [t.to_status for t in answer.transitions.order_by("pk")] == [
            S.SUBMITTED,
            S.ACCEPTED,
            S.FORWARDED,
        ]
    assert Transition.objects.count() == 9


def test_deciding_needs_every_answer_submitted(work):
    fill(work)
    answers = list(work.assignment.answers.all())
    with pytest.raises(ValidationError, match="Only submitted"):
        services.answers_decide(answers=answers, by=work.coordinator, accept=True)
    assert not Transition.objects.exists()


def test_submitted_answers_cannot_be_edited(work):
    fill(work)
    services.assignment_submit(assignment=work.assignment, by=work.contact)
    with pytest.raises(ValidationError, match="no longer be changed"):
        save(work.answer("describe"), work.contact, "Changed")


def test_evidence_is_sniffed_and_withdrawn_not_deleted(work):
    answer = work.answer("act")
    pdf = SimpleUploadedFile("law.pdf", b"%PDF-1.4 minimal", content_type="text/html")
    evidence = services.evidence_add_file(
        answer=answer, by=work.contact, upload=pdf, title="", confidentiality="government"
    )
    assert evidence.content_type == "application/pdf" and evidence.title == "law.pdf"
    assert evidence.file.name.startswith(f"assessment/{work.review.pk}/")
    assert "law" not in evidence.file.name
    fake = SimpleUploadedFile("report.pdf", b"<html>not a pdf</html>")
    with pytest.raises(ValidationError, match="does not match"):
        services.evidence_add_file(
            answer=answer, by=work.contact, upload=fake, confidentiality="team"
        )
    with pytest.raises(ValidationError, match="https://"):
        services.evidence_add_reference(
            answer=answer,
            by=work.contact,
            kind="link",
            title="x",
            url="javascript:alert(1)",
            confidentiality="team",
        )
    services.evidence_withdraw(evidence=evidence, by=work.contact)
    assert Evidence.objects.filter(pk=evidence.pk, withdrawn_at__isnull=False).exists()


def test_evidence_follows_the_stored_state_not_the_copy_a_page_loaded(work, settings, tmp_path):
    """The page loaded the answer while a draft; it was submitted since."""
    fill(work)
    page_copy = Answer.objects.get(pk=work.answer("describe").pk)
    link = services.evidence_add_reference(
        answer=page_copy,
        by=work.contact,
        kind="link",
        title="",
        url="https://x.kz",
        confidentiality="team",
    )
    services.assignment_submit(assignment=work.assignment, by=work.contact)
    assert page_copy.is_editable  # stale
    pdf = SimpleUploadedFile("law.pdf", b"%PDF-1.4 minimal")
    with pytest.raises(ValidationError, match="only be added"):
        services.evidence_add_file(
            answer=page_copy, by=work.contact, upload=pdf, confidentiality="team"
        )
    with pytest.raises(ValidationError, match="only be added"):
        services.evidence_add_reference(
            answer=page_copy,
            by=work.contact,
            kind="link",
            title="",
            url="https://y.kz",
            confidentiality="team",
        )
    with pytest.raises(ValidationError, match="only be withdrawn"):
        services.evidence_withdraw(evidence=link, by=work.contact)
    assert page_copy.evidence.count() == 1
    assert not any((settings.MEDIA_ROOT / "assessment").rglob("*.pdf"))  # the stored file removed


def test_withdrawing_evidence_is_activity(work):
    answer = work.answer("act")
    link = services.evidence_add_reference(
        answer=answer,
        by=work.contact,
        kind="link",
        title="",
        url="https://x.kz",
        confidentiality="team",
    )
    before = Assignment.objects.get(pk=work.assignment.pk).last_activity_at
    withdrawn = services.evidence_withdraw(evidence=link, by=work.contact)
    after = Assignment.objects.get(pk=work.assignment.pk).last_activity_at
    assert after == withdrawn.withdrawn_at and after > before


def test_comments_are_never_edited_corrections_point_back(work):
    answer = work.answer("policy")
    first = services.comment_post(answer=answer, by=work.coordinator, body="Which law?")
    fix = services.comment_post(
        answer=answer, by=work.coordinator, body="Which decree?", corrects=first
    )
    assert fix.corrects == first and answer.comments.count() == 2
    with pytest.raises(ValidationError):
        services.comment_post(answer=answer, by=work.coordinator, body="   ")


def test_only_the_author_of_a_comment_corrects_it(work):
    answer = work.answer("policy")
    first = services.comment_post(answer=answer, by=work.coordinator, body="Which law?")
    with pytest.raises(ValidationError, match="Only the author"):
        services.comment_post(answer=answer, by=work.contact, body="Which decree?", corrects=first)
    assert answer.comments.count() == 1


def test_notifications_go_to_whoever_acts_next(
    work, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        fill(work)
        services.assignment_submit(assignment=work.assignment, by=work.contact)
    assert [m.to for m in mailoutbox] == [[work.coordinator.email]]
    assert "SAMPLE" in mailoutbox[0].subject


def test_reminders_are_sent_once_per_due_date(work, mailoutbox, persona):
    work.assignment.due_on = dt.date.today() + dt.timedelta(days=2)
    work.assignment.save()
    assert send_due_reminders.call() == 1
    assert send_due_reminders.call() == 0
    work.assignment.due_on = dt.date.today() - dt.timedelta(days=1)
    work.assignment.save()
    assert send_due_reminders.call() == 2  # the contact person and the co-ordinator
    assert send_due_reminders.call() == 0
    assert Reminder.objects.count() == 2
    assert {tuple(m.to) for m in mailoutbox} == {
        (work.contact.email,),
        (work.coordinator.email,),
    }


def test_no_reminder_when_everything_is_submitted(work, mailoutbox):
    fill(work)
    services.assignment_submit(assignment=work.assignment, by=work.contact)
    work.assignment.due_on = dt.date.today() - dt.timedelta(days=1)
    work.assignment.save()
    assert send_due_reminders.call() == 0


def test_area_assign_takes_each_unassigned_questionnaire(review, persona):
    coordinator = persona("coordinator")
    ministry, contact = working_group(review)
    first = sample_questionnaire("A1", area_code="PRC")
    sample_questionnaire("A2", area_code="PRC")
    made = services.area_assign(
        review=review,
        area=first.area,
        ministry=ministry,
        assignee=contact,
        due_on=dt.date.today(),
        by=coordinator,
    )
    assert sorted(a.questionnaire.identifier for a in made) == ["A1", "A2"]
    with pytest.raises(ValidationError):
        services.area_assign(
            review=review,
            area=first.area,
            ministry=ministry,
            assignee=None,
            due_on=dt.date.today(),
            by=coordinator,
        )
