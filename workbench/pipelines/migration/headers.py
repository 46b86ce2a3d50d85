"""Header words: legacy column names split, folded and their abbreviations spelled out.

``cust_nm``, ``CustName`` and ``Customer Name`` all become ``customer name``; a table prefix
(``c_``, ``tbl_``, the table's own name) is dropped. The abbreviations are the ones legacy
schemas use across languages; matching is on whole words.

Examples
--------
>>> header_words("CUST_FST_NM")
'customer first name'
>>> header_words("c_dob", table="customers")
'date of birth'
>>> header_words("Telefon_Nr"), header_words("E-Mail")
('telefon number', 'email')
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

ABBREVIATIONS = {
    "acct": "account", "acc": "account", "addr": "address", "adr": "address", "amt": "amount",
    "avg": "average", "bal": "balance", "bday": "birthday", "bdate": "birth date",
    "cat": "category", "cnt": "count", "co": "company", "cntry": "country", "ctry": "country",
    "cty": "city", "cur": "currency", "curr": "currency", "ccy": "currency", "cust": "customer",
    "cst": "customer", "clnt": "client", "desc": "description", "descr": "description",
    "dept": "department", "dob": "date of birth", "dt": "date", "dte": "date",
    "dtm": "datetime", "ts": "timestamp", "eml": "email", "em": "email",
    "emp": "employee", "fname": "first name", "fn": "first name", "fst": "first",
    "frst": "first", "lname": "last name", "ln": "last name", "lst": "last", "gndr": "gender",
    "sex": "gender", "hse": "house", "id": "id", "ident": "identifier", "inv": "invoice",
    "lat": "latitude", "lng": "longitude", "lon": "longitude", "long": "longitude",
    "mob": "mobile", "mobil": "mobile", "msg": "message", "nm": "name", "nme": "name",
    "nbr": "number", "no": "number", "nr": "number", "num": "number", "nro": "number",
    "ord": "order", "org": "organization", "ph": "phone", "phn": "phone", "tel": "telephone",
    "pwd": "password", "pw": "password", "pct": "percent", "perc": "percent",
    "postcode": "postal code", "plz": "postal code", "zip": "zip code", "zipcode": "zip code",
    "prc": "price", "prod": "product", "qty": "quantity", "qnty": "quantity",
    "ref": "reference", "reg": "region", "st": "state", "stat": "status", "sts": "status",
    "str": "street", "strt": "street", "tot": "total", "ttl": "total", "txn": "transaction",
    "trx": "transaction", "upd": "updated", "crt": "created", "usr": "user", "uname": "username",
    "wt": "weight", "wgt": "weight", "yr": "year", "mth": "month", "mo": "month",
    "dist": "distance", "dur": "duration", "temp": "temperature", "ver": "version",
    "url": "url", "www": "website", "ip": "ip address", "ssn": "social security number",
    "tin": "tax id", "vat": "vat number", "iban": "iban", "bic": "bic", "sku": "sku",
    "ean": "ean", "upc": "upc", "uuid": "uuid", "guid": "uuid", "pt": "patient",
    "pat": "patient", "dx": "diagnosis", "rx": "prescription", "hosp": "hospital",
    "mrn": "medical record number", "ht": "height", "hgt": "height", "bp": "blood pressure",
    "tz": "timezone", "lang": "language", "cc": "credit card", "ccn": "credit card number",
    "fax": "fax", "sal": "salary", "mgr": "manager", "loc": "location", "qtr": "quarter",
}
PREFIXES = {"tbl", "t", "c", "f", "fld", "col", "x", "src", "tmp", "legacy", "old", "raw"}
STOP = {"the", "of", "de", "du", "la", "le", "der", "die", "das", "del", "di", "do", "da", "van"}


def fold(text: str) -> str:
    """Return ``text`` lower-cased with accents removed."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def split_words(name: str) -> list[str]:
    """Return the words of a header: camelCase, digits and punctuation split."""
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", str(name))
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", text)
    text = re.sub(r"([A-Za-z])([0-9])|([0-9])([A-Za-z])", r"\1\3 \2\4", text)
    return [w for w in re.split(r"[^0-9a-z]+", fold(text)) if w]


@lru_cache(maxsize=65536)
def header_words(name: str, table: str = "") -> str:
    """Return the header as plain words, abbreviations expanded and table prefixes dropped."""
    words = split_words(name)
    table_words = set(split_words(table)) | {w.rstrip("s") for w in split_words(table)}
    while len(words) > 1 and (words[0] in PREFIXES or words[0] in table_words and
                              len(words[0]) <= 4):
        words = words[1:]
    out: list[str] = []
    for w in words:
        if w.isdigit() or w in STOP:
            continue  # phone2, addr_line_1: the number is an ordinal, not meaning
        out.extend(ABBREVIATIONS.get(w, w).split())
    text = " ".join(out) or " ".join(words)
    return re.sub(r"\be mail\b", "email", text)
