#!/usr/bin/env python3
"""A stand-in for systemd's notify socket: binds an AF_UNIX datagram socket at PATH and appends every message it
receives to LOG as `<monotonic seconds> <message>` (one line per assignment), until SIGTERM.
Usage: reliability_notify_listener.py PATH LOG"""
import os
import signal
import socket
import sys
import time

path, log = sys.argv[1], sys.argv[2]
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
with open(log, "a", buffering=1, encoding="utf-8") as out:
    out.write(f"{time.monotonic():.3f} LISTENING\n")
    while True:
        data = sock.recv(65536)
        now = time.monotonic()
        for line in data.decode("utf-8", "replace").splitlines():
            out.write(f"{now:.3f} {line}\n")
