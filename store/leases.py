"""Leases: the one-holder roles (the sender of a bot token) and the feeds a watcher holds.

A role lease is a row with an owner and an end time; taking it succeeds when it is free, ours,
or ended. Which owners are dead is not decided here (the caller knows its host and its
processes); the store only lists lease owners and frees what it is told to.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update

from store.base import StoreBase
from store.records import RoleLease
from store.schema import feeds, role_leases


class LeaseQueries(StoreBase):
    async def take_role(
        self, name: str, owner: str, now: datetime, ttl_seconds: float
    ) -> RoleLease:
        """Take or renew the role for `owner`; the lease as it stands afterwards.

        The holder is `owner` when the role was free, ended, or already `owner`'s; else it is
        the live holder, and `owner` should not act in that role.
        """
        until = now + timedelta(seconds=ttl_seconds)
        async with self.writing() as conn:
            claimed = await conn.execute(
                update(role_leases)
                .where(
                    role_leases.c.name == name,
                    or_(role_leases.c.owner == owner, role_leases.c.until < now),
                )
                .values(owner=owner, until=until)
            )
            if not claimed.rowcount:
                await conn.execute(
                    self.insert(role_leases)
                    .values(name=name, owner=owner, until=until)
                    .on_conflict_do_nothing(index_elements=["name"])
                )
            row = (await conn.execute(select(role_leases).where(role_leases.c.name == name))).one()
        return RoleLease(name=row.name, owner=row.owner, until=row.until)

    async def release_role(self, name: str, owner: str) -> None:
        """Give the role up at a clean stop, so another process takes over at once."""
        async with self.writing() as conn:
            await conn.execute(
                delete(role_leases).where(role_leases.c.name == name, role_leases.c.owner == owner)
            )

    async def role_holders(self) -> list[RoleLease]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(select(role_leases).order_by(role_leases.c.name))
            return [RoleLease(name=r.name, owner=r.owner, until=r.until) for r in rows]

    async def free_roles_of(self, owners: list[str]) -> int:
        """End the role leases of owners known to be dead (a restart after kill -9)."""
        if not owners:
            return 0
        async with self.writing() as conn:
            result = await conn.execute(delete(role_leases).where(role_leases.c.owner.in_(owners)))
        return max(result.rowcount or 0, 0)

    async def feed_lease_owners(self, now: datetime) -> list[str]:
        """Owners holding a feed lease that has not ended."""
        query = (
            select(feeds.c.lease_owner)
            .where(feeds.c.lease_owner.is_not(None), feeds.c.lease_until >= now)
            .distinct()
        )
        async with self.engine.connect() as conn:
            return sorted(r[0] for r in await conn.execute(query))

    async def free_feeds_of(self, owners: list[str]) -> int:
        """Release the feed leases of owners known to be dead, so their feeds poll now."""
        if not owners:
            return 0
        async with self.writing() as conn:
            result = await conn.execute(
                update(feeds)
                .where(feeds.c.lease_owner.in_(owners))
                .values(lease_owner=None, lease_until=None)
            )
        return max(result.rowcount or 0, 0)
