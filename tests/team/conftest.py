"""Team-mode tests: `pg_server` and `pg_database` live in tests/conftest.py (the project store
suite in tests/project runs on PostgreSQL too)."""

# The review workflow's team database (issue 14, part 2).
from tests.team.review_fixtures import demo_project, team_db  # noqa: F401
