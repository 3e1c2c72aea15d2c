"""The site's search: articles by default, every page when asked, in every language."""

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail.models import Page

from articles.models import ArticlePage
from cms.cache import showing_pages
from cms.pages import without_expired
from cms.search import search_pages

MAX_QUERY_LENGTH = 200
SEARCH_RESULTS_PER_PAGE = 10


@showing_pages
def search(request):
    """
    Site search over the visible articles or, with `scope=pages`, every live public page, in every
    language (cms.search.search_pages): ten results a page, counted in the database.
    """
    # Only printable text: control characters mean nothing to the search backend.
    query = "".join(ch for ch in request.GET.get("q", "") if ch.isprintable()).strip()[:MAX_QUERY_LENGTH]
    scope = "pages" if request.GET.get("scope") == "pages" else "articles"
    results = None
    if query:
        if scope == "pages":
            pages = without_expired(Page.objects.live().public().filter(depth__gt=1))
            matches = search_pages(pages, query, Page.objects.specific().defer_streamfields())
        else:
            matches = search_pages(
                ArticlePage.objects.visible(), query, ArticlePage.objects.as_cards(tags=False)
            )
        results = Paginator(matches, SEARCH_RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "query": query,
        "scope": scope,
        "results": results,
        "suggested_language": suggested_language(query),
    }
    return TemplateResponse(request, "search/results.html", context)


def query_language(query):
    """The language `query` is written in, by its script: Tamil if any letter is Tamil, else English."""
    return "ta" if any("\u0b80" <= character <= "\u0bff" for character in query) else "en"


def suggested_language(query):
    """When `query` finds nothing, the language to suggest trying the word in: the other one."""
    return "en" if query_language(query) == "ta" else "ta"
