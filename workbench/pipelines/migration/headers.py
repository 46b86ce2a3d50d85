"""Header words: legacy column names split, folded and their abbreviations spelled out.

``cust_nm``, ``CustName`` and ``Customer Name`` all become ``customer name``; a table prefix
(``c_``, ``tbl_``, the table's own name or an abbreviation of it: its beginning or consonant
skeleton, ``shp_`` in ``shipments``) is dropped. The abbreviations are the ones legacy schemas
use across languages; matching is on whole words.

A header is also read in several *variants* (:func:`header_variants`): abbreviations spelled
out or as written; each leading prefix dropped in turn or kept (a kept prefix only if it is a
known word: ``cust`` in ``cust_key``, not ``fil`` in ``fil_zz``); and, given a
:class:`Vocabulary`, run-together words split into known words and abbreviations (at most one
piece the beginning of a known word: ``custprov`` → ``cust prov``), an unknown qualifier before
a class word (``seqno`` → ``seq no``), or a table prefix glued to the front of known words
(``prodcalyr`` in ``products``). :func:`token_similarity` scores a header word against a full word:
equal, a typo (one edit), its beginning (``natio`` ~ ``nationality``), its consonant skeleton
(``crtd`` ~ ``created``, ``crncy`` ~ ``currency``), a looser same-initial subsequence, or a
compound that begins with it (``kundennr`` ~ ``kunden``); so words a table of abbreviations
does not list still match.

Examples
--------
>>> header_words("CUST_FST_NM")
'customer first name'
>>> header_words("c_dob", table="customers")
'date of birth'
>>> header_words("Telefon_Nr"), header_words("E-Mail")
('telefon number', 'email')
>>> header_words("shp_weight_lbs", table="shipments")
'weight lbs'
>>> vocab = Vocabulary(["first", "name", "customer"])
>>> [" ".join(v) for v in header_variants("custfstnm", vocab=vocab)]
['custfstnm', 'customer first name', 'cust fst nm']
>>> round(token_similarity("crtd", "created"), 2), token_similarity("adress", "address")
(0.95, 0.9)
>>> skeleton("currency"), vocab.segment("seqno")
('crncy', ('seq', 'no'))
"""
from __future__ import annotations

import bisect
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
    "cd": "code", "flg": "flag", "txt": "text",
}
PREFIXES = {"tbl", "t", "c", "f", "fld", "col", "x", "src", "tmp", "legacy", "old", "raw"}
STOP = {"the", "of", "de", "du", "la", "le", "der", "die", "das", "del", "di", "do", "da", "van"}
# words that carry no meaning of their own inside an alias ("created at", "nombre y apellidos")
FILLER = STOP | {"at", "in", "on", "by", "and", "y", "et", "e", "und", "en", "a", "des", "dos",
                 "em", "il", "el", "op", "for", "to", "per", "von", "d", "l", "n", "o"}


# words that end a header to say what kind of value it is (ISO 11179 representation terms)
CLASS_SUFFIXES = {"id", "no", "nr", "num", "nbr", "number", "cd", "code", "key", "ref", "dt",
                  "date", "ts", "time", "tm", "flg", "flag", "txt", "text", "amt", "qty", "pct",
                  "nm", "name"}


def fold(text: str) -> str:
    """Return ``text`` lower-cased with accents removed."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def split_words(name: str) -> list[str]:
    """Return the words of a header: camelCase, digits and punctuation split."""
    return list(_split_words(str(name)))


@lru_cache(maxsize=65536)
def _split_words(name: str) -> tuple[str, ...]:
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", name)
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", text)
    text = re.sub(r"([A-Za-z])([0-9])|([0-9])([A-Za-z])", r"\1\3 \2\4", text)
    return tuple(w for w in re.split(r"[^0-9a-z]+", fold(text)) if w)


def is_subsequence(short: str, word: str) -> bool:
    """Return whether the letters of ``short`` appear in ``word`` in order."""
    it = iter(word)
    return all(ch in it for ch in short)


def _table_words(table: str) -> set[str]:
    words = split_words(table)
    return set(words) | {w.rstrip("s") for w in words}


def _is_table_prefix(token: str, table_words: set[str]) -> bool:
    """A leading token that names the table: a table word or an abbreviation of one (its
    beginning or consonant skeleton: ``cli`` of ``clients``, ``shp`` of ``shipments``)."""
    if token in PREFIXES or token in table_words:
        return True
    if len(token) > 4 or token.isdigit():
        return False
    return any(w.startswith(token) or len(token) >= 2 and skeleton(w).startswith(token)
               for w in table_words if len(w) > len(token))


def _drop_prefix(words: list[str], table_words: set[str]) -> list[str]:
    while len(words) > 1 and _is_table_prefix(words[0], table_words):
        words = words[1:]
    return words


def _spell(words: list[str], expand: bool) -> tuple[str, ...]:
    out: list[str] = []
    for w in words:
        if w.isdigit() or w in STOP:
            continue  # phone2, addr_line_1: the number is an ordinal, not meaning
        out.extend(ABBREVIATIONS.get(w, w).split() if expand else [w])
    if not out:
        out = [w for w in words if not w.isdigit()] or list(words)
    text = re.sub(r"\be mail\b", "email", " ".join(out))
    return tuple(text.split())


@lru_cache(maxsize=65536)
def header_words(name: str, table: str = "") -> str:
    """Return the header as plain words, abbreviations expanded and table prefixes dropped."""
    words = _drop_prefix(split_words(name), _table_words(table))
    return " ".join(_spell(words, True))


class Vocabulary:
    """The words a header may be split into: known words and abbreviations, with prefixes."""

    def __init__(self, words):
        self.words = frozenset(w for w in words if w)
        self.known = self.words | set(ABBREVIATIONS)
        self.sorted = sorted(w for w in self.words if len(w) >= 4)

    def is_prefix(self, piece: str) -> bool:
        """Return whether ``piece`` begins a (longer) vocabulary word."""
        i = bisect.bisect_left(self.sorted, piece)
        return i < len(self.sorted) and self.sorted[i].startswith(piece)

    @lru_cache(maxsize=16384)  # noqa: B019 - a catalog keeps one Vocabulary for its lifetime
    def segment(self, token: str) -> tuple[str, ...]:
        """Return ``token`` split into known words and abbreviations; at most one piece may be
        the beginning of a known word (``custprov`` → ``cust prov``). Failing that, an unknown
        qualifier and a class word (``seqno`` → ``seq no``); else the token unchanged."""
        n = len(token)
        if n < 5 or token in self.known or token.isdigit():
            return (token,)
        inf = (1e9, 0, 0)
        best: list[tuple[float, int, int]] = [(0.0, 0, 0)] + [inf] * n   # cost, start, begins
        for end in range(1, n + 1):
            for start in range(max(0, end - 16), end):
                if best[start][0] >= 1e9:
                    continue
                piece = token[start:end]
                begins = best[start][2]
                if len(piece) >= 3 and piece in self.words or len(piece) >= 2 and \
                        piece in ABBREVIATIONS:
                    cost = 1.0
                elif len(piece) >= 3 and begins == 0 and self.is_prefix(piece):
                    cost, begins = 1.6, 1
                else:
                    continue
                if best[start][0] + cost < best[end][0]:
                    best[end] = (best[start][0] + cost, start, begins)
        if best[n][0] >= 1e9:
            for tail in sorted(CLASS_SUFFIXES, key=len, reverse=True):
                if token.endswith(tail) and 3 <= n - len(tail) <= 8:
                    return (token[:-len(tail)], tail)   # a qualifier and its class: seq|no
            return (token,)
        pieces, end = [], n
        while end > 0:
            start = best[end][1]
            pieces.append(token[start:end])
            end = start
        return tuple(reversed(pieces)) if len(pieces) > 1 else (token,)


def _suffixes(words: list[str], table_words: set[str]) -> list[list[str]]:
    """Return the words, and what is left after dropping each leading prefix in turn."""
    out = [words]
    while len(words) > 1 and _is_table_prefix(words[0], table_words):
        words = words[1:]
        out.append(words)
    return out


def _glued_prefix(token: str, table_words: set[str], vocab: Vocabulary) -> list[str]:
    """Split a table prefix off a run-together token (``bestmng`` in ``bestellungen``)."""
    for k in range(min(4, len(token) - 3), 1, -1):
        head = token[:k]
        if head in vocab.known:
            break                       # a known word in front: segmentation reads it
        if _is_table_prefix(head, table_words):
            tail = token[k:]
            rest = vocab.segment(tail)
            if len(rest) > 1 or tail in vocab.known or vocab.is_prefix(tail):
                return [head, *rest]            # the rest must read as words, not "ttime"
            break
    return [token]


@lru_cache(maxsize=65536)
def header_variants(name: str, table: str = "", vocab: Vocabulary | None = None
                    ) -> tuple[tuple[str, ...], ...]:
    """Return the readings of a header as word tuples, the :func:`header_words` one first.

    Readings: abbreviations spelled out or as written; the table prefix dropped or kept (each
    leading prefix in turn: ``cust_f_name`` is read ``f name`` too); and, with a vocabulary,
    run-together words split, a table prefix glued to the front included. Duplicates removed.
    """
    raw = split_words(name)
    table_words = _table_words(table)
    bases = [raw]
    if vocab is not None:
        split = [p for w in raw for p in vocab.segment(w)]
        if split != raw:
            bases.append(split)
        glued = [*(_glued_prefix(raw[0], table_words, vocab) if raw and raw[0] not in vocab.known
                   else raw[:1]), *raw[1:]]
        if glued != raw and glued not in bases:
            bases.append(glued)
    out: list[tuple[str, ...]] = []
    primary = _spell(_drop_prefix(raw, table_words), True)
    if primary:
        out.append(primary)
    for base in bases:
        suffixes = _suffixes(base, table_words)
        n_prefix = len(base) - len(suffixes[-1])
        for words in reversed(suffixes):
            if vocab is not None:           # a kept prefix only counts as a word it is
                lead = len(base) - len(words)
                words = [w for k, w in enumerate(base[lead:], lead)
                         if k >= n_prefix or w in vocab.known or w in PREFIXES]
            for expand in (True, False):
                v = _spell(words, expand)
                if v and v not in out:
                    out.append(v)
    return tuple(out)


def _damerau1(a: str, b: str) -> bool:
    """Return whether ``a`` and ``b`` differ by one edit (insert, delete, replace, swap)."""
    la, lb = len(a), len(b)
    if abs(la - lb) > 1 or a == b:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        return a[i + 1:] == b[i + 1:] or (i + 1 < la and a[i] == b[i + 1] and
                                          a[i + 1] == b[i] and a[i + 2:] == b[i + 2:])
    return a[i:] == b[i + 1:] if la < lb else a[i + 1:] == b[i:]


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """Return the first letter of a word and its consonants, doubled letters once (``crtd``)."""
    if not word:
        return word
    rest = re.sub(r"[aeiou]", "", word[1:])
    return re.sub(r"(.)\1+", r"\1", word[0] + rest)


@lru_cache(maxsize=262144)
def token_similarity(short: str, word: str, loose: bool = True) -> float:
    """Return how well a header word stands for a vocabulary word, in [0, 1].

    Equal words score 1; a typo (one edit, both ≥ 4 letters) 0.9; a beginning of the word
    (``natio``) 0.6–0.95 and its consonant skeleton (``crtd`` ~ ``created``, ``gvn`` ~
    ``given``) 0.75–0.95, more the more of the word it covers; with ``loose``, another
    same-initial subsequence covering half the skeleton (``natnl``) 0.4–0.75; a word that
    begins with the vocabulary word (a compound: ``kundennr`` ~ ``kunden``) at most 0.7.
    Two-letter abbreviations score less. Everything else 0.
    """
    if short == word:
        return 1.0
    if not short or not word or short[0] != word[0]:
        return 0.0
    ls, lw = len(short), len(word)
    if ls >= 4 and lw >= 4 and _damerau1(short, word):
        return 0.9
    if ls < lw:
        low = 0.15 if ls == 2 else 0.0
        if ls >= 2 and word.startswith(short):
            return 0.6 - low + 0.35 * (ls / lw) ** 0.5
        sk = skeleton(word)
        if ls >= 2 and len(sk) >= ls and sk.startswith(short):
            return 0.75 - low + 0.2 * ls / len(sk)
        if loose and ls >= 3 and is_subsequence(short, word) and ls >= 0.5 * len(sk):
            return 0.4 + 0.35 * min(1.0, ls / len(sk))
        return 0.0
    if lw >= 3 and short.startswith(word):
        return 0.4 + 0.3 * lw / ls
    return 0.0
