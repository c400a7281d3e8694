#!/usr/bin/env python3
"""A portal whose one dossier changes while the rest stays as the simulator serves it: forwards every request to
UPSTREAM (a contract-shape simulator) and, in the answers that carry the dossier PATCH_FILE names, replaces the
fields PATCH_FILE gives. PATCH_FILE is read for every request, so a test changes the dossier by rewriting it:
`{"key": KEY, "provincial": {field: value…}, "national": {field: value…}}` (top-level fields of the record as
served; an absent or empty file changes nothing). Listens on a loopback port the kernel chooses and prints
`listening on URL` once it does.
Usage: patching_portal.py UPSTREAM PATCH_FILE"""
import json
import signal
import sys
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

upstream, patch_file = sys.argv[1].rstrip("/"), sys.argv[2]


def normal(code):
    return code.strip().upper()


def current_patch():
    try:
        with open(patch_file, encoding="utf-8") as f:
            return json.load(f)
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def patched(path, status, body):
    """The answer's body with the patch applied where it carries the patched dossier."""
    patch = current_patch()
    key = normal(patch.get("key", ""))
    if not key or status != 200:
        return body
    answer = json.loads(body)
    if path.startswith("/national"):
        changes = patch.get("national", {})
        for record in answer.get("result") or []:
            if isinstance(record, dict) and normal(str(record.get("MaHoSo", ""))) == key:
                record.update(changes)
    elif "/dossiers/" in path:
        if isinstance(answer, dict) and normal(str(answer.get("nationCode") or answer.get("code") or "")) == key:
            answer.update(patch.get("provincial", {}))
    elif isinstance(answer, dict) and isinstance(answer.get("content"), list):
        for record in answer["content"]:
            if normal(str(record.get("nationCode") or record.get("code") or "")) == key:
                record.update(patch.get("provincial", {}))
    return json.dumps(answer, ensure_ascii=False).encode("utf-8")


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def forward(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length", "connection")}
        request = urllib.request.Request(upstream + self.path, data=body, headers=headers, method=self.command)
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                status, answer_headers, answer_body = answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as e:
            status, answer_headers, answer_body = e.code, e.headers, e.read()
        answer_body = patched(self.path, status, answer_body)
        self.send_response(status)
        for k, v in answer_headers.items():
            if k.lower() not in ("content-length", "connection", "transfer-encoding", "server", "date"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(answer_body)))
        self.end_headers()
        self.wfile.write(answer_body)

    do_GET = do_POST = forward

    def log_message(self, *args):
        pass


signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
server.serve_forever()
