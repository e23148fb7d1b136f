"""What the hand-written statements of the hot paths share: placeholders per database, values
through each model field's own encoder, and rows read back as the models Tortoise would build.

A journey step runs a dozen small statements (the session's account, the journey row before and
after, the idempotency key's claim and settlement, the read-model write). Built by Tortoise's
query builder, each cost more CPU than the database spent running it (py-spy on the step
benchmark), so those few are SQL strings made once per dialect. Everything else stays with the
query builder: it is clearer, and off the hot path the difference does not show.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.fields import DatetimeField, Field
from tortoise.models import Model

M = TypeVar("M", bound=Model)


def is_postgres(connection: BaseDBAsyncClient) -> bool:
    return connection.capabilities.dialect == "postgres"


def marks(postgres: bool, count: int) -> list[str]:
    """`count` parameter placeholders: `$1, $2, ..` on PostgreSQL, `?` on SQLite."""
    return [f"${n}" for n in range(1, count + 1)] if postgres else ["?"] * count


def insert(postgres: bool, table: str, columns: Sequence[str], unique: str | None = None) -> str:
    """An INSERT of one row. With `unique` (the columns of a unique key, as SQL), a row
    clashing on that key is left as it was: the statement returns the new row's id, or no row
    (read it as rows: Tortoise's PostgreSQL client misreads an INSERT's count)."""
    names = ", ".join(f'"{name}"' for name in columns)  # quoted: `key` is a column name here
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(marks(postgres, len(columns)))})"
    return f"{sql} ON CONFLICT ({unique}) DO NOTHING RETURNING id" if unique else sql


def db_values(
    model: type[Model],
    row: Mapping[str, Any],
    columns: Sequence[str],
    encoded: Collection[str] = (),
) -> list[Any]:
    """`row`'s values for `columns`, each encoded as its model field encodes it (dates, JSON,
    flags), so a row written by hand is the row Tortoise would have written. The columns named
    in `encoded` hold values already encoded by their field (`encode`), passed as they are."""
    fields = model._meta.fields_map
    return [
        row[name] if name in encoded else _to_db(fields[name], row[name], model) for name in columns
    ]


def _to_db(field: Field[Any], value: Any, model: type[Model]) -> Any:
    # A time goes in as the model's constructor leaves it, in Tortoise's zone (UTC): its
    # `to_db_value` writes an aware time in its own zone, and SQLite compares times as text.
    if isinstance(field, DatetimeField) and isinstance(value, datetime):
        value = field.to_python_value(value)
    return field.to_db_value(value, model)


def encode(model: type[Model], column: str, value: Any) -> Any:
    """`value` as `model`'s field `column` writes it: for a value written to two rows (the
    journey's facts go to its event and its row), encoded once."""
    return model._meta.fields_map[column].to_db_value(value, model)


def columns_of(model: type[Model]) -> list[str]:
    """Every column of `model`'s table, in field order (a foreign key by its `_id` column)."""
    return list(model._meta.fields_db_projection.values())


def as_models(model: type[M], rows: Iterable[Mapping[str, Any]]) -> list[M]:
    """Rows holding every column of `model` (`columns_of`), as instances loaded from the
    database: the constructor Tortoise's own executor uses, so each value is decoded as a query
    through Tortoise would decode it (`tests/store/test_hand_written_sql.py` holds it to that)."""
    return [model._init_from_db(**row) for row in rows]
