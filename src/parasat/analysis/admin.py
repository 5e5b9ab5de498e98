"""The administration of the analysis: the library of rating scales, where a
scale may be added with its levels; a scale in use (frozen) keeps its levels'
codes, order and bands, only their names, descriptions and colours stay
editable so a translation can still be completed. The assessments themselves
are written through the pages (every change is a version): here they are
shown, not edited."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from parasat.analysis.models import (
    AreaAssessment,
    RatingLevel,
    RatingScale,
    Recommendation,
    ReviewScale,
)

LEVEL_STRUCTURE = ("rank", "code", "min_score", "max_score")


class RatingLevelInline(admin.TabularInline):
    model = RatingLevel
    extra = 0
    fields = ["rank", "code", "name", "description", "colour", "min_score", "max_score"]

    def _frozen(self, obj: RatingScale | None) -> bool:
        return bool(obj and obj.frozen)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        return fields + list(LEVEL_STRUCTURE) if self._frozen(obj) else fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(RatingScale)
class RatingScaleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "scored", "source", "frozen"]
    list_filter = ["source", "frozen"]
    readonly_fields = ["source", "frozen"]
    inlines = [RatingLevelInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        return fields + ["code", "scored"] if obj is not None and obj.frozen else fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj and obj.frozen) and super().has_delete_permission(request, obj)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AreaAssessment)
class AreaAssessmentAdmin(ReadOnly):
    list_display = ["review", "area", "state", "confidentiality", "version", "illustrative"]
    list_filter = ["review", "state"]


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnly):
    list_display = ["code", "review", "priority", "state"]
    list_filter = ["review", "priority", "state"]
    search_fields = ["code"]


@admin.register(ReviewScale)
class ReviewScaleAdmin(ReadOnly):
    list_display = ["review", "scale", "order"]
