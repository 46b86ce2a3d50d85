"""Line headers of common log formats, recognised so that only the message decides the template.

A header (timestamp, host, level, process and pid, thread, logger, request ids) varies in ways
that have nothing to do with the message: thread names, hosts without digits, alert flags, an
optional request context. :data:`HEADER` is one anchored regex over the line's bytes with one
alternative per format; the miner runs it only on lines it has not seen the shape of, and the
matched header becomes a single ``<*>`` in the template.

Formats: syslog (``Jun 14 15:16:01 host proc[pid]: ``, also after an epoch/date prefix), ISO
timestamp + level (+ ``[thread]``) + logger, ``yy/mm/dd`` and ``yymmdd hhmmss pid`` + level +
logger, Android logcat, Apache error log, Windows CBS, OpenStack, pipe-separated
``time|component|pid|``, bracketed ``[mm.dd hh:mm:ss] program - ``, supercomputer RAS lines and
node state tables.
"""
from __future__ import annotations

import re

_TIME = rb"\d\d:\d\d:\d\d"
_SYSLOG = rb"[A-Z][a-z]{2} [ \d]?\d " + _TIME + rb" \S+ [^:\[\n]{1,80}?(?:\[\d+\])?: "
_FORMATS = (
    _SYSLOG,
    rb"\S+ \d{9,10} \d{4}\.\d\d\.\d\d \S+ " + _SYSLOG,
    (rb"\S+ \d{9,10} \d{4}\.\d\d\.\d\d \S+ \d{4}-\d\d-\d\d-\d\d\.\d\d\.\d\d\.\d+ \S+ [A-Z]+ "
    rb"[A-Z]+ [A-Z]+ "),
    rb"\d{4}-\d\d-\d\d[ T]" + _TIME + rb"[,.]\d+ - [A-Z]+ +\[.*?\] - ",
    rb"\d{4}-\d\d-\d\d[ T]" + _TIME + rb"(?:[,.]\d+)? [A-Z]+ \[[^\]]*\] [^\s:]+: ",
    rb"\S+ \d{4}-\d\d-\d\d " + _TIME + rb"\.\d+ \d+ [A-Z]+ \S+ (?:\[[^\]]*\] )?",
    rb"\d{4}-\d\d-\d\d " + _TIME + rb", [A-Za-z]+ +[A-Za-z]+ +",
    rb"\d{4}-\d\d-\d\d[ T]" + _TIME + rb"(?:[,.]\d+)?(?:Z|[+-]\d\d:?\d\d)? +\[?[A-Z]{4,8}\]? +",
    rb"\d\d/\d\d/\d\d " + _TIME + rb" [A-Z]+ [^\s:]+: ",
    rb"\d{6} \d{6} \d+ [A-Z]+ [^\s:]+: ",
    rb"\d\d-\d\d " + _TIME + rb"\.\d+ +\d+ +\d+ [VDIWEFA] [^:\n]{0,80}?: ",
    rb"\[[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d " + _TIME + rb" \d{4}\] \[[a-z]+\] ",
    rb"\[\d\d\.\d\d " + _TIME + rb"\] [^\n]{1,80}? - ",
    rb"\d{8}-\d\d?:\d\d?:\d\d?:\d+\|[^|\n]*\|\d+\|",
    rb"\d+ \S+ \S+ \S+ \d{9,10} \d+ ",
)
HEADER = re.compile(b"(?:" + b"|".join(_FORMATS) + b")")


def header_end(data: bytes) -> int:
    """Return where the message starts in a line's bytes (0 when no known header is found).

    >>> line = b"081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 done"
    >>> line[header_end(line):]
    b'PacketResponder 1 done'
    >>> header_end(b"PacketResponder 1 done")
    0
    """
    m = HEADER.match(data)
    return m.end() if m else 0
