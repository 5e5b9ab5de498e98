"""Answers collected in the field: a KoboToolbox or ODK submission export (CSV
or XLSX) of a questionnaire that Parasat exported as an XLSForm, read into one
assignment.

Columns are matched to questions by name (``policy``), by group path as the
tools write it (``grp/since``, ``grp-since``, ``grp.since``) or by Parasat's
question code (``S-01``); a multiple choice may come as one column of option
names separated by spaces or as one 1/0 column per option (``bodies/court``).
The metadata the tools add (``_id``, ``_uuid``, ``start``, ``meta/instanceID``…)
is ignored; any other column that matches no question is reported as a warning.
Every row is checked, also when only the last is imported; a required question
left empty and the same submission twice (``_uuid``, ``meta/instanceID``,
``KEY``) are reported by row and column.

:func:`read_submissions` writes nothing: it returns every problem with its row
and column. :func:`import_answers` saves one submission through
:func:`parasat.assessment.services.answer_save` (so every change is a new
version by the importer) in one transaction, and only when nothing is wrong.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parasat.accounts.models import User
from parasat.assessment import services
from parasat.assessment.models import Answer, Assignment
from parasat.assessment.values import check_answers, is_answerable, is_empty, normalise
from parasat.core.lib.spreadsheets import xlsx_rows
from parasat.core.lib.uploads import check_upload
from parasat.toolkit.models import Choice, Question

K = Question.Kind
ACCEPTED_SUFFIXES = (".csv", ".xlsx")
MAX_ROWS = 1000
MAX_COLUMNS = 3000
# How the tools join a group's name and a question's name in a column header.
SEPARATORS = ("/", "-", ".", ":")
# Columns KoboToolbox, ODK Collect and ODK Central add beside the answers.
METADATA_COLUMNS = frozenset(
    {
        "start",
        "end",
        "today",
        "deviceid",
        "subscriberid",
        "simserial",
        "phonenumber",
        "username",
        "email",
        "audit",
        "instanceid",
        "instancename",
        "deprecatedid",
        "submissiondate",
        "key",
        "submitterid",
        "submittername",
        "attachmentspresent",
        "attachmentsexpected",
        "status",
        "reviewstate",
        "edits",
        "formversion",
    }
)
METADATA_PREFIXES = tuple(f"{root}{sep}" for root in ("meta", "formhub") for sep in SEPARATORS) + (
    "_",
)
_TRUE = frozenset({"1", "true", "yes"})
_FALSE = frozenset({"0", "false", "no", ""})


@dataclass(frozen=True)
class Problem:
    """Something that stops the import. ``row`` is the row's number in the
    file (the header is row 1); None for the file as a whole."""

    message: str
    row: int | None = None
    column: str = ""
    value: str = ""


@dataclass
class Submission:
    """One row of the file: question name -> stored value (None for an empty
    cell, which leaves the answer as it is) and the column it came from."""

    row: int
    values: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)


@dataclass
class ImportResult:
    matched: dict[str, str] = field(default_factory=dict)  # column -> question code
    ignored: list[str] = field(default_factory=list)  # metadata and derived columns
    submissions: list[Submission] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    saved: list[str] = field(default_factory=list)  # codes of the answers changed
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # why an answer was left alone

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def submission(self) -> Submission | None:
        """The submission imported: the only one, or the last when asked for."""
        return self.submissions[-1] if self.submissions else None

    @property
    def file_problems(self) -> list[Problem]:
        return [p for p in self.problems if p.row is None]

    @property
    def row_problems(self) -> list[Problem]:
        return sorted((p for p in self.problems if p.row is not None), key=lambda p: p.row or 0)


# --- reading the file ---------------------------------------------------------


def check_file(upload: UploadedFile) -> str:
    """Refuse at once what is not a .csv or .xlsx file of a sane size; return its suffix."""
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES:
        raise ValidationError(
            _("Upload the submissions as a .csv or .xlsx file exported from KoboToolbox or ODK.")
        )
    check_upload(upload)
    return suffix


def read_table(
    upload: UploadedFile, *, max_rows: int = MAX_ROWS
) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """The header and the data rows (with their numbers in the file) of a .csv
    or .xlsx upload. Raises ValidationError when the file cannot be read.
    (The stakeholder surveys read files of many more rows than an assignment.)"""
    suffix = check_file(upload)
    rows = _csv_rows(upload) if suffix == ".csv" else xlsx_rows(upload)
    header: list[str] | None = None
    data: list[tuple[int, list[Any]]] = []
    for number, row in enumerate(rows, start=1):
        if header is None:
            header = [_header(c) for c in row]
            if len(header) > MAX_COLUMNS:
                raise ValidationError(
                    _("The file has more than %(max)s columns.") % {"max": MAX_COLUMNS}
                )
            continue
        if all(cell_text(c) is None for c in row):
            continue
        if len(data) >= max_rows:
            if max_rows != MAX_ROWS:
                raise ValidationError(
                    _("The file has more than %(max)s submissions.") % {"max": max_rows}
                )
            raise ValidationError(
                _("The file has more than %(max)s submissions: export only this assignment's.")
                % {"max": MAX_ROWS}
            )
        data.append((number, list(row)))
    if not header or not any(header):
        raise ValidationError(_("The file is empty: its first row must name the columns."))
    return header, data


def _csv_rows(upload: UploadedFile) -> Iterator[list[str]]:
    upload.seek(0)
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _("The CSV file is not UTF-8: export it again from KoboToolbox or ODK.")
        ) from exc
    first = text.split("\n", 1)[0]
    # KoboToolbox writes semicolons by default, ODK commas; some people tabs.
    delimiter = max((",", ";", "\t"), key=first.count)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as exc:
        raise ValidationError(
            _("The CSV file cannot be read: %(error)s") % {"error": str(exc)}
        ) from exc


def _header(value: Any) -> str:
    return "" if value is None else str(value).strip()


def cell_text(value: Any) -> str | None:
    """A cell as the text a person would have typed; None when empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    text = str(value).strip()
    return text or None


# --- matching columns to questions ----------------------------------------------


@dataclass(frozen=True)
class _Target:
    question: Question
    option: str = ""  # a 1/0 column of one option of a multiple choice


def _question_keys(questions: Iterable[Question]) -> Iterator[tuple[Question, list[str]]]:
    """Each named question with the headers that may name it: its name, its
    group path with each separator, and its code."""
    groups: list[str] = []
    for question in questions:
        if question.kind in {K.END_GROUP, K.END_REPEAT}:
            if groups:
                groups.pop()
            continue
        if question.name:
            keys = [question.name]
            if groups:
                keys += [sep.join([*groups, question.name]) for sep in SEPARATORS]
            if question.code:
                keys.append(question.code)
            if question.kind not in {K.BEGIN_GROUP, K.BEGIN_REPEAT}:
                yield question, keys
        if question.kind in {K.BEGIN_GROUP, K.BEGIN_REPEAT}:
            groups.append(question.name or "")


def _targets(questions: list[Question], choices: dict[int, list[str]]) -> dict[str, _Target]:
    """Case-folded header -> what it holds."""
    targets: dict[str, _Target] = {}
    for question, keys in _question_keys(questions):
        for key in keys:
            targets.setdefault(key.casefold(), _Target(question))
        if question.kind == K.SELECT_MULTIPLE:
            for key in keys:
                for option in choices.get(question.choice_list_id or 0, []):
                    for sep in SEPARATORS:
                        targets.setdefault(
                            f"{key}{sep}{option}".casefold(), _Target(question, option)
                        )
    return targets


def _is_metadata(header: str) -> bool:
    folded = header.casefold()
    return folded in METADATA_COLUMNS or folded.startswith(METADATA_PREFIXES)


def _label(question: Question) -> str:
    return question.code or question.name


@dataclass
class ColumnPlan:
    """Which column fills which question."""

    columns: dict[int, Question] = field(default_factory=dict)  # index -> question
    names: dict[int, str] = field(default_factory=dict)  # index -> header
    options: dict[int, dict[int, tuple[str, str]]] = field(default_factory=dict)
    # question pk -> {index: (option, header)} for 1/0 option columns


def plan_columns(
    header: list[str],
    questions: list[Question],
    choices: dict[int, list[str]],
    result: ImportResult,
) -> ColumnPlan:
    targets = _targets(questions, choices)
    plan = ColumnPlan()
    seen: dict[int, str] = {}  # question pk -> the header that fills it
    unmatched: list[str] = []
    for index, name in enumerate(header):
        if not name:
            continue
        target = targets.get(name.lstrip("/").casefold())
        if target is None:
            (result.ignored if _is_metadata(name) else unmatched).append(name)
            continue
        question = target.question
        if target.option:
            plan.options.setdefault(question.pk, {})[index] = (target.option, name)
            continue
        if not is_answerable(question):
            result.ignored.append(name)  # notes and calculations are not answers
            continue
        if question.kind == K.EVIDENCE:
            result.warnings.append(
                _(
                    "The column “%(column)s” (%(code)s) names attached files: files are not "
                    "imported. Add them as evidence to the answer."
                )
                % {"column": name, "code": _label(question)}
            )
            continue
        if question.pk in seen:
            result.problems.append(
                Problem(
                    _("The columns “%(first)s” and “%(second)s” both hold %(code)s.")
                    % {"first": seen[question.pk], "second": name, "code": _label(question)},
                    column=name,
                )
            )
            continue
        seen[question.pk] = name
        plan.columns[index] = question
        plan.names[index] = name
        result.matched[name] = _label(question)
    # Option columns are derived when the question's own column is there.
    for pk, columns in list(plan.options.items()):
        if pk in seen:
            result.ignored.extend(h for _option, h in columns.values())
            del plan.options[pk]
        else:
            for _option, h in columns.values():
                result.matched[h] = _label(next(q for q in questions if q.pk == pk))
    if unmatched:
        result.warnings.append(
            _(
                "These columns match no question of the questionnaire and were left out: "
                "%(columns)s."
            )
            % {"columns": ", ".join(f"“{h}”" for h in unmatched)}
        )
    if not plan.columns and not plan.options:
        result.problems.append(
            Problem(
                _(
                    "No column matches a question of this questionnaire. Columns are matched by "
                    "question name (policy, or with its group: grp/policy) or by code (S-01): "
                    "is this the export of the questionnaire chosen?"
                )
            )
        )
    return plan


# --- reading the values ---------------------------------------------------------------


def read_row(
    number: int,
    row: list[Any],
    plan: ColumnPlan,
    questions: list[Question],
    choices: dict[int, list[str]],
    existing: dict[str, Any],
    result: ImportResult,
) -> Submission:
    submission = Submission(row=number)
    by_pk = {q.pk: q for q in questions}

    def cell(index: int) -> str | None:
        return cell_text(row[index]) if index < len(row) else None

    empty: dict[str, str] = {}  # question name -> its column, left empty in this row
    for index, question in plan.columns.items():
        if cell(index) is None:
            empty[question.name] = plan.names[index]
        _store(submission, question, cell(index), plan.names[index], choices, result)
    for pk, columns in plan.options.items():
        question = by_pk[pk]
        chosen: list[str] = []
        given = False
        header_names = [h for _option, h in columns.values()]
        for index, (option, header_name) in columns.items():
            text = cell(index)
            if text is None:
                continue
            given = True
            if text.casefold() in _TRUE:
                chosen.append(option)
            elif text.casefold() not in _FALSE:
                result.problems.append(
                    Problem(
                        _("Enter 1 if the option was chosen, 0 if not."),
                        row=number,
                        column=header_name,
                        value=text,
                    )
                )
        if given:
            _store(submission, question, chosen, header_names[0], choices, result)
        else:
            empty[question.name] = header_names[0]
    # The questionnaire's constraints, judged with the other answers as they will be.
    values = dict(existing)
    values.update({k: v for k, v in submission.values.items() if v is not None})
    checks = check_answers(questions, values, language=get_language())
    for name, value in submission.values.items():
        check = checks.get(name)
        if value is not None and check and check.error:
            result.problems.append(
                Problem(
                    check.error,
                    row=number,
                    column=submission.columns[name],
                    value=_shown(value),
                )
            )
    # An empty cell leaves the answer as it is; a required question that this
    # leaves unanswered (and relevant, with the file's answers) is a problem.
    for name, column in empty.items():
        check = checks.get(name)
        if check and check.required and is_empty(values.get(name)):
            result.problems.append(Problem(check.error, row=number, column=column))
    return submission


def _shown(value: Any) -> str:
    return " ".join(value) if isinstance(value, list) else str(value)


def _store(
    submission: Submission,
    question: Question,
    raw: Any,
    column: str,
    choices: dict[int, list[str]],
    result: ImportResult,
) -> None:
    try:
        value = normalise(question, raw, choices.get(question.choice_list_id or 0, []))
    except ValidationError as exc:
        result.problems.append(
            Problem(" ".join(exc.messages), row=submission.row, column=column, value=_shown(raw))
        )
        return
    submission.values[question.name] = value
    submission.columns[question.name] = column


def read_submissions(
    *, assignment: Assignment, upload: UploadedFile, use_last_row: bool = False
) -> ImportResult:
    """Read a submission export against ``assignment``'s questionnaire. Writes
    nothing. Raises ValidationError when the file cannot be read at all."""
    header, data = read_table(upload)
    questionnaire = assignment.questionnaire
    questions = list(questionnaire.questions.order_by("order"))
    choices: dict[int, list[str]] = {}
    for list_id, name in (
        Choice.objects.filter(choice_list__questionnaire=questionnaire)
        .order_by("choice_list", "order")
        .values_list("choice_list_id", "name")
    ):
        choices.setdefault(list_id, []).append(name)
    result = ImportResult()
    plan = plan_columns(header, questions, choices, result)
    if not data:
        result.problems.append(Problem(_("The file holds no submission: only a header row.")))
    if result.problems:
        return result
    if len(data) > 1 and not use_last_row:
        result.problems.append(
            Problem(
                _(
                    "The file holds %(count)s submissions (rows %(first)s to %(last)s), and "
                    "an assignment takes one. Keep only the right row, or tick “Use the last "
                    "row”."
                )
                % {"count": len(data), "first": data[0][0], "last": data[-1][0]}
            )
        )
    # Every row is checked, also when only the last is imported: all or nothing
    # means a file with a bad row is refused, with every problem listed.
    existing = services.questionnaire_values(assignment)
    for number, row in data:
        result.submissions.append(read_row(number, row, plan, questions, choices, existing, result))
    check_duplicates(header, data, result)
    if len(data) > 1 and use_last_row and result.ok:
        left_out = [str(n) for n, _row in data[:-1]]
        result.warnings.append(
            _("Only the last row (%(row)s) was read; rows %(rows)s were left out.")
            % {"row": data[-1][0], "rows": ", ".join(left_out)}
        )
    return result


def is_submission_id(header: str) -> bool:
    """The columns that name a submission: KoboToolbox's _uuid, ODK's
    meta/instanceID (with any separator) and ODK Central's KEY."""
    folded = header.casefold()
    return folded in {"_uuid", "instanceid", "key"} or any(
        folded == f"meta{sep}instanceid" for sep in SEPARATORS
    )


def check_duplicates(
    header: list[str], data: list[tuple[int, list[Any]]], result: ImportResult
) -> None:
    """The same submission twice in the file (exported twice, or two files
    joined) is reported at the later row."""
    for index, name in enumerate(header):
        if not is_submission_id(name):
            continue
        first_seen: dict[str, int] = {}
        for number, row in data:
            value = cell_text(row[index]) if index < len(row) else None
            if value is None:
                continue
            if value in first_seen:
                result.problems.append(
                    Problem(
                        _("The same submission is also in row %(row)s.")
                        % {"row": first_seen[value]},
                        row=number,
                        column=name,
                        value=value,
                    )
                )
            else:
                first_seen[value] = number


# --- saving ---------------------------------------------------------------------


class _Rejected(Exception):
    """Raised inside the transaction to undo every save of a refused import."""


def import_answers(
    *, assignment: Assignment, upload: UploadedFile, by: User, use_last_row: bool = False
) -> ImportResult:
    """Read the file and, when nothing is wrong, save its submission into the
    assignment's answers that are still a draft or returned (others are left
    as they are, with a note). All or nothing: one transaction."""
    result = read_submissions(assignment=assignment, upload=upload, use_last_row=use_last_row)
    submission = result.submission
    if not result.ok or submission is None:
        return result
    try:
        with transaction.atomic():
            _save(assignment, submission, by, result)
            if result.problems:
                raise _Rejected
    except _Rejected:
        result.saved.clear()
        result.unchanged.clear()
        result.skipped.clear()
    return result


def _save(assignment: Assignment, submission: Submission, by: User, result: ImportResult) -> None:
    answers = {
        a.question.name: a
        for a in Answer.objects.filter(assignment=assignment).select_related("question")
    }
    # The values the import will leave: constraints naming another answer are
    # judged with them (as reading the file did), not with a half-saved mix.
    leaving = {name: a.raw for name, a in answers.items()}
    leaving.update(
        (name, value)
        for name, value in submission.values.items()
        if value is not None and name in answers and answers[name].is_editable
    )
    for name, value in submission.values.items():
        if value is None:
            continue
        answer = answers.get(name)
        if answer is None:
            continue  # not an answerable question: nothing to save
        code = _label(answer.question)
        if not answer.is_editable:
            result.skipped.append(
                _("%(code)s is %(status)s, so it was left as it was.")
                % {"code": code, "status": answer.get_status_display().lower()}
            )
            continue
        try:
            changed = services.answer_save(
                answer=answer,
                by=by,
                value=value,
                explanation=answer.explanation,
                confidentiality=answer.confidentiality,
                base_version=answer.version,
                others=leaving,
            )
        except services.EditConflict:
            result.problems.append(
                Problem(
                    _("Someone saved %(code)s while the file was read: import it again.")
                    % {"code": code},
                    row=submission.row,
                    column=submission.columns[name],
                )
            )
        except ValidationError as exc:
            result.problems.append(
                Problem(
                    " ".join(exc.messages),
                    row=submission.row,
                    column=submission.columns[name],
                    value=_shown(value),
                )
            )
        else:
            (result.saved if changed else result.unchanged).append(code)
