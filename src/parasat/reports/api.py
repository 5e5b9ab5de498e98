"""JSON API of the report, read through :mod:`parasat.reports.access` as the
pages are: the report's state and its versions the reader may read, one
version's text (paragraph by paragraph with identifiers, every language),
its comments with their responses; and posting a comment on a paragraph
where the stage admits the reader's comments."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status

from parasat.core.lib.schemas import ErrorOut, Texts
from parasat.reports import access, services
from parasat.reports.models import Report, Response, Stage
from parasat.reviews.permissions import Perm

router = Router(tags=["reports"])


class VersionRef(Schema):
    number: int
    stage: Stage
    issued_at: dt.datetime
    closed: bool


class ReportOut(Schema):
    title: Texts
    stage: Stage
    state: Report.State
    published_at: dt.datetime | None
    versions: list[VersionRef]


class ParagraphOut(Schema):
    id: str
    anchor: str
    text: Texts


class SectionOut(Schema):
    key: str
    kind: str
    title: Texts
    paragraphs: list[ParagraphOut]


class VersionOut(VersionRef):
    sections: list[SectionOut]


class CommentOut(Schema):
    id: int
    section: str
    paragraph: str
    quote: str
    body: str
    author: str
    created_at: dt.datetime
    response: Response | None
    reason: str
    change: str


class CommentIn(Schema):
    section: str
    paragraph: str
    body: str
    quote: str = ""


def _ref(version) -> VersionRef:
    return VersionRef(
        number=version.number,
        stage=Stage(version.stage),
        issued_at=version.issued_at,
        closed=version.closed_at is not None,
    )


def _comment(c) -> CommentOut:
    return CommentOut(
        id=c.pk,
        section=c.section_key,
        paragraph=c.pid,
        quote=c.quote,
        body=c.body,
        author=c.author.display_name,
        created_at=c.created_at,
        response=Response(c.response) if c.response else None,
        reason=c.reason,
        change=c.change,
    )


@router.get("/reviews/{slug}/report", response=ReportOut, summary="The report and its versions")
def get_report(request: HttpRequest, slug: str) -> ReportOut:
    reader = access.get_reader(request.user, slug)
    report = access.get_report(reader)
    return ReportOut(
        title=Texts.of(report.title),
        stage=Stage(report.stage),
        state=Report.State(report.state),
        published_at=report.published_at,
        versions=[_ref(v) for v in access.readable_versions(reader)],
    )


@router.get(
    "/reviews/{slug}/report/versions/{number}",
    response=VersionOut,
    summary="One issued version, paragraph by paragraph, in every language",
)
def get_version(request: HttpRequest, slug: str, number: int) -> VersionOut:
    reader = access.get_reader(request.user, slug)
    version = access.get_version(reader, number)
    return VersionOut(
        **_ref(version).dict(),
        sections=[
            SectionOut(
                key=s["key"],
                kind=s["kind"],
                title=Texts.of(s["title"]),
                paragraphs=[
                    ParagraphOut(id=p["id"], anchor=p.get("anchor", ""), text=Texts.of(p["text"]))
                    for p in s["paragraphs"]
                ],
            )
            for s in version.content["sections"]
        ],
    )


@router.get(
    "/reviews/{slug}/report/versions/{number}/comments",
    response=list[CommentOut],
    summary="The comments on a version with their responses (the matrix)",
)
def list_comments(request: HttpRequest, slug: str, number: int) -> list[CommentOut]:
    reader = access.get_reader(request.user, slug)
    version = access.get_version(reader, number)
    return [_comment(c) for c in version.comments.select_related("author")]


@router.post(
    "/reviews/{slug}/report/versions/{number}/comments",
    response={201: CommentOut, 400: ErrorOut},
    summary="Comment on a paragraph of a version open to my comments",
)
def post_comment(request: HttpRequest, slug: str, number: int, data: CommentIn):
    reader = access.get_reader(request.user, slug, perm=Perm.COMMENT_REPORT)
    version = access.get_version(reader, number)
    if not reader.may_comment(version):
        raise PermissionDenied
    try:
        made = services.comment_post(
            version=version,
            by=request.user,
            section_key=data.section,
            pid=data.paragraph,
            body=data.body,
            quote=data.quote,
        )
    except ValidationError as exc:
        return Status(400, ErrorOut(detail=" ".join(exc.messages)))
    return Status(201, _comment(made))
