"""The blog as search engines read it: articles as BlogPostings, authors as Persons and profiles."""

from django.utils import translation

from cms.seo import SCHEMA_ORG, absolute, page_url, rendition_url, share_image_url

# The rendition of an author's photo on their page and in their JSON-LD (templates/articles/author_page.html).
AUTHOR_PHOTO_FILTER = "fill-320x320"


def person(author, url=None):
    """An author as a schema.org Person; `url` (absolute) is their page on the site."""
    graph = {"@type": "Person", "name": author.name}
    if author.role:
        graph["jobTitle"] = author.role
    if author.credentials:
        graph["honorificSuffix"] = author.credentials
    if url:
        graph["url"] = url
    return graph


def author_page_url(request, blog, author):
    """The absolute URL of an author's page on the blog in the active language, or None."""
    return absolute(request, blog.get_author_url(author, request)) if blog is not None else None


def author_profile_graph(request, author, blog):
    """An author's page as a schema.org ProfilePage about the Person: name, credentials, role, bio, photo."""
    url = author_page_url(request, blog, author)
    about = person(author, url)
    if author.bio:
        about["description"] = author.bio
    if author.photo_id:
        about["image"] = rendition_url(request, author.photo, AUTHOR_PHOTO_FILTER)
    return {
        "@context": SCHEMA_ORG,
        "@type": "ProfilePage",
        "url": url,
        "inLanguage": translation.get_language(),
        "mainEntity": about,
    }


def article_graph(request, article, clinic, blog=None):
    """
    The article as a schema.org BlogPosting, the type search engines read for articles (dates,
    authors, image), published by `clinic` (a reference to the clinic's node). The medical review
    is said of the page that carries it: `reviewedBy` and `lastReviewed` belong to WebPage in
    schema.org, not to a posting, so they sit on its `mainEntityOfPage`, a MedicalWebPage (left out
    in a language whose text is stale: see ArticlePage.shown_review). With the `blog` (the
    article's parent), each person links to their author page.
    """
    url = page_url(request, article)
    page = {"@type": "MedicalWebPage", "@id": url, "url": url}
    review = article.shown_review()
    if review:
        page["reviewedBy"] = person(review.reviewer, author_page_url(request, blog, review.reviewer))
        page["lastReviewed"] = review.last_reviewed.isoformat()
    graph = {
        "@context": SCHEMA_ORG,
        "@type": "BlogPosting",
        "headline": article.title,
        "description": article.intro,
        "url": url,
        "mainEntityOfPage": page,
        "inLanguage": translation.get_language(),
        "author": [person(author, author_page_url(request, blog, author)) for author in article.authors],
        "datePublished": article.date.isoformat(),
        "publisher": clinic,
    }
    if article.last_published_at:
        graph["dateModified"] = article.last_published_at.isoformat()
    if article.category:
        graph["articleSection"] = article.category.name
    image = share_image_url(request, article)
    if image:
        graph["image"] = image
    return graph
