"""Consultations: opened by the analytical team, contributed to within their
period by the channels they name, moderated, every contribution answered,
closed only when none is left unanswered."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parasat.accounts.models import User
from parasat.analysis.models import AssessmentVersion, Finding, Recommendation
from parasat.core.lib.translated import TranslatedText, content_languages
from parasat.core.lib.uploads import check_upload
from parasat.engagement.models import (
    Channel,
    Consultation,
    Contribution,
    ContributionAttachment,
    Response,
)
from parasat.reviews.disclosure import Confidentiality
from parasat.reviews.models import Review, Role

# Spam: a bounded rate of public contributions (and of confirmation emails)
# per network address and per email address.
PUBLIC_PER_EMAIL_PER_DAY = 5
PUBLIC_PER_SENDER_PER_DAY = 20
MAX_ATTACHMENTS = 5
MAX_TEXT = 20_000
CONFIRM_SALT = "parasat.engagement.confirm"
CONFIRM_MAX_AGE = 2 * 24 * 3600

# Who may read a contribution, as its contributor chooses: the review's
# analytical team (and, as for all content, the government's co-ordinator),
# the peer reviewers too, or anyone once the consultation's summary is
# published. "Government only" means nothing for what a contributor writes.
CONTRIBUTION_LEVELS = (Confidentiality.TEAM, Confidentiality.PEERS, Confidentiality.PUBLIC)

# Which role speaks in which channel when signed in.
ROLE_CHANNELS = {Role.CIVIL_SOCIETY: Channel.CIVIL_SOCIETY, Role.BUSINESS: Channel.BUSINESS}


def is_open(consultation: Consultation, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return consultation.closed_at is None and consultation.opens_at <= now < consultation.closes_at


@transaction.atomic
def consultation_open(
    *,
    review: Review,
    by: User,
    title: TranslatedText,
    description: TranslatedText,
    subject_kind: str,
    subject_ref: str = "",
    channels: Iterable[str],
    opens_at: dt.datetime,
    closes_at: dt.datetime,
) -> Consultation:
    """Open a consultation on a subject for ``channels`` from ``opens_at`` to ``closes_at``."""
    chosen = [c for c in Channel.values if c in set(channels)]
    if not chosen:
        raise ValidationError({"channels": _("Choose at least one channel.")})
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("The consultation must close after it opens.")})
    consultation = Consultation(
        review=review,
        title=title,
        description=description,
        subject_kind=subject_kind,
        subject_ref=subject_ref.strip(),
        channels=chosen,
        opens_at=opens_at,
        closes_at=closes_at,
        opened_by=by,
    )
    consultation.full_clean(exclude=["review", "opened_by"])
    consultation.save()
    return consultation


def _check_open(consultation: Consultation, channel: str) -> None:
    if not is_open(consultation):
        raise ValidationError(
            _(
                "The consultation is not open: contributions are accepted "
                "from %(opens)s to %(closes)s."
            )
            % {
                "opens": date_format(timezone.localtime(consultation.opens_at), "j E Y, H:i"),
                "closes": date_format(timezone.localtime(consultation.closes_at), "j E Y, H:i"),
            }
        )
    if channel not in consultation.channels:
        raise ValidationError(_("This consultation does not take contributions from your channel."))


def sender_key(address: str) -> str:
    """A keyed hash of a network address: enough to count, useless to anyone else."""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Contributor:
    """Who is contributing: a signed-in representative or a confirmed address."""

    channel: str
    name: str
    user: User | None = None
    email: str = ""
    organisation: str = ""


def _check_rate(consultation: Consultation, contributor: Contributor, sender: str) -> None:
    if contributor.channel != Channel.PUBLIC:
        return
    since = timezone.now() - dt.timedelta(days=1)
    recent = Contribution.objects.filter(channel=Channel.PUBLIC, submitted_at__gte=since)
    if recent.filter(email__iexact=contributor.email).count() >= PUBLIC_PER_EMAIL_PER_DAY or (
        sender and recent.filter(sender=sender).count() >= PUBLIC_PER_SENDER_PER_DAY
    ):
        raise ValidationError(
            _("Too many contributions from this address today. Please try again tomorrow.")
        )


@transaction.atomic
def contribution_submit(
    *,
    consultation: Consultation,
    contributor: Contributor,
    text: str,
    anonymous: bool = False,
    confidentiality: str = Confidentiality.TEAM,
    attachments: Iterable[UploadedFile] = (),
    sender: str = "",
) -> Contribution:
    """Take a contribution while the consultation is open, from a channel it
    names, with its files (each checked as evidence is); nothing is written
    if anything is refused."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _check_open(consultation, contributor.channel)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write your contribution.")})
    if confidentiality not in CONTRIBUTION_LEVELS:
        raise ValidationError({"confidentiality": _("Choose who may read your contribution.")})
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {
                "text": _("The contribution is too long (at most %(limit)s characters).")
                % {"limit": MAX_TEXT}
            }
        )
    files = list(attachments)
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(
            {
                "attachments": ngettext(
                    "At most %(limit)s file may be attached.",
                    "At most %(limit)s files may be attached.",
                    MAX_ATTACHMENTS,
                )
                % {"limit": MAX_ATTACHMENTS}
            }
        )
    types = []
    for upload in files:
        try:
            types.append(check_upload(upload))
        except ValidationError as exc:
            raise ValidationError(
                {"attachments": f"{upload.name}: {' '.join(exc.messages)}"}
            ) from None
    _check_rate(consultation, contributor, sender)
    last = consultation.contributions.aggregate(m=Max("number"))["m"] or 0
    contribution = Contribution.objects.create(
        consultation=consultation,
        number=last + 1,
        channel=contributor.channel,
        author=contributor.user,
        email=contributor.email,
        name=contributor.name.strip()[:200],
        organisation=contributor.organisation.strip()[:200],
        anonymous=anonymous,
        confidentiality=confidentiality,
        text=text,
        submitted_at=timezone.now(),
        sender=sender,
    )
    for upload, content_type in zip(files, types, strict=True):
        item = ContributionAttachment(
            contribution=contribution,
            file_name=(upload.name or "file")[:200],
            content_type=content_type,
            size=upload.size or 0,
        )
        item.file.save(upload.name or "file", upload, save=False)
        item.save()
    return contribution


def confirmation_token(*, consultation: Consultation, email: str) -> str:
    """The signed token of the link that confirms a public contributor's address."""
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": _("“%(address)s” is not a valid email address.") % {"address": email}}
        ) from None
    return signing.dumps({"c": consultation.pk, "e": email.lower()}, salt=CONFIRM_SALT)


def confirmed_email(*, consultation: Consultation, token: str) -> str:
    """The address a token confirms for this consultation; ValidationError when
    it is forged, for another consultation, or too old."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(_("The confirmation link has expired: ask for a new one.")) from None
    except signing.BadSignature:
        raise ValidationError(_("The confirmation link is not valid.")) from None
    if not isinstance(data, dict) or data.get("c") != consultation.pk or not data.get("e"):
        raise ValidationError(_("The confirmation link is not valid."))
    return str(data["e"])


@transaction.atomic
def contribution_hide(*, contribution: Contribution, by: User, reason: str) -> Contribution:
    """Hide a contribution from what is published, with the reason; it is kept."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for hiding the contribution.")})
    contribution.hidden_at = timezone.now()
    contribution.hidden_by = by
    contribution.hidden_reason = reason.strip()
    contribution.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    return contribution


@transaction.atomic
def response_save(
    *,
    contribution: Contribution,
    by: User,
    kind: str,
    reason: TranslatedText | str,
    finding_id: int | None = None,
    recommendation_id: int | None = None,
    change_id: int | None = None,
    confidentiality: str = Confidentiality.PUBLIC,
) -> Response:
    """Answer a contribution (or change the answer while the consultation is
    not closed): the kind, the reason (required in English, the authoritative
    language; Kazakh and Russian as far as written), and what it changed.

    ``reason`` is the whole new value: a form's edit applied to the stored
    reason (:func:`parasat.core.fields.apply_translated_edit`), so that a
    translation left as it was turns stale when the English text changed.
    A plain string is an English text alone."""
    # Read afresh and locked: closing, which checks every contribution is
    # answered, must not pass between this check and the write.
    consultation = Consultation.objects.select_for_update().get(pk=contribution.consultation_id)
    if consultation.closed_at is not None:
        raise ValidationError(_("The consultation is closed: its responses are final."))
    if kind not in Response.Kind.values:
        raise ValidationError({"kind": _("Choose a response.")})
    reason = TranslatedText.from_json(reason)
    if not reason.source:
        raise ValidationError(
            {"reason": _("Give the reason for the response in English (the authoritative text).")}
        )
    if any(len(reason.get(lang)) > MAX_TEXT for lang in content_languages()):
        raise ValidationError(
            {
                "reason": _("The reason is too long (at most %(limit)s characters).")
                % {"limit": MAX_TEXT}
            }
        )
    if confidentiality not in CONTRIBUTION_LEVELS:
        raise ValidationError({"confidentiality": _("Choose who may read the response.")})
    review_id = consultation.review_id
    finding = recommendation = change = None
    if finding_id is not None:
        finding = Finding.objects.filter(pk=finding_id, assessment__review=review_id).first()
        if finding is None:
            raise ValidationError({"finding": _("No such finding in this review.")})
    if recommendation_id is not None:
        recommendation = Recommendation.objects.filter(
            pk=recommendation_id, review=review_id
        ).first()
        if recommendation is None:
            raise ValidationError({"recommendation": _("No such recommendation in this review.")})
    if change_id is not None:
        change = AssessmentVersion.objects.filter(
            pk=change_id, assessment__review=review_id
        ).first()
        if change is None:
            raise ValidationError({"change": _("No such version of an assessment in this review.")})
    response, _created = Response.objects.update_or_create(
        contribution=contribution,
        defaults={
            "kind": kind,
            "reason": reason,
            "finding": finding,
            "recommendation": recommendation,
            "change": change,
            "confidentiality": confidentiality,
            "responded_by": by,
            "responded_at": timezone.now(),
        },
    )
    return response


@transaction.atomic
def consultation_close(*, consultation: Consultation, by: User) -> Consultation:
    """Close the consultation. Refused while a contribution (hidden ones aside)
    has no response: every contribution is answered."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.closed_at is not None:
        raise ValidationError(_("The consultation is already closed."))
    unanswered = consultation.contributions.filter(
        response__isnull=True, hidden_at__isnull=True
    ).count()
    if unanswered:
        raise ValidationError(
            ngettext(
                "%(count)s contribution has no response yet: answer it before closing.",
                "%(count)s contributions have no response yet: answer them before closing.",
                unanswered,
            )
            % {"count": unanswered}
        )
    now = timezone.now()
    consultation.closed_at = now
    consultation.closed_by = by
    if consultation.closes_at > now:
        consultation.closes_at = now
    consultation.save(update_fields=["closed_at", "closed_by", "closes_at"])
    return consultation


@transaction.atomic
def summary_publish(*, consultation: Consultation) -> Consultation:
    if consultation.closed_at is None:
        raise ValidationError(_("Close the consultation before publishing its summary."))
    consultation.summary_published_at = timezone.now()
    consultation.save(update_fields=["summary_published_at"])
    return consultation


def check_confirmation_rate(*, email: str, sender: str) -> None:
    """Bound the confirmation emails sent per address and per network address
    (a day's window in the shared cache), so the form cannot be used to flood
    someone's mailbox."""
    day = timezone.localdate().isoformat()
    keys = [
        (
            f"engagement:confirm:email:{day}:{sender_key(email.strip().lower())}",
            PUBLIC_PER_EMAIL_PER_DAY,
        ),
        (f"engagement:confirm:sender:{day}:{sender}", PUBLIC_PER_SENDER_PER_DAY),
    ]
    for key, limit in keys:
        cache.add(key, 0, 24 * 3600)
        if cache.incr(key) > limit:
            raise ValidationError(
                _(
                    "Too many confirmation requests from this address today. "
                    "Please try again tomorrow."
                )
            )
