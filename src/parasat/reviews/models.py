"""The agreement behind a review: parties, signatures, timeline, amendments,
correspondence, and who takes part in which role."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parasat.accounts.models import Organisation
from parasat.core.fields import TranslatedTextField
from parasat.core.lib.uploads import safe_storage_name
from parasat.core.models import TimeStampedModel
from parasat.reviews.caching import ChangesReviews


class Review(ChangesReviews, TimeStampedModel):
    # Whose texts the translations page lists: see core.selectors.translation_gaps.
    translation_scope = ("pk", "review.view")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being agreed")
        ACTIVE = "active", _("Under way")
        COMPLETED = "completed", _("Completed")
        TERMINATED = "terminated", _("Terminated")

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    country = models.CharField(_("country code"), max_length=2)
    country_name = TranslatedTextField(_("country"))
    title = TranslatedTextField(_("title"))
    description = TranslatedTextField(_("description"), blank=True, multiline=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    responsible_body = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible state body"),
        on_delete=models.PROTECT,
        related_name="reviews_responsible_for",
    )
    # Art. 2 and Annex I §VII: 18 months from the last signature.
    duration_months = models.PositiveSmallIntegerField(_("duration (months)"), default=18)
    # Art. 9: in force for 24 months or until the obligations are met.
    validity_months = models.PositiveSmallIntegerField(_("validity (months)"), default=24)
    # Art. 4: main report and final financial report within 6 months after the end.
    report_due_months = models.PositiveSmallIntegerField(
        _("reports due (months after completion)"), default=6
    )
    languages = models.JSONField(_("languages of the agreement"), default=list)
    prevailing_language = models.CharField(_("prevailing language"), max_length=5, default="en")
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    report_delivered_on = models.DateField(_("main report delivered on"), null=True, blank=True)
    financial_report_delivered_on = models.DateField(
        _("final financial report delivered on"), null=True, blank=True
    )
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Anyone may read the overview.")
    )

    class Meta:
        ordering = ["slug"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return str(self.title)


class Party(models.Model):
    """A party to the agreement and its official address for correspondence (Art. 5)."""

    translation_scope = ("review", "review.view")

    class Side(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        ORGANISATION = "organisation", _("International organisation")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="parties")
    side = models.CharField(_("side"), max_length=20, choices=Side.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    addressee = TranslatedTextField(_("addressee"), blank=True)
    address = TranslatedTextField(_("address"), blank=True, multiline=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    fax = models.CharField(_("fax"), max_length=60, blank=True)

    class Meta:
        ordering = ["review", "side"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(fields=["review", "side"], name="one_party_per_side"),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Signature(models.Model):
    translation_scope = ("party__review", "review.view")

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="signatures")
    signatory = models.CharField(_("signatory"), max_length=200)
    signatory_title = TranslatedTextField(_("title of the signatory"))
    signed_on = models.DateField(_("date of signature"))
    date_is_placeholder = models.BooleanField(
        _("placeholder date"),
        default=False,
        help_text=_("The source gives no date: replace it with the real one."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["party__side", "order", "pk"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")

    def __str__(self) -> str:
        return self.signatory


class Phase(models.Model):
    """A phase of the timeline (Annex I §VII): preparatory 1–2 months, the
    review 10 months, closing 6 months. Dates are computed from the start."""

    translation_scope = ("review", "review.view")

    class Kind(models.TextChoices):
        PREPARATORY = "preparatory", _("Preparatory phase")
        REVIEW = "review", _("Review")
        CLOSING = "closing", _("Closing phase")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("order"))
    name = TranslatedTextField(_("name"))
    months = models.PositiveSmallIntegerField(_("planned months"))
    min_months = models.PositiveSmallIntegerField(_("at least (months)"), null=True, blank=True)
    description = TranslatedTextField(_("description"), blank=True, multiline=True)

    class Meta:
        ordering = ["review", "order"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [
            models.UniqueConstraint(fields=["review", "order"], name="unique_phase_order"),
            models.CheckConstraint(
                condition=Q(min_months__isnull=True) | Q(min_months__lte=models.F("months")),
                name="phase_min_not_above_planned",
            ),
        ]

    def __str__(self) -> str:
        return str(self.name)


def amendment_upload_to(instance: Amendment, filename: str) -> str:
    return safe_storage_name(f"reviews/{instance.review_id}/amendments", filename)


def letter_upload_to(instance: Letter, filename: str) -> str:
    return safe_storage_name(f"reviews/{instance.review_id}/letters", filename)


class Amendment(TimeStampedModel):
    """A protocol signed by both parties; an integral part of the agreement (Art. 8)."""

    translation_scope = ("review", "review.view_amendments")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveSmallIntegerField(_("number"))
    signed_on = models.DateField(_("signed on"))
    summary = TranslatedTextField(_("summary"), multiline=True)
    attachment = models.FileField(_("attachment"), upload_to=amendment_upload_to, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["review", "number"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="unique_amendment_number"),
        ]

    def __str__(self) -> str:
        return _("Protocol No. %(number)s") % {"number": self.number}


class Letter(TimeStampedModel):
    """The correspondence register: letters between the parties."""

    class Direction(models.TextChoices):
        TO_ORGANISATION = "to_organisation", _("From the government to the organisation")
        TO_GOVERNMENT = "to_government", _("From the organisation to the government")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="letters")
    sent_on = models.DateField(_("date"))
    direction = models.CharField(_("direction"), max_length=20, choices=Direction.choices)
    reference = models.CharField(_("reference"), max_length=80, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    attachment = models.FileField(_("attachment"), upload_to=letter_upload_to, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["review", "-sent_on", "-pk"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")

    def __str__(self) -> str:
        return self.subject


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Government co-ordinator")
    CONTACT_PERSON = "contact_person", _("Ministry contact person")
    ANALYST = "analyst", _("Analyst (analytical team)")
    EXPERT = "expert", _("Expert")
    PEER_REVIEWER = "peer_reviewer", _("Peer reviewer")
    LOCAL_CONSULTANT = "local_consultant", _("Local consultant")
    CIVIL_SOCIETY = "civil_society", _("Civil-society representative")
    BUSINESS = "business", _("Business representative")


class Participant(ChangesReviews, TimeStampedModel):  # cached access decisions depend on roles
    """A person's role in one review. A person may hold different roles in different reviews."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participations"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participants",
        help_text=_("The ministry of a contact person, the country of a peer reviewer…"),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["review", "role", "user__full_name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "user", "role"], name="one_role_once_per_review"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"
