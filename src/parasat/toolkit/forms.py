from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parasat.core.lib.uploads import check_upload
from parasat.toolkit.models import PolicyArea
from parasat.toolkit.xlsform.parsed import SUFFIXES


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PolicyArea) -> str:
        return f"{obj.code} — {obj.name}"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("XLSForm file"),
        help_text=gettext_lazy(
            "An .xlsx, .xlsm, .xls or .csv XLSForm. A file with the form id of an "
            "existing questionnaire becomes its next version."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(SUFFIXES)}),
    )
    area = AreaChoiceField(
        label=gettext_lazy("Policy area"),
        queryset=PolicyArea.objects.order_by("order"),
        required=False,
        empty_label=gettext_lazy("Unassigned for now"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = PurePath(upload.name or "").suffix.lower()
        if suffix not in SUFFIXES:
            raise ValidationError(
                _("Files of type “%(suffix)s” are not XLSForms. Accepted: %(allowed)s.")
                % {"suffix": suffix or "?", "allowed": ", ".join(SUFFIXES)}
            )
        if suffix == ".xlsm":  # a zip like .xlsx; the upload checker does not list it
            if upload.size > settings.PARASAT_MAX_UPLOAD_BYTES:
                raise ValidationError(_("The file is too large."))
            if not upload.read(4).startswith(b"PK\x03\x04"):
                raise ValidationError(_("The file's content does not match its name (.xlsm)."))
            upload.seek(0)
        else:
            check_upload(upload)
        return upload


class FileUnderForm(forms.Form):
    area = AreaChoiceField(
        label=gettext_lazy("Policy area"),
        queryset=PolicyArea.objects.order_by("order"),
        required=False,
        empty_label=gettext_lazy("Unassigned"),
    )
