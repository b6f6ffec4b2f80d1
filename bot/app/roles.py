"""Which process does what when several run on one database: watchers share feeds, one sender.

`policywatch run --role all|watcher|sender`. Telegram's limits and `getUpdates` are per bot
token, so exactly one process per token receives updates and delivers the outbox: the holder
of the role lease "sender:<bot id>" (the console's is "sender:console"). Watchers share feeds
through their per-feed leases. A process with role `all` whose sender role is held by another
live process polls feeds only and takes the role over when its holder stops renewing it (within
`LEASE_SECONDS`), or at once when the holder was a process of this host that is gone.

The decisions are pure functions at the top; `RoleKeeper` applies them with the store and the
clock. Does not start or stop the bot's parts itself: the front end does, when told.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import os
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.app.errors import BotError
from store import Store
from store.records import RoleLease

log = logging.getLogger(__name__)

# A dead sender's role is free this long after its last renewal (ROLE_LEASE_SECONDS); the
# holder renews, and a standby tries to take over, three times as often.
LEASE_SECONDS = 45.0


class Role(enum.StrEnum):
    ALL = "all"
    WATCHER = "watcher"
    SENDER = "sender"


class RoleRefused(BotError):
    """This process cannot take the role it was asked for; the message says who holds it."""


@dataclass(frozen=True)
class Plan:
    watch: bool  # poll feeds
    send: bool  # receive updates and deliver the outbox, now
    standby: bool  # keep trying to become the sender
    note: str | None  # what to tell the operator


def this_owner() -> str:
    """This process as lease owners are named: host:pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


def sender_role(token: str | None) -> str:
    """The role lease of a token's sender, named by the bot's id (never the secret part)."""
    return f"sender:{token.split(':', 1)[0]}" if token else "sender:console"


def dead_owners(
    owners: Iterable[str],
    host: str,
    alive: Callable[[int], bool],
    starting_as: str | None = None,
) -> list[str]:
    """Owners that were processes of this host and are gone (their leases can be freed now).

    Owners on other hosts are left to their leases' end: this process cannot tell.
    `starting_as`: this process's own name, given while it starts and holds nothing yet. A
    lease already under that name was taken by an earlier process with the same host and pid:
    a restarted container keeps its host name, and its process gets the same pid again.
    """
    dead = []
    for owner in owners:
        name, _, pid = owner.rpartition(":")
        if owner == starting_as or (name == host and pid.isdigit() and not alive(int(pid))):
            dead.append(owner)
    return dead


def plan(role: Role, lease: RoleLease, me: str) -> Plan:
    """What this process does, given the sender lease as it stands after trying to take it."""
    mine = lease.owner == me
    if role is Role.WATCHER:
        return Plan(watch=True, send=False, standby=False, note=None)
    if mine:
        return Plan(watch=role is Role.ALL, send=True, standby=False, note=None)
    holder = f"{lease.owner} (until {lease.until:%H:%M:%S} UTC unless it renews)"
    if role is Role.SENDER:
        raise RoleRefused(
            f"another process is the sender for this bot: {holder}; run this one with "
            f"--role watcher, or stop that one first"
        )
    return Plan(
        watch=True,
        send=False,
        standby=True,
        note=f"another process is the sender for this bot: {holder}; this one polls feeds "
        "and takes over sending if that process stops",
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


async def reclaim_dead_leases(store: Store, now: datetime, *, starting: bool = False) -> None:
    """Free the feed and role leases of this host's processes that died (kill -9, a crash);
    `starting` (before this process takes any lease): also those under its own name."""
    host = socket.gethostname()
    me = this_owner() if starting else None
    feeds = dead_owners(await store.feed_lease_owners(now), host, _alive, me)
    roles = dead_owners([r.owner for r in await store.role_holders()], host, _alive, me)
    freed = await store.free_feeds_of(feeds) + await store.free_roles_of(roles)
    if freed:
        log.info("freed %d leases of stopped processes: %s", freed, ", ".join(feeds + roles))


class RoleKeeper:
    """Holds (renews) or waits for the sender role; calls `became_sender` when it gets it."""

    def __init__(
        self,
        store: Store,
        name: str,
        clock: Callable[[], datetime],
        *,
        owner: str | None = None,
        lease_seconds: float = LEASE_SECONDS,
    ) -> None:
        self.store = store
        self.name = name
        self.clock = clock
        self.owner = owner or this_owner()
        self.lease_seconds = lease_seconds
        self.renew_seconds = lease_seconds / 3
        self.lost = asyncio.Event()  # set when a holder finds another owner in its place
        self._task: asyncio.Task[None] | None = None

    async def start(self, role: Role) -> Plan:
        """Take the role if this process should and can; the plan for this process."""
        if role is Role.WATCHER:
            return plan(role, RoleLease(self.name, "", self.clock()), self.owner)
        lease = await self.store.take_role(self.name, self.owner, self.clock(), self.lease_seconds)
        return plan(role, lease, self.owner)

    def keep(self, became_sender: Callable[[], Awaitable[None]] | None = None) -> None:
        """Renew the role in the background; a standby (`became_sender`) tries to take it."""
        self._task = asyncio.create_task(self._loop(became_sender))

    async def _loop(self, became_sender: Callable[[], Awaitable[None]] | None) -> None:
        holding = became_sender is None
        while True:
            await asyncio.sleep(self.renew_seconds)
            try:
                if not holding:  # a holder of this host that died need not be waited out
                    await reclaim_dead_leases(self.store, self.clock())
                lease = await self.store.take_role(
                    self.name, self.owner, self.clock(), self.lease_seconds
                )
            except Exception:  # a database hiccup: try again at the next renewal
                log.warning("could not renew the %s role", self.name, exc_info=True)
                continue
            if lease.owner == self.owner and not holding:
                log.info("taking over as %s (the previous holder stopped)", self.name)
                holding = True
                assert became_sender is not None
                await became_sender()
            elif lease.owner != self.owner and holding:
                log.error("lost the %s role to %s; stopping delivery", self.name, lease.owner)
                self.lost.set()
                return

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        with contextlib.suppress(Exception):
            await self.store.release_role(self.name, self.owner)
