# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""End-to-end fixtures: stand-ins running in this process, and real ``ansible-playbook`` runs
against them.

The stand-in runs in a thread of the test process, so a test reads its state, its request
record and its fault rules directly (``standin.app``). Each play runs as a subprocess with the
collection on ANSIBLE_COLLECTIONS_PATH and the callback ``e2e_record`` (beside this file)
enabled, which writes every task result, with the stand-in's request counter before and after
the task, to a JSON file: a test can tell which requests each task sent.

The collection is found through CIRCLECI_COLLECTIONS_ROOT (the folder holding
``ansible_collections/``, as scripts/test.sh sets it), else from where this file lies, else a
temporary ``ansible_collections/community/circleci`` link to the repository.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import json
import os
import shutil
import subprocess
import sys
import time

import pytest
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
COLLECTION_DIR = os.path.dirname(os.path.dirname(HERE))
STANDIN_DIR = os.path.join(COLLECTION_DIR, 'tests', 'standin')
PLAYBOOKS = os.path.join(HERE, 'playbooks')
CALLBACKS = os.path.join(HERE, 'callback_plugins')

if STANDIN_DIR not in sys.path:
    sys.path.insert(0, STANDIN_DIR)

import server as standin_server  # noqa: E402  pylint: disable=wrong-import-position,import-error

# A token of its own, so that a leak of it cannot be confused with any string in the repository's docs.
TOKEN = 'CCIPAT_e2e_Tk9Vq3ZmW7xR2pLs8Hd4'
# Variables a play could inherit from the caller and that would change what the modules do.
SCRUBBED_ENV = ('CIRCLECI_TOKEN', 'CIRCLE_TOKEN', 'CIRCLECI_API_URL', 'ANSIBLE_CONFIG', 'ANSIBLE_STDOUT_CALLBACK',
                'ANSIBLE_CALLBACKS_ENABLED', 'ANSIBLE_CALLBACK_PLUGINS', 'ANSIBLE_LOG_PATH', 'ANSIBLE_MODULE_DEFAULTS')


def load_vars(name):
    with open(os.path.join(PLAYBOOKS, name)) as handle:
        return yaml.safe_load(handle)


# -- the stand-in ------------------------------------------------------------------------------

class StandIn:
    """A stand-in running in a thread of this process."""

    token = TOKEN

    def __init__(self, certfile=None, keyfile=None):
        self.server, self.url = standin_server.start_in_thread(token=TOKEN, certfile=certfile, keyfile=keyfile)
        self.app = self.server.app

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def reset(self, **config):
        self.app.reset(config)

    def configure(self, **config):
        with self.app.lock:
            unknown = sorted(set(config) - set(self.app.config))
            assert not unknown, 'unknown stand-in config %s' % unknown
            self.app.config.update(config)

    def faults(self, *specs):
        with self.app.lock:
            self.app.faults.extend(standin_server.Fault(spec) for spec in specs)

    def clear_faults(self):
        with self.app.lock:
            self.app.faults = []

    def seed(self, **kinds):
        with self.app.lock:
            return dict((kind, [self.app.seeders[kind](self.app, obj) for obj in objects]) for kind, objects in kinds.items())

    def state(self, secrets=True):
        """The state as ``GET /_standin/state`` shows it (secret values included by default)."""
        with self.app.lock:
            dump = {}
            for func in self.app.state_dumpers:
                dump.update(func(self.app, secrets))
            return dump

    @property
    def seq(self):
        return self.app.seq

    def requests(self, since=0, until=None):
        with self.app.lock:
            return [r for r in self.app.log if r['seq'] > since and (until is None or r['seq'] <= until)]

    def writes(self, since=0, until=None):
        return [r for r in self.requests(since, until) if r['method'] != 'GET']

    def settle(self, timeout=15.0):
        """Wait until every API request received has been answered and recorded: a play that
        gave up on a slow request leaves it running in the stand-in, and its effect must land
        before the state is read or the next play starts."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.app.lock:
                # Every API request counted on arrival gets one record once answered (the
                # counter and the record restart at each reset; the sequence number does not).
                if len(self.app.log) >= self.app.api_count:
                    return
            time.sleep(0.05)
        raise AssertionError('the stand-in still has requests in flight after %ss' % timeout)


@pytest.fixture(scope='session')
def standin_session():
    standin = StandIn()
    yield standin
    standin.stop()


@pytest.fixture
def standin(standin_session):
    """The stand-in, reset: seed state, default config, no faults, an empty request record."""
    standin_session.reset()
    return standin_session


# -- ansible-playbook ---------------------------------------------------------------------------

@pytest.fixture(scope='session')
def collections_root(tmp_path_factory):
    root = os.environ.get('CIRCLECI_COLLECTIONS_ROOT')
    if root:
        if not os.path.isdir(os.path.join(root, 'ansible_collections', 'community', 'circleci')):
            raise AssertionError('CIRCLECI_COLLECTIONS_ROOT=%s holds no ansible_collections/community/circleci' % root)
        return root
    parts = COLLECTION_DIR.split(os.sep)
    if parts[-3:] == ['ansible_collections', 'community', 'circleci']:
        return os.sep.join(parts[:-3])
    # Ansible (unlike ansible-test) follows a link to the collection.
    root = str(tmp_path_factory.mktemp('collections'))
    os.makedirs(os.path.join(root, 'ansible_collections', 'community'))
    os.symlink(COLLECTION_DIR, os.path.join(root, 'ansible_collections', 'community', 'circleci'))
    return root


class PlayRun:
    """A finished ``ansible-playbook`` run: exit code, output, and each task's recorded result."""

    def __init__(self, argv, returncode, stdout, stderr, records, log_text, seconds):
        self.argv = argv
        self.rc = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.records = records
        self.log_text = log_text
        self.seconds = seconds

    @property
    def text(self):
        """Everything the run showed or kept: stdout, stderr, the log file and the recorded results."""
        return '\n'.join((self.stdout, self.stderr, self.log_text, json.dumps(self.records)))

    def task(self, name):
        found = [r for r in self.records if r['task'] == name]
        assert found, 'no result for task %r; tasks run: %s\n%s' % (name, [r['task'] for r in self.records], self.tail())
        return found[-1]

    def has(self, name):
        return any(r['task'] == name for r in self.records)

    @property
    def failed(self):
        return [r for r in self.records if r['status'] == 'failed']

    @property
    def changed(self):
        return [r for r in self.records if r['status'] == 'changed']

    def tail(self, lines=60):
        return '--- stdout (tail) ---\n%s\n--- stderr (tail) ---\n%s' % (
            '\n'.join(self.stdout.splitlines()[-lines:]), '\n'.join(self.stderr.splitlines()[-lines:]))


class Runner:
    """Runs playbooks from tests/e2e/playbooks against a stand-in."""

    def __init__(self, root, workdir):
        self.root = root
        self.workdir = workdir
        self.count = 0

    def start(self, playbook, standin, extra_vars=None, check=False, diff=False, verbosity=0, env=None,
              token=None, args=()):
        """Start a play; answers a handle for ``finish``."""
        self.count += 1
        run_dir = os.path.join(self.workdir, 'run-%03d' % self.count)
        os.makedirs(run_dir)
        variables = {'circleci_api_url': standin.url, 'circleci_api_token': token or standin.token}
        variables.update(extra_vars or {})
        vars_file = os.path.join(run_dir, 'extra_vars.json')
        with open(vars_file, 'w') as handle:
            json.dump(variables, handle)
        argv = [sys.executable, '-m', 'ansible.cli.playbook', os.path.join(PLAYBOOKS, playbook), '-e', '@' + vars_file]
        if check:
            argv.append('--check')
        if diff:
            argv.append('--diff')
        if verbosity:
            argv.append('-' + 'v' * verbosity)
        argv.extend(args)
        environment = dict((k, v) for k, v in os.environ.items() if k not in SCRUBBED_ENV)
        environment.update({
            'ANSIBLE_COLLECTIONS_PATH': self.root,
            'ANSIBLE_CALLBACK_PLUGINS': CALLBACKS,
            'ANSIBLE_CALLBACKS_ENABLED': 'e2e_record',
            'E2E_RECORD_FILE': os.path.join(run_dir, 'records.json'),
            'E2E_STANDIN_URL': standin.url,
            'ANSIBLE_LOG_PATH': os.path.join(run_dir, 'ansible.log'),
            'ANSIBLE_NOCOLOR': '1',
            'ANSIBLE_FORCE_COLOR': '0',
            'ANSIBLE_RETRY_FILES_ENABLED': 'false',
            'ANSIBLE_LOCALHOST_WARNING': 'false',
            'ANSIBLE_INVENTORY_UNPARSED_WARNING': 'false',
            'ANSIBLE_HOST_KEY_CHECKING': 'false',
        })
        environment.update(env or {})
        process = subprocess.Popen(argv, cwd=run_dir, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   universal_newlines=True)
        return (process, argv, run_dir, time.monotonic())

    @staticmethod
    def finish(handle, timeout=240):
        process, argv, run_dir, started = handle
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
            raise AssertionError('ansible-playbook did not finish within %ss\n%s\n%s' % (timeout, stdout[-3000:], stderr[-3000:]))
        seconds = time.monotonic() - started
        records = []
        if os.path.exists(os.path.join(run_dir, 'records.json')):
            with open(os.path.join(run_dir, 'records.json')) as handle:
                records = json.load(handle)
        log_text = ''
        if os.path.exists(os.path.join(run_dir, 'ansible.log')):
            with open(os.path.join(run_dir, 'ansible.log')) as handle:
                log_text = handle.read()
        return PlayRun(argv, process.returncode, stdout, stderr, records, log_text, seconds)

    def play(self, playbook, standin, **kwargs):
        timeout = kwargs.pop('timeout', 240)
        return self.finish(self.start(playbook, standin, **kwargs), timeout=timeout)


@pytest.fixture(scope='session')
def runner(collections_root, tmp_path_factory):
    return Runner(collections_root, str(tmp_path_factory.mktemp('plays')))


# -- a self-signed certificate ------------------------------------------------------------------

def make_certificate(directory):
    """A self-signed certificate for 127.0.0.1 made now (no private key is kept in the repository):
    with the openssl command when there is one, else with the cryptography package. Answers
    (certfile, keyfile), or None when neither is available."""
    certfile, keyfile = os.path.join(directory, 'cert.pem'), os.path.join(directory, 'key.pem')
    openssl = shutil.which('openssl')
    if openssl:
        done = subprocess.run([openssl, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyfile,
                               '-out', certfile, '-days', '2', '-subj', '/CN=127.0.0.1',
                               '-addext', 'subjectAltName=IP:127.0.0.1'],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, check=False)
        if done.returncode == 0:
            return certfile, keyfile
    try:
        import datetime
        import ipaddress
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.oid import NameOID
    except ImportError:
        return None
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, u'127.0.0.1')])
    moment = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(moment - datetime.timedelta(minutes=5))
            .not_valid_after(moment + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(u'127.0.0.1'))]), critical=False)
            .sign(key, hashes.SHA256()))
    with open(keyfile, 'wb') as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                       serialization.NoEncryption()))
    with open(certfile, 'wb') as handle:
        handle.write(cert.public_bytes(serialization.Encoding.PEM))
    return certfile, keyfile


# -- the fault matrix as a table -------------------------------------------------------------------

def render_fault_matrix(report_dir):
    """The fault matrix's measurements (test_fault_matrix.py writes one JSON file per case) as
    Markdown: a table with one row per fault and one column per step of the play, then each
    failure's message."""
    import glob
    reports = []
    for path in glob.glob(os.path.join(report_dir, '*.json')):
        with open(path) as handle:
            reports.append(json.load(handle))
    if not reports:
        return None
    reports.sort(key=lambda report: report['index'])
    steps = reports[0]['step_order']
    lines = ['| fault | %s | whole play | then, without the fault |' % ' | '.join(steps),
             '|---|%s---|---|' % ('---|' * len(steps))]
    messages = []
    for report in reports:
        cells = []
        for step in steps:
            measure = report['steps'][step]
            if measure['outcome'] == 'not run':
                cells.append('not run')
                continue
            odd = ', '.join('%d×%s' % (count, 'no answer' if status == '0' else status)
                            for status, count in sorted(measure['statuses'].items()) if not status.startswith('2'))
            outcome = '**failed**' if measure['outcome'] == 'failed' else measure['outcome']
            odd = ' (%s)' % odd if odd else ''
            cells.append('%s, %d req%s, %.1f s' % (outcome, measure['requests'], odd, measure['seconds']))
            if measure.get('msg'):
                messages.append('- %s, step *%s*: `%s`' % (report['title'], step, measure['msg']))
        converge = report.get('converge', {})
        lines.append('| %s | %s | %s, %.1f s, %d req | changed %s, %d writes |' % (
            report['title'], ' | '.join(cells), 'failed' if report['rc'] else 'ok', report['seconds'], report['requests'],
            ', '.join(converge.get('changed', [])) or 'nothing', converge.get('writes', 0)))
    return '\n'.join(lines) + '\n\nFailure messages:\n\n' + '\n'.join(messages) + '\n'


def pytest_sessionfinish(session, exitstatus):  # pylint: disable=unused-argument
    if hasattr(session.config, 'workerinput'):
        return
    report_dir = os.path.join(COLLECTION_DIR, 'tests', 'output', 'e2e', 'fault_matrix')
    table = render_fault_matrix(report_dir)
    if table:
        with open(os.path.join(os.path.dirname(report_dir), 'fault_matrix.md'), 'w') as handle:
            handle.write(table)
