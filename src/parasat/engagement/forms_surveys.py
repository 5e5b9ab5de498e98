"""The forms of the stakeholder surveys."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parasat.analysis.models import Finding
from parasat.assessment import imports
from parasat.core.fields import TranslatedTextFormField, apply_translated_edit
from parasat.core.lib.translated import TranslatedText
from parasat.engagement.forms import language_choices
from parasat.engagement.models import RespondentGroup, Survey
from parasat.reviews.disclosure import Confidentiality
from parasat.reviews.models import Review
from parasat.toolkit.models import Question, Questionnaire


class QuestionnaireChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Questionnaire) -> str:
        return f"{obj.identifier} v{obj.version} — {obj.title}"


class SurveyForm(forms.Form):
    title = TranslatedTextFormField(label=_("Title"))
    description = TranslatedTextFormField(
        label=_("Introduction for the respondents"), required=False, multiline=True
    )
    questionnaire = QuestionnaireChoice(
        label=_("Questionnaire"),
        queryset=Questionnaire.objects.order_by("identifier", "-version"),
        help_text=_("A questionnaire version of the toolkit; it is frozen when the survey opens."),
    )
    respondents = forms.ChoiceField(label=_("Respondents"), choices=RespondentGroup.choices)
    mode = forms.ChoiceField(
        label=_("How respondents answer"),
        choices=Survey.Mode.choices,
        widget=forms.RadioSelect,
        initial=Survey.Mode.ANONYMOUS,
    )
    results_confidentiality = forms.ChoiceField(
        label=_("Who may read the results once published"),
        choices=Confidentiality.choices,
        initial=Confidentiality.PUBLIC,
        help_text=_("Until published, only the analytical team and the co-ordinator read them."),
    )

    def texts(self) -> dict[str, TranslatedText]:
        return {
            name: apply_translated_edit(None, self.cleaned_data[name])
            for name in ("title", "description")
        }


class TokensForm(forms.Form):
    emails = forms.CharField(
        label=_("Email addresses of the respondents"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line (or separated by commas); each gets a link for one response."),
    )
    language = forms.ChoiceField(label=_("Language of the email"), choices=language_choices)

    def addresses(self) -> list[str]:
        return self.cleaned_data["emails"].replace(",", "\n").replace(";", "\n").split("\n")


class SurveyImportForm(forms.Form):
    file = forms.FileField(
        label=_("Submission export (.csv or .xlsx)"),
        help_text=_(
            "The data export from KoboToolbox or ODK of this survey's questionnaire, with "
            "question names as headers (XML values and headers) and the submission id "
            "column (_uuid or meta/instanceID). Submissions already imported are left out."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        imports.check_file(upload)  # the rest is read by the job
        upload.seek(0)
        return upload


class FindingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Finding) -> str:
        return f"{obj.code} — {obj.text}"


class QuestionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Question) -> str:
        return f"{obj.code or obj.name} — {obj.label}"


class CiteForm(forms.Form):
    finding = FindingChoice(label=_("Finding"), queryset=Finding.objects.none())
    question = QuestionChoice(label=_("Question"), queryset=Question.objects.none())
    note = forms.CharField(label=_("What the result shows"), max_length=500, required=False)

    def __init__(self, *args: Any, review: Review, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["finding"].queryset = Finding.objects.filter(  # type: ignore[attr-defined]
            assessment__review=review, withdrawn_at__isnull=True
        ).order_by("code")
        self.fields["question"].queryset = (  # type: ignore[attr-defined]
            survey.questionnaire.questions.exclude(name="")
            .exclude(kind__in=Question.STRUCTURE)
            .order_by("order")
        )
