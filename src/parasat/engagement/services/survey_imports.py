"""Responses collected in the field: a KoboToolbox or ODK submission export
(CSV or XLSX, thousands of rows) of a survey's questionnaire, read into the
survey.

The file is read as the self-assessment reads one
(:mod:`parasat.assessment.imports`: columns matched by name, group path or
code, metadata left out, every value judged by the questionnaire's rules), with
what a survey adds: each row is one respondent, named by its submission id
(``_uuid``, ``meta/instanceID`` or ``KEY``), and its ``_submission_time`` (or
ODK's ``SubmissionDate``) is its date.

All or nothing: :func:`read_responses` writes nothing and names every bad row
and column; :func:`import_responses` writes every row in one transaction, and
only when nothing is wrong. A row whose submission id the survey already holds
is left out, so importing the same file again adds nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parasat.assessment import imports
from parasat.assessment.values import check_answers
from parasat.engagement.models import Survey, SurveyAnswer, SurveyResponse
from parasat.engagement.services.surveys import SurveyForm, answer_rows, survey_form
from parasat.toolkit.models import Question

MAX_ROWS = 50_000
# A report of more problems than this shows the first ones: the file is wrong
# throughout, and the first rows say how.
MAX_PROBLEMS_SHOWN = 1_000
BATCH = 2_000
TIME_COLUMNS = ("_submission_time", "submissiondate", "end")
ID_PREFERENCE = ("_uuid", "meta/instanceid", "instanceid", "key")

Report = Callable[[int, str], None]


@dataclass
class SurveyImport(imports.ImportResult):
    """The import's report (as the self-assessment's) and the rows to write."""

    rows: list[tuple[str, dt.datetime, dict[str, Any]]] = field(default_factory=list)
    already: int = 0  # rows whose submission the survey already holds
    added: int = 0
    more_problems: int = 0


def _id_column(header: list[str]) -> int | None:
    found = {h.casefold().replace("-", "/").replace(".", "/"): i for i, h in enumerate(header)}
    for name in ID_PREFERENCE:
        if name in found:
            return found[name]
    return None


def _time_column(header: list[str]) -> int | None:
    found = {h.casefold(): i for i, h in enumerate(header)}
    for name in TIME_COLUMNS:
        if name in found:
            return found[name]
    return None


def _submission_id(text: str) -> str:
    """KoboToolbox writes ``_uuid`` bare and ``meta/instanceID`` as ``uuid:…``."""
    return text.removeprefix("uuid:").strip()


def _moment(text: str) -> dt.datetime | None:
    try:
        moment = parse_datetime(text)
    except ValueError:
        return None
    if moment is None:
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            return None
        moment = dt.datetime(day.year, day.month, day.day)  # noqa: DTZ001 — made aware below
    if timezone.is_naive(moment):
        # KoboToolbox writes _submission_time in UTC without saying so.
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def read_responses(
    *,
    survey: Survey,
    upload: UploadedFile,
    form: SurveyForm | None = None,
    report: Report | None = None,
) -> SurveyImport:
    """Read a submission export against ``survey``'s questionnaire. Writes
    nothing. Raises ValidationError when the file cannot be read at all."""
    header, data = imports.read_table(upload, max_rows=MAX_ROWS)
    form = form or survey_form(survey.questionnaire)
    result = SurveyImport()
    plan = imports.plan_columns(header, form.questions, form.choices, result)
    id_index = _id_column(header)
    if id_index is None:
        result.problems.append(
            imports.Problem(
                _(
                    "The file has no submission id column (_uuid or meta/instanceID): without "
                    "it, importing the same file again would add its rows twice."
                )
            )
        )
    if not data:
        result.problems.append(
            imports.Problem(_("The file holds no submission: only a header row."))
        )
    if result.problems or id_index is None:
        return result
    # A required question with no column at all is missing in every row where
    # the skip logic asks it: judged per row, with the row's other answers.
    planned = {q.pk for q in plan.columns.values()} | set(plan.options)
    unplanned = [q for q in form.asked if q.pk not in planned and q.required]
    time_index = _time_column(header)
    known = set(
        SurveyResponse.objects.filter(survey=survey).values_list("submission_id", flat=True)
    )
    now = timezone.now()
    total = len(data)
    for done, (number, row) in enumerate(data):
        if report and done % 500 == 0:
            report(5 + 60 * done // total, _("Checking every value of the file…"))
        submission = imports.read_row(number, row, plan, form.questions, form.choices, {}, result)
        if unplanned:
            _check_unplanned(form, unplanned, submission.values, number, result)
        raw_id = imports.cell_text(row[id_index]) if id_index < len(row) else None
        if raw_id is None:
            result.problems.append(
                imports.Problem(
                    _("The submission id is missing."), row=number, column=header[id_index]
                )
            )
            continue
        moment = now
        if time_index is not None and time_index < len(row):
            text = imports.cell_text(row[time_index])
            if text is not None:
                parsed = _moment(text)
                if parsed is None:
                    result.problems.append(
                        imports.Problem(
                            _("This is not a date and time (expected e.g. 2024-03-01T10:21:00)."),
                            row=number,
                            column=header[time_index],
                            value=text,
                        )
                    )
                    continue
                moment = parsed
        submission_id = _submission_id(raw_id)
        if submission_id in known:
            result.already += 1
            continue
        values = {k: v for k, v in submission.values.items() if v is not None}
        result.rows.append((submission_id, moment, values))
    imports.check_duplicates(header, data, result)
    if len(result.problems) > MAX_PROBLEMS_SHOWN:
        result.more_problems = len(result.problems) - MAX_PROBLEMS_SHOWN
        result.problems = result.problems[:MAX_PROBLEMS_SHOWN]
    if not result.problems and not result.rows:
        result.warnings.append(
            _("Every submission of the file is already in the survey: nothing was added.")
        )
    return result


def _check_unplanned(
    form: SurveyForm,
    unplanned: list[Question],
    values: dict[str, Any],
    number: int,
    result: SurveyImport,
) -> None:
    present = {k: v for k, v in values.items() if v is not None}
    checks = check_answers(form.questions, present, language=get_language())
    for question in unplanned:
        check = checks.get(question.name)
        if check and check.required:
            result.problems.append(
                imports.Problem(
                    _("The file has no column for %(question)s, which needs an answer here.")
                    % {"question": question.code or question.name},
                    row=number,
                    column=question.name,
                )
            )


class _Refused(Exception):
    pass


def import_responses(
    *, survey: Survey, upload: UploadedFile, report: Report | None = None
) -> SurveyImport:
    """Read the file and, when nothing is wrong, add each submission the
    survey does not hold yet as a response. All or nothing: one transaction."""
    form = survey_form(survey.questionnaire)
    result = read_responses(survey=survey, upload=upload, form=form, report=report)
    if not result.ok or not result.rows:
        return result
    if survey.state != Survey.State.OPEN:
        result.problems.append(
            imports.Problem(_("Responses are imported while the survey is open."))
        )
        return result
    try:
        with transaction.atomic():
            current = Survey.objects.select_for_update().get(pk=survey.pk)
            # Another import may have added some of the rows since they were read.
            taken = set(
                SurveyResponse.objects.filter(survey=current).values_list(
                    "submission_id", flat=True
                )
            )
            rows = [r for r in result.rows if r[0] not in taken]
            result.already += len(result.rows) - len(rows)
            write_rows(form, current, rows, report=report)
            result.added = len(rows)
            if current.state != Survey.State.OPEN:
                raise _Refused
    except _Refused:
        result.added = 0
        result.problems.append(
            imports.Problem(_("Responses are imported while the survey is open."))
        )
    return result


def write_rows(
    form: SurveyForm,
    survey: Survey,
    rows: list[tuple[str, dt.datetime, dict[str, Any]]],
    *,
    report: Report | None = None,
) -> None:
    """Insert the responses and their answers, in batches."""
    total = len(rows)
    for start in range(0, total, BATCH):
        if report:
            report(65 + 34 * start // max(total, 1), _("Saving the responses…"))
        chunk = rows[start : start + BATCH]
        responses = SurveyResponse.objects.bulk_create(
            [
                SurveyResponse(
                    survey=survey,
                    submission_id=submission_id,
                    source=SurveyResponse.Source.IMPORT,
                    submitted_at=moment,
                )
                for submission_id, moment, _values in chunk
            ]
        )
        answers: list[SurveyAnswer] = []
        for response, (_id, _when, values) in zip(responses, chunk, strict=True):
            answers.extend(answer_rows(form, survey, response, values))
        SurveyAnswer.objects.bulk_create(answers, batch_size=5_000)
