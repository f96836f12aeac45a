"""django-guardian object permissions on Organisation, in direct-foreign-key tables.

Faster than guardian's generic tables and cleaned up by cascade when an
organisation is deleted (guardian docs: performance, caveats).
"""

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class OrganisationUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey("faggruppe_pages.Organisation", on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False


class OrganisationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey("faggruppe_pages.Organisation", on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False
