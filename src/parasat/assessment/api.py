"""JSON API of the self-assessment: the assignments and the answers a reader
may read, with the evidence they may see. Every operation goes through
:mod:`parasat.assessment.access`, as the HTML views do, so government-only
answers and files never reach anyone outside the government side. Comments
stay in the application. Texts from the data (areas, questionnaires,
ministries, questions) come in every content language, as in the reviews API;
an answer's ``display`` (its choices' labels) is in the request's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from parasat.accounts.apiauth import SIGNED_OUT_TOO
from parasat.assessment import access, selectors
from parasat.assessment.access import Reader
from parasat.assessment.models import Answer, Assignment, Evidence
from parasat.assessment.values import display
from parasat.core.lib.schemas import PageOut, PageQuery, Texts, page_of
from parasat.core.lib.urls import url_for_pks
from parasat.reviews.disclosure import Confidentiality
from parasat.reviews.permissions import Perm
from parasat.toolkit.models import Questionnaire

# Signed-out callers are answered as today: the self-assessment of a review
# is not found for them.
router = Router(tags=["assessment"], auth=SIGNED_OUT_TOO)


class AreaOut(Schema):
    code: str
    name: Texts


class QuestionnaireOut(Schema):
    identifier: str
    version: int
    title: Texts


class MinistryOut(Schema):
    code: str
    name: Texts


class CountsOut(Schema):
    total: int
    answered: int
    draft: int
    submitted: int
    returned: int
    accepted: int
    forwarded: int


class AssignmentOut(Schema):
    id: int
    area: AreaOut | None
    questionnaire: QuestionnaireOut
    ministry: MinistryOut
    contact_person: str | None
    due_on: dt.date
    overdue: bool
    last_activity_at: dt.datetime | None
    counts: CountsOut


class QuestionOut(Schema):
    code: str
    name: str
    label: Texts
    kind: str


class EvidenceOut(Schema):
    id: int
    kind: str
    title: str
    file_name: str
    content_type: str
    size: int
    url: str
    citation: str
    confidentiality: Confidentiality
    added_at: dt.datetime
    download: str | None


class AnswerOut(Schema):
    id: int
    assignment: int
    area: AreaOut | None
    questionnaire: QuestionnaireOut
    ministry: MinistryOut
    question: QuestionOut
    status: Answer.Status
    value: str | list[str] | None
    display: str
    explanation: str
    confidentiality: Confidentiality
    version: int
    updated_at: dt.datetime | None
    updated_by: str | None
    evidence: list[EvidenceOut]


class AnswerPage(PageOut):
    items: list[AnswerOut]


class AssignmentPage(PageOut):
    items: list[AssignmentOut]


class AnswerFilters(PageQuery):
    status: Answer.Status | None = None
    area: str = Field("", max_length=3, description="A policy area's code, e.g. REG.")


def _area(questionnaire: Questionnaire) -> AreaOut | None:
    area = questionnaire.area
    return AreaOut(code=area.code, name=Texts.of(area.name)) if area else None


def _questionnaire(questionnaire: Questionnaire) -> QuestionnaireOut:
    return QuestionnaireOut(
        identifier=questionnaire.identifier,
        version=questionnaire.version,
        title=Texts.of(questionnaire.title),
    )


def _ministry(assignment: Assignment) -> MinistryOut:
    ministry = assignment.ministry
    return MinistryOut(code=ministry.code, name=Texts.of(ministry.name))


def _evidence(item: Evidence, download_url: Callable[[int], str]) -> EvidenceOut:
    download = download_url(item.pk) if item.kind == Evidence.Kind.FILE else None
    return EvidenceOut(
        id=item.pk,
        kind=item.kind,
        title=item.title,
        file_name=item.file_name,
        content_type=item.content_type,
        size=item.size,
        url=item.url,
        citation=item.citation,
        confidentiality=Confidentiality(item.confidentiality),
        added_at=item.added_at,
        download=download,
    )


def _download_url(reader: Reader) -> Callable[[int], str]:
    return url_for_pks("assessment:evidence_download", reader.review.slug)


def _answer(
    answer: Any, lists: dict[int, dict[str, str]], download_url: Callable[[int], str]
) -> AnswerOut:
    """``answer`` from :func:`selectors.answers_with_evidence`, with its ``visible_evidence``."""
    question = answer.question
    questionnaire = answer.assignment.questionnaire
    labels = lists.get(question.choice_list_id or 0, {})
    raw = answer.raw
    return AnswerOut(
        id=answer.pk,
        assignment=answer.assignment_id,
        area=_area(questionnaire),
        questionnaire=_questionnaire(questionnaire),
        ministry=_ministry(answer.assignment),
        question=QuestionOut(
            code=question.code,
            name=question.name,
            label=Texts.of(question.label),
            kind=question.kind,
        ),
        status=Answer.Status(answer.status),
        value=raw if isinstance(raw, (str, list)) else None,
        display=display(question, raw, labels),
        explanation=answer.explanation,
        confidentiality=Confidentiality(answer.confidentiality),
        version=answer.version,
        updated_at=answer.updated_at,
        updated_by=answer.updated_by.display_name if answer.updated_by else None,
        evidence=[_evidence(e, download_url) for e in answer.visible_evidence],
    )


@router.get(
    "/reviews/{slug}/assignments",
    response=AssignmentPage,
    summary="Self-assessment assignments I may see, with answer counts",
)
def list_assignments(request: HttpRequest, slug: str, paging: Query[PageQuery]) -> AssignmentPage:
    reader = access.get_reader(request.user, slug, perm=Perm.VIEW_ASSESSMENT)
    page = page_of(selectors.assignments_overview(reader, today=timezone.localdate()), paging)
    items = [
        AssignmentOut(
            id=row.assignment.pk,
            area=_area(row.assignment.questionnaire),
            questionnaire=_questionnaire(row.assignment.questionnaire),
            ministry=_ministry(row.assignment),
            contact_person=(
                row.assignment.assignee.display_name if row.assignment.assignee else None
            ),
            due_on=row.assignment.due_on,
            overdue=row.overdue,
            last_activity_at=row.assignment.last_activity_at,
            counts=CountsOut(
                total=row.total,
                answered=row.answered,
                draft=row.draft,
                submitted=row.submitted,
                returned=row.returned,
                accepted=row.accepted,
                forwarded=row.forwarded,
            ),
        )
        for row in page.items
    ]
    return AssignmentPage(**page.meta(), items=items)


@router.get(
    "/reviews/{slug}/answers",
    response=AnswerPage,
    summary="Answers I may read, a page at a time",
    description="Filter by status and by area code. Comments are not included.",
)
def list_answers(request: HttpRequest, slug: str, filters: Query[AnswerFilters]) -> AnswerPage:
    reader = access.get_reader(request.user, slug, perm=Perm.VIEW_ASSESSMENT)
    qs = selectors.answers_with_evidence(
        reader, status=filters.status or "", area=filters.area.strip()
    )
    page = page_of(qs, filters)
    lists = selectors.choice_labels(a.question for a in page.items)
    download_url = _download_url(reader)
    return AnswerPage(**page.meta(), items=[_answer(a, lists, download_url) for a in page.items])


@router.get(
    "/reviews/{slug}/answers/{answer_id}",
    response=AnswerOut,
    summary="One answer I may read, with the evidence I may see",
)
def get_answer(request: HttpRequest, slug: str, answer_id: int) -> AnswerOut:
    reader = access.get_reader(request.user, slug, perm=Perm.VIEW_ASSESSMENT)
    # The same rows and the same evidence rule as the list.
    answer = selectors.answers_with_evidence(reader).filter(pk=answer_id).first()
    if answer is None:
        raise Http404
    lists = selectors.choice_labels([answer.question])
    return _answer(answer, lists, _download_url(reader))
