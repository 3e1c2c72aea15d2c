"""Who is asking: the visitor's address, as the rate limit and the login throttle count it."""

import ipaddress

from django.conf import settings


def client_ip(request):
    """
    The visitor's address: the connection's, or the last address in settings.CLIENT_IP_HEADER
    (the one the trusted reverse proxy saw). IPv6 addresses are grouped by /64, the block one
    household or phone usually has. "unknown" when there is no readable address.
    """
    raw = ""
    if settings.CLIENT_IP_HEADER:
        meta_key = "HTTP_" + settings.CLIENT_IP_HEADER.upper().replace("-", "_")
        raw = request.META.get(meta_key, "").split(",")[-1].strip()
    raw = raw or request.META.get("REMOTE_ADDR", "")
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)
