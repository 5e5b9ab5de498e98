"""Small builders for the engagement's tests."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

PDF = b"%PDF-1.4\n%test\n"


def moment(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A moment in the review's time zone."""
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))  # noqa: DTZ001


def pdf(name: str = "slides.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")
