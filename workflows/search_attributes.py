"""The journey's Temporal search attributes, and their registration on a namespace.

Workflows upsert these so operators can ask Temporal visibility the same questions the read
model answers; they must exist on the namespace before any workflow upserts them.
"""

from __future__ import annotations

from datetime import datetime

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
)
from temporalio.client import Client
from temporalio.common import SearchAttributeKey, SearchAttributePair, TypedSearchAttributes
from temporalio.service import RPCError, RPCStatusCode

STAGE = SearchAttributeKey.for_keyword("GlowpathStage")
STAGE_ENTERED_AT = SearchAttributeKey.for_datetime("GlowpathStageEnteredAt")
STUCK = SearchAttributeKey.for_bool("GlowpathStuck")
CLINIC = SearchAttributeKey.for_keyword("GlowpathClinic")

# Name -> type, in the words of the Temporal CLI's `--search-attribute name=Type` flag.
SEARCH_ATTRIBUTE_TYPES: dict[str, str] = {
    STAGE.name: "Keyword",
    STAGE_ENTERED_AT.name: "Datetime",
    STUCK.name: "Bool",
    CLINIC.name: "Keyword",
}
_INDEXED = {
    "Keyword": IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    "Datetime": IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
    "Bool": IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
}


def told_at_start(clinic_id: str, stage: str, entered_at: datetime) -> TypedSearchAttributes:
    """What a journey's start tells visibility at once, so that its opening need not upsert it:
    the start's own record carries them at no cost of its own."""
    return TypedSearchAttributes(
        [
            SearchAttributePair(CLINIC, clinic_id),
            SearchAttributePair(STAGE, stage),
            SearchAttributePair(STAGE_ENTERED_AT, entered_at),
            SearchAttributePair(STUCK, False),
        ]
    )


def clinic_stage_stuck(attributes: TypedSearchAttributes) -> tuple[str, str, bool] | None:
    """The clinic, stage and stuck flag among `attributes`, or None unless all three are."""
    clinic, stage, stuck = attributes.get(CLINIC), attributes.get(STAGE), attributes.get(STUCK)
    if clinic is None or stage is None or stuck is None:
        return None
    return clinic, stage, stuck


async def register_search_attributes(client: Client, namespace: str) -> list[str]:
    """Adds the missing ones (idempotent); returns the names it added."""
    try:
        existing = await client.operator_service.list_search_attributes(
            ListSearchAttributesRequest(namespace=namespace)
        )
        known = set(existing.custom_attributes) | set(existing.system_attributes)
    except RPCError as error:
        if error.status is not RPCStatusCode.UNIMPLEMENTED:
            raise
        known = set()  # the time-skipping test server cannot list, but it can add
    missing = {n: _INDEXED[t] for n, t in SEARCH_ATTRIBUTE_TYPES.items() if n not in known}
    if missing:
        await client.operator_service.add_search_attributes(
            AddSearchAttributesRequest(namespace=namespace, search_attributes=missing)
        )
    return sorted(missing)
