"""The client's address, for lockout and the audit trail, behind any number of reverse proxies.

With no proxy (VSEND_PROXY_COUNT=0) the address is the connection's own and X-Forwarded-For
is ignored, since any client can send it. Behind N proxies that each append the address they
received the request from, the client is the Nth address from the right of X-Forwarded-For:
everything to its left came from the client and is not trusted. python-ipware parses the
header (ports, IPv6, RFC 7239 forms); its proxy count is the number of proxy addresses that
follow the client in the header, which is one fewer than the proxies in front of vsend (the
last proxy's own address is the connection's, not in the header).
"""

from functools import cache

from django.conf import settings
from django.http import HttpRequest
from python_ipware import IpWare

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"


@cache
def _resolver(proxy_count: int) -> IpWare:
    return IpWare(precedence=(FORWARDED_FOR,), leftmost=True, proxy_count=proxy_count - 1)


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.VSEND_PROXY_COUNT
    if proxies <= 0 or not request.META.get(FORWARDED_FOR):
        return remote
    # Not strict: addresses the client put on the left are ignored, not a reason to distrust
    # what the proxies appended. A header shorter than the proxy chain falls back to the
    # connection's address (the request did not come through every proxy).
    ip, _ = _resolver(proxies).get_client_ip(request.META, strict=False)
    return str(ip) if ip is not None else remote
