"""The report's forms: a section's Markdown, a comment on a paragraph, a
response, a translation file."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from parasat.core.fields import TranslatedTextFormField
from parasat.reports.models import Response


class SectionForm(forms.Form):
    markdown = forms.CharField(
        label=_("Text (Markdown, English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 24, "lang": "en", "spellcheck": "true"}),
        help_text=_(
            "A blank line starts a new paragraph. ## Heading, - list, | table |, "
            "footnote[^1] with a line “[^1]: text”, cross references [@sec:key], "
            "[@fig:key], [@rec:COI-1], and {{figure:key}} alone on a line for a figure."
        ),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CommentForm(forms.Form):
    pid = forms.ChoiceField(label=_("Paragraph"))
    quote = forms.CharField(
        label=_("Quoted phrase (optional)"),
        required=False,
        max_length=500,
        help_text=_("Copy the words you comment on, exactly as the paragraph has them."),
    )
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, paragraphs: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pid"].choices = paragraphs


class ResponseForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Response"), choices=Response.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    change = forms.CharField(
        label=_("Change made to the text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TranslationImportForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the translation"), choices=[("kk", _("Kazakh")), ("ru", _("Russian"))]
    )
    file = forms.FileField(
        label=_("Translation file (.xlf or .xlsx)"),
    )


class ImageForm(forms.Form):
    file = forms.FileField(label=_("Image (PNG or JPEG)"))
    key = forms.SlugField(
        label=_("Key"),
        max_length=60,
        help_text=_("Place it in the text with {{figure:key}} alone on a line."),
    )
    title = TranslatedTextFormField(label=_("Title"))
    alt = TranslatedTextFormField(
        label=_("Text alternative"),
        multiline=True,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
