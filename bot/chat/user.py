"""Every bot command as a function of (caller, arguments) -> Reply, for Telegram and console.

Handlers in the front ends stay thin: they build a Caller, call `Commands.run` or
`Commands.press`, and show the Reply. Admin commands live in bot/chat/admin.py.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from html import escape

from bot.chat.admin import AdminCommands
from bot.chat.html import Button
from bot.chat.replies import Caller, Reply
from bot.chat.views import items_list, matches_list, theme_list
from bot.timeline.pages import chart_reply, decode, export_reply, timeline_reply
from bot.timeline.query import DATE_SHAPE, QueryError, parse_words
from store import UnknownTheme

log = logging.getLogger(__name__)
FILTER_SHAPE = re.compile(r"^[a-z]+:")


def _is_filter(word: str, extra: tuple[str, ...]) -> bool:
    """Shaped like a filter: a date, `name:value` (known or not: an unknown one is refused
    by name rather than read as part of the theme), or one of `extra`."""
    low = word.lower()
    return bool(DATE_SHAPE.match(low) or FILTER_SHAPE.match(low)) or low in extra


USER_HELP = [
    ("start", "what this bot does, and the themes"),
    ("help", "this list"),
    ("themes", "the themes you can follow"),
    ("subscribe", "THEME: get alerts on a theme"),
    ("unsubscribe", "THEME: stop them"),
    ("mysubs", "the themes this chat follows"),
    ("latest", "[THEME]: the newest matches"),
    ("timeline", "THEME [since] [until] [who:NAME] [stance:opposes] [chart]: who said what"),
    ("export", "THEME [csv|json]: the timeline as a file"),
    ("search", "WORDS: stored items with these words"),
]
ADMIN_HELP = [
    ("feeds", "each feed's state"),
    ("addfeed", "URL: watch a feed"),
    ("removefeed", "URL|ID: stop watching a feed"),
    ("addtheme", "SLUG NAME: a new theme"),
    ("removetheme", "SLUG: delete a theme"),
    ("keywords", "THEME [add [CONCEPT:] PHRASE|remove PHRASE]"),
    ("query", 'THEME [QUERY]: show or set a Boolean query (AND OR NOT NEAR/n "phrase" prefix*)'),
    ("exclude", "THEME [add|remove PHRASE]"),
    ("threshold", "THEME N (0-100)"),
    (
        "preview",
        "THEME [threshold N|add PHRASE|exclude PHRASE|query QUERY]: try a change on stored items",
    ),
    ("stats", "counts and delivery state"),
    ("audit", "the latest admin changes"),
    ("undo", "[N]: undo the latest change (or /audit entry N)"),
    ("example", "THEME URL|text: an article the theme should find; it learns from it"),
    ("learn", "THEME: re-fit the theme on its labels and the alerts' feedback"),
    ("labels", "THEME: what the theme was taught"),
    ("unlabel", "THEME ID: take a label back"),
]

Handler = Callable[[Caller, list[str]], Awaitable[Reply]]


class Commands(AdminCommands):
    def handlers(self) -> dict[str, Handler]:
        return {
            "start": self.start,
            "help": self.help,
            "themes": self.themes,
            "subscribe": self.subscribe,
            "unsubscribe": self.unsubscribe,
            "mysubs": self.mysubs,
            "latest": self.latest,
            "search": self.search,
            "timeline": self.timeline,
            "export": self.export,
            **self.admin_handlers(),
        }

    async def run(self, caller: Caller, name: str, args: Sequence[str]) -> Reply:
        """Answer `/name args`; unknown commands get the help."""
        handler = self.handlers().get(name.lower())
        if handler is None:
            return Reply(
                f"Unknown command /{escape(name)}.\n\n{(await self.help(caller, [])).text}"
            )
        if name in self.admin_handlers() and not caller.is_admin:
            log.warning(
                "refused /%s from non-admin user %s in chat %s",
                name,
                caller.user_id,
                caller.chat_id,
            )
            return Reply("⛔ Only the bot's admins can do that.")
        return await handler(caller, list(args))

    async def start(self, caller: Caller, args: list[str]) -> Reply:
        await self.store.upsert_chat(
            caller.chat_id, caller.chat_type, caller.user_name, self.clock()
        )
        text, buttons = theme_list(
            await self.store.list_themes(), set(await self.store.subscriptions_of(caller.chat_id))
        )
        intro = (
            "👋 I watch news feeds for official statements on the themes you follow, "
            "and send one alert per statement, not one per outlet.\n"
            "Ask /timeline THEME for who said what, and when. /help lists the commands.\n\n"
        )
        return Reply(intro + text, buttons)

    async def help(self, caller: Caller, args: list[str]) -> Reply:
        lines = ["<b>Commands</b>"] + [f"/{c} {escape(d)}" for c, d in USER_HELP]
        if caller.is_admin:
            lines += ["", "<b>Admin</b>"] + [f"/{c} {escape(d)}" for c, d in ADMIN_HELP]
        return Reply("\n".join(lines))

    async def themes(self, caller: Caller, args: list[str]) -> Reply:
        text, buttons = theme_list(
            await self.store.list_themes(), set(await self.store.subscriptions_of(caller.chat_id))
        )
        return Reply(text, buttons if caller.can_manage_chat else [])

    async def _change_subscription(self, caller: Caller, slug: str, follow: bool) -> str:
        if not caller.can_manage_chat:
            return "⛔ Only this group's admins can change what it follows."
        await self.store.upsert_chat(caller.chat_id, caller.chat_type, None, self.clock())
        try:
            if follow:
                changed = await self.store.subscribe(caller.chat_id, slug, self.clock())
            else:
                changed = await self.store.unsubscribe(caller.chat_id, slug)
        except UnknownTheme:
            return f"No theme {escape(slug)} any more."
        await self.store.record_audit(
            at=self.clock(),
            actor_id=caller.user_id,
            actor_name=caller.user_name,
            action="subscribe" if follow else "unsubscribe",
            target=f"{caller.chat_id}:{slug}",
        )
        if follow:
            return (
                f"✅ This chat now follows <b>{escape(slug)}</b>."
                if changed
                else f"This chat already follows <b>{escape(slug)}</b>."
            )
        return (
            f"Unsubscribed from <b>{escape(slug)}</b>."
            if changed
            else f"This chat did not follow <b>{escape(slug)}</b>."
        )

    async def subscribe(self, caller: Caller, args: list[str]) -> Reply:
        if not args:
            return Reply("Usage: /subscribe THEME (see /themes)")
        slug, problem = await self.resolve_theme(" ".join(args))
        if slug is None:
            return problem
        return Reply(await self._change_subscription(caller, slug, True))

    async def unsubscribe(self, caller: Caller, args: list[str]) -> Reply:
        if not args:
            return Reply("Usage: /unsubscribe THEME (see /mysubs)")
        slug, problem = await self.resolve_theme(" ".join(args))
        if slug is None:
            return problem
        return Reply(await self._change_subscription(caller, slug, False))

    async def mysubs(self, caller: Caller, args: list[str]) -> Reply:
        slugs = await self.store.subscriptions_of(caller.chat_id)
        if not slugs:
            return Reply("This chat follows no theme yet. /themes lists them.")
        return Reply("This chat follows:\n" + "\n".join(f"• {escape(s)}" for s in slugs))

    async def latest(self, caller: Caller, args: list[str]) -> Reply:
        slug = None
        if args:
            slug, problem = await self.resolve_theme(" ".join(args))
            if slug is None:
                return problem
        rows = await self.store.latest_matches(slug, limit=10)
        return Reply(self.fit(matches_list(f"Latest on {slug or 'all themes'}", rows)))

    async def search(self, caller: Caller, args: list[str]) -> Reply:
        words = [w for w in args if w.strip()]
        if not words:
            return Reply("Usage: /search WORDS (items containing every word, newest first)")
        rows = await self.store.search_items(words, limit=10)
        return Reply(self.fit(items_list(f"Search: {' '.join(words)}", rows)))

    async def _theme_and_filters(
        self, args: list[str], extra: tuple[str, ...] = ()
    ) -> tuple[str | None, list[str], Reply]:
        """Theme names have spaces: the filters are the trailing words shaped like filters."""
        split = len(args)
        while split > 1 and _is_filter(args[split - 1], extra):
            split -= 1
        slug, problem = await self.resolve_theme(" ".join(args[:split]))
        return slug, args[split:], problem

    async def timeline(self, caller: Caller, args: list[str]) -> Reply:
        if not args:
            return Reply(
                "Usage: /timeline THEME [since] [until] [who:NAME] [stance:opposes] "
                "[chart], e.g. /timeline normalization-with-assad 2023 who:price"
            )
        slug, words, problem = await self._theme_and_filters(args, ("chart",))
        if slug is None:
            return problem
        chart = "chart" in [w.lower() for w in words]
        try:
            query = parse_words(slug, [w for w in words if w.lower() != "chart"])
        except QueryError as exc:
            return Reply(escape(str(exc)))
        today = self.clock().date()
        if chart:
            spec = await self.store.get_theme(slug)
            return await chart_reply(self.store, query, spec.name if spec else slug, today)
        return await timeline_reply(self.store, query, offset=0, today=today)

    async def export(self, caller: Caller, args: list[str]) -> Reply:
        if not args:
            return Reply("Usage: /export THEME [csv|json] [since] [until] [who:NAME]")
        slug, words, problem = await self._theme_and_filters(args, ("csv", "json"))
        if slug is None:
            return problem
        fmt = "json" if "json" in [w.lower() for w in words] else "csv"
        try:
            query = parse_words(slug, [w for w in words if w.lower() not in ("csv", "json")])
        except QueryError as exc:
            return Reply(escape(str(exc)))
        return await export_reply(self.store, query, fmt, self.clock().date())

    async def press(self, caller: Caller, data: str) -> Reply:
        """Answer a button press; the data was made by our own renderers."""
        kind, _, rest = data.partition(":")
        if kind in ("sub", "unsub"):
            # From the theme list (":list") the list is redrawn; from an alert, the alert stays.
            slug, _, origin = rest.partition(":")
            text = await self._change_subscription(caller, slug, kind == "sub")
            themes_text, buttons = theme_list(
                await self.store.list_themes(),
                set(await self.store.subscriptions_of(caller.chat_id)),
            )
            if origin != "list" or not caller.can_manage_chat:
                return Reply("", toast=_plain(text))
            return Reply(themes_text, buttons, edit=True, toast=_plain(text))
        if kind == "fb":
            match_id, _, verdict = rest.partition(":")
            if not match_id.isdigit() or caller.user_id is None:
                return Reply("", toast="This button has expired.")
            await self.store.record_feedback(
                int(match_id), caller.user_id, caller.chat_id, verdict == "1", self.clock()
            )
            await self.after_feedback(caller, int(match_id))
            return Reply(
                "", toast="Thanks: noted as " + ("relevant." if verdict == "1" else "not relevant.")
            )
        if kind == "tl":
            try:
                query, offset = decode(data)
            except ValueError:
                return Reply("", toast="This button has expired.")
            reply = await timeline_reply(
                self.store, query, offset=offset, today=self.clock().date()
            )
            return Reply(reply.text, reply.buttons, edit=True)
        return await self.press_admin(caller, kind, rest)


def _plain(html_text: str) -> str:
    import re

    return re.sub(r"<[^>]+>", "", html_text)[:190]


__all__ = ["ADMIN_HELP", "USER_HELP", "Button", "Caller", "Commands", "Reply"]
