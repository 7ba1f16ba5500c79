"""A throwaway PostgreSQL server for the tests: initdb and pg_ctl in a temporary folder, loopback only.

The binaries come from PATH or /usr/lib/postgresql/*/bin. PostgreSQL refuses to run as root,
so when the tests run as root the server runs as the `postgres` system user.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Optional

import sqlalchemy as sa


def find_bin_dir() -> Optional[Path]:
    """The folder holding initdb and pg_ctl: PATH first, then the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                      key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    for bin_dir in reversed(versions):
        if (bin_dir / "initdb").exists() and (bin_dir / "pg_ctl").exists():
            return bin_dir
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """A PostgreSQL server of our own in a temporary folder; `database()` makes a fresh database."""

    def __init__(self, bin_dir: Path):
        self.bin_dir = bin_dir
        self.user = None
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError as exc:
                raise RuntimeError("running as root and there is no `postgres` user to run PostgreSQL as") from exc
            self.user = "postgres"
        # As root, $TMPDIR may sit inside a folder the postgres user cannot enter: use /tmp then.
        parent = "/tmp" if self.user and os.path.isdir("/tmp") else None
        self.dir = Path(tempfile.mkdtemp(prefix="tracker-pg-", dir=parent))
        self.data = self.dir / "data"
        self.port = _free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}"
        self._names = itertools.count(1)

    def _run(self, *args: str) -> None:
        res = subprocess.run([str(self.bin_dir / args[0]), *args[1:]], user=self.user, capture_output=True,
                             text=True, timeout=120)
        if res.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {res.stdout}\n{res.stderr}")

    def start(self) -> "PostgresServer":
        """initdb and start, tuned for throwaway data (no fsync), listening on loopback only."""
        if self.user:
            shutil.chown(self.dir, self.user)
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"), "-w", "start")
        return self

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def _admin(self, sql: str) -> None:
        engine = sa.create_engine(f"{self.url}/postgres", isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        with engine.connect() as conn:
            conn.exec_driver_sql(sql)
        engine.dispose()

    def database(self) -> str:
        """A URL to a new, empty database."""
        name = f"t{os.getpid()}_{next(self._names)}"
        self._admin(f"CREATE DATABASE {name}")
        return f"{self.url}/{name}"

    def drop(self, url: str) -> None:
        """Drop a database made by `database`, closing whatever still holds it open."""
        self._admin(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")
