# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""community.circleci benchmarks: requests and wall time of real playbook runs against the stand-in.

Starts the stand-in (tests/standin/server.py, through benchmarks/timed_standin.py) with a fixed
latency added to every API request, runs ansible-playbook against it, counts the requests from
the stand-in's own record, and prints one table and a list of targets met or missed.
Not part of the tests: it takes about seven minutes, two of them the two-minute pipeline.

    python benchmarks/run.py                 # everything (sets up .venv when ansible is missing)
    python benchmarks/run.py --skip-pipeline # everything but the two-minute trigger-and-wait
    python benchmarks/run.py --only variables --counts 10 100
"""

from __future__ import absolute_import, division, print_function

import argparse
import concurrent.futures
import datetime
import json
import math
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TOKEN = 'CCIPAT_standin_S3cr3tT0ken_4f9c2a'
PROJECT = 'gh/acme/api'
OWNER = 'gh/acme'
# circleci_envvar's writes in flight at once (MAX_WRITERS in the module).
WRITERS = 4
# Terraform refreshes this many resources at once by default (-parallelism=10).
TERRAFORM_PARALLELISM = 10
SCENARIOS = ('variables', 'context', 'contexts', 'terraform', 'provision', 'pipeline')
# The provisioning scenario: what each new project is given (the role's variables; names are
# made per project). The repositories are the stand-in's seeded GitHub App ones.
PROVISION_DEFINITIONS = [
    {'name': 'build', 'config_source': {'repo_id': '520000001'},
     'triggers': [{'event_source': {'repo_id': '520000001'}, 'event_preset': 'all-pushes'}]},
    {'name': 'deploy', 'config_source': {'repo_id': '520000002', 'file_path': 'deploy.yml'},
     'checkout_source': {'repo_id': '520000001'},
     'triggers': [{'event_source': {'repo_id': '520000003'}, 'event_preset': 'only-tags', 'checkout_ref': 'main',
                   'config_ref': 'main'},
                  {'event_source': {'provider': 'webhook', 'webhook_sender': 'release-bot'}, 'event_name': 'release',
                   'checkout_ref': 'main', 'config_ref': 'main'}]},
]
PROVISION_SETTINGS = {'autocancel_builds': True, 'disable_ssh': True}
PROVISION_TIMETABLE = {'per_hour': 1, 'hours_of_day': [2], 'days_of_week': ['MON', 'TUE', 'WED', 'THU', 'FRI']}
# The writes of one new project: project, settings, 2 definitions, 3 triggers, context, its variable,
# a project variable, a webhook, a schedule.
PROVISION_WRITES = 12


def ensure_environment(argv):
    """Re-run under .venv (made by scripts/bootstrap.sh) when this Python lacks ansible-core or requests."""
    try:
        import ansible  # noqa: F401  pylint: disable=unused-import,import-outside-toplevel
        import requests  # noqa: F401  pylint: disable=unused-import,import-outside-toplevel
        return
    except ImportError:
        pass
    venv_python = os.path.join(ROOT, '.venv', 'bin', 'python')
    if os.path.realpath(sys.executable) == os.path.realpath(venv_python):
        raise SystemExit('ansible-core or requests is missing from .venv; run scripts/bootstrap.sh')
    sys.stderr.write('bench: ansible-core or requests missing here; setting up .venv with scripts/bootstrap.sh\n')
    subprocess.check_call(['bash', os.path.join(ROOT, 'scripts', 'bootstrap.sh')])
    os.execv(venv_python, [venv_python, os.path.abspath(__file__)] + list(argv))


# -- the stand-in --------------------------------------------------------------------------------

class StandIn:
    """tests/standin/server.py in a subprocess, its record timed (benchmarks/timed_standin.py)."""

    def __init__(self, workdir, config):
        self.config = dict(config)
        port_file = os.path.join(workdir, 'standin.port')
        self.log = open(os.path.join(workdir, 'standin.log'), 'w')
        self.process = subprocess.Popen(
            [sys.executable, os.path.join(HERE, 'timed_standin.py'), '--port', '0', '--port-file', port_file,
             '--config', json.dumps(self.config)],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while not os.path.exists(port_file):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit('the stand-in did not start; see %s' % self.log.name)
            time.sleep(0.05)
        with open(port_file) as handle:
            self.url = 'http://127.0.0.1:%d' % int(handle.read())

    def control(self, method, name, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + '/_standin/' + name, data=data, method=method,
                                         headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(request) as answer:
            return json.loads(answer.read().decode())

    def reset(self, **config):
        self.control('POST', 'reset', {'config': dict(self.config, **config)})

    def seed(self, **kinds):
        return self.control('POST', 'seed', kinds)

    def clear(self):
        self.control('DELETE', 'requests')

    def requests(self):
        return self.control('GET', 'requests')['items']

    def stop(self):
        self.process.terminate()
        self.process.wait(10)
        self.log.close()


# -- one measured run ---------------------------------------------------------------------------

class Measure:
    """What one playbook (or one simulated client) did, from the stand-in's record and the clock."""

    def __init__(self, label, requests, wall, tasks=None, scale=1.0, note=''):
        self.label = label
        self.log = requests
        self.wall = wall
        self.tasks = tasks or []
        self.scale = scale
        self.note = note

    @property
    def requests(self):
        return len(self.log) * self.scale

    @property
    def reads(self):
        return sum(1 for r in self.log if r['method'] == 'GET') * self.scale

    @property
    def writes(self):
        return sum(1 for r in self.log if r['method'] != 'GET') * self.scale

    @property
    def connections(self):
        return len(set(r['connection'] for r in self.log)) * self.scale

    @property
    def api_seconds(self):
        """From the first request's arrival to the last answer, as the server saw it."""
        if not self.log:
            return 0.0
        return (max(r['end'] for r in self.log) - min(r['start'] for r in self.log)) * self.scale

    @property
    def wall_seconds(self):
        """The whole ansible-playbook run; for a sample, its start-up once and its tasks scaled."""
        if self.scale == 1:
            return self.wall
        own = sum(t['end'] - t['start'] for t in self.tasks)
        return self.wall - own + own * self.scale

    @property
    def task_seconds(self):
        """The measured tasks' own time (ansible-playbook's start-up excluded)."""
        return sum(t['end'] - t['start'] for t in self.tasks) * self.scale

    def paths(self, method=None, prefix=''):
        return [r for r in self.log if (method is None or r['method'] == method) and r['path'].startswith(prefix)]


class Bench:
    def __init__(self, workdir, standin, args):
        self.workdir = workdir
        self.standin = standin
        self.args = args
        self.collections = os.path.join(workdir, 'collections')
        os.makedirs(os.path.join(self.collections, 'ansible_collections', 'community'))
        # ansible-playbook follows a symlink; ansible-test would not, but it is not used here.
        os.symlink(ROOT, os.path.join(self.collections, 'ansible_collections', 'community', 'circleci'))
        self.rows = []
        self.notes = []
        self.targets = []
        self.plays = 0

    # -- running ------------------------------------------------------------------------------

    def play(self, label, tasks, extra=None, scale=1.0, note='', hosts='localhost', inventory=None, forks=None, roles=None):
        """Run one playbook of ``tasks`` (YAML text, indented as tasks) or ``roles`` (indented as roles) on
        ``hosts`` (of ``inventory``, with ``forks``), measure it, keep a row."""
        self.plays += 1
        play = os.path.join(self.workdir, 'play%03d.yml' % self.plays)
        with open(play, 'w') as handle:
            handle.write('- hosts: %s\n  gather_facts: false\n  module_defaults:\n'
                         '    group/community.circleci.circleci:\n'
                         '      api_url: "{{ bench_api_url }}"\n      api_token: "{{ bench_api_token }}"\n' % hosts
                         + ('  roles:\n' + roles if roles else '  tasks:\n' + tasks))
        variables = os.path.join(self.workdir, 'vars%03d.json' % self.plays)
        with open(variables, 'w') as handle:
            json.dump(dict(extra or {}, bench_api_url=self.standin.url, bench_api_token=TOKEN), handle)
        timing = os.path.join(self.workdir, 'timing%03d.jsonl' % self.plays)
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=self.collections, ANSIBLE_NOCOLOR='1',
                   ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false',
                   ANSIBLE_CALLBACK_PLUGINS=os.path.join(HERE, 'callback_plugins'),
                   ANSIBLE_CALLBACKS_ENABLED='bench_timing', BENCH_TIMING_FILE=timing,
                   ANSIBLE_PYTHON_INTERPRETER=sys.executable)
        self.standin.clear()
        started = time.monotonic()
        command = [sys.executable, '-m', 'ansible.cli.playbook', play, '-e', '@' + variables]
        command += (['-i', inventory] if inventory else []) + (['-f', str(forks)] if forks else [])
        done = subprocess.run(command, check=False, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              universal_newlines=True)
        wall = time.monotonic() - started
        if done.returncode:
            sys.stderr.write(done.stdout)
            raise SystemExit('ansible-playbook failed: %s' % label)
        with open(timing) as handle:
            tasks_done = [json.loads(line) for line in handle if line.strip()]
        measure = Measure(label, self.standin.requests(), wall, tasks_done, scale, note)
        self.rows.append(measure)
        self.progress(measure)
        return measure

    def progress(self, measure):
        sys.stderr.write('bench: %-52s %7.0f requests %7.2f s\n' % (measure.label, measure.requests, measure.wall_seconds))

    def section(self, title):
        self.rows.append(title)

    def target(self, text, measured, met):
        self.targets.append((text, measured, met))

    # -- scenarios ----------------------------------------------------------------------------

    def variables(self, count):
        page = self.args.page_size
        pages = max(1, math.ceil(count / page))
        values = [{'name': 'BENCH_%03d' % i, 'value': 'bench-value-%06d' % i} for i in range(count)]
        bulk = ('    - name: bulk\n      community.circleci.circleci_envvar:\n        project_slug: %s\n'
                '        variables: "{{ bench_variables }}"\n' % PROJECT)
        loop = ('    - name: loop\n      community.circleci.circleci_envvar:\n        project_slug: %s\n'
                '        name: "{{ item.name }}"\n        value: "{{ item.value }}"\n'
                '      loop: "{{ bench_variables }}"\n      loop_control:\n        label: "{{ item.name }}"\n' % PROJECT)
        self.section('%d project variables (%d listing page%s when all exist)' % (count, pages, 's' if pages > 1 else ''))

        self.standin.reset()
        first = self.play('one bulk task: first run', bulk, {'bench_variables': values})
        again = self.play('one bulk task: re-run, no change', bulk, {'bench_variables': values})
        self.check_rerun(again, count, pages)
        if count == 100:
            writes_alone = math.ceil(count / WRITERS) * self.args.latency
            bound = 1.5 * writes_alone + self.args.latency
            self.target('bulk first run of 100 variables: requests to the server take at most 1.5 x its writes '
                        'done %d at a time (%.2f s) plus the listing = %.2f s' % (WRITERS, writes_alone, bound),
                        '%.2f s of requests (%d writes, %d listing); the whole task %.2f s, of which about %.2f s is '
                        "Ansible's own start of a module (the empty task below)"
                        % (first.api_seconds, first.writes, first.reads, first.task_seconds, self.module_overhead),
                        first.api_seconds <= bound)
            self.check_connections(first, 'bulk first run of 100 variables')

        sample = count if count <= self.args.loop_limit else self.args.sample
        scale = count / float(sample)
        note = '' if sample == count else 'sampled: %d of %d tasks measured, scaled by %g' % (sample, count, scale)
        label = 'loop of %d single tasks' % count
        self.standin.reset()
        if sample < count:
            # The sample's tasks list as many variables as the loop's average task would: half of them.
            self.seed_project(values[sample:sample + count // 2])
        self.play(label + ': first run', loop, {'bench_variables': values[:sample]}, scale, note)
        if sample < count:
            self.seed_project(values[sample + count // 2:])
        rerun = self.play(label + ': re-run', loop, {'bench_variables': values[:sample]}, scale, note)
        if rerun.writes:
            self.notes.append('the loop re-run of %d variables wrote %d times' % (count, rerun.writes))
        if sample < count:
            # What a full loop sends, counted rather than run: task i lists the i variables made before it.
            first_exact = sum(max(1, math.ceil(i / float(page))) for i in range(count)) + count
            self.notes.append('loop of %d: %d of %d tasks run and scaled by %g (a full loop would take about %.0f s '
                              'per run); its first-run sample lists %d existing variables per task, as the '
                              "full loop's average task would. Counted exactly, a full loop sends %d requests on "
                              'its first run and %d on its re-run' % (count, sample, count, scale, rerun.task_seconds,
                                                                      count // 2, first_exact, count * pages))

    def seed_project(self, values):
        if values:
            self.standin.seed(project_variables=[{'project_slug': PROJECT,
                                                  'variables': dict((v['name'], v['value']) for v in values)}])

    def check_rerun(self, measure, count, pages):
        listing = measure.paths('GET', '/project/%s/envvar' % PROJECT)
        self.target('idempotent re-run of %d variables: only the %d listing page%s, no write'
                    % (count, pages, 's' if pages > 1 else ''),
                    '%d requests (%d GET of the listing), %d writes' % (measure.requests, len(listing), measure.writes),
                    measure.requests == pages and len(listing) == pages and measure.writes == 0)
        self.check_connections(measure, 're-run of %d variables' % count)

    def check_connections(self, measure, what):
        reads = set(r['connection'] for r in measure.log if r['method'] == 'GET')
        writes = set(r['connection'] for r in measure.log if r['method'] != 'GET')
        text = ('%d connection%s for the reads, %d for the writes (%d in all)'
                % (len(reads), '' if len(reads) == 1 else 's', len(writes), measure.connections))
        self.target('one HTTP connection reused across a task (%s): reads share one, writes use at most %d'
                    % (what, WRITERS), text, len(reads) <= 1 and len(writes) <= WRITERS)

    def pool(self):
        """The client's connection pool must hold every concurrent writer, or urllib3 drops and reopens connections."""
        sys.path.insert(0, self.collections)
        # pylint: disable=import-outside-toplevel,import-error
        from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIClient
        from ansible_collections.community.circleci.plugins.modules.circleci_envvar import MAX_WRITERS
        client = CircleCIClient(api_token=TOKEN, api_url=self.standin.url)
        size = client.session.get_adapter(client.base_url)._pool_maxsize  # pylint: disable=protected-access
        client.session.close()
        if size < MAX_WRITERS:
            sys.stderr.write('bench: WARNING: the connection pool holds %d connections, fewer than the %d concurrent '
                             'writes of circleci_envvar\n' % (size, MAX_WRITERS))
        self.target('the client\'s connection pool holds every concurrent write (circleci_envvar MAX_WRITERS = %d)'
                    % MAX_WRITERS, 'requests.Session pool_maxsize %d' % size, size >= MAX_WRITERS)

    def overhead(self):
        self.section('fixed cost')
        self.standin.reset()
        empty = self.play('one envvar task, empty list (1 request)', (
            '    - name: empty\n      community.circleci.circleci_envvar:\n        project_slug: %s\n'
            '        variables: []\n' % PROJECT))
        self.module_overhead = max(0.0, empty.task_seconds - empty.api_seconds)
        self.notes.append("an Ansible task that sends one request takes %.2f s, %.2f s of it Ansible's own "
                          'start of the module, which no module can avoid; ansible-playbook itself starts in %.2f s'
                          % (empty.task_seconds, self.module_overhead, empty.wall - empty.task_seconds))

    def context(self, count=100, fillers=30):
        page = self.args.page_size
        self.section('a context with %d variables, named by name among %d contexts' % (count, fillers + 1))
        self.standin.reset()
        self.standin.seed(contexts=[{'name': 'filler-%02d' % i, 'owner_slug': OWNER} for i in range(fillers)]
                          + [{'name': 'bench-context', 'owner_slug': OWNER}])
        values = [{'name': 'CTX_%03d' % i, 'value': 'context-value-%06d' % i} for i in range(count)]
        task = ('    - name: context\n      community.circleci.circleci_envvar:\n        context_name: bench-context\n'
                '        owner_slug: %s\n        variables: "{{ bench_variables }}"\n' % OWNER)
        context_pages = math.ceil((fillers + 1) / page)
        for label in ('first run', 're-run, no change'):
            measure = self.play('one bulk task: ' + label, task, {'bench_variables': values})
            lookups = [r for r in measure.log if r['path'] == '/context']
            self.target('context named by name resolved once per task (%s): one listing of the owner\'s contexts, '
                        '%d page%s' % (label, context_pages, 's' if context_pages > 1 else ''),
                        '%d GET /context' % len(lookups), len(lookups) == context_pages)
        variable_pages = math.ceil(count / page)
        self.target('idempotent re-run of a context with %d variables: %d + %d listing pages, no write'
                    % (count, context_pages, variable_pages),
                    '%d requests, %d writes' % (measure.requests, measure.writes),
                    measure.requests == context_pages + variable_pages and measure.writes == 0)

    def contexts(self, count=200):
        pages = math.ceil(count / self.args.page_size)
        self.section('%d existing contexts, ensuring one (%d listing pages)' % (count, pages))
        self.standin.reset()
        self.standin.seed(contexts=[{'name': 'ctx-%03d' % i, 'owner_slug': OWNER} for i in range(count)])
        ensure = ('    - name: ensure\n      community.circleci.circleci_context:\n        name: "{{ bench_name }}"\n'
                  '        owner_slug: %s\n' % OWNER)
        existing = self.play('circleci_context, one that exists', ensure, {'bench_name': 'ctx-%03d' % (count * 3 // 4)})
        created = self.play('circleci_context, a new one', ensure, {'bench_name': 'bench-new'})
        self.target('ensuring an existing context among %d: the %d listing pages, no write' % (count, pages),
                    '%d requests, %d writes' % (existing.requests, existing.writes),
                    existing.requests == pages and existing.writes == 0)
        self.target('creating a context among %d: the %d listing pages and one POST' % (count, pages),
                    '%d requests, %d writes' % (created.requests, created.writes),
                    created.requests == pages + 1 and created.writes == 1)

    def terraform(self, counts):
        """One read per managed variable, as a Terraform provider refreshes each resource."""
        import requests  # pylint: disable=import-outside-toplevel
        self.section('Terraform-style refresh: one GET per variable, %d at a time (Terraform\'s default)'
                     % TERRAFORM_PARALLELISM)
        session = requests.Session()
        session.headers.update({'Circle-Token': TOKEN, 'Accept': 'application/json'})
        adapter = requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=TERRAFORM_PARALLELISM)
        session.mount('http://', adapter)
        for count in counts:
            self.standin.reset()
            values = [{'name': 'BENCH_%03d' % i, 'value': 'bench-value-%06d' % i} for i in range(count)]
            self.seed_project(values)
            base = '%s/api/v2/project/%s/envvar/' % (self.standin.url, PROJECT)

            def read(name, base=base):
                answer = session.get(base + name, timeout=30)
                answer.raise_for_status()

            self.standin.clear()
            started = time.monotonic()
            with concurrent.futures.ThreadPoolExecutor(TERRAFORM_PARALLELISM) as pool:
                list(pool.map(read, [v['name'] for v in values]))
            wall = time.monotonic() - started
            measure = Measure('%d variables: refresh (no change)' % count, self.standin.requests(), wall,
                              note='serially: %.2f s' % (count * self.args.latency))
            measure.tasks = [{'start': 0, 'end': wall}]
            self.rows.append(measure)
            self.progress(measure)
        session.close()

    def provision(self):
        """New projects from nothing: the role over one host per project with forks, then the re-run; and
        the same work as a loop of single tasks on localhost, then its re-run."""
        count = self.args.projects
        names = ['svc-%02d' % i for i in range(1, count + 1)]
        self.section('%d new projects from nothing (project, settings, 2 definitions, 3 triggers, a context and its '
                     'variable, a variable, a webhook, a schedule)' % count)
        inventory = os.path.join(self.workdir, 'projects.ini')
        with open(inventory, 'w') as handle:
            handle.write('[bench_projects]\n' + ''.join('%s ansible_connection=local\n' % name for name in names))
        role = ('    - role: community.circleci.project\n'
                '      project_organization: "{{ bench_org.slug }}"\n'
                '      project_name: "{{ inventory_hostname }}"\n'
                '      project_settings: "{{ bench_settings }}"\n'
                '      project_pipeline_definitions: "{{ bench_definitions }}"\n'
                '      project_contexts:\n'
                '        - name: "{{ inventory_hostname }}-deploy"\n'
                '          variables: [{name: DEPLOY_TOKEN, value: "deploy-{{ inventory_hostname }}-0001"}]\n'
                '      project_variables: [{name: NPM_TOKEN, value: "npm-{{ inventory_hostname }}-0002"}]\n'
                '      project_webhooks: [{name: tracker, url: "https://tracker.example.com/{{ inventory_hostname }}", '
                'events: [workflow-completed]}]\n'
                '      project_schedules: [{name: nightly, timetable: "{{ bench_timetable }}", parameters: {branch: main}}]\n')
        extra = {'bench_settings': PROVISION_SETTINGS, 'bench_definitions': PROVISION_DEFINITIONS,
                 'bench_timetable': PROVISION_TIMETABLE, 'bench_names': names}
        measured_runs = [('role', forks) for forks in self.args.forks] + ([] if self.args.skip_provision_loop else [('loop', None)])
        self.provisioned = {}
        for measured, forks in measured_runs:
            self.standin.reset()
            extra['bench_org'] = self.standin.seed(standalone_orgs=[{'name': 'bench-org'}])['standalone_orgs'][0]
            if measured == 'role':
                label = 'the role, %d hosts, forks %d' % (count, forks)
                runs = [self.play(label + ': ' + run, None, extra, hosts='bench_projects', inventory=inventory, forks=forks,
                                  roles=role) for run in ('first run', 're-run')]
            else:
                runs = [self.play('a loop of single tasks: ' + run, PROVISION_LOOP, extra) for run in ('first run', 're-run')]
            for measure in runs:
                # Tasks of many hosts overlap: their time is from the first start to the last end.
                measure.tasks = [{'start': min(t['start'] for t in measure.tasks), 'end': max(t['end'] for t in measure.tasks)}]
                measure.note = '%.1f requests a project, %.1f writes' % (measure.requests / count, measure.writes / count)
            first, again = runs
            what = 'the role over %d hosts (forks %d)' % (count, forks) if measured == 'role' else 'a loop of single tasks'
            self.target('%s, first run: exactly the %d writes a new project needs, for each of %d'
                        % (what, PROVISION_WRITES, count), '%d writes' % first.writes, first.writes == PROVISION_WRITES * count)
            self.target('%s, re-run: no write' % what, '%d writes, %d reads (%.1f a project)'
                        % (again.writes, again.reads, again.reads / count), again.writes == 0)
            self.provisioned[(measured, forks)] = runs
        if 'loop' not in [m for m, f in measured_runs]:
            return
        loop_first, loop_again = self.provisioned[('loop', None)]
        for forks in self.args.forks:
            role_first, role_again = self.provisioned[('role', forks)]
            self.notes.append('provisioning %d projects: the role over %d hosts with forks %d took %.1f s (first run) and %.1f s '
                              '(re-run) of ansible-playbook; a loop of single tasks on one host %.1f s and %.1f s. Requests '
                              'a project: %.1f and %.1f with the role, %.1f and %.1f with the loop'
                              % (count, count, forks, role_first.wall_seconds, role_again.wall_seconds, loop_first.wall_seconds,
                                 loop_again.wall_seconds, role_first.requests / count, role_again.requests / count,
                                 loop_first.requests / count, loop_again.requests / count))
            self.target('the role over %d hosts with forks %d is faster than a loop of single tasks, both runs' % (count, forks),
                        'first run %.1f s against %.1f s; re-run %.1f s against %.1f s'
                        % (role_first.wall_seconds, loop_first.wall_seconds, role_again.wall_seconds, loop_again.wall_seconds),
                        role_first.wall_seconds < loop_first.wall_seconds and role_again.wall_seconds < loop_again.wall_seconds)

    def pipeline(self):
        seconds, interval = self.args.pipeline_seconds, self.args.poll_interval
        self.section('trigger and wait: a pipeline that runs %g s, poll_interval %g s' % (seconds, interval))
        self.standin.reset()
        half = seconds / 2.0
        self.standin.seed(pipeline_plans=[{'project_slug': PROJECT, 'branch': 'bench', 'workflows': [
            {'name': 'deploy', 'jobs': [{'name': 'build', 'duration': half},
                                        {'name': 'ship', 'requires': ['build'], 'duration': half}]}]}])
        task = ('    - name: trigger\n      community.circleci.circleci_pipeline_trigger:\n'
                '        project_slug: %s\n        branch: bench\n        wait: true\n'
                '        poll_interval: %g\n        wait_timeout: %g\n' % (PROJECT, interval, seconds * 3))
        measure = self.play('trigger, wait: true', task)
        result = measure.tasks[0]['result']
        polls = sorted(r['start'] for r in measure.log if r['method'] == 'GET' and r['path'].startswith('/pipeline/')
                       and r['path'].count('/') == 2)
        gaps = [b - a for a, b in zip(polls, polls[1:])]
        finished = max(parse_time(w['stopped_at']) for w in result['workflows'])
        # The last poll is the one that saw the pipeline finished.
        seen = max(r['end'] for r in measure.log if r['path'].endswith('/workflow'))
        trigger = [r for r in measure.log if r['method'] == 'POST'][0]
        self.notes.append('pipeline: %d polls (one GET of the pipeline, of its workflows and, while they run, of '
                          'their jobs), %d requests; first poll %.2f s after the trigger; poll gaps %.2f to %.2f s; '
                          'finished %.1f s after the trigger; its final state read %.2f s after it finished; '
                          'the task ended %.2f s after it finished'
                          % (len(polls), measure.requests, polls[0] - trigger['end'], min(gaps), max(gaps),
                             finished - trigger['end'], seen - finished, measure.tasks[0]['end'] - finished))
        self.target('waiting polls no more often than poll_interval (%g s)' % interval,
                    'shortest gap between polls %.2f s' % min(gaps), min(gaps) >= interval - 0.01)
        self.target('a finished pipeline is noticed within one poll_interval',
                    'final state read %.2f s after the pipeline finished' % (seen - finished),
                    0 <= seen - finished <= interval)
        expected_polls = math.ceil((finished - polls[0]) / interval) + 1
        self.target('no poll more than needed: polls = (time to finish / poll_interval) rounded up, + 1',
                    '%d polls, %d expected' % (len(polls), expected_polls), len(polls) <= expected_polls)

    # -- output --------------------------------------------------------------------------------

    def report(self, out=sys.stdout):
        args = self.args
        out.write('community.circleci benchmark: stand-in with %d ms added to each API request, %d items a page, '
                  'ansible-core %s, Python %s, %d CPUs\n\n' % (
                      args.latency * 1000, args.page_size, ansible_version(), sys.version.split()[0], os.cpu_count()))
        header = '%-50s %9s %6s %7s %6s %8s %8s %8s' % ('scenario', 'requests', 'GET', 'writes', 'conns',
                                                        'API s', 'task s', 'wall s')
        out.write(header + '\n' + '-' * len(header) + '\n')
        for row in self.rows:
            if isinstance(row, str):
                out.write('%s\n' % row)
                continue
            mark = '~' if row.scale != 1 else ' '
            out.write('  %-48s%s%8.0f %6.0f %7.0f %6.0f %8.2f %8.2f %8.2f%s\n' % (
                row.label, mark, row.requests, row.reads, row.writes, row.connections, row.api_seconds,
                row.task_seconds, row.wall_seconds,
                '   (%s)' % row.note if row.note else ''))
        out.write('\nrequests, GET, writes, conns: from the stand-in\'s record; API s: first request in to last answer '
                  'out, as the server saw them; task s: the tasks alone (callback timing); wall s: the whole '
                  'ansible-playbook run. "~": measured on a sample and scaled.\n')
        self.comparison(out)
        if self.notes:
            out.write('\nnotes:\n')
            for note in self.notes:
                out.write('  - %s\n' % note)
        out.write('\ntargets:\n')
        for text, measured, met in self.targets:
            out.write('  [%s] %s\n        measured: %s\n' % ('met' if met else 'MISSED', text, measured))
        missed = sum(1 for t in self.targets if not t[2])
        out.write('\n%d of %d targets met\n' % (len(self.targets) - missed, len(self.targets)))
        return missed

    def comparison(self, out):
        """Ratio of the idempotent bulk re-run to a Terraform-style refresh, per count."""
        ours = dict((int(r.label.split()[0]), r) for r in self.rows if not isinstance(r, str)
                    and r.label.endswith('variables: refresh (no change)'))
        reruns = {}
        current = None
        for row in self.rows:
            if isinstance(row, str):
                current = int(row.split()[0]) if row.endswith(')') and 'project variables' in row else None
            elif current and row.label == 'one bulk task: re-run, no change':
                reruns[current] = row
        counts = sorted(set(ours) & set(reruns))
        if not counts:
            return
        out.write('\nidempotent run, this collection (one bulk task) against a Terraform-style refresh:\n')
        for count in counts:
            mine, theirs = reruns[count], ours[count]
            out.write('  %3d variables: %3.0f requests against %3.0f (%.0fx fewer); API time %.2f s against %.2f s '
                      'with %d reads at a time, %.2f s one at a time\n' % (
                          count, mine.requests, theirs.requests, theirs.requests / max(1.0, mine.requests),
                          mine.api_seconds, theirs.api_seconds, TERRAFORM_PARALLELISM, count * self.args.latency))


# The same work as the role's, as a loop of single tasks per step on one host (what a playbook without the
# role does): every step loops over the projects (and their definitions, triggers, ...).
PROVISION_LOOP = '''\
    - name: projects
      community.circleci.circleci_project:
        organization: "{{ bench_org.slug }}"
        name: "{{ item }}"
        settings: "{{ bench_settings }}"
      loop: "{{ bench_names }}"
      register: bench_projects
    - name: definitions
      community.circleci.circleci_pipeline_definition:
        project_id: "{{ item.0.project.id }}"
        name: "{{ item.1.name }}"
        config_source: "{{ item.1.config_source }}"
        checkout_source: "{{ item.1.checkout_source | default(omit) }}"
      loop: "{{ bench_projects.results | product(bench_definitions) | list }}"
      loop_control:
        label: "{{ item.0.item }} {{ item.1.name }}"
      register: bench_defs
    - name: triggers
      community.circleci.circleci_trigger:
        project_id: "{{ item.0.item.0.project.id }}"
        pipeline_definition_id: "{{ item.0.pipeline_definition.id }}"
        event_source: "{{ item.1.event_source }}"
        event_name: "{{ item.1.event_name | default(omit) }}"
        event_preset: "{{ item.1.event_preset | default(omit) }}"
        checkout_ref: "{{ item.1.checkout_ref | default(omit) }}"
        config_ref: "{{ item.1.config_ref | default(omit) }}"
      loop: "{{ bench_defs.results | subelements(['item', 1, 'triggers']) }}"
      loop_control:
        label: "{{ item.0.item.0.item }} {{ item.0.item.1.name }}"
    - name: contexts
      community.circleci.circleci_context:
        name: "{{ item }}-deploy"
        owner_slug: "{{ bench_org.slug }}"
      loop: "{{ bench_names }}"
      register: bench_contexts
    - name: context variables
      community.circleci.circleci_envvar:
        context_id: "{{ item.context.id }}"
        name: DEPLOY_TOKEN
        value: "deploy-{{ item.item }}-0001"
      loop: "{{ bench_contexts.results }}"
      loop_control:
        label: "{{ item.item }}"
    - name: project variables
      community.circleci.circleci_envvar:
        project_slug: "{{ item.project.slug }}"
        name: NPM_TOKEN
        value: "npm-{{ item.item }}-0002"
      loop: "{{ bench_projects.results }}"
      loop_control:
        label: "{{ item.item }}"
    - name: webhooks
      community.circleci.circleci_webhook:
        scope_id: "{{ item.project.id }}"
        name: tracker
        url: "https://tracker.example.com/{{ item.item }}"
        events: [workflow-completed]
      loop: "{{ bench_projects.results }}"
      loop_control:
        label: "{{ item.item }}"
    - name: schedules
      community.circleci.circleci_schedule:
        project_slug: "{{ item.project.slug }}"
        name: nightly
        timetable: "{{ bench_timetable }}"
        parameters: {branch: main}
      loop: "{{ bench_projects.results }}"
      loop_control:
        label: "{{ item.item }}"
'''


def parse_time(text):
    return datetime.datetime.strptime(text.replace('Z', '+0000'), '%Y-%m-%dT%H:%M:%S.%f%z').timestamp()


def ansible_version():
    try:
        from ansible.release import __version__  # pylint: disable=import-outside-toplevel
        return __version__
    except ImportError:  # pragma: no cover
        return '?'


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--latency', type=float, default=0.05, help='seconds added to each API request (0.05)')
    parser.add_argument('--page-size', type=int, default=20, help="the stand-in's list page size (20)")
    parser.add_argument('--counts', type=int, nargs='+', default=[10, 100, 500], help='project variable counts')
    parser.add_argument('--loop-limit', type=int, default=100,
                        help='loops of more single tasks than this are sampled (100)')
    parser.add_argument('--sample', type=int, default=20, help='tasks measured of a sampled loop (20)')
    parser.add_argument('--pipeline-seconds', type=float, default=120, help='how long the pipeline runs (120)')
    parser.add_argument('--poll-interval', type=float, default=10, help='poll_interval of the trigger task (10)')
    parser.add_argument('--projects', type=int, default=20, help='new projects of the provisioning scenario (20)')
    parser.add_argument('--forks', type=int, nargs='+', default=[10],
                        help='ansible-playbook --forks of the provisioning role, one run each (10)')
    parser.add_argument('--skip-provision-loop', action='store_true', help='provisioning: the role only, no loop of single tasks')
    parser.add_argument('--only', nargs='+', choices=SCENARIOS, help='run only these scenarios')
    parser.add_argument('--skip-pipeline', action='store_true', help='leave out the trigger-and-wait')
    parser.add_argument('--json', help='also write the rows and targets to this file')
    args = parser.parse_args(argv)
    ensure_environment(argv)

    chosen = [s for s in SCENARIOS if (not args.only or s in args.only)
              and not (s == 'pipeline' and args.skip_pipeline)]
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix='circleci-bench-') as workdir:
        standin = StandIn(workdir, {'latency': args.latency, 'page_size': args.page_size})
        bench = Bench(workdir, standin, args)
        try:
            bench.pool()
            bench.overhead()
            if 'variables' in chosen:
                for count in args.counts:
                    bench.variables(count)
            if 'context' in chosen:
                bench.context()
            if 'contexts' in chosen:
                bench.contexts()
            if 'terraform' in chosen:
                bench.terraform(args.counts)
            if 'provision' in chosen:
                bench.provision()
            if 'pipeline' in chosen:
                bench.pipeline()
        finally:
            standin.stop()
    missed = bench.report()
    sys.stdout.write('benchmark run time: %.0f s\n' % (time.monotonic() - started))
    if args.json:
        with open(args.json, 'w') as handle:
            json.dump({'rows': [r if isinstance(r, str) else {
                'label': r.label, 'requests': r.requests, 'reads': r.reads, 'writes': r.writes,
                'connections': r.connections, 'api_seconds': r.api_seconds, 'task_seconds': r.task_seconds,
                'wall': r.wall_seconds, 'scale': r.scale, 'note': r.note} for r in bench.rows],
                'targets': bench.targets, 'notes': bench.notes}, handle, indent=1)
    return 1 if missed else 0


if __name__ == '__main__':
    sys.exit(main())
