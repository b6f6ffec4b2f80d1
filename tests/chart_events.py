"""Timelines for chart tests: the seed's four statements, and a crowded two years of them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from store.records import EventRow

SEED = [  # the seed feed's statements (tests/data/seed_feed.xml): date, speaker, office, sources
    (date(2022, 8, 25), None, "State Department spokesperson", 1),
    (date(2023, 1, 3), "Ned Price", "State Department spokesperson", 2),
    (date(2023, 1, 12), "Ned Price", "State Department spokesperson", 1),
    (date(2023, 5, 4), "Antony Blinken", "Secretary of State", 1),
]
PEOPLE = [
    ("Benjamin Netanyahu", None, "Israel"),
    (None, None, "Saudi Arabia"),
    ("Hakan Fidan", "Foreign Minister", "Turkey"),
    ("Antony Blinken", "Secretary of State", "United States"),
    (None, "Foreign ministry", "United Arab Emirates"),
    ("Ayman Safadi", "Foreign Minister", "Jordan"),
]
STANCES = ("opposes", "supports", "unclear")


def event(
    n: int,
    day: date,
    speaker: str | None,
    office: str | None,
    actor: str | None,
    stance: str,
    sources: int,
) -> EventRow:
    at = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    return EventRow(
        id=n,
        theme_slug="normalization-with-assad",
        day=day,
        speaker=speaker,
        office=office,
        actor=actor,
        quote=None,
        stance=stance,
        headline=f"statement {n}",
        link=None,
        source_count=sources,
        first_published=at,
        created_at=at,
    )


def seed_events() -> list[EventRow]:
    return [
        event(n, day, speaker, office, None, "opposes", sources)
        for n, (day, speaker, office, sources) in enumerate(SEED, 1)
    ]


def crowded_events(count: int = 60) -> list[EventRow]:
    """`count` statements over two years, bunched: a third of them in one September week."""
    start = date(2023, 1, 2)
    out = []
    for n in range(count):
        if n % 3 == 0:
            day = date(2023, 9, 18) + timedelta(days=n % 5)  # the bunch
        else:
            day = start + timedelta(days=(n * 97) % 700)
        speaker, office, actor = PEOPLE[n % len(PEOPLE)]
        out.append(event(n + 1, day, speaker, office, actor, STANCES[n % 3], 1 + (n * 7) % 5))
    return out


def decade_events() -> list[EventRow]:
    """Ten years of statements whose newest five fall in five neighbouring months."""
    out = [
        event(n + 1, date(2014, 1, 15) + timedelta(days=n * 61), *PEOPLE[n % 6], STANCES[n % 3], 1)
        for n in range(50)
    ]
    last = out[-1].day
    for k in range(5):
        day = last + timedelta(days=31 * (k + 1))
        out.append(event(100 + k, day, *PEOPLE[k % 6], "opposes", 3))
    return out
