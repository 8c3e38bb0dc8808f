"""Team-mode tests: `pg_server` and `pg_database` live in tests/conftest.py (the project store
suite in tests/project runs on PostgreSQL too)."""
