"""The settings that choose where photos are kept: `GLOWPATH_PHOTO_STORE` = `local` | `s3`, and
the `GLOWPATH_S3_*` settings of the S3-compatible store. Checked at start: a value of the wrong
shape, an S3 setting without `s3`, or `s3` without a bucket stops the program with a message
naming the variables."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from domain.photos.storage import PhotoStore

if TYPE_CHECKING:
    from server.settings import Settings

PHOTO_STORES = ("local", "s3")
S3_FIELDS = (
    "s3_endpoint_url",
    "s3_bucket",
    "s3_region",
    "s3_access_key_id",
    "s3_secret_access_key",
    "s3_key_prefix",
)
# S3's rules for bucket names (also MinIO's and Ceph's): 3-63 lower-case letters, digits, dots
# and hyphens, starting and ending with a letter or digit.
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]")
_ENDPOINT = re.compile(
    r"https?://[A-Za-z0-9.\-]+(:\d{1,5})?|https?://\[[0-9A-Fa-f:.]+\](:\d{1,5})?"
)
_REGION = re.compile(r"[a-z0-9\-]{1,32}")
_PREFIX_PART = re.compile(r"[A-Za-z0-9_\-]{1,64}")

log = logging.getLogger(__name__)


def parse_photo_store(text: str) -> str:
    if text.lower() not in PHOTO_STORES:
        raise ValueError(f"expected one of {', '.join(PHOTO_STORES)}, got {text!r}")
    return text.lower()


def parse_endpoint_url(text: str) -> str:
    url = text.rstrip("/")
    if not _ENDPOINT.fullmatch(url):
        raise ValueError(
            f"expected scheme://host[:port] with no path, e.g. 'https://minio.internal:9000', "
            f"got {text!r}"
        )
    return url


def parse_bucket(text: str) -> str:
    if not _BUCKET.fullmatch(text) or ".." in text:
        raise ValueError(
            f"not an S3 bucket name: {text!r} (3 to 63 lower-case letters, digits, dots and "
            "hyphens, starting and ending with a letter or digit)"
        )
    return text


def parse_region(text: str) -> str:
    if not _REGION.fullmatch(text):
        raise ValueError(f"expected a region name such as 'eu-central-1', got {text!r}")
    return text


def parse_key_prefix(text: str) -> str:
    """`clinic-a/photos/` -> `clinic-a/photos`: parts of letters, digits, `_` and `-` only."""
    parts = text.strip("/").split("/")
    if len(parts) > 8 or not all(_PREFIX_PART.fullmatch(part) for part in parts):
        raise ValueError(
            f"expected up to 8 parts of letters, digits, '_' and '-' joined by '/', got {text!r}"
        )
    return "/".join(parts)


def parse_access_key_id(text: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_\-.]{3,128}", text):
        raise ValueError("expected an access key id of 3 to 128 letters and digits")
    return text


PARSERS: dict[str, Callable[[str], Any]] = {
    "photo_store": parse_photo_store,
    "s3_endpoint_url": parse_endpoint_url,
    "s3_bucket": parse_bucket,
    "s3_region": parse_region,
    "s3_access_key_id": parse_access_key_id,
    "s3_secret_access_key": str,
    "s3_key_prefix": parse_key_prefix,
}


def photo_store_problem(values: Mapping[str, Any]) -> str | None:
    """Why these settings cannot choose a store, naming the variables; None when they can."""
    from server.settings import env_name

    given = [name for name in S3_FIELDS if values.get(name)]
    if values.get("photo_store", "local") != "s3":
        if given:
            return (
                f"{', '.join(map(env_name, given))} apply to the S3 store only, and "
                f"{env_name('photo_store')} is not s3"
            )
        return None
    if not values.get("s3_bucket"):
        return f"{env_name('photo_store')}=s3 needs {env_name('s3_bucket')}"
    key_id, secret = env_name("s3_access_key_id"), env_name("s3_secret_access_key")
    if bool(values.get("s3_access_key_id")) != bool(values.get("s3_secret_access_key")):
        given_one, missing = (
            (key_id, secret) if values.get("s3_access_key_id") else (secret, key_id)
        )
        return f"{given_one} is set but {missing} is not: the S3 store needs both (or neither)"
    if values.get("photo_dir"):
        return f"{env_name('photo_dir')} applies to the local store only, and photos go to S3"
    return None


def build_photo_store(settings: Settings) -> PhotoStore:
    """The store the settings choose: the local directory, or the S3 bucket."""
    if settings.photo_store != "s3":
        from server.photo_store import LocalPhotoStore

        return LocalPhotoStore(settings.photo_directory)
    from server.s3_photo_store import S3Location, S3PhotoStore

    endpoint = settings.s3_endpoint_url
    if endpoint.startswith("http://") and settings.s3_access_key_id:
        log.warning("the S3 endpoint %s is plain HTTP: use it on a private network only", endpoint)
    location = S3Location(
        bucket=settings.s3_bucket,
        endpoint_url=endpoint,
        region=settings.s3_region,
        access_key_id=settings.s3_access_key_id,
        secret_access_key=settings.s3_secret_access_key,
        key_prefix=settings.s3_key_prefix,
    )
    return S3PhotoStore(location, max_bytes=settings.photo_max_bytes)
