"""A custom action that fails answers from the Rasa server alone (policies/failed_action_reply.py).

Rasa's own RemoteAction talks to a stand-in action server that answers /health but
fails the action call, as a real one does when an action raises."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

import policies  # noqa: F401  (installs the wrapper, as the Rasa server does with the model)
from tests.conftest import ROOT

EMERGENCY_NUMBERS = ("911", "999", "112", "000")


class ActionServer(BaseHTTPRequestHandler):
    status = 500
    body: dict = {}

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        self.rfile.read(int(self.headers["Content-Length"]))
        payload = json.dumps(self.body).encode()
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def action_server() -> Iterator[tuple[str, type[ActionServer]]]:
    handler = type("Handler", (ActionServer,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/webhook", handler
    server.shutdown()


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


def run(action_name: str, intent: str, url: str, domain: Domain, events=()) -> list:
    tracker = DialogueStateTracker.from_events(
        "someone",
        [ActionExecuted("action_listen"), *events, UserUttered("text", intent={"name": intent, "confidence": 1.0})],
    )
    action = RemoteAction(action_name, EndpointConfig(url))
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    return asyncio.run(action.run(CollectingOutputChannel(), nlg, tracker, domain))


def texts(events: list) -> list[str]:
    return [e.text for e in events if isinstance(e, BotUttered)]


def test_a_failed_action_says_there_is_trouble_and_gives_the_emergency_numbers(action_server, domain):
    url, _ = action_server
    [reply] = texts(run("action_suggest_routine", "symptom_headache", url, domain))
    assert reply.startswith("I'm having trouble right now")
    assert all(number in reply for number in EMERGENCY_NUMBERS)


def test_a_failed_escalation_still_gives_the_red_flag_reply(action_server, domain):
    url, _ = action_server
    [reply] = texts(run("action_escalate_red_flag", "red_flag_emergency", url, domain))
    assert reply.startswith("Please stop the self-care") and all(n in reply for n in EMERGENCY_NUMBERS)
    [reply] = texts(run("action_escalate_red_flag", "red_flag_crisis", url, domain))
    assert "988" in reply and "116 123" in reply


def test_a_failed_answer_to_the_check_question_escalates(action_server, domain):
    url, _ = action_server
    asked = [ActionExecuted("action_check_red_flag"), SlotSet("red_flag_pending", "emergency")]
    [reply] = texts(
        run("action_red_flag_follow_up", "symptom_headache", url, domain, [*asked, ActionExecuted("action_listen")])
    )
    assert reply.startswith("Please stop the self-care")


def test_a_working_action_and_a_form_rejection_pass_through(action_server, domain):
    url, handler = action_server
    handler.status, handler.body = 200, {"events": [], "responses": [{"text": "Step 1 of 4"}]}
    assert texts(run("action_start_routine", "affirm", url, domain)) == ["Step 1 of 4"]
    handler.status, handler.body = 400, {"action_name": "validate_screening_form", "error": "no answer here"}
    with pytest.raises(ActionExecutionRejection):
        run("validate_screening_form", "affirm", url, domain)
