"""Every setting the README documents is read (faggruppe_pages/conf.py): change it and the product changes."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from faggruppe_pages import conf
from faggruppe_pages.models import Role
from tests.factories import (
    FaggruppePageFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    make_index,
)

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 24)


def test_every_setting_has_one_default_and_is_documented_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for name in conf.DEFAULTS:
        assert name in readme, f"{name} is read by the add-on but not documented in the README"


def test_unset_settings_take_the_defaults(settings):
    for name in conf.DEFAULTS:
        if hasattr(settings, name):
            delattr(settings, name)
    settings.LANGUAGE_CODE = "nb"
    assert conf.review_interval_days() == 180
    assert conf.reminder_repeat_days() == 7
    assert conf.reminder_escalate_after_days() == 14
    assert conf.contact_retention_days() == 365
    assert conf.person_retention_years() == 5
    assert conf.email_language() == "nb"


@pytest.fixture
def overdue_seat():
    group = FaggruppePageFactory(parent=make_index(), title="Teknisk", slug="teknisk")
    molde = OrganisationFactory(slug="molde", name="Molde kommune")
    molde.refresh_from_db()
    rep = UserFactory(username="rep-molde", email="mona@molde.no")
    rep.groups.add(molde.representatives_group)
    stale = timezone.make_aware(datetime.datetime.combine(DAY - datetime.timedelta(days=200), datetime.time(12)))
    return MembershipFactory(
        group=group, person=PersonFactory(name="Ola Gammel", employer=molde), role=Role.LEADER, last_verified_at=stale
    )


@pytest.mark.parametrize(
    ("language", "subject_start"),
    [("nn", "Medlemslistene: 1 oppføring treng oppfølging"), ("nb", "Medlemslistene: 1 oppføring trenger oppfølging")],
)
def test_reminders_are_written_in_the_configured_language(settings, overdue_seat, language, subject_start):
    settings.FAGGRUPPE_EMAIL_LANGUAGE = language
    call_command("send_reminders", "--date", DAY.isoformat(), stdout=io.StringIO(), stderr=io.StringIO())
    assert [m.subject for m in mail.outbox] == [subject_start]


def test_the_language_option_still_wins_over_the_setting(settings, overdue_seat):
    settings.FAGGRUPPE_EMAIL_LANGUAGE = "nn"
    call_command("send_reminders", "--date", DAY.isoformat(), "--language", "nb", stdout=io.StringIO())
    assert [m.subject for m in mail.outbox] == ["Medlemslistene: 1 oppføring trenger oppfølging"]
