"""Site setup (the setup_portal slot): staff's governance permissions (mandates, bodies, the group's work) and
the mandates' approval workflow."""

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from wagtail.models import WorkflowContentType

from governance.models import REPORT_PERMISSION, Benefit, GoverningBody, Mandate, Measure, Meeting, Proposal

STAFF_PERMISSIONS = {
    Mandate: ("add", "change", "delete", "view", "publish", "lock", "unlock", REPORT_PERMISSION),
    GoverningBody: ("add", "change", "delete", "view"),
    # The group's work: staff act in every group (governance.permissions); members get no model permission.
    Meeting: ("add", "change", "delete", "view"),
    Measure: ("add", "change", "delete", "view"),
    Benefit: ("add", "change", "delete", "view"),
    Proposal: ("add", "change", "delete", "view"),
}


def setup_governance(staff_group, workflow):
    """Staff manage mandates and bodies and see the report; mandates are approved through the staff workflow."""
    for model, actions in STAFF_PERMISSIONS.items():
        content_type = ContentType.objects.get_for_model(model)
        codenames = [f"{action}_{model._meta.model_name}" for action in actions]
        staff_group.permissions.add(*Permission.objects.filter(content_type=content_type, codename__in=codenames))
    WorkflowContentType.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(Mandate), defaults={"workflow": workflow}
    )
