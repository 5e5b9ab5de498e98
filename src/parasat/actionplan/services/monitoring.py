"""Monitoring the adopted plan: progress reports per indicator and period,
with evidence, from the responsible agency's contact person; the
co-ordinator accepts or returns each with a reason; the government's own
assessment of a measure and an independent one. Every accepted report
updates the measure's progress (rolled up to its parent, weighted) and clears
the public tracker's pages. Monitoring goes on after the review ends."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parasat.accounts.models import User
from parasat.actionplan.caching import plan_changed
from parasat.actionplan.models import (
    Completion,
    Indicator,
    Measure,
    MeasureAssessment,
    ProgressEvidence,
    ProgressReport,
    ReportTransition,
    Unit,
)
from parasat.actionplan.periods import due_date, period_ends
from parasat.actionplan.services.plan import implied_range, range_text
from parasat.assessment import evidence
from parasat.reviews.disclosure import Confidentiality
from parasat.reviews.models import Participant, Role

S = ProgressReport.Status
MAX_TEXT = 20_000


def _refuse_measure(measure: Measure) -> None:
    if not measure.plan.is_adopted:
        raise ValidationError(_("Progress is reported once the plan is adopted."))
    if measure.withdrawn_at is not None:
        raise ValidationError(_("This measure is withdrawn: no progress is reported on it."))
    if measure.frozen_at is not None:
        raise ValidationError(
            _("This measure is frozen: no progress is reported on it until it is released.")
        )


def check_reporter(measure: Measure, by: User) -> None:
    """Only a contact person of the measure's responsible agency reports on it."""
    allowed = Participant.objects.filter(
        review_id=measure.plan.review_id,
        user=by,
        active=True,
        role=Role.CONTACT_PERSON,
        organisation_id=measure.responsible_id,
    ).exists()
    if not allowed:
        raise ValidationError(
            _("Only a contact person of %(agency)s reports on this measure.")
            % {"agency": measure.responsible}
        )


def checked_value(indicator: Indicator, value: object, unit: str) -> Decimal:
    """``value`` as a number in the indicator's unit and range, or a message."""
    if unit != indicator.unit:
        raise ValidationError(
            {
                "value": _("This indicator counts in %(unit)s; the value was given in %(given)s.")
                % {
                    "unit": indicator.get_unit_display().lower(),
                    "given": Unit(unit).label.lower() if unit in Unit.values else unit or "?",
                }
            }
        )
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError({"value": _("Enter the value as a number.")}) from None
    if not number.is_finite() or abs(number) >= Decimal("1e14"):
        raise ValidationError({"value": _("Enter the value as a number.")})
    if unit in {Unit.COUNT, Unit.DAYS, Unit.YES_NO} and number != number.to_integral_value():
        raise ValidationError({"value": _("This indicator counts whole numbers.")})
    low, high = implied_range(indicator.unit, indicator.minimum, indicator.maximum)
    if (low is not None and number < low) or (high is not None and number > high):
        raise ValidationError(
            {
                "value": _("This value lies outside the indicator's range (%(range)s).")
                % {"range": range_text(low, high)}
            }
        )
    return number.quantize(Decimal("0.01"))


def _move(report: ProgressReport, to: str, *, by: User | None, reason: str = "") -> None:
    ReportTransition.objects.create(
        report=report,
        from_status=report.status,
        to_status=to,
        by=by,
        at=timezone.now(),
        reason=reason,
    )
    report.status = to


def _lock(report: ProgressReport) -> ProgressReport:
    return (
        ProgressReport.objects.select_for_update(of=("self",))
        .select_related("indicator__measure__plan", "indicator__measure__responsible")
        .get(pk=report.pk)
    )


@transaction.atomic
def report_save(
    *,
    indicator: Indicator,
    period_end: dt.date,
    by: User,
    value: object,
    unit: str,
    narrative: str,
    confidentiality: str = Confidentiality.PUBLIC,
) -> ProgressReport:
    """Write (or rewrite, while a draft or returned) the report on one period."""
    indicator = Indicator.objects.select_related("measure__plan", "measure__responsible").get(
        pk=indicator.pk
    )
    measure = indicator.measure
    _refuse_measure(measure)
    check_reporter(measure, by)
    if indicator.withdrawn_at is not None:
        raise ValidationError(_("This indicator is withdrawn."))
    if period_end not in period_ends(indicator.frequency, measure.start_on, measure.due_on):
        raise ValidationError(_("This is not one of the indicator's reporting periods."))
    number = checked_value(indicator, value, unit)
    narrative = (narrative or "").strip()
    if len(narrative) > MAX_TEXT:
        raise ValidationError({"narrative": _("The text is too long (at most 20000 characters).")})
    if confidentiality not in Confidentiality.values:
        raise ValidationError({"confidentiality": _("Choose who may read the report.")})
    report, created = ProgressReport.objects.select_for_update().get_or_create(
        indicator=indicator,
        period_end=period_end,
        defaults={"due_on": due_date(period_end)},
    )
    if not created and not report.is_editable:
        raise ValidationError(
            _("The report on this period is %(status)s: it cannot be changed now.")
            % {"status": report.get_status_display().lower()}
        )
    report.value = number
    report.narrative = narrative
    report.confidentiality = confidentiality
    report.revision += 0 if created else 1
    report.save()
    return report


@transaction.atomic
def report_submit(*, report: ProgressReport, by: User) -> ProgressReport:
    locked = _lock(report)
    _refuse_measure(locked.indicator.measure)
    check_reporter(locked.indicator.measure, by)
    if not locked.is_editable:
        raise ValidationError(_("This report is already submitted."))
    if locked.value is None:
        raise ValidationError({"value": _("Give the value first.")})
    if not locked.narrative:
        raise ValidationError({"narrative": _("Say what was done in the period.")})
    locked.submitted_by = by
    locked.submitted_at = timezone.now()
    _move(locked, S.SUBMITTED, by=by)
    locked.save(update_fields=["submitted_by", "submitted_at", "status"])
    return locked


@transaction.atomic
def report_accept(*, report: ProgressReport, by: User) -> ProgressReport:
    """Accept a submitted report: its value becomes the indicator's latest when
    it is the latest period accepted and marked public; the measure's progress
    follows. The latest value, the progress and the completion are shown
    wherever the plan is (the tracker, the open data, the API), so a report
    for fewer readers counts in none of them."""
    locked = _lock(report)
    if locked.status != S.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be accepted."))
    _refuse_measure(locked.indicator.measure)
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.return_reason = ""
    _move(locked, S.ACCEPTED, by=by)
    locked.save(update_fields=["decided_by", "decided_at", "return_reason", "status"])
    indicator = locked.indicator
    latest = (
        ProgressReport.objects.filter(
            indicator=indicator, status=S.ACCEPTED, confidentiality=Confidentiality.PUBLIC
        )
        .order_by("-period_end")
        .values_list("value", flat=True)
        .first()
    )
    Indicator.objects.filter(pk=indicator.pk).update(latest_value=latest)
    measure_refresh(indicator.measure)
    plan_changed(indicator.measure.plan.review_id)
    return locked


@transaction.atomic
def report_return(*, report: ProgressReport, by: User, reason: str) -> ProgressReport:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what should change before it is accepted.")})
    if len(reason) > MAX_TEXT:
        raise ValidationError({"reason": _("The reason is too long.")})
    locked = _lock(report)
    if locked.status != S.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be returned."))
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.return_reason = reason
    _move(locked, S.RETURNED, by=by, reason=reason)
    locked.save(update_fields=["decided_by", "decided_at", "return_reason", "status"])
    return locked


# --- evidence ---------------------------------------------------------------------


def _evidence_target(report: ProgressReport | None, assessment: MeasureAssessment | None) -> int:
    if report is not None:
        locked = _lock(report)
        if not locked.is_editable:
            raise ValidationError(
                _("Evidence can only be added while the report is a draft or returned.")
            )
        return locked.indicator.measure.plan.review_id
    assert assessment is not None
    return assessment.measure.plan.review_id


def evidence_add_file(
    *,
    by: User,
    upload: UploadedFile,
    confidentiality: str,
    title: str = "",
    report: ProgressReport | None = None,
    assessment: MeasureAssessment | None = None,
) -> ProgressEvidence:
    """Attach a file to a report (a draft or returned one) or an assessment,
    under the self-assessment's rules for evidence."""
    title = evidence.checked_title(title, confidentiality)
    item = ProgressEvidence(
        report=report,
        assessment=assessment,
        confidentiality=confidentiality,
        added_by=by,
        review_id=0,
        **evidence.file_fields(upload, title),
    )

    def write() -> None:
        item.review_id = _evidence_target(report, assessment)
        item.save()

    if report is None and assessment is None:
        raise ValidationError(_("Evidence must belong to a report or an assessment."))
    item.review_id = (
        report.indicator.measure.plan.review_id if report else assessment.measure.plan.review_id
    )
    evidence.store_file(item, upload, write)
    if assessment is not None:
        plan_changed(item.review_id)  # the tracker shows an assessment's evidence
    return item


@transaction.atomic
def evidence_add_reference(
    *,
    by: User,
    kind: str,
    title: str,
    confidentiality: str,
    url: str = "",
    citation: str = "",
    report: ProgressReport | None = None,
    assessment: MeasureAssessment | None = None,
) -> ProgressEvidence:
    """Attach a link or a reference to a legal act."""
    if report is None and assessment is None:
        raise ValidationError(_("Evidence must belong to a report or an assessment."))
    title = evidence.checked_title(title, confidentiality)
    item = ProgressEvidence(
        report=report,
        assessment=assessment,
        confidentiality=confidentiality,
        added_by=by,
        review_id=_evidence_target(report, assessment),
        **evidence.reference_fields(kind=kind, title=title, url=url, citation=citation),
    )
    item.full_clean(exclude=["file", "report", "assessment", "added_by"])
    item.save()
    if assessment is not None:
        plan_changed(item.review_id)  # the tracker shows an assessment's evidence
    return item


# --- progress and completion -------------------------------------------------------


def indicator_progress(indicator: Indicator) -> Decimal:
    """How far from baseline to target the latest accepted value is, 0–1."""
    if indicator.latest_value is None:
        return Decimal(0)
    span = indicator.target - indicator.baseline
    share = (indicator.latest_value - indicator.baseline) / span
    return min(Decimal(1), max(Decimal(0), share))


def completion_from(progress: int) -> str:
    if progress <= 0:
        return Completion.NOT_STARTED
    if progress >= 100:
        return Completion.COMPLETE
    return Completion.LIMITED if progress < 50 else Completion.SUBSTANTIAL


def measure_refresh(measure: Measure) -> None:
    """Work out a measure's progress (its indicators', or its parts' by weight)
    and completion (the government's current assessment, else the progress),
    then its parent's."""
    measure = Measure.objects.get(pk=measure.pk)
    parts = list(Measure.objects.filter(parent=measure, withdrawn_at__isnull=True))
    if parts:
        total = sum(p.weight for p in parts)
        progress = sum(Decimal(p.progress) * p.weight for p in parts) / total
    else:
        indicators = list(measure.indicators.filter(withdrawn_at__isnull=True))
        shares = [indicator_progress(i) for i in indicators]
        progress = (sum(shares) / len(shares) * 100) if shares else Decimal(0)
    measure.progress = int(progress.to_integral_value())
    if measure.withdrawn_at is not None:
        measure.completion = Completion.WITHDRAWN
    else:
        assessed = (
            MeasureAssessment.objects.filter(
                measure=measure,
                source=MeasureAssessment.Source.GOVERNMENT,
                superseded_at__isnull=True,
                # Completion is public: an assessment for fewer readers does not set it.
                confidentiality=Confidentiality.PUBLIC,
            )
            .values_list("level", flat=True)
            .first()
        )
        measure.completion = assessed or completion_from(measure.progress)
    measure.save(update_fields=["progress", "completion"])
    if measure.parent_id:
        measure_refresh(measure.parent)


# --- assessments -------------------------------------------------------------------


@transaction.atomic
def assessment_give(
    *,
    measure: Measure,
    by: User,
    source: str,
    level: str,
    text: str,
    confidentiality: str = Confidentiality.PUBLIC,
) -> MeasureAssessment:
    """The government's own assessment of a measure, or an independent one by
    the analytical team or civil society; it supersedes the last of its source."""
    measure = Measure.objects.select_related("plan").get(pk=measure.pk)
    if not measure.plan.is_adopted:
        raise ValidationError(_("Measures are assessed once the plan is adopted."))
    if source not in MeasureAssessment.Source.values:
        raise ValidationError(_("Unknown source of assessment."))
    levels = [c for c in Completion.values if c != Completion.WITHDRAWN]
    if level not in levels:
        raise ValidationError({"level": _("Choose how far the measure has come.")})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Explain the assessment.")})
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": _("The text is too long (at most 20000 characters).")})
    if confidentiality not in Confidentiality.values:
        raise ValidationError({"confidentiality": _("Choose who may read the assessment.")})
    now = timezone.now()
    MeasureAssessment.objects.filter(
        measure=measure, source=source, superseded_at__isnull=True
    ).update(superseded_at=now)
    made = MeasureAssessment.objects.create(
        measure=measure,
        source=source,
        level=level,
        text=text,
        confidentiality=confidentiality,
        given_by=by,
        given_at=now,
    )
    if source == MeasureAssessment.Source.GOVERNMENT:
        measure_refresh(measure)
    plan_changed(measure.plan.review_id)
    return made
