"""A consultation at the scale of the issue's performance target, for
bench/engagement.py and the query-count tests: contributions in every channel
(some with a name withheld, some hidden, some with attachments' metadata),
each answered with a reason in three languages, some responses linked to a
finding, a recommendation and a version of an assessment of the review when
it has them. Written in bulk."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from parasat.accounts.models import User
from parasat.analysis.models import AssessmentVersion, Finding, Recommendation
from parasat.core.lib.translated import TranslatedText
from parasat.engagement.models import (
    Channel,
    Consultation,
    Contribution,
    ContributionAttachment,
    Response,
)
from parasat.reviews.disclosure import Confidentiality
from parasat.reviews.models import Review


@transaction.atomic
def generate(
    review: Review,
    *,
    by: User,
    contributions: int = 2000,
    answered: bool = True,
    consultation: Consultation | None = None,
) -> Consultation:
    """Add ``contributions`` (answered by ``by`` when ``answered``) to
    ``consultation``, or to a new one opened a month ago and still open."""
    rng = random.Random(13)  # noqa: S311 (made-up data, the same every run)
    now = timezone.now()
    if consultation is None:
        consultation = Consultation.objects.create(
            review=review,
            title=TranslatedText.fresh({"en": "Draft findings (bench)"}),
            description=TranslatedText.fresh({"en": "Tell us what you think."}),
            subject_kind=Consultation.Subject.AREA_FINDINGS,
            channels=list(Channel.values),
            opens_at=now - dt.timedelta(days=30),
            closes_at=now + dt.timedelta(days=30),
            opened_by=by,
        )
    start = consultation.contributions.count()
    findings = list(Finding.objects.filter(assessment__review=review).values_list("pk", flat=True))
    recommendations = list(
        Recommendation.objects.filter(review=review).values_list("pk", flat=True)
    )
    versions = list(
        AssessmentVersion.objects.filter(assessment__review=review).values_list("pk", flat=True)
    )
    channels = list(Channel.values)
    rows = []
    for i in range(start + 1, start + contributions + 1):
        rows.append(
            Contribution(
                consultation=consultation,
                number=i,
                channel=channels[i % len(channels)],
                email=f"person{i}@example.org",
                name=f"Contributor {i}",
                organisation=f"Organisation {i % 40}" if i % 3 else "",
                anonymous=i % 7 == 0,
                text=f"Point {i}: " + " ".join(rng.choice(WORDS) for _ in range(60)),
                confidentiality=Confidentiality.PUBLIC if i % 2 else Confidentiality.TEAM,
                submitted_at=now - dt.timedelta(minutes=contributions - i + start),
                hidden_at=now if i % 97 == 0 else None,
                hidden_by=by if i % 97 == 0 else None,
                hidden_reason="Off topic." if i % 97 == 0 else "",
            )
        )
    made = Contribution.objects.bulk_create(rows, batch_size=500)
    if not made or made[0].pk is None:  # a backend not returning keys
        made = list(consultation.contributions.filter(number__gt=start).order_by("number"))
    ContributionAttachment.objects.bulk_create(
        [
            ContributionAttachment(
                contribution=c,
                file=f"engagement/contributions/{c.pk}/paper.pdf",
                file_name="paper.pdf",
                content_type="application/pdf",
                size=12_345,
            )
            for c in made
            if c.number % 10 == 0
        ],
        batch_size=500,
    )
    if answered:
        kinds = list(Response.Kind.values)
        Response.objects.bulk_create(
            [
                Response(
                    contribution=c,
                    kind=kinds[c.number % len(kinds)],
                    # In three languages, as the team writes them; every
                    # tenth with its Kazakh version still to write.
                    reason=_reason(c.number),
                    finding_id=findings[c.number % len(findings)]
                    if findings and c.number % 4 == 0
                    else None,
                    recommendation_id=recommendations[c.number % len(recommendations)]
                    if recommendations and c.number % 5 == 0
                    else None,
                    change_id=versions[c.number % len(versions)]
                    if versions and c.number % 4 == 0
                    else None,
                    responded_by=by,
                    responded_at=now,
                )
                for c in made
            ],
            batch_size=500,
        )
    return consultation


def _reason(number: int) -> TranslatedText:
    texts = {"en": f"Reason for {number}.", "ru": f"Причина для {number}."}
    if number % 10:
        texts["kk"] = f"{number} үшін себеп."
    return TranslatedText.fresh(texts)


WORDS = [
    "integrity",
    "conflict",
    "interest",
    "declaration",
    "asset",
    "ministry",
    "procurement",
    "audit",
    "whistleblower",
    "protection",
    "public",
    "official",
    "ethics",
    "code",
    "training",
    "risk",
    "transparency",
    "access",
    "information",
    "lobbying",
    "gift",
    "register",
    "sanction",
]
