"""Many notices at once: inserting thousands of rows, each skipped when its key is taken,
and finding which keys are taken, in a few statements whatever the number of rows.

SQLite takes one INSERT … ON CONFLICT DO NOTHING executed with every row's parameters
(compiled once; SQLAlchemy sends the rows in multi-row batches). PostgreSQL takes the rows
as one JSON parameter, turned back into rows by json_to_recordset in an INSERT … SELECT: a
short statement with a few parameters rather than one per value, which psycopg would
parse in Python, and PostgreSQL plan, for every batch (most of the time a round of 10 000
partners took before).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    Text,
    any_,
    bindparam,
    cast,
    column,
    func,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from decisions.clock import as_utc

#: rows per statement on PostgreSQL, which sends them as one JSON parameter
ROWS_PER_STATEMENT = 5000
#: keys per look-up on SQLite: well under its limit of bound parameters
KEYS_PER_QUERY = 1000


def insert_ignoring(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> set[str]:
    """Insert the rows (all with the same columns) whose ``key`` is new; the keys inserted.
    A row whose key another transaction is inserting waits for it, then is skipped (or
    inserted, if that transaction rolled back)."""
    if not rows:
        return set()
    if connection.dialect.name != "postgresql":
        statement = sqlite.insert(table).on_conflict_do_nothing(index_elements=["key"])
        return set(connection.execute(statement.returning(table.c.key), rows).scalars())
    inserted: set[str] = set()
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        statement = _from_json(table, rows[start : start + ROWS_PER_STATEMENT])
        inserted.update(connection.execute(statement).scalars())
    return inserted


def _from_json(table: Table, rows: list[dict[str, Any]]) -> Any:
    """INSERT … SELECT FROM json_to_recordset(the rows' varying values as one JSON array):
    a value the same in every row (the kind, the time, …) goes once, as a plain
    parameter. JSON, not an array per column: psycopg escapes each element of an array
    in Python, while json.dumps and PostgreSQL's JSON parser are C."""
    names = list(rows[0])
    first = rows[0]
    varying = ["key"] + [
        name for name in names if name != "key" and any(row[name] != first[name] for row in rows)
    ]
    records = json.dumps(
        [{name: row[name] for name in varying} for row in rows], default=_json, ensure_ascii=False
    )
    found = (
        func.json_to_recordset(cast(bindparam("rows", records, Text), postgresql.JSON))
        .table_valued(*(column(name, table.c[name].type) for name in varying))
        .render_derived(with_types=True)
    )
    columns: list[ColumnElement[Any]] = [
        found.c[name]
        if name in varying
        else bindparam(f"all_{name}", first[name], table.c[name].type)
        for name in names
    ]
    return (
        postgresql.insert(table)
        .from_select(names, select(*columns))
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(table.c.key)
    )


def _json(value: object) -> str:
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    raise TypeError(f"{type(value).__name__} is not a column value JSON can carry")


def taken_keys(session: Session, key_column: Any, keys: Sequence[str]) -> set[str]:
    """Which of ``keys`` the column holds already (through the session: what it has
    pending is flushed first)."""
    if not keys:
        return set()
    if session.get_bind().dialect.name == "postgresql":
        # One array parameter, not a parameter per key.
        wanted = bindparam("keys", list(keys), postgresql.ARRAY(key_column.type))
        return set(session.scalars(select(key_column).where(key_column == any_(wanted))))
    found: set[str] = set()
    for start in range(0, len(keys), KEYS_PER_QUERY):
        chunk = list(keys[start : start + KEYS_PER_QUERY])
        found.update(session.scalars(select(key_column).where(key_column.in_(chunk))))
    return found
