"""A read-model database that a test can take away and give back, for real.

PostgreSQL: the app talks to the server through a TCP relay on 127.0.0.1; ``cut()`` drops every
relayed connection and stops listening, ``restore()`` listens again on the same port.
SQLite: the app uses its own file; ``cut()`` closes the app's connection and moves the file's
folder away (reopening fails), ``restore()`` moves it back.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tortoise import connections


class TcpRelay:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._writers):
            writer.close()
        self._writers.clear()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self._writers.update((writer, up_writer))
        await asyncio.gather(
            self._pipe(reader, up_writer), self._pipe(up_reader, writer), return_exceptions=True
        )

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while chunk := await reader.read(65536):
                writer.write(chunk)
                await writer.drain()
        finally:
            self._writers.discard(writer)
            writer.close()


class BreakableDatabase:
    """``url`` is what the app under test connects to."""

    def __init__(self, database_url: str, workdir: Path) -> None:
        self.sqlite = database_url.startswith("sqlite")
        self.folder = workdir / "db"
        self.away = workdir / "db-away"
        self.relay: TcpRelay | None = None
        if self.sqlite:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.url = f"sqlite://{self.folder / 'readiness.sqlite3'}"
        else:
            parts = urlsplit(database_url)
            self.relay = TcpRelay(parts.hostname or "127.0.0.1", parts.port or 5432)
            self._parts = parts
            self.url = ""

    async def start(self) -> None:
        if self.relay is not None:
            await self.relay.start()
            parts = self._parts
            userinfo = parts.netloc.rpartition("@")[0]
            netloc = f"{userinfo}@127.0.0.1:{self.relay.port}" if userinfo else self.netloc()
            self.url = urlunsplit(parts._replace(netloc=netloc))

    def netloc(self) -> str:
        assert self.relay is not None
        return f"127.0.0.1:{self.relay.port}"

    async def cut(self) -> None:
        if self.relay is not None:
            await self.relay.stop()
            return
        with contextlib.suppress(Exception):
            await connections.get("default").close()
        self.folder.rename(self.away)

    async def restore(self) -> None:
        if self.relay is not None:
            await self.relay.start()
        else:
            self.away.rename(self.folder)

    async def stop(self) -> None:
        if self.relay is not None:
            await self.relay.stop()
