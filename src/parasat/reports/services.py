"""Every write of a report: drafting it from the analysis, editing a section,
translating paragraphs, issuing a stage, comments and responses, moving to
the next stage and publishing. Keyword-only, atomic; a refusal raises
ValidationError with a message the person can act on, and writes nothing."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parasat.accounts.models import User
from parasat.core.lib.diff import word_diff
from parasat.core.lib.translated import SOURCE_LANGUAGE, TranslatedText, content_languages
from parasat.core.lib.uploads import check_upload, safe_storage_name
from parasat.reports import consultations, drafting, rendering
from parasat.reports.caching import report_changed
from parasat.reports.markdown import split_blocks
from parasat.reports.models import (
    STAGE_ORDER,
    Figure,
    Paragraph,
    Report,
    ReportComment,
    ReportVersion,
    Response,
    Section,
    Stage,
)
from parasat.reports.versions import ParagraphChange, digest, snapshot
from parasat.reviews.models import Review
from parasat.toolkit.models import Instrument

MAX_SECTION = 200_000
CITE = re.compile(r"\[@cite:([A-Za-z0-9._-]{1,60})\]")
REFERENCES = "annex-references"
MAX_COMMENT = 10_000
# Two versions of a paragraph this alike (0–1, difflib's ratio) are the same
# paragraph edited: it keeps its identifier.
SAME_PARAGRAPH = 0.5


def _lock(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


def _refuse_unless_editable(report: Report) -> None:
    if not report.is_editable:
        raise ValidationError(
            _(
                "The %(stage)s is issued and frozen: it cannot be changed. Changes go "
                "into the next stage once its comments are answered."
            )
            % {"stage": report.get_stage_display().lower()}
        )


def new_pid(taken: set[str]) -> str:
    while True:
        pid = f"p-{secrets.token_hex(4)}"
        if pid not in taken:
            taken.add(pid)
            return pid


def _taken(report: Report) -> set[str]:
    return set(Paragraph.objects.filter(section__report=report).values_list("pid", flat=True))


@transaction.atomic
def report_draft(*, review: Review, by: User | None) -> Report:
    """Start the report of ``review``, drafted from its agreed analysis."""
    if Report.objects.filter(review=review).exists():
        raise ValidationError(_("This review's report has already been started."))
    title, sections, figures = drafting.draft(review)
    report = Report.objects.create(review=review, title=title, created_by=by)
    taken: set[str] = set()
    rows = []
    for order, draft in enumerate(sections, start=1):
        section = Section.objects.create(
            report=report,
            key=draft.key,
            kind=draft.kind,
            order=order,
            title=draft.title,
            area=draft.area,
        )
        rows += [
            Paragraph(section=section, pid=new_pid(taken), order=n, text=p.text, anchor=p.anchor)
            for n, p in enumerate(draft.paragraphs, start=1)
        ]
    Paragraph.objects.bulk_create(rows)
    Figure.objects.bulk_create(
        [Figure(report=report, key=f.key, title=f.title, alt=f.alt, data=f.data) for f in figures]
    )
    report_changed(review.pk)
    return report


def match_paragraphs(
    old: Sequence[tuple[str, str]], new: Sequence[str], taken: set[str]
) -> list[tuple[str, str]]:
    """Identifiers for the blocks ``new`` of a section whose paragraphs were
    ``old`` ((identifier, text)): an unchanged block keeps its identifier, an
    edited one too when it is still alike (:data:`SAME_PARAGRAPH`) and in the
    same place among the changes; any other block is new."""
    old_texts = [t for _pid, t in old]
    matcher = SequenceMatcher(None, old_texts, list(new), autojunk=False)
    result: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            result += [(old[i1 + k][0], new[j1 + k]) for k in range(j2 - j1)]
        elif op == "insert":
            result += [(new_pid(taken), new[j]) for j in range(j1, j2)]
        elif op == "replace":
            free = list(range(i1, i2))
            for j in range(j1, j2):
                best, score = None, SAME_PARAGRAPH
                for i in free:
                    ratio = SequenceMatcher(None, old_texts[i], new[j], autojunk=False).ratio()
                    if ratio >= score:
                        best, score = i, ratio
                if best is None:
                    result.append((new_pid(taken), new[j]))
                else:
                    # Keep the order: old paragraphs before the match cannot match later ones.
                    free = [i for i in free if i > best]
                    result.append((old[best][0], new[j]))
    return result


@dataclass
class SectionSaved:
    section: Section
    added: int
    changed: int
    removed: int


@transaction.atomic
def section_save(
    *, section: Section, by: User, markdown: str, base_revision: int | None
) -> SectionSaved:
    """Save the English Markdown of a section. Its paragraphs keep their
    identifiers where they are unchanged or edited (their translations turn
    stale until updated or confirmed); new ones get new identifiers."""
    report = _lock(section.report)
    _refuse_unless_editable(report)
    locked = Section.objects.select_for_update().get(pk=section.pk)
    if base_revision is not None and base_revision != locked.revision:
        raise ValidationError(
            _(
                "Someone else saved this section while you were editing it. Copy your "
                "text, reload the page and apply your changes again."
            )
        )
    if len(markdown or "") > MAX_SECTION:
        raise ValidationError(_("The section is too long (at most 200,000 characters)."))
    blocks = split_blocks(markdown)
    current = list(locked.paragraphs.order_by("order"))
    by_pid = {p.pid: p for p in current}
    matched = match_paragraphs([(p.pid, p.text.source) for p in current], blocks, _taken(report))
    kept = {pid for pid, _text in matched}
    removed = [p for p in current if p.pid not in kept]
    Paragraph.objects.filter(pk__in=[p.pk for p in removed]).delete()
    added = changed = 0
    for order, (pid, text) in enumerate(matched, start=1):
        paragraph = by_pid.get(pid)
        if paragraph is None:
            Paragraph.objects.create(
                section=locked, pid=pid, order=order, text=TranslatedText.fresh({"en": text})
            )
            added += 1
            continue
        fields = []
        if paragraph.text.source != text:
            paragraph.text = paragraph.text.updated({SOURCE_LANGUAGE: text})
            fields.append("text")
            changed += 1
        if paragraph.order != order:
            paragraph.order = order
            fields.append("order")
        if fields:
            # Orders move one by one; a unique (section, order) is not kept for that reason.
            paragraph.save(update_fields=fields)
    locked.revision += 1
    locked.save(update_fields=["revision"])
    references_add(report=report, markdown=markdown)
    _touch(report)
    return SectionSaved(locked, added, changed, len(removed))


def references_add(*, report: Report, markdown: str) -> list[str]:
    """Add to the references annex every work of the review's bibliography
    that ``markdown`` cites (``[@cite:CODE]``) and the annex does not list
    yet; returns their codes. A code that names no work is left for the
    preview and the issue check to name."""
    codes = set(CITE.findall(markdown or ""))
    annex = Section.objects.filter(report=report, key=REFERENCES).first() if codes else None
    if annex is None:
        return []
    listed = {
        anchor[4:]
        for anchor in Paragraph.objects.filter(
            section__report=report, anchor__startswith="ref-"
        ).values_list("anchor", flat=True)
    }
    works = list(Instrument.objects.filter(code__in=codes - listed).order_by("code"))
    if not works:
        return []
    annex.paragraphs.filter(anchor=drafting.NO_REFERENCES).delete()
    taken = _taken(report)
    last = annex.paragraphs.aggregate(last=Max("order"))["last"] or 0
    Paragraph.objects.bulk_create(
        [
            Paragraph(
                section=annex,
                pid=new_pid(taken),
                order=last + n,
                text=drafting.reference_text(work, []),
                anchor=f"ref-{work.code}",
            )
            for n, work in enumerate(works, start=1)
        ]
    )
    Section.objects.filter(pk=annex.pk).update(revision=F("revision") + 1)
    return [work.code for work in works]


@transaction.atomic
def sections_save(
    *, report: Report, by: User, texts: dict[str, tuple[str, int | None]]
) -> list[SectionSaved]:
    """Save several sections at once (a whole report back from Word): every
    one or none. ``texts`` maps a section key to (Markdown, base revision)."""
    sections = {s.key: s for s in Section.objects.filter(report=report, key__in=list(texts))}
    if set(sections) != set(texts):
        raise ValidationError(_("The report's sections have changed: import the document again."))
    return [
        section_save(section=sections[key], by=by, markdown=markdown, base_revision=revision)
        for key, (markdown, revision) in texts.items()
    ]


def section_changes(section: Section, markdown: str) -> list[ParagraphChange]:
    """What saving ``markdown`` would change in ``section``, paragraph by
    paragraph (nothing is written): for a Word document before it is accepted."""
    current = list(section.paragraphs.order_by("order"))
    texts = {p.pid: p.text.source for p in current}
    matched = match_paragraphs(
        [(p.pid, p.text.source) for p in current], split_blocks(markdown), set(texts)
    )
    changes = []
    kept = set()
    for pid, text in matched:
        kept.add(pid)
        if pid not in texts:
            changes.append(ParagraphChange(pid, "added", text, [("+", text)]))
        elif texts[pid] != text:
            changes.append(ParagraphChange(pid, "changed", text, word_diff(texts[pid], text)))
        else:
            changes.append(ParagraphChange(pid, "same", text))
    changes += [
        ParagraphChange(p.pid, "removed", p.text.source, [("-", p.text.source)])
        for p in current
        if p.pid not in kept
    ]
    return changes


def _touch(report: Report) -> None:
    report.revision += 1
    report.save(update_fields=["revision"])
    report_changed(report.review_id)


def _language(language: str) -> str:
    if language not in content_languages() or language == SOURCE_LANGUAGE:
        raise ValidationError(
            _("Translations are made into %(languages)s; English is the original.")
            % {"languages": ", ".join(lang for lang in content_languages() if lang != "en")}
        )
    return language


@transaction.atomic
def paragraph_translate(
    *, paragraph: Paragraph, by: User, language: str, text: str, confirm: bool = False
) -> Paragraph:
    """Write (or confirm as still right) one paragraph's translation."""
    language = _language(language)
    report = _lock(paragraph.section.report)
    _refuse_unless_editable(report)
    locked = Paragraph.objects.select_for_update().get(pk=paragraph.pk)
    locked.text = locked.text.updated({language: text}, confirm=[language] if confirm else [])
    locked.save(update_fields=["text"])
    _touch(report)
    return locked


@dataclass
class TranslationRow:
    """One row of a translation file: the paragraph, the English it was made
    from, the translation; ``line`` is where the file has it."""

    line: int
    pid: str
    source: str
    target: str


@dataclass
class TranslationResult:
    applied: int
    unchanged: int
    errors: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors


def version_label(report: Report) -> str:
    """What a translation file says it was made from: the report, its stage
    and the working text's revision."""
    return f"{report.review.slug}:{report.stage}:{report.revision}"


@transaction.atomic
def translations_import(
    *, report: Report, by: User, language: str, label: str, rows: Sequence[TranslationRow]
) -> TranslationResult:
    """Apply a translator's file, all or nothing: a file made for another
    report or stage is refused whole; rows with unknown identifiers, or whose
    English has changed since the file was made, are each named, and then
    nothing is written."""
    language = _language(language)
    locked = _lock(report)
    _refuse_unless_editable(locked)
    slug, _sep, rest = (label or "").partition(":")
    stage, _sep, _revision = rest.partition(":")
    if slug != locked.review.slug or stage != locked.stage:
        raise ValidationError(
            _(
                "This file was made for another version of the report (%(label)s); "
                "export the current one (%(current)s) and translate that."
            )
            % {"label": label or "?", "current": version_label(locked)}
        )
    paragraphs = {
        p.pid: p for p in Paragraph.objects.filter(section__report=locked).select_for_update()
    }
    errors: list[str] = []
    seen: set[str] = set()
    for row in rows:
        paragraph = paragraphs.get(row.pid)
        if paragraph is None:
            errors.append(
                _("Row %(line)s: no paragraph of this report has the identifier “%(id)s”.")
                % {"line": row.line, "id": row.pid}
            )
        elif row.pid in seen:
            errors.append(
                _("Row %(line)s: the paragraph %(id)s appears twice in the file.")
                % {"line": row.line, "id": row.pid}
            )
        elif " ".join(row.source.split()) != " ".join(paragraph.text.source.split()):
            errors.append(
                _(
                    "Row %(line)s: the English of paragraph %(id)s has changed since the "
                    "file was made; translate it again from a new export."
                )
                % {"line": row.line, "id": row.pid}
            )
        seen.add(row.pid)
    if errors:
        return TranslationResult(0, 0, errors)
    applied = unchanged = 0
    for row in rows:
        paragraph = paragraphs[row.pid]
        target = (row.target or "").strip()
        if not target or target == paragraph.text.get(language):
            unchanged += 1
            continue
        paragraph.text = paragraph.text.updated({language: target})
        paragraph.save(update_fields=["text"])
        applied += 1
    if applied:
        _touch(locked)
    return TranslationResult(applied, unchanged, [])


# --- stages ----------------------------------------------------------------------------


def current_version(report: Report) -> ReportVersion | None:
    return report.versions.filter(stage=report.stage).first()


@transaction.atomic
def report_issue(*, report: Report, by: User) -> ReportVersion:
    """Freeze the working text as this stage's version and open it for comments.
    A cross reference or footnote that points nowhere stops it, named."""
    locked = _lock(report)
    _refuse_unless_editable(locked)
    content = snapshot(locked)
    problems = rendering.problems(content)
    if problems:
        raise ValidationError([_("Correct these before issuing the report:"), *problems[:20]])
    now = timezone.now()
    version = ReportVersion.objects.create(
        report=locked,
        number=locked.versions.count() + 1,
        stage=locked.stage,
        content=content,
        digest=digest(content),
        issued_at=now,
        issued_by=by,
    )
    locked.state = Report.State.ISSUED
    locked.save(update_fields=["state"])
    report_changed(locked.review_id)
    return version


def _refuse_unanswered(version: ReportVersion | None) -> None:
    if version is None:
        return
    open_count = version.comments.filter(response="").count()
    if open_count:
        raise ValidationError(
            _(
                "%(count)s comments on this stage have no response yet: answer every "
                "comment before closing the stage."
            )
            % {"count": open_count}
        )
    contributions = consultations.unanswered(version)
    if contributions:
        raise ValidationError(
            ngettext(
                "%(count)s contribution to the consultation on the draft report has no "
                "response yet: answer it in the consultation before closing the stage.",
                "%(count)s contributions to the consultation on the draft report have no "
                "response yet: answer them in the consultation before closing the stage.",
                contributions,
            )
            % {"count": contributions}
        )


@transaction.atomic
def report_advance(*, report: Report, by: User) -> Report:
    """Close the issued stage (every comment answered) and begin drafting the next."""
    locked = _lock(report)
    if locked.state != Report.State.ISSUED or locked.stage == Stage.FINAL:
        raise ValidationError(_("Only an issued preliminary report or draft moves on."))
    version = current_version(locked)
    _refuse_unanswered(version)
    version.closed_at = timezone.now()
    version.save(update_fields=["closed_at"])
    locked.stage = STAGE_ORDER[locked.stage_index + 1]
    locked.state = Report.State.DRAFTING
    locked.save(update_fields=["stage", "state"])
    report_changed(locked.review_id)
    return locked


@transaction.atomic
def report_publish(*, report: Report, by: User) -> Report:
    """Publish the issued final report: the read edition opens to everyone."""
    locked = _lock(report)
    if locked.stage != Stage.FINAL or locked.state != Report.State.ISSUED:
        raise ValidationError(_("Only the issued final report can be published."))
    version = current_version(locked)
    _refuse_unanswered(version)
    now = timezone.now()
    version.closed_at = now
    version.save(update_fields=["closed_at"])
    locked.state = Report.State.PUBLISHED
    locked.published_at = now
    locked.published_by = by
    locked.save(update_fields=["state", "published_at", "published_by"])
    report_changed(locked.review_id)
    return locked


# --- comments ----------------------------------------------------------------------------


def _paragraph_of(version: ReportVersion, section_key: str, pid: str) -> dict | None:
    for section in version.content.get("sections", []):
        if section["key"] == section_key:
            for paragraph in section["paragraphs"]:
                if paragraph["id"] == pid:
                    return paragraph
    return None


@transaction.atomic
def comment_post(
    *,
    version: ReportVersion,
    by: User,
    section_key: str,
    pid: str,
    body: str,
    quote: str = "",
) -> ReportComment:
    """A comment on one paragraph of an issued version (optionally on a phrase
    quoted from it in any of its languages)."""
    if version.closed_at is not None:
        raise ValidationError(_("This stage is closed: its comments are no longer open."))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a comment first.")})
    if len(body) > MAX_COMMENT:
        raise ValidationError({"body": _("The comment is too long (at most 10000 characters).")})
    paragraph = _paragraph_of(version, section_key, pid)
    if paragraph is None:
        raise ValidationError(_("The paragraph commented on is not in this version."))
    quote = " ".join((quote or "").split())
    if quote:
        texts = TranslatedText.from_json(paragraph["text"])
        if not any(quote in " ".join(texts.get(lang).split()) for lang in content_languages()):
            raise ValidationError(
                {"quote": _("The quoted phrase is not in the paragraph: copy it exactly.")}
            )
    return ReportComment.objects.create(
        version=version,
        section_key=section_key,
        pid=pid,
        quote=quote[:500],
        body=body,
        author=by,
        created_at=timezone.now(),
    )


@transaction.atomic
def comment_respond(
    *, comment: ReportComment, by: User, response: str, reason: str, change: str = ""
) -> ReportComment:
    """The team's response to a comment: accepted, partly, not accepted or
    noted, with the reason (always) and the change made (when accepted)."""
    locked = ReportComment.objects.select_for_update().select_related("version").get(pk=comment.pk)
    if locked.version.closed_at is not None:
        raise ValidationError(_("This stage is closed: its responses can no longer change."))
    if response not in Response.values:
        raise ValidationError({"response": _("Choose a response.")})
    reason = (reason or "").strip()
    change = (change or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the response.")})
    if response in (Response.ACCEPTED, Response.PARTLY) and not change:
        raise ValidationError({"change": _("Say what was changed in the text.")})
    if max(len(reason), len(change)) > MAX_COMMENT:
        raise ValidationError(_("The response is too long (at most 10000 characters)."))
    locked.response = response
    locked.reason = reason
    locked.change = change
    locked.responded_by = by
    locked.responded_at = timezone.now()
    locked.save(update_fields=["response", "reason", "change", "responded_by", "responded_at"])
    return locked


# --- images --------------------------------------------------------------------------------

IMAGE_TYPES = {"image/png": ".png", "image/jpeg": ".jpg"}
MAX_IMAGE = 5 * 1024 * 1024
IMAGE_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")


@transaction.atomic
def image_add(
    *,
    report: Report,
    by: User,
    key: str,
    title: TranslatedText,
    alt: TranslatedText,
    upload: UploadedFile,
) -> Figure:
    """An uploaded image (PNG or JPEG) as a figure of the report, placed in
    the text with ``{{figure:key}}``. Its text alternative is required:
    a reader who cannot see it reads that instead."""
    locked = _lock(report)
    _refuse_unless_editable(locked)
    key = (key or "").strip().lower()
    if not IMAGE_KEY.match(key):
        raise ValidationError(
            {"key": _("The key is lower-case letters, digits and hyphens, e.g. org-chart.")}
        )
    if Figure.objects.filter(report=locked, key=key).exists():
        raise ValidationError({"key": _("This report already has a figure with this key.")})
    if not title.source.strip():
        raise ValidationError({"title": _("Give the figure a title.")})
    if not alt.source.strip():
        raise ValidationError(
            {"alt": _("Describe the image in words: readers who cannot see it read this.")}
        )
    content_type = check_upload(upload)
    if content_type not in IMAGE_TYPES:
        raise ValidationError({"file": _("Upload a PNG or JPEG image.")})
    if upload.size > MAX_IMAGE:
        raise ValidationError({"file": _("The image is too large (at most 5 MB).")})
    name = default_storage.save(
        safe_storage_name(f"reports/images/{locked.pk}", upload.name or "image"), upload
    )
    figure = Figure.objects.create(
        report=locked,
        key=key,
        title=title,
        alt=alt,
        data={"image": {"file": name, "type": content_type, "ext": IMAGE_TYPES[content_type]}},
    )
    _touch(locked)
    return figure
