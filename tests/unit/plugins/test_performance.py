# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The performance targets of docs/performance.md that can be asserted without timing anything.

Request counts and connections come from the stand-in's own record; the waiting runs on a fake
clock. Wall time is measured by benchmarks/run.py, never asserted here.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import logging
import math

import pytest


from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIClient
from ansible_collections.community.circleci.plugins.module_utils._pipelines import PipelineTrigger
from ansible_collections.community.circleci.plugins.module_utils._wait import Watch, wait_for_pipeline
from ansible_collections.community.circleci.plugins.modules import circleci_context, circleci_envvar

PROJECT = 'gh/acme/api'
PAGE = 20


def variables(count, prefix='PERF'):
    return [{'name': '%s_%03d' % (prefix, i), 'value': 'perf-value-%06d' % i} for i in range(count)]


def seed(standin, kind, *objects):
    with standin.app.lock:
        return [standin.app.seeders[kind](standin.app, obj) for obj in objects]


def connections(requests):
    return set(r['connection'] for r in requests)


# -- circleci_envvar ------------------------------------------------------------------------------

@pytest.mark.parametrize('count', [1, PAGE, 45])
def test_idempotent_rerun_sends_only_the_listing_pages(run_module, standin, count):
    standin.reset(page_size=PAGE)
    declared = variables(count)
    failed, result = run_module(circleci_envvar, project_slug=PROJECT, variables=declared)
    assert not failed and len(result['created']) == count
    assert len(standin.writes) == count
    del standin.app.log[:]

    failed, result = run_module(circleci_envvar, project_slug=PROJECT, variables=declared)
    assert not failed and not result['changed']
    pages = math.ceil(count / float(PAGE))
    listing = '/project/%s/envvar' % PROJECT
    assert [(r['method'], r['path']) for r in standin.requests] == [('GET', listing)] * pages
    assert standin.writes == []
    assert len(connections(standin.requests)) == 1


def test_first_run_sends_one_listing_then_only_the_writes(run_module, standin):
    standin.reset(page_size=PAGE, latency=0.01)
    seed(standin, 'project_variables', {'project_slug': PROJECT, 'variables': {
        'PERF_000': 'perf-value-000000', 'PERF_001': 'stale', 'UNDECLARED': 'old-value'}})
    failed, result = run_module(circleci_envvar, project_slug=PROJECT, variables=variables(30), purge=True)
    assert not failed
    assert (len(result['created']), result['updated'], result['deleted']) == (28, ['PERF_001'], ['UNDECLARED'])
    gets = [r for r in standin.requests if r['method'] == 'GET']
    assert len(gets) == 1  # three variables: one page
    assert standin.requests[0] == gets[0]  # every write comes after the one listing
    assert len(standin.writes) == 28 + 1 + 1


def test_listing_and_writes_share_a_few_connections(run_module, standin):
    # The listing and the context lookup on one connection; the writes on at most MAX_WRITERS,
    # one of which may be the listing's own. Latency makes the writes overlap.
    standin.reset(page_size=PAGE, latency=0.02)
    seed(standin, 'contexts', *[{'name': 'filler-%02d' % i, 'owner_slug': 'gh/acme'} for i in range(25)])
    context = seed(standin, 'contexts', {'name': 'perf', 'owner_slug': 'gh/acme'})[0]
    failed, result = run_module(circleci_envvar, context_name='perf', owner_slug='gh/acme', variables=variables(16))
    assert not failed and len(result['created']) == 16
    gets = [r for r in standin.requests if r['method'] == 'GET']
    assert [r['path'] for r in gets] == ['/context', '/context', '/context/%s/environment-variable' % context['id']]
    assert len(connections(gets)) == 1
    assert 1 <= len(connections(standin.writes)) <= circleci_envvar.MAX_WRITERS
    assert len(connections(standin.requests)) <= circleci_envvar.MAX_WRITERS


def test_connection_pool_holds_every_concurrent_writer(standin):
    # requests keeps at most pool_maxsize idle connections per host; with more writers than that,
    # urllib3 would discard connections and open new ones ("Connection pool is full").
    client = CircleCIClient(api_token=standin.token, api_url=standin.url)
    for url in ('https://circleci.com', client.base_url):
        adapter = client.session.get_adapter(url)
        assert adapter._pool_maxsize >= circleci_envvar.MAX_WRITERS  # pylint: disable=protected-access


def test_concurrent_writes_never_overflow_the_pool(run_module, standin, caplog):
    standin.reset(page_size=PAGE, latency=0.02)
    with caplog.at_level(logging.WARNING, logger='urllib3'):
        failed, result = run_module(circleci_envvar, project_slug=PROJECT, variables=variables(24))
    assert not failed and len(result['created']) == 24
    assert not [r for r in caplog.records if 'pool is full' in r.getMessage()]


# -- circleci_context -------------------------------------------------------------------------------

def test_ensuring_one_context_among_many_reads_each_page_once(run_module, standin):
    standin.reset(page_size=PAGE)
    seed(standin, 'contexts', *[{'name': 'ctx-%03d' % i, 'owner_slug': 'gh/acme'} for i in range(45)])
    failed, result = run_module(circleci_context, name='ctx-044', owner_slug='gh/acme')
    assert not failed and not result['changed']
    assert [(r['method'], r['path']) for r in standin.requests] == [('GET', '/context')] * 3
    assert len(connections(standin.requests)) == 1
    del standin.app.log[:]
    failed, result = run_module(circleci_context, name='ctx-new', owner_slug='gh/acme')
    assert not failed and result['changed']
    assert [(r['method'], r['path']) for r in standin.requests] == [('GET', '/context')] * 3 + [('POST', '/context')]
    assert len(connections(standin.requests)) == 1


# -- waiting --------------------------------------------------------------------------------------

class FakeTime:
    """A clock that moves only when slept on, or when a request takes its time."""

    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        assert seconds > 0
        self.sleeps.append(seconds)
        self.now += seconds


class OnePipeline:
    """CircleCI as seen by one pipeline whose only workflow finishes at ``finish`` (fake time).

    Each request takes ``latency``; its answer shows the state at the moment it is answered.
    ``sent`` records (start, end, path) of every request.
    """

    def __init__(self, time, finish, latency=0.05, setup=3.0):
        self.time = time
        self.finish = finish
        self.latency = latency
        self.setup = setup
        self.sent = []

    def _answered(self, path):
        start = self.time.now
        self.time.now += self.latency
        self.sent.append((start, self.time.now, path))
        return self.time.now

    def get(self, path, params=None):
        now = self._answered(path)
        assert path == '/pipeline/P'
        return {'id': 'P', 'number': 7, 'project_slug': PROJECT, 'state': 'created' if now >= self.setup else 'pending'}

    def list(self, path, params=None):
        now = self._answered(path)
        status = 'success' if now >= self.finish else 'running'
        if path == '/pipeline/P/workflow':
            if now < self.setup:
                return []
            return [{'id': 'W', 'name': 'deploy', 'status': status, 'project_slug': PROJECT,
                     'created_at': '2026-01-01T00:00:00.000Z'}]
        assert path == '/workflow/W/job'
        return [{'id': 'J', 'name': 'build', 'type': 'build', 'status': status, 'job_number': 1}]


def wait_params(**params):
    values = dict((name, option.get('default')) for name, option in PipelineTrigger.argument_spec.items())
    values.update(params)
    return values


def polls_of(service):
    return [start for start, end, path in service.sent if path == '/pipeline/P']


@pytest.mark.parametrize('finish', [3.5, 42.0, 95.0, 90.09, 90.11, 120.2, 119.99])
def test_polls_are_one_interval_apart_and_a_finish_is_seen_within_one(finish):
    time = FakeTime()
    service = OnePipeline(time, finish)
    result = {}
    wait_for_pipeline(Watch(service, sleep=time.sleep, clock=time.clock), {'id': 'P', 'number': 7, 'project_slug': PROJECT},
                      wait_params(poll_interval=10, wait_timeout=600), result)
    assert result['workflows'][0]['status'] == 'success'
    polls = polls_of(service)
    # Polls start exactly poll_interval apart: never closer, and the requests' own time not added.
    assert [round(b - a, 9) for a, b in zip(polls, polls[1:])] == [10.0] * (len(polls) - 1)
    # The poll that decides is the first whose workflow list is answered after the finish.
    assert len(polls) == math.ceil((finish - 2 * service.latency) / 10.0) + 1
    # The read that decided it answered within one interval after the finish.
    decided = [end for start, end, path in service.sent if path == '/pipeline/P/workflow'][-1]
    assert 0 <= decided - finish <= 10.0
    # Requests per poll: the pipeline and its workflows; once there are workflows, their jobs too.
    early = sum(1 for start in polls if start + 2 * service.latency < service.setup)
    assert len(service.sent) == 2 * early + 3 * (len(polls) - early)


def test_a_poll_slower_than_the_interval_is_followed_at_once_never_sooner():
    time = FakeTime()
    service = OnePipeline(time, finish=60.0, latency=4.0, setup=0.0)
    wait_for_pipeline(Watch(service, sleep=time.sleep, clock=time.clock), {'id': 'P', 'number': 7, 'project_slug': PROJECT},
                      wait_params(poll_interval=10, wait_timeout=600), {})
    polls = polls_of(service)
    assert [round(b - a, 9) for a, b in zip(polls, polls[1:])] == [12.0] * (len(polls) - 1)
    assert time.sleeps == []


def test_the_last_poll_comes_at_the_deadline_not_after():
    time = FakeTime()
    service = OnePipeline(time, finish=10 ** 6)
    result = {}
    with pytest.raises(Exception, match='wait_timeout'):
        wait_for_pipeline(Watch(service, sleep=time.sleep, clock=time.clock), {'id': 'P', 'number': 7, 'project_slug': PROJECT},
                          wait_params(poll_interval=10, wait_timeout=35), result)
    assert [round(p, 9) for p in polls_of(service)] == [0.0, 10.0, 20.0, 30.0, 35.0]


def test_waiting_on_the_stand_in_uses_one_connection(standin):
    standin.reset(pipeline_setup_seconds=0.02, job_seconds=0.05)
    seed(standin, 'pipeline_plans', {'project_slug': PROJECT, 'branch': 'perf', 'workflows': [
        {'name': 'deploy', 'jobs': [{'name': 'build'}, {'name': 'ship', 'requires': ['build']}]}]})
    client = CircleCIClient(api_token=standin.token, api_url=standin.url, timeout=5)
    result = {'changed': False}
    PipelineTrigger(client, wait_params(project_slug=PROJECT, branch='perf', wait=True, poll_interval=0.02),
                    False, result).run()
    assert [w['status'] for w in result['workflows']] == ['success']
    polls = [r for r in standin.requests if r['path'] == '/pipeline/%s' % result['pipeline']['id']]
    assert len(polls) >= 2
    assert len(connections(standin.requests)) == 1
    assert [r['method'] for r in standin.writes] == ['POST']
