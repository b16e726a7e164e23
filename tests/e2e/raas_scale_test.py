#!/usr/bin/python3
"""End-to-end RaaS run of the keygate binary over a large data set (issue 5 item 7).

Seeds the demo accounts with `keygate seed-demo`, then bulk-inserts 1,000,000 timecard lines
for Benchmark Unlimited straight into the SQLite file (one INSERT … SELECT per table, so the
set-up takes seconds even under sanitizers; the code is bench/dataset.py, shared with the
benchmark harness), starts `keygate serve`, builds a report in the UI's JSON API, and runs
it with a key's token exactly as a Magnit RaaS client script would: request, poll the status,
follow `nextpage` through every page of 20,000 rows. The row count
and the column checksums (sum of hours, of timecard ids and of line numbers) must equal a
direct SQLite query. Then a few more runs are requested and the server is killed (SIGKILL)
with them in the queue: after a restart every one of them completes. The server's peak
memory is reported next to the size of the result it served.
"""
import argparse
import decimal
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

# The bulk insert is shared with the benchmark harness: bench/dataset.py (imported without
# leaving a __pycache__ in the source tree).
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench"))
import dataset  # noqa: E402
from api_client import ApiClient as Client  # noqa: E402
from servers import free_port  # noqa: E402

LINES_PER_TIMECARD = dataset.LINES_PER_TIMECARD
BASE_ID = dataset.BASE_ID
PAGE_SIZE = 20000
FAILURES = []


def check(condition, message):
    if not condition:
        FAILURES.append(message)
        print("FAIL:", message, flush=True)
    return condition


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
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("keygate exited early:\n" + open(self.log_path).read()[-4000:])
            if "Keygate is running at" in open(self.log_path, errors="replace").read()[offset:]:
                return
            time.sleep(0.05)
        raise RuntimeError("keygate did not start")

    def peak_rss_kib(self):
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return -1

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=60)
        self.log.close()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=120)
        self.log.close()
        return code


def bulk_insert(db_path):
    """1,000,000 timecard lines of Benchmark Unlimited for Globex (bench/dataset.py)."""
    supplier, lines, seconds = dataset.insert_timecard_lines(db_path)
    print(f"inserted {lines} timecard lines in {seconds:.1f} s", flush=True)
    return supplier


def wait_for_end(api, status_path, deadline_seconds=600):
    deadline = time.time() + deadline_seconds
    while True:
        status, body, _ = api.call("GET", status_path)
        if not check(status == 200, f"status: {status} {body}"):
            return body
        if body["status"] in ("Completed", "Failed"):
            return body
        if time.time() > deadline:
            check(False, f"run did not end: {body}")
            return body
        time.sleep(0.25)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="keygate-raas-e2e-")
    port = free_port()
    config = os.path.join(workdir, "keygate.toml")
    data_dir = os.path.join(workdir, "data")
    with open(config, "w") as f:
        f.write(f"""
[server]
address = "127.0.0.1"
port = {port}
[storage]
data_dir = "{data_dir}"
[security]
password_cost = "minimum"
[limits]
per_ip_rate = 0
[log]
level = "info"
""")
    seeded = subprocess.run([args.binary, "--config", config, "seed-demo"], cwd=workdir, capture_output=True, text=True)
    if not check(seeded.returncode == 0, f"seed-demo: {seeded.stderr}"):
        return 1
    db_path = os.path.join(data_dir, "keygate.db")
    supplier = bulk_insert(db_path)
    expected = dataset.timecard_lines_truth(db_path, supplier)
    check(expected["rows"] >= 1_000_000, f"at least 1,000,000 timecard lines: {expected}")

    base = f"http://127.0.0.1:{port}"
    server = Server(args.binary, config, workdir)
    server.start()
    try:
        ui = Client(base)
        status, session, _ = ui.call("POST", "/api/v1/session", {"username": "bench.unlimited", "password": "keygate-demo"})
        check(status == 200, f"login: {status}")
        ui.csrf = session["csrfToken"]
        status, report, _ = ui.call("POST", "/api/v1/reports", dataset.TIMECARD_LINES_REPORT)
        check(status == 201, f"create report: {status} {report}")
        report_id = report["id"]
        status, key, _ = ui.call("POST", "/api/v1/me/keys", {"name": "raas e2e"})
        check(status == 201, f"generate key: {status}")

        api = Client(base)
        status, token, _ = api.call("POST", "/api/v1/get-api-token", {
            "credentialKey": key["credentialKey"], "clientKey": key["clientKey"], "clientSecret": key["clientSecret"]})
        check(status == 200, f"token: {status}")
        api.token = token["accessToken"]

        requests_path = f"/raas/v1/reports/{report_id}/requests"
        started = time.time()
        status, requested, _ = api.call("POST", requests_path)
        check(status == 202, f"request: {status} {requested}")
        run = requested["runid"]
        done = wait_for_end(api, f"{requests_path}/{run}")
        elapsed_run = time.time() - started
        check(done["status"] == "Completed", f"run completed: {done}")
        check(done["totalrecords"] == expected["rows"], f"totalrecords {done['totalrecords']} == {expected['rows']}")
        print(f"run of {done['totalrecords']} rows completed in {elapsed_run:.1f} s", flush=True)

        started = time.time()
        url = f"{requests_path}/{run}/retrievePagedData?page=1&size={PAGE_SIZE}"
        rows = pages = 0
        hours = decimal.Decimal(0)
        timecard_ids = lines = 0
        while url:
            status, page, _ = api.call("GET", url)
            if not check(status == 200, f"page {pages + 1}: {status} {page}"):
                break
            pages += 1
            check(page["totalrecords"] == expected["rows"], "totalrecords on every page")
            for row in page["data"]:
                rows += 1
                hours += row["Hours Worked"]
                timecard_ids += row["Timecard ID"]
                lines += row["Line Number"]
            url = page["nextpage"]
            if url:
                check(url.startswith(base), f"nextpage is an absolute URL of this server: {url}")
        print(f"read {rows} rows in {pages} pages in {time.time() - started:.1f} s", flush=True)
        check(rows == expected["rows"], f"row count {rows} == {expected['rows']}")
        check(pages == (expected["rows"] + PAGE_SIZE - 1) // PAGE_SIZE, f"pages {pages}")
        check(hours * 100 == expected["hours_hundredths"], f"hours checksum {hours} == {expected['hours_hundredths']} / 100")
        check(timecard_ids == expected["timecard_ids"], "timecard id checksum")
        check(lines == expected["lines"], "line number checksum")

        status, csv, headers = api.call("GET", f"{requests_path}/{run}/retrievePagedData?page=2&size=3&format=csv", raw=True)
        check(status == 200 and csv.startswith(b"Timecard ID,Line Number,Work Date,Rate Type,Hours Worked\r\n"),
              f"csv page: {status} {csv[:80]}")
        check(csv.count(b"\r\n") == 4, "csv: a header and three rows")

        result = os.path.join(data_dir, "raas", f"run-{run}.kgr")
        print(f"result file {os.path.getsize(result) / 1e6:.0f} MB; server peak RSS {server.peak_rss_kib() / 1024:.0f} MiB",
              flush=True)

        # Runs in the queue when the process dies: they complete after the restart.
        queued = []
        for timecard in (BASE_ID, BASE_ID + 1, BASE_ID + 2, BASE_ID + 3):
            status, requested, _ = api.call("POST", requests_path, {"timecard": timecard})
            check(status == 202, f"small request: {status} {requested}")
            queued.append(requested["runid"])
        server.kill()
        server.start()
        for queued_run in queued:
            body = wait_for_end(api, f"{requests_path}/{queued_run}")
            check(body["status"] == "Completed" and body["totalrecords"] == LINES_PER_TIMECARD,
                  f"run {queued_run} after the restart: {body}")
        code = server.stop()
        check(code == 0, f"graceful stop exit code {code}")
    finally:
        if server.process and server.process.poll() is None:
            server.process.kill()

    if FAILURES:
        print(f"{len(FAILURES)} failure(s); server log: {server.log_path}")
        return 1
    print("raas scale end-to-end test passed")
    # About 200 MB of database and results: kept only when the test fails, for the log.
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
