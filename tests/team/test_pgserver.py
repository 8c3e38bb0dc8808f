"""The throw-away server the team tests run against starts and serves SQL."""

from __future__ import annotations

import psycopg
import sqlalchemy as sa


def test_server_answers_sql_through_sqlalchemy_and_psycopg(pg_database: str) -> None:
    engine = sa.create_engine(pg_database)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE t (x int)"))
        conn.execute(sa.text("INSERT INTO t VALUES (41), (1)"))
        assert conn.execute(sa.text("SELECT sum(x) FROM t")).scalar_one() == 42
        version = conn.execute(sa.text("SHOW server_version_num")).scalar_one()
    engine.dispose()
    assert int(version) >= 130000
    assert psycopg.__version__.startswith("3.")
