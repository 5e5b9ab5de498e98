"""An assessment's whole content as one JSON document, kept with each version,
and two versions compared item by item, texts word by word (as answers are).

Items are matched by their codes (``COI-F2``, ``COI-3``) and ratings by their
scale, so an item keeps its place across versions whatever else changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from parasat.analysis.models import (
    AreaAssessment,
    Finding,
    GovernmentRating,
    Rating,
    RatingSource,
    Recommendation,
)
from parasat.core.lib.diff import word_diff
from parasat.core.lib.translated import TranslatedText


def _text(value: Any) -> dict[str, Any]:
    return TranslatedText.from_json(value).to_json()


# A rating's source as the values its label is made of.
_SOURCE_VALUES = (
    "rating_id",
    "kind",
    "answer_id",
    "answer__question__code",
    "answer__question__name",
    "evidence_id",
    "evidence__title",
    "provision_id",
    "provision__key",
    "title",
    "url",
    "consulted_on",
)


def _source_label(source: dict[str, Any]) -> str:
    """A source (its ``_SOURCE_VALUES``) as a version records it (English, the
    authoritative language)."""
    kind = source["kind"]
    if kind == RatingSource.Kind.ANSWER and source["answer_id"]:
        return f"answer {source['answer__question__code'] or source['answer__question__name']}"
    if kind == RatingSource.Kind.EVIDENCE and source["evidence_id"]:
        return f"evidence {source['evidence_id']}: {source['evidence__title']}"
    if kind == RatingSource.Kind.PROVISION and source["provision_id"]:
        return f"provision {source['provision__key']}"
    consulted = source["consulted_on"].isoformat() if source["consulted_on"] else ""
    return " ".join(p for p in ("external", source["title"], source["url"], consulted) if p)


def _by_row(pairs: Any) -> dict[int, list[str]]:
    """``(row id, label)`` pairs as each row's labels, sorted."""
    labels: dict[int, list[str]] = {}
    for pk, label in pairs:
        labels.setdefault(pk, []).append(label)
    return {pk: sorted(values) for pk, values in labels.items()}


def snapshot(assessment: AreaAssessment) -> dict[str, Any]:
    """The assessment's content now: context, findings, ratings and
    recommendations with what each rests on, read as values and labels from
    their tables (no model objects built): three queries for an assessment
    with nothing in it yet, at most nine whatever its size (the links of the
    findings, of the ratings and of the recommendations only when there are
    any of those)."""
    findings = list(
        Finding.objects.filter(assessment=assessment)
        .order_by("number")
        .values_list("pk", "code", "kind", "text", "withdrawn_at")
    )
    answers: dict[int, list[str]] = {}
    evidence: dict[int, list[str]] = {}
    provisions: dict[int, list[str]] = {}
    if findings:
        of_findings = Finding.objects.filter(assessment=assessment)
        answers = _by_row(
            (finding, code or name)
            for finding, code, name in Finding.answers.through.objects.filter(
                finding__in=of_findings
            ).values_list("finding_id", "answer__question__code", "answer__question__name")
        )
        evidence = _by_row(
            (finding, f"{pk}: {title}")
            for finding, pk, title in Finding.evidence.through.objects.filter(
                finding__in=of_findings
            ).values_list("finding_id", "evidence_id", "evidence__title")
        )
        provisions = _by_row(
            Finding.provisions.through.objects.filter(finding__in=of_findings).values_list(
                "finding_id", "provision__key"
            )
        )
    ratings = list(
        Rating.objects.filter(assessment=assessment).values_list(
            "pk", "scale__code", "level__code", "level__name", "score", "justification"
        )
    )
    sources: dict[int, list[str]] = {}
    if ratings:
        for source in RatingSource.objects.filter(rating__assessment=assessment).values(
            *_SOURCE_VALUES
        ):
            sources.setdefault(source["rating_id"], []).append(_source_label(source))
    recommendations = list(
        Recommendation.objects.filter(assessment=assessment)
        .order_by("number")
        .values_list("pk", "code", "priority", "state", "text")
    )
    agencies: dict[int, list[str]] = {}
    answered: dict[int, list[str]] = {}
    if recommendations:
        of_recommendations = Recommendation.objects.filter(assessment=assessment)
        agencies = _by_row(
            Recommendation.agencies.through.objects.filter(
                recommendation__in=of_recommendations
            ).values_list("recommendation_id", "organisation__code")
        )
        answered = _by_row(
            Recommendation.findings.through.objects.filter(
                recommendation__in=of_recommendations
            ).values_list("recommendation_id", "finding__code")
        )
    return {
        "state": assessment.state,
        "confidentiality": assessment.confidentiality,
        "context": _text(assessment.context),
        "findings": [
            {
                "code": code,
                "kind": kind,
                "text": _text(text),
                "answers": answers.get(pk, []),
                "evidence": evidence.get(pk, []),
                "provisions": provisions.get(pk, []),
                "withdrawn": withdrawn_at is not None,
            }
            for pk, code, kind, text, withdrawn_at in findings
        ],
        "ratings": [
            {
                "scale": scale,
                "level": level,
                "level_name": TranslatedText.from_json(level_name).source,
                "score": score,
                "justification": _text(justification),
                "sources": sources.get(pk, []),
            }
            for pk, scale, level, level_name, score, justification in ratings
        ],
        "recommendations": [
            {
                "code": code,
                "priority": priority,
                "state": state,
                "text": _text(text),
                "agencies": agencies.get(pk, []),
                "findings": answered.get(pk, []),
            }
            for pk, code, priority, state, text in recommendations
        ],
    }


def government_snapshot(rating: GovernmentRating) -> dict[str, Any]:
    return {"scale": rating.scale.code, "level": rating.level.code, "score": rating.score}


# --- comparing two versions ---------------------------------------------------


@dataclass
class Line:
    """One compared field: the words of each side, or the two values."""

    label: str
    diff: list[tuple[str, str]] = field(default_factory=list)
    old: str = ""
    new: str = ""
    changed: bool = False
    # Translations that differ between the versions (language codes).
    languages: list[str] = field(default_factory=list)


@dataclass
class Item:
    """One finding, rating or recommendation across two versions."""

    code: str
    status: str  # "added", "removed", "changed", "same"
    lines: list[Line]


def _text_line(label: str, old: dict[str, Any], new: dict[str, Any]) -> Line:
    a, b = TranslatedText.from_json(old), TranslatedText.from_json(new)
    languages = [lang for lang in ("ru", "kk") if a.get(lang) != b.get(lang)]
    return Line(
        label=label,
        diff=word_diff(a.source, b.source),
        changed=a.source != b.source or bool(languages),
        languages=languages,
    )


def _value_line(label: str, old: Any, new: Any) -> Line:
    def shown(value: Any) -> str:
        if isinstance(value, list):
            return ", ".join(str(v) for v in value) or "—"
        if value is None or value == "":
            return "—"
        return str(value)

    return Line(label=label, old=shown(old), new=shown(new), changed=old != new)


def _items(
    old: list[dict[str, Any]], new: list[dict[str, Any]], key: str, fields: list[tuple[str, str]]
) -> list[Item]:
    before = {row[key]: row for row in old}
    after = {row[key]: row for row in new}
    codes = list(dict.fromkeys([*before, *after]))
    items = []
    for code in codes:
        a, b = before.get(code, {}), after.get(code, {})
        lines = []
        for name, label in fields:
            if name in ("text", "justification"):
                lines.append(_text_line(label, a.get(name, {}), b.get(name, {})))
            else:
                lines.append(_value_line(label, a.get(name), b.get(name)))
        status = (
            "added"
            if not a
            else "removed"
            if not b
            else "changed"
            if any(line.changed for line in lines)
            else "same"
        )
        items.append(Item(code=code, status=status, lines=lines))
    return items


def compare(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Two versions' content side by side: the context, then every finding,
    rating and recommendation, each marked added, removed, changed or the same."""
    return {
        "context": _text_line(_("Context"), old.get("context", {}), new.get("context", {})),
        "confidentiality": _value_line(
            _("Who may read it once agreed"), old.get("confidentiality"), new.get("confidentiality")
        ),
        "findings": _items(
            old.get("findings", []),
            new.get("findings", []),
            "code",
            [
                ("kind", _("Kind")),
                ("text", _("Finding")),
                ("answers", _("Answers")),
                ("evidence", _("Evidence")),
                ("provisions", _("Provisions")),
                ("withdrawn", _("Withdrawn")),
            ],
        ),
        "ratings": _items(
            old.get("ratings", []),
            new.get("ratings", []),
            "scale",
            [
                ("level_name", _("Level")),
                ("score", _("Score")),
                ("justification", _("Justification")),
                ("sources", _("Sources")),
            ],
        ),
        "recommendations": _items(
            old.get("recommendations", []),
            new.get("recommendations", []),
            "code",
            [
                ("priority", _("Priority")),
                ("state", _("State")),
                ("text", _("Recommendation")),
                ("agencies", _("Addressed to")),
                ("findings", _("Findings answered")),
            ],
        ),
    }
