"""A group of server processes started together and stopped together."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOGS = ROOT / "logs"


# Ports handed out by this process, never handed out twice.
_given: set[int] = set()


def _ephemeral_start() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default


def free_port() -> int:
    """A free port below the kernel's ephemeral range, never the same one twice. A CI
    run lost every server test when the Rasa server's port, picked by binding to port 0,
    was in use by the time the server bound it: the kernel can hand that ephemeral port
    out again (to the next pick) or lend it to an outgoing connection. Ports below the
    range are never lent to connections."""
    high = _ephemeral_start()
    low = max(1024, high - 12000)
    for _ in range(1000):
        port = random.randrange(low, high)
        if port in _given:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _given.add(port)
        return port
    raise RuntimeError(f"no free port between {low} and {high}")


class Stack:
    """Processes, each logging to logs/<prefix>-<name>.log; stop() ends them all."""

    def __init__(self, log_prefix: str) -> None:
        self.log_prefix = log_prefix
        self.processes: dict[str, subprocess.Popen] = {}
        LOGS.mkdir(exist_ok=True)

    def log(self, name: str) -> Path:
        return LOGS / f"{self.log_prefix}-{name}.log"

    def spawn(self, name: str, args: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT) -> None:
        with self.log(name).open("w") as log:
            self.processes[name] = subprocess.Popen(
                args,
                cwd=cwd,
                env={**os.environ, **(env or {})},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # stop() ends the process and anything it started
            )

    def pid(self, name: str) -> int:
        return self.processes[name].pid

    def check_running(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                tail = self.log(name).read_text(errors="replace").splitlines()[-15:]
                raise RuntimeError(f"{name} stopped (exit {process.returncode}); {self.log(name)}:\n" + "\n".join(tail))

    def wait_for(self, url: str, timeout: float = 300) -> None:
        """Wait until ``url`` answers at all (any HTTP status), failing early if a process died."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_running()
            try:
                with urllib.request.urlopen(url, timeout=2):
                    return
            except urllib.error.HTTPError:
                return  # it answers; a 401 or 404 still means up
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.5)
        raise RuntimeError(f"{url} did not come up within {timeout:.0f} s")

    def freeze(self, frozen: bool) -> None:
        """Stop every process where it stands (SIGSTOP), or let them go on (SIGCONT):
        an idle server still spends CPU on its timers, which a benchmark of
        another server on the same cores shouldn't pay for."""
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGSTOP if frozen else signal.SIGCONT)

    def stop(self, name: str | None = None) -> None:
        names = [name] if name else list(self.processes)
        self.freeze(False)  # a frozen process would hold its SIGTERM until SIGKILL
        for each in names:
            process = self.processes[each]
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for each in names:
            process = self.processes.pop(each)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
