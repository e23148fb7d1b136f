"""The ``glowpath`` command: the dev stack, the API server, the worker, migrations, demo data."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from server import devstack, tracing
from server.cli_failures import connection_failure
from server.local_state import prepare_local_state
from server.logs import configure_logging
from server.setting_values import LOG_FORMATS
from server.settings import Settings, SettingsError, env_name

log = logging.getLogger("glowpath")
Login = tuple[str, str, str]  # (username, password, role)
# Commands that sign or check tokens: the only ones the development key concerns. Neither starts
# with it on an address other than loopback; the worker listens there too (its probes and
# metrics), but signs nothing, so the key it has no use for never stops it.
SIGNING_COMMANDS = ("api", "dev")


def logins_table(logins: Sequence[Login]) -> str:
    rows = [("username", "password", "role"), *logins]
    widths = [max(len(str(row[i])) for row in rows) for i in range(3)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join("  " + line.rstrip() for line in lines)


def cmd_migrate(settings: Settings, args: argparse.Namespace) -> int:
    from domain.store.app_role import RoleRefused
    from server import db

    if args.set_password and not args.grant_to:
        print(
            "glowpath migrate: --set-password sets the password of --grant-to ROLE", file=sys.stderr
        )
        return 2
    try:
        asyncio.run(db.migrate(settings, args.grant_to, set_password=args.set_password))
    except RoleRefused as refused:
        print(f"glowpath migrate: the schema is current; not granted: {refused}", file=sys.stderr)
        return 2
    return 0


def cmd_seed(settings: Settings, args: argparse.Namespace) -> int:
    from server import seed

    logins = asyncio.run(seed.seed_demo(settings))
    print("Demo logins:\n" + logins_table(logins))
    return 0


def cmd_create_admin(settings: Settings, args: argparse.Namespace) -> int:
    from server import accounts

    password = accounts.read_password()
    print(asyncio.run(accounts.create_admin(settings, args, password)))
    return 0


def cmd_api(settings: Settings, args: argparse.Namespace) -> int:
    from server import app

    asyncio.run(devstack.run_until_signal(app.serve(settings)))
    return 0


def cmd_worker(settings: Settings, args: argparse.Namespace) -> int:
    asyncio.run(devstack.run_until_signal(run_worker(settings)))
    return 0


async def run_worker(settings: Settings) -> None:
    """The worker, and its probes on ``GLOWPATH_WORKER_HTTP_PORT`` when set."""
    from server.probes import serve_probes
    from workflows import worker

    status = worker.WorkerStatus()
    async with asyncio.TaskGroup() as group:
        group.create_task(worker.serve(settings, status), name="glowpath-worker")
        group.create_task(serve_probes(settings, status), name="glowpath-worker-probes")


def cmd_export_schema(settings: Settings, args: argparse.Namespace) -> int:
    from schema import export_sdl

    sdl = export_sdl()
    output = Path(args.output)
    if args.check:
        current = output.read_text(encoding="utf-8") if output.is_file() else None
        if current != sdl:
            print(
                f"{output} does not match the schema: run `make schema` and commit the result",
                file=sys.stderr,
            )
            return 1
        print(f"{output} is up to date")
        return 0
    try:
        output.write_text(sdl, encoding="utf-8")
    except OSError as exc:
        print(f"glowpath export-schema: cannot write {output}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"wrote {output}")
    return 0


def dev_conveniences(settings: Settings, environ: Mapping[str, str] = os.environ) -> Settings:
    """`glowpath dev` turns GraphiQL and introspection on, unless a variable says otherwise."""
    chosen = {
        name
        for name in ("graphiql", "introspection")
        if environ.get(env_name(name), "").strip() or environ.get(env_name(name) + "_FILE", "")
    }
    return dataclasses.replace(
        settings,
        graphiql=settings.graphiql if "graphiql" in chosen else True,
        introspection=settings.introspection if "introspection" in chosen else True,
    )


def cmd_dev(settings: Settings, args: argparse.Namespace) -> int:
    settings = dev_conveniences(settings)
    asyncio.run(devstack.run_until_signal(run_dev(settings)))
    return 0


async def run_dev(settings: Settings) -> None:
    """Temporal dev server, migrations, demo data, worker and API: all in this process tree."""
    from domain.store.db import close_db, init_db
    from server import app, db, seed
    from workflows import worker

    host, port = "127.0.0.1", settings.dev_temporal_port
    temporal: devstack.TemporalDevServer | None = None
    if devstack.port_open(host, port):
        log.warning("%s:%s is taken: using the Temporal server already listening there", host, port)
    else:
        temporal = devstack.TemporalDevServer(
            data_dir=settings.data_dir,
            port=port,
            ip=host,
            namespace=settings.temporal_namespace,
            search_attributes=getattr(worker, "SEARCH_ATTRIBUTES", None),
        )
        await temporal.start()
    settings = dataclasses.replace(settings, temporal_address=f"{host}:{port}")
    try:
        await db.migrate(settings)
        logins = await seed.seed_demo(settings)
        # Stopped in order: the API first, then the worker, then Temporal. The API's in-flight
        # requests wait on journey updates that only this worker runs: stopping both at once
        # left them waiting until their own timeout (30 s) after a SIGINT during traffic.
        # The API and the worker share this process's one Tortoise context: it is opened
        # once and closed after both have stopped. Each closing it on its own way out closed
        # it under the worker while the worker still wrote (a follow-up falling due during
        # the shutdown failed its write), and a write holding the closed client opens a
        # connection nobody closes, whose thread keeps the process from exiting.
        await init_db(settings.database_url, settings.database_tls)
        try:
            worker_task = asyncio.create_task(
                worker.serve(settings, own_database=False), name="glowpath-worker"
            )
            try:
                async with asyncio.TaskGroup() as group:
                    group.create_task(_fail_with(worker_task), name="glowpath-worker-watch")
                    group.create_task(app.serve(settings, own_database=False), name="glowpath-api")
                    group.create_task(_announce(settings, f"http://{host}:{port + 1000}", logins))
            finally:
                await _stop_task(worker_task)
        finally:
            await close_db()
    finally:
        if temporal is not None:
            await temporal.stop()


async def _fail_with(task: asyncio.Task[None]) -> None:
    """Ends when ``task`` does, raising its error (which stops the group it runs in); when the
    group is cancelled, ``task`` itself goes on until it is stopped on its own."""
    await asyncio.shield(task)


async def _stop_task(task: asyncio.Task[None]) -> None:
    failed_before = task.done() and not task.cancelled() and task.exception() is not None
    task.cancel()
    await asyncio.wait({task})
    if task.cancelled() or failed_before:  # a failure before the stop surfaced in the group
        return
    if task.exception() is not None:
        log.error("the worker failed while stopping", exc_info=task.exception())


async def _announce(settings: Settings, ui_url: str, logins: Sequence[Login]) -> None:
    host = "127.0.0.1" if settings.http_host in ("0.0.0.0", "::", "") else settings.http_host
    port = settings.http_port
    if port and not await devstack.wait_for_port(host, port, timeout=30):
        log.warning("the API is not listening on %s:%s yet", host, port)
    graphiql = " (GraphiQL in the browser)" if settings.graphiql else ""
    print(
        "\nGlowpath dev stack is running\n"
        f"  GraphQL      http://{host}:{port}/graphql{graphiql}\n"
        f"  Temporal UI  {ui_url}\n"
        f"  Temporal     {settings.temporal_address}, namespace {settings.temporal_namespace}, "
        f"task queue {settings.task_queue}\n"
        f"  Data         {settings.data_dir}/\n"
        f"Demo logins:\n{logins_table(logins)}\n"
        "Press Ctrl-C to stop.\n",
        flush=True,
    )


Handler = Callable[[Settings, argparse.Namespace], int]


def cmd_reconcile(settings: Settings, args: argparse.Namespace) -> int:
    from server.reconcile import UnknownClinic, reconcile

    try:
        found = asyncio.run(
            reconcile(
                settings.database_url,
                settings.temporal_address,
                settings.temporal_namespace,
                tls=settings.database_tls,
                security=settings.temporal_security,
                clinic_id=args.clinic,
            )
        )
    except UnknownClinic as unknown:
        print(f"glowpath reconcile: {unknown}", file=sys.stderr)
        return 2
    for settled in found.settled:
        print(f"{settled.journey_id}: {settled.subject} {settled.outcome.value}: {settled.why}")
    for item in found.drift:
        print(f"{item.journey_id}: {item.problem}")
    print(f"{len(found.drift)} drift(s) found")
    return 1 if found.drift else 0


def cmd_audit_verify(settings: Settings, args: argparse.Namespace) -> int:
    from server.audit import UnknownClinic, describe, verify

    try:
        report = asyncio.run(verify(settings.database_url, args.clinic, settings.database_tls))
    except UnknownClinic as unknown:
        print(f"glowpath audit verify: {unknown}", file=sys.stderr)
        return 2
    print("\n".join(describe(report)))
    return 1 if report.breaks else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="glowpath",
        description="Glowpath clinic backend. Settings come from GLOWPATH_* variables.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, handler: Handler, text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=text, description=text)
        sub.set_defaults(handler=handler)
        return sub

    add("dev", cmd_dev, "run everything locally: Temporal dev server, worker, API, demo data")
    add("api", cmd_api, "serve the GraphQL API until SIGTERM/SIGINT")
    add("worker", cmd_worker, "run the Temporal worker until SIGTERM/SIGINT")
    migrate = add("migrate", cmd_migrate, "create or upgrade the read-model database")
    migrate.add_argument(
        "--grant-to",
        metavar="ROLE",
        help="then grant this PostgreSQL role what the API and the worker need (run them as"
        " it: neither a superuser nor the tables' owner, so the append-only triggers hold),"
        " creating it with the password GLOWPATH_APP_DB_PASSWORD when it is missing",
    )
    migrate.add_argument(
        "--set-password",
        action="store_true",
        help="with --grant-to: set the existing role's password to GLOWPATH_APP_DB_PASSWORD"
        " (otherwise an existing role keeps its own)",
    )
    add("seed", cmd_seed, "load the demo clinic (idempotent) and print its logins")
    from server.accounts import add_arguments as admin_arguments

    admin_arguments(add("create-admin", cmd_create_admin, "create the first administrator"))
    reconcile = add(
        "reconcile",
        cmd_reconcile,
        "compare the read model with the workflows, void drafts and release claims they"
        " disown; exit 1 on drift",
    )
    reconcile.add_argument(
        "--clinic", help="compare this clinic's journeys and counters only (drafts and claims: all)"
    )
    audit = commands.add_parser("audit", help="the audit trail of client-data access")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify_text = "recompute every clinic's audit chain; exit 1 naming the first broken entry"
    verify = audit_commands.add_parser("verify", help=verify_text, description=verify_text)
    verify.set_defaults(handler=cmd_audit_verify)
    verify.add_argument("--clinic", help="check this clinic's chain only")
    export = add("export-schema", cmd_export_schema, "write the GraphQL schema as SDL")
    export.add_argument("--output", default="schema.graphql", help="default: %(default)s")
    export.add_argument("--check", action="store_true", help="exit 1 if the file differs")
    return parser


def log_format_for(command: str, environ: Mapping[str, str] = os.environ) -> str:
    """JSON lines unless ``GLOWPATH_LOG_FORMAT`` says otherwise; text for people under `dev`."""
    chosen = environ.get(env_name("log_format"), "").strip().lower()
    if chosen in LOG_FORMATS:
        return chosen
    people = ("dev", "export-schema", "seed", "reconcile", "create-admin", "audit")
    return "text" if command in people else "json"


def main(argv: Sequence[str] | None = None) -> int:
    code = _run(argv)
    _leave_before_temporal_threads(code)
    return code


def _leave_before_temporal_threads(code: int) -> None:
    """Ends the process at once when the command ran a Temporal client. The SDK's Rust threads
    outlive the event loop, and one that takes the GIL while the interpreter finalizes aborts the
    process (`Fatal Python error: PyGILState_Release`, temporalio/sdk-python issue 300): seen
    after `reconcile` had printed its answer, turning its exit status 1 into a crash. By then
    the command has closed what it opened; the logs and the two streams are flushed first."""
    connect = sys.modules.get("workflows.connect")
    if connect is None or not connect.runtime_started():
        return
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _run(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging("INFO", log_format_for(args.command))
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"glowpath: {exc}", file=sys.stderr)
        return 2
    logging.getLogger().setLevel(settings.log_level)
    exposure = settings.exposure_problem() if args.command in SIGNING_COMMANDS else None
    if exposure:
        print(f"glowpath: refusing to start: {exposure}", file=sys.stderr)
        return 2
    try:
        prepare_local_state(settings, args.command)
    except SettingsError as exc:
        print(f"glowpath: {exc}", file=sys.stderr)
        return 2
    if settings.uses_dev_secret and args.command in SIGNING_COMMANDS:
        log.warning(
            "%s is not set: using a fixed development key; never do this in production",
            env_name("secret_key"),
        )
    if settings.otel_enabled:
        tracing.setup_tracing(os.environ.get("OTEL_SERVICE_NAME") or f"glowpath-{args.command}")
    handler: Handler = args.handler
    try:
        return handler(settings, args)
    except devstack.DevServerError as exc:
        print(f"glowpath: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # ExceptionGroup included: the worker's and `dev`'s task groups
        failure = connection_failure(exc, settings)
        if failure is None:
            raise
        print(f"glowpath: {failure}", file=sys.stderr)
        return 1
    finally:
        tracing.shutdown_tracing()


if __name__ == "__main__":
    sys.exit(main())
