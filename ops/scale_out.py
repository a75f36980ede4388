"""`make scale-out`: Amma scaled out on one machine with Rasa's own mechanisms.

Two Rasa servers share the PostgreSQL tracker store (AMMA_DATABASE_URL) and a
RedisLockStore (AMMA_REDIS_URL), so any server can take any message of any
conversation and two never work on one conversation at once. Two stateless
action servers: each Rasa server calls its own and fails over to the other
(policies/action_failover.py), with no proxy between them, which cost a tenth
of what the second server added (README, "Speed"). nginx in front spreads
messages over the Rasa servers and keeps each socket.io session on one of them
(the socket lives there).

Everything listens on 127.0.0.1; the HTTP API needs AMMA_API_TOKEN (or
AMMA_JWT_SECRET). Run through `make scale-out` (scripts/scale_out.sh), which
installs nginx and trains the model first; logs go to logs/scale-*.log.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import yaml

from ops.endpoints import endpoints as shipped_endpoints
from ops.probe import rest_reply
from ops.stack import LOGS, ROOT, Stack, free_port

RASA = str(Path(sys.executable).with_name("rasa"))
DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/1"
NGINX_TEMPLATE = Path(__file__).with_name("nginx.conf.template")


@dataclass
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str = DEFAULT_REDIS_URL
    port: int = 8000  # nginx, for clients
    rasa_ports: list[int] = field(default_factory=lambda: [5005, 5006])
    action_ports: list[int] = field(default_factory=lambda: [5055, 5057])
    auth_args: list[str] = field(default_factory=list)
    cors_origins: list[str] = field(default_factory=list)
    model: Path = ROOT / "models" / "amma.tar.gz"
    workdir: Path = ROOT / ".scale"

    @classmethod
    def free_ports(cls, servers: int = 2, **kwargs: object) -> Settings:
        """Settings on free ports (tests, the benchmark)."""
        return cls(
            port=free_port(),
            rasa_ports=[free_port() for _ in range(servers)],
            action_ports=[free_port() for _ in range(servers)],
            **kwargs,  # type: ignore[arg-type]
        )


def reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=2):
            return True
    except OSError:
        return False


def missing_services(settings: Settings) -> list[str]:
    """What the setup needs and can't find, each as one line."""
    missing = []
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        missing.append("nginx is not installed (Debian: apt-get install nginx-light)")
    if not reachable(settings.database_url, 5432):
        missing.append(f"PostgreSQL is not reachable at {urlparse(settings.database_url).netloc}")
    if not reachable(settings.redis_url, 6379):
        missing.append(f"Redis is not reachable at {urlparse(settings.redis_url).netloc}")
    return missing


def action_urls(settings: Settings, server: int) -> list[str]:
    """The action servers' webhooks in the order Rasa server number `server` (from 0) calls them:
    its own first, then the others round from it, so a dead one's calls spread over the rest."""
    ports = settings.action_ports
    return [f"http://127.0.0.1:{ports[(server + step) % len(ports)]}/webhook" for step in range(len(ports))]


def endpoints(settings: Settings, server: int) -> dict:
    """Rasa server number `server`'s (from 0) endpoints."""
    redis = urlparse(settings.redis_url)
    # Rasa's RedisLockStore with atomic ticket handling (stores/lock_store.py).
    lock_store = {
        "type": "stores.lock_store.AtomicRedisLockStore",
        "url": redis.hostname or "127.0.0.1",
        "port": redis.port or 6379,
    }
    lock_store["db"] = int(redis.path.strip("/") or 0)
    if redis.password:
        lock_store["password"] = redis.password
    own, *others = action_urls(settings, server)
    config = shipped_endpoints(
        own,
        # The database comes from AMMA_DATABASE_URL in the servers' environment.
        tracker_store={"type": "stores.tracker_store.AmmaTrackerStore"},
        lock_store=lock_store,
    )
    config["action_endpoint"]["fallback_urls"] = others
    return config


def nginx_config(settings: Settings, log_prefix: str = "scale") -> str:
    servers = "\n".join
    return NGINX_TEMPLATE.read_text().format(
        workdir=settings.workdir,
        error_log=LOGS / f"{log_prefix}-nginx-error.log",
        port=settings.port,
        rasa_servers=servers(f"    server 127.0.0.1:{port};" for port in settings.rasa_ports),
    )


def start_action_server(stack: Stack, settings: Settings, number: int) -> None:
    """Action server `number` (from 1) as `actions-<number>`: at start, or again after it stopped."""
    port = settings.action_ports[number - 1]
    env = {"SANIC_HOST": "127.0.0.1"}
    stack.spawn(f"actions-{number}", [RASA, "run", "actions", "--actions", "actions", "-p", str(port)], env)


def start(settings: Settings, log_prefix: str = "scale") -> Stack:
    """Start every server; returns once nginx answers and each Rasa server has loaded its model.
    Logs go to logs/<log_prefix>-*.log."""
    settings.workdir.mkdir(parents=True, exist_ok=True)
    (settings.workdir / "nginx.conf").write_text(nginx_config(settings, log_prefix))
    env = {
        "AMMA_DATABASE_URL": settings.database_url,
        "SANIC_HOST": "127.0.0.1",
        "AMMA_CORS_ORIGINS": " ".join(settings.cors_origins),
    }
    stack = Stack(log_prefix)
    try:
        for number in range(1, len(settings.action_ports) + 1):
            start_action_server(stack, settings, number)
        for number, port in enumerate(settings.rasa_ports, 1):
            endpoints_file = settings.workdir / f"endpoints-{number}.yml"
            endpoints_file.write_text(yaml.safe_dump(endpoints(settings, number - 1)))
            # The safety net's health check: the actions can run while any replica answers.
            urls = " ".join(action_urls(settings, number - 1))
            args = [RASA, "run", "-m", str(settings.model), "--enable-api", *settings.auth_args, "-i", "127.0.0.1"]
            args += ["-p", str(port), "--endpoints", str(endpoints_file)]
            args += ["--credentials", str(ROOT / "credentials.yml")]
            if settings.cors_origins:
                args += ["--cors", *settings.cors_origins]
            stack.spawn(f"rasa-{number}", args, {**env, "AMMA_ACTION_SERVER_URL": urls})
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        conf = settings.workdir / "nginx.conf"
        stack.spawn(
            "nginx",
            [nginx, "-e", str(LOGS / f"{log_prefix}-nginx-error.log"), "-p", str(settings.workdir), "-c", str(conf)],
        )
        for port in settings.action_ports:
            stack.wait_for(f"http://127.0.0.1:{port}/health")
        for port in settings.rasa_ports:
            # /version answers without the token; the model is loaded once the REST channel replies.
            stack.wait_for(f"http://127.0.0.1:{port}/version")
            wait_for_model(stack, f"http://127.0.0.1:{port}")
        stack.wait_for(f"http://127.0.0.1:{settings.port}/version")
    except BaseException:
        stack.stop()
        raise
    return stack


def wait_for_model(stack: Stack, url: str, timeout: float = 300) -> None:
    """A Rasa server answers /version before its model is loaded; wait until the REST channel replies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stack.check_running()
        if rest_reply(url):
            return
        time.sleep(1)
    raise RuntimeError(f"{url} did not load its model within {timeout:.0f} s")


def settings_from_environment() -> Settings:
    ports = [int(p) for p in os.environ.get("AMMA_SCALE_RASA_PORTS", "5005 5006").split()]
    action_ports = [int(p) for p in os.environ.get("AMMA_SCALE_ACTION_PORTS", "5055 5057").split()]
    auth = ["--auth-token", os.environ["AMMA_API_TOKEN"]] if os.environ.get("AMMA_API_TOKEN") else []
    if os.environ.get("AMMA_JWT_SECRET"):
        auth = [
            "--jwt-secret",
            os.environ["AMMA_JWT_SECRET"],
            "--jwt-method",
            os.environ.get("AMMA_JWT_METHOD", "HS256"),
        ]
    return Settings(
        database_url=os.environ.get("AMMA_DATABASE_URL") or DEFAULT_DATABASE_URL,
        redis_url=os.environ.get("AMMA_REDIS_URL") or DEFAULT_REDIS_URL,
        port=int(os.environ.get("AMMA_SCALE_PORT", "8000")),
        rasa_ports=ports,
        action_ports=action_ports,
        auth_args=auth,
        cors_origins=os.environ.get("AMMA_CORS_ORIGINS", "").split(),
    )


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    settings = settings_from_environment()
    if not settings.auth_args:
        raise SystemExit("The HTTP API needs AMMA_API_TOKEN or AMMA_JWT_SECRET (see .env.example).")
    missing = missing_services(settings)
    if missing:
        raise SystemExit("Can't start the scaled-out setup:\n  " + "\n  ".join(missing))
    servers = f"{len(settings.rasa_ports)} Rasa servers and {len(settings.action_ports)} action servers"
    print(f"Starting {servers} (logs: logs/scale-*.log) ...")
    stack = start(settings)
    print(
        f"Ready: http://127.0.0.1:{settings.port} (REST /webhooks/rest/webhook, socket.io /socket.io). Ctrl-C stops it."
    )
    try:
        while True:
            stack.check_running()
            time.sleep(2)
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
