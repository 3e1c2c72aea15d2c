"""The project's URLs plus Wagtail's stock API v2 pages endpoint at /api/v2/, for comparison only."""

from django.urls import path
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from cms.urls import urlpatterns as project_urlpatterns

v2 = WagtailAPIRouter("wagtailapi")
v2.register_endpoint("pages", PagesAPIViewSet)

urlpatterns = [path("api/v2/", v2.urls), *project_urlpatterns]
