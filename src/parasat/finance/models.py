"""The money side of a review (Art. 2, Art. 4, Annex I §IX): the budget as
printed, the funding received, and an append-only ledger of expenditure and
commitments."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parasat.core.fields import TranslatedTextField
from parasat.core.lib.uploads import safe_storage_name
from parasat.core.models import AppendOnlyModel, RowIsAppendOnly, TimeStampedModel
from parasat.reviews.models import Review


def money_field(verbose_name: Any, **kwargs: Any) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


class Budget(TimeStampedModel):
    """The budget of one review, exactly as printed in the agreement."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="budget")
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    # Art. 2: "an administrative cost-recovery fee, currently 6.3% of total funds".
    fee_rate = models.DecimalField(
        _("administrative fee rate (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    fee_amount = money_field(_("administrative fee as printed"))
    total = money_field(_("total funding as printed"))
    # The printed figures are whole euros: a computed figure matches when it
    # rounds to the printed one.
    rounding_unit = money_field(_("figures printed to the nearest"), default=Decimal("1.00"))
    # Art. 2: the agreement may be terminated early; the Government then owes
    # costs incurred and commitments made up to this date.
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    termination_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")

    def __str__(self) -> str:
        return str(self.review)


class BudgetLine(models.Model):
    translation_scope = ("budget__review", "finance.view")

    class Category(models.TextChoices):
        STAFF = "staff", _("Staff costs")
        REIMBURSABLE = "reimbursable", _("Reimbursable costs (office premises, IT, etc.)")
        EXPERT_FEES = "expert_fees", _("Expert fees")
        STAFF_MISSIONS = "staff_missions", _("Mission costs of the organisation's staff")
        EXPERT_MISSIONS = "expert_missions", _("Mission costs of experts")
        OTHER = "other", _("Other costs (printing, publications, etc.)")

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines")
    code = models.SlugField(_("code"), max_length=40)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    name = TranslatedTextField(_("name"))
    # Not validated as positive: the check reports a negative printed line
    # instead of refusing to hold what the agreement says.
    amount = money_field(_("amount as printed"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["budget", "order", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(fields=["budget", "code"], name="unique_budget_line_code"),
        ]

    def __str__(self) -> str:
        return str(self.name)


class LedgerIsAppendOnly(RowIsAppendOnly):
    """Entries are never edited or deleted; a mistake is undone by a reversal."""


class Funding(AppendOnlyModel):
    """Art. 2: the invoice, and the payment of the full amount after signature.
    Append-only, like the ledger."""

    append_only_error = LedgerIsAppendOnly

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoice")
        PAYMENT = "payment", _("Payment received")

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="funding")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    on = models.DateField(_("date"))
    amount = money_field(_("amount"))
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["review", "on", "pk"]
        verbose_name = _("funding event")
        verbose_name_plural = _("funding events")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="funding_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


def entry_upload_to(instance: Entry, filename: str) -> str:
    return safe_storage_name(f"finance/{instance.review_id}/entries", filename)


class Entry(AppendOnlyModel):
    """One line of the ledger. Amounts of original entries are positive; a
    reversal carries the opposite amount of the entry it reverses, so every
    total is a plain sum."""

    class Kind(models.TextChoices):
        EXPENDITURE = "expenditure", _("Expenditure")
        COMMITMENT = "commitment", _("Commitment")

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="ledger")
    line = models.ForeignKey(
        BudgetLine, verbose_name=_("budget line"), on_delete=models.PROTECT, related_name="entries"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    on = models.DateField(_("date"))
    amount = money_field(_("amount"))
    payee = models.CharField(_("payee or description"), max_length=300)
    document = models.FileField(_("document"), upload_to=entry_upload_to, blank=True)
    document_name = models.CharField(max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversal",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    append_only_error = LedgerIsAppendOnly

    class Meta:
        ordering = ["review", "on", "pk"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & Q(amount__gt=0))
                | (Q(reverses__isnull=False) & Q(amount__lt=0)),
                name="entry_sign_matches_reversal",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.amount}"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None
