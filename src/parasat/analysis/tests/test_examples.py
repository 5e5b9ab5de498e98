"""The Kazakhstan 2014 example ships an illustrative analysis of three areas,
marked as such, in the three languages; loading again changes nothing, and
an assessment someone has since changed is theirs."""

from __future__ import annotations

import pytest

from parasat.analysis.models import AreaAssessment, Recommendation
from parasat.core.lib.translated import TranslatedText
from parasat.reviews.loader import load_example

pytestmark = pytest.mark.django_db


@pytest.fixture
def example(kz_example):
    """Loaded once for the two tests that read it (see the conftest)."""
    return kz_example


def test_the_example_holds_an_illustrative_analysis_of_three_areas(example, client_for):
    assessments = {a.area.code: a for a in AreaAssessment.objects.select_related("area")}
    assert set(assessments) == {"COI", "PSI", "PRC"}
    assert all(a.illustrative for a in assessments.values())
    assert assessments["COI"].state == "agreed" and assessments["PRC"].state == "draft"
    assert assessments["COI"].versions.count() == 2
    codes = list(Recommendation.objects.order_by("code").values_list("code", flat=True))
    assert codes == ["COI-1", "COI-2", "PRC-1", "PRC-2", "PSI-1", "PSI-2"]
    coi = assessments["COI"]
    team = coi.ratings.get().level.rank
    government = coi.government_ratings.get().level.rank
    assert abs(team - government) > 1  # the page shows the two differ
    for finding in coi.findings.all():
        assert finding.provisions.exists()
        for language in ("ru", "kk"):
            assert TranslatedText.from_json(finding.text).get(language)
    assert example.analysis_stage.peers_opened_at is not None


def test_loading_again_keeps_what_the_team_changed(example):
    coi = AreaAssessment.objects.get(area__code="COI")
    AreaAssessment.objects.filter(pk=coi.pk).update(confidentiality="public")
    load_example("kazakhstan-2014")
    assert AreaAssessment.objects.count() == 3 and Recommendation.objects.count() == 6
    assert AreaAssessment.objects.get(pk=coi.pk).confidentiality == "public"


def test_without_the_toolkit_the_example_loads_its_scales_and_no_assessment(db):
    review = load_example("kazakhstan-2014")
    assert review.rating_scales.count() == 1
    assert not AreaAssessment.objects.exists()
