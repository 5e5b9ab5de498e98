"""A review whose REG area was answered, accepted and forwarded with answers
and files of every confidentiality level (the self-assessment's mix), the
shipped scales with the maturity model chosen, and the analytical team."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone

from parasat.accounts.models import User
from parasat.analysis import services
from parasat.analysis.access import get_reader
from parasat.analysis.models import AreaAssessment, RatingLevel, RatingScale
from parasat.assessment.models import Answer, Evidence
from parasat.assessment.tests.data_setup import Mix
from parasat.core.testing.texts import tt
from parasat.reviews.disclosure import Audience
from parasat.reviews.models import Review
from parasat.toolkit.models import PolicyArea, Provision
from parasat.toolkit.tests.factories import ProvisionFactory

MATURITY = "oecd-maturity"


@dataclass
class Team:
    mix: Mix
    review: Review
    coordinator: User
    analyst: User
    expert: User
    area: PolicyArea
    scale: RatingScale
    provision: Provision
    team_file: Evidence  # a file marked for the analytical team on "policy"

    def answer(self, name: str) -> Answer:
        return self.mix.work.answer(name)

    def level(self, code: str) -> RatingLevel:
        return self.scale.levels.get(code=code)

    def assessment(self) -> AreaAssessment:
        return services.assessment_start(review=self.review, area=self.area)


def team_file(mix: Mix) -> Evidence:
    """A file on the "policy" answer marked for the team (added as the contact
    person would have before submitting; the file itself is a few bytes)."""
    answer = mix.work.answer("policy")
    item = Evidence(
        answer=answer,
        kind=Evidence.Kind.FILE,
        title="Annual declarations report",
        file_name="report.pdf",
        content_type="application/pdf",
        size=10,
        confidentiality="team",
        added_by=mix.work.contact,
        added_at=timezone.now(),
    )
    # Stored through the storage API, so that its link can be followed.
    item.file.save("report.pdf", ContentFile(b"%PDF-1.4\n%"), save=False)
    item.save()
    return item


def provision_for(area: PolicyArea) -> Provision:
    """A provision the area's "policy" question tests."""
    provision = ProvisionFactory(ref="art.8(5)")
    for question in area.questionnaires.get().questions.filter(name__in=["policy", "describe"]):
        question.provisions.add(provision)
    return provision


def full_draft(team: Team, *, by: User | None = None) -> AreaAssessment:
    """An assessment with everything it needs to be sent and agreed."""
    by = by or team.analyst
    assessment = team.assessment()
    sources = _sources(team, by)
    services.assessment_edit(
        assessment=assessment,
        by=by,
        context=tt("The setting.", "Контекст.", "Мәнмәтін."),
        confidentiality="peers",
    )
    finding = services.finding_save(
        assessment=assessment,
        by=by,
        sources=sources,
        kind="weakness",
        text=tt("Declarations are not verified."),
        answer_ids=[team.answer("policy").pk],
        evidence_ids=[team.team_file.pk],
        provision_keys=[team.provision.key],
    )
    services.rating_save(
        assessment=assessment,
        by=by,
        sources=sources,
        scale=team.scale,
        level=team.level("emerging"),
        justification=tt("Rules exist; practice lags."),
        provision_keys=[team.provision.key],
        external=services.ExternalSource(
            title="Monitoring report", url="https://example.org/r", consulted_on=dt.date(2015, 3, 1)
        ),
    )
    services.recommendation_save(
        assessment=assessment,
        by=by,
        text=tt("Verify the declarations."),
        priority="urgent",
        finding_ids=[finding.pk],
    )
    assessment.refresh_from_db()
    return assessment


def _sources(team: Team, user: User) -> Audience:
    return get_reader(user, team.review.slug).sources


def agreed(team: Team) -> AreaAssessment:
    assessment = full_draft(team)
    services.assessment_send_for_review(assessment=assessment, by=team.analyst)
    services.assessment_agree(assessment=assessment, by=team.expert)
    assessment.refresh_from_db()
    return assessment
