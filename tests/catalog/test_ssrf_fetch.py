"""reliability.md rows 27, 28 and 30: redirects, DNS answers (private, mixed, rebinding) and hostile answers
(5 GB, slow drip, gzip bomb, wrong type). The file server on loopback stands in for the internet; the fake DNS
decides what each name resolves to."""

from __future__ import annotations

import hashlib
import time

import httpx
import pytest

from printbridge.catalog import fetch, netguard
from printbridge.catalog.fetch import Limits, SafeFetcher
from tests.catalog.conftest import OTHER_PUBLIC_IP, PUBLIC_IP
from tests.catalog.files import GIF, HTML, gzip_bomb, jpeg, pdf, png

ONLY_PUBLIC = "; only public internet addresses are allowed"
URL = "https://designs.example/logo.png"


def fetched_from(url: str = URL) -> fetch.Fetched:
    return fetch.fetcher_from_settings().fetch(url)


def refused(url: str = URL) -> str:
    with pytest.raises(netguard.Rejected) as failure:
        fetched_from(url)
    return str(failure.value)


# --- the happy path -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "kind", "size"),
    [(png(3, 2), "image/png", (3, 2)), (jpeg(640, 480), "image/jpeg", (640, 480)), (pdf(), "application/pdf", (None, None))],
)  # fmt: skip
def test_a_public_file_is_fetched_from_the_pinned_address(files, dns, body, kind, size):
    dns.answer("designs.example", [PUBLIC_IP])
    files.route(
        "designs.example", "/logo.png", body=body, headers={"Content-Type": "application/octet-stream"}
    )

    with fetched_from() as fetched:
        content = fetched.file.read()
        sniffed = (fetched.sniffed.content_type, fetched.sniffed.width, fetched.sniffed.height)
        assert (content, fetched.size, fetched.sha256) == (body, len(body), hashlib.sha256(body).hexdigest())
        assert (sniffed, fetched.final_url, fetched.hops) == ((kind, *size), URL, [(URL, PUBLIC_IP)])
    assert [(s.host, s.path) for s in files.seen] == [("designs.example", "/logo.png")]
    assert (files.seen[0].headers["accept-encoding"], files.seen[0].headers["user-agent"]) == (
        "identity",
        "Printbridge-design-fetcher/1",
    )


def test_the_connection_goes_to_the_pinned_ip_with_the_name_in_host_and_sni(dns):
    """Production wiring (no test upstream): the request is for https://<validated IP>:443, Host and TLS SNI
    name the host, so the certificate is checked for the name and DNS is never asked again."""
    dns.answer("designs.example", [PUBLIC_IP], ["127.0.0.1"])
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, stream=httpx.ByteStream(png()))

    fetcher = SafeFetcher(Limits(1000, 5, 3), resolver=dns, transport=httpx.MockTransport(answer))
    with fetcher.fetch(URL) as fetched:
        assert fetched.hops == [(URL, PUBLIC_IP)]

    assert [str(r.url) for r in sent] == [f"https://{PUBLIC_IP}/logo.png"]
    assert (sent[0].headers["host"], sent[0].extensions["sni_hostname"]) == (
        "designs.example",
        "designs.example",
    )
    assert dns.lookups == ["designs.example"]


def test_an_ipv6_address_is_pinned_in_brackets(dns):
    dns.answer("designs.example", ["2606:4700::1111"])
    sent: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        return httpx.Response(200, stream=httpx.ByteStream(pdf()))

    fetcher = SafeFetcher(Limits(1000, 5, 3), resolver=dns, transport=httpx.MockTransport(answer))
    with fetcher.fetch(URL):
        assert sent == ["https://[2606:4700::1111]/logo.png"]


def test_the_test_upstream_must_be_a_loopback_http_origin():
    from django.core.exceptions import ImproperlyConfigured

    for origin in ("https://127.0.0.1:9", "http://10.0.0.1:9", "http://example.com", "http://127.0.0.1:9/x"):
        with pytest.raises(ImproperlyConfigured):
            SafeFetcher(Limits(1, 1, 1), test_upstream=origin)


# --- row 27: redirects ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("https://127.0.0.1/admin", "127.0.0.1 is a loopback address" + ONLY_PUBLIC),
        ("https://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address" + ONLY_PUBLIC),
        ("https://2130706433/", "'2130706433' is 127.0.0.1, which is a loopback address" + ONLY_PUBLIC),
        ("https://localhost/", "localhost is this server, not a public address"),
        ("http://designs.example/other.png", "Only https:// links are allowed, not http:"),
        ("file:///etc/passwd", "Only https:// links are allowed, not file:"),
        ("https://internal.example/logo.png",
         "internal.example resolves to 10.1.2.3, which is a private address" + ONLY_PUBLIC),
        ("https://user@designs.example/x", "The link contains a user name or password (…@host); give the file's own link"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_to_a_forbidden_place_is_refused(files, dns, status, location, message):
    dns.answer("designs.example", [PUBLIC_IP])
    dns.answer("internal.example", ["10.1.2.3"])
    files.route("designs.example", "/logo.png", status=status, headers={"Location": location})

    assert refused() == message
    assert [(s.host, s.path) for s in files.seen] == [("designs.example", "/logo.png")]


def test_a_redirect_to_another_public_host_is_followed_and_pinned_again(files, dns):
    dns.answer("designs.example", [PUBLIC_IP])
    dns.answer("cdn.example", [OTHER_PUBLIC_IP])
    files.route(
        "designs.example", "/logo.png", status=302, headers={"Location": "https://cdn.example/f/1.png"}
    )
    files.route("cdn.example", "/f/1.png", status=301, headers={"Location": "/f/2.png"})
    files.route("cdn.example", "/f/2.png", body=png())

    with fetched_from() as fetched:
        assert fetched.file.read() == png()
        assert fetched.hops == [
            (URL, PUBLIC_IP),
            ("https://cdn.example/f/1.png", OTHER_PUBLIC_IP),
            ("https://cdn.example/f/2.png", OTHER_PUBLIC_IP),
        ]
        assert fetched.final_url == "https://cdn.example/f/2.png"
    assert dns.lookups == ["designs.example", "cdn.example", "cdn.example"]


def test_more_redirects_than_allowed_are_refused(files, dns, settings):
    settings.DESIGN_FETCH_MAX_REDIRECTS = 2
    dns.answer("designs.example", [PUBLIC_IP])
    for n in range(4):
        files.route("designs.example", f"/{n}", status=302, headers={"Location": f"/{n + 1}"})

    assert refused("https://designs.example/0") == "The link redirects more than 2 times"
    assert [s.path for s in files.seen] == ["/0", "/1", "/2"]


def test_a_redirect_without_a_location_is_refused(files, dns):
    dns.answer("designs.example", [PUBLIC_IP])
    files.route("designs.example", "/logo.png", status=302)

    assert refused() == "The server answered 302 without saying where to go"


# --- row 28: what the name resolves to --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (["127.0.0.1"], "designs.example resolves to 127.0.0.1, which is a loopback address"),
        (["10.0.0.7"], "designs.example resolves to 10.0.0.7, which is a private address"),
        (["172.20.1.1"], "designs.example resolves to 172.20.1.1, which is a private address"),
        (["192.168.1.20"], "designs.example resolves to 192.168.1.20, which is a private address"),
        (["169.254.169.254"], "designs.example resolves to 169.254.169.254, which is a link-local address"),
        (["100.64.3.3"], "designs.example resolves to 100.64.3.3, which is a shared (CGNAT) address"),
        (["0.0.0.0"], "designs.example resolves to 0.0.0.0, which is the unspecified address"),
        (["::1"], "designs.example resolves to ::1, which is a loopback address"),
        (["fd00::5"], "designs.example resolves to fd00::5, which is a private address"),
        (["::ffff:10.0.0.1"], "designs.example resolves to ::ffff:a00:1, which is an IPv4-mapped address (of 10.0.0.1)"),
        ([PUBLIC_IP, "10.0.0.7"], "designs.example resolves to 10.0.0.7, which is a private address"),
        (["10.0.0.7", PUBLIC_IP], "designs.example resolves to 10.0.0.7, which is a private address"),
    ],
)  # fmt: skip
def test_a_name_resolving_to_a_private_address_is_refused_before_connecting(files, dns, answers, message):
    dns.answer("designs.example", answers)
    files.route("designs.example", "/logo.png", body=png())

    assert refused() == message + ONLY_PUBLIC
    assert files.seen == []


def test_a_name_that_does_not_resolve_is_refused(files, dns):
    assert refused() == "The host name designs.example could not be found"
    assert files.seen == []


def test_dns_rebinding_cannot_switch_the_address_after_the_check(files, dns):
    """First answer public, every later one loopback: the name is resolved once and the connection goes to
    the validated address; the later answer is never asked for."""
    dns.answer("designs.example", [PUBLIC_IP], ["127.0.0.1"])
    files.route("designs.example", "/logo.png", body=png())

    with fetched_from() as fetched:
        assert (fetched.file.read(), fetched.hops) == (png(), [(URL, PUBLIC_IP)])
    assert dns.lookups == ["designs.example"]


def test_rebinding_between_redirect_hops_is_caught_at_the_next_hop(files, dns):
    dns.answer("designs.example", [PUBLIC_IP], ["127.0.0.1"])
    files.route("designs.example", "/logo.png", status=302, headers={"Location": "/again.png"})

    assert refused() == "designs.example resolves to 127.0.0.1, which is a loopback address" + ONLY_PUBLIC
    assert [s.path for s in files.seen] == ["/logo.png"]


# --- row 30: hostile answers -------------------------------------------------------------------------------------


def test_a_5_gb_file_is_refused_from_its_content_length(files, dns):
    dns.answer("designs.example", [PUBLIC_IP])
    files.route("designs.example", "/logo.png", body=png(), declared_length=5 * 1024**3)

    assert refused() == "The file is larger than the 50 MB limit"


def test_a_file_without_a_length_is_cut_off_at_the_cap_while_streaming(files, dns, settings):
    settings.DESIGN_MAX_BYTES = 1000
    dns.answer("designs.example", [PUBLIC_IP])
    files.route("designs.example", "/logo.png", body=png() + b"\x00" * 5000, declared_length=-1)

    assert refused() == "The file is larger than the 1000 bytes limit"


def test_a_slow_drip_hits_the_total_deadline(files, dns, settings):
    settings.DESIGN_FETCH_TIMEOUT_SECONDS = 0.5
    dns.answer("designs.example", [PUBLIC_IP])
    files.route("designs.example", "/logo.png", body=png(), drip=0.05)  # ~4 s for the whole file

    started = time.monotonic()
    assert refused() == "The download took longer than 0.5 seconds"
    assert time.monotonic() - started < 2


def test_a_server_that_never_answers_hits_the_total_deadline(files, dns, settings):
    settings.DESIGN_FETCH_TIMEOUT_SECONDS = 0.3
    dns.answer("designs.example", [PUBLIC_IP])
    files.route("designs.example", "/logo.png", body=png(), delay=1.5)

    started = time.monotonic()
    assert refused() == "The download took longer than 0.3 seconds"
    assert time.monotonic() - started < 1.2


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "x-gzip, identity"])
def test_a_compressed_answer_is_refused_and_never_decoded(files, dns, encoding):
    dns.answer("designs.example", [PUBLIC_IP])
    files.route(
        "designs.example",
        "/logo.png",
        body=gzip_bomb(20 * 1024 * 1024),
        headers={"Content-Encoding": encoding},
    )

    assert refused() == f"The server sent the file compressed ({encoding}); compressed downloads are refused"


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (HTML, "text/html", "The file is not a PNG, JPEG or PDF (the server called it text/html)"),
        (GIF, "image/png", "The file is not a PNG, JPEG or PDF (the server called it image/png)"),
        (b"PK\x03\x04zip", "", "The file is not a PNG, JPEG or PDF"),
        (b"", "image/png", "The server sent an empty file"),
        (b"\x89PN", "image/png", "The file is not a PNG, JPEG or PDF (the server called it image/png)"),
    ],
)
def test_a_file_of_the_wrong_type_is_refused_by_its_bytes(files, dns, body, content_type, message):
    dns.answer("designs.example", [PUBLIC_IP])
    headers = {"Content-Type": content_type} if content_type else {}
    files.route("designs.example", "/logo.png", body=body, headers=headers)

    assert refused() == message


@pytest.mark.parametrize(
    ("status", "reason"), [(404, "Not Found"), (403, "Forbidden"), (500, "Internal Server Error")]
)
def test_an_error_answer_is_refused_with_its_status(files, dns, status, reason):
    dns.answer("designs.example", [PUBLIC_IP])
    files.route("designs.example", "/logo.png", status=status, body=b"nope")

    assert refused() == f"The server answered {status} {reason} for {URL}"


def test_a_connection_failure_is_a_refusal_not_a_crash(dns, settings):
    settings.DESIGN_FETCH_TEST_UPSTREAM = "http://127.0.0.1:9"  # nothing listens on the discard port
    dns.answer("designs.example", [PUBLIC_IP])

    assert refused().startswith("Could not connect to designs.example: ")
