"""Shared helpers for the end-to-end tests of the kneetriage binary.

Every test module is run as `python3 test_x.py BINARY SOURCE_DIR [TestCase ...]` by CTest.
"""

import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
import unittest

BINARY = None
SOURCE_DIR = None

# A complete, ordinary case: both knees, no red flags, mild.
BOTH_KNEES = [
    "--knees", "both", "--weight_bearing", "yes", "--very_painful", "no", "--trauma", "no", "--deformity", "no",
    "--locking", "no", "--swelling", "no", "--hot", "no", "--numbness", "no",
    "--circulation", "no", "--location", "front",
    "--stops_running", "no", "--severity", "mild", "--strength_training", "no",
    "--new_to_running", "no",
]

BOTH_KNEES_ANSWERS = {
    "knees": "both", "weight_bearing": True, "very_painful": False, "trauma": False, "deformity": False,
    "locking": False, "swelling": False, "hot": False, "numbness": False,
    "circulation": False, "location": "front",
    "stops_running": False, "severity": "mild", "strength_training": False,
    "new_to_running": False,
}


def with_answers(base, **changes):
    """`base` flags with some answers replaced or added: with_answers(BOTH_KNEES, hot="yes")."""
    args = list(base)
    for key, value in changes.items():
        flag = "--" + key
        if flag in args:
            args[args.index(flag) + 1] = value
        else:
            args += [flag, value]
    return args


def run(args, stdin=None, env=None, input_bytes=None, **kwargs):
    """Runs the binary; returns CompletedProcess with bytes stdout/stderr."""
    full_env = dict(os.environ)
    full_env.pop("NO_COLOR", None)
    full_env.pop("KNEETRIAGE_RULES", None)
    full_env["TERM"] = "xterm"
    if env:
        full_env.update(env)
    if input_bytes is not None:
        return subprocess.run([BINARY] + list(args), input=input_bytes, capture_output=True,
                              env=full_env, timeout=30, **kwargs)
    return subprocess.run([BINARY] + list(args), stdin=stdin if stdin is not None else subprocess.DEVNULL,
                          capture_output=True, env=full_env, timeout=30, **kwargs)


def set_window_size(fd, columns, rows=24):
    """Sets a pseudo-terminal's size (TIOCSWINSZ), as a terminal window does when resized."""
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


def read_pty(controller):
    """Everything written to the terminal side of a pty until it is closed (or 10 s pass with
    nothing new)."""
    output = b""
    while True:
        ready, _, _ = select.select([controller], [], [], 10)
        if not ready:
            break
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: the other side closed
            break
        if not chunk:
            break
        output += chunk
    return output


def run_in_pty(args, env=None, columns=None):
    """Runs the binary with stdout and stderr on a pseudo-terminal (stdin: /dev/null), of
    `columns` columns when given."""
    full_env = dict(os.environ)
    full_env.pop("NO_COLOR", None)
    full_env.pop("COLUMNS", None)
    full_env["TERM"] = "xterm"
    full_env.update(env or {})
    controller, terminal = pty.openpty()
    if columns is not None:
        set_window_size(terminal, columns)
    process = subprocess.Popen([BINARY] + args, stdin=subprocess.DEVNULL,
                               stdout=terminal, stderr=terminal, env=full_env)
    os.close(terminal)
    output = read_pty(controller)
    os.close(controller)
    return process.wait(timeout=10), output


class PtySession:
    """The binary on a pseudo-terminal for stdin, stdout and stderr, driven as a person would:
    send() a line, expect() what should appear, resize() the window mid-session."""

    def __init__(self, args, columns=80, rows=24, env=None):
        full_env = dict(os.environ)
        for name in ("NO_COLOR", "KNEETRIAGE_RULES", "COLUMNS"):
            full_env.pop(name, None)
        full_env["TERM"] = "xterm"
        full_env.update(env or {})
        self.controller, terminal = pty.openpty()
        set_window_size(terminal, columns, rows)
        self.process = subprocess.Popen([BINARY] + list(args), stdin=terminal, stdout=terminal,
                                        stderr=terminal, env=full_env, start_new_session=True)
        self.terminal = terminal
        self.output = b""  # everything read so far
        self.seen = 0      # where the next expect() starts looking

    def send(self, text):
        os.write(self.controller, text.encode() + b"\r")

    def resize(self, columns, rows=24):
        """A window resize: the new size, and SIGWINCH to the program, as a terminal sends it."""
        set_window_size(self.terminal, columns, rows)
        os.kill(self.process.pid, signal.SIGWINCH)

    def _read(self, timeout):
        ready, _, _ = select.select([self.controller], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.controller, 65536)
        except OSError:  # EIO: the program has ended
            return False
        self.output += chunk
        return bool(chunk)

    def expect(self, pattern, timeout=10):
        """Waits for `pattern` (a regular expression, bytes or str) after what was last expected;
        returns the text from there up to the end of the match."""
        if isinstance(pattern, str):
            pattern = pattern.encode()
        deadline = time.monotonic() + timeout
        while True:
            match = re.compile(pattern).search(self.output, self.seen)
            if match:
                start, self.seen = self.seen, match.end()
                return self.output[start:match.end()].decode(errors="replace")
            left = deadline - time.monotonic()
            if left <= 0 or not self._read(left):
                raise AssertionError(
                    f"did not see {pattern!r}; output so far:\n"
                    f"{self.output[self.seen:].decode(errors='replace')}")

    def finish(self, timeout=10):
        """Reads to the end; returns the exit status and what came after the last expect()."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self._read(0.2) and self.process.poll() is not None:
                break
        status = self.process.wait(timeout=timeout)
        self.close()
        return status, self.output[self.seen:].decode(errors="replace")

    def close(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for fd in (self.controller, self.terminal):
            try:
                os.close(fd)
            except OSError:
                pass


def screen_lines(text):
    """The lines a terminal shows for `text`: CR LF ends a line, SGR sequences take no room."""
    text = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)
    return [line.split("\r")[-1] for line in text.replace("\r\n", "\n").split("\n")]


def rules_path():
    return os.path.join(SOURCE_DIR, "rules", "knee.json")


def load_builtin_rules():
    with open(rules_path(), encoding="utf-8") as f:
        return json.load(f)


class CliTestCase(unittest.TestCase):
    """A TestCase with a scratch directory and assertion helpers."""

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="kneetriage-test-")
        self.tmp = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def path(self, name):
        return os.path.join(self.tmp, name)

    def write(self, name, content):
        path = self.path(name)
        mode = "wb" if isinstance(content, bytes) else "w"
        with open(path, mode) as f:
            f.write(content)
        return path

    def assertExit(self, result, status):
        self.assertEqual(
            result.returncode, status,
            f"expected exit {status}, got {result.returncode}\n"
            f"stdout: {result.stdout.decode(errors='replace')[:2000]}\n"
            f"stderr: {result.stderr.decode(errors='replace')[:2000]}")

    def json_stdout(self, result):
        """The whole of stdout parsed as one JSON document (fails if anything else is there)."""
        text = result.stdout.decode("utf-8")
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            self.fail(f"stdout is not one JSON document: {error}\n{text[:2000]}")


def main():
    global BINARY, SOURCE_DIR
    if len(sys.argv) < 3:
        sys.exit(f"usage: {sys.argv[0]} BINARY SOURCE_DIR [TestCase ...]")
    BINARY = os.path.abspath(sys.argv[1])
    SOURCE_DIR = os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:], module="__main__")
