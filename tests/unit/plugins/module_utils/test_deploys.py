# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Rollback and usage export (module_utils/_deploys.py) against the stand-in over real HTTP: never
sent twice, waiting (the usage status reads on a fake clock shared with the stand-in), downloads
decompressed without the token, URLs kept out of results; and the pure helpers."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

# pylint infers the keys of the dicts these tests build (usage(), dict(ROLLBACK, ...)) and takes a
# key given there and again as a keyword for a repeat; run() never takes those keys as keywords.
# pylint: disable=repeated-keyword

import csv
import datetime
import gzip
import hashlib
import io
import json
import os

import pytest

from ansible_collections.community.circleci.plugins.module_utils import _deploys
from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIClient
from ansible_collections.community.circleci.plugins.module_utils._deploys import (
    Rollback,
    UsageExport,
    decompress,
    file_names,
    hide_url,
)
from ansible_collections.community.circleci.plugins.module_utils._task import run_task

# tests/standin, on sys.path through conftest
import resources_deploys  # pylint: disable=import-error
from server import fixed_id  # pylint: disable=import-error

ACME = fixed_id('org:gh/acme')
API_PROJECT = fixed_id('project:gh/acme/api')
UTC = datetime.timezone.utc
ROLLBACK = dict(project_slug='gh/acme/api', component_name='api-server', environment_name='production',
                current_version='1.1.0', target_version='1.0.0')


def params_of(task_class, **params):
    values = dict((name, option.get('default')) for name, option in task_class.argument_spec.items())
    values.update(params)
    return values


@pytest.fixture
def client(standin):
    made = CircleCIClient(api_token=standin.token, api_url=standin.url, timeout=5)
    made.backoff_base = 0.01
    return made


def run(task_class, client, check_mode=False, sleep=None, clock=None, **params):
    """Run a task as execute() does; answer (result, warnings)."""
    kwargs = {}
    if sleep is not None:
        kwargs.update(sleep=sleep, clock=clock)
    task = task_class(client, params_of(task_class, **params), check_mode, {'changed': False}, **kwargs)
    run_task(task)
    return task.result, task.warnings


def last_month():
    """The whole previous calendar month (at most 31 days, all in the past)."""
    first = datetime.datetime.now(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    start = (first - datetime.timedelta(days=1)).replace(day=1)
    return start.strftime('%Y-%m-%dT%H:%M:%SZ'), first.strftime('%Y-%m-%dT%H:%M:%SZ')


def ago(**delta):
    return (datetime.datetime.now(UTC) - datetime.timedelta(**delta)).strftime('%Y-%m-%dT%H:%M:%SZ')


def rollbacks(standin):
    return list(standin.app.state.rollbacks.values())


def seed(standin, kind, obj):
    with standin.app.lock:
        answer = standin.app.seeders[kind](standin.app, obj)
    return answer


def live_version(standin, component='api-server', environment='production'):
    with standin.app.lock:
        resources_deploys.tick(standin.app)
        component = [c for c in standin.app.state.deploy_components.values() if c['name'] == component][0]
        env = [e for e in standin.app.state.deploy_environments.values() if e['name'] == environment and e['org_id'] == ACME][0]
        return resources_deploys.live_releases(component)[env['id']]['version']


class SharedClock:
    """A fake clock that the task and the stand-in's usage exports share: a sleep moves both on at
    once and takes no time, so minutes of polling run in a fraction of a second."""

    def __init__(self, standin):
        self.standin = standin
        self.now = 1000.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds
        with self.standin.app.lock:
            self.standin.app.config['clock_offset'] = float(self.standin.app.config.get('clock_offset') or 0) + seconds


# -- pure helpers ------------------------------------------------------------------------------------

def test_file_names_are_the_urls_without_gz_and_unique():
    urls = ['https://s3.example/bucket/usage/abc-001.csv.gz?X-Amz-Signature=0123456789abcdef',
            'https://s3.example/bucket/usage/abc-002.csv.gz',
            'https://s3.example/other/abc-002.csv.gz?sig=1',
            'https://s3.example/../%2E%2E',
            'https://s3.example/a%2Fb.csv.gz']
    assert file_names(urls) == ['abc-001.csv', 'abc-002.csv', 'abc-002-3.csv', 'usage-004.csv', 'b.csv']


def test_hide_url_masks_the_query_and_each_signed_value():
    url = 'https://s3.example/f.csv.gz?expires=1767225600&nonce=0011223344556677&signature=deadbeefcafebabe'
    text = ("HTTPSConnectionPool(host='s3.example'): Max retries exceeded with url: /f.csv.gz?expires=1767225600"
            "&nonce=0011223344556677&signature=deadbeefcafebabe; <SignatureProvided>deadbeefcafebabe</SignatureProvided>")
    hidden = hide_url(text, url)
    for secret in ('deadbeefcafebabe', '0011223344556677', '1767225600'):
        assert secret not in hidden
    assert '/f.csv.gz?********' in hidden and 's3.example' in hidden


def chunks(data, size):
    return [data[i:i + size] for i in range(0, len(data), size)]


@pytest.mark.parametrize('size', [1, 7, 1024, 10 ** 6])
def test_decompress_streams_gzip_members_and_plain_text(size):
    text = b''.join(b'row,%d\n' % n for n in range(5000))
    out = io.BytesIO()
    assert decompress(chunks(gzip.compress(text), size), out) == (len(text), 5000)
    assert out.getvalue() == text
    # Two members, one after the other, as gzip allows.
    out = io.BytesIO()
    assert decompress(chunks(gzip.compress(text[:100]) + gzip.compress(text[100:]), size), out)[0] == len(text)
    assert out.getvalue() == text
    # Already decompressed (a proxy did it): written as it is.
    out = io.BytesIO()
    assert decompress(chunks(text, size), out) == (len(text), 5000)


def test_decompress_refuses_a_cut_stream():
    with pytest.raises(ValueError):
        decompress([gzip.compress(b'a,b\n' * 1000)[:-20]], io.BytesIO())


# -- rollback ------------------------------------------------------------------------------------------

def test_rollback_check_mode_sends_nothing(standin, client):
    result, dummy = run(Rollback, client, check_mode=True, **dict(ROLLBACK, project_slug=None, project_id=API_PROJECT))
    assert result['changed'] is True and not result.get('failed'), result
    assert result['rollback'] == {'id': None, 'rollback_type': None}
    assert result['diff'] == {'before': {'component': 'api-server', 'environment': 'production', 'version': '1.1.0'},
                              'after': {'component': 'api-server', 'environment': 'production', 'version': '1.0.0'}}
    assert standin.requests == [] and rollbacks(standin) == []
    # By slug, the project is read for its id: one GET, no write.
    result, dummy = run(Rollback, client, check_mode=True, **ROLLBACK)
    assert result['changed'] is True and not result.get('failed')
    assert [(r['method'], r['path']) for r in standin.requests] == [('GET', '/project/gh/acme/api')]
    assert rollbacks(standin) == []


def test_rollback_starts_a_pipeline_and_waits_for_success(standin, client):
    standin.reset(pipeline_setup_seconds=0.02, job_seconds=0.05)
    result, dummy = run(Rollback, client, wait=True, poll_interval=0.02, reason='smoke tests failed',
                        parameters={'notify': True}, **ROLLBACK)
    assert not result.get('failed'), result
    assert result['changed'] is True
    assert [(r['method'], r['path']) for r in standin.writes] == [('POST', '/projects/%s/rollback' % API_PROJECT)]
    body = standin.writes[0]['body']
    assert body == {'component_name': 'api-server', 'environment_name': 'production', 'current_version': '1.1.0',
                    'target_version': '1.0.0', 'reason': 'smoke tests failed', 'parameters': {'notify': True}}
    rollback = rollbacks(standin)[0]
    assert result['rollback'] == {'id': rollback['id'], 'rollback_type': 'PIPELINE'}
    assert result['pipeline']['id'] == rollback['id'] and result['pipeline']['project_slug'] == 'gh/acme/api'
    assert [(w['name'], w['status']) for w in result['workflows']] == [('rollback', 'success')]
    number = result['pipeline']['number']
    assert result['progress'][0] == ('rollback of api-server in production: from 1.1.0 to 1.0.0 started (PIPELINE %s)' % rollback['id'])
    assert result['progress'][-1] == 'pipeline gh/acme/api #%s workflow rollback: success' % number
    assert live_version(standin) == '1.0.0'


def test_rollback_wait_to_failure_names_the_failed_job(standin, client):
    standin.reset(pipeline_setup_seconds=0.02, job_seconds=0.05)
    seed(standin, 'rollback_plans', {'workflows': [{'name': 'rollback', 'jobs': [{'name': 'revert', 'outcome': 'failed'}]}]})
    result, dummy = run(Rollback, client, wait=True, poll_interval=0.02, **ROLLBACK)
    assert result['failed'] and result['changed'] is True
    pipeline_id = rollbacks(standin)[0]['id']
    assert result['msg'].startswith('pipeline gh/acme/api #%s (id %s) failed: workflow rollback failed: job revert failed (http'
                                    % (result['pipeline']['number'], pipeline_id))
    assert '/jobs/' in result['msg']
    assert live_version(standin) == '1.1.0'
    # fail_on_failure=false: the outcome is in the result, the task succeeds.
    standin.reset(pipeline_setup_seconds=0.02, job_seconds=0.05)
    seed(standin, 'rollback_plans', {'workflows': [{'name': 'rollback', 'jobs': [{'name': 'revert', 'outcome': 'failed'}]}]})
    result, dummy = run(Rollback, client, wait=True, poll_interval=0.02, fail_on_failure=False, **ROLLBACK)
    assert not result.get('failed') and result['workflows'][0]['status'] == 'failed'


def test_rollback_conflict_fails_with_circleci_message(standin, client):
    seed(standin, 'rollbacks', {})
    before = len(rollbacks(standin))
    result, dummy = run(Rollback, client, **ROLLBACK)
    assert result['failed'] and result['changed'] is False
    assert result['msg'] == ('POST /projects/%s/rollback: 409 Conflict: Another command is being handled for this project: '
                             'try again once it is done.' % API_PROJECT)
    assert result['status'] == 409
    assert len(rollbacks(standin)) == before


def test_rollback_of_a_version_no_longer_live_fails_with_circleci_message(standin, client):
    result, dummy = run(Rollback, client, **dict(ROLLBACK, current_version='1.2.0'))
    assert result['failed'] and result['changed'] is False
    assert result['msg'] == ('POST /projects/%s/rollback: 400 Bad Request: current_version 1.2.0 is not the version deployed '
                             'in production (1.1.0)' % API_PROJECT)


@pytest.mark.parametrize('fault', [
    {'status': 500, 'after': True},
    {'status': 502, 'after': True},
    {'kind': 'reset', 'after': True},
    {'kind': 'reset'},
])
def test_rollback_lost_answer_is_not_sent_again(standin, client, fault):
    standin.faults(dict(fault, method='POST', path='/rollback$', count=1))
    result, dummy = run(Rollback, client, wait=True, poll_interval=0.02, **ROLLBACK)
    assert result['failed'] and result['changed'] is True
    assert 'CircleCI may have started the rollback all the same; it was not sent again' in result['msg']
    assert result['msg'].startswith('POST /projects/%s/rollback: ' % API_PROJECT)
    assert len(standin.writes) == 1
    assert len(rollbacks(standin)) == (1 if fault.get('after') else 0)


def test_rollback_of_another_type_is_not_waited_for(standin, client):
    standin.reset(rollback_type='COMMAND')
    result, warnings = run(Rollback, client, wait=True, poll_interval=0.02, **ROLLBACK)
    assert not result.get('failed') and result['changed'] is True
    assert result['rollback']['rollback_type'] == 'COMMAND' and 'workflows' not in result
    assert warnings == ['wait: the rollback is of type COMMAND, not a pipeline; CircleCI gives no way to follow it, '
                        'so it was not waited for']
    assert [r['method'] for r in standin.requests] == ['GET', 'POST']


@pytest.mark.parametrize('change, option', [
    (dict(project_slug='gh/acme'), 'project_slug'),
    (dict(project_slug=None, project_id='nope'), 'project_id'),
    (dict(component_name=' '), 'component_name'),
    (dict(target_version='1.1.0'), 'target_version'),
    (dict(reason=''), 'reason'),
    (dict(parameters={'x': [1]}), 'parameters.x'),
    (dict(wait=True, poll_interval=0), 'poll_interval'),
])
def test_rollback_bad_input_sends_nothing(standin, client, change, option):
    result, dummy = run(Rollback, client, **dict(ROLLBACK, **change))
    assert result['failed'] and result['msg'].startswith(option + ': ')
    assert standin.requests == []


# -- usage export ------------------------------------------------------------------------------------

def usage(**params):
    start, end = last_month()
    return dict(dict(org_slug='gh/acme', start=start, end=end, poll_interval=6), **params)


@pytest.fixture
def fake_clock(standin):
    return SharedClock(standin)


def test_a_month_is_downloaded_and_decompressed_into_dest(standin, client, fake_clock, tmp_path):
    dest = tmp_path / 'reports' / 'august'
    result, warnings = run(UsageExport, client, sleep=fake_clock.sleep, clock=fake_clock.clock, **usage(dest=str(dest)))
    assert not result.get('failed'), result
    assert warnings == [] and result['changed'] is True
    export = standin.app.state.usage_exports[result['usage_export']['id']]
    names = resources_deploys.file_names(export)
    assert result['files'] == [str(dest / name[:-3]) for name in names]
    assert result['usage_export']['state'] == 'completed'
    assert result['usage_export']['start'] == usage()['start'] and 'download_urls' not in result['usage_export']
    dump = state_files(standin)[export['id']]
    for path, index in zip(result['files'], range(len(names))):
        with open(path, newline='') as handle:
            rows = list(csv.reader(handle))
        assert rows[0] == resources_deploys.USAGE_COLUMNS
        assert len(rows) == 1 + standin.app.config['usage_export_rows']
        assert rows[1][0] == ACME and rows[1][-1] == str(sum(int(v) for v in rows[1][-5:-1]))
        with open(path, 'rb') as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == dump[index]['sha256']
    assert sorted(os.listdir(str(dest))) == sorted(os.path.basename(p) for p in result['files'])
    # Progress: the export's states, then one line per file, none with a URL.
    assert result['progress'][-2:] == ['usage export %s: downloaded %s (%d bytes, %d lines)' % (
        export['id'], path, os.path.getsize(path), 4) for path in result['files']]
    assert 'usage export %s: completed' % export['id'] in result['progress']
    assert '/_files/' not in json.dumps(result) and 'signature' not in json.dumps(result)


def state_files(standin):
    with standin.app.lock:
        dumped = [d for d in (dump(standin.app, False) for dump in standin.app.state_dumpers) if 'usage_exports' in d][0]
    return dict((e['usage_export_job_id'], e['files']) for e in dumped['usage_exports'])


def test_downloads_carry_no_circle_token(standin, client, fake_clock, tmp_path):
    result, dummy = run(UsageExport, client, sleep=fake_clock.sleep, clock=fake_clock.clock, **usage(dest=str(tmp_path)))
    assert not result.get('failed'), result
    files = [r for r in standin.requests if r.get('file')]
    assert len(files) == 2 and all(r['status'] == 200 for r in files)
    assert [(r['circle_token'], r['authorization']) for r in files] == [(False, False)] * 2
    assert [(d['circle_token'], d['authorization']) for d in standin.app.state.usage_downloads] == [(False, False)] * 2
    # The API requests did carry it (the stand-in answers 401 without).
    assert [r['status'] for r in standin.requests if not r.get('file')] == [200, 201] + [200] * (len(standin.requests) - 4)


def test_files_served_with_content_encoding_are_still_decompressed(standin, client, fake_clock, tmp_path):
    standin.reset(usage_file_content_encoding=True)
    result, dummy = run(UsageExport, client, sleep=fake_clock.sleep, clock=fake_clock.clock, **usage(dest=str(tmp_path)))
    assert not result.get('failed'), result
    with open(result['files'][0]) as handle:
        assert handle.readline().startswith('organization_id,organization_name,')


def test_status_reads_never_exceed_ten_a_minute(standin, client, fake_clock, tmp_path):
    # Five minutes of processing: with poll_interval 1 (raised to 6), about fifty reads.
    standin.reset(usage_export_created_seconds=30, usage_export_processing_seconds=270)
    result, warnings = run(UsageExport, client, sleep=fake_clock.sleep, clock=fake_clock.clock,
                           **usage(poll_interval=1, dest=str(tmp_path)))
    assert not result.get('failed'), result
    assert warnings == ["poll_interval: 1s raised to 6s: CircleCI allows 10 reads of an export's status a minute"]
    reads = standin.app.state.usage_status_reads
    assert len(reads) >= 45
    assert all(r['status'] == 200 for r in reads)
    assert resources_deploys.max_per_minute([r['time'] for r in reads]) <= 10
    assert min(fake_clock.sleeps) > 0 and sum(fake_clock.sleeps) >= 295
    # Any 60 seconds of the task's own clock hold at most 10 reads too: they start 6 s apart.
    assert all(s >= 6 - 1e-6 for s in fake_clock.sleeps)


def test_without_the_floor_the_same_wait_would_read_too_often(standin, client, fake_clock, tmp_path, monkeypatch):
    """The check above can fail: with no floor, poll_interval 1 reads 60 times a minute."""
    monkeypatch.setattr(_deploys, 'USAGE_MIN_POLL', 0.5)
    standin.reset(usage_export_created_seconds=30, usage_export_processing_seconds=270, usage_export_reads_per_minute=0)
    result, dummy = run(UsageExport, client, sleep=fake_clock.sleep, clock=fake_clock.clock, **usage(poll_interval=1))
    assert not result.get('failed'), result
    assert resources_deploys.max_per_minute([r['time'] for r in standin.app.state.usage_status_reads]) > 10


@pytest.mark.parametrize('change, option, words', [
    (dict(end=ago(seconds=0)), 'end', 'CircleCI takes at most 31 days'),           # 32 days and more
    (dict(start=ago(days=10), end=ago(days=-1)), 'end', 'is in the future'),
    (dict(start=ago(days=2), end=ago(days=3)), 'end', 'is not after start'),
    (dict(start=ago(days=400), end=ago(days=390)), 'start', 'more than 365 days ago'),
    (dict(org_slug=None, org_id='acme'), 'org_id', 'is not a UUID'),
    (dict(shared_org_ids=['x']), 'shared_org_ids', 'is not a UUID'),
    (dict(wait=False, dest='/tmp/x'), 'dest', 'needs wait=true'),
    (dict(wait=False, return_download_urls=True), 'return_download_urls', 'needs wait=true'),
])
def test_usage_export_bad_input_sends_nothing(standin, client, change, option, words):
    params = usage(**change)
    if 'end' in change and 'start' not in change:
        params['start'] = ago(days=32)
    result, dummy = run(UsageExport, client, **params)
    assert result['failed'] and result['msg'].startswith(option + ': ') and words in result['msg'], result['msg']
    assert result['changed'] is False
    assert standin.requests == []


def test_usage_export_dest_that_is_a_file_is_refused(standin, client, tmp_path):
    (tmp_path / 'file').write_text(u'x')
    result, dummy = run(UsageExport, client, **usage(dest=str(tmp_path / 'file')))
    assert result['failed'] and result['msg'] == 'dest: %s exists and is not a directory' % (tmp_path / 'file')
    assert standin.requests == []


def test_usage_export_check_mode_sends_nothing_and_creates_nothing(standin, client, tmp_path):
    dest = tmp_path / 'new'
    result, dummy = run(UsageExport, client, check_mode=True, **usage(org_slug=None, org_id=ACME, dest=str(dest)))
    assert result['changed'] is True and not result.get('failed')
    assert result['usage_export']['id'] is None and result['files'] == []
    assert standin.requests == [] and not dest.exists()


@pytest.mark.parametrize('no_files_as', ['null', 'empty', 'absent'])
def test_an_export_without_data_is_ok_with_a_warning(standin, client, fake_clock, tmp_path, no_files_as):
    standin.reset(usage_export_no_files_as=no_files_as)
    seed(standin, 'usage_export_plans', {'files': 0})
    result, warnings = run(UsageExport, client, sleep=fake_clock.sleep, clock=fake_clock.clock,
                           **usage(dest=str(tmp_path), return_download_urls=True))
    assert not result.get('failed'), result
    assert result['changed'] is True and result['files'] == [] and result['usage_export']['download_urls'] == []
    export_id = result['usage_export']['id']
    assert warnings == ['usage export %s completed without files: the window from %s to %s held no usage'
                        % (export_id, result['usage_export']['start'], result['usage_export']['end'])]


def test_a_failed_export_fails_with_circleci_reason(standin, client, fake_clock):
    seed(standin, 'usage_export_plans', {'outcome': 'failed', 'error_reason': 'The usage data is not available yet.'})
    result, dummy = run(UsageExport, client, sleep=fake_clock.sleep, clock=fake_clock.clock, **usage())
    assert result['failed'] and result['changed'] is True
    assert result['msg'] == 'usage export %s (from %s to %s) failed: The usage data is not available yet.' % (
        result['usage_export']['id'], result['usage_export']['start'], result['usage_export']['end'])
    assert result['usage_export']['state'] == 'failed'


def test_urls_only_when_asked(standin, client, fake_clock):
    result, dummy = run(UsageExport, client, sleep=fake_clock.sleep, clock=fake_clock.clock, **usage(return_download_urls=True))
    urls = result['usage_export']['download_urls']
    assert len(urls) == 2 and all('/_files/usage/' in u and 'signature=' in u for u in urls)
    assert 'files' not in result and not any(r.get('file') for r in standin.requests)


def test_without_wait_the_export_is_only_created(standin, client):
    result, dummy = run(UsageExport, client, **usage(wait=False, org_slug=None, org_id=ACME))
    assert not result.get('failed') and result['changed'] is True
    assert result['usage_export']['state'] == 'created'
    assert [(r['method'], r['status']) for r in standin.requests] == [('POST', 201)]


def test_wait_timeout_names_the_export(standin, client, fake_clock):
    standin.reset(usage_export_processing_seconds=3600)
    result, dummy = run(UsageExport, client, sleep=fake_clock.sleep, clock=fake_clock.clock, **usage(wait_timeout=60))
    assert result['failed'] and result['changed'] is True
    assert result['msg'].startswith('wait_timeout: usage export %s (from ' % result['usage_export']['id'])
    assert 'is still processing after 60s' in result['msg'] and 'usage_export_id %s' % result['usage_export']['id'] in result['msg']


@pytest.mark.parametrize('fault', [{'status': 500, 'after': True}, {'kind': 'reset', 'after': True}])
def test_usage_export_lost_answer_is_not_sent_again(standin, client, fault):
    standin.faults(dict(fault, method='POST', path='/usage_export_job$', count=1))
    result, dummy = run(UsageExport, client, **usage())
    assert result['failed'] and result['changed'] is True
    assert 'CircleCI may have created the export all the same; it was not sent again' in result['msg']
    assert len(standin.writes) == 1 and len(standin.app.state.usage_exports) == 1


def test_a_refused_download_never_shows_the_url(standin, client, fake_clock, tmp_path):
    standin.reset(usage_url_ttl=-60)
    result, dummy = run(UsageExport, client, sleep=fake_clock.sleep, clock=fake_clock.clock, **usage(dest=str(tmp_path)))
    assert result['failed'] and result['changed'] is True
    assert result['msg'].startswith('download of usage-') and '403 Forbidden' in result['msg']
    assert 'Request has expired' in result['msg']
    text = json.dumps(result)
    assert 'signature=' not in text and 'nonce' not in text and '/_files/' not in text
    assert os.listdir(str(tmp_path)) == []


def test_a_dropped_download_never_shows_the_url(standin, client, fake_clock, tmp_path):
    standin.faults({'path': '^/_files/', 'kind': 'reset', 'count': 1})
    result, dummy = run(UsageExport, client, sleep=fake_clock.sleep, clock=fake_clock.clock, **usage(dest=str(tmp_path)))
    assert result['failed'] and result['msg'].startswith('download of usage-')
    assert 'signature=' not in json.dumps(result) and 'nonce=' not in json.dumps(result)
    assert os.listdir(str(tmp_path)) == []


def test_dest_that_cannot_be_made_fails_before_the_export(standin, client, tmp_path):
    (tmp_path / 'file').write_text(u'x')
    result, dummy = run(UsageExport, client, **usage(dest=str(tmp_path / 'file' / 'below')))
    assert result['failed'] and result['msg'].startswith('dest: cannot create %s' % (tmp_path / 'file' / 'below'))
    assert result['changed'] is False and standin.writes == []


def test_a_download_is_a_plain_request_with_the_clients_tls_and_timeout(standin, fake_clock, tmp_path, monkeypatch):
    """No session (so none of its headers), the client's validate_certs and timeout, the body as it came."""
    calls = []
    real_get = _deploys.requests.get

    def get(url, **kwargs):
        calls.append(kwargs)
        return real_get(url, **kwargs)

    monkeypatch.setattr(_deploys.requests, 'get', get)
    client = CircleCIClient(api_token=standin.token, api_url=standin.url, timeout=7, validate_certs=False)
    result, dummy = run(UsageExport, client, sleep=fake_clock.sleep, clock=fake_clock.clock, **usage(dest=str(tmp_path)))
    assert not result.get('failed'), result
    assert len(calls) == 2
    for kwargs in calls:
        assert kwargs['verify'] is False and kwargs['timeout'] == 7 and kwargs['stream'] is True
        assert set(kwargs['headers']) == {'User-Agent'}
