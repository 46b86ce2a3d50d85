"""Train the prose model shipped as ``workbench/pii/prose_ner.bin``: PERSON and LOC in sentences.

Training data is generated here, seeded, from templates and word lists written for this file
(sentence shapes of tickets, chat, e-mail, clinical, HR, sales, travel and logistics notes) with
names and places from the ``TRAIN`` part of ``pii_vocab`` only, plus names and place names
composed from syllables so that the model learns from shape and context rather than from a
list. Never from the evaluation templates of ``pii_evalsets.py`` and never with a word of the
held-out ``TUNE``/``REPORT`` parts (checked below and in ``tests/pii``). Capitalised non-people
(products, companies, teams, statuses, headings, title-case phrases, weekdays, months, diseases,
holidays) fill the same slots unlabelled, so the words, not the template, decide.

    .venv/bin/python benchmarks/pii_train_prose.py [--n 30000] [--epochs 10] [--out PATH]
    .venv/bin/python benchmarks/pii_train_prose.py --sample 20      # print generated sentences
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import pii_vocab as vocab
from pii_values import Values

SYL = ["ka", "lo", "mi", "ra", "te", "no", "su", "vel", "dor", "an", "is", "ber", "ta", "zu",
       "el", "ri", "ko", "ma", "sa", "ni", "go", "ul", "fa", "dre", "wen", "yo", "ha", "pe"]
PLACE_SUFFIX = ["ford", "ville", "burg", "ton", "stadt", "polis", "grad", "haven", "bury",
                "field", "mouth", "port", "dale", "heim", "ova", "abad", "pur", "wick"]
PRODUCTS = ["Power BI", "Google Sheets", "Visual Studio Code", "Microsoft Teams", "Slack",
            "Apple Pay", "Looker Studio", "Salesforce", "Zendesk", "Jira Service Desk",
            "Admin Console", "Customer Portal", "Payment Gateway", "Billing Engine", "Data Lake",
            "Fraud Shield", "Quick Refund", "Smart Router", "Cloud Run", "Big Query", "Okta Verify",
            "Azure Data Factory", "Amazon Redshift", "Adobe Acrobat", "Windows Update",
            "Mobile App", "Web Checkout", "Order Service", "Identity Hub", "Claims Portal"]
COMPANIES = ["Northwind Traders", "Contoso Bank", "Fabrikam Inc", "Globex Corporation",
             "Initech Solutions", "Umbrella Health", "Wayne Enterprises", "Acme Logistics",
             "Blue Harbor Capital", "Tailspin Toys", "Coho Winery", "Margie Travel",
             "Alpine Ski House", "Wide World Importers", "Adventure Works", "Litware Labs",
             "Proseware Systems", "Lucerne Publishing", "Woodgrove Bank", "Trey Research"]
TEAMS = ["Platform Team", "Data Engineering", "Customer Success", "Risk Operations",
         "Site Reliability", "Finance Ops", "Trust and Safety", "Tier Two Support", "Legal Review",
         "Growth Squad", "Payments Guild", "Human Resources", "Quality Assurance", "Sales Ops"]
STATUSES = ["Pending Review", "In Progress", "Closed Won", "Awaiting Customer", "On Hold",
            "Ready for QA", "Needs Info", "Partially Refunded", "Payment Failed", "Under Review",
            "Escalated", "Resolved", "Blocked", "Auto Closed", "Not Started", "Closed Lost"]
HEADINGS = ["Root Cause Analysis", "Next Steps", "Action Items", "Executive Summary",
            "Known Issues", "Release Notes", "Incident Timeline", "Open Questions",
            "Customer Impact", "Lessons Learned", "Key Findings", "Risk Assessment",
            "Meeting Notes", "Change Request", "Terms of Service", "Privacy Policy"]
PHRASES = ["Running Late", "Out of Office", "Working From Home", "Back Tomorrow", "Happy Friday",
           "Good Morning", "Thank You", "Best Regards", "Kind Regards", "Please Advise",
           "Heads Down", "Super Busy", "All Good", "Big Thanks", "Almost Done", "Not Sure"]
CONDITIONS = ["Crohn's disease", "Parkinson's disease", "Alzheimer's", "Hashimoto's thyroiditis",
              "Type 2 Diabetes", "Lyme disease", "Down syndrome", "Asperger's", "Metformin",
              "Ibuprofen", "Amoxicillin", "Lisinopril"]
HOLIDAYS = ["St. Patrick's Day", "Black Friday", "Cyber Monday", "Christmas Eve", "New Year's Eve",
            "Valentine's Day", "Mother's Day", "Labor Day", "Boxing Day", "Easter Monday"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "June", "July", "August", "September",
          "October", "November", "December"]
ROLES = ["Senior Analyst", "Account Manager", "Product Owner", "Team Lead", "Head of Support",
         "Chief Risk Officer", "Staff Engineer", "Shift Supervisor", "Vice President",
         "Solutions Architect", "Charge Nurse", "Practice Manager"]
OBJECTS = ["the refund", "the invoice", "the change request", "the contract", "the rollback",
           "the chargeback", "the access request", "the budget", "the migration plan",
           "the discharge summary", "the offer letter", "the purchase order", "the claim"]
VERBS = ["approved", "rejected", "reviewed", "signed", "escalated", "closed", "reopened",
         "updated", "cancelled", "requested", "flagged", "submitted", "forwarded", "paused"]

# sentence shapes: {P} full name, {G} given, {F} family, {T} title, {g}/{p} lower-case given/full,
# {C} city, {X} a capitalised non-person, {O} company, {R} product, {D} day, {M} month,
# {J} object, {V} verb, {N} number, {E} e-mail, {H} phone. Written for training only.
TEMPLATES = [
    "{P} {V} {J} on {D}.", "{V} by {P} at {N}:00.", "Can you loop in {P} on {J}?",
    "{P} from {O} asked for a callback.", "{G} said {J} is blocked until {M}.",
    "Looping {P} ({E}) for visibility.", "I spoke to {G} this morning and {J} is fine.",
    "{T} {F} will see the patient on {D}.", "Discussed with {T} {P}; plan unchanged.",
    "{G} {F} has been with us since {M}.", "Per {G}'s note, {J} was {V}.",
    "Handing over to {P} for the night shift.", "{P} is covering for {G} next week.",
    "Met {P} in {C} to sign {J}.", "{P} flew from {C} to {C} on {D}.",
    "She grew up in {C} and now lives in {C}.", "Our warehouse in {C} shipped {J}.",
    "The {C} office closes at {N}pm on {D}.", "Shipment delayed at the {C} hub.",
    "{P}, {ROLE}, joined the call from {C}.", "Visiting {C} from {D} to {D}.",
    "We opened a branch in {C} last {M}.", "Weather in {C} delayed the courier.",
    "Please send {J} to {P} before {D}.", "{G} and {G} are on call this weekend.",
    "{P} and {P} both signed off on {J}.", "Reminder: 1:1 with {G} at {N}.",
    "ok so {g} says the deploy broke", "lol {g} already fixed it", "did {g} reply to you?",
    "{p} is out today", "{p} just joined", "hey {p} welcome aboard", "{p} has the keys", "waiting on {g} for the numbers", "sent it to {g} yesterday",
    "{g} can you check this", "ask {g} maybe?", "thanks {g}!!", "ping {g} when ready",
    "talked with {g} about {J}", "me and {g} will handle it", "{g}'s laptop died again",
    "Caller {P} disputes {J}.", "Patient {G} {F}, DOB on file, reports dizziness.",
    "Seen today: {P}, follow-up in 6 weeks.", "Nurse {G} administered the dose at {N}:30.",
    "Reference letter for {P}, who worked here for {N} years.", "{P} resigned effective {M} 1.",
    "Exit interview with {P} scheduled.", "{G} {F} was promoted to {ROLE}.",
    "Background check for {P} came back clean.", "Offer accepted by {P} ({H}).",
    "Hello {G}, your parcel is on its way to {C}.", "Dear {T} {F}, thank you for your letter.",
    "Regards, {P}", "Cheers, {G}", "Best, {P} | {ROLE} | {O}", "Sent from {P}'s phone",
    "Forwarding {P}'s complaint about {R}.", "{R} crashed twice for {P} today.",
    "{P} moved to {C} and wants to update her address.", "Delivered to {P} in {C}.",
    "{X} is scheduled for {D}.", "Moved {R} dashboards to {R}.", "Status: {X}.",
    "{O} renewed the contract for {N} seats.", "Quarterly review with {O} on {D}.",
    "We use {R} and {R} for reporting.", "{X} — see the attached notes.",
    "Happy {D}! {X} until {M}.", "The {TEAM} owns {R}.", "Escalated to the {TEAM}.",
    "History of {COND}; continue current plan.", "Sale ends on {HOL}.",
    "Flights to {C} are cheaper in {M}.", "{O} opened an office in {C}.",
    "I am {X} today, ping me later.", "Customer says {R} charged her twice.",
    "{C} and {C} are the two pilot markets.", "Born in {C}, {P} relocated in {M}.",
    "Ms {F} from {C} called about {J}.", "Call {G} back on {H}.", "Write to {P} at {E}.",
    "Looks like {P} {V} {J}.", "Apparently {P} never got {J}.", "Turns out {P} was right.",
    "Seems like {G} is away until {D}.", "I think {P} has {J}.", "Not sure if {P} saw it.",
    "Yesterday {P} {V} {J}.", "This morning {G} called from {C}.", "According to {P}, {J} is late.",
    "Unfortunately {P} cannot attend.", "Today {P} starts in {C}.", "Also {G} needs access.",
    "Update: {P} {V} {J}.", "FYI {P} is on leave.", "Note: {P} prefers e-mail.",
    "Sadly {P} left {O} in {M}.", "Honestly {G} did most of it.", "Maybe {P} knows?",
    "Looks like {X} is down again.", "Apparently {R} logs everyone out.", "Turns out {O} closed.",
    "Seems like {X} again.", "Yesterday {R} went down for an hour.", "Update: {X}.",
]


class TrainGen(Values):
    """Seeded sentences over the training vocabulary (and composed names)."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed, role="train")
        held = held_out_words()
        self.given_pool = [w for w in vocab.GIVEN_TRAIN + _OLD_GIVEN if w.lower() not in held]
        self.family_pool = [w for w in vocab.FAMILY_TRAIN + _OLD_FAMILY if w.lower() not in held]
        self.city_pool = [c for c in vocab.CITY_TRAIN + _OLD_PLACES
                          if not set(c.lower().replace("-", " ").split()) & held]

    def composed(self, n: int) -> str:
        return "".join(self.pick(SYL) for _ in range(n)).capitalize()

    def tgiven(self) -> str:
        return self.pick(self.given_pool) if self.chance(0.8) else self.composed(2)

    def tfamily(self) -> str:
        u = self.r.random()
        if u < 0.06:
            return self.pick(vocab.PARTICLE_SURNAMES)
        if u < 0.12:
            return f"{self.pick(self.family_pool)}-{self.pick(self.family_pool)}"
        return self.pick(self.family_pool) if u < 0.85 else self.composed(3)

    def tcity(self) -> str:
        return self.pick(self.city_pool) if self.chance(0.75) else \
            self.composed(self.r.randint(1, 2)) + self.pick(PLACE_SUFFIX)

    def sentence(self) -> dict:
        tpl = self.pick(TEMPLATES)
        parts, spans, pos = [], [], 0
        for piece in re.split(r"(\{[A-Za-z]+\})", tpl):
            label = None
            if piece.startswith("{"):
                key = piece[1:-1]
                text, label = self.fill(key)
            else:
                text = piece
            if label:
                spans.append([pos, pos + len(text), label])
            parts.append(text)
            pos += len(text)
        return {"text": "".join(parts), "spans": spans}

    def fill(self, key: str) -> tuple[str, str | None]:
        if key == "P":
            g, f = self.tgiven(), self.tfamily()
            return (f"{g} {self.pick('ABCDEFGHJKLMNPRST')}. {f}" if self.chance(0.1)
                    else f"{g} {f}"), "PERSON"
        if key == "G":
            return self.tgiven(), "PERSON"
        if key == "F":
            return self.tfamily(), "PERSON"
        if key == "g":
            return self.tgiven().lower(), "PERSON"
        if key == "p":
            return f"{self.tgiven()} {self.tfamily()}".lower(), "PERSON"
        if key == "C":
            return self.tcity(), "LOC"
        if key == "T":
            return self.pick(["Dr.", "Dr", "Mr.", "Mrs.", "Ms.", "Prof.", "Mx."]), None
        simple = {"X": lambda: self.pick(PRODUCTS + TEAMS + STATUSES + HEADINGS + PHRASES
                                         + COMPANIES),
                  "O": lambda: self.pick(COMPANIES), "R": lambda: self.pick(PRODUCTS),
                  "TEAM": lambda: self.pick(TEAMS), "ROLE": lambda: self.pick(ROLES),
                  "COND": lambda: self.pick(CONDITIONS), "HOL": lambda: self.pick(HOLIDAYS),
                  "D": lambda: self.pick(DAYS), "M": lambda: self.pick(MONTHS),
                  "J": lambda: self.pick(OBJECTS), "V": lambda: self.pick(VERBS),
                  "N": lambda: str(self.r.randint(2, 12)), "E": lambda: self.email(),
                  "H": lambda: self.phone_us()}
        return simple[key](), None


def held_out_words() -> set[str]:
    """Return every word of the TUNE and REPORT vocabularies (never trained on)."""
    out = set(vocab.report_only_words())
    for seq in (vocab.GIVEN_TUNE, vocab.FAMILY_TUNE, vocab.STREET_TUNE, vocab.CITY_TUNE,
                vocab.DE_STREET_TUNE):
        for v in seq:
            out.update(w.lower() for w in v.replace("-", " ").split())
    return out


def _old_lists() -> tuple[list[str], list[str], list[str]]:
    """Return the names and places of the project's first name-model generator, if present."""
    try:
        sys.path.insert(0, str(HERE.parent / "tests" / "data" / "pii"))
        import generate_names_train as old
    except ImportError:
        return [], [], []
    return (old._GIVEN.split(), old._FAMILY.split(),
            old.PLACES + old.MORE_PLACES.split())


_OLD_GIVEN, _OLD_FAMILY, _OLD_PLACES = _old_lists()


def build(n: int, seed: int) -> list[dict]:
    """Return ``n`` labelled training sentences, the same for the same arguments."""
    g = TrainGen(seed)
    return [g.sentence() for _ in range(n)]


def old_rows(n: int, seed: int) -> list[dict]:
    """Return sentences of the project's first name-model generator, places labelled LOC.

    That generator (``tests/data/pii/generate_names_train.py``) left places unlabelled as hard
    negatives for PERSON; here a place is PII, so every occurrence of one of its place names is
    labelled LOC. Rows holding a held-out word are dropped.
    """
    try:
        import generate_names_train as old
    except ImportError:
        return []
    held = held_out_words()
    places = sorted({p for p in old.PLACES + old.MORE_PLACES.split()
                     if not p.startswith(("Eu ", "Us ", "Ap "))}, key=len, reverse=True)
    rx = re.compile(r"(?<![\w\-])(?:" + "|".join(re.escape(p) for p in places) + r")(?![\w\-])")
    out = []
    for r in old.build(n, seed):
        text, spans = r["text"], [list(sp) for sp in r["spans"]]
        words = {w.lower() for w in re.findall(r"[^\W\d_]+", text)}
        if words & held:
            continue
        for m in rx.finditer(text):
            if all(m.end() <= s or m.start() >= e for s, e, _ in spans):
                spans.append([m.start(), m.end(), "LOC"])
        out.append({"text": text, "spans": sorted(spans)})
    return out


def training_rows(n: int, seed: int) -> list[dict]:
    """Return ``n`` training rows: half from this file's templates, half from the old generator."""
    own = build(n - n // 2, seed)
    rows = own + old_rows(n // 2, seed + 1)
    random.Random(seed).shuffle(rows)
    return rows


def examples(nlp, rows: list[dict]) -> list:
    from spacy.training import Example

    out = []
    for r in rows:
        doc = nlp.make_doc(r["text"])
        if any(doc.char_span(s, e) is None for s, e, _ in r["spans"]):
            continue                                      # off token boundaries: skip it
        out.append(Example.from_dict(doc, {"entities": [tuple(s) for s in r["spans"]]}))
    return out


def evaluate(nlp, rows: list[dict]) -> tuple[float, float]:
    gold = pred = hit = 0
    for r, doc in zip(rows, nlp.pipe(r["text"] for r in rows), strict=True):
        g = {(s, e, t) for s, e, t in r["spans"]}
        p = {(x.start_char, x.end_char, x.label_) for x in doc.ents}
        gold, pred, hit = gold + len(g), pred + len(p), hit + len(g & p)
    return hit / max(gold, 1), hit / max(pred, 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=30000)
    ap.add_argument("--dev", type=int, default=800)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--sample", type=int, default=0, help="print this many sentences and stop")
    a = ap.parse_args()
    if a.sample:
        for r in build(a.sample, a.seed):
            print(json.dumps(r, ensure_ascii=False))
        return
    import spacy
    from spacy.util import compounding, fix_random_seed, minibatch

    from workbench.pii.ner import PROSE_MODEL_PATH, build_nlp

    out = a.out or PROSE_MODEL_PATH
    fix_random_seed(0)
    rows = training_rows(a.n + a.dev, a.seed)
    nlp = build_nlp()
    train, dev_rows = examples(nlp, rows[:a.n]), rows[a.n:]
    optimizer = nlp.initialize(lambda: train)
    rnd = random.Random(0)
    t0 = time.perf_counter()
    for epoch in range(a.epochs):
        rnd.shuffle(train)
        losses: dict = {}
        for batch in minibatch(train, size=compounding(8.0, 32.0, 1.002)):
            nlp.update(batch, drop=0.2, sgd=optimizer, losses=losses)
        r, p = evaluate(nlp, dev_rows)
        print(f"epoch {epoch + 1}: loss {losses['ner']:.1f}  dev recall {r:.3f} precision "
              f"{p:.3f}  ({time.perf_counter() - t0:.0f} s)", flush=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(nlp.to_bytes())
    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB, spaCy {spacy.__version__})")


if __name__ == "__main__":
    main()
