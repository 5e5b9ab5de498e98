"""What is published of a consultation: the summary per channel with how the
contributions were answered, and the contributions at the level each
contributor chose — the team's only, the peer reviewers too, or anyone —
with their responses, hidden ones never, withheld names never; on the
consultation's page, on the public page and in the API, role by role."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parasat.conftest import ALL_ROLES
from parasat.engagement.models import Contribution
from parasat.engagement.services import consultations as services
from parasat.engagement.tests.test_consultations import _citizen, _open
from parasat.reviews.models import Role

pytestmark = pytest.mark.django_db
MATRIX = {Role.ANALYST, Role.EXPERT, Role.LOCAL_CONSULTANT, Role.COORDINATOR}
LEVELS = {
    "public": "A view for everyone.",
    "peers": "A view for the peers.",
    "team": "A view for the team.",
}


def _contribute(consultation, level, text, **extra):
    return services.contribution_submit(
        consultation=consultation,
        contributor=_citizen(f"{level}{len(text)}@example.org"),
        text=text,
        confidentiality=level,
        **extra,
    )


@pytest.fixture
def closed(review, persona):
    review.is_public = True
    review.save()
    analyst = persona(Role.ANALYST)
    consultation = _open(review, analyst)
    made = [_contribute(consultation, level, text) for level, text in LEVELS.items()]
    made.append(_contribute(consultation, "public", "A hidden view.", anonymous=False))
    made[0].name = "Aigerim Withheld"
    made[0].anonymous = True
    made[0].save()
    for c in made:
        services.response_save(
            contribution=c, by=analyst, kind="partly", reason=f"Reason {c.number}."
        )
    services.contribution_hide(contribution=made[-1], by=analyst, reason="Spam.")
    return services.consultation_close(consultation=consultation, by=analyst)


def _reads(role):
    if role == Role.PEER_REVIEWER:
        return {"public", "peers"}
    return {"public"}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_role_reads_the_published_contributions_its_level_admits(
    client_for, persona, review, closed, role
):
    client = client_for(persona(role))
    page = reverse("engagement:consultation", args=[review.slug, closed.pk])
    api = f"/api/reviews/{review.slug}/consultations/{closed.pk}/contributions"
    if role not in MATRIX:  # before the summary is published: nothing
        assert "A view for everyone." not in client.get(page).content.decode()
        assert client.get(api).status_code == 403
    services.summary_publish(consultation=closed)

    text = client.get(page).content.decode()
    items = client.get(api).json()["items"]
    if role in MATRIX:  # the team and the co-ordinator read them all, on the matrix
        assert len(items) == 4
        return
    for level, view in LEVELS.items():
        assert (view in text) is (level in _reads(role)), (level, text)
    assert "A hidden view." not in text and "Aigerim Withheld" not in text
    assert "name withheld" in text and "Reason 1." in text
    assert [i["text"] for i in items] == [v for k, v in LEVELS.items() if k in _reads(role)]
    assert items[0]["name"] == "" and items[0]["name_withheld"]
    assert items[0]["response"]["reason"] == {"en": "Reason 1.", "ru": "", "kk": ""}


def test_the_public_page_shows_the_summary_by_response_and_the_public_contributions(
    client_for, review, closed
):
    services.summary_publish(consultation=closed)
    page = client_for(None).get(
        reverse("engagement:public_consultation", args=[review.slug, closed.pk])
    )
    text = page.content.decode()
    assert "Partly accepted" in text and "Not accepted" in text  # how they were answered
    assert "A view for everyone." in text and "Reason 1." in text
    for hidden in ("A view for the peers.", "A view for the team.", "A hidden view.", "Aigerim"):
        assert hidden not in text


def test_the_contributor_chooses_the_level_and_government_only_is_refused(
    client_for, persona, review
):
    consultation = _open(review, persona(Role.ANALYST))
    with pytest.raises(ValidationError):
        _contribute(consultation, "government", "Secret.")
    assert not Contribution.objects.exists()
    client = client_for(persona(Role.CIVIL_SOCIETY))
    url = reverse("engagement:contribute", args=[review.slug, consultation.pk])
    assert client.post(url, {"text": "Publish it.", "confidentiality": "public"}).status_code == 302
    assert client.post(url, {"text": "Keep it."}).status_code == 302
    assert [c.confidentiality for c in Contribution.objects.order_by("number")] == [
        "public",
        "team",
    ]


def test_confirmation_emails_are_bounded_per_address_and_per_network_address(
    client_for, review, mailoutbox, persona, django_capture_on_commit_callbacks
):
    review.is_public = True
    review.save()
    consultation = _open(review, persona(Role.ANALYST))
    page = reverse("engagement:public_consultation", args=[review.slug, consultation.pk])
    visitor = client_for(None)

    def ask(email, address="10.0.0.9"):
        with django_capture_on_commit_callbacks(execute=True):
            return visitor.post(page, {"email": email}, REMOTE_ADDR=address).content.decode()

    for _n in range(services.PUBLIC_PER_EMAIL_PER_DAY):
        assert "We have sent you a link" in ask("Flood@Example.org", f"10.0.1.{_n}")
    assert "Too many confirmation requests" in ask("flood@example.org", "10.0.2.1")
    assert len(mailoutbox) == services.PUBLIC_PER_EMAIL_PER_DAY
    for n in range(services.PUBLIC_PER_SENDER_PER_DAY):
        assert "We have sent you a link" in ask(f"p{n}@example.org")
    assert "Too many confirmation requests" in ask("fresh@example.org")
    assert len(mailoutbox) == services.PUBLIC_PER_EMAIL_PER_DAY + services.PUBLIC_PER_SENDER_PER_DAY


def test_a_response_kept_for_the_team_is_not_published_but_its_contributor_reads_it(
    client_for, persona, review
):
    review.is_public = True
    review.save()
    analyst = persona(Role.ANALYST)
    representative = persona(Role.CIVIL_SOCIETY)
    consultation = _open(review, analyst)
    contribution = services.contribution_submit(
        consultation=consultation,
        contributor=services.Contributor(
            channel="civil_society", name="NGO", user=representative, email="ngo@example.org"
        ),
        text="A public view.",
        confidentiality="public",
    )
    team = client_for(analyst)
    answered = team.post(
        reverse("engagement:respond", args=[review.slug, consultation.pk, 1]),
        {"kind": "noted", "reason_en": "It names an official.", "confidentiality": "team"},
    )
    assert answered.status_code == 302
    with pytest.raises(ValidationError):
        services.response_save(
            contribution=contribution, by=analyst, kind="noted", reason="x",
            confidentiality="government",
        )  # fmt: skip
    closed = services.consultation_close(consultation=consultation, by=analyst)
    services.summary_publish(consultation=closed)

    public = client_for(None).get(
        reverse("engagement:public_consultation", args=[review.slug, consultation.pk])
    )
    assert "A public view." in public.content.decode()
    assert "It names an official." not in public.content.decode()
    business = client_for(persona(Role.BUSINESS))
    api = f"/api/reviews/{review.slug}/consultations/{consultation.pk}/contributions"
    (item,) = business.get(api).json()["items"]
    assert item["text"] == "A public view." and item["response"] is None
    own = client_for(representative).get(
        reverse("engagement:consultation", args=[review.slug, consultation.pk])
    )
    assert "It names an official." in own.content.decode()


def test_an_oversized_attachment_refuses_the_whole_contribution_with_its_name(
    persona, review, settings
):
    consultation = _open(review, persona(Role.ANALYST))
    settings.PARASAT_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError) as caught:
        services.contribution_submit(
            consultation=consultation,
            contributor=_citizen(),
            text="See the file.",
            attachments=[SimpleUploadedFile("big.txt", b"plain text, longer than ten bytes")],
        )
    assert "big.txt" in caught.value.message_dict["attachments"][0]
    assert not Contribution.objects.exists()
