"""``trace_eval`` as a service: authenticated trace ingestion into an append-only SQLite store.

- ``store``: the SQLite trace store (WAL, ``synchronous=FULL``), organizations and API keys, and
  the read-only reader the batch pipeline uses (``--param source=store``);
- ``ingestion``: requests' traces parsed, tier-1 evaluated (raw-text modules before
  masking), masked and stored, several requests in one evaluation and one transaction;
- ``coalesce``: the ingestion worker that micro-batches concurrent requests;
- ``limits``: service settings and the per-organization token bucket;
- ``api``: the FastAPI app and ``serve`` (``workbench serve trace_eval``).
"""
