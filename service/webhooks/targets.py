"""Where a webhook may be sent: public addresses only, unless the settings allow private ones.

The check resolves the host name and refuses it when any address it resolves to is loopback,
private, link-local, multicast, reserved or unspecified (so a URL cannot reach the inside of the
network the server runs in). It runs before every attempt and every redirect.
"""

from __future__ import annotations

import ipaddress
import socket

import httpx

from core.errors import InvalidInput, UnsafeWebhookTarget


def check_url(url: str, *, allow_private: bool) -> httpx.URL:
    """The parsed URL if it may be sent to; raises InvalidInput or UnsafeWebhookTarget."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise InvalidInput(f"'{url}' is not a URL: {exc}") from exc
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise InvalidInput(f"'{url}' is not an http:// or https:// URL.")
    if not allow_private:
        public_address(parsed)
    return parsed


def public_address(url: httpx.URL) -> str:
    """One address the URL's host resolves to, after checking that all of them are public."""
    addresses = _addresses(url.host, url.port or (443 if url.scheme == "https" else 80))
    for address in addresses:
        if not _public(address):
            raise UnsafeWebhookTarget(
                f"{url.host} resolves to {address}, a non-public address: refused "
                "(set RAPPORT_WEBHOOK_ALLOW_PRIVATE_TARGETS=true to allow it)."
            )
    return addresses[0]


class PinnedTransport(httpx.BaseTransport):
    """Connects to the address that was checked, not to a second lookup of the name.

    Without this, a name that resolves to a public address for the check and to a private one
    for the connection (DNS rebinding) would get through. The request keeps its Host header,
    and TLS still verifies the certificate against the name (`sni_hostname`).
    """

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        address = public_address(request.url)
        if address != host:
            request.url = request.url.copy_with(host=address)
            request.extensions = {**request.extensions, "sni_hostname": host}
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def _addresses(host: str, port: int) -> list[str]:
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise InvalidInput(f"Cannot resolve {host}: {exc}") from exc
    return sorted({str(info[4][0]) for info in infos})


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast
