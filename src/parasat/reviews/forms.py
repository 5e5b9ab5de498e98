from django import forms
from django.utils.translation import gettext_lazy as _

from parasat.core.fields import TranslatedTextFormField
from parasat.reviews.models import Letter


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class LetterForm(forms.Form):
    sent_on = forms.DateField(label=_("Date"), widget=DateInput())
    direction = forms.ChoiceField(label=_("Direction"), choices=Letter.Direction.choices)
    reference = forms.CharField(label=_("Reference"), max_length=80, required=False)
    subject = forms.CharField(label=_("Subject"), max_length=300)
    attachment = forms.FileField(label=_("Attachment"), required=False)


class AmendmentForm(forms.Form):
    number = forms.IntegerField(label=_("Protocol number"), min_value=1, max_value=999)
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())
    summary = TranslatedTextFormField(label=_("Summary"), multiline=True)
    attachment = forms.FileField(label=_("Attachment"), required=False)


class SignatureDateForm(forms.Form):
    signed_on = forms.DateField(label=_("Date of signature"), widget=DateInput())
