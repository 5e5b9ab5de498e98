"""The plan: one per review, drafted by the co-ordinator from the agreed
recommendations (Sections IV.9–10 of the agreement: the final meeting defines
the government's anti-corruption action plan). Each recommendation becomes
one or more measures, or is given a position with a reason for not taking it
up. Adoption freezes the plan as a version (the act's number and date);
amendments make a new version, compared with the last."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parasat.accounts.models import Organisation
from parasat.analysis.models import Recommendation
from parasat.core.fields import TranslatedTextField
from parasat.reviews.models import Review
from parasat.toolkit.models import PolicyArea

_USER = settings.AUTH_USER_MODEL


class Plan(models.Model):
    """The government's action plan for one review."""

    translation_scope = ("review", "actionplan.view")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", _("Adopted")
        AMENDING = "amending", _("Being amended")

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="action_plan")
    title = TranslatedTextField(_("title"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    # The latest adopted version (0: never adopted).
    version = models.PositiveIntegerField(_("version"), default=0)
    act_number = models.CharField(_("act number"), max_length=100, blank=True)
    act_date = models.DateField(_("act date"), null=True, blank=True)
    amendment_reason = models.TextField(_("reason for the amendment"), blank=True)
    # Written for the example review, not by a government: every page says so.
    illustrative = models.BooleanField(_("illustrative example"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self) -> str:
        return str(self.title)

    @property
    def is_editable(self) -> bool:
        """Measures and indicators change only in a draft or an amendment."""
        return self.state != self.State.ADOPTED

    @property
    def is_adopted(self) -> bool:
        """Adopted at least once: monitoring runs, the public tracker shows it."""
        return self.version > 0


class PlanVersion(models.Model):
    """The plan as adopted: every measure and indicator as they then stood."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    act_number = models.CharField(_("act number"), max_length=100)
    act_date = models.DateField(_("act date"))
    reason = models.TextField(_("reason for the amendment"), blank=True)
    content = models.JSONField(_("content"), default=dict)
    adopted_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    adopted_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["plan_id", "number"]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_plan_version"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.number}"


class Position(models.Model):
    """The government's position on a recommendation it does not (or not
    wholly) turn into measures, with its reason: a recommendation is covered
    by a measure or by a position with a reason."""

    translation_scope = ("plan__review", "actionplan.view")

    class Kind(models.TextChoices):
        SUPPORTED = "supported", _("Supported")
        SUPPORTED_IN_PART = "supported_in_part", _("Supported in part")
        NOTED = "noted", _("Noted")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="positions")
    recommendation = models.ForeignKey(
        Recommendation, verbose_name=_("recommendation"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("government's position"), max_length=20, choices=Kind.choices)
    reason = TranslatedTextField(_("reason"), multiline=True)
    given_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    given_at = models.DateTimeField(_("given at"))

    class Meta:
        ordering = ["plan_id", "recommendation_id"]
        verbose_name = _("position on a recommendation")
        verbose_name_plural = _("positions on recommendations")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "recommendation"], name="one_position_per_recommendation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id}: {self.kind}"


class Completion(models.TextChoices):
    """How far a measure has come (the levels monitoring tools report)."""

    NOT_STARTED = "not_started", _("Not started")
    LIMITED = "limited", _("Limited")
    SUBSTANTIAL = "substantial", _("Substantial")
    COMPLETE = "complete", _("Complete")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Schedule(models.TextChoices):
    """A measure's state against its due date."""

    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OVERDUE = "overdue", _("Overdue")


class BudgetSource(models.TextChoices):
    STATE = "state", _("State budget")
    LOCAL = "local", _("Local budgets")
    DONOR = "donor", _("International donors")
    OWN = "own", _("Within the agency's own budget")
    NONE = "none", _("No funding needed")


class Measure(models.Model):
    """One measure of the plan. Measures nest: a parent's progress is rolled up
    from its children, each counted by its weight."""

    translation_scope = ("plan__review", "actionplan.view")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # "3" for a measure, "3.2" for the second part of measure 3; never given again.
    code = models.CharField(_("number"), max_length=20)
    number = models.PositiveSmallIntegerField(_("number within its parent"))
    title = TranslatedTextField(_("measure"))
    deliverables = TranslatedTextField(_("deliverables"), blank=True, multiline=True)
    recommendations = models.ManyToManyField(
        Recommendation, verbose_name=_("recommendations"), related_name="measures", blank=True
    )
    # The area of the first recommendation it answers: the tracker groups by it.
    area = models.ForeignKey(
        PolicyArea,
        verbose_name=_("policy area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    responsible = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible agency"),
        on_delete=models.PROTECT,
        related_name="measures_responsible",
    )
    partners = models.ManyToManyField(
        Organisation, verbose_name=_("partner agencies"), related_name="+", blank=True
    )
    start_on = models.DateField(_("start"))
    due_on = models.DateField(_("due"))
    budget = models.DecimalField(
        _("budget"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    budget_currency = models.CharField(_("currency"), max_length=3, default="KZT")
    budget_source = models.CharField(
        _("source of funding"), max_length=10, choices=BudgetSource.choices, blank=True
    )
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    frozen_reason = models.TextField(_("reason for freezing"), blank=True)
    # Bumped by every change, so two editors cannot overwrite each other.
    revision = models.PositiveIntegerField(default=1)
    # The completion and progress last worked out (see services.monitoring.measure_refresh):
    # kept on the row so lists and the tracker read them without the reports.
    completion = models.CharField(
        _("completion"), max_length=20, choices=Completion.choices, default=Completion.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)

    class Meta:
        ordering = ["plan_id", "code"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="unique_measure_code"),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("start_on")),
                name="measure_due_after_start",
            ),
            models.CheckConstraint(condition=models.Q(weight__gte=1), name="measure_weight_1_up"),
        ]
        indexes = [models.Index(fields=["plan", "responsible"], name="measure_agency_idx")]

    def __str__(self) -> str:
        return self.code

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Every six months")
    YEARLY = "yearly", _("Yearly")


FREQUENCY_MONTHS = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEARLY: 6,
    Frequency.YEARLY: 12,
}


class Unit(models.TextChoices):
    """What an indicator's values count. A value reported in another unit is refused."""

    PERCENT = "percent", _("Per cent")
    COUNT = "count", _("Number")
    DAYS = "days", _("Days")
    KZT = "kzt", _("Tenge")
    YES_NO = "yes_no", _("Yes (1) or no (0)")
    SCORE = "score", _("Score")


class Indicator(models.Model):
    """How a measure's progress is measured: from its baseline to its target,
    reported on its frequency."""

    translation_scope = ("measure__plan__review", "actionplan.view")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="indicators")
    number = models.PositiveSmallIntegerField(_("number"))
    name = TranslatedTextField(_("indicator"))
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    baseline = models.DecimalField(_("baseline"), max_digits=16, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=2)
    minimum = models.DecimalField(
        _("lowest possible value"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    maximum = models.DecimalField(
        _("highest possible value"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    frequency = models.CharField(_("reporting frequency"), max_length=12, choices=Frequency.choices)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)
    # The latest accepted value (None: none accepted yet), kept for lists.
    latest_value = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["measure_id", "number"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["measure", "number"], name="unique_indicator_number"),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id}/{self.number}"

    @property
    def code(self) -> str:
        return f"{self.measure.code}/{self.number}"
