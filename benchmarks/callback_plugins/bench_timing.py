# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark callback: when each task started and ended, and a summary of its result.

Writes JSON lines to the file named by the environment variable BENCH_TIMING_FILE, so that
benchmarks/run.py can tell a task's own time from ansible-playbook's start-up.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

DOCUMENTATION = r'''
name: bench_timing
type: aggregate
short_description: Record task start and end times for benchmarks/run.py
description:
  - Appends one JSON line per finished task to the file in E(BENCH_TIMING_FILE).
requirements:
  - enabled in the benchmark's own environment only
'''

import json
import os
import time

from ansible.plugins.callback import CallbackBase

# Result keys worth keeping: never a value of a variable (modules return none anyway).
KEPT = ('changed', 'failed', 'msg', 'pipeline', 'workflows', 'created', 'updated', 'deleted', 'unchanged')


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'bench_timing'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self.path = os.environ.get('BENCH_TIMING_FILE')
        self.started = {}
        self.items = {}

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.started[task._uuid] = time.time()
        self.items[task._uuid] = 0

    def v2_runner_item_on_ok(self, result):
        self.items[result._task._uuid] = self.items.get(result._task._uuid, 0) + 1

    v2_runner_item_on_failed = v2_runner_item_on_ok

    def _done(self, result):
        if not self.path:
            return
        task = result._task
        summary = dict((k, v) for k, v in result._result.items() if k in KEPT)
        line = {'task': task.get_name(), 'start': self.started.get(task._uuid), 'end': time.time(),
                'items': self.items.get(task._uuid, 0), 'result': summary}
        with open(self.path, 'a') as handle:
            handle.write(json.dumps(line, default=str) + '\n')

    v2_runner_on_ok = _done
    v2_runner_on_failed = _done
