"""Read an HTTP response body with a cap on the decoded size.

We ask only for `gzip` and `deflate` and decompress the raw bytes ourselves with zlib's
`max_length`, so a gzip bomb never occupies more than the cap in memory: decompression stops as
soon as the output would pass the cap. Does not handle timeouts (the caller wraps the read in
its deadline) and does not know about feeds or URLs.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator
from typing import Any

ACCEPT_ENCODING = "gzip, deflate"


class BodyTooLarge(Exception):
    """The decoded body passed the cap."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"body larger than {limit:,} bytes")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.limit,))  # not (message,)


class BadEncoding(Exception):
    """The Content-Encoding is unknown or the compressed data is corrupt."""


class _Inflater:
    """Incremental gzip/deflate decoder that never yields more than `budget` bytes at once."""

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        self._wbits = 16 + zlib.MAX_WBITS if encoding == "gzip" else zlib.MAX_WBITS
        self._obj = zlib.decompressobj(self._wbits)
        self._started = False

    def feed(self, data: bytes, budget: int) -> tuple[bytes, bytes]:
        """Decode up to `budget` bytes from `data`; return (output, input not consumed yet)."""
        try:
            out = self._obj.decompress(data, budget)
        except zlib.error as exc:
            if self._encoding == "deflate" and not self._started:
                # Some servers send raw deflate without the zlib header.
                self._wbits = -zlib.MAX_WBITS
                self._obj = zlib.decompressobj(self._wbits)
                self._started = True
                return self.feed(data, budget)
            raise BadEncoding(f"corrupt {self._encoding} data ({exc})") from exc
        self._started = True
        rest = self._obj.unconsumed_tail
        if self._obj.eof:
            rest = self._obj.unused_data
            if self._encoding == "gzip" and rest.startswith(b"\x1f\x8b"):
                # A further gzip member: concatenated gzip is legal.
                self._obj = zlib.decompressobj(self._wbits)
            else:
                rest = b""  # trailing junk after the stream ends is ignored, as browsers do
        return out, rest


async def read_capped(raw: AsyncIterator[bytes], content_encoding: str | None, limit: int) -> bytes:
    """The decoded body from `raw` (the undecoded byte stream); BodyTooLarge past `limit`."""
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if len(codings) > 1:
        raise BadEncoding(f"stacked Content-Encoding {content_encoding!r} is not supported")
    coding = codings[0] if codings else None
    if coding == "x-gzip":
        coding = "gzip"
    if coding not in (None, "gzip", "deflate"):
        raise BadEncoding(f"unsupported Content-Encoding {content_encoding!r} (we ask for gzip)")
    inflater = _Inflater(coding) if coding else None
    chunks: list[bytes] = []
    size = 0
    async for chunk in raw:
        data = chunk
        while data:
            if inflater is None:
                out, data = data, b""
            else:
                out, data = inflater.feed(data, limit - size + 1)
            size += len(out)
            if size > limit:
                raise BodyTooLarge(limit)
            chunks.append(out)
    return b"".join(chunks)
