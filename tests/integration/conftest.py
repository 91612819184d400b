"""The AWS fixtures (`aws`, `submit_api`, `route_api`, `edge`, …) live in tests/aws_account.py, shared
with tests/resilience; tests/conftest.py loads them for the whole suite."""
