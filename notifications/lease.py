"""One scheduler at work however many hosts run `accord scheduler`: on PostgreSQL the one
holding a session-level advisory lock works, the others stand by and ask again. The lock
lives as long as the connection that took it, so a holder that dies (killed, its host
gone) lets another take over without anyone cleaning up. On SQLite there is one host, and
no lock to take.

The lock saves work, it does not make the work safe: a run is safe twice over anyway
(each reminder is queued once, each message claimed by one sender).
"""

import os
import socket

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

#: the advisory lock's key, the same for every host ("Accord" in ASCII): other
#: applications sharing the database would have to pick this very number to clash
KEY = 0x4163636F7264

#: the lock connection's own settings. A holder whose host dies without closing its
#: connection (power cut, network gone) would keep the lock until the server notices:
#: with keepalives probed after 30 s idle, every 10 s, 3 times, within about a minute
#: rather than the system's two hours. The name shows in pg_stat_activity which host
#: holds the lock.
SESSION = {
    "tcp_keepalives_idle": "30",
    "tcp_keepalives_interval": "10",
    "tcp_keepalives_count": "3",
}


class Lease:
    """The scheduler's turn to work, asked for again before every run."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None
        self._held = False

    @property
    def needed(self) -> bool:
        return self._engine.dialect.name == "postgresql"

    def take(self) -> bool:
        """True while this process holds the lock, taking it when it is free; False while
        another process holds it, or while the database cannot be reached."""
        if not self.needed:
            return True
        try:
            return self._take()
        except SQLAlchemyError:
            # The connection is gone, and with it the lock if it was held: start afresh
            # at the next call, on a new connection.
            self.release()
            return False

    def _take(self) -> bool:
        if self._connection is None:
            self._connection = self._dedicated()
            self._held = False
        if self._held:
            # A session's lock is lost only with the session: a live connection is a
            # held lock.
            self._connection.execute(text("SELECT 1"))
            return True
        taken = self._connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": KEY})
        self._held = bool(taken)
        return self._held

    def _dedicated(self) -> Connection:
        # Autocommit: between runs the connection idles outside any transaction, holding
        # no snapshot that would keep VACUUM from its work.
        connection = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        name = f"accord scheduler {socket.gethostname()}:{os.getpid()}"
        for setting, value in {**SESSION, "application_name": name[:63]}.items():
            connection.execute(
                text("SELECT set_config(:setting, :value, false)"),
                {"setting": setting, "value": value},
            )
        return connection

    def release(self) -> None:
        """Let the lock go. The connection is closed for good, not handed back to the
        pool: a pooled connection would keep holding the lock."""
        connection, self._connection, self._held = self._connection, None, False
        if connection is None:
            return
        try:
            connection.invalidate()
        finally:
            connection.close()
