"""Real services for tests, from Debian's packages (`make services` installs them): each runs as
this test run's own process, on a free loopback port, in a temporary directory, and is stopped by
its own pid."""
from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path
from typing import IO, Optional

import redis

from tests.stack import free_port


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
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None
        if self.log is not None:
            self.log.close()
            self.log = None
