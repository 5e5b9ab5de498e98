"""Tables of the engagement as XLSX or CSV files: the attendance list of an
event (built in the request: an event has some dozens of people) and, built
as a background job, a consultation's matrix, the team's reasons in every
content language side by side (English authoritative). Text cells a spreadsheet would
run as a formula are prefixed with a quote
(:func:`parasat.assessment.exports.safe_text`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from parasat.assessment.exports import safe_text
from parasat.core.fields import LANGUAGE_NAMES
from parasat.core.lib.spreadsheets import ILLEGAL_CHARACTERS_RE
from parasat.core.lib.translated import Status, TranslatedText, content_languages
from parasat.engagement.models import Channel, Contribution, Event, Invitation, Response

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _cell(value: Any) -> Any:
    return safe_text(value) if isinstance(value, str) else value


def to_csv(headers: list[str], table: Iterable[list[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Kazakh and Russian text correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_cell(h) for h in headers])
    for row in table:
        writer.writerow([_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(title: str, headers: list[str], table: Iterable[list[Any]]) -> bytes:
    # Imported here: openpyxl takes a second to load (see core.lib.spreadsheets).
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    bold = Font(bold=True)
    header = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=safe_text(text))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in table:
        # Plain values, not a cell object each (half the time at thousands of
        # rows): safe_text quotes every text that could start a formula, and
        # openpyxl takes any other text as a string.
        sheet.append(
            [
                safe_text(ILLEGAL_CHARACTERS_RE.sub("", value)) if isinstance(value, str) else value
                for value in row
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def attendance_xlsx(event: Event, invitations: Iterable[Invitation]) -> bytes:
    headers = [_("Name"), _("Organisation"), _("Email address"), _("Reply"), _("Attended")]

    def attended(value: bool | None) -> str:
        if value is None:
            return ""
        return _("yes") if value else _("no")

    table = (
        [i.name, i.organisation, i.email, i.get_reply_display(), attended(i.attended)]
        for i in invitations
    )
    return to_xlsx(_("Attendance"), headers, table)


def matrix_headers() -> list[str]:
    return [
        _("No."),
        _("Channel"),
        _("Name"),
        _("Name withheld from publication"),
        _("Organisation"),
        _("Submitted"),
        _("Contribution"),
        _("Attachments"),
        _("Hidden"),
        _("Response"),
        *(
            _("Reason (%(language)s)") % {"language": LANGUAGE_NAMES.get(lang, lang)}
            for lang in content_languages()
        ),
        _("Reason: translations out of date"),
        _("Finding"),
        _("Recommendation"),
        _("Change"),
        _("Responded by"),
        _("Responded"),
    ]


def _moment(value: Any) -> str:
    return date_format(timezone.localtime(value), "j E Y, H:i") if value else ""


class _Moments:
    """``_moment`` for thousands of rows: the date part (a translated month
    name) is formatted once per day, the time appended."""

    def __init__(self) -> None:
        self._days: dict[Any, str] = {}

    def __call__(self, value: Any) -> str:
        if not value:
            return ""
        local = timezone.localtime(value)
        day = local.date()
        text = self._days.get(day)
        if text is None:
            text = self._days[day] = date_format(day, "j E Y")
        return f"{text}, {local:%H:%M}"


def matrix_rows(
    contributions: Iterable[Contribution],
    *,
    files: dict[int, list[str]],
    responders: dict[int, str],
    names: bool = True,
) -> Iterator[list[Any]]:
    """The export's rows. Without ``names`` (a reader who is not of the
    analytical team), a contributor who asked that their name not be
    published is not named."""
    # Labels translated once, not per row (a choice's display costs a lookup
    # through lazy strings each time).
    channels = {value: str(label) for value, label in Channel.choices}
    kinds = {value: str(label) for value, label in Response.Kind.choices}
    yes, no = _("yes"), _("no")
    languages = content_languages()
    language_names = {lang: str(LANGUAGE_NAMES.get(lang, lang)) for lang in languages}
    moment = _Moments()
    for c in contributions:
        response = getattr(c, "response", None) if _has_response(c) else None
        reason = TranslatedText.from_json(response.reason) if response else TranslatedText()
        yield [
            c.number,
            channels.get(c.channel, c.channel),
            c.name if names or not c.anonymous else "",
            yes if c.anonymous else no,
            c.organisation,
            moment(c.submitted_at),
            c.text,
            ", ".join(files.get(c.pk, ())),
            c.hidden_reason if c.hidden_at else "",
            kinds.get(response.kind, response.kind) if response else "",
            # Every language as written (an empty cell: not translated), and
            # which translations were written for an earlier English text.
            *(reason.get(lang) for lang in languages),
            ", ".join(
                language_names[lang] for lang in languages if reason.status(lang) == Status.STALE
            ),
            response.finding.code if response and response.finding else "",
            response.recommendation.code if response and response.recommendation else "",
            f"{response.change.assessment.area.code} v{response.change.number}"
            if response and response.change
            else "",
            responders.get(response.responded_by_id, "") if response else "",
            moment(response.responded_at) if response else "",
        ]


def _has_response(contribution: Contribution) -> bool:
    try:
        contribution.response  # noqa: B018 (select_related: no query)
    except Response.DoesNotExist:
        return False
    return True


def matrix_file(fmt: str, table: Iterable[list[Any]]) -> bytes:
    if fmt == "csv":
        return to_csv(matrix_headers(), table)
    return to_xlsx(_("Matrix"), matrix_headers(), table)
