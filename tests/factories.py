"""factory_boy factories for the test suite (no fixtures with fixed primary keys)."""

import datetime

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from wagtail.models import Page, Site

from faggruppe_pages.models import (
    ArbeidsgruppePage,
    FaggruppeIndexPage,
    FaggruppePage,
    Membership,
    Organisation,
    OrganisationKind,
    Person,
    Role,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.no")
    password = factory.django.Password("demo")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Kommune {n}")
    slug = factory.Sequence(lambda n: f"kommune-{n}")
    kind = OrganisationKind.MUNICIPALITY
    municipality_number = factory.Sequence(lambda n: f"{1500 + n % 500:04d}")
    is_owner = True
    member_from = datetime.date(2014, 1, 1)


class CooperationFactory(OrganisationFactory):
    name = "ROR-IKT"
    slug = "ror-ikt"
    short_name = "ROR-IKT"
    kind = OrganisationKind.COOPERATION
    municipality_number = ""
    is_owner = False


class UnionFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Fagforening {n}")
    slug = factory.Sequence(lambda n: f"fagforening-{n}")
    kind = OrganisationKind.UNION
    municipality_number = ""
    is_owner = False


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person Nummer{n}")
    job_title = "Rådgiver"
    employer = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"person{n}@example.no")
    phone = "71 23 45 67"
    show_phone = True


class FaggruppeIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = FaggruppeIndexPage

    title = "Faggrupper"
    slug = "faggrupper"


class FaggruppePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = FaggruppePage

    title = factory.Sequence(lambda n: f"Faggruppe {n}")
    slug = factory.Sequence(lambda n: f"faggruppe-{n}")
    purpose = "Samordne bruken av IKT innen fagområdet."


class ArbeidsgruppePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ArbeidsgruppePage

    title = factory.Sequence(lambda n: f"Arbeidsgruppe {n}")
    slug = factory.Sequence(lambda n: f"arbeidsgruppe-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    represents = factory.LazyAttribute(lambda o: o.person.employer)
    role = Role.MEMBER
    start_date = datetime.date(2022, 1, 1)


def site_root():
    return Site.objects.get(is_default_site=True).root_page


def make_index(parent=None):
    """The faggruppe overview at /faggrupper/ under the default site's root page."""
    parent = parent or site_root()
    return FaggruppeIndexPageFactory(parent=parent)


def root_page():
    return Page.get_first_root_node()
