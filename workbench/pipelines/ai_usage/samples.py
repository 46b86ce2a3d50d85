"""Deterministic sample proxy logs for all five vendors, with PII in URLs and a few bad lines."""
from __future__ import annotations

import json
import random
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

START = datetime(2025, 3, 3, tzinfo=UTC)  # a Monday; samples cover one week
DEPARTMENTS = ("Engineering", "Finance", "Legal", "Marketing", "Sales", "HR")
FIRST = ("jane", "john", "maria", "wei", "amir", "olga", "pedro", "fatima", "lars", "keiko",
         "noah", "emma", "liam", "sofia", "yusuf", "ines")
LAST = ("doe", "smith", "garcia", "chen", "haddad", "ivanova", "silva", "khan", "berg", "sato")
UA = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/122.0 Safari/537.36",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 Version/17.3 Safari/605.1",
      "python-requests/2.31.0", "curl/8.5.0", "Code/1.87.0 (VS Code) copilot/1.170")

# (host, path generator kind, weight): AI services, ordinary sites and a few hosts the catalog
# does not know (they must stay "unknown" offline)
HOSTS: tuple[tuple[str, str, int], ...] = (
    ("chatgpt.com", "chat", 30), ("chat.openai.com", "chat", 8), ("api.openai.com", "api", 14),
    ("claude.ai", "chat", 12), ("api.anthropic.com", "api", 8), ("gemini.google.com", "chat", 10),
    ("copilot.microsoft.com", "chat", 6), ("api.githubcopilot.com", "api", 8),
    ("huggingface.co", "hub", 6), ("www.perplexity.ai", "search", 6), ("api.mistral.ai", "api", 3),
    ("www.midjourney.com", "image", 3), ("elevenlabs.io", "audio", 2), ("www.deepl.com", "chat", 4),
    ("poe.com", "chat", 2), ("api.cohere.com", "api", 1), ("character.ai", "chat", 1),
    ("www.google.com", "search", 40), ("mail.google.com", "mail", 20),
    ("docs.google.com", "docs", 12), ("outlook.office365.com", "mail", 20),
    ("github.com", "code", 14), ("stackoverflow.com", "code", 8), ("www.bbc.co.uk", "news", 8),
    ("intranet.acme.example", "docs", 10), ("cdn.jsdelivr.net", "static", 10),
    ("api.obscure-llm-startup.io", "api", 2), ("ml.vendor-unknown.net", "api", 1),
)


def _people(rng: random.Random, n: int = 40) -> list[dict]:
    out = []
    for i in range(n):
        first, last = FIRST[i % len(FIRST)], LAST[(i * 7) % len(LAST)]
        out.append({"login": f"{first}.{last}", "email": f"{first}.{last}@acme.example",
                    "dept": DEPARTMENTS[i % len(DEPARTMENTS)], "ip": f"10.20.{i // 50}.{10 + i}",
                    "phone": f"+1-415-555-{1000 + i:04d}", "ua": UA[rng.randrange(len(UA))]})
    return out


def _path(rng: random.Random, kind: str, person: dict) -> tuple[str, str]:
    """Return (path, query) of a plausible request; some carry PII on purpose."""
    uid = str(uuid.UUID(int=rng.getrandbits(128)))
    if kind == "chat":
        choices = [(f"/c/{uid}", ""), ("/backend-api/conversation", ""),
                   ("/api/share", f"email={person['email'].replace('@', '%40')}"),
                   (f"/app/{uid.replace('-', '')[:16]}", "hl=en&utm_source=newsletter")]
    elif kind == "api":
        choices = [("/v1/chat/completions", ""), ("/v1/messages", ""), ("/v1/embeddings", ""),
                   (f"/v1/files/file-{uid[:12]}", ""), ("/v1/models", "")]
    elif kind == "hub":
        choices = [("/meta-llama/Llama-3.1-8B/resolve/main/config.json", ""),
                   (f"/api/models/{rng.randrange(10**6)}", ""), ("/spaces/acme/demo", "")]
    elif kind == "search":
        choices = [("/search", f"q=quarterly+report+{rng.randrange(99)}&utm_campaign=x"),
                   ("/search", f"q=contact+{person['phone']}"), ("/", "")]
    elif kind == "image":
        choices = [(f"/jobs/{uid}", ""), ("/imagine", "")]
    elif kind == "audio":
        choices = [(f"/v1/text-to-speech/{uid[:20]}", ""), ("/app/speech-synthesis", "")]
    elif kind == "mail":
        choices = [(f"/mail/u/0/{rng.randrange(10**9)}", f"to={person['email']}"),
                   ("/owa/", "path=/mail/inbox")]
    elif kind == "code":
        choices = [(f"/acme/repo{rng.randrange(20)}/pull/{rng.randrange(5000)}", ""),
                   (f"/questions/{rng.randrange(10**8)}/how-to", "")]
    elif kind == "docs":
        choices = [(f"/document/d/{uid.replace('-', '')}/edit", ""),
                   ("/hr/profile", f"ssn=123-45-{6000 + rng.randrange(999)}&name={person['login']}")]
    else:
        choices = [(f"/npm/pkg@{rng.randrange(9)}.{rng.randrange(9)}.0/dist/x.min.js", ""),
                   (f"/news/article-{rng.randrange(10**7)}", "")]
    return choices[rng.randrange(len(choices))]


def generate_events(n: int, seed: int = 1) -> list[dict]:
    """Return ``n`` deterministic canonical-ish events spread over one week."""
    rng = random.Random(seed)
    people = _people(rng)
    hosts, weights = [h[:2] for h in HOSTS], [h[2] for h in HOSTS]
    events = []
    for i in range(n):
        p = people[min(int(rng.expovariate(1 / 8)), len(people) - 1)]
        host, kind = rng.choices(hosts, weights)[0]
        path, query = _path(rng, kind, p)
        ts = START + timedelta(seconds=rng.randrange(7 * 86400), milliseconds=rng.randrange(1000))
        up = int(rng.lognormvariate(7, 1.2))
        if i % 997 == 1:  # a burst: one person uploads megabytes to a chat assistant (Zscaler)
            p, host, kind = people[0], "chatgpt.com", "chat"
            path, query = "/backend-api/files", ""
            up = 5_000_000 + rng.randrange(1_000_000)
        events.append({"ts": ts, "person": p, "host": host, "path": path, "query": query,
                       "method": "POST" if kind in ("api", "chat") and rng.random() < .6 else "GET",
                       "status": rng.choice((200, 200, 200, 200, 204, 302, 403, 404)),
                       "bytes_out": up, "bytes_in": int(rng.lognormvariate(9, 1.5)),
                       "blocked": host.endswith("character.ai")})
    return sorted(events, key=lambda e: e["ts"])


def _url(e: dict, scheme: str = "https") -> str:
    q = f"?{e['query']}" if e["query"] else ""
    return f"{scheme}://{e['host']}{e['path']}{q}"


def squid_line(e: dict) -> str:
    """Return one Squid native access.log line."""
    p = e["person"]
    code = "TCP_DENIED" if e["blocked"] else "TCP_MISS"
    return (f"{e['ts'].timestamp():.3f} {int(e['bytes_in']) % 5000:6d} {p['ip']} {code}/{e['status']}"
            f" {e['bytes_in']} {e['method']} {_url(e)} {p['login']} HIER_DIRECT/{e['host']}"
            f" text/html")


def _zscaler(e: dict) -> str:
    p = e["person"]
    q = f"?{e['query']}" if e["query"] else ""
    ev = {"datetime": e["ts"].strftime("%a %b %d %H:%M:%S %Y"), "user": p["email"],
          "department": p["dept"], "clientip": p["ip"], "protocol": "HTTPS",
          "url": f"{e['host']}{e['path']}{q}", "requestmethod": e["method"],
          "status": str(e["status"]), "requestsize": str(e["bytes_out"]),
          "responsesize": str(e["bytes_in"]), "action": "Blocked" if e["blocked"] else "Allowed",
          "useragent": p["ua"], "urlcategory": "General"}
    return json.dumps({"sourcetype": "zscalernss-web", "event": ev})


BLUECOAT_FIELDS = ("date time time-taken c-ip cs-username cs-auth-group s-action sc-status "
                   "cs-method cs-uri-scheme cs-host cs-uri-port cs-uri-path cs-uri-query cs-bytes "
                   "sc-bytes cs(User-Agent)")


def _bluecoat(e: dict) -> str:
    p = e["person"]
    q = f"?{e['query']}" if e["query"] else "-"
    return (f"{e['ts']:%Y-%m-%d %H:%M:%S} 120 {p['ip']} {p['login']} {p['dept']} "
            f"{'TCP_DENIED' if e['blocked'] else 'TCP_NC_MISS'} {e['status']} {e['method']} https "
            f"{e['host']} 443 {e['path']} {q} {e['bytes_out']} {e['bytes_in']} \"{p['ua']}\"")


def _netskope(e: dict) -> str:
    p = e["person"]
    q = f"?{e['query']}" if e["query"] else ""
    return json.dumps({"timestamp": int(e["ts"].timestamp()), "type": "page",
                       "access_method": "Client", "user": p["email"], "department": p["dept"],
                       "srcip": p["ip"], "url": f"{e['host']}{e['path']}{q}",
                       "http_method": e["method"], "http_status": e["status"],
                       "client_bytes": e["bytes_out"], "server_bytes": e["bytes_in"],
                       "action": "block" if e["blocked"] else "allow", "useragent": p["ua"],
                       "appcategory": "Generative AI" if "ai" in e["host"] else "General"})


def _paloalto(e: dict) -> str:
    p = e["person"]
    cells = [""] * 61
    local = e["ts"].astimezone(UTC)
    q = f"?{e['query']}" if e["query"] else ""
    cells[0], cells[1], cells[2], cells[3], cells[4] = "1", f"{local:%Y/%m/%d %H:%M:%S}", \
        "012801000001", "THREAT", "url"
    cells[6] = cells[1]
    cells[7], cells[8], cells[12] = p["ip"], "198.51.100.7", f"acme\\{p['login']}"
    cells[24], cells[25], cells[29] = "51514", "443", "tcp"
    cells[30] = "block-url" if e["blocked"] else "alert"
    cells[31] = f"\"{e['host']}{e['path']}{q}\""
    cells[33], cells[46] = "computer-and-internet-info", f"\"{p['ua']}\""
    cells[60] = e["method"].lower()
    return ",".join(cells)


BAD_LINES = {
    "squid": ["1741000000.000 garbage line without fields", "not a squid line at all"],
    "zscaler": ['{"sourcetype":"zscalernss-web","event":{"datetime":"Mon Mar', "<html>oops</html>"],
    "bluecoat": ["2025-03-04 10:00:00 12 10.20.0.10 only-four-fields"],
    "netskope": ['{"timestamp": "yesterday", "url": "chatgpt.com/c/x", "user": "x"}', "{broken"],
    "paloalto": ["1,2025/03/04 10:00:00,0128,THREAT,url,short"],
}


def write_samples(out_dir: Path, lines: int = 3000, seed: int = 1) -> list[Path]:
    """Write one log per vendor (all five) under ``out_dir``; return their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    events = generate_events(lines, seed)
    per = {v: events[i::5] for i, v in enumerate(("squid", "zscaler", "bluecoat", "netskope",
                                                   "paloalto"))}
    files = {
        "squid": ("squid_access.log", ["# squid access.log rotated 2025-03-10"],
                  [squid_line(e) for e in per["squid"]]),
        "zscaler": ("zscaler_nss_web.jsonl", [], [_zscaler(e) for e in per["zscaler"]]),
        "bluecoat": ("bluecoat_proxysg.log",
                     ["#Software: SGOS 7.3.16.1", "#Version: 1.0", "#Date: 2025-03-03 00:00:00",
                      f"#Fields: {BLUECOAT_FIELDS}"], [_bluecoat(e) for e in per["bluecoat"]]),
        "netskope": ("netskope_transactions.jsonl", [], [_netskope(e) for e in per["netskope"]]),
        "paloalto": ("paloalto_url.csv", [], [_paloalto(e) for e in per["paloalto"]]),
    }
    paths = []
    for vendor, (name, head, body) in files.items():
        bad = BAD_LINES[vendor]
        for j, b in enumerate(bad):  # spread malformed lines through the file
            body.insert(min(len(body), (j + 1) * max(1, len(body) // (len(bad) + 1))), b)
        if vendor == "squid":
            body.insert(len(body) // 2, "")
        path = out_dir / name
        path.write_text("\n".join([*head, *body]) + "\n")
        paths.append(path)
    return paths


def write_squid_log(path: Path, lines: int, seed: int = 1, block: int = 200_000,
                    cache_busters: bool = False) -> Path:
    """Write a large Squid log in blocks (for the benchmark); return its path.

    ``cache_busters``: every URL gets a query value of its own (``_cb=<line>``), as when
    clients defeat caches: then nearly every event has a distinct URL.
    """
    pool = [squid_line(e) for e in generate_events(min(lines, block), seed)]
    rng = random.Random(seed)
    with open(path, "w") as fh:
        written = 0
        while written < lines:
            n = min(block, lines - written)
            start = rng.randrange(len(pool))
            chunk = (pool[start:] + pool[:start])[:n] if n <= len(pool) else pool * (n // len(pool))
            if cache_busters:
                chunk = [_bust(line, written + i) for i, line in enumerate(chunk)]
            fh.write("\n".join(chunk) + "\n")
            written += len(chunk)
    return path


def _bust(line: str, n: int) -> str:
    f = line.split(" ")
    i = next((k for k, v in enumerate(f) if "://" in v), None)  # the URL (CONNECT: host:port)
    if i is not None:
        f[i] += f"{'&' if '?' in f[i] else '?'}_cb={n}"
    return " ".join(f)
