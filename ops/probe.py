"""Looking at running servers from outside: one REST turn, timed, and a process's memory."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

# One ordinary conversation with Amma: a symptom, its red-flag question and the
# screening answered, a question about amma, goodbye (ten turns).
AMMA_TURNS = ["hi", "my neck is really stiff", "no", "no", "no", "no", "no", "what is amma?", "thanks", "bye"]


def _send(url: str, sender: str, text: str, headers: dict[str, str] | None, timeout: float) -> bytes:
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(
        f"{url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json", **(headers or {})}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return bytes(response.read())


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
    except (urllib.error.URLError, ConnectionError, OSError):
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
