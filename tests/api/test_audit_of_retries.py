"""A retried write answers what its first attempt wrote: the client's data leaves again, and
the retry leaves its audit entry as the first attempt did (under the mutation's name)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from domain.roles import Role
from tests.api.audit_support import (
    clinic_of,
    entries_of_request,
    new_request_id,
    raw_client,
    run_traced,
    seen,
)
from tests.api.client_file_support import (
    ALLERGY,
    AMEND_CLIENT_ENTRY,
    MARK_ENTERED_IN_ERROR,
    RECORD_ALLERGY,
    new_key,
)
from tests.api.flow import JourneyDriver
from tests.api.harness import Api
from tests.api.photo_support import SET_CONSENT, UPLOAD, consenting_client, png, post_multipart

FreshClinic = Callable[[], Awaitable[JourneyDriver]]

AMEND_RECORD = """
mutation Amend($input: AmendRecordInput!) {
  amendRecord(input: $input) {
    __typename
    ... on AmendmentPayload { amendment { id reason correction } }
    ... on UserError { code message }
  }
}
"""


async def _twice(
    api: Api, document: str, token: str, **input: Any
) -> tuple[dict[str, Any], dict[str, Any], str, str]:
    """The mutation sent, then sent again with its key: both answers and both request ids."""
    first_request, retry_request = new_request_id(), new_request_id()
    keyed = {**input, "idempotencyKey": new_key()}
    (first,) = (await run_traced(api, document, token, first_request, input=keyed)).values()
    (again,) = (await run_traced(api, document, token, retry_request, input=keyed)).values()
    return first, again, first_request, retry_request


async def test_a_retried_client_file_entry_is_recorded_again(
    api: Api, fresh_clinic: FreshClinic
) -> None:
    # Given a client of a clinic
    clinic = await fresh_clinic()
    clinic_id = await clinic_of(clinic)
    client = await clinic.register_client()
    raw = raw_client(client)
    nurse = clinic.token(Role.NURSE)

    # When a nurse records an allergy, and retries it with the same key
    first, again, _, retry = await _twice(api, RECORD_ALLERGY, nurse, clientId=client, **ALLERGY)
    # Then the retry answers the allergy as written, and its reading of it is in the trail
    assert again == first and again["entry"]["substance"] == "lidocaine"
    assert await entries_of_request(retry) == seen(
        clinic, Role.NURSE, clinic_id, retry, (raw, "recordAllergy")
    )

    # And so for a correction of it and for a mark of it entered in error
    entry = first["entry"]["id"]
    correction = {"entryId": entry, "reason": "typo", "allergy": {**ALLERGY, "severity": "MILD"}}
    first, again, _, retry = await _twice(api, AMEND_CLIENT_ENTRY, nurse, **correction)
    assert again == first and again["entry"]["severity"] == "MILD"
    assert await entries_of_request(retry) == seen(
        clinic, Role.NURSE, clinic_id, retry, (raw, "amendClientEntry")
    )
    mark = {"entryId": first["entry"]["id"], "reason": "another client's"}
    first, again, _, retry = await _twice(api, MARK_ENTERED_IN_ERROR, nurse, **mark)
    assert again == first and again["entry"]["substance"] == "lidocaine"
    assert await entries_of_request(retry) == seen(
        clinic, Role.NURSE, clinic_id, retry, (raw, "markEnteredInError")
    )


async def test_a_retried_amendment_of_a_record_is_recorded_again(
    api: Api, fresh_clinic: FreshClinic
) -> None:
    # Given a journey past its consultation
    clinic = await fresh_clinic()
    clinic_id = await clinic_of(clinic)
    client = await clinic.register_client()
    journey = await clinic.drive_to("EXPERT_REVIEW", await clinic.start(client))
    consulted = next(e for e in journey["history"] if e["action"] == "record_consultation")
    raw = raw_client(client)

    # When a supervisor corrects the consultation's record and retries with the same key
    amendment = {
        "journeyId": journey["id"],
        "seq": consulted["seq"],
        "reason": "the client said otherwise",
        "correction": {"goal": "fewer lines"},
    }
    supervisor = clinic.token(Role.SUPERVISOR)
    first, again, _, retry = await _twice(api, AMEND_RECORD, supervisor, **amendment)
    # Then the retry answers the correction, and the trail has it
    assert again == first and again["amendment"]["correction"] == {"goal": "fewer lines"}
    assert await entries_of_request(retry) == seen(
        clinic, Role.SUPERVISOR, clinic_id, retry, (raw, "amendRecord")
    )


async def test_retried_photo_writes_are_recorded_again(api: Api, fresh_clinic: FreshClinic) -> None:
    # Given a client who consents to clinical photos
    clinic, client, names = await consenting_client(fresh_clinic)
    clinic_id = await clinic_of(clinic)
    raw = raw_client(client)

    # When the desk records a consent to teaching and retries it with the same key
    consent = {"clientId": client, "purpose": "TEACHING", "given": True}
    desk = clinic.token(Role.FRONT_DESK)
    first, again, _, retry = await _twice(api, SET_CONSENT, desk, **consent)
    # Then the retry answers the client's consents, and the trail has it
    assert again == first and "TEACHING" in again["consents"]["inForce"]
    assert await entries_of_request(retry) == seen(
        clinic, Role.FRONT_DESK, clinic_id, retry, (raw, "setPhotoConsent")
    )

    # And a photo uploaded and sent again with its key
    variables = {"input": {"stage": "BEFORE", "bodyArea": "left cheek", **names, "file": None}}
    variables["input"]["idempotencyKey"] = new_key()
    answers, requests = [], [new_request_id(), new_request_id()]
    for request_id in requests:
        headers = {
            "Authorization": f"Bearer {clinic.token(Role.NURSE)}",
            "GraphQL-Require-Preflight": "1",
            "X-Request-Id": request_id,
        }
        status, body = await post_multipart(api.url, UPLOAD, variables, png(), headers=headers)
        assert status == 200, body
        answers.append(body["data"]["uploadPhoto"])
    assert answers[1] == answers[0] and answers[1]["photo"]["bodyArea"] == "left cheek"
    assert await entries_of_request(requests[1]) == seen(
        clinic, Role.NURSE, clinic_id, requests[1], (raw, "uploadPhoto")
    )
