"""A response names what the contribution changed — the finding, the
recommendation and the version of the assessment it produced — and the pages
lead there: the team to the analysis (the version beside the one before), the
contributor sees the codes in their own list."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from parasat.analysis.models import AreaAssessment, AssessmentVersion, Finding, Recommendation
from parasat.core.testing.texts import tt
from parasat.engagement.services import consultations as services
from parasat.engagement.tests.test_consultations import _open
from parasat.reviews.models import Role
from parasat.toolkit.tests.factories import PolicyAreaFactory

pytestmark = pytest.mark.django_db


def changes(review):
    """A finding, a recommendation and version 3 of an assessment of ``review``."""
    area = PolicyAreaFactory()
    assessment = AreaAssessment.objects.create(review=review, area=area)
    finding = Finding.objects.create(
        assessment=assessment, number=2, code=f"{area.code}-F2", kind="gap", text=tt("A gap.")
    )
    recommendation = Recommendation.objects.create(
        review=review,
        assessment=assessment,
        number=1,
        code=f"{area.code}-1",
        text=tt("Do it."),
        priority="urgent",
    )
    version = AssessmentVersion.objects.create(
        assessment=assessment, number=3, state="draft", saved_at=timezone.now()
    )
    return area, finding, recommendation, version


def test_the_pages_lead_from_a_response_to_the_change_it_produced(client_for, persona, review):
    consultation = _open(review, persona(Role.ANALYST))
    area, finding, recommendation, version = changes(review)
    representative = persona(Role.CIVIL_SOCIETY)
    contribution = services.contribution_submit(
        consultation=consultation,
        contributor=services.Contributor(
            channel="civil_society", name="NGO", user=representative, email="ngo@example.org"
        ),
        text="The gap is wider.",
    )
    services.response_save(
        contribution=contribution,
        by=persona(Role.ANALYST),
        kind="accepted",
        reason="Widened.",
        finding_id=finding.pk,
        recommendation_id=recommendation.pk,
        change_id=version.pk,
    )
    area_url = reverse("analysis:area", args=[review.slug, area.code])
    history = reverse("analysis:history", args=[review.slug, area.code]) + "?a=2&b=3"
    team = client_for(persona(Role.ANALYST))
    for page in (
        reverse("engagement:matrix", args=[review.slug, consultation.pk]),
        reverse("engagement:contribution", args=[review.slug, consultation.pk, 1]),
    ):
        text = html.unescape(team.get(page).content.decode())
        assert f'href="{area_url}#finding-2">{finding.code}</a>' in text
        assert f'href="{area_url}#rec-1">{recommendation.code}</a>' in text
        assert f'href="{history}"' in text and f"{area.code} v3" in text

    mine = client_for(representative).get(
        reverse("engagement:consultation", args=[review.slug, consultation.pk])
    )
    text = mine.content.decode()
    assert "Widened." in text and finding.code in text and recommendation.code in text
    assert f"{area.code} v3" in text and "history" not in text
