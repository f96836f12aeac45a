"""Invented demo data for ROR-IKT: organisations, groups, and the 2019 mandate text from the seed."""

import datetime

D = datetime.date

COOPERATION = {"slug": "ror-ikt", "name": "Vertskommunesamarbeidet ROR-IKT", "short_name": "ROR-IKT"}

# (slug, name, municipality number, participant from, participant to, merged into)
MUNICIPALITIES = [
    ("aukra", "Aukra kommune", "1547", D(2014, 1, 1), None, None),
    ("hustadvika", "Hustadvika kommune", "1579", D(2020, 1, 1), None, None),
    ("molde", "Molde kommune", "1506", D(2014, 1, 1), None, None),
    ("rauma", "Rauma kommune", "1539", D(2014, 1, 1), None, None),
    ("vestnes", "Vestnes kommune", "1535", D(2014, 1, 1), None, None),
    # Merged into Molde on 1 January 2020; kept so that old memberships keep pointing at it.
    ("midsund", "Midsund kommune", "1545", D(2014, 1, 1), D(2019, 12, 31), "molde"),
]
MUNICIPALITY_SHORT = {
    "aukra": "Aukra",
    "hustadvika": "Hustadvika",
    "molde": "Molde",
    "rauma": "Rauma",
    "vestnes": "Vestnes",
    "midsund": "Midsund",
}
CURRENT_MUNICIPALITIES = ["aukra", "hustadvika", "molde", "rauma", "vestnes"]

#: The demo's accessibility statement (a site setting staff edit in Innstillinger): the responsible body, the
#: contact and the dates; the other parts stay empty, so the page shows its built-in texts in the reader's language.
ACCESSIBILITY_STATEMENT = {
    "responsible": "Vertskommunesamarbeidet ROR-IKT",
    "conformance": "partial",
    "contact_email": "tilgjengelighet@ror-ikt.no",
    "made_on": D(2025, 9, 1),
    "reviewed_on": D(2026, 3, 1),
}

UNIONS = [("fagforbundet", "Fagforbundet"), ("utdanningsforbundet", "Utdanningsforbundet")]

FIRST_NAMES = [
    "Kari",
    "Ole",
    "Ingrid",
    "Lars",
    "Silje",
    "Anders",
    "Marte",
    "Per",
    "Hanne",
    "Jon",
    "Solveig",
    "Erik",
    "Tone",
    "Knut",
    "Hilde",
    "Bjørn",
    "Ragnhild",
    "Øystein",
    "Åse",
    "Geir",
    "Liv",
    "Terje",
    "Randi",
    "Håkon",
    "Turid",
    "Svein",
    "Eli",
    "Arild",
    "Gunn",
    "Trond",
]
LAST_NAMES = [
    "Aas",
    "Bjørnstad",
    "Hoem",
    "Eide",
    "Langset",
    "Rødal",
    "Sæter",
    "Gjerde",
    "Vike",
    "Ødegård",
    "Hjelle",
    "Myklebust",
    "Røsand",
    "Tornes",
    "Bolsønes",
    "Gussiås",
    "Åndal",
    "Kleive",
    "Ulvestad",
    "Hagen",
    "Strand",
    "Bøe",
    "Vestad",
    "Nerland",
    "Skaret",
    "Furland",
    "Hustad",
    "Aspen",
    "Lien",
    "Tøsse",
]

JOB_TITLES = {
    "dokumentasjonsforvaltning": "Arkivleder",
    "helse-og-velferd": "Fagleder helse",
    "lonn-og-personal": "Lønnsleder",
    "microsoft-365-forvaltning": "IKT-koordinator",
    "oppvekst-og-utdanning": "Kommunalsjef oppvekst",
    "personvern-og-informasjonssikkerhet": "Personvernombud",
    "portal-og-innbyggerdialog": "Kommunikasjonsrådgiver",
    "teknisk": "Avdelingsingeniør",
    "okonomi": "Regnskapssjef",
}

# The nine faggrupper of ROR-IKT (the 2019 mandate's list), with how their demo member lists deviate
# from the mandate, so that later features (compliance, reminders) have something to show.
#   leader: municipality slug whose rep leads, "ror-ikt" (an ineligible leader) or None (no leader)
#   missing: municipalities with an empty seat; extra: municipalities with a second member
#   union: union slug or None; verified_days_ago: None means never verified
GROUPS = [
    {
        "slug": "dokumentasjonsforvaltning",
        "title": "Dokumentasjonsforvaltning",
        "area": "Arkiv, sak/arkiv-system og dokumentasjonsforvaltning",
        "purpose": "Samordne arkivarbeidet og bruken av sak- og arkivsystemet i kommunene, og følge opp nye krav til "
        "dokumentasjonsforvaltning.",
        "leader": "molde",
        "missing": [],
        "extra": [],
        "union": "fagforbundet",
        "verified_days_ago": 20,
    },
    {
        "slug": "helse-og-velferd",
        "title": "Helse og velferd",
        "area": "Pleie og omsorg, NAV, barnevern og velferdsteknologi",
        "purpose": "Bidra til felles løsninger for journal, velferdsteknologi og digitale tjenester "
        "innen helse og velferd.",
        "leader": "rauma",
        "missing": [],
        "extra": ["molde"],
        "union": "fagforbundet",
        "verified_days_ago": 45,
    },
    {
        "slug": "lonn-og-personal",
        "title": "Lønn og personal",
        "area": "Lønn, personal og HR-systemer",
        "purpose": "Samkjøre bruken av lønns- og personalsystemet og arbeide for digitale arbeidsprosesser innen HR.",
        "leader": "vestnes",
        "missing": ["aukra"],
        "extra": [],
        "union": "fagforbundet",
        "verified_days_ago": 400,
    },
    {
        "slug": "microsoft-365-forvaltning",
        "title": "Microsoft 365 forvaltning",
        "area": "Microsoft 365, Teams og samhandlingsverktøy",
        "purpose": "Forvalte den felles Microsoft 365-plattformen og gi råd om bruk, opplæring og nye funksjoner.",
        "leader": None,
        "missing": [],
        "extra": [],
        "union": "fagforbundet",
        "verified_days_ago": 15,
    },
    {
        "slug": "oppvekst-og-utdanning",
        "title": "Oppvekst og utdanning",
        "area": "Skole, barnehage, kulturskole og PPT",
        "purpose": "Bidra til fremtidsrettet bruk av IKT i skole og barnehage, og samkjøre fagsystemene for oppvekst.",
        "leader": "molde",
        "missing": [],
        "extra": [],
        "union": "utdanningsforbundet",
        "verified_days_ago": 60,
    },
    {
        "slug": "personvern-og-informasjonssikkerhet",
        "title": "Personvern og informasjonssikkerhet",
        "area": "Personvern, informasjonssikkerhet og internkontroll",
        "purpose": "Styrke arbeidet med personvern og informasjonssikkerhet på tvers av kommunene.",
        "leader": "aukra",
        "missing": [],
        "extra": [],
        "union": "fagforbundet",
        "verified_days_ago": None,
    },
    {
        "slug": "portal-og-innbyggerdialog",
        "title": "Portal og innbyggerdialog",
        "area": "Nettsider, intranett, selvbetjening og innbyggerdialog",
        "purpose": "Utvikle kommunenes nettsider og digitale innbyggertjenester, og sørge for god dialog "
        "med innbyggerne.",
        "leader": "molde",
        "missing": ["hustadvika"],
        "extra": [],
        "union": "fagforbundet",
        "verified_days_ago": 30,
    },
    {
        "slug": "teknisk",
        "title": "Teknisk",
        "area": "Plan, bygg, geodata, vann og avløp",
        "purpose": "Samordne fagsystemene innen plan, byggesak, kart og tekniske tjenester.",
        "leader": "ror-ikt",
        "missing": ["hustadvika"],
        "extra": [],
        "union": "fagforbundet",
        "verified_days_ago": 200,
    },
    {
        "slug": "okonomi",
        "title": "Økonomi",
        "area": "Økonomi, regnskap, innkjøp og fakturering",
        "purpose": "Samkjøre økonomisystemet og arbeide for effektive og digitale økonomiprosesser.",
        "leader": "vestnes",
        "missing": [],
        "extra": [],
        "union": None,
        "verified_days_ago": 90,
    },
]

# (parent group slug, slug, title, kind, assignment, starts, ends, closed_on)
ARBEIDSGRUPPER = [
    (
        "helse-og-velferd",
        "velferdsteknologi",
        "Arbeidsgruppe velferdsteknologi",
        "arbeidsgruppe",
        "Kartlegge behovet for velferdsteknologi og foreslå en felles plattform for digitalt tilsyn.",
        D(2024, 3, 1),
        None,
        None,
    ),
    (
        "oppvekst-og-utdanning",
        "skoleadministrativt-system",
        "Prosjektgruppe skoleadministrativt system",
        "prosjektgruppe",
        "Forberede anskaffelse og innføring av nytt skoleadministrativt system.",
        D(2025, 1, 15),
        D(2026, 12, 31),
        None,
    ),
    (
        "okonomi",
        "innkjop-og-ehandel",
        "Arbeidsgruppe innkjøp og e-handel",
        "arbeidsgruppe",
        "Utrede felles løsning for e-handel og elektronisk fakturabehandling.",
        D(2025, 9, 1),
        None,
        None,
    ),
    (
        "microsoft-365-forvaltning",
        "windows-11-utrulling",
        "Arbeidsgruppe Windows 11-utrulling",
        "arbeidsgruppe",
        "Planlegge og følge opp utrullingen av Windows 11 i kommunene.",
        D(2023, 5, 1),
        D(2024, 10, 31),
        D(2024, 10, 31),
    ),
]

INDEX_INTRO = (
    "<p>Faggruppene gir råd til ROR-IKTs tjenesteutvikling og samordner bruken av IKT innen hvert fagområde. "
    "Her finner du gruppene, mandatet deres og hvem som representerer kommunen din.</p>"
)

# The 2019 mandate from the seed (shared/seed/), as StreamField data.
MANDATE_2019 = [
    ("heading", "Formål"),
    (
        "paragraph",
        "<p>Hovedformålet med faggruppene er å bidra til fremtidsrettet bruk, samhandling og "
        "interkommunal samkjøring av IKT innen fagområdet.</p>",
    ),
    ("heading", "Organisering"),
    (
        "paragraph",
        "<p>Faggruppene er underlagt Bestillerutvalget og fungerer som rådgivere for ROR-IKTs "
        "tjenesteutvikling.</p>"
        "<p>Faggruppenes medlemmer utpekes av kommunene. Hver kommune samt ROR-IKT skal ha en (1) representant i "
        "hver faggruppe. Det er kommunenes ansvar å sørge for at kommunen er tilfredsstillende representert i alle "
        "faggrupper. Faggruppens leder skal velges blant en av eierkommunenes representanter. I tillegg skal det "
        "sitte en (1) tillitsvalgt i hver faggruppe. Fagforeningene velger selv hvem som sitter i de ulike "
        "faggruppene.</p>"
        "<p>Kommunens representant har ansvar for å sørge for koordinering internt i sin egen kommune og for å "
        "involvere de ulike fagmiljøene innenfor sitt eget faggruppeområde.</p>"
        "<p>Faggruppene har ansvar for og myndighet til å opprette arbeidsgrupper innen de ulike underområdene som "
        "vil utføre nødvendige oppgaver på vegne av faggruppen. Representanter i arbeidsgruppene utnevnes av lederne "
        "i de ulike fagmiljøene i kommunene, eksempelvis av systemeier og/eller enhetsleder.</p>"
        "<p>ROR-IKTs rolle i faggruppene er å bidra til best mulig utnyttelse av systemer i samarbeid med "
        "systemansvarlig og faggruppen, sørge for at faggruppen er i virksomhet samt bidra med IKT-faglige "
        "vurderinger i faggruppens arbeid.</p>",
    ),
    (
        "task_list",
        {
            "heading": "Mandat for faggruppene",
            "items": [
                "Gi faglige innspill til Bestillerutvalget vedrørende strategi og handlingsprogram",
                "Fremlegge forslag vedrørende systemer, fellesløsninger, digitaliseringsinitiativ, organisering, "
                "kompetanseutvikling mv. for fagområdet til Bestillerutvalget",
                "Bidra til utvikling av digitale innbyggertjenester for fagområdet",
                "Ansvar for gjennomføring av utredninger, samt bidra i anskaffelsesprosesser og innføringsprosjekter",
                "Sørge for utarbeidelse av gevinstplan og oppfølging av realiserte gevinster ved innføring av "
                "initiativer innenfor fagområdet og informere prosjektleder tilsvarende",
                "Gjennomføre regelmessige faggruppemøter, anslagsvis 6-8 ganger pr. år",
                "Følge opp og rapportere status for iverksatte tiltak i egen regi",
                "Sørge for oppdatert faginformasjon på faggruppens område på felles intranett",
            ],
        },
    ),
    ("paragraph", "<p><em>Godkjent av styret for ROR-IKT 13.02.2019 – sak ST 4/19</em></p>"),
]

# username -> (first name, last name, what they are). Password for all: "demo".
DEMO_USERS = [
    ("admin", "Ada", "Administrator", "superuser"),
    ("redaksjon", "Randi", "Redaktør", "staff"),
    ("leser", "Lena", "Leser", "reader"),
    ("rep-aukra", "Arne", "Aukrasen", "aukra"),
    ("rep-hustadvika", "Hege", "Hustad", "hustadvika"),
    ("rep-molde", "Mona", "Moldestad", "molde"),
    ("rep-rauma", "Rolf", "Raumstad", "rauma"),
    ("rep-vestnes", "Vera", "Vestnesli", "vestnes"),
    ("rep-fagforbundet", "Frode", "Fagerli", "fagforbundet"),
    # Members of a group with accounts (intranet.demo.work links them): Teknisk's secretary and leader.
    ("sekretaer", "Sigrid", "Sekretær", "member"),
    ("leder-teknisk", "Lars", "Leder", "member"),
]
DEMO_PASSWORD = "demo"
