"""Admin forms that offer a user only the organisations and people they may act for.

A forged POST naming another organisation or person fails validation with a
clear message, so nothing is saved.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import Organisation
from .permissions import is_staff_for, organisation_ids_for

NOT_YOURS = _("You can only register entries for organisations you represent.")
PERSON_NOT_YOURS = _("You can only choose people from organisations you represent.")


def acting_organisations(user, model, current=None):
    """Organisations ``user`` may register entries of ``model`` for (plus the instance's current one)."""
    if is_staff_for(user, model):
        return Organisation.objects.all()
    ids = set(organisation_ids_for(user))
    if current is not None:
        ids.add(current)
    return Organisation.objects.filter(pk__in=ids)


class MembershipAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        from wagtail.permissions import policy_registry

        from .models import Membership, Person

        represents = self.fields["represents"]
        represents.queryset = acting_organisations(for_user, Membership)
        represents.error_messages["invalid_choice"] = NOT_YOURS
        if not is_staff_for(for_user, Membership):
            people = policy_registry.get_by_type(Person).instances_user_has_any_permission_for(for_user, ["change"])
            if self.instance.person_id:
                people = people | Person.objects.filter(pk=self.instance.person_id)
            self.fields["person"].queryset = people
            self.fields["person"].error_messages["invalid_choice"] = PERSON_NOT_YOURS


class PersonAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        from .models import Person

        employer = self.fields["employer"]
        employer.queryset = acting_organisations(for_user, Person, current=self.instance.employer_id)
        employer.error_messages["invalid_choice"] = NOT_YOURS
        if not is_staff_for(for_user, Person) and "user" in self.fields:
            # Linking a user account grants page rights: only staff may do it.
            self.fields["user"].disabled = True
            self.fields["user"].help_text = _("Only staff can link a user account.")
