"""Malformed HTTP is the client's mistake, not the server's fault: said at INFO, once per request.

aiohttp answers a request it cannot parse (a request line or header over its 8 KB limit, a bad
header, a broken chunked body) with a 400, and logs it through ``aiohttp.server`` at ERROR with a
traceback, as it logs a handler that crashed. An operator alerting on ERROR would be paged by
anyone who sends a long URL. This filter keeps the line, at INFO and with the parser's reason
instead of the traceback; a real fault in a handler is still logged at ERROR as before.

A WebSocket handshake that offers none of the API's protocols (the legacy ``graphql-ws``, say)
is answered, and closed with 4406, by Strawberry; aiohttp logs it through ``aiohttp.websocket``
at WARNING, quoting the whole ``Sec-WebSocket-Protocol`` header (up to 8 KB), and once more each
time the handshake is checked. Anyone could fill the log with it. It is said at INFO, its offer
shortened to `MAX_QUOTED_CHARS`, once per handshake (the view checks a handshake once).
"""

from __future__ import annotations

import logging

from aiohttp.http_exceptions import BadHttpMessage

SERVER_LOGGER = "aiohttp.server"
SOCKET_LOGGER = "aiohttp.websocket"
# aiohttp's words for a handshake whose protocols are none of the socket's.
_NO_COMMON_PROTOCOL = "overlap server-known ones"
# Characters of a client's offer kept in the line: enough to tell which client it is (one
# offering `graphql-ws` is an old graphql-ws client), too few to fill the log with.
MAX_QUOTED_CHARS = 200


def _said_at_info(record: logging.LogRecord) -> bool:
    record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
    # The logger checked its level against the record's first one; check it again.
    return logging.getLogger(record.name).isEnabledFor(logging.INFO)


def _shortened(text: str) -> str:
    if len(text) <= MAX_QUOTED_CHARS:
        return text
    return f"{text[:MAX_QUOTED_CHARS]}... ({len(text):,} characters)"


class ClientMistakesAtInfo(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        mistake = record.exc_info[1] if record.exc_info else None
        if not isinstance(mistake, BadHttpMessage):
            return True
        # The parser's reason quotes the client's bytes, which may hold a "%": an argument,
        # never part of the format.
        record.msg, record.args = "%s: %s", (record.getMessage(), mistake.message)
        record.exc_info, record.exc_text = None, None
        return _said_at_info(record)


class UnknownSubprotocolsAtInfo(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not (isinstance(record.msg, str) and _NO_COMMON_PROTOCOL in record.msg):
            return True
        match record.args:
            case (peer, list(offered), list(known)):
                pass
            case _:
                return True
        if not known:
            # The socket opened without a protocol, to be closed with 4406: the handshake
            # said already, when it was checked against the API's protocols.
            return False
        record.msg = "a WebSocket handshake from %s offers no protocol the API speaks (%s), only %s"
        record.args = (peer, ", ".join(map(str, known)), _shortened(", ".join(map(str, offered))))
        return _said_at_info(record)


def say_client_mistakes_at_info() -> None:
    """Installs the filters on aiohttp's loggers; calling it again adds nothing."""
    for name, mistakes in (
        (SERVER_LOGGER, ClientMistakesAtInfo),
        (SOCKET_LOGGER, UnknownSubprotocolsAtInfo),
    ):
        logger = logging.getLogger(name)
        if not any(isinstance(f, mistakes) for f in logger.filters):
            logger.addFilter(mistakes())
