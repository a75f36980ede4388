"""Shared fixtures: the knowledge base, one trained model per test session,
and one live Rasa server plus action server for end-to-end conversations.

Training and server start-up are slow (minutes), so they happen at most once
per session and only when a test that needs them is collected.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml

from amma.knowledge_base import KnowledgeBase, get_knowledge_base
from ops.endpoints import write as write_endpoints
from ops.stack import free_port
from stores.settings import DATABASE_URL_ENV

ROOT = Path(__file__).resolve().parent.parent
LOGS = ROOT / "logs"
MODEL = ROOT / "models" / "amma.tar.gz"
RASA = str(Path(sys.executable).with_name("rasa"))
TEST_TIME_SCALE = 0.05
TRACKER_STORE = "stores.tracker_store.AmmaTrackerStore"
# The complaints Amma covers today and how the bot names each to the person, written
# out by hand: the tests' own source, never read from symptoms.yml.
COVERED_SYMPTOMS = {
    "headache": "headache",
    "insomnia": "trouble sleeping",
    "anxiety": "anxiety",
    "stress": "stress",
    "neck_shoulder_tension": "neck and shoulder tension",
    "fatigue": "tiredness",
    "nausea": "nausea",
    "digestive_upset": "upset stomach",
    "eye_strain": "eye strain",
    "low_back_ache": "lower back ache",
    "period_pain": "period pain",
}
# The local PostgreSQL of the development machines and CI (trust auth).
POSTGRES_URL = os.environ.get("AMMA_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
QUIET_ENV = {
    **os.environ,
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONWARNINGS": "ignore",
    "PYTHONPATH": str(ROOT),
    # As scripts/lib.sh: one BLAS thread, not one spinning per core.
    "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "1"),
    # rasa_sdk's action server binds SANIC_HOST (default 0.0.0.0): this machine only.
    "SANIC_HOST": "127.0.0.1",
}


def load_yaml(relative_path: str):
    with (ROOT / relative_path).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


NLU_FILES = (
    "data/nlu.yml",
    "data/nlu_safety.yml",
    "data/nlu_routine.yml",
    "data/nlu_points.yml",
    "data/nlu_privacy.yml",
    "data/faq.yml",
)


def _example_lines(block) -> list[str]:
    """The "- ..." lines of an NLU block's examples, without the dash."""
    return [line.strip()[2:].strip() for line in block["examples"].splitlines() if line.strip()]


def lexicon_words():
    """lookup list -> its words, from data/lexicon.yml."""
    return {block["lookup"]: _example_lines(block) for block in load_yaml("data/lexicon.yml")["nlu"]}


def nlu_examples():
    """intent -> training examples, over every NLU file (entity markup removed)."""
    result = {}
    for path in NLU_FILES:
        for block in load_yaml(path)["nlu"]:
            if "intent" in block:
                examples = [re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", line) for line in _example_lines(block)]
                result.setdefault(block["intent"], []).extend(examples)
    return result


def run_logged(
    args: list[str], log_name: str, timeout: int = 1200, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run a command from the repo root with its output in logs/<log_name>."""
    LOGS.mkdir(exist_ok=True)
    with (LOGS / log_name).open("w") as log:
        return subprocess.run(
            args, cwd=ROOT, env={**QUIET_ENV, **(env or {})}, stdout=log, stderr=subprocess.STDOUT, timeout=timeout
        )


def log_tail(log_name: str, lines: int = 40) -> str:
    """The end of a log, without progress bars and with long lines cut, for failure messages."""
    path = LOGS / log_name
    if not path.exists():
        return "(no log)"
    kept = [line[:300] for line in path.read_text(errors="replace").splitlines() if "it/s" not in line]
    return "\n".join(kept[-lines:])


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return get_knowledge_base()


# Slow set-up starts as early as it can and overlaps the tests that don't need it:
# training runs while the unit tests and `rasa data validate` run, and the servers
# load while `rasa test` and the NLU scores use the model (2 cores, each mostly busy
# on one). pytest_collection_finish starts training; trained_model starts the servers.
_EARLY: dict[str, Any] = {}


def _needs(item: pytest.Item, fixture: str) -> bool:
    return fixture in getattr(item, "fixturenames", ())


def _on_postgres(item: pytest.Item) -> bool:
    """A test run against the PostgreSQL store (tests/e2e/conftest.py's `store` fixture)."""
    callspec = getattr(item, "callspec", None)
    return bool(callspec and callspec.params.get("store") == "postgresql")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests without the model first, then the model's own tests, then live servers
    (those on PostgreSQL last, so its second pair of servers runs only at the end)."""
    items.sort(
        key=lambda item: (
            _needs(item, "trained_model"),
            _needs(item, "rasa_servers"),
            _needs(item, "postgres_servers") or _on_postgres(item),
        )
    )


def pytest_collection_finish(session: pytest.Session) -> None:
    if any(_needs(item, "trained_model") for item in session.items):
        LOGS.mkdir(exist_ok=True)
        log = (LOGS / "pytest-train.log").open("w")
        _EARLY["training"] = subprocess.Popen(
            ["bash", "scripts/train.sh"], cwd=ROOT, env=QUIET_ENV, stdout=log, stderr=subprocess.STDOUT
        )
    _EARLY["servers_needed"] = any(_needs(item, "rasa_servers") for item in session.items)


@pytest.fixture(scope="session")
def trained_model(tmp_path_factory) -> Path:
    """The model, trained once per session (skipped when its inputs are unchanged)."""
    training = _EARLY.get("training") or subprocess.Popen(["bash", "scripts/train.sh"], cwd=ROOT, env=QUIET_ENV)
    returncode = training.wait(timeout=1200)
    assert returncode == 0 and MODEL.exists(), f"training failed:\n{log_tail('train.log')}"
    if _EARLY.get("servers_needed"):
        servers = RasaServers(MODEL, tmp_path_factory.mktemp("rasa"))
        servers.spawn_all()
        _EARLY["servers"] = servers
    return MODEL


def _wait_until_up(url: str, process: subprocess.Popen, log_name: str, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{url} exited early (code {process.returncode}):\n{log_tail(log_name)}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(1)
    pytest.fail(f"{url} did not come up within {timeout}s:\n{log_tail(log_name)}")


class ApiClient:
    """A Rasa server's token-protected HTTP API, at ``url`` with ``token``."""

    url: str
    token: str

    def api(self, path: str, body: dict | None = None) -> Any:
        """Call the HTTP API: GET ``path``, or POST ``body`` as JSON."""
        separator = "&" if "?" in path else "?"
        request = urllib.request.Request(
            f"{self.url}{path}{separator}token={self.token}",
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())


class RasaServers(ApiClient):
    """A Rasa server and an action server on free local ports.

    Conversations go to a SQLite file in workdir, or to database_url (AMMA_DATABASE_URL)."""

    def __init__(self, model: Path, workdir: Path, database_url: str | None = None, logs: str = "e2e"):
        self.model = model
        self.workdir = workdir
        self.database_url = database_url
        self.logs = logs
        self.action_port = free_port()
        self.rasa_port = free_port()
        self.processes: dict[str, subprocess.Popen] = {}
        # The HTTP API is never open: every call outside the channels carries this token.
        self.token = secrets.token_hex(16)
        # The web chat's page is served from this port (tests/web), and only its
        # origin may call the Rasa server from a browser.
        self.web_port = free_port()
        self.page_origin = f"http://127.0.0.1:{self.web_port}"
        for name in ("actions", "rasa"):
            (LOGS / f"{logs}-{name}.log").unlink(missing_ok=True)

    @property
    def sqlite_file(self) -> Path:
        return self.workdir / "conversations.db"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        log = (LOGS / f"{self.logs}-{name}.log").open("a")
        # Holds last hold_seconds x AMMA_TIME_SCALE: a 60 s press takes 3 s in tests.
        env = {
            **QUIET_ENV,
            "AMMA_TIME_SCALE": str(TEST_TIME_SCALE),
            # The Rasa server's safety net checks this action server's health.
            "AMMA_ACTION_SERVER_URL": f"http://127.0.0.1:{self.action_port}/webhook",
            # Browsers may call the Rasa server (HTTP and socket.io) from the chat page only.
            "AMMA_CORS_ORIGINS": f"{self.page_origin} http://localhost:{self.web_port}",
            # Unset means the SQLite file: a developer's own setting must not leak in.
            DATABASE_URL_ENV: self.database_url or "",
        }
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        self.processes[name] = process
        return process

    def start_actions(self, wait: bool = True) -> None:
        process = self._spawn("actions", [RASA, "run", "actions", "--actions", "actions", "-p", str(self.action_port)])
        if wait:
            _wait_until_up(f"http://127.0.0.1:{self.action_port}/health", process, f"{self.logs}-actions.log")

    def spawn_all(self) -> None:
        """Start both servers without waiting; wait_until_up waits for them."""
        self.start_actions(wait=False)
        self.start_rasa(wait=False)

    def wait_until_up(self) -> None:
        _wait_until_up(
            f"http://127.0.0.1:{self.action_port}/health", self.processes["actions"], f"{self.logs}-actions.log"
        )
        _wait_until_up(f"{self.url}/status?token={self.token}", self.processes["rasa"], f"{self.logs}-rasa.log")

    def start_rasa(self, wait: bool = True) -> None:
        endpoints = write_endpoints(
            self.workdir / "endpoints.yml",
            f"http://127.0.0.1:{self.action_port}/webhook",
            # A file of its own (unless database_url), so a restarted server finds
            # the same conversations.
            tracker_store={"type": TRACKER_STORE, "db": str(self.sqlite_file)},
        )
        process = self._spawn(
            "rasa",
            [
                RASA,
                "run",
                "-m",
                str(self.model),
                "--enable-api",
                "--auth-token",
                self.token,
                "-p",
                str(self.rasa_port),
                "-i",
                "127.0.0.1",
                "--endpoints",
                str(endpoints),
                "--credentials",
                str(ROOT / "credentials.yml"),
                "--cors",
                self.page_origin,
                f"http://localhost:{self.web_port}",
            ],
        )
        if wait:
            _wait_until_up(f"{self.url}/status?token={self.token}", process, f"{self.logs}-rasa.log")

    def stop(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)

    def restart(self) -> None:
        """Stop both servers and start them again on the same ports and tracker store."""
        self.stop_all()
        self.start_actions()
        self.start_rasa()

    def parse(self, text: str) -> dict:
        """What the NLU pipeline makes of ``text`` (/model/parse), without a conversation."""
        return self.api("/model/parse", {"text": text})

    def log_sizes(self) -> dict[str, int]:
        return {
            name: (LOGS / f"{self.logs}-{name}.log").stat().st_size
            for name in ("actions", "rasa")
            if (LOGS / f"{self.logs}-{name}.log").exists()
        }

    def tracebacks_since(self, sizes: dict[str, int]) -> list[str]:
        """Tracebacks either server logged after ``sizes`` (from log_sizes), each with its last lines."""
        found = []
        for name in ("actions", "rasa"):
            path = LOGS / f"{self.logs}-{name}.log"
            if not path.exists():
                continue
            with path.open(errors="replace") as log:
                log.seek(sizes.get(name, 0))
                text = log.read()
            for chunk in text.split("Traceback (most recent call last):")[1:]:
                found.append(f"{name} server: Traceback ..." + "\n".join(chunk.splitlines()[-6:]))
        return found


@contextmanager
def serving(servers: RasaServers) -> Iterator[RasaServers]:
    """Servers already spawned, once they answer; stopped afterwards whatever happened."""
    try:
        servers.wait_until_up()
        yield servers
    finally:
        servers.stop_all()


@pytest.fixture(scope="session")
def rasa_servers(trained_model: Path, tmp_path_factory) -> Iterator[RasaServers]:
    servers = _EARLY.pop("servers", None)
    if servers is None:
        servers = RasaServers(trained_model, tmp_path_factory.mktemp("rasa"))
        servers.spawn_all()
    with serving(servers):
        yield servers


def postgres_reachable(url: str = POSTGRES_URL) -> str | None:
    """None when PostgreSQL answers at url, else why not (one line, for a skip)."""
    import sqlalchemy as sa

    engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        return None
    except Exception as error:  # any failure to connect means the same: no service to test against
        return f"PostgreSQL not reachable at {url} ({type(error).__name__}: {str(error).splitlines()[0][:120]})"
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> str:
    reason = postgres_reachable()
    if reason:
        pytest.skip(reason)
    return POSTGRES_URL


@pytest.fixture(scope="session")
def postgres_servers(trained_model: Path, postgres_url: str, tmp_path_factory) -> Iterator[RasaServers]:
    """A second pair of servers whose Rasa server keeps conversations in PostgreSQL
    (AMMA_DATABASE_URL), logging to logs/e2e-pg-*.log."""
    servers = RasaServers(trained_model, tmp_path_factory.mktemp("rasa-pg"), database_url=postgres_url, logs="e2e-pg")
    servers.spawn_all()
    with serving(servers):
        yield servers


class Chat:
    """One user talking to the live bot over the REST channel."""

    def __init__(self, servers: RasaServers):
        self.servers = servers
        self.sender = f"test-{uuid.uuid4().hex[:12]}"

    def send(self, text: str, metadata: dict | None = None) -> list[dict]:
        payload = {"sender": self.sender, "message": text, **({"metadata": metadata} if metadata else {})}
        body = json.dumps(payload).encode()
        request = urllib.request.Request(
            f"{self.servers.url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def say(self, text: str) -> str:
        """Send ``text`` and return every reply's text joined, for assertions."""
        return "\n".join(message.get("text", "") for message in self.send(text))

    def tracker(self) -> dict:
        return self.servers.api(f"/conversations/{self.sender}/tracker")


@pytest.fixture
def chat(rasa_servers: RasaServers) -> Chat:
    return Chat(rasa_servers)
