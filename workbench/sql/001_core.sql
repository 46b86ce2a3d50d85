-- Core tables of every workspace (DESIGN.md, Core tables).
CREATE TABLE IF NOT EXISTS runs (
    run_id        VARCHAR PRIMARY KEY,
    pipeline      VARCHAR NOT NULL,
    contract      JSON NOT NULL,
    contract_hash VARCHAR NOT NULL,
    status        VARCHAR NOT NULL,          -- running | done | failed
    started       TIMESTAMP,
    finished      TIMESTAMP,
    model         VARCHAR,
    versions      JSON
);

CREATE TABLE IF NOT EXISTS stages (
    run_id        VARCHAR NOT NULL,
    stage         VARCHAR NOT NULL,
    position      INTEGER NOT NULL,
    status        VARCHAR NOT NULL,          -- pending | running | done | failed | skipped
    inputs_hash   VARCHAR,
    outputs_hash  VARCHAR,
    rows_in       BIGINT,
    rows_out      BIGINT,
    started       TIMESTAMP,
    finished      TIMESTAMP,
    seconds       DOUBLE,
    error         VARCHAR,
    attempts      INTEGER DEFAULT 0,
    PRIMARY KEY (run_id, stage)
);

CREATE SEQUENCE IF NOT EXISTS ledger_seq;
CREATE TABLE IF NOT EXISTS ledger (
    event_id         BIGINT DEFAULT nextval('ledger_seq') PRIMARY KEY,
    run_id           VARCHAR,
    stage            VARCHAR,
    event            VARCHAR NOT NULL,       -- llm_call | cache_hit | offline_answer | skip | stage | …
    decision         VARCHAR,                -- accept | hold | fix | reject | retry | escalate | …
    provider         VARCHAR,
    model            VARCHAR,
    prompt_hash      VARCHAR,
    tokens_in        BIGINT,
    tokens_out       BIGINT,
    usd              DOUBLE,
    latency_ms       DOUBLE,
    status           VARCHAR,
    attempts         INTEGER,
    pii_mask_applied BOOLEAN,
    error_code       VARCHAR,
    detail           JSON,
    "at"             TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS input_files (
    run_id  VARCHAR NOT NULL,
    path    VARCHAR NOT NULL,
    size    BIGINT,
    sha256  VARCHAR,
    PRIMARY KEY (run_id, path)
);

CREATE TABLE IF NOT EXISTS cache (
    namespace  VARCHAR NOT NULL,
    key        VARCHAR NOT NULL,
    value      JSON,
    size_bytes BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP,
    last_used  TIMESTAMP NOT NULL,
    hits       BIGINT DEFAULT 0,
    PRIMARY KEY (namespace, key)
);

CREATE TABLE IF NOT EXISTS pii_audit (
    run_id      VARCHAR,
    stage       VARCHAR,
    source      VARCHAR,
    entity_type VARCHAR NOT NULL,
    count       BIGINT NOT NULL,
    action      VARCHAR NOT NULL,            -- redact | pseudonymize | block | detect
    "at"        TIMESTAMP
);

CREATE TABLE IF NOT EXISTS quarantine (
    run_id         VARCHAR,
    stage          VARCHAR,
    source         VARCHAR,
    locator        VARCHAR,
    reason         VARCHAR NOT NULL,
    masked_preview VARCHAR,
    "at"           TIMESTAMP
);
