"""Shared helpers for the end-to-end tests of the kneetriage binary.

Every test module is run as `python3 test_x.py BINARY SOURCE_DIR [TestCase ...]` by CTest.
"""

import json
import os
import pty
import select
import subprocess
import sys
import tempfile
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


def run_in_pty(args, env=None):
    """Runs the binary with stdout and stderr on a pseudo-terminal (stdin: /dev/null)."""
    full_env = dict(os.environ)
    full_env.pop("NO_COLOR", None)
    full_env["TERM"] = "xterm"
    full_env.update(env or {})
    controller, terminal = pty.openpty()
    process = subprocess.Popen([BINARY] + args, stdin=subprocess.DEVNULL,
                               stdout=terminal, stderr=terminal, env=full_env)
    os.close(terminal)
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
    os.close(controller)
    return process.wait(timeout=10), output


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
