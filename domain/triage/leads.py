"""Who owns a phone or online lead: the earliest contact, while the lead is followed up.

Seed 004: "对于顾客网络、电话、第三方多处咨询的,以首诊制为基准,
该顾客归能提供最早咨询记录者所有" (the earliest recorded contact owns the client), and
"网电预约顾客3个月以上顾客,3个月内如有跟进记录,算网电上门和业绩" (a lead older than three
months counts only with a follow-up recorded within the three months). A lead nobody has
contacted for three months has lapsed: the client arriving then is a first visit for the
rotation, and a contact after that starts a new lead, which its own earliest contact owns.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

# Three months of the calendar at their longest (92 days: July and August with September, or
# December and January with February's neighbours).
LEAD_LAPSES_AFTER = timedelta(days=92)


def lead_owner(contacts: Iterable[tuple[datetime, str]], now: datetime) -> str | None:
    """The consultant owning the lead whose contacts (when, by whom) are given oldest first:
    the earliest contact of the run of contacts no more than `LEAD_LAPSES_AFTER` apart that
    ends with the latest one, while that latest one is no older than that; else nobody."""
    owner: str | None = None
    last: datetime | None = None
    for at, consultant_id in contacts:
        if last is None or at - last > LEAD_LAPSES_AFTER:
            owner = consultant_id  # the first contact, or one after the lead had lapsed
        last = at
    if last is None or now - last > LEAD_LAPSES_AFTER:
        return None
    return owner
