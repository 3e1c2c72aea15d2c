"""
Compressed responses: Brotli for clients that accept it, else gzip, for the site's pages and the
API (static files come compressed from whitenoise, which answers before this middleware).

It sits above the public cache (cms/cache.py) and ConditionalGetMiddleware: the cache keeps one
uncompressed copy per path, query and language (with its Brotli made once, when it is stored: see
keep_compressed), each reader gets it in the encoding their Accept-Encoding asks for (or as it is,
without one), and ETags are computed on the uncompressed
body, then made weak when it is compressed, so If-None-Match still gives 304 in every encoding.

BREACH: compressing a response that holds a secret beside text an attacker chooses lets the
attacker read the secret from the response's size, over many requests the victim's browser makes
with its cookies. So nothing is compressed under /admin/ (session-authenticated, patients'
requests beside search terms from the URL) nor for a signed-in user's pages. The API authenticates
only by bearer token, which browsers never add by themselves; the site's pages are the same for
every anonymous visitor; and the booking form's CSRF token is masked afresh in every response by
Django (its own BREACH defence), while its secret travels only in the cookie header. gzip also
gets Django's "Heal the BREACH" padding (GZipMiddleware).
"""

import re

import brotli
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_header_parameters

from cms.middleware import is_api

# Brotli's quality 5 costs about what gzip's level 6 does (well under a millisecond for a page)
# and gives about 10% less; 11, right for files compressed once, takes some 15 ms a page.
BROTLI_QUALITY = 5
# Below this, compression saves nothing worth a header (GZipMiddleware's own limit).
MIN_LENGTH = 200
NEVER_COMPRESSED_PATHS = ("/admin/",)
# Text: HTML, JSON (problem+json too), XML (sitemap, RSS), JavaScript, CSS, SVG. Not images,
# fonts, PDFs or archives, which are compressed already.
COMPRESSIBLE_TYPE = re.compile(r"^(text/|application/([\w.-]+\+)?(json|xml|javascript)\b|image/svg\+xml\b)")


def preferred_encoding(accept_encoding):
    """`br` or `gzip`, whichever Accept-Encoding ranks higher (Brotli on a tie), or None."""
    if not accept_encoding:
        return None
    quality = {}
    for item in accept_encoding[:500].split(","):
        coding, params = parse_header_parameters(item)
        try:
            quality[coding] = float(params.get("q", 1))
        except ValueError:
            quality[coding] = 0.0
    wildcard = quality.get("*", 0.0)
    ranked = [(quality.get(coding, wildcard), coding == "br", coding) for coding in ("br", "gzip")]
    best, _brotli_first, coding = max(ranked)
    return coding if best > 0 else None


def may_compress(request):
    """Whether responses to `request` may be compressed at all (see BREACH above)."""
    if request.path_info.startswith(NEVER_COMPRESSED_PATHS):
        return False
    if is_api(request):
        return True
    # A response from the public cache never met the authentication middleware: it is public.
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def weaken_etag(response):
    """A compressed body is another representation: its ETag can only match weakly (RFC 9110 8.8.1)."""
    etag = response.get("ETag")
    if etag and etag.startswith('"'):
        response["ETag"] = "W/" + etag


class CompressionMiddleware(GZipMiddleware):
    """Brotli or gzip (GZipMiddleware) by the client's Accept-Encoding; Vary: Accept-Encoding."""

    def process_response(self, request, response):
        if not may_compress(request):
            return response
        encoding = preferred_encoding(request.headers.get("Accept-Encoding", ""))
        if response.status_code == 304:
            # It stands for the 200 the client holds: the same Vary, and the same weak ETag.
            patch_vary_headers(response, ("Accept-Encoding",))
            if encoding:
                weaken_etag(response)
            return response
        if not compressible(response):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if encoding == "br" and not response.streaming:
            compressed = getattr(response, "brotli_body", None) or in_brotli(response)
            if len(compressed) < len(response.content):
                response.content = compressed
                response["Content-Length"] = str(len(compressed))
                response["Content-Encoding"] = "br"
                weaken_etag(response)
            return response
        if encoding:  # gzip, and streamed bodies for clients that take gzip too
            return super().process_response(request, response)
        return response


def compressible(response):
    """Whether this middleware compresses `response` for a client that takes it compressed."""
    return not (
        response.has_header("Content-Encoding")
        or not COMPRESSIBLE_TYPE.match(response.get("Content-Type", ""))
        or (not response.streaming and len(response.content) < MIN_LENGTH)
    )


def in_brotli(response):
    return brotli.compress(response.content, quality=BROTLI_QUALITY)


def keep_compressed(response):
    """
    Compress `response`'s body in Brotli once, now, and keep it with the response: the public cache
    stores it so (cms/cache.py), and each cached read in Brotli, what browsers ask for, is sent
    without compressing it again (a third of such a read's time). Nothing above the cache changes
    a body, so the two stay the same. gzip, rarer, is compressed for each read (with its padding).
    """
    if not response.streaming and compressible(response):
        response.brotli_body = in_brotli(response)
