"""The retention command (`make forget-older-than DAYS=30`) on a scratch store of
each kind: it removes exactly the conversations whose last message is older
than DAYS days, keeps the rest whole, and says how many it removed."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time

import pytest
import yaml

from tests.conftest import QUIET_ENV, ROOT
from tests.stores.conftest import load_domain, rows

pytest.importorskip("rasa.core.tracker_store")

from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered  # noqa: E402
from rasa.shared.core.trackers import DialogueStateTracker  # noqa: E402

from stores.tracker_store import AmmaTrackerStore  # noqa: E402

DAY = 24 * 60 * 60
# conversation -> days ago of its first and its last message; and whether DAYS=30 removes it.
CONVERSATIONS = {
    "quiet-for-months": (120, 90, True),
    "quiet-for-31-days": (31, 31, True),
    "quiet-for-29-days": (29, 29, False),
    "started-long-ago-active-this-week": (60, 2, False),
    "today": (0, 0, False),
}


def aged_conversation(sender: str, first_days: float, last_days: float) -> DialogueStateTracker:
    now = time.time()
    first, last = now - first_days * DAY, now - last_days * DAY
    return DialogueStateTracker.from_events(
        sender,
        [
            SessionStarted(timestamp=first),
            UserUttered("my neck is stiff", intent={"name": "greet"}, timestamp=first),
            ActionExecuted("action_listen", timestamp=last),
        ],
        load_domain().slots,
    )


def forget_older_than(days: str, url: str, tmp_path) -> subprocess.CompletedProcess:
    """The command as `make forget-older-than` runs it, pointed at the scratch store
    the way a deployment's settings would: AMMA_DATABASE_URL, or endpoints.yml's SQLite file."""
    endpoints = tmp_path / "endpoints.yml"
    env = {**QUIET_ENV}
    if url.startswith("sqlite:///"):
        endpoints.write_text(yaml.safe_dump({"tracker_store": {"db": url.removeprefix("sqlite:///")}}))
        env["AMMA_DATABASE_URL"] = ""
    else:
        endpoints.write_text(yaml.safe_dump({"tracker_store": {"db": "not-used.db"}}))
        env["AMMA_DATABASE_URL"] = url
    return subprocess.run(
        [sys.executable, "scripts/forget_older_than.py", "--days", days, "--endpoints", str(endpoints)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_only_conversations_quiet_for_longer_than_the_limit_are_removed(database, monkeypatch, tmp_path):
    monkeypatch.setenv("AMMA_DATABASE_URL", database)
    store = AmmaTrackerStore(domain=load_domain())
    for sender, (first, last, _) in CONVERSATIONS.items():
        asyncio.run(store.save(aged_conversation(sender, first, last)))
    store.engine.dispose()

    result = forget_older_than("30", database, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Removed 2 conversation(s) (6 stored events) with no message in the last 30 days" in result.stdout
    for sender, (_, _, removed) in CONVERSATIONS.items():
        assert len(rows(database, sender)) == (0 if removed else 3), sender

    again = forget_older_than("30", database, tmp_path)
    assert "Removed 0 conversation(s)" in again.stdout


def test_a_store_that_was_never_written_is_left_alone(tmp_path):
    missing = tmp_path / "never-created.db"
    result = forget_older_than("30", f"sqlite:///{missing}", tmp_path)
    assert result.returncode == 0 and "removed 0" in result.stdout
    assert not missing.exists()


def test_a_negative_number_of_days_is_refused(tmp_path):
    result = forget_older_than("-1", f"sqlite:///{tmp_path / 'x.db'}", tmp_path)
    assert result.returncode != 0 and "--days must be 0 or more" in result.stderr
