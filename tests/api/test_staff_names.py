"""The screens show who did what by the name colleagues see, not by a raw account id: the
witness of a consent, who took a photo, who recorded a photo purpose or a disclosure of the file,
and whose list a task is on. Each is a `StaffMember`, read with the request's others at once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from domain.roles import Role
from tests.api import documents, photo_support
from tests.api import test_file_disclosures as disclosures
from tests.api import test_sharing_consent as sharing
from tests.api.flow import JourneyDriver, new_key
from tests.images import png

NAME = "id displayName role"
FILE = f"""
query File($id: ID!) {{
  client(id: $id) {{ ... on Client {{
    consents {{ witnessId witness {{ {NAME} }} }}
    photos {{ ... on PhotoConnection {{ edges {{ node {{ takenById takenBy {{ {NAME} }} }} }} }} }}
    photoConsents {{ changes {{ recordedById recordedBy {{ {NAME} }} }} }}
  }} }}
  fileDisclosures(clientId: $id) {{
    ... on FileDisclosureConnection {{
      edges {{ node {{ recordedById recordedBy {{ {NAME} }} }} }}
    }}
  }}
}}
"""
TASKS = f"""
query {{ myTasks(first: 100) {{ ... on FollowUpTaskConnection {{ edges {{ node {{
  kind assigneeId assignee {{ {NAME} }}
}} }} }} }} }}
"""
CLOSE_NOT_CONVERTED = documents.action("closeNotConverted", "CloseJourneyInput")


def _named(driver: JourneyDriver, role: Role) -> dict[str, str]:
    staff = driver.staff[role]
    return {"id": staff.global_id, "displayName": f"Test {role.value.title()}", "role": role.value}


async def test_the_client_file_names_who_witnessed_took_and_recorded(
    fresh_clinic: Callable[[], Awaitable[JourneyDriver]],
) -> None:
    # Given a client whose DATA_SHARING consent a nurse witnessed, a disclosure a supervisor
    # recorded, a photo purpose the front desk recorded and a photo a nurse took
    clinic, client_id, tags = await photo_support.consenting_client(fresh_clinic)
    signing = sharing._signing(client_id, await sharing._template(clinic))
    signed = await sharing._run(clinic, sharing.SIGN, Role.NURSE, **signing)
    assert signed["__typename"] == "SharingConsentPayload", signed
    made = await disclosures._record(clinic, Role.SUPERVISOR, disclosures._disclosure(client_id))
    assert made["__typename"] == "FileDisclosurePayload", made
    photo = await photo_support.upload(clinic, Role.NURSE, png(), idempotencyKey=new_key(), **tags)
    assert photo["__typename"] == "PhotoPayload", photo
    # When a supervisor opens her file
    data = await clinic.api.run(FILE, clinic.token(Role.SUPERVISOR), id=client_id)
    # Then each names its member of staff, as the raw id does
    file = data["client"]
    (consent,) = file["consents"]
    assert consent["witness"] == _named(clinic, Role.NURSE)
    (edge,) = file["photos"]["edges"]
    assert edge["node"]["takenBy"] == _named(clinic, Role.NURSE)
    (change,) = file["photoConsents"]["changes"]
    assert change["recordedBy"] == _named(clinic, Role.FRONT_DESK)
    (disclosure,) = data["fileDisclosures"]["edges"]
    assert disclosure["node"]["recordedBy"] == _named(clinic, Role.SUPERVISOR)
    named = [
        (consent["witnessId"], Role.NURSE),
        (edge["node"]["takenById"], Role.NURSE),
        (change["recordedById"], Role.FRONT_DESK),
        (disclosure["node"]["recordedById"], Role.SUPERVISOR),
    ]
    assert all(raw == clinic.staff[role].account_id for raw, role in named)


async def test_a_task_names_the_member_of_staff_it_is_assigned_to(
    fresh_clinic: Callable[[], Awaitable[JourneyDriver]],
) -> None:
    # Given a consultation that did not convert: an invitation on its consultant's list
    driver = await fresh_clinic()
    journey = await driver.drive_to("CONSULTATION")
    await driver.consult(journey["id"])
    closed = await driver.act(
        CLOSE_NOT_CONVERTED, Role.CONSULTANT, journeyId=journey["id"], reason="thinking it over"
    )
    assert closed["__typename"] == "JourneyPayload", closed
    # When the consultant reads her list
    data = await driver.api.run(TASKS, driver.token(Role.CONSULTANT))
    # Then the invitation names her, by the name colleagues see
    (task,) = [e["node"] for e in data["myTasks"]["edges"] if e["node"]["kind"] == "INVITATION"]
    assert task["assigneeId"] == driver.staff[Role.CONSULTANT].account_id
    assert task["assignee"] == _named(driver, Role.CONSULTANT)
