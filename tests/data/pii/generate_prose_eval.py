"""Write the third labelled set ``prose_eval.jsonl``: names in prose without cues, hard negatives.

Written only to evaluate the small name model (never trained on): its own templates, its own
names (none shared with the training lists of ``generate_names_train.py``) and its own
capitalised non-names (products, places, organisations, statuses, headings, title-case phrases,
weekdays, months). Half of the records hold a person named with no cue word before it; the rest
are hard negatives, a few with an e-mail or phone next to them. Same format as the other sets.

    .venv/bin/python tests/data/pii/generate_prose_eval.py [--n 1200] [--seed 99] [--out PATH]
"""
from __future__ import annotations

import random
from pathlib import Path

from generate_holdout import Doc, write_cli  # the same span-recording text builder and CLI

HERE = Path(__file__).resolve().parent

GIVEN = ["Zoltán", "Aoife", "Kwabena", "Liesbeth", "Mthunzi", "Anaïs", "Radek", "Svetlana",
         "Tomasz", "Nobuhle", "Ezequiel", "Henrietta", "Jaroslav", "Oksana", "Pilar", "Rashida",
         "Sipho", "Tatiana", "Violetta", "Wiremu", "Yosef", "Adaora", "Benedetta", "Caoimhe",
         "Dagmar", "Eleonora", "Florentyna", "Gustavo", "Hamza", "Isolde", "Jasper", "Kazuki",
         "Lavinia", "Mercedes", "Nuno", "Orsolya", "Prudence", "Quirino", "Roisin", "Saskia",
         "Thelonius", "Umaima", "Vaclava", "Waleed", "Yara", "Zelda", "Ngaire", "Oisín"]
FAMILY = ["Mbeki-Hart", "Szczepański", "Oyelowo", "Van Houten", "Brannagh", "Castellví",
          "Demir", "Eichhorn", "Fagerlund", "Goldschmidt", "Hallström", "Igwe", "Jovanović",
          "Karamanlis", "Leskinen", "Mwangi", "Nieminen", "Ó Briain", "Przybylski", "Quaye",
          "Ravensworth", "Strzelecki", "Tshabalala", "Uusitalo", "Vanterpool", "Whitcombe",
          "Xiong", "Ybarra", "Zuckermann", "Abubakar", "Bellweather", "Cienfuegos", "Dlamini",
          "Estrada-Lugo", "Fairbairn", "Grabowska", "Hinojosa", "Inkster", "Jablonowski",
          "O'Rourke", "McCandless", "Lindahl", "Murtagh", "Nakagawa", "Ostrowski"]
PRODUCTS = ["Jira Service Management", "Microsoft Excel", "Google Drive", "Slack Connect",
            "Stripe Radar", "Amazon Connect", "Twilio Flex", "Kafka Streams", "Airflow",
            "Databricks Workflows", "Okta Workforce Identity", "Citrix Workspace",
            "Power Automate", "Sales Navigator", "Fraud Monitor", "Ledger Sync", "Atlas Search",
            "Identity Hub", "Claims Portal", "Treasury Console"]
PLACES = ["Buenos Aires", "San Jose", "Costa Rica", "Sao Paulo", "Kuala Terengganu",
          "Port Elizabeth", "Fort Worth", "New Orleans", "Santa Monica", "Baton Rouge",
          "Glasgow", "Rotterdam", "Bangalore", "Marrakesh", "Helsinki", "Vancouver Island"]
ORGS = ["Hawthorne Mutual", "Redwood Analytics", "Silverline Freight", "Crescent Pharma",
        "Ironbridge Capital", "Lakeside Clinic", "Orion Telecom", "Summit Credit Union",
        "Bluewater Energy", "Evergreen Realty", "Granite Insurance", "Harbor View Hotels"]
STATES = ["Awaiting Approval", "Waiting on Customer", "Closed Lost", "Rejected", "Triaged",
          "Pending Refund", "In Review", "Deferred", "Reopened", "Done", "Not Started"]
HEADINGS = ["Incident Summary", "Impact Assessment", "Follow Up Tasks", "Decision Log",
            "Customer Communication", "Technical Details", "Post Mortem", "Weekly Update"]
TITLECASE = ["Running Behind", "Stuck In Traffic", "Offline Today", "On Leave",
             "Heads Down", "Super Busy", "Feeling Better", "All Good", "Big Thanks",
             "Totally Agree", "Almost Done", "Not Sure"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "June", "July", "August", "September",
          "October", "November", "December"]


class Gen:
    """Seeded values for the templates below."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def pick(self, seq):
        return self.r.choice(seq)

    def name(self) -> str:
        u = self.r.random()
        first, last = self.pick(GIVEN), self.pick(FAMILY)
        if u < 0.07:
            return last
        if u < 0.15:
            return f"{first} {self.pick('BCDFHJKLMNPRSTW')}. {last}"
        return f"{first} {last}"

    def neg(self) -> str:
        return self.pick(self.pick([PRODUCTS, PLACES, ORGS, STATES, HEADINGS, DAYS, MONTHS]))

    def email(self, name: str) -> str:
        base = "".join(c for c in name.lower().replace(" ", ".") if c.isascii() and
                       (c.isalnum() or c == "."))
        return f"{base.strip('.')}@{self.pick(['example.com', 'corp.example.org'])}"


def person(g: Gen) -> tuple[Doc, str]:
    d, n, u = Doc(), g.name(), g.r.randint(0, 15)
    if u == 0:
        d(n, "PERSON")(f" signed the {g.pick(ORGS)} renewal late on {g.pick(DAYS)}.")
    elif u == 1:
        d(f"Refund for order 4471-{g.r.randint(100, 999)} went to ")(n, "PERSON")
        d(" instead of the account holder.")
    elif u == 2:
        d(f"{g.pick(HEADINGS)}\n")(n, "PERSON")(f" noticed {g.pick(PRODUCTS)} timing out "
                                               f"after the {g.pick(MONTHS)} release.")
    elif u == 3:
        d("Please double-check with ")(n, "PERSON")(" before closing this.")
    elif u == 4:
        d("The chargeback was raised by ")(n, "PERSON")(f" in {g.pick(PLACES)}.")
    elif u == 5:
        d("level=warn msg=\"")(n, "PERSON")(f" exceeded the daily limit on {g.pick(PRODUCTS)}\"")
    elif u == 6:
        d("User: why was ")(n, "PERSON")("'s claim marked ")(f"{g.pick(STATES)}?")
    elif u == 7:
        d("Assistant: Based on the notes, ")(n, "PERSON")(f" contacted {g.pick(ORGS)} twice "
                                                          "and was promised a callback.")
    elif u == 8:
        d("We still owe ")(n, "PERSON")(" an answer on the duplicate payment.")
    elif u == 9:
        d(f"{g.pick(DAYS)} standup: ")(n, "PERSON")(" is blocked, ")(g.name(), "PERSON")
        d(" is reviewing.")
    elif u == 10:
        d("Letter returned undeliverable; recipient ")(n, "PERSON")(" has moved.")
    elif u == 11:
        d("Looks like ")(n, "PERSON")(f" used the old {g.pick(PRODUCTS)} link again.")
    elif u == 12:
        d("Forwarding the complaint ")(n, "PERSON")(" sent on ")(f"{g.pick(DAYS)}.")
    elif u == 13:
        d(n, "PERSON")(" (")(g.email(n), "EMAIL_ADDRESS")(f") asked to close the "
                                                         f"{g.pick(ORGS)} account.")
    elif u == 14:
        d("Background check for ")(n, "PERSON")(f" is {g.pick(STATES)}.")
    else:
        d("Met ")(n, "PERSON")(f" from {g.pick(ORGS)} at the {g.pick(PLACES)} office.")
    return d, "prose_person"


def negative(g: Gen) -> tuple[Doc, str]:
    d, u = Doc(), g.r.randint(0, 11)
    if u == 0:
        d(f"Status changed from {g.pick(STATES)} to {g.pick(STATES)} on {g.pick(DAYS)}.")
    elif u == 1:
        d(f"Sorry, I am {g.pick(TITLECASE)} so the {g.pick(HEADINGS)} slips to "
          f"{g.pick(DAYS)}.")
    elif u == 2:
        d(f"{g.pick(HEADINGS)}\n\n{g.pick(PRODUCTS)} and {g.pick(PRODUCTS)} were degraded "
          f"for {g.pick(ORGS)} customers in {g.pick(PLACES)}.")
    elif u == 3:
        d(f"{g.pick(ORGS)} moved its {g.pick(MONTHS)} payroll to {g.pick(PRODUCTS)}.")
    elif u == 4:
        d(f"Routing {g.pick(PLACES)} traffic through {g.pick(PLACES)} until {g.pick(MONTHS)}.")
    elif u == 5:
        d(f"level=info msg=\"{g.pick(PRODUCTS)} job finished\" tenant=\"{g.pick(ORGS)}\"")
    elif u == 6:
        d(f"User: Can {g.pick(PRODUCTS)} read files from {g.pick(PRODUCTS)}?")
    elif u == 7:
        d(f"Assistant: Here is the {g.pick(HEADINGS)} for {g.pick(ORGS)}. {g.pick(TITLECASE)}!")
    elif u == 8:
        d(f"Quarterly review with {g.pick(ORGS)} moved to {g.pick(DAYS)}, {g.pick(MONTHS)} "
          f"{g.r.randint(1, 28)}.")
    elif u == 9:
        d(f"Re: {g.pick(HEADINGS)} — {g.pick(STATES)}")
    elif u == 10:
        d("Contact the support desk at ")("+1 415 555 0" + str(g.r.randint(100, 199)),
                                            "PHONE_NUMBER")(f" about {g.pick(PRODUCTS)}.")
    else:
        d(f"{g.pick(TITLECASE)}. The {g.pick(PRODUCTS)} upgrade in {g.pick(PLACES)} is "
          f"{g.pick(STATES)}.")
    return d, "prose_negative"


def build(n: int, seed: int) -> list[dict]:
    """Return ``n`` labelled records, half with a cue-less person, half hard negatives."""
    g = Gen(seed)
    out = []
    for _ in range(n):
        doc, kind = (person if g.r.random() < 0.5 else negative)(g)
        out.append(doc.record(kind))
    return out


def main() -> None:
    write_cli(__doc__.splitlines()[0], build, 1200, 99, HERE / "prose_eval.jsonl")


if __name__ == "__main__":
    main()
