"""Checksums and structural checks that turn regex candidates into findings."""
from __future__ import annotations

import ipaddress

# IBAN length per country (ISO 13616 registry, as published by SWIFT)
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
    "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32,
    "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
    "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23,
    "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}


def luhn_ok(digits: str) -> bool:
    """Return True when a digit string passes the Luhn checksum."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def card_iin_ok(d: str) -> bool:
    """Return True when the prefix and length match a card scheme in use (15–19 digits and more)."""
    n = len(d)
    if n < 13 or n > 19:
        return False
    p2, p3, p4, p6 = int(d[:2]), int(d[:3]), int(d[:4]), int(d[:6])
    if d[0] == "4":                                   # Visa (incl. Electron), Dankort co-brand
        return n in (13, 16, 18, 19)
    if 51 <= p2 <= 55 or 2221 <= p4 <= 2720:          # Mastercard, incl. the 2-series
        return n == 16
    if p2 in (34, 37):                                # American Express
        return n == 15
    if 2200 <= p4 <= 2204:                            # Mir
        return 16 <= n <= 19
    if 3528 <= p4 <= 3589:                            # JCB
        return 16 <= n <= 19
    if 300 <= p3 <= 305 or p4 == 3095 or p2 in (36, 38, 39):   # Diners Club
        return 14 <= n <= 19
    if p4 == 6011 or 644 <= p3 <= 649 or p2 == 65 or 622126 <= p6 <= 622925:  # Discover
        return 16 <= n <= 19
    if p2 in (62, 81, 82) or p2 == 60 or p3 == 508:   # UnionPay, RuPay
        return 16 <= n <= 19
    if p2 == 50 or 56 <= p2 <= 69:                    # Maestro
        return 13 <= n <= 19
    if p2 == 63 or p4 == 5019:                        # InterPayment, Dankort
        return 16 <= n <= 19
    return False


def iban_ok(compact: str) -> bool:
    """Return True when an IBAN (no spaces, upper case) has its country's length and mod-97 = 1."""
    if IBAN_LENGTHS.get(compact[:2]) != len(compact) or not compact[2:4].isdigit():
        return False
    moved = compact[4:] + compact[:4]
    num = "".join(str(int(c, 36)) for c in moved)
    return int(num) % 97 == 1


def ssn_ok(area: str, group: str, serial: str) -> bool:
    """Return True for an SSN the SSA could issue (no 000/666/9xx area, 00 group, 0000 serial)."""
    return (area not in ("000", "666") and area[0] != "9" and group != "00"
            and serial != "0000")


def nanp_ok(digits: str) -> bool:
    """Return True for a 10-digit North American number with valid area code and exchange."""
    return len(digits) == 10 and digits[0] in "23456789" and digits[3] in "23456789" \
        and digits[1:3] != "11"


def intl_phone_ok(digits: str) -> bool:
    """Return True when ``+digits`` is a possible phone number for its country code."""
    if not 8 <= len(digits) <= 15:
        return False
    import phonenumbers

    try:
        num = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_possible_number(num)


def national_phone_ok(digits: str, regions: tuple[str, ...]) -> bool:
    """Return True when a number dialled without its country code is valid in some region."""
    import phonenumbers

    for region in regions:
        try:
            num = phonenumbers.parse(digits, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(num):
            return True
    return False


def ipv6_ok(text: str) -> bool:
    """Return True for a valid IPv6 address that holds at least one decimal digit."""
    if not any(c.isdigit() for c in text):
        return False
    try:
        ipaddress.IPv6Address(text.split("%", 1)[0])
    except ValueError:
        return False
    return True


# --- national identification numbers: the check each issuing scheme publishes ------------------------
_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
_HETU_CHARS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_CF_ODD = dict(zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                   (1, 0, 5, 7, 9, 13, 15, 17, 19, 21) * 2
                   + (2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23), strict=True))
_NINO_BAD_PREFIX = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
# Verhoeff: products in the dihedral group D5 and the position permutation (no tables kept)


def _d5(i: int, j: int) -> int:
    """Return the product ``i * j`` in the dihedral group D5 (numbered as Verhoeff does)."""
    if i < 5 and j < 5:
        return (i + j) % 5
    if i < 5:
        return 5 + (i + j - 5) % 5
    if j < 5:
        return 5 + (i - 5 - j) % 5
    return (i - j) % 5


_VERHOEFF_PERM = [list(range(10)), [1, 5, 7, 6, 2, 8, 3, 0, 9, 4]]
for _k in range(2, 8):
    _VERHOEFF_PERM.append([_VERHOEFF_PERM[1][x] for x in _VERHOEFF_PERM[_k - 1]])


def verhoeff_ok(digits: str) -> bool:
    """Return True when a digit string passes the Verhoeff check (India's Aadhaar)."""
    c = 0
    for i, ch in enumerate(reversed(digits)):
        c = _d5(c, _VERHOEFF_PERM[i % 8][ord(ch) - 48])
    return c == 0


def mod11_weighted(digits: str, weights: tuple[int, ...]) -> int:
    """Return the weighted digit sum modulo 11."""
    return sum((ord(c) - 48) * w for c, w in zip(digits, weights, strict=False)) % 11


def uk_nhs_ok(d: str) -> bool:
    """Return True for a 10-digit NHS number whose mod-11 check digit is right."""
    if len(d) != 10 or not d.isdigit():
        return False
    r = 11 - mod11_weighted(d[:9], (10, 9, 8, 7, 6, 5, 4, 3, 2))
    return r != 10 and (0 if r == 11 else r) == int(d[9])


def uk_nino_ok(v: str) -> bool:
    """Return True for a National Insurance number shape HMRC issues (AB123456C)."""
    v = v.replace(" ", "").upper()
    return (len(v) == 9 and v[:2].isalpha() and v[2:8].isdigit() and v[8] in "ABCD"
            and v[0] not in "DFIQUV" and v[1] not in "DFIOQUV" and v[:2] not in _NINO_BAD_PREFIX)


def fr_nir_ok(d: str) -> bool:
    """Return True for a 15-digit French social security number whose key is 97 - n mod 97."""
    return len(d) == 15 and d.isdigit() and d[0] in "1278" and \
        97 - int(d[:13]) % 97 == int(d[13:])


def es_dni_ok(v: str) -> bool:
    """Return True for a Spanish DNI (8 digits + letter) or NIE (X/Y/Z + 7 digits + letter)."""
    v = v.replace("-", "").replace(" ", "").upper()
    if len(v) != 9 or not v[-1].isalpha():
        return False
    body = v[:-1]
    if body[0] in "XYZ":
        body = str("XYZ".index(body[0])) + body[1:]
    return body.isdigit() and _DNI_LETTERS[int(body) % 23] == v[-1]


def it_cf_ok(v: str) -> bool:
    """Return True for an Italian codice fiscale (16 characters) whose check letter is right."""
    v = v.upper()
    if len(v) != 16 or not (v[:6].isalpha() and v[15].isalpha()):
        return False
    total = 0
    for i, ch in enumerate(v[:15]):
        if not ch.isalnum() or not ch.isascii():
            return False
        total += _CF_ODD[ch] if i % 2 == 0 else (int(ch) if ch.isdigit() else ord(ch) - 65)
    return chr(65 + total % 26) == v[15]


def nl_bsn_ok(d: str) -> bool:
    """Return True for a Dutch BSN: 9 digits passing the 11-test."""
    if len(d) != 9 or not d.isdigit() or d == "000000000":
        return False
    s = sum((ord(c) - 48) * w for c, w in zip(d[:8], range(9, 1, -1), strict=True))
    return (s - int(d[8])) % 11 == 0


def pl_pesel_ok(d: str) -> bool:
    """Return True for a Polish PESEL: 11 digits, weighted check digit, a plausible month."""
    if len(d) != 11 or not d.isdigit() or int(d[2:4]) % 20 not in range(1, 13):
        return False
    s = sum((ord(c) - 48) * w for c, w in zip(d[:10], (1, 3, 7, 9, 1, 3, 7, 9, 1, 3), strict=True))
    return (10 - s % 10) % 10 == int(d[10])


def se_pnr_ok(d: str) -> bool:
    """Return True for a Swedish personnummer (10 or 12 digits, Luhn over the last 10)."""
    if len(d) == 12:
        d = d[2:]
    return len(d) == 10 and d.isdigit() and 1 <= int(d[2:4]) <= 12 and luhn_ok(d)


def fi_hetu_ok(v: str) -> bool:
    """Return True for a Finnish henkilötunnus DDMMYY[-+A..Y]NNNC with its mod-31 check."""
    v = v.upper()
    if len(v) != 11 or not (v[:6].isdigit() and v[7:10].isdigit()) or v[6] not in "-+ABCDEFUVWXY":
        return False
    return 1 <= int(v[2:4]) <= 12 and _HETU_CHARS[int(v[:6] + v[7:10]) % 31] == v[10]


def be_nn_ok(d: str) -> bool:
    """Return True for a Belgian national number (11 digits, 97 - n mod 97, born 19xx or 20xx)."""
    if len(d) != 11 or not d.isdigit():
        return False
    check = int(d[9:])
    return 97 - int(d[:9]) % 97 == check or 97 - int("2" + d[:9]) % 97 == check


def ca_sin_ok(d: str) -> bool:
    """Return True for a Canadian social insurance number (9 digits, Luhn, not 8 first)."""
    return len(d) == 9 and d.isdigit() and d[0] != "8" and luhn_ok(d)


def in_aadhaar_ok(d: str) -> bool:
    """Return True for an Aadhaar number (12 digits, not 0 or 1 first, Verhoeff)."""
    return len(d) == 12 and d.isdigit() and d[0] not in "01" and verhoeff_ok(d)


def br_cpf_ok(d: str) -> bool:
    """Return True for a Brazilian CPF (11 digits, two mod-11 check digits, not all equal)."""
    if len(d) != 11 or not d.isdigit() or len(set(d)) == 1:
        return False
    nums = [ord(c) - 48 for c in d]
    for n in (9, 10):
        r = sum(x * w for x, w in zip(nums[:n], range(n + 1, 1, -1), strict=True)) * 10 % 11
        if (0 if r == 10 else r) != nums[n]:
            return False
    return True


def de_taxid_ok(d: str) -> bool:
    """Return True for a German Steuer-ID (11 digits, ISO 7064 MOD 11,10, one digit repeated)."""
    if len(d) != 11 or not d.isdigit() or d[0] == "0":
        return False
    counts = sorted((d[:10].count(c) for c in set(d[:10])), reverse=True)
    if counts[0] not in (2, 3) or counts[1] != 1:
        return False
    product = 10
    for c in d[:10]:
        s = (ord(c) - 48 + product) % 10 or 10
        product = s * 2 % 11
    return (11 - product) % 10 == int(d[10])


def au_tfn_ok(d: str) -> bool:
    """Return True for an Australian tax file number (9 digits, weighted sum divisible by 11)."""
    return len(d) == 9 and d.isdigit() and \
        mod11_weighted(d, (1, 4, 3, 7, 5, 8, 6, 9, 10)) == 0


# which checks a bare number of each length may pass, for a value under an ID key or cue word
NATIONAL_DIGIT_CHECKS = {
    9: (nl_bsn_ok, ca_sin_ok, au_tfn_ok),
    10: (uk_nhs_ok, se_pnr_ok),
    11: (pl_pesel_ok, br_cpf_ok, de_taxid_ok, be_nn_ok),
    12: (in_aadhaar_ok, se_pnr_ok),
    15: (fr_nir_ok,),
}


def national_digits_ok(d: str) -> bool:
    """Return True when a digit string passes the check of some national ID of its length."""
    return any(check(d) for check in NATIONAL_DIGIT_CHECKS.get(len(d), ()))
