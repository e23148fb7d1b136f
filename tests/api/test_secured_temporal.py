"""Reaching a secured Temporal cluster: mutual TLS, a server name override, an API key over TLS.

The dev server sits behind a real TLS proxy (`tests.api.tls_proxy`), so each client below performs
a real handshake with the `TLSConfig` built from the settings; a wrong CA, a missing client
certificate or a wrong server name must fail the way a secured cluster makes it fail.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from temporalio.api.workflowservice.v1 import GetSystemInfoRequest
from temporalio.service import TLSConfig

from domain.store.models import Clinic
from server.settings import Settings
from tests.api.test_operations import free_port
from tests.api.test_processes import environment, stop, wait_ready
from tests.api.tls_proxy import SERVER_NAME, Pki, TlsProxy, make_pki, server_context, tls_proxy
from workflows.connect import TemporalSecurity, connect


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
async def mtls_proxy(pki: Pki, temporal_address: str) -> AsyncIterator[TlsProxy]:
    context = server_context(pki, require_client_cert=True, alpn="h2")
    async with tls_proxy(temporal_address, context) as proxy:
        yield proxy


@pytest.fixture
async def tls_proxy_no_client_cert(pki: Pki, temporal_address: str) -> AsyncIterator[TlsProxy]:
    context = server_context(pki, require_client_cert=False, alpn="h2")
    async with tls_proxy(temporal_address, context) as proxy:
        yield proxy


def mtls_environment(pki: Pki, proxy: TlsProxy, **extra: str) -> dict[str, str]:
    """Settings as a Kubernetes pod gets them: every secret a mounted file."""
    return {
        "GLOWPATH_TEMPORAL_ADDRESS": f"127.0.0.1:{proxy.port}",
        "GLOWPATH_TEMPORAL_TLS_CA_FILE": str(pki.ca),
        "GLOWPATH_TEMPORAL_TLS_CERT_FILE": str(pki.client_cert),
        "GLOWPATH_TEMPORAL_TLS_KEY_FILE": str(pki.client_key),
        "GLOWPATH_TEMPORAL_TLS_SERVER_NAME": SERVER_NAME,
        **extra,
    }


async def test_mutual_tls_settings_from_files_reach_temporal(
    pki: Pki, mtls_proxy: TlsProxy
) -> None:
    # Given the CA, the client certificate and key as files, and the name on the server's cert
    settings = Settings.from_env(mtls_environment(pki, mtls_proxy))
    # Then the TLSConfig handed to Client.connect carries exactly those
    options = settings.temporal_security.connect_options()
    assert options == {
        "tls": TLSConfig(
            server_root_ca_cert=pki.ca.read_bytes().strip(),
            client_cert=pki.client_cert.read_bytes().strip(),
            client_private_key=pki.client_key.read_bytes().strip(),
            domain=SERVER_NAME,
        ),
        "api_key": None,
    }
    # And a client built from them completes the handshake and is answered by Temporal
    client = await connect(
        settings.temporal_address, "default", security=settings.temporal_security
    )
    info = await client.workflow_service.get_system_info(GetSystemInfoRequest())
    assert info.server_version
    assert mtls_proxy.handshakes >= 1


def _without(security: TemporalSecurity, **change: str) -> TemporalSecurity:
    fields = {
        "server_ca": security.server_ca,
        "client_cert": security.client_cert,
        "client_key": security.client_key,
        "server_name": security.server_name,
        **change,
    }
    return TemporalSecurity(**fields)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"client_cert": "", "client_key": ""}, id="no-client-certificate"),
        pytest.param({"server_ca": "OTHER"}, id="a-ca-that-did-not-sign-the-server"),
        pytest.param({"server_name": "wrong.example"}, id="a-name-not-on-the-certificate"),
    ],
)
async def test_a_wrong_tls_setting_is_refused(
    pki: Pki, mtls_proxy: TlsProxy, change: dict[str, str]
) -> None:
    good = Settings.from_env(mtls_environment(pki, mtls_proxy)).temporal_security
    if change.get("server_ca") == "OTHER":
        change = {"server_ca": pki.other_ca.read_text()}
    with pytest.raises(RuntimeError, match="connect"):
        await connect(f"127.0.0.1:{mtls_proxy.port}", "default", security=_without(good, **change))


async def test_api_key_goes_over_tls(
    pki: Pki, tls_proxy_no_client_cert: TlsProxy, tmp_path: Path
) -> None:
    # Given an API key in a file (Temporal Cloud's way) and the server's CA
    key_file = tmp_path / "api-key"
    key_file.write_text("cloud-api-key-0123456789\n")
    settings = Settings.from_env(
        {
            "GLOWPATH_TEMPORAL_ADDRESS": f"127.0.0.1:{tls_proxy_no_client_cert.port}",
            "GLOWPATH_TEMPORAL_API_KEY_FILE": str(key_file),
            "GLOWPATH_TEMPORAL_TLS_CA_FILE": str(pki.ca),
            "GLOWPATH_TEMPORAL_TLS_SERVER_NAME": SERVER_NAME,
        }
    )
    # Then the client sends the key, over TLS (the dev server accepts any key)
    client = await connect(
        settings.temporal_address, "default", security=settings.temporal_security
    )
    await client.workflow_service.get_system_info(GetSystemInfoRequest())
    assert client.api_key == "cloud-api-key-0123456789"
    assert isinstance(client.service_client.config.tls, TLSConfig)
    assert tls_proxy_no_client_cert.handshakes >= 1


def test_an_api_key_alone_turns_tls_on() -> None:
    # Temporal Cloud: the system's roots verify it, no CA to give
    security = Settings.from_env({"GLOWPATH_TEMPORAL_API_KEY": "k" * 20}).temporal_security
    options = security.connect_options()
    assert options["api_key"] == "k" * 20
    assert options["tls"] == TLSConfig()


def test_plain_text_by_default() -> None:
    assert Settings.from_env({}).temporal_security.connect_options() == {
        "tls": False,
        "api_key": None,
    }


async def test_api_worker_and_reconcile_processes_use_the_same_tls_settings(
    start: Any, database: str, pki: Pki, mtls_proxy: TlsProxy
) -> None:
    # Given `glowpath api` and `glowpath worker` configured for mutual TLS through files only
    api_ops, worker_ops = free_port(), free_port()
    tls = mtls_environment(pki, mtls_proxy)
    api_env = environment(database, tls.pop("GLOWPATH_TEMPORAL_ADDRESS"), **tls)
    api_env.update(GLOWPATH_HTTP_PORT=str(free_port()), GLOWPATH_OPS_PORT=str(api_ops))
    worker_env = {**api_env, "GLOWPATH_OPS_PORT": str(worker_ops)}
    api, api_log = start("api", api_env)
    worker, worker_log = start("worker", worker_env)
    # Then both are ready: Temporal answered each over mutual TLS, and the worker polls
    await wait_ready(f"http://127.0.0.1:{api_ops}/readyz", api, api_log)
    await wait_ready(f"http://127.0.0.1:{worker_ops}/readyz", worker, worker_log)
    handshakes = mtls_proxy.handshakes
    assert handshakes >= 2
    # And `glowpath reconcile` reaches Temporal the same way (on a clinic of no journeys: the
    # suite's other tests leave many, each a query through the TLS relay; an id naming no clinic
    # is refused before Temporal is asked)
    quiet = await Clinic.create(id=f"tls-{uuid.uuid4().hex}", name="No journeys")
    checked = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "server.cli", "reconcile", "--clinic", quiet.id],
        env=api_env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    # (drafts and claims are settled for every clinic: the suite's others may leave drift there)
    assert checked.stdout.strip().endswith("drift(s) found"), checked.stderr
    assert mtls_proxy.handshakes > handshakes
    assert await stop(api) == 0
    assert await stop(worker) == 0
