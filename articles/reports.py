"""The "Reviews due" admin report: live articles whose medical review is overdue, due soon, or missing."""

import django_filters
from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permissions import page_permission_policy

from .models import ArticlePage

STATES = {
    "overdue": _("Overdue"),
    "due_soon": _("Due within 30 days"),
    "never": _("Never reviewed"),
}


class ReviewsDueFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("Review"),
        choices=list(STATES.items()),
        empty_label=_("All"),
        widget=forms.RadioSelect,
        method="filter_state",
    )

    class Meta:
        model = ArticlePage
        fields = ["state"]

    def filter_state(self, queryset, name, value):
        return {
            "overdue": queryset.review_overdue,
            "due_soon": queryset.review_due_soon,
            "never": queryset.never_reviewed,
        }[value]()


class ReviewsDueReportView(ReportView):
    page_title = _("Reviews due")
    header_icon = "calendar-alt"
    index_url_name = "reviews_due"
    index_results_url_name = "reviews_due_results"
    permission_policy = page_permission_policy
    any_permission_required = ["add", "change", "publish"]
    filterset_class = ReviewsDueFilterSet
    columns = [
        TitleColumn("title", label=_("Title"), url_name="wagtailadmin_pages:edit"),
        Column("review_state_label", label=_("Review")),
        Column("next_review_due", label=_("Next review due")),
        Column("last_reviewed", label=_("Last reviewed")),
        Column("reviewed_by", label=_("Medically reviewed by")),
    ]
    list_export = ["title", "review_state_label", "next_review_due", "last_reviewed", "reviewed_by"]
    export_headings = {"review_state_label": _("Review")}

    def get_queryset(self):
        live = ArticlePage.objects.live()
        articles = live.review_overdue() | live.review_due_soon() | live.never_reviewed()
        return articles.select_related("reviewed_by").order_by(
            F("next_review_due").asc(nulls_first=True), "pk"
        )

    def decorate_paginated_queryset(self, object_list):
        for article in object_list:
            article.review_state_label = STATES[article.review_state()]
        return object_list
