"""`procedureTypes(latestOnly: true)` and `consentTemplates(latestOnly: true)` name every type's
and template's newest version, however many versions the clinic published before (the newest
procedure types were picked from the first 500 rows, and types past them went missing; the
templates' list stopped at 500 rows with no way to reach the rest)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from domain.roles import Role
from domain.store.consents import ConsentTemplateVersion
from domain.store.procedures import ProcedureTypeVersion
from tests.api.consent_support import publish
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


TEMPLATES = """
query Templates($latestOnly: Boolean!, $kind: ConsentKind) {
  consentTemplates(latestOnly: $latestOnly, kind: $kind) { templateKey version }
}"""


async def test_the_newest_of_every_consent_template(fresh_clinic: FreshClinic) -> None:
    # Given a template published in 501 versions, and another sorting after it
    clinic = await fresh_clinic()
    await publish(clinic, key="aaa-filler")
    first = await ConsentTemplateVersion.get(template_key="aaa-filler", clinic_id__isnull=False)
    columns = {f: getattr(first, f) for f in first._meta.db_fields if f not in ("id", "version")}
    for version in range(2, 502):
        await ConsentTemplateVersion.create(**columns, id=f"{first.id}-{version}", version=version)
    await publish(clinic, key="zzz-filler")
    # When the clinic's templates are listed whole, the list stops at 500 versions
    token = clinic.token(Role.NURSE)
    whole = (await clinic.api.run(TEMPLATES, token, latestOnly=False))["consentTemplates"]
    assert len(whole) == 500 and {t["templateKey"] for t in whole} == {"aaa-filler"}
    # Then newest only, every template is there at its newest version
    newest = (await clinic.api.run(TEMPLATES, token, latestOnly=True))["consentTemplates"]
    assert [(t["templateKey"], t["version"]) for t in newest] == [
        ("aaa-filler", 501),
        ("zzz-filler", 1),
    ]
    # And a kind no template has lists none
    other = await clinic.api.run(TEMPLATES, token, latestOnly=True, kind="ANESTHESIA")
    assert other["consentTemplates"] == []
