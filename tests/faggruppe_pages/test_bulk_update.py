"""Updating an organisation's entries from a spreadsheet: download, upload, review, confirm or cancel
(faggruppe_pages/upkeep/bulk*.py, admin/bulk.py)."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook
from wagtail.models import ModelLogEntry, Revision

from faggruppe_pages.admin.bulk import pointable
from faggruppe_pages.models import BulkUpload, Membership, Role
from faggruppe_pages.upkeep import bulk, bulk_rows
from faggruppe_pages.upkeep.bulk_files import HEADERS, MAX_ROWS, UploadError, read_table
from faggruppe_pages.upkeep.setup import ensure_staff_group
from tests.factories import (
    FaggruppePageFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UnionFactory,
    UserFactory,
    make_index,
)

pytestmark = pytest.mark.django_db

OUR_ENTRIES = "/admin/vare-oppforinger/"
UPLOAD = "/admin/vare-oppforinger/regneark/"
DOWNLOAD = "/admin/vare-oppforinger/regneark/last-ned/"


def review_url(pk):
    return f"{UPLOAD}{pk}/"


@pytest.fixture
def world(db):
    index = make_index()
    groups = {t: FaggruppePageFactory(parent=index, title=t) for t in ("Teknisk", "Økonomi", "Helse")}
    molde = OrganisationFactory(slug="molde", name="Molde kommune", short_name="Molde")
    rauma = OrganisationFactory(slug="rauma", name="Rauma kommune", short_name="Rauma")
    union = UnionFactory(name="Fagforbundet", slug="fagforbundet")
    for org in (molde, rauma, union):
        org.refresh_from_db()
    rep = UserFactory(username="rep-molde", first_name="Mona", last_name="Moldestad")
    rep.groups.add(molde.representatives_group)
    other = UserFactory(username="rep-rauma")
    other.groups.add(rauma.representatives_group)
    staff = UserFactory(username="redaksjon")
    staff.groups.add(ensure_staff_group())
    people = {
        "mons": PersonFactory(employer=molde, name="Mons Molde", email="mons@molde.kommune.no"),
        "mari": PersonFactory(employer=molde, name="Mari Molde", email="mari@molde.kommune.no"),
        "nils": PersonFactory(employer=molde, name="Nils Ny", email="nils@molde.kommune.no"),
        "rolf": PersonFactory(employer=rauma, name="Rolf Rauma", email="rolf@rauma.kommune.no"),
    }
    seats = {
        "mons": MembershipFactory(group=groups["Teknisk"], person=people["mons"], represents=molde),
        "mari": MembershipFactory(group=groups["Økonomi"], person=people["mari"], represents=molde, role=Role.LEADER),
        "rolf": MembershipFactory(group=groups["Teknisk"], person=people["rolf"], represents=rauma),
        "old": MembershipFactory(
            group=groups["Helse"],
            person=people["mons"],
            represents=molde,
            start_date=datetime.date(2015, 1, 1),
            end_date=datetime.date(2018, 12, 31),
        ),
    }
    return {
        "molde": molde,
        "rauma": rauma,
        "union": union,
        "rep": rep,
        "other": other,
        "staff": staff,
        "groups": groups,
        "people": people,
        "seats": seats,
    }


# -- files --------------------------------------------------------------------------------------------------------
def row(**values):
    """A row in the download's column order, from field names."""
    fields = ["id", "group", "person", "email", "organisation", "role", "start_date", "end_date"]
    fields += ["appointed_by", "appointment_reference", "note"]
    return [values.get(f, "") for f in fields]


def seat_row(m, **changes):
    values = {
        "id": m.pk,
        "group": m.group.title,
        "person": m.person.name,
        "email": m.person.email,
        "organisation": m.represents.name,
        "role": m.get_role_display(),
        "start_date": m.start_date.strftime("%d.%m.%Y"),
        "end_date": m.end_date.strftime("%d.%m.%Y") if m.end_date else "",
        "appointed_by": m.appointed_by,
        "appointment_reference": m.appointment_reference,
        "note": m.note,
    }
    values.update(changes)
    return row(**values)


def xlsx(rows, headers=HEADERS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_file(rows, headers=HEADERS, delimiter=";", encoding="utf-8-sig"):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def named(content, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def post_upload(client, organisation, content, name="oppforinger.xlsx"):
    return client.post(UPLOAD, {"organisation": organisation.pk, "file": named(content, name)})


def uploaded(client, organisation, content, name="oppforinger.xlsx"):
    response = post_upload(client, organisation, content, name)
    assert response.status_code == 302, response.content.decode()[:3000]
    upload = BulkUpload.objects.get()
    assert response["Location"] == review_url(upload.pk)
    return upload


def review_of(user, organisation, rows, headers=HEADERS):
    table = read_table(xlsx(rows, headers), "fil.xlsx")
    with translation.override("nb"):
        return bulk.review(organisation, table.rows, present=table.present, **pointable(user))


def snapshot():
    return (
        list(Membership.all_objects.order_by("pk").values()),
        Revision.objects.count(),
        ModelLogEntry.objects.count(),
    )


def reasons(result):
    return {item.row: " ".join(item.reasons) for item in result.refused}


# -- download -----------------------------------------------------------------------------------------------------
def test_download_holds_the_current_entries_in_the_columns_the_upload_reads(client, world):
    m = world["seats"]["mons"]
    Membership.objects.filter(pk=m.pk).update(note='=HYPERLINK("http://x","klikk")', appointed_by="Rådmannen")
    client.force_login(world["rep"])
    response = client.get(DOWNLOAD, {"organisation": world["molde"].pk})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="oppforinger-molde-')
    assert "no-store" in response["Cache-Control"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    by_id = {r[0]: r for r in rows[1:]}
    assert set(by_id) == {m.pk, world["seats"]["mari"].pk}  # not Rauma's, not the ended one
    mons = by_id[m.pk]
    assert mons[1:7] == ("Teknisk", "Mons Molde", "mons@molde.kommune.no", "Molde kommune", "Medlem", mons[6])
    assert mons[6].date() == datetime.date(2022, 1, 1) and mons[7] is None
    assert mons[8] == "Rådmannen"
    assert mons[10] == '\'=HYPERLINK("http://x","klikk")'  # the formula guard, on every cell written


def test_download_then_upload_of_the_same_file_changes_nothing_and_confirms_the_rows(client, world):
    m = world["seats"]["mons"]
    Membership.objects.filter(pk=m.pk).update(note="=1+1 er to", appointment_reference="-5")
    client.force_login(world["rep"])
    content = client.get(DOWNLOAD, {"organisation": world["molde"].pk}).content
    entries, revisions, _logs = snapshot()
    upload = uploaded(client, world["molde"], content)
    page = client.get(review_url(upload.pk)).content.decode()
    assert "2 uendrede oppføringer" in page and "0 nye plasser" in page and "0 avviste rader" in page
    assert "0 endrede oppføringer" in page and "0 avsluttede plasser" in page
    response = client.post(review_url(upload.pk) + "bekreft/", {"digest": upload.digest}, follow=True)
    assert "0 nye, 0 endret, 0 avsluttet; 2 uendrede oppføringer bekreftet" in response.content.decode()
    after = list(Membership.all_objects.order_by("pk").values())
    strip = ("last_verified_at", "last_verified_by_id", "updated_at")
    assert [{k: v for k, v in r.items() if k not in strip} for r in after] == [
        {k: v for k, v in r.items() if k not in strip} for r in entries
    ]
    assert Revision.objects.count() == revisions  # nothing was saved as a change
    confirmed = ModelLogEntry.objects.filter(action="faggruppe_pages.verify")
    assert sorted(confirmed.values_list("object_id", flat=True)) == sorted(
        str(world["seats"][k].pk) for k in ("mons", "mari")
    )
    for key in ("mons", "mari"):
        world["seats"][key].refresh_from_db()
        assert world["seats"][key].last_verified_by == world["rep"]
    assert not BulkUpload.objects.exists()


# -- the review ----------------------------------------------------------------------------------------------------
def test_review_sorts_rows_into_new_changed_ended_unchanged_and_missing(world):
    s, g = world["seats"], world["groups"]
    extra = MembershipFactory(group=g["Helse"], person=world["people"]["mari"], represents=world["molde"])
    result = review_of(
        world["rep"],
        world["molde"],
        [
            seat_row(s["mons"], role="Nestleder", note="Ny merknad"),  # row 2: changed
            seat_row(s["mari"], end_date="31.12.2026"),  # row 3: ended
            row(group="Helse", email="NILS@molde.kommune.no", role="medlem", start_date="2026-01-01"),  # 4: new
            seat_row(s["old"]),  # row 5: unchanged (an ended entry, named by its ID)
        ],
    )
    assert [(i.kind, i.row) for i in result.items if i.row] == [
        ("changed", 2),
        ("ended", 3),
        ("new", 4),
        ("unchanged", 5),
    ]
    changed = result.changed[0]
    assert [(c.field, c.old, c.new) for c in changed.changes] == [
        ("role", "Medlem", "Nestleder"),
        ("note", "", "Ny merknad"),
    ]
    assert result.ended[0].end_date == datetime.date(2026, 12, 31)
    new = result.new[0]
    assert new.values["person_id"] == world["people"]["nils"].pk and new.values["group_id"] == g["Helse"].pk
    assert [(i.kind, i.membership_id) for i in result.missing] == [("missing", extra.pk)]
    assert not result.refused


def test_every_refused_row_has_its_number_and_a_norwegian_reason(world):
    s, people = world["seats"], world["people"]
    twin = PersonFactory(employer=world["molde"], name="Mari Molde", email="mari2@molde.kommune.no")
    assert twin.pk
    new = {"group": "Helse", "role": "Medlem", "start_date": "01.01.2026"}
    result = review_of(
        world["rep"],
        world["molde"],
        [
            seat_row(s["rolf"]),  # 2: another organisation's entry by its ID
            row(**new, email="nils@molde.kommune.no", organisation="Rauma kommune"),  # 3: another organisation
            row(**new, email="ukjent@molde.kommune.no"),  # 4: unknown person
            row(**new, email="rolf@rauma.kommune.no"),  # 5: a person the user may not choose
            row(**{**new, "group": "Finnes ikke"}, email="nils@molde.kommune.no"),  # 6: unknown group
            row(**{**new, "start_date": "31.02.2026"}, email="nils@molde.kommune.no"),  # 7: invalid date
            row(**new, email="nils@molde.kommune.no", end_date="01.01.2025"),  # 8: end before start
            row(**{**new, "group": "Teknisk"}, email="nils@molde.kommune.no"),  # 9: accepted
            row(**{**new, "group": "Teknisk"}, email="nils@molde.kommune.no"),  # 10: duplicate of row 9
            row(group="Teknisk", person="Mons Molde", role="Medlem", start_date="01.06.2024"),  # 11: duplicate seat
            seat_row(s["mons"]),  # 12: accepted (unchanged)
            seat_row(s["mons"], note="igjen"),  # 13: the same ID twice
            row(**{**new, "role": "Sjef"}, email="nils@molde.kommune.no"),  # 14: unknown role
            row(**new, id="abc", email="nils@molde.kommune.no"),  # 15: not a number
            row(**new, person="Mari Molde"),  # 16: two people with this name
            row(**{**new, "role": "Tillitsvalgt"}, email="nils@molde.kommune.no"),  # 17: model rule
            row(**{**new, "start_date": ""}, email="nils@molde.kommune.no"),  # 18: no start date
            row(**{**new, "group": "Økonomi"}, person=people["nils"].name),  # 19: accepted, found by exact name
        ],
    )
    why = reasons(result)
    assert set(why) == {2, 3, 4, 5, 6, 7, 8, 10, 11, 13, 14, 15, 16, 17, 18}
    assert why[2] == f"ID {s['rolf'].pk} er ikke en av oppføringene til Molde."
    assert "Rolf" not in why[2] and "Rauma" not in why[2]  # names nothing of the other organisation's entry
    assert why[3] == "Raden gjelder «Rauma kommune», men du oppdaterer oppføringene til Molde."
    assert why[4].startswith("Ingen med e-postadressen «ukjent@molde.kommune.no» er blant personene du kan velge.")
    assert why[5].startswith("Ingen med e-postadressen «rolf@rauma.kommune.no» er blant personene du kan velge.")
    assert why[6] == "Ingen gruppe som heter «Finnes ikke», er blant gruppene du kan velge."
    assert why[7] == "Startdato «31.02.2026» er ikke en dato. Skriv den som dd.mm.åååå."
    assert why[8] == "Sluttdato: Sluttdatoen kan ikke være før startdatoen."
    assert why[10] == "Samme person har samme rolle i samme gruppe i en overlappende periode i rad 9."
    assert why[11] == (
        f"Mons Molde har allerede rollen medlem i Teknisk i denne perioden (ID {s['mons'].pk}, fra 01.01.2022). "
        "Skriv ID-en i kolonnen ID for å endre den oppføringen."
    )
    assert why[13] == f"ID {s['mons'].pk} står også i rad 12."
    assert why[14].startswith("«Sjef» er ikke en rolle. Bruk en av: Leder, Nestleder, Medlem")
    assert why[15] == "ID-en «abc» er ikke et tall."
    assert why[16] == "Flere personer heter «Mari Molde». Skriv e-postadressen deres i kolonnen E-post."
    assert why[17] == "Organisasjon: En tillitsvalgt må representere en fagforening."
    assert why[18] == "Startdato mangler."
    assert [(i.row, i.kind) for i in result.items if i.row in (9, 12, 19)] == [
        (9, "new"),
        (12, "unchanged"),
        (19, "new"),
    ]


def test_overlap_with_another_organisations_seat_is_refused_with_the_models_message(world):
    """Rolf (Rauma) can be chosen by no Molde representative, so staff upload for Molde."""
    result = review_of(
        world["staff"],
        world["molde"],
        [row(group="Teknisk", email="rolf@rauma.kommune.no", role="Medlem", start_date="01.01.2024")],
    )
    assert reasons(result) == {2: "Rolf Rauma har allerede rollen medlem i Teknisk i denne perioden (fra 01.01.2022)."}
    assert "ID" not in reasons(result)[2]  # another organisation's entry is not named by its id


def test_a_change_that_frees_a_period_lets_a_later_row_use_it_in_any_order(world):
    mons = world["seats"]["mons"]
    result = review_of(
        world["rep"],
        world["molde"],
        [
            row(group="Teknisk", person="Mons Molde", role="Medlem", start_date="01.01.2027"),  # new, after the end
            seat_row(mons, end_date="31.12.2026"),  # ends the current seat
        ],
    )
    assert [i.kind for i in result.items if i.row] == ["new", "ended"]


def test_missing_columns_keep_the_saved_values(world):
    """A file with only ID and Sluttdato ends seats and changes nothing else."""
    mons, mari = world["seats"]["mons"], world["seats"]["mari"]
    result = review_of(world["rep"], world["molde"], [[mons.pk, "31.12.2026"], [mari.pk, ""]], ["ID", "sluttdato"])
    assert [(i.kind, i.membership_id, [c.field for c in i.changes]) for i in result.items if i.row] == [
        ("ended", mons.pk, ["end_date"]),
        ("unchanged", mari.pk, []),
    ]


def test_review_page_says_what_happens_to_unchanged_and_missing_rows(client, world):
    client.force_login(world["rep"])
    upload = uploaded(client, world["molde"], xlsx([seat_row(world["seats"]["mons"], note="Ny")]))
    page = client.get(review_url(upload.pk)).content.decode()
    assert "Ingenting er lagret ennå." in page
    assert "Uendrede gjeldende oppføringer i filen regnes som gjennomgått" in page
    assert "Ikke med i filen – beholdes uendret (1)" in page  # Mari's seat
    assert "Merknad" in page and "Ny" in page


# -- confirm, cancel, stale ------------------------------------------------------------------------------------
def test_confirm_applies_everything_in_one_go_with_revisions_and_one_log_entry_per_row(client, world):
    s = world["seats"]
    client.force_login(world["rep"])
    upload = uploaded(
        client,
        world["molde"],
        xlsx(
            [
                seat_row(s["mons"], role="Nestleder"),
                seat_row(s["mari"], end_date="31.12.2026"),
                row(group="Helse", email="nils@molde.kommune.no", role="Medlem", start_date="01.01.2026"),
                seat_row(s["old"]),
            ]
        ),
        name="molde-2026.xlsx",
    )
    assert Membership.objects.count() == 4  # nothing saved on upload
    before = timezone.now()
    response = client.post(review_url(upload.pk) + "bekreft/", {"digest": upload.digest}, follow=True)
    assert response.redirect_chain[-1][0] == f"{OUR_ENTRIES}?organisation={world['molde'].pk}"
    assert "1 nye, 1 endret, 1 avsluttet; 0 uendrede oppføringer bekreftet" in response.content.decode()
    new = Membership.objects.get(person=world["people"]["nils"])
    for m in (s["mons"], s["mari"], new):
        m.refresh_from_db()
        assert m.last_verified_by == world["rep"] and m.last_verified_at >= before
        assert m.latest_revision.user == world["rep"]
        logged = ModelLogEntry.objects.filter(object_id=str(m.pk)).exclude(action="wagtail.edit")
        assert logged.count() == 1, list(logged.values_list("action", flat=True))
        assert logged.get().revision_id == m.latest_revision.pk
    assert s["mons"].role == Role.DEPUTY and s["mari"].end_date == datetime.date(2026, 12, 31)
    actions = dict(ModelLogEntry.objects.values_list("object_id", "action"))
    assert actions == {
        str(s["mons"].pk): "faggruppe_pages.bulk_edit",
        str(s["mari"].pk): "faggruppe_pages.bulk_edit",
        str(new.pk): "faggruppe_pages.bulk_create",
    }
    s["old"].refresh_from_db()
    assert s["old"].last_verified_at is None  # unchanged but ended: history, not confirmed
    history = client.get(f"/admin/snippets/faggruppe_pages/membership/history/{s['mons'].pk}/").content.decode()
    # One entry per row, each shown in its entry's history (Wagtail collapses entries of one request
    # that share an action and a uuid: each row has its own).
    assert "Endret fra regneark (rad 2 i «molde-2026.xlsx»)" in history
    history = client.get(f"/admin/snippets/faggruppe_pages/membership/history/{s['mari'].pk}/").content.decode()
    assert "Endret fra regneark (rad 3 i «molde-2026.xlsx»)" in history
    assert not BulkUpload.objects.exists()


def test_a_row_refused_when_saving_refuses_them_all(client, world, monkeypatch):
    """The model's validation runs again when saving: if it refuses a row, nothing of the file is saved."""
    monkeypatch.setattr(bulk, "check_overlaps", lambda candidates, organisation: None)
    client.force_login(world["rep"])
    upload = uploaded(
        client,
        world["molde"],
        xlsx(
            [
                seat_row(world["seats"]["mari"], note="endret"),
                row(group="Teknisk", person="Mons Molde", role="Medlem", start_date="01.06.2024"),
            ]
        ),
    )
    before = snapshot()
    response = client.post(review_url(upload.pk) + "bekreft/", {"digest": upload.digest}, follow=True)
    assert "Rad 3 kunne ikke lagres:" in response.content.decode()
    assert "Ingenting ble lagret." in response.content.decode()
    assert snapshot() == before
    assert BulkUpload.objects.filter(pk=upload.pk).exists()


def test_a_stale_review_is_not_applied(client, world):
    s = world["seats"]
    client.force_login(world["rep"])
    upload = uploaded(client, world["molde"], xlsx([seat_row(s["mari"], end_date="31.12.2026")]))
    # Someone else saves one of Molde's entries after the review was shown.
    mons = Membership.objects.get(pk=s["mons"].pk)
    mons.note = "endret av en annen"
    mons.save()
    before = snapshot()
    response = client.post(review_url(upload.pk) + "bekreft/", {"digest": upload.digest})
    assert response.status_code == 302 and response["Location"] == review_url(upload.pk)
    assert snapshot() == before
    page = client.get(review_url(upload.pk)).content.decode()
    assert "Oppføringene til Molde ble endret etter at du så gjennom filen, så ingenting ble lagret." in page
    # The fresh review is shown; confirming it now applies it.
    upload.refresh_from_db()
    client.post(review_url(upload.pk) + "bekreft/", {"digest": upload.digest})
    s["mari"].refresh_from_db()
    assert s["mari"].end_date == datetime.date(2026, 12, 31)


def test_a_confirmation_from_an_old_page_is_not_applied(client, world):
    client.force_login(world["rep"])
    upload = uploaded(client, world["molde"], xlsx([seat_row(world["seats"]["mari"], end_date="31.12.2026")]))
    before = snapshot()
    client.post(review_url(upload.pk) + "bekreft/", {"digest": "0" * 64})
    assert snapshot() == before


def test_cancel_applies_nothing_and_forgets_the_file(client, world):
    client.force_login(world["rep"])
    upload = uploaded(client, world["molde"], xlsx([seat_row(world["seats"]["mari"], end_date="31.12.2026")]))
    before = snapshot()
    response = client.post(review_url(upload.pk) + "avbryt/", follow=True)
    assert "Avbrutt. Ingenting ble endret." in response.content.decode()
    assert snapshot() == before
    assert not BulkUpload.objects.exists()
    assert client.post(review_url(upload.pk) + "bekreft/", {"digest": upload.digest}).status_code == 404


def test_old_uploads_expire(client, world):
    client.force_login(world["rep"])
    upload = uploaded(client, world["molde"], xlsx([seat_row(world["seats"]["mari"], end_date="31.12.2026")]))
    BulkUpload.objects.filter(pk=upload.pk).update(created_at=timezone.now() - datetime.timedelta(days=1, minutes=1))
    before = snapshot()
    assert client.get(review_url(upload.pk)).status_code == 404
    assert client.post(review_url(upload.pk) + "bekreft/", {"digest": upload.digest}).status_code == 404
    assert snapshot() == before and not BulkUpload.objects.exists()


# -- who may ---------------------------------------------------------------------------------------------------------
def test_only_the_uploader_may_see_confirm_or_cancel_an_upload(client, world):
    client.force_login(world["rep"])
    upload = uploaded(client, world["molde"], xlsx([seat_row(world["seats"]["mari"], end_date="31.12.2026")]))
    before = snapshot()
    for user in (world["other"], world["staff"], UserFactory(username="sjef", is_superuser=True, is_staff=True)):
        client.force_login(user)
        assert client.get(review_url(upload.pk)).status_code == 404
        assert client.post(review_url(upload.pk) + "bekreft/", {"digest": upload.digest}).status_code == 404
        assert client.post(review_url(upload.pk) + "avbryt/").status_code == 404
    assert snapshot() == before
    assert BulkUpload.objects.filter(pk=upload.pk).exists()


def test_another_organisations_representative_is_refused_on_every_view(client, world):
    molde = world["molde"]
    client.force_login(world["other"])
    before = snapshot()
    for response in (
        client.get(UPLOAD, {"organisation": molde.pk}),
        client.get(DOWNLOAD, {"organisation": molde.pk}),
        post_upload(client, molde, xlsx([seat_row(world["seats"]["mons"], end_date="31.12.2026")])),
        client.post(UPLOAD + f"?organisation={molde.pk}", {"file": named(xlsx([]), "x.xlsx")}),
    ):
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert not BulkUpload.objects.exists()
    assert snapshot() == before
    # Their own organisation's file cannot reach Molde's entries either: the IDs are refused.
    upload = uploaded(client, world["rauma"], xlsx([seat_row(world["seats"]["mons"], end_date="31.12.2026")]))
    page = client.get(review_url(upload.pk)).content.decode()
    assert "1 avviste rader" not in page and "1 avvist rad" in page
    assert "Mons Molde" in page  # as typed in their own file, nothing read from Molde's entry
    client.post(review_url(upload.pk) + "bekreft/", {"digest": upload.digest})
    assert snapshot()[0] == before[0]


def test_readers_are_refused(client, world):
    client.force_login(UserFactory(username="leser"))
    for url in (UPLOAD, DOWNLOAD):
        assert client.get(url)["Location"].startswith("/logg-inn/")


def test_staff_update_any_organisation(client, world):
    rolf = world["seats"]["rolf"]
    client.force_login(world["staff"])
    content = client.get(DOWNLOAD, {"organisation": world["rauma"].pk}).content
    rows = list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [rolf.pk]
    upload = uploaded(client, world["rauma"], xlsx([seat_row(rolf, note="Sjekket av redaksjonen")]))
    client.post(review_url(upload.pk) + "bekreft/", {"digest": upload.digest})
    rolf.refresh_from_db()
    assert rolf.note == "Sjekket av redaksjonen" and rolf.last_verified_by == world["staff"]


def test_our_entries_links_to_the_spreadsheet_update(client, world):
    client.force_login(world["rep"])
    page = client.get(OUR_ENTRIES).content.decode()
    molde = world["molde"].pk
    assert f'href="{DOWNLOAD}?organisation={molde}"' in page and f'href="{UPLOAD}?organisation={molde}"' in page


# -- files --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "delimiter,encoding",
    [(";", "utf-8-sig"), (",", "utf-8"), (";", "cp1252"), ("\t", "utf-16")],
    ids=["semicolon-utf8-bom", "comma-utf8", "semicolon-windows-1252", "tab-utf16"],
)
def test_csv_variants(client, world, delimiter, encoding):
    mari = world["seats"]["mari"]
    headers = ["id", "GRUPPE", "Navn", "e-post", "Representerer", "rolle", "Fra", "Til", "Merknad"]
    content = csv_file(
        [
            [mari.pk, "Økonomi", "Mari Molde", "", "Molde", "leiar", "2022-01-01", "31.12.2026", "Æ, ø; å"],
            ["", "Helse", "Nils Ny", "", "", "Medlem", "01.01.2026", "", ""],
        ],
        headers=headers,
        delimiter=delimiter,
        encoding=encoding,
    )
    client.force_login(world["rep"])
    upload = uploaded(client, world["molde"], content, name="endringer.csv")
    with translation.override("nb"):
        result = bulk.review_upload(upload, **pointable(world["rep"]))
    assert [(i.kind, i.row) for i in result.items if i.row] == [("ended", 2), ("new", 3)]
    assert [c.new for c in result.ended[0].changes] == ["31.12.2026", "Æ, ø; å"]


def test_spreadsheet_date_cells_and_iso_dates_are_read(world):
    mari = world["seats"]["mari"]
    result = review_of(world["rep"], world["molde"], [seat_row(mari, start_date=datetime.date(2022, 1, 1))])
    assert [i.kind for i in result.items if i.row] == ["unchanged"]
    result = review_of(world["rep"], world["molde"], [seat_row(mari, end_date=datetime.datetime(2026, 5, 17))])
    assert result.ended[0].end_date == datetime.date(2026, 5, 17)


def test_formulas_are_never_evaluated(world):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append(row(group="Helse", email="nils@molde.kommune.no", role="Medlem", start_date="01.01.2026"))
    sheet["K2"] = '=HYPERLINK("http://x","y")'  # a formula openpyxl writes without a cached value
    sheet.append(row(group="Helse", email="mari@molde.kommune.no", role="Medlem", start_date="01.01.2026"))
    sheet["K3"] = "=1+1"
    sheet["K3"].data_type = "s"  # text that starts with "="
    out = io.BytesIO()
    workbook.save(out)
    table = read_table(out.getvalue(), "f.xlsx")
    assert [r["values"]["note"] for r in table.rows] == ["", "=1+1"]


BAD_FILES = {
    "empty": (b"", "tom.csv", "Filen er tom."),
    "only a header": (csv_file([]), "tom.csv", "Filen har en overskriftsrad, men ingen oppføringer under den."),
    "a pdf": (b"%PDF-1.4\n\x00\x01\x02binary", "liste.pdf", "Bare Excel-arbeidsbøker (.xlsx) og CSV-filer"),
    "corrupt xlsx": (b"PK\x03\x04" + b"\x00" * 200, "liste.xlsx", "Excel-filen kunne ikke leses."),
    "old excel": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "liste.xls", "gammel Excel-fil (.xls)"),
    "no header row": (b"1;2;3\r\n4;5;6\r\n", "tall.csv", "Fant ingen overskriftsrad."),
    "wrong headers": (
        b"Gruppe;Navn;Telefon\r\nTeknisk;Kari;123\r\n",
        "feil.csv",
        "Filen mangler kolonnene Rolle, Startdato.",
    ),
    "duplicate column": (b"Gruppe;Rolle;Startdato;Person;Rolle\r\n", "dobbel.csv", "Kolonnen «Rolle» står to ganger."),
    "too many rows": (None, "stor.csv", f"Filen har flere enn {MAX_ROWS} rader."),
    "too big": (b"Gruppe;Rolle\r\n" + b"x" * (5 * 1024 * 1024), "diger.csv", "Filen er for stor"),
    "not utf-8 or windows-1252": (b"Gruppe;Rolle;Startdato;Person\r\n\x81\x8d\x8f\x90", "rar.csv", "Tegnene i filen"),
}


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_bad_files_get_a_clear_norwegian_message_and_store_nothing(client, world, case):
    content, name, message = BAD_FILES[case]
    if case == "too many rows":
        content = csv_file([row(group="Helse", person=f"P {i}", role="Medlem") for i in range(MAX_ROWS + 1)])
    client.force_login(world["rep"])
    before = snapshot()
    response = post_upload(client, world["molde"], content, name)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body, body[body.find("error") - 200 : body.find("error") + 800]
    assert not BulkUpload.objects.exists() and snapshot() == before


def test_no_file_is_a_form_error(client, world):
    client.force_login(world["rep"])
    response = client.post(UPLOAD, {"organisation": world["molde"].pk})
    assert response.status_code == 200 and "Velg en fil å laste opp." in response.content.decode()


def test_read_table_never_raises_anything_but_upload_error():
    for content in (b"PK\x03\x04garbage", b"\xff\xfe" + "Gruppe\tRolle".encode("utf-16-le")[:-1], b"\x00" * 50):
        with pytest.raises(UploadError):
            read_table(content, "x.xlsx" if content.startswith(b"PK") else "x.csv")


# -- queries ------------------------------------------------------------------------------------------------------
def test_review_queries_do_not_grow_with_the_rows(client, world):
    molde, groups = world["molde"], list(world["groups"].values())
    client.force_login(world["rep"])
    people = PersonFactory.create_batch(300, employer=molde)
    seats = Membership.objects.bulk_create(
        Membership(person=p, group=groups[0], represents=molde, start_date=datetime.date(2024, 1, 1))
        for p in people[:100]
    )

    def rows(n):
        # A third changed, a third new, a third refused: every kind of lookup.
        out = []
        for i in range(n):
            if i % 3 == 0:
                m = seats[i // 3]
                out.append(
                    row(
                        id=m.pk,
                        group=groups[0].title,
                        email=m.person.email,
                        role="Medlem",
                        note=f"n{i}",
                        start_date="01.01.2024",
                    )
                )
            elif i % 3 == 1:
                out.append(
                    row(group=groups[1].title, email=people[100 + i].email, role="Medlem", start_date="01.01.2026")
                )
            else:
                out.append(row(group="Ukjent", person=f"Ukjent {i}", role="Medlem", start_date="01.01.2026"))
        return out

    def count(n):
        BulkUpload.objects.all().delete()
        upload = uploaded(client, molde, xlsx(rows(n)))
        client.get(review_url(upload.pk))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(review_url(upload.pk))
        assert response.status_code == 200
        with translation.override("nb"):
            result = bulk.review_upload(upload, **pointable(world["rep"]))
        assert len(result.new) and len(result.changed) and len(result.refused)
        with CaptureQueriesContext(connection) as review_only:
            bulk.review_upload(upload, **pointable(world["rep"]))
        return len(queries), len(review_only)

    assert count(9) == count(150)


def test_row_module_keeps_the_models_rules(world):
    """The review runs Membership.clean without its per-row overlap query: no query per candidate."""
    item = bulk_rows.Item(kind="new", row=2)
    item.values = {
        "person_id": world["people"]["nils"].pk,
        "group_id": world["groups"]["Helse"].pk,
        "role": Role.ADVISER,
        "start_date": datetime.date(2026, 1, 1),
        "end_date": None,
        "appointed_by": "",
        "appointment_reference": "",
        "note": "",
    }
    with CaptureQueriesContext(connection) as queries, translation.override("nb"):
        bulk_rows.check_model_rules(item, world["molde"])
    assert len(queries) == 0
    assert item.reasons == ["Organisasjon: En rådgiver fra samarbeidet må representere samarbeidet."]


@pytest.mark.parametrize("value", ["abc", "", "-1", "99999999999999999999", "1.5", "²", "\x00"])
def test_hostile_organisation_values_are_refused_never_a_server_error(client, world, value):
    client.force_login(world["rep"])
    for url in (UPLOAD, DOWNLOAD):
        response = client.get(url, {"organisation": value})
        assert response.status_code in (200, 302), (url, value, response.status_code)
        if value:
            assert response.status_code == 302 and response["Location"] == "/admin/"


def test_hostile_upload_ids_are_a_404(client, world):
    client.force_login(world["rep"])
    for pk in ("9223372036854775807", "9223372036854775808", "99999999999999999999"):
        assert client.get(f"{UPLOAD}{pk}/").status_code == 404
        assert client.post(f"{UPLOAD}{pk}/bekreft/").status_code == 404


def test_page_rights_follow_the_rows_once_in_the_same_transaction(client, world):
    """Group-page editors are synced once for every group a row joins or leaves, not per saved row."""
    from faggruppe_pages.models import GroupPage

    nils, mons = world["people"]["nils"], world["people"]["mons"]
    nils.user, mons.user = UserFactory(username="nils"), UserFactory(username="mons")
    nils.save()
    mons.save()
    teknisk, helse = world["groups"]["Teknisk"], world["groups"]["Helse"]

    def editors(page):
        return set(GroupPage.objects.get(pk=page.pk).editors_group.user_set.values_list("username", flat=True))

    assert editors(teknisk) == {"mons"} and "nils" not in editors(helse)
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).strftime("%d.%m.%Y")
    client.force_login(world["rep"])
    upload = uploaded(
        client,
        world["molde"],
        xlsx(
            [
                seat_row(world["seats"]["mons"], end_date=yesterday),
                row(group="Helse", email="nils@molde.kommune.no", role="Medlem", start_date="01.01.2024"),
            ]
        ),
    )
    client.post(review_url(upload.pk) + "bekreft/", {"digest": upload.digest})
    assert editors(teknisk) == set() and editors(helse) == {"nils"}


def test_more_changes_than_one_confirmation_saves_are_refused_whole(client, world, monkeypatch):
    monkeypatch.setattr(bulk, "MAX_CHANGES", 1)
    client.force_login(world["rep"])
    rows = [seat_row(world["seats"]["mons"], note="a"), seat_row(world["seats"]["mari"], note="b")]
    upload = uploaded(client, world["molde"], xlsx(rows))
    page = client.get(review_url(upload.pk)).content.decode()
    assert "Filen ville lagre flere enn 1 nye, endrede eller avsluttede oppføringer på én gang." in page
    assert f'action="{review_url(upload.pk)}bekreft/"' not in page
    before = snapshot()
    response = client.post(review_url(upload.pk) + "bekreft/", {"digest": upload.digest}, follow=True)
    assert "Del den opp i mindre filer; ingenting ble lagret." in response.content.decode()
    assert snapshot() == before
