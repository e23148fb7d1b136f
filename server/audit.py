"""`glowpath audit verify`: recomputes every clinic's audit chain and names the first broken entry
of each, so an operator can tell an intact trail from one edited outside the application."""

from __future__ import annotations

from domain.store.audit_chain import ChainReport, verify_chains
from domain.store.db import NO_TLS, DatabaseTls, close_db, init_db


async def verify(
    database_url: str, clinic_id: str | None = None, tls: DatabaseTls = NO_TLS
) -> ChainReport:
    await init_db(database_url, tls)
    try:
        return await verify_chains(clinic_id)
    finally:
        await close_db()


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
