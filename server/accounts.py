"""`glowpath create-admin`: the first administrator of an installation, from the shell."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from collections.abc import Mapping

from tortoise.exceptions import IntegrityError

from domain.passwords import hash_password
from domain.roles import Role
from domain.store import administration as accounts
from domain.store.db import close_db, open_current_db
from server.setting_sources import SourceError, raw_value
from server.settings import Settings

ADMIN_CLINIC_ID = "administration"
PASSWORD_VARIABLE = "GLOWPATH_ADMIN_PASSWORD"
MIN_PASSWORD = 12


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--username", required=True, help="the administrator's login name")
    parser.add_argument("--display-name", default="Administrator")
    parser.add_argument(
        "--clinic-id",
        default=ADMIN_CLINIC_ID,
        help="the clinic the account belongs to; created if missing (default: %(default)s)",
    )


def read_password(environ: Mapping[str, str] = os.environ) -> str:
    """From GLOWPATH_ADMIN_PASSWORD or the file GLOWPATH_ADMIN_PASSWORD_FILE names (scripts),
    else asked twice on the terminal."""
    try:
        given = raw_value(environ, PASSWORD_VARIABLE)
    except SourceError as exc:
        raise SystemExit(f"glowpath: {exc}") from None
    if given:
        return given
    if not sys.stdin.isatty():
        raise SystemExit(
            f"glowpath: set {PASSWORD_VARIABLE} (or {PASSWORD_VARIABLE}_FILE) or run on a terminal"
        )
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Again: "):
        raise SystemExit("glowpath: the passwords differ")
    return first


async def create_admin(settings: Settings, args: argparse.Namespace, password: str) -> str:
    """Returns what happened, for the terminal; raises SystemExit on a refusal."""
    problems = accounts.account_problems(args.username, args.display_name, Role.ADMIN)
    problems += accounts.clinic_problems(args.clinic_id, "Administration", "UTC")
    if len(password) < MIN_PASSWORD:
        raise SystemExit(f"glowpath: the password needs at least {MIN_PASSWORD} characters")
    if problems:
        raise SystemExit("glowpath: " + "; ".join(f"{p.field}: {p.message}" for p in problems))
    # Refused on a read model that lacks a migration of this release, before the hashing.
    await open_current_db(settings.database_url, settings.database_tls)
    try:
        password_hash = await asyncio.to_thread(hash_password, password)
        await accounts.create_clinic(args.clinic_id, "Administration", "UTC")
        new = accounts.NewAccount(
            args.clinic_id,
            args.username,
            args.display_name,
            Role.ADMIN,
            password_hash,
            must_change_password=False,  # they chose it themselves, just now
        )
        try:
            account = await accounts.create_account(new)
        except IntegrityError:
            raise SystemExit(f"glowpath: the username {args.username} is taken") from None
        return f"created administrator {account.username} ({account.id})"
    finally:
        await close_db()
