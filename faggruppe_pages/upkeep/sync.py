"""Keep Django groups in step with the data: representatives per organisation, editors per group page.

* Each municipality and union gets a group "Representanter – <name>" holding the
  guardian object permission ``manage_entries`` on that organisation (and admin access).
  Who is in it is decided by staff in Wagtail's user admin.
* Each group page gets an editors group whose users are exactly the active members
  with a user account; it holds add + change (never publish) on the page's subtree.
  Terms start and end with the calendar, so ``manage.py sync_group_editors`` runs
  daily from cron as well; saves of memberships and people sync at once.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm
from wagtail.models import GroupPagePermission

from faggruppe_pages.models import GroupPage, Membership, Organisation
from faggruppe_pages.permissions import MANAGE_ENTRIES_PERM

REPRESENTATIVES_PREFIX = "Representanter – "
EDITORS_PREFIX = "Redaktører – "
#: Page permissions for a group's members: edit and add, but publishing goes through the workflow.
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")


def _admin_access():
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def _unique_group_name(base, pk):
    """Group names are unique and at most 150 characters; the id keeps two equal titles apart."""
    suffix = f" ({pk})"
    return base[: 150 - len(suffix)] + suffix


@transaction.atomic
def sync_representatives_group(organisation):
    """Create, rename or retire the representatives group of one organisation."""
    group = organisation.representatives_group
    if not organisation.has_representatives:
        if group is not None:
            remove_perm(MANAGE_ENTRIES_PERM, group, organisation)
        return group
    name = _unique_group_name(REPRESENTATIVES_PREFIX + organisation.display_name, organisation.pk)
    if group is None:
        group, _ = Group.objects.get_or_create(name=name)
        organisation.representatives_group = group
        type(organisation).objects.filter(pk=organisation.pk).update(representatives_group=group)
    elif group.name != name:
        group.name = name
        group.save(update_fields=["name"])
    group.permissions.add(_admin_access())
    assign_perm(MANAGE_ENTRIES_PERM, group, organisation)
    return group


@transaction.atomic
def sync_group_page_editors(group_page, today=None):
    """Make the page's editors group hold exactly its active members that have a user account."""
    today = today or timezone.localdate()
    group = group_page.editors_group
    name = _unique_group_name(EDITORS_PREFIX + group_page.title, group_page.pk)
    if group is None:
        group, _ = Group.objects.get_or_create(name=name)
        group_page.editors_group = group
        GroupPage.objects.filter(pk=group_page.pk).update(editors_group=group)
        group.permissions.add(_admin_access())
        for codename in EDITOR_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page_id=group_page.pk,
                permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
            )
    elif group.name != name:
        group.name = name
        group.save(update_fields=["name"])
    user_ids = set(
        Membership.objects.filter(group_id=group_page.pk, person__user__isnull=False)
        .active_on(today)
        .values_list("person__user_id", flat=True)
    )
    current = set(group.user_set.values_list("pk", flat=True))
    if user_ids - current:
        group.user_set.add(*(user_ids - current))
    if current - user_ids:
        group.user_set.remove(*(current - user_ids))
    return group


def sync_all(today=None):
    """Sync every organisation and group page; returns (organisations, group pages) counts."""
    organisations = list(Organisation.objects.select_related("representatives_group"))
    for organisation in organisations:
        sync_representatives_group(organisation)
    pages = list(GroupPage.objects.select_related("editors_group"))
    for page in pages:
        sync_group_page_editors(page, today=today)
    return len(organisations), len(pages)
