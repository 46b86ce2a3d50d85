-- Tables of the trace_eval pipeline. Text columns of trace_eval_traces hold masked text only;
-- bulk per-run outputs (all results, features) also go to the Parquet lake.
-- No primary keys: inputs may repeat a trace id (retries, the same export twice) and the alert
-- table is an append-only delivery log (one row per attempt outcome and channel).
CREATE TABLE IF NOT EXISTS trace_eval_traces (
    run_id           VARCHAR NOT NULL,
    trace_id         VARCHAR NOT NULL,
    source_format    VARCHAR NOT NULL,   -- openai_chat | otel_genai | plain
    provider         VARCHAR,            -- openai | anthropic | gcp.gemini | ... | NULL
    model            VARCHAR,
    system           VARCHAR,            -- system prompt text (masked)
    prompt           VARCHAR,            -- the user messages' text (masked)
    messages         VARCHAR,            -- JSON list of {role, content} of the input (masked)
    response         VARCHAR,            -- assistant output; tool calls as JSON text (masked)
    finish_reason    VARCHAR,            -- stop | length | tool_calls | content_filter | ...
    expected_format  VARCHAR NOT NULL DEFAULT 'text',  -- json | json_schema | text
    response_schema  VARCHAR,            -- JSON schema text when json_schema
    max_tokens       BIGINT,
    tokens_in        BIGINT,
    tokens_out       BIGINT,
    latency_ms       DOUBLE,
    cost_usd         DOUBLE,
    started_at       TIMESTAMPTZ,
    metadata         VARCHAR,            -- JSON object (masked)
    source_file      VARCHAR,
    line_no          BIGINT              -- 1-based line of source_file
);

CREATE TABLE IF NOT EXISTS trace_eval_results (
    run_id           VARCHAR NOT NULL,
    trace_id         VARCHAR NOT NULL,
    tier             INTEGER NOT NULL,   -- 1 rules | 2 risk_model | 3 llm_judge
    module           VARCHAR NOT NULL,   -- format_validity, truncation, ..., risk_model, llm_judge
    passed           BOOLEAN,            -- false: flagged; NULL: not evaluated (e.g. offline judge)
    severity         VARCHAR DEFAULT 'none',  -- none | low | medium | high | critical
    score            DOUBLE,
    reason           VARCHAR,
    module_version   VARCHAR
);

CREATE TABLE IF NOT EXISTS trace_eval_alerts (
    alert_id         VARCHAR NOT NULL,
    run_id           VARCHAR NOT NULL,
    rule             VARCHAR,
    severity         VARCHAR,            -- low | medium | high | critical
    module           VARCHAR,
    trace_ids        VARCHAR,            -- JSON list of trace ids
    count            INTEGER,
    channel          VARCHAR,            -- webhook | slack | email
    status           VARCHAR,            -- sent | failed | suppressed | rate_limited | ...
    attempts         INTEGER DEFAULT 0,
    delivered_at     TIMESTAMPTZ,        -- UTC instant of delivery
    fingerprint      VARCHAR,            -- dedup key of (rule, module, severity, ...)
    detail           VARCHAR             -- JSON, masked excerpts only
);

CREATE INDEX IF NOT EXISTS trace_eval_results_run ON trace_eval_results (run_id, module);
