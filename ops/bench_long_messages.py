"""How long messages, and many ordinary ones, cost a running Rasa server: prints
figures, asserts nothing.

Sends a 21,000-character message and an 8,000-word one over REST while a second
conversation keeps sending short messages, and prints each long reply's time, the
short replies' worst time meanwhile (a stall shows there), and the server's memory
before and after (with --pid). With --messages N it first holds N ordinary turns
over many conversations and prints the memory after them. Usage, against
`make server` and `make actions`:

    .venv/bin/python -m ops.bench_long_messages [--url http://127.0.0.1:5005] [--pid PID] [--messages 1000]
"""

from __future__ import annotations

import argparse
import threading
import time
import uuid

from ops.probe import AMMA_TURNS, memory_mb, say


def ping(url: str, headers: dict[str, str], times: list[float], done: threading.Event) -> None:
    """Another conversation's short messages, until ``done``."""
    sender = uuid.uuid4().hex
    while not done.is_set():
        times.append(say(url, sender, "hi", headers))


def mb(pid: int | None) -> str:
    memory = memory_mb(pid)
    return "n/a (no --pid)" if memory is None else f"{memory:.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:5005")
    parser.add_argument("--pid", type=int, help="the Rasa server's process id, for its memory")
    parser.add_argument("--token", help="the Rasa server's auth token, if it has one")
    parser.add_argument("--messages", type=int, default=0, help="ordinary turns to hold first")
    args = parser.parse_args()
    headers = {"Content-Type": "application/json"}
    if args.token:
        headers["Authorization"] = f"Bearer {args.token}"
    say(args.url, uuid.uuid4().hex, "hello", headers)  # warm up
    print(f"server memory before: {mb(args.pid)}")
    if args.messages:
        turns = AMMA_TURNS
        start = time.perf_counter()
        sender = uuid.uuid4().hex
        for number in range(args.messages):
            if number % len(turns) == 0:
                sender = uuid.uuid4().hex
            say(args.url, sender, turns[number % len(turns)], headers)
        took = time.perf_counter() - start
        print(f"{args.messages} ordinary turns in {took:.0f} s; server memory after them: {mb(args.pid)}")
    cases = {
        "21,000 characters": ("my shoulders are tight " * 1000)[:21000],
        "8,000 words": " ".join(["tired"] * 8000),
    }
    for name, text in cases.items():
        short: list[float] = []
        done = threading.Event()

        pinger = threading.Thread(target=ping, args=(args.url, headers, short, done))
        pinger.start()
        took = say(args.url, uuid.uuid4().hex, text, headers)
        done.set()
        pinger.join()
        print(f"{name}: reply in {took:.2f} s; meanwhile {len(short)} short replies, slowest {max(short):.2f} s")
    print(f"server memory after: {mb(args.pid)}")


if __name__ == "__main__":
    main()
