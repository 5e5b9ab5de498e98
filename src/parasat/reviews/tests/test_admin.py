import pytest
from django.urls import reverse

from parasat.accounts.tests.factories import UserFactory
from parasat.core.lib.translated import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "name",
    [
        "reviews_review",
        "reviews_letter",
        "reviews_participant",
        "accounts_organisation",
        "accounts_user",
    ],
)
def test_admin_lists_render(admin_client_, review, name):
    assert admin_client_.get(reverse(f"admin:{name}_changelist")).status_code == 200


def test_editing_english_in_the_admin_marks_translations_stale_until_confirmed(
    admin_client_, review
):
    # Phases are edited inline on the review; use the organisation admin, a plain form.
    org = review.responsible_body
    url = reverse("admin:accounts_organisation_change", args=[org.pk])
    page = admin_client_.get(url)
    assert page.status_code == 200
    assert 'name="name_kk"' in page.text
    data = {
        "code": org.code,
        "kind": org.kind,
        "short_name_en": "",
        "short_name_ru": "",
        "short_name_kk": "",
        "country": "",
        "parent": "",
        "name_en": "Ministry of Finance",
        "name_ru": org.name.get("ru"),
        "name_kk": org.name.get("kk"),
        "name_confirm_ru": "on",
    }
    response = admin_client_.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    org.refresh_from_db()
    assert org.name.source == "Ministry of Finance"
    assert org.name.status("ru") == Status.OK  # confirmed
    assert org.name.status("kk") == Status.STALE  # not confirmed, not changed
