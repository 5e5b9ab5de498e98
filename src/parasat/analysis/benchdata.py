"""A generated analysis at realistic scale on top of the self-assessment's
generated review (:mod:`parasat.assessment.benchdata`), for the benchmark
(``bench/analysis.py``) and the query-count tests: one assessment per area
(15), 10 findings each linked to forwarded answers, evidence and provisions,
the team's and the government's ratings, and 60 recommendations (4 per area)
addressed to the generated ministries. Written through the services, as the
pages write them; every assessment but a few is agreed, so peers read them."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from parasat.analysis import services
from parasat.analysis.access import get_reader
from parasat.analysis.models import AreaAssessment, RatingScale
from parasat.assessment.benchdata import Generated
from parasat.assessment.models import Answer, Evidence
from parasat.core.lib.translated import TranslatedText
from parasat.reviews.models import Participant, Role
from parasat.toolkit.models import Instrument, Provision

FINDINGS = 10
RECOMMENDATIONS = 4
KINDS = ["strength", "weakness", "gap"]
PRIORITIES = ["urgent", "short", "medium"]


@dataclass
class Analysis:
    assessments: list[AreaAssessment]
    expert: object
    counts: dict[str, int] = field(default_factory=dict)


def _tt(en: str) -> TranslatedText:
    return TranslatedText.fresh({"en": en, "ru": "Рус. " + en, "kk": "Қаз. " + en})


def _provisions(prefix: str, count: int) -> list[Provision]:
    instrument, _created = Instrument.objects.get_or_create(
        code=f"{prefix.upper()}-INSTR",
        defaults={"kind": Instrument.Kind.CONVENTION, "name": _tt("Benchmark convention")},
    )
    return [
        Provision.objects.get_or_create(
            key=f"{instrument.code}:art.{n + 1}",
            defaults={"instrument": instrument, "ref": f"art.{n + 1}", "text": _tt("A rule.")},
        )[0]
        for n in range(count)
    ]


@transaction.atomic
def generate(gen: Generated, *, findings: int = FINDINGS, prefix: str = "bench") -> Analysis:
    """An assessment of every area of ``gen`` (the generated self-assessment)."""
    review = gen.review
    services.scales_load_shipped()
    scale = RatingScale.objects.get(code="oecd-maturity")
    services.review_scales_set(review=review, scales=[scale], by=gen.analyst)
    expert, _created = type(gen.analyst).objects.get_or_create(
        username=f"{prefix}-expert", defaults={"full_name": "Bench Expert"}
    )
    Participant.objects.get_or_create(review=review, user=expert, role=Role.EXPERT)
    sources = get_reader(gen.analyst, review.slug).sources
    provisions = _provisions(prefix, 20)
    levels = list(scale.levels.all())
    ministries = sorted({a.ministry for a in gen.assignments}, key=lambda m: m.pk)
    made = []
    for i, assignment in enumerate(gen.assignments):
        area = assignment.questionnaire.area
        forwarded = Answer.objects.filter(assignment=assignment, status=Answer.Status.FORWARDED)
        answers = list(sources.answers().filter(pk__in=forwarded))
        evidence = list(
            Evidence.objects.filter(
                answer__in=answers,
                confidentiality__in=["team", "peers", "public"],
                withdrawn_at__isnull=True,
            )
        )
        assessment = services.assessment_start(review=review, area=area)
        services.assessment_edit(
            assessment=assessment,
            by=gen.analyst,
            context=_tt(f"Context of area {i + 1}: institutions, laws and recent reforms. " * 4),
            confidentiality=["peers", "public", "team"][i % 3],
        )
        made_findings = []
        for n in range(findings):
            made_findings.append(
                services.finding_save(
                    assessment=assessment,
                    by=gen.analyst,
                    sources=sources,
                    kind=KINDS[n % 3],
                    text=_tt(f"Finding {n + 1} of area {i + 1}: what the answers show. " * 3),
                    answer_ids=[a.pk for a in answers[n % max(len(answers), 1) :][:2]],
                    evidence_ids=[e.pk for e in evidence[n % max(len(evidence), 1) :][:1]],
                    provision_keys=[provisions[(i + n) % len(provisions)].key],
                )
            )
        services.rating_save(
            assessment=assessment,
            by=gen.analyst,
            sources=sources,
            scale=scale,
            level=levels[i % len(levels)],
            justification=_tt("Why the area gets this level."),
            provision_keys=[provisions[i % len(provisions)].key],
            answer_ids=[a.pk for a in answers[:1]],
        )
        services.government_rating_give(
            assessment=assessment,
            by=gen.coordinator,
            scale=scale,
            level=levels[(i + 2) % len(levels)],
            justification=_tt("The government's own view."),
        )
        for n in range(RECOMMENDATIONS):
            services.recommendation_save(
                assessment=assessment,
                by=gen.analyst,
                text=_tt(f"Recommendation {n + 1} of area {i + 1}: what to reform. " * 2),
                priority=PRIORITIES[(i + n) % 3],
                agency_ids=[ministries[(i + n) % len(ministries)].pk],
                finding_ids=[f.pk for f in made_findings[n : n + 2]],
            )
        services.comment_post(assessment=assessment, by=gen.analyst, body="Ready for review.")
        if i % 5 != 3:  # a few stay in draft; the forwarded areas (4, 9, 14) are agreed
            services.assessment_send_for_review(assessment=assessment, by=gen.analyst)
            services.assessment_agree(assessment=assessment, by=expert)
        made.append(assessment)
    services.analysis_open_to_peers(review=review, by=gen.analyst)
    return Analysis(
        assessments=made,
        expert=expert,
        counts={
            "assessments": len(made),
            "findings": len(made) * findings,
            "recommendations": len(made) * RECOMMENDATIONS,
        },
    )
