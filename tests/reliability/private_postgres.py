"""A PostgreSQL server of our own, in a temporary folder, that a fault test may stop and start.

The shared cluster on port 5432 is never stopped: this one is made with Debian's ``initdb``
on a free port, listens on 127.0.0.1 only, runs as the ``postgres`` user when we are root (the
server refuses to run as root), and is stopped and deleted when the block ends.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.reliability.servers import free_port


def binaries() -> Path:
    """The newest installed server's bin folder (``/usr/lib/postgresql/<version>/bin``)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[4]))
    if not found:
        raise SystemExit("no PostgreSQL server binaries under /usr/lib/postgresql")
    return found[-1].parent


@dataclass
class PrivatePostgres:
    """A running (or stopped) server: its data folder, port and how to control it."""

    folder: Path
    port: int
    bin: Path

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str = "postgres") -> str:
        """SQLAlchemy URL of a database on this server."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check, timeout=60)

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        log = str(self.folder / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "start")

    def stop(self, mode: str = "immediate") -> None:
        """Stop the server: ``immediate`` is a crash (no shutdown checkpoint, WAL recovery at
        the next start), ``fast`` a clean shutdown that ends every session."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def running(self) -> bool:
        """Whether the server is up."""
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    def create_database(self, name: str) -> str:
        """A new empty database; its URL."""
        admin = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            admin.dispose()
        return self.url(name)


@contextlib.contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """initdb, start; yield the server; stop it (if running) and delete its folder."""
    folder = Path(tempfile.mkdtemp(prefix="rc-private-pg-"))
    server = PrivatePostgres(folder, free_port(), binaries())
    try:
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres", "postgres")
        server._run("initdb", "-D", str(server.data), "-A", "trust", "-U", "postgres", "--no-sync")
        server.start()
        yield server
    finally:
        with contextlib.suppress(Exception):
            if server.running():
                server.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)
