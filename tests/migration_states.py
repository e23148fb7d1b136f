"""The migrator's replay of the migrations already applied, done once per test process.

Before it takes a migration forward, the ORM's migrator rebuilds the models' state by replaying
every applied migration from the first (`MigrationExecutor._project_state`); before it takes one
back, it does the same and keeps a copy of the state at every migration on the way
(`_project_state_cache`). With fifty migrations that is 3.6 s a call on an idle machine, 8 s a
call back, three to four times that under the suite's load, and a migration's test calls it two
to four times: most of those tests' time, on both databases.

The migrations' files do not change while the tests run, so the state after a given run of them
is always the same. Each state is built once, from the longest run already built, and kept
untouched; a caller gets a copy of it (the migrator changes the state it is handed). Only the
replay is kept: every migration a test takes still runs its SQL, on its own database. The state
holds no connection of its own (a model's `db` is the current context's), so one built for one
test's database serves the next's, of the same kind (a test process has one kind).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pytest
from tortoise.migrations.executor import MigrationExecutor
from tortoise.migrations.graph import MigrationKey
from tortoise.migrations.migration import Migration
from tortoise.migrations.schema_generator.state import State
from tortoise.migrations.schema_generator.state_apps import StateApps

# A run of migrations: each one's key and class (a module loaded anew is another run)
Run = tuple[tuple[MigrationKey, type], ...]


class _BuiltOnRead(dict[MigrationKey, State]):
    """The states before each migration of a way back, each built when the migrator asks for it:
    the migrator takes back a few migrations, and building all fifty up front would cost more
    than the replay saved."""

    def __init__(self, kept: KeptStates, executor: MigrationExecutor, keys: list[MigrationKey]):
        super().__init__()
        self._kept, self._executor, self._keys = kept, executor, keys

    def __missing__(self, key: MigrationKey) -> State:
        return self._kept.copy_after(self._executor, self._keys[: self._keys.index(key)])


class KeptStates:
    """States after runs of migrations, kept untouched: every `CHECKPOINT`-th migration's on the
    way and each one asked for. Copying a state costs about what replaying one or two
    migrations does, so keeping a state at every migration would cost what it saved."""

    CHECKPOINT = 8

    def __init__(self) -> None:
        self._states: dict[tuple[tuple[tuple[str, str], ...], Run], State] = {}

    def copy_after(self, executor: MigrationExecutor, keys: Sequence[MigrationKey]) -> State:
        """A copy of the state after the migrations `keys`, in order, the caller's to change."""
        nodes = executor.loader.graph.nodes
        run: Run = tuple((key, type(nodes[key])) for key in keys)
        connections = _default_connections(executor)
        named = tuple(sorted(connections.items()))
        if (named, run) in self._states:
            return self._states[named, run].clone()
        built = max((n for n in range(len(run)) if (named, run[:n]) in self._states), default=-1)
        if built < 0:
            state = State(models={}, apps=StateApps(default_connections=connections))
            built = 0
        else:
            state = self._states[named, run[:built]].clone()
        for n in range(built, len(run)):
            migration = nodes[run[n][0]]
            if migration is None:
                raise ValueError(f"Missing migration for {run[n][0]}")
            _replay(migration, state)
            if (n + 1) % self.CHECKPOINT == 0 and n + 1 < len(run):
                self._states[named, run[: n + 1]] = state.clone()
        self._states[named, run] = state.clone()
        return state


def _replay(migration: Migration, state: State) -> None:
    """What the migrator's dry run of `migration` does to the state (`Migration.apply` with
    `dry_run`): each operation's change of the models, then the check that every relation
    found its model. Done here as it is synchronous, so a state is built on read."""
    for operation in migration.operations:
        operation.state_forward(migration.app_label, state)
    state.validate_relations_initialized()


def _default_connections(executor: MigrationExecutor) -> dict[str, str]:
    # As the migrator names them for a state of its own
    return {
        label: config.get("default_connection", "default")
        for label, config in executor.loader.apps_config.items()
    }


def _applied_in_order(
    executor: MigrationExecutor, applied: set[MigrationKey]
) -> list[MigrationKey]:
    return [key for key in executor._full_plan() if key in applied]


@contextmanager
def replay_once() -> Iterator[KeptStates]:
    """Within the block, every migrator of this process replays a run of migrations once."""
    kept = KeptStates()

    async def project_state(
        self: MigrationExecutor, applied: set[MigrationKey], *, upto: MigrationKey | None = None
    ) -> State:
        keys = _applied_in_order(self, applied)
        if upto is not None and upto in keys:
            keys = keys[: keys.index(upto)]
        return kept.copy_after(self, keys)

    async def states_before_each(
        self: MigrationExecutor, applied: set[MigrationKey]
    ) -> dict[MigrationKey, State]:
        return _BuiltOnRead(kept, self, _applied_in_order(self, applied))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(MigrationExecutor, "_project_state", project_state)
        patch.setattr(MigrationExecutor, "_project_state_cache", states_before_each)
        yield kept
