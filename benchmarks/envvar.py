# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""circleci_envvar alone: N project variables, one bulk task against a loop of single tasks.

A shortcut into benchmarks/run.py (its "variables" scenario for one count, the loop never
sampled). Not part of the tests.

    python benchmarks/envvar.py                      # 100 variables, 50 ms a request, 20 a page
    python benchmarks/envvar.py --count 20 --latency 0.02
"""

from __future__ import absolute_import, division, print_function

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import run  # noqa: E402  pylint: disable=wrong-import-position,import-error


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--count', type=int, default=100, help='project variables (default 100)')
    parser.add_argument('--latency', type=float, default=0.05, help='seconds added to each request (default 0.05)')
    parser.add_argument('--page-size', type=int, default=20, help="the stand-in's list page size (default 20)")
    args = parser.parse_args(argv)
    return run.main(['--only', 'variables', '--counts', str(args.count), '--loop-limit', str(args.count),
                     '--latency', str(args.latency), '--page-size', str(args.page_size)])


if __name__ == '__main__':
    sys.exit(main())
