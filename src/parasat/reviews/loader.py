"""Load an example review from its data file. Loading twice leaves one review:
rows are matched by their natural keys and updated in place."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction

from parasat.accounts.models import Organisation
from parasat.core.lib.translated import TranslatedText
from parasat.reviews.examples import available_examples, example_path
from parasat.reviews.models import Party, Phase, Review, Signature
from parasat.reviews.services import review_touch


class ExampleError(Exception):
    pass


def read_example(name: str) -> dict[str, Any]:
    path = example_path(name)
    if not path.exists():
        raise ExampleError(
            f"No example named {name!r}. Available: {', '.join(available_examples())}"
        )
    return read_example_file(path)


def read_example_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ExampleError(f"{path.name}: {exc}") from exc


def _tt(value: Any) -> TranslatedText:
    """A text of the file: {en, ru, kk} written together, or English alone."""
    return TranslatedText.fresh({"en": value} if isinstance(value, str) else value or {})


@transaction.atomic
def load_example(name: str) -> Review:
    """Load (or refresh) the example review ``name`` and return it.

    Each installed app may take its part of the file with a ``load_example(data,
    review)`` method on its AppConfig (finance reads the budget, and so on)."""
    data = read_example(name)
    review = load_review_data(data)
    for config in apps.get_app_configs():
        hook = getattr(config, "load_example", None)
        if hook is not None and config.label != "reviews":
            hook(data, review)
    review_touch(review=review)
    review.refresh_from_db()
    return review


def load_review_data(data: dict[str, Any]) -> Review:
    orgs: dict[str, Organisation] = {}
    for row in data.get("organisation", []):
        parent = orgs.get(row["parent"]) if row.get("parent") else None
        if row.get("parent") and parent is None:
            parent = Organisation.objects.get(code=row["parent"])
        org, _ = Organisation.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": _tt(row["name"]),
                "short_name": _tt(row.get("short_name")),
                "kind": row["kind"],
                "country": row.get("country", ""),
                "parent": parent,
            },
        )
        orgs[org.code] = org

    def org(code: str) -> Organisation:
        return orgs.get(code) or Organisation.objects.get(code=code)

    meta = data["review"]
    review, created = Review.objects.get_or_create(
        slug=meta["slug"],
        defaults={"responsible_body": org(meta["responsible_body"]), "country": meta["country"]},
    )
    review.country = meta["country"]
    review.country_name = _tt(meta["country_name"])
    review.title = _tt(meta["title"])
    review.description = _tt(meta.get("description"))
    review.responsible_body = org(meta["responsible_body"])
    review.duration_months = meta.get("duration_months", 18)
    review.validity_months = meta.get("validity_months", 24)
    review.report_due_months = meta.get("report_due_months", 6)
    review.languages = meta.get("languages", ["en"])
    review.prevailing_language = meta.get("prevailing_language", "en")
    review.is_public = meta.get("is_public", False)
    if created:
        review.status = meta.get("status", Review.Status.DRAFT)
    review.full_clean()
    review.save()

    parties: dict[str, Party] = {}
    for row in data.get("party", []):
        party, _ = Party.objects.update_or_create(
            review=review,
            side=row["side"],
            defaults={
                "organisation": org(row["organisation"]),
                "addressee": _tt(row.get("addressee")),
                "address": _tt(row.get("address")),
                "phone": row.get("phone", ""),
                "fax": row.get("fax", ""),
            },
        )
        parties[party.side] = party

    for row in data.get("signature", []):
        party = parties[row["side"]]
        existing = Signature.objects.filter(party=party, signatory=row["signatory"]).first()
        if existing is not None:
            # A date the user already corrected is theirs: never overwrite it.
            existing.signatory_title = _tt(row["title"])
            existing.order = row.get("order", 0)
            existing.save(update_fields=["signatory_title", "order"])
            continue
        Signature.objects.create(
            party=party,
            signatory=row["signatory"],
            signatory_title=_tt(row["title"]),
            signed_on=_date(row["signed_on"]),
            date_is_placeholder=row.get("date_is_placeholder", False),
            order=row.get("order", 0),
        )

    phase_total = 0
    for row in data.get("phase", []):
        Phase.objects.update_or_create(
            review=review,
            order=row["order"],
            defaults={
                "kind": row["kind"],
                "name": _tt(row["name"]),
                "months": row["months"],
                "min_months": row.get("min_months"),
                "description": _tt(row.get("description")),
            },
        )
        phase_total += row["months"]
    if data.get("phase") and phase_total != review.duration_months:
        raise ValidationError(
            f"The phases add up to {phase_total} months, the review lasts {review.duration_months}."
        )
    return review


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
