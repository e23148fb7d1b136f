"""A list of clients with their file parts costs the same queries of the file's tables for one
client as for many: each part's entries, their corrections and their error marks are loaded in
one batch per request (DataLoaders), never per client."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterator

from domain.roles import Role
from tests.api.client_file_support import (
    ADD_SERVICE_CARD_ENTRY,
    ALLERGY,
    RECORD_ALLERGY,
    entry,
)
from tests.api.flow import JourneyDriver

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
LIST = """
query Listed {
  clients(first: 20) {
    ... on ClientConnection {
      edges {
        node {
          fullName
          allergies { ... on AllergyEntryConnection { edges { node { substance inForce } } } }
          serviceCard { ... on ServiceCardEntryConnection { edges { node { note } } } }
        }
      }
    }
  }
}
"""


class _Statements(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.texts.append(record.getMessage())


@contextlib.contextmanager
def _file_statements() -> Iterator[list[str]]:
    """The SQL statements run meanwhile that read or write the client file's tables."""
    logger = logging.getLogger("tortoise.db_client")
    handler, level = _Statements(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler.texts
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        handler.texts[:] = [t for t in handler.texts if "client_entry" in t]


async def _clinic_with(clients: int, fresh_clinic: FreshClinic) -> JourneyDriver:
    clinic = await fresh_clinic()
    for n in range(clients):
        client = await clinic.register_client(f"Client {n}")
        await entry(clinic, RECORD_ALLERGY, Role.NURSE, clientId=client, **ALLERGY)
        card = {"section": "PREFERENCE_DRINKS", "note": "green tea"}
        await entry(clinic, ADD_SERVICE_CARD_ENTRY, Role.NURSE, clientId=client, **card)
    return clinic


async def test_listing_many_files_costs_the_queries_of_one(fresh_clinic: FreshClinic) -> None:
    counts = []
    for clients in (1, 5):
        clinic = await _clinic_with(clients, fresh_clinic)
        with _file_statements() as statements:
            data = await clinic.api.run(LIST, clinic.token(Role.NURSE))
        assert len(data["clients"]["edges"]) == clients
        counts.append(len(statements))
    # entries (one query for both parts), their corrections, their error marks
    assert counts == [3, 3]
