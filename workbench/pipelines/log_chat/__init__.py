"""The ``log_chat`` pipeline: questions about local and CloudWatch logs, answered with masked evidence."""
