CREATE TABLE IF NOT EXISTS toy_totals (run_id VARCHAR, total BIGINT);
