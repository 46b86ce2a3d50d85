"""The ``migration`` pipeline (seed 001): catalog → domains → mapping → analysis of a legacy source."""
