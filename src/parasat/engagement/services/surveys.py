"""Stakeholder surveys: made and opened by the analytical team or the
co-ordinator, answered through a public link (anonymous, one response per
browser, rate-limited per network address) or an emailed link per respondent
(one response each, the link spent on submitting), closed, and their results
published to an audience.

A response is judged as the self-assessment judges answers
(:mod:`parasat.assessment.values`: the options, the constraints, what is
required given the skip logic) and saved whole or not at all."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parasat.accounts.models import User
from parasat.analysis.models import Finding
from parasat.assessment.values import check_answers, is_answerable, is_empty, normalise
from parasat.core.lib.translated import TranslatedText
from parasat.engagement.models import (
    Survey,
    SurveyAnswer,
    SurveyCitation,
    SurveyResponse,
    SurveyToken,
)
from parasat.reviews.models import Review
from parasat.toolkit.models import Choice, Question, Questionnaire

K = Question.Kind
# Spam: a bounded number of anonymous responses per network address a day.
ANONYMOUS_PER_SENDER_PER_DAY = 20
MAX_TOKENS_AT_ONCE = 500
NUMBER_KINDS = frozenset({K.INTEGER, K.DECIMAL})
# What a survey asks: every answerable kind but an evidence upload.
SURVEY_KINDS = frozenset(
    {K.YES_NO_PARTLY, K.SELECT_ONE, K.SELECT_MULTIPLE, K.TEXT, K.INTEGER, K.DECIMAL, K.DATE}
)


@dataclass(frozen=True)
class SurveyForm:
    """A questionnaire version as a survey asks it, read once: every row in
    order (groups too, for the skip logic) and the options of each list."""

    questions: list[Question]
    choices: dict[int, list[str]]

    @property
    def asked(self) -> list[Question]:
        return [q for q in self.questions if is_answerable(q) and q.kind in SURVEY_KINDS]

    def options(self, question: Question) -> list[str]:
        return self.choices.get(question.choice_list_id or 0, [])


def survey_form(questionnaire: Questionnaire) -> SurveyForm:
    """Two queries."""
    questions = list(questionnaire.questions.order_by("order").defer("search_text"))
    choices: dict[int, list[str]] = {}
    for list_id, name in (
        Choice.objects.filter(choice_list__questionnaire=questionnaire)
        .order_by("choice_list", "order")
        .values_list("choice_list_id", "name")
    ):
        choices.setdefault(list_id, []).append(name)
    return SurveyForm(questions=questions, choices=choices)


# --- Making, opening, closing ---------------------------------------------------


def _new_secret() -> str:
    return secrets.token_urlsafe(24)


@transaction.atomic
def survey_create(
    *,
    review: Review,
    by: User,
    title: TranslatedText,
    description: TranslatedText,
    questionnaire: Questionnaire,
    respondents: str,
    mode: str,
    results_confidentiality: str,
) -> Survey:
    """A draft survey of ``questionnaire`` (which holds at least one question a
    survey can ask)."""
    if not any(q.kind in SURVEY_KINDS and q.name for q in questionnaire.questions.all()):
        raise ValidationError(
            {"questionnaire": _("This questionnaire has no question a survey can ask.")}
        )
    survey = Survey(
        review=review,
        title=title,
        description=description,
        questionnaire=questionnaire,
        respondents=respondents,
        mode=mode,
        results_confidentiality=results_confidentiality,
        link=_new_secret(),
        created_by=by,
    )
    survey.full_clean(exclude=["link", "created_by", "review", "questionnaire"])
    survey.save()
    return survey


def _locked(survey: Survey) -> Survey:
    return Survey.objects.select_for_update().get(pk=survey.pk)


@transaction.atomic
def survey_open(*, survey: Survey) -> Survey:
    """Open a draft survey; the questionnaire version it asks is frozen (in
    use: changes need a new version, and every response stays tied to it)."""
    current = _locked(survey)
    if current.state != Survey.State.DRAFT:
        raise ValidationError(_("Only a draft survey can be opened."))
    Questionnaire.objects.filter(pk=current.questionnaire_id, frozen=False).update(
        frozen=True, updated_at=timezone.now()
    )
    survey.state = Survey.State.OPEN
    survey.opened_at = timezone.now()
    survey.save(update_fields=["state", "opened_at"])
    return survey


@transaction.atomic
def survey_close(*, survey: Survey) -> Survey:
    current = _locked(survey)
    if current.state != Survey.State.OPEN:
        raise ValidationError(_("Only an open survey can be closed."))
    survey.state = Survey.State.CLOSED
    survey.closed_at = timezone.now()
    survey.save(update_fields=["state", "closed_at"])
    return survey


@transaction.atomic
def results_publish(*, survey: Survey) -> Survey:
    """Publish the results of a closed survey to the audience it names: until
    then they are the team's and the co-ordinator's."""
    current = _locked(survey)
    if current.state != Survey.State.CLOSED:
        raise ValidationError(_("Close the survey before publishing its results."))
    if current.results_published_at is None:
        survey.results_published_at = timezone.now()
        survey.save(update_fields=["results_published_at"])
    return survey


@transaction.atomic
def tokens_add(*, survey: Survey, emails: Iterable[str], language: str) -> list[SurveyToken]:
    """A link for each new address (addresses already given a link are left
    as they are). Every address is checked first: one malformed address
    refuses them all."""
    if survey.mode != Survey.Mode.TOKEN:
        raise ValidationError(_("This survey is answered through its public link."))
    if survey.state == Survey.State.CLOSED:
        raise ValidationError(_("The survey is closed."))
    wanted: list[str] = []
    bad: list[str] = []
    for raw in emails:
        email = raw.strip()
        if not email:
            continue
        try:
            validate_email(email)
        except ValidationError:
            bad.append(email)
            continue
        if email.lower() not in {w.lower() for w in wanted}:
            wanted.append(email)
    if bad:
        raise ValidationError(
            {"emails": _("These are not email addresses: %(emails)s.") % {"emails": ", ".join(bad)}}
        )
    if not wanted:
        raise ValidationError({"emails": _("Enter at least one email address.")})
    if len(wanted) > MAX_TOKENS_AT_ONCE:
        raise ValidationError(
            {"emails": _("Enter at most %(max)s addresses at once.") % {"max": MAX_TOKENS_AT_ONCE}}
        )
    known = {
        e.lower() for e in SurveyToken.objects.filter(survey=survey).values_list("email", flat=True)
    }
    made = [
        SurveyToken(survey=survey, email=email, language=language, token=_new_secret())
        for email in wanted
        if email.lower() not in known
    ]
    SurveyToken.objects.bulk_create(made)
    return made


# --- Answering ---------------------------------------------------------------------


def judge(form: SurveyForm, raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The stored values of one respondent's ``raw`` answers (question name →
    what was typed or chosen) and the problems (question name → message), as
    the self-assessment judges them: options, constraints, required given the
    skip logic. Answers to questions the skip logic does not ask are dropped."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for question in form.asked:
        try:
            value = normalise(question, raw.get(question.name), form.options(question))
        except ValidationError as exc:
            errors[question.name] = " ".join(exc.messages)
            continue
        if value is not None:
            values[question.name] = value
    checks = check_answers(form.questions, values, language=get_language())
    for name, check in checks.items():
        if name in errors:
            continue
        if not check.relevant:
            values.pop(name, None)
        elif check.error:
            errors[name] = check.error
    return values, errors


def answer_rows(
    form: SurveyForm, survey: Survey, response: SurveyResponse, values: Mapping[str, Any]
) -> list[SurveyAnswer]:
    """The rows of one response's answers (one per chosen option)."""
    rows: list[SurveyAnswer] = []
    for question in form.asked:
        value = values.get(question.name)
        if is_empty(value):
            continue
        items = value if isinstance(value, list) else [value]
        for item in items:
            rows.append(
                SurveyAnswer(
                    survey=survey,
                    response=response,
                    question=question,
                    value=str(item),
                    number=Decimal(item) if question.kind in NUMBER_KINDS else None,
                )
            )
    return rows


def _check_rate(survey: Survey, sender: str) -> None:
    if not sender:
        return
    since = timezone.now() - dt.timedelta(days=1)
    recent = SurveyResponse.objects.filter(
        sender=sender, source=SurveyResponse.Source.WEB, submitted_at__gte=since
    )
    if recent.count() >= ANONYMOUS_PER_SENDER_PER_DAY:
        raise ValidationError(
            _("Too many responses from this address today. Please try again tomorrow.")
        )


@transaction.atomic
def response_submit(
    *,
    survey: Survey,
    raw: Mapping[str, Any],
    sender: str = "",
    token: SurveyToken | None = None,
) -> SurveyResponse:
    """Save one respondent's answers, whole: every problem is raised at once
    (a ValidationError naming each question) and nothing is written. With a
    token, the token is spent; anonymously, the sender's rate is bounded."""
    current = _locked(survey)
    if current.state != Survey.State.OPEN:
        raise ValidationError(_("This survey is not open for answers."))
    if current.mode == Survey.Mode.TOKEN:
        if token is None:
            raise ValidationError(_("This survey is answered through the link emailed to you."))
        if token.survey_id != current.pk:
            raise ValidationError(_("This link is not for this survey."))
        token = SurveyToken.objects.select_for_update().get(pk=token.pk)
        if token.used_at is not None:
            raise ValidationError(_("This link has already been used to answer the survey."))
    else:
        _check_rate(current, sender)
    form = survey_form(current.questionnaire)
    values, errors = judge(form, raw)
    if errors:
        raise ValidationError(errors)
    if not values:
        raise ValidationError(_("Answer at least one question."))
    now = timezone.now()
    response = SurveyResponse.objects.create(
        survey=current,
        submission_id=str(uuid.uuid4()),
        source=SurveyResponse.Source.WEB,
        submitted_at=now,
        sender=sender if token is None else "",
        token=token,
    )
    SurveyAnswer.objects.bulk_create(answer_rows(form, current, response, values))
    if token is not None:
        token.used_at = now
        token.save(update_fields=["used_at"])
    return response


# --- Citing a result ------------------------------------------------------------------


@transaction.atomic
def citation_add(
    *, survey: Survey, finding: Finding, question: Question, note: str, by: User
) -> SurveyCitation:
    """A finding of the same review rests on the survey's result for ``question``."""
    if finding.assessment.review_id != survey.review_id:
        raise ValidationError({"finding": _("The finding is not of this review.")})
    if question.questionnaire_id != survey.questionnaire_id:
        raise ValidationError({"question": _("The question is not of this survey.")})
    citation, _made = SurveyCitation.objects.update_or_create(
        finding=finding,
        survey=survey,
        question=question,
        defaults={"note": note.strip(), "cited_by": by},
    )
    return citation
