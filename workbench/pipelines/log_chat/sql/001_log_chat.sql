-- Tables of the log_chat pipeline. Every text column holds masked text only.
CREATE TABLE IF NOT EXISTS log_chat_answers (
    run_id       VARCHAR NOT NULL,
    question_no  INTEGER NOT NULL,
    question     VARCHAR NOT NULL,          -- masked
    answer       VARCHAR,                   -- masked
    tool_calls   JSON,                      -- [{name, arguments, rows, cached, masked}]
    model        VARCHAR,
    source       VARCHAR NOT NULL,          -- model | offline
    status       VARCHAR,                   -- ok | cached | offline | partial | skipped
    tokens       BIGINT,
    usd          DOUBLE,
    masked       JSON,                      -- counts per entity type, never values
    PRIMARY KEY (run_id, question_no)
);

CREATE TABLE IF NOT EXISTS log_chat_templates (
    run_id          VARCHAR NOT NULL,
    log_group       VARCHAR NOT NULL,
    template_id     VARCHAR NOT NULL,
    template        VARCHAR NOT NULL,       -- values redacted before mining
    count           BIGINT NOT NULL,
    first_seen      TIMESTAMP,
    last_seen       TIMESTAMP,
    example_masked  VARCHAR,
    previous        BIGINT,                 -- count in the previous window of equal length
    is_new          BOOLEAN,
    spike           BOOLEAN,
    PRIMARY KEY (run_id, log_group, template_id)
);
