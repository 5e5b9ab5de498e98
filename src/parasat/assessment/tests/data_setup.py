"""A review whose answers have every confidentiality level, for the tests of
the exports and the API: the sample assignment answered, submitted, accepted
and forwarded (with files of several levels), and a second assignment of
another ministry still in draft."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from parasat.accounts.models import User
from parasat.accounts.tests.factories import OrganisationFactory
from parasat.assessment import services
from parasat.assessment.models import Answer, Assignment, Evidence
from parasat.assessment.tests.conftest import Setup
from parasat.assessment.tests.factories import assign, sample_questionnaire, working_group
from parasat.reviews.models import Role

SECRET_TEXT = "Government only: the minister's note"
FORMULA_TEXT = '=HYPERLINK("http://evil.example","click")'
DRAFT_TEXT = "Still a draft of the finance ministry"

# Question name -> confidentiality of the forwarded answer.
LEVELS = {
    "policy": "team",
    "share": "government",
    "bodies": "peers",
    "describe": "public",
    "since": "team",
    "act": "team",
}
# Who reads which forwarded answer of the sample assignment.
SEES = {
    Role.COORDINATOR: set(LEVELS),
    Role.ANALYST: {"policy", "bodies", "describe", "since", "act"},
    Role.EXPERT: {"policy", "bodies", "describe", "since", "act"},
    Role.LOCAL_CONSULTANT: {"policy", "bodies", "describe", "since", "act"},
    Role.PEER_REVIEWER: {"bodies", "describe"},
    Role.CIVIL_SOCIETY: {"describe"},
    Role.BUSINESS: {"describe"},
}


@dataclass
class Mix:
    work: Setup
    other: Assignment  # another ministry's assignment, in draft
    secret_file: Evidence  # government-only file on "policy"
    team_link: Evidence  # analytical-team link on "policy"
    public_act: Evidence  # public legal act on "describe"
    secret_act: Evidence  # government-only legal act on "describe"
    withdrawn: Evidence  # a public link on "describe", withdrawn before submitting


def _save(answer: Answer, by: User, value, confidentiality: str, explanation: str = "") -> None:
    services.answer_save(
        answer=answer,
        by=by,
        value=value,
        explanation=explanation,
        confidentiality=confidentiality,
        base_version=answer.version,
    )


def build(work: Setup) -> Mix:
    contact = work.contact
    values = {
        "policy": "partly",
        "share": "40",
        "bodies": ["agency", "court"],
        "describe": FORMULA_TEXT,
        "since": "2015-06-01",
    }
    for name, value in values.items():
        explanation = SECRET_TEXT if name == "share" else ""
        _save(work.answer(name), contact, value, LEVELS[name], explanation)
    policy, describe = work.answer("policy"), work.answer("describe")
    secret_file = services.evidence_add_file(
        answer=policy,
        by=contact,
        upload=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 secret", "application/pdf"),
        title="Secret minutes",
        confidentiality="government",
    )
    team_link = services.evidence_add_reference(
        answer=policy,
        by=contact,
        kind=Evidence.Kind.LINK,
        title="Team link",
        url="https://example.org/team",
        confidentiality="team",
    )
    public_act = services.evidence_add_reference(
        answer=describe,
        by=contact,
        kind=Evidence.Kind.LEGAL_ACT,
        title="Public act",
        citation="Law No. 1 of 2015, Art. 3",
        confidentiality="public",
    )
    secret_act = services.evidence_add_reference(
        answer=describe,
        by=contact,
        kind=Evidence.Kind.LEGAL_ACT,
        title="Secret act",
        citation="Order No. 7 (restricted)",
        confidentiality="government",
    )
    withdrawn = services.evidence_add_reference(
        answer=describe,
        by=contact,
        kind=Evidence.Kind.LINK,
        title="Withdrawn link",
        url="https://example.org/old",
        confidentiality="public",
    )
    services.evidence_withdraw(evidence=withdrawn, by=contact)
    services.assignment_submit(assignment=work.assignment, by=contact)
    services.answers_decide(
        answers=list(work.assignment.answers.all()), by=work.coordinator, accept=True
    )
    services.area_forward(
        review=work.review, area=work.assignment.questionnaire.area, by=work.coordinator
    )
    services.peer_review_open(review=work.review, by=work.coordinator)
    services.answers_publish(review=work.review, by=work.coordinator)

    finance = OrganisationFactory(code="min-finance")
    _ministry, finance_contact = working_group(work.review, finance, username="finance-contact")
    other = assign(
        work.review,
        by=work.coordinator,
        ministry=finance,
        assignee=finance_contact,
        questionnaire=sample_questionnaire("OTHER", area_code="FIN"),
    )
    _save(other.answers.get(question__name="describe"), finance_contact, DRAFT_TEXT, "public")
    return Mix(work, other, secret_file, team_link, public_act, secret_act, withdrawn)


def more_assignments(work: Setup, count: int) -> None:
    """``count`` more questionnaires assigned to the sample ministry, in draft."""
    for n in range(count):
        assign(
            work.review,
            by=work.coordinator,
            ministry=work.ministry,
            assignee=work.contact,
            questionnaire=sample_questionnaire(f"MORE{n}", area_code=f"M{n}"),
        )
