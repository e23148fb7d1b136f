"""PostgreSQL over TLS: `sslmode` and the root certificate reach the driver (asyncpg via Tortoise).

The test PostgreSQL speaks plain text; a proxy in front of it speaks PostgreSQL's TLS start
(SSLRequest, then the handshake) with a certificate from a throwaway CA, as a managed database
does. Runs on the PostgreSQL pass of the suite only.
"""

from __future__ import annotations

import asyncio
import ssl
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from tortoise.context import TortoiseContext

from domain.store.db import tortoise_config
from server.settings import Settings
from tests.api.test_processes import environment
from tests.api.tls_proxy import Pki, TlsProxy, make_pki, server_context, tls_proxy

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pg-pki"))


@pytest.fixture
async def pg_proxy(pki: Pki, database: str) -> AsyncIterator[TlsProxy]:
    parts = urlsplit(database)
    context = server_context(pki, require_client_cert=False, alpn=None)
    async with tls_proxy(f"{parts.hostname}:{parts.port or 5432}", context, postgres=True) as proxy:
        yield proxy


def through(database: str, proxy: TlsProxy) -> str:
    """The same database URL, pointed at the proxy."""
    parts = urlsplit(database)
    auth = parts.netloc.rpartition("@")[0]
    netloc = f"{auth}@127.0.0.1:{proxy.port}" if auth else f"127.0.0.1:{proxy.port}"
    return urlunsplit(parts._replace(netloc=netloc))


async def select_one(settings: Settings) -> None:
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(settings.database_url, settings.database_tls))
        rows = await context.connections.get("default").execute_query_dict("SELECT 1 AS one")
    assert rows == [{"one": 1}]


async def test_verify_full_with_the_root_certificate_file_connects_over_tls(
    pki: Pki, pg_proxy: TlsProxy, database: str
) -> None:
    settings = Settings.from_env(
        {
            "GLOWPATH_DATABASE_URL": through(database, pg_proxy),
            "GLOWPATH_DATABASE_SSLMODE": "verify-full",
            "GLOWPATH_DATABASE_SSLROOTCERT_FILE": str(pki.ca),
        }
    )
    await select_one(settings)
    assert pg_proxy.handshakes >= 1


async def test_a_root_certificate_that_did_not_sign_the_server_is_refused(
    pki: Pki, pg_proxy: TlsProxy, database: str
) -> None:
    settings = Settings.from_env(
        {
            "GLOWPATH_DATABASE_URL": through(database, pg_proxy),
            "GLOWPATH_DATABASE_SSLMODE": "verify-full",
            "GLOWPATH_DATABASE_SSLROOTCERT_FILE": str(pki.other_ca),
        }
    )
    with pytest.raises(ssl.SSLCertVerificationError):
        await select_one(settings)
    assert pg_proxy.handshakes == 0


async def test_require_against_a_server_without_tls_fails_instead_of_sending_in_clear(
    database: str,
) -> None:
    # The suite's PostgreSQL has TLS off: `require` must not fall back to plain text
    settings = Settings.from_env(
        {"GLOWPATH_DATABASE_URL": database, "GLOWPATH_DATABASE_SSLMODE": "require"}
    )
    with pytest.raises(ConnectionError, match="SSL"):
        await select_one(settings)


async def test_glowpath_migrate_uses_the_tls_settings(
    pki: Pki, pg_proxy: TlsProxy, database: str
) -> None:
    env = environment(through(database, pg_proxy), "unused:1")
    env.update(
        GLOWPATH_DATABASE_SSLMODE="verify-full", GLOWPATH_DATABASE_SSLROOTCERT_FILE=str(pki.ca)
    )
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "server.cli", "migrate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr
    assert pg_proxy.handshakes >= 1
