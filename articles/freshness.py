"""Whether a translation still matches the English text it was made from: a fingerprint of that text."""

import hashlib
import json
import re

# What readers read of an article, in the order hashed. A change to any of these in English makes
# the other languages' text out of date (see ArticlePage).
SOURCE_FIELDS = ("title", "intro", "body")

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def _normalised(value):
    """Stored data with what does not change the text left out: block ids, markup, runs of spaces."""
    if isinstance(value, str):
        return _SPACE.sub(" ", _TAG.sub(" ", value)).strip()
    if isinstance(value, dict):
        return {key: _normalised(item) for key, item in value.items() if key != "id"}
    if isinstance(value, list | tuple):
        return [_normalised(item) for item in value]
    return value


def text_fingerprint(title, intro, body_raw):
    """
    A SHA-256 hex digest of an article's text in one language: its title, introduction and body
    (the StreamField's raw data). Markup, whitespace and block ids do not count, so saving the same
    text again, or the editor re-writing its HTML, gives the same fingerprint; any change to the
    words, an image or a block's order does not.
    """
    data = [_normalised(title or ""), _normalised(intro or ""), _normalised(list(body_raw or []))]
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
