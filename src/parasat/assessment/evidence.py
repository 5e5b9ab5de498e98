"""Evidence: a file, a link or a reference to a legal act, each saying who may
read it. The self-assessment attaches it to answers; the action plan's
progress reports and assessments of measures carry the same kind of evidence,
held to the same rules (what is accepted, how a file is stored, who reads it),
so both build on what is here rather than on copies.

- :class:`EvidenceBase` — the fields every evidence table has (the file field
  and what it belongs to are the concrete model's);
- :func:`checked_title`, :func:`reference_fields` — the checks of what is typed;
- :func:`store_file` — the upload checked, stored under a random name before
  the transaction, and removed again if its row is not written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parasat.core.lib.uploads import check_upload
from parasat.reviews.disclosure import Confidentiality

MAX_TITLE = 300


class EvidenceKind(models.TextChoices):
    FILE = "file", gettext_lazy("File")
    LINK = "link", gettext_lazy("Link")
    LEGAL_ACT = "legal_act", gettext_lazy("Legal act")


class EvidenceBase(models.Model):
    """The fields of an evidence item, whatever it supports."""

    Kind = EvidenceKind

    kind = models.CharField(gettext_lazy("kind"), max_length=20, choices=EvidenceKind.choices)
    title = models.CharField(gettext_lazy("title"), max_length=300)
    file_name = models.CharField(gettext_lazy("file name"), max_length=255, blank=True)
    content_type = models.CharField(gettext_lazy("content type"), max_length=120, blank=True)
    size = models.PositiveBigIntegerField(gettext_lazy("size"), default=0)
    url = models.URLField(gettext_lazy("address"), max_length=500, blank=True)
    citation = models.CharField(
        gettext_lazy("reference"),
        max_length=300,
        blank=True,
        help_text=gettext_lazy("Title, number and date of the act, and the article."),
    )
    confidentiality = models.CharField(
        gettext_lazy("confidentiality"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.TEAM,
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(gettext_lazy("added at"))
    withdrawn_at = models.DateTimeField(gettext_lazy("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title


def checked_title(title: str, confidentiality: str) -> str:
    """The title as it will be stored; refuses an unknown level of confidentiality."""
    if confidentiality not in Confidentiality.values:
        raise ValidationError(_("Choose who may read the evidence."))
    title = (title or "").strip()
    if len(title) > MAX_TITLE:
        raise ValidationError(_("The title is too long (at most 300 characters)."))
    return title


def reference_fields(*, kind: str, title: str, url: str, citation: str) -> dict[str, Any]:
    """The fields of a link or a reference to a legal act, checked."""
    url = (url or "").strip()
    citation = (citation or "").strip()
    if kind == EvidenceKind.LINK:
        if not url.startswith(("https://", "http://")):
            raise ValidationError(_("Enter a web address starting with https:// or http://."))
    elif kind == EvidenceKind.LEGAL_ACT:
        if not citation:
            raise ValidationError(_("Name the act: its title, number, date and article."))
    else:
        raise ValidationError(_("Unknown kind of evidence."))
    return {
        "kind": kind,
        "title": title or citation or url,
        "url": url,
        "citation": citation[:300],
        "added_at": timezone.now(),
    }


def file_fields(upload: UploadedFile, title: str) -> dict[str, Any]:
    """The fields of a file, its type sniffed from its content (refused with a
    message a person can act on when it is not accepted)."""
    content_type = check_upload(upload)
    name = (upload.name or "file")[-255:]
    return {
        "kind": EvidenceKind.FILE,
        "title": title or name,
        "file_name": name,
        "content_type": content_type,
        "size": upload.size or 0,
        "added_at": timezone.now(),
    }


def store_file(item: EvidenceBase, upload: UploadedFile, write: Callable[[], None]) -> None:
    """Store ``upload`` as ``item``'s file (a random name, before the
    transaction, so no writer waits while it is copied), then run ``write``
    in a transaction (it saves the row and whatever goes with it); the file
    is removed again if that fails."""
    item.file.save(item.file_name or "file", upload, save=False)
    try:
        with transaction.atomic():
            write()
    except BaseException:
        item.file.delete(save=False)
        raise


def download(item: EvidenceBase) -> FileResponse:
    """The item's file as an attachment, never sniffed nor cached by the
    browser (the caller has checked the reader may see it); 404 without one."""
    if item.kind != EvidenceKind.FILE or not item.file:
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=item.file_name or "evidence",
        content_type=item.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
