"""Real services for tests, from Debian's packages (`make services` installs them): each runs as
this test run's own process, on a free loopback port, in a temporary directory, and is stopped by
its own pid."""
from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import IO, Optional

import redis
from sqlalchemy import create_engine, text

from tests.stack import free_port


def stop(process: Optional[subprocess.Popen], log: Optional[IO[bytes]], grace: float,
         signum: int = signal.SIGTERM) -> None:
    """`signum` to this service's own pid, SIGKILL after `grace` seconds; close its log."""
    if process is not None:
        process.send_signal(signum)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if log is not None:
        log.close()


class RedisServer:
    """`redis-server` with nothing saved to disk; `url` is what CAREBOT_REDIS_URL would be."""

    def __init__(self, directory: Path, password: Optional[str] = None):
        self.directory, self.password = directory, password
        self.port = free_port()
        self.process: Optional[subprocess.Popen] = None
        self.log: Optional[IO[bytes]] = None

    @property
    def url(self) -> str:
        secret = f":{self.password}@" if self.password else ""
        return f"redis://{secret}127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, password=self.password,
                           socket_timeout=2, decode_responses=True)

    def start(self, timeout: float = 10) -> "RedisServer":
        program = shutil.which("redis-server")
        if program is None:
            raise RuntimeError("redis-server is not installed: run `make services`")
        command = [program, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                   "--appendonly", "no", "--dir", str(self.directory)]
        if self.password:
            command += ["--requirepass", self.password]
        self.log = open(self.directory / "redis.log", "ab")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited: {(self.directory / 'redis.log').read_text()[-2000:]}")
            try:
                if self.client().ping():
                    return self
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not answer PING in {timeout}s")

    def stop(self) -> None:
        stop(self.process, self.log, grace=10)
        self.process = self.log = None


def postgres_bin() -> Path:
    """Debian installs each PostgreSQL major version under its own folder; take the newest."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"), key=lambda p: int(p.parts[-3]))
    if not found:
        raise RuntimeError("postgresql is not installed: run `make services`")
    return found[-1].parent


class PostgresServer:
    """A PostgreSQL cluster of this test run's own, in a temporary directory, on a free loopback
    port. PostgreSQL refuses to run as root: when the tests are root, it runs as the `postgres`
    user that Debian's package creates. `database()` makes a new, empty database per test."""

    def __init__(self):
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="carebot-pg-"))
        self.user = "postgres" if os.geteuid() == 0 else None
        self.process: Optional[subprocess.Popen] = None
        self.log: Optional[IO[bytes]] = None
        self.created = 0

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def start(self, timeout: float = 30) -> "PostgresServer":
        programs = postgres_bin()
        if self.user:
            account = pwd.getpwnam(self.user)
            os.chown(self.directory, account.pw_uid, account.pw_gid)
        data = self.directory / "data"
        subprocess.run([str(programs / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                        "-E", "UTF8", "--locale=C.UTF-8"], user=self.user, check=True, capture_output=True)
        self.log = open(self.directory / "postgres.log", "ab")
        self.process = subprocess.Popen(
            [str(programs / "postgres"), "-D", str(data), "-p", str(self.port), "-h", "127.0.0.1",
             "-k", str(self.directory), "-F", "-c", "max_connections=200"],
            user=self.user, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"postgres exited: {(self.directory / 'postgres.log').read_text()[-2000:]}")
            try:
                self._admin("select 1")
                return self
            except Exception:
                time.sleep(0.1)
        raise RuntimeError(f"postgres did not accept connections in {timeout}s")

    def _admin(self, statement: str) -> None:
        engine = create_engine(self.url(), future=True, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(statement))
        finally:
            engine.dispose()

    def database(self) -> str:
        """The URL of a new, empty database."""
        self.created += 1
        name = f"test_{self.created}"
        self._admin(f"create database {name}")
        return self.url(name)

    def stop(self) -> None:
        stop(self.process, self.log, grace=20, signum=signal.SIGINT)  # "fast": clients still connected are cut
        self.process = self.log = None
        shutil.rmtree(self.directory, ignore_errors=True)
