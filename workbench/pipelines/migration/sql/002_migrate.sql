-- The migrate stage (seed 001 §14, §16, §37, §44, §45). The target database holds the truth:
-- `_workbench_chunks`, `_workbench_steps` and `_workbench_quarantine` are written there in the
-- same transaction as the rows they describe, so a kill can never separate them; these tables
-- mirror them for reports and the CLI. No value appears here: previews are masked.
CREATE TABLE IF NOT EXISTS migration_chunks (
    run_id            VARCHAR NOT NULL,
    stage             VARCHAR NOT NULL,   -- migrate
    target_table      VARCHAR NOT NULL,
    chunk_id          VARCHAR NOT NULL,   -- <table>:<n>, unique in the run (idempotency key)
    chunk_no          INTEGER NOT NULL,
    chunks            INTEGER NOT NULL,   -- N chunks of the table
    content_hash      VARCHAR,            -- SHA-256 of the count, sum and xor of the row hashes (key, target columns): order-independent
    started_at        TIMESTAMP,
    finished_at       TIMESTAMP,
    row_count_in      BIGINT,
    row_count_out     BIGINT,
    quarantined       BIGINT,
    validations       VARCHAR,            -- JSON: row_count, checksum, not_null, types, enums, unique_key
    status            VARCHAR NOT NULL,   -- done | failed
    next_action       VARCHAR,
    strategy          VARCHAR,            -- elt | etl
    target_url        VARCHAR             -- password hidden
);

CREATE TABLE IF NOT EXISTS migration_steps (
    run_id            VARCHAR NOT NULL,
    target_table      VARCHAR NOT NULL,   -- '*' for run-wide steps
    step              VARCHAR NOT NULL,   -- plan | transform | apply | fk_check | validate | promote | rollback | release
    status            VARCHAR NOT NULL,
    detail            VARCHAR,            -- JSON
    "at"              TIMESTAMP,
    target_url        VARCHAR
);
