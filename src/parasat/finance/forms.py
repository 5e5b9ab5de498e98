from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from parasat.finance.models import Entry, Funding
from parasat.finance.services import check_spreadsheet
from parasat.reviews.forms import DateInput

AMOUNT_HELP = _("In euros, e.g. 1250.50 or 1 250,50. No commas between thousands.")


class EntryForm(forms.Form):
    """Amounts and lines are plain text here: the service reads them and says
    exactly what is wrong (text, a thousands comma, a negative number, an
    unknown line)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Entry.Kind.choices)
    line = forms.CharField(label=_("Budget line"), max_length=40)
    on = forms.DateField(label=_("Date"), widget=DateInput())
    amount = forms.CharField(label=_("Amount"), max_length=40, help_text=AMOUNT_HELP)
    payee = forms.CharField(label=_("Payee or description"), max_length=300)
    document = forms.FileField(label=_("Document"), required=False)

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(line.code, str(line.name)) for line in lines]
        self.fields["line"].widget = forms.Select(choices=[("", "—"), *choices])


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx)"),
        help_text=_(
            "First row: date, kind, line, amount, payee. Kind is expenditure or commitment; "
            "line is the code of a budget line."
        ),
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        check_spreadsheet(upload)  # the rows are read by the job
        upload.seek(0)
        return upload


class FundingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Funding.Kind.choices)
    on = forms.DateField(label=_("Date"), widget=DateInput())
    amount = forms.CharField(label=_("Amount"), max_length=40, help_text=AMOUNT_HELP)
    reference = forms.CharField(label=_("Reference"), max_length=120, required=False)


class TerminationForm(forms.Form):
    terminated_on = forms.DateField(label=_("Date of termination"), widget=DateInput())
