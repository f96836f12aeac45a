"""What one row of a bulk-update file means (upkeep/bulk.py builds the review from these).

A row is read against what the user may point at, loaded once for all rows (``RowContext``): the
organisation's own entries, the people its e-mail addresses and names match, the groups the user may
choose. Then the model's own rules are run on each row without a query (``check_model_rules``) and the
overlaps of all rows are checked at once, against the database and each other (``check_overlaps``).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import formats, translation
from django.utils.translation import gettext as _

from faggruppe_pages.models import Membership, Role
from faggruppe_pages.upkeep.bulk_files import COLUMN_BY_FIELD

NEW, CHANGED, ENDED, UNCHANGED, REFUSED, MISSING = "new", "changed", "ended", "unchanged", "refused", "missing"
#: The fields a row sets, in the order changes are listed.
FIELDS = ("person", "group", "role", "start_date", "end_date", "appointed_by", "appointment_reference", "note")
TEXT_FIELDS = ("appointed_by", "appointment_reference", "note")
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y")


@dataclass
class Change:
    field: str
    label: str
    old: str
    new: str


@dataclass
class Item:
    """One row of the review (or, for MISSING, a current entry the file leaves out)."""

    kind: str
    row: int | None
    membership_id: int | None = None
    person: str = ""
    email: str = ""
    group: str = ""
    role: str = ""
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    changes: list = field(default_factory=list)
    reasons: list = field(default_factory=list)
    #: What would be saved: person_id, group_id, role, start_date, end_date and the texts.
    values: dict = field(default_factory=dict)

    def refuse(self, *reasons):
        self.kind = REFUSED
        self.reasons.extend(str(r) for r in reasons)


# -- reading one row ---------------------------------------------------------------------------------------------


def parse_date(text):
    """dd.mm.åååå, ISO (åååå-mm-dd, also what a date cell becomes) or dd/mm/åååå -> date; ValueError otherwise."""
    text = text.strip().split("T")[0].split(" ")[0]
    for fmt in DATE_FORMATS:
        try:
            value = datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if 1900 <= value.year <= 2100:
            return value
    raise ValueError(text)


def _name(text):
    return " ".join(text.split())


def _fold(text):
    return _name(text).casefold()


def _roles():
    """Every way to write a role: its code and its label in Bokmål, Nynorsk and English, without case."""
    found = {}
    for language in ("en", "nn", "nb"):
        with translation.override(language):
            for role in Role:
                found[_fold(str(role.label))] = role.value
    for role in Role:
        found[role.value] = role.value
    return found


def column_label(name):
    """A model field's name as the column of the file that sets it ("represents" -> "Organisasjon"), or None."""
    column = COLUMN_BY_FIELD.get("organisation" if name == "represents" else name)
    return str(column.label) if column else None


def show_date(value):
    return formats.date_format(value, "d.m.Y") if value else ""


class RowContext:
    """What the rows are read against, loaded once for all of them."""

    def __init__(self, organisation, rows, people, groups, present, today):
        self.organisation, self.present, self.today = organisation, set(present), today
        self.own = {
            m.pk: m
            for m in Membership.objects.filter(represents=organisation).select_related("person", "group", "represents")
        }
        emails = {r["values"].get("email", "").strip().lower() for r in rows} - {""}
        names = {_name(r["values"].get("person", "")) for r in rows} - {""}
        self.by_email, self.by_name = defaultdict(dict), defaultdict(dict)
        if emails or names:
            for pk, name, email in people.filter(Q(email__in=emails) | Q(name__in=names)).values_list(
                "pk", "name", "email"
            ):
                self.by_email[(email or "").lower()][pk] = name
                self.by_name[_name(name)][pk] = name
        self.groups = defaultdict(dict)
        for pk, title in groups.values_list("pk", "title"):
            self.groups[_fold(title)][pk] = title
        self.roles = _roles()
        self.organisation_names = {
            _fold(n) for n in (organisation.name, organisation.short_name, organisation.slug) if n
        }


def read_row(row, ctx, seen_ids):
    """One row of the file -> an Item: resolved values, or refused with every reason found."""
    text = {k: (v or "").strip() for k, v in row["values"].items()}
    item = Item(kind=NEW, row=row["row"], person=text.get("person", ""), email=text.get("email", ""))
    item.group = text.get("group", "")
    reasons = []
    saved = None
    raw_id = text.get("id", "")
    if raw_id:
        pk = int(raw_id) if raw_id.isascii() and raw_id.isdigit() and len(raw_id) < 19 else None
        if pk is None:
            reasons.append(_("The ID “%(value)s” is not a number.") % {"value": raw_id})
        elif pk in seen_ids:
            reasons.append(_("ID %(id)s is also in row %(row)s.") % {"id": pk, "row": seen_ids[pk]})
        elif pk not in ctx.own:
            # Another organisation's entry, a withdrawn one or none at all: the same answer, naming nothing.
            reasons.append(
                _("ID %(id)s is not one of the entries of %(organisation)s.")
                % {"id": pk, "organisation": ctx.organisation.display_name}
            )
        else:
            seen_ids[pk] = row["row"]
            saved = ctx.own[pk]
            item.membership_id = pk
        if reasons:  # nothing else of a row that names no entry of the organisation matters
            item.refuse(*reasons)
            return item

    def given(name):
        """The row's text for a field; None when the column is absent and the row keeps the saved value."""
        if name not in ctx.present and saved is not None:
            return None
        return text.get(name, "")

    values = {}
    organisation = given("organisation")
    if organisation and _fold(organisation) not in ctx.organisation_names:
        reasons.append(
            _("The row is for “%(value)s”, but you are updating the entries of %(organisation)s.")
            % {"value": organisation, "organisation": ctx.organisation.display_name}
        )

    # -- group ---------------------------------------------------------------------------------------
    group = given("group")
    if group is None:
        values["group_id"], item.group = saved.group_id, saved.group.title
    elif not group:
        reasons.append(_("The group is missing."))
    elif saved is not None and _fold(group) == _fold(saved.group.title):
        values["group_id"], item.group = saved.group_id, saved.group.title
    else:
        matches = ctx.groups.get(_fold(group), {})
        if len(matches) == 1:
            (values["group_id"], item.group), *_rest = matches.items()
        elif matches:
            reasons.append(
                _("More than one group is called “%(value)s”. Change this entry in its form instead.")
                % {"value": group}
            )
        else:
            reasons.append(_("No group called “%(value)s” is among the groups you can choose.") % {"value": group})

    # -- person: the e-mail address identifies them when given, else the exact name -------------------
    email, name = given("email"), given("person")
    if not email and not name and saved is not None and (email is None or name is None):
        values["person_id"], item.person, item.email = saved.person_id, saved.person.name, saved.person.email
    elif email:
        email = email.lower()
        matches = dict(ctx.by_email.get(email, {}))
        if saved is not None and (saved.person.email or "").lower() == email:
            matches = {saved.person_id: saved.person.name}
        if len(matches) == 1:
            (values["person_id"], item.person), *_rest = matches.items()
            item.email = email
        elif matches:
            reasons.append(
                _("More than one person has the e-mail address “%(value)s”. Change this entry in its form instead.")
                % {"value": email}
            )
        else:
            reasons.append(
                _(
                    "Nobody with the e-mail address “%(value)s” is among the people you can choose. "
                    "Register the person under People first, or check the address."
                )
                % {"value": email}
            )
    elif name:
        matches = dict(ctx.by_name.get(_name(name), {}))
        if saved is not None and _name(saved.person.name) == _name(name):
            matches = {saved.person_id: saved.person.name}
        if len(matches) == 1:
            (values["person_id"], item.person), *_rest = matches.items()
        elif matches:
            reasons.append(
                _("More than one person is called “%(value)s”. Write their e-mail address in the column E-post.")
                % {"value": name}
            )
        else:
            reasons.append(
                _(
                    "Nobody called “%(value)s” is among the people you can choose. "
                    "Register the person under People first, or write their e-mail address in the column E-post."
                )
                % {"value": name}
            )
    else:
        reasons.append(_("The person is missing."))

    # -- role -----------------------------------------------------------------------------------------
    role = given("role")
    if role is None:
        values["role"] = saved.role
    elif not role:
        reasons.append(_("The role is missing."))
    elif _fold(role) in ctx.roles:
        values["role"] = ctx.roles[_fold(role)]
    else:
        reasons.append(
            _("“%(value)s” is not a role. Use one of: %(roles)s.")
            % {"value": role, "roles": ", ".join(str(r.label) for r in Role)}
        )

    # -- dates and texts ------------------------------------------------------------------------------
    for key in ("start_date", "end_date"):
        value = given(key)
        if value is None:
            values[key] = getattr(saved, key)
        elif not value:
            if key == "start_date":
                reasons.append(_("The start date is missing."))
            values[key] = None
        else:
            try:
                values[key] = parse_date(value)
            except ValueError:
                reasons.append(
                    _("%(column)s “%(value)s” is not a date. Write it as dd.mm.yyyy.")
                    % {"column": COLUMN_BY_FIELD[key].label, "value": value}
                )
    for key in TEXT_FIELDS:
        value = given(key)
        limit = Membership._meta.get_field(key).max_length
        if value is None:
            values[key] = getattr(saved, key)
        elif len(value) > limit:
            reasons.append(
                _("%(column)s is too long: at most %(limit)s characters.")
                % {"column": COLUMN_BY_FIELD[key].label, "limit": limit}
            )
        else:
            values[key] = value

    item.start_date, item.end_date = values.get("start_date"), values.get("end_date")
    item.role = str(Role(values["role"]).label) if values.get("role") else text.get("role", "")
    if reasons:
        item.refuse(*reasons)
        return item
    item.values = values
    if saved is not None:
        compare(item, saved)
    return item


def compare(item, saved):
    """CHANGED (with each field's old and new value), ENDED (it gets an end date) or UNCHANGED."""
    old = {f: getattr(saved, f"{f}_id" if f in ("person", "group") else f) for f in FIELDS}
    new = {f: item.values[f"{f}_id" if f in ("person", "group") else f] for f in FIELDS}
    shown_old = {"person": saved.person.name, "group": saved.group.title, "role": saved.get_role_display()}
    shown_new = {"person": item.person, "group": item.group, "role": item.role}
    for name in FIELDS:
        if old[name] != new[name]:
            label = column_label(name)
            if isinstance(old[name], datetime.date) or isinstance(new[name], datetime.date):
                item.changes.append(Change(name, label, show_date(old[name]), show_date(new[name])))
            else:
                item.changes.append(
                    Change(name, label, str(shown_old.get(name, old[name])), str(shown_new.get(name, new[name])))
                )
    if not item.changes:
        item.kind = UNCHANGED
    elif old["end_date"] is None and new["end_date"] is not None:
        item.kind = ENDED
    else:
        item.kind = CHANGED


# -- the model's rules, without a query per row ------------------------------------------------------------------


class _NoClash:
    """Stands in for ``Membership.overlapping()`` while the model checks a row: overlaps are checked for all
    rows at once (``check_overlaps``), against the database and against each other."""

    @staticmethod
    def first():
        return None


def check_model_rules(item, organisation):
    """The model's own validation of the row (role and organisation kind, end before start, field limits)."""
    membership = Membership(pk=item.membership_id, represents=organisation, **item.values)
    membership.overlapping = _NoClash
    try:
        membership.clean_fields(exclude=["person", "group", "represents", "last_verified_by", "withdrawn_by"])
        membership.clean()
    except ValidationError as error:
        messages = []
        for name, errors in error.message_dict.items():
            label = column_label(name)
            messages += [f"{label}: {e}" if label else e for e in errors]
        item.refuse(*messages)


def _overlap(a_start, a_end, b_start, b_end):
    return (a_end is None or b_start <= a_end) and (b_end is None or a_start <= b_end)


def check_overlaps(candidates, organisation):
    """Refuse candidates whose period overlaps another seat of the same person, group and role: a seat in
    the database that the file does not change, or an earlier row of the file. Repeated until stable,
    because a refused change leaves its seat as it was."""
    if not candidates:
        return
    people = {c.values["person_id"] for c in candidates}
    groups = {c.values["group_id"] for c in candidates}
    database = {
        pk: (person, group, role, start, end, represents)
        for pk, person, group, role, start, end, represents in Membership.objects.filter(
            person_id__in=people, group_id__in=groups
        ).values_list("pk", "person_id", "group_id", "role", "start_date", "end_date", "represents_id")
    }
    refused = set()
    while True:
        changed_ids = {c.membership_id for i, c in enumerate(candidates) if i not in refused and c.membership_id}
        seats = defaultdict(list)  # (person, group, role) -> [(candidate index or None, pk, start, end)]
        for pk, (person, group, role, start, end, _org) in database.items():
            if pk not in changed_ids:
                seats[(person, group, role)].append((None, pk, start, end))
        for i, c in enumerate(candidates):
            if i not in refused:
                v = c.values
                seats[(v["person_id"], v["group_id"], v["role"])].append(
                    (i, c.membership_id, v["start_date"], v["end_date"])
                )
        newly = {}
        for entries in seats.values():
            mine = sorted((e for e in entries if e[0] is not None), key=lambda e: candidates[e[0]].row)
            for entry in mine:
                for other in entries:
                    if other is entry or (
                        other[0] is not None
                        and (other[0] in newly or candidates[other[0]].row > candidates[entry[0]].row)
                    ):
                        continue
                    if _overlap(entry[2], entry[3], other[2], other[3]):
                        newly[entry[0]] = other
                        break
        if not newly:
            return
        for i, other in newly.items():
            refused.add(i)
            candidates[i].refuse(_clash_reason(candidates, candidates[i], other, database, organisation))


def _clash_reason(candidates, item, other, database, organisation):
    index, pk, start, _end = other
    if index is not None:
        return _("The same person has the same role in the same group in an overlapping period in row %(row)s.") % {
            "row": candidates[index].row
        }
    params = {
        "person": item.person,
        "role": item.role.lower(),
        "group": item.group,
        "start": show_date(start),
    }
    if database[pk][5] == organisation.pk:
        return _(
            "%(person)s already has the role %(role)s in %(group)s in this period (ID %(id)s, from %(start)s). "
            "To change that entry, write its ID in the column ID."
        ) % {**params, "id": pk}
    return _("%(person)s already has the role %(role)s in %(group)s in this period (from %(start)s).") % params
