# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What went wrong in a failed stage of scripts/test.sh, in a few lines for its summary.

    python scripts/_stage_report.py LOG [--label NAME] [--planned TARGET ...]

prints the first fatal line of LOG (with its line number), and, for an ansible-test log, the
tests that failed (with the line that says why, for integration targets) and the planned
integration targets that never started. Standard library only.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import argparse
import re
import sys

WIDTH = 220
ANSI = re.compile(r'\x1b\[[0-9;]*[A-Za-z]')

# The kinds of fatal line, most telling first; the first line of the first kind found wins.
# ansible-test's own FATAL:/ERROR: lines come first: an integration log also holds the
# expected failures of tasks that test error handling ([ERROR]: ... then "...ignoring").
# ansible-test's FATAL: aborts a whole run (unlike its closing "The N ... test(s) listed below
# failed"), so it comes before any ERROR: of one test or target.
FATAL_KINDS = (
    re.compile(r'^FATAL: (?!The \d+ .* test\(s\) listed below)'),
    re.compile(r'^(FATAL|ERROR): '),
    re.compile(r'^(FAILED|ERROR) \S'),                   # pytest's short test summary
    re.compile(r'^(\[ERROR\]: |ERROR! |fatal: \[)'),      # ansible-playbook
    re.compile(r'^[\w.-]+: ((FAILED|[Ee]rror)\b|.*\b(failed|lacks|missing|not found|did not)\b)'),  # the scripts' and tools' messages
    re.compile(r':\d+(:\d+)?: (ERROR|CRITICAL|WARNING|error)\b'),  # path:line: messages (Sphinx -W, linters)
    re.compile(r'\b(Error|ERROR|FATAL|FAILED)\b'),
)

RUNNING = re.compile(r'^Running (\S+) integration test (role|script)\b')
COMMAND_FAILED = re.compile(r'^ERROR: Command ".*" returned exit status \d+\.')
LISTED = re.compile(r'^FATAL: The \d+ (.+?) test\(s\) listed below \(out of \d+\) failed')
RECAP = re.compile(r'^\S+\s+: ok=\d+ .*\bfailed=(\d+)')
TASK_ERROR = re.compile(r'^(\[ERROR\]: |fatal: \[|failed: \[)')
EXCEPTION = re.compile(r'^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b.*')


def clip(text, width=WIDTH):
    text = text.strip()
    return text if len(text) <= width else text[:width - 3] + '...'


def read_lines(path):
    with open(path, 'rb') as handle:
        return [ANSI.sub('', line.decode('utf-8', 'replace').rstrip('\r\n')) for line in handle]


def first_fatal(lines):
    """(line number, text) of the first fatal line of the most telling kind, or None."""
    for kind in FATAL_KINDS:
        for index, line in enumerate(lines):
            if kind.search(line) and not line.startswith('WARNING'):
                text = line.strip()
                # ansible-test shows a failed command's output below it: its first line says why.
                if index + 2 < len(lines) and lines[index + 1].startswith('>>> Standard'):
                    text += ' -- ' + lines[index + 2].strip()
                # A sanity test's "Found N issue(s)" is followed by the first of them.
                elif re.search(r'Found \d+ .*issue\(s\)', line) and index + 1 < len(lines) and lines[index + 1].startswith('ERROR: '):
                    text += ' -- ' + lines[index + 1][len('ERROR: '):].strip()
                return index + 1, clip(text)
    return None


def listed_failures(lines):
    """{kind: [names]} from ansible-test's "The N <kind> test(s) listed below ... failed" blocks."""
    found = {}
    for index, line in enumerate(lines):
        match = LISTED.match(line)
        if not match:
            continue
        names = found.setdefault(match.group(1), [])
        for name in lines[index + 1:]:
            if not re.match(r'^[\w.-]+$', name):
                break
            if name not in names:
                names.append(name)
    return found


def section_cause(section):
    """The line that says why an integration target failed, from its part of the log."""
    recaps = [i for i, line in enumerate(section) if RECAP.match(line)]
    if recaps and int(RECAP.match(section[recaps[-1]]).group(1)):
        # The last play failed: its last task error not followed by "...ignoring" (an expected
        # one), preferring Ansible's one-line "[ERROR]: ..." to the "fatal: [host]" that follows.
        play = section[recaps[-2] + 1 if len(recaps) > 1 else 0:recaps[-1]]
        errors = []
        for line in play:
            if TASK_ERROR.match(line):
                errors.append(line)
            elif line.strip() == '...ignoring':
                errors = []
        for line in reversed(errors):
            if line.startswith('[ERROR]: '):
                return clip(line)
        if errors:
            return clip(errors[-1])
    # Otherwise a script target (runme.sh) failed after its last play: a Python exception, else
    # its last words (with "set -x", the command that failed).
    rest = section[recaps[-1] + 1:] if recaps else section
    rest = [line for line in rest if line.strip() and not line.startswith(('WARNING', '>>> '))]
    for line in reversed(rest):
        if EXCEPTION.match(line):
            return clip(line)
    return clip(rest[-1]) if rest else None


def integration_targets(lines):
    """(started targets in order, {failed target: cause})."""
    started = []
    causes = {}
    current = None
    start = 0
    for index, line in enumerate(lines):
        match = RUNNING.match(line)
        if match:
            current, start = match.group(1), index + 1
            if current not in started:
                started.append(current)
        elif current and COMMAND_FAILED.match(line):
            causes[current] = section_cause(lines[start:index])
            current = None
    return started, causes


def report(lines, planned=None, label='LOG'):
    """The summary lines for a failed stage."""
    out = []
    fatal = first_fatal(lines)
    if fatal:
        out.append('first fatal line (%s:%d): %s' % (label, fatal[0], fatal[1]))
    else:
        out.append('no fatal line found in %s' % label)
    started, causes = integration_targets(lines)
    for kind, names in sorted(listed_failures(lines).items()):
        if kind == 'integration':
            out.append('integration targets failed (%d): %s' % (len(names), ' '.join(names)))
            for name in names:
                if causes.get(name):
                    out.append('    %s: %s' % (name, causes[name]))
        else:
            out.append('%s tests failed (%d): %s' % (kind, len(names), ' '.join(names)))
    if planned:
        not_run = [name for name in planned if name not in started]
        if not_run:
            out.append('integration targets not run (%d of %d): %s' % (len(not_run), len(planned), ' '.join(not_run)))
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('log')
    parser.add_argument('--label', help='the name of the log in the output (default: its path)')
    parser.add_argument('--planned', nargs='*', default=None, help='the integration targets the stage meant to run')
    args = parser.parse_args(argv)
    try:
        lines = read_lines(args.log)
    except (IOError, OSError) as exc:
        print('no log to read (%s)' % exc)
        return 0
    for line in report(lines, planned=args.planned, label=args.label or args.log):
        print(line)
    return 0


if __name__ == '__main__':
    sys.exit(main())
