"""The servers are locked down as they run in production: the HTTP API needs
the token, nothing listens beyond this machine, and browsers may call the
Rasa server only from the chat page's origin."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.rasa

OTHER_ORIGIN = "http://evil.example"


def _status(url: str, method: str = "GET", body: dict | None = None, headers: dict | None = None) -> int:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


# Everything the API can read or change, each asked without a token and with a wrong one.
PROTECTED = [
    ("GET", "/conversations/someone/tracker", None),
    ("POST", "/conversations/someone/tracker/events", {"event": "slot", "name": "is_pregnant", "value": "no"}),
    ("GET", "/conversations/someone/story", None),
    ("POST", "/conversations/someone/trigger_intent", {"name": "greet"}),
    ("POST", "/model/parse", {"text": "hello"}),
    ("PUT", "/model", {"model_file": "/tmp/other.tar.gz"}),
    ("DELETE", "/model", None),
    ("GET", "/domain", None),
    ("GET", "/status", None),
]


@pytest.mark.parametrize(("method", "path", "body"), PROTECTED, ids=[f"{m} {p}" for m, p, _ in PROTECTED])
def test_the_api_refuses_every_call_without_the_right_token(rasa_servers, method, path, body):
    assert _status(f"{rasa_servers.url}{path}", method, body) == 401
    assert _status(f"{rasa_servers.url}{path}?token=wrong", method, body) == 401


def test_the_token_opens_the_api_and_the_chat_needs_none(rasa_servers, chat):
    chat.say("hello")
    assert chat.tracker()["sender_id"] == chat.sender
    assert rasa_servers.api("/status")["model_file"]


def _listening_addresses(port: int) -> set[str]:
    """Local addresses of listening TCP sockets on ``port``, from the kernel's tables."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A = LISTEN
                found.add(address)
    return found


def _other_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback."""
    output = (
        subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout if shutil.which("hostname") else ""
    )
    return [a for a in output.split() if "." in a and not a.startswith("127.")]


def test_nothing_listens_beyond_this_machine(rasa_servers):
    loopback = "0100007F"  # 127.0.0.1 as /proc/net/tcp writes it
    for name, port in (("Rasa server", rasa_servers.rasa_port), ("action server", rasa_servers.action_port)):
        assert _listening_addresses(port) == {loopback}, f"the {name} listens on {_listening_addresses(port)}"
        for address in _other_addresses():
            with socket.socket() as sock:
                sock.settimeout(2)
                assert sock.connect_ex((address, port)) != 0, f"the {name} answers on {address}:{port}"


def test_a_page_from_another_origin_gets_no_cors_permission(rasa_servers):
    webhook = f"{rasa_servers.url}/webhooks/rest/webhook"
    for origin, allowed in ((OTHER_ORIGIN, False), (rasa_servers.page_origin, True)):
        request = urllib.request.Request(
            webhook,
            method="OPTIONS",
            headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            granted = response.headers.get_all("Access-Control-Allow-Origin") or []
        assert granted == ([origin] if allowed else []), (origin, granted)


def test_a_socket_from_another_origin_is_refused(rasa_servers):
    # The socket.io handshake as a browser on each page sends it. (A raw handshake, not
    # a client: a client's last poll racing its own disconnect makes engine.io log a
    # traceback on the server.)
    handshake = f"{rasa_servers.url}/socket.io/?EIO=4&transport=polling"
    assert _status(handshake, headers={"Origin": OTHER_ORIGIN}) == 400
    assert _status(handshake, headers={"Origin": rasa_servers.page_origin}) == 200


def test_the_api_command_refuses_to_start_without_a_token(tmp_path):
    # A copy of the scripts, so a developer's own .env can't supply a token.
    (tmp_path / "scripts").mkdir()
    for name in ("lib.sh", "serve.sh"):
        shutil.copy(ROOT / "scripts" / name, tmp_path / "scripts" / name)
    env = {k: v for k, v in os.environ.items() if k not in ("AMMA_API_TOKEN", "AMMA_JWT_SECRET")}
    result = subprocess.run(
        ["bash", "scripts/serve.sh"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "AMMA_API_TOKEN" in result.stderr and ".env" in result.stderr
    assert not (tmp_path / ".venv").exists()  # refused before installing or starting anything
