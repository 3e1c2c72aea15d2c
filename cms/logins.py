"""
Signing in, slowed down for guessers: django-axes counts failed attempts per address and per
account (settings AXES_*); this module gives it the visitor's address, words its lockout answer,
and puts Wagtail's page-password form under the same count.
"""

import math

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.forms.forms import NON_FIELD_ERRORS
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import ngettext
from wagtail.forms import PasswordViewRestrictionForm
from wagtail.models import Page, PageViewRestriction
from wagtail.views import authenticate_with_password as wagtail_authenticate_with_password

from cms.clients import client_ip

# What axes counts a page password's failures against, as it counts a user's against the username.
PAGE_PASSWORD_ACCOUNT = "page-password:{restriction_id}"


def address_for_axes(request):
    """The address failures are counted against (AXES_CLIENT_IP_CALLABLE); None when unreadable."""
    address = client_ip(request)
    return None if address == "unknown" else address


def lockout_message(request=None):
    minutes = max(1, math.ceil(get_cool_off(request).total_seconds() / 60))
    return ngettext(
        "Too many failed attempts: signing in here is paused for %(count)d minute. Please try again "
        "later, or ask an administrator to lift the lock.",
        "Too many failed attempts: signing in here is paused for %(count)d minutes. Please try again "
        "later, or ask an administrator to lift the lock.",
        minutes,
    ) % {"count": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """
    The answer while an address or account is locked out (AXES_LOCKOUT_CALLABLE): the same sign-in
    form, its only error the lockout, in the visitor's language, as a 429 with Retry-After.
    """
    message = lockout_message(request)
    context = getattr(original_response, "context_data", None) or {}
    form = context.get("form")
    if form is None:
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    else:
        # "Wrong password" would mislead: while locked, even the right one is refused.
        form.errors.clear()
        form.errors[NON_FIELD_ERRORS] = form.error_class([message], error_class="nonfield")
        # Made after the view's response was rendered (in middleware), so rendered here.
        response = TemplateResponse(request, original_response.template_name, context, status=429).render()
    response["Retry-After"] = str(int(get_cool_off(request).total_seconds()))
    return response


def authenticate_with_password(request, page_view_restriction_id, page_id):
    """
    Wagtail's page-password form (for pages an editor protected with a shared password), with
    failed passwords counted per address and per protected page like failed admin sign-ins.
    """
    credentials = {"username": PAGE_PASSWORD_ACCOUNT.format(restriction_id=page_view_restriction_id)}
    if request.method != "POST":
        return wagtail_authenticate_with_password(request, page_view_restriction_id, page_id)
    if not AxesProxyHandler.is_allowed(request, credentials):
        # Locked: the password is not even looked at.
        restriction = get_object_or_404(PageViewRestriction, id=page_view_restriction_id)
        page = get_object_or_404(Page, id=page_id).specific
        form = PasswordViewRestrictionForm(
            instance=restriction, initial={"return_url": request.POST.get("return_url", "")}
        )
        action_url = reverse("wagtailcore_authenticate_with_password", args=[restriction.id, page.id])
        return lockout_response(
            request, page.serve_password_required_response(request, form, action_url), credentials
        )
    response = wagtail_authenticate_with_password(request, page_view_restriction_id, page_id)
    if response.status_code != 302:  # the form again, with "not correct": a failed attempt
        AxesProxyHandler.user_login_failed(
            sender=authenticate_with_password, credentials=credentials, request=request
        )
    return response
