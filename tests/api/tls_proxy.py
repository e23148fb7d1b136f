"""A throwaway certificate authority and a TLS-terminating proxy, for tests of secured connections.

The Temporal dev server and the test PostgreSQL speak plain TCP; the proxy puts real TLS in front of
them (mutual when asked), so a client configured from the settings performs a real handshake: a
wrong CA, a missing client certificate or a wrong server name fails as it would against a secured
cluster. Certificates come from the `openssl` command.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

SERVER_NAME = "temporal.glowpath.test"
# PostgreSQL's SSLRequest: length 8, code 80877103; the server answers b"S" and TLS begins.
PG_SSL_REQUEST = (8).to_bytes(4, "big") + (80877103).to_bytes(4, "big")


@dataclass(frozen=True)
class Pki:
    ca: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path
    other_ca: Path  # trusts nothing here: a client that uses it must fail


def _openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=60)


def _make_ca(folder: Path, name: str) -> tuple[Path, Path]:
    cert, key = folder / f"{name}.pem", folder / f"{name}-key.pem"
    _openssl(
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", f"/CN={name}",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    )  # fmt: skip
    return cert, key


def _issue(folder: Path, name: str, ca: tuple[Path, Path], extensions: str) -> tuple[Path, Path]:
    cert, key, csr = folder / f"{name}.pem", folder / f"{name}-key.pem", folder / f"{name}.csr"
    ext = folder / f"{name}.ext"
    ext.write_text(extensions)
    _openssl(
        "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", str(key), "-out", str(csr), "-subj", f"/CN={name}",
    )  # fmt: skip
    _openssl(
        "x509", "-req", "-in", str(csr), "-CA", str(ca[0]), "-CAkey", str(ca[1]),
        "-CAcreateserial", "-out", str(cert), "-days", "2", "-extfile", str(ext),
    )  # fmt: skip
    return cert, key


def make_pki(folder: Path) -> Pki:
    ca = _make_ca(folder, "ca")
    other_ca, _ = _make_ca(folder, "other-ca")
    server = _issue(
        folder,
        "server",
        ca,
        "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
        f"extendedKeyUsage=serverAuth\nsubjectAltName=DNS:{SERVER_NAME},DNS:localhost,"
        "IP:127.0.0.1\n",
    )
    client = _issue(
        folder,
        "client",
        ca,
        "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
        "extendedKeyUsage=clientAuth\n",
    )
    return Pki(ca[0], server[0], server[1], client[0], client[1], other_ca)


def server_context(pki: Pki, *, require_client_cert: bool, alpn: str | None) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pki.server_cert, pki.server_key)
    if require_client_cert:
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(pki.ca)
    if alpn:
        context.set_alpn_protocols([alpn])
    return context


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, ssl.SSLError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()


@dataclass
class TlsProxy:
    """Forwards TLS connections on ``port`` to ``upstream`` in plain text; counts handshakes."""

    port: int = 0
    handshakes: int = 0


@contextlib.asynccontextmanager
async def tls_proxy(
    upstream: str, context: ssl.SSLContext, *, postgres: bool = False
) -> AsyncIterator[TlsProxy]:
    """``postgres``: speak PostgreSQL's in-band start (SSLRequest, ``S``) before the TLS handshake;
    otherwise TLS starts at once (gRPC)."""
    host, _, port = upstream.rpartition(":")
    proxy = TlsProxy()
    tasks: set[asyncio.Task[None]] = set()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            if postgres:
                if await reader.readexactly(8) != PG_SSL_REQUEST:
                    writer.close()  # plain text is refused, as a hostssl-only server does
                    return
                writer.write(b"S")
                await writer.drain()
            await writer.start_tls(context)
        except (ConnectionError, ssl.SSLError, asyncio.IncompleteReadError):
            writer.close()
            return
        proxy.handshakes += 1
        up_reader, up_writer = await asyncio.open_connection(host, int(port))
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))

    def track(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.create_task(serve(reader, writer))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    server = await asyncio.start_server(track, "127.0.0.1", 0)
    proxy.port = server.sockets[0].getsockname()[1]
    try:
        yield proxy
    finally:
        server.close()
        for task in list(tasks):
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await server.wait_closed()
