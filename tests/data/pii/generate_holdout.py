"""Write the held-out labelled PII set ``holdout.jsonl`` (deterministic: same seed, same bytes).

A second, independent set: written from the entity list of the issue and from how real access
logs, syslog, JSON events, CSV exports, mail headers, support tickets, chat transcripts, config
files and connection strings look, with its own templates, field names, name lists and formats
(it shares nothing with ``generate.py``). Every record mixes PII with hard negatives (timestamps
in many formats, UUIDs, trace ids, hashes, versions, order/tracking numbers, durations, sizes,
status codes, user agents, hosts, MAC addresses, ports, ISBNs, phone-like ids), and a share of
records holds only negatives. Gold spans exclude titles, quotes and keys.

    .venv/bin/python tests/data/pii/generate_holdout.py [--n 2400] [--seed 2024] [--out PATH]
"""
from __future__ import annotations

import argparse
import base64
import json
import random
import string
from pathlib import Path

HERE = Path(__file__).resolve().parent

FIRST = ["Ana-Lucía", "José", "Zoë", "Björn", "Søren", "Łukasz", "Małgorzata", "Chidi", "Ngozi",
         "Oluwaseun", "Thanh", "Minh", "Hyun-woo", "Ji-yeon", "Aarav", "Priya", "Fatima",
         "Youssef", "Siobhán", "Seán", "Kateřina", "Dmitri", "Olena", "Mateo", "Valentina",
         "Keanu", "Aroha", "Henrik", "Émilie", "François", "Giulia", "Lorenzo", "Nkechi",
         "Tendai", "Kwame", "Leilani", "Xiomara", "Bartholomew", "Gwendolyn", "Rhys", "Eilidh",
         "Ayşe", "Sanjay", "Deepika", "Hiroshi", "Yuki", "Mei", "Farah", "Omar", "Rania",
         "Nadia", "Ludmila", "Bogdan", "Ioana", "Tobias", "Clementine", "Precious", "Dolores",
         "Ignacio", "Maëlle", "Anneliese", "Kofi", "Imogen", "Lachlan", "Renée", "Dariusz"]
LAST = ["Fernández-García", "O'Sullivan", "McAllister", "Nakamura", "Okonkwo", "Adeyemi",
        "Nguyen", "Tran", "Wiśniewski", "Kowalczyk", "Dvořák", "Novák", "Schäfer", "Müller",
        "Lindgren", "Haugland", "Papadopoulos", "Yılmaz", "Öztürk", "Iyer", "Venkataraman",
        "Chatterjee", "Al-Hashimi", "Haddad", "Mensah", "Boateng", "Kamau", "Otieno", "Leclerc",
        "Rossi", "Esposito", "Kealoha", "Whitfield", "Ashworth", "Pemberton", "Villanueva",
        "Zhou", "Lim", "Park", "Choi", "Sato", "Petrov", "Ivanova", "Moreau", "Szabó",
        "Horváth", "Popescu", "Dubois", "Bianchi", "Achebe", "Mbeki", "Thorsen", "Gallo",
        "Ferreira", "Sørensen", "Kuznetsov", "Quispe", "Mamani", "Ruiz-Tagle", "MacLeod"]
PARTICLE_LAST = ["van der Berg", "de la Cruz", "da Silva", "van Dijk", "de Vries", "dos Santos"]
TITLES = ["Dr.", "dr.", "Mr.", "Mrs.", "Ms.", "Prof.", "Dr", "Mx."]
MAIL_DOMAINS = ["gmail.com", "outlook.com", "mail.acme-corp.com", "eu.support.globex.io",
                "students.uni-example.edu", "yahoo.co.jp", "proton.me", "web.de",
                "correo.example.es", "hq.initech.co.uk"]
IDN_DOMAINS = ["bücher-shop.de", "café-paris.fr", "müller-gmbh.at"]
HOSTS = ["api.globex.io", "portal.acme-corp.com", "billing.initech.co.uk", "gw-02.eu-west-1.internal",
         "ip-10-0-3-17.ec2.internal", "k8s-node-7.prod.local", "app.staging.example.net",
         "login.microsoftonline.com", "s3.amazonaws.com", "cdn.jsdelivr.net"]
PATHS = ["/v1/orders", "/api/v3/customers/search", "/account/settings", "/oauth/callback",
         "/reports/export.csv", "/graphql", "/static/js/app.4f9c2e.js", "/healthz"]
UAS = [("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/122.0.6261.94 Safari/537.36"),
       ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_3_1 like Mac OS X) AppleWebKit/605.1.15 "
       "(KHTML, like Gecko) Version/17.3.1 Mobile/15E148 Safari/604.1"),
       "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0",
       "okhttp/4.12.0", "Go-http-client/2.0", ("aws-sdk-java/2.25.6 Linux/5.10.209 "
       "OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS"), ("Microsoft Office/16.0 (Windows NT 10.0; "
       "Microsoft Outlook 16.0.17328; Pro)"), ("Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 "
       "Build/UQ1A.240205.004)")]
IBAN_COUNTRIES = {"DE": 22, "GB": 22, "FR": 27, "ES": 24, "IT": 27, "NL": 18, "BE": 16,
                  "CH": 21, "PL": 28, "SE": 24, "NO": 15, "PT": 25, "IE": 22, "AT": 20,
                  "DK": 18, "FI": 18, "SA": 24, "AE": 23, "TR": 26, "BR": 29, "LU": 20,
                  "CZ": 24, "RO": 24, "GR": 27, "HU": 28}
B64 = string.ascii_letters + string.digits + "+/"
ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"


class Doc:
    """A text built piece by piece; pieces given a type become gold spans."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.spans: list[list] = []
        self.pos = 0

    def __call__(self, text: str, kind: str | None = None) -> Doc:
        if kind:
            self.spans.append([self.pos, self.pos + len(text), kind])
        self.parts.append(text)
        self.pos += len(text)
        return self

    def record(self, kind: str) -> dict:
        return {"kind": kind, "spans": self.spans, "text": "".join(self.parts)}


class Holdout:
    """Value makers for PII and for hard negatives, all from one seeded RNG."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def pick(self, seq):
        return self.r.choice(seq)

    def s(self, n: int, alphabet: str = ALNUM) -> str:
        return "".join(self.r.choice(alphabet) for _ in range(n))

    def d(self, n: int) -> str:
        return "".join(self.r.choice(string.digits) for _ in range(n))

    # ---- people -------------------------------------------------------------------------
    def first(self) -> str:
        return self.pick(FIRST)

    def last(self) -> str:
        return self.pick(PARTICLE_LAST) if self.r.random() < 0.08 else self.pick(LAST)

    def full(self) -> str:
        u = self.r.random()
        if u < 0.12:
            return f"{self.first()} {self.s(1, string.ascii_uppercase)}. {self.last()}"
        if u < 0.18:
            return f"{self.first()} {self.first()} {self.last()}"
        return f"{self.first()} {self.last()}"

    def email(self, name: str | None = None) -> str:
        name = name or self.full()
        ascii_ = name.encode("ascii", "ignore").decode().lower()
        bits = [b for b in ascii_.replace("-", " ").replace("'", "").replace(".", " ").split() if b]
        if not bits:
            bits = ["user", self.d(3)]
        u = self.r.random()
        if u < 0.3:
            local = ".".join(bits[:2])
        elif u < 0.5:
            local = bits[0][0] + bits[-1] + self.d(2)
        elif u < 0.65:
            local = f"{bits[0]}+{self.pick(['billing', 'news', 'jira', 'test', 'shop'])}"
        elif u < 0.8:
            local = f"{bits[-1]}_{bits[0]}"
        else:
            local = bits[0] + self.d(4)
        dom = self.pick(IDN_DOMAINS) if self.r.random() < 0.06 else self.pick(MAIL_DOMAINS)
        return f"{local}@{dom}"

    # ---- numbers -------------------------------------------------------------------------
    def phone(self, national: bool = False) -> str:
        a, e = self.r.randint(201, 989), self.r.randint(200, 989)
        while a % 100 == 11 or a in (555, 800, 888, 877, 866):
            a = self.r.randint(201, 989)
        if national:
            return self.pick([f"020 {self.d(4)} {self.d(4)}", (f"0{self.r.randint(151, 179)} "
                              f"{self.d(7)}"), (f"06 {self.d(2)} {self.d(2)} {self.d(2)} "
                              f"{self.d(2)}"), f"030 {self.d(8)}", f"({a}) {e}-{self.d(4)}",
                              f"0{self.r.randint(2, 9)} {self.d(4)} {self.d(4)}",
                              f"{a} {e} {self.d(4)}", f"07{self.d(3)} {self.d(6)}"])
        forms = [f"({a}) {e}-{self.d(4)}", f"{a}-{e}-{self.d(4)}", f"+1 {a} {e} {self.d(4)}",
                 f"+1 ({a}) {e}-{self.d(4)}", f"1-{a}-{e}-{self.d(4)}", f"{a}.{e}.{self.d(4)}",
                 f"+44 7{self.d(3)} {self.d(6)}", f"+44 (0)20 {self.d(4)} {self.d(4)}",
                 f"+49 30 {self.d(8)}", f"+49 (0)89 {self.d(3)} {self.d(4)}",
                 f"+33 6 {self.d(2)} {self.d(2)} {self.d(2)} {self.d(2)}",
                 f"+81 3-{self.d(4)}-{self.d(4)}", f"+91 9{self.d(4)} {self.d(5)}",
                 f"+55 11 9{self.d(4)}-{self.d(4)}", f"+61 4{self.d(2)} {self.d(3)} {self.d(3)}",
                 f"+34 6{self.d(2)} {self.d(3)} {self.d(3)}", f"+27 82 {self.d(3)} {self.d(4)}",
                 f"+353 87 {self.d(3)} {self.d(4)}", f"+1{a}{e}{self.d(4)}",
                 f"+86 138 {self.d(4)} {self.d(4)}", f"+31 6 {self.d(8)}"]
        p = self.pick(forms)
        if self.r.random() < 0.12:
            p += self.pick([f" ext. {self.d(3)}", f" x{self.d(4)}", f" ext {self.d(2)}"])
        return p

    def _luhn_complete(self, body: str) -> str:
        total = 0
        for i, ch in enumerate(reversed(body)):
            n = int(ch)
            if i % 2 == 0:
                n *= 2
                n -= 9 if n > 9 else 0
            total += n
        return body + str((10 - total % 10) % 10)

    def card(self) -> str:
        prefix, length = self.pick([
            ("4", 16), ("4", 16), ("4", 19), ("51", 16), ("55", 16), ("2221", 16), ("2720", 16),
            ("23", 16), ("34", 15), ("37", 15), ("6011", 16), ("65", 16), ("644", 19),
            ("3528", 16), ("3589", 19), ("36", 14), ("62", 16), ("62", 19), ("6304", 18),
            ("5018", 17), ("6759", 19), ("2200", 16), ("81", 16)])
        num = self._luhn_complete(prefix + self.d(length - len(prefix) - 1))
        sep = self.pick(["", " ", "-", " "])
        if length == 15 and sep:
            return sep.join([num[:4], num[4:10], num[10:]])
        if length == 14 and sep:
            return sep.join([num[:4], num[4:10], num[10:]])
        if sep:
            return sep.join(num[i:i + 4] for i in range(0, length, 4))
        return num

    def ssn(self) -> str:
        area = self.r.choice([self.r.randint(1, 665), self.r.randint(667, 899)])
        body = f"{area:03d}{self.r.randint(1, 99):02d}{self.r.randint(1, 9999):04d}"
        return self.pick([f"{body[:3]}-{body[3:5]}-{body[5:]}", (f"{body[:3]} {body[3:5]} "
                          f"{body[5:]}"), f"{body[:3]}-{body[3:5]}-{body[5:]}"])

    def iban(self) -> str:
        cc = self.pick(sorted(IBAN_COUNTRIES))
        n = IBAN_COUNTRIES[cc]
        bban = "".join(self.r.choice(string.digits + ("ABCDEFGHJKLMNPRSTUVWXYZ"
                                                      if cc in ("GB", "NL", "IE") and i < 4
                                                      else ""))
                       for i in range(n - 4))
        digits = "".join(str(int(c, 36)) for c in bban + cc + "00")
        iban = f"{cc}{98 - int(digits) % 97:02d}{bban}"
        if self.r.random() < 0.5:
            return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))
        return iban

    def ipv4(self) -> str:
        return self.pick([
            (f"{self.r.randint(11, 223)}.{self.r.randint(0, 255)}.{self.r.randint(0, 255)}."
            f"{self.r.randint(1, 254)}"),
            f"10.{self.r.randint(0, 255)}.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}",
            f"192.168.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}",
            f"172.{self.r.randint(16, 31)}.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}"])

    def ipv6(self) -> str:
        h = lambda: format(self.r.randint(1, 0xFFFF), "x")
        return self.pick([
            f"2001:db8::{h()}:{h()}", f"fe80::{h()}:{h()}:{h()}:{h()}", f"::ffff:{self.ipv4()}",
            f"2a02:{h()}:{h()}:{h()}::{h()}", f"2600:1f18:{h()}:{h()}:{h()}:{h()}:{h()}:{h()}",
            f"fd12:{h()}:{h()}::{self.r.randint(1, 99)}", (f"2001:0db8:0000:0000:{h()}:"
            f"{h()}:{h()}:{h()}"), f"fe80::{h()}%eth0"])

    def ip(self) -> tuple[str, str]:
        return (self.ipv6() if self.r.random() < 0.3 else self.ipv4()), "IP_ADDRESS"

    def user(self) -> str:
        f, l_ = (self.first().encode("ascii", "ignore").decode().lower() or "dev",
                 self.last().encode("ascii", "ignore").decode().lower().replace(" ", "")
                  .replace("'", ""))
        return self.pick([f"{f}.{l_}", f"{f[0]}{l_}", f"{l_}{self.d(2)}", f"{f}_{l_[:3]}",
                          f"svc-{l_}", f"{f}{self.d(3)}"])

    def password(self) -> str:
        word = self.pick(["Summer", "Winter", "Welcome", "Passw0rd", "Tr0ub4dor"])
        return self.pick([self.s(12, ALNUM + "!#%^*_-"), f"{word}{self.d(4)}!",
                          self.s(20, ALNUM), self.s(9, ALNUM + "$&")])

    def jwt(self) -> str:
        enc = lambda b: base64.urlsafe_b64encode(b).decode().rstrip("=")
        head = enc(json.dumps({"alg": self.pick(["RS256", "HS512", "ES256"]),
                               "kid": self.s(8)}).encode())
        body = enc(json.dumps({"sub": self.user(), "exp": self.r.randint(1.7e9, 1.8e9),
                               "scope": "read write"}).encode())
        return f"{head}.{body}.{self.s(self.pick([43, 86]), ALNUM + '-_')}"

    def pem(self, escaped: bool = False) -> str:
        kind = self.pick(["PRIVATE KEY", "RSA PRIVATE KEY", "OPENSSH PRIVATE KEY",
                          "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "DSA PRIVATE KEY"])
        lines = [self.s(64, B64) for _ in range(self.r.randint(3, 7))] + [self.s(24, B64) + "=="]
        nl = "\\n" if escaped else "\n"
        return nl.join([f"-----BEGIN {kind}-----", *lines, f"-----END {kind}-----"])

    def provider_key(self) -> tuple[str, str]:
        """Return (value, entity type) for one provider-shaped key."""
        k = self.r.randint(0, 15)
        if k == 0:
            return "AKIA" + self.s(16, string.ascii_uppercase + "234567"), "CLOUD_KEY"
        if k == 1:
            return "AIza" + self.s(35, ALNUM + "-_"), "CLOUD_KEY"
        if k == 2:
            return self.pick(["ghp_", "gho_", "ghs_", "ghu_"]) + self.s(36), "API_KEY"
        if k == 3:
            return "github_pat_" + self.s(22) + "_" + self.s(59), "API_KEY"
        if k == 4:
            return "glpat-" + self.s(20, ALNUM + "-_"), "API_KEY"
        if k == 5:
            return ((f"{self.pick(['xoxb', 'xoxp', 'xoxa'])}-{self.d(12)}-{self.d(13)}-"
                    f"{self.s(24)}"), "API_KEY")
        if k == 6:
            return (f"{self.pick(['sk_live_', 'rk_live_', 'sk_test_'])}{self.s(24)}", "API_KEY")
        if k == 7:
            return "sk-proj-" + self.s(48, ALNUM + "-_"), "API_KEY"
        if k == 8:
            return "sk-ant-api03-" + self.s(93, ALNUM + "-_") + "AA", "API_KEY"
        if k == 9:
            return "sk-" + self.s(48), "API_KEY"
        if k == 10:
            return f"SG.{self.s(22, ALNUM + '-_')}.{self.s(43, ALNUM + '-_')}", "API_KEY"
        if k == 11:
            return "hf_" + self.s(34), "API_KEY"
        if k == 12:
            return "ya29." + self.s(70, ALNUM + "-_"), "AUTH_TOKEN"
        if k == 13:
            return "npm_" + self.s(36), "API_KEY"
        if k == 14:
            return "glrt-" + self.s(20, ALNUM + "-_"), "API_KEY"
        return "pypi-AgEIcHlwaS5vcmc" + self.s(60, ALNUM + "-_"), "API_KEY"

    def aws_secret(self) -> str:
        return self.s(40, ALNUM + "/+")

    # ---- hard negatives ------------------------------------------------------------------
    def ts(self) -> str:
        y, mo, dd = self.r.randint(2019, 2025), self.r.randint(1, 12), self.r.randint(1, 28)
        h, mi, se = self.r.randint(0, 23), self.r.randint(0, 59), self.r.randint(0, 59)
        mon = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
               "Dec"][mo - 1]
        return self.pick([
            f"{y}-{mo:02d}-{dd:02d}T{h:02d}:{mi:02d}:{se:02d}.{self.d(3)}Z",
            f"{y}-{mo:02d}-{dd:02d} {h:02d}:{mi:02d}:{se:02d},{self.d(3)}",
            f"{dd:02d}/{mon}/{y}:{h:02d}:{mi:02d}:{se:02d} +0000",
            f"Tue, {dd:02d} {mon} {y} {h:02d}:{mi:02d}:{se:02d} GMT",
            f"{mo:02d}/{dd:02d}/{y} {h:02d}:{mi:02d}", (f"{y}{mo:02d}{dd:02d}T{h:02d}{mi:02d}"
            f"{se:02d}Z"), f"{self.r.randint(1_550_000_000, 1_760_000_000)}",
            f"{self.r.randint(1_550_000_000_000, 1_760_000_000_000)}",
            f"{y}-{mo:02d}-{dd:02d}T{h:02d}:{mi:02d}:{se:02d}+05:30",
            f"{mon} {dd:2d} {h:02d}:{mi:02d}:{se:02d}", f"{dd}.{mo}.{y} {h}:{mi:02d}",
            f"{y}-{mo:02d}-{dd:02d}T{h:02d}:{mi:02d}:{se:02d}.{self.d(6)}-07:00",
            f"{y}/{mo:02d}/{dd:02d} {h:02d}:{mi:02d}:{se:02d}.{self.d(3)}"])

    def uuid(self) -> str:
        h = self.s(32, HEX)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"

    def neg(self) -> str:
        """Return one hard-negative fragment."""
        k = self.r.randint(0, 34)
        return [
            lambda: f"trace_id={self.s(32, HEX)}",
            lambda: f"span_id={self.s(16, HEX)}",
            lambda: f"traceparent: 00-{self.s(32, HEX)}-{self.s(16, HEX)}-01",
            lambda: f"X-Amzn-Trace-Id: Root=1-{self.s(8, HEX)}-{self.s(24, HEX)}",
            lambda: f"request_id={self.uuid()}",
            lambda: f"sha256:{self.s(64, HEX)}",
            lambda: f"commit {self.s(40, HEX)}",
            lambda: f"etag \"{self.s(32, HEX)}\"",
            lambda: f"version {self.r.randint(1, 12)}.{self.r.randint(0, 40)}."
                    f"{self.r.randint(0, 300)}.{self.r.randint(0, 9999)}",
            lambda: f"build {self.r.randint(10, 99)}.{self.r.randint(0, 9)}."
                    f"{self.r.randint(1000, 25000)}.{self.r.randint(1, 999)}",
            lambda: f"v{self.r.randint(0, 9)}.{self.r.randint(0, 30)}.{self.r.randint(0, 99)}"
                    f"-rc.{self.r.randint(1, 5)}+build.{self.r.randint(1, 900)}",
            lambda: f"order #{self.r.randint(100000, 9999999)}",
            lambda: f"invoice INV-{self.r.randint(2019, 2025)}-{self.d(6)}",
            lambda: f"tracking 1Z{self.s(6, string.ascii_uppercase + string.digits)}"
                    f"{self.d(10)}",
            lambda: f"PO {self.r.choice(['45', '47'])}{self.d(8)}",
            lambda: f"took {self.r.randint(1, 90000)}ms",
            lambda: f"duration={self.r.randint(0, 3)}:{self.r.randint(0, 59):02d}:"
                    f"{self.r.randint(0, 59):02d}.{self.d(3)}",
            lambda: f"size={self.r.randint(1, 999)}.{self.r.randint(0, 9)} MB",
            lambda: f"bytes_sent={self.r.randint(100, 99_999_999)}",
            lambda: f"HTTP/1.1 {self.pick([200, 201, 204, 301, 304, 400, 401, 403, 404, 429])}",
            lambda: f"mac={':'.join(self.s(2, HEX.upper()) for _ in range(6))}",
            lambda: f"hwaddr {'-'.join(self.s(2, HEX) for _ in range(6))}",
            lambda: f"listening on port {self.r.randint(1024, 65535)}",
            lambda: f"ISBN 978-{self.r.randint(0, 9)}-{self.d(3)}-{self.d(5)}-{self.d(1)}",
            lambda: f"case {self.r.randint(2019, 2025)}-{self.d(4)}-{self.d(4)}",
            lambda: f"job_id={self.d(10)}",
            lambda: f"epoch_ms={self.r.randint(1_550_000_000_000, 1_760_000_000_000)}",
            lambda: f"max_tokens={self.pick([256, 1024, 4096, 8192])}",
            lambda: f"at {self.ts()}",
            lambda: f"host={self.pick(HOSTS)}",
            lambda: f"{self.pick(['release', 'firmware', 'pkg version', 'agent v'])} "
                    f"{self.r.randint(1, 9)}.{self.r.randint(0, 9)}.{self.r.randint(0, 9)}."
                    f"{self.r.randint(0, 99)}",
            lambda: f"upgraded to {self.r.randint(1, 30)}.{self.r.randint(0, 9)}."
                    f"{self.r.randint(1000, 29999)}.{self.r.randint(256, 9999)}",
            lambda: f"cpu={self.r.randint(1, 99)}.{self.d(1)}% mem={self.r.randint(1, 64)}Gi",
            lambda: f"elapsed PT{self.r.randint(1, 9)}H{self.r.randint(1, 59)}M",
            lambda: f"sku {self.d(3)}-{self.d(3)}-{self.d(4)}-{self.s(2, string.ascii_uppercase)}",
        ][k]()


# ---------------------------------------------------------------------------------------------
# record makers: each returns a Doc and a kind


def access_log(g: Holdout) -> tuple[Doc, str]:
    d = Doc()
    ip, t = g.ip()
    d(ip, t)(f" - - [{g.ts()}] \"{g.pick(['GET', 'POST', 'PUT'])} ")
    path = g.pick(PATHS)
    u = g.r.random()
    if u < 0.35:
        e = g.email()
        enc = e.replace("@", g.pick(["%40", "%40", "@"])).replace("+", "%2B")
        d(f"{path}?{g.pick(['email', 'login_hint', 'recipient', 'q', 'mail'])}=")(enc, "EMAIL_ADDRESS")
        d(f"&page={g.r.randint(1, 9)}")
    elif u < 0.55:
        d(f"{path}?{g.pick(['customer_name', 'fullname', 'holder', 'name'])}=")
        d(g.full().replace(" ", g.pick(["+", "%20"])), "PERSON")
    elif u < 0.7:
        d(f"{path}?{g.pick(['access_token', 'api_key', 'token', 'apikey', 'key'])}=")
        d(g.s(g.r.randint(24, 40), ALNUM + "-_"), g.pick(["AUTH_TOKEN", "API_KEY"]))
    else:
        d(f"{path}/{g.r.randint(1, 99999)}?limit={g.pick([10, 50, 100])}")
    d(f" HTTP/1.1\" {g.pick([200, 200, 302, 404, 500])} {g.r.randint(120, 99999)} "
      f"\"-\" \"{g.pick(UAS)}\" rt={g.r.random():.3f}")
    return d, "access_log"


def syslog(g: Holdout) -> tuple[Doc, str]:
    d = Doc()
    host = g.pick(["web-03", "db-primary", "bastion", "mail-relay-2"])
    d(f"{g.ts()} {host} ")
    u = g.r.randint(0, 7)
    if u == 0:
        ip, t = g.ip()
        d(f"sshd[{g.r.randint(200, 65000)}]: Failed password for invalid user admin from ")
        d(ip, t)(f" port {g.r.randint(1024, 65535)} ssh2")
    elif u == 1:
        d(f"postfix/smtp[{g.r.randint(200, 65000)}]: {g.s(10, HEX.upper())}: to=<")
        d(g.email(), "EMAIL_ADDRESS")(f">, relay={g.pick(HOSTS)}[")
        ip, t = g.ip()
        d(ip, t)(f"]:25, delay={g.r.randint(0, 9)}.{g.d(1)}, status=sent (250 2.0.0 OK)")
    elif u == 2:
        d(f"app[{g.r.randint(200, 65000)}]: {g.pick(['INFO', 'WARN', 'ERROR'])} user ")
        d(g.email(), "EMAIL_ADDRESS")(" logged in from ")
        ip, t = g.ip()
        d(ip, t)(f" {g.neg()}")
    elif u == 3:
        d(f"kernel: eth0: link up, 1000Mbps, {g.neg()} {g.neg()}")
    elif u == 4:
        d("billing-worker: charge failed for card ")
        d(g.card(), "CREDIT_CARD")(f" amount=${g.r.randint(1, 999)}.{g.d(2)} {g.neg()}")
    elif u == 5:
        d("crm-sync: updated contact ")
        d(g.full(), "PERSON")(" (")(g.phone(), "PHONE_NUMBER")(f") {g.neg()}")
    elif u == 6:
        d("dhcpd: DHCPACK on ")
        ip, t = g.ip()
        d(ip, t)(f" to {':'.join(g.s(2, HEX) for _ in range(6))} via eth1 {g.neg()}")
    else:
        d(f"cron[{g.r.randint(200, 65000)}]: job finished {g.neg()} {g.neg()}")
    return d, "syslog"


def level_log(g: Holdout) -> tuple[Doc, str]:
    d = Doc()
    d(f"{g.ts()} {g.pick(['INFO', 'DEBUG', 'WARNING', 'ERROR'])} "
      f"[{g.pick(['auth', 'payments', 'profile', 'notify', 'kyc'])}] ")
    u = g.r.randint(0, 11)
    if u == 0:
        d("name=")(g.full().lower(), "PERSON")(f" {g.neg()}")
    elif u == 1:
        d(f"{g.pick(['customer', 'holder', 'full_name', 'cardholder'])}=\"")(g.full(), "PERSON")
        d(f"\" {g.neg()}")
    elif u == 2:
        d(f"{g.pick(['phone', 'tel', 'mobile', 'msisdn', 'phone_number'])}=")
        d(g.phone(national=g.r.random() < 0.5), "PHONE_NUMBER")(f" {g.neg()}")
    elif u == 3:
        d("verified ssn=")(g.ssn(), "US_SSN")(f" {g.neg()}")
    elif u == 4:
        d(f"payout to {g.pick(['iban', 'IBAN', 'account'])} ")(g.iban(), "IBAN_CODE")
        d(f" {g.neg()}")
    elif u == 5:
        d(f"{g.pick(['password', 'passwd', 'pwd', 'db_pass', 'secret'])}=")
        d(g.password(), "PASSWORD")(f" {g.neg()}")
    elif u == 6:
        v, t = g.provider_key()
        d("loaded credential ")(v, t)(f" {g.neg()}")
    elif u == 7:
        d(f"client {g.pick(['ip', 'addr', 'remote'])}=")
        ip, t = g.ip()
        d(ip, t)(f" {g.neg()} {g.neg()}")
    elif u == 8:
        d(f"{g.pick(['user', 'username', 'login'])}=")(g.user(), "USERNAME")(f" {g.neg()}")
    elif u == 9:
        d(f"{g.pick(['first_name', 'given_name', 'firstName'])}=")(g.first(), "PERSON")
        d(f" {g.pick(['last_name', 'surname', 'lastName', 'family_name'])}=")
        d(g.last(), "PERSON")(f" {g.neg()}")
    elif u == 10:
        d("Authorization: Bearer ")(g.jwt(), "JWT")(f" {g.neg()}")
    else:
        d(f"{g.neg()} {g.neg()} {g.neg()}")
    return d, "log"


def json_record(g: Holdout) -> tuple[Doc, str]:
    d = Doc()
    d("{")
    fields: list = [("\"event_id\": \"", g.uuid(), None), ("\"ts\": \"", g.ts(), None)]
    picks = g.r.sample(range(12), g.r.randint(1, 4))
    for p in picks:
        if p == 0:
            fields.append((f"\"{g.pick(['customerName', 'contact_person', 'billing_name', 'displayName', 'recipient', 'patient_name', 'author', 'assignee', 'employee', 'full_name'])}\": \"", g.full(), "PERSON"))
        elif p == 1:
            fields.append((f"\"{g.pick(['email', 'e_mail', 'contactEmail', 'replyTo', 'mail'])}\": \"", g.email(), "EMAIL_ADDRESS"))
        elif p == 2:
            fields.append((f"\"{g.pick(['phone', 'mobile', 'telephone', 'contactPhone', 'fax'])}\": \"", g.phone(national=g.r.random() < 0.3), "PHONE_NUMBER"))
        elif p == 3:
            fields.append(("\"card_number\": \"", g.card(), "CREDIT_CARD"))
        elif p == 4:
            fields.append(("\"client_ip\": \"", g.ip()[0], "IP_ADDRESS"))
        elif p == 5:
            fields.append((f"\"{g.pick(['iban', 'bank_account', 'payoutIban'])}\": \"", g.iban(), "IBAN_CODE"))
        elif p == 6:
            fields.append((f"\"{g.pick(['givenName', 'first_name', 'forename'])}\": \"", g.first(), "PERSON"))
            fields.append((f"\"{g.pick(['familyName', 'last_name', 'surname'])}\": \"", g.last(), "PERSON"))
        elif p == 7:
            fields.append(("\"ssn\": \"", g.ssn(), "US_SSN"))
        elif p == 8:
            fields.append((f"\"{g.pick(['apiKey', 'api_key', 'secret_key', 'client_secret', 'token', 'refresh_token'])}\": \"", g.s(g.r.randint(24, 48), ALNUM + "-_"), "API_KEY"))
        elif p == 9:
            fields.append((f"\"{g.pick(['password', 'passwd', 'newPassword'])}\": \"", g.password(), "PASSWORD"))
        elif p == 10:
            fields.append(("\"private_key\": \"", g.pem(escaped=True), "PRIVATE_KEY"))
        else:
            fields.append((f"\"{g.pick(['user_agent', 'ua'])}\": \"", g.pick(UAS), None))
    for _ in range(g.r.randint(1, 3)):
        neg = g.neg()
        key = neg.split("=")[0].split(" ")[0].strip(":#") if " " in neg or "=" in neg else "meta"
        fields.append((f"\"{key or 'meta'}\": \"", neg.replace("\"", "'"), None))
    fields.append(("\"status\": \"", str(g.pick([200, 201, 400, 403, 500])), None))
    g.r.shuffle(fields)
    for i, (pre, val, t) in enumerate(fields):
        d(("" if i == 0 else ", ") + pre)(val, t)("\"")
    d("}")
    return d, "json"


def csv_block(g: Holdout) -> tuple[Doc, str]:
    d = Doc()
    layout = g.pick([
        (["id", "full_name", "email", "phone", "city", "amount"], ["id", "P", "E", "T", "city", "amt"]),
        (["ticket", "reporter", "assignee", "opened_at", "status"], ["id", "P", "P", "ts", "st"]),
        (["customer_id", "first_name", "last_name", "mobile", "signup"], ["id", "F", "L", "T", "ts"]),
        (["txn", "card", "holder", "ip", "latency_ms"], ["id", "C", "P", "I", "ms"]),
        (["employee", "iban", "ssn", "dept"], ["P", "B", "S", "dept"]),
        (["sku", "version", "build", "sha"], ["sku", "ver", "bld", "sha"]),
    ])
    sep = g.pick([",", ";", "\t", "|"])
    d(sep.join(layout[0]) + "\n")
    for row in range(g.r.randint(2, 4)):
        if row:
            d("\n")
        for i, col in enumerate(layout[1]):
            if i:
                d(sep)
            quote = sep == "," and col == "P" and g.r.random() < 0.4
            makers = {"P": (g.full, "PERSON"), "E": (g.email, "EMAIL_ADDRESS"),
                      "T": (g.phone, "PHONE_NUMBER"), "F": (g.first, "PERSON"),
                      "L": (g.last, "PERSON"), "C": (g.card, "CREDIT_CARD"),
                      "I": (lambda: g.ip()[0], "IP_ADDRESS"), "B": (g.iban, "IBAN_CODE"),
                      "S": (g.ssn, "US_SSN")}
            if col in makers:
                fn, t = makers[col]
                if quote:
                    d("\"")(fn(), t)("\"")
                else:
                    d(fn(), t)
            else:
                cell = ({"id": lambda: str(g.r.randint(1000, 999999)), "city": lambda: g.pick(
                    ["Lagos", "Porto", "Osaka", "Denver", "Gdańsk", "Nairobi"]),
                   "amt": lambda: f"{g.r.randint(1, 9999)}.{g.d(2)}", "ts": g.ts,
                   "st": lambda: g.pick(["open", "closed", "pending"]),
                   "ms": lambda: str(g.r.randint(3, 4000)),
                   "dept": lambda: g.pick(["Finance", "Customer Success", "R&D"]),
                   "sku": lambda: f"SKU-{g.d(6)}", "ver": lambda: f"{g.r.randint(1, 9)}."
                   f"{g.r.randint(0, 20)}.{g.r.randint(0, 99)}.{g.r.randint(0, 999)}",
                   "bld": lambda: g.d(8), "sha": lambda: g.s(12, HEX)}[col]())
                d(f'"{cell}"' if sep in cell else cell)     # a CSV writer quotes separators
    return d, "csv"


def mail_headers(g: Holdout) -> tuple[Doc, str]:
    d = Doc()
    name = g.full()
    first, last = name.split(" ")[0], name.split(" ")[-1]
    d("Return-Path: <")(g.email(), "EMAIL_ADDRESS")(">\n")
    d(f"Received: from {g.pick(HOSTS)} (")
    ip, t = g.ip()
    d(ip, t)(f") by mx.acme-corp.com with ESMTPS id {g.s(12)}; {g.ts()}\n")
    u = g.r.random()
    if u < 0.35:
        d("From: \"")(name, "PERSON")("\" <")(g.email(name), "EMAIL_ADDRESS")(">\n")
    elif u < 0.55:
        d("From: \"")(f"{last}, {first}", "PERSON")("\" <")(g.email(name), "EMAIL_ADDRESS")
        d(">\n")
    else:
        d("From: ")(name, "PERSON")(" <")(g.email(name), "EMAIL_ADDRESS")(">\n")
    d("To: ")
    for i in range(g.r.randint(1, 2)):
        if i:
            d(", ")
        other = g.full()
        d(other, "PERSON")(" <")(g.email(other), "EMAIL_ADDRESS")(">")
    d("\n")
    if g.r.random() < 0.5:
        d("Cc: ")(g.email(), "EMAIL_ADDRESS")("\n")
    d(f"Subject: {g.pick(['Re: invoice', 'Your order has shipped', 'Password reset', 'Q3 numbers'])} "
      f"{g.neg()}\nDate: {g.ts()}\nMessage-ID: <{g.uuid()}@{g.pick(HOSTS)}>\n"
      f"X-Mailer: {g.pick(UAS)}")
    return d, "mail"


def ticket_prose(g: Holdout) -> tuple[Doc, str]:
    d = Doc()
    u = g.r.randint(0, 13)
    name = g.full()
    if u == 0:
        d(f"Meeting with {g.pick(TITLES)} ")(name, "PERSON")(" about the budget on "
                                                            f"{g.ts()}.")
    elif u == 1:
        d("Hi ")(g.first(), "PERSON")(f",\n\nyour ticket {g.neg()} was resolved. "
                                     f"Reference {g.neg()}.\n\nThanks,\n")(name, "PERSON")
    elif u == 2:
        d(f"Issue {g.pick(['PAY', 'OPS', 'SUP'])}-{g.r.randint(100, 9999)} assigned to ")
        d(name, "PERSON")(", reported by ")(g.full(), "PERSON")(f". {g.neg()}")
    elif u == 3:
        d("Customer ")(name, "PERSON")(" called from ")(g.phone(), "PHONE_NUMBER")
        d(f" about order #{g.r.randint(100000, 999999)}; callback requested.")
    elif u == 4:
        d("Patient ")(name, "PERSON")(" (DOB withheld) was seen by ")(g.pick(TITLES))(" ")
        d(g.full(), "PERSON")(f" on {g.ts()}.")
    elif u == 5:
        d("Please contact ")(name, "PERSON")(" at ")(g.email(name), "EMAIL_ADDRESS")(" or ")
        d(g.phone(), "PHONE_NUMBER")(" for the renewal.")
    elif u == 6:
        d(f"Hello team,\n\nthe deploy of {g.neg()} failed with HTTP 502 at {g.ts()}. "
          f"See {g.neg()}.\n\nBest regards,\n")(name, "PERSON")
        d(f"\nSite Reliability, {g.pick(['Acme Corp', 'Globex', 'Initech'])}")
    elif u == 7:
        d("Spoke with ")(name, "PERSON")(" today; they will wire the funds from ")
        d(g.iban(), "IBAN_CODE")(" by Friday.")
    elif u == 8:
        d("Escalated by ")(name, "PERSON")(f" — card ending {g.d(4)} charged twice, "
                                             f"{g.neg()}.")
    elif u == 9:
        d(f"On {g.ts()}, ")(name, "PERSON")(" <")(g.email(name), "EMAIL_ADDRESS")
        d("> wrote:\n> can you check my account?")
    elif u == 10:
        d("Cheers,\n")(name, "PERSON")("\nSenior Analyst | ")(g.phone(), "PHONE_NUMBER")
    elif u == 11:
        d("The contact on file is ")(name, "PERSON")(", SSN ")(g.ssn(), "US_SSN")
        d(", date of birth not provided.")
    elif u == 12:
        d("Thanks, ")(name, "PERSON")(f"! I've reset the password; {g.neg()}.")
    else:
        d(f"Hi team, thanks for the quick turnaround. The incident at {g.ts()} "
          f"({g.neg()}) is closed; reported by Datadog, assigned to the Platform team.")
    return d, "ticket"


def chat(g: Holdout) -> tuple[Doc, str]:
    d = Doc()
    name = g.full()
    u = g.r.randint(0, 7)
    if g.r.random() < 0.5:
        d("{\"role\": \"user\", \"content\": \"")
        end = "\"}"
    else:
        d("User: ")
        end = ""
    if u == 0:
        d("Hi, I'm ")(name, "PERSON")(" and my card ")(g.card(), "CREDIT_CARD")
        d(" was declined twice. Can you help?")
    elif u == 1:
        d("My name is ")(name, "PERSON")(", you can reach me on ")(g.phone(), "PHONE_NUMBER")
    elif u == 2:
        d("Please summarise this log: ")(g.ip()[0], "IP_ADDRESS")(f" {g.neg()} {g.neg()}")
    elif u == 3:
        d("Here is my config, why does it fail? OPENAI_API_KEY=")
        v, t = g.provider_key()
        d(v, t)(f" model=gpt-4o temperature=0.2 {g.neg()}")
    elif u == 4:
        d("Draft a reply to ")(name, "PERSON")(" (")(g.email(name), "EMAIL_ADDRESS")
        d(") saying the refund is on its way.")
    elif u == 5:
        d(f"What does status {g.pick([401, 403, 429, 503])} mean for request {g.uuid()}?")
    elif u == 6:
        d("my ssn is ")(g.ssn(), "US_SSN")(" and my account is ")(g.iban(), "IBAN_CODE")
    else:
        d(f"Translate 'order {g.neg()} shipped at {g.ts()}' into French.")
    d(end)
    if g.r.random() < 0.5:
        d("\nAssistant: " if not end else ", {\"role\": \"assistant\", \"content\": \"")
        d(f"Sure — I've noted that (ticket {g.neg()}).")
        d("\"}" if end else "")
    return d, "chat"


def config_file(g: Holdout) -> tuple[Doc, str]:
    d = Doc()
    u = g.r.randint(0, 9)
    if u == 0:
        user, pw = g.user(), g.password().replace("@", "#").replace("/", "_")
        scheme = g.pick(["postgres", "postgresql", "mysql", "mongodb+srv", "amqp", "redis"])
        d(f"DATABASE_URL={scheme}://")(user, "USERNAME")(":")(pw, "PASSWORD")
        d(f"@{g.pick(HOSTS)}:{g.pick([5432, 3306, 27017, 5672, 6379])}/app_{g.d(2)}\n"
          f"POOL_SIZE={g.r.randint(2, 40)}\nLOG_LEVEL=info")
    elif u == 1:
        d("[default]\naws_access_key_id = ")
        d("AKIA" + g.s(16, string.ascii_uppercase + "234567"), "CLOUD_KEY")
        d("\naws_secret_access_key = ")(g.aws_secret(), "CLOUD_KEY")(f"\nregion = "
                                                                     f"{g.pick(['eu-west-1', 'us-east-2'])}")
    elif u == 2:
        d("AWS key ")(("AKIA" if g.r.random() < 0.7 else "ASIA")
                      + g.s(16, string.ascii_uppercase + "234567"), "CLOUD_KEY")
        d(g.pick([" secret ", ", secret: ", " / secret "]))(g.aws_secret(), "CLOUD_KEY")
    elif u == 3:
        d("DefaultEndpointsProtocol=https;AccountName=")
        d(f"st{g.s(8, string.ascii_lowercase)}")(";AccountKey=")
        d(g.s(86, B64) + "==", "CLOUD_KEY")(";EndpointSuffix=core.windows.net")
    elif u == 4:
        d("database:\n  host: ")(g.pick(HOSTS))(f"\n  port: {g.pick([5432, 1433])}\n  user: ")
        d(g.user(), "USERNAME")("\n  password: ")(g.password(), "PASSWORD")
        d(f"\n  timeout: {g.r.randint(1, 60)}s\n  version: \"{g.r.randint(9, 16)}.{g.r.randint(0, 9)}\"")
    elif u == 5:
        v, t = g.provider_key()
        var = g.pick(["STRIPE_SECRET_KEY", "GITHUB_TOKEN", "SLACK_BOT_TOKEN", "ANTHROPIC_API_KEY",
                      "HF_TOKEN", "GOOGLE_API_KEY", "NPM_TOKEN"])
        d(f"export {var}=\"")(v, t)(f"\"\nexport APP_VERSION={g.r.randint(1, 4)}.{g.r.randint(0, 9)}"
                                    f".{g.r.randint(0, 9)}.{g.r.randint(0, 999)}")
    elif u == 6:
        d("SLACK_WEBHOOK=https://hooks.slack.com/services/")
        d(f"T{g.s(8, string.ascii_uppercase + string.digits)}/B{g.s(10, string.ascii_uppercase + string.digits)}/{g.s(24)}", "API_KEY")
    elif u == 7:
        d("-----\nid_rsa contents:\n")(g.pem(), "PRIVATE_KEY")(f"\n# generated {g.ts()}")
    elif u == 8:
        d(f"[smtp]\nserver = {g.pick(HOSTS)}\nport = 587\nsender = ")(g.email(), "EMAIL_ADDRESS")
        d("\npassword = ")(g.password(), "PASSWORD")
    else:
        d(f"[service]\nversion = {g.r.randint(1, 9)}.{g.r.randint(0, 9)}.{g.r.randint(0, 9)}."
          f"{g.r.randint(0, 9999)}\nlisten = 0.0.0.0:{g.r.randint(1024, 9999)}\n"
          f"build_id = {g.d(12)}\n{g.neg()}\ntoken_ttl = 3600\nmax_tokens = 2048")
    return d, "config"


def url_record(g: Holdout) -> tuple[Doc, str]:
    d = Doc()
    u = g.r.randint(0, 5)
    host = g.pick(HOSTS)
    if u == 0:
        d("https://")(g.user(), "USERNAME")(":")(g.password().replace("@", "!").replace("/", "-")
                                                 .replace("#", "!").replace("?", "!"), "PASSWORD")
        d(f"@{host}/repo.git")
    elif u == 1:
        d(f"https://{host}/unsubscribe?u=")(g.email().replace("@", "%40"), "EMAIL_ADDRESS")
        d(f"&campaign={g.d(6)}&utm_source=newsletter")
    elif u == 2:
        d(f"https://{host}/profile/")(g.email(), "EMAIL_ADDRESS")("/settings?tab=privacy")
    elif u == 3:
        d(f"https://{host}/callback#access_token=")(g.jwt(), "JWT")("&token_type=Bearer"
                                                                     "&expires_in=3599")
    elif u == 4:
        d(f"https://{host}/v2/lookup?phone=")(g.phone().replace(" ", "%20").replace("+", "%2B"),
                                              "PHONE_NUMBER")
        d(f"&ts={g.ts().replace(' ', '%20')}")
    else:
        d(f"https://{host}{g.pick(PATHS)}?id={g.uuid()}&v={g.r.randint(1, 9)}.{g.r.randint(0, 9)}"
          f".{g.r.randint(0, 9)}.{g.r.randint(0, 99)}&page={g.r.randint(1, 40)}")
    return d, "url"


def http_request(g: Holdout) -> tuple[Doc, str]:
    d = Doc()
    d(f"{g.pick(['POST', 'GET'])} {g.pick(PATHS)} HTTP/2\nHost: {g.pick(HOSTS)}\n")
    u = g.r.randint(0, 4)
    if u == 0:
        d("Authorization: Bearer ")(g.s(g.r.randint(30, 60), ALNUM + "-._~"), "AUTH_TOKEN")
    elif u == 1:
        d("Authorization: Basic ")(base64.b64encode(f"{g.user()}:{g.password()}".encode())
                                   .decode(), "AUTH_TOKEN")
    elif u == 2:
        d(f"{g.pick(['X-API-Key', 'x-api-key', 'Api-Key'])}: ")(g.s(32, HEX), "API_KEY")
    elif u == 3:
        d("Cookie: session=")(g.s(40, ALNUM), "AUTH_TOKEN")("; theme=dark; lang=en-GB")
    else:
        d("Authorization: Bearer ")(g.jwt(), "JWT")
    d(f"\nUser-Agent: {g.pick(UAS)}\nX-Request-ID: {g.uuid()}\nX-Forwarded-For: ")
    ip, t = g.ip()
    d(ip, t)(f"\nContent-Length: {g.r.randint(2, 9000)}")
    return d, "http"


def negative(g: Holdout) -> tuple[Doc, str]:
    d = Doc()
    u = g.r.randint(0, 5)
    if u == 0:
        d(" ".join(g.neg() for _ in range(g.r.randint(3, 6))))
    elif u == 1:
        d(f"{g.ts()} INFO GET https://{g.pick(HOSTS)}{g.pick(PATHS)} -> "
          f"{g.pick([200, 304, 503])} in {g.r.randint(2, 900)}ms ua=\"{g.pick(UAS)}\"")
    elif u == 2:
        d(f"Deployed {g.pick(['api', 'worker', 'web'])} {g.r.randint(1, 9)}.{g.r.randint(0, 9)}."
          f"{g.r.randint(0, 9)}.{g.r.randint(0, 999)} to {g.pick(HOSTS)} "
          f"({g.neg()}), image sha256:{g.s(64, HEX)}")
    elif u == 3:
        d(f"Shipment {g.neg()} for order {g.r.randint(1_000_000, 9_999_999)} "
          f"left the warehouse at {g.ts()}; weight 2.4 kg; ETA 3 days.")
    elif u == 4:
        d(f"Internal Server Error at Service Mesh Gateway ({g.neg()}); Amazon Web Services "
          f"us-east-1 reported Degraded Performance. {g.neg()}")
    else:
        d(f"{{\"trace\": \"{g.s(32, HEX)}\", \"span\": \"{g.s(16, HEX)}\", \"duration_ms\": "
          f"{g.r.randint(1, 9999)}, \"tokens_in\": {g.r.randint(10, 9000)}, \"model\": "
          f"\"claude-3-5-sonnet-20241022\", \"host\": \"{g.pick(HOSTS)}\", \"ts\": "
          f"{g.r.randint(1_550_000_000_000, 1_760_000_000_000)}}}")
    return d, "negative"


MAKERS = [(access_log, 10), (syslog, 8), (level_log, 16), (json_record, 12), (csv_block, 7),
          (mail_headers, 6), (ticket_prose, 14), (chat, 8), (config_file, 9), (url_record, 6),
          (http_request, 6), (negative, 10)]


def build(n: int, seed: int) -> list[dict]:
    """Return ``n`` labelled records drawn from the record makers with a fixed seed."""
    g = Holdout(seed)
    fns = [fn for fn, w in MAKERS for _ in range(w)]
    out = []
    for _ in range(n):
        doc, kind = g.r.choice(fns)(g)
        out.append(doc.record(kind))
    return out


def write_cli(description: str, build_fn, n: int, seed: int, out: Path) -> None:
    """Parse ``--n --seed --out`` (defaults given) and write ``build_fn(n, seed)`` as JSON lines."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--n", type=int, default=n)
    ap.add_argument("--seed", type=int, default=seed)
    ap.add_argument("--out", type=Path, default=out)
    a = ap.parse_args()
    rows = build_fn(a.n, a.seed)
    a.out.write_text("".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n"
                             for r in rows))
    print(f"wrote {len(rows)} records to {a.out}")


def main() -> None:
    write_cli(__doc__.splitlines()[0], build, 2400, 2024, HERE / "holdout.jsonl")


if __name__ == "__main__":
    main()
