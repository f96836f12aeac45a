"""The site's authentication backends: django-axes' and Django's own, loading the request's user with whether
they hold any right at all in the same query (faggruppe_pages.permissions.LoadsGrants): a plain reader's page
then runs one query fewer.

A session remembers the backend that logged it in by its dotted path, so these replaced Django's and axes' in
AUTHENTICATION_BACKENDS: sessions from before the change end once (their users log in again).
"""

from axes.backends import AxesBackend as _AxesBackend
from django.contrib.auth.backends import ModelBackend as _ModelBackend

from faggruppe_pages.permissions import LoadsGrants


class AxesBackend(LoadsGrants, _AxesBackend):
    """django-axes' lockout check first (it accepts no password itself); loads users as LoadsGrants does."""


class ModelBackend(LoadsGrants, _ModelBackend):
    """Django's user name + password backend; loads users as LoadsGrants does."""
