"""The README and docs/ against what they describe: every relative link and anchor resolves, the
README's two commands are the ones CI runs, its examples use only flags the program has, and the
figures the docs state are counted from the tree.

Run by ctest as `python3 test_docs.py SOURCE_DIR BINARY [TestCase ...]` (BINARY may be `-` when
the program is not built; the tests that need it are then skipped).
"""

import os
import re
import shlex
import subprocess
import sys
import unittest

SOURCE_DIR = None
BINARY = None


def read(path):
    with open(os.path.join(SOURCE_DIR, path), encoding="utf-8") as f:
        return f.read()


def markdown_files():
    docs = sorted(f for f in os.listdir(os.path.join(SOURCE_DIR, "docs")) if f.endswith(".md"))
    return ["README.md"] + [os.path.join("docs", f) for f in docs]


def prose(text):
    """The text outside fenced code blocks, with each line's number kept (code lines blanked)."""
    lines, fenced = [], False
    for line in text.split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            lines.append("")
        else:
            lines.append("" if fenced else line)
    return lines


def code_blocks(text, language):
    return re.findall(r"^```" + language + r"\n(.*?)^```", text, re.MULTILINE | re.DOTALL)


def slug(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    heading = re.sub(r"[`*_]", "", heading.strip().lower())
    heading = re.sub(r"[^\w\- ]", "", heading)
    return heading.replace(" ", "-")


def anchors(path):
    seen, result = {}, set()
    for line in prose(read(path)):
        match = re.match(r"^#{1,6} (.*)$", line)
        if not match:
            continue
        base = slug(match.group(1))
        count = seen.get(base, 0)
        seen[base] = count + 1
        result.add(base if count == 0 else f"{base}-{count}")
    return result


def links(path):
    """(line number, target) of every inline Markdown link outside code."""
    for number, line in enumerate(prose(read(path)), 1):
        line = re.sub(r"`[^`]*`", "", line)
        for target in re.findall(r"\]\(([^)\s]+)\)", line):
            yield number, target


class Links(unittest.TestCase):
    def test_every_relative_link_and_anchor_resolves(self):
        problems = []
        for path in markdown_files():
            for number, target in links(path):
                if re.match(r"^[a-z]+:", target):
                    continue  # a web address: not checked here (no network in tests)
                file_part, _, anchor = target.partition("#")
                resolved = (os.path.normpath(os.path.join(os.path.dirname(path), file_part))
                            if file_part else path)
                where = f"{path}:{number}: {target}"
                if not os.path.exists(os.path.join(SOURCE_DIR, resolved)):
                    problems.append(f"{where}: no file {resolved}")
                elif anchor and resolved.endswith(".md") and anchor not in anchors(resolved):
                    problems.append(f"{where}: no heading #{anchor} in {resolved}")
        self.assertEqual(problems, [], "\n" + "\n".join(problems))

    def test_the_readme_links_every_page_of_docs(self):
        readme = read("README.md")
        for path in markdown_files()[1:]:
            self.assertTrue(f"]({path})" in readme, f"the README does not link {path}")

    def test_the_readme_stays_a_front_door(self):
        self.assertLessEqual(read("README.md").count("\n"), 250)


class Figures(unittest.TestCase):
    def test_the_corpus_size_stated_is_the_number_of_cases(self):
        cases = re.findall(r"^\[[a-z0-9-]+\]$", read("tests/corpus/cases.txt"), re.MULTILINE)
        for path in markdown_files():
            for stated in re.findall(r"bad-input corpus \((\d+) cases\)", read(path)):
                self.assertEqual(int(stated), len(cases), path)

    def test_the_architecture_names_every_public_header(self):
        architecture = read("docs/architecture.md")
        for header in sorted(os.listdir(os.path.join(SOURCE_DIR, "include", "kneetriage"))):
            self.assertIn(f"`{header}`", architecture, header)


def readme_commands():
    blocks = code_blocks(read("README.md"), "sh")
    return blocks[0].strip(), blocks[1].strip(), blocks[2:]


def without_definitions(command):
    return " ".join(word for word in command.split() if not word.startswith("-D"))


class ReadmeCommands(unittest.TestCase):
    def test_the_first_command_builds_the_program_and_starts_it(self):
        first, second, _ = readme_commands()
        self.assertIn("--target kneetriage", first)
        self.assertTrue(first.endswith("&& ./build/kneetriage"), first)
        # It configures and builds as the test command does, minus the tests.
        self.assertEqual(first.split(" && ")[1], second.split(" && ")[1])

    def test_the_second_command_is_what_ci_runs(self):
        _, second, _ = readme_commands()
        ci = [line for line in read(".ci/run").split("\n") if "ctest" in line and "&&" in line]
        self.assertEqual(len(ci), 1, ci)
        # CI adds only cache definitions (-DKNEETRIAGE_WERROR=ON) to the README's command.
        self.assertEqual(without_definitions(ci[0]), without_definitions(second))

    def commands(self):
        """Every kneetriage command line of the README's examples, as words."""
        for block in readme_commands()[2]:
            text = re.sub(r"\\\n", " ", block)
            for line in text.split("\n"):
                lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
                lexer.whitespace_split = True
                words = []
                for token in [*lexer, ";"]:
                    if token and set(token) <= set("|&;<>()"):  # the end of a simple command
                        if words and words[0] in ("kneetriage", "./build/kneetriage"):
                            yield words
                        words = []
                    else:
                        words.append(token)

    def help(self, *command):
        result = subprocess.run([BINARY, *command, "--help"], capture_output=True, text=True,
                                env={**os.environ, "COLUMNS": "200"})
        self.assertEqual(result.returncode, 0, (command, result.stderr))
        return result.stdout

    def test_the_examples_use_only_commands_and_flags_the_program_has(self):
        if BINARY == "-":
            self.skipTest("the program is not built")
        top = self.help()
        subcommands = set(re.findall(r"^  ([a-z]+)  ", top.split("Commands:")[1], re.MULTILINE))
        seen = 0
        for words in self.commands():
            seen += 1
            command = next((w for w in words[1:] if w in subcommands), None)
            text = top if command is None else self.help(command)
            for word in words[1:]:
                if word.startswith("--"):
                    flag = word.split("=")[0]
                    self.assertRegex(text, r"(^|[\s,\[])" + re.escape(flag) + r"([\s=\[|]|$)",
                                     f"{' '.join(words)}: {flag} is not in its --help")
        self.assertGreater(seen, 10)

    def test_the_script_example_runs_and_is_self_care(self):
        if BINARY == "-":
            self.skipTest("the program is not built")
        for words in self.commands():
            if "--exit-code" in words and "--answers" not in words:
                result = subprocess.run([BINARY, *words[1:]], capture_output=True, text=True)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertIn("SELF-CARE", result.stdout)
                return
        self.fail("no flags example with --exit-code in the README")


if __name__ == "__main__":
    SOURCE_DIR, BINARY = sys.argv[1], sys.argv[2]
    unittest.main(argv=[sys.argv[0]] + sys.argv[3:])
