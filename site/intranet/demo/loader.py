"""The demo profile: invented but realistic ROR-IKT data for both add-ons, loaded by ``manage.py load_demo``.

Idempotent: every object is looked up by a natural key and only created when
missing, so a second run adds nothing and never overwrites what a user edited.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from faggruppe_pages.models import (
    AccessibilityStatement,
    ArbeidsgruppePage,
    FaggruppeIndexPage,
    FaggruppePage,
    Membership,
    Organisation,
    OrganisationKind,
    Person,
    Role,
)
from faggruppe_pages.upkeep.setup import STAFF_GROUP_NAME, setup_portal
from faggruppe_pages.upkeep.signals import deferred_sync
from intranet.demo import data, governance, work

INDEX_SLUG = "faggrupper"
_ASCII = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e"})


def _ascii(text):
    return text.lower().translate(_ASCII).replace(" ", "")


class DemoLoader:
    def __init__(self, scale=1, log=None):
        self.scale = scale
        self.log = log or (lambda message: None)
        self.now = timezone.now()
        self.created = {"organisations": 0, "people": 0, "pages": 0, "memberships": 0, "users": 0}

    # -- public -------------------------------------------------------------------------
    @transaction.atomic
    def run(self):
        # Group syncing runs once at the end (in setup_portal), not on every save.
        with deferred_sync():
            self.orgs = self.ensure_organisations()
            self.users = self.ensure_users()
            self.index = self.ensure_index_page()
            rep_people = self.ensure_rep_people()
            for copy in range(1, self.scale + 1):
                for number, spec in enumerate(data.GROUPS):
                    group = self.ensure_group(spec, copy)
                    self.ensure_group_members(group, spec, copy, number, rep_people if copy == 1 else {})
                self.log(f"  groups, copy {copy} of {self.scale}")
            self.ensure_arbeidsgrupper()
        self.ensure_rights()
        self.ensure_accessibility_statement()
        governance.load_demo(self)
        work.load_demo(self)
        return self.created

    # -- organisations, users, people ---------------------------------------------------
    def ensure_organisations(self):
        orgs = {}
        orgs["ror-ikt"] = self._get_or_create(
            Organisation,
            "organisations",
            slug=data.COOPERATION["slug"],
            defaults={
                "name": data.COOPERATION["name"],
                "short_name": data.COOPERATION["short_name"],
                "kind": OrganisationKind.COOPERATION,
                "member_from": datetime.date(2014, 1, 1),
            },
        )
        for slug, name, number, member_from, member_to, _merged in data.MUNICIPALITIES:
            orgs[slug] = self._get_or_create(
                Organisation,
                "organisations",
                slug=slug,
                defaults={
                    "name": name,
                    "short_name": data.MUNICIPALITY_SHORT[slug],
                    "kind": OrganisationKind.MUNICIPALITY,
                    "municipality_number": number,
                    "is_owner": True,
                    "member_from": member_from,
                    "member_to": member_to,
                },
            )
        for slug, *_rest, merged in data.MUNICIPALITIES:
            if merged and orgs[slug].merged_into_id is None:
                orgs[slug].merged_into = orgs[merged]
                orgs[slug].save(update_fields=["merged_into"])
        for slug, name in data.UNIONS:
            orgs[slug] = self._get_or_create(
                Organisation, "organisations", slug=slug, defaults={"name": name, "kind": OrganisationKind.UNION}
            )
        return orgs

    def ensure_users(self):
        User = get_user_model()
        users = {}
        for username, first, last, what in data.DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@demo.ror-ikt.no",
                    "is_superuser": what == "superuser",
                    "is_staff": what == "superuser",
                },
            )
            if created:
                user.set_password(data.DEMO_PASSWORD)
                user.save(update_fields=["password"])
                self.created["users"] += 1
            users[username] = user
        return users

    def ensure_rights(self):
        """Staff group and workflow (setup_portal), then each representative into their organisation's group."""
        setup_portal()
        self.users["redaksjon"].groups.add(Group.objects.get(name=STAFF_GROUP_NAME))
        for username, _first, _last, what in data.DEMO_USERS:
            if what in self.orgs:
                group = Organisation.objects.get(pk=self.orgs[what].pk).representatives_group
                self.users[username].groups.add(group)

    def ensure_accessibility_statement(self):
        """The site's accessibility statement, filled once (an edited statement is left as it is)."""
        statement = AccessibilityStatement.for_site(Site.objects.get(is_default_site=True))
        if statement.made_on is None:
            for name, value in data.ACCESSIBILITY_STATEMENT.items():
                setattr(statement, name, value)
            statement.save()

    def ensure_rep_people(self):
        """Each municipality's demo representative is a person with a user account."""
        people = {}
        for username, first, last, what in data.DEMO_USERS:
            if what not in data.CURRENT_MUNICIPALITIES:
                continue  # the union's representative manages tillitsvalgte; they sit in no group themselves
            user = self.users[username]
            people[what] = self._get_or_create(
                Person,
                "people",
                email=f"{_ascii(first)}.{_ascii(last)}@{what}.kommune.no",
                defaults={
                    "name": f"{first} {last}",
                    "job_title": "Digitaliseringsrådgiver",
                    "employer": self.orgs[what],
                    "phone": "71 11 22 33",
                    "show_phone": True,
                    "user": user,
                },
            )
        return people

    def person(self, k, employer_slug, job_title, copy):
        first = data.FIRST_NAMES[k % 30]
        last = data.LAST_NAMES[(7 * (k % 30) + k // 30) % 30]
        domain = "ror-ikt.no" if employer_slug == "ror-ikt" else f"{employer_slug}.kommune.no"
        suffix = "" if copy == 1 else str(copy)
        return self._get_or_create(
            Person,
            "people",
            email=f"{_ascii(first)}.{_ascii(last)}{suffix}@{domain}",
            defaults={
                "name": f"{first} {last}",
                "job_title": job_title,
                "employer": self.orgs[employer_slug],
                "phone": f"9{k % 10}{(k * 7) % 10} {(k * 37) % 100:02d} {(k * 53) % 1000:03d}",
                "show_phone": k % 3 != 0,
            },
        )

    # -- pages --------------------------------------------------------------------------
    def ensure_index_page(self):
        site = Site.objects.get(is_default_site=True)
        root = site.root_page
        if root.title.startswith("Welcome to your new Wagtail site"):
            root.title = "Intranett"
            root.save(update_fields=["title"])
        index = FaggruppeIndexPage.objects.child_of(root).filter(slug=INDEX_SLUG).first()
        if index is None:
            # No copy of a mandate on the overview page: it shows the mandate in force (governance's hook).
            index = FaggruppeIndexPage(title="Faggrupper", slug=INDEX_SLUG, intro=data.INDEX_INTRO)
            self._publish_child(root, index)
        return index

    def ensure_group(self, spec, copy):
        slug = spec["slug"] if copy == 1 else f"{spec['slug']}-{copy}"
        group = FaggruppePage.objects.child_of(self.index).filter(slug=slug).first()
        if group is None:
            group = FaggruppePage(
                title=spec["title"] if copy == 1 else f"{spec['title']} {copy}",
                slug=slug,
                purpose=spec["purpose"],
                area=spec["area"],
                contact_email=f"{spec['slug']}@ror-ikt.no",
            )
            self._publish_child(self.index, group)
        return group

    def ensure_arbeidsgrupper(self):
        for k, (parent_slug, slug, title, kind, assignment, starts, ends, closed_on) in enumerate(data.ARBEIDSGRUPPER):
            parent = FaggruppePage.objects.child_of(self.index).get(slug=parent_slug)
            group = ArbeidsgruppePage.objects.child_of(parent).filter(slug=slug).first()
            if group is None:
                group = ArbeidsgruppePage(
                    title=title,
                    slug=slug,
                    kind=kind,
                    assignment=assignment,
                    purpose=assignment,
                    starts_on=starts,
                    ends_on=ends,
                    status="closed" if closed_on else "active",
                    closed_on=closed_on,
                )
                self._publish_child(parent, group)
            seats = [("molde", Role.LEADER), ("rauma", Role.MEMBER), ("aukra", Role.MEMBER), ("ror-ikt", Role.ADVISER)]
            for seat, (org, role) in enumerate(seats):
                person = self.person(100 + 10 * k + seat, org, "Systemansvarlig", 1)
                end = closed_on if closed_on else None
                self.membership(person, group, self.orgs[org], role, starts, end, verified_days_ago=60)

    # -- memberships --------------------------------------------------------------------
    def ensure_group_members(self, group, spec, copy, number, rep_people):
        job_title = data.JOB_TITLES[spec["slug"]]
        days = spec["verified_days_ago"]
        seat = 0

        def next_k():
            nonlocal seat
            seat += 1
            return number * 10 + seat - 1

        for muni in data.CURRENT_MUNICIPALITIES:
            if muni in spec["missing"]:
                continue
            role = Role.LEADER if spec["leader"] == muni else Role.MEMBER
            person = rep_people.get(muni) if spec["slug"] in REP_SEATS.get(muni, ()) else None
            person = person or self.person(next_k(), muni, job_title, copy)
            self.membership(person, group, self.orgs[muni], role, datetime.date(2022, 1, 1), None, days)
        for muni in spec["extra"]:
            person = self.person(next_k(), muni, job_title, copy)
            self.membership(person, group, self.orgs[muni], Role.MEMBER, datetime.date(2024, 8, 1), None, days)
        adviser_role = Role.LEADER if spec["leader"] == "ror-ikt" else Role.ADVISER
        person = self.person(next_k(), "ror-ikt", "Rådgiver tjenesteutvikling", copy)
        self.membership(person, group, self.orgs["ror-ikt"], adviser_role, datetime.date(2021, 3, 1), None, days)
        if spec["union"]:
            employer = data.CURRENT_MUNICIPALITIES[number % 5]
            person = self.person(next_k(), employer, "Hovedtillitsvalgt", copy)
            self.membership(
                person, group, self.orgs[spec["union"]], Role.UNION_REP, datetime.date(2023, 1, 1), None, days
            )
        # A former member, so every list has history.
        former_org = data.CURRENT_MUNICIPALITIES[(number + 2) % 5]
        person = self.person(next_k(), former_org, job_title, copy)
        self.membership(
            person,
            group,
            self.orgs[former_org],
            Role.MEMBER,
            datetime.date(2020, 1, 1),
            datetime.date(2021, 12, 31),
            900,
        )
        if spec["slug"] == "teknisk":
            person = self.person(next_k(), "midsund", "Teknisk sjef", copy)
            self.membership(
                person,
                group,
                self.orgs["midsund"],
                Role.MEMBER,
                datetime.date(2016, 1, 1),
                datetime.date(2019, 12, 31),
                2000,
            )
        if spec["slug"] == "oppvekst-og-utdanning":
            person = self.person(next_k(), "molde", "Rektor", copy)
            self.membership(person, group, self.orgs["molde"], Role.SUBSTITUTE, datetime.date(2022, 1, 1), None, days)
            # A term ending within 30 days of loading the demo, for the reminders (send_reminders).
            person = self.person(next_k(), "vestnes", job_title, copy)
            ends = timezone.localdate(self.now) + datetime.timedelta(days=21)
            self.membership(person, group, self.orgs["vestnes"], Role.SUBSTITUTE, datetime.date(2024, 1, 1), ends, days)

    def membership(self, person, group, represents, role, start, end, verified_days_ago):
        verified_at = None if verified_days_ago is None else self.now - datetime.timedelta(days=verified_days_ago)
        self._get_or_create(
            Membership,
            "memberships",
            person=person,
            group=group,
            role=role,
            defaults={
                "represents": represents,
                "start_date": start,
                "end_date": end,
                "appointed_by": represents.name,
                "last_verified_at": verified_at,
            },
        )

    # -- helpers ------------------------------------------------------------------------
    def _get_or_create(self, model, counter, defaults=None, **lookup):
        obj, created = model.objects.get_or_create(defaults=defaults or {}, **lookup)
        if created:
            self.created[counter] += 1
        return obj

    def _publish_child(self, parent, page):
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.created["pages"] += 1


#: Which group each demo representative sits in themselves (municipality -> group slugs).
REP_SEATS = {
    "molde": ("oppvekst-og-utdanning",),
    "rauma": ("helse-og-velferd",),
    "aukra": ("personvern-og-informasjonssikkerhet",),
    "vestnes": ("okonomi",),
    "hustadvika": ("dokumentasjonsforvaltning",),
}
