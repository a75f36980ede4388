"""SafetyNetPolicy reads the turn from a real Rasa tracker."""

from __future__ import annotations

import http.server
import threading
import time

from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

from policies.safety_net import action_server_up, action_servers_up, turn_so_far


def _user(intent: str) -> UserUttered:
    return UserUttered("text", intent={"name": intent, "confidence": 1.0})


def test_the_turn_is_read_from_the_events():
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker.from_events(
        "someone",
        [
            ActionExecuted("action_session_start"),
            ActionExecuted("action_listen"),
            _user("red_flag_check"),
            ActionExecuted("action_check_red_flag"),
            BotUttered("Are you describing something urgent?"),
            SlotSet("red_flag_pending", "crisis"),
            ActionExecuted("action_listen"),
            _user("symptom_headache"),
        ],
    )
    assert turn_so_far(tracker) == ("action_check_red_flag", [])
    tracker.update(ActionExecuted("action_escalate_red_flag"))
    assert turn_so_far(tracker) == ("action_check_red_flag", ["action_escalate_red_flag"])


def test_a_server_that_isnt_there_is_down_and_none_means_no_check():
    assert action_server_up("http://127.0.0.1:9/webhook", timeout=0.5) is False
    assert action_server_up("none", timeout=0.5) is True


def health_server(hits: list[str]) -> http.server.ThreadingHTTPServer:
    """An action server's /health that answers 200 and notes each path asked, until shut down."""

    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_one_health_check_serves_a_quarter_second_then_a_stopped_server_reads_down():
    hits: list[str] = []
    server = health_server(hits)
    url = f"http://127.0.0.1:{server.server_address[1]}/webhook"
    # A turn's 3-5 predictions, back to back: one request.
    assert all(action_server_up(url, timeout=0.5) for _ in range(5))
    assert hits == ["/health"]
    server.shutdown()
    server.server_close()
    time.sleep(0.3)  # older than the quarter second: asked again, and nobody answers
    assert action_server_up(url, timeout=0.5) is False


def test_with_replicas_the_actions_are_up_while_any_of_them_answers():
    server = health_server([])
    answering = f"http://127.0.0.1:{server.server_address[1]}/webhook"
    try:
        assert action_servers_up(f"http://127.0.0.1:9/webhook {answering}", timeout=0.5) is True
        assert action_servers_up("http://127.0.0.1:9/webhook http://127.0.0.1:7/webhook", timeout=0.5) is False
    finally:
        server.shutdown()
        server.server_close()
