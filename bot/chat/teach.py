"""Admin commands that teach a theme: /example, /learn, /labels, /unlabel, and the button that
accepts a query proposed from the examples.

Thin: each parses its arguments and calls bot.app.teaching, which re-fits, saves and audits
(undo with /undo like any change); the archive is then re-matched in the background, which
never alerts old items. Mixed into AdminCommands, whose store, clock and re-match runner it uses.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from html import escape
from pathlib import Path

from bot.app.errors import UsageError
from bot.app.teaching import (
    Taught,
    add_example,
    fetch_article,
    fit_report,
    labels_effect,
    labels_of,
    read_example,
    refit,
    unlabel,
)
from bot.app.words import counted
from bot.chat.buttons import confirm_data
from bot.chat.desk import Group
from bot.chat.html import Button, trim_message
from bot.chat.replies import Caller, Reply
from bot.chat.views import trim
from matcher import Theme, ThemeError
from matcher.learning import LEARNED
from matcher.propose import propose_query
from matcher.themes import with_query
from watchers.fetch.client import FetchError
from watchers.parse.article import ArticleError, pasted_article
from watchers.poll.themes import spec_from_theme, theme_from_spec

Handler = Callable[[Caller, list[str]], Awaitable[Reply]]
MIN_TEXT_WORDS = 12  # a pasted example shorter than this is probably a mistake
REFIT_EVERY = 5  # feedback votes on a theme between two automatic re-fits
LABELS_PAGE = 20  # taught labels a /labels page shows


class TeachCommands(Group):
    """Examples, labels and learning: the commands that teach a theme."""

    def teach_handlers(self) -> dict[str, Handler]:
        return {
            "example": self.example,
            "learn": self.learn,
            "labels": self.labels,
            "unlabel": self.unlabel,
        }

    def _rematch(self, slug: str, caller: Caller) -> str:
        if self.rematcher is None:
            return "It applies to new items from now on."
        self.rematcher.start(slug, caller.chat_id)
        return "Stored items are being re-matched in the background (no alerts for old items)."

    def _taught_reply(self, caller: Caller, head: str, taught: Taught) -> Reply:
        note = self._rematch(taught.after.slug, caller)
        lines = [head, escape(taught.summary()), note]
        buttons: list[list[Button]] = []
        if taught.proposal:
            slug = taught.after.slug
            lines.append(
                f"\nProposed query, from what the examples share:\n"
                f"<code>{escape(taught.proposal, quote=False)}</code>\n"
                f"Use it with the button, or write your own: /query {escape(slug)} QUERY"
            )
            buttons = [[Button("Use this query", confirm_data("usequery", slug, caller.user_id))]]
        return Reply(trim_message("\n".join(lines)), buttons)

    @staticmethod
    def _actor(caller: Caller) -> tuple[int | None, str]:
        return caller.user_id, caller.user_name or "admin"

    async def example(self, caller: Caller, args: list[str]) -> Reply:
        """/example THEME URL|text: an article the theme should find."""
        if len(args) < 2:
            return Reply(
                "Usage: /example THEME URL, or /example THEME followed by the article's text. "
                "The theme then scores items that read like it higher, and learns from it."
            )
        slug, problem = await self.resolve_theme(args[0])
        if slug is None:
            return problem
        source = " ".join(args[1:])
        link = ""
        try:
            if len(args) == 2 and source.startswith(("http://", "https://")):
                link = source
                article = await fetch_article(source, self.desk.article_policy, self.clock())
            elif len(args) == 2 and caller.chat_type == "console" and Path(source).is_file():
                # At the console prompt (the operator's own machine) a local file is fine too.
                article, link = await read_example(source, self.desk.article_policy, self.clock())
            elif len(args) == 2 and re.match(r"[A-Za-z][\w+.-]*://", source):
                return Reply(
                    f"Not added: only http(s) addresses are fetched, not "
                    f"{escape(source.split('://')[0])}://; send the article's web address or "
                    "paste its text."
                )
            else:
                if len(source.split()) < MIN_TEXT_WORDS:
                    size = counted(len(source.split()), "word")
                    return Reply(
                        f"That is too short for an example ({size}): send an article's URL, "
                        "or paste its title and first paragraph."
                    )
                # the text as typed, line breaks kept, after the theme's word
                typed = caller.text.split(None, 1)
                article = pasted_article(typed[1] if len(typed) == 2 else source)
            taught = await add_example(
                self.store, slug, article, link, self.clock(), self._actor(caller)
            )
        except (FetchError, ArticleError, UsageError, ThemeError) as exc:
            return Reply(f"Not added: {escape(str(exc))}")
        # the headline on its own line, then the text (QA round 13: they ran together)
        body = article.exemplar()
        if article.title and body.startswith(article.title):
            body = body[len(article.title) :].lstrip(" .")
        head = f"\n<b>{escape(trim(article.title, 120))}</b>" if article.title else ""
        shown = f"\n“{escape(trim(body, 160))}”" if body else ""
        return self._taught_reply(caller, f"✅ {escape(slug)}: example added:{head}{shown}", taught)

    async def learn(self, caller: Caller, args: list[str]) -> Reply:
        """/learn THEME: re-fit the theme on its labels (the alerts' buttons included)."""
        if len(args) != 1:
            return Reply("Usage: /learn THEME (re-fit it on its labels and the alerts' feedback)")
        slug, problem = await self.resolve_theme(args[0])
        if slug is None:
            return problem
        labels = await labels_of(self.store, slug)
        if not labels:  # QA round 14: "re-fitted", a re-match and an audit entry, on nothing
            return Reply(
                f"Nothing to learn yet: {escape(slug)} has no labels. Mark its alerts 👍 / 👎, "
                f"add articles with /example {escape(slug)} URL, or teach a file of labelled "
                f"items with policywatch themes teach {escape(slug)} FILE.jsonl."
            )
        taught = await refit(
            self.store,
            slug,
            self.clock(),
            actor_id=caller.user_id,
            actor_name=caller.user_name or "admin",
            action="learn",
            target="",  # the action says it all: nothing to quote
            only_if_changed=True,
        )
        if taught is None:
            spec = await self.store.get_theme(slug)
            if spec is not None and LEARNED in spec.options:
                return Reply(
                    f"{escape(slug)} is already fitted on its {counted(len(labels), 'label')}: "
                    "nothing changed."
                )
            # QA round 15: it said "already fitted" of a theme too few labels fit no model for
            report = await fit_report(self.store, slug)
            return Reply(
                f"Nothing changed: {escape(slug)} has {report.relevant} labelled relevant and "
                f"{report.not_relevant} not; the rules alone decide: {escape(report.needs())}."
            )
        return self._taught_reply(caller, f"✅ {escape(slug)}: re-fitted on its labels.", taught)

    async def labels(self, caller: Caller, args: list[str]) -> Reply:
        """/labels THEME [PAGE]: the taught labels with their ids, newest first, a page of
        LABELS_PAGE at a time, and the feedback counts."""
        if len(args) not in (1, 2) or (len(args) == 2 and not args[1].isdigit()):
            return Reply("Usage: /labels THEME [PAGE]")
        slug, problem = await self.resolve_theme(args[0])
        if slug is None:
            return problem
        taught = list(reversed(await self.store.list_labels(slug)))
        votes = await self.store.feedback_labels(slug)
        page = int(args[1]) if len(args) == 2 else 1
        pages = max(1, -(-len(taught) // LABELS_PAGE))
        if not taught and page > 1:  # QA round 14: "has 1 page(s) of labels"
            return Reply(
                f"{escape(slug)} has no labels yet: mark its alerts 👍 / 👎, or add an article "
                f"with /example {escape(slug)} URL."
            )
        if not 1 <= page <= pages:
            return Reply(
                f"{escape(slug)} has {counted(pages, 'page')} of labels; "
                f"try /labels {escape(slug)} 1"
            )
        shown = taught[(page - 1) * LABELS_PAGE : page * LABELS_PAGE]
        lines = [f"<b>labels of {escape(slug)}</b>"]
        lines += [
            f"<code>{r.id:>4}</code> {'✅' if r.relevant else '❌'} {escape(trim(r.title, 70))}"
            for r in shown
        ]
        if pages > 1:
            more = f"; older: /labels {escape(slug)} {page + 1}" if page < pages else ""
            lines.append(f"page {page} of {pages}, newest first{more}")
        lines.append(
            f"{len(taught)} taught; from the alerts' buttons {sum(v.relevant for v in votes)} "
            f"relevant, {sum(not v.relevant for v in votes)} not relevant.\n"
            f"Take one back: /unlabel {escape(slug)} ID"
        )
        return Reply(trim_message("\n".join(lines)))

    async def unlabel(self, caller: Caller, args: list[str]) -> Reply:
        """/unlabel THEME ID...: take taught labels back; the theme re-fits."""
        if len(args) < 2 or not all(a.isdigit() for a in args[1:]):
            return Reply("Usage: /unlabel THEME ID [ID...] (ids from /labels THEME)")
        slug, problem = await self.resolve_theme(args[0])
        if slug is None:
            return problem
        try:
            taught = await unlabel(
                self.store, slug, [int(a) for a in args[1:]], self.clock(), self._actor(caller)
            )
        except UsageError as exc:
            return Reply(escape(str(exc)))
        return self._taught_reply(
            caller, f"✅ {escape(slug)}: {escape(taught.taken_back_line())}.", taught
        )

    async def use_query(self, caller: Caller, slug: str) -> Reply:
        """The "Use this query" button: the query proposed from the theme's examples, now."""
        spec = await self.store.get_theme(slug)
        if spec is None:
            return Reply("That theme is gone.", edit=True)
        theme = theme_from_spec(spec)
        if theme.groups:
            return Reply("", toast="It has terms already; see /query and /keywords.")
        proposal = propose_query(theme.exemplars)
        if proposal is None:
            return Reply("", toast="Its examples share no words to propose.")
        try:
            changed = with_query(theme, proposal)
        except ThemeError as exc:
            return Reply(f"Not changed: {escape(str(exc))}", edit=True)
        saved = await self.store.save_theme(spec_from_theme(changed), self.clock())
        await self.store.record_audit(
            at=self.clock(),
            actor_id=caller.user_id,
            actor_name=caller.user_name,
            action="query",
            target=slug,
            before=None,
            after=proposal,
            snapshot={"kind": "theme", "theme": spec.to_json(), "after": saved.to_json()},
        )
        note = self._rematch(slug, caller)
        return Reply(
            f"✅ {escape(slug)}: query set to <code>{escape(proposal, quote=False)}</code>. {note}",
            edit=True,
        )

    async def after_feedback(self, caller: Caller, match_id: int) -> None:
        """Re-fit a theme on its labels every REFIT_EVERY feedback votes (one press never does).

        Audited as "learn (feedback)" under the voter's name; /undo reverts it like any change.
        """
        slug = await self.store.theme_of_match(match_id)
        if slug is None:
            return
        votes = await self.store.feedback_labels(slug)
        if not votes or len(votes) % REFIT_EVERY:
            return
        taught = await refit(
            self.store,
            slug,
            self.clock(),
            actor_id=caller.user_id,
            actor_name=caller.user_name or "feedback",
            action="learn (feedback)",
            target=f"{len(votes)} votes",
            only_if_changed=True,
        )
        if self.rematcher is not None and taught is not None:
            self.rematcher.start(slug, None)  # the voter is not told about the archive

    async def labels_line(self, theme: Theme) -> str | None:
        """For /preview of a taught theme: the labelled items under the rules and as taught."""
        if LEARNED not in theme.options:
            return None
        effect = labels_effect(theme, await labels_of(self.store, theme.slug))
        return (
            f"labels: of {effect.relevant} marked relevant, {effect.relevant_before} match by "
            f"the rules alone and {effect.relevant_after} as taught; of {effect.not_relevant} "
            f"marked not relevant, {effect.not_relevant_before} and {effect.not_relevant_after}"
        )
