#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""circleci_envvar: requests and wall time for N project variables, one bulk task against a loop.

Starts the stand-in (tests/standin/server.py) as a subprocess with added latency per request,
runs real ansible-playbook commands against it and prints one table. Needs ansible-core and
requests in the running Python (for example: source .venv/bin/activate). Not part of the tests.

    python benchmarks/envvar.py                      # 100 variables, 50 ms a request, 20 a page
    python benchmarks/envvar.py --count 20 --latency 0.02
"""

from __future__ import absolute_import, division, print_function

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = 'CCIPAT_standin_S3cr3tT0ken_4f9c2a'
PROJECT = 'gh/acme/api'

PLAY = '''- hosts: localhost
  gather_facts: false
  module_defaults:
    group/community.circleci.circleci:
      api_url: "{{ circleci_api_url }}"
      api_token: "%(token)s"
  tasks:
%(tasks)s
'''

TASKS = {
    'overhead': '''    - community.circleci.circleci_envvar:
        project_slug: %(project)s
        variables: []
''',
    'bulk': '''    - community.circleci.circleci_envvar:
        project_slug: %(project)s
        variables: "{{ bench_variables }}"
''',
    'loop': '''    - community.circleci.circleci_envvar:
        project_slug: %(project)s
        name: "{{ item.name }}"
        value: "{{ item.value }}"
      loop: "{{ bench_variables }}"
      loop_control:
        label: "{{ item.name }}"
''',
}


class StandIn:
    def __init__(self, workdir, latency, page_size):
        self.port_file = os.path.join(workdir, 'standin.port')
        self.config = {'latency': latency, 'page_size': page_size}
        self.log = open(os.path.join(workdir, 'standin.log'), 'w')
        self.process = subprocess.Popen(
            [sys.executable, os.path.join(ROOT, 'tests', 'standin', 'server.py'), '--port', '0',
             '--port-file', self.port_file, '--config', json.dumps(self.config)],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while not os.path.exists(self.port_file):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit('the stand-in did not start; see %s' % self.log.name)
            time.sleep(0.05)
        with open(self.port_file) as handle:
            self.url = 'http://127.0.0.1:%d' % int(handle.read())

    def control(self, method, name, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + '/_standin/' + name, data=data, method=method,
                                         headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(request) as answer:
            return json.loads(answer.read().decode())

    def reset(self):
        self.control('POST', 'reset', {'config': self.config})

    def requests(self):
        return self.control('GET', 'requests')['items']

    def stop(self):
        self.process.terminate()
        self.process.wait(10)
        self.log.close()


def collection_path(workdir):
    """An ansible_collections tree that holds this checkout (a symlink is enough for ansible-playbook)."""
    base = os.path.join(workdir, 'collections')
    os.makedirs(os.path.join(base, 'ansible_collections', 'community'))
    os.symlink(ROOT, os.path.join(base, 'ansible_collections', 'community', 'circleci'))
    return base


def run_play(workdir, collections, standin, kind, variables):
    play = os.path.join(workdir, '%s.yml' % kind)
    with open(play, 'w') as handle:
        handle.write(PLAY % {'token': TOKEN, 'tasks': TASKS[kind] % {'project': PROJECT}})
    extra = os.path.join(workdir, 'vars.json')
    with open(extra, 'w') as handle:
        json.dump({'circleci_api_url': standin.url, 'bench_variables': variables}, handle)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_NOCOLOR='1',
               ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false')
    standin.control('DELETE', 'requests')
    started = time.monotonic()
    done = subprocess.run([sys.executable, '-m', 'ansible.cli.playbook', play, '-e', '@' + extra],
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    elapsed = time.monotonic() - started
    if done.returncode:
        sys.stderr.write(done.stdout)
        raise SystemExit('ansible-playbook failed (%s)' % kind)
    requests = standin.requests()
    return {'requests': len(requests), 'writes': sum(1 for r in requests if r['method'] != 'GET'),
            'seconds': elapsed}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--count', type=int, default=100, help='project variables (default 100)')
    parser.add_argument('--latency', type=float, default=0.05, help='seconds added to each request (default 0.05)')
    parser.add_argument('--page-size', type=int, default=20, help="the stand-in's list page size (default 20)")
    args = parser.parse_args(argv)

    variables = [{'name': 'BENCH_%03d' % i, 'value': 'bench-value-%06d' % i} for i in range(args.count)]
    rows = []
    with tempfile.TemporaryDirectory(prefix='envvar-bench-') as workdir:
        collections = collection_path(workdir)
        standin = StandIn(workdir, args.latency, args.page_size)
        try:
            standin.reset()
            rows.append(('one task, empty list (fixed cost)', run_play(workdir, collections, standin, 'overhead', [])))
            standin.reset()
            rows.append(('bulk: first run', run_play(workdir, collections, standin, 'bulk', variables)))
            rows.append(('bulk: re-run (no change)', run_play(workdir, collections, standin, 'bulk', variables)))
            standin.reset()
            rows.append(('loop of %d tasks: first run' % args.count, run_play(workdir, collections, standin, 'loop', variables)))
            rows.append(('loop of %d tasks: re-run' % args.count, run_play(workdir, collections, standin, 'loop', variables)))
        finally:
            standin.stop()

    pages = -(-args.count // args.page_size)
    print('circleci_envvar, %d project variables; stand-in: %d ms a request, %d items a page (%d pages when full)'
          % (args.count, args.latency * 1000, args.page_size, pages))
    print('%-36s %9s %7s %9s' % ('run', 'requests', 'writes', 'wall s'))
    for label, row in rows:
        print('%-36s %9d %7d %9.2f' % (label, row['requests'], row['writes'], row['seconds']))
    writes_alone = -(-args.count // 4) * args.latency
    fixed = rows[0][1]['seconds']
    print('the %d writes alone, 4 at a time: %.2f s (one at a time: %.2f s); '
          'bulk first run beyond the fixed cost: %.2f s'
          % (args.count, writes_alone, args.count * args.latency, rows[1][1]['seconds'] - fixed))
    return 0


if __name__ == '__main__':
    sys.exit(main())
