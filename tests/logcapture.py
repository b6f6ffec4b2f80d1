"""Log records of the bot's own loggers in a test, whatever ran before it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest


@contextmanager
def bot_warnings(caplog: pytest.LogCaptureFixture, level: int = logging.WARNING) -> Iterator[None]:
    """Capture `level` (WARNING) and above from the `bot` loggers during a test."""
    # A logging.config call by another test's tooling (import-linter) disables existing loggers.
    ours = [
        logger
        for name, logger in logging.root.manager.loggerDict.items()
        if name.startswith("bot") and isinstance(logger, logging.Logger)
    ]
    was = [logger.disabled for logger in ours]
    for logger in ours:
        logger.disabled = False
    caplog.set_level(level, logger="bot")
    try:
        yield
    finally:
        for logger, disabled in zip(ours, was, strict=True):
            logger.disabled = disabled


@pytest.fixture
def refusals(caplog: pytest.LogCaptureFixture) -> Iterator[Callable[[], list[str]]]:
    """The "refused button" lines logged during the test."""
    with bot_warnings(caplog):
        yield lambda: [r.getMessage() for r in caplog.records if "refused button" in r.getMessage()]


@pytest.fixture
def warnings_of_bot(caplog: pytest.LogCaptureFixture) -> Iterator[Callable[[], list[str]]]:
    """Every WARNING line of the bot's loggers during the test."""
    with bot_warnings(caplog):
        yield lambda: [r.getMessage() for r in caplog.records]
