"""The ``[analysis]`` table of an example review file: the scales the review
uses and an illustrative assessment of a few areas, so a newcomer sees the
pages full. Every assessment it makes is marked illustrative (not the OECD's
words) and recorded as a version saved by no one: "the example file".

Loading again adds what is missing and leaves alone every area assessment
that exists, whoever wrote it: the team's work is theirs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from parasat.accounts.models import Organisation
from parasat.analysis import services
from parasat.analysis.caching import analysis_changed
from parasat.analysis.models import (
    AnalysisStage,
    AreaAssessment,
    AssessmentTransition,
    Finding,
    GovernmentRating,
    Rating,
    RatingLevel,
    RatingScale,
    RatingSource,
    Recommendation,
    ReviewScale,
)
from parasat.analysis.services.content import record_version
from parasat.core.lib.translated import TranslatedText
from parasat.reviews.models import Review
from parasat.toolkit.models import PolicyArea, Provision

State = AreaAssessment.State


def _tt(value: Any) -> TranslatedText:
    return TranslatedText.fresh({"en": value} if isinstance(value, str) else value or {})


def _provisions(keys: list[str]) -> list[Provision]:
    found = list(Provision.objects.filter(key__in=keys))
    missing = set(keys) - {p.key for p in found}
    if missing:
        raise ValidationError(f"Unknown provisions in the example: {', '.join(sorted(missing))}")
    return found


def _level(scale_code: str, level_code: str) -> tuple[RatingScale, RatingLevel]:
    scale = RatingScale.objects.get(code=scale_code)
    return scale, RatingLevel.objects.get(scale=scale, code=level_code)


@transaction.atomic
def example_load(*, data: dict[str, Any], review: Review) -> None:
    services.scales_load_shipped()
    if not data:
        return
    codes = data.get("scales") or []
    if codes and not ReviewScale.objects.filter(review=review).exists():
        services.review_scales_set(
            review=review, scales=[RatingScale.objects.get(code=c) for c in codes], by=None
        )
    for row in data.get("area", []):
        area = PolicyArea.objects.filter(code=row["area"]).first()
        # The toolkit's areas come with its bank; without them there is nothing to assess.
        if area is None or AreaAssessment.objects.filter(review=review, area=area).exists():
            continue
        _area(review, area, row)
    stage = data.get("stage", "")
    if stage in {"peers", "published"}:
        now = timezone.now()
        opened, _created = AnalysisStage.objects.get_or_create(review=review)
        if opened.peers_opened_at is None:
            opened.peers_opened_at = now
        if stage == "published" and opened.published_at is None:
            opened.published_at = now
        opened.save()
    analysis_changed(review.pk)


def _area(review: Review, area: PolicyArea, row: dict[str, Any]) -> None:
    now = timezone.now()
    assessment = AreaAssessment.objects.create(
        review=review,
        area=area,
        context=_tt(row.get("context")),
        confidentiality=row.get("confidentiality", "team"),
        illustrative=True,
    )
    findings: dict[int, Finding] = {}
    for number, item in enumerate(row.get("finding", []), start=1):
        finding = Finding.objects.create(
            assessment=assessment,
            number=number,
            code=f"{area.code}-F{number}",
            kind=item["kind"],
            text=_tt(item["text"]),
        )
        finding.provisions.set(_provisions(item.get("provisions", [])))
        findings[number] = finding
    for item in row.get("rating", []):
        scale, level = _level(item["scale"], item["level"])
        rating = Rating.objects.create(
            assessment=assessment,
            scale=scale,
            level=level,
            justification=_tt(item["justification"]),
        )
        for provision in _provisions(item.get("provisions", [])):
            RatingSource.objects.create(
                rating=rating, kind=RatingSource.Kind.PROVISION, provision=provision
            )
        for source in item.get("external", []):
            RatingSource.objects.create(
                rating=rating,
                kind=RatingSource.Kind.EXTERNAL,
                title=source["title"],
                url=source.get("url", ""),
                consulted_on=dt.date.fromisoformat(str(source["consulted_on"])),
            )
    for item in row.get("government", []):
        scale, level = _level(item["scale"], item["level"])
        GovernmentRating.objects.create(
            assessment=assessment,
            scale=scale,
            level=level,
            justification=_tt(item["justification"]),
            given_at=now,
        )
    for number, item in enumerate(row.get("recommendation", []), start=1):
        recommendation = Recommendation.objects.create(
            review=review,
            assessment=assessment,
            number=number,
            code=f"{area.code}-{number}",
            text=_tt(item["text"]),
            priority=item["priority"],
        )
        recommendation.agencies.set(Organisation.objects.filter(code__in=item.get("agencies", [])))
        recommendation.findings.set([findings[n] for n in item.get("findings", [])])
    record_version(assessment, by=None, note="example", now=now)
    target = row.get("state", State.DRAFT)
    if target == State.AGREED:
        for to in (State.TEAM_REVIEW, State.AGREED):
            AssessmentTransition.objects.create(
                assessment=assessment, from_state=assessment.state, to_state=to, at=now
            )
            assessment.state = to
        assessment.agreed_at = now
        assessment.save(update_fields=["state", "agreed_at"])
        record_version(assessment, by=None, note=f"state.{State.AGREED}", now=now)
