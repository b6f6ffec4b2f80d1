"""Every piece of Telegram text is built here: alerts, and the fitting of long HTML to a message.

Escapes each string that came from a feed with `html.escape` (STYLE habit 7), bounds each field
so one long quote cannot push the rest of an alert out, and fits HTML into Telegram's 4096
characters without cutting a tag or an entity in half. Imports nothing of Telegram: buttons are
plain dataclasses, so the console front end renders the same alerts (`plain_text`).
Does not send anything, read the clock, or know about the store beyond the `AlertView` record.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from bot.chat.buttons import feedback_data, subscription_data
from matcher.stance import language_of
from store.records import AlertView

MESSAGE_LIMIT = 4096  # characters (UTF-16 code units) of a message, after entity parsing
CAPTION_LIMIT = 1024  # the same for a photo's or a document's caption
TOAST_LIMIT = 200  # characters of a button press's answer (answerCallbackQuery text)
ELLIPSIS = "…"

# Field bounds (characters of feed text, before escaping): an alert stays well under a message.
TITLE_MAX = 400
SPEAKER_MAX = 120
OFFICE_MAX = 200
QUOTE_MAX = 1200
BRIEF_MAX = 400
SOURCE_MAX = 120

# How a stance reads, in alerts and in every list: one mark per stance.
STANCE_MARK = {
    "opposes": "⛔ opposes",
    "supports": "🤝 supports",
    "unclear": "❔ unclear",
}


@dataclass(frozen=True)
class Button:
    """An inline button: its label and the callback data it sends back (≤ 64 bytes)."""

    text: str
    callback_data: str


@dataclass(frozen=True)
class RenderedMessage:
    """A message ready to send: HTML text and rows of inline buttons."""

    text: str  # HTML parse mode
    buttons: list[list[Button]] = field(default_factory=list)


# --- alerts -------------------------------------------------------------------------------------


def who_said(speaker: str | None, office: str | None, actor: str | None) -> str | None:
    """Who spoke, with the office and the state when known: "Foreign Minister (Kenya)" is not
    any foreign minister; "Ned Price (State Department spokesperson, United States)"."""
    about = ", ".join(x for x in (office, actor) if x)
    if speaker:
        return f"{speaker} ({about})" if about else speaker
    if office:
        return f"{office} ({actor})" if actor else office
    return actor


def said_words(words: str, direct: bool | None) -> str:
    """Quotation marks round the speaker's own words only; reported speech says it is reported.

    `words` is already escaped. direct None: stored before the kind was kept, shown quoted as
    it always was. Words that carry their own quotation marks (a sentence mostly quoted,
    'Brasilia and Buenos Aires "have restored ties"') keep them and get no second pair.
    """
    if direct is False:
        return f"<i>reported:</i> {words}"
    return words if has_quotation_marks(words) else f"“{words}”"


def has_quotation_marks(words: str) -> bool:
    """Whether words (plain or escaped) carry quotation marks of their own."""
    return any(mark in words for mark in ('"', "&quot;", "“", "”", "«", "»", "„"))


def alert_quote(alert: AlertView) -> tuple[str | None, bool | None]:
    """The quote an alert shows, and whether it is the speaker's own words (None: not known).

    The event's quote is its best report's, perhaps another outlet's in another language; an
    alert linking to an English article showed a Turkish quote its reader could not find (QA
    round 19). When the event's quote is not in the language of the alerted headline and the
    alerted item quotes the statement itself, its own words are shown."""
    if (
        alert.quote
        and alert.item_quote
        and alert.item_quote != alert.quote
        and language_of(alert.quote) != language_of(alert.title)
        and language_of(alert.item_quote) == language_of(alert.title)
    ):
        # whether the item's words were quoted is not kept: shown as reported, never as
        # quotation marks around a paraphrase
        return alert.item_quote, False
    return alert.quote, alert.direct


def role_note(role: str) -> str:
    """What marks a commentator (an analyst quoted for analysis) beside who spoke."""
    return " · <i>commentator</i>" if role == "commentator" else ""


def render_alert(alert: AlertView) -> RenderedMessage:
    """One alert: theme, date, source, linked headline, speaker and quote, stance, why, buttons."""
    lines = [f"🔔 <b>{esc(alert.theme_name, 100)}</b>"]
    lines.append(f"📅 {format_day(alert)} · {esc(alert.source, SOURCE_MAX)}")
    headline = f"<b>{esc(alert.title, TITLE_MAX)}</b>"
    if alert.link and safe_url(alert.link):
        headline = f'<a href="{html.escape(alert.link, quote=True)}">{headline}</a>'
    lines.append(headline)
    if alert.speaker:
        who = f"🗣 <b>{esc(alert.speaker, SPEAKER_MAX)}</b>"
        about = ", ".join(x for x in (alert.office, alert.actor) if x)
        if about:
            who += f", {esc(about, OFFICE_MAX)}"
        lines.append(who + role_note(alert.role))
    elif alert.office or alert.actor:  # an office or a state speaking without a name
        office = esc(who_said(None, alert.office, alert.actor) or "", OFFICE_MAX)
        lines.append(f"🗣 <b>{office}</b>{role_note(alert.role)}")
    quote, direct = alert_quote(alert)
    if quote:
        lines.append(f"<blockquote>{said_words(esc(quote, QUOTE_MAX), direct)}</blockquote>")
    lines.append(f"Stance: {STANCE_MARK.get(alert.stance, esc(alert.stance, 40))}")
    if alert.brief:
        lines.append(f"<i>Why: {esc(alert.brief, BRIEF_MAX)}</i>")
    text = trim_message("\n".join(lines))
    return RenderedMessage(text, alert_buttons(alert))


def alert_buttons(alert: AlertView) -> list[list[Button]]:
    """Relevant / Not relevant (feedback on the match) and Unsubscribe (from the theme)."""
    item = alert.item_id
    return [
        [
            Button("👍 Relevant", feedback_data(alert.match_id, relevant=True, item_id=item)),
            Button("👎 Not relevant", feedback_data(alert.match_id, relevant=False, item_id=item)),
        ],
        [Button("Unsubscribe", subscription_data(alert.theme_slug, follow=False, from_list=False))],
    ]


def format_day(alert: AlertView) -> str:
    """The statement's day, e.g. "3 Jan 2023"."""
    return f"{alert.day.day} {alert.day:%b %Y}"


def esc(text: str, limit: int | None = None) -> str:
    """Feed text, shortened to `limit` characters at a word boundary, then HTML-escaped."""
    text = " ".join(text.split()) if "\n" not in text else text.strip()
    if limit is not None:
        text = shorten(text, limit)
    return html.escape(text, quote=False)


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary when one is near, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


def safe_url(url: str) -> bool:
    """Only http(s) links become <a href>: Telegram refuses others, and they are odd in news."""
    return url.lower().startswith(("http://", "https://"))


# --- fitting HTML into messages -------------------------------------------------------------

TOKEN_RE = re.compile(r"<[^<>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);|[^<&]+|[<&]", re.S)
TAG_NAME_RE = re.compile(r"</?\s*([a-zA-Z][\w-]*)")


def tg_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _tokens(text: str) -> list[str]:
    """Tags and entities whole; text one character at a time (so cuts can fall anywhere)."""
    out: list[str] = []
    for tok in TOKEN_RE.findall(text):
        if tok[0] in "<&" and len(tok) > 1:
            out.append(tok)
        else:
            out.extend(tok)
    return out


def fit_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split HTML into parts of at most `limit` characters (as sent), at line or word breaks.

    Tags open at a cut are closed at the end of one part and reopened at the start of the
    next, so each part is valid HTML on its own. The count is of the HTML source, which is
    never shorter than what Telegram counts, so every part is accepted.
    """
    if tg_len(text) <= limit:
        return [text]
    parts: list[str] = []
    tokens = _tokens(text)
    stack: list[tuple[str, str]] = []  # (name, opening tag) of the tags open here
    current: list[str] = []
    size = 0
    best: tuple[int, int, tuple[tuple[str, str], ...]] | None = None  # (index, rank, stack)

    def closing(open_tags: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> str:
        return "".join(f"</{name}>" for name, _ in reversed(open_tags))

    def reopening(open_tags: tuple[tuple[str, str], ...]) -> list[str]:
        return [tag for _, tag in open_tags]

    i = 0
    while i < len(tokens):
        tok = tokens[i]
        new_stack = _apply(stack, tok)
        cost = tg_len(tok)
        if size + cost + tg_len(closing(new_stack)) > limit and current:
            if best is not None and best[0] > 0:
                cut, _, cut_stack = best
            else:
                cut, cut_stack = len(current), tuple(stack)
            head = "".join(current[:cut]).rstrip() + closing(cut_stack)
            parts.append(head)
            rest = current[cut:]
            while rest and rest[0] in {" ", "\n"}:
                rest.pop(0)
            current = reopening(cut_stack) + rest
            stack = list(cut_stack)
            for t in rest:
                stack = _apply(stack, t)
            size = sum(tg_len(t) for t in current)
            best = None
            if size + cost + tg_len(closing(_apply(stack, tok))) > limit and not rest:
                # a single token larger than a message: emit it alone (cannot be helped)
                current.append(tok)
                stack = _apply(stack, tok)
                size += cost
                i += 1
            continue
        current.append(tok)
        stack = new_stack
        size += cost
        if tok in {"\n", " "}:
            rank = 2 if tok == "\n" else 1
            if best is None or rank >= best[1] or len(current) - best[0] > limit // 4:
                best = (len(current), rank, tuple(stack))
        i += 1
    if current:
        parts.append("".join(current).rstrip())
    return [p for p in parts if _visible(p).strip()]


def _apply(stack: list[tuple[str, str]], tok: str) -> list[tuple[str, str]]:
    """The open-tag stack after `tok`."""
    if not (tok.startswith("<") and len(tok) > 1):
        return stack
    m = TAG_NAME_RE.match(tok)
    if m is None or tok.endswith("/>"):
        return stack
    name = m.group(1).lower()
    if tok.startswith("</"):
        for k in range(len(stack) - 1, -1, -1):
            if stack[k][0] == name:
                return stack[:k]
        return stack
    return [*stack, (name, tok)]


def trim_message(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """`text` if it fits, else its first part with an ellipsis (for messages that must be one)."""
    if tg_len(text) <= limit:
        return text
    head = fit_message(text, limit - len(ELLIPSIS))[0]
    if tg_len(head) > limit - len(ELLIPSIS):  # one unbreakable token (a huge tag): drop the markup
        return trim_plain(html.escape(_visible(text), quote=False), limit)
    return head + ELLIPSIS


def trim_plain(text: str, limit: int) -> str:
    """Plain text (no markup) cut to `limit` UTF-16 code units, with an ellipsis if cut."""
    if tg_len(text) <= limit:
        return text
    cut = text[:limit]
    while tg_len(cut) > limit - len(ELLIPSIS):
        cut = cut[: -max(1, (tg_len(cut) - limit + len(ELLIPSIS)) // 2)]
    if cut and "&" in cut[-9:]:  # do not end inside an HTML entity such as &amp;
        amp = cut.rfind("&")
        if ";" not in cut[amp:]:
            cut = cut[:amp]
    return cut + ELLIPSIS


class _Plain(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.hrefs: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.hrefs:
            href = self.hrefs.pop()
            if href:
                self.out.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        self.out.append(data)


def plain_text(text: str) -> str:
    """HTML made readable in a terminal: tags dropped, entities decoded, links shown in (...)."""
    parser = _Plain()
    parser.feed(text)
    parser.close()
    return "".join(parser.out)


def _visible(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", text))
