#!/usr/bin/python3
"""End-to-end test of the keygate binary.

Starts `keygate serve` on a free port with a fresh data directory, then, over real HTTP:
signs in, generates keys through the JSON API, gets tokens both ways (Magnit-style and OAuth 2.0
client credentials), calls whoami, reveals a secret with the emailed code, inactivates a key and
sees 401; restarts the binary and finds everything persisted; runs `keygate audit verify`, then
tampers with the event log and checks that verify names the broken row. Every secret, token,
code and password seen during the run is collected, and the test fails if any of them appears
in the server's output.
"""
import argparse
import base64
import http.cookiejar
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

SECRETS = set()
FAILURES = []


def check(condition, message):
    if not condition:
        FAILURES.append(message)
        print("FAIL:", message, flush=True)
    return condition


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = None

    def call(self, method, path, body=None, headers=None, form=False):
        headers = dict(headers or {})
        data = None
        if body is not None:
            if form:
                data = urllib.parse.urlencode(body).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            else:
                data = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
        if self.csrf and method != "GET":
            headers["X-CSRF-Token"] = self.csrf
        request = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
        try:
            with self.opener.open(request, timeout=30) as response:
                raw = response.read()
                return response.status, (json.loads(raw) if raw else None), response.headers
        except urllib.error.HTTPError as error:
            raw = error.read()
            return error.code, (json.loads(raw) if raw else None), error.headers

    def login(self, username, password="keygate-demo"):
        # The demo password is printed on purpose in the start-up banner; it is checked
        # against the JSON log lines separately below.
        status, body, _ = self.call("POST", "/api/v1/session", {"username": username, "password": password})
        check(status == 200, f"login {username}: {status} {body}")
        self.csrf = body["csrfToken"]
        SECRETS.add(self.csrf)
        for cookie in self.jar:
            SECRETS.add(cookie.value)
        return body


class Server:
    def __init__(self, binary, config, workdir):
        self.binary, self.config, self.workdir = binary, config, workdir
        self.log_path = os.path.join(workdir, "server.log")
        self.process = None

    def start(self):
        offset = os.path.getsize(self.log_path) if os.path.exists(self.log_path) else 0
        self.log = open(self.log_path, "ab")
        self.process = subprocess.Popen([self.binary, "--config", self.config, "serve"],
                                        stdout=self.log, stderr=subprocess.STDOUT, cwd=self.workdir)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("keygate exited early:\n" + open(self.log_path).read())
            if "Keygate is running at" in open(self.log_path, errors="replace").read()[offset:]:
                return
            time.sleep(0.05)
        raise RuntimeError("keygate did not start:\n" + open(self.log_path).read())

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=60)
        self.log.close()
        return code


def keygate(binary, config, *args, workdir):
    return subprocess.run([binary, "--config", config, *args], cwd=workdir, capture_output=True, text=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="keygate-e2e-")
    port = free_port()
    config = os.path.join(workdir, "keygate.toml")
    with open(config, "w") as f:
        f.write(f"""
[server]
address = "127.0.0.1"
port = {port}
[storage]
data_dir = "{workdir}/data"
[mail]
transport = "outbox"
[security]
password_cost = "minimum"
[log]
level = "debug"
[demo]
enabled = true
""")
    base = f"http://127.0.0.1:{port}"
    server = Server(args.binary, config, workdir)
    server.start()

    user = Client(base)
    user.login("sam.supplier")
    status, keys, _ = user.call("GET", "/api/v1/me/keys")
    check(status == 200 and keys["credentials"] == [] and keys["auditLog"] == [], "first time the tables are empty")

    status, first, headers = user.call("POST", "/api/v1/me/keys", {"name": "e2e first", "scopes": ["engagements:read"]})
    check(status == 201, f"generate: {status} {first}")
    check(headers.get("Cache-Control") == "no-store", "generation response is not cached")
    for part in ("clientKey", "clientSecret"):
        SECRETS.add(first[part])
    check(first["clientKey"].startswith("kgck_") and first["clientSecret"].startswith("kgcs_"), "prefixes")

    api = Client(base)
    status, magnit, _ = api.call("POST", "/api/v1/get-api-token", {
        "credentialKey": first["credentialKey"], "clientKey": first["clientKey"], "clientSecret": first["clientSecret"]})
    check(status == 200 and magnit["tokenType"] == "Bearer", f"get-api-token: {status} {magnit}")
    SECRETS.add(magnit["accessToken"])
    basic = base64.b64encode(f"{first['clientKey']}:{first['clientSecret']}".encode()).decode()
    status, oauth, _ = api.call("POST", "/oauth/token", {"grant_type": "client_credentials"},
                                headers={"Authorization": "Basic " + basic}, form=True)
    check(status == 200 and oauth["token_type"] == "Bearer", f"oauth/token: {status} {oauth}")
    SECRETS.add(oauth["access_token"])
    for token in (magnit["accessToken"], oauth["access_token"]):
        status, who, _ = api.call("GET", "/api/v1/whoami", headers={"Authorization": "Bearer " + token})
        check(status == 200 and who["account"]["username"] == "sam.supplier", f"whoami: {status} {who}")
        check(who["scopes"] == ["raas", "engagements:read"], f"whoami scopes: {who}")

    # View with the emailed code (basic-auth organization): the code comes from the outbox.
    cid = first["credentialKey"]
    status, sent, _ = user.call("POST", f"/api/v1/me/keys/{cid}/view-code")
    check(status == 202, f"view-code: {status} {sent}")
    outbox = os.path.join(workdir, "data", "outbox")
    newest = sorted(os.listdir(outbox))[-1]
    message = open(os.path.join(outbox, newest)).read()
    code = re.search(r"\b(\d{8})\b", message.split("\n\n", 1)[1].replace("\r", "")).group(1)
    SECRETS.add(code)
    status, revealed, headers = user.call("POST", f"/api/v1/me/keys/{cid}/reveal", {"code": code})
    check(status == 200 and revealed["clientSecret"] == first["clientSecret"], f"reveal: {status}")
    check(headers.get("Cache-Control") == "no-store", "reveal response is not cached")

    status, second, _ = user.call("POST", "/api/v1/me/keys", {"name": "e2e second"})
    check(status == 201, f"second key: {status}")
    SECRETS.update([second["clientKey"], second["clientSecret"]])
    check(second["shortenedCredentialKeys"] == [cid], "rotation shortened the first key")

    status, _, _ = user.call("POST", f"/api/v1/me/keys/{cid}/inactivate")
    check(status == 200, f"inactivate: {status}")
    for token in (magnit["accessToken"], oauth["access_token"]):
        status, problem, headers = api.call("GET", "/api/v1/whoami", headers={"Authorization": "Bearer " + token})
        check(status == 401 and headers.get("Content-Type") == "application/problem+json",
              f"token of an inactivated key: {status}")

    # Failed sign-ins and token calls must not leak what was tried either.
    wrong_password = "not-the-password-" + str(port)
    SECRETS.add(wrong_password)
    status, _, _ = Client(base).call("POST", "/api/v1/session", {"username": "sam.supplier", "password": wrong_password})
    check(status == 401, "wrong password refused")

    check(server.stop() == 0, "graceful shutdown exits 0")

    # Restart: everything persisted.
    server.start()
    again = Client(base)
    again.login("sam.supplier")
    status, keys, _ = again.call("GET", "/api/v1/me/keys")
    check([k["credentialKey"] for k in keys["credentials"]] == [second["credentialKey"]], f"active after restart: {keys}")
    check([k["credentialKey"] for k in keys["auditLog"]] == [cid], "inactive key in the audit log after restart")
    check(keys["auditLog"][0]["status"] == "inactive", "status persisted")
    status, token, _ = api.call("POST", "/api/v1/get-api-token", {
        "credentialKey": second["credentialKey"], "clientKey": second["clientKey"], "clientSecret": second["clientSecret"]})
    check(status == 200, f"token after restart: {status}")
    SECRETS.add(token["accessToken"])
    status, _, _ = api.call("POST", "/api/v1/get-api-token", {
        "credentialKey": cid, "clientKey": first["clientKey"], "clientSecret": first["clientSecret"]})
    check(status == 401, "inactivated key still refused after restart")
    check(server.stop() == 0, "second graceful shutdown")

    verify = keygate(args.binary, config, "audit", "verify", workdir=workdir)
    check(verify.returncode == 0 and "intact" in verify.stdout, f"audit verify: {verify.returncode} {verify.stdout} {verify.stderr}")

    listed = keygate(args.binary, config, "admin", "keys", "list", "--username", "sam.supplier", workdir=workdir)
    check(listed.returncode == 0 and "e2e second" in listed.stdout and "inactive" in listed.stdout, f"admin keys list: {listed.stdout}")
    for secret in list(SECRETS):
        check(secret not in listed.stdout, "admin listing shows no secret")

    # Administration from the command line.
    def admin(*words, stdin=None):
        return subprocess.run([args.binary, "--config", config, *words], cwd=workdir, input=stdin,
                              capture_output=True, text=True)
    made = admin("admin", "org", "create", "--name", "E2E Supplier", "--type", "supplier",
                 "--login-method", "basic", "--key-lifetime", "60", "--api-tier", "enterprise")
    check(made.returncode == 0 and "created organization" in made.stdout, f"org create: {made.stdout}{made.stderr}")
    dup = admin("admin", "org", "create", "--name", "E2E Supplier", "--type", "supplier")
    check(dup.returncode != 0 and "already exists" in dup.stderr, f"duplicate org refused: {dup.stderr}")
    user_password = "e2e-password-" + str(port)
    SECRETS.add(user_password)
    made = admin("admin", "user", "create", "--org", "E2E Supplier", "--username", "erin.e2e",
                 "--email", "erin@e2e.example", "--role", "org_admin", stdin=user_password + "\n")
    check(made.returncode == 0 and "created user" in made.stdout, f"user create: {made.stdout}{made.stderr}")
    linked = admin("admin", "user", "link", "--username", "erin.e2e", "--with", "carla.client")
    check(linked.returncode == 0, f"user link: {linked.stdout}{linked.stderr}")
    changed = admin("admin", "org", "set", "--name", "E2E Supplier", "--login-method", "two_factor",
                    "--key-lifetime", "30", "--api-tier", "unlimited")
    check(changed.returncode == 0 and "two_factor" in changed.stdout and "30 days" in changed.stdout
          and "unlimited" in changed.stdout, f"org set: {changed.stdout}{changed.stderr}")
    bad = admin("admin", "org", "set", "--name", "E2E Supplier", "--key-lifetime", "45")
    check(bad.returncode != 0 and "30, 60, 90 or 180" in bad.stderr, f"bad lifetime refused: {bad.stderr}")
    listed_orgs = admin("admin", "org", "list")
    check("E2E Supplier" in listed_orgs.stdout and "Acme Staffing" in listed_orgs.stdout, "org list")
    off = admin("admin", "keys", "inactivate", "--credential-key", str(second["credentialKey"]), "--reason", "e2e")
    check(off.returncode == 0, f"keys inactivate: {off.stdout}{off.stderr}")
    again_off = admin("admin", "keys", "inactivate", "--credential-key", str(second["credentialKey"]))
    check(again_off.returncode != 0, "inactivating twice is refused")
    for words in (["--help"], ["serve", "--help"], ["migrate", "--help"], ["seed-demo", "--help"],
                  ["admin", "--help"], ["admin", "org", "create", "--help"], ["admin", "user", "create", "--help"],
                  ["admin", "keys", "list", "--help"], ["audit", "verify", "--help"]):
        shown = admin(*words)
        check(shown.returncode == 0 and "Usage" in shown.stdout, f"keygate {' '.join(words)}")
    # Unknown configuration is refused, naming the key.
    typo = subprocess.run([args.binary, "--config", config, "migrate"], cwd=workdir, capture_output=True,
                          text=True, env={**os.environ, "KEYGATE_SERVER_PROT": "1"})
    check(typo.returncode != 0 and "KEYGATE_SERVER_PROT" in typo.stderr, f"unknown env refused: {typo.stderr}")
    bad_config = os.path.join(workdir, "typo.toml")
    with open(bad_config, "w") as f:
        f.write(open(config).read() + "\n[mail.smtp]\nurll = \"smtp://x\"\n")
    typo = subprocess.run([args.binary, "--config", bad_config, "migrate"], cwd=workdir,
                          capture_output=True, text=True)
    check(typo.returncode != 0 and "mail.smtp.urll" in typo.stderr, f"unknown key refused: {typo.stderr}")

    # Tamper with one row of the event log behind the application's back.
    db = sqlite3.connect(os.path.join(workdir, "data", "keygate.db"))
    triggers = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='events'")]
    for name in triggers:
        db.execute(f"DROP TRIGGER {name}")
    seq = db.execute("SELECT seq FROM events WHERE type='key.revealed'").fetchone()[0]
    db.execute("UPDATE events SET ip='10.9.9.9' WHERE seq=?", (seq,))
    db.commit()
    db.close()
    broken = keygate(args.binary, config, "audit", "verify", workdir=workdir)
    check(broken.returncode == 3 and f"row {seq}" in broken.stdout, f"tampering detected at row {seq}: {broken.returncode} {broken.stdout}")

    # No secret, token, code or password anywhere in the server's output.
    log = open(server.log_path, errors="replace").read()
    check(len(SECRETS) >= 10, f"collected {len(SECRETS)} secrets")
    for secret in SECRETS:
        check(secret not in log, f"a secret ({secret[:6]}…) appears in the server log")
    json_lines = 0
    for line in log.splitlines():
        if line.startswith("{"):
            check("keygate-demo" not in line, "the demo password appears in a log line")
            try:
                json.loads(line)
                json_lines += 1
            except ValueError:
                check(False, f"log line is not valid JSON: {line[:120]}")
    check(json_lines > 20, "the server logs JSON lines")
    check('"requestId"' in log, "access log lines carry the request id")

    if FAILURES:
        print(f"e2e: {len(FAILURES)} check(s) failed")
        return 1
    print("e2e: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
