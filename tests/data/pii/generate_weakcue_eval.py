"""Write the fourth labelled set ``weakcue_eval.jsonl``: names and non-names after weak cues.

A check set for the strong/weak cue split (``scanner._cue``): every record puts a capitalised
phrase after a weak cue word ("with", "for", "to", "by", "from", "I am", "I'm", "this is",
"named", "is"). Half the phrases are people, half are organisations, products, places, statuses
and title-case phrases. Its templates, names and non-names are its own (none shared with the
other generators or the detector's word lists on purpose: some organisation suffixes here are not
in ``names.ORG_WORDS``), so it measures the rules, not the lists.

    .venv/bin/python tests/data/pii/generate_weakcue_eval.py [--n 600] [--seed 313] [--out PATH]
"""
from __future__ import annotations

import random
from pathlib import Path

from generate_holdout import Doc, write_cli  # the same span-recording text builder and CLI

HERE = Path(__file__).resolve().parent

GIVEN = ["Ottoline", "Bartholomew", "Evander", "Perpetua", "Caspian", "Marisol", "Ingeborg",
         "Lorcan", "Temperance", "Obafemi", "Sunniva", "Leopoldo", "Wilhelmina", "Thaddeus",
         "Philippa", "Emeka", "Rosalind", "Cosimo", "Eulalia", "Fintan", "Gwenllian", "Horatio",
         "Itzel", "Jolanta", "Kasimir", "Ludmila", "Montserrat", "Nkechi", "Ottavio", "Radomir"]
FAMILY = ["Farquharson", "Achebe", "Kowalczyk", "Nwosu", "Etxeberria", "Halvorsen", "Pennington",
          "Ashworth", "Delacroix", "Okonkwo", "Villaseñor", "Brzezinski", "Thistlewood",
          "Carmichael", "Sandoval", "Lindqvist-Berg", "Mac Giolla", "da Cunha", "O'Donoghue",
          "Wojciechowska", "Featherstone", "Haddad", "Rautio", "Ekwueme", "Montgomery"]
ORGS = ["Northwind Traders", "Contoso Pharmaceuticals", "Fabrikam Robotics", "Tailspin Toys",
        "Wide World Importers", "Adventure Works", "Bramble Finch", "Litware Inc",
        "Proseware Ltd", "Woodgrove Bank", "Coho Winery", "Alpine Ski House", "Lucerne Publishing",
        "Trey Research", "Blue Yonder Airlines", "Margie Travel", "Fourth Coffee",
        "Graphic Design Institute", "Humongous Insurance", "Southridge Video"]
PRODUCTS = ["Zendesk Sell", "HubSpot CRM", "Notion AI", "Figma Jam", "Adobe Acrobat",
            "Visual Studio", "Tableau Prep", "Snowflake Cortex", "Azure DevOps", "Oracle Fusion",
            "Workday Payroll", "Outlook Web", "Dynamics Finance", "Looker Studio", "Power BI"]
PLACES = ["Palo Alto", "Mountain View", "Silicon Valley", "Santa Fe", "Saint Paul", "Lake Como",
          "Cape Cod", "Long Beach", "Grand Rapids", "Kansas City", "Hong Kong", "Tel Aviv",
          "Rio Grande", "Notting Hill", "Canary Wharf"]
STATUSES = ["Ready For QA", "Needs Info", "Won't Fix", "Under Investigation", "On Hold",
            "Awaiting Parts", "Ready To Ship", "Partially Refunded", "Out Of Stock"]
PHRASES = ["Out Sick", "Totally Swamped", "Working Remotely", "Running Late", "Back Tomorrow",
           "Fully Booked", "Super Excited", "Really Sorry", "Double Booked", "In Transit"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


# (before, after) around the phrase: every one is a weak cue followed by a capitalised phrase
TEMPLATES = [
    ("Lunch with ", " got moved to {day}."),
    ("Drafted the renewal quote for ", " this morning."),
    ("The replacement unit was shipped to ", " on {day}."),
    ("Screenshot shared by ", " shows the same timeout."),
    ("Got a follow-up from ", " about the duplicate charge."),
    ("Hey team, I am ", " this week, ping me on chat."),
    ("Quick note: I'm ", " and will reply later."),
    ("Hi all, this is ", " with the weekly numbers."),
    ("The account named ", " was flagged twice."),
    ("Today the blocker is ", ", nothing else."),
    ("Can you sync with ", " before the {day} call?"),
    ("Waiting for ", " to confirm the dates."),
]


def build(n: int, seed: int) -> list[dict]:
    """Return ``n`` labelled records: about half name a person after a weak cue."""
    r = random.Random(seed)
    out = []
    for _ in range(n):
        before, after = r.choice(TEMPLATES)
        after = after.format(day=r.choice(WEEKDAYS))
        d = Doc()
        d(before)
        if r.random() < 0.5:
            first, last = r.choice(GIVEN), r.choice(FAMILY)
            name = f"{first} {r.choice('ABDEGHJKLMRSTV')}. {last}" if r.random() < 0.1 else \
                f"{first} {last}"
            d(name, "PERSON")
            kind = "weak_cue_person"
        else:
            pool = r.choice([ORGS, ORGS, PRODUCTS, PLACES, STATUSES, PHRASES])
            d(r.choice(pool))
            kind = "weak_cue_negative"
        d(after)
        out.append(d.record(kind))
    return out


def main() -> None:
    write_cli(__doc__.splitlines()[0], build, 600, 313, HERE / "weakcue_eval.jsonl")


if __name__ == "__main__":
    main()
