"""The add-on's admin menu items and admin URLs, each shown only to those who may use it."""

from django.urls import Resolver404, path, resolve, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem

from faggruppe_pages.admin import bulk
from faggruppe_pages.admin.access import is_staff, is_staff_only
from faggruppe_pages.admin.entries import OurEntriesView
from faggruppe_pages.admin.withdrawals import RestoreMembershipView, WithdrawnMembershipsView
from faggruppe_pages.permissions import organisations_user_acts_for


def admin_urls():
    return [
        path("vare-oppforinger/", OurEntriesView.as_view(), name="faggruppe_pages_our_entries"),
        # Updating the entries from a spreadsheet (admin/bulk.py): upload, download, review, confirm, cancel.
        path("vare-oppforinger/regneark/", bulk.BulkUploadView.as_view(), name="faggruppe_pages_bulk_upload"),
        path(
            "vare-oppforinger/regneark/last-ned/",
            bulk.BulkDownloadView.as_view(),
            name="faggruppe_pages_bulk_download",
        ),
        path("vare-oppforinger/regneark/<int:pk>/", bulk.BulkReviewView.as_view(), name="faggruppe_pages_bulk_review"),
        path(
            "vare-oppforinger/regneark/<int:pk>/bekreft/",
            bulk.BulkConfirmView.as_view(),
            name="faggruppe_pages_bulk_confirm",
        ),
        path(
            "vare-oppforinger/regneark/<int:pk>/avbryt/",
            bulk.BulkCancelView.as_view(),
            name="faggruppe_pages_bulk_cancel",
        ),
        path(
            "tilbaketrukne-oppforinger/",
            WithdrawnMembershipsView.as_view(),
            name="faggruppe_pages_withdrawn_memberships",
        ),
        path(
            "tilbaketrukne-oppforinger/<int:pk>/gjenopprett/",
            RestoreMembershipView.as_view(),
            name="faggruppe_pages_restore_membership",
        ),
    ]


class OurEntriesMenuItem(MenuItem):
    def is_shown(self, request):
        return organisations_user_acts_for(request.user).exists()


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return is_staff(request.user)


def our_entries_menu_item():
    return OurEntriesMenuItem(
        _("Our entries"), reverse("faggruppe_pages_our_entries"), icon_name="clipboard-list", order=240
    )


def withdrawn_menu_item():
    return StaffMenuItem(
        _("Withdrawn entries"), reverse("faggruppe_pages_withdrawn_memberships"), icon_name="history", order=260
    )


def hide_staff_only_reports(request, menu_items):
    """Don't offer a representative a report that would refuse them (admin/access.py)."""
    if is_staff(request.user):
        return

    def staff_only(item):
        try:
            return is_staff_only(resolve(item.url).view_name, item.url)
        except Resolver404:
            return False

    menu_items[:] = [item for item in menu_items if not staff_only(item)]
