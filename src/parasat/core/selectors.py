"""Which translated content is missing or out of date, per language."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.urls import NoReverseMatch, reverse

from parasat.core.fields import TranslatedTextField
from parasat.core.lib.translated import SOURCE_LANGUAGE, Status, TranslatedText, content_languages


@dataclass(frozen=True)
class Gap:
    model_label: str
    field_label: str
    object_label: str
    status: Status
    english: str
    admin_url: str | None


def translated_fields() -> list[tuple[type[models.Model], list[TranslatedTextField]]]:
    found = []
    for model in apps.get_models():
        fields = [f for f in model._meta.get_fields() if isinstance(f, TranslatedTextField)]
        if fields:
            found.append((model, fields))
    return found


# Readable reviews: a permission (e.g. "review.view") -> the pks of the reviews
# in which the reader holds it.
ReviewsAllowing = Callable[[str], Collection[int]]


def _rows(model: type[models.Model], readable: ReviewsAllowing | None) -> models.QuerySet:
    """The model's rows the reader may read. A model whose texts belong to a
    review says so with ``translation_scope = (lookup to the review, permission
    needed to read them)``; the others (the toolkit, organisations) are shared."""
    rows = model._default_manager.all()
    scope = getattr(model, "translation_scope", None)
    if readable is not None and scope is not None:
        lookup, perm = scope
        rows = rows.filter(
            pk__in=model._default_manager.filter(**{f"{lookup}__in": list(readable(perm))}).values(
                "pk"
            )
        )
    return rows


def translation_gaps(
    language: str, *, readable: ReviewsAllowing | None = None
) -> tuple[list[Gap], dict[str, int]]:
    """Every translated text lacking an up-to-date ``language`` version, of the
    shared content and of the reviews ``readable`` allows (every review when None).

    One query per model that has translated fields, however many rows."""
    gaps: list[Gap] = []
    totals = {"texts": 0, Status.MISSING: 0, Status.STALE: 0}
    for model, fields in translated_fields():
        names = [f.name for f in fields]
        rows = _rows(model, readable)
        for obj in rows.only("pk", *names).order_by("pk").iterator(2000):
            for field in fields:
                text: TranslatedText = getattr(obj, field.name)
                if not text.source:
                    continue
                totals["texts"] += 1
                status = text.status(language)
                if status == Status.OK:
                    continue
                totals[status] += 1
                gaps.append(
                    Gap(
                        str(model._meta.verbose_name),
                        str(field.verbose_name),
                        text.source[:80],
                        status,
                        text.source,
                        _admin_url(model, obj.pk),
                    )
                )
    return gaps, totals


def _admin_url(model: type[models.Model], pk: object) -> str | None:
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[pk])
    except NoReverseMatch:
        return None


def translation_summary() -> dict[str, dict[str, int]]:
    return {
        lang: translation_gaps(lang)[1] for lang in content_languages() if lang != SOURCE_LANGUAGE
    }
