"""A throwaway PostgreSQL server for the test session, on 127.0.0.1 in a temporary folder.

initdb refuses to run as root, so as root the server runs as the ``postgres`` user.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def _binaries() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def memory_folder() -> str | None:
    """A folder in memory (tmpfs) with room for a test session's databases, if any."""
    shm = Path("/dev/shm")
    try:
        room = shutil.disk_usage(shm).free
    except OSError:
        return None
    return str(shm) if room > 4 * 2**30 and os.access(shm, os.W_OK) else None


@contextmanager
def temporary_server(under: str | None = None, options: str = "") -> Iterator[str]:
    """Start a server, yield its URL, and stop it and remove its files afterwards.

    ``under`` is the folder its files go in (the system's temporary folder by default);
    ``options`` are more ``-c name=value`` settings for the server."""
    bindir = _binaries()
    if bindir is None:
        raise RuntimeError("PostgreSQL is not installed: 'make test' installs it")
    root = Path(tempfile.mkdtemp(prefix="kneecoach-pg-", dir=under))
    data = root / "data"
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    if as_root:
        shutil.chown(root, "postgres", "postgres")
    port = _free_port()
    run = {"check": True, "capture_output": True, "text": True}
    try:
        subprocess.run(
            [
                *prefix,
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                "kneecoach",
                "--no-sync",
                "-E",
                "UTF8",
            ],
            **run,
        )
        subprocess.run(
            [
                *prefix,
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(root / "log"),
                "-w",
                "-o",
                f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off {options}",
                "start",
            ],
            **run,
        )
        url = f"postgresql://kneecoach@127.0.0.1:{port}/postgres"
        try:
            yield url
        finally:
            admin = _ADMIN.pop(url, None)
            if admin is not None:
                admin.dispose()
            subprocess.run(
                [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                check=False,
                capture_output=True,
            )
    except subprocess.CalledProcessError as error:
        raise RuntimeError(f"PostgreSQL did not start: {error.stderr or error.stdout}") from None
    finally:
        shutil.rmtree(root, ignore_errors=True)


_ADMIN: dict[str, Engine] = {}
"""One engine a server for creating databases (a test session creates hundreds): its
connection is kept, not opened again for each."""


def create_database(server_url: str, name: str, template: str | None = None) -> str:
    """A fresh database on the server, empty or a copy of ``template``; returns its URL."""
    import sqlalchemy as sa

    engine = _ADMIN.get(server_url)
    if engine is None:
        engine = sa.create_engine(
            server_url.replace("postgresql://", "postgresql+psycopg://"),
            isolation_level="AUTOCOMMIT",
            pool_size=1,
        )
        _ADMIN[server_url] = engine
    with engine.connect() as c:
        c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        copying = f' TEMPLATE "{template}"' if template else ""
        c.execute(sa.text(f'CREATE DATABASE "{name}"{copying}'))
    return server_url.rsplit("/", 1)[0] + f"/{name}"
