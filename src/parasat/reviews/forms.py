from django import forms
from django.utils.translation import gettext_lazy as _

from parasat.accounts.models import Organisation
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


class ParticipantForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Role"))
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("code"), required=False
    )

    def __init__(self, *args, roles: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in roles]


class DeliveriesForm(forms.Form):
    completed_on = forms.DateField(
        label=_("The project ended on"), widget=DateInput(), required=False
    )
    report_delivered_on = forms.DateField(
        label=_("Main report delivered on"), widget=DateInput(), required=False
    )
    financial_report_delivered_on = forms.DateField(
        label=_("Final financial report delivered on"), widget=DateInput(), required=False
    )
