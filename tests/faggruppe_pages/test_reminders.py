"""``manage.py send_reminders``: one digest per representative, escalation to staff, never twice a day."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from faggruppe_pages.models import Reminder, ReminderItem, Role
from faggruppe_pages.upkeep.confirmation import verify_all
from faggruppe_pages.upkeep.reminders import plan
from faggruppe_pages.upkeep.setup import STAFF_GROUP_NAME
from tests.factories import (
    CooperationFactory,
    FaggruppePageFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    make_index,
)

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 24)


def at(day, days_ago):
    moment = datetime.datetime.combine(day - datetime.timedelta(days=days_ago), datetime.time(12))
    return timezone.make_aware(moment)


@pytest.fixture
def world(db):
    index = make_index()
    teknisk = FaggruppePageFactory(parent=index, title="Teknisk", slug="teknisk")
    okonomi = FaggruppePageFactory(parent=index, title="Økonomi", slug="okonomi")
    molde = OrganisationFactory(slug="molde", name="Molde kommune", short_name="Molde")
    rauma = OrganisationFactory(slug="rauma", name="Rauma kommune", short_name="Rauma")
    ror = CooperationFactory()
    molde.refresh_from_db()
    rauma.refresh_from_db()
    rep_molde = UserFactory(username="rep-molde", first_name="Mona", last_name="Moldestad", email="mona@molde.no")
    rep_molde.groups.add(molde.representatives_group)
    rep_rauma = UserFactory(username="rep-rauma", email="rolf@rauma.no")
    rep_rauma.groups.add(rauma.representatives_group)
    staff = UserFactory(username="redaksjon", email="redaksjon@ror-ikt.no")
    staff.groups.add(Group.objects.get_or_create(name=STAFF_GROUP_NAME)[0])
    seats = {
        # Overdue: confirmed 200 days ago (default interval 180).
        "stale": MembershipFactory(
            group=teknisk,
            person=PersonFactory(name="Ola Gammel", employer=molde),
            role=Role.LEADER,
            last_verified_at=at(DAY, 200),
        ),
        # Fresh, but the term ends in 20 days.
        "ending": MembershipFactory(
            group=okonomi,
            person=PersonFactory(name="Eva Slutt", employer=molde),
            end_date=DAY + datetime.timedelta(days=20),
            last_verified_at=at(DAY, 40),
        ),
        # Fresh and open-ended: nothing to say.
        "fine": MembershipFactory(
            group=okonomi, person=PersonFactory(name="Kari Fersk", employer=molde), last_verified_at=at(DAY, 3)
        ),
        # Rauma: fresh.
        "rauma_seat": MembershipFactory(
            group=teknisk, person=PersonFactory(name="Rolf Rauma", employer=rauma), last_verified_at=at(DAY, 3)
        ),
        # The cooperation has no representatives: staff hear of it at once.
        "adviser": MembershipFactory(
            group=teknisk, person=PersonFactory(name="Siri Rådgiver", employer=ror), role=Role.ADVISER
        ),
    }
    return {"molde": molde, "rauma": rauma, "rep_molde": rep_molde, "rep_rauma": rep_rauma, "staff": staff, **seats}


def run(day=DAY, *args):
    out = io.StringIO()
    call_command("send_reminders", "--date", day.isoformat(), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def sent_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_one_norwegian_digest_per_representative_with_links(world):
    output = run()
    digests = sent_to("mona@molde.no")
    assert len(digests) == 1
    digest = digests[0]
    assert digest.subject == "Medlemslistene: 2 oppføringer trenger oppfølging"
    body = digest.body
    assert body.startswith("Hei Mona Moldestad,")
    assert "== Molde kommune ==" in body
    assert "Ikke bekreftet innen fristen:" in body
    verified = (DAY - datetime.timedelta(days=200)).strftime("%d.%m.%Y")
    due = (DAY - datetime.timedelta(days=20)).strftime("%d.%m.%Y")
    assert f"- Ola Gammel, leder i Teknisk – sist bekreftet {verified}, frist {due}" in body
    end = (DAY + datetime.timedelta(days=20)).strftime("%d.%m.%Y")
    assert f"- Eva Slutt, medlem i Økonomi – perioden slutter {end}" in body
    assert "Kari Fersk" not in body
    assert f"http://127.0.0.1:8000/admin/snippets/faggruppe_pages/membership/edit/{world['stale'].pk}/" in body
    assert f"/admin/vare-oppforinger/?organisation={world['molde'].pk}" in body
    assert "Skjer det ingenting innen 14 dager, får også redaksjonen beskjed." in body
    # Rauma's list is fresh: no e-mail.
    assert sent_to("rolf@rauma.no") == []
    assert "Samlet påminnelse til mona@molde.no (Molde): 2 oppføringer" in output
    assert "Ferdig: 2 sendt, 0 hoppet over, 0 feilet." in output


def test_cooperation_entries_go_to_staff_at_once(world):
    run()
    (escalation,) = sent_to("redaksjon@ror-ikt.no")
    assert escalation.subject == "Medlemslistene: 1 oppføring er ikke fulgt opp"
    assert "== ROR-IKT ==" in escalation.body
    assert "Ingen representant med e-postadresse å minne på" in escalation.body
    assert "Siri Rådgiver, rådgiver fra samarbeidet i Teknisk – aldri bekreftet" in escalation.body
    assert "Ola Gammel" not in escalation.body  # Molde's representative was only just told


def test_never_the_same_reminder_twice_a_day(world):
    run()
    count = len(mail.outbox)
    output = run()
    assert len(mail.outbox) == count
    assert "hoppet over: allerede sendt i dag" in output
    assert Reminder.objects.filter(recipient_email="mona@molde.no").count() == 1


def test_repeats_after_a_week_or_at_once_when_something_new_is_due(world):
    run()
    mail.outbox.clear()
    output = run(DAY + datetime.timedelta(days=1))
    assert sent_to("mona@molde.no") == []
    assert "hoppet over: påminnet de siste 7 dagene og ingenting nytt har forfalt" in output
    # Something new: Kari's confirmation runs out.
    kari = world["fine"]
    kari.last_verified_at = at(DAY, 181)
    kari.save()
    run(DAY + datetime.timedelta(days=2))
    (digest,) = sent_to("mona@molde.no")
    assert "Kari Fersk" in digest.body
    mail.outbox.clear()
    run(DAY + datetime.timedelta(days=9))  # a week after the last one
    assert len(sent_to("mona@molde.no")) == 1


def test_escalates_to_staff_when_nothing_happens(world):
    run()
    mail.outbox.clear()
    run(DAY + datetime.timedelta(days=13))
    staff_mail = sent_to("redaksjon@ror-ikt.no")
    assert all("Ola Gammel" not in m.body for m in staff_mail)  # not yet: 13 days
    assert len(sent_to("mona@molde.no")) == 1  # a week has passed: the representative is reminded again
    mail.outbox.clear()
    later = DAY + datetime.timedelta(days=14)
    run(later)
    (escalation,) = sent_to("redaksjon@ror-ikt.no")
    assert "== Molde kommune ==" in escalation.body
    assert "Ola Gammel, leder i Teknisk – sist bekreftet" in escalation.body
    assert f"(første påminnelse {DAY.strftime('%d.%m.%Y')})" in escalation.body


def test_confirming_the_entries_stops_reminders_and_escalation(world, settings):
    run()
    mail.outbox.clear()
    # "Alt stemmer": Mona confirms Molde's entries, which also acknowledges Eva's ending term.
    verify_all(world["molde"], world["rep_molde"], now=at(DAY + datetime.timedelta(days=3), 0))
    run(DAY + datetime.timedelta(days=14))
    assert sent_to("mona@molde.no") == []
    assert all("Molde" not in m.body for m in sent_to("redaksjon@ror-ikt.no"))


def test_a_registered_successor_ends_the_term_reminder(world):
    ending = world["ending"]
    MembershipFactory(
        group=ending.group,
        person=PersonFactory(name="Nils Ny", employer=world["molde"]),
        start_date=ending.end_date + datetime.timedelta(days=1),
    )
    run()
    (digest,) = sent_to("mona@molde.no")
    assert "Eva Slutt" not in digest.body


def test_escalation_delay_is_configurable(world, settings):
    settings.FAGGRUPPE_REMINDER_ESCALATE_AFTER_DAYS = 2
    run()
    mail.outbox.clear()
    run(DAY + datetime.timedelta(days=2))
    (escalation,) = sent_to("redaksjon@ror-ikt.no")
    assert "Ola Gammel" in escalation.body


def test_dry_run_sends_and_records_nothing(world):
    output = run(DAY, "--dry-run", "--verbosity", "2")
    assert mail.outbox == []
    assert Reminder.objects.count() == 0 and ReminderItem.objects.count() == 0
    assert "prøvekjøring: ingenting sendes" in output
    assert "ville blitt sendt: «Medlemslistene: 2 oppføringer trenger oppfølging»" in output
    assert "Hei Mona Moldestad," in output  # -v 2 shows the e-mail
    assert "Prøvekjøring ferdig: 2 ville blitt sendt, 0 hoppet over." in output


def test_nothing_due_says_so(world):
    for membership in (world["stale"], world["adviser"]):
        membership.delete()
    world["ending"].end_date = None
    world["ending"].save()
    assert "Ingenting å minne om" in run()
    assert mail.outbox == []


def test_bad_date_is_a_clear_error(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--date må være en dato som 2026-11-24, ikke «24.11.2026»."):
        call_command("send_reminders", "--date", "24.11.2026", stdout=io.StringIO())


def test_a_failed_send_is_not_recorded_and_the_command_fails(world, settings):
    settings.EMAIL_BACKEND = "tests.faggruppe_pages.failing_email.Backend"
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("send_reminders", "--date", DAY.isoformat(), stdout=io.StringIO(), stderr=err)
    assert exit_info.value.code == 1
    assert "kunne ikke sendes" in err.getvalue()
    assert Reminder.objects.count() == 0  # so tomorrow's run tries again


def test_a_representative_of_two_organisations_gets_one_digest(world):
    world["rep_molde"].groups.add(world["rauma"].representatives_group)
    rauma_seat = world["rauma"]
    MembershipFactory(
        group=world["stale"].group,
        person=PersonFactory(name="Rune Aldri", employer=rauma_seat),
        represents=rauma_seat,
        role=Role.SUBSTITUTE,
    )
    run()
    (digest,) = sent_to("mona@molde.no")
    assert "== Molde kommune ==" in digest.body and "== Rauma kommune ==" in digest.body
    assert digest.subject == "Medlemslistene: 3 oppføringer trenger oppfølging"


def test_planning_runs_a_fixed_number_of_queries(world):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            plan(DAY)
        return len(captured)

    small = queries()
    for k in range(30):
        MembershipFactory(
            group=world["stale"].group,
            person=PersonFactory(employer=world["molde"]),
            represents=world["molde"],
            role=Role.SUBSTITUTE,
            end_date=DAY + datetime.timedelta(days=k % 25),
        )
    assert queries() == small


# -- the boundaries of "ending soon", the notice period and the repeat interval ----------------------------


def test_a_term_ending_in_exactly_30_days_is_announced_and_31_days_is_not(world):
    seat = world["ending"]
    for days, announced in ((30, True), (31, False), (0, True), (-1, False)):
        seat.end_date = DAY + datetime.timedelta(days=days)
        seat.save()
        mail.outbox.clear()
        Reminder.objects.all().delete()
        run()
        (digest,) = sent_to("mona@molde.no")  # Ola Gammel is overdue either way
        assert ("Eva Slutt" in digest.body) is announced, f"term ending in {days} days"


def test_a_confirmation_on_the_first_day_of_the_notice_period_silences_the_term_reminder(world):
    seat = world["ending"]  # ends DAY + 20: the notice period began DAY - 10
    for confirmed_days_ago, reminded in ((10, False), (11, True)):
        seat.last_verified_at = at(DAY, confirmed_days_ago)
        seat.save()
        mail.outbox.clear()
        Reminder.objects.all().delete()
        run()
        (digest,) = sent_to("mona@molde.no")
        assert ("Eva Slutt" in digest.body) is reminded, f"confirmed {confirmed_days_ago} days before"


def test_the_same_reminder_waits_a_full_week(world):
    run()
    for days_later, sent_again in ((6, False), (7, True)):
        mail.outbox.clear()
        run(DAY + datetime.timedelta(days=days_later))
        assert (len(sent_to("mona@molde.no")) == 1) is sent_again, f"{days_later} days later"
