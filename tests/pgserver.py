"""A throw-away PostgreSQL server for the team-mode tests (issue 14).

Started from the distribution's binaries (`/usr/lib/postgresql/*/bin`, Debian's `postgresql`
package, which `scripts/dev.sh test` installs) on a temporary data folder, listening on 127.0.0.1 at
a free port and on a socket inside that folder. PostgreSQL refuses to run as root, so as root the
server runs as the `postgres` system user the package creates; otherwise as the current user.
Authentication is `trust` on loopback: the tests connect as the roles they exercise (assessor,
reviewer…), and what is tested is what the server lets each role do, not passwords.

Without the binaries the fixture skips locally and fails under CI (`CI=true`), so a missing install
step cannot pass unnoticed.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


class PgUnavailableError(RuntimeError):
    pass


@dataclass(frozen=True)
class PgServer:
    host: str
    port: int
    superuser: str
    data_dir: Path
    bin_dir: Path

    def url(self, database: str = "postgres", user: str | None = None) -> str:
        """SQLAlchemy URL (psycopg 3 driver)."""
        return f"postgresql+psycopg://{user or self.superuser}@{self.host}:{self.port}/{database}"

    def dsn(self, database: str = "postgres", user: str | None = None) -> str:
        """libpq connection string."""
        return f"host={self.host} port={self.port} dbname={database} user={user or self.superuser}"

    def create_database(self, name: str) -> str:
        """A fresh, empty database; returns its name."""
        import psycopg

        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return name


def find_bin_dir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl:
        return Path(pg_ctl).parent
    raise PgUnavailableError("PostgreSQL server binaries not found (apt-get install postgresql)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_server_user(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    runuser = shutil.which("runuser") or "/usr/sbin/runuser"
    return [runuser, "-u", "postgres", "--", *argv]


def start(base: Path | None = None) -> PgServer:
    bin_dir = find_bin_dir()
    root = Path(tempfile.mkdtemp(prefix="riskdesk-pg-", dir=base))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        os.chmod(root, 0o700)
    superuser = "postgres" if os.geteuid() == 0 else os.environ.get("USER") or "riskdesk"
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    subprocess.run(
        _as_server_user(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                superuser,
                "-E",
                "UTF8",
                "--auth=trust",
                "--no-sync",
            ]
        ),
        check=True,
        capture_output=True,
        env=env,
        cwd=root,
    )
    port = _free_port()
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={root} "
        "-c fsync=off -c full_page_writes=off -c max_connections=120"
    )
    subprocess.run(
        _as_server_user(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(root / "log"),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
        env=env,
        cwd=root,
    )
    server = PgServer("127.0.0.1", port, superuser, data, bin_dir)
    deadline = time.monotonic() + 30
    while True:
        try:
            import psycopg

            psycopg.connect(server.dsn(), connect_timeout=2).close()
            return server
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def stop(server: PgServer) -> None:
    subprocess.run(
        _as_server_user(
            [str(server.bin_dir / "pg_ctl"), "-D", str(server.data_dir), "-m", "immediate", "stop"]
        ),
        check=False,
        capture_output=True,
        cwd=server.data_dir.parent,
    )
    shutil.rmtree(server.data_dir.parent, ignore_errors=True)
