"""The ``trace_eval`` pipeline: LLM traces evaluated in three tiers, alerts and a report."""
