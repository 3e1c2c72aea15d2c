"""
Uploaded images served from the local disk at MEDIA_URL, by the project itself and in production too.

One box running gunicorn has no web server in front to serve MEDIA_ROOT, and whitenoise serves only
the files collectstatic gathered, so this view does what such a server would: a long-lived public
Cache-Control, ETag and Last-Modified with conditional requests (304), byte ranges (206) and the
file sent by gunicorn's sendfile. Images and renditions only: a document's file is served solely by
Wagtail's document view, which checks a private collection's restriction first.
"""

import mimetypes
import posixpath
import re
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils._os import safe_join
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.encoding import filepath_to_uri
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.http import require_safe

# The folders under MEDIA_ROOT that hold public files: Wagtail's originals and renditions.
PUBLIC_FOLDERS = ("original_images/", "images/")
# An uploaded SVG opened on its own runs no script and loads nothing.
MEDIA_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
CHUNK_SIZE = 64 * 1024
SINGLE_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class LocalMediaStorage(FileSystemStorage):
    """
    Django's storage on the local disk, whose `url()` appends the quoted name to MEDIA_URL rather than
    urljoin() them: the same URL for the names a storage keeps (relative, never with "." or ".."
    parts), at a tenth of the cost. A page of cards writes some sixty image URLs (srcsets).
    """

    def url(self, name):
        base_url = self.base_url  # always ends in "/"
        if base_url is None or name is None:
            return super().url(name)  # Django's answer
        return base_url + filepath_to_uri(name).lstrip("/")


def file_etag(stat):
    """A strong validator: the file's modification time and size (files are written once, whole)."""
    return f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'


def requested_range(request, size, etag, last_modified):
    """
    (start, end), both included, for a single satisfiable `Range: bytes=…`; None for the whole file
    (no Range, several ranges, or an If-Range the file no longer matches); "unsatisfiable" when the
    range lies beyond the file.
    """
    header = request.headers.get("Range", "")
    match = SINGLE_RANGE.match(header.replace(" ", ""))
    if not match or match.groups() == ("", ""):
        return None
    if_range = request.headers.get("If-Range")
    if if_range and if_range != etag and parse_http_date_safe(if_range) != last_modified:
        return None
    first, last = match.groups()
    if first == "":  # the last `last` bytes
        length = int(last)
        if length == 0:
            return "unsatisfiable"
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        return "unsatisfiable"
    return start, end


def read_range(path, start, length):
    with open(path, "rb") as file:
        file.seek(start)
        while length > 0:
            chunk = file.read(min(CHUNK_SIZE, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk


@require_safe
def serve_media(request, path, folder):
    """The file at `path` under MEDIA_ROOT/`folder`, with the headers a static file server gives."""
    path = posixpath.normpath(path).lstrip("/")
    try:
        full_path = Path(safe_join(settings.MEDIA_ROOT / folder, path))
        stat = full_path.stat()
    except (OSError, ValueError) as error:  # missing, a name too long, or outside the folder
        raise Http404("No such file.") from error
    if not full_path.is_file():
        raise Http404("No such file.")

    etag = file_etag(stat)
    last_modified = int(stat.st_mtime)
    headers = {
        "ETag": etag,
        "Last-Modified": http_date(last_modified),
        "Accept-Ranges": "bytes",
        "Content-Security-Policy": MEDIA_CSP,
    }
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        content_type = mimetypes.guess_type(full_path.name)[0] or "application/octet-stream"
        byte_range = requested_range(request, stat.st_size, etag, last_modified)
        if byte_range == "unsatisfiable":
            response = HttpResponse(status=416)
            headers["Content-Range"] = f"bytes */{stat.st_size}"
        elif byte_range is not None:
            start, end = byte_range
            response = StreamingHttpResponse(
                read_range(full_path, start, end - start + 1), status=206, content_type=content_type
            )
            headers["Content-Range"] = f"bytes {start}-{end}/{stat.st_size}"
            headers["Content-Length"] = str(end - start + 1)
        elif request.method == "HEAD":  # the headers only: gunicorn would have to drop a body
            response = HttpResponse(content_type=content_type)
            headers["Content-Length"] = str(stat.st_size)
        else:
            response = FileResponse(full_path.open("rb"), content_type=content_type)
    for name, value in headers.items():
        response[name] = value
    patch_cache_control(response, public=True, max_age=settings.MEDIA_CACHE_SECONDS)
    return response


def public_images_policy(bucket_name):
    """
    The S3 bucket policy that lets anyone read the images and their renditions, and nothing else:
    documents (and anything else in the bucket) stay readable only with the project's keys.
    """
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PublicImages",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": [f"arn:aws:s3:::{bucket_name}/{folder}*" for folder in PUBLIC_FOLDERS],
            }
        ],
    }
