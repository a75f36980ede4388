"""Every endpoints.yml this project starts a Rasa server with, made from the
shipped one: `make run` and `make shell` (scripts/lib.sh), the tests, the
benchmark and the scale-out change only the action server's address and, where
they need to, the stores. So a setting added to endpoints.yml (such as the
selective domain) reaches every server, and the benchmark measures what ships.

    python -m ops.endpoints TARGET ACTION_URL   # writes TARGET
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

SHIPPED = Path(__file__).resolve().parent.parent / "endpoints.yml"


def endpoints(action_url: str, **sections: Any) -> dict[str, Any]:
    """The shipped endpoints with the action server at ``action_url``; each keyword
    replaces that whole section (``tracker_store=...``, ``lock_store=...``)."""
    config = yaml.safe_load(SHIPPED.read_text()) or {}
    config["action_endpoint"] = {**(config.get("action_endpoint") or {}), "url": action_url}
    config.update(sections)
    return config


def write(target: Path, action_url: str, **sections: Any) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(endpoints(action_url, **sections), sort_keys=False))
    return target


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: python -m ops.endpoints TARGET ACTION_URL")
    write(Path(sys.argv[1]), sys.argv[2])
