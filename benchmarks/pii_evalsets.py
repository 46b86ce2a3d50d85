"""Labelled PII evaluation sets, generated deterministically: logs, international, secrets, prose.

    build(kind, n, seed, role) -> [{"text", "spans": [[start, end, entity_type]], "kind"}]

``kind`` is ``logs`` (URLs with e-mails and tokens in query strings, JSON, CSV rows, key=value,
HTTP headers, stack traces, access and syslog lines), ``intl`` (E.164 and national phone formats
of many countries, IBANs of many countries, national identifiers with check digits, US/UK/DE/FR
postal addresses), ``secrets`` (credentials of many providers in configs, env files, headers,
URLs, CLI lines) or ``prose`` (support tickets, chat, e-mail bodies, clinical and HR notes with
names, addresses, cities, phones, cards, e-mails). About 30 % of every set are hard negatives:
versions, ids, hashes, timestamps, UUIDs, ports, paths, capitalised non-names and so on.

``role`` picks the vocabulary part (``pii_vocab``): tune on ``role="tune"`` with one seed,
report ``role="report"`` with another. The benchmark splits PERSON and LOCATION recall by
whether a span holds a word of the held-out part (unseen) or only ``TRAIN`` words (seen).

    .venv/bin/python benchmarks/pii_evalsets.py logs --n 5 --seed 1 --role tune
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import ClassVar
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pii_values import HEX, Values

KINDS = ("logs", "intl", "secrets", "prose")
LOCATION = "LOCATION"
NATIONAL_ID = "NATIONAL_ID"


class Doc:
    """A text built from pieces; a piece given as ``(text, TYPE)`` becomes a labelled span."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.spans: list[list] = []
        self.n = 0

    def __call__(self, *items) -> Doc:
        for it in items:
            if isinstance(it, tuple):
                text, ent = it
                if ent:
                    self.spans.append([self.n, self.n + len(text), ent])
            else:
                text = it
            self.parts.append(text)
            self.n += len(text)
        return self

    def record(self, kind: str) -> dict:
        return {"text": "".join(self.parts), "spans": self.spans, "kind": kind}


class Sets(Values):
    """Templates of the four sets over the seeded values of ``pii_values.Values``."""

    # --- hard negatives shared by the log-like sets ---------------------------------------------------
    def ts(self) -> str:
        r = self.r
        y, mo, d = r.randint(2019, 2026), r.randint(1, 12), r.randint(1, 28)
        h, mi, s = r.randint(0, 23), r.randint(0, 59), r.randint(0, 59)
        return self.pick([f"{y}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}.{r.randint(0, 999):03d}Z",
                          f"{y}-{mo:02d}-{d:02d} {h:02d}:{mi:02d}:{s:02d},{r.randint(0, 999):03d}",
                          (f"{d:02d}/{['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun'][mo % 6]}/{y}:"
                           f"{h:02d}:{mi:02d}:{s:02d} +0000"),
                          (f"{['Jan', 'Feb', 'Mar', 'Oct', 'Nov'][mo % 5]} {d:2d} {h:02d}:{mi:02d}:"
                           f"{s:02d}"), str(r.randint(1_600_000_000, 1_800_000_000)),
                          str(r.randint(1_600_000_000_000, 1_800_000_000_000))])

    def uuid(self) -> str:
        h = self.chars(HEX, 32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{self.pick('89ab')}{h[17:20]}-{h[20:]}"

    def negative(self) -> str:
        """Return a log-like line that holds no PII (numbers, ids and words that look close)."""
        r = self.r
        svc = self.pick(["api", "billing", "auth", "search", "worker", "ingest", "gateway"])
        return self.pick([
            lambda: f"{self.ts()} INFO [{svc}] request {self.uuid()} done in {r.randint(1, 5000)} "
                    f"ms status={self.pick([200, 201, 204, 304, 404, 500, 503])}",
            lambda: f"deploy {svc} version={r.randint(0, 9)}.{r.randint(0, 30)}.{r.randint(0, 99)}"
                    f" build={r.randint(1000, 99999)} commit={self.chars(HEX, 40)}",
            lambda: f"listening on 0.0.0.0:{r.randint(1024, 65535)} (pid {r.randint(100, 99999)})",
            lambda: f"{self.ts()} WARN pool exhausted: {r.randint(1, 64)}/{r.randint(64, 128)} "
                    f"connections, port {self.pick([5432, 6379, 3306, 9092, 27017])}",
            lambda: f"sha256:{self.chars(HEX, 64)} pulled {svc}:{r.randint(1, 3)}."
                    f"{r.randint(0, 20)}.{r.randint(0, 9)}",
            lambda: f"trace_id={self.chars(HEX, 32)} span_id={self.chars(HEX, 16)} "
                    f"parent={self.chars(HEX, 16)} sampled=1",
            lambda: f"order ORD-{r.randint(2019, 2026)}-{self.digits(7)} invoice INV-{self.digits(8)}"
                    f" total={r.randint(1, 9999)}.{self.digits(2)} EUR",
            lambda: f"pod {svc}-{self.chars('bcdfghjklmnpqrstvwxz2456789', 10)}-"
                    f"{self.chars('bcdfghjklmnpqrstvwxz2456789', 5)} restarted "
                    f"{r.randint(1, 9)} times (OOMKilled)",
            lambda: f'{{"level":"info","ts":{self.ts()!r},"msg":"cache hit","key":"sess:'
                    f'{self.digits(6)}","ttl":{r.randint(60, 86400)},"bytes":{r.randint(10, 10**6)}}}'
                    .replace("'", '"'),
            lambda: f"at com.example.{svc}.{self.pick(['UserService', 'OrderRepository', 'Handler'])}"
                    f".{self.pick(['handle', 'save', 'lookup'])}({self.pick(['Main', 'Service'])}"
                    f".java:{r.randint(10, 900)})",
            lambda: f"GET /api/v{r.randint(1, 3)}/orders/{self.digits(6)}?page={r.randint(1, 50)}"
                    f"&limit={self.pick([10, 25, 100])} HTTP/1.1 {self.pick([200, 404])} "
                    f"{r.randint(100, 90000)}",
            lambda: f"CVE-{r.randint(2015, 2025)}-{self.digits(5)} fixed in "
                    f"{r.randint(1, 4)}.{r.randint(0, 20)}.{r.randint(0, 30)}; see KB{self.digits(7)}",
            lambda: f"segfault at 0x{self.chars(HEX, 12)} ip 0x{self.chars(HEX, 12)} sp "
                    f"0x{self.chars(HEX, 12)} error 4 in libc.so.6",
            lambda: f"mac={':'.join(self.chars(HEX, 2) for _ in range(6))} vlan={r.randint(1, 4094)}"
                    f" mtu=1500 rx_bytes={self.digits(9)}",
            lambda: f"checksum md5={self.chars(HEX, 32)} size={r.randint(1, 10**9)} "
                    f"path=/var/lib/{svc}/data-{self.digits(4)}.parquet",
            lambda: f"Internal Server Error in {self.pick(['Payment Gateway', 'Order Service'])}: "
                    f"NullPointerException at line {r.randint(1, 999)}",
            lambda: f"ISBN 978-{r.randint(0, 9)}-{self.digits(4)}-{self.digits(4)}-{r.randint(0, 9)}"
                    f" shipped, tracking 1Z{self.chars('0123456789ABCDEFGHJKLMNPRSTUVWXY', 16)}",
            lambda: f"duration={r.randint(1, 999)}.{self.digits(3)}s retries={r.randint(0, 5)} "
                    f"max_tokens={self.pick([256, 1024, 4096])} token_count={r.randint(1, 9999)}",
            lambda: f"user_id={r.randint(1, 10**6)} account_id={self.digits(12)} session=active "
                    f"password_reset_required=false mfa=enabled",
            lambda: "api_key=${API_KEY} password=******** token=<redacted> secret=null",
            lambda: f"cron '{r.randint(0, 59)} {r.randint(0, 23)} * * {r.randint(0, 6)}' next run "
                    f"{self.ts()}, region eu-west-{r.randint(1, 3)}",
            lambda: f"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                    f"Chrome/{r.randint(100, 130)}.0.{self.digits(4)}.{self.digits(2)} Safari/537.36",
            lambda: f"npm integrity sha512-{self.chars('ABCDEFabcdef0123456789+/', 86)}== for "
                    f"left-pad@1.{r.randint(0, 3)}.{r.randint(0, 9)}",
            lambda: f"Processed {r.randint(1, 10**6):,} rows in {r.randint(1, 600)} s "
                    f"({r.randint(1, 100)}.{r.randint(0, 9)}% of batch {self.digits(8)})",
            lambda: f"git rev {self.chars(HEX, 7)} tagged v{r.randint(1, 9)}.{r.randint(0, 9)}."
                    f"{r.randint(0, 9)}-rc.{r.randint(1, 5)} by ci-bot",
            lambda: f"Docker image registry.example.com/{svc}@sha256:{self.chars(HEX, 64)}",
            lambda: "phone_verified=true email_verified=false country=DE locale=de_DE "
                    "tz=Europe/Berlin offset=+01:00",
        ])()

    # --- logs -----------------------------------------------------------------------------------------
    def logs(self) -> Doc:
        d, r = Doc(), self.r
        name = self.person()
        email = self.email(name)
        t = self.r.randrange(16)
        if t == 0:      # access log with an e-mail in the query string (percent-encoded or not)
            enc = self.chance(0.5)
            val = email.replace("@", "%40").replace("+", "%2B") if enc else email
            d((self.ip(), "IP_ADDRESS"), f" - - [{self.ts()}] \"GET /account/reset?email=",
              (val, "EMAIL_ADDRESS"), f"&lang=en HTTP/1.1\" 302 {r.randint(100, 999)}")
        elif t == 1:    # JSON event
            d('{"ts":"', self.ts(), '","event":"', self.pick(["signup", "login", "checkout"]),
              '","user":{"email":"', (email, "EMAIL_ADDRESS"), '","name":"', (name, "PERSON"),
              '","ip":"', (self.ip(), "IP_ADDRESS"), f'"}},"latency_ms":{r.randint(1, 900)}}}')
        elif t == 2:    # CSV block
            d("id,full_name,email,phone,signup_date\n", f"{r.randint(1, 9999)},", (name, "PERSON"),
              ",", (email, "EMAIL_ADDRESS"), ",", (self.phone_us(), "PHONE_NUMBER"),
              f",2024-0{r.randint(1, 9)}-1{r.randint(0, 9)}")
        elif t == 3:    # key=value with a username and client address
            d(f"{self.ts()} level=warn msg=\"login failed\" user=", (self.username(name), "USERNAME"),
              " src_ip=", (self.ip(), "IP_ADDRESS"), f" attempts={r.randint(2, 9)}")
        elif t == 4:    # HTTP headers
            tok = self.chars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 32)
            d("POST /v1/charges HTTP/1.1\nHost: api.example.com\nAuthorization: Bearer ",
              (tok, "AUTH_TOKEN"), "\nX-Forwarded-For: ", (self.ip(), "IP_ADDRESS"),
              "\nContent-Type: application/json")
        elif t == 5:    # stack trace with a value in the exception message
            d("Traceback (most recent call last):\n  File \"/srv/app/billing.py\", line "
              f"{r.randint(10, 400)}, in charge\n    raise CardDeclined(card)\n"
              "CardDeclined: card ", (self.card(), "CREDIT_CARD"), " declined for ",
              (email, "EMAIL_ADDRESS"))
        elif t == 6:    # Java exception with a user in the message
            d(f"{self.ts()} ERROR [main] c.e.UserService - lookup failed for user '",
              (email, "EMAIL_ADDRESS"), "'\njava.lang.IllegalStateException: no account\n"
              f"\tat com.example.UserService.find(UserService.java:{r.randint(10, 300)})")
        elif t == 7:    # URL with an API token and an e-mail in the query
            _, ent, val = self.secret(self.pick(["github", "slack", "stripe", "gitlab"]))
            d("GET https://hooks.example.com/notify?access_token=", (val, ent), "&to=",
              (quote(email, safe=""), "EMAIL_ADDRESS"), f"&ts={r.randint(10**9, 2 * 10**9)}")
        elif t == 8:    # syslog sshd
            d(f"{self.ts()} bastion sshd[{r.randint(100, 99999)}]: Accepted publickey for ",
              (self.username(name), "USERNAME"), " from ", (self.ip(), "IP_ADDRESS"),
              f" port {r.randint(1024, 65535)} ssh2")
        elif t == 9:    # mail log
            d(f"{self.ts()} postfix/smtp[{r.randint(100, 9999)}]: {self.chars(HEX, 10).upper()}: "
              "to=<", (email, "EMAIL_ADDRESS"), ">, relay=mx.example.net[",
              (self.ip(), "IP_ADDRESS"), "]:25, status=sent")
        elif t == 10:   # JSON with phone and card in a payment payload
            d('{"order":', str(r.randint(10**5, 10**6)), ',"customer":"', (name, "PERSON"),
              '","phone":"', (self.phone(), "PHONE_NUMBER"), '","card":"',
              (self.card(""), "CREDIT_CARD"), '","amount":', f"{r.randint(1, 999)}.{self.digits(2)}}}")
        elif t == 11:   # basic auth in a connection URL
            user, pw = self.username(name), self.password()
            d(f"{self.ts()} connecting to postgresql://", (user, "USERNAME"), ":",
              (quote(pw, safe="!*"), "PASSWORD"), f"@db-{r.randint(1, 9)}.internal:5432/app")
        elif t == 12:   # audit line with a name after a role word
            d(f"{self.ts()} AUDIT action=refund.approve amount={r.randint(1, 900)} approver=",
              (self.username(name), "USERNAME"), " customer_email=", (email, "EMAIL_ADDRESS"))
        elif t == 13:   # key=value with an SSN and a name in quotes
            d(f"kyc check id={self.digits(8)} holder=\"", (name, "PERSON"), "\" ssn=",
              (self.ssn(), "US_SSN"), f" result={self.pick(['pass', 'review'])}")
        elif t == 14:   # YAML-ish config
            d("smtp:\n  host: smtp.example.com\n  port: 587\n  username: ",
              (email, "EMAIL_ADDRESS"), "\n  password: ", (self.password(), "PASSWORD"), "\n")
        else:           # a GraphQL/HTTP body line with an IBAN
            d(f"{self.ts()} payout created id=po_{self.chars(HEX, 12)} iban=",
              (self.iban(grouped=False), "IBAN_CODE"), " beneficiary=\"", (name, "PERSON"), "\"")
        return d

    # --- international formats ---------------------------------------------------------------------
    _ID_KEYS: ClassVar[dict[str, list[str]]] = {"uk_nino": ["ni_number", "nino", "National Insurance number"],
                "uk_nhs": ["nhs_number", "NHS number", "nhsNo"],
                "fr_nir": ["nir", "numéro de sécurité sociale", "securite_sociale"],
                "es_dni": ["dni", "DNI", "documento"], "es_nie": ["nie", "NIE"],
                "it_cf": ["codice_fiscale", "codice fiscale", "cf"],
                "nl_bsn": ["bsn", "BSN", "burgerservicenummer"],
                "pl_pesel": ["pesel", "PESEL"], "se_pnr": ["personnummer", "personal_number"],
                "fi_hetu": ["hetu", "henkilötunnus"], "be_nn": ["rijksregisternummer", "nn"],
                "ca_sin": ["sin", "SIN", "social insurance number"],
                "in_aadhaar": ["aadhaar", "Aadhaar no."], "br_cpf": ["cpf", "CPF"],
                "de_taxid": ["steuer_id", "Steuer-IdNr.", "tax_id"],
                "au_tfn": ["tfn", "TFN", "tax file number"]}

    def intl(self) -> Doc:
        d, r = Doc(), self.r
        t = r.randrange(9)
        if t <= 1:      # phones in many countries and formats
            region = self.pick(["GB", "DE", "FR", "ES", "IT", "NL", "IN", "BR", "JP", "AU", "MX",
                                "SE", "PL", "ZA", "NG", "SG", "CA", "US", "CH", "IE"])
            fmt = self.pick(["E164", "INTERNATIONAL", "NATIONAL"])
            num = self.phone(region, fmt)
            lead = self.pick(["phone=", "tel: ", "mobile ", '"phone_number": "', "Call me on ",
                              "contact number ", "WhatsApp ", "Tel. ", "Rufnummer: ", "tél. "])
            tail = '"' if lead.endswith('"') else ""
            d(f"{self.ts()} " if self.chance(0.5) else "", lead, (num, "PHONE_NUMBER"), tail,
              self.pick(["", f" region={region}", " (mobile)", ", ext. 12" if fmt != "E164" else ""]))
        elif t == 2:    # IBAN of many countries
            iban = self.iban()
            d(self.pick(["Please transfer to IBAN ", "iban=", '{"iban": "', "Konto: ",
                         "RIB/IBAN : ", "beneficiary account "]), (iban, "IBAN_CODE"),
              self.pick(["", " (BIC DEUTDEFF)", '"}', f" amount={r.randint(1, 9999)}"]))
        elif t in (3, 4):  # national identifiers with their check digits
            kind, val = self.national_id()
            key = self.pick(self._ID_KEYS[kind])
            if " " in key or "." in key:
                d(self.pick(["Customer provided ", "Verified ", "On file: ", ""]), key, " ",
                  (val, NATIONAL_ID), self.pick(["", ".", " for KYC.", f" on {self.ts()}"]))
            elif self.chance(0.3):
                d(f'{{"{key}": "', (val, NATIONAL_ID), '", "verified": true}')
            else:
                d(self.pick([f"{key}=", f"{key}: "]), (val, NATIONAL_ID),
                  f" status={self.pick(['ok', 'pending'])}")
        elif t in (5, 6):  # postal addresses, US/UK/DE/FR
            country, addr = self.address()
            name = self.person()
            lead = self.pick(["Ship to: ", "address=\"", '{"shipping_address": "',
                              "Billing address: ", "Lieferadresse: ", "Adresse de livraison : "])
            d(lead, (addr, LOCATION), '"' if lead.endswith('"') else "")
            if self.chance(0.4):
                d(" — recipient ", (name, "PERSON"))
            else:
                d(self.pick(["", f" country={country}"]))
        elif t == 7:    # a CSV of international customers
            kind, val = self.national_id()
            d("name;phone;iban;national_id\n", (self.person(), "PERSON"), ";",
              (self.phone(fmt="E164"), "PHONE_NUMBER"), ";", (self.iban(grouped=False), "IBAN_CODE"),
              ";", (val, NATIONAL_ID))
        else:           # structured address fields
            country, addr = self.address()
            city = self.city()
            street = f"{r.randint(1, 300)} {self.pick(self.street_own)} " + self.pick(
                ["Road", "Street", "Avenue"])
            d('{"street": "', (street, LOCATION),
              '", "city": "', (city, LOCATION), '", "postcode": "',
              (self.digits(5), LOCATION), f'", "country": "{country}"}}')
        return d

    # --- secrets ---------------------------------------------------------------------------------------
    _SECRET_KEYS: ClassVar[dict[str, str | None]] = {"aws_key_id": "AWS_ACCESS_KEY_ID", "aws_secret": "AWS_SECRET_ACCESS_KEY",
                    "gcp_api_key": "GOOGLE_API_KEY", "gcp_oauth": "access_token",
                    "azure_account_key": None, "azure_client_secret": "AZURE_CLIENT_SECRET",
                    "github": "GITHUB_TOKEN", "gitlab": "GITLAB_TOKEN", "slack": "SLACK_BOT_TOKEN",
                    "stripe": "STRIPE_SECRET_KEY", "openai": "OPENAI_API_KEY",
                    "anthropic": "ANTHROPIC_API_KEY", "jwt": "id_token", "twilio": "TWILIO_API_KEY",
                    "sendgrid": "SENDGRID_API_KEY", "npm": "NPM_TOKEN", "pypi": "TWINE_PASSWORD",
                    "huggingface": "HF_TOKEN", "mailgun": "MAILGUN_API_KEY",
                    "telegram": "TELEGRAM_BOT_TOKEN", "digitalocean": "DIGITALOCEAN_TOKEN",
                    "shopify": "SHOPIFY_ACCESS_TOKEN", "linear": "LINEAR_API_KEY",
                    "notion": "NOTION_TOKEN", "postman": "POSTMAN_API_KEY",
                    "vault": "VAULT_TOKEN", "grafana": "GRAFANA_SERVICE_ACCOUNT_TOKEN",
                    "doppler": "DOPPLER_TOKEN", "newrelic": "NEW_RELIC_API_KEY",
                    "databricks": "DATABRICKS_TOKEN", "atlassian": "JIRA_API_TOKEN",
                    "square": "SQUARE_ACCESS_TOKEN", "age": "SOPS_AGE_KEY", "okta": "OKTA_API_TOKEN",
                    "datadog": "DD_API_KEY", "heroku": "HEROKU_API_KEY", "mapbox": "MAPBOX_TOKEN"}

    def secrets(self) -> Doc:
        d, r = Doc(), self.r
        t = r.randrange(10)
        if t <= 3:      # KEY=value in .env files, shell exports, YAML, JSON
            kind, ent, val = self.secret()
            if kind == "azure_account_key":
                d("DefaultEndpointsProtocol=https;AccountName=st", self.chars("abcdefghij", 8),
                  ";AccountKey=", (val, ent), ";EndpointSuffix=core.windows.net")
                return d
            key = self._SECRET_KEYS[kind]
            style = r.randrange(5)
            if style == 0:
                d(f"{key}=", (val, ent))
            elif style == 1:
                d(f"export {key}=\"", (val, ent), "\"")
            elif style == 2:
                d(f"  {key.lower()}: ", (val, ent))
            elif style == 3:
                d(f'{{"{key.lower()}": "', (val, ent), f'", "region": "us-east-{r.randint(1, 2)}"}}')
            else:
                d(f"{self.ts()} DEBUG loaded config {key.lower()}=", (val, ent), " from env")
        elif t == 4:    # a bare provider-shaped token in free text or a log line
            kind, ent, val = self.secret(self.pick(["github", "gitlab", "slack", "stripe", "openai",
                                                    "anthropic", "gcp_api_key", "aws_key_id",
                                                    "sendgrid", "npm", "huggingface", "jwt",
                                                    "digitalocean", "linear", "postman",
                                                    "grafana", "doppler", "newrelic", "vault",
                                                    "age", "telegram", "shopify", "databricks"]))
            d(self.pick(["oops, pasted my token ", "rotating leaked credential ",
                         f"{self.ts()} WARN found secret in commit {self.chars(HEX, 7)}: ",
                         "curl -H 'X-Api-Key: ", "use "]), (val, ent),
              self.pick([" please revoke", "'", " in CI", ""]))
        elif t == 5:    # Authorization headers
            kind, ent, val = self.secret(self.pick(["jwt", "gcp_oauth", "vault", "openai"]))
            scheme = "Bearer "
            d(f"{self.pick(['>', '<'])} Authorization: {scheme}", (val, ent if ent != "API_KEY"
                                                                  else "API_KEY"))
        elif t == 6:    # private keys, raw and JSON-escaped
            esc = self.chance(0.5)
            pem = self.pem(escaped=esc)
            if esc:
                d('{"type": "service_account", "private_key": "', (pem, "PRIVATE_KEY"),
                  '\\n", "client_email": "',
                  (f"svc-{self.digits(3)}@proj-{self.digits(5)}.iam.gserviceaccount.com",
                   "EMAIL_ADDRESS"), '"}')
            else:
                d("key file:\n", (pem, "PRIVATE_KEY"), "\n")
        elif t == 7:    # basic auth in URLs and CLI passwords
            user, pw = self.username(), self.password()
            style = r.randrange(3)
            if style == 0:
                d("git clone https://", (user, "USERNAME"), ":", (quote(pw, safe="!*"), "PASSWORD"),
                  "@git.example.com/team/repo.git")
            elif style == 1:
                d("redis://default:", (quote(pw, safe=""), "PASSWORD"),
                  f"@cache-{r.randint(1, 9)}.internal:6379/0")
            else:
                d("mysql --host=db.internal --user=", (user, "USERNAME"), " --password=",
                  (pw, "PASSWORD"), " app")
        elif t == 8:    # passwords in key=value and JSON
            pw = self.password()
            key = self.pick(["password", "db_password", "PGPASSWORD", "passwd", "admin_pass",
                             "smtp_password", "pwd", "keystore_password"])
            lead = self.pick([f"{key}=", f'"{key}": "', f"{key}: "])
            d(lead, (pw, "PASSWORD"), '"' if lead.endswith('"') else "",
              self.pick(["", " # rotate me", ","]) if not lead.endswith('"') else "")
        else:           # slack webhook, SAS url
            if self.chance(0.5):
                ids = "ABCDEFGHJK0123456789"
                path = (f"T{self.chars(ids, 10)}/B{self.chars(ids, 10)}/"
                        f"{self.chars('abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789', 24)}")
                d("webhook https://hooks.slack.com/services/", (path, "API_KEY"))
            else:
                sig = quote(self.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 43) + "=",
                            safe="")
                d("https://st.blob.core.windows.net/c/f.csv?sv=2022-11-02&ss=b&srt=o&sp=r&se=2025-"
                  "01-01T00:00:00Z&sig=", (sig, "CLOUD_KEY"))
        return d

    def secret_negative(self) -> str:
        r = self.r
        return self.pick([
            lambda: f"commit {self.chars(HEX, 40)} Merge branch 'fix/token-refresh'",
            lambda: f"sha256:{self.chars(HEX, 64)}",
            lambda: f"api_key=${{{self.pick(['OPENAI_API_KEY', 'STRIPE_KEY'])}}} password=<changeme>",
            lambda: f"secretName: db-password-{self.chars('abcdefghij', 5)} key: password",
            lambda: f"token_type=bearer expires_in={r.randint(300, 86400)} scope=read:org",
            lambda: f"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB{self.chars('ABCDEFabcdef', 12)}",
            lambda: f"AWS region us-east-{r.randint(1, 2)} bucket logs-{self.digits(6)} prefix 2024/",
            lambda: f"task-runner risk-score desk-{r.randint(1, 99)} sk-learn==1.{r.randint(0, 5)}",
            lambda: "PASSWORD_MIN_LENGTH=12 TOKEN_TTL=3600 SECRET_ROTATION_DAYS=90",
            lambda: "Authorization header missing; expected 'Bearer <token>'",
            lambda: f"key_id={self.uuid()} kid={self.chars(HEX, 16)} alg=RS256",
            lambda: f"integrity=\"sha384-{self.chars('ABCDEFGHabcdefgh0123456789+/', 64)}\"",
            lambda: f"password reset link sent; token expired at {self.ts()}",
            lambda: f"client_id={self.digits(12)}-{self.chars('abcdefghijklmnopqrstuvwxyz0123456789', 32)}"
                    ".apps.googleusercontent.com",
        ])()

    # --- prose -----------------------------------------------------------------------------------------
    def prose(self) -> Doc:
        d, r = Doc(), self.r
        g, f = self.given(), self.family()
        full = f"{g} {f}"
        g2, f2 = self.given(), self.family()
        full2 = f"{g2} {f2}"
        t = r.randrange(24)
        if t == 0:      # support ticket
            d("Ticket #", self.digits(5), ": ", (full, "PERSON"), " reports that the invoice sent to ",
              (self.email(full), "EMAIL_ADDRESS"), " shows the wrong billing address. Please call back on ",
              (self.phone_us(), "PHONE_NUMBER"), ".")
        elif t == 1:    # chat, lower case
            d(self.pick(["hey, ", "", "fyi "]), "just talked to ", (g.lower(), "PERSON"),
              self.pick([" about the outage", " re: the refund", " and she's fine with friday"]))
        elif t == 2:    # e-mail body with a greeting and a sign-off
            d("Hi ", (g, "PERSON"), ",\n\nThanks for your order. It will be shipped to ",
              (self.address("US")[1], LOCATION), " within 3 days.\n\nBest regards,\n",
              (full2, "PERSON"), "\nCustomer Care")
        elif t == 3:    # clinical note
            d(self.pick(["Pt", "Patient"]), " ", (full, "PERSON"), f", {r.randint(18, 90)}yo, seen by ",
              self.pick(["Dr. ", "Dr "]), (f2, "PERSON"), " for follow-up. Lives alone in ",
              (self.city(), LOCATION), ". Emergency contact: ", (self.given() + " " + f, "PERSON"),
              " (", (self.phone(self.pick(["GB", "US", "IE"]), "NATIONAL"), "PHONE_NUMBER"), ").")
        elif t == 4:    # HR note with possessive
            d("Performance review: ", (g, "PERSON"), "'s manager ", (full2, "PERSON"),
              " recommends promotion to Senior Analyst effective ", self.pick(["March", "July"]), ".")
        elif t == 5:    # sentence-initial name, no cue
            d((full, "PERSON"), self.pick([" approved the refund", " signed the renewal",
                                           " moved the call to Thursday", " was double charged"]),
              self.pick([".", " yesterday.", " after the audit."]))
        elif t == 6:    # address in a sentence
            d(self.pick(["Please update my address to ", "I moved! New address: ",
                         "Deliver the package to "]), (self.address()[1], LOCATION),
              self.pick([".", " — thanks!", " from next week."]))
        elif t == 7:    # city mentions
            c1, c2 = self.city(), self.city()
            d((full, "PERSON"), self.pick([" relocated from ", " is flying from ", " moved from "]),
              (c1, LOCATION), " to ", (c2, LOCATION), self.pick([" last month.", " in May.", "."]))
        elif t == 8:    # card in a chat
            d(self.pick(["my card ", "Card number ", "I used the card "]), (self.card(" "), "CREDIT_CARD"),
              self.pick([" got charged twice", " was declined at checkout", " expires 09/27"]), ".")
        elif t == 9:    # title + surname
            d("Appointment with ", self.title(), " ", (f, "PERSON"), " at our ",
              (self.city(), LOCATION), " office is confirmed for ", self.pick(["Monday", "Friday"]), ".")
        elif t == 10:   # chat: lower-case name after a mention
            d(self.pick(["can you ask ", "ping ", "cc ", "thanks "]), (g.lower(), "PERSON"),
              self.pick([" to check the logs?", " when the deploy is done", " for the heads up!",
                         " about it"]))
        elif t == 11:   # e-mail body with a phone in national format and an e-mail
            d("Dear ", self.title(), " ", (f, "PERSON"), ",\nyou can reach ", (full2, "PERSON"),
              " at ", (self.email(full2), "EMAIL_ADDRESS"), " or on ",
              (self.phone(self.pick(["GB", "DE", "FR", "AU"]), "NATIONAL"), "PHONE_NUMBER"), ".")
        elif t == 12:   # names joined
            d((full, "PERSON"), " and ", (full2, "PERSON"), self.pick([" will co-host the webinar.",
                                                                       " met with the auditors.",
                                                                       " share the on-call rota."]))
        elif t == 13:   # name in the middle without a cue
            d("The refund for ", (full, "PERSON"), self.pick([" was processed on Tuesday.",
                                                             " is still pending.",
                                                             " went to the old account."]))
        elif t == 14:   # HR: address and SSN
            d("New hire ", (full, "PERSON"), " starts Monday; home address ", (self.address("US")[1], LOCATION),
              ", SSN ", (self.ssn(), "US_SSN"), ".")
        elif t == 15:   # clinical: referral letter
            d("Referred to ", self.pick(["Dr. ", "Prof. "]), (full2, "PERSON"), " at ",
              (self.city(), LOCATION), " General. ", (g, "PERSON"), " reports chest pain since ",
              self.pick(["Sunday", "last week"]), ".")
        elif t == 16:   # chat with a lowercase full name
            d(self.pick(["omg ", "lol ", ""]), (f"{g} {f}".lower(), "PERSON"),
              self.pick([" just joined the channel", " is out sick today", " has the keys"]))
        elif t == 17:   # a single given name in conversation
            d(self.pick(["I told ", "Ask ", "Talk to "]), (g, "PERSON"),
              self.pick([" about the new pricing.", " to send the contract.", " before noon."]))
        elif t == 18:   # ticket with UK address
            d("Customer says the courier left the parcel at ", (self.address("UK")[1], LOCATION),
              " instead of her flat. Contact: ", (self.email(full), "EMAIL_ADDRESS"))
        elif t == 19:   # German/French address in prose
            c = self.pick(["DE", "FR"])
            d(self.pick(["Our new office is at ", "Send the invoice to "]),
              (self.address(c)[1], LOCATION), self.pick([".", " (2nd floor)."]))
        elif t == 20:   # name with an initial and a phone
            d((f"{g} {self.pick('ABCDEFGHJKLMNPRST')}. {f}", "PERSON"), " called from ",
              (self.phone_us(), "PHONE_NUMBER"), self.pick([" about a missing delivery.",
                                                           " to cancel the subscription."]))
        elif t == 21:   # name after a verb of speaking
            d("Spoke with ", (full, "PERSON"), " from ", self.pick(["Northwind", "Contoso", "Globex"]),
              "; she lives in ", (self.city(), LOCATION), " and prefers e-mail.")
        elif t == 22:   # e-mail body, quoted reply header
            d("On ", self.pick(["Mon", "Tue", "Wed"]), f", {r.randint(1, 28)} Mar 2025, ",
              (full, "PERSON"), " <", (self.email(full), "EMAIL_ADDRESS"), "> wrote:\n> see you in ",
              (self.city(), LOCATION), "!")
        else:           # the name as the object of a sentence
            d("We refunded ", (full, "PERSON"), " and sent a letter to ",
              (self.address(self.pick(["US", "UK"]))[1], LOCATION), ".")
        return d

    def prose_negative(self) -> str:
        r = self.r
        return self.pick([
            lambda: "Status is Pending Review since Tuesday; see the Release Notes for March.",
            lambda: f"Migrated {self.pick(['Looker Studio', 'Power BI', 'Google Sheets'])} dashboards "
                    f"to {self.pick(['Tableau Server', 'Amazon Redshift'])} last week.",
            lambda: "Quarterly review with Northwind Traders moved to Thursday.",
            lambda: "The patient has a history of Crohn's disease and Parkinson's; started Metformin.",
            lambda: f"Our Customer Success team will reach out within {r.randint(2, 5)} business days.",
            lambda: "Happy Friday! Out of Office until Monday, back online at 9.",
            lambda: f"Order {self.digits(8)} was shipped via DHL Express on {r.randint(1, 28)} June.",
            lambda: "Use the Admin Console to reset two-factor authentication.",
            lambda: "I am Running Late for the Platform Team sync, start without me.",
            lambda: "Apple Pay and Google Pay are supported; Amex coming soon.",
            lambda: f"Version {r.randint(1, 5)}.{r.randint(0, 20)} of the Mobile App fixes the login bug.",
            lambda: "Please see Section 4.2 of the Terms of Service and the Privacy Policy.",
            lambda: "The Incident Timeline and Root Cause Analysis are attached.",
            lambda: f"we hit {r.randint(2, 20)}k requests per second during Black Friday",
            lambda: "Thanks for the quick turnaround, the new Billing Engine looks great.",
            lambda: "Microsoft Teams was down for an hour, so we used Zoom instead.",
            lambda: "Main Street branch closes early on Christmas Eve.",
            lambda: f"Room {r.randint(100, 500)} on the {self.pick(['third', 'fifth'])} floor is booked.",
            lambda: "Can Fraud Shield flag repeated refunds from the same device?",
            lambda: "The St. Patrick's Day promotion ends on Sunday.",
        ])()

    # --- dispatch ----------------------------------------------------------------------------------
    def record(self, kind: str) -> dict:
        negative_share = 0.3
        if self.chance(negative_share):
            text = (self.negative() if kind in ("logs", "intl") else
                    self.secret_negative() if kind == "secrets" else self.prose_negative())
            return {"text": text, "spans": [], "kind": f"{kind}_negative"}
        d = getattr(self, kind)()
        rec = d.record(kind)
        return rec


def build(kind: str, n: int, seed: int, role: str = "report") -> list[dict]:
    """Return ``n`` labelled records of one set, the same for the same arguments."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    s = Sets(seed * 1000 + KINDS.index(kind), role)
    out = []
    for _ in range(n):
        rec = s.record(kind)
        rec["spans"] = [sp for sp in rec["spans"] if sp[1] > sp[0]]
        out.append(rec)
    return out


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kind", choices=KINDS)
    ap.add_argument("--n", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--role", choices=("tune", "report"), default="tune")
    a = ap.parse_args()
    for rec in build(a.kind, a.n, a.seed, a.role):
        print(json.dumps(rec, ensure_ascii=False))


if __name__ == "__main__":
    random.seed(0)
    main()
