"""Consultations: the period and channels enforced on the server, signed-in
representatives and the confirmed public, rate limits, moderation, every
contribution answered with a reason, the matrix and its export, closing."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from parasat.core.testing.texts import tt
from parasat.engagement.models import Consultation, Contribution, Response
from parasat.engagement.selectors_consultations import summary
from parasat.engagement.services import consultations as services
from parasat.engagement.tests.factories import pdf
from parasat.jobs.tests.helpers import download, run_posted
from parasat.reviews.models import Role

pytestmark = pytest.mark.django_db
ALL_ROLES = [r.value for r in Role]


def url(name, review, *args):
    return reverse(f"engagement:{name}", args=[review.slug, *args])


def _open(review, by, *, channels=("civil_society", "business", "public"), starts=-1, ends=7):
    now = timezone.now()
    return services.consultation_open(
        review=review,
        by=by,
        title=tt("Draft findings on conflicts of interest"),
        description=tt("Tell us what you think."),
        subject_kind="area_findings",
        subject_ref="COI",
        channels=channels,
        opens_at=now + dt.timedelta(days=starts),
        closes_at=now + dt.timedelta(days=ends),
    )


@pytest.fixture
def consultation(review, persona):
    review.is_public = True
    review.save()
    return _open(review, persona(Role.ANALYST))


def _citizen(email="citizen@example.org"):
    return services.Contributor(channel="public", name="A citizen", email=email)


def test_opening_needs_a_channel_and_a_period_that_ends_after_it_starts(review, persona):
    with pytest.raises(ValidationError) as caught:
        _open(review, persona(Role.ANALYST), channels=())
    assert "channels" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        _open(review, persona(Role.ANALYST), starts=3, ends=1)
    assert "closes_at" in caught.value.message_dict
    assert not Consultation.objects.exists()


def test_contributions_are_refused_outside_the_period_and_channels(review, persona):
    analyst = persona(Role.ANALYST)
    later = _open(review, analyst, starts=2, ends=5)
    with pytest.raises(ValidationError, match="not open"):
        services.contribution_submit(consultation=later, contributor=_citizen(), text="Early.")
    over = _open(review, analyst, starts=-5, ends=-1)
    with pytest.raises(ValidationError, match="not open"):
        services.contribution_submit(consultation=over, contributor=_citizen(), text="Late.")
    business_only = _open(review, analyst, channels=("business",))
    with pytest.raises(ValidationError, match="your channel"):
        services.contribution_submit(
            consultation=business_only, contributor=_citizen(), text="Wrong channel."
        )
    assert not Contribution.objects.exists()


def test_a_disguised_attachment_refuses_the_whole_contribution(consultation):
    with pytest.raises(ValidationError) as caught:
        services.contribution_submit(
            consultation=consultation,
            contributor=_citizen(),
            text="See the file.",
            attachments=[pdf("evil.pdf", b"MZ\x90\x00")],
        )
    assert "attachments" in caught.value.message_dict
    assert not Contribution.objects.exists()


def test_the_public_is_rate_limited_per_address(consultation):
    for n in range(services.PUBLIC_PER_EMAIL_PER_DAY):
        services.contribution_submit(
            consultation=consultation, contributor=_citizen(), text=f"Point {n}."
        )
    with pytest.raises(ValidationError, match="Too many contributions"):
        services.contribution_submit(
            consultation=consultation, contributor=_citizen(), text="One more."
        )
    services.contribution_submit(
        consultation=consultation, contributor=_citizen("other@example.org"), text="Mine."
    )
    sender = services.sender_key("10.0.0.1")
    for n in range(services.PUBLIC_PER_SENDER_PER_DAY):
        services.contribution_submit(
            consultation=consultation,
            contributor=_citizen(f"p{n}@example.org"),
            text="x",
            sender=sender,
        )
    with pytest.raises(ValidationError, match="Too many contributions"):
        services.contribution_submit(
            consultation=consultation,
            contributor=_citizen("fresh@example.org"),
            text="x",
            sender=sender,
        )


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_reads_the_matrix_and_who_contributes_signed_in(
    client_for, persona, consultation, review, role
):
    client = client_for(persona(role))
    assert client.get(url("consultation", review, consultation.pk)).status_code == 200
    matrix = client.get(url("matrix", review, consultation.pk)).status_code
    assert matrix == (
        200 if role in {"coordinator", "analyst", "expert", "local_consultant"} else 403
    )
    response = client.post(url("contribute", review, consultation.pk), {"text": "My view."})
    if role in {"civil_society", "business"}:
        assert response.status_code == 302
        assert Contribution.objects.get().channel == role
    else:
        assert response.status_code == 403
        assert not Contribution.objects.exists()


def test_a_stranger_learns_nothing(client_for, stranger, consultation, review):
    client = client_for(stranger)
    for name in ("consultation", "matrix"):
        assert client.get(url(name, review, consultation.pk)).status_code == 404


def test_the_public_confirms_an_address_then_contributes(
    client_for, consultation, review, mailoutbox, django_capture_on_commit_callbacks
):
    visitor = client_for(None)
    page = url("public_consultation", review, consultation.pk)
    assert visitor.get(page).status_code == 200
    response = visitor.post(page, {"email": "not an address"})
    assert "is not a valid email address" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        visitor.post(page, {"email": "citizen@example.org"})
    (message,) = mailoutbox
    link = re.search(r"https?://\S+/public/\S+/", message.body).group(0)
    path = link.split("//", 1)[1].split("/", 1)[1]
    form = visitor.get("/" + path)
    assert form.status_code == 200 and "citizen@example.org" in form.content.decode()
    response = visitor.post(
        "/" + path,
        {
            "name": "Aigerim",
            "text": "Publish the declarations.",
            "anonymous": "on",
            "attachments": [SimpleUploadedFile("note.txt", b"plain text")],
        },
    )
    assert (
        response.status_code == 200 and "your contribution is received" in response.content.decode()
    )
    contribution = Contribution.objects.get()
    assert contribution.email == "citizen@example.org" and contribution.anonymous
    assert contribution.attachments.count() == 1
    forged = visitor.get(url("public_contribute", review, consultation.pk, "forged"))
    assert forged.status_code == 400


def test_the_public_page_is_not_there_for_a_private_review_or_without_the_channel(
    client_for, review, persona
):
    private = _open(review, persona(Role.ANALYST))
    assert client_for(None).get(url("public_consultation", review, private.pk)).status_code == 404
    review.is_public = True
    review.save()
    closed_to_public = _open(review, persona(Role.ANALYST), channels=("business",))
    response = client_for(None).get(url("public_consultation", review, closed_to_public.pk))
    assert response.status_code == 404


def test_every_contribution_is_answered_with_a_reason_before_closing(consultation, persona):
    analyst = persona(Role.ANALYST)
    first = services.contribution_submit(
        consultation=consultation, contributor=_citizen(), text="First."
    )
    spam = services.contribution_submit(
        consultation=consultation, contributor=_citizen("s@example.org"), text="Buy now!"
    )
    with pytest.raises(ValidationError, match="reason"):
        services.contribution_hide(contribution=spam, by=analyst, reason="")
    services.contribution_hide(contribution=spam, by=analyst, reason="Advertising.")
    assert Contribution.objects.filter(pk=spam.pk).exists()  # hidden, kept
    with pytest.raises(ValidationError, match="1 contribution has no response"):
        services.consultation_close(consultation=consultation, by=analyst)
    with pytest.raises(ValidationError) as caught:
        services.response_save(contribution=first, by=analyst, kind="accepted", reason=" ")
    assert "reason" in caught.value.message_dict
    assert not Response.objects.exists()
    services.response_save(
        contribution=first, by=analyst, kind="partly", reason="We add verification."
    )
    services.consultation_close(consultation=consultation, by=analyst)
    with pytest.raises(ValidationError, match="closed"):
        services.response_save(contribution=first, by=analyst, kind="noted", reason="Late.")
    with pytest.raises(ValidationError, match="not open"):
        services.contribution_submit(consultation=consultation, contributor=_citizen(), text="x")
    rows = {row.channel: row for row in summary(consultation)}
    assert rows["public"].total == 1 and rows["public"].by_kind["partly"] == 1


def test_the_matrix_keeps_its_query_count_and_exports_as_a_job(
    client_for, persona, consultation, review, django_assert_max_num_queries
):
    analyst = persona(Role.ANALYST)
    client = client_for(analyst)

    def add(n):
        for i in range(n):
            c = services.contribution_submit(
                consultation=consultation,
                contributor=_citizen(f"c{Contribution.objects.count()}@example.org"),
                text=f"Point {i}.",
            )
            services.response_save(contribution=c, by=analyst, kind="noted", reason="Thanks.")

    add(3)
    client.get(url("matrix", review, consultation.pk))  # warm the caches
    with django_assert_max_num_queries(12) as small:
        client.get(url("matrix", review, consultation.pk))
    add(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url("matrix", review, consultation.pk))
    assert "Point 29." in response.content.decode()
    job = run_posted(client, url("matrix_export", review, consultation.pk), {"format": "xlsx"})
    assert job.state == "succeeded", job.error
    sheet = load_workbook(io.BytesIO(download(client, job).content)).active
    assert sheet.max_row == 34
    job = run_posted(client, url("matrix_export", review, consultation.pk), {"format": "csv"})
    assert download(client, job).content.decode("utf-8-sig").count("\n") == 34


def test_the_pages_answer_hide_and_close(client_for, persona, consultation, review):
    analyst = client_for(persona(Role.ANALYST))
    civil = client_for(persona(Role.CIVIL_SOCIETY))
    civil.post(url("contribute", review, consultation.pk), {"text": "Our view."})
    response = analyst.post(url("respond", review, consultation.pk, 1), {"kind": "accepted"})
    assert response.status_code == 400 and "Give the reason" in response.content.decode()
    response = analyst.post(url("consultation_close", review, consultation.pk), follow=True)
    assert "has no response yet" in response.content.decode()
    analyst.post(
        url("respond", review, consultation.pk, 1), {"kind": "accepted", "reason_en": "Agreed."}
    )
    analyst.post(url("consultation_close", review, consultation.pk))
    consultation.refresh_from_db()
    assert consultation.closed_at is not None
    page = civil.get(url("consultation", review, consultation.pk)).content.decode()
    assert "Agreed." in page  # the contributor reads the response to their contribution
