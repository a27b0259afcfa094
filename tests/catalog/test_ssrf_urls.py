"""reliability.md rows 24, 25, 26 and 29: design URLs the fetcher refuses before any connection (and, for the
ones that need no DNS, before a design row exists). Every case goes through the whole fetch with the loopback
file server standing by, which proves nothing was fetched."""

from __future__ import annotations

import pytest

from printbridge.catalog import fetch, netguard
from printbridge.catalog.models import DesignFile
from printbridge.catalog.services import request_design_import
from printbridge.orders.errors import InvalidInput
from printbridge.orders.models import OrderEvent
from tests.catalog.conftest import PUBLIC_IP
from tests.catalog.files import png

ONLY_PUBLIC = "; only public internet addresses are allowed"

ROW_24 = [
    ("http://127.0.0.1/logo.png", "Only https:// links are allowed, not http:"),
    ("https://127.0.0.1/logo.png", "127.0.0.1 is a loopback address" + ONLY_PUBLIC),
    ("https://127.255.0.9/logo.png", "127.255.0.9 is a loopback address" + ONLY_PUBLIC),
    ("https://localhost/logo.png", "localhost is this server, not a public address"),
    ("https://files.localhost/logo.png", "localhost is this server, not a public address"),
    ("https://[::1]/logo.png", "::1 is a loopback address" + ONLY_PUBLIC),
    ("https://0.0.0.0/logo.png", "0.0.0.0 is the unspecified address" + ONLY_PUBLIC),
    ("https://[::]/logo.png", ":: is the unspecified address" + ONLY_PUBLIC),
    ("https://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address" + ONLY_PUBLIC),
    ("https://[fe80::1]/logo.png", "fe80::1 is a link-local address" + ONLY_PUBLIC),
    ("https://10.0.0.1/logo.png", "10.0.0.1 is a private address" + ONLY_PUBLIC),
    ("https://10.255.255.254/logo.png", "10.255.255.254 is a private address" + ONLY_PUBLIC),
    ("https://172.16.0.1/logo.png", "172.16.0.1 is a private address" + ONLY_PUBLIC),
    ("https://172.31.255.254/logo.png", "172.31.255.254 is a private address" + ONLY_PUBLIC),
    ("https://192.168.0.10/logo.png", "192.168.0.10 is a private address" + ONLY_PUBLIC),
    ("https://100.64.0.1/logo.png", "100.64.0.1 is a shared (CGNAT) address" + ONLY_PUBLIC),
    ("https://100.127.255.254/logo.png", "100.127.255.254 is a shared (CGNAT) address" + ONLY_PUBLIC),
    ("https://[fc00::]/logo.png", "fc00:: is a private address" + ONLY_PUBLIC),
    ("https://[fd12:3456::1]/logo.png", "fd12:3456::1 is a private address" + ONLY_PUBLIC),
    ("https://224.0.0.1/logo.png", "224.0.0.1 is a multicast address" + ONLY_PUBLIC),
    ("https://240.0.0.1/logo.png", "240.0.0.1 is a private address" + ONLY_PUBLIC),
]

ROW_25 = [
    ("https://2130706433/logo.png", "'2130706433' is 127.0.0.1, which is a loopback address" + ONLY_PUBLIC),
    ("https://0x7f000001/logo.png", "'0x7f000001' is 127.0.0.1, which is a loopback address" + ONLY_PUBLIC),
    ("https://0177.0.0.1/logo.png", "'0177.0.0.1' is 127.0.0.1, which is a loopback address" + ONLY_PUBLIC),
    ("https://127.1/logo.png", "'127.1' is 127.0.0.1, which is a loopback address" + ONLY_PUBLIC),
    ("https://0x7f.0.0.1/logo.png", "'0x7f.0.0.1' is 127.0.0.1, which is a loopback address" + ONLY_PUBLIC),
    ("https://017700000001/logo.png", "'017700000001' is 127.0.0.1, which is a loopback address" + ONLY_PUBLIC),
    ("https://167772161/logo.png", "'167772161' is 10.0.0.1, which is a private address" + ONLY_PUBLIC),
    ("https://0xa9fea9fe/latest", "'0xa9fea9fe' is 169.254.169.254, which is a link-local address" + ONLY_PUBLIC),
    ("https://[::ffff:127.0.0.1]/logo.png", "::ffff:7f00:1 is an IPv4-mapped address (of 127.0.0.1)" + ONLY_PUBLIC),
    ("https://[::ffff:8.8.8.8]/logo.png", "::ffff:808:808 is an IPv4-mapped address (of 8.8.8.8)" + ONLY_PUBLIC),
    ("https://[64:ff9b::7f00:1]/logo.png",
     "64:ff9b::7f00:1 is a NAT64 address of 127.0.0.1, a loopback address" + ONLY_PUBLIC),
    ("https://[2002:7f00:1::]/logo.png", "2002:7f00:1:: is a tunnelling address (6to4 or Teredo)" + ONLY_PUBLIC),
    ("https://0x5d.0xb8.0xd8.0x22/logo.png", "Write the IP address 93.184.216.34 in dotted decimal form, not as '0x5d.0xb8.0xd8.0x22'"),
    ("https://256.1.1.1/logo.png", "'256.1.1.1' is not a valid IP address"),
    ("https://1.2.3.4.5/logo.png", "'1.2.3.4.5' is not a valid IP address"),
    ("https://[fe80::1%25eth0]/logo.png", "The link's IPv6 address has a zone (%…); that is never a public address"),
]  # fmt: skip

ROW_26 = [
    ("file:///etc/passwd", "Only https:// links are allowed, not file:"),
    ("gopher://designs.example:70/_GET", "Only https:// links are allowed, not gopher:"),
    ("ftp://designs.example/logo.png", "Only https:// links are allowed, not ftp:"),
    ("data:image/png;base64,iVBORw0KGgo=", "Only https:// links are allowed, not data:"),
    ("http://designs.example/logo.png", "Only https:// links are allowed, not http:"),
    ("HTTP://designs.example/logo.png", "Only https:// links are allowed, not http:"),
    ("//designs.example/logo.png", "Only https:// links are allowed, not a link without a scheme"),
    ("javascript:alert(1)", "Only https:// links are allowed, not javascript:"),
    ("https:designs.example/logo.png", "The link has no host name after https://"),
    ("https://designs.example:8443/logo.png", "Only the standard https port (443) is allowed, not '8443'"),
    ("https://designs.example:22/logo.png", "Only the standard https port (443) is allowed, not '22'"),
]

ROW_29 = [
    ("https://allowed.example@evil.test/logo.png",
     "The link contains a user name or password (…@host); give the file's own link"),
    ("https://user:pass@designs.example/logo.png",
     "The link contains a user name or password (…@host); give the file's own link"),
    ("https://allowed.example\\@evil.test/logo.png", "The link contains a backslash (\\)"),
    ("https:\\\\evil.test\\logo.png", "The link contains a backslash (\\)"),
    ("https://evil.test\\.allowed.example/logo.png", "The link contains a backslash (\\)"),
    ("https://evil。test/logo.png", "The host name contains a full-width dot (。 or ．); use a plain '.'"),
    ("https://evil．test/logo.png", "The host name contains a full-width dot (。 or ．); use a plain '.'"),
    ("https://evil｡test/logo.png", "The host name contains a full-width dot (。 or ．); use a plain '.'"),
    ("https://allowed.example./logo.png", "The host name ends with a dot; remove the trailing '.'"),
    ("https://127.0.0.1./logo.png", "'127.0.0.1.' is 127.0.0.1, which is a loopback address" + ONLY_PUBLIC),
    ("https://allowed.example%40evil.test/logo.png", "The host name is percent-encoded; write it plainly"),
    ("https://bücher.example/logo.png", "Write the host name in ASCII (an international name as punycode, xn--…)"),
    ("https://designs example/logo.png", "The link contains spaces or control characters"),
    ("https://designs.example/\nlogo.png", "The link contains spaces or control characters"),
    ("https://intranet/logo.png", "'intranet' is not a valid public host name"),
    ("https://under_score.example/logo.png", "'under_score.example' is not a valid public host name"),
    ("https://[::1/logo.png", "The link is not a valid URL"),
]  # fmt: skip

ALL_ROWS = [("24", *case) for case in ROW_24] + [("25", *case) for case in ROW_25]
ALL_ROWS += [("26", *case) for case in ROW_26] + [("29", *case) for case in ROW_29]


@pytest.mark.parametrize(("row", "url", "message"), ALL_ROWS, ids=[f"row{r}:{u}" for r, u, _ in ALL_ROWS])
def test_fetch_refuses_the_url_before_connecting(files, dns, row, url, message):
    files.route("designs.example", "/logo.png", body=png())

    with pytest.raises(netguard.Rejected) as refused:
        fetch.fetcher_from_settings().fetch(url)

    assert str(refused.value) == message
    assert (files.seen, dns.lookups) == ([], [])


@pytest.mark.parametrize(("row", "url", "message"), ALL_ROWS, ids=[f"row{r}:{u}" for r, u, _ in ALL_ROWS])
def test_asking_for_such_a_url_is_invalid_input_and_creates_nothing(account, actor, row, url, message):
    with pytest.raises(InvalidInput) as refused:
        request_design_import(account, actor, url)

    assert (refused.value.message, refused.value.details) == (message, {"field": "url"})
    assert (DesignFile.objects.count(), OrderEvent.objects.filter(type__startswith="design").count()) == (
        0,
        0,
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://evil.test/logo.png", "evil.test is not one of the hosts design files may be fetched from"),
        ("https://allowed.example.evil.test/logo.png",
         "allowed.example.evil.test is not one of the hosts design files may be fetched from"),
        ("https://notallowed.example/logo.png",
         "notallowed.example is not one of the hosts design files may be fetched from"),
        (f"https://{PUBLIC_IP}/logo.png", f"{PUBLIC_IP} is not one of the hosts design files may be fetched from"),
        ("https://allowed.example@evil.test/logo.png",
         "The link contains a user name or password (…@host); give the file's own link"),
    ],
)  # fmt: skip
def test_with_an_allowlist_only_listed_hosts_pass(files, dns, settings, url, message):
    settings.DESIGN_FETCH_ALLOWED_HOSTS = ["allowed.example", "*.cdn.example"]

    with pytest.raises(netguard.Rejected) as refused:
        fetch.fetcher_from_settings().fetch(url)

    assert str(refused.value) == message
    assert (files.seen, dns.lookups) == ([], [])


@pytest.mark.parametrize("host", ["allowed.example", "eu.cdn.example", "a.b.cdn.example"])
def test_an_allowlisted_host_is_fetched(files, dns, settings, host):
    settings.DESIGN_FETCH_ALLOWED_HOSTS = ["allowed.example", "*.cdn.example"]
    dns.answer(host, [PUBLIC_IP])
    files.route(host, "/logo.png", body=png())

    with fetch.fetcher_from_settings().fetch(f"https://{host}/logo.png") as fetched:
        assert (fetched.file.read(), fetched.hops) == (png(), [(f"https://{host}/logo.png", PUBLIC_IP)])


@pytest.mark.parametrize(
    ("url", "host", "path"),
    [
        ("https://designs.example/logo.png", "designs.example", "/logo.png"),
        ("  https://Designs.Example/a/b%20c.png?x=1&y=2#frag  ", "designs.example", "/a/b%20c.png?x=1&y=2"),
        ("https://designs.example:443", "designs.example", "/"),
        ("https://xn--bcher-kva.example/logo.png", "xn--bcher-kva.example", "/logo.png"),
        (f"https://{PUBLIC_IP}/logo.png", PUBLIC_IP, "/logo.png"),
        ("https://[2606:4700::1111]/logo.png", "2606:4700::1111", "/logo.png"),
    ],
)
def test_the_one_parser_accepts_plain_public_https_links(url, host, path):
    target = netguard.parse_url(url)

    assert (target.host, target.port, target.path) == (host, 443, path)
