"""Photos in an S3-compatible object store (AWS S3, MinIO, Ceph RGW, ...): one object per photo.

The same keys as on the local disk (photo ids), under an optional prefix. A PUT is atomic in S3
(a reader sees the whole object or none), carries the MD5 and SHA-256 of the bytes so the
service refuses what arrived damaged, and a retried upload of the same bytes overwrites them
with themselves. The only delete is `discard`, for an upload whose row could not be written,
and it removes only what this upload wrote: in a versioned bucket the exact version it created,
so a concurrent retry's copy stays. Reads are checked against the photo's recorded SHA-256 above
the store (`server.photo_route`), so bytes changed in the bucket are never served.

boto3 is synchronous: each call runs in a worker thread (`asyncio.to_thread`) on the one client
of the store (boto3 clients are thread-safe), with bounded timeouts and retries.
"""

from __future__ import annotations

import asyncio
import base64
import contextvars
import hashlib
import re
from dataclasses import dataclass
from typing import Any

from domain.photos.storage import PhotoStoreError

try:  # the optional `s3` extra
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:  # pragma: no cover - the message below says what to install
    boto3 = None

CONNECT_TIMEOUT_SECONDS = 5
READ_TIMEOUT_SECONDS = 20
MAX_ATTEMPTS = 3  # the first call and two retries, with botocore's backoff
DEFAULT_REGION = "us-east-1"
_KEY = re.compile(r"[A-Za-z0-9_\-]{1,128}")
# Codes that mean the credentials (or their rights) are wrong, not that the service is down.
_REFUSED = {"InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "403", "Forbidden"}
_MISSING = {"NoSuchKey", "404", "NotFound"}


@dataclass(frozen=True)
class S3Location:
    """Where and as whom: the settings of `GLOWPATH_S3_*`."""

    bucket: str
    endpoint_url: str = ""  # "": AWS S3 of the region
    region: str = ""
    access_key_id: str = ""  # "" (both): boto3's own chain (instance role, web identity)
    secret_access_key: str = ""
    key_prefix: str = ""


# What this task's `put` wrote: (key, version id). `discard` runs in the same task when the
# photo's row fails, and deletes that version only; other tasks never see it.
_WRITTEN: contextvars.ContextVar[tuple[str, str | None] | None] = contextvars.ContextVar(
    "s3_photo_written", default=None
)


def _explain(exc: Exception, location: S3Location, doing: str) -> PhotoStoreError:
    """A message for the operator: what failed and which setting to look at, no secret."""
    if isinstance(exc, ClientError):
        code = str(exc.response.get("Error", {}).get("Code", "unknown"))
        if code in _REFUSED:
            return PhotoStoreError(
                f"the S3 store refused to {doing} ({code}): check GLOWPATH_S3_ACCESS_KEY_ID, "
                f"GLOWPATH_S3_SECRET_ACCESS_KEY and their rights on bucket {location.bucket!r}"
            )
        if code in {"NoSuchBucket", *_MISSING}:
            return PhotoStoreError(
                f"the S3 store has no bucket {location.bucket!r} ({code}): create it or check "
                "GLOWPATH_S3_BUCKET and GLOWPATH_S3_ENDPOINT_URL"
            )
        return PhotoStoreError(f"the S3 store could not {doing} ({code})")
    where = location.endpoint_url or "AWS S3"
    return PhotoStoreError(f"cannot {doing} at {where}: {type(exc).__name__}")


class S3PhotoStore:
    def __init__(self, location: S3Location, *, max_bytes: int) -> None:
        if boto3 is None:
            raise PhotoStoreError(
                "GLOWPATH_PHOTO_STORE=s3 needs boto3: install the `s3` extra (glowpath[s3])"
            )
        self.location = location
        self.max_bytes = max_bytes  # a larger object is not a photo this API stored
        config = Config(
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            read_timeout=READ_TIMEOUT_SECONDS,
            retries={"max_attempts": MAX_ATTEMPTS, "mode": "standard"},
            signature_version="s3v4",
            # Path-style URLs: MinIO and Ceph serve buckets under the endpoint's path.
            s3={"addressing_style": "path" if location.endpoint_url else "auto"},
            # The checksums are set on each PUT below; no default trailer that some
            # S3-compatible services reject.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        )
        credentials = (
            {
                "aws_access_key_id": location.access_key_id,
                "aws_secret_access_key": location.secret_access_key,
            }
            if location.access_key_id
            else {}
        )
        session = boto3.session.Session(**credentials)
        self._client: Any = session.client(
            "s3",
            endpoint_url=location.endpoint_url or None,
            region_name=location.region or DEFAULT_REGION,
            config=config,
        )

    def _object(self, key: str) -> str:
        if not _KEY.fullmatch(key):  # keys are photo ids: never a name of the caller's choice
            raise ValueError(f"not a photo key: {key!r}")
        prefix = self.location.key_prefix
        return f"{prefix}/{key}" if prefix else key

    async def _call(self, doing: str, operation: str, **arguments: Any) -> Any:
        method = getattr(self._client, operation)
        try:
            return await asyncio.to_thread(method, Bucket=self.location.bucket, **arguments)
        except (ClientError, BotoCoreError) as exc:
            raise _explain(exc, self.location, doing) from None

    async def put(self, key: str, data: bytes) -> None:
        answer = await self._call(
            "store a photo",
            "put_object",
            Key=self._object(key),
            Body=data,
            # MD5: the integrity header every S3-compatible service checks; SHA-256: AWS's.
            ContentMD5=base64.b64encode(hashlib.md5(data).digest()).decode(),
            # Given as a header (never a chunked trailer, which some S3-compatibles refuse).
            ChecksumAlgorithm="SHA256",
            ChecksumSHA256=base64.b64encode(hashlib.sha256(data).digest()).decode(),
            ContentType="application/octet-stream",  # served with the row's type, never this
        )
        _WRITTEN.set((key, answer.get("VersionId")))

    def _read(self, key: str) -> bytes | None:
        try:
            answer = self._client.get_object(Bucket=self.location.bucket, Key=self._object(key))
        except ClientError as exc:
            if str(exc.response.get("Error", {}).get("Code")) in _MISSING:
                return None
            raise
        body = answer["Body"]
        try:
            if int(answer.get("ContentLength", 0)) > self.max_bytes:
                return None  # never loaded whole: the hash check above would refuse it anyway
            data: bytes = body.read(self.max_bytes + 1)
            return data
        finally:
            body.close()

    async def get(self, key: str) -> bytes | None:
        try:
            return await asyncio.to_thread(self._read, key)
        except (ClientError, BotoCoreError) as exc:
            raise _explain(exc, self.location, "read a photo") from None

    async def discard(self, key: str) -> None:
        written = _WRITTEN.get()
        version = written[1] if written is not None and written[0] == key else None
        extra = {"VersionId": version} if version and version != "null" else {}
        await self._call("discard a failed upload", "delete_object", Key=self._object(key), **extra)
        _WRITTEN.set(None)

    async def check(self) -> None:
        await self._call("open the bucket", "head_bucket")
