"""Small Swedish vocabularies that synthetic organisations are composed from.

Every text here was written for the generator; none is taken from a real municipality's
documents. Names of places and people are combinations, not references to real ones.
"""

from __future__ import annotations

from dataclasses import dataclass

# Parts of place names: "Ek" + "sjö" gives "Eksjö", "Norr" + "hamn" gives "Norrhamn".
PLACE_HEADS = (
    "Ek", "Björk", "Sjö", "Berg", "Lind", "Gran", "Ny", "Norr", "Sö", "Väst", "Öst", "Hag",
    "Strand", "Ås", "Lunda", "Mal", "Fors", "Älv", "Ros", "Sand", "Hall", "Kvarn", "Tall",
    "Ljung", "Mo", "Sten", "Vik", "Åker", "Bred", "Holm", "Klint", "Ler", "Myr", "Ram",
    "Skog", "Torn", "Ulv", "Vall", "Ör", "Hjort", "Rönn", "Al", "Lo", "Ed", "Hed",
)  # fmt: skip
PLACE_TAILS = (
    "by", "dal", "holm", "vik", "torp", "berga", "sund", "backa", "hamn", "köping", "ås",
    "näs", "stad", "fors", "lunda", "ryd", "sjö", "hult", "mark", "tuna", "vall", "åker",
    "ö", "bro", "mo",
)  # fmt: skip

FIRST_NAMES = (
    "Anna", "Erik", "Maria", "Lars", "Karin", "Anders", "Eva", "Johan", "Lena", "Per",
    "Sara", "Mikael", "Emma", "Fredrik", "Ida", "Ahmed", "Fatima", "Jonas", "Sofia", "Magnus",
    "Linnea", "Oskar", "Elin", "Henrik", "Amira", "Nils", "Hanna", "Mohammed", "Maja", "Gustav",
    "Ingrid", "Ali", "Klara", "Viktor", "Leila", "Tomas", "Josefin", "Daniel", "Birgitta", "Omar",
)  # fmt: skip
LAST_NAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Lindberg", "Lindqvist",
    "Berglund", "Holm", "Sandberg", "Ek", "Sjöberg", "Hassan", "Lund", "Nyström", "Åberg",
    "Falk", "Strand", "Hedlund", "Öberg", "Björk", "Yilmaz", "Wikström",
)  # fmt: skip

RESPONSIBLE_ROLES = (
    "Enhetschef", "Avdelningschef", "Controller", "Förvaltningschef", "Kvalitetsutvecklare",
    "Systemförvaltare", "HR-specialist", "Ekonomichef", "Verksamhetsutvecklare", "Nämndsekreterare",
    "Upphandlare", "Informationssäkerhetssamordnare", "Administrativ chef",
)  # fmt: skip

AUDITORS = (
    "Kommunens förtroendevalda revisorer",
    "Revisionsbyrån Norrsken AB",
    "Granskningshuset i Mälardalen AB",
    "Revision & Kvalitet Sverige AB",
)
CITY_AUDITOR = "Stadsrevisionen"


@dataclass(frozen=True)
class ProcessWords:
    """A process, what its risks concern ("utbetalningar av …") and its topic ("… bistånd")."""

    name: str
    subject: str
    topic: str


@dataclass(frozen=True)
class Domain:
    """A field of municipal work: the departments, units and processes found in it."""

    key: str
    departments: tuple[str, ...]
    unit_kinds: tuple[str, ...]  # "{place}" is replaced by a place name
    processes: tuple[ProcessWords, ...]


P = ProcessWords

GENERAL_PROCESSES = (
    P("Upphandling och inköp", "inköp av varor och tjänster", "upphandling"),
    P("Attest och utbetalning", "utbetalningar till leverantörer", "attest"),
    P("Löneadministration", "löneutbetalningar och ersättningar", "lönehantering"),
    P("Informationssäkerhet", "behörigheter i verksamhetssystemen", "informationssäkerhet"),
    P("Dataskydd", "behandlingen av personuppgifter", "dataskydd"),
    P("Diarieföring och arkiv", "registreringen av allmänna handlingar", "diarieföring"),
    P("Representation och gåvor", "kostnader för representation", "representation"),
    P("Arbetsmiljö", "det systematiska arbetsmiljöarbetet", "arbetsmiljö"),
    P("Rekrytering", "anställningar av ny personal", "rekrytering"),
    P("Avtalsuppföljning", "uppföljningen av ingångna avtal", "avtalsförvaltning"),
    P("Delegering av beslut", "beslut fattade på delegation", "delegationsordningen"),
    P("Kontanthantering", "hanteringen av kontanter och kort", "kontanthantering"),
)

DOMAINS: dict[str, Domain] = {
    domain.key: domain
    for domain in (
        Domain(
            "central",
            (
                "Ekonomiavdelningen",
                "HR-avdelningen",
                "Kansliavdelningen",
                "Digitaliseringsavdelningen",
                "Kommunikationsavdelningen",
            ),
            (
                "Lönecenter",
                "Kundtjänst {place}",
                "Upphandlingsenheten",
                "IT-service",
                "Redovisningsenheten",
                "Kontaktcenter",
            ),
            (
                P("Budget och prognos", "prognoserna för årets resultat", "budgetuppföljning"),
                P("Bokslut", "periodiseringarna i bokslutet", "bokslutsarbete"),
                P("Krisberedskap", "planeringen för kris och höjd beredskap", "krisberedskap"),
                P("Bisysslor", "anmälan av anställdas bisysslor", "bisysslor"),
            ),
        ),
        Domain(
            "social",
            (
                "Individ- och familjeomsorg",
                "Barn och unga",
                "Vuxen och beroende",
                "Ekonomiskt bistånd",
                "Myndighetsavdelningen",
            ),
            (
                "Mottagningsenheten",
                "Utredningsenhet {place}",
                "Familjebehandling {place}",
                "Försörjningsstöd {place}",
                "Boendestöd {place}",
                "Familjehemsenheten",
            ),
            (
                P(
                    "Handläggning av ekonomiskt bistånd",
                    "utbetalningar av ekonomiskt bistånd",
                    "ekonomiskt bistånd",
                ),
                P("Utredning av barn och unga", "utredningar av barns behov", "barnutredningar"),
                P(
                    "Placeringar i familjehem och HVB",
                    "placeringar av barn och unga",
                    "placeringar",
                ),
                P(
                    "Hantering av orosanmälningar",
                    "förhandsbedömningar av orosanmälningar",
                    "orosanmälningar",
                ),
                P("Missbruksvård", "insatser inom missbruksvården", "missbruksvård"),
            ),
        ),
        Domain(
            "elderly",
            (
                "Hemtjänst",
                "Särskilt boende",
                "Biståndsenheten",
                "Hälso- och sjukvård",
                "Dagverksamhet",
            ),
            (
                "Hemtjänst {place}",
                "Vård- och omsorgsboendet {place}",
                "Dagverksamhet {place}",
                "Hemsjukvård {place}",
                "Korttidsboendet {place}",
                "Trygghetsboendet {place}",
            ),
            (
                P("Läkemedelshantering", "läkemedelshanteringen på boendena", "läkemedel"),
                P(
                    "Biståndsbedömning",
                    "beslut om bistånd enligt socialtjänstlagen",
                    "biståndsbedömning",
                ),
                P(
                    "Avvikelsehantering",
                    "rapporteringen av avvikelser och missförhållanden",
                    "avvikelser",
                ),
                P(
                    "Nyckelhantering i hemtjänsten",
                    "hanteringen av brukarnas nycklar",
                    "nyckelhantering",
                ),
                P("Hantering av brukares medel", "hanteringen av brukarnas pengar", "brukarmedel"),
            ),
        ),
        Domain(
            "disability",
            ("Myndighetsutövning LSS", "Boende LSS", "Daglig verksamhet", "Personlig assistans"),
            (
                "Gruppbostaden {place}",
                "Servicebostaden {place}",
                "Daglig verksamhet {place}",
                "Assistansenheten",
                "Korttidsvistelse {place}",
            ),
            (
                P("Handläggning enligt LSS", "beslut om insatser enligt LSS", "LSS-handläggning"),
                P(
                    "Personlig assistans",
                    "tidrapporteringen inom personlig assistans",
                    "personlig assistans",
                ),
                P("Genomförandeplaner", "genomförandeplanerna för brukarna", "genomförandeplaner"),
            ),
        ),
        Domain(
            "school",
            (
                "Grundskoleavdelningen",
                "Förskoleavdelningen",
                "Elevhälsan",
                "Gymnasieavdelningen",
                "Vuxenutbildningen",
            ),
            (
                "{place}skolan",
                "Förskolan {place}",
                "Fritidshemmet {place}",
                "{place} gymnasium",
                "Elevhälsoteam {place}",
                "Förskoleområde {place}",
            ),
            (
                P("Betygssättning", "betygen i årskurs 9", "betygssättning"),
                P("Skolskjuts", "beslut om skolskjuts", "skolskjuts"),
                P(
                    "Kränkande behandling",
                    "utredningar av kränkande behandling",
                    "kränkande behandling",
                ),
                P("Elevhälsa", "elevhälsans journalföring", "elevhälsa"),
                P("Antagning och placering", "placeringar i förskola och skola", "antagning"),
                P("Frånvarouppföljning", "uppföljningen av elevers frånvaro", "frånvaro"),
            ),
        ),
        Domain(
            "labour",
            ("Arbetsmarknadsavdelningen", "Vuxenutbildning och SFI", "Integration"),
            (
                "Jobbcentrum {place}",
                "SFI {place}",
                "Arbetsträning {place}",
                "Feriearbete",
                "Etableringsenheten",
            ),
            (
                P(
                    "Arbetsmarknadsinsatser",
                    "anvisningar till arbetsmarknadsinsatser",
                    "arbetsmarknadsinsatser",
                ),
                P("Anställningsstöd", "utbetalningar av anställningsstöd", "anställningsstöd"),
                P("Svenska för invandrare", "bedömningarna av elevernas resultat", "SFI"),
            ),
        ),
        Domain(
            "culture",
            ("Biblioteken", "Kulturavdelningen", "Fritidsavdelningen", "Idrottsanläggningar"),
            (
                "Biblioteket {place}",
                "Fritidsgården {place}",
                "Simhallen {place}",
                "Kulturskolan",
                "Idrottsplatsen {place}",
                "Konsthallen",
            ),
            (
                P("Föreningsbidrag", "utbetalningar av föreningsbidrag", "föreningsbidrag"),
                P("Uthyrning av lokaler", "bokningen av kommunens lokaler", "lokaluthyrning"),
                P("Entréavgifter", "hanteringen av entréavgifter", "avgifter"),
                P("Säkerhet vid evenemang", "säkerheten vid publika evenemang", "evenemang"),
            ),
        ),
        Domain(
            "environment",
            ("Miljötillsyn", "Livsmedelskontroll", "Hälsoskydd", "Naturvård"),
            (
                "Tillsynsenhet {place}",
                "Livsmedelsenheten",
                "Miljöstrategiska enheten",
                "Hälsoskyddsenheten",
            ),
            (
                P("Livsmedelskontroll", "den planerade livsmedelskontrollen", "livsmedelskontroll"),
                P("Miljötillsyn", "tillsynsbesöken enligt miljöbalken", "miljötillsyn"),
                P("Taxor och avgifter", "debiteringen av tillsynsavgifter", "tillsynsavgifter"),
                P("Klagomålshantering", "handläggningen av klagomål", "klagomål"),
            ),
        ),
        Domain(
            "building",
            ("Bygglovsavdelningen", "Planavdelningen", "Lantmäteri", "Exploatering"),
            (
                "Bygglovsenhet {place}",
                "Planenheten",
                "Kart- och mätenheten",
                "Exploateringsenheten",
            ),
            (
                P("Bygglovshandläggning", "handläggningen av bygglov", "bygglov"),
                P("Detaljplanering", "arbetet med detaljplaner", "detaljplaner"),
                P("Markförsäljning", "försäljningar av kommunal mark", "markaffärer"),
                P("Olovligt byggande", "tillsynen över olovligt byggande", "byggtillsyn"),
            ),
        ),
        Domain(
            "technical",
            (
                "Gata och park",
                "Vatten och avlopp",
                "Fastighetsavdelningen",
                "Avfall",
                "Trafikavdelningen",
            ),
            (
                "Driftområde {place}",
                "Parkenheten",
                "Reningsverket {place}",
                "Fastighetsförvaltning {place}",
                "Återvinningscentralen {place}",
                "Fordonsenheten",
            ),
            (
                P("Vinterväghållning", "snöröjningen på kommunens gator", "vinterväghållning"),
                P(
                    "Fastighetsunderhåll",
                    "underhållet av kommunens fastigheter",
                    "fastighetsunderhåll",
                ),
                P("Vattenförsörjning", "kvaliteten på dricksvattnet", "dricksvatten"),
                P("Fordon och drivmedel", "användningen av drivmedelskort", "drivmedelskort"),
                P("Entreprenader", "uppföljningen av entreprenadavtal", "entreprenader"),
            ),
        ),
        Domain(
            "rescue",
            ("Förebyggande avdelningen", "Operativa avdelningen"),
            ("Brandstation {place}", "Tillsynsenheten", "Utbildningsenheten"),
            (
                P(
                    "Tillsyn enligt LSO",
                    "tillsynen enligt lagen om skydd mot olyckor",
                    "brandtillsyn",
                ),
                P("Insatsberedskap", "beredskapen för räddningsinsatser", "insatsberedskap"),
                P("Sotning", "kontrollen av brandskyddet i eldstäder", "sotning"),
            ),
        ),
        Domain(
            "guardianship",
            ("Handläggning", "Granskning av redovisningar"),
            ("Handläggarenheten", "Granskningsenheten"),
            (
                P(
                    "Granskning av årsräkningar",
                    "granskningen av ställföreträdarnas årsräkningar",
                    "årsräkningar",
                ),
                P(
                    "Rekrytering av ställföreträdare",
                    "lämplighetsprövningen av gode män",
                    "ställföreträdare",
                ),
            ),
        ),
    )
}


@dataclass(frozen=True)
class CommitteeWords:
    name: str
    abbreviation: str
    administration: str
    domains: tuple[str, ...]
    weight: int  # how large its organisation is, relative to the others


C = CommitteeWords

# A large city's central committees, in the order they are taken.
CITY_COMMITTEES = (
    C("Kommunstyrelsen", "KS", "Stadsledningskontoret", ("central",), 3),
    C("Socialnämnden", "SN", "Socialförvaltningen", ("social",), 4),
    C("Äldrenämnden", "ÄN", "Äldreförvaltningen", ("elderly",), 4),
    C("Funktionsstödsnämnden", "FSN", "Funktionsstödsförvaltningen", ("disability",), 3),
    C("Grundskolenämnden", "GRN", "Grundskoleförvaltningen", ("school",), 5),
    C("Förskolenämnden", "FN", "Förskoleförvaltningen", ("school",), 4),
    C("Utbildningsnämnden", "UN", "Utbildningsförvaltningen", ("school",), 3),
    C("Arbetsmarknadsnämnden", "AMN", "Arbetsmarknadsförvaltningen", ("labour",), 2),
    C("Kulturnämnden", "KUN", "Kulturförvaltningen", ("culture",), 2),
    C("Idrottsnämnden", "IN", "Idrottsförvaltningen", ("culture",), 2),
    C("Miljö- och hälsoskyddsnämnden", "MHN", "Miljöförvaltningen", ("environment",), 2),
    C("Stadsbyggnadsnämnden", "SBN", "Stadsbyggnadskontoret", ("building",), 2),
    C("Trafiknämnden", "TN", "Trafikkontoret", ("technical",), 2),
    C("Fastighetsnämnden", "FAN", "Fastighetskontoret", ("technical",), 2),
    C("Exploateringsnämnden", "EXN", "Exploateringskontoret", ("building",), 1),
    C("Servicenämnden", "SEN", "Serviceförvaltningen", ("central",), 2),
    C("Räddningsnämnden", "RN", "Räddningstjänsten", ("rescue",), 1),
    C("Överförmyndarnämnden", "ÖFN", "Överförmyndarförvaltningen", ("guardianship",), 1),
    C("Kretsloppsnämnden", "KLN", "Kretsloppsförvaltningen", ("technical",), 2),
    C("Valnämnden", "VN", "Valkansliet", ("central",), 1),
)
# The city's district committees are made from these and a place name.
DISTRICT_COMMITTEE = C(
    "Stadsdelsnämnden {place}", "SDN", "Stadsdelsförvaltningen {place}",
    ("social", "elderly", "school", "culture"), 3,
)  # fmt: skip

# A smaller municipality's committees; the council's executive committee comes first.
MUNICIPAL_COMMITTEES = (
    C("Kommunstyrelsen", "KS", "Kommunledningsförvaltningen", ("central", "technical"), 3),
    C("Socialnämnden", "SN", "Socialförvaltningen", ("social", "disability"), 3),
    C("Barn- och utbildningsnämnden", "BUN", "Barn- och utbildningsförvaltningen",
      ("school",), 4),
    C("Vård- och omsorgsnämnden", "VON", "Vård- och omsorgsförvaltningen",
      ("elderly", "disability"), 3),
    C("Kultur- och fritidsnämnden", "KFN", "Kultur- och fritidsförvaltningen", ("culture",), 1),
    C("Miljö- och byggnadsnämnden", "MBN", "Miljö- och byggförvaltningen",
      ("environment", "building"), 1),
    C("Tekniska nämnden", "TN", "Tekniska förvaltningen", ("technical",), 2),
    C("Arbetsmarknadsnämnden", "AMN", "Arbetsmarknadsförvaltningen", ("labour",), 1),
    C("Samhällsbyggnadsnämnden", "SBN", "Samhällsbyggnadsförvaltningen",
      ("building", "technical"), 2),
    C("Överförmyndarnämnden", "ÖFN", "Överförmyndarkansliet", ("guardianship",), 1),
    C("Räddningsnämnden", "RN", "Räddningstjänsten", ("rescue",), 1),
    C("Valnämnden", "VN", "Valkansliet", ("central",), 1),
    C("Bildningsnämnden", "BIN", "Bildningsförvaltningen", ("school", "culture"), 2),
    C("Gymnasienämnden", "GN", "Gymnasieförvaltningen", ("school",), 1),
)  # fmt: skip

RISK_AREAS = {
    "fraud": "Risker för oegentligheter och annat oetiskt beteende",
    "money": "Ekonomiska risker",
    "law": "Risker för brister i regelefterlevnad",
    "service": "Risker i verksamhetens kvalitet",
    "information": "Risker för informationssäkerheten",
    "staff": "Risker i personal och arbetsmiljö",
    "trust": "Risker för förtroendet för kommunen",
}


@dataclass(frozen=True)
class Problem:
    """What can go wrong with a subject, and the risk area it belongs under."""

    text: str
    area: str


PROBLEMS = (
    Problem("görs på ofullständigt underlag", "law"),
    Problem("dokumenteras inte enligt rutin", "law"),
    Problem("sker utan att rutinen följs", "service"),
    Problem("försenas utöver fastställda tider", "service"),
    Problem("hanteras av personer utan behörighet", "information"),
    Problem("följs inte upp systematiskt", "service"),
    Problem("beslutas utan stöd i delegationsordningen", "law"),
    Problem("betalas ut med felaktiga belopp", "money"),
    Problem("kan utnyttjas för egen vinning", "fraud"),
    Problem("påverkas av jäv eller otillbörliga hänsyn", "fraud"),
    Problem("blir beroende av enskilda medarbetare", "staff"),
    Problem("saknar tydlig ansvarsfördelning", "staff"),
    Problem("överskrider budgeterade kostnader", "money"),
    Problem("exponerar känsliga personuppgifter", "information"),
    Problem("uppfattas som orättvisa av kommuninvånarna", "trust"),
    Problem("brister i spårbarhet", "information"),
    Problem("utförs olika i olika delar av verksamheten", "service"),
)

CAUSES = (
    "eftersom rutinen inte är känd av alla medarbetare",
    "på grund av hög personalomsättning",
    "då verksamhetssystemet saknar spärrar",
    "eftersom kontrollerna görs manuellt",
    "när arbetsbelastningen är hög",
    "eftersom ansvaret är otydligt fördelat mellan enheterna",
    "då nya medarbetare inte får tillräcklig introduktion",
    "eftersom uppföljningen sker först i bokslutet",
    "då underlagen lämnas in sent",
    "eftersom flera system används parallellt",
)

DETAILS = (
    "Tidigare års uppföljning har visat enstaka brister.",
    "Verksamheten har vuxit snabbare än rutinerna.",
    "Området har uppmärksammats av revisorerna.",
    "Risken har lyfts av enhetscheferna i riskanalysen.",
    "Lagstiftningen på området har nyligen ändrats.",
    "",
    "",
)

CONSEQUENCES = (
    "Kommunen kan drabbas av ekonomisk förlust.",
    "Förtroendet för verksamheten kan skadas.",
    "Den enskilde får inte det stöd hen har rätt till.",
    "Beslut kan överklagas och upphävas.",
    "Tillsynsmyndigheten kan besluta om sanktionsavgift.",
    "Medarbetare kan utsättas för misstanke om oegentligheter.",
    "Verksamhetens mål nås inte.",
    "Uppgifter kan röjas för obehöriga.",
    "Arbetsmiljön försämras och sjukfrånvaron ökar.",
)

EXISTING_CONTROLS = (
    "Attest av två personer före utbetalning.",
    "Månatlig avstämning mot ekonomisystemet.",
    "Rutinen finns beskriven på intranätet.",
    "Chefen gör stickprov en gång per år.",
    "Behörigheterna styrs i verksamhetssystemet.",
    "Ärendena gås igenom på veckovisa möten.",
    "Delegationsordningen revideras årligen.",
    "Checklista används vid varje ärende.",
    "Introduktionsprogram för nya medarbetare.",
    "Inga särskilda kontroller finns i dag.",
)

PLANNED_HANDLING = {
    "accept": "Risken accepteras då kostnaden för ytterligare åtgärder överstiger nyttan.",
    "mitigate": "Åtgärder vidtas under året för att sänka sannolikheten.",
    "review": "Kontrollmomentet granskas i årets internkontrollplan.",
    "improve": "Risken hanteras i det systematiska kvalitetsarbetet.",
}

# "{subject}" and "{topic}" are taken from the risk's process.
ACTION_TITLES = (
    "Revidera rutinen för {topic}",
    "Utbilda berörda medarbetare i {topic}",
    "Inför behörighetskontroll för {subject}",
    "Ta fram en checklista för {topic}",
    "Genomför egenkontroll av {subject}",
    "Se över delegationsordningen avseende {topic}",
    "Tydliggör ansvarsfördelningen för {topic}",
    "Inför systemstöd för {topic}",
    "Inför dualitet i hanteringen av {topic}",
    "Informera chefer om rutinen för {topic}",
    "Följ upp {subject} månadsvis",
)
ACTION_DESCRIPTIONS = (
    "Arbetet samordnas av förvaltningens controller.",
    "Genomförs i samverkan med berörda enhetschefer.",
    "Resultatet redovisas för ledningsgruppen.",
    "Ingår i förvaltningens verksamhetsplan.",
    "",
    "",
)

ACTION_COMMENTS = {
    "not_started": (
        "Arbetet har ännu inte påbörjats.",
        "Planeras att starta under nästa period.",
        "Har skjutits upp på grund av vakanser.",
    ),
    "in_progress": (
        "Arbetet pågår enligt plan.",
        "Ett utkast är framtaget och ska förankras i ledningsgruppen.",
        "Utbildningstillfällen är bokade.",
        "Arbetet är försenat men beräknas vara klart under året.",
        "Arbetsgrupp är tillsatt och har haft två möten.",
    ),
    "done": (
        "Åtgärden är genomförd.",
        "Rutinen är fastställd och publicerad på intranätet.",
        "Samtliga medarbetare har genomgått utbildningen.",
        "Klart; effekten följs upp i nästa års riskanalys.",
    ),
    "cancelled": (
        "Åtgärden utgår efter omorganisationen.",
        "Ersätts av en gemensam åtgärd för hela förvaltningen.",
    ),
}

ACTIVITY_TITLES = (
    "Stickprov av {subject}",
    "Kontroll av {topic}",
    "Granskning av {subject}",
    "Uppföljning av {topic}",
)
WORKING_METHODS = (
    "Rutin för {topic} finns dokumenterad och är känd i verksamheten.",
    "Handläggningen följer förvaltningens processbeskrivning för {topic}.",
    "Arbetet sker enligt checklista i verksamhetssystemet.",
)
SYSTEMATIC_CONTROLS = (
    "Närmaste chef godkänner varje beslut innan det expedieras.",
    "Systemet stoppar registrering utan obligatoriska uppgifter.",
    "Avstämning görs varje månad av ekonomiassistent.",
    "Kollegial granskning av ärenden varje vecka.",
)
ACTIVITY_DESCRIPTIONS = (
    "Controller granskar slumpvis utvalda ärenden mot rutinen.",
    "Enhetschefen kontrollerar att föregående periods avstämningar är gjorda.",
    "Kvalitetsutvecklaren intervjuar handläggare om hur rutinen tillämpas.",
    "Loggarna i verksamhetssystemet granskas för obehöriga uppslag.",
    "Registret jämförs med underlagen i akten.",
)
METHODS = (
    "sample", "sample", "sample", "interview", "survey", "register_check", "log_check",
    "document_review", "case_review", "case_review", "other",
)  # fmt: skip
FREQUENCIES = ("per_period", "per_period", "yearly", "quarterly", "monthly", "once")
SAMPLES = (
    "{n} ärenden per period",
    "{n} slumpvis valda beslut",
    "Samtliga ärenden under en vecka",
    "{n} utbetalningar",
    "10 procent av besluten",
    "",
)

RESULT_COMMENTS = {
    "no_remarks": (
        "Kontrollen visade inga avvikelser.",
        "Samtliga granskade ärenden var korrekta.",
        "Rutinen följs; inga anmärkningar.",
        "Inga brister noterades i stickprovet.",
    ),
    "deviation": (
        "I {k} av {n} granskade ärenden saknades fullständig dokumentation.",
        "{k} utbetalningar saknade korrekt attest.",
        "Beslut i {k} ärenden var fattade utan stöd i delegationsordningen.",
        "Loggkontrollen visade {k} uppslag utan tjänstemässigt behov.",
        "Handläggningstiden överskreds i {k} av {n} ärenden.",
    ),
    "not_done": (
        "Kontrollen har inte genomförts på grund av sjukfrånvaro.",
        "Kontrollen sköts upp till nästa period.",
        "Underlag saknades för att genomföra kontrollen.",
    ),
}

RISK_COMMENTS = {
    True: (
        "Arbetet med risken följer planen.",
        "Åtgärderna genomförs som planerat.",
        "Risken bedöms vara under kontroll.",
    ),
    False: (
        "Åtgärderna är försenade och risken kvarstår.",
        "Risken har ökat under perioden; fler åtgärder behövs.",
        "Planen följs inte på grund av resursbrist.",
    ),
}

ORGANISATION_GOALS = (
    "Invånarna ska få en likvärdig utbildning av hög kvalitet",
    "Kommunens ekonomi ska vara långsiktigt hållbar",
    "Företagsklimatet ska förbättras",
    "Äldre ska känna sig trygga i omsorgen",
    "Kommunen ska vara en attraktiv arbetsgivare",
    "Klimatpåverkan från kommunens verksamheter ska minska",
    "Fler invånare ska vara i egen försörjning",
    "Invånarna ska ha tillgång till ett rikt kultur- och fritidsliv",
    "Kommunens service ska vara tillgänglig och rättssäker",
    "Bostadsbyggandet ska öka i hela kommunen",
)
COMMITTEE_GOALS = (
    "Handläggningstiderna ska kortas",
    "Brukarnas nöjdhet ska öka",
    "Verksamheten ska hålla budget",
    "Sjukfrånvaron bland medarbetarna ska minska",
    "Digitala tjänster ska användas av fler invånare",
    "Andelen beslut som ändras efter överklagande ska minska",
)

AUDIT_TITLES = (
    "Granskning av {topic}",
    "Fördjupad granskning av {topic}",
    "Uppföljande granskning av {topic}",
    "Granskning av intern kontroll inom {topic}",
)
RECOMMENDATIONS = (
    "Säkerställ att {subject} dokumenteras enligt gällande rutin.",
    "Inför en systematisk uppföljning av {topic}.",
    "Se över delegationsordningen när det gäller {topic}.",
    "Tydliggör ansvaret för {topic} mellan förvaltning och nämnd.",
    "Stärk den interna kontrollen av {subject}.",
    "Säkerställ att medarbetarna har kunskap om regelverket för {topic}.",
)
RESPONSES = (
    "Nämnden delar revisorernas bedömning och har gett förvaltningen i uppdrag att åtgärda "
    "bristerna.",
    "Nämnden instämmer och har reviderat rutinen under året.",
    "Nämnden delar delvis bedömningen; arbetet ingår redan i nämndens verksamhetsplan.",
    "Nämnden tar till sig rekommendationen och följer upp den i internkontrollplanen.",
    "",
)
RECOMMENDATION_COMMENTS = {
    "not_started": ("Arbetet har inte påbörjats.", "Planeras till kommande period."),
    "in_progress": (
        "Arbetet pågår; en ny rutin är under framtagande.",
        "Förvaltningen har tillsatt en arbetsgrupp.",
    ),
    "done": ("Rekommendationen är åtgärdad.", "Ny rutin är beslutad och införd."),
    "cancelled": ("Rekommendationen har ersatts av en senare granskning.",),
}

VERDICT_PHRASES = {
    "sufficient": "tillräcklig",
    "partly_sufficient": "delvis tillräcklig",
    "insufficient": "inte tillräcklig",
}
ASSESSMENT_ENDINGS = (
    "Nämnden följer upp de avvikelser som har framkommit i nästa års plan.",
    "Förvaltningen har fått i uppdrag att stärka kontrollen inom de områden där brister "
    "har framkommit.",
    "Nämnden konstaterar att arbetet med intern kontroll har utvecklats under året.",
    "De åtgärder som inte slutförts under året förs över till kommande års plan.",
)
