"""Contact cards (vCard 3.0) of a person and of a group's members."""

import vobject

from faggruppe_pages.models import Role
from faggruppe_pages.reader.exports.titles import file_slug


def person_vcard(person, memberships=()):
    """One vCard 3.0 for a person: name, employer, title, work e-mail, the phone only if shown to readers."""
    card = vobject.vCard()
    card.add("fn").value = person.name
    given, _sep, family = person.name.rpartition(" ")
    card.add("n").value = vobject.vcard.Name(family=family or person.name, given=given)
    org = card.add("org")
    org.value = [person.employer.name, person.unit] if person.unit else [person.employer.name]
    if person.job_title:
        card.add("title").value = person.job_title
    if person.reader_email:
        email = card.add("email")
        email.value = person.reader_email
        email.type_param = "WORK"
    if person.public_phone:
        tel = card.add("tel")
        tel.value = person.public_phone
        tel.type_param = "WORK"
    # A union representative's role already names the union: "Tillitsvalgt (Fagforbundet), Teknisk".
    roles = [
        f"{m.role_label}, {m.group.title}" + ("" if m.role == Role.UNION_REP else f" ({m.represents.display_name})")
        for m in memberships
    ]
    if roles:
        card.add("note").value = "\n".join(str(r) for r in roles)
    card.add("uid").value = f"urn:faggruppe-person:{person.pk}"
    return card.serialize()


def group_vcards(group, memberships):
    """The active members of a group, one vCard each (a person with two roles appears once)."""
    by_person = {}
    for m in memberships:
        by_person.setdefault(m.person_id, (m.person, []))[1].append(m)
    return "".join(person_vcard(person, seats) for person, seats in by_person.values())


def vcard_filename(name):
    return f"{file_slug(name, 'kontakter')}.vcf"
