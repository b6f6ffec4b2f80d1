"""The one clock of policywatch; everything below bot/ gets `now` or this callable."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
