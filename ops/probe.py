"""Looking at running servers from outside: one REST turn, timed, and a process's memory."""

from __future__ import annotations

import http.client
import json
import os
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

# One ordinary conversation with Amma (ten turns): a symptom, its red-flag question
# and four of the five screening questions answered, then a question about amma,
# thanks and goodbye, after each of which the form asks its last question again.
AMMA_TURNS = ["hi", "my neck is really stiff", "no", "no", "no", "no", "no", "what is amma?", "thanks", "bye"]


class KeptConnection:
    """One person's browser: REST messages over one kept-alive connection, as a
    chat page sends them, so a load measures the servers rather than TCP
    handshakes. The one place this package builds a REST message."""

    def __init__(self, url: str, headers: dict[str, str] | None = None, timeout: float = 120) -> None:
        parsed = urlparse(url)
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 80
        self.path = parsed.path.rstrip("/") + "/webhooks/rest/webhook"
        self.headers = {"Content-Type": "application/json", **(headers or {})}
        self.timeout = timeout
        self.connection: http.client.HTTPConnection | None = None

    def send(self, sender: str, text: str) -> bytes:
        """Send one message; the reply's body. A reply other than 200 raises ConnectionError."""
        body = json.dumps({"sender": sender, "message": text})
        while True:
            reused = self.connection is not None
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.connection.request("POST", self.path, body, self.headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if not reused:
                    raise
                # The server let the kept connection go before this message reached it: send it again.
        if response.status != 200:
            raise ConnectionError(f"{self.host}:{self.port} answered {response.status} {response.reason}")
        return data

    def say(self, sender: str, text: str) -> float:
        """Send one message; the seconds until the whole reply is in."""
        start = time.perf_counter()
        self.send(sender, text)
        return time.perf_counter() - start

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def _send(url: str, sender: str, text: str, headers: dict[str, str] | None, timeout: float) -> bytes:
    """One message on a connection of its own."""
    connection = KeptConnection(url, headers, timeout)
    try:
        return connection.send(sender, text)
    finally:
        connection.close()


def say(url: str, sender: str, text: str, headers: dict[str, str] | None = None, timeout: float = 120) -> float:
    """Send one message over REST; the seconds until the reply."""
    start = time.perf_counter()
    _send(url, sender, text, headers, timeout)
    return time.perf_counter() - start


def reply_texts(url: str, sender: str, text: str, timeout: float = 120) -> list[str]:
    """Send one message over REST; the texts of the bot's reply."""
    return [message.get("text") or "" for message in json.loads(_send(url, sender, text, None, timeout))]


def rest_reply(url: str, timeout: float = 30) -> bool:
    """Whether the bot at ``url`` answers a message over REST (its model is loaded)."""
    try:
        say(url, "probe-" + uuid.uuid4().hex, "hi", timeout=timeout)
        return True
    except (OSError, http.client.HTTPException):  # not up yet, or no model loaded
        return False


def memory_mb(pid: int | None) -> float | None:
    """The process's resident memory in MB, from /proc (Linux); None if unknown."""
    if not pid:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:
        return None
    return None


def _cpu_times() -> dict[int, tuple[str, int, float, int]]:
    """Every process's (name, session id, CPU seconds so far, start time in ticks),
    from /proc (Linux). The start time tells a process from a later one with its pid;
    the name can't: a kernel worker renames itself with each job it takes."""
    ticks = os.sysconf("SC_CLK_TCK")
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # ended meanwhile
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()  # from the state field on
        found[int(entry.name)] = (name, int(fields[3]), (int(fields[11]) + int(fields[12])) / ticks, int(fields[19]))
    return found


class CpuMeter:
    """CPU time each group of processes spends between start() and per_message():
    each of a stack's servers (its session: Stack starts each in its own), the
    machine's PostgreSQL and Redis, this process (the load generator), the rest."""

    def __init__(self, sessions: dict[int, str]) -> None:
        self.sessions = sessions
        self.before: dict[int, tuple[str, int, float, int]] = {}

    def _group(self, pid: int, name: str, session: int) -> str:
        if session in self.sessions:
            return self.sessions[session]
        if pid == os.getpid():
            return "load generator"
        if name.startswith("postgres"):
            return "PostgreSQL"
        if name.startswith("redis"):
            return "Redis"
        return "rest of the machine"

    def start(self) -> None:
        self.before = _cpu_times()

    def per_message(self, messages: int) -> dict[str, float]:
        """Milliseconds of CPU per message, by group, largest first."""
        spent: dict[str, float] = {}
        for pid, (name, session, seconds, started) in _cpu_times().items():
            earlier = self.before.get(pid)
            used = seconds - (earlier[2] if earlier and earlier[3] == started else 0.0)
            group = self._group(pid, name, session)
            spent[group] = spent.get(group, 0.0) + used
        return {group: 1000 * s / messages for group, s in sorted(spent.items(), key=lambda kv: -kv[1]) if s > 0}
