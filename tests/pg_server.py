"""A throwaway PostgreSQL server for the tests: initdb into a temp dir, start on loopback, drop.

``skip_reason()`` says why a server cannot be started here (or None); ``PostgresServer`` starts
one (``with PostgresServer() as url: ...`` or ``start()``/``stop()``). The cluster uses trust
authentication, listens on 127.0.0.1 on a free port, keeps its unix socket inside the temp dir
and trades durability for speed (fsync off). PostgreSQL refuses to run as root, so as root every
server command runs as the ``postgres`` system user (Debian's package creates it) through
``runuser`` (or ``setpriv``), and the temp dir is handed to that user.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import weakref
from pathlib import Path

SERVER_BINARIES = ("initdb", "pg_ctl", "postgres")
RUN_AS = "postgres"            # the system user that runs the server when we are root
SUPERUSER = "postgres"         # the cluster's superuser role (trust auth, no password)
START_TIMEOUT = 60.0


class PostgresUnavailable(RuntimeError):
    """The server could not be started; the message says why (with the server log's tail)."""


def find_bin_dir() -> Path | None:
    """The directory holding initdb, pg_ctl and postgres: PATH first, then the Debian layout."""
    initdb = shutil.which("initdb")
    candidates = [Path(os.path.realpath(initdb)).parent] if initdb else []
    versions = glob.glob("/usr/lib/postgresql/*/bin")
    versions.sort(key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0,
                  reverse=True)
    candidates += [Path(p) for p in versions]
    for cand in candidates:
        if all(os.access(cand / b, os.X_OK) for b in SERVER_BINARIES):
            return cand
    return None


def _drop_privileges_prefix() -> list[str] | None:
    """Command prefix that runs a program as RUN_AS (root only); None when no tool is there."""
    if shutil.which("runuser"):
        return ["runuser", "-u", RUN_AS, "--"]
    if shutil.which("setpriv"):
        return ["setpriv", f"--reuid={RUN_AS}", f"--regid={RUN_AS}", "--init-groups", "--"]
    return None


def skip_reason() -> str | None:
    """Why a throwaway PostgreSQL server cannot be started on this machine, or None if it can."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg (psycopg[binary]) is not installed in this environment"
    if find_bin_dir() is None:
        return ("PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found on PATH or "
                "under /usr/lib/postgresql/*/bin: install Debian's `postgresql` package "
                "(the Makefile's SYSTEM_PACKAGES)")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(RUN_AS)
        except KeyError:
            return (f"running as root, and PostgreSQL refuses to run as root, but there is no "
                    f"`{RUN_AS}` system user to run the server as (Debian's `postgresql` "
                    f"package creates it)")
        if _drop_privileges_prefix() is None:
            return (f"running as root, and PostgreSQL refuses to run as root, but neither "
                    f"`runuser` nor `setpriv` is available to run it as `{RUN_AS}`")
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop_cluster(prefix: list[str], pg_ctl: str, data_dir: str, root: str) -> None:
    """Last-resort stop at interpreter exit for a server whose owner never called stop()."""
    subprocess.run([*prefix, pg_ctl, "-D", data_dir, "-m", "immediate", "-w", "stop"],
                   cwd="/", capture_output=True, timeout=30, check=False)
    shutil.rmtree(root, ignore_errors=True)


class PostgresServer:
    """One throwaway cluster with one database; ``start()`` returns its URL."""

    def __init__(self, dbname: str = "workbench_test", base_dir: str | None = None):
        self.dbname = dbname
        self.base_dir = base_dir
        self.root: Path | None = None
        self.port: int | None = None
        self.url: str | None = None
        self._prefix: list[str] = []
        self._started = False

    # paths -------------------------------------------------------------------------------
    @property
    def data_dir(self) -> Path:
        assert self.root is not None
        return self.root / "data"

    @property
    def log_file(self) -> Path:
        assert self.root is not None
        return self.root / "server.log"

    def _run(self, *args: str, timeout: float = START_TIMEOUT) -> subprocess.CompletedProcess:
        try:
            return subprocess.run([*self._prefix, *args], cwd=self.root, capture_output=True,
                                  text=True, timeout=timeout, check=True,
                                  env={**os.environ, "LC_ALL": "C", "TZ": "UTC"})
        except subprocess.CalledProcessError as err:
            raise PostgresUnavailable(f"{Path(args[0]).name} failed (exit {err.returncode}): "
                                      f"{(err.stderr or err.stdout).strip()[-1500:]}"
                                      f"{self._log_tail()}") from err
        except subprocess.TimeoutExpired as err:
            raise PostgresUnavailable(f"{Path(args[0]).name} timed out after {timeout:.0f}s"
                                      f"{self._log_tail()}") from err

    def _log_tail(self) -> str:
        try:
            text = self.log_file.read_text(errors="replace")
        except OSError:
            return ""
        return "\nserver log:\n" + text[-1500:] if text.strip() else ""

    # lifecycle ---------------------------------------------------------------------------
    def start(self) -> str:
        """Create and start the cluster and its database; return ``postgresql://...``."""
        reason = skip_reason()
        if reason:
            raise PostgresUnavailable(reason)
        bin_dir = find_bin_dir()
        assert bin_dir is not None
        self.root = Path(tempfile.mkdtemp(prefix="wb-pg-", dir=self.base_dir))
        try:
            self._prepare_root()
            self._run(str(bin_dir / "initdb"), "-D", str(self.data_dir), "-U", SUPERUSER,
                      "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync")
            self._start_server(bin_dir)
            self._create_database()
        except BaseException:
            self.stop()
            raise
        self.url = f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{self.dbname}"
        return self.url

    def _prepare_root(self) -> None:
        assert self.root is not None
        if os.geteuid() != 0:
            return
        user = pwd.getpwnam(RUN_AS)
        os.chown(self.root, user.pw_uid, user.pw_gid)
        os.chmod(self.root, 0o700)
        self._prefix = _drop_privileges_prefix() or []
        probe = subprocess.run([*self._prefix, "test", "-w", str(self.root)], cwd="/",
                               capture_output=True, check=False)
        if probe.returncode != 0:
            raise PostgresUnavailable(f"the `{RUN_AS}` user cannot write to {self.root} (is a "
                                      f"parent directory closed to it? set TMPDIR)")

    def _start_server(self, bin_dir: Path) -> None:
        last: PostgresUnavailable | None = None
        for _ in range(3):  # another process may grab the free port between probe and bind
            self.port = _free_port()
            opts = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} "
                    f"-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                    f"-c max_connections=20 -c shared_buffers=16MB -c TimeZone=UTC "
                    f"-c autovacuum=off")
            try:
                self._run(str(bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-l",
                          str(self.log_file), "-o", opts, "-w", "-t", str(int(START_TIMEOUT)),
                          "start")
            except PostgresUnavailable as err:
                last = err
                continue
            self._started = True
            self._bin_dir = bin_dir
            # a process that never calls stop() (a crash, a forgotten server) still stops it
            self._finalizer = weakref.finalize(self, _stop_cluster, [*self._prefix],
                                               str(bin_dir / "pg_ctl"), str(self.data_dir),
                                               str(self.root))
            return
        assert last is not None
        raise last

    def _create_database(self) -> None:
        import psycopg

        deadline = time.monotonic() + START_TIMEOUT
        admin = f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/postgres"
        while True:
            try:
                with psycopg.connect(admin, autocommit=True, connect_timeout=5) as con:
                    con.execute(f'CREATE DATABASE "{self.dbname}" ENCODING \'UTF8\' '
                                f"TEMPLATE template0")
                return
            except psycopg.OperationalError as err:
                if time.monotonic() > deadline:
                    raise PostgresUnavailable(f"server did not accept connections: {err}"
                                              f"{self._log_tail()}") from err
                time.sleep(0.2)

    def stop(self) -> None:
        """Stop the server (immediately: the data is thrown away) and delete the temp dir."""
        finalizer = getattr(self, "_finalizer", None)
        if finalizer is not None:
            finalizer.detach()
        if self._started:
            self._started = False
            try:
                self._run(str(self._bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m",
                          "immediate", "-w", "stop", timeout=30)
            except PostgresUnavailable:
                pass  # deleting the directory below is all that is left to do
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None
        self.url = None

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
