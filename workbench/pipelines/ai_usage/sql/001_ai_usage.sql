-- ai_usage: per-run signature table and the cross-run classification cache.
CREATE TABLE IF NOT EXISTS ai_usage_signatures (
    run_id           VARCHAR NOT NULL,
    url_signature    VARCHAR NOT NULL,
    host             VARCHAR,
    path_template    VARCHAR,
    query_keys       VARCHAR,
    is_ai            BOOLEAN,            -- NULL: unknown
    service          VARCHAR,
    vendor           VARCHAR,
    category         VARCHAR,
    risk_level       VARCHAR,            -- low | medium | high
    confidence       DOUBLE,
    source           VARCHAR,            -- catalog | model | offline | unknown
    events           BIGINT,
    bytes_out        BIGINT,
    bytes_in         BIGINT,
    users            BIGINT,
    selection        VARCHAR,            -- A | B | C | NULL
    selection_reason VARCHAR,
    PRIMARY KEY (run_id, url_signature)
);

CREATE TABLE IF NOT EXISTS analysis_cache (
    url_signature    VARCHAR PRIMARY KEY,
    host             VARCHAR,
    path_template    VARCHAR,
    is_ai            BOOLEAN,
    service          VARCHAR,
    vendor           VARCHAR,
    category         VARCHAR,
    risk_level       VARCHAR,
    risk_reasons     JSON,
    data_exposure    VARCHAR,
    confidence       DOUBLE,
    source           VARCHAR,            -- catalog | model | offline | unknown
    status           VARCHAR NOT NULL,   -- active | unknown | skipped
    model            VARCHAR,
    task_version     VARCHAR,
    catalog_version  VARCHAR,
    error_code       VARCHAR,
    run_id           VARCHAR,
    updated_at       TIMESTAMP,
    expires_at       TIMESTAMP
);
