"""Rate limits per client IP (django-ratelimit, backed by the cache; Redis in production).

The client IP is REMOTE_ADDR unless TRUSTED_PROXY_HEADER names the header a trusted proxy sets
(e.g. HTTP_X_FORWARDED_FOR); then the address the proxy appended last is used, so a client cannot
choose its own key by sending the header itself. Loading a pasted RSA private key costs tens of
milliseconds (OpenSSL 3 validation stays on), so those endpoints have a tighter limit.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__("rate limited")
        self.retry_after = max(1, retry_after)


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address, or None when the request does not carry a valid one."""
    header = getattr(settings, "TRUSTED_PROXY_HEADER", "")
    if header and request.META.get(header):
        candidate = request.META[header].split(",")[-1].strip()
    else:
        candidate = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def _ip_key(group: str, request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def check(request: HttpRequest, scope: str) -> None:
    """Count this request against ``scope`` (a key of settings.RATE_LIMITS); raise when over."""
    rate = settings.RATE_LIMITS.get(scope)
    if not rate:
        return
    usage = get_usage(request, group=f"paydoctor.{scope}", key=_ip_key, rate=rate, increment=True)
    if usage and usage["should_limit"]:
        raise RateLimited(int(usage["time_left"]))
