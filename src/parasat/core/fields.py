"""Model and form fields for content written in several languages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from parasat.core.lib.translated import (
    SOURCE_LANGUAGE,
    TranslatedText,
    content_languages,
)

LANGUAGE_NAMES = {"en": _("English"), "ru": _("Russian"), "kk": _("Kazakh")}


class TranslatedTextField(models.JSONField):
    """Holds a :class:`TranslatedText`; English is required unless ``blank``."""

    description = _("Text in several languages")

    def __init__(self, *args: Any, multiline: bool = False, **kwargs: Any) -> None:
        self.multiline = multiline
        kwargs.setdefault("default", dict)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[Any, ...]:
        name, path, args, kwargs = super().deconstruct()
        if self.multiline:
            kwargs["multiline"] = True
        if kwargs.get("default") is dict:
            del kwargs["default"]
        return name, path, args, kwargs

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> TranslatedText:
        data = super().from_db_value(value, expression, connection)
        return TranslatedText.from_json(data)

    def to_python(self, value: Any) -> TranslatedText:
        return TranslatedText.from_json(value)

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, TranslatedText):
            value = value.to_json()
        return super().get_prep_value(value)

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = getattr(model_instance, self.attname)
        if not isinstance(value, TranslatedText):
            value = TranslatedText.from_json(value)
            setattr(model_instance, self.attname, value)
        return value

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        value = TranslatedText.from_json(value)
        if not self.blank and not value.source:
            raise ValidationError(_("The English text is required."), code="required")

    def value_to_string(self, obj: models.Model) -> Any:
        return TranslatedText.from_json(self.value_from_object(obj)).to_json()

    def formfield(self, **kwargs: Any) -> forms.Field:
        kwargs.pop("form_class", None)
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        kwargs.pop("widget", None)
        return TranslatedTextFormField(
            required=not self.blank,
            multiline=self.multiline,
            label=kwargs.pop("label", capfirst(self.verbose_name)),
            help_text=kwargs.pop("help_text", self.help_text),
            initial=kwargs.pop("initial", None),
        )

    def save_form_data(self, instance: models.Model, data: Any) -> None:
        # A form sends {"texts": ..., "confirm": ...}; keep the fingerprints right.
        if isinstance(data, dict) and "texts" in data:
            data = apply_translated_edit(getattr(instance, self.attname, None), data)
        setattr(instance, self.attname, TranslatedText.from_json(data))


class TranslatedTextWidget(forms.MultiWidget):
    template_name = "core/widgets/translated_text.html"

    def __init__(self, multiline: bool = False, attrs: dict[str, Any] | None = None) -> None:
        self.languages = content_languages()
        text_widget = forms.Textarea(attrs={"rows": 3}) if multiline else forms.TextInput()
        widgets: dict[str, forms.Widget] = {}
        for lang in self.languages:
            widgets[lang] = type(text_widget)(attrs={**text_widget.attrs, "lang": lang})
        for lang in self.languages[1:]:
            widgets[f"confirm_{lang}"] = forms.CheckboxInput()
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        text = TranslatedText.from_json(value)
        return [text.get(lang) for lang in self.languages] + [False for _ in self.languages[1:]]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        text = TranslatedText.from_json(value) if not isinstance(value, list) else None
        rows = []
        subwidgets = context["widget"]["subwidgets"]
        n = len(self.languages)
        for i, lang in enumerate(self.languages):
            rows.append(
                {
                    "language": lang,
                    "language_name": LANGUAGE_NAMES.get(lang, lang),
                    "widget": subwidgets[i],
                    "confirm": subwidgets[n + i - 1] if i > 0 else None,
                    "status": text.status(lang) if text is not None else None,
                }
            )
        context["widget"]["rows"] = rows
        return context


class TranslatedTextFormField(forms.MultiValueField):
    """Edits every language at once; a checkbox per translation confirms it is
    still right after the English text changed."""

    def __init__(self, *, required: bool = True, multiline: bool = False, **kwargs: Any) -> None:
        languages = content_languages()
        fields = [forms.CharField(required=False, strip=True) for _ in languages]
        fields += [forms.BooleanField(required=False) for _ in languages[1:]]
        super().__init__(
            fields=fields,
            require_all_fields=False,
            required=required,
            widget=TranslatedTextWidget(multiline=multiline),
            **kwargs,
        )
        self.languages = languages

    def compress(self, data_list: list[Any]) -> dict[str, Any]:
        n = len(self.languages)
        if not data_list:
            return {"texts": {}, "confirm": []}
        texts = {lang: data_list[i] or "" for i, lang in enumerate(self.languages)}
        confirm = [lang for i, lang in enumerate(self.languages[1:]) if data_list[n + i]]
        return {"texts": texts, "confirm": confirm}

    def clean(self, value: Any) -> dict[str, Any]:
        result = super().clean(value)
        if self.required and not (result.get("texts") or {}).get(SOURCE_LANGUAGE):
            raise ValidationError(_("The English text is required."), code="required")
        return result

    def has_changed(self, initial: Any, data: Any) -> bool:
        return True


def apply_translated_edit(current: Any, cleaned: dict[str, Any]) -> TranslatedText:
    """Turn a form's cleaned value into the new stored value (see TranslatedText.updated)."""
    existing = TranslatedText.from_json(current)
    return existing.updated(cleaned.get("texts", {}), confirm=cleaned.get("confirm", ()))
