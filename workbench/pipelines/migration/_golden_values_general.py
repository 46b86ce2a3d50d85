"""Value generators of the ``general.*``, ``network.*``, ``account.*`` and ``system.*`` domains:
statuses, flags, percentages, ratings, language codes, notes, IPs in documentation ranges, MACs,
user agents, usernames, password hashes, file paths and versions."""
from __future__ import annotations

import string

from ._golden_gen import Gen, _ascii, _letters, _pool, registrar
from ._golden_vocab import vocab

_V = vocab()
STATUS_SETS, FLAG_PAIRS, NOTES = _V["status_sets"], _V["flag_pairs"], _V["notes"]
_LANGS, FIRST, LAST = _V["language_codes"], _V["first_names"], _V["last_names"]
GEN: dict[str, Gen] = {}
_gen = registrar(GEN)


@_gen("general.status")
def _statuses(rng, n, ctx):
    values = ctx.get("set") or rng.choice(STATUS_SETS)
    weights = [max(1, 8 - 2 * i) for i in range(len(values))]
    return rng.choices(values, weights, k=n)


@_gen("general.flag")
def _flags(rng, n, ctx):
    yes, no = ctx.get("set") or rng.choice(FLAG_PAIRS)
    p = rng.uniform(0.1, 0.9)
    return [yes if rng.random() < p else no for _ in range(n)]


@_gen("general.percentage")
def _percentages(rng, n, ctx):
    style = ctx.get("fmt") or rng.choice(["pct", "num", "dec", "frac"])
    lo, hi = ctx.get("range", (0, 100))
    out = []
    for _ in range(n):
        x = rng.uniform(lo, hi)
        out.append({"pct": f"{x:.0f}%", "num": f"{x:.0f}", "dec": f"{x:.2f}",
                    "frac": f"{x / 100:.3f}"}[style])
    return out


@_gen("general.rating")
def _ratings(rng, n, ctx):
    style = rng.choice(["int5", "half5", "of5", "int10", "stars"])
    out = []
    for _ in range(n):
        k = rng.choices([1, 2, 3, 4, 5], [1, 1, 2, 4, 5])[0]
        out.append({"int5": str(k), "half5": f"{max(1.0, k - rng.choice([0, 0.5])):.1f}",
                    "of5": f"{k}/5", "int10": str(min(10, 2 * k - rng.randint(0, 1))),
                    "stars": "★" * k + "☆" * (5 - k)}[style])
    return out


@_gen("general.language_code")
def _language_codes(rng, n, ctx):
    home = _pool(_LANGS, ctx)
    short = rng.random() < 0.5
    upper = rng.random() < 0.15
    out = []
    for _ in range(n):
        code = rng.choice(home) if rng.random() < 0.7 else rng.choice(
            [c for v in _LANGS.values() for c in v])
        code = code[:2] if short else code
        out.append(code.upper() if upper and short else code)
    return out


@_gen("general.note")
def _notes(rng, n, ctx):
    return [rng.choice(_pool(NOTES, ctx)).format(n=rng.randint(1000, 99999)) for _ in range(n)]


@_gen("network.ip_address")
def _ips(rng, n, ctx):
    v6 = rng.random() < 0.15
    out = []
    for _ in range(n):
        if v6 or rng.random() < 0.05:
            out.append(f"2001:db8:{rng.randint(0, 0xffff):x}::{rng.randint(1, 0xffff):x}")
        else:
            net = rng.choice(["192.0.2", "198.51.100", "203.0.113", f"10.0.{rng.randint(0, 9)}",
                              "192.168.1", f"172.16.{rng.randint(0, 31)}"])
            out.append(f"{net}.{rng.randint(1, 254)}")
    return out


@_gen("network.mac_address")
def _macs(rng, n, ctx):
    style = rng.choice([":", "-", ":", "cisco"])
    lower = rng.random() < 0.4
    out = []
    for _ in range(n):
        octets = ["00", "00", "5E", "00", "53", f"{rng.randint(0, 255):02X}"] \
            if rng.random() < 0.6 else ["02"] + [f"{rng.randint(0, 255):02X}" for _ in range(5)]
        text = ("".join(octets[0:2]) + "." + "".join(octets[2:4]) + "." + "".join(octets[4:])
                if style == "cisco" else style.join(octets))
        out.append(text.lower() if lower or style == "cisco" else text)
    return out


@_gen("network.user_agent")
def _user_agents(rng, n, ctx):
    out = []
    for _ in range(n):
        chrome = f"{rng.randint(100, 126)}.0.{rng.randint(1000, 6999)}.{rng.randint(10, 200)}"
        out.append(rng.choice([
            (f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            f"Chrome/{chrome} Safari/537.36"),
            (f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
            f"Gecko) Version/{rng.randint(14, 17)}.{rng.randint(0, 6)} Safari/605.1.15"),
            (f"Mozilla/5.0 (X11; Linux x86_64; rv:{rng.randint(100, 125)}.0) Gecko/20100101 "
            f"Firefox/{rng.randint(100, 125)}.0"),
            (f"Mozilla/5.0 (iPhone; CPU iPhone OS {rng.randint(14, 17)}_{rng.randint(0, 6)} like "
            f"Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"),
            (f"Mozilla/5.0 (Linux; Android {rng.randint(10, 14)}; SM-G99{rng.randint(0, 9)}B) "
            f"AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{chrome} Mobile Safari/537.36"),
            f"curl/{rng.randint(7, 8)}.{rng.randint(0, 80)}.{rng.randint(0, 9)}",
            f"python-requests/2.{rng.randint(20, 32)}.{rng.randint(0, 3)}",
            f"okhttp/4.{rng.randint(0, 12)}.{rng.randint(0, 9)}",
        ]))
    return out


@_gen("account.username")
def _usernames(rng, n, ctx):
    style = rng.randrange(4)
    out = []
    for _ in range(n):
        f = _ascii(rng.choice(_pool(FIRST, ctx))).lower()
        la = _ascii(rng.choice(_pool(LAST, ctx))).lower().replace(" ", "").replace("'", "")
        out.append([f"{f[0]}{la}", f"{f}.{la}", f"{f}_{la[:3]}{rng.randint(1, 99)}",
                    f"{la[:6]}{f[:2]}"][style] if rng.random() < 0.95
                   else rng.choice(["admin", "svc_batch", "guest", "sysop", "etl_user"]))
    return out


_B64 = string.ascii_letters + string.digits + "./"


@_gen("account.password_hash")
def _password_hashes(rng, n, ctx):
    kind = rng.choice(["bcrypt", "bcrypt", "sha256", "md5", "argon2", "pbkdf2"])
    out = []
    for _ in range(n):
        if kind == "bcrypt":
            out.append(f"$2{rng.choice('aby')}${rng.choice([10, 12])}${_letters(rng, 53, _B64)}")
        elif kind == "argon2":
            out.append(f"$argon2id$v=19$m=65536,t=3,p=4${_letters(rng, 22, _B64[:-2] + '+/')}"
                       f"${_letters(rng, 43, _B64[:-2] + '+/')}")
        elif kind == "pbkdf2":
            out.append(f"pbkdf2_sha256$600000${_letters(rng, 22, _B64[:-2])}$"
                       f"{_letters(rng, 43, _B64[:-2] + '+/')}=")
        else:
            out.append(_letters(rng, 64 if kind == "sha256" else 32, "0123456789abcdef"))
    return out


@_gen("system.file_path")
def _file_paths(rng, n, ctx):
    style = rng.randrange(4)
    out = []
    for _ in range(n):
        k = rng.randint(1, 99999)
        name = rng.choice([f"invoice_{k:05d}.pdf", f"scan_{k}.tif", f"export_{k}.csv",
                           f"IMG_{k:04d}.JPG", f"contract_{k}.docx", f"report_{k}.xlsx"])
        out.append([f"/var/data/{rng.choice(['scans', 'exports', 'uploads'])}/{name}",
                    f"C:\\Users\\{rng.choice(['jdoe', 'admin', 'etl'])}\\Documents\\{name}",
                    f"\\\\fileserver\\{rng.choice(['archiv', 'share', 'docs'])}\\{name}",
                    f"s3://example-bucket/{rng.randint(2019, 2025)}/{name}"][style])
    return out


@_gen("system.version")
def _versions(rng, n, ctx):
    style = rng.randrange(4)
    out = []
    for _ in range(n):
        a, b, c = rng.randint(0, 14), rng.randint(0, 30), rng.randint(0, 40)
        out.append([f"{a}.{b}.{c}", f"v{a}.{b}.{c}", f"{a}.{b}",
                    f"{a}.{b}.{c}" + rng.choice(["", "", "-beta.1", "-rc.2", "+build.7"])][style])
    return out
