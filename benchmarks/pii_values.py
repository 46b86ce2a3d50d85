"""Seeded values for the PII evaluation sets and training data: people, places, numbers, secrets.

Check digits are computed here from the published rules (Luhn, ISO 7064 mod 97 and mod 11,10,
the national ID rules), written separately from ``workbench.pii.validators`` so that a mistake
in one does not hide in the other. Phone numbers come from ``phonenumbers`` metadata
(example numbers with their last digits redrawn, kept only when the library calls them valid),
formatted the three ways the library knows (E.164, international, national).
"""
from __future__ import annotations

import base64
import random
import string
import unicodedata

import pii_vocab as vocab

B64 = string.ascii_letters + string.digits + "+/"
B64URL = string.ascii_letters + string.digits + "-_"
ALNUM = string.ascii_letters + string.digits
UPPER_ALNUM = string.ascii_uppercase + string.digits
HEX = "0123456789abcdef"

PHONE_REGIONS = ["US", "CA", "GB", "DE", "FR", "ES", "IT", "NL", "BE", "CH", "AT", "SE", "NO",
                 "DK", "PL", "IE", "PT", "IN", "BR", "MX", "JP", "AU", "NZ", "ZA", "NG", "KE",
                 "SG", "AE"]
# BBAN layout per country: "n" digit, "a" upper-case letter, "c" letter or digit (ISO 13616)
IBAN_BBAN = {"DE": "n18", "GB": "a4n14", "FR": "n10c11n2", "ES": "n20", "IT": "a1n10c12",
             "NL": "a4n10", "BE": "n12", "CH": "n5c12", "AT": "n16", "SE": "n20", "NO": "n11",
             "DK": "n14", "PL": "n24", "IE": "a4n14", "PT": "n21", "FI": "n14", "LU": "n3c13",
             "SA": "n2c18", "AE": "n19", "BR": "n23a1c1", "CZ": "n20", "HU": "n24", "RO": "a4c16",
             "GR": "n7c16", "HR": "n17", "LT": "n16", "TR": "n6c16"}
DOMAINS = ["gmail.com", "outlook.com", "yahoo.co.uk", "proton.me", "icloud.com", "web.de",
           "orange.fr", "libero.it", "corp.example.com", "mail.fabrikam.de", "acme-tools.io",
           "northwind.co.jp", "uni-halle.de", "hospital.nhs.uk", "contoso.com.br", "hey.com",
           "posteo.net", "startup.ai", "finance.globex.org", "student.univ-lyon.fr"]


def fold(text: str) -> str:
    """Return ``text`` without diacritics (for e-mail local parts): ``Łódź`` → ``Lodz``."""
    text = text.replace("ł", "l").replace("Ł", "L").replace("ø", "o").replace("ß", "ss")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def luhn_digit(body: str) -> str:
    """Return the Luhn check digit that completes ``body``."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


_VERHOEFF_D = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
               [2, 3, 4, 0, 1, 7, 8, 9, 5, 6], [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
               [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
               [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
               [8, 7, 6, 5, 9, 3, 2, 1, 0, 4], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]]
_VERHOEFF_P = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
               [5, 8, 0, 3, 7, 9, 6, 1, 4, 2], [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
               [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
               [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8]]
_VERHOEFF_INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]


def verhoeff_digit(body: str) -> str:
    """Return the Verhoeff check digit that completes ``body`` (Aadhaar)."""
    c = 0
    for i, ch in enumerate(reversed(body)):
        c = _VERHOEFF_D[c][_VERHOEFF_P[(i + 1) % 8][int(ch)]]
    return str(_VERHOEFF_INV[c])


class Values:
    """Seeded maker of PII values; ``role`` picks the held-out part of names and places."""

    def __init__(self, seed: int, role: str = "report") -> None:
        self.r = random.Random(seed)
        self.role = role
        p = vocab.part
        self.given_own = p(role, vocab.GIVEN_TRAIN, vocab.GIVEN_TUNE, vocab.GIVEN_REPORT)
        self.family_own = p(role, vocab.FAMILY_TRAIN, vocab.FAMILY_TUNE, vocab.FAMILY_REPORT)
        self.street_own = p(role, vocab.STREET_TRAIN, vocab.STREET_TUNE, vocab.STREET_REPORT)
        self.de_street_own = p(role, vocab.DE_STREET_TRAIN, vocab.DE_STREET_TUNE,
                               vocab.DE_STREET_REPORT)
        self.fr_street_own = p(role, vocab.FR_STREET_TRAIN, vocab.FR_STREET_TUNE,
                               vocab.FR_STREET_REPORT)
        self.city_own = p(role, vocab.CITY_TRAIN, vocab.CITY_TUNE, vocab.CITY_REPORT)
        self.own_share = 1.0 if role == "train" else 0.6    # the rest from the TRAIN part

    # --- small helpers ---------------------------------------------------------------------------
    def pick(self, seq):
        return self.r.choice(seq)

    def chance(self, p: float) -> bool:
        return self.r.random() < p

    def digits(self, n: int) -> str:
        return "".join(self.r.choice(string.digits) for _ in range(n))

    def chars(self, alphabet: str, n: int) -> str:
        return "".join(self.r.choice(alphabet) for _ in range(n))

    def _mix(self, own: list[str], train: list[str]) -> str:
        return self.pick(own) if self.chance(self.own_share) else self.pick(train)

    # --- people ------------------------------------------------------------------------------------
    def given(self) -> str:
        return self._mix(self.given_own, vocab.GIVEN_TRAIN)

    def family(self) -> str:
        u = self.r.random()
        if u < 0.06:
            return self.pick(vocab.PARTICLE_SURNAMES)
        if u < 0.12:
            return f"{self._mix(self.family_own, vocab.FAMILY_TRAIN)}-" \
                   f"{self._mix(self.family_own, vocab.FAMILY_TRAIN)}"
        return self._mix(self.family_own, vocab.FAMILY_TRAIN)

    def person(self) -> str:
        """Return a full name: ``Given Family``, with a middle initial now and then."""
        g, f = self.given(), self.family()
        if self.chance(0.1):
            return f"{g} {self.pick(string.ascii_uppercase)}. {f}"
        return f"{g} {f}"

    def title(self) -> str:
        return self.pick(["Dr.", "Dr", "Mr.", "Mrs.", "Ms.", "Mr", "Ms", "Prof.", "Mx."])

    def username(self, name: str | None = None) -> str:
        name = fold(name or self.person()).lower().replace("'", "")
        parts = name.replace("-", " ").replace(".", "").split()
        style = self.r.randrange(5)
        if style == 0:
            return parts[0][0] + parts[-1] + self.digits(self.r.randrange(0, 3))
        if style == 1:
            return f"{parts[0]}.{parts[-1]}"
        if style == 2:
            return f"{parts[0]}_{parts[-1][:4]}{self.digits(2)}"
        if style == 3:
            return f"{parts[-1]}{parts[0][0]}"
        return f"{parts[0]}{self.digits(3)}"

    def email(self, name: str | None = None) -> str:
        name = fold(name or self.person()).lower().replace("'", "")
        parts = name.replace("-", " ").replace(".", "").split()
        style = self.r.randrange(6)
        local = (f"{parts[0]}.{parts[-1]}", f"{parts[0][0]}{parts[-1]}",
                 f"{parts[0]}{self.digits(2)}", f"{parts[0]}_{parts[-1]}",
                 f"{parts[0]}+{self.pick(['billing', 'news', 'jira', 'test'])}",
                 f"{parts[-1]}.{parts[0][0]}")[style]
        return f"{local}@{self.pick(DOMAINS)}"

    # --- numbers -----------------------------------------------------------------------------------
    def card(self, sep: str | None = None) -> str:
        kind = self.r.randrange(6)
        prefix, n = [("4", 16), ("5" + str(self.r.randint(1, 5)), 16), ("37", 15),
                     ("6011", 16), ("2" + str(self.r.randint(221, 720)), 16), ("35" + str(
                         self.r.randint(28, 89)), 16)][kind]
        body = prefix + self.digits(n - len(prefix) - 1)
        d = body + luhn_digit(body)
        sep = self.pick(["", " ", "-"]) if sep is None else sep
        if not sep:
            return d
        if n == 15:
            return sep.join([d[:4], d[4:10], d[10:]])
        return sep.join(d[i:i + 4] for i in range(0, 16, 4))

    def ssn(self) -> str:
        area = self.r.choice([a for a in range(1, 900) if a != 666])
        return f"{area:03d}-{self.r.randint(1, 99):02d}-{self.r.randint(1, 9999):04d}"

    def phone(self, region: str | None = None, fmt: str | None = None) -> str:
        """Return a valid number of ``region`` as E164, INTERNATIONAL or NATIONAL text."""
        import phonenumbers as pn

        region = region or self.pick(PHONE_REGIONS)
        kind = self.pick([pn.PhoneNumberType.MOBILE, pn.PhoneNumberType.FIXED_LINE])
        ex = pn.example_number_for_type(region, kind) or pn.example_number(region)
        nsn = str(ex.national_number)
        for _ in range(50):
            keep = max(2, len(nsn) - 5)
            cand = nsn[:keep] + self.digits(len(nsn) - keep)
            num = pn.parse("+" + str(ex.country_code) + cand, None)
            if pn.is_valid_number(num):
                break
        else:
            num = ex
        fmt = fmt or self.pick(["E164", "INTERNATIONAL", "INTERNATIONAL", "NATIONAL"])
        text = pn.format_number(num, getattr(pn.PhoneNumberFormat, fmt))
        if fmt == "INTERNATIONAL" and self.chance(0.15):
            text = text.replace(" ", self.pick(["-", "."]))
        return text

    def phone_us(self) -> str:
        a = f"{self.r.randint(2, 9)}{self.r.randint(0, 9)}{self.r.randint(0, 9)}"
        while a[1:] == "11":
            a = f"{self.r.randint(2, 9)}{self.r.randint(0, 9)}{self.r.randint(0, 9)}"
        b, c = f"{self.r.randint(2, 9)}{self.digits(2)}", self.digits(4)
        return self.pick([f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"{a}.{b}.{c}", f"+1 {a} {b} {c}",
                          f"+1-{a}-{b}-{c}", f"1-{a}-{b}-{c}", f"+1{a}{b}{c}"])

    def iban(self, country: str | None = None, grouped: bool | None = None) -> str:
        cc = country or self.pick(sorted(IBAN_BBAN))
        layout, bban, i = IBAN_BBAN[cc], "", 0
        while i < len(layout):
            kind, j = layout[i], i + 1
            while j < len(layout) and layout[j].isdigit():
                j += 1
            n = int(layout[i + 1:j])
            bban += self.chars({"n": string.digits, "a": string.ascii_uppercase,
                                "c": UPPER_ALNUM}[kind], n)
            i = j
        num = "".join(str(int(c, 36)) for c in bban + cc + "00")
        check = 98 - int(num) % 97
        iban = f"{cc}{check:02d}{bban}"
        grouped = self.chance(0.5) if grouped is None else grouped
        return " ".join(iban[k:k + 4] for k in range(0, len(iban), 4)) if grouped else iban

    def ip(self) -> str:
        if self.chance(0.2):
            groups = [f"{self.r.randint(0, 65535):x}" for _ in range(8)]
            return self.pick(["2001:db8:" + ":".join(groups[2:]),
                              f"2a02:{groups[1]}:{groups[2]}::{groups[3]}",
                              f"fe80::{groups[4]}:{groups[5]}"])
        return ".".join(str(self.r.randint(1, 254)) for _ in range(4))

    # --- national identifiers (type NATIONAL_ID) ------------------------------------------------------
    def national_id(self, kind: str | None = None) -> tuple[str, str]:
        """Return ``(kind, value)`` of a national identifier with a valid check digit."""
        kind = kind or self.pick(["uk_nino", "uk_nhs", "fr_nir", "es_dni", "es_nie", "it_cf",
                                  "nl_bsn", "pl_pesel", "se_pnr", "fi_hetu", "be_nn", "ca_sin",
                                  "in_aadhaar", "br_cpf", "de_taxid", "au_tfn"])
        return kind, getattr(self, "_" + kind)()

    def _uk_nino(self) -> str:
        first = "ABCEGHJKLMNOPRSTWXYZ"
        second = "ABCEGHJKLMNPRSTWXYZ"
        while (p := self.pick(first) + self.pick(second)) in ("BG", "GB", "KN", "NK", "NT", "TN",
                                                               "ZZ"):
            pass
        d, s = self.digits(6), self.pick("ABCD")
        return self.pick([f"{p}{d}{s}", f"{p} {d[:2]} {d[2:4]} {d[4:]} {s}"])

    def _uk_nhs(self) -> str:
        while True:
            body = str(self.r.randint(4, 6)) + self.digits(8)
            r = 11 - sum(int(c) * (10 - i) for i, c in enumerate(body)) % 11
            if r == 10:
                continue
            d = body + str(0 if r == 11 else r)
            return self.pick([d, f"{d[:3]} {d[3:6]} {d[6:]}", f"{d[:3]}-{d[3:6]}-{d[6:]}"])

    def _fr_nir(self) -> str:
        body = (self.pick("12") + f"{self.r.randint(40, 99):02d}{self.r.randint(1, 12):02d}"
                + f"{self.r.randint(1, 95):02d}" + self.digits(3) + self.digits(3))
        key = 97 - int(body) % 97
        d = body + f"{key:02d}"
        return self.pick([d, f"{d[0]} {d[1:3]} {d[3:5]} {d[5:7]} {d[7:10]} {d[10:13]} {d[13:]}"])

    def _es_dni(self) -> str:
        n = self.r.randint(10_000_000, 99_999_999)
        return f"{n}{'TRWAGMYFPDXBNJZSQVHLCKE'[n % 23]}" if self.chance(0.7) else \
            f"{n}-{'TRWAGMYFPDXBNJZSQVHLCKE'[n % 23]}"

    def _es_nie(self) -> str:
        lead = self.pick("XYZ")
        n = int(str("XYZ".index(lead)) + self.digits(7))
        return f"{lead}{n % 10**7:07d}{'TRWAGMYFPDXBNJZSQVHLCKE'[n % 23]}"

    def _it_cf(self) -> str:
        cons = "BCDFGHJKLMNPQRSTVWXZ"
        body = (self.chars(cons, 3) + self.chars(cons, 3) + f"{self.r.randint(40, 99):02d}"
                + self.pick("ABCDEHLMPRST") + f"{self.r.randint(1, 28) + self.pick([0, 40]):02d}"
                + self.pick(string.ascii_uppercase[:13]) + self.digits(3))
        odd = dict(zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                       [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4,
                        18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23], strict=True))
        total = 0
        for i, ch in enumerate(body):
            if i % 2 == 0:
                total += odd[ch]
            else:
                total += int(ch) if ch.isdigit() else ord(ch) - 65
        return body + chr(65 + total % 26)

    def _nl_bsn(self) -> str:
        while True:
            body = str(self.r.randint(1, 9)) + self.digits(7)
            s = sum(int(c) * (9 - i) for i, c in enumerate(body))
            last = s % 11
            if last <= 9:
                d = body + str(last)
                return self.pick([d, f"{d[:4]}.{d[4:6]}.{d[6:]}"])

    def _pl_pesel(self) -> str:
        body = (f"{self.r.randint(40, 99):02d}{self.r.randint(1, 12):02d}"
                f"{self.r.randint(1, 28):02d}" + self.digits(4))
        s = sum(int(c) * w for c, w in zip(body, [1, 3, 7, 9, 1, 3, 7, 9, 1, 3], strict=True))
        return body + str((10 - s % 10) % 10)

    def _se_pnr(self) -> str:
        body = (f"{self.r.randint(40, 99):02d}{self.r.randint(1, 12):02d}"
                f"{self.r.randint(1, 28):02d}" + self.digits(3))
        d = body + luhn_digit(body)
        return self.pick([f"{d[:6]}-{d[6:]}", f"19{d[:6]}-{d[6:]}", f"19{d}"])

    def _fi_hetu(self) -> str:
        dd, mm, yy = self.r.randint(1, 28), self.r.randint(1, 12), self.r.randint(40, 99)
        n = self.r.randint(2, 899)
        c = "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(f"{dd:02d}{mm:02d}{yy:02d}{n:03d}") % 31]
        return f"{dd:02d}{mm:02d}{yy:02d}-{n:03d}{c}"

    def _be_nn(self) -> str:
        yy, mm, dd = self.r.randint(40, 99), self.r.randint(1, 12), self.r.randint(1, 28)
        seq = self.r.randint(1, 997)
        body = f"{yy:02d}{mm:02d}{dd:02d}{seq:03d}"
        cc = 97 - int(body) % 97
        return self.pick([f"{yy:02d}.{mm:02d}.{dd:02d}-{seq:03d}.{cc:02d}", body + f"{cc:02d}"])

    def _ca_sin(self) -> str:
        body = str(self.r.randint(1, 7)) + self.digits(7)
        d = body + luhn_digit(body)
        return self.pick([f"{d[:3]} {d[3:6]} {d[6:]}", f"{d[:3]}-{d[3:6]}-{d[6:]}", d])

    def _in_aadhaar(self) -> str:
        body = str(self.r.randint(2, 9)) + self.digits(10)
        d = body + verhoeff_digit(body)
        return self.pick([f"{d[:4]} {d[4:8]} {d[8:]}", d, f"{d[:4]}-{d[4:8]}-{d[8:]}"])

    def _br_cpf(self) -> str:
        body = [int(c) for c in self.digits(9)]
        for n in (10, 11):
            s = sum(d * w for d, w in zip(body, range(n, 1, -1), strict=False))
            r = s * 10 % 11
            body.append(0 if r == 10 else r)
        d = "".join(map(str, body))
        return self.pick([f"{d[:3]}.{d[3:6]}.{d[6:9]}-{d[9:]}", d])

    def _de_taxid(self) -> str:
        while True:
            ds = [self.r.randint(1, 9)] + [self.r.randint(0, 9) for _ in range(9)]
            counts = sorted((ds.count(x) for x in set(ds)), reverse=True)
            if counts[0] in (2, 3) and counts[1] == 1:
                break
        product = 10
        for d in ds:
            s = (d + product) % 10 or 10
            product = s * 2 % 11
        check = (11 - product) % 10
        d = "".join(map(str, ds)) + str(check)
        return self.pick([d, f"{d[:2]} {d[2:5]} {d[5:8]} {d[8:]}"])

    def _au_tfn(self) -> str:
        w = [1, 4, 3, 7, 5, 8, 6, 9, 10]
        while True:
            body = [self.r.randint(0, 9) for _ in range(8)]
            s = sum(d * x for d, x in zip(body, w, strict=False))
            for last in range(10):
                if (s + last * 10) % 11 == 0:
                    d = "".join(map(str, body + [last]))
                    return self.pick([f"{d[:3]} {d[3:6]} {d[6:]}", d])

    # --- places --------------------------------------------------------------------------------------
    def city(self) -> str:
        return self._mix(self.city_own, vocab.CITY_TRAIN)

    def address(self, country: str | None = None) -> tuple[str, str]:
        """Return ``(country, postal address on one line)``."""
        country = country or self.pick(["US", "US", "UK", "DE", "FR"])
        r = self.r
        if country == "US":
            street = f"{self._mix(self.street_own, vocab.STREET_TRAIN)} " + self.pick(
                ["Street", "St.", "Avenue", "Ave", "Road", "Rd", "Boulevard", "Blvd", "Lane",
                 "Drive", "Dr.", "Court", "Place", "Way", "Terrace", "Parkway", "Circle"])
            if self.chance(0.2):
                street = self.pick(["N.", "S.", "E.", "W.", "North", "West"]) + " " + street
            line = f"{r.randint(1, 9899)} {street}"
            if self.chance(0.3):
                line += self.pick([", Apt ", " Apt. ", ", Suite ", " #", ", Unit "]) + \
                    f"{r.randint(1, 40)}{self.pick(['', 'B', 'C'])}"
            if self.chance(0.8):
                line += f", {self.city()}, {self.pick(vocab.US_STATES)} {self.digits(5)}"
                if self.chance(0.2):
                    line += "-" + self.digits(4)
            return country, line
        if country == "UK":
            street = f"{self._mix(self.street_own, vocab.STREET_TRAIN)} " + self.pick(
                ["Road", "Street", "Lane", "Close", "Crescent", "Gardens", "Grove", "Avenue",
                 "Mews", "Terrace", "Way", "Place", "Row", "Hill"])
            line = f"{r.randint(1, 240)}{self.pick(['', '', 'A', 'B'])} {street}"
            if self.chance(0.25):
                line = f"Flat {r.randint(1, 30)}, " + line
            pc = (self.pick(["SW", "NW", "E", "N", "BS", "LS", "M", "B", "EH", "G", "CF", "OX",
                             "CB", "YO", "NE"]) + str(r.randint(1, 20)) + " " + str(r.randint(1, 9))
                  + self.chars("ABDEFGHJLNPQRSTUWXYZ", 2))
            return country, f"{line}, {self.city()} {pc}" if self.chance(0.85) else f"{line}, {pc}"
        if country == "DE":
            base = self._mix(self.de_street_own, vocab.DE_STREET_TRAIN)
            suffix = self.pick(["straße", "str.", "weg", "allee", "platz", "gasse", "ring"])
            street = f"{base}{suffix}" if self.chance(0.8) else f"{base} {suffix.capitalize()}"
            line = f"{street} {r.randint(1, 180)}{self.pick(['', '', 'a', 'b'])}"
            return country, f"{line}, {self.digits(5)} {self.city()}"
        kind = self.pick(["rue", "avenue", "boulevard", "place", "allée", "chemin", "impasse",
                          "quai"])
        street = f"{kind} {self._mix(self.fr_street_own, vocab.FR_STREET_TRAIN)}"
        num = f"{r.randint(1, 150)}{self.pick(['', '', ' bis', ' ter'])}"
        return "FR", f"{num} {street}, {self.digits(5)} {self.city()}"

    # --- secrets -------------------------------------------------------------------------------------
    def secret(self, kind: str | None = None) -> tuple[str, str, str]:
        """Return ``(provider kind, entity type, value)`` of a credential of a known shape."""
        kinds = sorted(k[len("_s_"):] for k in dir(self) if k.startswith("_s_"))
        kind = kind or self.pick(kinds)
        ent, val = getattr(self, "_s_" + kind)()
        return kind, ent, val

    def _s_aws_key_id(self):
        return "CLOUD_KEY", self.pick(["AKIA", "ASIA"]) + self.chars(string.ascii_uppercase
                                                                      + "234567", 16)

    def _s_aws_secret(self):
        return "CLOUD_KEY", self.chars(B64, 40)

    def _s_gcp_api_key(self):
        return "CLOUD_KEY", "AIza" + self.chars(B64URL, 35)

    def _s_gcp_oauth(self):
        return "AUTH_TOKEN", "ya29." + self.chars(B64URL, self.r.randint(60, 150))

    def _s_azure_account_key(self):
        return "CLOUD_KEY", self.chars(B64, 86) + "=="

    def _s_azure_client_secret(self):
        return "API_KEY", self.chars(ALNUM, 3) + "8Q~" + self.chars(ALNUM + "_-.~", 34)

    def _s_github(self):
        if self.chance(0.3):
            return "API_KEY", "github_pat_" + self.chars(ALNUM, 22) + "_" + self.chars(ALNUM, 59)
        return "API_KEY", self.pick(["ghp_", "gho_", "ghs_", "ghu_"]) + self.chars(ALNUM, 36)

    def _s_gitlab(self):
        return "API_KEY", self.pick(["glpat-", "glpat-", "gldt-", "glrt-"]) + self.chars(
            ALNUM + "_-", 20)

    def _s_slack(self):
        return "API_KEY", (self.pick(["xoxb-", "xoxp-", "xoxa-2-"]) + self.digits(12) + "-"
                           + self.digits(12) + "-" + self.chars(ALNUM, 24))

    def _s_stripe(self):
        return "API_KEY", self.pick(["sk_live_", "rk_live_", "sk_test_"]) + self.chars(
            ALNUM, self.r.choice([24, 34, 99]))

    def _s_openai(self):
        if self.chance(0.5):
            return "API_KEY", "sk-proj-" + self.chars(B64URL, 156)
        return "API_KEY", "sk-" + self.chars(ALNUM, 20) + "T3BlbkFJ" + self.chars(ALNUM, 20)

    def _s_anthropic(self):
        return "API_KEY", "sk-ant-api03-" + self.chars(B64URL, 93) + "AA"

    def _s_jwt(self):
        def seg(obj: str) -> str:
            return base64.urlsafe_b64encode(obj.encode()).decode().rstrip("=")
        head = seg('{"alg":"' + self.pick(["HS256", "RS256", "ES256"]) + '","typ":"JWT"}')
        body = seg('{"sub":"' + self.digits(8) + '","iat":' + self.digits(10) + ',"exp":'
                   + self.digits(10) + '}')
        return "JWT", f"{head}.{body}.{self.chars(B64URL, 43)}"

    def _s_twilio(self):
        return "API_KEY", "SK" + self.chars(HEX, 32)

    def _s_sendgrid(self):
        return "API_KEY", "SG." + self.chars(B64URL, 22) + "." + self.chars(B64URL, 43)

    def _s_npm(self):
        return "API_KEY", "npm_" + self.chars(ALNUM, 36)

    def _s_pypi(self):
        return "API_KEY", "pypi-AgEIcHlwaS5vcmc" + self.chars(B64URL, 70)

    def _s_huggingface(self):
        return "API_KEY", "hf_" + self.chars(ALNUM, 34)

    def _s_mailgun(self):
        return "API_KEY", "key-" + self.chars(HEX, 32)

    def _s_telegram(self):
        return "API_KEY", self.digits(10) + ":AA" + self.chars(B64URL, 33)

    def _s_digitalocean(self):
        return "API_KEY", self.pick(["dop_v1_", "doo_v1_"]) + self.chars(HEX, 64)

    def _s_shopify(self):
        return "API_KEY", self.pick(["shpat_", "shpss_"]) + self.chars(HEX, 32)

    def _s_linear(self):
        return "API_KEY", "lin_api_" + self.chars(ALNUM, 40)

    def _s_notion(self):
        return "API_KEY", self.pick(["secret_", "ntn_"]) + self.chars(ALNUM, 43)

    def _s_postman(self):
        return "API_KEY", "PMAK-" + self.chars(HEX, 24) + "-" + self.chars(HEX, 34)

    def _s_vault(self):
        return "AUTH_TOKEN", "hvs." + self.chars(B64URL, 90)

    def _s_grafana(self):
        return "API_KEY", "glsa_" + self.chars(ALNUM, 32) + "_" + self.chars(HEX, 8)

    def _s_doppler(self):
        return "API_KEY", "dp.pt." + self.chars(ALNUM, 43)

    def _s_newrelic(self):
        return "API_KEY", "NRAK-" + self.chars(UPPER_ALNUM, 27)

    def _s_databricks(self):
        return "API_KEY", "dapi" + self.chars(HEX, 32)

    def _s_atlassian(self):
        return "API_KEY", "ATATT3xFfGF0" + self.chars(B64URL, 170) + "=" + self.chars(HEX, 8)

    def _s_square(self):
        return "API_KEY", "sq0atp-" + self.chars(B64URL, 22)

    def _s_age(self):
        return "PRIVATE_KEY", "AGE-SECRET-KEY-1" + self.chars("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L",
                                                              58)

    def _s_okta(self):
        return "API_KEY", "00" + self.chars(B64URL, 40)

    def _s_datadog(self):
        return "API_KEY", self.chars(HEX, 32)

    def _s_heroku(self):
        h = self.chars(HEX, 32)
        return "API_KEY", f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def _s_mapbox(self):
        return "API_KEY", "sk.eyJ1Ijoi" + self.chars(B64URL, 40) + "." + self.chars(B64URL, 22)

    def pem(self, escaped: bool = False) -> str:
        kind = self.pick(["RSA ", "EC ", "OPENSSH ", "", "ENCRYPTED "])
        nl = "\\n" if escaped else "\n"
        body = nl.join(self.chars(B64, 64) for _ in range(self.r.randint(3, 8)))
        return (f"-----BEGIN {kind}PRIVATE KEY-----{nl}{body}{nl}{self.chars(B64, 20)}="
                f"{nl}-----END {kind}PRIVATE KEY-----")

    def password(self) -> str:
        style = self.r.randrange(4)
        if style == 0:
            return self.pick(["Summer", "Winter", "Dragon", "Monkey", "Sunshine", "Welcome",
                              "Football", "Qwerty"]) + self.digits(4) + self.pick(["!", "#", "", "$"])
        if style == 1:
            return self.chars(ALNUM + "!@#%^*_-", self.r.randint(10, 20))
        if style == 2:
            return "-".join(self.pick(["correct", "horse", "battery", "staple", "violet",
                                       "lantern", "ocean", "pepper"]) for _ in range(3))
        return self.chars(ALNUM, 8) + self.pick(["!", "?", "&", "%"]) + self.digits(2)
