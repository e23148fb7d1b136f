"""The written consultation record's page, composed from the record as amended: what is on it
in each language, what a record with missing parts prints, and who is named."""

from __future__ import annotations

from datetime import UTC, date, datetime

from domain.client_file.amended import revised
from domain.client_file.file_records import RecordAmendment
from domain.client_file.journey_records import Consultation
from domain.journey.consultation_copy import HEADINGS, compose

AT = datetime(2026, 3, 1, 10, tzinfo=UTC)
PLAN = {
    "title": "Lips",
    "items": ["hyaluronic acid, lips", " "],
    "effect": "fuller lips",
    "cycle": "one session",
    "price": "300.00",
    "currency": "PLN",
    "risks": "swelling",
    "recovery": "a day",
}


def _consultation(**fields: object) -> Consultation:
    base: dict[str, object] = {
        "id": "r-1",
        "journey_id": "j-1",
        "occupation": "teacher",
        "needs": {"areas": ["lips"], "goal": "fuller lips", "expectation": "subtle"},
        "assessment": {"psychological": "anxious", "spending_capacity": "low"},
        "plans": [PLAN],
        "by": "consultant-1",
        "author_role": "CONSULTANT",
        "at": AT,
    }
    return Consultation(**(base | fields))  # type: ignore[arg-type]


def test_each_language_prints_needs_plans_and_whom_to_ask_never_the_assessment() -> None:
    for language, words in HEADINGS.items():
        page = compose(_consultation(), language, date(2026, 3, 1), "Klinika", "Anna")
        assert page.title == words["title"]
        assert page.subtitle == f"Klinika · {words['consultant']}: Anna"
        assert page.dated == f"{words['dated']}: 2026-03-01"
        headings = [heading for heading, _ in page.sections]
        assert headings == [words["needs"], f"{words['plan']} 1: Lips", words["questions"]]
        plan = page.sections[1][1]
        assert f"{words['price']}: 300.00 PLN" in plan.split("\n")
        assert f"{words['items']}: hyaluronic acid, lips" in plan.split("\n")
        printed = repr(page)
        assert "anxious" not in printed and "teacher" not in printed


def test_an_amended_plan_prints_as_corrected_and_a_bare_record_still_prints() -> None:
    corrected = RecordAmendment(
        id="a-1",
        by="s-1",
        reason="price",
        correction={"plans": [{**PLAN, "price": "350.00"}]},
        at=AT,
    )
    amended, _ = revised(_consultation(amendments=[corrected]))
    page = compose(amended, "en", date(2026, 3, 1), "Clinic", "Anna")
    assert "Price: 350.00 PLN" in page.sections[1][1]
    # A record from before its parts existed, by an account since removed
    bare = compose(_consultation(needs=None, plans=None), "en", date(2026, 3, 1), "Clinic", "")
    assert bare.subtitle == "Clinic"
    assert bare.sections == [("Questions", HEADINGS["en"]["ask"])]


def test_a_print_without_prices_keeps_every_other_line_of_the_plan() -> None:
    # Given the page of a reader who may not read a plan's price (a nurse)
    page = compose(_consultation(), "en", date(2026, 3, 1), "Clinic", "Anna", with_prices=False)
    # Then the plan prints its items, effect, course, risks and recovery, and no price
    plan = page.sections[1][1].split("\n")
    assert plan == [
        "Items: hyaluronic acid, lips",
        "Effect: fuller lips",
        "Course: one session",
        "Risks: swelling",
        "Recovery: a day",
    ]
    assert "300.00" not in repr(page)


def test_earlier_treatments_print_as_said_and_a_record_without_the_answer_as_not_asked() -> None:
    needs = {"areas": ["lips"], "goal": "fuller lips", "expectation": "subtle"}
    botox = {"what": "botox, forehead", "when": "2023", "effect": "smooth for four months"}
    peel = {"what": "peel", "when": "", "effect": "redness for a day"}
    said = {
        # Named, each with when and its effect (a treatment without a date prints without it)
        "botox, forehead (2023): smooth for four months; peel: redness for a day": {
            **needs,
            "earlier_treatments": [botox, peel],
            "no_earlier_treatments": False,
        },
        # None, as she said
        "none": {**needs, "earlier_treatments": None, "no_earlier_treatments": True},
        # Recorded before the answer was required: the text kept, else not asked
        "a peel in 2022": {**needs, "earlier_treatments": "a peel in 2022"},
        "not asked": {**needs, "earlier_treatments": None},
    }
    for printed, recorded in said.items():
        page = compose(_consultation(needs=recorded), "en", date(2026, 3, 1), "Clinic", "Anna")
        assert f"Earlier treatments: {printed}" in page.sections[0][1].split("\n"), printed
