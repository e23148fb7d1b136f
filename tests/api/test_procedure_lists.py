"""`procedureTypes(latestOnly: true)` names every type's newest version, however many versions
the clinic published before (the newest were picked from the first 500 rows, and types past
them went missing)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from domain.roles import Role
from domain.store.procedures import ProcedureTypeVersion
from tests.api.flow import JourneyDriver
from tests.api.procedure_support import TYPES, run, set_type, type_input

FreshClinic = Callable[[], Awaitable[JourneyDriver]]


async def test_the_newest_of_every_type_however_many_versions_came_before(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a type published in 501 versions, and another type sorting after it
    clinic = await fresh_clinic()
    await set_type(clinic, type_input("aaa-peel"))
    first = await ProcedureTypeVersion.get(type_key="aaa-peel", clinic_id__isnull=False)
    columns = {f: getattr(first, f) for f in first._meta.db_fields if f not in ("id", "version")}
    for version in range(2, 502):
        await ProcedureTypeVersion.create(**columns, id=f"{first.id}-{version}", version=version)
    await set_type(clinic, type_input("zzz-peel"))
    # When the clinic's types are listed, newest only
    listed = await run(clinic, TYPES, Role.FRONT_DESK, latestOnly=True)
    # Then both types are there, each at its newest version
    newest = [(t["typeKey"], t["version"]) for t in listed]
    assert ("aaa-peel", 501) in newest
    assert ("zzz-peel", 1) in newest
    # And one type asked for alone is that type's newest
    only = await run(clinic, TYPES, Role.FRONT_DESK, typeKey="zzz-peel", latestOnly=True)
    assert [(t["typeKey"], t["version"]) for t in only] == [("zzz-peel", 1)]
