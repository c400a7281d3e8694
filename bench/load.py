#!/usr/bin/python3
"""Fixed-rate HTTP load on a loopback URL, reporting latency percentiles.

wrk keeps a fixed number of connections busy (closed loop), so it reports latency at saturation, not at a given
rate; wrk2 is not packaged by Debian. This is the open-loop measurement the API target needs ("p99 < 50 ms at
200 requests/s"): request i is due at start + i/rate whatever happened before it, and its latency is counted
from that due time, so a slow answer that delays the ones behind it shows up in their latency too (no
coordinated omission).

The API limits each client address to 50 requests/s (api/api_server.hpp), as a guard against one runaway
client. The target is about the server at 200 requests/s from its users together, so the load comes from
--sources loopback addresses (127.0.0.2, 127.0.0.3, …), each with its own connections and an equal share of the
requests; with --sources 1 it all comes from 127.0.0.1 and the limiter answers 429 to most of it.

With --targets a,b,… the requests go to those paths in turn (same host and port as --url): load spread over
many distinct queries, such as every period of /api/sync-rates.

usage: load.py --url http://127.0.0.1:PORT/path [--rate 200] [--duration 20] [--connections 32] [--sources 8]
               [--targets PATH,PATH,…]
prints one JSON object: requests, errors, status counts, achieved rate, latency percentiles in ms.
"""
import argparse
import asyncio
import json
import sys
import time
import urllib.parse

MAX_BODY = 64 << 20


class LoadError(Exception):
    pass


async def read_response(reader):
    """One HTTP/1.1 response; returns (status, keep_alive). Reads Content-Length or chunked bodies."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[1].isdigit():
        raise LoadError(f"malformed status line {lines[0]!r}")
    status = int(parts[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size > MAX_BODY:
                raise LoadError(f"chunk of {size} bytes")
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        length = int(headers.get("content-length", "0"))
        if length > MAX_BODY:
            raise LoadError(f"body of {length} bytes")
        await reader.readexactly(length)
    keep = parts[0] == "HTTP/1.1" and headers.get("connection", "").lower() != "close"
    return status, keep


class Pool:
    """Idle keep-alive connections; a new one is opened when none is idle, up to `limit` in all."""

    def __init__(self, host, port, limit, source):
        self.host, self.port, self.limit, self.source = host, port, limit, source
        self.idle = []
        self.count = 0
        self.freed = asyncio.Condition()

    async def take(self):
        """(reader, writer, reused)"""
        async with self.freed:
            while not self.idle and self.count >= self.limit:
                await self.freed.wait()
            if self.idle:
                return self.idle.pop() + (True,)
            self.count += 1
        try:
            return await asyncio.open_connection(self.host, self.port, local_addr=self.source) + (False,)
        except OSError:
            await self.drop()
            raise

    async def give(self, conn):
        async with self.freed:
            self.idle.append(conn[:2])
            self.freed.notify()

    async def drop(self, conn=None):
        if conn:
            conn[1].close()
        async with self.freed:
            self.count -= 1
            self.freed.notify()


async def exchange(pool, request, timeout):
    """One request on a pooled connection. A kept-alive connection the server has closed while idle fails
    before any byte of the answer: that one attempt is repeated on a fresh connection."""
    while True:
        conn = await pool.take()
        reader, writer, reused = conn
        try:
            writer.write(request)
            status, keep = await asyncio.wait_for(read_response(reader), timeout)
            return conn, status, keep
        except (ConnectionError, asyncio.IncompleteReadError) as e:
            await pool.drop(conn)
            if not reused or (isinstance(e, asyncio.IncompleteReadError) and e.partial):
                raise
        except BaseException:
            await pool.drop(conn)
            raise


async def one(pool, request, due, timeout, latencies, statuses, errors):
    try:
        conn, status, keep = await exchange(pool, request, timeout)
        latencies.append(time.perf_counter() - due)
        statuses[status] = statuses.get(status, 0) + 1
        if keep:
            await pool.give(conn)
        else:
            await pool.drop(conn)
    except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, LoadError,
            ValueError) as e:
        errors[type(e).__name__] = errors.get(type(e).__name__, 0) + 1


def percentile(ordered, q):
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run(url, rate, duration, connections, sources, timeout, targets=None):
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "http" or not parts.hostname or not parts.port:
        raise LoadError(f"--url must be http://HOST:PORT/path: {url}")
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    requests = [f"GET {t} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\n\r\n".encode()
                for t in (targets or [target])]
    if sources == 1:
        pools = [Pool(parts.hostname, parts.port, connections, None)]
    else:
        per_source = max(1, connections // sources)
        pools = [Pool(parts.hostname, parts.port, per_source, (f"127.0.0.{2 + k}", 0)) for k in range(sources)]
    latencies, statuses, errors, tasks = [], {}, {}, []
    total = int(rate * duration)
    start = time.perf_counter()
    for i in range(total):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        pool = pools[i % len(pools)]
        request = requests[i % len(requests)]
        tasks.append(asyncio.create_task(one(pool, request, due, timeout, latencies, statuses, errors)))
    # Answers still missing `timeout` seconds after the last request was due count as unanswered, so a server
    # that cannot keep up ends the run in bounded time instead of draining an ever longer queue.
    _, late = await asyncio.wait(tasks, timeout=max(0.0, start + duration + timeout - time.perf_counter()))
    for task in late:
        task.cancel()
    await asyncio.gather(*late, return_exceptions=True)
    if late:
        errors["unanswered"] = len(late)
    elapsed = time.perf_counter() - start
    for pool in pools:
        for _, writer in pool.idle:
            writer.close()
    ordered = sorted(latencies)
    ms = lambda v: None if v is None else round(v * 1000, 3)
    return {
        "url": url, "target_rate": rate, "duration_s": duration, "connections": connections, "sources": sources,
        "requests": total, "answered": len(latencies), "errors": errors,
        "status": {str(k): v for k, v in sorted(statuses.items())},
        "achieved_rate": round(len(latencies) / elapsed, 1),
        "latency_ms": {"p50": ms(percentile(ordered, 0.50)), "p90": ms(percentile(ordered, 0.90)),
                       "p99": ms(percentile(ordered, 0.99)), "p999": ms(percentile(ordered, 0.999)),
                       "max": ms(ordered[-1] if ordered else None),
                       "mean": ms(sum(ordered) / len(ordered) if ordered else None)},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--sources", type=int, default=8)
    parser.add_argument("--timeout", type=float, default=10)
    parser.add_argument("--targets", help="comma-separated paths requested in turn instead of --url's path")
    args = parser.parse_args()
    if not (0 < args.rate <= 10000 and 0 < args.duration <= 600 and 0 < args.connections <= 1000
            and 0 < args.sources <= 200):
        parser.error("--rate must be in (0, 10000], --duration in (0, 600] s, --connections in 1..1000, "
                     "--sources in 1..200")
    if args.sources > 1 and not args.url.startswith("http://127."):
        parser.error("--sources above 1 binds 127.0.0.x source addresses, so --url must be on 127.0.0.0/8")
    try:
        targets = [t for t in args.targets.split(",") if t] if args.targets else None
        result = asyncio.run(run(args.url, args.rate, args.duration, args.connections, args.sources, args.timeout,
                                 targets))
    except LoadError as e:
        print(f"load.py: {e}", file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 0 if result["answered"] > 0 else 3


if __name__ == "__main__":
    sys.exit(main())
