"""A consultant's month, counted by hand from the rows a desk and a cashier leave."""

from __future__ import annotations

from domain.store.consultant_figures import consultant_months
from domain.store.key_items import key_item_standings
from tests.store.money_rows import assigned, clinic, credit, journey, payment, utc


async def test_a_months_figures_match_a_hand_count() -> None:
    clinic_id = await clinic()
    # A receives three first visits in November, B one, and A a return visit (not counted)
    a1, a2, a3, b1 = [await journey(clinic_id, utc(2)) for _ in range(4)]
    a_return = await journey(clinic_id, utc(3), "RETURN_VISIT")
    for jid in (a1, a2, a3):
        await assigned(clinic_id, jid, "A", utc(2))
    await assigned(clinic_id, b1, "B", utc(3))
    await assigned(clinic_id, a_return, "A", utc(3), category="RETURN_VISIT")
    # C was picked by staff without the desk (no split recorded): the journey's consultant
    c1 = await journey(clinic_id, utc(9), consultant="C")
    await payment(c1, utc(9), "50.00")
    # a1 pays 1000.00; a2 pays a deposit of 200.00 then, after a joint review that leaves A
    # 30 % and gives B 70 %, a top-up of 800.00; a3 pays nothing; b1 pays 500.55
    await payment(a1, utc(4), "1000.00")
    await payment(a2, utc(5), "200.00")
    await credit(clinic_id, a2, utc(6), ("A", 30), ("B", 70))
    await payment(a2, utc(7), "800.00")
    await payment(b1, utc(8), "500.55")
    # the return visit pays 300.00 in December: outside November's revenue
    await payment(a_return, utc(2, month=12), "300.00")
    # 30 November 23:30 UTC is 1 December 00:30 in Warsaw: December's money
    await payment(b1, utc(30, hour=23), "99.00")

    # Another clinic's money, even credited to an "A" of its own, stays out of this one
    elsewhere = await clinic()
    theirs = await journey(elsewhere, utc(2))
    await assigned(elsewhere, theirs, "A", utc(2))
    await payment(theirs, utc(4), "777.00")

    figures = {f.consultant_id: f for f in await consultant_months(clinic_id, "2026-11")}

    # A: 3 first visits, 2 took money (a1, a2): conversion 2/3
    # revenue 1000.00 + 200.00 + 30 % of 800.00 = 1000.00 + 200.00 + 240.00 = 1440.00
    # from 2 journeys: average ticket 1440.00 / 2 = 720.00
    a = figures["A"]
    assert (a.first_visits, a.deals, round(a.conversion_rate, 4)) == (3, 2, 0.6667)
    assert a.revenue_minor == {"EUR": 144000}
    assert a.average_ticket_minor("EUR") == 72000
    # B: 1 first visit, 1 deal: conversion 1/1; revenue 70 % of 800.00 + 500.55 = 560.00 +
    # 500.55 = 1060.55 from 2 journeys (a2, b1): average 1060.55 / 2 = 530.275 -> 530.27 (down)
    b = figures["B"]
    assert (b.first_visits, b.deals, b.conversion_rate) == (1, 1, 1.0)
    assert b.revenue_minor == {"EUR": 106055}
    assert b.average_ticket_minor("EUR") == 53027
    # C: 1 first visit, 1 deal, 50.00 credited whole
    c = figures["C"]
    assert (c.first_visits, c.deals, c.revenue_minor) == (1, 1, {"EUR": 5000})
    # December: the return visit's 300.00 for A and b1's late 99.00 for B
    december = {
        f.consultant_id: f.revenue_minor for f in await consultant_months(clinic_id, "2026-12")
    }
    assert december == {"A": {"EUR": 30000}, "B": {"EUR": 9900}}

    # The key-item ranking reads deals from the payments too: "skin" journeys of November
    # A: a1, a2, a3 and the return visit = 4 consultations; a1, a2 and the return visit (which
    # paid in December: money to date makes the deal) = 3 deals
    standings = {
        s.consultant_id: s for s in await key_item_standings(clinic_id, "2026-11", ("skin",))
    }
    assert (standings["A"].consultations, standings["A"].deals) == (4, 3)
