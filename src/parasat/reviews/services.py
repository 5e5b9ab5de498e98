"""Writes to the review core. Every change goes through one of these functions."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parasat.accounts.models import Organisation, User
from parasat.core.lib.translated import TranslatedText
from parasat.core.lib.uploads import check_upload
from parasat.reviews.caching import reviews_changed
from parasat.reviews.models import Amendment, Letter, Participant, Review, Role, Signature


def review_touch(*, review: Review | int) -> None:
    """Mark the review as changed: cached pages of it are keyed by ``updated_at``."""
    pk = review if isinstance(review, int) else review.pk
    Review.objects.filter(pk=pk).update(updated_at=timezone.now())
    reviews_changed()


def _attach(instance: Amendment | Letter, upload: UploadedFile | None) -> None:
    if upload is None:
        return
    check_upload(upload)
    instance.attachment_name = (upload.name or "")[:200]
    instance.attachment.save(upload.name or "file", upload, save=False)


@transaction.atomic
def letter_register(
    *,
    review: Review,
    sent_on: dt.date,
    direction: str,
    subject: str,
    reference: str = "",
    attachment: UploadedFile | None = None,
    by: User | None = None,
) -> Letter:
    """Add a letter to the correspondence register."""
    letter = Letter(
        review=review,
        sent_on=sent_on,
        direction=direction,
        subject=subject.strip(),
        reference=reference.strip(),
        registered_by=by,
    )
    letter.full_clean(exclude=["attachment"])
    _attach(letter, attachment)
    letter.save()
    review_touch(review=review)
    return letter


@transaction.atomic
def amendment_add(
    *,
    review: Review,
    number: int,
    signed_on: dt.date,
    summary: TranslatedText,
    attachment: UploadedFile | None = None,
) -> Amendment:
    """Record a protocol signed by both parties (Art. 8)."""
    if Amendment.objects.filter(review=review, number=number).exists():
        raise ValidationError(
            {"number": _("Protocol No. %(number)s is already recorded.") % {"number": number}}
        )
    amendment = Amendment(review=review, number=number, signed_on=signed_on, summary=summary)
    amendment.full_clean(exclude=["attachment"])
    _attach(amendment, attachment)
    amendment.save()
    review_touch(review=review)
    return amendment


@transaction.atomic
def signature_set_date(*, signature: Signature, signed_on: dt.date) -> Signature:
    """Replace a signature's date; a date entered by a person is no longer a placeholder."""
    signature.signed_on = signed_on
    signature.date_is_placeholder = False
    signature.save(update_fields=["signed_on", "date_is_placeholder"])
    review_touch(review=signature.party.review_id)
    return signature


# Who may appoint whom: the government side appoints its own people, the
# organisation's side the rest (Annex I §IV step 2 and §VI).
APPOINTS: dict[str, frozenset[str]] = {
    Role.COORDINATOR: frozenset({Role.COORDINATOR, Role.CONTACT_PERSON}),
    Role.ANALYST: frozenset(
        {
            Role.ANALYST,
            Role.EXPERT,
            Role.PEER_REVIEWER,
            Role.LOCAL_CONSULTANT,
            Role.CIVIL_SOCIETY,
            Role.BUSINESS,
        }
    ),
}


def roles_appointable_by(roles: frozenset[str], *, is_admin: bool = False) -> list[Role]:
    if is_admin:
        return list(Role)
    allowed: set[str] = set()
    for role in roles:
        allowed |= APPOINTS.get(role, frozenset())
    return [role for role in Role if role in allowed]


@transaction.atomic
def participant_add(
    *,
    review: Review,
    full_name: str,
    email: str,
    role: str,
    organisation: Organisation | None = None,
) -> Participant:
    """Add a person to the review in a role. An existing account with the same
    email is reused; a new one gets no usable password (the person chooses one
    through "Forgot your password?")."""
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        base = email.split("@")[0][:100] or "person"
        username, n = base, 1
        while User.objects.filter(username=username).exists():
            n += 1
            username = f"{base}{n}"
        user = User(
            username=username, email=email, full_name=full_name.strip(), organisation=organisation
        )
        user.set_unusable_password()
        user.full_clean()
        user.save()
    participant, created = Participant.objects.get_or_create(
        review=review, user=user, role=role, defaults={"organisation": organisation}
    )
    if not created:
        if participant.active:
            raise ValidationError(
                _("%(name)s already takes part in this review in that role.") % {"name": user}
            )
        participant.active = True
        participant.organisation = organisation
        participant.save(update_fields=["active", "organisation", "updated_at"])
    review_touch(review=review)
    return participant


@transaction.atomic
def participant_deactivate(*, participant: Participant) -> Participant:
    """Take a person out of a role; the record stays, for the history."""
    participant.active = False
    participant.save(update_fields=["active", "updated_at"])
    review_touch(review=participant.review_id)
    return participant


@transaction.atomic
def review_record_deliveries(
    *,
    review: Review,
    completed_on: dt.date | None,
    report_delivered_on: dt.date | None,
    financial_report_delivered_on: dt.date | None,
) -> Review:
    """Record when the project ended and when the reports of Art. 4 were delivered."""
    for day, field in (
        (report_delivered_on, "report_delivered_on"),
        (financial_report_delivered_on, "financial_report_delivered_on"),
    ):
        if day and completed_on and day < completed_on:
            raise ValidationError(
                {field: _("A report cannot be delivered before the project ends.")}
            )
    review.completed_on = completed_on
    review.report_delivered_on = report_delivered_on
    review.financial_report_delivered_on = financial_report_delivered_on
    if completed_on and review.status == Review.Status.ACTIVE:
        review.status = Review.Status.COMPLETED
    review.save()
    return review
