-- Tables of the migration pipeline (seed 001 §9-§13). One row set per run; a stage replaces its
-- run's rows, so a re-executed stage writes nothing twice. Values never appear here: evidence
-- holds counts, rates, header tokens and masked sketches only.
CREATE TABLE IF NOT EXISTS migration_catalog (
    run_id            VARCHAR NOT NULL,
    source_table      VARCHAR NOT NULL,
    source_column     VARCHAR NOT NULL,   -- standardized header (shim)
    raw_name          VARCHAR NOT NULL,   -- the header as the source wrote it
    position          INTEGER NOT NULL,
    dtype             VARCHAR NOT NULL,   -- string | integer | float | boolean | date | timestamp
    physical_type     VARCHAR,            -- the source's own type (CSV: text)
    nullable          BOOLEAN NOT NULL,
    null_count        BIGINT,
    row_count         BIGINT,
    distinct_estimate BIGINT,
    is_key            BOOLEAN NOT NULL DEFAULT false,
    semantic_hints    VARCHAR,            -- JSON list
    shim              VARCHAR,            -- JSON: the standardization DSL plan of the column
    catalog_version   VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS migration_domains (
    run_id            VARCHAR NOT NULL,
    side              VARCHAR NOT NULL DEFAULT 'source',  -- source | target
    source_table      VARCHAR NOT NULL,
    source_column     VARCHAR NOT NULL,
    domain            VARCHAR,            -- NULL: unknown
    score             DOUBLE NOT NULL,
    band              VARCHAR NOT NULL,   -- high | borderline | low
    evidence          VARCHAR,            -- JSON: components, header tokens, regex hits, units, alternatives
    decided_by        VARCHAR NOT NULL,   -- rules | model:<id> | human:<user>
    catalog_version   VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS migration_matches (
    run_id            VARCHAR NOT NULL,
    source_table      VARCHAR NOT NULL,
    source_column     VARCHAR NOT NULL,
    target_table      VARCHAR NOT NULL,
    target_column     VARCHAR NOT NULL,
    score             DOUBLE NOT NULL,
    rank              INTEGER NOT NULL,   -- 1 = best target for this source column
    evidence          VARCHAR             -- JSON: name, domain, type, unit, value, table parts
);

CREATE TABLE IF NOT EXISTS migration_mappings (
    run_id            VARCHAR NOT NULL,
    target_table      VARCHAR NOT NULL,
    target_column     VARCHAR NOT NULL,
    strategy          VARCHAR NOT NULL,   -- atomic | compose | decompose | unit | type | unmapped
    source_columns    VARCHAR NOT NULL,   -- JSON list of "table.column"
    dsl               VARCHAR,            -- JSON Transform DSL plan
    dsl_hash          VARCHAR,
    "sql"             VARCHAR,            -- DuckDB SQL expression
    polars            VARCHAR,            -- Polars expression (repr)
    confidence        DOUBLE NOT NULL,
    success_rate      DOUBLE,             -- data_mode: on the Sample Pack
    near_rate         DOUBLE,
    decision          VARCHAR NOT NULL,   -- accept | hold | fix
    rationale         VARCHAR NOT NULL,
    decided_by        VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS migration_analysis (
    run_id            VARCHAR NOT NULL,
    "check"           VARCHAR NOT NULL,
    target_table      VARCHAR,
    target_column     VARCHAR,
    status            VARCHAR NOT NULL,   -- pass | warn | fail | info
    value             DOUBLE,
    threshold         DOUBLE,
    detail            VARCHAR NOT NULL,
    recommendation    VARCHAR
);
