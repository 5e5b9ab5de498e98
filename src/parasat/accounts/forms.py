from django import forms
from django.utils.translation import gettext_lazy as _

from parasat.accounts.services import TOKEN_LIFETIMES

LIFETIME_LABELS = {
    7: _("A week"),
    30: _("A month"),
    90: _("Three months"),
    180: _("Six months"),
    365: _("A year"),
}


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the program that will use it."),
    )
    days = forms.TypedChoiceField(
        label=_("Works for"),
        coerce=int,
        choices=[(days, LIFETIME_LABELS[days]) for days in TOKEN_LIFETIMES],
        initial=90,
        help_text=_("After that, programs using it are refused; make a new one then."),
    )
