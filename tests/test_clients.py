"""Whose request it is: the address the rate limit and the login throttle count."""

import pytest
from django.test import RequestFactory

from cms.clients import client_ip


@pytest.mark.parametrize(
    ("meta", "header", "expected"),
    [
        ({"REMOTE_ADDR": "192.0.2.7"}, "", "192.0.2.7"),
        ({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, "", "127.0.0.1"),
        (
            {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "10.1.1.1, 203.0.113.9"},
            "X-Forwarded-For",
            "203.0.113.9",
        ),
        ({"REMOTE_ADDR": "2001:db8:1:2:3:4:5:6"}, "", "2001:db8:1:2::"),
        ({"REMOTE_ADDR": "not an address"}, "", "unknown"),
    ],
)
def test_the_client_address_is_the_connections_or_the_trusted_proxys(settings, meta, header, expected):
    settings.CLIENT_IP_HEADER = header
    request = RequestFactory().get("/", **meta)
    assert client_ip(request) == expected
