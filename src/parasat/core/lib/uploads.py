"""Safe handling of uploaded files: storage names never come from the user,
and the content type is sniffed from the bytes, not the file name."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

# Extension → signatures accepted for it (the first bytes of the file).
_PDF = (b"%PDF-",)
_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    ".pdf": ("application/pdf", _PDF),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP),
    ".odt": ("application/vnd.oasis.opendocument.text", _ZIP),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", _ZIP),
    ".doc": ("application/msword", _OLE),
    ".xls": ("application/vnd.ms-excel", _OLE),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".txt": ("text/plain", None),
    ".csv": ("text/csv", None),
}


def safe_storage_name(folder: str, filename: str) -> str:
    """A random storage name in ``folder`` keeping only a known, lower-case extension."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in ALLOWED_TYPES:
        suffix = ".bin"
    return f"{folder}/{uuid.uuid4().hex}{suffix}"


def check_upload(upload: UploadedFile) -> str:
    """Validate an upload by size and content; return its sniffed content type.

    Raises ValidationError with a message a person can act on.
    """
    limit = settings.PARASAT_MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1_048_576, 1), "limit": round(limit / 1_048_576, 1)}
        )
    if not upload.size:
        raise ValidationError(_("The file is empty."))
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in ALLOWED_TYPES:
        raise ValidationError(
            _("Files of type “%(suffix)s” are not accepted. Accepted: %(allowed)s.")
            % {"suffix": suffix or "?", "allowed": ", ".join(sorted(ALLOWED_TYPES))}
        )
    content_type, signatures = ALLOWED_TYPES[suffix]
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if signatures is None:
        if b"\x00" in head:
            raise ValidationError(_("The file claims to be text but its content is binary."))
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            # A cut multi-byte character at the end of the sample is fine.
            try:
                head[:-3].decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ValidationError(_("The text file is not UTF-8.")) from exc
    elif not any(head.startswith(sig) for sig in signatures):
        raise ValidationError(
            _("The file's content does not match its name (%(suffix)s).") % {"suffix": suffix}
        )
    return content_type
