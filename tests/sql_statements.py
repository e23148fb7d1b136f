"""The SQL statements a block of code runs, as Tortoise logs them: for tests that count trips."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

# A statement as it was run: its text and the values bound to its parameters.
Statement = tuple[str, list[Any]]


class _Statements(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []
        self.runs: list[Statement] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.texts.append(record.getMessage())
        # Tortoise logs a statement with values as ("%s: %s", text, values), one without as text.
        args = record.args
        if isinstance(args, tuple) and len(args) == 2:
            self.runs.append((str(args[0]), list(args[1] or ())))
        else:
            self.runs.append((record.getMessage(), []))


@contextlib.contextmanager
def statements_logged() -> Iterator[_Statements]:
    """Every statement run meanwhile, as it runs (`texts`, and `runs` with their values)."""
    logger = logging.getLogger("tortoise.db_client")
    handler, level = _Statements(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


@contextlib.contextmanager
def statements_naming(*names: str) -> Iterator[list[str]]:
    """The statements run meanwhile whose text holds any of `names` (table names, or a table
    name with a space before it where another table's name would hold it too)."""
    with statements_logged() as handler:
        yield handler.texts
    handler.texts[:] = [t for t in handler.texts if any(n in t for n in names)]


@contextlib.contextmanager
def reads_naming(*names: str) -> Iterator[list[Statement]]:
    """The SELECT statements run meanwhile whose text holds any of `names`, with their values
    (to be explained again: `tests.query_plans`)."""
    with statements_logged() as handler:
        yield handler.runs
    handler.runs[:] = [
        (text, values)
        for text, values in handler.runs
        if text.lstrip().upper().startswith("SELECT") and any(n in text for n in names)
    ]
