"""Consultations on the draft report (engagement) land in the report's matrix:
in the version they are about, answered before the stage closes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from parasat.core.testing.texts import tt
from parasat.engagement.models import Consultation
from parasat.engagement.services import consultations as engagement
from parasat.reports import consultations, services
from parasat.reports.models import Report
from parasat.reports.tests.conftest import drafted_once

pytestmark = pytest.mark.django_db

SAID = "The draft should name the tax register first."


def _issue_for_peer_review(people, report: Report) -> None:
    services.report_issue(report=report, by=people.analyst)
    services.report_advance(report=report, by=people.analyst)
    services.report_issue(report=report, by=people.analyst)


@pytest.fixture(scope="module")
def _module_people(request):
    """Every test here starts from the draft out for peer review (versions 1
    and 2): drafted and issued once for the module."""
    yield from drafted_once(request, then=_issue_for_peer_review)


def _draft_for_peer_review(people) -> Report:
    return people.report()


def _consult(people, ref: str = "", text: str = SAID):
    now = timezone.now()
    consultation = engagement.consultation_open(
        review=people.review,
        by=people.analyst,
        title=tt("Consultation on the draft report"),
        description=tt(""),
        subject_kind=Consultation.Subject.DRAFT_REPORT,
        subject_ref=ref,
        channels=["civil_society"],
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=7),
    )
    contribution = engagement.contribution_submit(
        consultation=consultation,
        contributor=engagement.Contributor(
            channel="civil_society", name="Transparency NGO", user=people.civil
        ),
        text=text,
    )
    return consultation, contribution


def test_a_consultation_belongs_to_the_version_out_when_it_closes_or_the_one_it_names(people):
    report = _draft_for_peer_review(people)
    v1, v2 = report.versions.order_by("number")
    by_time, _c = _consult(people)
    named, _c = _consult(people, ref="v1", text="On the preliminary report.")
    assert consultations.consultations_of(v2) == [by_time]
    assert consultations.consultations_of(v1) == [named]


def test_contributions_are_in_the_matrix_and_its_export(people, client_for):
    _draft_for_peer_review(people)
    _consult(people)
    matrix = reverse("reports:matrix", args=[people.review.slug, 2])
    page = client_for(people.coordinator).get(matrix).content.decode()
    assert "Consultation on the draft report" in page and SAID in page
    assert "Transparency NGO" in page
    csv = client_for(people.analyst).get(
        reverse("reports:matrix_download", args=[people.review.slug, 2, "csv"])
    )
    assert SAID in csv.content.decode("utf-8-sig")
    # A peer reads the draft's matrix but not what civil society sent in.
    peer = client_for(people.peer).get(matrix)
    assert peer.status_code == 200 and SAID not in peer.content.decode()


def test_the_stage_does_not_close_while_a_contribution_is_unanswered(people):
    report = _draft_for_peer_review(people)
    _consultation, contribution = _consult(people)
    with pytest.raises(ValidationError, match="1 contribution to the consultation"):
        services.report_advance(report=report, by=people.analyst)
    report.refresh_from_db()
    assert report.stage == "peer_review"
    engagement.response_save(
        contribution=contribution, by=people.analyst, kind="accepted", reason="Done."
    )
    services.report_advance(report=report, by=people.analyst)
    report.refresh_from_db()
    assert report.stage == "final"
    row = consultations.contribution_rows(report.versions.get(number=2), "en")[0]
    assert (row.response, row.reason.source, row.answered) == ("Accepted", "Done.", True)


def test_the_matrix_reads_contributions_in_a_fixed_number_of_queries(
    people, client_for, django_assert_max_num_queries
):
    _draft_for_peer_review(people)
    _consult(people)
    client = client_for(people.analyst)
    matrix = reverse("reports:matrix", args=[people.review.slug, 2])
    client.get(matrix)
    with django_assert_max_num_queries(14) as first:
        client.get(matrix)
    for n in range(5):
        _consult(people, text=f"More {n}.")
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(matrix)


def test_the_matrix_gives_a_response_s_reason_in_the_reader_s_language(people, client_for):
    _draft_for_peer_review(people)
    _consultation, contribution = _consult(people)
    engagement.response_save(
        contribution=contribution,
        by=people.analyst,
        kind="accepted",
        reason=tt("The register comes first.", ru="Реестр идёт первым."),
    )
    matrix = reverse("reports:matrix", args=[people.review.slug, 2])

    def read(language, url=matrix):
        client = client_for(people.analyst)
        client.cookies["django_language"] = language
        return client.get(url).content.decode("utf-8-sig")

    section = read("ru").split('id="h-consultation"')[1]
    assert "Реестр идёт первым." in section and "tr-missing" not in section
    section = read("kk").split('id="h-consultation"')[1]
    assert "The register comes first." in section and "tr-missing" in section
    download = reverse("reports:matrix_download", args=[people.review.slug, 2, "csv"])
    assert "Реестр идёт первым." in read("ru", download)
    assert "The register comes first." in read("kk", download)
