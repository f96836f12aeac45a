"""Admin registrations of the faggruppe pages add-on."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from .models.pages import GROUPS_WITH_HISTORY_HOOK
from .views.entries import VERIFY_ACTION, OurEntriesView, organisations_user_acts_for
from .views.guards import GuardedDeleteBulkAction
from .views.snippets import MembersAdminGroup
from .views.withdrawals import NoBulkDelete, RestoreMembershipView, WithdrawnMembershipsView

register_snippet(MembersAdminGroup)
# After wagtail.snippets' own delete action (order 0), so ours replace it for our models.
hooks.register("register_bulk_action", GuardedDeleteBulkAction, order=100)
hooks.register("register_bulk_action", NoBulkDelete, order=100)


@hooks.register("register_admin_urls")
def register_our_entries_url():
    return [
        path("vare-oppforinger/", OurEntriesView.as_view(), name="faggruppe_pages_our_entries"),
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


@hooks.register("register_admin_menu_item")
def register_our_entries_menu_item():
    return OurEntriesMenuItem(_("Our entries"), reverse("faggruppe_pages_our_entries"), icon_name="tick", order=240)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    from .models.memberships import RESTORE_ACTION, WITHDRAW_ACTION

    actions.register_action(VERIFY_ACTION, _("Confirm entry"), _("Confirmed as still correct"))
    actions.register_action(WITHDRAW_ACTION, _("Withdraw entry"), _("Withdrawn as registered in error"))
    actions.register_action(RESTORE_ACTION, _("Restore entry"), _("Restored after being withdrawn"))
    from .privacy import ANONYMISE_ACTION

    actions.register_action(ANONYMISE_ACTION, _("Anonymise"), _("Anonymised after the retention period"))


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


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        from .admin_access import is_staff

        return is_staff(request.user)


@hooks.register("register_admin_menu_item")
def register_withdrawn_menu_item():
    return StaffMenuItem(
        _("Withdrawn entries"), reverse("faggruppe_pages_withdrawn_memberships"), icon_name="history", order=260
    )


# -- a group with history is closed, never deleted --------------------------------------------------------


def _undeletable_groups(pages):
    """The group pages among ``pages`` and their descendants that have history: members (current, ended or
    withdrawn) or a group mandate."""
    from django.db.models import Q

    from .models import GroupPage, Membership

    query = Q()
    for page in pages:
        query |= Q(path__startswith=page.path)
    if not query:
        return []
    groups = GroupPage.objects.filter(query)
    with_history = set(Membership.all_objects.filter(group__in=groups).values_list("group_id", flat=True))
    for fn in hooks.get_hooks(GROUPS_WITH_HISTORY_HOOK):
        with_history |= set(fn(groups))
    return list(groups.filter(pk__in=with_history).order_by("path"))


def _refuse_deleting(request, groups):
    from django.shortcuts import redirect
    from wagtail.admin import messages

    names = ", ".join(f"«{g.title}»" for g in groups[:5]) + (" …" if len(groups) > 5 else "")
    messages.error(
        request,
        _(
            "%(groups)s cannot be deleted: members and mandates are the group's history. Close the group instead: "
            "set its status to closed, the date it closed and, if its work goes on, its successor. "
            "A closed group stays readable as history."
        )
        % {"groups": names},
    )
    return redirect("wagtailadmin_pages:edit", groups[0].pk)


@hooks.register("before_delete_page")
def refuse_deleting_groups_with_history(request, page):
    groups = _undeletable_groups([page])
    if groups:
        return _refuse_deleting(request, groups)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_groups_with_history(request, action_type, objects, action_class_instance):
    from wagtail.models import Page

    if action_type != "delete" or not objects or not isinstance(objects[0], Page):
        return None
    groups = _undeletable_groups(objects)
    if groups:
        return _refuse_deleting(request, groups)
    return None
