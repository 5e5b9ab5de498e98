"""Forms of the engagement. They check the shape of what is sent; the rules
are the services', whose refusals come back beside the field they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from parasat.accounts.models import User
from parasat.core.fields import LANGUAGE_NAMES, TranslatedTextFormField, apply_translated_edit
from parasat.core.lib.translated import TranslatedText, content_languages
from parasat.engagement.models import Event, EventDocument
from parasat.engagement.services.invitations import Guest
from parasat.reviews.disclosure import Confidentiality
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
