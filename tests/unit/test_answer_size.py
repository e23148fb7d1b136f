"""The answer-size estimate, on the real schema: paged lists multiply, the request's own page
sizes count, and what is refused says so."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import parse

from domain.journey.validation import MAX_AMENDMENTS_PER_JOURNEY
from schema.answer_size import (
    MAX_FIELD_VALUES,
    MAX_LIST_ITEMS,
    OBJECT_WEIGHT,
    PDF_WEIGHT,
    refusal,
)
from schema.build import build_schema

SCHEMA = build_schema()._schema


def _journeys(first: str, history: str, alias: str = "j", event: str = "seq") -> str:
    return (
        f"{alias}: journeys(first: {first}) {{ ... on JourneyConnection {{ edges {{ node {{"
        f" id history(first: {history}) {{ {event} }} }} }} }} }}"
    )


def _refused(document: str, **variables: Any) -> str | None:
    found = refusal(SCHEMA, parse(document), None, variables)
    return found.message if found else None


def _too_many_items(document: str, **variables: Any) -> bool:
    """Refused on its items (the value bound, lower, refuses most of these on its own too)."""
    return "list items" in (_refused(document, **variables) or "")


@pytest.mark.parametrize(
    ("document", "variables", "refused"),
    [
        # 20 journeys with 500 events each: 20 + 20 x 500 items
        ("query Q { " + _journeys("20", "500") + " }", {}, False),
        # 100 journeys with 500 events each: 50,100 items
        ("query Q { " + _journeys("100", "500") + " }", {}, True),
        # The same through variables, and a variable left out takes the argument's default
        (
            "query Q($n: Int!, $h: Int!) { " + _journeys("$n", "$h") + " }",
            {"n": 100, "h": 500},
            True,
        ),
        (
            "query Q($n: Int!, $h: Int!) { " + _journeys("$n", "$h") + " }",
            {"n": 5, "h": 500},
            False,
        ),
        # 30 aliases of a small page each: 30 x (20 + 20 x 20)
        (
            "query Q { " + " ".join(_journeys("20", "20", f"a{i}") for i in range(30)) + " }",
            {},
            False,
        ),
        # 30 aliases of a page of 100 with 20 events each: 30 x (100 + 100 x 20)
        (
            "query Q { " + " ".join(_journeys("100", "20", f"a{i}") for i in range(30)) + " }",
            {},
            True,
        ),
        # Page sizes as JSON may send them (100.0 is the Int 100), and the operation's defaults
        (
            "query Q($n: Int!, $h: Int!) { " + _journeys("$n", "$h") + " }",
            {"n": 100.0, "h": 500.0},
            True,
        ),
        ("query Q($n: Int! = 100, $h: Int! = 500) { " + _journeys("$n", "$h") + " }", {}, True),
        # A page larger than any field takes is the field's to refuse, with its typed answer
        ("query Q { " + _journeys("100000", "1") + " }", {}, False),
    ],
)
def test_paged_lists_multiply_and_the_request_sizes_them(
    document: str, variables: dict[str, int], refused: bool
) -> None:
    assert _too_many_items(document, **variables) is refused


def test_a_fragment_counts_wherever_it_is_spread() -> None:
    fragment = (
        "fragment Page on JourneyConnection { edges { node { history(first: 500) { seq } } } }"
    )
    once = "query Q { a: journeys(first: 40) { ...Page } } " + fragment
    thrice = (
        "query Q { a: journeys(first: 40) { ...Page } b: journeys(first: 40) { ...Page }"
        " c: journeys(first: 40) { ...Page } } " + fragment
    )
    assert not _too_many_items(once)
    assert _refused(thrice) == (
        f"'Q' would answer more than {MAX_LIST_ITEMS:,} list items: ask for smaller pages "
        "(`first`), fewer aliases or fewer nested lists"
    )


def test_lists_without_pages_and_mutations_pass() -> None:
    journey = "query J($id: ID!) { journey(id: $id) { ... on Journey { followUps { id } } } }"
    assert _refused(journey, id="x") is None
    mutation = (
        "mutation M($i: RecordConsultationInput!) { recordConsultation(input: $i) { __typename } }"
    )
    assert _refused(mutation, i={}) is None


def test_a_long_list_without_pages_multiplies_the_pages_inside_it() -> None:
    # A lot's recipients (up to 1,000), each with a client's paged file parts
    part = (
        "medicalHistory(first: 100) { ... on MedicalHistoryEntryConnection { edges { cursor } } }"
    )
    recall = f'query R {{ lotRecipients(lot: "L1") {{ client {{ {part} }} }} }}'
    assert _refused(recall) is not None


def test_amendments_count_as_many_as_a_journey_takes_however_many_events_carry_them() -> None:
    # A journey's records take 100 amendments in all, so a journey with its history page of
    # 500 events and their amendments is 1 + 500 + 100 items at most: 601, not 500 x 100
    with_amendments = "seq amendments { id }"
    assert MAX_AMENDMENTS_PER_JOURNEY == 100
    # (as items: their values are bounded on their own, below)
    assert not _too_many_items("query Q { " + _journeys("83", "500", event=with_amendments) + " }")
    assert _too_many_items("query Q { " + _journeys("84", "500", event=with_amendments) + " }")
    # Without them, 1 + 500 items a journey
    assert not _too_many_items("query Q { " + _journeys("99", "500") + " }")
    assert _too_many_items("query Q { " + _journeys("100", "500") + " }")
    # The same through the union `journey` answers, and through a fragment on Journey
    one = 'query J { journey(id: "x") { ... on Journey { history { seq amendments { id } } } } }'
    assert _refused(one) is None
    spread = (
        'query J { journey(id: "x") { ...Events } } '
        "fragment Events on Journey { history { seq amendments { id } } }"
    )
    assert _refused(spread) is None


def _leaflets(count: int, fields: str) -> str:
    return (
        "query Q($j: ID!) { "
        + " ".join(
            f'l{i}: aftercareLeaflet(journeyId: $j, language: "pl") '
            f"{{ ... on AftercareLeaflet {{ {fields} }} }}"
            for i in range(count)
        )
        + " }"
    )


def test_a_leaflets_pdf_counts_as_many_items_and_its_html_does_not() -> None:
    # A leaflet's PDF takes up to a second to make: 30 aliases of one stalled the API for 18 s.
    # It is made off the event loop, so to the value bound it is one value.
    most = MAX_LIST_ITEMS // PDF_WEIGHT
    assert _refused(_leaflets(most, "pdfBase64"), j="x") is None
    assert _refused(_leaflets(most + 1, "pdfBase64"), j="x") is not None
    # The HTML and the notes are made from the same text, at no such cost
    assert _refused(_leaflets(30, "html language"), j="x") is None


EVENT_FIELDS = (
    "seq action fromStage toStage actorId actorRole at atLocal summary details"
    " amendments { id authorId at reason correction }"
    " actor { id username displayName role clinicId }"
)


def test_every_field_of_every_item_counts_as_a_value() -> None:
    # 20 journeys with 500 events each, every field of an event: about 160,000 values, within
    # the item bound (10,020 items), kept every other request waiting 4 to 6 s
    whole = "query Q { " + _journeys("20", "500", event=EVENT_FIELDS) + " }"
    assert _refused(whole) == (
        f"'Q' would answer more than {MAX_FIELD_VALUES:,} values (an object counts as "
        f"{OBJECT_WEIGHT}): ask for smaller pages (`first`), fewer fields in each item or fewer "
        "aliases"
    )
    # 30 aliases of a journey's whole history: 30 x 500 events, 13 values each at least
    one = 'journey(id: "x") {{ ... on Journey {{ history {{ {} }} }} }}'
    aliased = " ".join(f"a{i}: " + one.format("seq action at summary") for i in range(30))
    assert _refused("query Q { " + aliased + " }") is not None


def test_a_screen_passes_the_value_bound() -> None:
    # A journey's whole history page with every field of every event
    detail = (
        f'query J {{ journey(id: "x") {{ ... on Journey {{ history {{ {EVENT_FIELDS} }} }} }} }}'
    )
    assert _refused(detail) is None
    # A page of 100 journeys with their clients, consultants and available actions
    page = (
        "query L { journeys(first: 100) { ... on JourneyConnection { edges { cursor node {"
        " id stage outcome visitCategory startedAt stageEnteredAt lastEventSeq"
        " client { id fullName phone birthDate } consultant { id displayName }"
        " availableActions { action allowed reason } followUps { id status dueAt } } }"
        " pageInfo { hasNextPage endCursor } } } }"
    )
    assert _refused(page) is None


def test_an_object_counts_as_several_values() -> None:
    # Six journeys' history pages with one field of each event: 2,664 items, about 5,300 values
    # as fields alone, which held every other request longer than pages with every field do (an
    # event costs the loop as much as 8 values more than its fields)
    under = "query Q { " + _journeys("6", "442") + " }"
    over = "query Q { " + _journeys("6", "443") + " }"
    assert _refused(under) is None
    assert _refused(over) == (
        f"'Q' would answer more than {MAX_FIELD_VALUES:,} values (an object counts as "
        f"{OBJECT_WEIGHT}): ask for smaller pages (`first`), fewer fields in each item or fewer "
        "aliases"
    )


def test_a_bills_payments_and_refunds_count_as_their_pages() -> None:
    # 30 aliases of a bill with its payments and refunds: 30 x (100 + 100) items by default,
    # each of 8 values and more; before, both were read whole and counted as nothing
    fields = "id amount { amount formatted } recordedBy recordedAt"
    one = "bill(id: $b) {{ payments{0} {{ {1} }} refunds{0} {{ {1} }} }}"
    default = " ".join(f"a{i}: " + one.format("", fields) for i in range(30))
    largest = " ".join(f"a{i}: " + one.format("(first: 500)", fields) for i in range(30))
    assert _refused("query Q($b: ID) { " + default + " }", b="x") is not None
    assert _refused("query Q($b: ID) { " + largest + " }", b="x") is not None
    screen = "query Q($b: ID) { " + one.format("", fields) + " }"
    assert _refused(screen, b="x") is None


PAYMENT_FIELDS = "id kind method amount { amount currency formatted } receiptNumber recordedBy"
REFUND_FIELDS = (
    "id paymentId amount { amount currency formatted } reason beforeTreatment recordedBy recordedAt"
)


def _journeys_payments(journeys: int, page: str = "") -> str:
    return (
        f"query L {{ journeys(first: {journeys}) {{ ... on JourneyConnection {{ edges {{ node {{"
        f" id payments{page} {{ {PAYMENT_FIELDS} recordedAt refunds {{ {REFUND_FIELDS} }} }}"
        " } } } } }"
    )


def test_journeys_payments_count_as_pages_and_their_refunds_at_their_cap() -> None:
    # 100 journeys with their payments, and each payment's refunds: 100 x 100 payments by
    # default, each with up to 5 refunds. Before, neither list counted and this passed: a
    # journey's payments were read 100 at a time, and a payment given back in 0.01 refunds
    # answered every one of them
    assert _refused(_journeys_payments(100)) is not None
    # A bill's largest page of payments with their refunds: 500 payments, 2,500 refunds
    largest = f"bill(id: $b) {{ payments(first: 500) {{ {PAYMENT_FIELDS} refunds {{ id }} }} }}"
    assert _refused("query Q($b: ID) { " + largest + " }", b="x") is not None


def test_a_journeys_or_a_bills_default_page_of_payments_with_their_refunds_is_one_screen() -> None:
    # 100 payments with every field of each, and every field of each of their 5 refunds
    every = f"payments {{ {PAYMENT_FIELDS} recordedAt refunds {{ {REFUND_FIELDS} }} }}"
    journey = f'journey(id: "j") {{ ... on Journey {{ id stage {every} }} }}'
    assert _refused("query J { " + journey + " }") is None
    assert _refused('query B { bill(id: "b") { id ' + every + " } }") is None
    # And a list of 20 journeys, with pages of 5 payments each
    assert _refused(_journeys_payments(20, "(first: 5)")) is None


def test_a_partner_statement_counts_as_many_lines_as_it_carries() -> None:
    # A statement with every field of every line, at its 500 lines, is one screen; two of them
    # in one answer are more than one request may hold the loop for
    money = "{ amount currency formatted }"
    lines = f"lines {{ journeyId paidAt itemKind rule priceSold {money} base {money} "
    whole = (
        'partnerStatement(partnerId: "p", month: "2026-01") { ... on PartnerStatement { '
        + lines
        + f"partnerShare {money} }} csv }} }}"
    )
    assert _refused("query S { " + whole + " }") is None
    assert _refused(f"query S {{ a: {whole} b: {whole} }}") is not None
