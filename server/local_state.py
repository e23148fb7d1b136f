"""The folders a command keeps its local state in, made before it starts anything."""

from __future__ import annotations

from pathlib import Path

from server.settings import Settings, SettingsError, env_name


def prepare_local_state(settings: Settings, command: str) -> None:
    """Makes the folders a command keeps its state in: the SQLite database's (SQLite does not
    make it) and, under `dev`, the data folder (Temporal's state and log). Raises SettingsError
    naming the settings when one cannot be made, before the command starts anything."""
    folders = [settings.data_dir] if command == "dev" else []
    database: Path | None = None
    if settings.database_url.startswith("sqlite://") and command != "export-schema":
        path = settings.database_url.removeprefix("sqlite://").partition("?")[0]
        if path and path != ":memory:":
            database = Path(path)
            folders.append(database.parent)
    settings_named = f"check {env_name('data_dir')} and {env_name('database_url')}"
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SettingsError(
                f"cannot make the folder {folder}: {exc.strerror}: {settings_named}"
            ) from None
    if database is not None and database.is_dir():
        raise SettingsError(
            f"the SQLite database {database} is a folder: check {env_name('database_url')}"
        )
