"""The cycle collector paused for bulk work (decisions/collector.py)."""

import gc
import threading
from collections.abc import Iterator

import pytest

from decisions.collector import collector_paused


@pytest.fixture
def collector_on() -> Iterator[None]:
    was_on = gc.isenabled()
    gc.enable()
    yield
    if not was_on:
        gc.disable()


def test_paused_inside_and_back_after_even_when_the_work_fails(collector_on: None) -> None:
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("the bulk job failed")
    assert gc.isenabled()


def test_a_decorated_service_pauses_it_at_each_call(collector_on: None) -> None:
    seen = []

    @collector_paused()
    def service() -> None:
        seen.append(gc.isenabled())

    service()
    service()
    assert seen == [False, False] and gc.isenabled()


def test_back_only_when_the_last_job_of_the_process_ends(collector_on: None) -> None:
    """Two threads' jobs overlap: the first to end leaves it paused for the other."""
    first_inside, second_done, seen = threading.Event(), threading.Event(), []

    def second_job() -> None:
        first_inside.wait()
        with collector_paused():
            pass
        seen.append(gc.isenabled())
        second_done.set()

    thread = threading.Thread(target=second_job)
    thread.start()
    with collector_paused():
        first_inside.set()
        second_done.wait()
    thread.join()
    assert seen == [False] and gc.isenabled()


def test_left_off_when_it_was_off_before() -> None:
    was_on = gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        if was_on:
            gc.enable()
