"""Fetch one article page for ``placemap serve``, on the user's own network, without SSRF.

Only ``http`` and ``https`` URLs are fetched. Every host name is resolved first and every
address it resolves to is checked (by default: public addresses only, so no loopback,
private, link-local, shared or reserved address, nor IPv4 inside IPv6); the connection
then goes to the checked address itself (the name is kept for the ``Host`` header and for
TLS), so a second DNS answer cannot swap in another one. Redirects are followed by hand,
at most :data:`MAX_REDIRECTS`, each hop checked the same way. The body is read up to a
limit. Every failure is a :class:`FetchError` with one line for the user.

>>> page = fetch_url("https://example.org/news/1")  # doctest: +SKIP
>>> page.url, page.content_type, len(page.body)  # doctest: +SKIP
('https://example.org/news/1', 'text/html', 48213)
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from placemap.exc import PlacemapError

__all__ = ["MAX_PAGE_BYTES", "MAX_REDIRECTS", "FetchError", "FetchedPage", "fetch_url", "is_public_address"]

MAX_REDIRECTS = 5
#: Larger pages are refused (``placemap.html.MAX_HTML_BYTES`` is the reader's own limit).
MAX_PAGE_BYTES = 10_000_000
_SCHEMES = {"http": 80, "https": 443}
_USER_AGENT = "placemap (+https://pypi.org/project/placemap/)"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]


class FetchError(PlacemapError, ValueError):
    """A URL that was refused or could not be fetched; the message is for the user."""


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """A fetched page: where it ended up (after redirects), its media type and its bytes."""

    url: str
    content_type: str
    body: bytes


def is_public_address(address: IPAddress) -> bool:
    """True for an address on the public internet (what the fetcher allows by default)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo[1] if address.teredo else None)
        if embedded is not None:
            return is_public_address(embedded)
    return address.is_global and not address.is_multicast


def _resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _checked_address(
    host: str, port: int, *, allowed: Callable[[IPAddress], bool], resolve: Resolver
) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """The address to connect to for ``host``: every address it resolves to must be allowed."""
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [literal]
    else:
        try:
            addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in resolve(host, port)]
        except (OSError, UnicodeError) as err:
            raise FetchError(f"could not look up {host} (are you offline? {_reason(err)})") from err
        if not addresses:
            raise FetchError(f"could not look up {host}: no address")
    for address in addresses:
        if not allowed(address):
            raise FetchError(
                f"refused {host}: {address} is a loopback, private or reserved address "
                "(start the server with --allow-private-urls to fetch from your own network)"
            )
    return addresses[0]


def _reason(err: BaseException) -> str:
    return str(getattr(err, "strerror", None) or err) or type(err).__name__


def fetch_url(
    url: str,
    *,
    allow_private: bool = False,
    timeout: float = 15.0,
    max_bytes: int = MAX_PAGE_BYTES,
    allowed: Callable[[IPAddress], bool] | None = None,
    resolve: Resolver | None = None,
) -> FetchedPage:
    """Fetch ``url`` with the checks in this module's docstring.

    Parameters
    ----------
    url : str
        An ``http`` or ``https`` URL.
    allow_private : bool
        Allow every address (loopback and private ones too).
    timeout : float
        Seconds for connecting and for each read.
    max_bytes : int
        Larger bodies are refused.
    allowed : Callable, optional
        Which addresses may be reached; overrides ``allow_private`` (tests use it).
    resolve : Callable, optional
        ``(host, port) -> addresses``; ``socket.getaddrinfo`` by default.

    Returns
    -------
    FetchedPage

    Raises
    ------
    FetchError
        Refused scheme or address, too many redirects, an HTTP error status, a body over
        ``max_bytes``, or no network.
    """
    import httpx

    if allowed is None:
        allowed = (lambda address: True) if allow_private else is_public_address
    resolve = resolve or _resolve
    current = url.strip()
    with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
        for _ in range(MAX_REDIRECTS + 1):
            request = _pinned_request(client, current, allowed=allowed, resolve=resolve)
            try:
                response = client.send(request, stream=True)
            except httpx.TimeoutException as err:
                raise FetchError(f"{_host(current)} did not answer in {timeout:g} s") from err
            except (httpx.HTTPError, OSError) as err:
                raise FetchError(f"could not reach {_host(current)} (are you offline? {_reason(err)})") from err
            try:
                if response.is_redirect:
                    location = response.headers.get("location", "")
                    if not location:
                        raise FetchError(f"{current}: a redirect without a Location")
                    current = urljoin(current, location)
                    continue
                if response.status_code >= 400:
                    raise FetchError(f"{current}: HTTP {response.status_code} {response.reason_phrase}")
                body = _read_limited(response, max_bytes, current, deadline=4 * timeout)
                content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
                return FetchedPage(url=current, content_type=content_type, body=body)
            except httpx.HTTPError as err:
                raise FetchError(f"{current}: the download broke off ({_reason(err)})") from err
            finally:
                response.close()
    raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


def _pinned_request(client, url: str, *, allowed: Callable[[IPAddress], bool], resolve: Resolver):
    """A request for ``url`` sent to the checked address, the name kept for Host and TLS."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as err:
        raise FetchError(f"not a valid URL: {url[:200]}") from err
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES:
        raise FetchError(f"only http and https URLs are fetched, not {scheme or 'a URL without a scheme'}")
    host = parts.hostname
    if not host:
        raise FetchError(f"no host in the URL {url[:200]}")
    if parts.username or parts.password:
        raise FetchError("URLs with a user name or password are not fetched")
    port = port or _SCHEMES[scheme]
    address = _checked_address(host, port, allowed=allowed, resolve=resolve)
    netloc = f"[{address}]" if address.version == 6 else str(address)
    target = parts._replace(scheme=scheme, netloc=f"{netloc}:{port}").geturl()
    default_port = port == _SCHEMES[scheme]
    host_header = (f"[{host}]" if ":" in host else host) + ("" if default_port else f":{port}")
    headers = {"Host": host_header, "User-Agent": _USER_AGENT, "Accept": "text/html,text/plain;q=0.9,*/*;q=0.1"}
    extensions = {"sni_hostname": host} if scheme == "https" else {}
    return client.build_request("GET", target, headers=headers, extensions=extensions)


def _read_limited(response, max_bytes: int, url: str, *, deadline: float) -> bytes:
    """The body, refused past ``max_bytes`` or when it takes over ``deadline`` seconds in all."""
    import time

    stop_at = time.monotonic() + deadline
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"{url}: the page is over the {max_bytes:,} byte limit")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"{url}: the page is over the {max_bytes:,} byte limit")
        if time.monotonic() > stop_at:
            raise FetchError(f"{url}: the page took over {deadline:g} s to arrive")
        chunks.append(chunk)
    return b"".join(chunks)
