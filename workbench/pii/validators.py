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


def ipv6_ok(text: str) -> bool:
    """Return True for a valid IPv6 address that holds at least one decimal digit."""
    if not any(c.isdigit() for c in text):
        return False
    try:
        ipaddress.IPv6Address(text.split("%", 1)[0])
    except ValueError:
        return False
    return True
