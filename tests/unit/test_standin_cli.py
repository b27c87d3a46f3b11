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


def test_the_rate_limit_lets_a_client_that_waited_through(standin):
    """Every request is "the Nth" with rate_limit_every 1, yet a connection told to wait is let
    through next time: one 429 at a time per connection, however many clients share the count."""
    standin.reset(rate_limit_every=1, retry_after=0)
    url = standin.url + '/api/v2/me'
    headers = {'Circle-Token': standin.token}
    with requests.Session() as one, requests.Session() as two:
        alone = [one.get(url, headers=headers, timeout=5).status_code for dummy in range(4)]
        shared = [session.get(url, headers=headers, timeout=5).status_code for session in (one, two, one, two)]
    assert alone == [429, 200, 429, 200]
    assert shared == [429, 429, 200, 200]
    assert len(set(r['connection'] for r in standin.requests)) == 2
