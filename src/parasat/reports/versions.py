"""The working text frozen as JSON, and two versions compared paragraph by
paragraph (matched by their identifiers), words by words within each."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from parasat.core.lib.diff import word_diff
from parasat.core.lib.translated import TranslatedText
from parasat.reports.models import Paragraph, Report


def snapshot(report: Report) -> dict[str, Any]:
    """The whole working text of ``report`` (three queries)."""
    sections = report.sections.select_related("area").prefetch_related(
        Prefetch("paragraphs", Paragraph.objects.order_by("order"))
    )
    return {
        "title": TranslatedText.from_json(report.title).to_json(),
        "sections": [
            {
                "key": s.key,
                "kind": s.kind,
                "title": TranslatedText.from_json(s.title).to_json(),
                "area": s.area.code if s.area else "",
                "paragraphs": [
                    {
                        "id": p.pid,
                        "anchor": p.anchor,
                        "text": TranslatedText.from_json(p.text).to_json(),
                    }
                    for p in s.paragraphs.all()
                ],
            }
            for s in sections
        ],
        "figures": [
            {
                "key": f.key,
                "title": TranslatedText.from_json(f.title).to_json(),
                "alt": TranslatedText.from_json(f.alt).to_json(),
                "data": f.data,
            }
            for f in report.figures.all()
        ],
    }


def digest(content: dict[str, Any]) -> str:
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class ParagraphChange:
    """One paragraph of the newer version against the older: ``op`` is
    "same", "changed", "added" or "removed"; ``words`` the word diff."""

    pid: str
    op: str
    text: str
    words: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class SectionChanges:
    key: str
    title: str
    changes: list[ParagraphChange]

    @property
    def changed(self) -> bool:
        return any(c.op != "same" for c in self.changes)


def compare(old: dict[str, Any], new: dict[str, Any], language: str = "en") -> list[SectionChanges]:
    """Every section of ``new`` (and those only in ``old``), paragraph by paragraph."""
    old_sections = {s["key"]: s for s in old.get("sections", [])}
    result = []
    keys = [s["key"] for s in new.get("sections", [])]
    keys += [k for k in old_sections if k not in keys]
    new_sections = {s["key"]: s for s in new.get("sections", [])}
    for key in keys:
        before = old_sections.get(key, {"paragraphs": []})
        after = new_sections.get(key, {"paragraphs": []})
        title = TranslatedText.from_json((after or before).get("title")).render(language).text
        old_texts = {
            p["id"]: TranslatedText.from_json(p["text"]).get(language) for p in before["paragraphs"]
        }
        changes: list[ParagraphChange] = []
        new_ids = set()
        for p in after["paragraphs"]:
            new_ids.add(p["id"])
            text = TranslatedText.from_json(p["text"]).get(language)
            if p["id"] not in old_texts:
                changes.append(ParagraphChange(p["id"], "added", text, [("+", text)]))
            elif old_texts[p["id"]] != text:
                changes.append(
                    ParagraphChange(p["id"], "changed", text, word_diff(old_texts[p["id"]], text))
                )
            else:
                changes.append(ParagraphChange(p["id"], "same", text))
        for pid, text in old_texts.items():
            if pid not in new_ids:
                changes.append(ParagraphChange(pid, "removed", text, [("-", text)]))
        result.append(SectionChanges(key, title, changes))
    return result
