"""Which push endpoints the server may POST to: https on public hosts only (no SSRF).

Checked twice. When a device subscribes: the URL must be https, carry no user name or
password, and its host must not be an address (in any spelling a resolver accepts, such as
`2130706433` or `0x7f.1`) or a name that is loopback, private, link-local, multicast,
reserved or otherwise not global. When the worker connects: `PublicResolver` is the sender's
DNS resolver, so the addresses a host name resolves to at that moment are checked right
where the connection uses them (DNS may have changed since, or point inward on purpose).
`ROUNDS_PUSH_ALLOW_PRIVATE_ENDPOINTS` lifts both checks for a local push service (tests).
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_INWARD_SUFFIXES = (".localhost", ".local", ".internal", ".intranet", ".lan", ".home.arpa")


class NonPublicAddress(OSError):
    """The push endpoint's host is, or resolves to, an address that is not public."""


def is_public(address: IPAddress) -> bool:
    """True for a globally routable unicast address (IPv4-mapped IPv6 judged as IPv4)."""
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None:
            return is_public(mapped)
        if address.teredo is not None:
            return False
    return address.is_global and not address.is_multicast


def literal_address(host: str) -> IPAddress | None:
    """The address a host spells directly, including inet_aton's legacy forms (`127.1`)."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, ValueError):
        return None


def check_endpoint(url: str, *, allow_private: bool = False) -> str:
    """The endpoint when the server may post to it; ValueError saying why not otherwise."""
    parts = urlsplit(url)
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        raise ValueError("a push endpoint must be an https URL")
    if parts.username is not None or parts.password is not None:
        raise ValueError("a push endpoint must not carry a user name or password")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise ValueError("a push endpoint needs a host")
    try:
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as error:
        raise ValueError(f"a push endpoint's port is not valid: {error}") from None
    if allow_private:
        return url
    address = literal_address(host)
    if address is not None:
        if not is_public(address):
            raise ValueError(f"a push endpoint must not point to a non-public address ({host})")
        return url
    if host == "localhost" or host.endswith(_INWARD_SUFFIXES) or "." not in host:
        raise ValueError(f"a push endpoint must be on a public host, not {host!r}")
    return url


class PublicResolver(AbstractResolver):
    """aiohttp's resolver, keeping only public addresses; none left: NonPublicAddress."""

    def __init__(self) -> None:
        self._inner = DefaultResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        found = await self._inner.resolve(host, port, family)
        kept = [r for r in found if is_public(ipaddress.ip_address(r["host"]))]
        if not kept:
            raise NonPublicAddress(f"{host} resolves to no public address")
        return kept

    async def close(self) -> None:
        await self._inner.close()


def resolver(allow_private: bool) -> Any:
    """The resolver a push sender connects through."""
    return None if allow_private else PublicResolver()
