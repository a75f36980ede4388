"""`make bench`: Amma against Rasa's own starter bot (`rasa init`), measured in
one run on this machine with the project's Rasa. Prints a table with the
ratios and writes the figures to results/bench.json; asserts nothing.

The bots: the starter bot, Amma as `make run` ships it (SQLite, one action
server), the scaled-out setup (scripts/scale_out.sh: nginx in front of two Rasa
servers on PostgreSQL and Redis) and the same with one Rasa server, the last two
when PostgreSQL, Redis and nginx are there. Each is started and measured alone:
seconds from start to the first reply, one user's reply times (p50/p95), one
long conversation. Then, all of them up, 20 concurrent conversations take turns
between the bots, three runs each, while the other bots are frozen (SIGSTOP):
reply times, throughput, and the CPU each process spends per message. Last,
each bot's largest Rasa server's memory. Every simulated person keeps one
connection open, as a chat page does.

    .venv/bin/python -m ops.bench [--turns 200] [--concurrency 20] [--repeats 3] [--no-scaled]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from ops import scale_out
from ops.endpoints import write as write_endpoints
from ops.probe import AMMA_TURNS, CpuMeter, KeptConnection, memory_mb, rest_reply, say
from ops.stack import LOGS, ROOT, Stack, free_port

SCRATCH = ROOT / ".bench"
RASA = str(Path(sys.executable).with_name("rasa"))
# The starter bot's own conversation (its stories: greet, mood, bot challenge, goodbye).
STARTER_TURNS = ["hi", "I'm feeling sad", "yes", "great, thanks", "are you a bot?", "bye"]


def first_reply(url: str, stack: Stack, started: float, timeout: float = 300) -> float:
    """Seconds from ``started`` until the bot at ``url`` first answers a message."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stack.check_running()
        if rest_reply(url):
            return time.monotonic() - started
        time.sleep(0.5)
    raise SystemExit(f"{url} gave no reply within {timeout:.0f} s")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def one_user(url: str, turns: list[str], count: int) -> dict:
    """One person's conversations, one message at a time."""
    times, sender, browser = [], "", KeptConnection(url)
    for number in range(count):
        if number % len(turns) == 0:
            sender = "bench-" + uuid.uuid4().hex
        times.append(browser.say(sender, turns[number % len(turns)]))
    browser.close()
    return {"p50_ms": 1000 * statistics.median(times), "p95_ms": 1000 * percentile(times, 0.95)}


def growth(url: str, turns: list[str], count: int) -> dict:
    """One conversation ``count`` messages long: how the reply time grows with its length."""
    sender, browser = "bench-" + uuid.uuid4().hex, KeptConnection(url)
    times = [browser.say(sender, turns[number % len(turns)]) for number in range(count)]
    browser.close()
    return {
        "first_10_p50_ms": 1000 * statistics.median(times[:10]),
        "last_10_p50_ms": 1000 * statistics.median(times[-10:]),
    }


def concurrent(url: str, turns: list[str], conversations: int, rounds: int, meter: CpuMeter | None = None) -> dict:
    """``conversations`` people at once, each going through ``turns`` ``rounds`` times;
    with a meter, also the CPU each process group spent per message meanwhile."""
    times: list[float] = []
    lock = threading.Lock()

    def person() -> None:
        mine: list[float] = []
        browser = KeptConnection(url)
        for _ in range(rounds):
            sender = "bench-" + uuid.uuid4().hex
            mine.extend(browser.say(sender, text) for text in turns)
        browser.close()
        with lock:
            times.extend(mine)

    if meter:
        meter.start()
    start = time.perf_counter()
    threads = [threading.Thread(target=person) for _ in range(conversations)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    figures: dict = {
        "p50_ms": 1000 * statistics.median(times),
        "p95_ms": 1000 * percentile(times, 0.95),
        "messages_per_s": len(times) / wall,
    }
    if meter:
        figures["cpu_ms_per_message"] = meter.per_message(len(times))
        figures["cores_in_use"] = sum(figures["cpu_ms_per_message"].values()) * len(times) / 1000 / wall
    return figures


def starter_model() -> Path:
    """Rasa's starter bot, trained once in .bench/starter with this project's Rasa."""
    folder = SCRATCH / "starter"
    models = sorted((folder / "models").glob("*.tar.gz")) if folder.exists() else []
    if not models:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        print(
            "Training Rasa's starter bot (rasa init) in .bench/starter (log: logs/bench-starter-init.log)", flush=True
        )
        with (LOGS / "bench-starter-init.log").open("w") as log:
            subprocess.run([RASA, "init", "--no-prompt", "--init-dir", str(folder)], check=True, stdout=log, stderr=log)
        models = sorted((folder / "models").glob("*.tar.gz"))
    return models[-1]


@dataclass
class Bot:
    """One bot being measured, kept running until every bot's load rounds are done."""

    key: str  # its key in results/bench.json
    name: str
    url: str
    stack: Stack
    turns: list[str]
    rasa: list[str]  # the stack's Rasa servers, for the memory figure
    figures: dict = field(default_factory=dict)


def measure_alone(bot: Bot, started: float, args: argparse.Namespace, load_only: bool = False) -> None:
    """The start and one person's figures, while no other bot is busy; with load_only, the start only."""
    print(f"Starting and measuring {bot.name} ...", flush=True)
    bot.figures["first_reply_s"] = first_reply(bot.url, bot.stack, started)
    for _ in range(5):  # warm-up
        say(bot.url, "bench-warm-" + uuid.uuid4().hex, bot.turns[0])
    if not load_only:
        bot.figures["one_user"] = one_user(bot.url, bot.turns, args.turns)
        bot.figures["growth"] = growth(bot.url, bot.turns, args.turns)


def load_rounds(bots: list[Bot], args: argparse.Namespace) -> None:
    """The concurrent conversations, bot after bot, ``args.repeats`` times over. The
    machine's speed drifts by 10% and more over minutes here, more than a change is
    worth: interleaved, every bot meets the same drift, and each ratio comes from
    runs minutes apart at most. A bot's figure is the median of its runs."""
    rounds = max(1, round(args.turns / 20 / args.repeats))  # about as many messages as one user sends
    runs: dict[str, list[dict]] = {bot.key: [] for bot in bots}
    for repeat in range(args.repeats):
        for bot in bots:
            print(
                f"{args.concurrency} conversations at once, run {repeat + 1} of {args.repeats}: {bot.name}", flush=True
            )
            # Each server runs in a session of its own (Stack): its CPU is counted under its name.
            labels = {other.stack.pid(p): "other bots (idle)" for other in bots for p in other.stack.processes}
            labels.update({bot.stack.pid(p): p for p in bot.stack.processes})
            others = [other.stack for other in bots if other is not bot]
            try:
                for stack in others:
                    stack.freeze(True)
                runs[bot.key].append(concurrent(bot.url, bot.turns, args.concurrency, rounds, CpuMeter(labels)))
            finally:
                for stack in others:
                    stack.freeze(False)
    for bot in bots:
        mine = runs[bot.key]
        groups = dict.fromkeys(group for run in mine for group in run["cpu_ms_per_message"])
        bot.figures["concurrent"] = {
            **{key: statistics.median(run[key] for run in mine) for key in ("p50_ms", "p95_ms", "messages_per_s")},
            "cpu_ms_per_message": {
                group: statistics.mean(run["cpu_ms_per_message"].get(group, 0.0) for run in mine) for group in groups
            },
            "cores_in_use": statistics.mean(run["cores_in_use"] for run in mine),
            "runs": mine,
        }
        # The largest Rasa server's resident memory after the load.
        bot.figures["memory_mb"] = max((memory_mb(bot.stack.pid(name)) or 0.0) for name in bot.rasa)


def start_starter() -> tuple[Bot, float]:
    model = starter_model()
    port, stack = free_port(), Stack("bench")
    started = time.monotonic()
    stack.spawn("starter", [RASA, "run", "-m", str(model), "-i", "127.0.0.1", "-p", str(port)], cwd=model.parent.parent)
    return Bot("starter", "the starter bot", f"http://127.0.0.1:{port}", stack, STARTER_TURNS, ["starter"]), started


def start_amma() -> tuple[Bot, float]:
    model = ROOT / "models" / "amma.tar.gz"
    work = SCRATCH / "amma"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    rasa_port, action_port = free_port(), free_port()
    action_url = f"http://127.0.0.1:{action_port}/webhook"
    # The shipped endpoints (SQLite tracker store), in a scratch folder so the
    # benchmark's conversations stay out of the developer's own database.
    write_endpoints(work / "endpoints.yml", action_url)
    env = {"AMMA_ACTION_SERVER_URL": action_url, "SANIC_HOST": "127.0.0.1"}
    stack = Stack("bench")
    started = time.monotonic()
    stack.spawn("actions", [RASA, "run", "actions", "--actions", "actions", "-p", str(action_port)], env)
    args = [RASA, "run", "-m", str(model), "-i", "127.0.0.1", "-p", str(rasa_port)]
    args += ["--endpoints", str(work / "endpoints.yml"), "--credentials", str(ROOT / "credentials.yml")]
    stack.spawn("amma", args, env, cwd=work)
    return Bot("amma", "Amma", f"http://127.0.0.1:{rasa_port}", stack, AMMA_TURNS, ["amma"]), started


def start_scaled(servers: int) -> tuple[Bot, float] | None:
    """nginx in front of ``servers`` Rasa servers on PostgreSQL and Redis (ops/scale_out.py);
    None, saying why, when a service it needs is missing."""
    settings = scale_out.Settings.free_ports(
        servers=servers, auth_args=["--auth-token", secrets.token_hex(16)], workdir=SCRATCH / f"scale-{servers}"
    )
    missing = scale_out.missing_services(settings)
    if missing:
        print("Scaled-out setup left out: " + "; ".join(missing))
        return None
    started = time.monotonic()
    stack = scale_out.start(settings, log_prefix=f"bench-scaled-{servers}")
    rasa = [name for name in stack.processes if name.startswith("rasa-")]
    key, name = ("scaled", "the scaled-out setup") if servers > 1 else ("scaled_one", "it with one Rasa server")
    return Bot(key, name, f"http://127.0.0.1:{settings.port}", stack, AMMA_TURNS, rasa), started


def ratio(ours: float | None, theirs: float | None) -> str:
    return f"{ours / theirs:.2f}x" if ours and theirs else "-"


def table(results: dict) -> str:
    starter, amma, scaled = results["starter"], results["amma"], results.get("scaled")
    one = results.get("scaled_one")  # the scaled-out setup with one Rasa server
    rows = [
        ("start to first reply (s)", lambda r: r["first_reply_s"]),
        ("one user p50 (ms)", lambda r: r["one_user"]["p50_ms"]),
        ("one user p95 (ms)", lambda r: r["one_user"]["p95_ms"]),
        ("one long chat, turns 1-10 (ms)", lambda r: r["growth"]["first_10_p50_ms"]),
        ("... its last 10 turns (ms)", lambda r: r["growth"]["last_10_p50_ms"]),
        (f"{results['concurrency']} users p50 (ms)", lambda r: r["concurrent"]["p50_ms"]),
        (f"{results['concurrency']} users p95 (ms)", lambda r: r["concurrent"]["p95_ms"]),
        (f"{results['concurrency']} users messages/s", lambda r: r["concurrent"]["messages_per_s"]),
        ("Rasa server memory (MB)", lambda r: r["memory_mb"]),
    ]
    heads = ["starter", "Amma", "Amma/starter", "scaled-out", "scaled/Amma", "1 server", "scaled/1"]
    lines = [f"{'':32}" + "".join(f" {head:>12}" for head in heads)]
    for label, get in rows:
        values = []
        for result in (starter, amma, scaled, one):
            try:
                values.append(get(result) if result else None)
            except (KeyError, TypeError):
                values.append(None)
        shown = [f"{v:.1f}" if isinstance(v, float) else "-" for v in values]
        cells = [shown[0], shown[1], ratio(values[1], values[0]), shown[2], ratio(values[2], values[1])]
        cells += [shown[3], ratio(values[2], values[3])]
        lines.append(f"{label:32}" + "".join(f" {cell:>12}" for cell in cells))
    lines.append("")
    lines.append(f"{results['concurrency']} users' messages/s, run by run (each ratio from runs minutes apart):")
    for key, over in (("amma", "starter"), ("scaled", "amma"), ("scaled", "scaled_one")):
        if results.get(key) and results.get(over):
            pairs = zip(results[key]["concurrent"]["runs"], results[over]["concurrent"]["runs"], strict=True)
            each = ", ".join(ratio(a["messages_per_s"], b["messages_per_s"]) for a, b in pairs)
            lines.append(f"  {key}/{over}: {each}")
    lines.append("")
    lines.append(cpu_table({"Amma": amma, "scaled-out": scaled, "1 server": one}, results["concurrency"]))
    cores, used = os.cpu_count() or 1, amma["concurrent"]["cores_in_use"]
    lines.append(
        f"Ceiling of scaled/Amma on {cores} cores, were a second server and the shared stores free:"
        f" {cores} / the {used:.2f} cores one Amma uses = {cores / used:.2f}x"
    )
    return "\n".join(lines)


def cpu_table(runs: dict[str, dict | None], concurrency: int) -> str:
    """CPU milliseconds per message by process during the concurrent run, and the
    cores in use: where the time goes, and what a second Rasa server competes with."""
    measured = {name: run["concurrent"] for name, run in runs.items() if run}
    cpu = {name: figures.get("cpu_ms_per_message", {}) for name, figures in measured.items()}
    groups = sorted(
        {group for figures in cpu.values() for group in figures},
        key=lambda g: -max(figures.get(g, 0.0) for figures in cpu.values()),
    )
    lines = [f"CPU per message, {concurrency} users (ms)" + "".join(f" {name:>12}" for name in cpu)]
    for group in groups:
        cells = [f"{cpu[name][group]:.1f}" if group in cpu[name] else "-" for name in cpu]
        lines.append(f"  {group:38}"[:40] + "".join(f" {cell:>12}" for cell in cells))
    totals = {name: sum(figures.values()) for name, figures in cpu.items()}
    lines.append(f"{'  all processes':40}" + "".join(f" {totals[name]:12.1f}" for name in cpu))
    lines.append(f"{'  cores in use':40}" + "".join(f" {measured[name]['cores_in_use']:12.2f}" for name in cpu))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--turns",
        type=int,
        default=200,
        help="one user's messages (the concurrent runs send about as many per person, in all)",
    )
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3, help="concurrent runs per bot, interleaved")
    parser.add_argument("--no-scaled", action="store_true", help="leave out the scaled-out setup")
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "bench.json")
    args = parser.parse_args()
    results: dict = {
        "machine": f"{os.cpu_count()} cores",
        "concurrency": args.concurrency,
        "turns": args.turns,
        "repeats": args.repeats,
    }
    # Every bot stays up (idle) until the load rounds, which take turns between them.
    bots: list[Bot] = []
    try:
        for start in (start_starter, start_amma):
            bot, started = start()
            bots.append(bot)
            measure_alone(bot, started, args)
        if not args.no_scaled:
            for servers in (2, 1):
                made = start_scaled(servers)
                if not made:
                    break  # a service is missing: said once
                bots.append(made[0])
                measure_alone(*made, args, load_only=servers == 1)
        load_rounds(bots, args)
    finally:
        for bot in bots:
            bot.stack.stop()
    results.update({bot.key: bot.figures for bot in bots})
    print(table(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print(f"figures written to {args.out}")


if __name__ == "__main__":
    main()
