"""Forms of the analysis. They check the shape of what is sent; the rules
(what may be linked, which level belongs to which scale, numbers never given
twice) are the services', whose refusals come back beside the field they name.
So the lists of answers, evidence and provisions offer what the writer may
choose, and accept any number: a forged choice meets the service's message,
not a generic one."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from parasat.accounts.models import Organisation
from parasat.analysis.models import (
    AreaAssessment,
    Finding,
    Priority,
    RatingLevel,
    RatingScale,
    Recommendation,
)
from parasat.assessment.models import Answer, Evidence
from parasat.core.fields import TranslatedTextFormField
from parasat.core.lib.forms import MAX_PK
from parasat.core.lib.translated import TranslatedText
from parasat.reviews.disclosure import Confidentiality
from parasat.toolkit.models import Provision


class IdsField(forms.MultipleChoiceField):
    """Checkboxes of the choices offered; any whole numbers are accepted and
    left to the service to judge."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def valid_value(self, value: str) -> bool:
        return str(value).isascii() and str(value).isdecimal() and 0 < int(value) <= MAX_PK

    def clean(self, value: Any) -> list[int]:
        return [int(v) for v in super().clean(value)]


def _short(text: Any, limit: int = 90) -> str:
    return Truncator(str(text)).chars(limit)


def answer_choices(answers: Iterable[Answer]) -> list[tuple[str, str]]:
    return [
        (str(a.pk), f"{a.question.code or a.question.name}: {_short(a.question.label)}")
        for a in answers
    ]


def evidence_choices(items: Iterable[Evidence]) -> list[tuple[str, str]]:
    return [
        (
            str(e.pk),
            f"{e.answer.question.code or e.answer.question.name}: {_short(e.title, 80)}"
            f" ({e.get_kind_display().lower()})",
        )
        for e in items
    ]


def provision_choices(provisions: Iterable[Provision]) -> list[tuple[str, str]]:
    return [(p.key, f"{p.key} — {_short(p.text, 80)}") for p in provisions]


_KEY_SPLIT = re.compile(r"[,;\s]+")


class KeysField(forms.MultipleChoiceField):
    """Checkboxes of the provisions offered; any key is accepted (a key typed or
    linked before stays valid) and the service names the unknown ones."""

    widget = forms.CheckboxSelectMultiple

    def valid_value(self, value: str) -> bool:
        return bool(str(value).strip())


class LinksMixin(forms.Form):
    """Answers, evidence and provisions a finding or rating rests on."""

    answers = IdsField(label=_("Answers it rests on"))
    evidence = IdsField(label=_("Evidence it rests on"))
    provisions = KeysField(label=_("Provisions"), required=False)
    other_provisions = forms.CharField(
        label=_("Other provisions"),
        required=False,
        max_length=2000,
        help_text=_(
            "Keys of provisions of any instrument, separated by commas, e.g. UNCAC:art.5(3)."
        ),
    )

    def set_links(
        self,
        answers: list[tuple[str, str]],
        evidence: list[tuple[str, str]],
        provisions: list[tuple[str, str]],
    ) -> None:
        self.fields["answers"].choices = answers
        self.fields["evidence"].choices = evidence
        self.fields["provisions"].choices = provisions

    def provision_keys(self) -> list[str]:
        typed = _KEY_SPLIT.split(self.cleaned_data.get("other_provisions") or "")
        return list(
            dict.fromkeys([*self.cleaned_data.get("provisions", []), *(k for k in typed if k)])
        )


def translated(current: Any, cleaned: dict[str, Any] | None) -> TranslatedText:
    """A translated form field's value applied to the stored text (stale marks kept right)."""
    existing = TranslatedText.from_json(current)
    if not cleaned:
        return existing.updated({}, ())
    return existing.updated(cleaned.get("texts", {}), confirm=cleaned.get("confirm", ()))


class AssessmentForm(forms.Form):
    context = TranslatedTextFormField(
        label=_("Context"),
        required=False,
        multiline=True,
        help_text=_("The area's setting: institutions, laws and recent reforms."),
    )
    confidentiality = forms.ChoiceField(
        label=_("Who may read it once agreed"),
        choices=Confidentiality.choices,
        help_text=_("Drafts never leave the analytical team and the co-ordinator."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, assessment: AreaAssessment | None, **kwargs: Any) -> None:
        if assessment is not None:
            kwargs.setdefault(
                "initial",
                {
                    "context": assessment.context,
                    "confidentiality": assessment.confidentiality,
                    "revision": assessment.revision,
                },
            )
        else:
            kwargs.setdefault("initial", {"confidentiality": Confidentiality.TEAM, "revision": 0})
        super().__init__(*args, **kwargs)


class FindingForm(LinksMixin):
    field_order = ["kind", "text", "answers", "evidence", "provisions", "other_provisions"]
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Finding.Kind.choices, widget=forms.RadioSelect
    )
    text = TranslatedTextFormField(label=_("Finding"), multiline=True)
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, finding: Finding | None = None, **kwargs: Any) -> None:
        if finding is not None:
            kwargs.setdefault(
                "initial",
                {
                    "kind": finding.kind,
                    "text": finding.text,
                    "answers": [str(a.pk) for a in finding.answers.all()],
                    "evidence": [str(e.pk) for e in finding.evidence.all()],
                    "provisions": [p.key for p in finding.provisions.all()],
                    "revision": finding.revision,
                },
            )
        super().__init__(*args, **kwargs)


class LevelField(forms.ModelChoiceField):
    """The levels of one scale as radio buttons; any level is accepted, so that a
    level of another scale meets the service's message."""

    widget = forms.RadioSelect

    def label_from_instance(self, obj: RatingLevel) -> str:
        return level_label(obj)


def level_label(level: RatingLevel) -> str:
    """A level as the rater chooses it: its name and what it means."""
    description = str(level.description)
    return f"{level.name} — {description}" if description else str(level.name)


class RatingFields(forms.Form):
    level = LevelField(label=_("Level"), queryset=RatingLevel.objects.all(), required=False)
    score = forms.IntegerField(label=_("Score (0–100)"), required=False)
    justification = TranslatedTextFormField(
        label=_("Justification"), multiline=True, required=False
    )

    def set_scale(self, scale: RatingScale) -> None:
        if scale.scored:
            del self.fields["level"]
        else:
            del self.fields["score"]
            self.fields["level"].widget.choices = [
                (level.pk, level_label(level)) for level in scale.levels.all()
            ]


class RatingForm(RatingFields, LinksMixin):
    field_order = [
        "level", "score", "justification", "answers", "evidence", "provisions", "other_provisions",
        "external_title", "external_url", "external_consulted_on",
    ]  # fmt: skip
    external_title = forms.CharField(
        label=_("External source: title"), required=False, max_length=300
    )
    external_url = forms.CharField(
        label=_("External source: address"), required=False, max_length=500
    )
    external_consulted_on = forms.DateField(
        label=_("External source: date consulted"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Carries the service's "no source at all" refusal to the sources' group.
    sources = forms.CharField(widget=forms.HiddenInput, required=False)


class GovernmentRatingForm(RatingFields):
    pass


class RecommendationForm(forms.Form):
    number = forms.IntegerField(
        label=_("Number"),
        required=False,
        help_text=_("Leave empty for the next free number. A number is never given twice."),
    )
    text = TranslatedTextFormField(label=_("Recommendation"), multiline=True)
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, widget=forms.RadioSelect
    )
    state = forms.ChoiceField(label=_("State"), choices=Recommendation.State.choices)
    agencies = IdsField(label=_("Addressed to"))
    findings = IdsField(label=_("Findings it answers"))
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        recommendation: Recommendation | None = None,
        agencies: Iterable[Organisation] = (),
        findings: Iterable[Finding] = (),
        **kwargs: Any,
    ) -> None:
        if recommendation is not None:
            kwargs.setdefault(
                "initial",
                {
                    "text": recommendation.text,
                    "priority": recommendation.priority,
                    "state": recommendation.state,
                    "agencies": [str(a.pk) for a in recommendation.agencies.all()],
                    "findings": [str(f.pk) for f in recommendation.findings.all()],
                    "revision": recommendation.revision,
                },
            )
        super().__init__(*args, **kwargs)
        if recommendation is not None:
            del self.fields["number"]
        self.fields["agencies"].choices = [(str(o.pk), str(o)) for o in agencies]
        self.fields["findings"].choices = [
            (str(f.pk), f"{f.code}: {_short(f.text, 80)}") for f in findings
        ]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    corrects = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ScalesForm(forms.Form):
    scales = forms.ModelMultipleChoiceField(
        label=_("Scales this review uses"),
        queryset=RatingScale.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ScalesUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Scales file (TOML)"),
        help_text=_(
            "The same shape as the shipped scales: [[scale]] tables with their [[scale.level]]s."
        ),
    )


class RecommendationFilterForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), required=False)
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", _("Any")), *Priority.choices]
    )
    agency = forms.ChoiceField(label=_("Addressed to"), required=False)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("Any")), *Recommendation.State.choices]
    )

    def __init__(
        self,
        *args: Any,
        areas: list[tuple[str, str]],
        agencies: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("Any")), *areas]
        self.fields["agency"].choices = [("", _("Any")), *agencies]

    def filters(self) -> dict[str, str]:
        if not self.is_bound or not self.is_valid():
            return {"area": "", "priority": "", "agency": "", "state": ""}
        return {k: self.cleaned_data.get(k) or "" for k in ("area", "priority", "agency", "state")}
