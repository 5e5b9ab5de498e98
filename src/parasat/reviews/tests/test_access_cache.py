"""Access decisions are cached; every change to roles or people takes effect at once."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parasat.reviews.access import check_review_access, get_review_for_user
from parasat.reviews.models import Participant
from parasat.reviews.services import participant_deactivate

pytestmark = pytest.mark.django_db


def overview(review):
    return reverse("reviews:overview", args=[review.slug])


def test_removing_a_role_takes_effect_on_the_next_request(client_for, persona, review):
    c = client_for(persona("contact_person"))
    assert c.get(overview(review)).status_code == 200
    participant_deactivate(
        participant=Participant.objects.get(user__username="contact_person-user")
    )
    assert c.get(overview(review)).status_code == 404


def test_a_new_role_takes_effect_on_the_next_request(client_for, persona, review):
    c = client_for(persona("business"))
    correspondence = reverse("reviews:correspondence", args=[review.slug])
    assert c.get(correspondence).status_code == 403
    Participant.objects.create(review=review, user=persona("business"), role="analyst")
    assert c.get(correspondence).status_code == 200


def test_deactivating_a_user_signs_them_out_at_once(client_for, persona, review):
    user = persona("analyst")
    c = client_for(user)
    assert c.get(overview(review)).status_code == 200
    user.is_active = False
    user.save()
    assert c.get(overview(review)).status_code == 404  # anonymous now, private review


def test_changing_the_password_ends_other_sessions(client_for, persona, review):
    user = persona("analyst")
    other = client_for(user)
    assert other.get(overview(review)).status_code == 200
    user.set_password("a brand new passphrase 42")
    user.save()
    assert other.get(overview(review)).status_code == 404


def test_a_deleted_review_is_gone_on_the_next_request(client_for, persona, review):
    c = client_for(persona("analyst"))
    assert c.get(overview(review)).status_code == 200
    review.delete()
    assert c.get(overview(review)).status_code == 404


def test_the_token_changes_again_when_the_change_commits(django_capture_on_commit_callbacks):
    """A request that read the rows before the change committed may have cached
    them under the token made when the change was saved: the commit makes another."""
    from parasat.reviews.caching import reviews_changed, reviews_version

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        reviews_changed()
        while_uncommitted = reviews_version()
    assert callbacks
    assert reviews_version() != while_uncommitted


def test_a_reader_s_roles_are_read_in_one_query_that_joins_no_user(persona, review):
    """The roles become a set: ordering them by the person's name (the
    participants' default order) joined the users' table on every check."""
    user = persona("analyst")
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert get_review_for_user(user, review.slug).roles == {"analyst"}
        assert check_review_access(user, review).roles == {"analyst"}
    assert len(queries) == 2
    assert all("accounts_user" not in q["sql"] for q in queries), queries.captured_queries
