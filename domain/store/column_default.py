"""A migration's new NOT NULL column that carries its default in the database.

Tortoise's `AddField` leaves a field's `default=` to the ORM: it adds the column `NOT NULL`
alone, which SQLite ("Cannot add a NOT NULL column with default value NULL") and PostgreSQL
("contains null values") both refuse on a table that holds rows, so a clinic upgrading with
rows there could not migrate. `AddFieldWithItsDefault` adds it with the database's own default
instead (one statement, the same on SQLite and PostgreSQL): the stored rows read as it without
an UPDATE, so an append-only table keeps its triggers, and a row written by a process of the
release before, in a rolling deploy, gets it too.

Rolled back, the column is dropped in place (`DROP COLUMN`, SQLite 3.35 and later): Tortoise's
`RemoveField` would rebuild the table on SQLite, and the rebuilt table has none of its triggers,
indexes and table-wide UNIQUE constraints, nor the references later added by hand (0011's
`journey_event.record_id`), so the way back would leave the schema otherwise than the migration
before made it. `AddNullableField` adds a nullable column as Tortoise does and drops it so on the
way back too: every column a migration adds is added by one of the two.
"""

from __future__ import annotations

from typing import Any

from tortoise.fields.base import Field
from tortoise.fields.relational import RelationalField
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import UniqueConstraint


class _DroppedInPlace(ops.AddField):
    """`AddField` whose column is dropped in place on the way back (the module's docstring)."""

    def __init__(self, model_name: str, name: str, field: Field[Any]) -> None:
        # SQLite refuses to drop a column an index or a reference covers, and only a column's
        # own uniqueness is taken off before the drop: such a field would fail its way back.
        if field.index or isinstance(field, RelationalField):
            raise ValueError(
                f"{model_name}.{name}: SQLite could not drop it in place on the way back"
            )
        super().__init__(model_name=model_name, name=name, field=field)

    async def database_backward(
        self, app_label: str, old_state: Any, new_state: Any, state_editor: Any = None
    ) -> None:
        if state_editor is None:
            return
        # As Tortoise's own way back: `old_state` is the one that holds the field.
        table, column, field = self._column(old_state, app_label)
        if field.unique and state_editor.DIALECT == "sqlite":
            # SQLite's `add_field` made the column's uniqueness an index of its own (PostgreSQL's
            # goes with the column), and SQLite refuses to drop a column an index covers.
            model = old_state.apps.get_model(f"{app_label}.{self.model_name}")
            await state_editor.remove_constraint(model, UniqueConstraint(fields=(column,)))
        await _run(state_editor, f'ALTER TABLE "{table}" DROP COLUMN "{column}"')

    def _column(self, state: Any, app_label: str) -> tuple[str, str, Field[Any]]:
        model = state.apps.get_model(f"{app_label}.{self.model_name}")
        field = model._meta.fields_map[self.name]
        return model._meta.db_table, model._meta.fields_db_projection[self.name], field


class AddNullableField(_DroppedInPlace):
    """`AddField` of a nullable `field`: the stored rows read as null."""

    def __init__(self, model_name: str, name: str, field: Field[Any]) -> None:
        if not field.null:
            raise ValueError(f"{model_name}.{name}: a NOT NULL column needs its default")
        super().__init__(model_name=model_name, name=name, field=field)


class AddFieldWithItsDefault(_DroppedInPlace):
    """`AddField` of a NOT NULL `field` whose column has `default_sql` (an SQL literal both
    databases read alike: `FALSE`, `'{}'`, `'NONE'`) as its database default; its type is the
    one Tortoise gives the field on the database at hand."""

    def __init__(self, model_name: str, name: str, field: Field[Any], default_sql: str) -> None:
        if field.null:
            raise ValueError(f"{model_name}.{name}: a nullable column needs no default")
        super().__init__(model_name=model_name, name=name, field=field)
        self.default_sql = default_sql

    async def database_forward(
        self, app_label: str, old_state: Any, new_state: Any, state_editor: Any = None
    ) -> None:
        if state_editor is None:
            return
        table, column, field = self._column(new_state, app_label)
        sql_type = field.get_for_dialect(state_editor.DIALECT, "SQL_TYPE")
        await _run(
            state_editor,
            f'ALTER TABLE "{table}" ADD COLUMN "{column}" {sql_type} NOT NULL'
            f" DEFAULT {self.default_sql}",
        )


async def _run(state_editor: Any, statement: str) -> None:
    if state_editor.collect_sql:  # the SQLite script of a new database
        state_editor.collected_sql.append(statement)
    else:
        await state_editor.client.execute_query(statement)
