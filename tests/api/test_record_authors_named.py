"""Who completed a check, published a procedure type or set a catalogue item is named by the name
colleagues see (`completedByStaff`, `publishedByStaff`), beside the raw account ids the SPA had
only. The rest of such fields are held to it by `tests/unit/test_staff_named.py`."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from domain.roles import Role
from tests.api.contraindication_support import FILLER
from tests.api.flow import JourneyDriver, new_key
from tests.api.procedure_support import COMPLETE_ITEM, approved_for_a_type, run
from tests.api.test_staff_names import NAME, _named

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
CHECKLIST = f"""
query J($id: ID!) {{ journey(id: $id) {{ ... on Journey {{
  checklist {{ code completedBy completedByStaff {{ {NAME} }} }}
  procedureType {{ publishedBy publishedByStaff {{ {NAME} }} }}
}} }} }}
"""
SET_ITEM = f"""
mutation S($input: SetCatalogItemInput!) {{ setCatalogItem(input: $input) {{
  __typename ... on CatalogItemPayload {{ item {{ publishedBy publishedByStaff {{ {NAME} }} }} }}
}} }}
"""


async def test_a_check_and_its_procedure_type_name_who_completed_and_published_them(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a journey on a type a supervisor published, one of its checks completed by a nurse
    clinic = await fresh_clinic()
    jid, _ = await approved_for_a_type(clinic, f"filler-{uuid.uuid4().hex[:6]}")
    item = {"journeyId": jid, "itemCode": "identity_verified", "idempotencyKey": new_key()}
    done = await run(clinic, COMPLETE_ITEM, Role.NURSE, input=item)
    assert done["__typename"] == "ChecklistItemPayload", done
    # When the journey is read
    journey = await run(clinic, CHECKLIST, Role.NURSE, id=jid)
    # Then the check names the nurse, an open one nobody, and the type its supervisor
    states = {state["code"]: state for state in journey["checklist"]}
    assert states["identity_verified"]["completedByStaff"] == _named(clinic, Role.NURSE)
    assert states["plan_verified"]["completedByStaff"] is None
    published = journey["procedureType"]["publishedByStaff"]
    assert published == _named(clinic, Role.SUPERVISOR)


async def test_a_catalogue_item_names_who_set_it(fresh_clinic: FreshClinic) -> None:
    # When a supervisor sets a catalogue item
    clinic = await fresh_clinic()
    input = {**FILLER, "name": f"Filler {uuid.uuid4().hex[:6]}", "idempotencyKey": new_key()}
    result = await run(clinic, SET_ITEM, Role.SUPERVISOR, input=input)
    # Then the item names them
    assert result["__typename"] == "CatalogItemPayload", result
    assert result["item"]["publishedByStaff"] == _named(clinic, Role.SUPERVISOR)
