-- Tables of the aml pipeline. Bulk outputs (features, all scores) live in the Parquet lake.
CREATE TABLE IF NOT EXISTS aml_models (
    run_id        VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,          -- alert_scorer | alert_ranker | cluster_scorer
    version       VARCHAR,
    path          VARCHAR,
    model_sha256  VARCHAR,
    data_hash     VARCHAR,
    metrics       JSON,
    trained_at    VARCHAR,
    PRIMARY KEY (run_id, kind)
);

CREATE TABLE IF NOT EXISTS aml_top_alerts (
    run_id     VARCHAR NOT NULL,
    alert_id   VARCHAR NOT NULL,
    rank       BIGINT NOT NULL,
    score      DOUBLE NOT NULL,
    cluster_id VARCHAR,
    reasons    VARCHAR,
    model_sha256 VARCHAR,
    PRIMARY KEY (run_id, alert_id)
);
