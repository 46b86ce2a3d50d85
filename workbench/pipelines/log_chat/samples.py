"""Deterministic multi-service sample logs for ``log_chat``, with an incident and PII in them.

``write_samples(out_dir)`` writes five logs covering the 24 hours before ``now``:

- ``aws/lambda/checkout.jsonl``, ``aws/lambda/payments.jsonl``: Lambda JSON lines
  (``{"timestamp", "level", "requestId", "message"}``, ISO timestamps with milliseconds and ``Z``);
- ``nginx/access.log``: nginx ``combined`` format plus ``rt=`` / ``urt=`` timings;
- ``app/orders.log``: ISO-timestamped app lines with multi-line Python and Java stack traces;
- ``system/syslog``: classic syslog (``Jan 15 11:02:03 host sshd[123]: ...``).

The incident fills the last two hours: the payment gateway's circuit opens, checkout's error rate
jumps from about 2 % to about half of its lines (with client retries doubling its traffic), nginx
answers 502/504 on ``/api/checkout``, and a new exception template, ``GatewayCircuitOpen``
(``NEW_EXCEPTION``), appears in checkout and in the orders traceback, never before the incident.
Messages carry PII on purpose: e-mails, client IPs, Luhn-valid card numbers, phone numbers, an
AWS access key id, JWTs and person names after ``customer`` and ``user=``.

``now`` defaults to ``DEFAULT_NOW`` (a fixed instant), so the same arguments always give the same
bytes; ``workbench samples log_chat --out DIR`` uses it unless ``--now`` is given (an ISO 8601
time, or ``now`` for the current minute, which then changes the output from run to run).
"""
from __future__ import annotations

import base64
import json
import random
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from workbench.errors import BadInput

__all__ = ["DEFAULT_NOW", "FILES", "INCIDENT", "NEW_EXCEPTION", "write_samples"]

DEFAULT_NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
SPAN = timedelta(hours=24)
INCIDENT = timedelta(hours=2)  # the incident is the last INCIDENT before now
NEW_EXCEPTION = "GatewayCircuitOpen"
FILES = {"checkout": "aws/lambda/checkout.jsonl", "payments": "aws/lambda/payments.jsonl",
         "nginx": "nginx/access.log", "orders": "app/orders.log", "syslog": "system/syslog"}
SHARES = {"checkout": 0.30, "payments": 0.20, "nginx": 0.25, "orders": 0.15, "syslog": 0.10}
FIRST = ("Maria", "John", "Wei", "Amira", "Olga", "Pedro", "Fatima", "Lars", "Keiko", "Noah",
         "Emma", "Yusuf", "Ines", "Liam", "Sofia", "Jane")
LAST = ("Garcia", "Smith", "Chen", "Haddad", "Ivanova", "Silva", "Khan", "Berg", "Sato", "Doe")
DOMAINS = ("example.com", "example.org", "example.net", "mail.example.com")
AGENTS = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537",
          "Mozilla/5.0 (iPhone; CPU iPhone OS 18_2 like Mac OS X) AppleWebKit/605.1.15 Mobile",
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 Version/18.2 Safari",
          "curl/8.5.0", "python-httpx/0.27.2")


class _Gen:
    """Random draws for one file: times, people, ids and secrets, all from one seeded RNG."""

    def __init__(self, seed: int, name: str, now: datetime) -> None:
        self.rng = random.Random(f"log_chat:{seed}:{name}")
        self.now, self.start, self.incident = now, now - SPAN, now - INCIDENT

    def times(self, n: int, surge: float = 1.0) -> list[datetime]:
        """Return ``n`` sorted times in the 24 h, ``surge`` times denser in the incident."""
        calm, hot = (SPAN - INCIDENT).total_seconds(), INCIDENT.total_seconds() * surge
        out = []
        for _ in range(n):
            if self.rng.random() < hot / (calm + hot):
                out.append(self.incident + timedelta(seconds=self.rng.uniform(0, INCIDENT.seconds)))
            else:
                out.append(self.start + timedelta(seconds=self.rng.uniform(0, calm)))
        return sorted(t.replace(microsecond=t.microsecond // 1000 * 1000) for t in out)

    def hot(self, ts: datetime) -> bool:
        """Return True when ``ts`` falls in the incident."""
        return ts >= self.incident

    def person(self) -> dict:
        """Return a customer: name, e-mail, phone and a card number that passes Luhn."""
        first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
        return {"name": f"{first} {last}",
                "email": f"{first.lower()}.{last.lower()}{self.rng.randrange(100)}@"
                         f"{self.rng.choice(DOMAINS)}",
                "phone": self.rng.choice((f"+1 415-555-{self.rng.randrange(100, 200):04d}",
                                          f"(212) 555-{self.rng.randrange(100, 200):04d}",
                                          f"+44 20 7946 {self.rng.randrange(1000):04d}")),
                "card": self.card()}

    def card(self) -> str:
        """Return a 16-digit Visa or Mastercard number with a valid Luhn check digit."""
        digits = [int(c) for c in self.rng.choice(("4539", "4716", "5425", "5105"))]
        digits += [self.rng.randrange(10) for _ in range(11)]
        total = sum(d if i % 2 else (d * 2 - 9 if d > 4 else d * 2)
                    for i, d in enumerate(reversed(digits)))
        return "".join(map(str, digits)) + str((10 - total % 10) % 10)

    def ip(self, public: bool = True) -> str:
        """Return a documentation-range public IP, or a private one."""
        if public:
            net = self.rng.choice(("203.0.113", "198.51.100", "192.0.2"))
            return f"{net}.{self.rng.randrange(1, 255)}"
        return f"10.0.{self.rng.randrange(8)}.{self.rng.randrange(2, 250)}"

    def hex(self, n: int) -> str:
        """Return ``n`` random hex digits."""
        return f"{self.rng.getrandbits(4 * n):0{n}x}"

    def jwt(self, email: str, ts: datetime) -> str:
        """Return a signed-looking HS256 JWT whose claims carry the e-mail."""
        def b64(raw: bytes) -> str:
            return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
        iat = int(ts.timestamp())
        claims = {"sub": f"usr_{self.hex(10)}", "email": email, "iat": iat, "exp": iat + 3600}
        return ".".join((b64(b'{"alg":"HS256","typ":"JWT"}'),
                         b64(json.dumps(claims, separators=(",", ":")).encode()),
                         b64(self.rng.getrandbits(256).to_bytes(32, "big"))))

    def aws_key(self) -> str:
        """Return an AWS access key id (AKIA + 16 base-32 characters)."""
        return "AKIA" + "".join(self.rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
                                for _ in range(16))


def _iso(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}"


def _lambda_lines(g: _Gen, n: int, flow: Callable) -> list[str]:
    """Return about ``n`` Lambda JSON lines in time order: ``n / 2`` requests of 2-3 lines."""
    out: list[tuple[datetime, str]] = []
    for ts in g.times(max(1, n // 2), surge=2.0):
        rid = str(uuid.UUID(int=g.rng.getrandbits(128), version=4))
        for k, (level, message) in enumerate(flow(g, ts)):
            at = ts + timedelta(milliseconds=37 * k)
            out.append((at, json.dumps({"timestamp": _iso(at) + "Z", "level": level,
                                        "requestId": rid, "message": message},
                                       separators=(",", ":"))))
    out.sort(key=lambda pair: pair[0])  # concurrent requests interleave, the file stays in order
    return [line for _, line in out]


def _checkout(g: _Gen, ts: datetime) -> list[tuple[str, str]]:
    p, cart, order = g.person(), f"c-{g.hex(6)}", f"ord-{g.hex(8)}"
    who = (f"customer {p['name']} <{p['email']}>" if g.rng.random() < 0.6
           else f"customer_id=cus_{g.hex(8)}")
    lines = [("INFO", f"checkout started cart={cart} items={g.rng.randrange(1, 7)} {who}")]
    if g.rng.random() < 0.01:
        lines.append(("DEBUG", f"forwarding Authorization: Bearer {g.jwt(p['email'], ts)}"))
    roll = g.rng.random()
    if g.hot(ts) and roll < 0.5:
        circuit = f"{NEW_EXCEPTION}: circuit 'pgw-eu-1' is open after 5 consecutive failures"
        return [*lines, ("ERROR", f"{circuit}; order={order} was not charged"),
                ("ERROR", f"checkout failed order={order} status=502 after 3 attempts")]
    if roll < 0.02:
        declined = f"payment authorization failed order={order}: CardDeclined code=05"
        return [*lines, ("ERROR", f"{declined} customer={p['email']}")]
    if roll < 0.07:
        slow = g.rng.randrange(1500, 4000)
        return [*lines, ("WARN", f"inventory reservation slow: {slow} ms for cart={cart}")]
    total, took = g.rng.randrange(500, 40000) / 100, g.rng.randrange(80, 900)
    done = f"checkout completed order={order} total={total:.2f} EUR in {took} ms"
    return [*lines, ("INFO", done)]


def _payments(g: _Gen, ts: datetime) -> list[tuple[str, str]]:
    p, order = g.person(), f"ord-{g.hex(8)}"
    card = (f"card_number={p['card']}" if g.rng.random() < 0.08
            else f"card=**** **** **** {p['card'][-4:]}")
    amount = g.rng.randrange(500, 40000) / 100
    lines = [("INFO", f"charge requested order={order} amount={amount:.2f} EUR {card}")]
    if g.hot(ts) and g.rng.random() < 0.4:
        return [*lines, ("WARN", "upstream pgw-eu-1 returned 503 Service Unavailable (2/3)"),
                ("ERROR", f"charge failed order={order}: upstream 503 from pgw-eu-1")]
    code, took = g.hex(6).upper(), g.rng.randrange(40, 600)
    return [*lines, ("INFO", f"charge captured order={order} auth_code={code} latency_ms={took}")]


def _nginx(g: _Gen, n: int) -> list[str]:
    out = []
    for ts in g.times(n, surge=1.6):
        p = g.person()
        method, path, status = "GET", g.rng.choice(("/", "/products", "/cart")), 200
        roll = g.rng.random()
        if roll < 0.25:
            method, path = "POST", "/api/checkout"
            if g.hot(ts) and g.rng.random() < 0.55:
                status = g.rng.choice((502, 502, 504))
        elif roll < 0.35:
            path = f"/api/orders?email={p['email']}"
        elif roll < 0.38:
            path = f"/account/reset?token={g.jwt(p['email'], ts)}"
        elif roll < 0.55:
            path, status = f"/static/app.{g.hex(8)}.js", g.rng.choice((200, 304))
        elif roll < 0.60:
            path, status = f"/products/{g.rng.randrange(9000)}", 404
        elif roll < 0.80:
            path = f"/products/{g.rng.randrange(9000)}"
        took = g.rng.uniform(0.002, 0.4) if status < 500 else g.rng.uniform(3.0, 30.0)
        out.append(f"{g.ip()} - - [{ts:%d/%b/%Y:%H:%M:%S} +0000] \"{method} {path} HTTP/1.1\" "
                   f"{status} {g.rng.randrange(200, 90000)} \"https://shop.example.com/\" "
                   f"\"{g.rng.choice(AGENTS)}\" rt={took:.3f} urt=\"{took * 0.97:.3f}\"")
    return out


PY_TRACE = ('Traceback (most recent call last):\n'
            '  File "/srv/orders/app/{mod}.py", line {line}, in {fn}\n'
            '    {code}\n'
            '  File "/srv/orders/.venv/lib/python3.12/site-packages/httpx/_client.py", line 1144,'
            ' in post\n    return self.request("POST", url, **kwargs)\n{exc}')
JAVA_TRACE = ("java.net.SocketTimeoutException: Read timed out\n"
              "\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:278)\n"
              "\tat java.base/java.net.Socket$SocketInputStream.read(Socket.java:1099)\n"
              "\tat com.acme.ledger.LedgerClient.post(LedgerClient.java:{line})\n"
              "\tat com.acme.ledger.Bridge.sync(Bridge.java:57)\n"
              "Caused by: java.io.IOException: connection reset by peer\n\t... 4 more")


def _orders(g: _Gen, n: int) -> list[str]:
    out = []
    for ts in g.times(n):
        p, order, at = g.person(), f"ord-{g.hex(8)}", _iso(ts) + "+00:00"
        roll = g.rng.random()
        if g.hot(ts) and roll < 0.3:
            exc = (f"orders.clients.payments.{NEW_EXCEPTION}: circuit 'pgw-eu-1' is open "
                   "(5 consecutive failures)")
            out.append(f"{at} ERROR [orders.api] order {order} payment step failed\n"
                       + PY_TRACE.format(mod="payments", line=212, fn="charge",
                                         code="resp = client.post(self.url, json=body)", exc=exc))
        elif roll < 0.03:
            out.append(f"{at} ERROR [orders.worker] inventory sync failed for {order}\n"
                       + PY_TRACE.format(mod="inventory", line=88, fn="reserve",
                                         code="resp = client.post(url, json=payload, timeout=2.0)",
                                         exc="httpx.ReadTimeout: timed out"))
        elif roll < 0.045:
            out.append(f"{at} ERROR [orders.ledger-bridge] ledger call failed for {order}\n"
                       + JAVA_TRACE.format(line=g.rng.randrange(100, 140)))
        elif roll < 0.05:
            out.append(f"{at} WARN  [orders.boot] credentials from environment: "
                       f"AWS_ACCESS_KEY_ID={g.aws_key()} (rotate this key)")
        elif roll < 0.12:
            out.append(f"{at} WARN  [orders.worker] retrying inventory sync for {order} "
                       f"(attempt {g.rng.randrange(2, 5)}/5)")
        elif roll < 0.30:
            out.append(f"{at} INFO  [orders.api] shipping contact updated for {order}: "
                       f"phone={p['phone']} email={p['email']}")
        else:
            out.append(f'{at} INFO  [orders.api] order {order} created for user="{p["name"]}" '
                       f"items={g.rng.randrange(1, 7)} from {g.ip()}")
    return out


def _syslog(g: _Gen, n: int) -> list[str]:
    out = []
    for ts in g.times(n):
        roll, pid = g.rng.random(), g.rng.randrange(300, 32000)
        if roll < 0.30:
            text = (f"sshd[{pid}]: Accepted publickey for deploy from {g.ip()} port "
                    f"{g.rng.randrange(30000, 65000)} ssh2: ED25519 SHA256:{g.hex(20)}")
        elif roll < 0.50:
            text = (f"sshd[{pid}]: Failed password for invalid user admin from {g.ip()} port "
                    f"{g.rng.randrange(30000, 65000)} ssh2")
        elif roll < 0.75:
            text = f"CRON[{pid}]: (root) CMD (/usr/local/bin/rotate-logs --max-size 100M)"
        elif roll < 0.90:
            text = "systemd[1]: Started Daily apt download activities."
        elif g.hot(ts):
            text = ("systemd[1]: checkout-proxy.service: Main process exited, code=killed, "
                    "status=9/KILL")
        else:
            text = (f"kernel: [{g.rng.randrange(10**5, 10**6)}.{g.rng.randrange(10**6):06d}] "
                    "TCP: request_sock_TCP: Possible SYN flooding on port 443. Sending cookies.")
        out.append(f"{ts:%b} {ts.day:2d} {ts:%H:%M:%S} ip-10-0-1-23 {text}")
    return out


def _resolve_now(now: datetime | str | None) -> datetime:
    """Return the aware UTC end of the sample window (see the module docstring)."""
    if now is None:
        return DEFAULT_NOW
    if isinstance(now, str):
        if now.strip().lower() == "now":
            return datetime.now(UTC).replace(second=0, microsecond=0)
        try:
            now = datetime.fromisoformat(now.strip())
        except ValueError:
            raise BadInput(f"now={now!r} is not an ISO 8601 time (or 'now')") from None
    if not isinstance(now, datetime):
        raise BadInput(f"now must be a datetime or an ISO 8601 text, got {now!r}")
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)


def write_samples(out_dir: Path, lines: int = 4000, seed: int = 1,
                  now: datetime | str | None = None) -> list[Path]:
    """Write the five sample logs under ``out_dir``; return their paths (see module docstring)."""
    if not isinstance(lines, int) or isinstance(lines, bool) or lines < 200:
        raise BadInput(f"lines must be an integer of at least 200, got {lines!r}")
    end, out_dir = _resolve_now(now), Path(out_dir)
    budget = {k: max(20, round(lines * share)) for k, share in SHARES.items()}
    makers: dict[str, Callable[[_Gen, int], list[str]]] = {
        "checkout": lambda g, n: _lambda_lines(g, n, _checkout),
        "payments": lambda g, n: _lambda_lines(g, n, _payments),
        "nginx": _nginx, "orders": _orders, "syslog": _syslog}
    paths = []
    for key, rel in FILES.items():
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        body = makers[key](_Gen(seed, key, end), budget[key])
        path.write_bytes(("\n".join(body) + "\n").encode())
        paths.append(path)
    return paths
