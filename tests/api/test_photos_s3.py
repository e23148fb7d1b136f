"""Photos kept in an S3-compatible store chosen by the settings: an upload lands in the bucket
under the key prefix, its link serves the very bytes, bytes changed in the bucket are never
served, and /readyz reports the store."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator, Iterator

import aiohttp
import pytest
from temporalio.testing import WorkflowEnvironment

from domain.roles import Role
from schema.ids import decode_id
from tests.api.conftest import TASK_QUEUE, api_settings
from tests.api.flow import JourneyDriver, end_journey
from tests.api.harness import Api, create_clinic, running_api, sign_in_all
from tests.api.photo_support import fetch, link, new_key, png, set_consent, upload
from tests.s3_support import S3Server, running_s3_server

PREFIX = "clinic-test/photos"


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    with running_s3_server() as server:
        yield server


@pytest.fixture
async def s3_api(
    api: Api, database: str, temporal_env: WorkflowEnvironment, temporal_address: str, s3: S3Server
) -> AsyncIterator[tuple[Api, str]]:
    """A second API on the session's task queue (its worker runs under `api`) whose settings
    choose the S3 store, and the bucket it uses."""
    bucket = s3.new_bucket()
    settings = dataclasses.replace(
        api_settings(database, temporal_address, TASK_QUEUE),
        photo_dir=None,
        photo_store="s3",
        s3_endpoint_url=s3.endpoint_url,
        s3_bucket=bucket,
        s3_region="eu-central-1",
        s3_access_key_id=s3.access_key_id,
        s3_secret_access_key=s3.secret_access_key,
        s3_key_prefix=PREFIX,
    )
    async with running_api(settings, temporal_env.client) as running:
        yield running, bucket


async def test_an_upload_goes_to_the_bucket_and_its_link_serves_the_same_bytes(
    s3_api: tuple[Api, str], s3: S3Server
) -> None:
    # Given a clinic on the API whose photos go to S3, and a client with a journey
    api, bucket = s3_api
    tag = uuid.uuid4().hex[:8]
    await create_clinic(f"clinic-{tag}", prefix=f"{tag}-")
    clinic = JourneyDriver(api, await sign_in_all(api, prefix=f"{tag}-"))
    client = await clinic.register_client()
    journey = await clinic.start(client)
    image = png(b"in the bucket")
    # When the nurse uploads a photo and the client consents to the clinical record
    tags = {"clientId": client, "journeyId": journey["id"], "idempotencyKey": new_key()}
    uploaded = await upload(clinic, Role.NURSE, image, **tags)
    assert uploaded["__typename"] == "PhotoPayload", uploaded
    raw_id = decode_id(uploaded["photo"]["id"], "Photo")
    await set_consent(clinic, client, "CLINICAL_RECORD", True)
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
    async with aiohttp.ClientSession() as session:
        async with session.get(api.url.removesuffix("/graphql") + "/readyz") as answer:
            checks = (await answer.json())["checks"]
    assert answer.status == 200 and checks["photo_store"]["status"] == "ok"
    await end_journey(clinic, journey["id"])
