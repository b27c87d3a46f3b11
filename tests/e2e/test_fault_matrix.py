# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The fault matrix: the full provisioning play plus a trigger-and-wait (playbooks/provision.yml)
against the stand-in under each fault.

For each fault the play either ends in the desired state, or fails at the expected step with a
message naming the call (method and path) and the cause. Either way the stand-in's own state
shows nothing lost (no variable deleted or overwritten that should stay) and nothing doubled
(at most one context, webhook, schedule, checkout key and pipeline). Then the play runs again
without faults: it converges to the desired state, and a run after that (or that run itself,
when the faulty run succeeded) reports no change and sends no write.

Each case's measurements (per step: outcome, time, requests and their statuses) go to
tests/output/e2e/fault_matrix/<case>.json; docs/reliability.md holds them as a table.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import collections
import json
import os
import re

import pytest

from conftest import COLLECTION_DIR, load_vars

VARS = load_vars('provision_vars.yml')
STEPS = ('context', 'context variables', 'shared context variables (purge)', 'project variables', 'webhook', 'schedule',
         'checkout key', 'trigger and wait')
OWNER = VARS['e2e_owner']
PROJECT = VARS['e2e_project']
REPORT_DIR = os.path.join(COLLECTION_DIR, 'tests', 'output', 'e2e', 'fault_matrix')

# Seeded before each play: what must never be lost.
STALE = {'STALE': 'e2e-Stale-S3cret-c2Wn7Ko1'}
SHARED_SEED = dict((v['name'], v['value']) for v in VARS['e2e_shared_variables'] if v['name'].startswith('KEEP_'))
BYSTANDER = {'name': 'e2e-bystander', 'variables': {'OTHER_TEAM_TOKEN': 'e2e-Bystander-S3cret-r5Gh2Jy8'}}
PROJECT_SEED = {'KEEP_PROJECT': 'e2e-KeepProject-S3cret-t9Ds4Mw3'}
WEB_SEED = {'WEB_ONLY': 'e2e-WebOnly-S3cret-v1Qa6Nc7'}


class Case:
    def __init__(self, name, title, faults=(), config=None, extra=None, token=None, fails=None, message=None, landed=False, warns=None):
        self.name = name
        self.title = title
        self.faults = list(faults)
        self.config = dict(config or {})
        self.extra = dict(extra or {})
        self.token = token
        self.fails = fails  # the step that must fail, or None: the play must succeed
        self.message = message  # a regex the failed step's msg must match
        # Whether the failed step's write happened all the same (the fault came after it).
        self.landed = landed
        # A regex a warning of the run must match (a lost answer the play recovered from).
        self.warns = warns

    @property
    def left_over(self):
        """The steps a convergence run (which does not deploy) has left to change."""
        if self.fails is None:
            return []
        start = STEPS.index(self.fails) + (1 if self.landed else 0)
        return [step for step in STEPS[start:] if step != 'trigger and wait']


CASES = [
    Case('rate_limit_every_3rd', '429 on every third request (Retry-After: 0)',
         config={'rate_limit_every': 3, 'retry_after': 0},
         # Concurrent writers share the pause, and one writer can land on a third request twice in a row.
         extra={'e2e_max_retries': 8}),
    Case('503_bursts', '503 bursts on a list, on upserts (PUT) and on the pipeline polls',
         faults=[{'method': 'GET', 'path': '^/context$', 'status': 503, 'count': 2},
                 {'method': 'PUT', 'status': 503, 'count': 2},
                 {'method': 'GET', 'path': '^/pipeline/', 'status': 503, 'count': 2}]),
    # The create's answer was lost, but the schedule is there: adopted (one schedule), not failed.
    Case('503_after_schedule_create', '503 answered after the schedule was created',
         faults=[{'method': 'POST', 'path': '/schedule$', 'status': 503, 'after': True}],
         warns=r"POST /project/gh/acme/api/schedule: 503 Service Unavailable: Injected fault: the answer was lost, "
               r"but the schedule 'nightly-e2e' is there now \(id [0-9a-f-]+\): adopted, not created again"),
    Case('503_after_trigger', '503 answered after the pipeline was created',
         faults=[{'method': 'POST', 'path': '/pipeline$', 'status': 503, 'after': True}],
         fails='trigger and wait',
         message=r'^POST /project/gh/acme/api/pipeline: 503 Service Unavailable: Injected fault\. CircleCI may have '
                 r'created the pipeline all the same; it was not triggered again', landed=True),
    Case('latency_all_over_timeout', 'every answer slower than timeout (latency 1.6 s, timeout 1 s)',
         config={'latency': 1.6}, extra={'e2e_timeout': 1, 'e2e_max_retries': 1},
         fails='context', message=r'^GET /context: request failed after 2 attempts: timed out: '),
    Case('latency_one_read_and_create_over_timeout',
         'one variable list and the webhook create answered after timeout (2.5 s, timeout 1.5 s)',
         faults=[{'kind': 'delay', 'seconds': 2.5, 'method': 'GET', 'path': '/envvar$', 'count': 1},
                 {'kind': 'delay', 'seconds': 2.5, 'method': 'POST', 'path': '^/webhook$', 'count': 1}],
         extra={'e2e_timeout': 1.5}, fails='webhook', message=r'^POST /webhook: request failed: timed out: ', landed=True),
    Case('reset_mid_response', 'connection reset mid-response on a list, an upsert and a poll',
         faults=[{'kind': 'partial', 'method': 'GET', 'path': '/environment-variable$', 'count': 1},
                 {'kind': 'reset', 'method': 'PUT', 'after': True, 'count': 1},
                 {'kind': 'partial', 'method': 'GET', 'path': '^/pipeline/', 'count': 1}]),
    # Issue 13: every create whose answer is lost is adopted, not sent twice; a lost DELETE
    # that a retry finds gone is done.
    Case('reset_after_creates_and_a_delete',
         'connection dropped after the context and webhook creates and after the purge delete',
         faults=[{'kind': 'reset', 'method': 'POST', 'path': '^/context$', 'after': True},
                 {'kind': 'reset', 'method': 'POST', 'path': '^/webhook$', 'after': True},
                 {'kind': 'reset', 'method': 'DELETE', 'path': '/environment-variable/STALE$', 'after': True}],
         warns=r"the answer was lost, but the context '[^']+' is there now"),
    Case('reset_after_key_create', 'connection reset after the checkout key was created',
         faults=[{'kind': 'reset', 'method': 'POST', 'path': '/checkout-key$', 'after': True}],
         fails='checkout key', message=r'^POST /project/gh/acme/api/checkout-key: request failed: connection error: ', landed=True),
    Case('html_proxy_page', 'an HTML error page from a proxy (502) on a read and on the webhook create',
         faults=[{'kind': 'html', 'status': 502, 'method': 'GET', 'path': '^/project/gh/acme/api$', 'count': 1},
                 {'kind': 'html', 'status': 502, 'method': 'POST', 'path': '^/webhook$', 'message': 'Bad Gateway'}],
         fails='webhook', message=r'^POST /webhook: 502 Bad Gateway: the answer is not JSON \(text/html\): 502 Bad Gateway'),
    Case('unauthorized_401', 'a wrong or revoked token (401)', token='CCIPAT_e2e_Wr0ngT0ken_Xq7Lm2Bv',
         fails='context', message=r'^GET /context: 401 Unauthorized: You must log in first\.$'),
    Case('forbidden_403', "a token that may not write the project's variables (403)",
         faults=[{'method': 'POST', 'path': '^/project/gh/acme/api/envvar$', 'status': 403, 'count': 0,
                  'message': 'Permission denied'}],
         fails='project variables',
         message=r'^POST /project/gh/acme/api/envvar: 403 Forbidden: Permission denied \[writing variable \w+ failed.*'
                 r'0 write\(s\) completed'),
    Case('project_404', 'a project that does not exist (404)', extra={'e2e_project': 'gh/acme/no-such-repo'},
         fails='project variables', message=r'^GET /project/gh/acme/no-such-repo/envvar: 404 Not Found: Project not found$'),
]


def seed(standin):
    standin.seed(
        contexts=[{'name': VARS['e2e_shared_context'], 'owner_slug': OWNER, 'variables': dict(SHARED_SEED, **STALE)},
                  dict(BYSTANDER, owner_slug=OWNER)],
        project_variables=[{'project_slug': PROJECT, 'variables': PROJECT_SEED},
                           {'project_slug': 'gh/acme/web', 'variables': WEB_SEED}])


def declared(key):
    return dict((v['name'], v['value']) for v in VARS[key])


def contexts_named(state, name):
    return [c for c in state['contexts'] if c['name'] == name]


def project(state, slug):
    return [p for p in state['projects'] if p['slug'] == slug][0]


def webhooks(state):
    project_id = project(state, PROJECT)['id']
    return [h for h in state['webhooks'] if h['scope_id'] == project_id and h['name'] == VARS['e2e_webhook']['name']]


def schedules(state):
    return [s for s in state['schedules'] if s['project-slug'] == PROJECT and s['name'] == VARS['e2e_schedule']['name']]


def deploy_keys(state):
    return [k for k in state['checkout_keys'] if k['project_slug'] == PROJECT and k['type'] == 'deploy-key']


def pipelines(state):
    return [p for p in state['pipelines'] if p['project_slug'] == PROJECT]


def assert_nothing_lost_or_doubled(state):
    """What must hold after any run, however it ended."""
    # Nothing lost: what the play keeps, and what it never touches, is there with its value.
    shared = contexts_named(state, VARS['e2e_shared_context'])
    assert len(shared) == 1
    for name, value in SHARED_SEED.items():
        assert shared[0]['variables'].get(name) == value, 'shared context variable %s lost or changed' % name
    bystander = contexts_named(state, BYSTANDER['name'])
    assert len(bystander) == 1 and bystander[0]['variables'] == BYSTANDER['variables']
    for name, value in PROJECT_SEED.items():
        assert project(state, PROJECT)['envvars'].get(name) == value, 'project variable %s lost or changed' % name
    assert project(state, 'gh/acme/web')['envvars'] == WEB_SEED
    # Whatever was written holds the declared value (no half-written or crossed value).
    allowed = {
        VARS['e2e_context']: declared('e2e_context_variables'),
        VARS['e2e_shared_context']: dict(declared('e2e_shared_variables'), **STALE),
        BYSTANDER['name']: BYSTANDER['variables'],
    }
    assert set(c['name'] for c in state['contexts']) <= set(allowed), 'unexpected context'
    for context in state['contexts']:
        for name, value in context['variables'].items():
            assert allowed[context['name']].get(name) == value, 'context %s: unexpected %s' % (context['name'], name)
    for name, value in project(state, PROJECT)['envvars'].items():
        assert dict(declared('e2e_project_variables'), **PROJECT_SEED).get(name) == value, 'unexpected project variable %s' % name
    # Nothing doubled.
    assert len(contexts_named(state, VARS['e2e_context'])) <= 1, 'context created twice'
    assert len(webhooks(state)) <= 1, 'webhook created twice'
    assert len(schedules(state)) <= 1, 'schedule created twice'
    assert len(deploy_keys(state)) <= 1, 'checkout key created twice'
    assert len(pipelines(state)) <= 1, 'pipeline triggered twice'
    # Nothing anywhere else.
    assert all(p['envvars'] == {} for p in state['projects'] if p['slug'] not in (PROJECT, 'gh/acme/web'))
    assert [h for h in state['webhooks'] if h not in webhooks(state)] == []
    assert [s for s in state['schedules'] if s not in schedules(state)] == []
    assert [k for k in state['checkout_keys'] if k not in deploy_keys(state)] == []


def assert_desired(state, pipeline_count):
    """The state the play declares, exactly once each."""
    assert_nothing_lost_or_doubled(state)
    assert contexts_named(state, VARS['e2e_context'])[0]['variables'] == declared('e2e_context_variables')
    assert contexts_named(state, VARS['e2e_shared_context'])[0]['variables'] == declared('e2e_shared_variables')
    assert project(state, PROJECT)['envvars'] == dict(declared('e2e_project_variables'), **PROJECT_SEED)
    hooks = webhooks(state)
    assert len(hooks) == 1
    hook = VARS['e2e_webhook']
    assert (hooks[0]['url'], sorted(hooks[0]['events']), hooks[0]['verify_tls'], hooks[0]['signing_secret']) == (
        hook['url'], sorted(hook['events']), True, hook['signing_secret'])
    found = schedules(state)
    assert len(found) == 1
    assert found[0]['timetable'] == {'per-hour': 1, 'hours-of-day': [2, 14], 'days-of-week': ['MON', 'WED', 'FRI']}
    assert found[0]['parameters'] == VARS['e2e_schedule']['parameters']
    assert len(deploy_keys(state)) == 1
    assert len(pipelines(state)) == pipeline_count


def step_measures(run, standin):
    """Per step of the play: outcome, seconds, requests and their statuses (0: no answer)."""
    steps = collections.OrderedDict()
    for step in STEPS:
        if not run.has(step):
            steps[step] = {'outcome': 'not run'}
            continue
        record = run.task(step)
        requests = standin.requests(record['seq_start'] or 0, record['seq_end'])
        statuses = collections.Counter(r['status'] for r in requests)
        steps[step] = {
            'outcome': record['status'],
            'seconds': record['seconds'],
            'requests': len(requests),
            'writes': sum(1 for r in requests if r['method'] != 'GET'),
            'statuses': dict((str(k), v) for k, v in sorted(statuses.items())),
        }
        if record['status'] == 'failed':
            steps[step]['msg'] = record['result'].get('msg')
    return steps


def write_report(case, report):
    os.makedirs(REPORT_DIR, exist_ok=True)
    with open(os.path.join(REPORT_DIR, case.name + '.json'), 'w') as handle:
        json.dump(report, handle, indent=1)


@pytest.mark.parametrize('case', CASES, ids=[c.name for c in CASES])
def test_fault(case, standin, runner):
    seed(standin)
    standin.configure(**case.config)
    standin.faults(*case.faults)

    run = runner.play('provision.yml', standin, extra_vars=case.extra, token=case.token)
    standin.settle()
    fired = [dict(rule.spec, fired=rule.fired) for rule in standin.app.faults]
    state = standin.state()
    steps = step_measures(run, standin)
    faulty_requests = standin.requests()
    report = {'case': case.name, 'index': CASES.index(case), 'step_order': list(STEPS), 'title': case.title,
              'seconds': round(run.seconds, 2), 'rc': run.rc, 'steps': steps,
              'faults': fired, 'config': case.config, 'extra_vars': case.extra,
              'requests': len(faulty_requests),
              'not_2xx': sum(1 for r in faulty_requests if not 200 <= r['status'] < 300)}

    # Every fault rule took effect, or the case proves nothing.
    assert all(rule['fired'] for rule in fired), 'a fault never fired: %s' % fired
    if case.config.get('rate_limit_every'):
        assert any(r['status'] == 429 for r in faulty_requests)

    if case.fails is None:
        assert run.rc == 0, run.tail()
        assert [r['task'] for r in run.records] == list(STEPS)
        assert not run.failed
        assert_desired(state, pipeline_count=1)
        pipeline = pipelines(state)[0]
        assert [w['status'] for w in pipeline['workflows']] == ['success']
        assert run.task('trigger and wait')['result']['workflows'][0]['status'] == 'success'
        if case.warns:
            assert re.search(case.warns, run.text), run.tail()
    else:
        assert run.rc != 0, run.tail()
        assert [r['task'] for r in run.failed] == [case.fails], run.tail()
        message = run.task(case.fails)['result']['msg']
        assert re.search(case.message, message), message
        # The steps before it succeeded, and none after it ran.
        index = STEPS.index(case.fails)
        assert [r['task'] for r in run.records] == list(STEPS[:index + 1])
        assert_nothing_lost_or_doubled(state)
    if case.token:
        assert case.token not in run.text
    assert standin.token not in run.text

    # Without the fault, the play converges (without deploying again): it changes exactly what the
    # faulty run left undone, and the steps that run completed (even those that failed after their
    # write landed) report no change, so nothing is done twice.
    standin.clear_faults()
    standin.configure(rate_limit_every=0, latency=0.0, retry_after=1)
    mark = standin.seq
    converge = runner.play('provision.yml', standin, extra_vars={'e2e_trigger': False})
    assert converge.rc == 0, converge.tail()
    standin.settle()
    assert [r['task'] for r in converge.changed] == case.left_over
    if not case.left_over:
        assert standin.writes(mark) == []
    pipeline_count = 1 if case.fails in (None, 'trigger and wait') else 0
    assert_desired(standin.state(), pipeline_count=pipeline_count)
    report['converge'] = {'changed': case.left_over, 'writes': len(standin.writes(mark)), 'seconds': round(converge.seconds, 2)}
    write_report(case, report)
