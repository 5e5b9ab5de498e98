"""Where uploads are kept: under MEDIA_ROOT, or on an S3-compatible object store
when the environment names a bucket. Checked in this process, without network."""

import socket

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from parasat.core.testing.environ import settings_under

S3 = {
    "PARASAT_S3_BUCKET": "parasat-uploads",
    "PARASAT_S3_ENDPOINT_URL": "https://s3.example.kz",
    "PARASAT_S3_REGION": "kz-ala-1",
    "PARASAT_S3_PREFIX": "/uploads/",
    "PARASAT_S3_ADDRESSING_STYLE": "path",
    "AWS_ACCESS_KEY_ID": "AKIAPARASATEXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "example-secret-not-a-real-one",
}
UNSET = dict.fromkeys(S3)


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the storage tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_without_a_bucket_uploads_stay_under_media_root(monkeypatch, tmp_path):
    configured = settings_under(
        monkeypatch, **UNSET, PARASAT_VAR_DIR=str(tmp_path), MEDIA_ROOT=None
    )
    assert configured["STORAGES"]["default"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }
    assert configured["MEDIA_ROOT"] == tmp_path / "media"


def test_a_bucket_puts_uploads_on_the_object_store(monkeypatch, tmp_path, no_network):
    configured = settings_under(monkeypatch, **S3, PARASAT_VAR_DIR=str(tmp_path))
    uploads = configured["STORAGES"]["default"]
    assert uploads["BACKEND"] == "storages.backends.s3.S3Storage"
    assert uploads["OPTIONS"] == {
        "bucket_name": "parasat-uploads",
        "endpoint_url": "https://s3.example.kz",
        "region_name": "kz-ala-1",
        "location": "uploads",
        "addressing_style": "path",
        "file_overwrite": False,
        "default_acl": None,
        "querystring_auth": True,
    }
    # Static files stay with the application.
    assert "s3" not in configured["STORAGES"]["staticfiles"]["BACKEND"]
    # django-storages takes these options and the credentials from the
    # environment; a signed address is computed locally.
    storage = import_string(uploads["BACKEND"])(**uploads["OPTIONS"])
    address = storage.url("finance/7/entries/1f2e.pdf")
    assert address.startswith(
        "https://s3.example.kz/parasat-uploads/uploads/finance/7/entries/1f2e.pdf?"
    )
    assert "X-Amz-Credential=AKIAPARASATEXAMPLE%2F" in address
    assert "%2Fkz-ala-1%2Fs3%2F" in address and "X-Amz-Signature=" in address


def test_amazon_s3_itself_needs_only_the_bucket(monkeypatch, tmp_path):
    configured = settings_under(
        monkeypatch,
        **{**UNSET, "PARASAT_S3_BUCKET": "parasat-uploads"},
        PARASAT_VAR_DIR=str(tmp_path),
    )
    options = configured["STORAGES"]["default"]["OPTIONS"]
    assert options["endpoint_url"] is None and options["region_name"] is None
    assert options["location"] == "" and options["addressing_style"] == "auto"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("PARASAT_S3_BUCKET", "Parasat_Uploads", "must be a bucket name"),
        ("PARASAT_S3_BUCKET", "ab", "must be a bucket name"),
        ("PARASAT_S3_BUCKET", "parasat..uploads", "must be a bucket name"),
        ("PARASAT_S3_ENDPOINT_URL", "s3.example.kz", "must be an http"),
        ("PARASAT_S3_ENDPOINT_URL", "ftp://s3.example.kz", "must be an http"),
        ("PARASAT_S3_ENDPOINT_URL", "https://s3.example.kz/?x=1", "must be an http"),
        ("PARASAT_S3_ADDRESSING_STYLE", "sideways", "must be one of auto, path, virtual"),
    ],
)
def test_bad_object_store_settings_are_refused(monkeypatch, tmp_path, name, value, message):
    with pytest.raises(ImproperlyConfigured, match=f"{name} {message}"):
        settings_under(monkeypatch, **{**S3, name: value}, PARASAT_VAR_DIR=str(tmp_path))
