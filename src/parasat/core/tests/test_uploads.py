import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from parasat.core.lib.uploads import check_upload, safe_storage_name


def test_pdf_with_pdf_content_is_accepted():
    assert check_upload(SimpleUploadedFile("a.pdf", b"%PDF-1.7 ...")) == "application/pdf"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("evil.pdf", b"MZ\x90\x00 not a pdf", "does not match"),
        ("script.exe", b"MZ\x90\x00", "not accepted"),
        ("empty.txt", b"", "empty"),
        ("notes.txt", b"\x00\x01\x02binary", "binary"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(name, content, message):
    with pytest.raises(ValidationError) as exc:
        check_upload(SimpleUploadedFile(name, content))
    assert message in " ".join(exc.value.messages)


def test_too_large_file_is_refused(settings):
    settings.PARASAT_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError, match="too large"):
        check_upload(SimpleUploadedFile("a.txt", b"x" * 11))


def test_storage_name_never_uses_the_uploaded_name():
    name = safe_storage_name("letters", "../../etc/passwd.pdf")
    assert name.startswith("letters/") and ".." not in name and name.endswith(".pdf")
