"""SSRF guard: connect only to public internet addresses.

The check sits in the network backend, where the host name is resolved: the address that is checked is
the address that is connected to, so a DNS answer cannot change between the check and the connection
(DNS rebinding), and every redirect hop passes through it again.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import typing

import httpcore
import httpx

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class PrivateAddressError(Exception):
    """The target resolves only to addresses that are not on the public internet."""


def is_public_address(address: IPAddress) -> bool:
    # An IPv4-mapped IPv6 address (::ffff:127.0.0.1) reaches the IPv4 host: judge that host.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    refused = (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )
    return address.is_global and not refused


def resolve(host: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise httpcore.ConnectError(f"host not found: {host}") from error
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _canonname, sockaddr in infos:
        address = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


class GuardedBackend(httpcore.SyncBackend):
    """Resolves the host itself, keeps the allowed addresses and connects to the first that answers."""

    def __init__(self, allow_private_networks: bool) -> None:
        self.allow_private_networks = allow_private_networks

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = resolve(host, port)
        if not self.allow_private_networks:
            refused = [address for address in addresses if not is_public_address(address)]
            if refused:
                logger.warning("refused=private host=%s addresses=%s", host, ",".join(map(str, refused)))
            addresses = [address for address in addresses if address not in refused]
            if not addresses:
                raise PrivateAddressError(host)
        last_error: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(str(address), port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                last_error = error
        assert last_error is not None
        raise last_error


def guarded_transport(allow_private_networks: bool, max_connections: int = 20) -> httpx.HTTPTransport:
    """An httpx transport whose connections all go through GuardedBackend (and never through a proxy)."""
    transport = httpx.HTTPTransport()
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(),
        max_connections=max_connections,
        max_keepalive_connections=max_connections,
        keepalive_expiry=5.0,
        network_backend=GuardedBackend(allow_private_networks),
    )
    return transport
