"""Site configuration the add-on needs: the staff group, the approval workflow, the synced groups.

Run by ``manage.py setup_portal`` (production, after creating the faggruppe overview page)
and by ``load_demo``. Idempotent.
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail import hooks
from wagtail.models import GroupApprovalTask, GroupPagePermission, Site, Workflow, WorkflowPage, WorkflowTask

from faggruppe_pages.models import FaggruppeIndexPage
from faggruppe_pages.upkeep.sync import sync_all

#: Hook: callables ``fn(staff_group, workflow)`` run at the end of ``setup_portal``, so other add-ons
#: (governance) grant the staff group their permissions and put their models under the same workflow.
SETUP_PORTAL_HOOK = "faggruppe_pages_setup_portal"

STAFF_GROUP_NAME = "Redaksjon"
WORKFLOW_NAME = "Godkjenning av redaksjonen"
TASK_NAME = "Redaksjonen godkjenner"
STAFF_MODEL_PERMISSIONS = [
    f"{action}_{model}"
    for model in ("organisation", "person", "membership")
    for action in ("add", "change", "delete", "view")
]
#: Staff edit the site's accessibility statement (a Wagtail site setting); nobody else may.
STAFF_SETTING_PERMISSIONS = ["change_accessibilitystatement"]
STAFF_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page", "bulk_delete_page")


def ensure_staff_group():
    """The cooperation's secretariat: manages every entry and approves page changes."""
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP_NAME)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="faggruppe_pages", codename__in=STAFF_MODEL_PERMISSIONS + STAFF_SETTING_PERMISSIONS
        ),
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
    )
    return group


def ensure_staff_page_permissions(group, page):
    for codename in STAFF_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=page,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )


def ensure_workflow(staff_group, pages):
    """One approval task owned by staff, on every faggruppe overview (and so on its whole subtree)."""
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.add(staff_group)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task.task_ptr, defaults={"sort_order": 0})
    for page in pages:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    return workflow


def name_unnamed_sites():
    """A Site without a name shows its hostname ("localhost") in the admin: give it the portal's name."""
    name = getattr(settings, "WAGTAIL_SITE_NAME", "")
    if name:
        Site.objects.filter(site_name="").update(site_name=name[:255])


@transaction.atomic
def setup_portal():
    name_unnamed_sites()
    staff = ensure_staff_group()
    overviews = list(FaggruppeIndexPage.objects.all())
    for page in overviews:
        ensure_staff_page_permissions(staff, page)
    workflow = ensure_workflow(staff, overviews)
    organisations, pages = sync_all()
    for fn in hooks.get_hooks(SETUP_PORTAL_HOOK):
        fn(staff_group=staff, workflow=workflow)
    return {"overviews": len(overviews), "organisations": organisations, "group_pages": pages}
