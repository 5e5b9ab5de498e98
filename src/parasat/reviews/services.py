"""Writes to the review core. Every change goes through one of these functions."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parasat.accounts.models import User
from parasat.core.lib.translated import TranslatedText
from parasat.core.lib.uploads import check_upload
from parasat.reviews.models import Amendment, Letter, Review, Signature


def review_touch(*, review: Review | int) -> None:
    """Mark the review as changed: cached pages of it are keyed by ``updated_at``."""
    pk = review if isinstance(review, int) else review.pk
    Review.objects.filter(pk=pk).update(updated_at=timezone.now())


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
