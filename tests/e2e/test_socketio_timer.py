"""Over socket.io the server pushes "time's up" when a hold is over, without
the person saying anything: a real Rasa reminder, fired by the server."""

from __future__ import annotations

import queue
import time
import uuid

import pytest
import socketio

from tests.conftest import TEST_TIME_SCALE

pytestmark = pytest.mark.rasa


class SocketChat:
    """A chat widget: one socket.io session, bot messages collected as they arrive."""

    def __init__(self, url: str):
        self.session_id = uuid.uuid4().hex
        self.inbox: queue.Queue[dict] = queue.Queue()
        self.timers: list = []  # countdown payloads, as a widget receives them
        self.client = socketio.Client()
        self.client.on("bot_uttered", self.inbox.put)
        self.client.connect(url, transports=["polling"], wait_timeout=30)
        self.client.emit("session_request", {"session_id": self.session_id})

    def say(self, text: str, settle: float = 1.5, timeout: float = 30) -> str:
        """Send ``text``; return what the bot says until it has been quiet for ``settle`` seconds."""
        self.client.emit("user_uttered", {"message": text, "session_id": self.session_id})
        return self.collect(settle, timeout)

    def collect(self, settle: float, timeout: float) -> str:
        texts, deadline, quiet_since = [], time.monotonic() + timeout, None
        while time.monotonic() < deadline:
            try:
                message = self.inbox.get(timeout=0.2)
                self.timers.extend([message["timer"]] if "timer" in message else [])
                texts.append(message.get("text") or "")
                quiet_since = time.monotonic()
            except queue.Empty:
                if quiet_since and time.monotonic() - quiet_since > settle:
                    break
        return "\n".join(texts)

    def close(self) -> None:
        self.client.disconnect()


@pytest.fixture
def socket_chat(rasa_servers):
    chat = SocketChat(rasa_servers.url)
    yield chat
    chat.close()


def test_times_up_is_pushed_when_the_hold_is_over(socket_chat, kb):
    reply = socket_chat.say("my eyes are heavy and watery from too much screen time")
    for _ in range(8):  # symptom check and screening: all "no"
        if "how strong is it right now" in reply or "guide you through" in reply:
            break
        reply = socket_chat.say("no")
    assert "guide you through" in reply
    assert "On a scale of 0" in socket_chat.say("yes")
    first = socket_chat.say("4", settle=0.5)
    assert first.startswith("Step 1 of")
    assert socket_chat.timers[-1]["step"] == 1 and socket_chat.timers[-1]["seconds"] > 0
    code = first.split(": ", 1)[1].split(" ")[0]
    hold = kb.points[code].hold_seconds * TEST_TIME_SCALE
    pushed = socket_chat.collect(settle=1.0, timeout=hold + 15)
    assert "Time's up. Release slowly." in pushed
    assert socket_chat.say("next").startswith("Step 2 of")
