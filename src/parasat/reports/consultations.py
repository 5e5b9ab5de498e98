"""Consultations on the draft report (engagement) in the report's matrix.

A consultation of civil society, business or the public whose subject is the
draft report belongs to one issued version of it: the one its subject
reference names (a version number, "v2", or a stage, "peer_review"), or else
the version that was out for comments when it closed (the last one issued
before its closing time). Its contributions and the team's responses are
shown in that version's matrix beside the comments made on the platform, and
the stage is not closed while one of them is unanswered."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from parasat.core.lib.translated import TranslatedText
from parasat.engagement.models import Consultation, Contribution
from parasat.reports.models import ReportVersion, Stage


def _named(ref: str, versions: list[ReportVersion]) -> ReportVersion | None:
    ref = ref.strip().lower()
    number = ref[1:] if ref.startswith("v") else ref
    for version in versions:
        if number.isdigit() and int(number) == version.number:
            return version
        if ref in (version.stage, Stage(version.stage).label.lower()):
            return version
    return None


def version_of(consultation: Consultation, versions: list[ReportVersion]) -> ReportVersion | None:
    """The version (of ``versions``, in order) ``consultation`` is about."""
    named = _named(consultation.subject_ref or "", versions)
    if named is not None:
        return named
    issued = [v for v in versions if v.issued_at <= consultation.closes_at]
    return issued[-1] if issued else None


def consultations_of(version: ReportVersion) -> list[Consultation]:
    """The consultations on the draft report that belong to ``version`` (two queries)."""
    found = list(
        Consultation.objects.filter(
            review_id=version.report.review_id,
            subject_kind=Consultation.Subject.DRAFT_REPORT,
        ).order_by("opens_at", "pk")
    )
    if not found:
        return []
    versions = list(
        ReportVersion.objects.filter(report_id=version.report_id)
        .defer("content")
        .order_by("number")
    )
    return [c for c in found if (v := version_of(c, versions)) and v.pk == version.pk]


@dataclass
class ContributionRow:
    consultation: str
    number: int
    channel: str
    author: str
    text: str
    response: str
    # In every language: the page shows the reader's, marked when missing or stale.
    reason: TranslatedText
    change: str
    answered: bool


def _change(contribution: Contribution) -> str:
    response = contribution.response
    parts = []
    if response.finding_id:
        parts.append(_("finding %(code)s") % {"code": response.finding.code})
    if response.recommendation_id:
        parts.append(_("recommendation %(code)s") % {"code": response.recommendation.code})
    return ", ".join(parts)


def contribution_rows(version: ReportVersion, language: str) -> list[ContributionRow]:
    """The contributions (not hidden) to the version's consultations, each with
    its response, in a constant number of queries."""
    consultations = {c.pk: c for c in consultations_of(version)}
    if not consultations:
        return []
    contributions = (
        Contribution.objects.filter(consultation_id__in=consultations, hidden_at__isnull=True)
        .select_related("response__finding", "response__recommendation")
        .order_by("consultation_id", "number")
    )
    rows = []
    for item in contributions:
        response = getattr(item, "response", None)
        title = TranslatedText.from_json(consultations[item.consultation_id].title)
        rows.append(
            ContributionRow(
                consultation=title.render(language).text,
                number=item.number,
                channel=item.get_channel_display(),
                author=item.shown_name or _("Anonymous"),
                text=item.text,
                response=response.get_kind_display() if response else "",
                reason=response.reason if response else TranslatedText(),
                change=_change(item) if response else "",
                answered=response is not None,
            )
        )
    return rows


def unanswered(version: ReportVersion) -> int:
    """How many contributions to the version's consultations have no response."""
    consultations = [c.pk for c in consultations_of(version)]
    if not consultations:
        return 0
    return Contribution.objects.filter(
        consultation_id__in=consultations, hidden_at__isnull=True, response__isnull=True
    ).count()
