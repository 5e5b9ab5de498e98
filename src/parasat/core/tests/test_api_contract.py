"""What the JSON API promises every program, whichever app answers: the
OpenAPI document declares what is answered, errors come in JSON (also at the
edges: unknown paths, wrong methods, server errors), pages are bounded, and
what a signed-in caller reads is never kept by a cache."""

import pytest
from django.test import Client

from parasat.accounts import services
from parasat.reviews.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(client_for):
    response = client_for(None).get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def ref(response):
    return response["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]


def test_the_document_declares_both_ways_to_sign_in(document):
    schemes = document["components"]["securitySchemes"]
    assert schemes["TokenAuth"]["type"] == "http"
    assert schemes["TokenAuth"]["scheme"] == "bearer"
    assert schemes["SessionAuth"] == {
        "type": "apiKey",
        "in": "cookie",
        "name": "sessionid",
        "description": schemes["SessionAuth"]["description"],
    }
    for path, method, operation in operations(document):
        assert {"TokenAuth": []} in operation["security"], (method, path)
        assert {"SessionAuth": []} in operation["security"], (method, path)


def test_reading_a_review_is_declared_open_to_signed_out_callers_and_writes_are_not(document):
    paths = document["paths"]
    for path in ("/api/reviews", "/api/reviews/{slug}", "/api/reviews/{slug}/timeline"):
        assert {} in paths[path]["get"]["security"], path
    assert {} not in paths["/api/account/tokens/{token_id}"]["delete"]["security"]
    assert {} not in paths["/api/account/tokens"]["get"]["security"]


def test_every_operation_declares_its_errors_with_their_schema(document):
    for path, method, operation in operations(document):
        responses = operation["responses"]
        assert ref(responses["401"]) == "ErrorOut", (method, path)
        if "{" in path:
            assert ref(responses["404"]) == "ErrorOut", (method, path)
        else:
            assert "404" not in responses, (method, path)
    paths = document["paths"]
    assert ref(paths["/api/reviews/{slug}/answers"]["get"]["responses"]["422"]) == (
        "ValidationErrorOut"
    )
    assert ref(paths["/api/reviews"]["get"]["responses"]["422"]) == "ValidationErrorOut"
    # A slug is any text: nothing about it can be refused.
    assert "422" not in paths["/api/reviews/{slug}"]["get"]["responses"]
    # Writes with the session can miss their CSRF token.
    assert ref(paths["/api/account/tokens/{token_id}"]["delete"]["responses"]["403"]) == (
        "ErrorOut"
    )
    schemas = document["components"]["schemas"]
    assert set(schemas["ValidationIssueOut"]["required"]) == {"type", "loc", "msg"}


def test_the_list_operations_declare_their_paging(document):
    for path in (
        "/api/reviews",
        "/api/reviews/{slug}/people",
        "/api/reviews/{slug}/assignments",
        "/api/reviews/{slug}/answers",
        "/api/account/tokens",
        "/api/reviews/{slug}/analysis/areas",
        "/api/reviews/{slug}/analysis/recommendations",
    ):
        params = {p["name"]: p for p in document["paths"][path]["get"]["parameters"]}
        assert params["page"]["schema"]["maximum"] == 10_000, path
        assert params["page_size"]["schema"]["maximum"] == 500, path
        assert params["page_size"]["schema"]["minimum"] == 1, path


def test_the_declared_errors_are_what_comes_back(client_for, review):
    client = client_for(None)
    not_found = client.get("/api/reviews/nowhere")
    assert not_found.status_code == 404
    assert set(not_found.json()) == {"detail"}
    refused = client.get("/api/reviews", {"page": "x"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["query", "page"]
    assert {"type", "loc", "msg"} <= set(refused.json()["detail"][0])


@pytest.mark.parametrize(
    "path",
    ["/api/nowhere", "/api/reviews/kz-test/", "/api/reviews/kz-test/nothing", "/api/", "/api/x/y"],
)
def test_unknown_paths_under_the_api_answer_404_in_json(client_for, review, path):
    response = client_for(None).get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("path", ["/nowhere/", "/reviews/nowhere/", "/apix/", "/toolkit/x/"])
def test_the_rest_of_the_site_keeps_its_html_404(client_for, review, path):
    response = client_for(None).get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "There is no such page" in response.text


def test_a_wrong_method_answers_405_in_json(client_for, review):
    response = client_for(None).post("/api/reviews")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json() == {"detail": "This method is not allowed here."}
    assert client_for(None).put(f"/api/reviews/{review.slug}").status_code == 405


def test_errors_are_translated(client_for, review):
    response = client_for(None).get("/api/nowhere", headers={"Accept-Language": "ru"})
    assert response.json() == {"detail": "Не найдено."}


def test_a_server_error_answers_in_json(review, persona, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("parasat.reviews.api.selectors.review_overview", broken)
    client = Client(raise_request_exception=False)
    client.force_login(persona(Role.ANALYST))
    response = client.get(f"/api/reviews/{review.slug}/timeline")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "boom" not in response.text
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "params",
    [{"page": 0}, {"page": 10_001}, {"page": -1}, {"page_size": 0}, {"page_size": 501}],
)
def test_pages_are_bounded(client_for, persona, review, params):
    response = client_for(persona(Role.ANALYST)).get(f"/api/reviews/{review.slug}/people", params)
    assert response.status_code == 422


def test_a_page_size_can_be_chosen(client_for, persona, review):
    for role in (Role.ANALYST, Role.EXPERT, Role.BUSINESS):
        persona(role)
    client = client_for(persona(Role.COORDINATOR))
    url = f"/api/reviews/{review.slug}/people"
    first = client.get(url, {"page_size": 3}).json()
    assert (first["count"], first["pages"], first["page"], first["page_size"]) == (4, 2, 1, 3)
    assert len(first["items"]) == 3
    second = client.get(url, {"page_size": 3, "page": 2}).json()
    assert len(second["items"]) == 1
    names = {p["name"] for p in first["items"]} | {p["name"] for p in second["items"]}
    assert len(names) == 4
    assert client.get(url, {"page": 3, "page_size": 3}).json()["items"] == []
    assert client.get(url).json()["page_size"] == 100


def test_what_a_signed_in_caller_reads_is_never_cached(client_for, persona, review):
    review.is_public = True
    review.save()
    url = f"/api/reviews/{review.slug}"
    by_session = client_for(persona(Role.ANALYST)).get(url)
    secret = services.api_token_create(user=persona(Role.EXPERT), name="s", days=7).secret
    by_token = client_for(None).get(url, headers={"Authorization": f"Bearer {secret}"})
    not_found = client_for(persona(Role.ANALYST)).get("/api/reviews/nowhere")
    for response in (by_session, by_token, not_found):
        assert {"private", "no-store"} <= {
            part.strip() for part in response["Cache-Control"].split(",")
        }
    # The public overview, signed out, is public data; it still varies by who asks.
    public = client_for(None).get(url)
    assert public.status_code == 200
    assert "no-store" not in public.get("Cache-Control", "")
    assert {"Authorization", "Cookie"} <= {v.strip() for v in public["Vary"].split(",")}
