"""One owner for each transaction: a service commits its work, or rolls all of it back
when refused; a getter only reads."""

from typing import Any

import pytest
from sqlalchemy import delete, func, select

from decisions import settings
from decisions.errors import InvalidInput
from decisions.models import Partnership
from decisions.unit_of_work import unit_of_work


def test_a_refused_service_keeps_nothing_of_what_it_began(session: Any, make: Any) -> None:
    secretariat = make.secretariat()
    with pytest.raises(InvalidInput):
        # the name is set first, then the quorum is refused: neither is kept
        settings.update_settings(session, secretariat, name="Renamed", default_quorum=-1)
    assert not session.dirty
    assert session.scalar(select(Partnership.name)) == "Coral Sea Prevention Partnership"


def test_a_unit_of_work_commits_on_success_and_rolls_back_on_any_error(session: Any) -> None:
    with unit_of_work(session):
        settings.get_partnership(session).name = "Kept"
    with pytest.raises(RuntimeError), unit_of_work(session):
        settings.get_partnership(session).name = "Not kept"
        raise RuntimeError("interrupted")
    assert session.scalar(select(Partnership.name)) == "Kept"


def test_reading_the_settings_never_creates_them(session: Any) -> None:
    session.execute(delete(Partnership))
    session.commit()
    session.info.pop("partnership", None)
    with pytest.raises(LookupError):
        settings.get_partnership(session)
    assert session.scalar(select(func.count()).select_from(Partnership)) == 0
