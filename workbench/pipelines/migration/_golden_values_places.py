"""Value generators of the ``address.*`` and ``geo.*`` domains: streets, house numbers, cities,
postal codes, states, countries, one-line addresses, coordinates and time zones."""
from __future__ import annotations

import random

from ._golden_gen import Gen, _city, _digits, _letters, _lognum, registrar
from ._golden_vocab import vocab

_V = vocab()
STREETS, COUNTRIES = _V["streets"], _V["countries"]
TIMEZONES, TZ_ABBR, TZ_OFFSET = _V["timezones"], _V["tz_abbr"], _V["tz_offset"]
GEN: dict[str, Gen] = {}
_gen = registrar(GEN)


def _postal(rng: random.Random, country: str, prefix: str) -> str:
    if country == "US":
        base = f"{prefix}{rng.randint(0, 99):02d}"
        return base + (f"-{rng.randint(1000, 9999)}" if rng.random() < 0.15 else "")
    if country == "GB":
        inward = f"{rng.randint(1, 9)}{_letters(rng, 2, 'ABDEFGHJLNPQRSTUWXYZ')}"
        return f"{prefix}{rng.randint(1, 20)} {inward}"
    if country == "PT":
        return f"{prefix}{_digits(rng, 4 - len(prefix))}-{_digits(rng, 3)}"
    if country == "NL":
        return f"{prefix}{_digits(rng, 2)} {_letters(rng, 2, 'ABCEGHJKLMNPRTVWXZ')}"
    return prefix + _digits(rng, 5 - len(prefix))


def _street(rng: random.Random, ctx: dict) -> str:
    patterns, names = STREETS.get(ctx["lang"], STREETS["en"])
    return rng.choice(patterns).format(rng.choice(names))


def _house_number(rng: random.Random) -> str:
    n = str(int(_lognum(rng, 1, 400)))
    r = rng.random()
    if r < 0.12:
        return n + rng.choice("abcAB")
    if r < 0.17:
        return f"{n}-{int(n) + 2}"
    return n


@_gen("address.street")
def _streets(rng, n, ctx):
    with_number = rng.random() < 0.35
    out = []
    for _ in range(n):
        s, h = _street(rng, ctx), _house_number(rng)
        if with_number:
            s = f"{h} {s}" if ctx["lang"] in ("en", "fr") else f"{s} {h}"
        out.append(s)
    return out


@_gen("address.house_number")
def _house_numbers(rng, n, ctx):
    return [_house_number(rng) for _ in range(n)]


@_gen("address.city")
def _cities(rng, n, ctx):
    return [_city(rng, ctx)[0] for _ in range(n)]


@_gen("address.postal_code")
def _postals(rng, n, ctx):
    out = []
    for _ in range(n):
        c = _city(rng, ctx)
        out.append(_postal(rng, ctx["country"], c[4]))
    return out


@_gen("address.state")
def _states(rng, n, ctx):
    return [_city(rng, ctx)[1] for _ in range(n)]


@_gen("address.country")
def _country_names(rng, n, ctx):
    codes = list(COUNTRIES)
    home = ctx["country"]
    lang = ctx["lang"] if rng.random() < 0.8 else "en"
    return [COUNTRIES[home if rng.random() < 0.55 else rng.choice(codes)][1][lang]
            for _ in range(n)]


@_gen("address.country_code")
def _country_codes(rng, n, ctx):
    alpha3 = ctx.get("fmt") == "alpha3" or (not ctx.get("fmt") and rng.random() < 0.2)
    codes, home = list(COUNTRIES), ctx["country"]
    return [(COUNTRIES[c][0] if alpha3 else c)
            for c in (home if rng.random() < 0.55 else rng.choice(codes) for _ in range(n))]


@_gen("address.full_address")
def _full_addresses(rng, n, ctx):
    out = []
    for _ in range(n):
        city, state, _, _, prefix = _city(rng, ctx)
        country = ctx["country"]
        pc = _postal(rng, country, prefix)
        street, h = _street(rng, ctx), _house_number(rng)
        cname = COUNTRIES[country][1][ctx["lang"]]
        if country == "US":
            s = f"{h} {street}, {city}, {state} {pc}"
        elif country == "GB":
            s = f"{h} {street}, {city} {pc}"
        elif country == "FR":
            s = f"{h} {street}, {pc} {city}"
        else:
            s = f"{street} {h}, {pc} {city}"
        if rng.random() < 0.4:
            s += f", {cname}"
        out.append(s)
    return out


# ------------------------------------------------------------------------------------ geo
def _coords(rng: random.Random, ctx: dict) -> tuple[float, float]:
    _, _, lat, lon, _ = _city(rng, ctx)
    return lat + rng.uniform(-0.15, 0.15), lon + rng.uniform(-0.15, 0.15)


@_gen("geo.latitude")
def _latitudes(rng, n, ctx):
    places = rng.choice([4, 5, 6])
    return [f"{_coords(rng, ctx)[0]:.{places}f}" for _ in range(n)]


@_gen("geo.longitude")
def _longitudes(rng, n, ctx):
    places = rng.choice([4, 5, 6])
    return [f"{_coords(rng, ctx)[1]:.{places}f}" for _ in range(n)]


@_gen("geo.point")
def _points(rng, n, ctx):
    style = rng.choice(["comma", "comma_space", "wkt", "semicolon"])
    out = []
    for _ in range(n):
        lat, lon = _coords(rng, ctx)
        out.append({"comma": f"{lat:.5f},{lon:.5f}", "comma_space": f"{lat:.4f}, {lon:.4f}",
                    "wkt": f"POINT({lon:.5f} {lat:.5f})", "semicolon": f"{lat:.5f};{lon:.5f}"}[
            style])
    return out


@_gen("geo.timezone")
def _timezones(rng, n, ctx):
    c = ctx["country"]
    style = rng.choice(["iana", "iana", "iana", "abbr", "offset"])
    pool = {"iana": TIMEZONES[c], "abbr": TZ_ABBR.get(c, ["CET", "CEST"]),
            "offset": TZ_OFFSET.get(c, ["+01:00", "+02:00"])}[style]
    extra = ["UTC", "Europe/London", "America/New_York", "Asia/Tokyo", "Australia/Sydney"]
    return [rng.choice(pool) if rng.random() < 0.85 else rng.choice(extra) for _ in range(n)]
