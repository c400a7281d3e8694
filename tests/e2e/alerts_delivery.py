#!/usr/bin/env python3
"""`dvcrecon alerts test` against a webhook receiver and an SMTP server on loopback (docs/cli.md#alerts).

The receiver is HTTPS with a certificate of a test CA and answers 500, then 429 with Retry-After, then 200: the
sample must arrive on the third attempt. The SMTP server (aiosmtpd) requires STARTTLS and AUTH, with its own
certificate of the same CA, and answers the first message 451 (try again later): the mail must arrive on the second
attempt, after a backoff. Then both targets are given another CA: the command must refuse both servers (exit 3),
without retrying a refusal, and the receiver must see no request. Usage: alerts_delivery.py DVCRECON
"""
import asyncio
import email
import email.header
import json
import os
import pathlib
import ssl
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

try:
    from aiosmtpd.smtp import SMTP, AuthResult
except ImportError:
    print("SKIP: python3-aiosmtpd is not installed (scripts/packages lists it)")
    sys.exit(77)

DVCRECON = sys.argv[1]
work = pathlib.Path(tempfile.mkdtemp(prefix="dvc-alerts-"))


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def make_ca(name):
    key, crt = work / f"{name}.key", work / f"{name}.crt"
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", str(key),
            "-out", str(crt), "-days", "2", "-subj", f"/CN={name}", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign")
    return key, crt


def make_leaf(ca, name):
    key, csr, crt = work / f"{name}.key", work / f"{name}.csr", work / f"{name}.crt"
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", str(key), "-out",
            str(csr), "-subj", f"/CN={name}")
    ext = work / f"{name}.ext"
    ext.write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
    openssl("x509", "-req", "-in", str(csr), "-CA", str(ca[1]), "-CAkey", str(ca[0]), "-CAcreateserial", "-out",
            str(crt), "-days", "2", "-extfile", str(ext))
    return key, crt


ca = make_ca("test-ca")
other_ca = make_ca("other-ca")
server = make_leaf(ca, "server")

# ---- webhook receiver: answers from a script, records every request ----
answers = [(500, {}), (429, {"Retry-After": "1"}), (200, {})]
requests = []
lock = threading.Lock()


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with lock:
            requests.append((self.path, self.headers.get("Content-Type"), body))
            status, headers = answers.pop(0) if answers else (200, {})
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


httpd = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
server_tls.load_cert_chain(str(server[1]), str(server[0]))
httpd.socket = server_tls.wrap_socket(httpd.socket, server_side=True)
threading.Thread(target=httpd.serve_forever, daemon=True).start()
webhook_port = httpd.server_address[1]

# ---- SMTP server: STARTTLS and AUTH required; the first message is deferred ----
mails = []
logins = []
deferred = []


class Handler:
    async def handle_DATA(self, server, session, envelope):
        if not deferred:
            deferred.append(envelope)
            return "451 4.3.0 Try again later"
        mails.append(envelope)
        return "250 OK"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == b"canh-bao" and auth_data.password == b"mat-khau-thu"
    logins.append((mechanism, auth_data.login, ok))
    return AuthResult(success=ok)


# On a port the kernel chooses, in a loop of its own (aiosmtpd's Controller wants a port given in advance).
smtp_loop = asyncio.new_event_loop()
threading.Thread(target=smtp_loop.run_forever, daemon=True).start()


async def start_smtp():
    return await smtp_loop.create_server(
        lambda: SMTP(Handler(), tls_context=server_tls, require_starttls=True, auth_required=True,
                     auth_require_tls=True, authenticator=authenticator),
        "127.0.0.1", 0)


smtp_server = asyncio.run_coroutine_threadsafe(start_smtp(), smtp_loop).result(timeout=30)
smtp_port = smtp_server.sockets[0].getsockname()[1]

password = work / "smtp-password"
password.write_text("mat-khau-thu\n")
password.chmod(0o600)


def write_config(name, ca_file):
    cfg = {
        "ledger": str(work / "ledger.db"),
        "provincial": {"base_url": "http://127.0.0.1:9/", "token_url": "http://127.0.0.1:9/token",
                       "client_id": "x", "client_secret_file": str(work / "absent")},
        "national": {"base_url": "http://127.0.0.1:9/", "dstcode": "x", "madonvi": "x", "username": "x",
                     "password_file": str(work / "absent")},
        "alerts": {
            "rules": {"falsely_closed": True},
            "webhooks": [{"name": "chat", "url": f"https://localhost:{webhook_port}/hooks/secret-path",
                          "ca_file": str(ca_file), "timeout_s": 10}],
            "email": {"host": "localhost", "port": smtp_port, "from": "dvcrecon@example.gov.vn",
                      "to": ["truc-ban@example.gov.vn"], "username": "canh-bao", "password_file": str(password),
                      "ca_file": str(ca_file), "timeout_s": 10},
        },
    }
    path = work / name
    path.write_text(json.dumps(cfg))
    return path


def run(config):
    return subprocess.run([DVCRECON, "alerts", "test", "--config", str(config)], capture_output=True, text=True,
                          timeout=60)


failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


# 1. Both targets take the sample; the webhook on its third attempt.
out = run(write_config("good.json", ca[1]))
check(out.returncode == 0, f"exit {out.returncode}, want 0: {out.stdout} {out.stderr}")
check("chat: sent" in out.stdout and "email: sent" in out.stdout, f"per-target lines: {out.stdout!r}")
check(len(requests) == 3, f"{len(requests)} webhook requests, want 3 (500, 429, 200)")
retries = [line for line in out.stderr.splitlines() if "alert_retry" in line]
check(len(retries) == 3, f"three retries logged (two webhook, one SMTP): {out.stderr!r}")
check(sum("SMTP server" in line and "451" in line for line in retries) == 1, f"the SMTP retry: {retries!r}")
check(len(deferred) == 1, f"{len(deferred)} deferred mails, want 1")
if requests:
    path, ctype, body = requests[-1]
    check(path == "/hooks/secret-path", f"posted to {path}")
    check(ctype.startswith("application/json"), f"content type {ctype}")
    payload = json.loads(body)
    check(payload["alerts"][0]["rule"] == "test", f"payload {payload}")
    check("Thử gửi cảnh báo" in payload["alerts"][0]["title"], f"title {payload['alerts'][0]['title']}")
    check("Thử gửi cảnh báo" in payload["text"], "top-level text")
check(len(mails) == 1, f"{len(mails)} mails, want 1")
if mails:
    m = email.message_from_bytes(mails[0].original_content)
    subject = str(email.header.make_header(email.header.decode_header(m["Subject"])))
    check(subject == "Thử gửi cảnh báo dvcrecon", f"subject {subject!r}")
    check(mails[0].rcpt_tos == ["truc-ban@example.gov.vn"], f"recipients {mails[0].rcpt_tos}")
    text = m.get_payload(decode=True).decode("utf-8")
    check("dvcrecon alerts test" in text and "email" in text, f"body {text!r}")
check(any(ok for _, _, ok in logins), f"logins {logins}")
check("mat-khau-thu" not in out.stdout + out.stderr, "the password was printed")

# 2. Servers whose certificates another CA signed are refused, before anything is sent.
before = len(requests), len(mails)
out = run(write_config("other-ca.json", other_ca[1]))
check(out.returncode == 3, f"exit {out.returncode}, want 3: {out.stdout} {out.stderr}")
check("chat: failed:" in out.stdout and "certificate" in out.stdout, f"webhook refusal: {out.stdout!r}")
check("email: failed:" in out.stdout and "TLS handshake" in out.stdout, f"SMTP refusal: {out.stdout!r}")
check("gave up after" not in out.stdout and "alert_retry" not in out.stderr, f"a refusal was retried: {out.stdout!r}")
check((len(requests), len(mails)) == before, "a request or mail got through a refused TLS handshake")

# 3. A configuration without targets is a usage error.
bare = json.loads((work / "good.json").read_text())
del bare["alerts"]
(work / "bare.json").write_text(json.dumps(bare))
out = run(work / "bare.json")
check(out.returncode == 2 and "no target" in out.stderr, f"no targets: {out.returncode} {out.stderr!r}")

smtp_loop.call_soon_threadsafe(smtp_server.close)
httpd.shutdown()
for f in failures:
    print("FAIL:", f)
if failures:
    sys.exit(1)
print("alerts delivery: ok")
