"""A column a migration adds is dropped in place on the way back (`store.column_default`), which
SQLite refuses for a column an index or a reference covers: such a field is refused when the
migration is written, not when a clinic rolls back."""

from __future__ import annotations

import pytest
from tortoise import fields

from domain.store.column_default import AddFieldWithItsDefault, AddNullableField


@pytest.mark.parametrize(
    "field",
    [
        fields.CharField(max_length=8, null=True, db_index=True),
        fields.ForeignKeyField("models.Clinic", null=True),
    ],
    ids=["indexed", "referencing"],
)
def test_a_column_sqlite_could_not_drop_in_place_is_refused(field: fields.Field) -> None:
    with pytest.raises(ValueError, match="could not drop it in place"):
        AddNullableField(model_name="Journey", name="extra", field=field)


def test_a_plain_or_unique_column_is_taken() -> None:
    unique = fields.CharField(max_length=8, null=True, unique=True)
    assert AddNullableField(model_name="Journey", name="extra", field=unique).name == "extra"
    flag = fields.BooleanField(default=False)
    added = AddFieldWithItsDefault(model_name="Journey", name="flag", field=flag, default_sql="0")
    assert added.default_sql == "0"
