"""policywatch matcher: themes, scoring with reasons, statements and events; pure, no I/O."""

from matcher.events import EventLike, EventProbe, KnownEvent, choose_event, day_window
from matcher.results import ItemText, MatchResult, Reason, reasons_from_json
from matcher.scoring import Scorer
from matcher.statements import (
    Stance,
    Statement,
    extract_statement,
    extract_statements,
    reported_statements,
)
from matcher.text import normalize_text, strip_furniture
from matcher.themes import (
    TermGroup,
    Theme,
    ThemeError,
    with_exclusion,
    with_keyword,
    with_threshold,
    without_exclusion,
    without_keyword,
)
from matcher.toml_io import dump_themes_toml, load_themes_toml, shipped_themes_toml

__all__ = [
    "EventLike",
    "EventProbe",
    "ItemText",
    "KnownEvent",
    "MatchResult",
    "Reason",
    "Scorer",
    "Stance",
    "Statement",
    "TermGroup",
    "Theme",
    "ThemeError",
    "choose_event",
    "day_window",
    "dump_themes_toml",
    "extract_statement",
    "extract_statements",
    "load_themes_toml",
    "normalize_text",
    "reasons_from_json",
    "reported_statements",
    "shipped_themes_toml",
    "strip_furniture",
    "with_exclusion",
    "with_keyword",
    "with_threshold",
    "without_exclusion",
    "without_keyword",
]
