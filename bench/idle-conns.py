#!/usr/bin/env python3
"""idle-conns.py: hold N idle HTTP/1.1 keep-alive client connections open to a proxy on 127.0.0.1.

  idle-conns.py --port P [--conns N] [--path /small] [--parallel 200] [--hold S] [--timeout S]

Opens N connections (at most --parallel connecting at once); on each sends one GET and reads the whole answer
(Content-Length), then leaves it idle. Prints "ready OK FAILED" when all have been tried, holds them --hold seconds,
then prints "held OPEN" (how many the proxy had not closed meanwhile) and exits. The whole run is bounded by
--timeout (exit 2 when it expires). Raises its own open-files limit to the hard limit.
"""
import argparse
import asyncio
import resource
import sys


async def one(port, path, sem, conns):
    async with sem:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            return False
        try:
            writer.write(f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            if not head.startswith(b"HTTP/1.1 200"):
                raise ValueError(head.split(b"\r\n")[0])
            await reader.readexactly(length)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            writer.close()
            return False
        conns.append((reader, writer))
        return True


async def main(a):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if hard < a.conns + 100:
        print(f"idle-conns: the open-files limit ({hard}) is below {a.conns} connections", file=sys.stderr)
        return 3
    sem = asyncio.Semaphore(a.parallel)
    conns = []
    results = await asyncio.gather(*(one(a.port, a.path, sem, conns) for _ in range(a.conns)))
    ok = sum(results)
    print(f"ready {ok} {a.conns - ok}", flush=True)
    await asyncio.sleep(a.hold)
    still = 0
    for reader, _ in conns:   # a connection the proxy closed has seen EOF (or data: not idle any more)
        if not reader.at_eof() and len(reader._buffer) == 0:  # noqa: SLF001 (asyncio keeps no public view)
            still += 1
    print(f"held {still}", flush=True)
    for _, writer in conns:
        writer.close()
    return 0


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--conns", type=int, default=10000)
    p.add_argument("--path", default="/small")
    p.add_argument("--parallel", type=int, default=200)
    p.add_argument("--hold", type=float, default=5)
    p.add_argument("--timeout", type=float, default=120)
    args = p.parse_args()

    async def bounded():
        return await asyncio.wait_for(main(args), args.timeout)
    try:
        sys.exit(asyncio.run(bounded()))
    except asyncio.TimeoutError:
        print(f"idle-conns: not done within {args.timeout}s", file=sys.stderr)
        sys.exit(2)
