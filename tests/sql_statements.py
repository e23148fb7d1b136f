"""The SQL statements a block of code runs, as Tortoise logs them: for tests that count trips."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator


class _Statements(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.texts.append(record.getMessage())


@contextlib.contextmanager
def statements_naming(*names: str) -> Iterator[list[str]]:
    """The statements run meanwhile whose text holds any of `names` (table names, or a table
    name with a space before it where another table's name would hold it too)."""
    logger = logging.getLogger("tortoise.db_client")
    handler, level = _Statements(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler.texts
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        handler.texts[:] = [t for t in handler.texts if any(n in t for n in names)]
