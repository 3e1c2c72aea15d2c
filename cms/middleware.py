"""Project middleware."""

from django.middleware.locale import LocaleMiddleware


class PrefixedLocaleMiddleware(LocaleMiddleware):
    """
    Django's LocaleMiddleware, except for paths that live outside the /en/ and /ta/ prefixes.

    Django redirects any 404 without a language prefix to the prefixed URL when that would
    resolve, and Wagtail's catch-all page pattern resolves everything: an API 404 would become
    a redirect to /en/api/.... The API, the admin and files keep their own answers.
    """

    unprefixed_paths = ("/api/", "/admin/", "/documents/", "/static/", "/media/")

    def process_response(self, request, response):
        if request.path_info.startswith(self.unprefixed_paths):
            return response
        return super().process_response(request, response)
