from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from parasat.toolkit.models import (
    Choice,
    ChoiceList,
    Instrument,
    Pillar,
    PolicyArea,
    Provision,
    Question,
    Questionnaire,
)


@admin.register(Pillar)
class PillarAdmin(admin.ModelAdmin):
    list_display = ["code", "order", "name"]


@admin.register(PolicyArea)
class PolicyAreaAdmin(admin.ModelAdmin):
    list_display = ["code", "pillar", "order", "name"]
    list_filter = ["pillar"]


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "year", "publisher"]
    search_fields = ["code"]


@admin.register(Provision)
class ProvisionAdmin(admin.ModelAdmin):
    list_display = ["key", "instrument", "is_paraphrase"]
    list_filter = ["is_paraphrase", "instrument"]
    search_fields = ["key"]


class InUse:
    """A questionnaire in use (frozen) keeps its structure: answers are tied to
    its question names, types, choices and rules, so those are shown read-only
    and nothing is added or deleted; a change of structure needs a new version
    (an XLSForm upload). Its texts stay editable, so a missing or stale
    translation can still be completed."""

    structure: tuple[str, ...] = ()

    def in_use(self, obj: Any) -> bool:
        raise NotImplementedError

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        if obj is not None and self.in_use(obj):
            fields += [f for f in self.structure if f not in fields]
        return fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and self.in_use(obj):
            return False
        return super().has_delete_permission(request, obj)  # type: ignore[misc]


@admin.register(Questionnaire)
class QuestionnaireAdmin(InUse, admin.ModelAdmin):
    list_display = ["identifier", "version", "area", "source", "frozen"]
    list_filter = ["area", "source", "frozen"]
    search_fields = ["identifier"]
    readonly_fields = ["parent", "created_by", "settings", "columns", "extra"]
    # The area too: the reviews using a version group and forward its answers by it.
    structure = ("identifier", "version", "frozen", "source", "source_name", "area")

    def in_use(self, obj: Questionnaire) -> bool:
        return obj.frozen


class NotIntoInUse(forms.ModelForm):
    """Nothing moves into, or is added to, a questionnaire in use. The admin
    gives the model and fields (modelform_factory)."""

    def clean_questionnaire(self) -> Questionnaire:
        questionnaire = self.cleaned_data["questionnaire"]
        if questionnaire.frozen and questionnaire.pk != self.instance.questionnaire_id:
            raise forms.ValidationError(
                _("This questionnaire is in use by a review: make a new version to add questions.")
            )
        return questionnaire


@admin.register(Question)
class QuestionAdmin(InUse, admin.ModelAdmin):
    form = NotIntoInUse
    list_display = ["questionnaire", "order", "code", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    raw_id_fields = ["questionnaire", "choice_list"]
    filter_horizontal = ["provisions"]
    structure = (
        "questionnaire",
        "order",
        "type",
        "kind",
        "choice_list",
        "name",
        "code",
        "path",
        "required",
        "relevant",
        "constraint",
        "calculation",
        "choice_filter",
        "media",
        "extra",
    )

    def in_use(self, obj: Question) -> bool:
        return obj.questionnaire.frozen


class ChoiceInline(InUse, admin.TabularInline):
    model = Choice
    extra = 0
    structure = ("order", "name", "media", "extra")

    def in_use(self, obj: ChoiceList) -> bool:  # the list the choices belong to
        return obj.questionnaire.frozen

    def has_add_permission(self, request: HttpRequest, obj: ChoiceList | None = None) -> bool:
        if obj is not None and self.in_use(obj):
            return False
        return super().has_add_permission(request, obj)


@admin.register(ChoiceList)
class ChoiceListAdmin(InUse, admin.ModelAdmin):
    form = NotIntoInUse
    list_display = ["questionnaire", "name"]
    raw_id_fields = ["questionnaire"]
    inlines = [ChoiceInline]
    structure = ("questionnaire", "name")

    def in_use(self, obj: ChoiceList) -> bool:
        return obj.questionnaire.frozen
