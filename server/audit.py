"""`glowpath audit verify`: recomputes every clinic's audit chain and names the first broken entry
of each, so an operator can tell an intact trail from one edited outside the application."""

from __future__ import annotations

from domain.store.audit_chain import ChainReport, verify_chains
from domain.store.audit_models import AuditChainHead, AuditEntry
from domain.store.db import NO_TLS, DatabaseTls, close_db, open_current_db
from domain.store.models import Clinic


class UnknownClinic(LookupError):
    """``--clinic`` names neither a clinic nor a chain: most likely a mistyped id."""


async def verify(
    database_url: str, clinic_id: str | None = None, tls: DatabaseTls = NO_TLS
) -> ChainReport:
    await open_current_db(database_url, tls)
    try:
        if clinic_id is not None and not await _known(clinic_id):
            # Verified as an empty chain it would read "intact" in a scheduled check forever.
            raise UnknownClinic(f"no clinic and no audit chain with the id {clinic_id}")
        return await verify_chains(clinic_id)
    finally:
        await close_db()


async def _known(clinic_id: str) -> bool:
    return (
        await Clinic.exists(id=clinic_id)
        or await AuditChainHead.exists(clinic_id=clinic_id)
        or await AuditEntry.exists(clinic_id=clinic_id)
    )


def describe(report: ChainReport) -> list[str]:
    lines = [
        f"BROKEN clinic {b.clinic_id}: entry {b.entry_id or '(none)'} "
        f"(seq {b.seq if b.seq is not None else '-'}): {b.problem}"
        for b in report.breaks
    ]
    if report.breaks:
        lines.append(
            f"{len(report.breaks)} of {report.clinics} clinic chain(s) broken; "
            f"{report.entries} entries verified intact"
        )
    else:
        lines.append(
            f"audit trail intact: {report.entries} entries in {report.clinics} clinic chain(s) "
            "verified"
        )
    return lines
