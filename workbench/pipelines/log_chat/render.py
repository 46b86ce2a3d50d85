"""Tool results as short Markdown a person reads (terminal, chat app, report).

>>> print(groups({"groups": [{"name": "app.log", "stored_bytes": 2048}], "total": 1}))
1 log group:
<BLANKLINE>
- `app.log` (2.0 KiB)
"""
from __future__ import annotations


def _size(n: int | None) -> str:
    if n is None:
        return ""
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return ""


def _note(result: dict) -> str:
    return f"\n_{result['note']}_" if result.get("note") else ""


def groups(result: dict) -> str:
    """Return a list of log groups as Markdown."""
    rows = result.get("groups", [])
    if not rows:
        return "No log groups found." + _note(result)
    head = f"{result.get('total', len(rows))} log group{'s' if len(rows) != 1 else ''}:\n"
    lines = [head]
    for g in rows:
        bits = [b for b in (_size(g.get("stored_bytes")),
                            f"{g['events']:,} events" if g.get("events") else "",
                            f"last {g['last']}" if g.get("last") else "") if b]
        lines.append(f"- `{g['name']}`" + (f" ({', '.join(bits)})" if bits else ""))
    return "\n".join(lines) + _note(result)


def events(result: dict, title: str = "") -> str:
    """Return fetched or searched events as Markdown (time, group, message)."""
    rows = result.get("events", [])
    head = title or "Events"
    if not rows:
        return f"{head}: no matching events." + _note(result)
    lines = [(f"{head}: {result.get('matched', len(rows)):,} matching events"
             f"{' (more exist)' if result.get('truncated') else ''}."), "```"]
    lines += [f"{e['ts']}  {e['group']}  {e['message']}" for e in rows]
    lines.append("```")
    return "\n".join(lines) + _note(result)


def summary(result: dict) -> str:
    """Return a template summary as Markdown: changes first, then the busiest templates."""
    rows = result.get("templates", [])
    where = f"`{result.get('log_group')}`"
    if not rows:
        return f"No events in {where} in that window." + _note(result)
    prev = result.get("previous_events")
    lines = [f"{where}: {result['events']:,} events in {result['templates_total']} templates"
             + (f" (previous window: {prev:,} events)" if prev is not None else "") + "."]
    new = [r for r in rows if r["new"]]
    spikes = [r for r in rows if r["spike"]]
    if new:
        lines.append(f"\n**New templates ({len(new)}):**\n")
        lines += [f"- {r['count']}× `{r['template']}` (first {r['first_seen']})" for r in new[:10]]
    if spikes:
        lines.append(f"\n**Spikes ({len(spikes)}):**\n")
        lines += [f"- {r['previous']} → {r['count']} `{r['template']}`" for r in spikes[:10]]
    lines.append("\n**Busiest templates:**\n")
    top = sorted(rows, key=lambda r: -r["count"])[:10]
    lines += [f"- {r['count']:,}× `{r['template']}`" for r in top]
    return "\n".join(lines) + _note(result)


def counts(result: dict) -> str:
    """Return counts per interval as Markdown, with the peak."""
    rows = result.get("buckets", [])
    pattern = result.get("filter_pattern") or "all events"
    if not rows:
        return f"No events matching {pattern!r} in `{result.get('log_group')}`." + _note(result)
    peak = result.get("peak") or {}
    lines = [(f"`{result['log_group']}`, {pattern!r}: {result['total']:,} events per "
             f"{result['interval']}; peak {peak.get('count', 0):,} at {peak.get('start')}."), "```"]
    top = max(r["count"] for r in rows) or 1
    lines += [f"{r['start']}  {r['count']:>7,}  {'#' * max(1, round(30 * r['count'] / top))}"
              for r in rows]
    lines.append("```")
    return "\n".join(lines) + _note(result)
