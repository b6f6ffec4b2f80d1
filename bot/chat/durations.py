"""Durations as people say them: "45 min", "5 h", "3 days"; never "0 h"."""

from __future__ import annotations


def human_duration(seconds: float) -> str:
    """Seconds below a minute, minutes below two hours, hours below two days, then days
    (rounded down)."""
    if seconds < 60:
        return f"{max(0, int(seconds))} s"
    minutes = int(seconds // 60)
    if minutes < 120:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h"
    return f"{hours // 24} days"
