"""HTML parse mode, as crudely as Telegram needs: the visible text, or Telegram's refusal."""

from __future__ import annotations

import html
import re

from tests.fakebotapi.records import ApiError

ALLOWED_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)
TAG_RE = re.compile(
    r"<(/?)([a-zA-Z][\w-]*)((?:\s+[\w-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*>"
)
SPECIAL_RE = re.compile(r"[<>&]")
ENTITY_RE = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);")
MAX_TEXT = 4096
MAX_CAPTION = 1024


def check_html(text: str) -> str:
    """The visible text of `text` in HTML parse mode, or ApiError 400 like Telegram's refusal."""
    out: list[str] = []
    stack: list[str] = []
    pos = 0
    while (special := SPECIAL_RE.search(text, pos)) is not None:
        out.append(text[pos : special.start()])
        pos, ch = special.start(), special.group(0)
        if ch == "<":
            m = TAG_RE.match(text, pos)
            if m is None:
                raise _parse_error(f'Unsupported start tag "" at byte offset {_off(text, pos)}')
            closing, name = m.group(1), m.group(2).lower()
            if name not in ALLOWED_TAGS:
                raise _parse_error(
                    f'Unsupported start tag "{name}" at byte offset {_off(text, pos)}'
                )
            if closing:
                if not stack or stack[-1] != name:
                    raise _parse_error(f"Unexpected end tag at byte offset {_off(text, pos)}")
                stack.pop()
            else:
                stack.append(name)
            pos = m.end()
        elif ch == "&":
            m = ENTITY_RE.match(text, pos)
            if m is None:
                raise _parse_error(f"Unescaped '&' at byte offset {_off(text, pos)}")
            out.append(html.unescape(m.group(0)))
            pos = m.end()
        else:
            raise _parse_error(f"Unescaped '>' at byte offset {_off(text, pos)}")
    out.append(text[pos:])
    if stack:
        raise _parse_error(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out)


def _off(text: str, pos: int) -> int:
    return len(text[:pos].encode("utf-8"))


def _parse_error(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: can't parse entities: {detail}")


def utf16_len(text: str) -> int:
    """Telegram counts message length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2
