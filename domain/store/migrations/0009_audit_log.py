from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from domain.store.append_only import guard_function_dropped_going_back, protect_tables

# The database itself refuses to edit the audit trail: the entries get the triggers every
# append-only table gets (domain.store.append_only); `forward_only_head` is the audit chain
# head's own rule (it may only move on to a higher seq, never back and never away).

_PG_FORWARD_ONLY = """
CREATE OR REPLACE FUNCTION {table}_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.clinic_id = OLD.clinic_id AND NEW.seq > OLD.seq THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{table} only moves forward: % refused', TG_OP;
END $$;
"""


def _pg_triggers(table: str, function: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
    ]


def _sqlite_trigger(table: str, event: str, message: str, when: str = "") -> str:
    return (
        f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} {when} "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
    )


def _by_dialect(statements, undo):
    """A RunPython operation running the statements for the database's dialect."""

    async def run(statements_by_dialect, schema_editor):
        dialect = schema_editor.client.capabilities.dialect
        if dialect not in statements_by_dialect:
            raise NotImplementedError(f"no append-only triggers for {dialect}")
        for statement in statements_by_dialect[dialect]:
            if dialect == "sqlite" and not schema_editor.collect_sql:
                # The SQLite editor splits scripts on ";", which would cut a trigger's body.
                await schema_editor.client.execute_query(statement)
            else:
                await schema_editor._run_sql(statement)

    return ops.RunPython(
        lambda apps, schema_editor: run(statements, schema_editor),
        lambda apps, schema_editor: run(undo, schema_editor),
    )


def forward_only_head(table):
    """Allows an UPDATE only to a higher seq of the same clinic; refuses DELETE."""
    refused = f"{table} only moves forward"
    moves_back = "FOR EACH ROW WHEN NEW.seq <= OLD.seq OR NEW.clinic_id <> OLD.clinic_id"
    return _by_dialect(
        {
            "postgres": [
                _PG_FORWARD_ONLY.format(table=table),
                *_pg_triggers(table, f"{table}_forward_only"),
            ],
            "sqlite": [
                _sqlite_trigger(table, "UPDATE", f"{refused}: UPDATE refused", moves_back),
                _sqlite_trigger(table, "DELETE", f"{refused}: DELETE refused"),
            ],
        },
        {
            "postgres": [
                f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}",
                f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
                f"DROP FUNCTION IF EXISTS {table}_forward_only()",
            ],
            "sqlite": [
                f"DROP TRIGGER IF EXISTS {table}_no_update",
                f"DROP TRIGGER IF EXISTS {table}_no_delete",
            ],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("models", "0008_token_lifecycle")]

    initial = False

    operations = [
        ops.CreateModel(
            name="AuditChainHead",
            fields=[
                (
                    "clinic_id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("seq", fields.BigIntField()),
                ("hash", fields.CharField(max_length=64)),
            ],
            options={
                "table": "audit_chain_head",
                "app": "models",
                "pk_attr": "clinic_id",
                "table_description": "The last seq and hash of a clinic's chain, updated in the transaction that appends.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="AuditEntry",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=36),
                ),
                ("clinic_id", fields.CharField(max_length=64)),
                ("seq", fields.BigIntField()),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("actor_id", fields.CharField(max_length=64)),
                ("actor_role", fields.CharField(max_length=32)),
                ("client_id", fields.CharField(max_length=64)),
                ("action", fields.CharField(max_length=64)),
                ("request_id", fields.CharField(null=True, max_length=128)),
                ("prev_hash", fields.CharField(max_length=64)),
                ("hash", fields.CharField(max_length=64)),
            ],
            options={
                "table": "audit_entry",
                "app": "models",
                "unique_together": (("clinic_id", "seq"),),
                "indexes": [Index(fields=["clinic_id", "client_id", "seq"])],
                "pk_attr": "id",
                "table_description": "Who read or wrote which client's data, when, in which request. The database refuses",
            },
            bases=["AppendOnlyModel"],
        ),
        # The first table made append-only: its way back takes the guards' function with it
        guard_function_dropped_going_back(),
        protect_tables("audit_entry"),
        forward_only_head("audit_chain_head"),
    ]
