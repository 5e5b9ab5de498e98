"""Reading the self-assessment on behalf of no one (a report built by the
worker, an open-data file): the audience goes through the same gate as a
signed-in reader, and the stage holds peers and the public back."""

import pytest

from parasat.assessment import access, selectors
from parasat.assessment.access import admission, get_reader
from parasat.assessment.models import AssessmentStage, Evidence
from parasat.assessment.tests.data_setup import SEES
from parasat.reviews.disclosure import Audience
from parasat.reviews.models import Role

pytestmark = pytest.mark.django_db

SAMPLE = "SAMPLE"


def sample_names(audience) -> set[str]:
    return {
        a.question.name
        for a in selectors.answers_for_export(audience)
        if a.assignment.questionnaire.identifier == SAMPLE
    }


@pytest.mark.parametrize(
    ("make", "like"),
    [
        (Audience.government, Role.COORDINATOR),
        (Audience.team, Role.ANALYST),
        (Audience.peers, Role.PEER_REVIEWER),
        (Audience.public, Role.CIVIL_SOCIETY),
    ],
)
def test_an_audience_of_no_one_reads_what_the_role_would(mix, persona, make, like):
    review = mix.work.review
    stage = AssessmentStage.objects.get(review=review)
    audience = make(review.pk).admitting(**admission(stage))
    assert sample_names(audience) == SEES[like]
    user = mix.work.coordinator if like == Role.COORDINATOR else persona(like)
    assert sample_names(get_reader(user, review.slug)) == SEES[like]


def test_the_public_reads_nothing_before_the_answers_are_published(mix):
    review = mix.work.review
    AssessmentStage.objects.filter(review=review).update(published_at=None)
    stage = AssessmentStage.objects.get(review=review)
    assert sample_names(Audience.public(review.pk).admitting(**admission(stage))) == set()
    assert (
        sample_names(Audience.peers(review.pk).admitting(**admission(stage)))
        == SEES[Role.PEER_REVIEWER]
    )


def test_an_audience_sees_only_the_files_of_its_levels(mix):
    review = mix.work.review
    titles = {
        e.title
        for a in selectors.answers_with_evidence(Audience.public(review.pk))
        for e in a.visible_evidence
    }
    assert titles == {"Public act"}
    assert "Secret minutes" in {
        e.title
        for a in selectors.answers_with_evidence(Audience.government(review.pk))
        for e in a.visible_evidence
    }


def test_an_audience_of_another_review_reads_nothing(mix):
    assert sample_names(Audience.government(mix.work.review.pk + 1)) == set()


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_one_assignment_s_answers_and_files_are_what_the_gate_lets_through(mix, persona, role):
    """The answer form reads one assignment's answers and files by shortcuts
    (``assignment_answers``, one evidence filter for the whole assignment):
    the same rows as the general gate, for every role, for its own ministry's
    assignment and another's."""
    work = mix.work
    user = {Role.COORDINATOR: work.coordinator, Role.CONTACT_PERSON: work.contact}.get(
        role
    ) or persona(role)
    reader = get_reader(user, work.review.slug)
    for assignment in (work.assignment, mix.other):
        gate = reader.answers().filter(assignment=assignment)
        assert set(access.assignment_answers(reader, assignment)) == set(gate)
        data = selectors.form_data(reader, assignment, ())
        shown = {e.pk for items in data.evidence.values() for e in items}
        visible = {
            e.pk
            for e in Evidence.objects.filter(
                selectors.visible_evidence_filter(reader), answer__in=gate
            )
        }
        assert shown == visible and sum(data.evidence_counts.values()) == len(visible)
        assert visible or assignment == mix.other
    other_review = Audience.government(work.review.pk + 1)
    assert not access.assignment_answers(other_review, work.assignment).exists()
