"""The start-up heap, kept out of the garbage collector's full passes (`gc.freeze`).

A service process imports and builds most of what it will ever hold before its first poll:
the matcher's compiled patterns and themes, SQLAlchemy's tables and compiled statements, the
bot's handlers. Python's collector walks every tracked object on each full pass, and a first
poll of 1,000 feeds set off several of them over that start-up heap: about 0.6 s of a
12-15 s cycle's main-process CPU (benchmarks/poll.py counted it with `gc.callbacks`).
Frozen after a collection, those objects are skipped; what the process makes later is
collected as before. Objects frozen here and dropped later are still freed by reference
counting; only a reference cycle among them would stay, which is why this is done once, on
the settled heap, and not at every cycle.

Does not tune the collector's thresholds.
"""

from __future__ import annotations

import gc

_FROZEN = [False]


def freeze_startup_heap() -> int:
    """Collect, then freeze what is left, once per process; how many objects were frozen."""
    if _FROZEN[0]:
        return 0
    _FROZEN[0] = True
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
