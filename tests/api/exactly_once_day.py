"""The clinic's day of the canary (`tests.api.canary_visits`), every request that writes sent
through the exactly-once sweep; and the mutations that day does not send that way."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from temporalio.client import Client
from temporalio.service import RPCError

from domain.roles import Role
from domain.store.triage_models import TriageBoard as BoardRow
from tests.api.canary_visits import Visit
from tests.api.documents import LOGIN
from tests.api.exactly_once import Sweep, id_selection
from tests.api.exactly_once_rows import WITHOUT_KEY
from tests.api.harness import eventually
from tests.api.photo_support import png, post_multipart
from workflows.triage import desk_workflow_id
from workflows.triage_client import TriageGateway

# What the day expects of a request that is refused: such a request is sent once, as it is.
REFUSALS = frozenset({"NotAuthorized", "ValidationFailed", "ContraindicationFound"})


@dataclass
class SweptVisit(Visit):
    """A canary visit whose every writing request is sent as the sweep sends it."""

    sweep: Sweep = field(default_factory=Sweep)

    @classmethod
    def of(cls, visit: Visit) -> SweptVisit:
        given = {f.name: getattr(visit, f.name) for f in dataclasses.fields(visit)}
        return cls(**given, sweep=Sweep(clinics={visit.clinic}))

    async def call(
        self, role: Role | None, mutation: str, expect: str, select: str = "", **given: Any
    ) -> dict[str, Any]:
        if expect in REFUSALS or mutation in WITHOUT_KEY:
            return await super().call(role, mutation, expect, select, **given)
        assert role is not None, mutation
        if mutation == "createClinic":  # the new clinic's rows are the request's
            self.sweep.clinics.add(given["clinicId"])
        input = self.canary.fill(mutation, given)
        result = await self.swept(role, mutation, input, select)
        assert result["__typename"] == expect, (mutation, result)
        return result

    async def swept(
        self,
        role: Role,
        mutation: str,
        input: dict[str, Any],
        select: str = "",
        token: str | None = None,
    ) -> dict[str, Any]:
        """`mutation` as `role` (with `token`, else the role's own) through the sweep."""
        document = self.canary.document(
            mutation, f"{select} {id_selection(self.canary.schema, mutation, role)}"
        )
        bearer = token or self.token(role)

        async def send(attempt: dict[str, Any]) -> dict[str, Any]:
            data = await self.api.run(document, bearer, input=attempt)
            return data[mutation]  # type: ignore[no-any-return]

        return await self.sweep.check(mutation, send, input)


PASSWORD = "Correct horse battery 9"
# Seconds the desk's read model may take to catch up with the desk (it follows each answer).
DESK_CATCHES_UP = 30


def desk_settled(visit: Visit, temporal: Client, task_queue: str) -> Callable[[], Awaitable[None]]:
    """Waits until the desk's last record is written: the clinic's board in the read model is
    the desk as its workflow holds it, and no record's activity (which then hands journeys
    over) is still running."""
    gateway = TriageGateway(temporal, task_queue)
    handle = temporal.get_workflow_handle(desk_workflow_id(visit.clinic))

    async def behind() -> tuple[int, int, int]:
        try:
            desk = await gateway.desk(visit.clinic)
            running = len((await handle.describe()).raw_description.pending_activities)
        except RPCError:
            return (0, 0, 0)  # no desk yet: nothing to wait for
        board = await BoardRow.get_or_none(clinic_id=visit.clinic)
        return (desk.seq, board.version if board else -1, running)

    async def settle() -> None:
        await eventually(
            behind,
            lambda seen: seen[0] == seen[1] and not seen[2],
            timeout=DESK_CATCHES_UP,
            what="the desk's records written",
        )

    return settle


async def sign_in(visit: SweptVisit, username: str, password: str) -> str:
    data = await visit.api.run(LOGIN, input={"username": username, "password": password})
    assert data["login"]["__typename"] == "LoginPayload", data
    return str(data["login"]["token"])


async def the_rest_of_the_day(visit: SweptVisit) -> None:
    """The mutations the canary's day sends by hand, or not at all, each through the sweep."""
    journey = await visit.start()
    assign = {"journeyId": journey, "consultantId": visit.consultants[0]}
    await visit.swept(Role.FRONT_DESK, "assignConsultant", assign)
    client = await visit.client()
    await visit.swept(Role.SUPERVISOR, "exportClientFile", {"clientId": client})
    sla = {"stage": "CONSULTATION", "seconds": 3600}
    await visit.swept(Role.SUPERVISOR, "setStageSla", sla)
    await _an_account_from_creation_to_sign_out(visit)
    await _a_photo(visit)


async def _an_account_from_creation_to_sign_out(visit: SweptVisit) -> None:
    username = f"{visit.clinic}-swept-{uuid.uuid4().hex[:6]}"
    temporary = f"Temporary {uuid.uuid4().hex}"
    account = {
        "clinicId": visit.clinic,
        "username": username,
        "displayName": "Swept Nurse",
        "role": Role.NURSE.value,
        "temporaryPassword": temporary,
    }
    created = await visit.swept(Role.ADMIN, "createStaffAccount", account)
    assert created["__typename"] == "StaffAccountPayload", created
    token = await sign_in(visit, username, temporary)
    change = {"currentPassword": temporary, "newPassword": PASSWORD}
    changed = await visit.swept(Role.NURSE, "changePassword", change, token=token)
    assert changed["__typename"] == "ChangePasswordPayload", changed
    token = await sign_in(visit, username, PASSWORD)
    out = await visit.swept(Role.NURSE, "logout", {"everywhere": False}, token=token)
    assert out["__typename"] == "LogoutPayload", out


async def _a_photo(visit: SweptVisit) -> None:
    client = await visit.client()
    journey = await visit.start(client=client)
    consent = {"clientId": client, "purpose": "CLINICAL_RECORD", "given": True}
    await visit.swept(Role.FRONT_DESK, "setPhotoConsent", consent)
    mutation = "uploadPhoto"
    document = visit.canary.document(
        mutation, id_selection(visit.canary.schema, mutation, Role.NURSE)
    )
    headers = {
        "Authorization": f"Bearer {visit.token(Role.NURSE)}",
        "GraphQL-Require-Preflight": "1",
    }
    picture = png(uuid.uuid4().bytes)

    async def send(attempt: dict[str, Any]) -> dict[str, Any]:
        status, body = await post_multipart(
            visit.api.url, document, {"input": attempt}, picture, headers=headers
        )
        assert status == 200, body
        return body["data"][mutation]  # type: ignore[no-any-return]

    tags = {"clientId": client, "journeyId": journey, "stage": "BEFORE", "bodyArea": "chin"}
    uploaded = await visit.sweep.check(mutation, send, {**tags, "file": None})
    assert uploaded["__typename"] == "PhotoPayload", uploaded
