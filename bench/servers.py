"""The processes the benchmark harness starts — Keygate and the nginx baseline — and what it
reads about them from /proc (CPU time, resident memory).

Every process the harness starts gets PR_SET_PDEATHSIG (die_with_parent, also used for wrk,
sqlite3 and the microbenchmarks), so it receives SIGTERM if the harness itself dies without
running its clean-up (killed by a CI time-out, say); the normal exit paths stop them
explicitly. Python standard library only.
"""
import ctypes
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request

CLK_TCK = os.sysconf("SC_CLK_TCK")
_PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(None, use_errno=True)  # loaded before any fork: preexec_fn must not import


def die_with_parent():
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def spawn(command, log_path, cwd, env=None):
    """Starts `command` with stdout and stderr appended to log_path."""
    log = open(log_path, "ab")
    try:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   cwd=cwd, env=env, preexec_fn=die_with_parent)
    finally:
        log.close()  # the child has its own descriptor
    return process


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pids):
    """utime + stime of the processes (all their threads), in seconds, from /proc/PID/stat."""
    ticks = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as f:
            # Fields after the command name, which may contain spaces and parentheses.
            fields = f.read().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # fields 14 and 15 of proc(5)
    return ticks / CLK_TCK


def machine_busy_seconds():
    """CPU time every process of the machine has spent (all CPUs), from the first line of
    /proc/stat: user, nice, system, irq, softirq and steal (guest time is inside user)."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / CLK_TCK


def memory_kib(pid):
    """{'VmRSS': KiB, 'VmHWM': KiB} from /proc/PID/status."""
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0])
    return out


def children_of(pid):
    """Direct children of `pid` (nginx workers of their master)."""
    children = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(entry))
    return sorted(children)


class RssSampler:
    """Samples a process's VmRSS every `interval` seconds in a thread; `peak_kib` is the highest."""

    def __init__(self, pid, interval=0.02):
        self.pid, self.interval = pid, interval
        self.peak_kib = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                self.peak_kib = max(self.peak_kib, memory_kib(self.pid).get("VmRSS", 0))
                self.samples += 1
            except OSError:
                return
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        # One last sample, so a peak reached in the final interval is not missed.
        try:
            self.peak_kib = max(self.peak_kib, memory_kib(self.pid).get("VmRSS", 0))
        except OSError:
            pass


def _stop_process(process, sig, timeout):
    """Sends `sig`, waits up to `timeout` s, then SIGKILL. Returns the exit code."""
    if process is None or process.poll() is not None:
        return None if process is None else process.returncode
    try:
        process.send_signal(sig)
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


class Keygate:
    """`keygate --config CONFIG serve`, output appended to LOG; port 0, URL read from the log."""

    RUNNING = re.compile(r"Keygate is running at (http://\S+)")

    def __init__(self, binary, config, workdir, log_path, env):
        self.binary, self.config, self.workdir, self.log_path, self.env = binary, config, workdir, log_path, env
        self.process = None
        self.base = None

    @property
    def pid(self):
        return self.process.pid

    def start(self, timeout=180):
        offset = os.path.getsize(self.log_path) if os.path.exists(self.log_path) else 0
        started = time.time()
        self.process = spawn([self.binary, "--config", self.config, "serve"], self.log_path, self.workdir, self.env)
        while time.time() - started < timeout:
            with open(self.log_path, "rb") as f:
                f.seek(offset)
                match = self.RUNNING.search(f.read().decode(errors="replace"))
            if match:
                self.base = match.group(1)
                return time.time() - started
            if self.process.poll() is not None:
                raise RuntimeError(f"keygate exited with code {self.process.returncode} before it was "
                                   f"running; see {self.log_path}:\n" + tail(self.log_path))
            time.sleep(0.02)
        raise RuntimeError(f"keygate did not print its URL within {timeout} s; see {self.log_path}")

    def stop(self):
        """Graceful stop (SIGTERM, as an operator would); SIGKILL after 60 s."""
        code = _stop_process(self.process, signal.SIGTERM, 60)
        self.process = None
        return code


class Nginx:
    """nginx from its own configuration in DIR: `nginx -p DIR -c DIR/nginx.conf -e DIR/error.log`."""

    def __init__(self, binary, directory, port):
        self.binary, self.directory, self.port = binary, directory, port
        self.process = None
        self.conf = os.path.join(directory, "nginx.conf")
        self.log_path = os.path.join(directory, "nginx.out")

    def write_config(self, path, token, body):
        """A location answering `body` as application/json when the Authorization header is
        exactly "Bearer <token>" (a `map`, as a gateway would check a static token), else 401."""
        d = self.directory
        for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            os.makedirs(os.path.join(d, "tmp", sub), exist_ok=True)
        # nginx single-quoted strings: backslash escapes; a '$' would start a variable, so it is
        # produced by a variable of its own.
        literal = body.replace("\\", "\\\\").replace("'", "\\'").replace("$", "${kg_dollar}")
        with open(self.conf, "w") as f:
            f.write(f"""# Written by bench/harness.py: the baseline for the authenticated GET.
daemon off;
master_process on;
worker_processes 2;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{
    worker_connections 1024;
}}
http {{
    access_log off;
    server_tokens off;
    keepalive_requests 1000000;
    keepalive_timeout 65s;
    client_body_temp_path {d}/tmp/client_body;
    proxy_temp_path {d}/tmp/proxy;
    fastcgi_temp_path {d}/tmp/fastcgi;
    uwsgi_temp_path {d}/tmp/uwsgi;
    scgi_temp_path {d}/tmp/scgi;
    geo $kg_dollar {{ default "$"; }}
    map_hash_bucket_size 256;  # the key, "Bearer " and a token, is longer than the default 64
    map $http_authorization $kg_ok {{
        "Bearer {token}" 1;
        default 0;
    }}
    server {{
        listen 127.0.0.1:{self.port};
        location = {path} {{
            default_type application/json;
            if ($kg_ok = 0) {{
                return 401;
            }}
            return 200 '{literal}';
        }}
    }}
}}
""")

    def pids(self):
        """The master and its workers."""
        return [self.process.pid] + children_of(self.process.pid)

    def start(self, timeout=30):
        self.process = spawn([self.binary, "-p", self.directory, "-c", self.conf,
                              "-e", os.path.join(self.directory, "error.log")],
                             self.log_path, self.directory)
        started = time.time()
        while time.time() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited with code {self.process.returncode}:\n" + tail(self.log_path) +
                                   tail(os.path.join(self.directory, "error.log")))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    pass
                if len(children_of(self.process.pid)) >= 2:
                    return
            except OSError:
                pass
            time.sleep(0.02)
        raise RuntimeError("nginx did not start listening")

    def stop(self):
        code = _stop_process(self.process, signal.SIGQUIT, 30)  # graceful shutdown
        self.process = None
        return code


def http_get(url, headers=None, timeout=30):
    """(status, body bytes) of a GET; 4xx/5xx are answers, not exceptions."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def tail(path, size=3000):
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - size))
            return f.read().decode(errors="replace")
    except OSError:
        return ""
