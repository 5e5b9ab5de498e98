"""The administration adds scales with their levels; a scale in use keeps its
levels and cannot be deleted; assessments are shown, not edited."""

import pytest
from django.urls import reverse

from parasat.accounts.tests.factories import UserFactory
from parasat.analysis import services
from parasat.analysis.models import RatingScale
from parasat.analysis.tests.factories import full_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client_for):
    return client_for(UserFactory(username="admin", is_staff=True, is_superuser=True))


def test_a_scale_is_added_with_its_levels(admin_client):
    data = {
        "code": "two",
        "order": "5",
        "name_en": "Two levels",
        "levels-TOTAL_FORMS": "2",
        "levels-INITIAL_FORMS": "0",
        "levels-0-rank": "1",
        "levels-0-code": "low",
        "levels-0-name_en": "Low",
        "levels-0-colour": "#aa0000",
        "levels-1-rank": "2",
        "levels-1-code": "high",
        "levels-1-name_en": "High",
        "levels-1-colour": "#00aa00",
    }
    response = admin_client.post(reverse("admin:analysis_ratingscale_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    scale = RatingScale.objects.get(code="two")
    assert scale.source == "admin" and scale.levels.count() == 2


def test_a_scale_in_use_keeps_its_levels(team, admin_client):
    services.scales_load_shipped()
    page = admin_client.get(reverse("admin:analysis_ratingscale_change", args=[team.scale.pk]))
    body = page.content.decode()
    assert 'name="levels-0-code"' not in body and 'name="levels-0-name_en"' in body
    assert (
        admin_client.post(
            reverse("admin:analysis_ratingscale_delete", args=[team.scale.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    full_draft(team)
    assessment_page = admin_client.get(reverse("admin:analysis_areaassessment_changelist"))
    assert (
        assessment_page.status_code == 200
        and "Regulatory policy" in assessment_page.content.decode()
    )
