import pytest

from parasat.reviews.models import Role
from parasat.reviews.tests.factories import signed_review

pytestmark = pytest.mark.django_db


def slugs(client, **params):
    response = client.get("/api/reviews", params)
    assert response.status_code == 200, response.content
    return [r["slug"] for r in response.json()["items"]]


def test_the_reviews_i_may_read_are_mine_and_the_public_ones(client_for, persona, stranger, review):
    assert slugs(client_for(persona("analyst"))) == ["kz-test"]
    assert slugs(client_for(stranger)) == []
    assert slugs(client_for(None)) == []
    signed_review(slug="ua-open", is_public=True)
    assert slugs(client_for(persona("analyst"))) == ["kz-test", "ua-open"]
    assert slugs(client_for(stranger)) == ["ua-open"]


def test_signed_out_callers_list_the_public_reviews_and_read_them(client_for, review):
    signed_review(slug="ua-open", is_public=True)
    client = client_for(None)
    listed = client.get("/api/reviews").json()
    assert [(r["slug"], r["public"]) for r in listed["items"]] == [("ua-open", True)]
    assert client.get("/api/reviews/ua-open").json()["slug"] == "ua-open"
    assert client.get("/api/reviews/ua-open/timeline").status_code == 200
    # Public is the overview, not the people taking part.
    assert client.get("/api/reviews/ua-open/people").status_code == 404


def test_timeline_follows_the_last_signature(client_for, persona, review):
    data = client_for(persona("peer_reviewer")).get(f"/api/reviews/{review.slug}/timeline").json()
    assert data["start"] == "2015-01-20"
    assert [p["months"] for p in data["phases"]] == [2, 10, 6]
    assert {d["key"] for d in data["deadlines"]} == {"main_report", "financial_report"}


@pytest.mark.parametrize("path", ["", "/timeline", "/people"])
def test_strangers_and_anonymous_get_404_for_a_private_review(client_for, stranger, review, path):
    assert client_for(stranger).get(f"/api/reviews/{review.slug}{path}").status_code == 404
    assert client_for(None).get(f"/api/reviews/{review.slug}{path}").status_code == 404


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_role_reads_people(client_for, persona, review, role):
    response = client_for(persona(role)).get(f"/api/reviews/{review.slug}/people")
    assert response.status_code == 200
    assert role in {p["role"] for p in response.json()["items"]}


def test_openapi_schema_is_served(client_for):
    schema = client_for(None).get("/api/openapi.json").json()
    assert "/api/reviews/{slug}/timeline" in schema["paths"]


def test_api_docs_are_served_from_our_own_static_files(client_for):
    page = client_for(None).get("/api/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text
    assert "/static/ninja/swagger-ui-bundle" in page.text
