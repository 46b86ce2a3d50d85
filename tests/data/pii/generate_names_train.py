"""Training sentences for the small name model (``workbench/pii/model``), deterministic.

Prose of the kinds logs, tickets, chats, e-mails and LLM transcripts carry, with PERSON spans,
many of them with no cue word before the name ("Zoë Mbeki approved the refund"), and many hard
negatives: capitalised products, cities, companies, teams, statuses, headings, weekdays, months,
title-case phrases ("I am Running Late"). Templates and name lists are written for this file
only: names that also appear in either benchmark generator (``generate.py``,
``generate_holdout.py``) or in the third evaluation set (``generate_prose_eval.py``) are dropped,
so none of the scored sets is trained on.

    .venv/bin/python tests/data/pii/generate_names_train.py [--n 6000] [--seed 5] [--out PATH]
"""
from __future__ import annotations

import argparse
import json
import random
import string
from pathlib import Path

HERE = Path(__file__).resolve().parent

_GIVEN = """Abebe Adaeze Adrienne Agnieszka Ahmad Aiko Akosua Alasdair Aleksander Alessia Alinta
Amadou Ambrose Anahí Anders Anouk Araceli Arnav Astrid Aurelio Babajide Baptiste Beatrix Benedikt
Bérénice Birgitta Blessing Bongani Bronwyn Caetano Calliope Cassius Catalina Cedric Chiamaka Ciarán
Cosima Cristóbal Dalia Damián Darragh Dervla Desmond Dilnoza Dorothea Eero Efua Eleni Elodie
Emeka Enrique Esra Eszter Evander Ezinne Fabienne Fenella Filippa Florin Folasade Gaspard Gennaro
Gerda Gintaras Grażyna Gudrun Gwyneth Habib Hallvard Heloise Hilde Horatio Ifeoma Ilkka Imre
Inés Isidora Jacinta Jarrah Jelena Jerónimo Jolanta Jussi Kaito Kallista Kasimir Katarzyna Kemal
Kerstin Khalid Kiri Koray Kristjan Ladislav Laoise Leandro Lettie Liesel Linh Loïc Lucinda Lutz
Magnus Mairead Makena Malak Manon Marcelo Margit Marit Matías Mehdi Mireille Miroslav Mnemosyne
Mohana Mónica Nandini Nasrin Niamh Nikos Njeri Noor Obinna Océane Odile Olamide Orla Osvaldo
Pallavi Pascale Pavlína Petra Phineas Quillon Radhika Rafaela Ragnhild Ramón Reinhold Ricarda
Rohan Rosalía Rúben Sabine Sakura Salomé Samir Sebastián Seraphina Shreya Sigrun Sindisiwe
Solveig Stellan Sunniva Szymon Tadeusz Takumi Tamsin Teodora Thiago Tiago Toril Tuğba Ugo Ulla
Ursula Vaclav Vasilisa Vesna Vidar Viktorie Wilhelmina Wojciech Xanthe Yaw Yevgenia Yolanda
Zainab Zbigniew Zdenka Zeynep Zofia Zuri"""
_FAMILY = """Abara Adebayo Agarwal Ahlberg Akintola Alcántara Amundsen Andrzejewski Arriaga
Asante Aufderheide Babatunde Balogun Barraclough Bartoszewski Bergström Bhattacharya Blomqvist
Bonaventura Brzezinski Buthelezi Cabrera Calderón Carvalho Cassidy Chakraborty Chinwe Ciobanu
Coughlan Cuthbertson Dąbrowski Dahl Delgado Desjardins Dimitriou Donnelly Drummond Duarte Ekström
Engström Etxeberria Falcone Farrokhzad Fonseca Fraser Gallardo Gebremedhin Gonçalves Grünberg
Guðmundsdóttir Hakobyan Halloran Hashemi Hendricks Herrera Hofstetter Hosseini Ibekwe Idowu
Isaksen Jablonski Jørgensen Kachadourian Kagame Kapoor Karlsson Kavanagh Kiplagat Kobayashi
Kristiansen Laurent Lehtonen Llewellyn Lombardi Lukács Madsen Magnusson Makarova Maldonado
Marquardt Matsumoto Mazur Mendoza Mickiewicz Moyo Mukherjee Naidoo Nwachukwu Nyström O'Brien
O'Connell O'Donoghue Obi Odhiambo Okafor Olawale Ortega Pacheco Pałka Pedersen Pichler Prakash
Quaresma Quinlan Rahimi Rasmussen Reinholt Rezaei Rocha Rutkowski Saarinen Salazar Santangelo
Schwarzkopf Sepúlveda Shevchenko Sigurðsson Sokolov Stavros Sundberg Szymańska Takahashi Tembo
Thibodeaux Trzaska Uchenna Urquhart Valdés Vasiliev Vermeulen Vukovic Wanyama Wójcik Xu Yamaguchi
Yeboah Zapata Zielinski Zubiri MacAulay McFadden MacGregor Fitzwilliam D'Amico"""
_PARTICLED = ["van den Broek", "van Rijn", "de Groot", "de Souza", "da Costa", "dos Reis",
              "von Hagen", "del Río", "di Stefano", "ter Horst", "al-Amin", "bin Rashid"]
SYL = ["ta", "ne", "mo", "ru", "vi", "sh", "ok", "al", "ber", "zan", "ko", "li", "dr", "ev",
       "on", "is", "tu", "gar", "mel", "ya"]

# capitalised words and phrases that are not people: products, places, companies, teams, states
PRODUCTS = ["Visual Studio Code", "Google Sheets", "Power BI", "Azure Data Factory",
            "Adobe Acrobat", "Microsoft Teams", "Zoom Rooms", "Apple Pay", "Google Pay",
            "Salesforce Service Cloud", "Snowflake", "Tableau Server", "Jupyter Lab", "Notion",
            "Outlook Web Access", "Windows Defender", "Chrome Remote Desktop", "Amazon Redshift",
            "Cloud Run", "Big Query", "Looker Studio", "Zendesk Guide", "Okta Verify",
            "Single Sign On", "Two Factor Authentication", "Customer Portal", "Admin Console",
            "Payment Gateway", "Order Service", "Billing Engine", "Smart Router", "Data Lake",
            "Fraud Shield", "Rapid Checkout", "Nightly Export", "Quick Refund"]
PLACES = ["San Diego", "Cape Town", "Kuala Lumpur", "Buenos Aires", "Rio de Janeiro",
          "Hong Kong", "Tel Aviv", "New Delhi", "Santa Clara", "Salt Lake City", "Des Moines",
          "Las Vegas", "Mexico City", "Ho Chi Minh City", "Abu Dhabi", "Port Louis",
          "Addis Ababa", "St Louis", "Palo Alto", "North Carolina", "New South Wales",
          "Frankfurt", "Lagos", "Nairobi", "Lisbon", "Montreal", "Osaka", "Dublin", "Warsaw",
          "Eu West", "Us East", "Ap Southeast"]
COMPANIES = ["Acme Logistics", "Northwind Traders", "Blue Harbor Capital", "Contoso Bank",
             "Fabrikam Inc", "Globex Corporation", "Initech Solutions", "Umbrella Health",
             "Wayne Enterprises", "Stark Industries", "Tyrell Systems", "Hooli Cloud",
             "Pied Piper", "Vandelay Industries", "Wonka Foods", "Cyberdyne Labs",
             "Soylent Partners", "Oceanic Airlines", "Massive Dynamic", "Aperture Science",
             "Dunder Mifflin", "Prestige Worldwide", "Gringotts Savings", "Monarch Insurance"]
TEAMS = ["Platform Team", "Data Engineering", "Customer Success", "Risk Operations",
         "Site Reliability", "Finance Ops", "Trust and Safety", "Tier Two Support",
         "Legal Review", "Security Council", "Growth Squad", "Fraud Desk", "Payments Guild",
         "Account Management", "Quality Assurance", "Human Resources"]
ROLES = ["Senior Analyst", "Account Manager", "Product Owner", "Team Lead", "Head of Support",
         "Chief Risk Officer", "Data Protection Officer", "Staff Engineer", "Shift Supervisor",
         "Vice President", "Customer Advocate", "Solutions Architect"]
STATUSES = ["Pending Review", "In Progress", "Closed Won", "Awaiting Customer", "On Hold",
            "Ready for QA", "Needs Info", "Partially Refunded", "Payment Failed", "Under Review",
            "Escalated", "Won't Fix", "Resolved", "Blocked", "Cancelled by User", "Auto Closed"]
HEADINGS = ["Root Cause Analysis", "Next Steps", "Action Items", "Executive Summary",
            "Known Issues", "Release Notes", "Incident Timeline", "Open Questions",
            "Customer Impact", "Lessons Learned", "Key Findings", "Risk Assessment",
            "Meeting Notes", "Change Request", "Service Level Agreement", "Terms of Service"]
PHRASES = ["Running Late", "Out of Office", "Working From Home", "Back Tomorrow",
           "Happy Friday", "Good Morning", "Thank You", "Best Regards", "Kind Regards",
           "Please Advise", "Not Applicable", "Do Not Reply", "Happy New Year",
           "Welcome Back", "Coming Soon", "Read More", "Sign Up", "Log In", "Get Started"]
# everyday English words: composed into capitalised non-names so that the model learns from the
# words themselves, not from the template around them
COMMON_WORDS = """account action active advance agent alert amber anchor apex archive arrow asset
atlas audit auto backup balance banner basic batch beacon bird black blue board bold bolt bonus
border branch bridge bright broad budget builder bulk cable camp canyon capital carbon cargo
cedar central chain change charter check circle city clear cliff cloud coast cobalt column
common compass core corner cost country crane credit crest cross crown crystal current custom
daily dash data delta desert direct district dock dome dragon drift early earth east echo edge
elite ember empire energy engine equity event express fabric falcon fast field final fire first
fleet flow focus forest forge fortune forward fountain frame free fresh frontier garden gate
general giant glacier global gold golden grand granite graph green grid ground guard guide
harbor harvest hawk health heart heritage high hill home horizon hub iron island ivory jade
journey jungle key kind king lake land laser launch ledger legacy level liberty light line link
lion live local lotus lunar main maple market master matrix meadow media metro micro mid mint
mission modern monitor motion mountain national native nature neon net new night noble north
nova oak ocean omega open orange orbit origin pacific panel paper park path peak pearl pilot
pine pioneer pixel planet plaza point polar port power premier prime pulse quantum quick radar
rain rapid raven ready red reef region relay river road rock royal ruby safe sage saint sand
scale scout sea secure shadow shield shift signal silver simple sky smart solar solid sonic
source south spark sphere spring square star steel stone storm stream summit sun super swift
system talent target terra thunder tide tiger timber top total tower track trade trail true
trust union unity urban valley vector velvet venture vertex village vision vista wave west wild
willow wind wing winter wolf wood world yellow zen zone"""
ORG_SUFFIXES = ["Labs", "Energy", "Partners", "Holdings", "Bank", "Group", "Foods", "Logistics",
                "Systems", "Analytics", "Health", "Capital", "Telecom", "Realty", "Insurance",
                "Hotels", "Freight", "Pharma", "Motors", "Media", "Studios", "Ventures",
                "Consulting", "Airlines", "Networks", "Software", "Industries", "Trust",
                "Credit Union", "Clinic", "Markets", "Supply", "Foundation", "Academy"]
MORE_PLACES = """Aberdeen Accra Adelaide Almaty Amman Antwerp Athens Atlanta Auckland Austin
Baku Baltimore Barcelona Basel Beirut Belgrade Bergen Bilbao Bogota Bologna Bordeaux Boston
Bratislava Brisbane Bristol Brussels Bucharest Budapest Cairo Calgary Cardiff Casablanca Chennai
Chicago Cologne Copenhagen Cork Dakar Dallas Denver Detroit Doha Dubai Durban Edinburgh Florence
Geneva Genoa Hamburg Hanoi Havana Houston Istanbul Jakarta Johannesburg Karachi Kyiv Leeds
Leipzig Lima Liverpool Ljubljana Lyon Madrid Manila Marseille Melbourne Miami Milan Minsk
Mumbai Munich Nantes Naples Oslo Ottawa Perth Phoenix Porto Prague Quito Riga Riyadh Rome
Santiago Seattle Seoul Seville Shanghai Singapore Sofia Stockholm Stuttgart Sydney Taipei Tallinn
Tampa Tokyo Toronto Tunis Turin Utrecht Valencia Venice Vienna Vilnius Zagreb Zurich"""
TOOL_WORDS = ["Service", "Portal", "Console", "Sync", "Hub", "Monitor", "Pipeline", "Export",
              "Report"]
PHRASE_VERBS = ["Running", "Working", "Waiting", "Heading", "Stepping", "Logging", "Signing",
                "Checking", "Calling", "Dropping", "Moving", "Wrapping", "Catching"]
PHRASE_TAILS = ["Late", "Out", "Off", "In", "Up", "Behind", "Early", "Home", "Away", "Back",
                "Over", "Through", "Ahead"]

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "June", "July", "August", "September",
          "October", "November", "December"]
OBJECTS = ["the refund", "the invoice", "the change request", "the ticket", "the rollback",
           "the access request", "the chargeback", "the contract", "the password reset",
           "the migration plan", "the vendor payment", "the incident report", "the budget"]
VERBS = ["approved", "rejected", "reviewed", "signed off", "escalated", "closed", "reopened",
         "updated", "cancelled", "requested", "flagged", "merged", "submitted", "paused"]


def _words(block: str) -> list[str]:
    return block.split()


def _other_sets_names() -> set[str]:
    """Return every name token of the scored sets, so the training lists can leave them out."""
    import generate
    import generate_holdout
    import generate_prose_eval

    seen: set[str] = set()
    for seq in (generate.GIVEN, generate.FAMILY, generate.COMMON, generate_holdout.FIRST,
                generate_holdout.LAST, generate_holdout.PARTICLE_LAST, generate_prose_eval.GIVEN,
                generate_prose_eval.FAMILY):
        for name in seq:
            seen.update(w.lower() for w in name.replace("-", " ").split())
    return seen


class Gen:
    """Seeded sentence maker: each piece given a label becomes a span."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        taken = _other_sets_names()
        self.given = [w for w in _words(_GIVEN) if w.lower() not in taken]
        self.family = [w for w in _words(_FAMILY) if w.lower() not in taken]
        self.common = _words(COMMON_WORDS)
        self.places = _words(MORE_PLACES) + PLACES
        self.parts: list[str] = []
        self.spans: list[list] = []
        self.pos = 0

    def pick(self, seq):
        return self.r.choice(seq)

    def put(self, text: str, label: str | None = None) -> Gen:
        if label:
            self.spans.append([self.pos, self.pos + len(text), label])
        self.parts.append(text)
        self.pos += len(text)
        return self

    def name(self) -> str:
        """Return a person name in one of the shapes prose carries."""
        u = self.r.random()
        first = self.pick(self.given) if u < 0.85 else self._composed(2)
        last = self.pick(self.family) if self.r.random() < 0.8 else self._composed(3)
        if u < 0.05:
            return last                                   # a surname alone: "Spoke with Okafor"
        if u < 0.10:
            return first
        if u < 0.18:
            return f"{first} {self.pick(string.ascii_uppercase)}. {last}"
        if u < 0.24:
            return f"{first} {self.pick(_PARTICLED)}"
        if u < 0.29:
            return f"{first} {last}-{self.pick(self.family)}"
        if u < 0.33:
            return f"{self.pick(string.ascii_uppercase)}. {last}"
        return f"{first} {last}"

    def _composed(self, k: int) -> str:
        return "".join(self.pick(SYL) for _ in range(self.r.randint(2, k))).capitalize()

    def negative(self) -> str:
        """Return a capitalised phrase that is not a person (listed or composed)."""
        u = self.r.random()
        cap = [w.capitalize() for w in self.common]
        if u < 0.35:
            return self.pick(self.pick([PRODUCTS, PLACES, COMPANIES, TEAMS, ROLES, STATUSES,
                                        HEADINGS, DAYS, MONTHS]))
        if u < 0.5:
            return f"{self.pick(cap)} {self.pick(ORG_SUFFIXES)}"              # Granite Labs
        if u < 0.62:
            return " ".join(self.pick(cap) for _ in range(self.r.randint(2, 3)))  # Blue Ledger
        if u < 0.75:
            return self.pick(self.places)
        if u < 0.83:
            return f"{self.pick(PHRASE_VERBS)} {self.pick(PHRASE_TAILS)}"    # Running Late
        if u < 0.91:
            return f"{self.pick(cap)} {self.pick(TOOL_WORDS)}"               # Granite Sync
        return self.pick(cap)

    def slot(self, p_person: float = 0.55) -> Gen:
        """Put a person (labelled) or a capitalised non-person in the same place."""
        if self.r.random() < p_person:
            return self.put(self.name(), "PERSON")
        return self.put(self.negative())

    def ref(self) -> str:
        return f"{self.pick(['INC', 'CHG', 'SR', 'OPS', 'CS'])}-{self.r.randint(100, 99999)}"

    def record(self) -> dict:
        text = "".join(self.parts)
        rec = {"text": text, "spans": self.spans}
        self.parts, self.spans, self.pos = [], [], 0
        return rec


def _no_cue(g: Gen) -> None:
    """A person or a capitalised non-person with no cue word before it, in the same template."""
    u = g.r.randint(0, 17)
    if u == 0:
        g.slot().put(f" {g.pick(VERBS)} {g.pick(OBJECTS)} on {g.pick(DAYS)}.")
    elif u == 1:
        g.put("The contact on file is ").slot().put(".")
    elif u == 2:
        g.put(f"Per {g.ref()}, ").slot().put(f" {g.pick(VERBS)} it after the "
                                                       f"{g.pick(TEAMS)} sync.")
    elif u == 3:
        g.put(f"{g.pick(OBJECTS).capitalize()} was {g.pick(VERBS)} yesterday and ")
        g.slot().put(" will follow up.")
    elif u == 4:
        g.put("Looping in ").slot().put(f" since {g.pick(PRODUCTS)} is down again.")
    elif u == 5:
        g.slot().put("'s laptop still runs an old build of ")
        g.put(f"{g.pick(PRODUCTS)}.")
    elif u == 6:
        g.put("Owner: ").slot().put(f" | Status: {g.pick(STATUSES)}")
    elif u == 7:
        g.put("Spoke with ").slot().put(" about it, no change needed.")
    elif u == 8:
        g.put("Agent note: caller said ").slot().put(" had authorised the transfer.")
    elif u == 9:
        g.put(f"{g.pick(DAYS)}: ").slot().put(f" out sick, {g.pick(TEAMS)} covering.")
    elif u == 10:
        g.put("Can you ask ").slot().put(f" whether {g.pick(OBJECTS)} went through?")
    elif u == 11:
        g.put("Approved — ").slot().put(f", {g.pick(ROLES)}, {g.pick(COMPANIES)}")
    elif u == 12:
        g.put("Summary: the customer, ").slot()
        g.put(f", disputes a charge from {g.pick(COMPANIES)} in {g.pick(PLACES)}.")
    elif u == 13:
        g.put("I forwarded it to ").slot().put(" and ").slot()
        g.put(".")
    elif u == 14:
        g.put("Account flagged after ").slot()
        g.put(f" logged in from {g.pick(PLACES)} twice within an hour.")
    elif u == 15:
        g.put(f"Notes from the {g.pick(MONTHS)} review: ").slot()
        g.put(f" owns {g.pick(HEADINGS).lower()}, ").slot()
        g.put(" owns the rest.")
    elif u == 16:
        g.put("According to ").slot().put(f", {g.pick(PRODUCTS)} rejected the file.")
    else:
        g.put(f"[{g.ref()}] ").slot().put(f" set the ticket to {g.pick(STATUSES)}.")


def _with_cue(g: Gen) -> None:
    """A name after a cue word, in the genres the detector sees."""
    u = g.r.randint(0, 9)
    if u == 0:
        g.put("Hi ").slot(0.7).put(f",\nthe export for {g.pick(MONTHS)} is attached.")
    elif u == 1:
        g.put("Thanks,\n").slot(0.7).put(f"\n{g.pick(ROLES)}, {g.pick(COMPANIES)}")
    elif u == 2:
        g.put(f"Ticket {g.ref()} assigned to ").slot(0.7).put(f" ({g.pick(TEAMS)}).")
    elif u == 3:
        g.put("User: my name is ").slot(0.7).put(" and I can't log in to ")
        g.put(f"{g.pick(PRODUCTS)}.")
    elif u == 4:
        g.put("Assistant: I've drafted a reply to ").slot(0.7)
        g.put(f" explaining the {g.pick(STATUSES).lower()} status.")
    elif u == 5:
        g.put("msg=\"refund approved by ").slot(0.7).put(f"\" region={g.pick(PLACES)}")
    elif u == 6:
        g.put("Dear ").slot(0.7).put(f",\n\nyour case is now {g.pick(STATUSES)}.")
    elif u == 7:
        g.put("Meeting with ").slot(0.7).put(f" and the {g.pick(TEAMS)} on "
                                                    f"{g.pick(DAYS)}.")
    elif u == 8:
        g.put("Reported by ").slot(0.7).put(f" via {g.pick(PRODUCTS)} at 09:41.")
    else:
        g.put("Please summarise the complaint from ").slot(0.7)
        g.put(f" about {g.pick(COMPANIES)}.")


def _negative(g: Gen) -> None:
    """Capitalised words that are not people, in the same genres."""
    u = g.r.randint(0, 17)
    if u == 0:
        g.put(f"Status is {g.pick(STATUSES)} since {g.pick(DAYS)}.")
    elif u == 1:
        g.put(f"I am {g.pick(PHRASES)}, will join the {g.pick(TEAMS)} call at ten.")
    elif u == 2:
        g.put(f"{g.pick(HEADINGS)}\n\n{g.pick(PRODUCTS)} dropped events between "
              f"{g.pick(MONTHS)} 3 and {g.pick(MONTHS)} 9.")
    elif u == 3:
        g.put(f"Migrated {g.pick(COMPANIES)} from {g.pick(PRODUCTS)} to {g.pick(PRODUCTS)}.")
    elif u == 4:
        g.put(f"Shipment left {g.pick(PLACES)} for {g.pick(PLACES)} on {g.pick(DAYS)}.")
    elif u == 5:
        g.put(f"Escalated to {g.pick(TEAMS)}; {g.pick(ROLES)} to review by {g.pick(DAYS)}.")
    elif u == 6:
        g.put(f"Subject: {g.pick(HEADINGS)} for {g.pick(COMPANIES)} ({g.ref()})")
    elif u == 7:
        g.put(f"The {g.pick(PRODUCTS)} integration is {g.pick(STATUSES)}; see {g.ref()}.")
    elif u == 8:
        g.put(f"User: How do I export data from {g.pick(PRODUCTS)} to {g.pick(PRODUCTS)}?")
    elif u == 9:
        g.put(f"Assistant: {g.pick(HEADINGS)}: 1) restart {g.pick(PRODUCTS)} 2) check "
              f"{g.pick(PRODUCTS)} logs.")
    elif u == 10:
        g.put(f"Auto-reply: {g.pick(PHRASES)} until {g.pick(DAYS)} {g.r.randint(1, 28)} "
              f"{g.pick(MONTHS)}.")
    elif u == 11:
        g.put(f"{g.pick(COMPANIES)} opened an office in {g.pick(PLACES)} last {g.pick(MONTHS)}.")
    elif u == 12:
        g.put(f"Thanks for the update. {g.pick(PHRASES)}!")
    elif u == 13:
        g.put(f"Card declined at {g.pick(COMPANIES)} ({g.pick(PLACES)}); reason "
              f"{g.pick(STATUSES)}.")
    elif u == 14:
        g.put(f"Job {g.pick(PRODUCTS)} Nightly finished; {g.pick(HEADINGS)} emailed to "
              f"{g.pick(TEAMS)}.")
    elif u == 15:
        g.put(f"Reported by {g.pick(PRODUCTS)} Monitor, assigned to the {g.pick(TEAMS)}.")
    elif u == 16:
        g.put(f"Contact {g.pick(TEAMS)} or the {g.pick(ROLES)} for {g.pick(HEADINGS)}.")
    else:
        g.put(f"Welcome to {g.pick(PRODUCTS)}. {g.pick(PHRASES)} with your "
              f"{g.pick(COMPANIES)} account.")


def _mixed(g: Gen) -> None:
    """A name next to capitalised non-names in one sentence."""
    n, u = g.name(), g.r.randint(0, 5)
    if u == 0:
        g.put(n, "PERSON").put(f" from {g.pick(COMPANIES)} in {g.pick(PLACES)} "
                               f"{g.pick(VERBS)} {g.pick(OBJECTS)} on {g.pick(DAYS)}.")
    elif u == 1:
        g.put(f"{g.pick(HEADINGS)}: ").put(n, "PERSON").put(f" ({g.pick(ROLES)}) moved it to "
                                                           f"{g.pick(STATUSES)}.")
    elif u == 2:
        g.put(f"On {g.pick(DAYS)} ").put(n, "PERSON").put(f" said {g.pick(PRODUCTS)} was "
                                                          f"{g.pick(PHRASES)}.")
    elif u == 3:
        g.put(f"{g.pick(COMPANIES)} asked ").put(n, "PERSON")
        g.put(f" to join the {g.pick(TEAMS)} in {g.pick(MONTHS)}.")
    elif u == 4:
        g.put(f"{g.pick(PRODUCTS)} access for ").put(n, "PERSON").put(f" is {g.pick(STATUSES)}.")
    else:
        g.put(f"In {g.pick(PLACES)}, ").put(n, "PERSON").put(" and ").put(g.name(), "PERSON")
        g.put(f" met {g.pick(COMPANIES)} about {g.pick(OBJECTS)}.")


def build(n: int, seed: int) -> list[dict]:
    """Return ``n`` labelled training sentences (no-cue 40 %, negatives 30 %, cue, mixed)."""
    g = Gen(seed)
    makers = [_no_cue] * 8 + [_negative] * 6 + [_with_cue] * 3 + [_mixed] * 3
    out = []
    for _ in range(n):
        g.r.choice(makers)(g)
        out.append(g.record())
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=6000)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--out", type=Path, default=None, help="write JSONL here (default: print 5)")
    a = ap.parse_args()
    rows = build(a.n, a.seed)
    if a.out is None:
        for r in rows[:5]:
            print(json.dumps(r, ensure_ascii=False))
        return
    a.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    print(f"wrote {len(rows)} sentences to {a.out}")


if __name__ == "__main__":
    main()
