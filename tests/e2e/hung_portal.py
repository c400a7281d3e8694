#!/usr/bin/env python3
"""A portal that never answers: listens on a loopback port the kernel chooses, prints `listening on URL` once it
does, then reads each request's head, prints `request METHOD TARGET` and keeps the connection open without a
word, until SIGTERM. Lets a test stop the service at the moment a request is known to hang.
Usage: hung_portal.py"""
import signal
import socket
import sys
import threading

held = []  # connections stay open as long as the process lives


def hold(conn):
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = conn.recv(65536)
        if not chunk:
            return
        head += chunk
    print("request " + " ".join(head.split(b"\r\n", 1)[0].decode("latin-1").split(" ")[:2]), flush=True)


signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(("127.0.0.1", 0))
server.listen()
print(f"listening on http://127.0.0.1:{server.getsockname()[1]}", flush=True)
while True:
    conn, _ = server.accept()
    held.append(conn)
    threading.Thread(target=hold, args=(conn,), daemon=True).start()
