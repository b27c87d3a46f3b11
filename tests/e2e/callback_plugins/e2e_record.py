# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Record every task result of a play into a JSON file, for the end-to-end tests.

The tests need each task's result as Ansible hands it to callbacks (after no_log censoring),
also for tasks that fail, and which of the stand-in's recorded requests each task sent. So
at each task's start and end this reads the stand-in's request counter (``last_seq``, from its
control API, which records nothing), and a record carries ``seq_start`` and ``seq_end``.

Environment: ``E2E_RECORD_FILE`` (where to write; nothing is recorded without it) and
``E2E_STANDIN_URL`` (the stand-in's base address; optional).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

DOCUMENTATION = r'''
name: e2e_record
type: aggregate
short_description: Record task results for the end-to-end tests
description:
  - Writes every task result, with the stand-in's request counter before and after it, to E(E2E_RECORD_FILE).
requirements:
  - enabled in the callbacks_enabled setting
'''

import json
import os
import ssl
import time

from urllib.request import urlopen

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'e2e_record'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self.path = os.environ.get('E2E_RECORD_FILE')
        self.url = os.environ.get('E2E_STANDIN_URL')
        self.records = []
        self.started = {}

    def _seq(self):
        if not self.url:
            return None
        # The stand-in may serve a self-signed certificate (the TLS tests): this reads only its counter.
        context = ssl._create_unverified_context() if self.url.startswith('https') else None  # pylint: disable=protected-access
        try:
            with urlopen(self.url + '/_standin/requests?since=999999999', timeout=10, context=context) as answer:
                return json.loads(answer.read().decode('utf-8'))['last_seq']
        except (OSError, ValueError, KeyError):
            return None

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.started = {'task': task.get_name(), 'action': task.action, 'seq_start': self._seq(), 'time': time.time()}

    def _record(self, result, status, ignored=False):
        payload = getattr(result, 'result', None)
        if payload is None:
            payload = result._result  # pylint: disable=protected-access
        record = dict(self.started)
        ended = time.time()
        started = record.pop('time', ended)
        record.update(task=result.task_name or record.get('task'), status=status, ignored=ignored, result=payload,
                      seq_end=self._seq(), started=started, ended=ended, seconds=round(ended - started, 3))
        if status == 'ok' and payload.get('changed'):
            record['status'] = 'changed'
        self.records.append(record)
        if self.path:
            tmp = self.path + '.tmp'
            with open(tmp, 'w') as handle:
                json.dump(self.records, handle, default=repr, indent=1)
            os.rename(tmp, self.path)

    def v2_runner_on_ok(self, result):
        self._record(result, 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, 'failed', ignored=ignore_errors)

    def v2_runner_on_skipped(self, result):
        self._record(result, 'skipped')

    def v2_runner_on_unreachable(self, result):
        self._record(result, 'unreachable')
