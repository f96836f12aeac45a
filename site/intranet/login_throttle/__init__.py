"""Login throttling with django-axes: the lockout page, and the staff's unlock view in the Wagtail admin.

Settings are in intranet/settings/base.py ("Login throttling"); docs/deploy.md explains them.
"""
