"""Run in a parse worker by tests/test_parsepool.py: imports nothing of the project, so what it
finds imported was imported before it was called."""

from __future__ import annotations

import gc
import sys


def worker_state() -> tuple[bool, int]:
    """Whether the matcher is imported in this process, and how many objects were frozen out
    of the collector's full passes."""
    return "matcher.speech_en" in sys.modules, gc.get_freeze_count()


def ignores_interrupt() -> bool:
    """Whether Ctrl-C (SIGINT) is ignored in this process."""
    import signal

    return signal.getsignal(signal.SIGINT) is signal.SIG_IGN
