"""Writing an area assessment: its context, findings, ratings and
recommendations, and the government's own rating beside the team's.

Every function is atomic and keyword-only, locks the assessment's row, refuses
an assessment that is not a draft (or reopened), and records the whole content
as a new version. Refusals are ValidationErrors naming the form field they are
about, so the page shows each beside its field; nothing is written then.
Links to answers and evidence are checked against what the writer may read
(``sources``: the writer as a reader of the self-assessment)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from parasat.accounts.models import Organisation, User
from parasat.analysis.access import readable_answers, readable_evidence
from parasat.analysis.caching import analysis_changed
from parasat.analysis.models import (
    AreaAssessment,
    AssessmentVersion,
    Finding,
    GovernmentRating,
    Priority,
    Rating,
    RatingLevel,
    RatingScale,
    RatingSource,
    Recommendation,
    ReviewScale,
)
from parasat.analysis.snapshots import snapshot
from parasat.assessment.models import Answer, Evidence
from parasat.core.lib.translated import TranslatedText
from parasat.reviews.disclosure import Audience, Confidentiality
from parasat.reviews.models import Review
from parasat.toolkit.models import PolicyArea, Provision

MAX_TEXT = 20_000
State = AreaAssessment.State


@dataclass(frozen=True)
class ExternalSource:
    title: str
    url: str = ""
    consulted_on: dt.date | None = None


# --- shared steps ---------------------------------------------------------------


def lock(assessment: AreaAssessment) -> AreaAssessment:
    """The assessment's row, locked until the transaction ends, as stored now."""
    return (
        AreaAssessment.objects.select_for_update(of=("self",))
        .select_related("area", "review")
        .get(pk=assessment.pk)
    )


def refuse_unless_editable(locked: AreaAssessment) -> None:
    if locked.state == State.AGREED:
        raise ValidationError(
            _("This assessment is agreed: reopen it, with a reason, before changing it.")
        )
    if locked.state == State.TEAM_REVIEW:
        raise ValidationError(
            _(
                "This assessment is under team review: it can be changed once the "
                "reviewer returns it to draft."
            )
        )


def record_version(
    locked: AreaAssessment, *, by: User | None, note: str, now: dt.datetime
) -> AssessmentVersion:
    """Save the assessment's whole content as its next version."""
    locked.version += 1
    locked.updated_at = now
    locked.updated_by = by
    locked.save(update_fields=["version", "updated_at", "updated_by", "state", "revision"])
    analysis_changed(locked.review_id)
    return AssessmentVersion.objects.create(
        assessment=locked,
        number=locked.version,
        state=locked.state,
        content=snapshot(locked),
        note=note[:300],
        saved_by=by,
        saved_at=now,
    )


def _link(related: Any, items: list[Any], *, new: bool) -> None:
    """Link ``items`` through a many-to-many ``related`` manager: a row just
    made has no links to read and replace, so they are only added (one
    insert, none when there are no items) instead of set."""
    if not new:
        related.set(items)
    elif items:
        related.add(*items)


def _english(value: TranslatedText, field: str, message: str) -> TranslatedText:
    text = TranslatedText.from_json(value)
    if not text.source:
        raise ValidationError({field: message})
    if any(len(text.get(lang)) > MAX_TEXT for lang in ("en", "ru", "kk")):
        raise ValidationError(
            {field: _("The text is too long (at most %(limit)s characters).") % {"limit": MAX_TEXT}}
        )
    return text


def _check_revision(current: int, base: int | None, message: str) -> None:
    """``message`` when someone saved the item since the editor opened it."""
    if base is not None and base != current:
        raise ValidationError(message)


def _answers(sources: Audience, ids: Sequence[int], area: PolicyArea) -> list[Answer]:
    wanted = set(ids)
    found = list(
        readable_answers(sources)
        .filter(pk__in=wanted, assignment__questionnaire__area=area)
        .select_related("question")
    )
    if len(found) != len(wanted):
        raise ValidationError(
            {
                "answers": _(
                    "Only answers of this area that you may read can be linked; "
                    "reload the page and choose again."
                )
            }
        )
    return found


def _evidence(
    sources: Audience, ids: Sequence[int], area: PolicyArea, kept: set[int]
) -> list[Evidence]:
    """Evidence the writer may see in this area; withdrawn items only if already linked."""
    wanted = set(ids)
    found = [
        e
        for e in readable_evidence(sources).filter(
            pk__in=wanted, answer__assignment__questionnaire__area=area
        )
        if e.withdrawn_at is None or e.pk in kept
    ]
    if len(found) != len(wanted):
        raise ValidationError(
            {
                "evidence": _(
                    "Only evidence of this area that you may see, and that is not "
                    "withdrawn, can be linked."
                )
            }
        )
    return found


def _provisions(keys: Sequence[str]) -> list[Provision]:
    wanted = {k.strip() for k in keys if k and k.strip()}
    found = list(Provision.objects.filter(key__in=wanted))
    unknown = sorted(wanted - {p.key for p in found})
    if unknown:
        raise ValidationError(
            {"provisions": _("Unknown provision: %(keys)s.") % {"keys": ", ".join(unknown)}}
        )
    return found


# --- the assessment itself --------------------------------------------------------


@transaction.atomic
def assessment_start(*, review: Review, area: PolicyArea) -> AreaAssessment:
    """The assessment of ``area`` in ``review``, made as an empty draft the
    first time someone writes in it."""
    Review.objects.select_for_update().filter(pk=review.pk).values_list("pk").first()
    assessment, created = AreaAssessment.objects.get_or_create(review=review, area=area)
    if created:
        analysis_changed(review.pk)
    return assessment


@transaction.atomic
def assessment_edit(
    *,
    assessment: AreaAssessment,
    by: User,
    context: TranslatedText,
    confidentiality: str,
    base_revision: int | None = None,
) -> AreaAssessment:
    """Change the context and who may read the assessment once agreed."""
    locked = lock(assessment)
    refuse_unless_editable(locked)
    _check_revision(
        locked.revision,
        base_revision,
        _("Someone changed the context since you opened it: reload the page to see it."),
    )
    context = TranslatedText.from_json(context)
    if any(len(context.get(lang)) > MAX_TEXT for lang in ("en", "ru", "kk")):
        raise ValidationError(
            {
                "context": _("The text is too long (at most %(limit)s characters).")
                % {"limit": MAX_TEXT}
            }
        )
    if confidentiality not in Confidentiality.values:
        raise ValidationError({"confidentiality": _("Choose who may read it once agreed.")})
    if context == locked.context and confidentiality == locked.confidentiality:
        return locked
    locked.context = context
    locked.confidentiality = confidentiality
    locked.revision += 1
    locked.save(update_fields=["context", "confidentiality"])
    record_version(locked, by=by, note="context", now=timezone.now())
    return locked


# --- findings ---------------------------------------------------------------------


@transaction.atomic
def finding_save(
    *,
    assessment: AreaAssessment,
    by: User,
    sources: Audience,
    kind: str,
    text: TranslatedText,
    answer_ids: Sequence[int] = (),
    evidence_ids: Sequence[int] = (),
    provision_keys: Sequence[str] = (),
    finding: Finding | None = None,
    base_revision: int | None = None,
) -> Finding:
    """Add a finding (``finding`` None) or change one."""
    locked = lock(assessment)
    refuse_unless_editable(locked)
    if finding is not None:
        finding = Finding.objects.select_for_update().get(pk=finding.pk, assessment=locked)
        if finding.withdrawn_at is not None:
            raise ValidationError(_("This finding was withdrawn and can no longer be changed."))
        _check_revision(
            finding.revision,
            base_revision,
            _("Someone changed this finding since you opened it: reload the page to see it."),
        )
    if kind not in Finding.Kind.values:
        raise ValidationError({"kind": _("Choose whether it is a strength, a weakness or a gap.")})
    text = _english(text, "text", _("Write the finding in English (the authoritative text)."))
    kept = set(finding.evidence.values_list("pk", flat=True)) if finding else set()
    answers = _answers(sources, answer_ids, locked.area)
    evidence = _evidence(sources, evidence_ids, locked.area, kept)
    provisions = _provisions(provision_keys)
    added = finding is None
    if added:
        number = (locked.findings.aggregate(n=Max("number"))["n"] or 0) + 1
        finding = Finding.objects.create(
            assessment=locked,
            number=number,
            code=f"{locked.area.code}-F{number}",
            kind=kind,
            text=text,
        )
        note = f"finding.added {finding.code}"
    else:
        finding.kind = kind
        finding.text = TranslatedText.from_json(text)
        finding.revision += 1
        finding.save(update_fields=["kind", "text", "revision"])
        note = f"finding.changed {finding.code}"
    _link(finding.answers, answers, new=added)
    _link(finding.evidence, evidence, new=added)
    _link(finding.provisions, provisions, new=added)
    record_version(locked, by=by, note=note, now=timezone.now())
    return finding


@transaction.atomic
def finding_withdraw(*, assessment: AreaAssessment, finding: Finding, by: User) -> Finding:
    """Withdraw a finding: it stays in the versions, its number is never given again."""
    locked = lock(assessment)
    refuse_unless_editable(locked)
    finding = Finding.objects.select_for_update().get(pk=finding.pk, assessment=locked)
    if finding.withdrawn_at is None:
        now = timezone.now()
        finding.withdrawn_at = now
        finding.save(update_fields=["withdrawn_at"])
        record_version(locked, by=by, note=f"finding.withdrawn {finding.code}", now=now)
    return finding


# --- ratings ----------------------------------------------------------------------


def _review_scale(review: Review, scale: RatingScale | None) -> RatingScale:
    if scale is None or not ReviewScale.objects.filter(review=review, scale=scale).exists():
        raise ValidationError({"scale": _("Choose one of the scales this review uses.")})
    return scale


def _level(
    scale: RatingScale, level: RatingLevel | None, score: int | None
) -> tuple[RatingLevel, int | None]:
    """The level given, checked against the scale, or on a scored scale the
    band the score falls in."""
    if scale.scored:
        if score is None or not 0 <= score <= 100:
            raise ValidationError({"score": _("Enter a score from 0 to 100.")})
        band = next((lv for lv in scale.levels.all() if lv.holds(score)), None)
        if band is None:
            raise ValidationError(
                {"score": _("No band of the scale %(scale)s holds this score.") % {"scale": scale}}
            )
        return band, score
    if level is None or level.scale_id != scale.pk:
        raise ValidationError(
            {"level": _("Choose a level of the scale %(scale)s.") % {"scale": scale}}
        )
    return level, None


def _external(external: ExternalSource | None) -> ExternalSource | None:
    if external is None or not (external.title or external.url or external.consulted_on):
        return None
    title = (external.title or "").strip()
    url = (external.url or "").strip()
    if not title:
        raise ValidationError({"external_title": _("Give the title of the external source.")})
    if len(title) > 300:
        raise ValidationError(
            {"external_title": _("The title is too long (at most 300 characters).")}
        )
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ValidationError(
                {"external_url": _("Enter a web address starting with https:// or http://.")}
            ) from None
    if external.consulted_on is None:
        raise ValidationError(
            {"external_consulted_on": _("Give the date the source was consulted.")}
        )
    if external.consulted_on > timezone.localdate():
        raise ValidationError(
            {"external_consulted_on": _("The date consulted cannot be in the future.")}
        )
    return ExternalSource(title=title, url=url, consulted_on=external.consulted_on)


@transaction.atomic
def rating_save(
    *,
    assessment: AreaAssessment,
    by: User,
    sources: Audience,
    scale: RatingScale | None,
    level: RatingLevel | None = None,
    score: int | None = None,
    justification: TranslatedText,
    answer_ids: Sequence[int] = (),
    evidence_ids: Sequence[int] = (),
    provision_keys: Sequence[str] = (),
    external: ExternalSource | None = None,
    base_revision: int | None = None,
) -> Rating:
    """Rate the area on one of the review's scales (again: the rating is
    replaced, its earlier form stays in the versions). A justification and at
    least one source are required."""
    locked = lock(assessment)
    refuse_unless_editable(locked)
    scale = _review_scale(locked.review, scale)
    level, score = _level(scale, level, score)
    justification = _english(
        justification,
        "justification",
        _("Say in English why the area gets this level: a rating is never a bare level."),
    )
    current = Rating.objects.select_for_update().filter(assessment=locked, scale=scale).first()
    if current is not None:
        _check_revision(
            current.revision,
            base_revision,
            _("Someone changed this rating since you opened it: reload the page to see it."),
        )
    kept = (
        set(current.sources.exclude(evidence=None).values_list("evidence_id", flat=True))
        if current
        else set()
    )
    answers = _answers(sources, answer_ids, locked.area)
    evidence = _evidence(sources, evidence_ids, locked.area, kept)
    provisions = _provisions(provision_keys)
    outside = _external(external)
    if not (answers or evidence or provisions or outside):
        raise ValidationError(
            {
                "sources": _(
                    "Give at least one source: an answer, an evidence item, a provision "
                    "or an external source."
                )
            }
        )
    added = current is None
    if added:
        current = Rating(assessment=locked, scale=scale, revision=0)
    current.level = level
    current.score = score
    current.justification = justification
    current.revision += 1
    current.save()
    if not added:
        current.sources.all().delete()
    S = RatingSource.Kind
    RatingSource.objects.bulk_create(
        [RatingSource(rating=current, kind=S.ANSWER, answer=a) for a in answers]
        + [RatingSource(rating=current, kind=S.EVIDENCE, evidence=e) for e in evidence]
        + [RatingSource(rating=current, kind=S.PROVISION, provision=p) for p in provisions]
        + (
            [
                RatingSource(
                    rating=current,
                    kind=S.EXTERNAL,
                    title=outside.title,
                    url=outside.url,
                    consulted_on=outside.consulted_on,
                )
            ]
            if outside
            else []
        )
    )
    record_version(locked, by=by, note=f"rating.saved {scale.code}", now=timezone.now())
    return current


@transaction.atomic
def government_rating_give(
    *,
    assessment: AreaAssessment,
    by: User,
    scale: RatingScale | None,
    level: RatingLevel | None = None,
    score: int | None = None,
    justification: TranslatedText,
) -> GovernmentRating:
    """The co-ordinator's rating of the area on behalf of the government, in
    any state of the team's assessment (it is not part of it). The last one
    given is current; the earlier ones are kept."""
    locked = lock(assessment)
    scale = _review_scale(locked.review, scale)
    level, score = _level(scale, level, score)
    justification = _english(
        justification,
        "justification",
        _("Say in English why the government gives this level."),
    )
    now = timezone.now()
    analysis_changed(locked.review_id)
    GovernmentRating.objects.filter(
        assessment=locked, scale=scale, superseded_at__isnull=True
    ).update(superseded_at=now)
    return GovernmentRating.objects.create(
        assessment=locked,
        scale=scale,
        level=level,
        score=score,
        justification=justification,
        given_by=by,
        given_at=now,
    )


# --- recommendations --------------------------------------------------------------


@transaction.atomic
def recommendation_save(
    *,
    assessment: AreaAssessment,
    by: User,
    text: TranslatedText,
    priority: str,
    agency_ids: Sequence[int] = (),
    finding_ids: Sequence[int] = (),
    state: str = Recommendation.State.OPEN,
    number: int | None = None,
    recommendation: Recommendation | None = None,
    base_revision: int | None = None,
) -> Recommendation:
    """Propose a recommendation (``recommendation`` None) or change one. A new
    one takes ``number`` if it is free, else the next free number; a number
    once given (withdrawn recommendations included) is never given again, and
    a recommendation's number never changes."""
    locked = lock(assessment)
    refuse_unless_editable(locked)
    if recommendation is not None:
        recommendation = Recommendation.objects.select_for_update().get(
            pk=recommendation.pk, assessment=locked
        )
        _check_revision(
            recommendation.revision,
            base_revision,
            _(
                "Someone changed this recommendation since you opened it: "
                "reload the page to see it."
            ),
        )
        if number is not None and number != recommendation.number:
            raise ValidationError(
                {
                    "number": _("A recommendation's number never changes: %(code)s stays.")
                    % {"code": recommendation.code}
                }
            )
    elif number is not None:
        if not 1 <= number <= 999:
            raise ValidationError({"number": _("Enter a number from 1 to 999.")})
        if Recommendation.objects.filter(assessment=locked, number=number).exists():
            raise ValidationError(
                {
                    "number": _(
                        "%(code)s is already taken, and a number is never given twice "
                        "(not even a withdrawn one's): choose another or leave it empty."
                    )
                    % {"code": f"{locked.area.code}-{number}"}
                }
            )
    text = _english(
        text, "text", _("Write the recommendation in English (the authoritative text).")
    )
    if priority not in Priority.values:
        raise ValidationError({"priority": _("Choose a priority.")})
    if state not in Recommendation.State.values:
        raise ValidationError({"state": _("Choose a state.")})
    agencies = list(Organisation.objects.filter(pk__in=set(agency_ids)))
    if len(agencies) != len(set(agency_ids)):
        raise ValidationError({"agencies": _("Choose the agencies from the list.")})
    findings = list(
        Finding.objects.filter(
            assessment=locked, pk__in=set(finding_ids), withdrawn_at__isnull=True
        )
    )
    if len(findings) != len(set(finding_ids)):
        raise ValidationError(
            {"findings": _("Choose findings of this assessment that are not withdrawn.")}
        )
    added = recommendation is None
    if added:
        if number is None:
            number = (locked.recommendations.aggregate(n=Max("number"))["n"] or 0) + 1
        recommendation = Recommendation.objects.create(
            review=locked.review,
            assessment=locked,
            number=number,
            code=f"{locked.area.code}-{number}",
            text=text,
            priority=priority,
            state=state,
        )
        note = f"recommendation.added {recommendation.code}"
    else:
        recommendation.text = text
        recommendation.priority = priority
        recommendation.state = state
        recommendation.revision += 1
        recommendation.save(update_fields=["text", "priority", "state", "revision"])
        note = f"recommendation.changed {recommendation.code}"
    _link(recommendation.agencies, agencies, new=added)
    _link(recommendation.findings, findings, new=added)
    record_version(locked, by=by, note=note, now=timezone.now())
    return recommendation
