"""Forms of the action plan. They check the shape of what is sent; the rules
(which recommendations, which agencies, dates, ranges) are the services',
whose refusals come back beside the field they name."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from parasat.accounts.models import Organisation
from parasat.actionplan.models import (
    BudgetSource,
    Completion,
    Frequency,
    Indicator,
    Measure,
    Position,
    Unit,
)
from parasat.analysis.forms import IdsField, translated
from parasat.analysis.models import Recommendation
from parasat.core.fields import TranslatedTextFormField
from parasat.reviews.disclosure import Confidentiality

__all__ = ["translated"]


class DateInput(forms.DateInput):
    input_type = "date"


class PlanStartForm(forms.Form):
    title = TranslatedTextFormField(label=_("Title of the plan"))


class MeasureForm(forms.Form):
    title = TranslatedTextFormField(label=_("Measure"), multiline=True)
    recommendations = IdsField(label=_("Recommendations it answers"))
    responsible = forms.TypedChoiceField(
        label=_("Responsible agency"), coerce=int, required=False, empty_value=None
    )
    partners = IdsField(label=_("Partner agencies"))
    start_on = forms.DateField(label=_("Start"), widget=DateInput, required=False)
    due_on = forms.DateField(label=_("Due"), widget=DateInput, required=False)
    deliverables = TranslatedTextFormField(label=_("Deliverables"), required=False, multiline=True)
    budget = forms.DecimalField(label=_("Budget"), required=False, max_digits=16, decimal_places=2)
    budget_currency = forms.CharField(label=_("Currency"), max_length=3, initial="KZT")
    budget_source = forms.ChoiceField(
        label=_("Source of funding"),
        required=False,
        choices=[("", "—"), *BudgetSource.choices],
    )
    weight = forms.IntegerField(
        label=_("Weight"),
        initial=1,
        help_text=_("How much this part counts in its parent's progress (1–100)."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        measure: Measure | None = None,
        recommendations: Iterable[Recommendation] = (),
        agencies: Iterable[Organisation] = (),
        is_part: bool = False,
        **kwargs: Any,
    ) -> None:
        if measure is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": measure.title,
                    "recommendations": [str(r.pk) for r in measure.recommendations.all()],
                    "responsible": measure.responsible_id,
                    "partners": [str(p.pk) for p in measure.partners.all()],
                    "start_on": measure.start_on,
                    "due_on": measure.due_on,
                    "deliverables": measure.deliverables,
                    "budget": measure.budget,
                    "budget_currency": measure.budget_currency,
                    "budget_source": measure.budget_source,
                    "weight": measure.weight,
                    "revision": measure.revision,
                },
            )
        super().__init__(*args, **kwargs)
        agencies = list(agencies)
        self.fields["responsible"].choices = [("", "—"), *((o.pk, str(o)) for o in agencies)]
        self.fields["partners"].choices = [(str(o.pk), str(o)) for o in agencies]
        self.fields["recommendations"].choices = [
            (str(r.pk), f"{r.code}: {Truncator(str(r.text)).chars(100)}") for r in recommendations
        ]
        if not is_part:
            del self.fields["weight"]


class IndicatorForm(forms.Form):
    name = TranslatedTextFormField(label=_("Indicator"))
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices)
    baseline = forms.DecimalField(
        label=_("Baseline"), required=False, max_digits=16, decimal_places=2
    )
    target = forms.DecimalField(label=_("Target"), required=False, max_digits=16, decimal_places=2)
    minimum = forms.DecimalField(
        label=_("Lowest possible value"),
        required=False,
        max_digits=16,
        decimal_places=2,
        help_text=_("Optional: a reported value below it is refused."),
    )
    maximum = forms.DecimalField(
        label=_("Highest possible value"),
        required=False,
        max_digits=16,
        decimal_places=2,
        help_text=_("Optional: a reported value above it is refused."),
    )
    frequency = forms.ChoiceField(label=_("Reporting frequency"), choices=Frequency.choices)
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, indicator: Indicator | None = None, **kwargs: Any) -> None:
        if indicator is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": indicator.name,
                    "unit": indicator.unit,
                    "baseline": indicator.baseline,
                    "target": indicator.target,
                    "minimum": indicator.minimum,
                    "maximum": indicator.maximum,
                    "frequency": indicator.frequency,
                    "revision": indicator.revision,
                },
            )
        super().__init__(*args, **kwargs)


class PositionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Position"), choices=Position.Kind.choices, widget=forms.RadioSelect
    )
    reason = TranslatedTextFormField(label=_("Reason"), multiline=True)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class AdoptForm(forms.Form):
    act_number = forms.CharField(label=_("Act number"), max_length=100, required=False)
    act_date = forms.DateField(label=_("Act date"), widget=DateInput, required=False)


class ReportForm(forms.Form):
    value = forms.CharField(label=_("Value"), max_length=40)
    unit = forms.CharField(widget=forms.HiddenInput)
    narrative = forms.CharField(
        label=_("What was done in the period"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    confidentiality = forms.ChoiceField(
        label=_("Who may read the report"),
        choices=Confidentiality.choices,
        initial=Confidentiality.PUBLIC,
        help_text=_("A report marked for the government only never appears on the public tracker."),
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("File"), required=False)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    url = forms.CharField(label=_("Or a web address"), max_length=500, required=False)
    confidentiality = forms.ChoiceField(
        label=_("Who may read the evidence"),
        choices=Confidentiality.choices,
        initial=Confidentiality.PUBLIC,
    )


class AssessmentForm(forms.Form):
    level = forms.ChoiceField(
        label=_("How far the measure has come"),
        choices=[c for c in Completion.choices if c[0] != Completion.WITHDRAWN],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(label=_("Assessment"), widget=forms.Textarea(attrs={"rows": 4}))
    confidentiality = forms.ChoiceField(
        label=_("Who may read it"), choices=Confidentiality.choices, initial=Confidentiality.PUBLIC
    )
    file = forms.FileField(label=_("Evidence (a file)"), required=False)
