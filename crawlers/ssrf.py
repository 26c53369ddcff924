"""SSRF guard: which addresses the crawler may connect to (issue #4).

Crawled pages are untrusted (DESIGN.md, "Hostile content"): a link or a
redirect may point at the cloud metadata service, the intranet or loopback.
The check runs on the *resolved* IP address, once before a request (to fail
early with ``forbidden_address`` and send nothing) and again inside the
connection backend on the very address the socket connects to, so a DNS
answer that changes between the two (DNS rebinding) is still caught.

``allow_private`` on a source exempts only the exact ``(host, port)`` pairs
of that source's own configured URLs; everything else must be public.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from duluan.errors import FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# ipaddress.is_global misses a few ranges that are not reachable on the
# public internet or are used for tricks (NAT64 to private v4, 6to4 …).
_EXTRA_BLOCKED = [ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15",
    "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32",
    "64:ff9b::/96", "64:ff9b:1::/48", "2001:db8::/32", "2002::/16", "fc00::/7", "fe80::/10", "ff00::/8",
)]

DEFAULT_PORTS = {"http": 80, "https": 443}


def is_public(ip: IPAddress) -> bool:
    """True when ``ip`` is a global unicast address that is safe to connect to."""
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv4-mapped/compatible v6 address reaches the v4 host: judge that one.
        mapped = ip.ipv4_mapped or (ip.sixtofour if ip.sixtofour else None)
        if mapped is not None:
            return is_public(mapped)
    if (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
            or ip.is_reserved or ip.is_unspecified or not ip.is_global):
        return False
    return not any(ip in net for net in _EXTRA_BLOCKED)


def host_port(url: str) -> tuple[str, int]:
    """Lower-cased host and explicit-or-default port of an http(s) URL."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise FetchError("forbidden_address", url, f"scheme {scheme or '(none)'!r} is not http or https")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise FetchError("forbidden_address", url, "URL has no host")
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError:
        raise FetchError("forbidden_address", url, "invalid port") from None
    return host, port


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (IP literals resolve to themselves)."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    out: list[IPAddress] = []
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if ip not in out:
            out.append(ip)
    return out


@dataclass(frozen=True)
class AddressPolicy:
    """Addresses one source may reach: public ones, plus its own private host:port pairs."""

    private_allowed: frozenset[tuple[str, int]] = field(default_factory=frozenset)

    @classmethod
    def for_urls(cls, urls: Iterable[str], allow_private: bool) -> "AddressPolicy":
        if not allow_private:
            return cls()
        pairs = set()
        for u in urls:
            try:
                pairs.add(host_port(u))
            except FetchError:
                continue
        return cls(frozenset(pairs))

    def allows(self, host: str, port: int, ip: IPAddress) -> bool:
        return is_public(ip) or (host.rstrip(".").lower(), port) in self.private_allowed

    def check_url(self, url: str) -> list[IPAddress]:
        """Resolve the URL's host and return the allowed addresses, or raise ``forbidden_address``.

        Every resolved address must be allowed: a host that resolves to one
        public and one private address is refused, because the connection
        could land on either.
        """
        host, port = host_port(url)
        try:
            ips = resolve(host, port)
        except (socket.gaierror, UnicodeError) as e:
            raise FetchError("network", url, f"cannot resolve {host}: {e}", retryable=True) from None
        if not ips:
            raise FetchError("network", url, f"{host} has no address", retryable=True)
        bad = [ip for ip in ips if not self.allows(host, port, ip)]
        if bad:
            raise FetchError("forbidden_address", url,
                             f"{host}:{port} resolves to non-public address {bad[0]}; no request sent")
        return ips
