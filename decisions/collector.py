"""Python's cycle collector, paused for bulk work.

Queuing the notices of a round of 10 000 partners, or writing its log entry, allocates
hundreds of thousands of dicts, tuples and strings, none of them in a reference cycle.
Each burst of allocations past the collector's threshold sets off a collection that walks
the objects tracked so far: a third of the CPU time of opening, reminding or closing such
a round (bench/scale.py rounds). While paused, those objects are still freed as usual, by
reference counting; a cycle made meanwhile is collected once the last bulk job of the
process ends. The pause is shared by the threads of a process: the collector comes back
when the last of them leaves, and only if it was on before the first came in.
"""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_inside = 0
_was_on = False


@contextmanager
def collector_paused() -> Iterator[None]:
    global _inside, _was_on
    with _lock:
        if _inside == 0:
            _was_on = gc.isenabled()
            gc.disable()
        _inside += 1
    try:
        yield
    finally:
        with _lock:
            _inside -= 1
            if _inside == 0 and _was_on:
                gc.enable()
