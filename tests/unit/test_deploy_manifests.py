"""The deployment examples: Kubernetes manifests valid against the API schemas (offline, with
`kubernetes-validate`), probes on the operations port, secrets as files only; the compose file
keeps probes and metrics off the public port."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from tortoise.backends.base.config_generator import expand_db_url

from server.setting_sources import FILE_SUFFIX
from server.settings import Settings, SettingsError, env_name

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = sorted((ROOT / "deploy" / "k8s").glob("*.yaml"))
KUBERNETES_VERSIONS = ("1.30.0", "1.37.0")  # an older supported release and the newest known
KNOWN = {env_name(f) for f in Settings.__dataclass_fields__}
KNOWN |= {name + FILE_SUFFIX for name in KNOWN}


def resources() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for path in MANIFESTS:
        found += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    return found


def by_kind(kind: str) -> list[dict[str, Any]]:
    return [r for r in resources() if r["kind"] == kind]


def pod_specs() -> dict[str, dict[str, Any]]:
    workloads = by_kind("Deployment") + by_kind("Job")
    return {w["metadata"]["name"]: w["spec"]["template"]["spec"] for w in workloads}


def config() -> dict[str, str]:
    (config_map,) = by_kind("ConfigMap")
    data: dict[str, str] = config_map["data"]
    return data


def test_the_examples_exist() -> None:
    names = {p.name for p in MANIFESTS}
    assert {"api.yaml", "worker.yaml", "config.yaml", "secrets.yaml"} <= names
    assert {d["metadata"]["name"] for d in by_kind("Deployment")} == {
        "glowpath-api",
        "glowpath-worker",
    }


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_each_manifest_is_valid_for_kubernetes(path: Path, version: str) -> None:
    for resource in yaml.safe_load_all(path.read_text()):
        if resource:  # strict: an unknown or misspelt field is an error too
            kubernetes_validate.validate(resource, version, strict=True)


def test_the_config_names_only_real_settings() -> None:
    unknown = set(config()) - KNOWN
    assert not unknown, f"not settings: {sorted(unknown)}"


def test_secrets_reach_the_containers_as_files_only() -> None:
    for name, spec in pod_specs().items():
        for container in spec["containers"]:
            # No secret in an environment variable (visible in `kubectl describe`, crash dumps)
            for variable in container.get("env", []):
                assert "secretKeyRef" not in variable.get("valueFrom", {}), (name, variable)
            secret_mounts = {
                m["mountPath"]
                for m in container["volumeMounts"]
                if any(v["name"] == m["name"] and "secret" in v for v in spec["volumes"])
            }
            # Every *_FILE setting points into a secret mounted in this container
            for setting, path in config().items():
                if setting.endswith(FILE_SUFFIX):
                    assert any(path.startswith(m + "/") for m in secret_mounts), (name, setting)
    for setting in (
        "GLOWPATH_SECRET_KEY",
        "GLOWPATH_DATABASE_PASSWORD",
        "GLOWPATH_TEMPORAL_TLS_KEY",
    ):
        assert setting not in config() and setting + FILE_SUFFIX in config()


def test_probes_use_the_operations_port_and_the_service_only_the_public_one() -> None:
    ops_port = int(config()["GLOWPATH_OPS_PORT"])
    for deployment in by_kind("Deployment"):
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        assert ports["ops"] == ops_port
        assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "ops"}
        assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "ops"}
        # a process waiting for Temporal is alive, not restarted: only readiness asks for it
        startup = container.get("startupProbe", {"httpGet": {"path": "/healthz"}})
        assert startup["httpGet"]["path"] == "/healthz"
    (service,) = by_kind("Service")
    assert [p["targetPort"] for p in service["spec"]["ports"]] == ["http"]


def test_compose_keeps_probes_and_metrics_off_the_public_port() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    environment = compose["x-glowpath"]["environment"]
    ops = environment["GLOWPATH_OPS_PORT"]
    assert ops != environment["GLOWPATH_HTTP_PORT"]
    assert environment["GLOWPATH_INTROSPECTION"].endswith(":-false}")
    for service in ("api", "worker"):
        probe = " ".join(compose["services"][service]["healthcheck"]["test"])
        assert f"127.0.0.1:{ops}/readyz" in probe, service
    assert compose["services"]["api"]["ports"] == ["${GLOWPATH_API_PORTS:-8000-8009}:8000"]


def test_the_local_photo_store_has_a_persistent_volume_until_s3_is_chosen() -> None:
    assert config()["GLOWPATH_PHOTO_STORE"] == "local"
    (claim,) = by_kind("PersistentVolumeClaim")
    spec = pod_specs()["glowpath-api"]
    volumes = {v["name"]: v for v in spec["volumes"]}
    (container,) = spec["containers"]
    (mount,) = [
        m for m in container["volumeMounts"] if m["mountPath"] == config()["GLOWPATH_PHOTO_DIR"]
    ]
    assert volumes[mount["name"]]["persistentVolumeClaim"]["claimName"] == claim["metadata"]["name"]
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert compose["x-glowpath"]["environment"]["GLOWPATH_PHOTO_STORE"].endswith(":-local}")
    assert "photos:/home/glowpath/var/photos" in compose["services"]["api"]["volumes"]


def _user(url: str) -> str:
    return url.split("://", 1)[1].split("@", 1)[0].split(":", 1)[0]


def test_the_services_log_in_as_the_role_migrate_grants_not_the_tables_owner() -> None:
    # (a superuser or the owner can get round the append-only triggers)
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    owner = _user(services["migrate"]["environment"]["GLOWPATH_DATABASE_URL"])
    assert owner == services["postgresql"]["environment"]["POSTGRES_USER"]
    for service in ("api", "worker"):
        assert _user(services[service]["environment"]["GLOWPATH_DATABASE_URL"]) == "glowpath_app"
    assert services["migrate"]["command"][-2:] == ["--grant-to", "glowpath_app"]
    # migrate creates the role when the volume has none, with the password the services use
    password = services["migrate"]["environment"]["GLOWPATH_APP_DB_PASSWORD"]
    assert services["api"]["environment"]["GLOWPATH_DATABASE_PASSWORD"] == password
    # Kubernetes: the ConfigMap's URL for the services, the job's own for the tables' owner
    assert _user(config()["GLOWPATH_DATABASE_URL"]) == "glowpath_app"
    migrate = pod_specs()["glowpath-migrate"]["containers"][0]
    assert migrate["command"][-2:] == ["--grant-to", "glowpath_app"]
    job_env = {v["name"]: v["value"] for v in migrate["env"]}
    assert _user(job_env["GLOWPATH_DATABASE_URL"]) not in ("", "glowpath_app")


def _interpolated(value: str, host: dict[str, str]) -> str:
    """Compose's `${NAME}`, `${NAME:-default}` and `${NAME:?error}` on the host's variables."""

    def one(match: re.Match[str]) -> str:
        name, operator, default = match.group(1), match.group(2), match.group(3) or ""
        if host.get(name):
            return host[name]
        assert operator != ":?", f"compose stops: {name} is required ({default})"
        return default

    return re.sub(r"\$\{(\w+)(?:(:-|:\?)([^}]*))?\}", one, value)


def _service_environment(service: str, host: dict[str, str]) -> dict[str, str]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    environment = compose["services"][service]["environment"]
    return {name: _interpolated(str(value), host) for name, value in environment.items()}


def test_compose_takes_the_secret_key_as_a_variable_or_as_a_file(tmp_path: Path) -> None:
    key_file = tmp_path / "glowpath_secret_key"
    key_file.write_text("f" * 40 + "\n")
    for host, key in [
        ({"GLOWPATH_SECRET_KEY": "v" * 40}, "v" * 40),
        ({"GLOWPATH_SECRET_KEY_FILE": str(key_file)}, "f" * 40),
    ]:
        for service in ("api", "worker"):
            settings = Settings.from_env(_service_environment(service, host))
            assert settings.secret_key == key and settings.exposure_problem() is None, service
    # With neither, compose starts the API and it refuses: the development key on 0.0.0.0
    exposure = Settings.from_env(_service_environment("api", {})).exposure_problem()
    assert exposure is not None and "GLOWPATH_SECRET_KEY" in exposure


@pytest.mark.parametrize("password", ["plain", "p@ss/w:rd#1%41?x"])
def test_compose_database_passwords_reach_the_driver_whole(password: str) -> None:
    host = {
        "GLOWPATH_SECRET_KEY": "v" * 40,
        "POSTGRES_PASSWORD": f"owner-{password}",
        "GLOWPATH_APP_DB_PASSWORD": password,
    }
    for service, user, expected in [
        ("api", "glowpath_app", password),
        ("worker", "glowpath_app", password),
        ("migrate", "glowpath", f"owner-{password}"),
    ]:
        url = Settings.from_env(_service_environment(service, host)).database_url
        credentials = expand_db_url(url)["credentials"]
        assert (credentials["user"], credentials["password"]) == (user, expected), service
        assert (credentials["host"], credentials["database"]) == ("postgresql", "glowpath")
    migrate = Settings.from_env(_service_environment("migrate", host))
    assert migrate.app_db_password == password


def test_a_database_password_in_the_url_and_in_its_own_variable_is_refused() -> None:
    environ = {
        "GLOWPATH_DATABASE_URL": "postgres://glowpath_app:old@db:5432/glowpath",
        "GLOWPATH_DATABASE_PASSWORD": "new",
    }
    with pytest.raises(SettingsError, match=r"GLOWPATH_DATABASE_PASSWORD is set: .*already"):
        Settings.from_env(environ)


# Settings that hold a credential (kept out of the settings' repr): named by their _FILE twin only.
# (The database URL is one only when it holds a password: the URL check below sees to that.)
CREDENTIALS = {env_name(f.name) for f in fields(Settings) if not f.repr} - {"GLOWPATH_DATABASE_URL"}
# scheme://user:password@...: a password inlined in a URL, which no setting percent-encodes
URL_WITH_PASSWORD = re.compile(r"\b[a-z][a-z0-9+.-]*://[^/@\s:]*:[^/@\s]*@", re.I)


def _strings(node: object) -> list[str]:
    if isinstance(node, dict):
        return [s for key, value in node.items() for s in _strings(key) + _strings(value)]
    if isinstance(node, list):
        return [s for item in node for s in _strings(item)]
    return [node] if isinstance(node, str) else []


def _container_env(spec: dict[str, Any]) -> dict[str, str]:
    (container,) = spec["containers"]
    return {v["name"]: v["value"] for v in container.get("env", []) if "value" in v}


def test_no_credential_is_inlined_in_a_manifest_or_the_compose_file() -> None:
    # Not in a URL, anywhere: a Secret's value is a file of one value, a URL's password given
    # apart (GLOWPATH_DATABASE_PASSWORD), so rotating it touches one value and any character fits
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for value in _strings(resources()) + _strings(compose):
        assert not URL_WITH_PASSWORD.search(value), value
    # Nor as a setting's value: in the ConfigMap and the containers, only as its _FILE twin
    named = set(config())
    for spec in pod_specs().values():
        named |= set(_container_env(spec))
    assert not named & CREDENTIALS, sorted(named & CREDENTIALS)
    assert {"GLOWPATH_SECRET_KEY", "GLOWPATH_DATABASE_PASSWORD"} <= CREDENTIALS


def _pod_database_environment(name: str, secrets: Path) -> dict[str, str]:
    """The database settings `name`'s container starts with, each secret volume's keys written
    under `secrets` as Kubernetes mounts them (one file per key), holding `<key>-p@ss/w:rd#%`."""
    spec = pod_specs()[name]
    (container,) = spec["containers"]
    stored = {s["metadata"]["name"]: s["stringData"] for s in by_kind("Secret")}
    mounted: dict[str, Path] = {}
    for mount in container["volumeMounts"]:
        (volume,) = [v for v in spec["volumes"] if v["name"] == mount["name"]]
        if "secret" in volume:
            folder = secrets / volume["name"]
            folder.mkdir(exist_ok=True)
            for key in stored[volume["secret"]["secretName"]]:
                (folder / key).write_text(f"{key}-p@ss/w:rd#%\n")
            mounted[mount["mountPath"]] = folder
    environ = {**config(), **_container_env(spec)}
    for setting, value in environ.items():
        for path, folder in mounted.items():
            if setting.endswith(FILE_SUFFIX) and value.startswith(path + "/"):
                environ[setting] = str(folder / value.removeprefix(path + "/"))
    database = ("GLOWPATH_DATABASE_URL", "GLOWPATH_DATABASE_PASSWORD", "GLOWPATH_APP_DB_PASSWORD")
    return {k: v for k, v in environ.items() if k.removesuffix(FILE_SUFFIX) in database}


@pytest.mark.parametrize(
    ("pod", "user", "password_key"),
    [
        ("glowpath-api", "glowpath_app", "app-database-password"),
        ("glowpath-worker", "glowpath_app", "app-database-password"),
        ("glowpath-migrate", "glowpath", "migrate-database-password"),
    ],
)
def test_each_pod_logs_in_with_the_password_of_its_secret(
    tmp_path: Path, pod: str, user: str, password_key: str
) -> None:
    settings = Settings.from_env(_pod_database_environment(pod, tmp_path))
    credentials = expand_db_url(settings.database_url)["credentials"]
    assert (credentials["user"], credentials["password"]) == (user, f"{password_key}-p@ss/w:rd#%")
    if pod == "glowpath-migrate":  # it creates the services' role with their own password
        assert settings.app_db_password == "app-database-password-p@ss/w:rd#%"
