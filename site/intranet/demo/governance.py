"""Governance demo data, loaded by ``DemoLoader`` after the groups and members. Idempotent.

The seed's 2019 mandate is the approved version in force (Styret, 13.02.2019, ST 4/19; the
groups report to Bestillerutvalget). The later Porteføljeråd version waits as a draft: when
staff approve it in the admin, every group is judged by its rules instead (at least one
representative per municipality, meetings as each group decides), with no code change.
"""

import datetime
from dataclasses import asdict

from faggruppe_pages.models import ArbeidsgruppePage
from governance import rules
from governance.models import GoverningBody, LeaderEligibility, Mandate, MandateScope, ReportingLine
from governance.rules import RuleSet
from intranet.demo import data as page_data

D = datetime.date

BODIES = [
    # name, short name, case prefix, established, description
    (
        "Styret for ROR-IKT",
        "Styret",
        "ST",
        D(2014, 1, 1),
        "Rådmennene i deltakerkommunene. Godkjenner strategi og mandater.",
    ),
    (
        "Bestillerutvalget",
        "BU",
        "BU",
        D(2017, 1, 1),
        "Én bestiller per kommune og én fra ROR-IKT. Rådgiver for daglig leder.",
    ),
    ("Samarbeidsrådet", "SR", "SR", D(2020, 1, 1), "Representanter fra de fem samarbeidskommunene."),
    ("Porteføljerådet", "PR", "PR", D(2020, 1, 1), "Rådgivende organ for leder ROR-IKT."),
]
LINES = [
    ("Bestillerutvalget", "Styret for ROR-IKT", D(2017, 1, 1)),
    ("Porteføljerådet", "Samarbeidsrådet", D(2020, 1, 1)),
]

#: The seed's text, without its approval line: the stamp is data on the version now.
MANDATE_2019_TEXT = [block for block in page_data.MANDATE_2019 if "Godkjent av styret" not in str(block[1])]

MANDATE_LATER_TEXT = [
    ("heading", "Formål"),
    (
        "paragraph",
        "<p>Faggruppene skal bidra faglig til nye og forbedrede tjenester for kommunene. Arbeidet er "
        "utviklingsorientert, og den til enhver tid gjeldende felles strategien for digital transformasjon "
        "legger føringer for arbeidet.</p>",
    ),
    ("heading", "Organisering"),
    (
        "paragraph",
        "<p>Faggruppene er underlagt Porteføljerådet. Faggruppenes medlemmer utpekes av kommunene. Hver kommune "
        "samt ROR-IKT skal ha minimum én representant i hver faggruppe. Faggruppens leder velges blant "
        "kommunenes representanter. I tillegg skal det sitte én tillitsvalgt i hver faggruppe; "
        "arbeidstakerorganisasjonene velger selv hvem.</p>"
        "<p>Faggruppen kan opprette arbeids- og/eller prosjektgrupper og er oppdragsgiver for utredninger. "
        "Hver faggruppe bestemmer selv hvor ofte den møtes. Hastesaker kan behandles mellom møtene.</p>",
    ),
    (
        "role_descriptions",
        {
            "heading": "Rollebeskrivelser",
            "roles": [
                {
                    "role": "Leder",
                    "description": "Leder møtene, setter opp saksliste og følger opp faggruppens vedtak.",
                },
                {
                    "role": "Kommunens representant",
                    "description": "Deltar aktivt, koordinerer internt i egen kommune og involverer fagmiljøene.",
                },
                {
                    "role": "Rådgiver fra ROR-IKT",
                    "description": "Bidrar med IKT-faglige vurderinger og sørger for at faggruppen er i virksomhet.",
                },
            ],
        },
    ),
]


#: The 2019 mandate (ST 4/19): exactly one per municipality, leader from an owner municipality, 6–8 meetings.
RULES_2019 = RuleSet(
    min_reps_per_municipality=1,
    max_reps_per_municipality=1,
    leader_eligibility=rules.OWNER_MUNICIPALITIES,
    meetings_per_year_min=6,
    meetings_per_year_max=8,
)
#: The Porteføljeråd version: at least one, leader from any municipality, meetings as each group decides.
RULES_LATER = RuleSet(
    max_reps_per_municipality=None, leader_eligibility=rules.MUNICIPALITIES, urgent_matters_between_meetings=True
)


def _body(name):
    return GoverningBody.objects.get(name=name)


def ensure_bodies():
    for name, short, prefix, established, description in BODIES:
        GoverningBody.objects.get_or_create(
            name=name,
            defaults={
                "short_name": short,
                "case_prefix": prefix,
                "established_on": established,
                "description": description,
            },
        )
    for body, reports_to, since in LINES:
        ReportingLine.objects.get_or_create(body=_body(body), reports_to=_body(reports_to), valid_from=since)
    GoverningBody.objects.filter(name="Bestillerutvalget", successor=None).update(successor=_body("Porteføljerådet"))


def ensure_mandate(user, publish, lookup, **fields):
    """Create a mandate version once: published (approved) or left as a draft revision."""
    mandate = Mandate.objects.filter(**lookup).first()
    if mandate is not None:
        return mandate, False
    mandate = Mandate(**lookup, **fields, live=False)
    mandate.save()
    revision = mandate.save_revision(user=user)
    if publish:
        revision.publish(user=user)
    return mandate, True


def load_demo(loader):
    ensure_bodies()
    user = loader.users["redaksjon"]
    created = 0
    _m, new = ensure_mandate(
        user,
        True,
        {"title": "Mandat for faggruppene", "version": "2019", "scope": MandateScope.FAGGRUPPER},
        text=MANDATE_2019_TEXT,
        approved_by=_body("Styret for ROR-IKT"),
        approved_on=D(2019, 2, 13),
        case_number="ST 4/19",
        valid_from=D(2019, 2, 13),
        reports_to=_body("Bestillerutvalget"),
        **asdict(RULES_2019),
        changes="Første vedtatte mandat for faggruppene.",
    )
    created += new
    _m, new = ensure_mandate(
        user,
        False,
        {"title": "Mandat for faggruppene", "version": "Porteføljerådet", "scope": MandateScope.FAGGRUPPER},
        text=MANDATE_LATER_TEXT,
        valid_from=D(2021, 1, 1),
        reports_to=_body("Porteføljerådet"),
        **asdict(RULES_LATER),
        changes=(
            "Faggruppene rapporterer til Porteføljerådet i stedet for Bestillerutvalget. Minst én representant per "
            "kommune. Lederen velges blant kommunenes representanter. Hver faggruppe bestemmer selv hvor ofte den "
            "møtes, og hastesaker kan behandles mellom møtene."
        ),
    )
    created += new
    project = ArbeidsgruppePage.objects.filter(slug="skoleadministrativt-system").first()
    if project is not None:
        _m, new = ensure_mandate(
            user,
            True,
            {"title": "Mandat for prosjektgruppe skoleadministrativt system", "version": "1", "group": project},
            scope=MandateScope.GROUP,
            text=[
                ("heading", "Oppdrag"),
                ("paragraph", f"<p>{project.assignment}</p>"),
                (
                    "task_list",
                    {
                        "heading": "Oppgaver",
                        "items": [
                            "Kartlegge behov i skolene og kulturskolene",
                            "Utarbeide kravspesifikasjon sammen med ROR-IKT",
                            "Delta i evaluering av tilbud og planlegge innføringen",
                        ],
                    },
                ),
            ],
            approved_by=_body("Bestillerutvalget"),
            approved_on=D(2025, 1, 10),
            case_number="BU 3/25",
            valid_from=D(2025, 1, 15),
            reports_to=None,
            min_reps_per_municipality=None,
            max_reps_per_municipality=None,
            cooperation_seat_required=True,
            union_seats_min=None,
            union_seats_max=None,
            leader_required=True,
            leader_eligibility=LeaderEligibility.MUNICIPALITIES,
            review_interval_days=180,
        )
        created += new
    loader.created["mandates"] = loader.created.get("mandates", 0) + created
