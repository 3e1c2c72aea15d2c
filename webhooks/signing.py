"""
How a delivery proves where it came from, as Stripe and GitHub do it: an HMAC-SHA256, keyed with the
endpoint's secret, of the request's timestamp, a dot and the raw body, sent with the timestamp in
one header:

    Clinic-Signature: t=1714550400,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd

The timestamp lets a receiver refuse old (replayed) requests. The README's "Webhooks" section shows
a receiver's check; the tests check deliveries with that very code.
"""

import hashlib
import hmac

SIGNATURE_HEADER = "Clinic-Signature"


def signature(secret, timestamp, body):
    """The hex HMAC-SHA256 of "<timestamp>.<body>" keyed with `secret`."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret, timestamp, body):
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"
