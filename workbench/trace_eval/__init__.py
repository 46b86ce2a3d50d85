"""Client side of the ``trace_eval`` service: ``workbench.trace_eval.client``."""
