"""The answer to a login refused by the throttle (django-axes' ``AXES_LOCKOUT_CALLABLE``)."""

from axes.helpers import get_cool_off
from django.conf import settings
from django.shortcuts import render

from intranet.middleware import ADMIN_PREFIX


def lockout_minutes(request=None):
    """The cool-off in whole minutes (at least 1), as the lockout page states it."""
    cool_off = get_cool_off(request)
    return max(1, round(cool_off.total_seconds() / 60)) if cool_off else None


def lockout(request, original_response=None, credentials=None):
    """429 with a page in the user's language: wait the cool-off, or ask Redaksjon to unlock.

    The admin login gets the page in the admin's look, the site login in the site's.
    """
    template = (
        "login_throttle/admin_lockout.html"
        if request.path_info.startswith(ADMIN_PREFIX)
        else "login_throttle/lockout.html"
    )
    context = {"minutes": lockout_minutes(request)}
    return render(request, template, context, status=settings.AXES_HTTP_RESPONSE_CODE)
