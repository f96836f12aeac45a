"""History is kept: a group with history is closed, never deleted; a group page is copied, never aliased;
the audit log names the add-on's own actions.

Answers to Wagtail's ``before_delete_page``, ``before_bulk_action``, ``before_copy_page`` and
``register_log_actions``.
"""

from django.db.models import Q
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.models import Page

from faggruppe_pages.models import GroupPage, Membership
from faggruppe_pages.models.memberships import RESTORE_ACTION, WITHDRAW_ACTION
from faggruppe_pages.models.pages import GROUPS_WITH_HISTORY_HOOK
from faggruppe_pages.upkeep.confirmation import VERIFY_ACTION, VERIFY_BY_SAVING_ACTION
from faggruppe_pages.upkeep.privacy import ANONYMISE_ACTION


def register_log_actions(actions):
    """The labels of the add-on's own audit-log actions."""
    actions.register_action(VERIFY_ACTION, _("Confirm entry"), _("Confirmed as still correct"))
    actions.register_action(
        VERIFY_BY_SAVING_ACTION, _("Confirm entry by saving"), _("Saved, and so confirmed as correct")
    )
    actions.register_action(WITHDRAW_ACTION, _("Withdraw entry"), _("Withdrawn as registered in error"))
    actions.register_action(RESTORE_ACTION, _("Restore entry"), _("Restored after being withdrawn"))
    actions.register_action(ANONYMISE_ACTION, _("Anonymise"), _("Anonymised after the retention period"))


def refuse_aliases_of_group_pages(request, page):
    """A group page's alias would share its members' editing rights and its seats would belong to two
    pages: group pages are copied (staff), never aliased."""
    if request.method == "POST" and request.POST.get("alias") and isinstance(page.specific, GroupPage):
        messages.error(request, _("A group page cannot be an alias. Copy it instead."))
        return redirect("wagtailadmin_pages:copy", page.pk)
    return None


def _undeletable_groups(pages):
    """The group pages among ``pages`` and their descendants that have history: members (current, ended or
    withdrawn) or a group mandate."""
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


def refuse_deleting_groups_with_history(request, page):
    groups = _undeletable_groups([page])
    if groups:
        return _refuse_deleting(request, groups)
    return None


def refuse_bulk_deleting_groups_with_history(request, action_type, objects, action_class_instance):
    if action_type != "delete" or not objects or not isinstance(objects[0], Page):
        return None
    groups = _undeletable_groups(objects)
    if groups:
        return _refuse_deleting(request, groups)
    return None
