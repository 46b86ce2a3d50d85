"""Value generators of the ``person.*`` and ``contact.*`` domains: names, titles, gender, age,
nationality, e-mail (example.com), phones in fiction ranges, websites and social handles."""
from __future__ import annotations

import random
import string

from ._golden_gen import Gen, _ascii, _pool, registrar
from ._golden_vocab import vocab

_V = vocab()
FIRST, LAST, DEMONYMS, COUNTRIES = (_V["first_names"], _V["last_names"], _V["demonyms"],
                                    _V["countries"])
COMPANY_STEMS, _TITLES, _GENDER_SETS = _V["company_stems"], _V["titles"], _V["gender_sets"]
GEN: dict[str, Gen] = {}
_gen = registrar(GEN)


@_gen("person.first_name")
def _first_names(rng, n, ctx):
    return [rng.choice(_pool(FIRST, ctx)) for _ in range(n)]


@_gen("person.last_name")
def _last_names(rng, n, ctx):
    return [rng.choice(_pool(LAST, ctx)) for _ in range(n)]


@_gen("person.middle_name")
def _middle_names(rng, n, ctx):
    if ctx["lang"] == "nl":
        return [rng.choice(["van", "de", "van der", "van den", "ter", "den"]) for _ in range(n)]
    firsts = _pool(FIRST, ctx)
    initial = rng.random() < 0.5
    return [rng.choice(firsts)[0] + rng.choice([".", ""]) if initial and rng.random() < 0.8
            else rng.choice(firsts) for _ in range(n)]


@_gen("person.full_name")
def _full_names(rng, n, ctx):
    style = ctx.get("fmt") or rng.choice(["first_last", "first_last", "last_comma", "upper",
                                          "with_mid"])
    out = []
    for _ in range(n):
        f, la = rng.choice(_pool(FIRST, ctx)), rng.choice(_pool(LAST, ctx))
        if style == "last_comma":
            out.append(f"{la}, {f}")
        elif style == "upper":
            out.append(f"{la.upper()} {f}")
        elif style == "with_mid" and rng.random() < 0.5:
            out.append(f"{f} {rng.choice(string.ascii_uppercase)}. {la}")
        else:
            out.append(f"{f} {la}")
    return out


@_gen("person.title")
def _titles(rng, n, ctx):
    pool = _pool(_TITLES, ctx)
    weights = [6 if i < 2 else 1 for i in range(len(pool))]
    return rng.choices(pool, weights, k=n)


@_gen("person.gender")
def _genders(rng, n, ctx):
    values = ctx.get("set") or rng.choice(_pool(_GENDER_SETS, ctx))
    weights = [10] * min(2, len(values)) + [1] * (len(values) - 2)
    return rng.choices(values, weights, k=n)


@_gen("person.age")
def _ages(rng, n, ctx):
    lo, hi = ctx.get("range", (18, 92))
    return [str(rng.randint(lo, hi)) for _ in range(n)]


@_gen("person.nationality")
def _nationalities(rng, n, ctx):
    style = ctx.get("fmt") or rng.choice(["code", "code", "word", "alpha3"])
    codes = list(DEMONYMS.get(ctx["lang"], DEMONYMS["en"]))
    home = ctx["country"] if ctx["country"] in codes else codes[0]
    out = []
    for _ in range(n):
        c = home if rng.random() < 0.6 else rng.choice(codes)
        out.append({"code": c, "alpha3": COUNTRIES.get(c, ("XXX",))[0],
                    "word": DEMONYMS.get(ctx["lang"], DEMONYMS["en"]).get(c, c)}[style])
    return out


# ------------------------------------------------------------------------------------ contact
def _email_local(rng: random.Random, ctx: dict) -> str:
    f = _ascii(rng.choice(_pool(FIRST, ctx))).lower().replace(" ", "")
    la = _ascii(rng.choice(_pool(LAST, ctx))).lower().replace(" ", "").replace("'", "")
    return rng.choice([f"{f}.{la}", f"{f[0]}.{la}", f"{f}{la[:1]}", f"{f}_{la}",
                       f"{la}{rng.randint(1, 99)}", f"{f}.{la}{rng.randint(60, 99)}",
                       rng.choice(["info", "sales", "office", "kontakt", "contact", "billing"])])


@_gen("contact.email")
def _emails(rng, n, ctx):
    upper = rng.random() < 0.1
    out = []
    for _ in range(n):
        host = rng.choice(["example.com", "example.org", "example.net", "mail.example.com",
                           "shop.example.org", "corp.example.net"])
        e = f"{_email_local(rng, ctx)}@{host}"
        out.append(e.upper() if upper else e)
    return out


def _phone(rng: random.Random, country: str, kind: str, style: int) -> str:
    tail2 = f"{rng.randint(0, 99):02d}"
    tail3 = f"{rng.randint(0, 999):03d}"
    if country == "US":
        area = rng.choice(["212", "312", "415", "617", "206", "305", "512", "720"])
        local = f"555-01{tail2}"
        return [f"({area}) {local}", f"{area}-{local}", f"+1 {area} 555 01{tail2}",
                f"{area}55501{tail2}", f"+1.{area}.555.01{tail2}", local][style % 6]
    if country == "GB":
        if kind == "mobile":
            return [f"07700 900{tail3}", f"+44 7700 900{tail3}", f"07700900{tail3}",
                    f"+44 (0)7700 900{tail3}", f"0044 7700 900{tail3}", f"07700 900 {tail3}"][
                style % 6]
        return [f"020 7946 0{tail3}", f"+44 20 7946 0{tail3}", f"(020) 7946 0{tail3}",
                f"02079460{tail3}", f"+44 (0)20 7946 0{tail3}", f"020-7946-0{tail3}"][style % 6]
    if country == "FR":
        if kind == "mobile":
            return [f"06 39 98 {tail2[0]}0 {tail2}", f"+33 6 39 98 {tail2[0]}0 {tail2}",
                    f"0639980{tail3}"][style % 3]
        return [f"01 99 00 {tail2[0]}1 {tail2}", f"+33 1 99 00 {tail2[0]}1 {tail2}",
                f"01.99.00.{tail2[0]}1.{tail2}", f"0199001{tail3}"][style % 4]
    prefix = {"DE": ("+49", "0", "30 123456", "151 234567"),
              "ES": ("+34", "", "91 123 45", "600 123 4"),
              "PT": ("+351", "", "21 123 45", "91 234 5"),
              "IT": ("+39", "", "06 1234 56", "333 123 45"),
              "NL": ("+31", "0", "20 123 45", "6 1234 56")}[country]
    cc, trunk, land, mob = prefix
    body = (mob if kind == "mobile" else land) + tail2
    return [f"{cc} {body}", f"{trunk}{body}", f"{trunk}{body}".replace(" ", ""),
            f"00{cc[1:]} {body}", f"{cc} ({trunk}){body}" if trunk else f"{cc}{body}",
            f"{trunk}{body}".replace(" ", "/", 1)][style % 6]


@_gen("contact.phone", "contact.fax")
def _phones(rng, n, ctx):
    style = rng.randrange(6)
    mixed = rng.random() < 0.3
    return [_phone(rng, ctx["country"], "phone", rng.randrange(6) if mixed else style)
            for _ in range(n)]


@_gen("contact.mobile")
def _mobiles(rng, n, ctx):
    style = rng.randrange(6)
    mixed = rng.random() < 0.3
    return [_phone(rng, ctx["country"], "mobile", rng.randrange(6) if mixed else style)
            for _ in range(n)]


def _company_slug(rng: random.Random) -> str:
    return _ascii(rng.choice(COMPANY_STEMS)).lower() + rng.choice(["", "", "-shop", "-group",
                                                                   "24", "-online"])


@_gen("contact.website")
def _websites(rng, n, ctx):
    out = []
    for _ in range(n):
        slug = _company_slug(rng)
        tld = rng.choice(["example.com", "example.org", "example.net"])
        out.append(rng.choice([f"https://www.{slug}.{tld}", f"http://{slug}.{tld}",
                               f"www.{slug}.{tld}", f"{slug}.{tld}",
                               f"https://{slug}.{tld}/{ctx['lang']}/",
                               f"https://www.{tld}/{slug}"]))
    return out


@_gen("contact.social_handle")
def _handles(rng, n, ctx):
    out = []
    for _ in range(n):
        f = _ascii(rng.choice(_pool(FIRST, ctx))).lower()
        la = _ascii(rng.choice(_pool(LAST, ctx))).lower().replace(" ", "").replace("'", "")
        h = rng.choice([f"{f}_{la}", f"{f}{la[:2]}", f"{f}.{la}", f"{la}{rng.randint(1, 999)}",
                        f"the_{f}", f"{f}_{rng.randint(80, 99)}"])
        out.append("@" + h + (f"@social.example.{rng.choice(['org', 'net'])}"
                              if rng.random() < 0.1 else ""))
    return out
