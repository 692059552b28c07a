"""The address a request comes from, as the login lockout counts it (django-axes' AXES_CLIENT_IP_CALLABLE)."""

from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest


def client_ip_address(request: HttpRequest) -> str | None:
    """Return the address the nearest trusted proxy reports for the client, or the connection's own address.

    Each proxy appends the address it was connected from to the header, so with N trusted proxies the client is
    the N-th entry from the right; anything further left was written by the client and is ignored.
    """
    remote = request.META.get("REMOTE_ADDR")
    if not settings.CLIENT_IP_HEADER:
        return remote
    header = "HTTP_" + settings.CLIENT_IP_HEADER.upper().replace("-", "_")
    entries = [entry.strip() for entry in request.META.get(header, "").split(",")]
    if len(entries) < settings.TRUSTED_PROXY_COUNT:
        return remote
    reported = entries[-settings.TRUSTED_PROXY_COUNT]
    try:
        return str(ip_address(reported))
    except ValueError:  # not a request through the proxy, or a proxy misconfigured: the connection is all we know
        return remote
