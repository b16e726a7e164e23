"""HTTP load with wrk, and the server CPU it cost.

run_wrk() runs one `wrk --latency` round and returns its figures: requests/s, p50 and p99
latency, responses that were not 2xx/3xx, socket errors, bytes per response, plus the CPU time
(user + system, from /proc/PID/stat) the server processes and wrk itself spent during the round,
each divided by the requests wrk completed, and the CPU the rest of the machine used meanwhile.
Python standard library only.
"""
import re
import resource
import subprocess
import time

from servers import cpu_seconds, die_with_parent, machine_busy_seconds

_TIME_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_BYTE_UNITS = {"B": 1, "KB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3, "TB": 1024 ** 4}


def _seconds(number, unit):
    return float(number) * _TIME_UNITS[unit]


def parse_wrk(text):
    """Figures of wrk's output (wrk 4.x with --latency). Missing lines are missing keys."""
    out = {}
    m = re.search(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m|h), ([\d.]+)(B|KB|MB|GB|TB) read", text, re.M)
    if m:
        out["requests"] = int(m.group(1))
        out["seconds"] = _seconds(m.group(2), m.group(3))
        out["bytes_read"] = float(m.group(4)) * _BYTE_UNITS[m.group(5)]
    m = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
    if m:
        out["rps"] = float(m.group(1))
    for percent in ("50", "75", "90", "99"):
        m = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m|h)\s*$", text, re.M)
        if m:
            out[f"p{percent}_ms"] = _seconds(m.group(1), m.group(2)) * 1e3
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    out["non_2xx_3xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    out["socket_errors"] = dict(zip(("connect", "read", "write", "timeout"), map(int, m.groups()))) if m else {}
    return out


def _children_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_wrk(url, duration, server_pids, connections=64, threads=2, headers=(), script=None, env=None):
    """One wrk round against `url`; server_pids are the processes whose CPU time is charged.

    Returns the parsed figures plus 'valid' (False when wrk failed, completed no request, or any
    response was not 2xx/3xx) and 'problem' saying why.
    """
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", script]
    command.append(url)
    server_before = cpu_seconds(server_pids)
    client_before = _children_cpu_seconds()
    machine_before = machine_busy_seconds()
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=duration + 120,
                          preexec_fn=die_with_parent)
    wall = time.monotonic() - started
    machine = machine_busy_seconds() - machine_before
    server_cpu = cpu_seconds(server_pids) - server_before
    client_cpu = _children_cpu_seconds() - client_before

    figures = parse_wrk(done.stdout)
    figures["wall_seconds"] = wall
    figures["server_cpu_seconds"] = server_cpu
    figures["client_cpu_seconds"] = client_cpu
    # CPU that neither the server nor wrk used (other processes, the kernel's own work), in
    # cores: well above zero means the round shared the machine and its figures are noisy.
    figures["other_cores"] = max(0.0, machine - server_cpu - client_cpu) / wall
    requests = figures.get("requests", 0)
    if requests:
        figures["server_cpu_us_per_request"] = server_cpu / requests * 1e6
        figures["client_cpu_us_per_request"] = client_cpu / requests * 1e6
        figures["bytes_per_response"] = figures["bytes_read"] / requests
    problems = []
    if done.returncode != 0:
        problems.append(f"wrk exited with {done.returncode}: {done.stderr.strip()[:300]}")
    if not requests or "rps" not in figures:
        problems.append("wrk reported no completed requests")
    if "p50_ms" not in figures or "p99_ms" not in figures:
        problems.append("wrk printed no latency distribution")
    if figures["non_2xx_3xx"]:
        problems.append(f"{figures['non_2xx_3xx']} responses were not 2xx/3xx")
    figures["valid"] = not problems
    figures["problem"] = "; ".join(problems)
    figures["command"] = " ".join(c if not c.startswith("Authorization:") else "Authorization: Bearer …"
                                  for c in command)
    return figures
