#!/usr/bin/env python3
"""log-sink.py SOCKET FILE: a syslog receiver for the benchmark (what rsyslog's imuxsock does for haproxy).

Binds a unix datagram socket at SOCKET and appends every datagram it receives to FILE as one line, through a
64 KiB buffer flushed at least once a second, until TERM or INT. Prints the count of datagrams received at exit.
"""
import os
import signal
import socket
import sys
import time


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: log-sink.py SOCKET FILE")
    path, out = sys.argv[1], sys.argv[2]
    if os.path.exists(path):
        os.unlink(path)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    sock.bind(path)
    os.chmod(path, 0o666)
    sock.settimeout(1.0)
    running = [True]

    def stop(*_):
        running[0] = False
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    count = 0
    last_flush = time.monotonic()
    with open(out, "ab", buffering=65536) as f:
        while running[0]:
            try:
                data = sock.recv(8192)
            except socket.timeout:
                data = None
            except InterruptedError:
                continue
            if data:
                f.write(data.rstrip(b"\n") + b"\n")
                count += 1
            now = time.monotonic()
            if now - last_flush >= 1.0:
                f.flush()
                last_flush = now
    sock.close()
    os.unlink(path)
    print(f"log-sink: {count} datagrams", flush=True)


if __name__ == "__main__":
    main()
