"""Where else a finding or a recommendation is spoken of — "discussed at the
policy-dialogue workshop, decision 2" — shown beside it on the area's page.

The analysis imports none of the apps above it: each that has something to
say registers a provider here from its ``AppConfig.ready`` (the engagement's
decisions register). A provider answers for many items in one query."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Mention:
    label: str
    url: str


# (review id, finding ids, recommendation ids) -> {("finding"|"recommendation", id): mentions}
Provider = Callable[[int, list[int], list[int]], dict[tuple[str, int], list[Mention]]]

_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def collect(
    review_id: int, finding_ids: list[int], recommendation_ids: list[int]
) -> dict[tuple[str, int], list[Mention]]:
    """Every registered provider's mentions of these items, merged."""
    found: dict[tuple[str, int], list[Mention]] = {}
    if not (finding_ids or recommendation_ids):
        return found
    for provider in _providers:
        for key, items in provider(review_id, finding_ids, recommendation_ids).items():
            found.setdefault(key, []).extend(items)
    return found
