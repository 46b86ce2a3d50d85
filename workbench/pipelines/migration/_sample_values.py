"""Value pools and messy formatters behind ``samples.py`` (the legacy CRM sample data)."""
from __future__ import annotations

import random
import unicodedata
from datetime import date, datetime, timedelta

FIRST = ("James", "Mary", "José", "Zoë", "François", "Ana", "Björn", "Chloé", "Dmitri", "Émile",
         "Fatima", "Günter", "Hélène", "Inés", "Jürgen", "Kai", "Léa", "Marco", "Noémie", "Olaf",
         "Paula", "René", "Søren", "Tomás", "Ursula", "Wei", "Yusuf", "Aïsha", "Joaquín", "Linda")
LAST = ("Smith", "Müller", "García", "Dubois", "Johansson", "O'Brien", "Nguyen", "Schäfer",
        "Fernández", "Rossi", "Kowalski", "Øster", "Lefèvre", "Brown", "Núñez", "Weiß", "Çelik",
        "Dupont", "Meyer", "Hernández", "Jensen", "Martín", "Björk", "Novák", "Taylor", "Wagner")
DOMAINS = ("example.com", "example.org", "mail.example.net", "crm-legacy.example")
# the true status / country behind each messy spelling the export contains
STATUS = {"active": ("A", "active", " ACTIVE ", "Active", "a"),
          "closed": ("C", "Closed", "closed", "CLOSED "),
          "suspended": ("S", "suspended", "Susp")}
STATUS_WEIGHTS = (("active", 70), ("closed", 20), ("suspended", 10))
COUNTRY = {"US": ("US", "USA", "United States", "us", "U.S."),
           "DE": ("DE", "Germany", "Deutschland"), "FR": ("FR", "France"),
           "GB": ("GB", "UK", "United Kingdom"), "ES": ("ES", "Spain"), "CA": ("CA", "Canada")}
COUNTRY_WEIGHTS = (("US", 50), ("DE", 15), ("FR", 10), ("GB", 10), ("ES", 8), ("CA", 7))
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
BAD_DATES = ("n/a", "unknown", "00/00/0000", "31/02/1980", "?")
NOTES = ("VIP customer", "prefers email contact", "call back at {phone}", "paid by check",
         "new address sent from {email}", "complained about late delivery",
         "Kunde wünscht Rückruf unter {phone}", "alt contact: {email}", "duplicate of old account",
         "do not call before 10am", "moved to new branch", "très fidèle, remise 5 %",
         "no remarks", "migrated from CRM v2", "-", "see ticket #{ticket}")
SKU_FAMILIES = ("BK", "EL", "HM", "TY", "GD", "SP")
TODAY = date(2025, 6, 30)


def pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    """One key of ``((key, weight), ...)``."""
    return rng.choices([k for k, _ in weighted], weights=[w for _, w in weighted])[0]


def ascii_fold(text: str) -> str:
    """``Zoë O'Brien`` -> ``zoe obrien``: the letters an old mail system kept."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum() or ch == " ")


def full_name(rng: random.Random, first: str, last: str) -> str:
    """Mostly "First Last"; some "LAST, First", doubled inner spaces or all lower case."""
    roll = rng.random()
    if roll < 0.12:
        return f"{last.upper()}, {first}"
    if roll < 0.20:
        return f"{first}  {last}" if rng.random() < 0.5 else f" {first} {last}   "
    if roll < 0.26:
        return f"{first} {last}".lower()
    return f"{first} {last}"


def email(rng: random.Random, first: str, last: str) -> str:
    user = ascii_fold(first).replace(" ", "") + rng.choice((".", "_", "")) + \
        ascii_fold(last).replace(" ", "")
    address = f"{user}{rng.choice(('', '', str(rng.randrange(10, 99))))}@{rng.choice(DOMAINS)}"
    roll = rng.random()
    return address.upper() if roll < 0.05 else f" {address}" if roll < 0.08 else address


def phone(rng: random.Random, country: str) -> str:
    """A (fictional 555-01xx) number in one of the formats people typed."""
    if country == "DE":
        return f"+49 30 {rng.randrange(10**7, 10**8)}"
    line = f"{rng.randrange(100, 200):04d}"
    exchange = rng.choice(("010", "011", "012"))
    return rng.choice((f"(555) {exchange}-{line}", f"555.{exchange}.{line}",
                       f"+1 555 {exchange} {line}", f"555-{exchange}-{line}",
                       f"1-555-{exchange}-{line}"))


def messy_date(rng: random.Random, d: date) -> str:
    """1984-03-07, 07/03/1984 (day first), Mar 7 1984 or 19840307."""
    return rng.choice((d.isoformat(), f"{d.day:02d}/{d.month:02d}/{d.year}",
                       f"{MONTHS[d.month - 1]} {d.day} {d.year}", d.strftime("%Y%m%d")))


def messy_moment(rng: random.Random, when: datetime) -> str:
    """A timestamp as a legacy export prints it: ISO date, ISO with time, or d.m.Y."""
    return rng.choice((when.date().isoformat(), when.strftime("%Y-%m-%d %H:%M:%S"),
                       when.strftime("%d.%m.%Y"), when.strftime("%Y-%m-%dT%H:%M")))


def money(rng: random.Random, dollars: float) -> str:
    """1,234.50 or $12.00 or 12.5."""
    return rng.choice((f"{dollars:,.2f}", f"${dollars:.2f}",
                       f"{dollars:.2f}".rstrip("0").rstrip("."), f" {dollars:.2f} "))


def note(rng: random.Random, contact_email: str, contact_phone: str) -> str:
    return rng.choice(NOTES).format(email=contact_email.strip(), phone=contact_phone,
                                    ticket=rng.randrange(1000, 99999))


def customer(rng: random.Random, cust_id: int) -> dict:
    """One customer as the export wrote it (keys are the target-side meaning)."""
    first, last = rng.choice(FIRST), rng.choice(LAST)
    country = pick(rng, COUNTRY_WEIGHTS)
    born = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 65))
    signup = datetime(2012, 1, 1) + timedelta(minutes=rng.randrange(0, 60 * 24 * 365 * 13))
    mail, tel = email(rng, first, last), phone(rng, country)
    return {
        "id": str(cust_id), "name": full_name(rng, first, last), "email": mail, "phone": tel,
        "dob": rng.choice(BAD_DATES) if rng.random() < 0.03 else messy_date(rng, born),
        "signup": messy_moment(rng, signup),
        "balance": str(rng.choice((0, rng.randrange(-5_000, 2_500_000)))
                       if rng.random() < 0.1 else rng.randrange(0, 2_500_000)),
        "status": rng.choice(STATUS[pick(rng, STATUS_WEIGHTS)]),
        "country": rng.choice(COUNTRY[country]),
        "notes": note(rng, mail, tel),
        "_signup": signup.date(),
    }


def order(rng: random.Random, order_no: int, cust_id: int, since: date) -> dict:
    """One order line; dollars as text, weight in pounds."""
    day = since + timedelta(days=rng.randrange(0, max(1, (TODAY - since).days)))
    when = datetime(day.year, day.month, day.day, rng.randrange(8, 20), rng.randrange(60))
    dollars = round(rng.lognormvariate(3.5, 1.1), 2)
    family = rng.choice(SKU_FAMILIES)
    return {
        "order_no": str(order_no), "cust_id": str(cust_id),
        "date": messy_moment(rng, when) if rng.random() < 0.7 else messy_date(rng, day),
        "amount": money(rng, dollars), "weight": f"{round(rng.uniform(0.1, 80.0), 2)}",
        "sku": f"{family if rng.random() < 0.9 else family.lower()}-{rng.randrange(10000):04d}",
        "qty": str(rng.choice((1, 1, 1, 2, 2, 3, 4, 5, 6, 10, 12))),
    }
