"""The client-data accesses of the running GraphQL operation, noted where they happen.

Types note an access when they are built from a row (a `Client` or `Journey` object is built
only to be answered), resolvers when they read more (a journey's history), and mutations when
they change a client's data (under the mutation's name). The `AuditTrail` extension binds a
fresh collector to each operation and writes what it collected, one entry per client and kind of
access, before the answer leaves.

The collector is bound to the operation's task (a context variable) rather than kept on
`Context`: over a WebSocket one Context serves every operation of the connection while each
operation's accesses are its own, and a type built from a row has no `info` to reach the
context through. Outside an operation with the extension on, noting does nothing.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar, Token
from typing import Any

from strawberry.types import Info

from domain.audit import Access


class AccessCollector:
    """Distinct (client, what) pairs in the order first noted, less those already written."""

    __slots__ = ("_noted", "_written")

    def __init__(self) -> None:
        self._noted: dict[Access, None] = {}
        self._written: set[Access] = set()

    def note(self, client_id: str, what: str) -> None:
        access = Access(client_id, what)
        if access not in self._written:
            self._noted[access] = None

    def take(self) -> list[Access]:
        """Everything noted since the last take (a subscription records each push's own)."""
        taken = list(self._noted)
        self._noted.clear()
        return taken

    def due_with(self, *coming: Access) -> list[Access]:
        """What an append made now would write: everything noted so far, then `coming` (about
        to be noted), each once and in that order, as the operation's end would write them."""
        return list(dict.fromkeys([*self._noted, *(a for a in coming if a not in self._written)]))

    def written(self, accesses: list[Access]) -> None:
        """`accesses` were appended before the operation's end: its end does not write them
        again, nor does noting them later in the operation (the collector's dedup, kept)."""
        self._written.update(accesses)
        for access in accesses:
            self._noted.pop(access, None)


_BOUND: ContextVar[AccessCollector | None] = ContextVar("glowpath_audit_collector", default=None)


def bind(collector: AccessCollector) -> Token[AccessCollector | None]:
    return _BOUND.set(collector)


def unbind(token: Token[AccessCollector | None]) -> None:
    # A stream closed from another task (a garbage-collected generator) cannot reset the
    # variable of the task that set it; that task has ended and its context with it.
    with contextlib.suppress(ValueError):
        _BOUND.reset(token)


def note_access(client_id: str, what: str) -> None:
    collector = _BOUND.get()
    if collector is not None:
        collector.note(client_id, what)


def bound_collector() -> AccessCollector | None:
    """The running operation's collector; None outside an operation with the trail on."""
    return _BOUND.get()


def note_write(info: Info[Any, Any], client_id: str) -> None:
    """The running mutation changed the client's data: noted under the mutation's name. What
    this request read of clients' lists, and of her phone wishes, before is forgotten: a later
    field of the same request (another mutation, or its answer) reads them as they now stand
    (a survey after her wish not to be asked, in one document, was taken)."""
    note_access(client_id, info.field_name)
    loaders = getattr(info.context, "loaders", None)
    if loaders is not None:
        loaders.client_lists.forget()
        with contextlib.suppress(KeyError):  # (the loader's clear refuses a key it never read)
            loaders.may_ask_about_results.clear(client_id)
