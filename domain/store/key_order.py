"""A clinic's templates and procedure types listed by key in one order whatever the database's
locale: by code point, as Python sorts `str` (every version of them here; the newest versions
in `version_lists.newest_versions`, by the same rule), to take the first 500.

A locale's collation (en_US) weighs letters before case and punctuation, so 'Filler' and
'filler', 'filler-b' and 'filler_a' came back in one order from SQL and in another from Python.
UTF-8 compared byte by byte keeps code point order: PostgreSQL's "C" collation does, and so
does SQLite's default (BINARY).
"""

from __future__ import annotations

from typing import TypeVar

from tortoise.expressions import RawSQL
from tortoise.models import Model
from tortoise.queryset import QuerySet

from domain.store.sql import is_postgres

M = TypeVar("M", bound=Model)

# The annotation the query is ordered by (read back with each row, unused).
_ORDER = "key_in_code_point_order"


def by_key(query: QuerySet[M], model: type[M], column: str, *then: str) -> QuerySet[M]:
    """`query` ordered by `column` in code point order, then by `then`."""
    collated = '"{}" COLLATE "C"' if is_postgres(model._meta.db) else '"{}"'
    return query.annotate(**{_ORDER: RawSQL(collated.format(column))}).order_by(_ORDER, *then)
