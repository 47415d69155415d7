"""Benchmark: carebot through /api/chat against a bare `rasa init` assistant on this machine.

Measures, in one run so the ratios are fair: latency p50/p95 and messages per second with 1 and
20 concurrent conversations, full (cold-cache) training time, and resident memory of the whole
stack. Writes bench/results/latest.json and prints a Markdown table.

Conversations are 10 messages long, as a family's usually are: "1 conversation" is 6 of them
one after another, "20 conversations" is 20 at once, three times over (the median round's rate
is reported: one round is under three seconds, and on two cores a single round moves by a tenth
from run to run). Both assistants get the same shape, after the same warm-up.

usage: python bench/bench.py [--conversations-single 6] [--messages-per-conversation 10] [--rounds 3]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bot.settings import NO_TELEMETRY  # noqa: E402
from bot.console.accounts import Accounts  # noqa: E402
from bot.storage import open_database  # noqa: E402
from bot.training.deployed import newest_record  # noqa: E402
from tests.console_client import PASSWORD, console_session  # noqa: E402
from tests.services import PostgresServer, RedisServer  # noqa: E402
from tests.stack import Stack, carebot, children_of, free_port, free_ports  # noqa: E402
import redflags  # noqa: E402  (bench/redflags.py, beside this script)

BIN = Path(sys.executable).parent
CAREBOT_MESSAGES = [
    "can he shower with the pump?", "泵一直在响怎么办", "what are the side effects of blina",
    "输液港的敷料多久换一次", "is it ok to go to school", "发烧了能吃退烧药吗", "hello",
    "what is CRS", "可以打疫苗吗", "thanks",
]
BARE_MESSAGES = ["hello", "I am sad", "yes", "no", "goodbye", "are you a bot?", "great", "hi there"]


def process_tree(roots: list[int]) -> list[int]:
    """These processes and all their descendants."""
    found, todo = [], list(roots)
    while todo:
        pid = todo.pop()
        if pid not in found:
            found.append(pid)
            todo += children_of(pid)
    return found


def rss_mb(pids: list[int]) -> float:
    """Resident memory of these processes and all their descendants."""
    total = 0
    for pid in process_tree(pids):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return round(total / 1024, 1)


SERVICE_NAMES = {b"bot.rasa_server": "rasa", b"rasa_sdk": "actions", b"bot.escalation.worker": "worker",
                 b"uvicorn": "gateway", b"bot.runner": "supervisor"}


def service_name(arguments: list[bytes]) -> str:
    named = next((name for key, name in SERVICE_NAMES.items() if key in arguments), None)
    if named is None and any(argument.endswith(b"/rasa") for argument in arguments[:2]):
        return "rasa"  # the bare `rasa run`
    return named or "other"


def service_cpu(root: int) -> dict[str, float]:
    """CPU seconds used so far by each kind of process under `root` (several Rasa servers add up)."""
    totals: dict[str, float] = {}
    for pid in process_tree([root]):
        try:
            arguments = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        name = service_name(arguments)
        totals[name] = totals.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return totals


def cpu_ms_per_message(root: int, run) -> tuple[dict, dict[str, float]]:
    """Run `run()` (returning a summary) and the CPU milliseconds per message of each service."""
    before = service_cpu(root)
    result = run()
    after = service_cpu(root)
    return result, {name: round((after[name] - before.get(name, 0.0)) * 1000 / result["messages"], 1)
                    for name in sorted(after)}


async def load(url: str, body, conversations: int, per_conversation: int, messages: list[str]) -> dict:
    """`conversations` concurrent senders, each sending its messages one after another."""
    latencies: list[float] = []
    async with httpx.AsyncClient(timeout=120) as client:
        async def conversation(index: int) -> None:
            sender = f"bench-{uuid.uuid4().hex[:10]}"
            for turn in range(per_conversation):
                text = messages[(index + turn) % len(messages)]
                started = time.perf_counter()
                response = await client.post(url, json=body(sender, text))
                response.raise_for_status()
                latencies.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        await asyncio.gather(*(conversation(i) for i in range(conversations)))
        wall = time.perf_counter() - started
    return summary(latencies, wall)


def summary(latencies: list[float], wall: float) -> dict:
    latencies = sorted(latencies)
    return {"messages": len(latencies), "p50_ms": round(statistics.median(latencies), 1),
            "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 1),
            "msgs_per_s": round(len(latencies) / wall, 1), "latencies": latencies, "wall": wall}


def measure(url: str, body, messages: list[str], args, root: int) -> dict:
    """Latency and throughput with 1 and 20 conversations, and the CPU each service of the
    process tree under `root` spent per message at 20 conversations."""
    asyncio.run(load(url, body, 20, 3, messages))  # warm up every server
    runs = [asyncio.run(load(url, body, 1, args.messages_per_conversation, messages))
            for _ in range(args.conversations_single)]
    single = summary([ms for run in runs for ms in run["latencies"]], sum(run["wall"] for run in runs))
    rounds, cpu = cpu_ms_per_message(root, lambda: combined([asyncio.run(
        load(url, body, 20, args.messages_per_conversation, messages)) for _ in range(args.rounds)]))
    twenty = {**rounds, "msgs_per_s": statistics.median(r["msgs_per_s"] for r in rounds["rounds"]),
              "rounds_msgs_per_s": [r["msgs_per_s"] for r in rounds["rounds"]]}
    for result in (single, twenty):
        del result["latencies"], result["wall"]
    del twenty["rounds"]
    return {"single": single, "twenty": twenty, "cpu_ms_per_message": cpu}


def combined(rounds: list[dict]) -> dict:
    """Latencies of all the rounds together, and each round's own summary."""
    whole = summary([ms for r in rounds for ms in r["latencies"]], sum(r["wall"] for r in rounds))
    return {**whole, "rounds": rounds}


def bench_carebot(work: Path, args) -> tuple[dict, Stack]:
    var, models = work / "var", work / "models"
    var.mkdir()
    stack = Stack(var, models, rate_limit="off")
    carebot(stack.env, "content", "import")
    carebot({**stack.env, "RASA_CACHE_DIRECTORY": str(work / "cache")}, "train")
    # Training alone, as the manifest records it (`carebot train` also runs the safety gate).
    deployed = newest_record(stack.database())
    training = json.loads((models / deployed.model).with_suffix("").with_suffix(".json").read_text())["training_seconds"]
    stack.start()
    try:
        result = measure(stack.url + "/api/chat", lambda sender, text: {"sender": sender, "message": text},
                         CAREBOT_MESSAGES, args, stack.process.pid)
        result["rss_mb"] = rss_mb([stack.process.pid])
        result["console"] = bench_console(stack)
        result["hostile"] = asyncio.run(bench_hostile(stack.url + "/api/chat"))
    finally:
        stack.stop()
    result["training_s"] = training
    return result, stack


def bench_several_servers(work: Path, args, single: Stack) -> dict:
    """The same load on `RASA_SERVERS=2` with PostgreSQL and Redis (started here from Debian's
    packages, as the tests start them), serving the model `bench_carebot` trained."""
    (work / "redis").mkdir()
    (work / "var2").mkdir()
    postgres, redis = PostgresServer().start(), RedisServer(work / "redis").start()
    stack = Stack(work / "var2", work / "models", rate_limit="off", database_url=postgres.database())
    stack.env.update({"RASA_SERVERS": "2", "CAREBOT_REDIS_URL": redis.url})
    try:
        carebot(stack.env, "content", "import")
        stack.deploy_model_of(single)
        rasa_port = free_ports(1, 10, 11)  # chosen last: both pairs, room between them
        stack.env.update({"RASA_PORT": str(rasa_port), "ACTIONS_PORT": str(rasa_port + 10)})
        stack.start()
        result = measure(stack.url + "/api/chat", lambda sender, text: {"sender": sender, "message": text},
                         CAREBOT_MESSAGES, args, stack.process.pid)
        result["rss_mb"] = rss_mb([stack.process.pid])
    finally:
        if stack.process is not None:
            stack.stop()
        redis.stop()
        postgres.stop()
    return result


HOSTILE = {"viii x1000": "ⅷ" * 1000, "a x1000": "a" * 1000, "ﷺ x1000": "ﷺ" * 1000,
           "38.5 x200": "38.5 " * 200, "he, x250": "he, " * 250, "/restart": "/restart"}


async def bench_hostile(url: str, repeats: int = 5) -> dict:
    """Each hostile message sent together with a normal one: the time of both (ms, worst of
    `repeats`). A hostile message must not make another family wait."""
    result = {}
    async with httpx.AsyncClient(timeout=60) as client:
        async def timed(text: str) -> tuple[int, float]:
            started = time.perf_counter()
            response = await client.post(url, json={"sender": f"bench-{uuid.uuid4().hex[:10]}", "message": text})
            return response.status_code, (time.perf_counter() - started) * 1000
        for name, text in HOSTILE.items():
            worst_hostile = worst_normal = 0.0
            for _ in range(repeats):
                (status, hostile), (_, normal) = await asyncio.gather(timed(text), timed("can she have a bath"))
                worst_hostile, worst_normal = max(worst_hostile, hostile), max(worst_normal, normal)
            result[name] = {"status": status, "hostile_ms": round(worst_hostile), "normal_meanwhile_ms": round(worst_normal)}
    return result


CONSOLE_PAGES = ("/console", "/console/articles", "/console/articles/pump_alarm", "/console/escalations/rows",
                 "/console/unanswered", "/console/analytics")


def bench_console(stack: Stack, repeats: int = 20) -> dict:
    """Median time of each console page for a logged-in nurse (the gateway renders them)."""
    Accounts(open_database(stack.env["CAREBOT_DATABASE_URL"])).add("bench", "demo", "admin", PASSWORD)
    with httpx.Client(base_url=stack.url, timeout=60) as client:
        console_session(client, "bench")
        medians = {}
        for path in CONSOLE_PAGES:
            times = []
            for _ in range(repeats):
                started = time.perf_counter()
                client.get(path).raise_for_status()
                times.append((time.perf_counter() - started) * 1000)
            medians[path] = round(statistics.median(times), 1)
    return medians


def bench_bare_rasa(work: Path, args) -> dict:
    project = work / "bare"
    project.mkdir()
    env = {**os.environ, **NO_TELEMETRY, "RASA_CACHE_DIRECTORY": str(work / "bare-cache"), "TF_CPP_MIN_LOG_LEVEL": "2"}
    started = time.monotonic()
    subprocess.run([str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(project)],
                   env=env, check=True, capture_output=True)
    training = round(time.monotonic() - started, 1)
    port = free_port()
    server = subprocess.Popen([str(BIN / "rasa"), "run", "-i", "127.0.0.1", "-p", str(port), "--enable-api"],
                              cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/status", timeout=2).json().get("model_file"):
                    break
            except (httpx.HTTPError, ValueError):
                time.sleep(1)
        result = measure(f"http://127.0.0.1:{port}/webhooks/rest/webhook",
                         lambda sender, text: {"sender": sender, "message": text}, BARE_MESSAGES, args, server.pid)
        result["rss_mb"] = rss_mb([server.pid])
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    result["training_s"] = training  # `rasa init` time, which is mostly its training
    return result


def table(ours: dict, several: dict, bare: dict) -> str:
    measures = [("p50 latency, 1 conversation (ms)", "single", "p50_ms"),
                ("p95 latency, 1 conversation (ms)", "single", "p95_ms"),
                ("messages/s, 1 conversation", "single", "msgs_per_s"),
                ("p50 latency, 20 conversations (ms)", "twenty", "p50_ms"),
                ("p95 latency, 20 conversations (ms)", "twenty", "p95_ms"),
                ("messages/s, 20 conversations", "twenty", "msgs_per_s")]
    rows = [(name, ours[part][key], several[part][key], bare[part][key]) for name, part, key in measures]
    rows += [("resident memory, whole stack (MB)", ours["rss_mb"], several["rss_mb"], bare["rss_mb"]),
             ("training, cold cache (s)", ours["training_s"], None, bare["training_s"])]
    lines = ["| measure | carebot | carebot, 2 Rasa servers (PostgreSQL, Redis) | bare rasa init | ratio | ratio, 2 servers |",
             "|---|---|---|---|---|---|"]
    lines += [f"| {name} | {a} | {'' if b is None else b} | {c} | {a / c:.2f}x | {'' if b is None else f'{b / c:.2f}x'} |"
              for name, a, b, c in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations-single", type=int, default=6)
    parser.add_argument("--messages-per-conversation", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="carebot-bench-") as tmp:
        work = Path(tmp)
        ours, single = bench_carebot(work, args)
        several = bench_several_servers(work, args, single)
        bare = bench_bare_rasa(work, args)
    results = {"carebot": ours, "carebot_two_servers": several, "bare_rasa": bare, "detector": redflags.detector_times(), "cpus": os.cpu_count(),
               "at": time.strftime("%Y-%m-%d %H:%M:%S")}
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2))
    print(table(ours, several, bare))
    for name, run in (("carebot", ours), ("carebot, 2 Rasa servers", several), ("bare rasa init", bare)):
        print(f"CPU ms per message at 20 conversations, {name}: {run['cpu_ms_per_message']}")
    print()
    redflags.main()  # the suite's figures and the detector's times: bench/results/redflags.md
    print(f"console pages, median ms: {ours['console']}")
    print(f"hostile messages with a normal one sent meanwhile (worst ms): {ours['hostile']}")


if __name__ == "__main__":
    main()
