"""The URL fetcher: schemes, addresses (also after redirects), limits, and what it says offline.

A small test server on 127.0.0.1 stands in for the web; every other host is refused by the
test session's network guard, and the checks below refuse private addresses before any
connection is tried.
"""

from __future__ import annotations

import ipaddress
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from placemap.fetch import FetchError, fetch_url, is_public_address

LOCAL = ipaddress.ip_address("127.0.0.1")


def only_local(address) -> bool:
    """Tests reach 127.0.0.1 and nothing else (a stand-in for "public")."""
    return address == LOCAL


class _Pages(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.hosts.append(self.headers.get("Host"))  # before answering: the client sees it then
        port = self.server.server_address[1]
        routes = {
            "/article": (200, {"Content-Type": "text/html; charset=utf-8"}, b"<html><p>Kharkiv</p></html>"),
            "/to-article": (302, {"Location": "/article"}, b""),
            "/to-private": (302, {"Location": f"http://127.0.0.2:{port}/article"}, b""),
            "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
            "/loop": (302, {"Location": "/loop"}, b""),
            "/big": (200, {"Content-Type": "text/plain"}, b"x" * 5000),
            "/gone": (404, {"Content-Type": "text/plain"}, b"no"),
        }
        status, headers, body = routes.get(self.path, (404, {}, b""))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    server.hosts = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _url(site, path: str) -> str:
    return f"http://127.0.0.1:{site.server_address[1]}{path}"


def test_fetches_a_page_when_allowed(site) -> None:
    page = fetch_url(_url(site, "/article"), allowed=only_local)
    assert page.content_type == "text/html" and b"Kharkiv" in page.body
    assert page.url.endswith("/article")


def test_follows_redirects_checking_each_hop(site) -> None:
    assert fetch_url(_url(site, "/to-article"), allowed=only_local).url.endswith("/article")
    with pytest.raises(FetchError, match=r"127\.0\.0\.2 is a loopback, private or reserved address"):
        fetch_url(_url(site, "/to-private"), allowed=only_local)
    with pytest.raises(FetchError, match="only http and https"):
        fetch_url(_url(site, "/to-file"), allowed=only_local)
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch_url(_url(site, "/loop"), allowed=only_local)


def test_loopback_is_refused_by_default(site) -> None:
    before = len(site.hosts)
    with pytest.raises(FetchError, match="--allow-private-urls"):
        fetch_url(_url(site, "/article"))
    with pytest.raises(FetchError, match="loopback, private or reserved"):
        fetch_url(f"http://localhost:{site.server_address[1]}/article")
    assert len(site.hosts) == before  # refused before connecting
    assert fetch_url(_url(site, "/article"), allow_private=True).body  # unless allowed


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/",
        "http://192.168.1.1/admin",
        "http://172.16.0.1/",
        "http://169.254.169.254/latest/meta-data/",  # a cloud's metadata service
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[fd00::1]/",
        "http://[fe80::1]/",
        "http://224.0.0.1/",
    ],
)
def test_private_addresses_are_refused(url: str, network_attempts) -> None:
    before = list(network_attempts)
    with pytest.raises(FetchError, match="loopback, private or reserved"):
        fetch_url(url)
    assert network_attempts == before  # never even tried


def test_names_are_checked_by_what_they_resolve_to(network_attempts) -> None:
    before = list(network_attempts)
    with pytest.raises(FetchError, match=r"10\.1\.2\.3"):  # one bad address among good ones is enough
        fetch_url("https://news.example.org/a", resolve=lambda host, port: ["93.184.216.34", "10.1.2.3"])
    assert network_attempts == before


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "only http and https"),
        ("ftp://example.org/x", "only http and https"),
        ("javascript:alert(1)", "only http and https"),
        ("gopher://127.0.0.1:6379/_INFO", "only http and https"),
        ("example.org/news", "only http and https"),
        ("http:///path", "no host"),
        ("http://user:secret@example.org/", "user name or password"),
        ("http://[::1/", "not a valid URL"),
    ],
)
def test_bad_urls_are_refused(url: str, message: str) -> None:
    with pytest.raises(FetchError, match=message):
        fetch_url(url)


def test_limits_and_errors(site) -> None:
    with pytest.raises(FetchError, match="over the 1,000 byte limit"):
        fetch_url(_url(site, "/big"), allowed=only_local, max_bytes=1000)
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch_url(_url(site, "/gone"), allowed=only_local)


def test_offline_is_said_plainly(network_attempts) -> None:
    before = len(network_attempts)
    with pytest.raises(FetchError, match=r"could not look up news\.example\.org \(are you offline\?"):
        fetch_url("https://news.example.org/2022/03/01/kharkiv")
    assert network_attempts[before:] == ["news.example.org"]
    del network_attempts[before:]  # tried on purpose: tests/test_offline.py counts the others


def test_the_name_goes_in_the_host_header(site) -> None:
    port = site.server_address[1]
    fetch_url(f"http://wire.test:{port}/article", allowed=only_local, resolve=lambda host, port: ["127.0.0.1"])
    assert site.hosts[-1] == f"wire.test:{port}"  # connected to the checked address, named as asked


def test_public_addresses() -> None:
    assert is_public_address(ipaddress.ip_address("93.184.216.34"))
    assert is_public_address(ipaddress.ip_address("2606:2800:220:1:248:1893:25c8:1946"))
    for private in ("127.0.0.1", "10.0.0.1", "::1", "::ffff:192.168.0.1", "2002:c0a8:0101::1", "fc00::1"):
        assert not is_public_address(ipaddress.ip_address(private)), private
