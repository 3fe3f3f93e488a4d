"""A connection that PostgreSQL ended while it waited in the pool (a restart of the server,
an idle timeout, pg_terminate_backend) is replaced before use: no request gets the error."""

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool


def test_a_connection_the_server_ended_is_replaced_before_use(app) -> None:  # type: ignore[no-untyped-def]
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if make_url(url).get_backend_name() != "postgresql":
        pytest.skip("SQLite: no server to end a connection")
    # The application's engine options, and a pool of one: the ended connection is the
    # one the pool would hand out next.
    options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"], pool_size=1, max_overflow=0)
    engine = create_engine(url, **options)
    admin = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            ended = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with admin.connect() as conn:
            # waits (up to 10 s) until the server process of that connection has exited
            query = text("SELECT pg_terminate_backend(:pid, 10000)")
            assert conn.execute(query, {"pid": ended}).scalar_one()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() != ended
    finally:
        engine.dispose()
        admin.dispose()
