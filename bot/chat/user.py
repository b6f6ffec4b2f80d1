"""Everyone's commands (start, themes, subscriptions, latest, search, timeline, export) and
the button presses, as functions of (caller, arguments) -> Reply, for Telegram and console.

Admin commands live in bot/chat/admin.py, teaching in teach.py, digests, topics and channels in
team.py; `bot.chat.commands.Commands` routes to all of them. Knows nothing of Telegram.
"""

from __future__ import annotations

import logging
import re
from html import escape

from bot.chat.admin import AdminCommands
from bot.chat.buttons import (
    ButtonDataError,
    CancelPress,
    ChannelPress,
    ConfirmPress,
    FeedbackPress,
    FeedsPress,
    SubscriptionPress,
    TimelinePress,
    parse_button,
)
from bot.chat.desk import Desk, Group, Handler
from bot.chat.html import TOAST_LIMIT, Button, plain_text, shorten
from bot.chat.limits import MAX_ECHO_CHARS, MAX_SEARCH_WORDS, too_many_words
from bot.chat.replies import Caller, Reply
from bot.chat.teach import TeachCommands
from bot.chat.team import TeamCommands, channel_target, describe
from bot.chat.views import items_list, matches_list, theme_list
from bot.timeline.pages import chart_reply, export_reply, page_query, timeline_reply
from bot.timeline.query import DATE_SHAPE, FILTERS, QueryError, parse_words
from store import SearchQueryError, UnknownTheme

log = logging.getLogger(__name__)
FILTER_SHAPE = re.compile(r"^[a-z]+:")


def _not_understood(words: list[str], extra: tuple[str, ...], after_who: bool = False) -> str:
    """The answer to words after a theme that are neither its name nor a filter;
    `after_who`: they followed a who: filter, so the name had spaces in it."""
    asked = escape(shorten(" ".join(words), MAX_ECHO_CHARS))
    if after_who:
        return (
            f"I did not understand “{asked}”: a name with spaces is written with _ for each "
            "space, e.g. who:Ned_Price or who:United_States."
        )
    if "json" in extra:
        return (
            f"I did not understand “{asked}”: the formats are csv (the default) and json, "
            "and the filters [since] [until] [who:NAME]."
        )
    what = f"{FILTERS} [chart]"
    return f"I did not understand “{asked}”. After the theme come only {what}."


def _after_who(args: list[str], odd: list[str]) -> bool:
    """Whether the first word not understood comes right after a who: filter."""
    if not odd or odd[0] not in args:
        return False
    at = args.index(odd[0])
    return at > 0 and args[at - 1].lower().startswith("who:")


def _is_filter(word: str, extra: tuple[str, ...]) -> bool:
    """Shaped like a filter: a date, `name:value` (known or not: an unknown one is refused
    by name rather than read as part of the theme), or one of `extra`."""
    low = word.lower()
    return bool(DATE_SHAPE.match(low) or FILTER_SHAPE.match(low)) or low in extra


SEARCH_SHOWN = 10  # items a /search answer lists


USER_HELP = [
    ("start", "what this bot does, and the themes"),
    ("help", "this list"),
    ("themes", "the themes you can follow"),
    ("subscribe", "THEME: get alerts on a theme"),
    ("unsubscribe", "THEME: stop them"),
    ("mysubs", "the themes this chat follows"),
    ("latest", "[THEME]: the newest matches"),
    (
        "timeline",
        "THEME [since] [until] [who:NAME] [stance:opposes] [role:official] [chart]: who said what",
    ),
    ("export", "THEME [csv|json]: the timeline as a file"),
    ("search", 'WORDS ["a phrase"] [prefix*]: stored items with all of these (at most 20 words)'),
    ("digest", "daily HH:MM | weekly DAY HH:MM | off: one message a day or week instead of alerts"),
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

SEARCH_USAGE = (
    'Usage: /search WORDS ["exact phrase"] [prefix*]: items with all of them, best first, '
    f"then newest; at most {MAX_SEARCH_WORDS} words."
)


def search_note(words: list[str]) -> str | None:
    """A word that looks like an operator /search does not have (it finds items holding every
    word): said, so "Iran OR Tehran" or "-Assad" is not silently read as words."""
    odd = [w for w in words if w in ("OR", "AND", "NOT") or (len(w) > 1 and w[0] == "-")]
    if not odd:
        return None
    shown = ", ".join(escape(shorten(w, 20)) for w in odd[:3])
    return (
        f"Note: {shown}: /search has no operators; it finds items holding every word "
        "(a theme's /query has AND, OR, NOT)."
    )


class UserCommands(Group):
    """Everyone's commands and the button presses; admin and team work goes to their groups."""

    def __init__(
        self, desk: Desk, admin: AdminCommands, team: TeamCommands, teach: TeachCommands
    ) -> None:
        super().__init__(desk)
        self.admin = admin
        self.team = team
        self.teach = teach

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
        }

    async def start(self, caller: Caller, args: list[str]) -> Reply:
        await self.store.upsert_chat(
            caller.chat_id, caller.chat_type, caller.user_name, self.clock()
        )
        text, buttons = theme_list(
            await self.store.list_themes(),
            set(await self.store.subscriptions_of(caller.chat_id, caller.thread_id)),
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
            await self.store.list_themes(),
            set(await self.store.subscriptions_of(caller.chat_id, caller.thread_id)),
        )
        return Reply(text, buttons if caller.can_manage_chat else [])

    async def _change_subscription(self, caller: Caller, slug: str, follow: bool) -> str:
        if not caller.can_manage_chat:
            return self.refuse_command(
                caller,
                "subscribe" if follow else "unsubscribe",
                "not a chat admin",
                "⛔ Only this group's admins can change what it follows.",
            )
        was = await self.store.get_chat(caller.chat_id)
        await self.store.upsert_chat(caller.chat_id, caller.chat_type, None, self.clock())
        try:
            topic = caller.thread_id
            if follow:
                changed = await self.store.subscribe(caller.chat_id, slug, self.clock(), topic)
            else:
                changed = await self.store.unsubscribe(caller.chat_id, slug, topic)
        except UnknownTheme:
            return f"No theme {escape(slug)} any more."
        if changed:  # a repeated /subscribe changes nothing and is not audited (QA)
            await self.store.record_audit(
                at=self.clock(),
                actor_id=caller.user_id,
                actor_name=caller.user_name,
                action="subscribe" if follow else "unsubscribe",
                target=f"{caller.chat_id}:{slug}" + (f" topic {topic}" if topic else ""),
            )
        here = "This topic" if topic else "This chat"
        if follow and not changed and was is not None and not was.active:
            # the chat had stopped taking alerts (the bot was blocked or removed): say they
            # come again, not only that nothing changed (QA 18)
            return (
                f"✅ Alerts resume here: {here.lower()} follows <b>{escape(slug)}</b> again "
                f"(they had stopped: {escape(_stopped_because(was.inactive_reason))})."
            )
        if follow:
            return (
                f"✅ {here} now follows <b>{escape(slug)}</b>."
                if changed
                else f"{here} already follows <b>{escape(slug)}</b>."
            )
        return (
            f"Unsubscribed from <b>{escape(slug)}</b>."
            if changed
            else f"{here} did not follow <b>{escape(slug)}</b>."
        )

    async def subscribe(self, caller: Caller, args: list[str]) -> Reply:
        if not args:
            return Reply("Usage: /subscribe THEME (see /themes)")
        if len(args) > 1 and channel_target(args[-1]):
            return await self.team.subscribe_channel(caller, args[:-1], args[-1])
        slug, problem = await self.resolve_theme(" ".join(args))
        if slug is None:
            return problem
        return Reply(await self._change_subscription(caller, slug, True))

    async def unsubscribe(self, caller: Caller, args: list[str]) -> Reply:
        if not args:
            return Reply("Usage: /unsubscribe THEME (see /mysubs)")
        if len(args) > 1 and channel_target(args[-1]):
            return await self.team.unsubscribe_channel(caller, args[:-1], args[-1])
        slug, problem = await self.resolve_theme(" ".join(args))
        if slug is None:
            return problem
        return Reply(await self._change_subscription(caller, slug, False))

    async def mysubs(self, caller: Caller, args: list[str]) -> Reply:
        if len(args) == 1 and channel_target(args[0]):
            return await self.team.channel_subscriptions(caller, args[0])
        slugs = await self.store.subscriptions_of(caller.chat_id, caller.thread_id)
        here = "This topic" if caller.thread_id else "This chat"
        if not slugs:
            return Reply(f"{here} follows no theme yet. /themes lists them.")
        names = {t.slug: t.name for t in await self.store.list_themes()}
        lines = [
            f"{here} follows:",
            *(
                f"• {escape(names.get(s, s))} ({escape(s)})"
                if names.get(s, s) != s
                else f"• {escape(s)}"
                for s in slugs
            ),
        ]
        schedule = await self.store.digest_schedule_of(caller.chat_id, caller.thread_id)
        if schedule is not None:
            lines.append(f"As a digest, {escape(describe(schedule))} (/digest off for alerts).")
        return Reply("\n".join(lines))

    async def latest(self, caller: Caller, args: list[str]) -> Reply:
        slug = None
        if args:
            slug, problem = await self.resolve_theme(" ".join(args))
            if slug is None:
                return problem
        rows = await self.store.latest_matches(slug, limit=10)
        return Reply(
            self.fit(matches_list(f"Latest on {slug or 'all themes'}", rows, themes=slug is None))
        )

    async def search(self, caller: Caller, args: list[str]) -> Reply:
        """The best stored items for the words typed (SEARCH_SHOWN of them), saying if more
        match."""
        query = " ".join(w for w in args if w.strip())
        if not query:
            return Reply(SEARCH_USAGE)
        refusal = too_many_words(query.split())
        if refusal:
            return Reply(refusal)
        try:
            rows = await self.store.search_items(query, limit=SEARCH_SHOWN + 1)
        except SearchQueryError as exc:
            return Reply(f"{escape(str(exc))}\n\n{SEARCH_USAGE}")
        note = search_note(query.split())
        found = items_list(f"Search: {query}", rows[:SEARCH_SHOWN])
        if len(rows) > SEARCH_SHOWN:
            # QA: a page of ten gave no sign that more items matched
            found += (
                f"\n\nMore items match than these {SEARCH_SHOWN}: add a word or a "
                '"phrase" to narrow the search.'
            )
        return Reply(self.fit(f"{found}\n\n{note}" if note else found))  # under its header

    async def _theme_and_filters(
        self, args: list[str], extra: tuple[str, ...] = ()
    ) -> tuple[str | None, list[str], Reply]:
        """Theme names have spaces: the filters are the trailing words shaped like filters."""
        split = len(args)
        while split > 1 and _is_filter(args[split - 1], extra):
            split -= 1
        named = await self._exact_theme(args[:split])
        if named is not None and named[1] < split:
            # `/timeline SLUG bogus words`: the theme is named exactly by the first words, so
            # the rest are neither its name nor filters; say so rather than ignore them.
            odd = [w for w in args[named[1] : split] if not _is_filter(w, extra)]
            return None, args[split:], Reply(_not_understood(odd, extra, _after_who(args, odd)))
        slug, problem = await self.resolve_theme(" ".join(args[:split]))
        if slug is None:
            # `/export assad xml`: the first words name a theme, the rest are no filter.
            for k in range(split - 1, 0, -1):
                shorter, _ = await self.resolve_theme(" ".join(args[:k]))
                if shorter is not None:
                    odd = [w for w in args[k:split] if not _is_filter(w, extra)]
                    return (
                        None,
                        args[split:],
                        Reply(_not_understood(odd, extra, _after_who(args, odd))),
                    )
        return slug, args[split:], problem

    async def _exact_theme(self, words: list[str]) -> tuple[str, int] | None:
        """The theme whose slug or name is exactly the longest run of leading `words`, and
        how many words name it (None if no leading words name one exactly)."""
        exact = {}
        for t in await self.store.list_themes():
            exact[t.name.casefold()] = exact[t.slug] = t.slug
        for k in range(len(words), 0, -1):
            slug = exact.get(" ".join(words[:k]).casefold())
            if slug is not None:
                return slug, k
        return None

    async def timeline(self, caller: Caller, args: list[str]) -> Reply:
        if not args:
            return Reply(
                "Usage: /timeline THEME [since] [until] [who:NAME] [stance:opposes] "
                "[role:official] [chart], e.g. /timeline normalization-with-assad 2023 who:Blinken"
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
        """Answer a button press. The data may be forged: it is parsed and checked first."""
        try:
            press = parse_button(data)
        except ButtonDataError as exc:
            return self.refuse_press(
                caller, data[:80], f"bad data: {exc}", "This button is not valid (any more)."
            )
        if isinstance(press, SubscriptionPress):
            return await self._press_subscription(caller, press)
        if isinstance(press, FeedbackPress):
            return await self._press_feedback(caller, press)
        if isinstance(press, TimelinePress):
            slug = await self.slug_of_ref(press.theme)
            if slug is None:
                return Reply("", toast="That theme no longer exists.")
            reply = await timeline_reply(
                self.store, page_query(press, slug), offset=press.offset, today=self.clock().date()
            )
            return Reply(reply.text, reply.buttons, edit=True)
        if isinstance(press, FeedsPress):
            return await self.admin.press_feeds(caller, press)
        if isinstance(press, ChannelPress):
            slug = await self.slug_of_ref(press.theme)
            if slug is None:
                return Reply("", toast="That theme no longer exists.")
            return await self.team.press_channel(caller, f"{press.chat_id}:{slug}")
        assert isinstance(press, ConfirmPress | CancelPress)
        return await self.admin.press_admin(caller, press)

    async def _press_subscription(self, caller: Caller, press: SubscriptionPress) -> Reply:
        # From the theme list the list is redrawn; from an alert, the alert stays.
        if not caller.can_manage_chat:
            whose = "this channel's" if caller.chat_type == "channel" else "this group's"
            return self.refuse_press(
                caller, press, "not a chat admin", f"Only {whose} admins can change that."
            )
        slug = await self.slug_of_ref(press.theme)
        if slug is None:
            return Reply("", toast="That theme no longer exists.")
        text = await self._change_subscription(caller, slug, press.follow)
        if not press.from_list:
            return Reply("", toast=_plain(text))
        themes_text, buttons = theme_list(
            await self.store.list_themes(),
            set(await self.store.subscriptions_of(caller.chat_id, caller.thread_id)),
        )
        return Reply(themes_text, buttons, edit=True, toast=_plain(text))

    async def _press_feedback(self, caller: Caller, press: FeedbackPress) -> Reply:
        """Relevant / Not relevant: only from a chat the alert was sent to."""
        if caller.user_id is None:
            return self.refuse_press(caller, press, "no user", "Feedback needs a user.")
        alerted = await self.store.alerted_chat(press.match_id, caller.chat_id, press.item_id)
        if alerted is None:
            slug = await self.store.unmatched_by_change(press.match_id, press.item_id)
            if slug is not None:
                return self.refuse_press(
                    caller,
                    press,
                    "match taken by a theme change",
                    f"A change to {slug} means it no longer matches that item; nothing to "
                    "rate. If the change is undone, the alert and its votes come back.",
                )
            # gone since (a theme removed, an item pruned), or a button never sent: logged,
            # as every refused press is, so a forged one is on record
            return self.refuse_press(
                caller,
                press,
                "no such match",
                "That alert's item is no longer stored; nothing to rate.",
            )
        if not alerted:
            return self.refuse_press(
                caller, press, "alert not sent to this chat", "This alert was not sent here."
            )
        await self.store.record_feedback(
            press.match_id, caller.user_id, caller.chat_id, press.relevant, self.clock()
        )
        await self.teach.after_feedback(caller, press.match_id)
        verdict = "relevant." if press.relevant else "not relevant."
        return Reply("", toast="Thanks: noted as " + verdict)


def _plain(html_text: str) -> str:
    """A button's answer: plain text within Telegram's 200 characters."""
    return shorten(plain_text(html_text), TOAST_LIMIT)


__all__ = ["ADMIN_HELP", "USER_HELP", "Button", "Caller", "Reply", "UserCommands"]


def _stopped_because(reason: str | None) -> str:
    """Why a chat stopped taking alerts, in the user's words."""
    words = {"blocked the bot": "I was blocked", "removed the bot": "I was removed"}
    return words.get(reason or "", reason or "sending failed")
