"""Value generators of the ``identifier.*`` domains: keys, UUIDs, business numbers, SKUs, EANs
with check digits, IBANs with valid check digits (invented banks), BICs, VAT ids, national ids
and passports in reserved ranges, public test card numbers and account numbers."""
from __future__ import annotations

import random
import uuid

from ._golden_gen import Gen, _digits, _letters, registrar
from ._golden_vocab import vocab

_V = vocab()
IBAN_LAYOUT, VAT_LAYOUT, BANK_CODES = _V["iban_layout"], _V["vat_layout"], _V["bank_codes"]
TEST_CARDS, _SKU_PARTS = _V["test_cards"], _V["sku_parts"]
GEN: dict[str, Gen] = {}
_gen = registrar(GEN)


@_gen("identifier.key")
def _keys(rng, n, ctx):
    start = ctx.get("start") or rng.choice([1, 1, 100, 1000, 10001, rng.randint(2, 90000)])
    gaps = rng.random() < 0.5
    out, k = [], start
    for _ in range(n):
        out.append(str(k))
        k += rng.randint(1, 7) if gaps else 1
    if rng.random() < 0.5:
        rng.shuffle(out)
    return out


@_gen("identifier.uuid")
def _uuids(rng, n, ctx):
    style = rng.choice(["lower", "lower", "lower", "upper", "brace"])
    out = []
    for _ in range(n):
        u = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        out.append(u.upper() if style == "upper" else "{" + u + "}" if style == "brace" else u)
    return out


def _numbered(rng: random.Random, n: int, patterns: list[str], lo: int, hi: int) -> list[str]:
    pattern = rng.choice(patterns)
    start = rng.randint(lo, hi)
    year = rng.randint(2018, 2025)
    out = []
    for i in range(n):
        k = start + i * rng.randint(1, 3)
        out.append(pattern.format(k=k, y=year if rng.random() < 0.9 else year + 1))
    rng.shuffle(out)
    return out


@_gen("identifier.customer_id")
def _customer_ids(rng, n, ctx):
    return _numbered(rng, n, ["CUST-{k:06d}", "C{k:05d}", "K-{k}", "{k:06d}", "KD{k:05d}",
                              "CL{k:05d}", "D-{k:06d}", "{k}"], 100, 90000)


@_gen("identifier.order_id")
def _order_ids(rng, n, ctx):
    return _numbered(rng, n, ["ORD-{y}-{k:06d}", "SO{k:06d}", "#{k:06d}", "PO-{k:07d}",
                              "{k:08d}", "A-{y}-{k:06d}", "BE-{k:05d}"], 1000, 900000)


@_gen("identifier.invoice_number")
def _invoice_numbers(rng, n, ctx):
    return _numbered(rng, n, ["INV-{y}-{k:04d}", "RE-{y}-{k:05d}", "F{y}/{k:04d}",
                              "FT {y}/{k}", "FA-{k:05d}", "{y}-{k:06d}", "R{k:07d}"], 1, 9000)


@_gen("identifier.sku")
def _skus(rng, n, ctx):
    style = rng.randrange(4)
    out = []
    for _ in range(n):
        p = rng.choice(_SKU_PARTS)
        if style == 0:
            out.append(f"{p}-{rng.choice(['BLU', 'RED', 'BLK', 'WHT', 'GRN'])}-"
                       f"{rng.choice(['S', 'M', 'L', 'XL'])}")
        elif style == 1:
            out.append(f"SKU-{rng.randint(10000, 99999)}")
        elif style == 2:
            out.append(f"{rng.randint(100, 999)}-{rng.randint(1000, 9999)}-"
                       f"{rng.randint(1, 99):02d}")
        else:
            out.append(f"{p}{rng.randint(10, 999)}-{rng.choice('ABC')}{rng.randint(1, 9)}")
    return out


def _check_digit_ean(body: str) -> str:
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


@_gen("identifier.ean")
def _eans(rng, n, ctx):
    kind = rng.choice(["ean13", "ean13", "ean13", "upc", "mixed", "gtin14"])
    out = []
    for _ in range(n):
        k = rng.choice(["ean13", "ean13", "ean8", "upc"]) if kind == "mixed" else kind
        if k == "ean13":
            out.append(_check_digit_ean(rng.choice(["400", "401", "402", "200", "290"])
                                        + _digits(rng, 9)))
        elif k == "ean8":
            out.append(_check_digit_ean("2" + _digits(rng, 6)))
        elif k == "upc":
            out.append(_check_digit_ean("0" + _digits(rng, 10)))
        else:
            out.append(_check_digit_ean("1400" + _digits(rng, 9)))
    return out


def _iban(rng: random.Random, country: str) -> str:
    letters, digits = IBAN_LAYOUT[country]
    bank = rng.choice(BANK_CODES) if letters == 4 else _letters(rng, letters)
    bban = bank + _digits(rng, digits)
    numeric = "".join(str(int(ch, 36)) for ch in bban + country + "00")
    return f"{country}{98 - int(numeric) % 97:02d}{bban}"


@_gen("identifier.iban")
def _ibans(rng, n, ctx):
    home = ctx["country"] if ctx["country"] in IBAN_LAYOUT else "DE"
    grouped = rng.random() < 0.3
    out = []
    for _ in range(n):
        iban = _iban(rng, home if rng.random() < 0.8 else rng.choice(list(IBAN_LAYOUT)))
        out.append(" ".join(iban[i:i + 4] for i in range(0, len(iban), 4)) if grouped else iban)
    return out


@_gen("identifier.bic")
def _bics(rng, n, ctx):
    out = []
    for _ in range(n):
        country = ctx["country"] if rng.random() < 0.8 else rng.choice(list(IBAN_LAYOUT))
        code = rng.choice(BANK_CODES) + country + rng.choice(["FF", "MM", "2L", "PP", "XX", "22"])
        out.append(code + (rng.choice(["XXX", "100", "HAM"]) if rng.random() < 0.4 else ""))
    return out


@_gen("identifier.vat_id")
def _vat_ids(rng, n, ctx):
    out = []
    for _ in range(n):
        c = ctx["country"] if rng.random() < 0.75 else rng.choice(list(VAT_LAYOUT))
        c = c if c in VAT_LAYOUT else "DE"
        layout = VAT_LAYOUT[c]
        body = {"U8": "U" + _digits(rng, 8), "9B01": _digits(rng, 9) + "B01",
                "B8": "B" + _digits(rng, 8), "0_9": "0" + _digits(rng, 9)}.get(layout) \
            or _digits(rng, int(layout))
        out.append(f"{c}{' ' if rng.random() < 0.1 else ''}{body}")
    return out


@_gen("identifier.national_id")
def _national_ids(rng, n, ctx):
    uk = ctx["country"] == "GB" or (ctx["country"] != "US" and rng.random() < 0.4)
    dashed = rng.random() < 0.7
    out = []
    for _ in range(n):
        if uk:
            d = _digits(rng, 6)
            out.append(f"QQ {d[:2]} {d[2:4]} {d[4:]} {rng.choice('ABCD')}" if dashed
                       else f"QQ{d}{rng.choice('ABCD')}")
        else:
            area = rng.choice(["666", "987"])
            group = "65" if area == "987" else f"{rng.randint(10, 99)}"
            serial = f"432{rng.randint(0, 9)}" if area == "987" else _digits(rng, 4)
            out.append(f"{area}-{group}-{serial}" if dashed else f"{area}{group}{serial}")
    return out


@_gen("identifier.passport")
def _passports(rng, n, ctx):
    style = rng.randrange(4)
    alnum = "CFGHJKLMNPRTVWXYZ0123456789"
    return [[lambda: "X" + _digits(rng, 7), lambda: "C" + _letters(rng, 8, alnum),
             lambda: _digits(rng, 9), lambda: f"{rng.randint(10, 24)}{_letters(rng, 2)}"
             f"{_digits(rng, 5)}"][style]() for _ in range(n)]


@_gen("identifier.credit_card")
def _cards(rng, n, ctx):
    style = rng.choice(["plain", "plain", "spaced", "dashed"])
    out = []
    for _ in range(n):
        pan = rng.choice(TEST_CARDS)
        if style == "spaced":
            pan = " ".join(pan[i:i + 4] for i in range(0, len(pan), 4))
        elif style == "dashed":
            pan = "-".join(pan[i:i + 4] for i in range(0, len(pan), 4))
        out.append(pan)
    return out


@_gen("identifier.account_number")
def _account_numbers(rng, n, ctx):
    style = rng.randrange(4)
    out = []
    for _ in range(n):
        if style == 0:
            out.append(_digits(rng, 10))
        elif style == 1:
            out.append(f"{_digits(rng, 2)}-{_digits(rng, 2)}-{_digits(rng, 2)} {_digits(rng, 8)}")
        elif style == 2:
            out.append("000" + _digits(rng, 9))
        else:
            out.append(f"{_digits(rng, 4)}-{_digits(rng, 6)}")
    return out
