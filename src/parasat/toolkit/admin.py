from django.contrib import admin

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
    list_display = ["key", "instrument"]
    list_filter = ["instrument"]
    search_fields = ["key"]


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["identifier", "version", "area", "source", "frozen"]
    list_filter = ["area", "source", "frozen"]
    search_fields = ["identifier"]
    readonly_fields = ["parent", "created_by", "settings", "columns", "extra"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["questionnaire", "order", "code", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    raw_id_fields = ["questionnaire", "choice_list"]
    filter_horizontal = ["provisions"]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(ChoiceList)
class ChoiceListAdmin(admin.ModelAdmin):
    list_display = ["questionnaire", "name"]
    raw_id_fields = ["questionnaire"]
    inlines = [ChoiceInline]
