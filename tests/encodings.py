"""Reading compressed responses as a client does."""

import gzip

import brotli

# What a browser sends: the encodings the server may choose from.
BROWSER = "gzip, deflate, br, zstd"


def decoded(response):
    """A response's body as the client reads it, after undoing its Content-Encoding."""
    encoding = response.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(response.content)
    if encoding == "gzip":
        return gzip.decompress(response.content)
    assert encoding is None, encoding
    return response.content
