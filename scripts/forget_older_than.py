"""Retention: `make forget-older-than DAYS=30` deletes every conversation whose
last message is older than DAYS days from the tracker store the settings point
at (AMMA_DATABASE_URL, else the SQLite file named in endpoints.yml), and prints
how many it removed. Run it daily (cron, a systemd timer, a Kubernetes CronJob).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from stores.retention import forget_older_than
from stores.settings import DEFAULT_SQLITE_FILE, DatabaseSettingError, database_url, describe

ROOT = Path(__file__).resolve().parent.parent


def sqlite_file(endpoints: Path) -> Path:
    """The SQLite file endpoints.yml names, relative to the project folder the server runs in."""
    store = (yaml.safe_load(endpoints.read_text(encoding="utf-8")) or {}).get("tracker_store") or {}
    return ROOT / str(store.get("db") or DEFAULT_SQLITE_FILE)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", required=True, type=float, help="keep conversations active in the last DAYS days")
    parser.add_argument("--endpoints", type=Path, default=ROOT / "endpoints.yml")
    args = parser.parse_args(argv)
    if args.days < 0:
        parser.error("--days must be 0 or more")
    try:
        url = database_url(sqlite_file(args.endpoints))
    except DatabaseSettingError as error:
        print(error, file=sys.stderr)
        return 2
    if url.get_backend_name() == "sqlite" and not Path(str(url.database)).exists():
        print(f"No conversations stored yet ({url.database} does not exist): removed 0.")
        return 0
    removed = forget_older_than(url, args.days)
    print(
        f"Removed {removed.conversations} conversation(s) ({removed.events} stored events) "
        f"with no message in the last {args.days:g} days from {describe(url)}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
