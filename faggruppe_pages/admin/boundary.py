"""Where values enter: the one place that decides which rows a user may *point at*.

Every form field that refers to another row (a ``ModelChoiceField``: person, group,
represents, employer, user, successor, and every chooser behind them) takes its
choices from ``rules()``, whatever the form's initial values, the query string
or the instance say. A value outside the allowed rows fails validation with a clear
message and nothing is saved. A field without a rule is refused outright
(``BoundaryFormMixin`` raises ``ImproperlyConfigured``), so a new foreign key cannot
slip through unnoticed; ``tests/security/test_tamper.py`` walks every such field.

Who owns which record (docs/permissions.md):
- a membership belongs to the organisation it *represents*;
- a person belongs to their *employer*, and only to it. Registering a membership for
  a person never hands the person record to the represented organisation: a union's
  representatives register and keep their tillitsvalgte's seats (role, term, note,
  appointment) current, but the person record (name, e-mail, phone, employer) stays
  with the municipality that employs them.

What a user may *point at* is wider than what they may *edit*: a union's
representatives may choose any municipality's employee as their tillitsvalgt, because
tillitsvalgte are municipal employees. Choosing grants no right to the person record.

The value a saved row already holds stays valid for that row (re-read from the
database, never taken from the instance the view built from the request), so a
representative can still save their membership of a person who has since changed jobs.
"""

import functools
import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.utils.translation import gettext_lazy as _

from faggruppe_pages.models import GroupPage, Membership, Organisation, OrganisationKind, Person
from faggruppe_pages.permissions import is_staff_for, organisations_user_acts_for, represented_organisation_ids

NOT_YOURS = _("You can only register entries for organisations you represent.")
PERSON_NOT_YOURS = _("You can only choose people from organisations you represent.")
NOT_ALLOWED = _("You cannot choose this. Choose one of the options offered.")

#: An id as typed in a URL or query string: ASCII digits only, small enough for every database.
_ID = re.compile(r"[0-9]{1,18}")


def parse_id(value):
    """``"42"`` -> 42; anything else (``"abc"``, ``"²"``, ``"١"``, 2**63, lists) -> None."""
    if isinstance(value, str) and _ID.fullmatch(value):
        return int(value)
    return None


# -- the rules: (user) -> queryset of the rows the user may point at -------------------------------------


def _organisations(model):
    def rule(user):
        return organisations_user_acts_for(user, model)

    return rule


def choosable_people(user):
    """People a user may register a membership for: their organisations' employees, and for a
    union's representatives also every municipality's employees (tillitsvalgte)."""
    if is_staff_for(user, Membership):
        return Person.objects.all()
    org_ids = represented_organisation_ids(user)
    if not org_ids:
        return Person.objects.none()
    allowed = Q(employer_id__in=org_ids)
    if Organisation.objects.filter(pk__in=org_ids, kind=OrganisationKind.UNION).exists():
        allowed |= Q(employer__kind=OrganisationKind.MUNICIPALITY)
    return Person.objects.filter(allowed)


def choosable_groups(user):
    """Any published group for a representative (seats are registered in every group); all for staff."""
    if is_staff_for(user, Membership):
        return GroupPage.objects.all()
    return GroupPage.objects.live()


def successor_pages(user):
    """A closed group's successor is another published group page."""
    from wagtail.models import Page

    return Page.objects.filter(pk__in=GroupPage.objects.live().values("pk"))


def _nobody_but_staff(model, target):
    """Staff choose among all rows of ``target`` ("app_label.Model"); anybody else only keeps what is saved."""

    def rule(user):
        from django.apps import apps

        queryset = apps.get_model(target)._default_manager.all()
        return queryset if is_staff_for(user, model) else queryset.none()

    return rule


#: Add-ons that build on this one add rules for their own models' fields: each hook function returns
#: a dict shaped like ``rules()`` (governance: meetings, measures, benefits, proposals).
BOUNDARY_RULES_HOOK = "faggruppe_pages_boundary_rules"


@functools.cache
def rules():
    """{("app_label.model", "field"): (rule(user) -> queryset, message when a value is refused)}"""
    from wagtail import hooks

    found = {}
    for fn in hooks.get_hooks(BOUNDARY_RULES_HOOK):
        found.update(fn())
    return found | {
        ("faggruppe_pages.membership", "person"): (choosable_people, PERSON_NOT_YOURS),
        ("faggruppe_pages.membership", "group"): (choosable_groups, NOT_ALLOWED),
        ("faggruppe_pages.membership", "represents"): (_organisations(Membership), NOT_YOURS),
        ("faggruppe_pages.person", "employer"): (_organisations(Person), NOT_YOURS),
        # Linking an account grants page rights: only staff may set it.
        ("faggruppe_pages.person", "user"): (_nobody_but_staff(Person, settings.AUTH_USER_MODEL), NOT_ALLOWED),
        ("faggruppe_pages.organisation", "merged_into"): (
            _nobody_but_staff(Organisation, "faggruppe_pages.Organisation"),
            NOT_ALLOWED,
        ),
        # Group pages (faggruppe and arbeidsgruppe forms).
        ("faggruppe_pages.grouppage", "successor"): (successor_pages, NOT_ALLOWED),
    }


def rule_for(model, field_name):
    """The (rule, message) for a model's field, looking through concrete parents (page types)."""
    all_rules = rules()
    for klass in [model, *model._meta.get_parent_list()]:
        found = all_rules.get((klass._meta.label_lower, field_name))
        if found:
            return found
    return None


def allowed_choices(user, model, field_name, instance=None):
    """The queryset a user may choose from for ``model.field_name``, plus what ``instance`` holds in the
    database already. Raises ImproperlyConfigured for a field without a rule."""
    found = rule_for(model, field_name)
    if found is None:
        raise ImproperlyConfigured(
            f"{model._meta.label}.{field_name} points at other rows but has no rule in faggruppe_pages.admin.boundary"
        )
    queryset = found[0](user)
    saved = saved_value(instance, field_name)
    if saved is not None:
        queryset = queryset | queryset.model._default_manager.filter(pk=saved)
    return queryset, found[1]


def saved_value(instance, field_name):
    """The id ``instance`` holds for ``field_name`` in the database (not in memory), or None."""
    if instance is None or instance.pk is None:
        return None
    field = instance._meta.get_field(field_name)
    if not hasattr(field, "attname"):
        return None
    return type(instance)._default_manager.filter(pk=instance.pk).values_list(field.attname, flat=True).first()


class BoundaryFormMixin:
    """For admin model forms (``for_user`` given): every field pointing at other rows is limited by its rule."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.apply_boundary(for_user)

    def apply_boundary(self, user):
        model = self._meta.model
        for name, field in self.fields.items():
            if not isinstance(field, ModelChoiceField | ModelMultipleChoiceField):
                continue
            if field.disabled:
                # A disabled field ignores what is posted and keeps the saved value; it offers only that
                # (a disabled <select> still lists its options: no other rows' names in the page).
                saved = saved_value(self.instance, name)
                field.queryset = field.queryset.filter(pk=saved) if saved is not None else field.queryset.none()
                continue
            queryset, message = allowed_choices(user, model, name, self.instance)
            field.queryset = queryset
            field.error_messages["invalid_choice"] = message
            if isinstance(field, ModelMultipleChoiceField):
                field.error_messages["invalid_pk_value"] = message
