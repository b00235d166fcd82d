"""What the client compatibility scripts share: a check report and a `roost server`
process on loopback ports chosen by the kernel."""

import argparse
import queue
import re
import shutil
import subprocess
import tempfile
import threading
import time
import traceback
import urllib.request

STARTUP_SECONDS = 20.0
"""How long the server may take to print its address and answer /health."""


class Report:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, condition, detail=""):
        if condition:
            self.passed += 1
            print(f"ok - {name}", flush=True)
        else:
            self.failed += 1
            suffix = f": {detail}" if detail else ""
            print(f"FAIL - {name}{suffix}", flush=True)
        return condition

    def run(self, name, function):
        """Runs one check; an exception is a failure with its message."""
        try:
            result = function()
        except Exception as error:  # noqa: BLE001 - every error is a failed check
            last = traceback.format_exception_only(type(error), error)[-1].strip()
            return self.check(name, False, last)
        if isinstance(result, tuple):
            return self.check(name, result[0], result[1])
        return self.check(name, result is not False)


class RoostProcess:
    """`roost server` on 127.0.0.1:0; always killed by `stop()`."""

    def __init__(self, binary):
        self.binary = binary
        self.data_dir = tempfile.mkdtemp(prefix="roost-compat-")
        self.process = None
        self.lines = queue.Queue()
        self.output = []

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "server", "--data-dir", self.data_dir,
             "--listen-client", "127.0.0.1:0", "--listen-peer", "127.0.0.1:0",
             "--listen-dns", "127.0.0.1:0"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._pump, daemon=True).start()
        deadline = time.monotonic() + STARTUP_SECONDS
        url = None
        while url is None and time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            match = re.search(r"client API\s+(http://[^\s]+)", line)
            if match:
                url = match.group(1).rstrip("/")
        if url is None:
            raise RuntimeError("roost did not print its client API address:\n"
                               + "".join(self.output))
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url + "/health", timeout=2) as response:
                    if response.status == 200:
                        return url
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("roost never answered GET /health with 200")

    def _pump(self):
        for line in self.process.stdout:
            self.output.append(line)
            self.lines.put(line)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        shutil.rmtree(self.data_dir, ignore_errors=True)


def run_compat(description, client_name, make_client, groups, other_server):
    """Parses `--roost BINARY | --url URL`, runs every check group against a client made
    by `make_client(host, port)`, prints the summary and returns the exit code."""
    parser = argparse.ArgumentParser(description=description)
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--roost", help="path to the roost binary (started and stopped here)")
    target.add_argument("--url", help=f"an already running server, e.g. {other_server}")
    arguments = parser.parse_args()

    report = Report()
    server = RoostProcess(arguments.roost) if arguments.roost else None
    started = time.monotonic()
    try:
        if server is not None:
            url = server.start()
            report.check(f"roost server started and answered /health at {url}", True)
        else:
            url = arguments.url.rstrip("/")
        match = re.match(r"http://([^:/]+):(\d+)", url)
        client = make_client(match.group(1), int(match.group(2)))
        for group in groups:
            try:
                group(report, client)
            except Exception as error:  # noqa: BLE001 - a broken group is one failure
                report.check(f"{group.__name__} ran to the end", False, repr(error))
        if server is not None:
            report.check("the server is still running after all checks",
                         server.process.poll() is None)
    except Exception as error:  # noqa: BLE001
        report.check("roost server started", False, str(error))
    finally:
        if server is not None:
            server.stop()
    print(f"# elapsed {time.monotonic() - started:.1f}s")
    print(f"{client_name}: {report.passed} passed, {report.failed} failed")
    return 1 if report.failed else 0
