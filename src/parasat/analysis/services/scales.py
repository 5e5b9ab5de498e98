"""Rating scales: loading them (shipped or from a file) and the scales a review uses."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parasat.accounts.models import User
from parasat.analysis.caching import analysis_changed
from parasat.analysis.models import (
    GovernmentRating,
    Rating,
    RatingLevel,
    RatingScale,
    ReviewScale,
)
from parasat.analysis.models.scales import colour_validator
from parasat.core.lib.translated import TranslatedText
from parasat.reviews.caching import reviews_changed
from parasat.reviews.models import Review

SHIPPED = Path(__file__).resolve().parent.parent / "scales.toml"


def _tt(value: Any) -> TranslatedText:
    return TranslatedText.fresh({"en": value} if isinstance(value, str) else value or {})


def read_scales_file(content: bytes) -> list[dict[str, Any]]:
    """The ``[[scale]]`` tables of a scales file (TOML, as ``analysis/scales.toml``)."""
    try:
        data = tomllib.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValidationError(
            _("The file is not a readable scales file (TOML): %(error)s") % {"error": exc}
        ) from None
    scales = data.get("scale")
    if not isinstance(scales, list) or not scales:
        raise ValidationError(_("The file holds no [[scale]] table."))
    return scales


def _check_scale(row: dict[str, Any]) -> list[str]:
    """Every problem of one scale's table, each naming the scale."""
    code = str(row.get("code") or "")
    problems = []
    if not code or not code.replace("-", "").isalnum() or len(code) > 60:
        problems.append(_("A scale needs a code of letters, digits and hyphens."))
    if not _tt(row.get("name")).source:
        problems.append(_("The scale %(code)s needs an English name.") % {"code": code})
    levels = row.get("level") or []
    if len(levels) < 2:
        problems.append(_("The scale %(code)s needs at least two levels.") % {"code": code})
    seen: set[str] = set()
    scored = bool(row.get("scored"))
    for number, level in enumerate(levels, start=1):
        where = {"code": code, "number": number}
        level_code = str(level.get("code") or "")
        if not level_code or level_code in seen:
            problems.append(_("Level %(number)s of %(code)s needs a code of its own.") % where)
        seen.add(level_code)
        if not _tt(level.get("name")).source:
            problems.append(_("Level %(number)s of %(code)s needs an English name.") % where)
        try:
            colour_validator(str(level.get("colour") or ""))
        except ValidationError:
            problems.append(
                _("Level %(number)s of %(code)s needs a colour such as #2a6f97.") % where
            )
        if scored:
            low, high = level.get("min_score"), level.get("max_score")
            if not (isinstance(low, int) and isinstance(high, int) and 0 <= low <= high <= 100):
                problems.append(
                    _("Level %(number)s of %(code)s needs a band of scores within 0–100.") % where
                )
    return problems


def _same_levels(scale: RatingScale, levels: list[dict[str, Any]]) -> bool:
    stored = [(lv.code, lv.min_score, lv.max_score) for lv in scale.levels.order_by("rank")]
    given = [(str(lv["code"]), lv.get("min_score"), lv.get("max_score")) for lv in levels]
    return stored == given


@transaction.atomic
def scales_load(*, rows: Sequence[dict[str, Any]], source: str) -> list[RatingScale]:
    """Create or update the scales of a file, all or nothing. A scale in use
    keeps its levels (codes, order, score bands) and whether it is scored: a
    file that changes them is refused (a changed scale is a new one, with its
    own code); its names, descriptions and colours may be corrected."""
    problems = [p for row in rows for p in _check_scale(row)]
    if problems:
        raise ValidationError(problems)
    made = []
    for row in rows:
        levels = row["level"]
        scale = RatingScale.objects.select_for_update().filter(code=row["code"]).first()
        if (
            scale is not None
            and scale.frozen
            and (not _same_levels(scale, levels) or scale.scored != bool(row.get("scored")))
        ):
            raise ValidationError(
                _(
                    "The scale %(code)s is in use and its levels cannot change: "
                    "give the changed scale a new code."
                )
                % {"code": scale.code}
            )
        if scale is None:
            scale = RatingScale(code=row["code"], source=source)
        scale.name = _tt(row["name"])
        scale.description = _tt(row.get("description"))
        scale.order = int(row.get("order", 100))
        scale.scored = bool(row.get("scored"))
        scale.save()
        if scale.frozen:
            for rank, level in enumerate(levels, start=1):
                RatingLevel.objects.filter(scale=scale, rank=rank).update(
                    name=_tt(level["name"]),
                    description=_tt(level.get("description")),
                    colour=level["colour"],
                )
        else:
            scale.levels.all().delete()
            RatingLevel.objects.bulk_create(
                RatingLevel(
                    scale=scale,
                    rank=rank,
                    code=level["code"],
                    name=_tt(level["name"]),
                    description=_tt(level.get("description")),
                    colour=level["colour"],
                    min_score=level.get("min_score") if scale.scored else None,
                    max_score=level.get("max_score") if scale.scored else None,
                )
                for rank, level in enumerate(levels, start=1)
            )
        made.append(scale)
    # Names shown on every review's pages may have changed.
    reviews_changed()
    return made


def scales_load_shipped() -> list[RatingScale]:
    """The scales shipped with Parasat: new ones are added, and those already
    loaded receive the file's corrected names, descriptions and colours (a
    scale in use keeps its levels, as :func:`scales_load` says). A scale of the
    same code that the site added itself (admin or file) is left as it is.
    Loading again changes nothing."""
    own = set(
        RatingScale.objects.exclude(source=RatingScale.Source.SHIPPED).values_list(
            "code", flat=True
        )
    )
    rows = [row for row in read_scales_file(SHIPPED.read_bytes()) if row.get("code") not in own]
    return scales_load(rows=rows, source=RatingScale.Source.SHIPPED)


MAX_FILE = 1_000_000


def scales_load_file(content: bytes) -> list[RatingScale]:
    """The scales of an uploaded or named file (the scales page, ``parasat
    analysis scales load FILE``), loaded as :func:`scales_load` says."""
    if len(content) > MAX_FILE:
        raise ValidationError(_("A scales file is at most 1 MB."))
    return scales_load(rows=read_scales_file(content), source=RatingScale.Source.FILE)


@transaction.atomic
def review_scales_set(*, review: Review, scales: Sequence[RatingScale], by: User | None) -> None:
    """The scales ``review`` uses, in this order; each one is frozen. A scale
    that a rating already uses cannot be dropped."""
    if not scales:
        raise ValidationError({"scales": _("Choose at least one scale.")})
    Review.objects.select_for_update().filter(pk=review.pk).values_list("pk").first()
    chosen = {s.pk for s in scales}
    dropped = ReviewScale.objects.filter(review=review).exclude(scale__in=chosen)
    in_use = [
        use.scale
        for use in dropped.select_related("scale")
        if Rating.objects.filter(assessment__review=review, scale=use.scale_id).exists()
        or GovernmentRating.objects.filter(assessment__review=review, scale=use.scale_id).exists()
    ]
    if in_use:
        raise ValidationError(
            {
                "scales": _("%(scales)s rates areas of this review and cannot be dropped.")
                % {"scales": ", ".join(str(s) for s in in_use)}
            }
        )
    dropped.delete()
    for order, scale in enumerate(scales):
        ReviewScale.objects.update_or_create(
            review=review, scale=scale, defaults={"order": order, "chosen_by": by}
        )
    RatingScale.objects.filter(pk__in=chosen, frozen=False).update(frozen=True)
    for scale in scales:
        scale.frozen = True
    analysis_changed(review.pk)
