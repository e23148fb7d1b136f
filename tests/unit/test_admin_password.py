"""`glowpath create-admin` reads its password as every setting is read: `GLOWPATH_ADMIN_PASSWORD`
or the file `GLOWPATH_ADMIN_PASSWORD_FILE` names (a mounted secret), never both."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.accounts import read_password


def test_the_password_may_come_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "admin-password"
    secret.write_text("first-admin-password\n")
    assert read_password({"GLOWPATH_ADMIN_PASSWORD_FILE": str(secret)}) == "first-admin-password"


def test_the_variable_still_gives_it() -> None:
    assert read_password({"GLOWPATH_ADMIN_PASSWORD": "first-admin-password"}) == (
        "first-admin-password"
    )


def test_both_or_an_empty_file_stop_naming_the_variables(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.write_text("")
    both = {"GLOWPATH_ADMIN_PASSWORD": "a" * 12, "GLOWPATH_ADMIN_PASSWORD_FILE": str(empty)}
    with pytest.raises(SystemExit, match="GLOWPATH_ADMIN_PASSWORD and GLOWPATH_ADMIN_PASSWORD_F"):
        read_password(both)
    with pytest.raises(SystemExit, match=r"GLOWPATH_ADMIN_PASSWORD_FILE: the file .* is empty"):
        read_password({"GLOWPATH_ADMIN_PASSWORD_FILE": str(empty)})
