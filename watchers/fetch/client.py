"""Fetch one feed's bytes: conditional GET over http(s), or a local file.

Follows redirects itself, hop by hop (each hop checked for SSRF, counted, loops detected,
permanence noted), enforces connect/read/total deadlines and a cap on the decoded body, limits
requests per host and overall, and reads the server's timing hints (Retry-After, Cache-Control,
Expires). Every failure becomes a `FetchError` whose message names the feed, what happened and
what happens next.

Does not parse the body (see `watchers.parse.feed`), decide when to poll next, or touch storage.
It reads no clock: `now` is passed in and stamped on the result as `fetched_at`.
The pieces: `types` (data), `transport` (client, limits), `session` (the aiohttp session a
feed's GET goes over), `guard` (SSRF), `caps` (decoding), `hints` (timing), `localfile` (files).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from watchers.fetch.caps import BadEncoding, BodyTooLarge, read_capped
from watchers.fetch.guard import BlockedAddress, check_host
from watchers.fetch.hints import cache_max_age, seconds_until
from watchers.fetch.localfile import fetch_file
from watchers.fetch.transport import Limiter, feed_session, limiter_for, make_client
from watchers.fetch.types import ACCEPTED, FetchError, FetchPolicy, FetchResult

__all__ = ["FetchError", "FetchPolicy", "FetchResult", "fetch_feed", "make_client"]

_REDIRECTS = (301, 302, 303, 307, 308)
_PERMANENT_REDIRECTS = (301, 308)


async def fetch_feed(
    url: str,
    *,
    etag: str | None,
    last_modified: str | None,
    previous_hash: str | None,
    policy: FetchPolicy,
    client: httpx.AsyncClient,
    now: datetime,
) -> FetchResult:
    """Fetch `url` (http(s) URL, file:// URL or local path); FetchError on any failure."""
    kind = _kind_of(url)
    if kind == "file":
        return await fetch_file(url, last_modified, previous_hash, policy, now)
    limiter = limiter_for(client, policy)
    try:
        return await _fetch_http(
            url, etag, last_modified, previous_hash, policy, client, limiter, now
        )
    except FetchError:
        raise
    except BlockedAddress as exc:
        raise FetchError(url, str(exc), permanent=True) from exc
    except BodyTooLarge as exc:
        raise FetchError(
            url,
            f"feed is larger than {exc.limit:,} bytes once decompressed; stopped reading "
            "(raise the size cap only if this feed is really that big)",
        ) from exc
    except BadEncoding as exc:
        raise FetchError(url, f"{exc}; will retry") from exc
    except httpx.ConnectTimeout as exc:
        raise FetchError(
            url, f"could not connect within {policy.connect_timeout:g} s; will retry"
        ) from exc
    except httpx.ReadTimeout as exc:
        raise FetchError(
            url, f"server went silent for {policy.read_timeout:g} s (read timeout); will retry"
        ) from exc
    except httpx.TimeoutException as exc:
        raise FetchError(url, f"timed out ({type(exc).__name__}); will retry") from exc
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        raise FetchError(url, f"not a usable URL ({exc}); {ACCEPTED}", permanent=True) from exc
    except httpx.ConnectError as exc:
        raise FetchError(url, f"cannot connect ({connect_reason(str(exc))}); will retry") from exc
    except httpx.RemoteProtocolError as exc:
        raise FetchError(url, f"server broke the HTTP protocol ({exc}); will retry") from exc
    except httpx.HTTPError as exc:
        raise FetchError(url, f"{type(exc).__name__}: {exc}; will retry") from exc
    except OSError as exc:
        raise FetchError(url, f"network error ({exc}); will retry") from exc


def _kind_of(url: str) -> str:
    """Classify `url` as "http" or "file"; FetchError(permanent) for anything else."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 (raises ValueError on a bad port)
    except ValueError as exc:
        raise FetchError(url, f"not a valid URL ({exc}); {ACCEPTED}", permanent=True) from exc
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        if not parts.hostname:
            raise FetchError(url, f"URL has no host name; {ACCEPTED}", permanent=True)
        return "http"
    if scheme == "file":
        return "file"
    if scheme in ("", *"abcdefghijklmnopqrstuvwxyz") and "://" not in url:
        # No scheme (or a Windows drive letter): a local path if it exists.
        if os.path.exists(url):
            return "file"
        hint = ""
        first = url.split("/", 1)[0]
        if "." in first and not url.startswith((".", "/")):
            hint = f" (did you mean https://{url}?)"
        raise FetchError(url, f"no such file{hint}; {ACCEPTED}", permanent=True)
    raise FetchError(url, f"unsupported scheme {scheme!r}; {ACCEPTED}", permanent=True)


@dataclass(frozen=True)
class _Hop:
    status: int
    headers: Mapping[str, str]  # looked up by lower-case name
    body: bytes | None


async def _fetch_http(
    url: str,
    etag: str | None,
    last_modified: str | None,
    previous_hash: str | None,
    policy: FetchPolicy,
    client: httpx.AsyncClient,
    limiter: Limiter,
    now: datetime,
) -> FetchResult:
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    loop = asyncio.get_running_loop()
    budget = policy.total_timeout  # seconds left for the whole request, all hops included
    current = _clean_url(url)
    chain = [current]
    permanent = True
    while True:
        host = urlsplit(current).hostname or ""
        if not policy.allow_private:
            try:
                check_host(host)
            except BlockedAddress as exc:
                if len(chain) == 1:
                    raise
                raise FetchError(url, f"redirected to {current}: {exc}", permanent=True) from exc
        async with limiter.slot(host.lower()):
            started = loop.time()  # monotonic; time waiting for a slot does not count
            try:
                async with asyncio.timeout(max(budget, 0.0)):
                    hop = await _one_hop(client, current, headers, policy)
            except TimeoutError as exc:
                raise FetchError(
                    url,
                    f"timed out after {policy.total_timeout:g} s (total deadline); will retry",
                ) from exc
            budget -= loop.time() - started
        if hop.status not in _REDIRECTS:
            break
        location = hop.headers.get("location")
        if not location:
            raise FetchError(url, f"HTTP {hop.status} redirect without a Location header")
        try:
            target = _clean_url(urljoin(current, location.strip()))
        except ValueError as exc:
            raise FetchError(url, f"redirected to an invalid URL {location!r} ({exc})") from exc
        if urlsplit(target).scheme.lower() not in ("http", "https"):
            raise FetchError(
                url, f"redirected to {target!r}, which is not http(s); refused", permanent=True
            )
        if target in chain:
            raise FetchError(url, f"redirect loop: {_show_chain([*chain, target])}; check the URL")
        if len(chain) > policy.max_redirects:
            raise FetchError(
                url,
                f"more than {policy.max_redirects} redirects ({_show_chain([*chain, target])});"
                " use the final URL",
            )
        permanent = permanent and hop.status in _PERMANENT_REDIRECTS
        chain.append(target)
        current = target
    final_url = current
    permanent_url = final_url if permanent and len(chain) > 1 else None
    return _result(url, final_url, permanent_url, hop, etag, last_modified, previous_hash, now)


async def _one_hop(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], policy: FetchPolicy
) -> _Hop:
    session = feed_session(client)
    if session is not None:
        async with session.get(url, headers) as answer:
            return await _read(answer.status, answer.headers, answer.stream, policy)
    request = client.build_request("GET", url, headers=headers)
    response = await client.send(request, stream=True)
    try:
        return await _read(response.status_code, response.headers, response.aiter_raw(), policy)
    finally:
        await response.aclose()


async def _read(
    status: int, headers: Mapping[str, str], raw: AsyncIterator[bytes], policy: FetchPolicy
) -> _Hop:
    """The hop's body when it is a success (capped once decoded), else drained and dropped."""
    body: bytes | None = None
    if 200 <= status < 300:
        encoding = headers.get("content-encoding")
        length = headers.get("content-length", "")
        if not encoding and length.isdigit() and int(length) > policy.max_bytes:
            raise BodyTooLarge(policy.max_bytes)
        body = await read_capped(raw, encoding, policy.max_bytes)
    else:
        await _drain(raw)
    return _Hop(status, headers, body)


DRAIN_LIMIT = 64 * 1024  # bytes of a 304, redirect or error body read to keep the connection


async def _drain(raw: AsyncIterator[bytes]) -> None:
    """Read a small unwanted body to its end, so the connection goes back to the pool.

    A connection whose response was not read to the end is closed (httpcore closed one even
    after a 304 with no body): without this every conditional GET could open a new connection.
    """
    read = 0
    try:
        async for chunk in raw:
            read += len(chunk)
            if read > DRAIN_LIMIT:
                return  # not worth reading: aclose() drops the connection instead
    except (httpx.StreamError, httpx.HTTPError):
        return  # already read (a mock transport) or broken: the status still stands


def _result(
    url: str,
    final_url: str,
    permanent_url: str | None,
    hop: _Hop,
    etag: str | None,
    last_modified: str | None,
    previous_hash: str | None,
    now: datetime,
) -> FetchResult:
    h = hop.headers
    max_age = cache_max_age(h.get("cache-control"), h.get("expires"), now)
    if hop.status == 304 or (200 <= hop.status < 300 and hop.body is not None):
        new_etag = h.get("etag") or (etag if hop.status == 304 else None)
        new_lm = h.get("last-modified") or (last_modified if hop.status == 304 else None)
        body = hop.body if hop.status != 304 else None
        digest = hashlib.sha256(body).hexdigest() if body is not None else None
        if body is None or digest == previous_hash:
            body, digest, status = None, None, 304
        else:
            status = 200
        return FetchResult(
            url=url,
            final_url=final_url,
            permanent_url=permanent_url,
            status=status,
            body=body,
            content_type=h.get("content-type"),
            etag=new_etag,
            last_modified=new_lm,
            body_hash=digest,
            max_age=max_age,
            fetched_at=now,
        )
    raise _status_error(url, hop, now)


def _status_error(url: str, hop: _Hop, now: datetime) -> FetchError:
    status = hop.status
    retry_after = None
    if status in (429, 503):
        retry_after = seconds_until(hop.headers.get("retry-after"), now)
    wait = f"will retry after {retry_after:g} s" if retry_after is not None else "will retry"
    if status == 404:
        # Said of feeds, articles and examples alike: the advice names no one of them.
        reason, permanent = "not found (HTTP 404); check the address", True
    elif status == 410:
        reason, permanent = "gone (HTTP 410): the site removed it for good", True
    elif status in (401, 403):
        reason, permanent = f"access denied (HTTP {status}); the site may block bots", False
    elif status == 429:
        reason, permanent = f"rate limited (HTTP 429); {wait}", False
    elif status >= 500:
        reason, permanent = f"server error (HTTP {status}); {wait}", False
    else:
        reason, permanent = f"unexpected HTTP {status}; check the URL", False
    return FetchError(url, reason, status=status, retry_after=retry_after, permanent=permanent)


def _clean_url(url: str) -> str:
    """`url` without its fragment (never sent to servers, and it would defeat loop detection)."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc, parts.path or "/", parts.query, ""))


def _show_chain(chain: list[str]) -> str:
    if len(chain) <= 4:
        return " -> ".join(chain)
    return " -> ".join([*chain[:2], "...", *chain[-2:]])


_AIOHTTP_CONNECT = re.compile(r"Cannot connect to host (?P<host>\S+) ssl:\S+ \[(?P<why>.*)\]$")
_CALL_FAILED = re.compile(r"^Connect call failed \(.*\)$")


def connect_reason(text: str) -> str:
    """Why a connection failed, in the words a person reads: "refused" for a closed port,
    the resolver's reason for a name it does not know; not aiohttp's "ssl:default [...]"."""
    m = _AIOHTTP_CONNECT.match(text.strip())
    if m is None:
        return text or "refused"
    why = m.group("why").strip()
    if not why or _CALL_FAILED.match(why) or "refused" in why.casefold():
        why = "refused"
    return f"{m.group('host')}: {why[:1].lower()}{why[1:]}"
