"""Photos kept in an S3-compatible store chosen by the settings: an upload lands in the bucket
under the key prefix, its link serves the very bytes, bytes changed in the bucket are never
served, and /readyz reports the store."""

from __future__ import annotations

import contextlib
import dataclasses
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager
from typing import Any

import aiohttp
import pytest
from temporalio.testing import WorkflowEnvironment

from domain.roles import Role
from domain.store.photos import Photo
from schema.ids import decode_id
from tests.api.audit_support import raw_client
from tests.api.conftest import TASK_QUEUE, api_settings
from tests.api.flow import JourneyDriver, end_journey
from tests.api.harness import Api, create_clinic, running_api, sign_in_all
from tests.api.photo_support import (
    UPLOAD,
    fetch,
    link,
    new_key,
    png,
    post_multipart,
    set_consent,
    upload,
)
from tests.s3_support import S3Server, running_s3_server

PREFIX = "clinic-test/photos"
PREFLIGHT = {"GraphQL-Require-Preflight": "1"}


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    with running_s3_server() as server:
        yield server


S3Api = Callable[..., AbstractAsyncContextManager[tuple[Api, str]]]


@pytest.fixture
def s3_api(
    api: Api, database: str, temporal_env: WorkflowEnvironment, temporal_address: str, s3: S3Server
) -> S3Api:
    """Starts a second API on the session's task queue (its worker runs under `api`) whose
    settings choose the S3 store, in a new bucket; `overrides` change its S3 settings."""

    @contextlib.asynccontextmanager
    async def start(**overrides: str) -> AsyncIterator[tuple[Api, str]]:
        bucket = s3.new_bucket()
        chosen: dict[str, Any] = {
            "photo_dir": None,
            "photo_store": "s3",
            "s3_endpoint_url": s3.endpoint_url,
            "s3_bucket": bucket,
            "s3_region": "eu-central-1",
            "s3_access_key_id": s3.access_key_id,
            "s3_secret_access_key": s3.secret_access_key,
            "s3_key_prefix": PREFIX,
            **overrides,
        }
        settings = dataclasses.replace(
            api_settings(database, temporal_address, TASK_QUEUE), **chosen
        )
        async with running_api(settings, temporal_env.client) as running:
            yield running, bucket

    return start


async def new_clinic(api: Api) -> JourneyDriver:
    tag = uuid.uuid4().hex[:8]
    await create_clinic(f"clinic-{tag}", prefix=f"{tag}-")
    return JourneyDriver(api, await sign_in_all(api, prefix=f"{tag}-"))


async def readiness(api: Api) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as session:
        async with session.get(api.url.removesuffix("/graphql") + "/readyz") as answer:
            return answer.status, (await answer.json())["checks"]


async def test_photos_go_to_the_bucket_and_a_store_refusing_the_key_stores_and_serves_nothing(
    s3_api: S3Api, s3: S3Server
) -> None:
    async with s3_api() as (api, bucket):
        link_path = await upload_and_fetch(api, bucket, s3)
    # Given an API whose S3 key is wrong
    async with s3_api(s3_secret_access_key="not-the-secret") as (api, bucket):
        clinic = await new_clinic(api)
        client = await clinic.register_client()
        journey = await clinic.start(client)
        # Then it is not ready, and an upload (the client consenting) is the masked error with
        # nothing stored
        status, checks = await readiness(api)
        assert (status, checks["photo_store"]["status"]) == (503, "error")
        await set_consent(clinic, client, "CLINICAL_RECORD", True)
        tags = {"clientId": client, "journeyId": journey["id"], "idempotencyKey": new_key()}
        variables = {"input": {"stage": "BEFORE", "bodyArea": "chin", **tags, "file": None}}
        headers = {"Authorization": f"Bearer {clinic.token(Role.NURSE)}", **PREFLIGHT}
        status, body = await post_multipart(api.url, UPLOAD, variables, png(), headers=headers)
        assert status == 200 and [e["message"] for e in body["errors"]] == ["Unexpected error."]
        assert "not-the-secret" not in str(body)
        assert await Photo.filter(client_id=raw_client(client)).count() == 0
        # And a valid link to a photo answers 503, not the store's reason
        status, answer, _ = await fetch(clinic, link_path)
        assert status == 503 and b"not available" in answer and b"S3" not in answer
        await end_journey(clinic, journey["id"])


async def upload_and_fetch(api: Api, bucket: str, s3: S3Server) -> str:
    """Uploads and fetches a photo through `api`; the path of a clinical link to it."""
    # Given a clinic on the API whose photos go to S3, and a client with a journey
    clinic = await new_clinic(api)
    client = await clinic.register_client()
    journey = await clinic.start(client)
    image = png(b"in the bucket")
    # When the client consents to the clinical record and the nurse uploads a photo
    await set_consent(clinic, client, "CLINICAL_RECORD", True)
    tags = {"clientId": client, "journeyId": journey["id"], "idempotencyKey": new_key()}
    uploaded = await upload(clinic, Role.NURSE, image, **tags)
    assert uploaded["__typename"] == "PhotoPayload", uploaded
    raw_id = decode_id(uploaded["photo"]["id"], "Photo")
    # Then the bytes are one object under the prefix, and the expert's link serves them
    stored = s3.client().get_object(Bucket=bucket, Key=f"{PREFIX}/{raw_id}")  # type: ignore[attr-defined]
    assert stored["Body"].read() == image
    clinical = await link(clinic, Role.EXPERT, client, "CLINICAL_RECORD")
    assert clinical["__typename"] == "PhotoLink", clinical
    assert await fetch(clinic, clinical["url"]) == (200, image, "image/png")
    # And bytes changed in the bucket behind the API's back are never served as the photo
    s3.client().put_object(  # type: ignore[attr-defined]
        Bucket=bucket, Key=f"{PREFIX}/{raw_id}", Body=png(b"swapped")
    )
    assert (await fetch(clinic, clinical["url"]))[0] == 404
    # And readiness reports the store
    status, checks = await readiness(api)
    assert (status, checks["photo_store"]["status"]) == (200, "ok")
    await end_journey(clinic, journey["id"])
    return str(clinical["url"])
