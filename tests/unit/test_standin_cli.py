# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The stand-in as the test command starts it: a process with faults and config set at start."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import json
import os
import subprocess
import sys
import time

import requests

# tests/unit/conftest.py puts tests/standin on sys.path.
import server as standin_server  # pylint: disable=import-error

STANDIN_DIR = os.path.dirname(os.path.abspath(standin_server.__file__))


def test_faults_and_config_set_at_start(tmp_path):
    port_file = str(tmp_path / 'port')
    process = subprocess.Popen(
        [sys.executable, os.path.join(STANDIN_DIR, 'server.py'), '--port', '0', '--port-file', port_file,
         '--config', json.dumps({'rate_limit_every': 3, 'retry_after': 7}),
         '--faults', json.dumps([{'method': 'GET', 'path': '^/me$', 'status': 503, 'count': 1}])],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for dummy in range(100):
            if os.path.exists(port_file):
                break
            time.sleep(0.05)
        with open(port_file) as handle:
            url = 'http://127.0.0.1:%d/api/v2/me' % int(handle.read())
        headers = {'Circle-Token': standin_server.DEFAULT_TOKEN}
        statuses = [requests.get(url, headers=headers, timeout=5) for dummy in range(3)]
        assert [r.status_code for r in statuses] == [503, 200, 429]
        assert statuses[2].headers['Retry-After'] == '7'
        assert requests.get(url, timeout=5).status_code == 401
    finally:
        process.terminate()
        process.wait(timeout=10)
