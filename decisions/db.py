"""The database handle and the declarative base shared by every model."""

import select
import sqlite3
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, Enum, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import Pool
from sqlalchemy.types import TypeDecorator

from decisions.clock import as_utc

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

if TYPE_CHECKING:
    # db.Model is built at run time; to a type checker it is the declarative base.
    Model = Base
else:
    Model = db.Model


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC and always hands back an aware UTC datetime, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        value = as_utc(value)
        # SQLite has no time zones: store the naive UTC wall time.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):  # type: ignore[no-untyped-def]
        return None if value is None else as_utc(value)


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record):  # type: ignore[no-untyped-def]
    """SQLite's driver opens no transaction on SELECT, so read-then-write would lose
    updates; we take the transaction ourselves (BEGIN IMMEDIATE below)."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    mode = cursor.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    if mode.lower() not in ("wal", "memory"):
        cursor.close()
        raise RuntimeError(f"SQLite refused WAL journal mode (still {mode!r})")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _begin_immediate(connection):  # type: ignore[no-untyped-def]
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


@event.listens_for(Pool, "checkout")
def _refuse_an_ended_connection(dbapi_connection, connection_record, connection_proxy):  # type: ignore[no-untyped-def]
    """A PostgreSQL connection that the server ended while it waited in the pool (a
    restart, an idle timeout, pg_terminate_backend) is replaced before use: the pool
    tries another on DisconnectionError. Where pool_pre_ping would send a statement and
    wait for its answer at every checkout, this asks the socket alone: an idle connection
    has nothing to read unless the server has said goodbye or closed it."""
    if not hasattr(dbapi_connection, "pgconn"):  # psycopg's; SQLite has no server
        return
    if dbapi_connection.closed or dbapi_connection.broken:
        raise DisconnectionError("the connection was closed")
    poll = select.poll()
    poll.register(dbapi_connection.fileno(), select.POLLIN | select.POLLPRI)
    if poll.poll(0):
        raise DisconnectionError("the server ended the connection while it was idle")


def stored_enum(enum_cls: type[StrEnum], name: str) -> Enum:
    """A column type for ``enum_cls``. It stores the values ("stand_aside"), not the
    member names, and no native ENUM type, so that adding a value later is a plain
    migration on SQLite and PostgreSQL alike."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
    )
