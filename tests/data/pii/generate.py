"""Write the labelled PII benchmark ``pii_bench.jsonl`` (deterministic: same seed, same bytes).

Each line is ``{"kind", "text", "spans": [[start, end, entity_type], ...]}``. Texts are log lines,
URLs, JSON records, CSV blocks, mail headers, secrets, prose and hard negatives. Person names
come from two sources on purpose: a small hand-written list that differs from the detector's
gazetteer, and names composed from syllables, so that the benchmark measures context rules,
not memorised names.

    .venv/bin/python tests/data/pii/generate.py [--n 3000] [--seed 7] [--out PATH]
"""
from __future__ import annotations

import argparse
import base64
import json
import random
import string
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _split(text: str) -> list[str]:
    return text.split()


GIVEN = ["Amara", "Bjorn", "Caius", "Delphine", "Eamon", "Farida", "Gideon", "Halima", "Ingrid", "Joaquin", "Keziah", "Lorcan", "Marisol", "Nikolai", "Odalys", "Pernille", "Quentin", "Rosalind", "Soren", "Thandiwe", "Ulrich", "Valeska", "Wendell", "Ximena", "Yannick", "Zuzana", "Anil", "Bettina", "Cormac", "Dagny", "Emre", "Fenna", "Greta", "Hamish", "Ilse", "Jovan", "Kalani", "Linnea", "Matteo", "Nadira", "Ottilie", "Piotr", "Rasmus", "Saoirse", "Tariq", "Uma", "Vito", "Wanjiru"]
FAMILY = ["Abernathy", "Brannigan", "Castellanos", "Dvorak", "Eriksen", "Fairweather", "Grunewald", "Halvorsen", "Iwasaki", "Jankowski", "Kovalenko", "Lindqvist", "Marchetti", "Nakashima", "Oyelaran", "Pellegrino", "Quintero", "Radcliffe", "Szabo", "Thorvaldsen", "Underhill", "Vasquez", "Whitlock", "Yilmaz", "Zelenko", "Achterberg", "Bramwell", "Cardoso", "Delacroix", "Esposito", "Fitzgerald", "Gallagher", "Haugen"]
SYL = ["ka", "lo", "ri", "ven", "sa", "mir", "tel", "dor", "an", "ise", "ul", "bra", "ny", "fe", "gor", "lin", "tas", "ma", "ro", "quel"]
# a few names the detector's gazetteer also holds, as real logs mix common and rare names
COMMON = ["Maria Smith", "James Chen", "Fatima Khan", "David Garcia", "Sarah Wilson", "Wei Zhang"]
DOMAINS = ["example.com", "mail.example.org", "corp.example.net", "example.co.uk", "ex-ample.io"]
HOSTS = ["api.example.com", "shop.example.org", "auth.internal.example.net", "cdn.example.io"]
AGENTS = [("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/120.0.0.0 Safari/537.36"), "curl/8.4.0", "python-requests/2.31.0",
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) Version/17.2 Safari/605.1.15"]
IBAN_LEN = {"DE": 22, "GB": 22, "FR": 27, "NL": 18, "ES": 24, "IT": 27, "CH": 21, "BE": 16,
            "PL": 28, "SE": 24, "NO": 15, "AT": 20}


class Gen:
    """Random values of every entity type and hard negatives, from one seeded generator."""

    def __init__(self, seed: int):
        self.r = random.Random(seed)

    def pick(self, seq):
        return self.r.choice(seq)

    def digits(self, n: int) -> str:
        return "".join(self.r.choice(string.digits) for _ in range(n))

    def chars(self, n: int, alphabet=string.ascii_letters + string.digits) -> str:
        return "".join(self.r.choice(alphabet) for _ in range(n))

    # --- PII values --------------------------------------------------------------------------
    def name_parts(self) -> tuple[str, str]:
        roll = self.r.random()
        if roll < 0.2:
            return tuple(self.pick(COMMON).split())
        if roll < 0.6:
            return self.pick(GIVEN), self.pick(FAMILY)
        make = lambda k: "".join(self.pick(SYL) for _ in range(k)).capitalize()
        return make(self.r.randint(2, 3)), make(self.r.randint(2, 4))

    def person(self) -> str:
        first, last = self.name_parts()
        if self.r.random() < 0.1:
            return f"{first} {self.pick(string.ascii_uppercase)}. {last}"
        return f"{first} {last}"

    def email(self, person: str | None = None) -> str:
        first, last = (person or self.person()).replace(".", "").split()[::len(
            (person or "a b").split()) - 1][:2] if person else self.name_parts()
        local = self.pick([f"{first}.{last}", f"{first[0]}{last}", f"{first}_{last}{self.r.randint(1, 99)}",
                           f"{first}+alerts"]).lower()
        return f"{local}@{self.pick(DOMAINS)}"

    def phone(self) -> str:
        a, e, n = f"{self.r.randint(2, 9)}{self.digits(2)}", f"{self.r.randint(2, 9)}{self.digits(2)}", self.digits(4)
        return self.pick([f"({a}) {e}-{n}", f"{a}-{e}-{n}", f"{a}.{e}.{n}", f"+1 {a} {e} {n}",
                          f"+1-{a}-{e}-{n}", f"+1{a}{e}{n}", f"1-{a}-{e}-{n}",
                          f"+44 20 {self.digits(4)} {self.digits(4)}",
                          f"+49 30 {self.digits(8)}", (f"+33 1 {self.digits(2)} {self.digits(2)} "
                           f"{self.digits(2)} {self.digits(2)}"), f"+91 9{self.digits(4)} {self.digits(5)}",
                          f"+61 2 {self.digits(4)} {self.digits(4)}", f"+81 3-{self.digits(4)}-{self.digits(4)}",
                          f"+34 6{self.digits(2)} {self.digits(3)} {self.digits(3)}"])

    def card(self) -> str:
        prefix, length = self.pick([("4", 16), ("4", 19), ("4", 13), ("51", 16), ("55", 16),
                                    ("2221", 16), ("2720", 16), ("2418", 16), ("34", 15),
                                    ("37", 15), ("6011", 16), ("65", 16), ("3530", 16),
                                    ("36", 14), ("62", 19), ("6759", 19), ("2201", 16)])
        body = prefix + self.digits(length - len(prefix) - 1)
        total = 0
        for i, ch in enumerate(reversed(body)):
            d = int(ch) * (2 if i % 2 == 0 else 1)
            total += d - 9 if d > 9 else d
        num = body + str((10 - total % 10) % 10)
        style = self.r.random()
        if length == 15 and style < 0.5:
            return f"{num[:4]} {num[4:10]} {num[10:]}"
        if length == 16 and style < 0.6:
            sep = self.pick([" ", "-"])
            return sep.join(num[i:i + 4] for i in range(0, 16, 4))
        return num

    def ssn(self) -> str:
        area = self.r.choice([a for a in range(1, 900) if a != 666])
        return f"{area:03d}-{self.r.randint(1, 99):02d}-{self.r.randint(1, 9999):04d}"

    def iban(self) -> str:
        cc = self.pick(list(IBAN_LEN))
        bban = self.digits(IBAN_LEN[cc] - 4)
        if cc in ("GB", "NL"):
            bban = self.chars(4, string.ascii_uppercase) + bban[4:]
        num = "".join(str(int(c, 36)) for c in bban + cc + "00")
        compact = f"{cc}{98 - int(num) % 97:02d}{bban}"
        if self.r.random() < 0.5:
            return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))
        return compact

    def ipv4(self) -> str:
        return self.pick([f"10.{self.r.randint(0, 255)}.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}",
                          f"192.168.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}",
                          (f"{self.r.randint(11, 223)}.{self.r.randint(0, 255)}."
                           f"{self.r.randint(0, 255)}.{self.r.randint(1, 254)}")])

    def ipv6(self) -> str:
        groups = [f"{self.r.randint(0, 65535):x}" for _ in range(8)]
        if self.r.random() < 0.5:
            return ":".join(groups)
        return f"2001:db8:{groups[2]}::{groups[6]}:{groups[7]}"

    def ip(self) -> str:
        return self.ipv6() if self.r.random() < 0.3 else self.ipv4()

    def username(self) -> str:
        first, last = self.name_parts()
        return self.pick([f"{first[0]}{last}".lower(), f"{first}.{last}".lower(),
                          f"{first.lower()}{self.r.randint(1, 999)}", f"svc_{last.lower()}"])

    def password(self) -> str:
        return self.chars(self.r.randint(8, 16), string.ascii_letters + string.digits + "!#%^*-_")

    def jwt(self) -> str:
        enc = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).decode().rstrip("=")
        return (f"{enc({'alg': 'HS256', 'typ': 'JWT'})}.{enc({'sub': self.digits(6), 'iat': 1709633730})}"
                f".{self.chars(43, string.ascii_letters + string.digits + '-_')}")

    def secret(self) -> tuple[str, str, str]:
        """Return (key name for context, value, entity type)."""
        kind = self.r.randint(0, 11)
        up, al = string.ascii_uppercase + string.digits, string.ascii_letters + string.digits
        if kind == 0:
            return "aws_access_key_id", "AKIA" + self.chars(16, up), "CLOUD_KEY"
        if kind == 1:
            return "aws_secret_access_key", self.chars(40, al + "/+"), "CLOUD_KEY"
        if kind == 2:
            return "key", "AIza" + self.chars(35, al + "-_"), "CLOUD_KEY"
        if kind == 3:
            return "GITHUB_TOKEN", self.pick(["ghp_", "gho_", "ghs_"]) + self.chars(36), "API_KEY"
        if kind == 4:
            return "SLACK_BOT_TOKEN", f"xoxb-{self.digits(11)}-{self.digits(12)}-{self.chars(24)}", "API_KEY"
        if kind == 5:
            return "OPENAI_API_KEY", "sk-" + self.pick(["", "proj-"]) + self.chars(48), "API_KEY"
        if kind == 6:
            return "GITLAB_TOKEN", "glpat-" + self.chars(20, al + "-_"), "API_KEY"
        if kind == 7:
            return "stripe_key", "sk_live_" + self.chars(24), "API_KEY"
        if kind == 8:
            return "api_key", self.chars(32, "0123456789abcdef"), "API_KEY"
        if kind == 9:
            return "access_token", self.chars(28, al), "AUTH_TOKEN"
        if kind == 10:
            return "client_secret", self.chars(30, al + "-_~"), "API_KEY"
        return "session_token", self.jwt(), "JWT"

    def pem(self) -> str:
        kind = self.pick(["RSA ", "EC ", "", "OPENSSH "])
        body = "\n".join(self.chars(64, string.ascii_letters + string.digits + "+/") for _ in
                         range(self.r.randint(3, 6)))
        return f"-----BEGIN {kind}PRIVATE KEY-----\n{body}\n-----END {kind}PRIVATE KEY-----"

    # --- hard negatives ----------------------------------------------------------------------
    def ts(self) -> str:
        r = self.r
        return self.pick([(f"2024-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T"
                           f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:"
                           f"{r.randint(0, 59):02d}.{self.digits(3)}Z"),
                          (f"2024-03-{r.randint(10, 28)} {r.randint(10, 23)}:"
                           f"{r.randint(10, 59)}:{r.randint(10, 59)},{self.digits(3)}"),
                          (f"[{r.randint(10, 28)}/Mar/2024:{r.randint(10, 23)}:"
                           f"{r.randint(10, 59)}:{r.randint(10, 59)} +0000]"),
                          str(1700000000 + self.r.randint(0, 9999999)),
                          str(1700000000000 + self.r.randint(0, 9999999999))])

    def uuid(self) -> str:
        h = self.chars(32, "0123456789abcdef")
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"

    def negative(self) -> str:
        g = self
        return self.pick([
            lambda: f"trace_id={g.chars(32, '0123456789abcdef')} span_id={g.chars(16, '0123456789abcdef')}",
            lambda: f"request_id={g.uuid()}",
            lambda: f"sha256:{g.chars(64, '0123456789abcdef')}",
            lambda: f"commit {g.chars(40, '0123456789abcdef')}",
            lambda: f"md5={g.chars(32, '0123456789abcdef')}",
            lambda: f"version={g.r.randint(1, 12)}.{g.r.randint(0, 20)}.{g.r.randint(0, 99)}."
                    f"{g.r.randint(0, 255)}",
            lambda: f"build {g.r.randint(2019, 2024)}.{g.r.randint(1, 12)}.{g.digits(4)}",
            lambda: f"v{g.r.randint(1, 9)}.{g.r.randint(0, 9)}.{g.r.randint(0, 30)}",
            lambda: f"order_id={g.digits(g.r.randint(8, 16))}",
            lambda: f"order ORD-{g.r.randint(2019, 2024)}-{g.digits(6)}",
            lambda: f"invoice INV-{g.digits(8)}",
            lambda: f"invoice_no={g.digits(10)}",
            lambda: f"duration={g.r.randint(1, 99999)}ms",
            lambda: f"took {g.r.randint(0, 99)}.{g.digits(3)}s",
            lambda: f"size={g.r.randint(1, 10**9)} bytes",
            lambda: f"status={g.pick(['200', '201', '204', '301', '404', '429', '500', '503'])}",
            lambda: f"ua=\"{g.pick(AGENTS)}\"",
            lambda: f"host={g.pick(HOSTS)} port={g.r.randint(1, 65535)}",
            lambda: f"url=https://{g.pick(HOSTS)}/v{g.r.randint(1, 3)}/items/{g.digits(6)}?page={g.r.randint(1, 9)}",
            lambda: f"ts={g.ts()}",
            lambda: f"mac={':'.join(g.chars(2, '0123456789ABCDEF') for _ in range(6))}",
            lambda: f"max_tokens={g.r.randint(16, 4096)} total_tokens={g.r.randint(16, 9000)}",
            lambda: f"user_id={g.digits(6)} user_agent=\"{g.pick(AGENTS)}\"",
            lambda: f"latency p99={g.r.randint(1, 999)}.{g.digits(1)}ms cpu={g.r.randint(1, 99)}%",
            lambda: f"tracking {g.pick(['1Z', 'TRK'])}{g.chars(16, string.ascii_uppercase + string.digits)}",
            lambda: f"pid={g.r.randint(100, 99999)} thread={g.r.randint(1, 64)}",
            lambda: f"Internal Server Error at {g.pick(['OrderService', 'PaymentGateway'])}.process",
            lambda: f"region=us-east-{g.r.randint(1, 2)} az=eu-west-{g.r.randint(1, 3)}a",
            lambda: f"image sha256:{g.chars(12, '0123456789abcdef')} tag={g.r.randint(1, 9)}.{g.r.randint(0, 9)}",
        ])()


def _templates(g: Gen):
    """Yield (kind, [segments]); a segment is plain text or (value, entity_type)."""
    P = lambda ent, val: (val, ent)
    while True:
        roll = g.r.randint(0, 27)
        ts, neg = g.ts(), g.negative()
        person = g.person()
        if roll == 0:
            yield "log", [f"{ts} INFO login ok user=", P("EMAIL_ADDRESS", g.email()), " ip=",
                          P("IP_ADDRESS", g.ip()), f" {neg}"]
        elif roll == 1:
            yield "log", [f"{ts} WARN payment declined card=", P("CREDIT_CARD", g.card()),
                          f" {neg} amount={g.r.randint(1, 999)}.{g.digits(2)}"]
        elif roll == 2:
            yield "log", [f"{ts} audit name=", P("PERSON", person), " action=update ",
                          "ssn=", P("US_SSN", g.ssn()), f" {neg}"]
        elif roll == 3:
            host = g.pick(HOSTS)
            yield "url", [f"GET https://{host}/account/reset?email=",
                          P("EMAIL_ADDRESS", g.email().replace("@", "%40").replace("+", "%2B")),
                          f"&lang=en&{neg.replace(' ', '_')} HTTP/1.1"]
        elif roll == 4:
            yield "url", [g.pick(["postgres", "mysql", "https", "redis", "amqp"]), "://",
                          P("USERNAME", g.username()), ":", P("PASSWORD", g.password()),
                          f"@{g.pick(HOSTS)}:{g.r.randint(1024, 9999)}/app {neg}"]
        elif roll == 5:
            first, last = person.split()[0], person.split()[-1]
            yield "url", [f"https://{g.pick(HOSTS)}/search?first_name=", P("PERSON", first),
                          "&last_name=", P("PERSON", last), f"&page={g.r.randint(1, 9)}"]
        elif roll == 6:
            yield "json", ['{"event": "signup", "applicant": "', P("PERSON", person),
                           '", "email": "', P("EMAIL_ADDRESS", g.email(person)), '", "phone": "',
                           P("PHONE_NUMBER", g.phone()), f'", "ts": "{ts}", "note": "{neg}"}}']
        elif roll == 7:
            yield "json", ['{"user": {"first_name": "', P("PERSON", person.split()[0]),
                           '", "last_name": "', P("PERSON", person.split()[-1]),
                           f'", "id": {g.digits(6)}}}, "iban": "', P("IBAN_CODE", g.iban()),
                           f'", "request_id": "{g.uuid()}"}}']
        elif roll == 8:
            rows = ["id,customer_name,email,phone,order_ref,created"]
            segs: list = []
            for _ in range(g.r.randint(1, 3)):
                p = g.person()
                segs += [f"\n{g.digits(5)},", P("PERSON", p), ",", P("EMAIL_ADDRESS", g.email(p)),
                         ",", P("PHONE_NUMBER", g.phone()), f",ORD-{g.digits(7)},{g.ts()}"]
            yield "csv", [rows[0]] + segs
        elif roll == 9:
            yield "header", ["From: ", P("PERSON", person), " <", P("EMAIL_ADDRESS", g.email(person)),
                             f">\nTo: ops@{g.pick(DOMAINS)}\nSubject: invoice INV-{g.digits(6)}"][:4] + [
                             f">\nSubject: invoice INV-{g.digits(6)} {neg}"]
        elif roll == 10:
            yield "header", ["Authorization: Bearer ", P("AUTH_TOKEN", g.chars(40, string.ascii_letters
                                                                                 + string.digits + "-._")),
                             f"\nX-Request-Id: {g.uuid()}\nUser-Agent: {g.pick(AGENTS)}"]
        elif roll == 11:
            yield "header", ["Authorization: Bearer ", P("JWT", g.jwt()), f" {neg}"]
        elif roll in (12, 13):
            key, val, ent = g.secret()
            sep = g.pick(["=", ": ", "="])
            yield "secret", [f"{ts} export {key}{sep}", P(ent, val), f" {neg}"]
        elif roll == 14:
            key, val, ent = g.secret()
            yield "secret", [f'{{"config": {{"{key}": "', P(ent, val), '", "region": "eu-west-1"}}']
        elif roll == 15:
            yield "secret", ["loaded key:\n", P("PRIVATE_KEY", g.pem()), f"\n{ts} done"]
        elif roll == 16:
            yield "secret", [f"{ts} DEBUG db connect password=", P("PASSWORD", g.password()),
                             f" host={g.pick(HOSTS)}"]
        elif roll == 17:
            yield "prose", ["Customer ", P("PERSON", person), " called about order ORD-",
                            f"{g.digits(6)}; call back on ", P("PHONE_NUMBER", g.phone()), "."]
        elif roll == 18:
            yield "prose", [g.pick(["Dear ", "Hi ", "Hello "]), P("PERSON", person),
                            f", your ticket {g.digits(5)} was resolved in {g.r.randint(1, 59)} minutes."]
        elif roll == 19:
            yield "prose", ["Ticket escalated to ", P("PERSON", person), " by ",
                            P("PERSON", g.person()), f" at {ts}."]
        elif roll == 20:
            yield "prose", ["Refund to IBAN ", P("IBAN_CODE", g.iban()), " approved by ",
                            P("PERSON", person), "."]
        elif roll == 21:
            yield "log", [f"{ts} sshd: accepted publickey from ", P("IP_ADDRESS", g.ip()),
                          f" port {g.r.randint(1024, 65535)} {neg}"]
        elif roll == 22:
            yield "log", [f"{ts} sms sent to=", P("PHONE_NUMBER", g.phone()), f" {neg}"]
        elif roll == 23:
            yield "llm", ['{"role": "user", "content": "My card ', P("CREDIT_CARD", g.card()),
                          ' was charged twice, reach me at ', P("EMAIL_ADDRESS", g.email()), '"}']
        elif roll == 24:
            yield "log", [f"{ts} login user=", P("USERNAME", g.username()), f" result=ok {neg}"]
        elif roll == 25:
            yield "llm", ['{"prompt": "Summarise the complaint from ', P("PERSON", person),
                          f' about invoice INV-{g.digits(6)}", "max_tokens": 512}}']
        else:
            yield "negative", [f"{ts} {g.negative()} {g.negative()} {g.negative()}"]


def build(n: int, seed: int) -> list[dict]:
    """Return ``n`` labelled records generated from ``seed``."""
    g = Gen(seed)
    out, it = [], _templates(g)
    for _ in range(n):
        kind, segs = next(it)
        text, spans = "", []
        for s in segs:
            if isinstance(s, tuple):
                spans.append([len(text), len(text) + len(s[0]), s[1]])
                text += s[0]
            else:
                text += s
        out.append({"kind": kind, "text": text, "spans": spans})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, default=HERE / "pii_bench.jsonl")
    a = ap.parse_args()
    with a.out.open("w") as fh:
        for rec in build(a.n, a.seed):
            fh.write(json.dumps(rec, sort_keys=True) + "\n")
    print(f"wrote {a.n} records to {a.out}")


if __name__ == "__main__":
    main()
