"""Fetch one feed's bytes: conditional GET over http(s), or a local file.

Follows redirects itself, hop by hop (each hop checked for SSRF, counted, loops detected,
permanence noted), enforces connect/read/total deadlines and a cap on the decoded body, limits
requests per host and overall, and reads the server's timing hints (Retry-After, Cache-Control,
Expires). Every failure becomes a `FetchError` whose message names the feed, what happened and
what happens next.

Does not parse the body (see `watchers.parse`), decide when to poll next, or touch storage.
It reads no clock: `now` is passed in and stamped on the result as `fetched_at`.
"""

from __future__ import annotations

import asyncio
import hashlib
import mimetypes
import os
import ssl
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import certifi
import httpcore
import httpx

from watchers.bodycap import ACCEPT_ENCODING, BadEncoding, BodyTooLarge, read_capped
from watchers.httphints import cache_max_age, format_http_date, seconds_until
from watchers.netguard import BlockedAddress, GuardedBackend, check_host

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, text/html;q=0.3, */*;q=0.1"
)
_REDIRECTS = (301, 302, 303, 307, 308)
_PERMANENT_REDIRECTS = (301, 308)
_ACCEPTED = "use an http(s):// URL, a file:// URL or the path of an existing local file"


@dataclass(frozen=True)
class FetchPolicy:
    """Limits and manners for fetching; one per poll cycle, built by the bot from settings."""

    connect_timeout: float = 10.0  # seconds to open a connection (DNS included)
    read_timeout: float = 20.0  # seconds of silence tolerated between two reads
    total_timeout: float = 60.0  # the whole request incl. body and redirects; cuts off drips
    max_bytes: int = 15 * 1024 * 1024  # on the DECODED body (a gzip bomb stops at the cap)
    max_redirects: int = 5  # hops followed; one more is an error
    allow_private: bool = False  # ALLOW_PRIVATE_FEEDS: allow loopback/private/link-local hosts
    max_per_host: int = 2  # requests in flight to one host
    max_total: int = 20  # requests in flight overall
    user_agent: str = "policywatch/0.1 (+https://github.com/policywatch/policywatch)"


@dataclass(frozen=True)
class FetchResult:
    """What one successful fetch brought back; flows from the network to the poll cycle."""

    url: str  # as asked
    final_url: str  # after redirects
    permanent_url: str | None  # URL to store when every redirect hop was 301/308, else None
    status: int  # 200, or 304 (not modified, or the body hashes to previous_hash)
    body: bytes | None  # decoded body; None on 304
    content_type: str | None  # the Content-Type header, charset included
    etag: str | None  # to send as If-None-Match next time
    last_modified: str | None  # to send as If-Modified-Since next time
    body_hash: str | None  # sha256 hex of body; None on 304 (keep the stored one)
    max_age: float | None  # seconds the server asks us to wait (Cache-Control/Expires)
    fetched_at: datetime  # the `now` passed in


class FetchError(Exception):
    """A feed could not be fetched; `str(e)` is "<url>: <reason>", fit for an admin to read."""

    def __init__(
        self,
        url: str,
        reason: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        permanent: bool = False,
    ) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url  # the feed as asked
        self.reason = reason  # what happened and what to do
        self.status = status  # the HTTP status, when there was a response
        self.retry_after = retry_after  # seconds the server asked us to wait (429/503)
        self.permanent = permanent  # retrying as-is will not help (404/410, SSRF, bad URL)


# --------------------------------------------------------------------------- client


class _GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with our SSRF-checking network backend underneath.

    httpx 0.28 has no public hook for a network backend, so we replace the connection pool it
    built with an identical one that uses `GuardedBackend` (checked by tests/test_netguard.py).
    """

    def __init__(self, limits: httpx.Limits) -> None:
        super().__init__(limits=limits, trust_env=False)
        if not isinstance(getattr(self, "_pool", None), httpcore.AsyncConnectionPool):
            # Fail closed: never run unguarded because httpx renamed an internal.
            raise RuntimeError("cannot install the SSRF guard in this httpx version")
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl.create_default_context(cafile=certifi.where()),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(),
        )


class _Limiter:
    """At most `per_host` requests per host and `total` overall in flight."""

    def __init__(self, per_host: int, total: int) -> None:
        self._per_host = max(1, per_host)
        self._total = asyncio.Semaphore(max(1, total))
        self._hosts: dict[str, asyncio.Semaphore] = {}

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        # Always host first, then total: one order for everyone, so no circular wait.
        host_sem = self._hosts.setdefault(host, asyncio.Semaphore(self._per_host))
        async with host_sem, self._total:
            yield


_LIMITERS: weakref.WeakKeyDictionary[httpx.AsyncClient, _Limiter] = weakref.WeakKeyDictionary()


def make_client(policy: FetchPolicy) -> httpx.AsyncClient:
    """One HTTP client for a whole poll cycle; close it (`async with`) when the cycle ends.

    Redirects are not followed by httpx (fetch_feed follows them hop by hop), proxies from the
    environment are ignored (a proxy would hide the address we connect to from the SSRF check).
    """
    limits = httpx.Limits(
        max_connections=policy.max_total, max_keepalive_connections=policy.max_total
    )
    transport: httpx.AsyncBaseTransport
    if policy.allow_private:
        transport = httpx.AsyncHTTPTransport(limits=limits, trust_env=False)
    else:
        transport = _GuardedTransport(limits)
    client = httpx.AsyncClient(
        transport=transport,
        timeout=httpx.Timeout(
            connect=policy.connect_timeout,
            read=policy.read_timeout,
            write=policy.read_timeout,
            pool=policy.total_timeout,
        ),
        headers={
            "User-Agent": policy.user_agent,
            "Accept": ACCEPT,
            "Accept-Encoding": ACCEPT_ENCODING,
        },
        follow_redirects=False,
        trust_env=False,
    )
    _LIMITERS[client] = _Limiter(policy.max_per_host, policy.max_total)
    return client


# --------------------------------------------------------------------------- entry point


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
        return await _fetch_file(url, last_modified, previous_hash, policy, now)
    limiter = _LIMITERS.get(client)
    if limiter is None:
        limiter = _LIMITERS.setdefault(client, _Limiter(policy.max_per_host, policy.max_total))
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
        raise FetchError(url, f"not a usable URL ({exc}); {_ACCEPTED}", permanent=True) from exc
    except httpx.ConnectError as exc:
        raise FetchError(url, f"cannot connect ({exc or 'refused'}); will retry") from exc
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
        raise FetchError(url, f"not a valid URL ({exc}); {_ACCEPTED}", permanent=True) from exc
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        if not parts.hostname:
            raise FetchError(url, f"URL has no host name; {_ACCEPTED}", permanent=True)
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
        raise FetchError(url, f"no such file{hint}; {_ACCEPTED}", permanent=True)
    raise FetchError(url, f"unsupported scheme {scheme!r}; {_ACCEPTED}", permanent=True)


# --------------------------------------------------------------------------- http


@dataclass(frozen=True)
class _Hop:
    status: int
    headers: httpx.Headers
    body: bytes | None


async def _fetch_http(
    url: str,
    etag: str | None,
    last_modified: str | None,
    previous_hash: str | None,
    policy: FetchPolicy,
    client: httpx.AsyncClient,
    limiter: _Limiter,
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
    request = client.build_request("GET", url, headers=headers)
    response = await client.send(request, stream=True)
    try:
        body: bytes | None = None
        if 200 <= response.status_code < 300:
            encoding = response.headers.get("content-encoding")
            length = response.headers.get("content-length", "")
            if not encoding and length.isdigit() and int(length) > policy.max_bytes:
                raise BodyTooLarge(policy.max_bytes)
            body = await read_capped(response.aiter_raw(), encoding, policy.max_bytes)
        return _Hop(response.status_code, response.headers, body)
    finally:
        await response.aclose()


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
        reason, permanent = "not found (HTTP 404); check the URL or remove the feed", True
    elif status == 410:
        reason, permanent = "gone (HTTP 410): the site removed this feed; remove it", True
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


# --------------------------------------------------------------------------- local files


def _file_path(url: str) -> Path:
    parts = urlsplit(url)
    if parts.scheme.lower() != "file":
        return Path(url)
    if parts.netloc not in ("", "localhost"):
        raise FetchError(url, "file:// URLs must name a local file (file:///path)", permanent=True)
    return Path(unquote(parts.path))


def _read_file(path: Path, limit: int) -> tuple[bytes, float]:
    with path.open("rb") as handle:
        mtime = os.fstat(handle.fileno()).st_mtime
        data = handle.read(limit + 1)
    return data, mtime


async def _fetch_file(
    url: str,
    last_modified: str | None,
    previous_hash: str | None,
    policy: FetchPolicy,
    now: datetime,
) -> FetchResult:
    """Read a local feed file (operators and tests).

    `last_modified` is the file's mtime as an HTTP date. Because HTTP dates have one-second
    resolution, a file rewritten within the same second keeps its date; so when the caller
    knows the previous hash we read and compare the bytes (cheap for a local file), and only
    without a hash does an equal date alone mean "not modified".
    """
    path = _file_path(url)
    try:
        data, mtime = await asyncio.to_thread(_read_file, path, policy.max_bytes)
    except FileNotFoundError as exc:
        raise FetchError(url, f"no such file; {_ACCEPTED}", permanent=True) from exc
    except IsADirectoryError as exc:
        raise FetchError(url, "is a directory, not a feed file", permanent=True) from exc
    except OSError as exc:
        raise FetchError(url, f"cannot read the file ({exc.strerror or exc})") from exc
    if len(data) > policy.max_bytes:
        raise FetchError(url, f"file is larger than {policy.max_bytes:,} bytes; not read")
    stamp = format_http_date(datetime.fromtimestamp(mtime, UTC))
    digest = hashlib.sha256(data).hexdigest()
    unchanged = digest == previous_hash if previous_hash else stamp == last_modified
    content_type = mimetypes.guess_type(path.name)[0]
    return FetchResult(
        url=url,
        final_url=url,
        permanent_url=None,
        status=304 if unchanged else 200,
        body=None if unchanged else data,
        content_type=content_type,
        etag=None,
        last_modified=stamp,
        body_hash=None if unchanged else digest,
        max_age=None,
        fetched_at=now,
    )
