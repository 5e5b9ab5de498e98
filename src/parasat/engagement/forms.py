"""Forms of the engagement. They check the shape of what is sent; the rules
are the services', whose refusals come back beside the field they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from parasat.accounts.models import User
from parasat.analysis.models import AssessmentVersion, Finding, Recommendation
from parasat.core.fields import LANGUAGE_NAMES, TranslatedTextFormField, apply_translated_edit
from parasat.core.lib.translated import TranslatedText, content_languages
from parasat.engagement.models import (
    Channel,
    Consultation,
    Decision,
    Event,
    EventDocument,
    Minutes,
    Response,
)
from parasat.engagement.services.invitations import Guest
from parasat.reviews.disclosure import Confidentiality
from parasat.reviews.forms import DateInput
from parasat.reviews.models import Review


class DateTimeInput(forms.DateTimeInput):
    """The browser's date and time picker, in the review's time zone."""

    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


def language_choices() -> list[tuple[str, Any]]:
    return [(code, LANGUAGE_NAMES.get(code, code)) for code in content_languages()]


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    title = TranslatedTextFormField(label=_("Title"))
    purpose = TranslatedTextFormField(label=_("Purpose"), required=False, multiline=True)
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("In the review's time zone."),
    )
    ends_at = forms.DateTimeField(label=_("Ends"), required=False, widget=DateTimeInput())
    place = TranslatedTextFormField(label=_("Place"), required=False)
    online_url = forms.URLField(label=_("Online address"), required=False, assume_scheme="https")
    languages = forms.MultipleChoiceField(
        label=_("Working languages"),
        choices=language_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    interpretation = forms.ChoiceField(
        label=_("Interpretation"), choices=Event.Interpretation.choices
    )
    is_public = forms.BooleanField(
        label=_("Public event"),
        required=False,
        help_text=_("Anyone may read its page, its press release and its public documents."),
    )
    press_release = TranslatedTextFormField(
        label=_("Press release"), required=False, multiline=True
    )

    def __init__(self, *args: Any, event: Event | None = None, **kwargs: Any) -> None:
        self.event = event
        if event is not None:
            kwargs.setdefault(
                "initial",
                {
                    "kind": event.kind,
                    "title": event.title,
                    "purpose": event.purpose,
                    "starts_at": event.starts_at,
                    "ends_at": event.ends_at,
                    "place": event.place,
                    "online_url": event.online_url,
                    "languages": event.languages,
                    "interpretation": event.interpretation,
                    "is_public": event.is_public,
                    "press_release": event.press_release,
                },
            )
        super().__init__(*args, **kwargs)
        if event is not None and event.from_plan:
            # An event of the agreement keeps its kind: shown, not chosen.
            self.fields["kind"].disabled = True

    def texts(self) -> dict[str, TranslatedText]:
        """The translated fields as they will be stored (stale marks applied)."""
        current = self.event
        return {
            name: apply_translated_edit(
                getattr(current, name) if current else None, self.cleaned_data[name]
            )
            for name in ("title", "purpose", "place", "press_release")
        }


class AgendaItemForm(forms.Form):
    title = TranslatedTextFormField(label=_("Item"))
    presenter = forms.CharField(label=_("Presenter"), max_length=200, required=False)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=1440
    )

    def text(self) -> TranslatedText:
        return apply_translated_edit(None, self.cleaned_data["title"])


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("File"))
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=EventDocument.Kind.choices)
    confidentiality = forms.ChoiceField(
        label=_("Who may read it"),
        choices=Confidentiality.choices,
        initial=Confidentiality.TEAM,
    )


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name} <{obj.email}>"


class InviteForm(forms.Form):
    """People of the review (those with an address) and one outside guest."""

    people = PersonChoiceField(
        label=_("People of the review"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    guest_name = forms.CharField(label=_("Guest's name"), max_length=200, required=False)
    # Checked by the service, whose message names the address.
    guest_email = forms.CharField(label=_("Guest's email address"), max_length=254, required=False)
    guest_organisation = forms.CharField(
        label=_("Guest's organisation"), max_length=200, required=False
    )
    guest_language = forms.ChoiceField(
        label=_("Language of the guest's email"), choices=settings.LANGUAGES, required=False
    )

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = (
            User.objects.filter(participations__review=review, participations__active=True)
            .exclude(email="")
            .distinct()
            .order_by("full_name", "pk")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("people") and not (data.get("guest_name") or data.get("guest_email")):
            raise forms.ValidationError(_("Choose people of the review or give a guest."))
        return data

    def guests(self) -> list[Guest]:
        data = self.cleaned_data
        if not (data.get("guest_name") or data.get("guest_email")):
            return []
        return [
            Guest(
                name=data["guest_name"],
                email=data["guest_email"],
                language=data.get("guest_language") or "",
                organisation=data["guest_organisation"],
            )
        ]


class MinutesForm(forms.Form):
    text = TranslatedTextFormField(label=_("Minutes"), multiline=True)
    confidentiality = forms.ChoiceField(
        label=_("Who may read them once published"),
        choices=Confidentiality.choices,
        initial=Confidentiality.TEAM,
    )

    def __init__(self, *args: Any, minutes: Minutes | None = None, **kwargs: Any) -> None:
        self.minutes = minutes
        if minutes is not None and minutes.version:
            current = minutes.versions.order_by("-number").first()
            kwargs.setdefault(
                "initial",
                {
                    "text": current.text if current else None,
                    "confidentiality": minutes.confidentiality,
                },
            )
        super().__init__(*args, **kwargs)

    def new_text(self, current: Any = None) -> TranslatedText:
        return apply_translated_edit(current, self.cleaned_data["text"])


class CirculateForm(forms.Form):
    until = forms.DateTimeField(
        label=_("Amendments until"),
        widget=DateTimeInput(),
        help_text=_("In the review's time zone."),
    )


class AmendmentForm(forms.Form):
    text = forms.CharField(
        label=_("Your proposed amendment"), widget=forms.Textarea(attrs={"rows": 4})
    )


class DecideAmendmentForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(forms.Form):
    text = TranslatedTextFormField(label=_("Decision"), multiline=True)
    owner = forms.CharField(label=_("Owner"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DateInput())
    state = forms.ChoiceField(label=_("State"), choices=Decision.State.choices)
    finding = forms.TypedChoiceField(
        label=_("Finding discussed"), required=False, coerce=int, empty_value=None
    )
    recommendation = forms.TypedChoiceField(
        label=_("Recommendation discussed"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        findings = Finding.objects.filter(
            assessment__review=review, withdrawn_at__isnull=True
        ).order_by("code")
        recommendations = Recommendation.objects.filter(review=review).order_by("code")
        blank = [("", "—")]
        self.fields["finding"].choices = blank + [
            (f.pk, f"{f.code}: {Truncator(str(f.text)).chars(80)}") for f in findings
        ]
        self.fields["recommendation"].choices = blank + [
            (r.pk, f"{r.code}: {Truncator(str(r.text)).chars(80)}") for r in recommendations
        ]

    def new_text(self, current: Any = None) -> TranslatedText:
        return apply_translated_edit(current, self.cleaned_data["text"])


class ConsultationForm(forms.Form):
    title = TranslatedTextFormField(label=_("Title"))
    description = TranslatedTextFormField(label=_("What is asked"), required=False, multiline=True)
    subject_kind = forms.ChoiceField(label=_("Subject"), choices=Consultation.Subject.choices)
    subject_ref = forms.CharField(
        label=_("Subject reference"),
        max_length=100,
        required=False,
        help_text=_("The area's code (e.g. COI), or the report's draft."),
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels"), choices=Channel.choices, widget=forms.CheckboxSelectMultiple
    )
    opens_at = forms.DateTimeField(label=_("Opens"), widget=DateTimeInput())
    closes_at = forms.DateTimeField(
        label=_("Closes"), widget=DateTimeInput(), help_text=_("In the review's time zone.")
    )

    def texts(self) -> dict[str, TranslatedText]:
        return {
            name: apply_translated_edit(None, self.cleaned_data[name])
            for name in ("title", "description")
        }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        items = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class ContributionForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    text = forms.CharField(
        label=_("Your contribution"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20_000
    )
    attachments = MultipleFileField(
        label=_("Files"), help_text=_("PDF, office documents, images or text; up to five.")
    )
    anonymous = forms.BooleanField(
        label=_("Do not publish my name"),
        required=False,
        help_text=_("The analytical team sees your name; what is published does not show it."),
    )
    confidentiality = forms.ChoiceField(
        label=_("Who may read your contribution"),
        choices=[
            (Confidentiality.TEAM, _("The analytical team of the review (and its co-ordinator)")),
            (Confidentiality.PEERS, _("Also the peer reviewers")),
            (
                Confidentiality.PUBLIC,
                _("Anyone: it is published with the team's response with the summary"),
            ),
        ],
        initial=Confidentiality.TEAM,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, public: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not public:
            # A signed-in representative is known by their account.
            del self.fields["name"]


class PublicEmailForm(forms.Form):
    email = forms.CharField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("We send you a link to confirm it; the link opens the form."),
    )


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Reason for hiding"), widget=forms.Textarea(attrs={"rows": 2}))


class ResponseForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Response"), choices=Response.Kind.choices, widget=forms.RadioSelect
    )
    # Not required here: the service refuses a response without its English
    # reason, with the message that says so.
    reason = TranslatedTextFormField(
        label=_("Reason"),
        multiline=True,
        required=False,
        help_text=_(
            "Required in English (the authoritative text); Kazakh and Russian for the "
            "contributors who read them. Say why, in words the contributor will read."
        ),
    )
    finding = forms.TypedChoiceField(
        label=_("Finding changed"), required=False, coerce=int, empty_value=None
    )
    recommendation = forms.TypedChoiceField(
        label=_("Recommendation changed"), required=False, coerce=int, empty_value=None
    )
    change = forms.TypedChoiceField(
        label=_("Version of the assessment it produced"),
        required=False,
        coerce=int,
        empty_value=None,
    )
    confidentiality = forms.ChoiceField(
        label=_("Who may read the response"),
        choices=[
            (Confidentiality.PUBLIC, _("Whoever may read the contribution")),
            (Confidentiality.PEERS, _("The peer reviewers and the team")),
            (Confidentiality.TEAM, _("The analytical team (and the co-ordinator) only")),
        ],
        initial=Confidentiality.PUBLIC,
        required=False,
        help_text=_("The contributor always reads the response to their own contribution."),
    )

    def __init__(
        self, *args: Any, review: Review, response: Response | None = None, **kwargs: Any
    ) -> None:
        self.response = response
        if response is not None:
            kwargs.setdefault(
                "initial",
                {
                    "kind": response.kind,
                    "reason": response.reason,
                    "finding": response.finding_id,
                    "recommendation": response.recommendation_id,
                    "change": response.change_id,
                    "confidentiality": response.confidentiality,
                },
            )
        super().__init__(*args, **kwargs)
        blank = [("", "—")]
        findings = Finding.objects.filter(assessment__review=review).order_by("code")
        self.fields["finding"].choices = blank + [
            (f.pk, f"{f.code}: {Truncator(str(f.text)).chars(70)}") for f in findings
        ]
        recommendations = Recommendation.objects.filter(review=review).order_by("code")
        self.fields["recommendation"].choices = blank + [
            (r.pk, f"{r.code}: {Truncator(str(r.text)).chars(70)}") for r in recommendations
        ]
        versions = (
            AssessmentVersion.objects.filter(assessment__review=review)
            .select_related("assessment__area")
            .order_by("assessment__area__order", "number")
        )
        self.fields["change"].choices = blank + [
            (v.pk, f"{v.assessment.area.code} v{v.number}") for v in versions
        ]

    def reason_text(self) -> TranslatedText:
        """The reason as it will be stored: the edit applied to the response's
        current reason, so a translation left unchanged while the English text
        changed is marked out of date (unless confirmed)."""
        current = self.response.reason if self.response is not None else None
        return apply_translated_edit(current, self.cleaned_data["reason"])
