"""Updating an organisation's entries from a spreadsheet: what each row means, what would change, applying it.

``review`` turns the rows of a file (``bulk_files.read_table``: plain text) into a ``Review`` without
writing anything: new seats, changed fields, ended seats, unchanged rows, refused rows (each with its
row number and reason) and the current entries the file leaves out (kept as they are). What a row may
point at is passed in by the caller (the querysets of ``admin/boundary.py``), so an upload can never do
what the membership form would refuse to the same user. Lookups are made in bulk: the number of queries
does not grow with the rows.

``apply`` recomputes the review inside one transaction and applies nothing if the organisation's entries
or the review changed since the user saw it (``Stale``). Otherwise every new or changed row is validated
by the model (``clean``, uniqueness, constraints: overlaps, end before start, duplicates), saved with a
revision and one audit-log entry, and stamped as confirmed; unchanged current rows are confirmed
(``VERIFY_ACTION``). One row failing refuses them all (``ApplyFailed``).
"""

import datetime
import hashlib
import json
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.permissions import policy_registry

from faggruppe_pages.models import BulkUpload, GroupPage, Membership, Person
from faggruppe_pages.upkeep.bulk_files import COLUMN_BY_FIELD
from faggruppe_pages.upkeep.bulk_rows import (
    CHANGED,
    ENDED,
    MISSING,
    NEW,
    REFUSED,
    UNCHANGED,
    Item,
    RowContext,
    check_model_rules,
    check_overlaps,
    read_row,
)
from faggruppe_pages.upkeep.confirmation import verify
from faggruppe_pages.upkeep.signals import deferred_sync

#: The audit-log actions of a bulk update (labels in admin/bulk.py, registered in wagtail_hooks).
BULK_CREATE_ACTION = "faggruppe_pages.bulk_create"
BULK_EDIT_ACTION = "faggruppe_pages.bulk_edit"
#: An upload not confirmed or cancelled by then is deleted.
UPLOAD_EXPIRES_AFTER = datetime.timedelta(days=1)
#: New, changed and ended rows saved by one confirmation. Each costs what a save in the form costs (revision,
#: log entry, reference index: some 20-50 ms); more would risk the server's request timeout. Unchanged rows
#: are only stamped, in one query, and do not count.
MAX_CHANGES = 500


@dataclass
class Review:
    organisation: object
    items: list
    ignored_columns: list = field(default_factory=list)

    def of(self, kind):
        return [item for item in self.items if item.kind == kind]

    @property
    def new(self):
        return self.of(NEW)

    @property
    def changed(self):
        return self.of(CHANGED)

    @property
    def ended(self):
        return self.of(ENDED)

    @property
    def unchanged(self):
        return self.of(UNCHANGED)

    @property
    def refused(self):
        return self.of(REFUSED)

    @property
    def missing(self):
        return self.of(MISSING)

    @property
    def accepted(self):
        return [item for item in self.items if item.kind in (NEW, CHANGED, ENDED)]

    @property
    def too_many(self):
        return len(self.accepted) > MAX_CHANGES

    @property
    def digest(self):
        """What confirming would do, as a hash: the same file over the same data gives the same digest."""
        plan = [self.organisation.pk]
        for item in self.items:
            if item.kind in (NEW, CHANGED, ENDED, UNCHANGED):
                plan.append([item.kind, item.row, item.membership_id, sorted(item.values.items())])
        return hashlib.sha256(json.dumps(plan, default=str).encode()).hexdigest()


# -- the review --------------------------------------------------------------------------------------------------


def review(organisation, rows, *, people, groups, present=None, ignored=(), today=None):
    """What the rows would change for ``organisation``. ``people`` and ``groups``: the querysets the user may
    point at (``admin/boundary.py``); ``present``: the fields whose columns the file has (default: all)."""
    today = today or timezone.localdate()
    present = list(COLUMN_BY_FIELD) if present is None else present
    ctx = RowContext(organisation, rows, people, groups, present, today)
    seen_ids = {}
    items = [read_row(row, ctx, seen_ids) for row in rows]
    candidates = [item for item in items if item.kind in (NEW, CHANGED, ENDED)]
    for item in candidates:
        check_model_rules(item, organisation)
    check_overlaps([item for item in candidates if item.kind != REFUSED], organisation)
    for pk, m in sorted(ctx.own.items(), key=lambda kv: (kv[1].group.title, kv[1].person.name)):
        if pk not in seen_ids and not (m.end_date and m.end_date < today):
            items.append(
                Item(
                    kind=MISSING,
                    row=None,
                    membership_id=pk,
                    person=m.person.name,
                    email=m.person.email,
                    group=m.group.title,
                    role=m.get_role_display(),
                    start_date=m.start_date,
                    end_date=m.end_date,
                )
            )
    return Review(organisation=organisation, items=items, ignored_columns=list(ignored))


def review_upload(upload, *, people, groups, today=None):
    columns = upload.columns or {}
    return review(
        upload.organisation,
        upload.rows,
        people=people,
        groups=groups,
        present=columns.get("present"),
        ignored=columns.get("ignored", ()),
        today=today,
    )


def current_entries(organisation, today=None):
    """The entries the download holds: current and coming, not ended ones."""
    return (
        Membership.objects.filter(represents=organisation)
        .not_ended(today or timezone.localdate())
        .select_related("person", "group", "represents")
        .order_by("group__title", "person__name", "start_date", "pk")
    )


def entries_fingerprint(organisation, lock=False):
    """A hash of the organisation's entries as the bulk update reads them (any save changes it; a
    confirmation stamp does not, it changes nothing a row compares)."""
    rows = Membership.all_objects.filter(represents=organisation).order_by("pk")
    if lock:
        rows = rows.select_for_update()
    values = list(
        rows.values_list(
            "pk",
            "person_id",
            "group_id",
            "role",
            "start_date",
            "end_date",
            "appointed_by",
            "appointment_reference",
            "note",
            "withdrawn_at",
            "updated_at",
        )
    )
    return hashlib.sha256(json.dumps(values, default=str).encode()).hexdigest()


def new_upload(user, organisation, file_name, table, *, people, groups):
    """Keep the rows of ``table`` for review (replacing the user's earlier upload for the organisation)."""
    columns = {"present": table.present, "ignored": table.ignored}
    result = review(
        organisation, table.rows, people=people, groups=groups, present=table.present, ignored=table.ignored
    )
    with transaction.atomic():
        BulkUpload.objects.filter(user=user, organisation=organisation).delete()
        upload = BulkUpload.objects.create(
            user=user,
            organisation=organisation,
            file_name=(file_name or "")[-255:],
            rows=table.rows,
            columns=columns,
            fingerprint=entries_fingerprint(organisation),
            digest=result.digest,
        )
    return upload, result


def expire_uploads(now=None):
    """Delete uploads nobody confirmed or cancelled in time (they hold personal data)."""
    BulkUpload.objects.filter(created_at__lt=(now or timezone.now()) - UPLOAD_EXPIRES_AFTER).delete()


# -- applying ----------------------------------------------------------------------------------------------------


class Stale(Exception):
    """The entries or the review changed since the user saw it: nothing was applied."""

    def __init__(self, fresh):
        super().__init__("stale review")
        self.review = fresh


class TooMany(Exception):
    """More rows would change than one confirmation saves (``MAX_CHANGES``): nothing was applied."""


class Gone(Exception):
    """The upload was confirmed or cancelled meanwhile (another tab, a double click)."""


class ApplyFailed(Exception):
    """A row failed the model's validation when it was saved: nothing was applied."""

    def __init__(self, row, messages):
        super().__init__(f"row {row}: {messages}")
        self.row, self.messages = row, messages


@dataclass
class Applied:
    new: int = 0
    changed: int = 0
    ended: int = 0
    confirmed: int = 0


def apply(upload, *, user, people, groups, digest, now=None):
    """Apply the upload's accepted rows as ``user`` if nothing changed since the review with ``digest``."""
    now = now or timezone.now()
    organisation = upload.organisation
    policy = policy_registry.get_by_type(Membership)
    with transaction.atomic():
        if not BulkUpload.objects.select_for_update().filter(pk=upload.pk).exists():
            raise Gone
        fingerprint = entries_fingerprint(organisation, lock=True)
        fresh = review_upload(upload, people=people, groups=groups, today=timezone.localdate(now))
        if fingerprint != upload.fingerprint or fresh.digest != upload.digest or digest != upload.digest:
            raise Stale(fresh)
        if fresh.too_many:
            raise TooMany
        done = Applied()
        saved = Membership.objects.select_for_update().in_bulk(
            [i.membership_id for i in fresh.accepted if i.membership_id]
        )
        # Page rights follow the memberships once, for every group a row leaves or joins, in this transaction.
        pages = {i.values["group_id"] for i in fresh.accepted} | {m.group_id for m in saved.values()}
        # Loaded once, so that validating and logging a row (its str()) reads no row of its own.
        person_of = Person.objects.in_bulk({i.values["person_id"] for i in fresh.accepted})
        group_of = GroupPage.objects.in_bulk(pages)
        with deferred_sync(pages):
            for item in fresh.accepted:
                if item.kind == NEW:
                    membership = Membership(represents=organisation, **item.values)
                    action, permission = BULK_CREATE_ACTION, "add"
                else:
                    membership = saved[item.membership_id]
                    for name, value in item.values.items():
                        setattr(membership, name, value)
                    action, permission = BULK_EDIT_ACTION, "change"
                membership.represents = organisation
                membership.person, membership.group = person_of[membership.person_id], group_of[membership.group_id]
                if not policy.user_has_permission_for_instance(user, permission, membership):
                    raise ApplyFailed(item.row, [_("You may not change this entry.")])
                membership.last_verified_at, membership.last_verified_by = now, user  # saving confirms
                data = {"file": upload.file_name, "row": item.row, "organisation": organisation.pk}
                if item.kind != NEW:
                    data["fields"] = [c.field for c in item.changes]
                try:
                    _save(membership, user, action, data)
                except ValidationError as error:
                    raise ApplyFailed(item.row, error.messages) from error
                done.new += item.kind == NEW
                done.changed += item.kind == CHANGED
                done.ended += item.kind == ENDED
        done.confirmed = _confirm_unchanged(fresh, organisation, upload, user, now)
        upload.delete()
    return done


#: Resolved from the database by the review, in this transaction: not looked up again row by row.
_FOREIGN_KEYS = ["person", "group", "represents", "last_verified_by", "withdrawn_by"]


def _save(membership, user, action, data):
    """What Wagtail's CreateAction and EditAction do for a snippet (validate, save, revision, log entry),
    with the model validated once: its fields, ``clean()`` (overlaps, end before start, role and kind of
    organisation), uniqueness and constraints, each against the database as it is now."""
    membership.clean_fields(exclude=_FOREIGN_KEYS)
    membership.clean()
    membership.validate_unique()
    membership.validate_constraints()
    membership.save()
    revision = membership.save_revision(user=user, clean=False)
    # Its own uuid: Wagtail's history shows one entry per uuid and action, across objects.
    log(membership, action, user=user, revision=revision, data=data, content_changed=True, uuid=uuid.uuid4())


def _confirm_unchanged(fresh, organisation, upload, user, now):
    """The uploader went through the unchanged current rows: stamp them confirmed, one log entry each."""
    items = {i.membership_id: i for i in fresh.unchanged}
    return verify(
        organisation,
        user,
        ids=list(items),
        now=now,
        coming_too=True,
        log_data=lambda m: {"file": upload.file_name, "row": items[m.pk].row},
    )
