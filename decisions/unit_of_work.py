"""The one owner of a service's transaction.

Every service that writes runs inside ``with unit_of_work(session):``. It commits
when the block ends and rolls back on any exception (a refused request, a failed
constraint, an interrupt), then re-raises; so a caller never commits or rolls back
after a service. Helpers that say "the caller commits" (``new_draft``, ``invite``,
``record_outcome``…) run inside their service's unit of work.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session


@contextmanager
def unit_of_work(session: Session) -> Iterator[Session]:
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
