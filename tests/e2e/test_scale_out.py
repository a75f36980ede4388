"""The scaled-out setup (ops/scale_out.py): two Rasa servers sharing the
PostgreSQL tracker store and a Redis lock store, two action servers (each Rasa
server calls its own and fails over to the other), nginx in front. Many
conversations run at once with their turns sent alternately to both servers;
afterwards each conversation holds every message once, in the order sent, and
its routine is at the step the person reached, also with an action server gone."""

from __future__ import annotations

import itertools
import json
import secrets
import threading
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from ops import scale_out
from tests.conftest import ApiClient, Chat

pytestmark = pytest.mark.rasa

CONVERSATIONS = 8


@pytest.fixture(scope="module")
def cluster_stack(trained_model, tmp_path_factory):
    settings = scale_out.Settings.free_ports(
        model=trained_model,
        auth_args=["--auth-token", secrets.token_hex(16)],
        workdir=tmp_path_factory.mktemp("scale"),
    )
    missing = scale_out.missing_services(settings)
    if missing:
        pytest.skip("; ".join(missing))
    stack = scale_out.start(settings)
    yield settings, stack
    stack.stop()


@pytest.fixture(scope="module")
def cluster(cluster_stack):
    return cluster_stack[0]


class Server(ApiClient):
    """One Rasa server of the cluster, or nginx in front: what Chat needs of it."""

    def __init__(self, port: int, token: str):
        self.url = f"http://127.0.0.1:{port}"
        self.token = token


class Alternating:
    """Hands out the cluster's Rasa servers in turn, one per message."""

    def __init__(self, servers: list[Server]):
        self._next = itertools.cycle(servers)
        self._lock = threading.Lock()
        self.token = servers[0].token

    @property
    def url(self) -> str:
        with self._lock:
            return next(self._next).url

    def api(self, path: str, body: dict | None = None) -> dict:
        return Server(int(self.url.rsplit(":", 1)[1]), self.token).api(path, body)


def user_texts(tracker: dict) -> list[str]:
    return [event["text"] for event in tracker["events"] if event["event"] == "user"]


def routine_to_step_3(servers: list[Server], _: int = 0) -> tuple[str, list[str], str]:
    """A stress routine up to its third step, each turn on the other server than the last."""
    chat = Chat(Alternating(servers))  # type: ignore[arg-type]
    sent, replies = ["/symptom_stress"], []
    replies.append(chat.say(sent[0]))
    while chat.tracker().get("active_loop", {}).get("name"):
        sent.append("no")
        replies.append(chat.say("no"))
    for text in ("yes please, guide me", "6", "next", "next"):
        sent.append(text)
        replies.append(chat.say(text))
    return chat.sender, sent, "\n---\n".join(replies)


def check_at_step_3(servers: list[Server], results: list[tuple[str, list[str], str]]) -> None:
    for sender, sent, last in results:
        for server in servers:  # both servers see the same conversation
            tracker = server.api(f"/conversations/{sender}/tracker")
            assert user_texts(tracker) == sent
            assert (tracker["slots"]["routine_state"] or {}).get("index") == 2, last[-3000:]
        assert last.rsplit("---\n", 1)[-1].startswith("Step 3 of")


def test_conversations_spread_over_two_servers_lose_nothing(cluster):
    token = cluster.auth_args[1]
    servers = [Server(port, token) for port in cluster.rasa_ports]
    with ThreadPoolExecutor(CONVERSATIONS) as pool:
        results = list(pool.map(lambda n: routine_to_step_3(servers, n), range(CONVERSATIONS)))
    check_at_step_3(servers, results)


def test_an_action_server_that_stops_loses_no_message(cluster_stack):
    # Each Rasa server calls its own action server and fails over to the other
    # (policies/action_failover.py): with the first one gone, every turn still runs its actions.
    cluster, stack = cluster_stack
    servers = [Server(port, cluster.auth_args[1]) for port in cluster.rasa_ports]
    stack.stop("actions-1")
    try:
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(lambda n: routine_to_step_3(servers, n), range(4)))
        check_at_step_3(servers, results)
    finally:
        scale_out.start_action_server(stack, cluster, 1)
        stack.wait_for(f"http://127.0.0.1:{cluster.action_ports[0]}/health")


def test_two_messages_at_once_on_two_servers_take_turns(cluster):
    token = cluster.auth_args[1]
    servers = [Server(port, token) for port in cluster.rasa_ports]

    def both_at_once(sender: str) -> None:
        def send(server: Server, text: str) -> None:
            body = json.dumps({"sender": sender, "message": text}).encode()
            request = urllib.request.Request(
                f"{server.url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
            )
            with urllib.request.urlopen(request, timeout=60) as response:
                assert json.loads(response.read())  # each gets a reply

        with ThreadPoolExecutor(2) as pool:
            list(pool.map(send, servers, ["hello there", "what is amma exactly?"]))

    # A new conversation's first two messages at the same moment, on both servers, a few
    # times over: Rasa's own RedisLockStore lost one now and then (stores/lock_store.py).
    for _ in range(5):
        sender = f"test-{uuid.uuid4().hex[:12]}"
        both_at_once(sender)
        events = servers[0].api(f"/conversations/{sender}/tracker")["events"]
        assert sorted(user_texts({"events": events})) == ["hello there", "what is amma exactly?"]
        # The lock kept the turns whole: each message's actions end with a listen
        # before the other message's turn starts.
        kinds = [e.get("name") if e["event"] == "action" else e["event"] for e in events]
        second_user = [i for i, kind in enumerate(kinds) if kind == "user"][1]
        assert "action_listen" in kinds[:second_user][-1:], kinds


def test_nginx_spreads_messages_and_keeps_the_conversation(cluster):
    token = cluster.auth_args[1]
    front = Server(cluster.port, token)
    chat = Chat(front)  # type: ignore[arg-type]
    assert "not medical advice" in chat.say("hi")
    assert chat.say("could you tell me a little about what amma is")
    assert user_texts(chat.tracker()) == ["hi", "could you tell me a little about what amma is"]
