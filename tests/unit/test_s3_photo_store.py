"""The S3 photo store against a real S3-compatible server on loopback, and the settings that
choose it: a round trip, a missing key, a discard that removes only its own upload, and wrong
credentials or a missing bucket answered with an error that names the setting to check."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.photos.storage import PhotoStoreError
from server.photo_settings import build_photo_store
from server.photo_store import LocalPhotoStore
from server.s3_photo_store import S3PhotoStore
from server.settings import Settings, SettingsError
from tests.s3_support import S3Server, running_s3_server

MAX_BYTES = 64 * 1024


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    with running_s3_server() as server:
        yield server


async def test_a_photo_is_put_read_and_discarded_under_its_prefix(s3: S3Server) -> None:
    bucket = s3.new_bucket()
    store = S3PhotoStore(s3.location(bucket, key_prefix="clinic-a/photos"), max_bytes=MAX_BYTES)
    await store.check()
    assert await store.get("a1") is None  # a missing key is no error
    await store.put("a1", b"first")
    await store.put("a1", b"first")  # a retried upload converges
    assert await store.get("a1") == b"first"
    listed = s3.client().list_objects_v2(Bucket=bucket)["Contents"]  # type: ignore[attr-defined]
    assert [item["Key"] for item in listed] == ["clinic-a/photos/a1"]
    # The bytes' SHA-256 went with the PUT, for the service to check
    head = s3.client().head_object(  # type: ignore[attr-defined]
        Bucket=bucket, Key="clinic-a/photos/a1", ChecksumMode="ENABLED"
    )
    assert head["ChecksumSHA256"] == base64.b64encode(hashlib.sha256(b"first").digest()).decode()
    await store.discard("a1")
    await store.discard("a1")  # discarding twice is not an error
    assert await store.get("a1") is None
    with pytest.raises(ValueError, match="not a photo key"):
        await store.put("../escape", b"data")
    # An object larger than any photo is never loaded as one
    s3.client().put_object(  # type: ignore[attr-defined]
        Bucket=bucket, Key="clinic-a/photos/big", Body=b"x" * (MAX_BYTES + 1)
    )
    assert await store.get("big") is None


async def test_discard_removes_only_the_version_its_own_upload_wrote(s3: S3Server) -> None:
    # Given a versioned bucket where another request already stored the photo's bytes
    bucket = s3.new_bucket(versioned=True)
    store = S3PhotoStore(s3.location(bucket), max_bytes=MAX_BYTES)
    s3.client().put_object(Bucket=bucket, Key="p1", Body=b"kept")  # type: ignore[attr-defined]
    # When this request writes its own copy and its row fails
    await store.put("p1", b"this upload")
    await store.discard("p1")
    # Then only its version is gone: the other request's bytes are served, no marker hides them
    assert await store.get("p1") == b"kept"
    versions = s3.client().list_object_versions(Bucket=bucket)  # type: ignore[attr-defined]
    assert len(versions["Versions"]) == 1 and not versions.get("DeleteMarkers")


async def test_wrong_credentials_and_a_missing_bucket_are_named_clearly(s3: S3Server) -> None:
    bucket = s3.new_bucket()
    wrong = S3PhotoStore(
        s3.location(bucket, access_key_id="AKIAWRONGWRONGWRONG0", secret_access_key="nope"),
        max_bytes=MAX_BYTES,
    )
    for attempt in (wrong.check(), wrong.put("p1", b"data"), wrong.get("p1")):
        with pytest.raises(PhotoStoreError, match="GLOWPATH_S3_ACCESS_KEY_ID") as refused:
            await attempt
        assert "nope" not in str(refused.value)  # the secret is never in a message
    missing = S3PhotoStore(s3.location("no-such-bucket"), max_bytes=MAX_BYTES)
    with pytest.raises(PhotoStoreError, match="no bucket 'no-such-bucket'"):
        await missing.check()
    unreachable = S3PhotoStore(
        s3.location(bucket, endpoint_url="http://127.0.0.1:9"), max_bytes=MAX_BYTES
    )
    with pytest.raises(PhotoStoreError, match=r"cannot open the bucket at http://127\.0\.0\.1:9"):
        await unreachable.check()


def test_the_settings_choose_the_store_and_refuse_what_does_not_fit(tmp_path: Path) -> None:
    local = Settings.from_env({"GLOWPATH_PHOTO_DIR": str(tmp_path)})
    assert isinstance(build_photo_store(local), LocalPhotoStore)
    secret_file = tmp_path / "s3-secret"
    secret_file.write_text("from-a-file\n")
    chosen = Settings.from_env(
        {
            "GLOWPATH_PHOTO_STORE": "S3",
            "GLOWPATH_S3_ENDPOINT_URL": "http://127.0.0.1:9000/",
            "GLOWPATH_S3_BUCKET": "clinic-photos",
            "GLOWPATH_S3_ACCESS_KEY_ID": "glowpath",
            "GLOWPATH_S3_SECRET_ACCESS_KEY_FILE": str(secret_file),
            "GLOWPATH_S3_KEY_PREFIX": "/clinic-a/photos/",
        }
    )
    assert (chosen.s3_endpoint_url, chosen.s3_key_prefix) == (
        "http://127.0.0.1:9000",
        "clinic-a/photos",
    )
    assert chosen.s3_secret_access_key == "from-a-file" and "from-a-file" not in repr(chosen)
    store = build_photo_store(chosen)
    assert isinstance(store, S3PhotoStore) and store.location.bucket == "clinic-photos"
    refusals = {
        "GLOWPATH_PHOTO_STORE: expected one of local, s3": {"GLOWPATH_PHOTO_STORE": "disk"},
        "GLOWPATH_PHOTO_STORE=s3 needs GLOWPATH_S3_BUCKET": {"GLOWPATH_PHOTO_STORE": "s3"},
        "GLOWPATH_S3_BUCKET apply to the S3 store only": {"GLOWPATH_S3_BUCKET": "clinic-photos"},
        "GLOWPATH_S3_BUCKET: not an S3 bucket name": {"GLOWPATH_S3_BUCKET": "Clinic_Photos"},
        "GLOWPATH_S3_ENDPOINT_URL: expected scheme://host": {
            "GLOWPATH_S3_ENDPOINT_URL": "minio:9000"
        },
        "GLOWPATH_S3_ACCESS_KEY_ID is set but GLOWPATH_S3_SECRET_ACCESS_KEY is not": {
            "GLOWPATH_PHOTO_STORE": "s3",
            "GLOWPATH_S3_BUCKET": "clinic-photos",
            "GLOWPATH_S3_ACCESS_KEY_ID": "glowpath",
        },
        "GLOWPATH_PHOTO_DIR applies to the local store only": {
            "GLOWPATH_PHOTO_STORE": "s3",
            "GLOWPATH_S3_BUCKET": "clinic-photos",
            "GLOWPATH_PHOTO_DIR": str(tmp_path),
        },
        "GLOWPATH_S3_KEY_PREFIX: expected up to 8 parts": {"GLOWPATH_S3_KEY_PREFIX": "a/../b"},
    }
    for message, environ in refusals.items():
        with pytest.raises(SettingsError, match=message):
            Settings.from_env(environ)
