"""A record names, beside its raw account id, the member of staff behind it (`author`, `actor`,
`consultant`, `witness`...), and only of the clinic asking: a row carrying another clinic's
account id (copied across, or written wrongly) names nobody, as an account that is gone, never
that clinic's colleague's name and role. So does the clinic's records custodian."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from domain.roles import Role
from domain.store.client_file import ClientEntry
from domain.store.disclosures import RecordsCustodianAppointment
from schema.ids import decode_id
from tests.api import client_file_support as files
from tests.api import test_file_disclosures as disclosures
from tests.api.audit_support import clinic_of
from tests.api.flow import JourneyDriver

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
AUTHORS = """
query Authors($id: ID!) {
  client(id: $id) {
    ... on Client {
      allergies { ... on AllergyEntryConnection { edges { node { authorId author { id } } } } }
    }
  }
}
"""


async def test_a_row_naming_another_clinics_account_names_nobody(
    driver: JourneyDriver, fresh_clinic: FreshClinic
) -> None:
    # Given an allergy a nurse recorded, and one like it naming another clinic's nurse
    elsewhere = (await fresh_clinic()).staff[Role.NURSE]
    client = await driver.register_client()
    entry = await files.entry(
        driver, files.RECORD_ALLERGY, Role.NURSE, clientId=client, **files.ALLERGY
    )
    row = await ClientEntry.get(id=decode_id(entry["id"], "ClientEntry"))
    kept = {k: v for k, v in dict(row).items() if k not in ("id", "client")}
    await ClientEntry.create(**{**kept, "id": str(uuid.uuid4()), "author_id": elsewhere.account_id})
    # When an expert reads her allergies
    data = await driver.api.run(AUTHORS, driver.token(Role.EXPERT), id=client)
    nodes = [edge["node"] for edge in data["client"]["allergies"]["edges"]]
    # Then the nurse of this clinic is named, the other clinic's nurse is not
    ours = driver.staff[Role.NURSE]
    assert len(nodes) == 2
    assert {n["authorId"]: n["author"] for n in nodes} == {
        ours.account_id: {"id": ours.global_id},
        elsewhere.account_id: None,
    }


async def test_a_custodian_appointment_naming_another_clinics_account_names_nobody(
    driver: JourneyDriver, fresh_clinic: FreshClinic
) -> None:
    # Given a clinic whose newest custodian appointment names another clinic's nurse
    clinic = await fresh_clinic()
    supervisor = clinic.staff[Role.SUPERVISOR]
    await RecordsCustodianAppointment.create(
        id=str(uuid.uuid4()),
        clinic_id=await clinic_of(clinic),
        staff_id=driver.staff[Role.NURSE].account_id,
        appointed_by=supervisor.account_id,
        appointed_by_role=Role.SUPERVISOR.value,
        appointed_at=datetime.now(UTC),
    )
    # When its staff read who the custodian is
    data = await clinic.api.run(disclosures.CUSTODIAN, clinic.token(Role.NURSE))
    # Then nobody is named, not the other clinic's nurse
    assert data["recordsCustodian"] == {
        "__typename": "RecordsCustodianPayload",
        "custodian": None,
    }
