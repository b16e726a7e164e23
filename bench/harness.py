#!/usr/bin/python3
"""Keygate's benchmark harness (docs/performance.md), run by bench/run.

One run, on one machine, in one session: seeds a data set with `keygate seed-demo` and
bench/dataset.py, starts Keygate and an nginx baseline, and measures

  a. an authenticated small GET, Keygate against nginx, with wrk (alternating rounds);
  b. token issuance (POST /api/v1/get-api-token) with wrk;
  c. a RaaS report of every timecard line, against `sqlite3 -json` running the same query;
  d. the Google Benchmark microbenchmarks (keygate_microbench);
  e. idle RSS, and RSS with 1,000,000 credentials in the verification cache.

The targets are printed as ratios and verdicts and never fail the run. The run fails (exit 1)
when a figure could not be measured: that is what the smoke mode, run by CTest in CI, checks.
Figures go to stdout as a table and to <work-dir>/results.json. Python standard library only.
"""
import argparse
import datetime
import decimal
import http.client
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse

sys.dont_write_bytecode = True  # the harness's modules leave no __pycache__ in the source tree
import dataset  # noqa: E402
from api_client import ApiClient, UnexpectedStatus  # noqa: E402
from loadgen import run_wrk  # noqa: E402
from servers import (Keygate, Nginx, RssSampler, die_with_parent, free_port, http_get,  # noqa: E402
                     machine_busy_seconds, memory_kib)

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.dirname(BENCH_DIR)
PAGE_SIZE = 20000  # the largest page RaaS serves (docs/raas.md)
MIB = 1024

# Full and smoke sizes. Smoke only proves the harness runs and prints every figure.
MODES = {
    "full": {"engagements": dataset.ENGAGEMENTS, "credentials": 1_000_000, "rounds": 3, "duration": 10,
             "warmup": 2, "benchmark_args": []},
    "smoke": {"engagements": 8, "credentials": 10_000, "rounds": 1, "duration": 1,
              "warmup": 0, "benchmark_args": ["--benchmark_min_time=0.01"]},
}
TARGETS = {
    "get_rps_ratio": 1.0,          # authenticated GET requests/s >= 1.0 × nginx
    "bearer_verify_us": 1.0,       # bearer verification <= 1 µs per call
    "raas_time_ratio": 2.0,        # request-to-Completed + retrieval <= 2 × sqlite3 -json
    "raas_rss_growth_mib": 64,     # server RSS growth during the RaaS run < 64 MiB
    "credentials_rss_mib": 256,    # 1,000,000 loaded credentials < 256 MiB RSS
}


class Failure(Exception):
    """A figure that could not be measured."""


def log(message):
    print(message, flush=True)


def find_tool(name):
    for candidate in (shutil.which(name), f"/usr/sbin/{name}", f"/sbin/{name}"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def command_output(command):
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30)
        return (done.stdout + done.stderr).strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def other_cores(seconds=1.0):
    """Cores' worth of CPU the machine spent over `seconds` while the harness itself slept."""
    before = machine_busy_seconds()
    time.sleep(seconds)
    return (machine_busy_seconds() - before) / seconds


def load_average():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


def cmake_cache(build_dir):
    values = {}
    try:
        with open(os.path.join(build_dir, "CMakeCache.txt")) as f:
            for line in f:
                for key in ("CMAKE_BUILD_TYPE", "KEYGATE_SANITIZE", "CMAKE_HOME_DIRECTORY"):
                    if line.startswith(key + ":"):
                        values[key] = line.split("=", 1)[1].strip()
    except OSError:
        pass
    return values


def git_revision(source_dir):
    """The commit the build's source tree is at, with a note when it has uncommitted changes."""
    inside = command_output(["git", "-C", source_dir, "rev-parse", "--is-inside-work-tree"])
    if inside != "true":
        return f"unknown ({source_dir} is not a git checkout)"
    commit = command_output(["git", "-C", source_dir, "rev-parse", "--short", "HEAD"])
    dirty = command_output(["git", "-C", source_dir, "status", "--porcelain", "--untracked-files=no"])
    return commit + (" + local changes" if dirty else "")


def fmt_int(value):
    return "—" if value is None else f"{value:,.0f}"


def fmt(value, digits=2, unit=""):
    return "—" if value is None else f"{value:,.{digits}f}{unit}"


def ratio(a, b):
    return a / b if a is not None and b else None


class Bench:
    def __init__(self, args):
        self.args = args
        self.mode = "smoke" if args.smoke else "full"
        self.sizes = dict(MODES[self.mode])
        if args.rounds is not None:
            self.sizes["rounds"] = args.rounds
        if args.duration is not None:
            self.sizes["duration"] = args.duration
        self.build_dir = os.path.abspath(args.build_dir)
        self.keygate_binary = os.path.join(self.build_dir, "src", "app", "keygate")
        self.microbench_binary = os.path.join(self.build_dir, "bench", "micro", "keygate_microbench")
        self.failures = []
        self.results = {"mode": self.mode, "sizes": self.sizes, "targets": TARGETS}
        self.keygate = None
        self.nginx = None
        self.temporary_workdir = args.work_dir is None
        self.workdir = os.path.abspath(args.work_dir) if args.work_dir else tempfile.mkdtemp(prefix="keygate-bench-")
        os.makedirs(self.workdir, exist_ok=True)
        self.data_dir = os.path.join(self.workdir, "data")
        self.db_path = os.path.join(self.data_dir, "keygate.db")
        self.config_path = os.path.join(self.workdir, "keygate.toml")
        self.server_log = os.path.join(self.workdir, "keygate.log")
        # KEYGATE_* variables would override the generated configuration (and unknown ones
        # are fatal), so the server sees none of the caller's.
        self.server_env = {k: v for k, v in os.environ.items() if not k.startswith("KEYGATE_")}
        self.tools = {name: find_tool(name) for name in ("wrk", "nginx", "sqlite3")}

    # ---- bookkeeping ----

    def fail(self, message):
        self.failures.append(message)
        log(f"FAILED: {message}")

    def section(self, name, function):
        """Runs one measurement; a failure is recorded and the next section still runs."""
        started = time.monotonic()
        try:
            function()
        except (Failure, UnexpectedStatus) as failure:
            self.fail(f"{name}: {failure}")
        except Exception as error:  # any other error of one section: recorded, the run goes on
            self.fail(f"{name}: {type(error).__name__}: {error}")
            traceback.print_exc()
        log(f"   ({name}: {time.monotonic() - started:.1f} s)")

    def machine(self):
        cache = cmake_cache(self.build_dir)
        info = {
            "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            # Of the tree the binaries were built from, which need not be this checkout.
            "source_dir": cache.get("CMAKE_HOME_DIRECTORY", SOURCE_DIR),
            "commit": git_revision(cache.get("CMAKE_HOME_DIRECTORY", SOURCE_DIR)),
            "nproc": len(os.sched_getaffinity(0)),
            "cpu_model": cpu_model(),
            "kernel": platform.release(),
            "memory_gib": os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024 ** 3,
            "load_average_at_start": load_average(),
            "busy_cores_at_start": other_cores(),
            "build_dir": self.build_dir,
            "build_type": cache.get("CMAKE_BUILD_TYPE", "unknown"),
            "keygate_built": self.built_at(self.keygate_binary),
            "microbench_built": self.built_at(self.microbench_binary),
            "sanitizers": cache.get("KEYGATE_SANITIZE", "OFF").upper() in ("ON", "TRUE", "1"),
            "nginx": command_output([self.tools["nginx"], "-v"]) if self.tools["nginx"] else None,
            # "wrk debian/4.1.0-3+b2 [epoll] Copyright …" -> "debian/4.1.0-3+b2"
            "wrk": (command_output(["wrk", "-v"]).split() + ["", ""])[1] if self.tools["wrk"] else None,
            "sqlite3": command_output([self.tools["sqlite3"], "--version"]).split(" ")[0] if self.tools["sqlite3"] else None,
            "python": platform.python_version(),
        }
        self.results["machine"] = info
        log(f"Keygate benchmark, {self.mode} mode, {info['date_utc']}, commit {info['commit']}")
        log(f"machine: {info['nproc']} CPUs ({info['cpu_model']}), {info['memory_gib']:.1f} GiB RAM, "
            f"Linux {info['kernel']}; at start: load average {info['load_average_at_start'][0]:.2f}, "
            f"{info['busy_cores_at_start']:.2f} cores busy with other work")
        log(f"build: {self.build_dir} ({info['build_type']}{', ASan+UBSan' if info['sanitizers'] else ''}); "
            f"keygate built {info['keygate_built']}, keygate_microbench built {info['microbench_built']}")
        log(f"tools: {info['nginx']}, wrk {info['wrk']}, sqlite3 {info['sqlite3']}, Python {info['python']}")
        log(f"work dir: {self.workdir}")
        if info["sanitizers"] or info["build_type"] != "Release":
            log("note: not a release build — these figures check the harness, they are not performance figures")
        if info["busy_cores_at_start"] > 0.1:
            log("note: the machine is not idle: figures will be noisy (see the 'other' column)")

    @staticmethod
    def built_at(path):
        """The binary's modification time: the working tree may have moved on since it was built."""
        try:
            return datetime.datetime.fromtimestamp(os.path.getmtime(path), datetime.timezone.utc).strftime(
                "%Y-%m-%d %H:%M UTC")
        except OSError:
            return "missing"

    # ---- set-up ----

    def write_config(self):
        with open(self.config_path, "w") as f:
            f.write(f"""# Generated by bench/harness.py (docs/performance.md explains each choice).
[server]
address = "127.0.0.1"
port = 0
threads = 2

[storage]
data_dir = {json.dumps(self.data_dir)}

[mail]
transport = "outbox"
outbox_dir = {json.dumps(os.path.join(self.data_dir, "outbox"))}

[security]
# Only the bench user's one sign-in hashes a password; the interactive Argon2id cost would put
# its 64 MiB work area into the server's peak RSS.
password_cost = "minimum"
token_ttl_seconds = 86400

[limits]
# The per-IP token bucket still runs on every API call, but never refuses the load.
per_ip_rate = 1000000
per_ip_burst = 1000000

[log]
level = "info"
format = "json"
""")

    def prepare(self):
        for name, path in self.tools.items():
            if not path:
                raise Failure(f"{name} is not installed (scripts/install-deps.sh --bench installs it)")
        if not os.access(self.keygate_binary, os.X_OK):
            raise Failure(f"no keygate binary at {self.keygate_binary}")
        self.write_config()
        started = time.monotonic()
        seeded = subprocess.run([self.keygate_binary, "--config", self.config_path, "seed-demo"], cwd=self.workdir,
                                capture_output=True, text=True, env=self.server_env, timeout=600,
                                preexec_fn=die_with_parent)
        if seeded.returncode != 0:
            raise Failure(f"keygate seed-demo exited with {seeded.returncode}: {seeded.stderr.strip()[-2000:]}")
        seed_seconds = time.monotonic() - started
        supplier, lines, insert_seconds = dataset.insert_timecard_lines(self.db_path,
                                                                        engagements=self.sizes["engagements"])
        self.supplier = supplier
        self.truth = dataset.timecard_lines_truth(self.db_path, supplier)
        self.results["dataset"] = {"seed_demo_seconds": seed_seconds, "inserted_timecard_lines": lines,
                                   "insert_seconds": insert_seconds, "supplier_timecard_lines": self.truth["rows"],
                                   "db_bytes": os.path.getsize(self.db_path)}
        log(f"data set: seed-demo {seed_seconds:.1f} s; {lines:,} timecard lines inserted in {insert_seconds:.1f} s "
            f"({self.truth['rows']:,} for {dataset.SUPPLIER_NAME}); database {os.path.getsize(self.db_path) / 1e6:.0f} MB")

    def start_keygate(self):
        self.keygate = Keygate(self.keygate_binary, self.config_path, self.workdir, self.server_log, self.server_env)
        seconds = self.keygate.start()
        log(f"keygate running at {self.keygate.base} (pid {self.keygate.pid}, started in {seconds:.2f} s)")
        return seconds

    def idle_memory(self):
        time.sleep(1.0)
        memory = memory_kib(self.keygate.pid)
        self.results["memory"] = {"idle_rss_kib": memory["VmRSS"], "idle_hwm_kib": memory["VmHWM"]}
        log(f"idle: VmRSS {memory['VmRSS'] / MIB:.1f} MiB, VmHWM {memory['VmHWM'] / MIB:.1f} MiB")

    def credentials_and_token(self):
        """Sign in as bench.unlimited, generate a key, exchange it for a token (docs/api.md)."""
        ui = ApiClient(self.keygate.base, timeout=120)
        session = ui.expect(200, "POST", "/api/v1/session",
                            {"username": dataset.BENCH_USERNAME, "password": dataset.DEMO_PASSWORD})
        ui.csrf = session["csrfToken"]
        self.ui = ui
        # RaaS is in every key's scopes; engagements:read is the Supplier API read under test.
        key = ui.expect(201, "POST", "/api/v1/me/keys", {"name": "benchmark", "scopes": ["engagements:read"]})
        self.key_body = json.dumps({f: key[f] for f in ("credentialKey", "clientKey", "clientSecret")})
        api = ApiClient(self.keygate.base, timeout=120)
        token = api.expect(200, "POST", "/api/v1/get-api-token", json.loads(self.key_body))
        self.token = token["accessToken"]
        api.token = self.token
        self.api = api
        listing = api.expect(200, "GET", "/supplier/v1/engagements?limit=1")
        if not listing["data"]:
            raise Failure(f"{dataset.SUPPLIER_NAME} has no engagement")
        self.engagement_path = f"/supplier/v1/engagements/{listing['data'][0]['id']}"
        status, body = http_get(self.keygate.base + self.engagement_path, {"Authorization": "Bearer " + self.token})
        if status != 200:
            raise Failure(f"GET {self.engagement_path}: {status}")
        self.engagement_body = body
        log(f"key {key['credentialKey']} with scopes {token['scopes']}; GET {self.engagement_path} answers "
            f"{len(body)} bytes of JSON")

    def start_nginx(self):
        directory = os.path.join(self.workdir, "nginx")
        os.makedirs(directory, exist_ok=True)
        self.nginx = Nginx(self.tools["nginx"], directory, free_port())
        self.nginx.write_config(self.engagement_path, self.token, self.engagement_body.decode())
        try:
            self.nginx.start()
        except BaseException:
            self.nginx.stop()
            self.nginx = None
            raise
        self.nginx_base = f"http://127.0.0.1:{self.nginx.port}"
        log(f"nginx running at {self.nginx_base} (master pid {self.nginx.process.pid}, "
            f"workers {self.nginx.pids()[1:]})")

    def check_servers(self):
        """Before timing: both answer the same body to the token, and 401 to a wrong one."""
        good = {"Authorization": "Bearer " + self.token}
        # Change a character rather than its case: nginx's map compares ignoring case.
        wrong_token = self.token[:-1] + ("A" if self.token[-1] != "A" else "B")
        wrong = {"Authorization": "Bearer " + wrong_token}
        for name, base in (("keygate", self.keygate.base), ("nginx", self.nginx_base)):
            status, body = http_get(base + self.engagement_path, good)
            if status != 200 or body != self.engagement_body:
                raise Failure(f"{name} answered {status} with a different body ({len(body)} bytes)")
            status, _ = http_get(base + self.engagement_path, wrong)
            if status != 401:
                raise Failure(f"{name} answered {status} to a wrong token (expected 401)")
            status, _ = http_get(base + self.engagement_path)
            if status != 401:
                raise Failure(f"{name} answered {status} without a token (expected 401)")
        log("checked: same JSON body from both; a wrong token and no token get 401 from both")

    # ---- a. authenticated GET ----

    def authenticated_get(self):
        if self.nginx is None:
            raise Failure("nginx is not running")
        headers = ["Authorization: Bearer " + self.token]
        targets = {
            "keygate": (self.keygate.base + self.engagement_path, lambda: [self.keygate.pid]),
            "nginx": (self.nginx_base + self.engagement_path, self.nginx.pids),
        }
        duration, rounds = self.sizes["duration"], self.sizes["rounds"]
        if self.sizes["warmup"]:
            for name, (url, pids) in targets.items():
                run_wrk(url, self.sizes["warmup"], pids(), headers=headers)
            log(f"warm-up: {self.sizes['warmup']} s of the same load on each server (not reported)")
        self.results["get"] = {"path": self.engagement_path, "body_bytes": len(self.engagement_body),
                               "rounds": [], "median": {}}
        log(f"\na. authenticated GET {self.engagement_path}: wrk -t2 -c64 -d{duration}s --latency, "
            f"{rounds} alternating round(s)")
        log(f"   {'round':<7}{'server':<9}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'CPU µs/req':>12}"
            f"{'wrk µs/req':>12}{'B/resp':>8}{'other':>7}")
        for number in range(1, rounds + 1):
            for name, (url, pids) in targets.items():
                figures = run_wrk(url, duration, pids(), headers=headers)
                figures.update({"round": number, "server": name})
                self.results["get"]["rounds"].append(figures)
                log(f"   {number:<7}{name:<9}{fmt_int(figures.get('rps')):>10}{fmt(figures.get('p50_ms')):>9}"
                    f"{fmt(figures.get('p99_ms')):>9}{fmt(figures.get('server_cpu_us_per_request'), 1):>12}"
                    f"{fmt(figures.get('client_cpu_us_per_request'), 1):>12}"
                    f"{fmt_int(figures.get('bytes_per_response')):>8}{fmt(figures['other_cores']):>7}"
                    + ("" if figures["valid"] else f"   INVALID: {figures['problem']}"))
                if figures["socket_errors"] and any(figures["socket_errors"].values()):
                    log(f"          socket errors: {figures['socket_errors']}")
        log("   (CPU µs/req: server user+system CPU per request, /proc; wrk µs/req: the load generator's; "
            "other: cores busy with other work meanwhile)")
        invalid = [r for r in self.results["get"]["rounds"] if not r["valid"]]
        for name in targets:
            valid = [r for r in self.results["get"]["rounds"] if r["server"] == name and r["valid"]]
            if not valid:
                continue
            median = {key: statistics.median(r[key] for r in valid)
                      for key in ("rps", "p50_ms", "p99_ms", "server_cpu_us_per_request", "client_cpu_us_per_request")}
            self.results["get"]["median"][name] = median
            log(f"   {'median':<7}{name:<9}{fmt_int(median['rps']):>10}{fmt(median['p50_ms']):>9}"
                f"{fmt(median['p99_ms']):>9}{fmt(median['server_cpu_us_per_request'], 1):>12}"
                f"{fmt(median['client_cpu_us_per_request'], 1):>12}")
        k, n = self.results["get"]["median"].get("keygate"), self.results["get"]["median"].get("nginx")
        if k and n:
            self.results["get"]["ratio"] = {
                "rps": ratio(k["rps"], n["rps"]), "p50": ratio(k["p50_ms"], n["p50_ms"]),
                "p99": ratio(k["p99_ms"], n["p99_ms"]),
                "cpu_per_request": ratio(k["server_cpu_us_per_request"], n["server_cpu_us_per_request"])}
            r = self.results["get"]["ratio"]
            log(f"   keygate / nginx: req/s {r['rps']:.2f}x, p50 {r['p50']:.2f}x, p99 {r['p99']:.2f}x, "
                f"server CPU per request {r['cpu_per_request']:.2f}x")
        if invalid:
            raise Failure(f"{len(invalid)} invalid round(s): " + "; ".join(
                f"round {r['round']} {r['server']}: {r['problem']}" for r in invalid))

    # ---- b. token issuance ----

    def token_issuance(self):
        duration = self.sizes["duration"]
        env = dict(os.environ, KG_BENCH_TOKEN_BODY=self.key_body)
        figures = run_wrk(self.keygate.base + "/api/v1/get-api-token", duration, [self.keygate.pid],
                          script=os.path.join(BENCH_DIR, "token.lua"), env=env)
        self.results["token"] = figures
        log(f"\nb. token issuance POST /api/v1/get-api-token: wrk -t2 -c64 -d{duration}s, one round")
        log(f"   {fmt_int(figures.get('rps'))} tokens/s, p50 {fmt(figures.get('p50_ms'))} ms, "
            f"p99 {fmt(figures.get('p99_ms'))} ms, server CPU {fmt(figures.get('server_cpu_us_per_request'), 1)} µs "
            f"per token; other work {figures['other_cores']:.2f} cores"
            + ("" if figures["valid"] else f"   INVALID: {figures['problem']}"))
        if not figures["valid"]:
            raise Failure(figures["problem"])

    # ---- c. RaaS ----

    def raas(self):
        report = self.ui.expect(201, "POST", "/api/v1/reports", dataset.TIMECARD_LINES_REPORT)
        url = urllib.parse.urlsplit(self.keygate.base)
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=600)
        auth = {"Authorization": "Bearer " + self.token}

        def call(method, path):
            connection.request(method, path, headers=auth)
            response = connection.getresponse()
            return response.status, response.read()

        requests_path = f"/raas/v1/reports/{report['id']}/requests"
        expected = self.truth["rows"]
        before = memory_kib(self.keygate.pid)["VmRSS"]
        pages = []
        with RssSampler(self.keygate.pid) as sampler:
            started = time.perf_counter()
            status, body = call("POST", requests_path)
            if status != 202:
                raise Failure(f"request: {status} {body[:300]!r}")
            run = json.loads(body)["runid"]
            while True:
                status, body = call("GET", f"{requests_path}/{run}")
                state = json.loads(body) if status == 200 else {}
                if state.get("status") == "Completed":
                    break
                if status != 200 or state.get("status") == "Failed" or time.perf_counter() - started > 1800:
                    raise Failure(f"run {run}: {status} {body[:300]!r}")
                time.sleep(0.02)
            completed = time.perf_counter() - started
            total = state["totalrecords"]
            page_count = max(1, math.ceil(total / PAGE_SIZE))
            retrieval_started = time.perf_counter()
            for page in range(1, page_count + 1):
                status, body = call("GET", f"{requests_path}/{run}/retrievePagedData?page={page}&size={PAGE_SIZE}")
                if status != 200:
                    raise Failure(f"page {page}: {status} {body[:300]!r}")
                pages.append(body)
            retrieval = time.perf_counter() - retrieval_started
        connection.close()
        peak = sampler.peak_kib
        response_bytes = sum(len(p) for p in pages)

        # Checked after the clock stopped: the row count and column checksums equal SQLite's.
        rows = timecard_ids = lines = 0
        hours = decimal.Decimal(0)
        for number, body in enumerate(pages, 1):
            page = json.loads(body, parse_float=decimal.Decimal)
            if page["totalrecords"] != total or (page["nextpage"] is None) != (number == page_count):
                raise Failure(f"page {number}: totalrecords {page['totalrecords']}, nextpage {page['nextpage']}")
            for row in page["data"]:
                rows += 1
                hours += row["Hours Worked"]
                timecard_ids += row["Timecard ID"]
                lines += row["Line Number"]
        del pages
        if not (total == rows == expected and hours * 100 == self.truth["hours_hundredths"]
                and timecard_ids == self.truth["timecard_ids"] and lines == self.truth["lines"]):
            raise Failure(f"rows or checksums differ from SQLite: totalrecords {total}, rows read {rows}, "
                          f"expected {expected}")

        baseline = self.sqlite_json(expected)
        keygate_seconds = completed + retrieval
        self.results["raas"] = {
            "rows": rows, "pages": page_count, "page_size": PAGE_SIZE, "response_bytes": response_bytes,
            "request_to_completed_seconds": completed, "retrieval_seconds": retrieval,
            "keygate_seconds": keygate_seconds, "sqlite3_json_seconds": baseline["seconds"],
            "sqlite3_json_bytes": baseline["bytes"], "ratio": ratio(keygate_seconds, baseline["seconds"]),
            "rss_before_kib": before, "rss_peak_kib": peak, "rss_growth_kib": peak - before,
            "rss_samples": sampler.samples, "sql": dataset.timecard_lines_sql(self.supplier),
            "result_file_bytes": os.path.getsize(os.path.join(self.data_dir, "raas", f"run-{run}.kgr")),
        }
        r = self.results["raas"]
        log(f"\nc. RaaS: {rows:,} timecard lines (report of {len(dataset.TIMECARD_LINES_REPORT['columns'])} columns),"
            f" {page_count} page(s) of {PAGE_SIZE:,}")
        log(f"   keygate: request → Completed {completed:.3f} s, read all pages {retrieval:.3f} s, "
            f"total {keygate_seconds:.3f} s ({response_bytes / 1e6:.1f} MB of JSON)")
        log(f"   sqlite3 -json, same query and file: {baseline['seconds']:.3f} s ({baseline['bytes'] / 1e6:.1f} MB)")
        log(f"   keygate / sqlite3: {r['ratio']:.2f}x; server VmRSS {before / MIB:.1f} MiB before, "
            f"peak {peak / MIB:.1f} MiB (+{(peak - before) / MIB:.1f} MiB, {sampler.samples} samples)")

    def sqlite_json(self, expected_rows):
        """`sqlite3 -json DB SQL`, timed; its output is counted (one row per line), not kept."""
        command = [self.tools["sqlite3"], "-batch", "-init", "/dev/null", "-json", self.db_path,
                   dataset.timecard_lines_sql(self.supplier)]
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=die_with_parent)
        newlines = size = 0
        while chunk := process.stdout.read(1 << 20):
            newlines += chunk.count(b"\n")
            size += len(chunk)
        stderr = process.stderr.read()
        code = process.wait()
        seconds = time.perf_counter() - started
        if code != 0:
            raise Failure(f"sqlite3 exited with {code}: {stderr.decode(errors='replace')[:300]}")
        if newlines != expected_rows:  # rows end in ",\n", the last in "]\n"
            raise Failure(f"sqlite3 -json printed {newlines} rows, expected {expected_rows}")
        return {"seconds": seconds, "bytes": size}

    # ---- e. memory with many credentials ----

    def credentials_memory(self):
        code = self.keygate.stop()
        if code not in (0, None):
            log(f"note: keygate exited with code {code} on SIGTERM")
        target = self.sizes["credentials"]
        inserted, count, seconds = dataset.insert_credentials(self.db_path, target)
        log(f"\ne. memory: {inserted:,} credential rows inserted in {seconds:.1f} s ({count:,} in the table); "
            "restarting keygate")
        start_seconds = self.start_keygate()
        time.sleep(1.0)
        memory = memory_kib(self.keygate.pid)
        status, metrics = http_get(self.keygate.base + "/metrics")
        loaded = None
        for line in metrics.decode(errors="replace").splitlines():
            if line.startswith("keygate_credentials_loaded "):
                loaded = int(float(line.split()[1]))
        status_get, _ = http_get(self.keygate.base + self.engagement_path, {"Authorization": "Bearer " + self.token})
        m = self.results.setdefault("memory", {})
        m.update({"credentials": count, "credentials_loaded": loaded, "start_seconds": start_seconds,
                  "credentials_rss_kib": memory["VmRSS"], "credentials_hwm_kib": memory["VmHWM"]})
        idle = m.get("idle_rss_kib")
        log(f"   idle, before the bulk credentials: VmRSS {fmt(idle and idle / MIB, 1)} MiB, "
            f"VmHWM {fmt(m.get('idle_hwm_kib') and m['idle_hwm_kib'] / MIB, 1)} MiB")
        log(f"   {fmt_int(loaded)} credentials loaded (start-up {start_seconds:.2f} s): VmRSS {memory['VmRSS'] / MIB:.1f} MiB, "
            f"VmHWM {memory['VmHWM'] / MIB:.1f} MiB"
            + (f" (+{(memory['VmRSS'] - idle) / MIB:.1f} MiB over idle, "
               f"{(memory['VmRSS'] - idle) * 1024 / max(1, count):.0f} B per credential)" if idle else ""))
        if loaded != count:
            raise Failure(f"/metrics reports {loaded} credentials loaded, the table holds {count}")
        if status_get != 200:
            raise Failure(f"the token no longer works after the restart: {status_get}")

    # ---- d. microbenchmarks ----

    def microbenchmarks(self):
        log("\nd. microbenchmarks (Google Benchmark)")
        if not os.access(self.microbench_binary, os.X_OK):
            self.results["micro"] = {"missing": self.microbench_binary}
            raise Failure(f"MISSING: the microbenchmark binary {self.microbench_binary} does not exist — "
                          "target keygate_microbench (bench/micro/) is not built or not written yet")
        command = [self.microbench_binary, "--benchmark_format=json"] + self.sizes["benchmark_args"]
        done = subprocess.run(command, capture_output=True, text=True, timeout=1800, cwd=self.workdir,
                              preexec_fn=die_with_parent)
        if done.returncode != 0:
            raise Failure(f"keygate_microbench exited with {done.returncode}: {done.stderr.strip()[-1000:]}")
        report = json.loads(done.stdout)
        scale = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
        benchmarks = []
        log(f"   {'benchmark':<52}{'time/op':>18}{'CPU/op':>18}{'iterations':>14}")
        for b in report.get("benchmarks", []):
            if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
                continue
            if "error_occurred" in b and b["error_occurred"]:
                raise Failure(f"benchmark {b['name']} failed: {b.get('error_message')}")
            unit = scale[b.get("time_unit", "ns")]
            entry = {"name": b["name"], "real_ns": b["real_time"] * unit, "cpu_ns": b["cpu_time"] * unit,
                     "iterations": b.get("iterations")}
            entry.update({k: v for k, v in b.items() if k in ("items_per_second", "bytes_per_second")})
            benchmarks.append(entry)
            log(f"   {b['name']:<52}{entry['real_ns']:>15,.1f} ns{entry['cpu_ns']:>15,.1f} ns"
                f"{fmt_int(entry['iterations']):>14}")
        if not benchmarks:
            raise Failure("keygate_microbench ran no benchmark")
        self.results["micro"] = {"context": report.get("context", {}), "benchmarks": benchmarks}
        # The bearer verification figure: the slowest of the benchmarks named BearerVerify… (with
        # few or many credentials loaded, one token or tokens spread over many keys): the target
        # holds only if it holds for each.
        verifying = [b for b in benchmarks if "bearerverif" in b["name"].lower().replace("_", "")]
        if verifying:
            slowest = max(verifying, key=lambda b: b["cpu_ns"])
            self.results["micro"]["bearer_verification"] = slowest
            log(f"   bearer verification, slowest of {len(verifying)} BearerVerify benchmark(s): "
                f"{slowest['name']} {slowest['cpu_ns'] / 1e3:.3f} µs CPU per call")
        else:
            raise Failure("no BearerVerify benchmark in keygate_microbench: the bearer verification figure "
                          "is missing")

    # ---- the summary ----

    def server_log_summary(self):
        levels, statuses = {}, {}
        try:
            with open(self.server_log, errors="replace") as f:
                for line in f:
                    if not line.startswith("{"):
                        continue
                    try:
                        entry = json.loads(line)
                    except ValueError:
                        continue
                    if "level" in entry:
                        levels[entry["level"]] = levels.get(entry["level"], 0) + 1
                        if entry["level"] in ("warn", "warning", "error", "critical"):
                            log(f"   server log {entry['level']}: {line.strip()[:300]}")
                    if "status" in entry and "route" in entry:
                        statuses[entry["status"]] = statuses.get(entry["status"], 0) + 1
        except OSError:
            return
        self.results["server_log"] = {"levels": levels, "access_statuses": {str(k): v for k, v in statuses.items()}}
        log(f"\nserver log: {sum(statuses.values()):,} access lines, statuses "
            + ", ".join(f"{k}: {v:,}" for k, v in sorted(statuses.items()))
            + "; application lines by level " + ", ".join(f"{k}: {v}" for k, v in sorted(levels.items())))

    def verdicts(self):
        get = self.results.get("get", {})
        k, n = get.get("median", {}).get("keygate"), get.get("median", {}).get("nginx")
        raas = self.results.get("raas")
        memory = self.results.get("memory", {})
        bearer = self.results.get("micro", {}).get("bearer_verification")
        rows = []

        def verdict(ok):
            return "n/a" if ok is None else ("MET" if ok else "NOT MET")

        if k and n:
            ok = k["rps"] >= TARGETS["get_rps_ratio"] * n["rps"] and k["p99_ms"] <= n["p99_ms"]
            rows.append(("authenticated GET: req/s >= 1.0 x nginx, p99 <= nginx's",
                         f"{k['rps'] / n['rps']:.2f}x req/s; p99 {k['p99_ms']:.2f} vs {n['p99_ms']:.2f} ms",
                         verdict(ok)))
        else:
            rows.append(("authenticated GET: req/s >= 1.0 x nginx, p99 <= nginx's", "not measured", "n/a"))
        if bearer:
            us = bearer["cpu_ns"] / 1e3
            rows.append(("bearer verification <= 1 µs per call", f"{us:.3f} µs ({bearer['name']})",
                         verdict(us <= TARGETS["bearer_verify_us"])))
        else:
            rows.append(("bearer verification <= 1 µs per call", "not measured", "n/a"))
        if raas:
            rows.append((f"RaaS {raas['rows']:,} rows: Completed + retrieval <= 2 x sqlite3 -json",
                         f"{raas['ratio']:.2f}x ({raas['keygate_seconds']:.2f} s vs {raas['sqlite3_json_seconds']:.2f} s)",
                         verdict(raas["ratio"] <= TARGETS["raas_time_ratio"])))
            growth = raas["rss_growth_kib"] / MIB
            rows.append(("RaaS: server RSS growth < 64 MiB", f"{growth:.1f} MiB",
                         verdict(growth < TARGETS["raas_rss_growth_mib"])))
        else:
            rows.append(("RaaS: Completed + retrieval <= 2 x sqlite3 -json", "not measured", "n/a"))
            rows.append(("RaaS: server RSS growth < 64 MiB", "not measured", "n/a"))
        if memory.get("credentials_rss_kib"):
            rss = memory["credentials_rss_kib"] / MIB
            rows.append((f"{memory['credentials_loaded'] or 0:,} loaded credentials < 256 MiB RSS",
                         f"{rss:.1f} MiB (VmHWM {memory['credentials_hwm_kib'] / MIB:.1f} MiB)",
                         verdict(rss < TARGETS["credentials_rss_mib"])))
        else:
            rows.append(("loaded credentials < 256 MiB RSS", "not measured", "n/a"))
        self.results["verdicts"] = [{"target": t, "measured": m, "verdict": v} for t, m, v in rows]
        if self.mode == "smoke":
            log("\nTargets (smoke mode: tiny data set and short rounds — verdicts are not meaningful)")
        else:
            log("\nTargets (printed, never failed on)")
        width = max(len(t) for t, _, _ in rows) + 2
        measured_width = max(52, max(len(m) for _, m, _ in rows) + 2)
        for t, m, v in rows:
            log(f"   {t:<{width}}{m:<{measured_width}}{v}")

    # ---- the run ----

    def run(self):
        self.machine()
        self.section("data set", self.prepare)
        if self.failures:
            return
        try:
            self.start_keygate()
        except RuntimeError as error:
            self.fail(f"keygate start: {error}")
            return
        self.section("idle memory", self.idle_memory)
        self.section("key and token", self.credentials_and_token)
        if self.failures:
            return
        self.section("nginx", self.start_nginx)
        if self.nginx is not None:
            self.section("response check", self.check_servers)
        self.section("a. authenticated GET", self.authenticated_get)
        if self.nginx is not None:
            self.nginx.stop()
            self.nginx = None
        self.section("b. token issuance", self.token_issuance)
        self.section("c. RaaS", self.raas)
        self.section("d. microbenchmarks", self.microbenchmarks)
        self.section("e. credentials memory", self.credentials_memory)

    def stop_all(self):
        for process in (self.nginx, self.keygate):
            if process is not None:
                try:
                    process.stop()
                except Exception as error:  # clean-up must reach every process
                    log(f"stopping {type(process).__name__}: {error}")
        self.nginx = self.keygate = None

    def finish(self):
        self.server_log_summary()
        self.verdicts()
        self.results["failures"] = self.failures
        self.results.setdefault("machine", {})["load_average_at_end"] = load_average()
        path = os.path.join(self.workdir, "results.json")
        with open(path, "w") as f:
            json.dump(self.results, f, indent=2, default=str)
        keep = self.args.keep or not self.temporary_workdir or self.failures
        if not keep:
            saved = os.path.join(tempfile.gettempdir(), "keygate-bench-" + datetime.datetime.now(
                datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ") + ".json")
            shutil.copyfile(path, saved)
            shutil.rmtree(self.workdir, ignore_errors=True)
            path = saved
        log(f"\nresults: {path}")
        if keep:
            log(f"work dir kept: {self.workdir} (server log {self.server_log})")
        if self.failures:
            log(f"\n{len(self.failures)} figure(s) could not be measured:")
            for failure in self.failures:
                log(f"   - {failure}")
            return 1
        return 0


def parse_args():
    parser = argparse.ArgumentParser(
        prog="bench/run", description="Keygate's benchmark harness (docs/performance.md).")
    parser.add_argument("--smoke", action="store_true",
                        help="tiny data set, 1 s rounds, 1 round: checks the harness runs and prints every figure")
    parser.add_argument("--build-dir",
                        help="use the binaries of this build directory, building nothing (without it, bench/run "
                             "builds the release preset and passes build/release)")
    parser.add_argument("--work-dir", help="data, logs and results.json here (default: a fresh temporary directory, "
                                           "removed at the end unless --keep or a failure)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work dir")
    parser.add_argument("--rounds", type=int, help="alternating wrk rounds per server (default 3; smoke 1)")
    parser.add_argument("--duration", type=int, help="seconds per wrk round (default 10; smoke 1)")
    args = parser.parse_args()
    if not args.build_dir:
        parser.error("--build-dir is required when the harness is run directly (bench/run supplies it)")
    if args.rounds is not None and args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if args.duration is not None and args.duration < 1:
        parser.error("--duration must be at least 1")
    if args.work_dir and os.path.isdir(args.work_dir) and os.listdir(args.work_dir):
        parser.error(f"--work-dir {args.work_dir} is not empty")
    return args


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main():
    args = parse_args()
    # SIGTERM (a CI time-out, kill) unwinds like Ctrl-C, so the finally clause stops the servers.
    signal.signal(signal.SIGTERM, _interrupt)
    bench = Bench(args)
    started = time.monotonic()
    try:
        bench.run()
    except KeyboardInterrupt:
        bench.fail("interrupted")
    finally:
        bench.stop_all()
    code = bench.finish()
    log(f"harness ran {time.monotonic() - started:.0f} s")
    return code


if __name__ == "__main__":
    sys.exit(main())
