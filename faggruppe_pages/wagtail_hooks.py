"""Admin registrations of the faggruppe pages add-on."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from .views.entries import VERIFY_ACTION, OurEntriesView, organisations_user_acts_for
from .views.guards import GuardedDeleteBulkAction
from .views.snippets import MembersAdminGroup

register_snippet(MembersAdminGroup)
# After wagtail.snippets' own delete action (order 0), so ours replaces it for our models.
hooks.register("register_bulk_action", GuardedDeleteBulkAction, order=100)


@hooks.register("register_admin_urls")
def register_our_entries_url():
    return [path("vare-oppforinger/", OurEntriesView.as_view(), name="faggruppe_pages_our_entries")]


class OurEntriesMenuItem(MenuItem):
    def is_shown(self, request):
        return organisations_user_acts_for(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_our_entries_menu_item():
    return OurEntriesMenuItem(_("Our entries"), reverse("faggruppe_pages_our_entries"), icon_name="tick", order=240)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action(VERIFY_ACTION, _("Confirm entry"), _("Confirmed as still correct"))


@hooks.register("before_copy_page")
def refuse_aliases_of_group_pages(request, page):
    """A group page's alias would share its members' editing rights and its seats would belong to two
    pages: group pages are copied (staff), never aliased."""
    from django.shortcuts import redirect
    from wagtail.admin import messages

    from .models import GroupPage

    if request.method == "POST" and request.POST.get("alias") and isinstance(page.specific, GroupPage):
        messages.error(request, _("A group page cannot be an alias. Copy it instead."))
        return redirect("wagtailadmin_pages:copy", page.pk)
    return None


@hooks.register("construct_reports_menu")
def hide_staff_only_reports(request, menu_items):
    """Don't offer a representative a report that would refuse them (admin_access.py)."""
    from django.urls import Resolver404, resolve

    from .admin_access import is_staff, is_staff_only

    if is_staff(request.user):
        return

    def staff_only(item):
        try:
            return is_staff_only(resolve(item.url).view_name, item.url)
        except Resolver404:
            return False

    menu_items[:] = [item for item in menu_items if not staff_only(item)]
