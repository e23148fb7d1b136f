"""Malformed HTTP is the client's mistake, not the server's fault: said at INFO, once per request.

aiohttp answers a request it cannot parse (a request line or header over its 8 KB limit, a bad
header, a broken chunked body) with a 400, and logs it through ``aiohttp.server`` at ERROR with a
traceback, as it logs a handler that crashed. An operator alerting on ERROR would be paged by
anyone who sends a long URL. This filter keeps the line, at INFO and with the parser's reason
instead of the traceback; a real fault in a handler is still logged at ERROR as before.
"""

from __future__ import annotations

import logging

from aiohttp.http_exceptions import BadHttpMessage

SERVER_LOGGER = "aiohttp.server"


class ClientMistakesAtInfo(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        mistake = record.exc_info[1] if record.exc_info else None
        if not isinstance(mistake, BadHttpMessage):
            return True
        record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
        # The parser's reason quotes the client's bytes, which may hold a "%": an argument,
        # never part of the format.
        record.msg, record.args = "%s: %s", (record.getMessage(), mistake.message)
        record.exc_info, record.exc_text = None, None
        # The logger checked its level against ERROR; check it again against the new level.
        return logging.getLogger(record.name).isEnabledFor(logging.INFO)


def say_client_mistakes_at_info() -> None:
    """Installs the filter on aiohttp's server logger; calling it again adds nothing."""
    server_logger = logging.getLogger(SERVER_LOGGER)
    if not any(isinstance(f, ClientMistakesAtInfo) for f in server_logger.filters):
        server_logger.addFilter(ClientMistakesAtInfo())
