"""What a run tells a person about itself: the starter feeds on offer when nothing is watched,
and the one-line summary of a `run --once`.

Pure text from counts; does not poll, send or read the store.
"""

from __future__ import annotations

from bot.app.words import counted
from watchers.parse.opml import STARTER_THEME, starter_feeds
from watchers.poll.cycle import CycleReport

NO_FEEDS_CLI = "policywatch feeds import --starter"


def starter_offer(console: bool = False) -> str:
    """One line for a run with no feeds: how to add the curated feeds of the shipped theme."""
    count = len(starter_feeds(STARTER_THEME))
    other = "/addfeed URL here" if console else "`policywatch feeds add URL`"
    return (
        f"No feeds yet: `{NO_FEEDS_CLI}` adds {count} curated feeds for {STARTER_THEME} "
        f"(or {other})."
    )


def once_summary(report: CycleReport, alerts_sent: int) -> str:
    """`polled 3 feeds (2 unchanged, 1 failed): 4 new items, 1 alert sent`."""
    total = report.feeds_polled + report.feeds_unchanged + report.feeds_failed
    details = [
        f"{n} {what}"
        for n, what in ((report.feeds_unchanged, "unchanged"), (report.feeds_failed, "failed"))
        if n
    ]
    aside = f" ({', '.join(details)})" if details else ""
    line = (
        f"polled {counted(total, 'feed')}{aside}: {counted(report.new_items, 'new item')}, "
        f"{counted(alerts_sent, 'alert')} sent"
    )
    if report.feeds_elsewhere:
        line += (
            f"; {counted(report.feeds_elsewhere, 'feed')} left to the policywatch process "
            "polling them now (it stores and alerts them)"
        )
    return line
