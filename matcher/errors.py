"""The matcher's errors: one base, so a front end can map them all at its edge.

Every message names the theme, the field or the position, and what would be accepted.
"""

from __future__ import annotations

__all__ = ["MatcherError"]


class MatcherError(ValueError):
    """Base of every error the matcher raises on bad input (a theme, a query, stored reasons)."""
