"""A contributor may ask that their name not be published: the analytical
team, who runs the consultation, reads it; the co-ordinator (the government
side) reads the contribution but not the name — on the matrix, the
contribution's page, the export and the API."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from parasat.engagement.services import consultations as services
from parasat.engagement.tests.test_consultations import _open
from parasat.jobs.tests.helpers import download, run_posted
from parasat.reviews.models import Role

pytestmark = pytest.mark.django_db
NAMED = [Role.ANALYST, Role.EXPERT, Role.LOCAL_CONSULTANT]


@pytest.fixture
def withheld(review, persona):
    consultation = _open(review, persona(Role.ANALYST))
    for name, anonymous in (("Aigerim Withheld", True), ("Daniyar Named", False)):
        c = services.contribution_submit(
            consultation=consultation,
            contributor=services.Contributor(
                channel="public", name=name, email=f"{name.split()[0]}@example.org"
            ),
            text=f"The view of {name.split()[0]}.",
            anonymous=anonymous,
        )
        services.response_save(
            contribution=c, by=persona(Role.ANALYST), kind="noted", reason="Thanks."
        )
    return consultation


@pytest.mark.parametrize("role", [*NAMED, Role.COORDINATOR])
def test_a_withheld_name_is_read_only_by_the_team(client_for, persona, review, withheld, role):
    client = client_for(persona(role))
    args = [review.slug, withheld.pk]
    shown = role in NAMED

    page = client.get(reverse("engagement:matrix", args=args)).content.decode()
    assert "Daniyar Named" in page and "The view of Aigerim." in page
    assert ("Aigerim Withheld" in page) is shown

    one = client.get(reverse("engagement:contribution", args=[*args, 1])).content.decode()
    assert "The view of Aigerim." in one
    assert ("Aigerim Withheld" in one) is shown

    job = run_posted(client, reverse("engagement:matrix_export", args=args), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(download(client, job).content.decode("utf-8-sig"))))
    assert [r[2] for r in rows[1:]] == ["Aigerim Withheld" if shown else "", "Daniyar Named"]
    assert [r[3] for r in rows[1:]] == ["yes", "no"]

    api = client.get(f"/api/reviews/{review.slug}/consultations/{withheld.pk}/contributions")
    items = api.json()["items"]
    assert [i["name"] for i in items] == ["Aigerim Withheld" if shown else "", "Daniyar Named"]
    assert [i["name_withheld"] for i in items] == [True, False]
