"""The demo's group work, loaded by ``DemoLoader`` after the mandates. Idempotent (a group with meetings is left
alone), and dated relative to the day it is loaded, so R13 and the reporting rules have something to show:

- 18 months of meetings with notice, agenda, attendance and published minutes; the latest meeting's minutes
  are out for approval; one coming meeting per group. Økonomi, Microsoft 365-forvaltning and Lønn og personal
  meet less than six times a year (R13 fires), Teknisk handled one urgent matter by e-mail.
- A dozen measures with status histories (one in Helse og velferd has not reported for half a year), two
  benefit plans with baselines, targets per municipality and realisations, three proposals (sent, adopted,
  draft).
- Two users for the walk-through: ``sekretaer`` (Teknisk's secretary, from ROR-IKT) and ``leder-teknisk``
  (Teknisk's leader).
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from faggruppe_pages.models import FaggruppePage, Membership, Organisation, Person, Role
from governance.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Benefit,
    BenefitKind,
    BenefitTarget,
    GoverningBody,
    ItemKind,
    Measure,
    MeasureKind,
    MeasureStatus,
    Meeting,
    MeetingKind,
    MinutesStatus,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Realisation,
    StatusReport,
)

D = datetime.date

#: Meetings per year for each faggruppe (18 months back); below 6 breaks the 2019 mandate's R13.
MEETINGS_PER_YEAR = {
    "dokumentasjonsforvaltning": 7,
    "helse-og-velferd": 6,
    "lonn-og-personal": 5,
    "microsoft-365-forvaltning": 3,
    "oppvekst-og-utdanning": 7,
    "personvern-og-informasjonssikkerhet": 6,
    "portal-og-innbyggerdialog": 6,
    "teknisk": 7,
    "okonomi": 4,
}

AGENDA = [
    ("Godkjenning av innkalling og saksliste", ItemKind.DECISION, "Innkalling og saksliste godkjent."),
    ("Referat fra forrige møte", ItemKind.DECISION, "Referatet godkjent uten merknader."),
    ("Status for felles fagsystem", ItemKind.INFORMATION, "Orienteringen tatt til etterretning."),
    ("Innspill til handlingsprogrammet", ItemKind.DECISION, "Faggruppen sender innspill til Bestillerutvalget."),
    ("Oppfølging av tiltak og gevinstplan", ItemKind.INFORMATION, "Statusrapportene gjennomgått."),
    ("Eventuelt", ItemKind.OTHER, "Ingen saker."),
]

#: (group, title, kind, start (days ago), planned end (days ahead), reports: [(days ago, status, text)])
MEASURES = [
    (
        "teknisk",
        "Felles kartløsning for byggesak",
        MeasureKind.PROCUREMENT,
        420,
        240,
        [
            (400, MeasureStatus.NOT_STARTED, "Behovskartlegging planlagt."),
            (250, MeasureStatus.ONGOING, "Kravspesifikasjon ferdig, konkurranse kunngjort."),
            (60, MeasureStatus.ONGOING, "Tre tilbud mottatt; evaluering pågår."),
        ],
    ),
    (
        "teknisk",
        "Digital byggesøknad for innbyggere",
        MeasureKind.CITIZEN_SERVICE,
        300,
        120,
        [
            (280, MeasureStatus.ONGOING, "Pilot i Molde."),
            (40, MeasureStatus.DELAYED, "Integrasjon mot arkiv forsinket."),
        ],
    ),
    (
        "helse-og-velferd",
        "Innføring av velferdsteknologi i hjemmetjenesten",
        MeasureKind.ROLLOUT,
        500,
        200,
        [
            (480, MeasureStatus.ONGOING, "Prosjektgruppe etablert."),
            (190, MeasureStatus.ONGOING, "Rauma og Vestnes i gang."),
        ],
    ),
    (
        "helse-og-velferd",
        "Utredning av felles journalsystem",
        MeasureKind.STUDY,
        200,
        60,
        [
            (180, MeasureStatus.ONGOING, "Markedsdialog gjennomført."),
            (20, MeasureStatus.ONGOING, "Utkast til rapport."),
        ],
    ),
    (
        "oppvekst-og-utdanning",
        "Nytt skoleadministrativt system",
        MeasureKind.PROCUREMENT,
        600,
        90,
        [(560, MeasureStatus.ONGOING, "Anskaffelse startet."), (30, MeasureStatus.ONGOING, "Kontrakt signert.")],
    ),
    (
        "oppvekst-og-utdanning",
        "Kompetanseløft digitale læremidler",
        MeasureKind.COMPETENCE,
        300,
        -30,
        [(290, MeasureStatus.ONGOING, "Kurs planlagt."), (25, MeasureStatus.COMPLETED, "Alle skoler gjennomført.")],
    ),
    (
        "dokumentasjonsforvaltning",
        "Overgang til nytt sak- og arkivsystem",
        MeasureKind.ROLLOUT,
        380,
        300,
        [
            (360, MeasureStatus.ONGOING, "Konvertering testet."),
            (45, MeasureStatus.ONGOING, "Opplæring av arkivpersonell."),
        ],
    ),
    (
        "okonomi",
        "Automatisk fakturabehandling",
        MeasureKind.ROLLOUT,
        330,
        60,
        [(320, MeasureStatus.ONGOING, "Leverandør valgt."), (50, MeasureStatus.ONGOING, "Molde og Aukra i drift.")],
    ),
    (
        "lonn-og-personal",
        "Selvbetjening for reiseregninger",
        MeasureKind.CITIZEN_SERVICE,
        250,
        30,
        [(240, MeasureStatus.ONGOING, "Oppsett i test."), (70, MeasureStatus.ONGOING, "Pilot med 40 brukere.")],
    ),
    (
        "portal-og-innbyggerdialog",
        "Chatbot på kommunenes nettsider",
        MeasureKind.CITIZEN_SERVICE,
        400,
        -60,
        [
            (390, MeasureStatus.ONGOING, "Avtale inngått."),
            (80, MeasureStatus.CANCELLED, "Avsluttet: for lav treffsikkerhet."),
        ],
    ),
    (
        "personvern-og-informasjonssikkerhet",
        "Felles rutine for avvikshåndtering",
        MeasureKind.STUDY,
        150,
        90,
        [
            (140, MeasureStatus.ONGOING, "Gjennomgang av dagens rutiner."),
            (35, MeasureStatus.ONGOING, "Utkast på høring."),
        ],
    ),
    (
        "microsoft-365-forvaltning",
        "Opprydding i Teams-områder",
        MeasureKind.OTHER,
        220,
        100,
        [(210, MeasureStatus.NOT_STARTED, "Planlagt."), (65, MeasureStatus.ONGOING, "Halvparten av områdene ryddet.")],
    ),
]


def ensure_users(loader):
    """``sekretaer``: Teknisk's secretary from ROR-IKT; ``leder-teknisk``: the account of Teknisk's leader."""
    teknisk = FaggruppePage.objects.filter(slug="teknisk").first()
    if teknisk is None:
        return
    secretary, _ = Person.objects.get_or_create(
        email="sigrid.sekretaer@ror-ikt.no",
        defaults={
            "name": "Sigrid Sekretær",
            "job_title": "Rådgiver og sekretær for faggruppene",
            "employer": Organisation.objects.get(slug="ror-ikt"),
            "user": loader.users["sekretaer"],
        },
    )
    Membership.objects.get_or_create(
        person=secretary,
        group=teknisk,
        role=Role.SECRETARY,
        defaults={
            "represents": secretary.employer,
            "start_date": D(2024, 1, 1),
            "appointed_by": "ROR-IKT",
            "last_verified_at": loader.now,
        },
    )
    leader = Membership.objects.filter(group=teknisk, role=Role.LEADER, end_date=None).select_related("person").first()
    if leader is not None and leader.person.user_id is None:
        leader.person.user = loader.users["leder-teknisk"]
        leader.person.save(update_fields=["user"])


def _at(day, hour=13):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _attendance(meeting, members, number):
    for index, membership in enumerate(members):
        status = AttendanceStatus.APOLOGIES if (index + number) % 6 == 0 else AttendanceStatus.PRESENT
        Attendance.objects.create(meeting=meeting, person=membership.person, status=status, sort_order=index)


def ensure_meetings(group, per_year, today, staff):
    if Meeting.objects.filter(group=group).exists():
        return 0
    step = 365 // per_year
    members = list(
        Membership.objects.filter(group=group, end_date=None).select_related("person").order_by("role", "pk")
    )
    chair = next((m.person for m in members if m.role == Role.LEADER), None)
    taker = next((m.person for m in members if m.role in (Role.SECRETARY, Role.ADVISER)), None)
    days_ago = list(range(14, 548, step))
    created = 0
    for number, ago in enumerate(reversed(days_ago)):
        day = today - datetime.timedelta(days=ago)
        latest = ago == days_ago[0]
        meeting = Meeting.objects.create(
            group=group,
            kind=MeetingKind.ORDINARY,
            starts_at=_at(day),
            ends_at=_at(day, 15),
            place="Molde rådhus, møterom 3" if number % 2 else "",
            video_link="" if number % 2 else "https://teams.microsoft.com/l/meetup-join/demo",
            notice="Velkommen til møte i faggruppen. Saksdokumenter ligger i saksliste under.",
            notice_sent_at=_at(day - datetime.timedelta(days=10), 9),
            chair=chair,
            minute_taker=taker,
            minutes_status=MinutesStatus.SENT if latest else MinutesStatus.PUBLISHED,
            approval_deadline=today + datetime.timedelta(days=5) if latest else None,
            minutes_sent_at=_at(day + datetime.timedelta(days=2), 10),
            minutes_approved_at=None if latest else _at(day + datetime.timedelta(days=9), 10),
            minutes_approved_by=None if latest else staff,
            minutes_published_at=None if latest else _at(day + datetime.timedelta(days=9), 10),
        )
        # Every meeting opens with the notice and the last minutes, then one matter of the day.
        for index, (title, kind, decision) in enumerate([*AGENDA[:2], AGENDA[2 + number % (len(AGENDA) - 2)]]):
            presenter = chair.name if chair and index < 2 else (taker.name if taker else "")
            AgendaItem.objects.create(
                meeting=meeting, title=title, kind=kind, decision=decision, presenter=presenter, sort_order=index
            )
        _attendance(meeting, members, number)
        created += 1
    coming = today + datetime.timedelta(days=step - 14 if step > 28 else 21)
    meeting = Meeting.objects.create(
        group=group,
        starts_at=_at(coming),
        ends_at=_at(coming, 15),
        place="Molde rådhus, møterom 3",
        video_link="https://teams.microsoft.com/l/meetup-join/demo",
        notice="Velkommen til neste møte i faggruppen.",
        notice_sent_at=timezone.now(),
    )
    for index, (title, kind, _decision) in enumerate(AGENDA[:3]):
        AgendaItem.objects.create(meeting=meeting, title=title, kind=kind, sort_order=index)
    if group.slug == "teknisk":
        urgent = Meeting.objects.create(
            group=group,
            kind=MeetingKind.URGENT,
            starts_at=_at(today - datetime.timedelta(days=40), 9),
            notice="Hastesak behandlet på e-post: uttalelse om kartdata.",
            notice_sent_at=_at(today - datetime.timedelta(days=40), 9),
            minutes_status=MinutesStatus.PUBLISHED,
            minutes_published_at=_at(today - datetime.timedelta(days=35), 9),
        )
        AgendaItem.objects.create(
            meeting=urgent,
            title="Uttalelse om deling av kartdata",
            kind=ItemKind.DECISION,
            decision="Faggruppen støtter forslaget.",
        )
    return created + 1


def ensure_measures(groups, today, staff):
    if Measure.objects.exists():
        return 0
    created = 0
    for slug, title, kind, start_ago, end_ahead, reports in MEASURES:
        group = groups.get(slug)
        if group is None:
            continue
        members = list(Membership.objects.filter(group=group, end_date=None).select_related("person"))
        owner = next((m.person for m in members if m.role == Role.LEADER), members[0].person if members else None)
        measure = Measure.objects.create(
            group=group,
            title=title,
            kind=kind,
            description=f"{title}: et felles tiltak i regi av faggruppen {group.title}.",
            owner=owner,
            start_date=today - datetime.timedelta(days=start_ago),
            planned_end=today + datetime.timedelta(days=end_ahead),
            published_at=timezone.now() - datetime.timedelta(days=start_ago),
            published_by=staff,
        )
        measure.organisations.set(Organisation.objects.filter(kind="municipality", member_to=None))
        for index, (ago, status, text) in enumerate(reports):
            StatusReport.objects.create(
                measure=measure,
                date=today - datetime.timedelta(days=ago),
                status=status,
                progress=text,
                reported_by_name=owner.name if owner else "",
                sort_order=index,
            )
        created += 1
    return created


def ensure_benefits(today, staff):
    if Benefit.objects.exists():
        return 0
    invoices = Measure.objects.filter(title="Automatisk fakturabehandling").first()
    maps = Measure.objects.filter(title="Felles kartløsning for byggesak").first()
    municipalities = list(Organisation.objects.filter(kind="municipality", member_to=None).order_by("name"))
    created = 0
    if invoices is not None:
        benefit = Benefit.objects.create(
            measure=invoices,
            description="Mindre tid til manuell fakturabehandling",
            kind=BenefitKind.EFFICIENCY,
            priced=False,
            indicator="Timer brukt på fakturabehandling per måned, alle kommuner",
            method="Timeregistrering i økonomiavdelingene, samme måned hvert år",
            unit="timer per måned",
            owner=invoices.owner,
            baseline_value=Decimal("320"),
            baseline_date=today - datetime.timedelta(days=330),
            target_value=Decimal("160"),
            target_date=today + datetime.timedelta(days=200),
            approved_at=timezone.now() - datetime.timedelta(days=300),
            approved_by=staff,
        )
        for index, org in enumerate(municipalities):
            BenefitTarget.objects.create(
                benefit=benefit,
                organisation=org,
                baseline_value=Decimal("64"),
                target_value=Decimal("32"),
                target_date=benefit.target_date,
                sort_order=index,
            )
        for index, (ago, value) in enumerate(((180, "290"), (90, "240"), (20, "215"))):
            Realisation.objects.create(
                benefit=benefit,
                date=today - datetime.timedelta(days=ago),
                value=Decimal(value),
                comment="Målt i alle kommunene.",
                recorded_by_name="Økonomiavdelingene",
                sort_order=index,
            )
        created += 1
    if maps is not None:
        benefit = Benefit.objects.create(
            measure=maps,
            description="Lavere lisenskostnader for kartverktøy",
            kind=BenefitKind.EFFICIENCY,
            priced=True,
            indicator="Årlige lisenskostnader",
            method="Fakturaer fra leverandørene, per år",
            unit="kr",
            owner=maps.owner,
            baseline_value=Decimal("850000"),
            baseline_date=today - datetime.timedelta(days=400),
            target_value=Decimal("600000"),
            target_date=today - datetime.timedelta(days=10),
            approved_at=timezone.now() - datetime.timedelta(days=380),
            approved_by=staff,
        )
        Benefit.objects.create(
            measure=maps,
            description="Raskere saksbehandling i byggesaker",
            kind=BenefitKind.QUALITY,
            indicator="Gjennomsnittlig saksbehandlingstid (dager)",
            method="Uttrekk fra sakssystemet hvert kvartal",
            unit="dager",
            owner=maps.owner,
            baseline_value=Decimal("42"),
            baseline_date=today - datetime.timedelta(days=400),
            target_value=Decimal("28"),
            target_date=today + datetime.timedelta(days=365),
            approved_at=timezone.now() - datetime.timedelta(days=380),
            approved_by=staff,
        )
        created += 2
    return created


def ensure_proposals(groups, today):
    if Proposal.objects.exists():
        return 0
    body = GoverningBody.objects.filter(name="Bestillerutvalget").first()
    rows = [
        (
            "teknisk",
            ProposalKind.SHARED_SOLUTION,
            "Felles kartløsning for alle fem kommuner",
            ProposalStatus.ADOPTED,
            200,
            ("BU 12/25", 170),
        ),
        (
            "helse-og-velferd",
            ProposalKind.STRATEGY,
            "Innspill til handlingsprogrammet: velferdsteknologi",
            ProposalStatus.SENT,
            30,
            None,
        ),
        ("okonomi", ProposalKind.SYSTEM, "Felles system for innkjøpsanalyse", ProposalStatus.DRAFT, None, None),
    ]
    created = 0
    for slug, kind, title, status, sent_ago, decision in rows:
        group = groups.get(slug)
        if group is None:
            continue
        Proposal.objects.create(
            group=group,
            kind=kind,
            title=title,
            text=f"Faggruppen {group.title} foreslår: {title.lower()}.",
            status=status,
            to_body=body if sent_ago is not None else None,
            submitted_on=today - datetime.timedelta(days=sent_ago) if sent_ago is not None else None,
            decision_case_number=decision[0] if decision else "",
            decision_date=today - datetime.timedelta(days=decision[1]) if decision else None,
            decision_note="Vedtatt som foreslått." if decision else "",
        )
        created += 1
    return created


def load_demo(loader):
    today = timezone.localdate(loader.now)
    staff = loader.users["redaksjon"]
    ensure_users(loader)
    groups = {g.slug: g for g in FaggruppePage.objects.filter(slug__in=MEETINGS_PER_YEAR)}
    created = {"meetings": 0}
    for slug, per_year in MEETINGS_PER_YEAR.items():
        if slug in groups:
            created["meetings"] += ensure_meetings(groups[slug], per_year, today, staff)
    created["measures"] = ensure_measures(groups, today, staff)
    created["benefits"] = ensure_benefits(today, staff)
    created["proposals"] = ensure_proposals(groups, today)
    for key, value in created.items():
        loader.created[key] = loader.created.get(key, 0) + value
