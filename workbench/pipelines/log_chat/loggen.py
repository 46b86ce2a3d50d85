"""Deterministic generator of varied logs with ground-truth template ids, in 16 systems' styles.

Each system has its own message templates (written for this generator, in the style of that kind
of system) and its own line header. ``generate(system, n, seed)`` returns ``(line, template_id)``
pairs; with ``headers=True`` each line carries the system's header (timestamps, levels, pids,
hosts, components, thread names), otherwise only the message, like Loghub's "Content" column.

Template text: ``{kind}`` is a variable drawn from the generators in ``_VARS``; ``{=A|B}`` expands
one template into one per alternative, so messages that differ only in a constant word have
different ids. Templates are picked with Zipf-like weights (a few dominate, as in real logs).
Hard cases on purpose: variables without digits (user, host, file, class and program names),
some with few distinct values (three account names shared by two templates, three dotted
property names), optional values that are sometimes empty (``()``); variable-length lists; hex ids, UUIDs, MAC and IPv6 addresses,
durations and sizes with units; one-word messages; headers whose fields vary per line.

>>> generate("openssh", 2, seed=1)[0][0].split()[0] in {"Failed", "Accepted", "Invalid",
...     "Connection", "Received", "pam_unix(sshd:auth):", "Disconnecting:", "error:",
...     "reverse", "Did", "input_userauth_request:", "PAM", "fatal:", "pam_unix(sshd:session):"}
True
>>> generate("hdfs", 3, seed=7) == generate("hdfs", 3, seed=7)
True
"""
from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Callable

from ._loggen_systems import SYSTEM_SPECS

Rng = random.Random

_NOUNS = ["alpha", "bravo", "cedar", "delta", "ember", "falcon", "garnet", "harbor", "indigo", "juniper", "kestrel", "lotus", "maple", "nectar", "onyx", "pepper", "quartz", "raven", "sierra", "tundra", "umber", "violet", "willow", "xenon", "yarrow", "zephyr", "amber", "birch", "cobalt", "dune", "elm", "fjord", "grove", "heron", "iris", "jade", "koala", "lemon", "marsh", "nova", "orchid", "pine", "quill", "reef", "sage", "thorn", "ursa", "vale", "wren", "yew", "zinc"]
_USERS = ["root", "admin", "oracle", "test", "guest", "ubuntu", "postgres", "git", "deploy", "jenkins", "backup", "ftpuser", "support", "nagios", "mysql", "www", "operator", "sysadmin", "info", "user", "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "oscar", "peggy", "trent", "victor", "walter"]
_EXTS = ("log", "conf", "json", "xml", "yaml", "txt", "db", "jar")


def _hex(r: Rng, n: int) -> str:
    return f"{r.getrandbits(4 * n):0{n}x}"


def _ip(r: Rng) -> str:
    return f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"


def _name(r: Rng) -> str:
    return r.choice(_NOUNS)


def _user(r: Rng) -> str:
    return _USERS[min(int(r.paretovariate(1.2)) - 1, len(_USERS) - 1)] if r.random() < 0.5 \
        else r.choice(_USERS)


def _time(r: Rng) -> str:
    return f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}"


_VARS: dict[str, Callable[[Rng], str]] = {
    "int": lambda r: str(r.randint(0, 99999)),
    "small": lambda r: str(r.randint(0, 9)),
    "big": lambda r: str(r.randint(10**9, 10**12)),
    "neg": lambda r: str(r.randint(-500, 500)),
    "float": lambda r: f"{r.uniform(0, 1000):.{r.randint(1, 4)}f}",
    "pct": lambda r: f"{r.uniform(0, 100):.1f}%",
    "port": lambda r: str(r.randint(1024, 65535)),
    "ip": _ip,
    "ipport": lambda r: f"{_ip(r)}:{r.randint(1024, 65535)}",
    "ipv6": lambda r: ":".join(_hex(r, 4) for _ in range(8)),
    "mac": lambda r: ":".join(_hex(r, 2) for _ in range(6)),
    "blk": lambda r: f"blk_{r.choice(['', '-'])}{r.randint(10**17, 10**19)}",
    "hex8": lambda r: _hex(r, 8),
    "hex32": lambda r: _hex(r, 32),
    "addr": lambda r: f"0x{_hex(r, 8)}",
    "uuid": lambda r: "-".join(_hex(r, k) for k in (8, 4, 4, 4, 12)),
    "dur": lambda r: r.choice([f"{r.randint(1, 999)}ms", f"{r.uniform(0, 60):.3f}s",
                               f"{r.randint(1, 59)}m{r.randint(0, 59)}s"]),
    "size": lambda r: f"{r.randint(1, 4096)}{r.choice(['KB', 'MB', 'GB', 'B'])}",
    "date": lambda r: f"2024-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
    "time": _time,
    "user": _user,
    "name": _name,
    "host": lambda r: (f"{_name(r)}-{r.randint(1, 40):02d}.example.net" if r.random() < 0.7
                       else f"{r.choice(_NOUNS[:12])}.{_name(r)}.example.net"),
    "envkey": lambda r: r.choice(("os.name", "os.arch", "user.name", "user.dir", "java.home")),
    "node": lambda r: f"node-{r.randint(1, 400)}",
    "cls": lambda r: f"org.acme.{_name(r)}.{_name(r).title()}{_name(r).title()}",
    "file": lambda r: f"/var/lib/{_name(r)}/{_name(r)}.{r.choice(_EXTS)}",
    "dpath": lambda r: f"/data/{_name(r)}/{r.randint(1, 99999)}/part-{r.randint(0, 999):05d}",
    "url": lambda r: f"https://{_name(r)}.example.com/api/v{r.randint(1, 3)}/{_hex(r, 12)}",
    "job": lambda r: f"job_{r.randint(10**12, 10**13)}_{r.randint(1, 9999):04d}",
    "attempt": lambda r: f"attempt_{r.randint(10**12, 10**13)}_{r.randint(1, 99):04d}_m_"
                         f"{r.randint(0, 999):06d}_{r.randint(0, 3)}",
    "ints": lambda r: " ".join(str(r.randint(0, 4096)) for _ in range(r.randint(1, 8))),
    "csv": lambda r: ",".join(str(r.randint(0, 999)) for _ in range(r.randint(1, 6))),
    "ips": lambda r: " ".join(_ip(r) + ":50010" for _ in range(r.randint(1, 3))),
    "acct": lambda r: r.choice(("mailer", "printer", "archiver")),
    "opthost": lambda r: "" if r.random() < 0.4 else f"{_name(r)}.example.net",
    "prop": lambda r: r.choice(("ui.clock.seconds", "ui.battery.percent", "ui.status.owner")),
    "prog": lambda r: r.choice(("chrome.exe", "firefox.exe", "outlook.exe", "slack.exe",
                                "teams.exe", "svchost.exe", "git.exe", "python.exe",
                                "code.exe", "zoom.exe")),
}
_FIELD = re.compile(r"\{(=[^}]*|\w+)\}")


def _expand(text: str) -> list[str]:
    m = re.search(r"\{=([^}]*)\}", text)
    if not m:
        return [text]
    out: list[str] = []
    for alt in m.group(1).split("|"):
        out.extend(_expand(text[:m.start()] + alt + text[m.end():]))
    return out


def _templates(system: str) -> list[tuple[str, str]]:
    spec = SYSTEM_SPECS[system]
    comps = spec["components"]
    out: list[tuple[str, str]] = []
    for i, text in enumerate(spec["templates"]):
        for t in _expand(text):
            out.append((t, comps[i % len(comps)]))
    return out


SYSTEMS: tuple[str, ...] = tuple(SYSTEM_SPECS)


def templates(system: str) -> list[str]:
    """Return the ground-truth template texts of a system, indexed by template id."""
    return [_FIELD.sub("<*>", t) for t, _ in _templates(system)]


def generate(system: str, n: int, seed: int = 0, *,
             headers: bool = False) -> list[tuple[str, int]]:
    """Return ``n`` (line, template id) pairs of one system's logs, the same for the same seed."""
    if system not in SYSTEM_SPECS:
        raise ValueError(f"unknown system {system!r}; choose one of {', '.join(SYSTEMS)}")
    r = random.Random(f"{system}:{seed}")
    tmpls = _templates(system)
    order = list(range(len(tmpls)))
    r.shuffle(order)
    weights = [0.0] * len(tmpls)
    for rank, tid in enumerate(order):
        weights[tid] = 1.0 / (rank + 1) ** 1.1
    header = SYSTEM_SPECS[system]["header"]
    clock = 1_700_000_000 + r.randint(0, 10**7)
    out: list[tuple[str, int]] = []
    for tid in r.choices(range(len(tmpls)), weights=weights, k=n):
        text, comp = tmpls[tid]
        msg = _FIELD.sub(lambda m: _VARS[m.group(1)](r), text)
        if headers:
            clock += r.randint(0, 3)
            msg = header(r, clock, comp) + msg
        out.append((msg, tid))
    return out


def grouping_accuracy(predicted: list, truth: list) -> float:
    """Return Loghub's grouping accuracy: the share of lines whose predicted group is exactly
    their true group (1.0 for no lines).

    >>> grouping_accuracy(["a", "a", "b"], [1, 1, 2]), grouping_accuracy(["a", "a", "a"], [1, 1, 2])
    (1.0, 0.0)
    """
    groups: dict = defaultdict(list)
    size: dict = defaultdict(int)
    for i, (p, t) in enumerate(zip(predicted, truth, strict=True)):
        groups[p].append(i)
        size[t] += 1
    ok = 0
    for members in groups.values():
        kinds = {truth[i] for i in members}
        if len(kinds) == 1 and size[kinds.pop()] == len(members):
            ok += len(members)
    return ok / len(truth) if truth else 1.0
