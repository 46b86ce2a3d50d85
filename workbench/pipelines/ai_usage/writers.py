"""Report artifacts: the Excel workbook, dashboard.json and the sanitized events CSV.

dashboard.json schema ("ai_usage.dashboard/1"), every key always present:
  schema, run_id, model       str
  totals      {events, bytes_out, bytes_in, users, signatures, ai_signatures, ai_events,
               ai_bytes_out, unknown_signatures}                         ints
  selection   {A, B, C, none, seed, sample_rate, cache_hit_ratio}
  services    [{service, vendor, category, risk_level, events, bytes_out, bytes_in, users}]
  categories  [{category, events, bytes_out, users}]
  departments [{department, events, bytes_out, users}]
  days        [{date "YYYY-MM-DD", category, events, bytes_out}]
  unknowns    [{url_signature, host, path_template, events, bytes_out, selection}]
  audit       {quarantined, pii_masked {entity_type: count}, llm_usd, llm_calls, sources}
Users appear only as pseudonyms; no raw user name, e-mail, phone or SSN is written.
"""
from __future__ import annotations

from pathlib import Path

import polars as pl

SCHEMA_ID = "ai_usage.dashboard/1"
CSV_COLUMNS = ("ts", "date", "vendor", "user", "department", "client_ip", "method", "scheme",
               "host", "port", "path", "query", "url_signature", "status", "bytes_out",
               "bytes_in", "action", "is_ai", "service", "category", "risk_level")


def write_workbook(path: Path, sheets: dict[str, pl.DataFrame]) -> Path:
    """Write the aggregated sheets with xlsxwriter in constant-memory mode; return the path."""
    from ...report import write_excel

    return write_excel(path, sheets)


def write_dashboard(path: Path, data: dict) -> Path:
    """Write dashboard.json (deterministic: sorted keys); return the path."""
    from ...report import write_json

    missing = {"schema", "run_id", "model", "totals", "selection", "services", "categories",
               "departments", "days", "unknowns", "audit"} - set(data)
    if missing:
        raise ValueError(f"dashboard is missing {sorted(missing)}")
    return write_json(path, data)


def write_events_csv(con, path: Path, events_sql: str) -> int:
    """Stream the sanitized events (masked columns joined with classification) to CSV."""
    cols = ", ".join(f'e."{c}"' if c not in ("is_ai", "service", "category", "risk_level")
                     else f's."{c}"' for c in CSV_COLUMNS)
    con.sql(f"COPY (SELECT {cols} FROM {events_sql} e LEFT JOIN sigs s USING (url_signature) "
            f"ORDER BY e.ts, e.source_file, e.line_number) TO '{path}' (HEADER, DELIMITER ',')")
    return con.sql(f"SELECT count(*) FROM {events_sql}").fetchone()[0]
