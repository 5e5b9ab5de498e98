"""The plan of the five events every review gets (``plan.toml``, Annex I §V)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from parasat.core.lib.translated import TranslatedText

PLAN_FILE = Path(__file__).with_name("plan.toml")


@dataclass(frozen=True)
class PlannedEvent:
    key: str
    kind: str
    phase: str  # a Phase.Kind
    month: int  # counted from the phase's first month
    public: bool
    title: TranslatedText
    purpose: TranslatedText


def _event(row: dict[str, Any]) -> PlannedEvent:
    return PlannedEvent(
        key=row["key"],
        kind=row["kind"],
        phase=row["phase"],
        month=int(row["month"]),
        public=bool(row.get("public", False)),
        title=TranslatedText.fresh(row["title"]),
        purpose=TranslatedText.fresh(row["purpose"]),
    )


@cache
def planned_events() -> tuple[PlannedEvent, ...]:
    with PLAN_FILE.open("rb") as fh:
        return tuple(_event(row) for row in tomllib.load(fh)["event"])
