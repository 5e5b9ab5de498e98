"""The states of an area assessment (draft → under team review → agreed →
reopened with a reason), its comment thread, and the stage of the analysis
(opened to the peer reviewers, published)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parasat.accounts.models import User
from parasat.analysis.caching import analysis_changed
from parasat.analysis.models import (
    AnalysisStage,
    AreaAssessment,
    AssessmentComment,
    AssessmentTransition,
)
from parasat.analysis.selectors import problems
from parasat.analysis.services.content import lock, record_version
from parasat.reviews.models import Review

State = AreaAssessment.State
MAX_REASON = 10_000


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": _("The reason is too long.")})
    return reason


def _move(locked: AreaAssessment, to: str, *, by: User | None, reason: str = "") -> None:
    now = timezone.now()
    AssessmentTransition.objects.create(
        assessment=locked, from_state=locked.state, to_state=to, by=by, at=now, reason=reason
    )
    locked.state = to
    record_version(locked, by=by, note=f"state.{to}", now=now)


def _refuse_state(locked: AreaAssessment, *expected: str) -> None:
    if locked.state not in expected:
        raise ValidationError(
            _("This assessment is %(state)s: this step is not possible now.")
            % {"state": locked.get_state_display().lower()}
        )


@transaction.atomic
def assessment_send_for_review(*, assessment: AreaAssessment, by: User) -> AreaAssessment:
    """Send a draft (or reopened) assessment to the team for review."""
    locked = lock(assessment)
    _refuse_state(locked, *AreaAssessment.EDITABLE)
    missing = problems(locked)
    if missing:
        raise ValidationError(missing)
    locked.sent_for_review_by = by
    locked.save(update_fields=["sent_for_review_by"])
    _move(locked, State.TEAM_REVIEW, by=by)
    return locked


@transaction.atomic
def assessment_return(*, assessment: AreaAssessment, by: User, reason: str) -> AreaAssessment:
    """Return an assessment under review to draft, saying what to change."""
    reason = _reason(reason, _("Say what should change before it is agreed."))
    locked = lock(assessment)
    _refuse_state(locked, State.TEAM_REVIEW)
    _move(locked, State.DRAFT, by=by, reason=reason)
    return locked


@transaction.atomic
def assessment_agree(*, assessment: AreaAssessment, by: User) -> AreaAssessment:
    """Agree an assessment under team review. Four eyes: the person who sent it
    for review cannot agree it. Every rating needs its justification and a source."""
    locked = lock(assessment)
    _refuse_state(locked, State.TEAM_REVIEW)
    if locked.sent_for_review_by_id == by.pk:
        raise ValidationError(
            _("You sent this assessment for team review: another expert or analyst must agree it.")
        )
    missing = problems(locked)
    if missing:
        raise ValidationError(missing)
    locked.agreed_at = timezone.now()
    locked.agreed_by = by
    locked.reopen_reason = ""
    locked.save(update_fields=["agreed_at", "agreed_by", "reopen_reason"])
    _move(locked, State.AGREED, by=by)
    return locked


@transaction.atomic
def assessment_reopen(*, assessment: AreaAssessment, by: User, reason: str) -> AreaAssessment:
    """Reopen an agreed assessment to change it; it leaves the peers and the
    public until it is agreed again."""
    reason = _reason(reason, _("Say why the assessment is reopened."))
    locked = lock(assessment)
    _refuse_state(locked, State.AGREED)
    locked.reopen_reason = reason
    locked.save(update_fields=["reopen_reason"])
    _move(locked, State.REOPENED, by=by, reason=reason)
    return locked


@transaction.atomic
def comment_post(
    *,
    assessment: AreaAssessment,
    by: User,
    body: str,
    corrects: AssessmentComment | None = None,
) -> AssessmentComment:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a comment first.")})
    if len(body) > MAX_REASON:
        raise ValidationError({"body": _("The comment is too long (at most 10000 characters).")})
    if corrects is not None and corrects.assessment_id != assessment.pk:
        raise ValidationError({"corrects": _("A correction must belong to the same thread.")})
    if corrects is not None and corrects.author_id != by.pk:
        raise ValidationError({"corrects": _("Only the author of a comment can correct it.")})
    analysis_changed(assessment.review_id)
    return AssessmentComment.objects.create(
        assessment=assessment, author=by, body=body, created_at=timezone.now(), corrects=corrects
    )


@transaction.atomic
def analysis_open_to_peers(*, review: Review, by: User) -> AnalysisStage:
    """Peer reviewers now read the agreed assessments marked for them or the public."""
    stage, _created = AnalysisStage.objects.select_for_update().get_or_create(review=review)
    if stage.peers_opened_at is None:
        stage.peers_opened_at = timezone.now()
        stage.peers_opened_by = by
        stage.save(update_fields=["peers_opened_at", "peers_opened_by"])
    return stage


@transaction.atomic
def analysis_publish(*, review: Review, by: User) -> AnalysisStage:
    """Civil society and business now read the agreed assessments marked public."""
    stage, _created = AnalysisStage.objects.select_for_update().get_or_create(review=review)
    if stage.published_at is None:
        stage.published_at = timezone.now()
        stage.published_by = by
        stage.save(update_fields=["published_at", "published_by"])
    return stage
