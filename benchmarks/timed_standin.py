# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The test stand-in (tests/standin/server.py), with the times of each request in its record.

Same command line as server.py. Each item of ``GET /_standin/requests`` also carries ``start``
(when the request arrived, before the added latency) and ``end`` (when its answer was ready),
both ``time.time()`` values, so that the benchmark can say when a poll saw a pipeline finish and
how long the requests of a task took, from the server's side.
"""

from __future__ import absolute_import, division, print_function

import os
import sys
import threading
import time

STANDIN_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'tests', 'standin')
sys.path.insert(0, STANDIN_DIR)

import server  # noqa: E402  pylint: disable=wrong-import-position,import-error

_arrived = threading.local()


def _timed_handle(original):
    def handle_any(self, method):
        _arrived.time = time.time()
        return original(self, method)
    return handle_any


def _timed_record(original):
    def record(self, req, status, connection):
        with self.lock:
            original(self, req, status, connection)
            self.log[-1].update(start=getattr(_arrived, 'time', None), end=time.time())
    return record


def main(argv=None):
    # The resource modules import "server": they must get this very module, now patched.
    sys.modules['server'] = server
    server.Handler.handle_any = _timed_handle(server.Handler.handle_any)
    server.App.record = _timed_record(server.App.record)
    return server.main(argv)


if __name__ == '__main__':
    sys.exit(main())
