# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Deploy automation (module_utils/_pipelines.py): the rules of "finished", the input checks, and
the trigger, wait, approve, cancel and rerun against the stand-in over real HTTP."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import json

import pytest

from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIClient
from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIError, CircleCIInputError, CircleCIStateError
from ansible_collections.community.circleci.plugins.module_utils._pipelines import PipelineTrigger, WorkflowAction
from ansible_collections.community.circleci.plugins.module_utils._task import run_task
from ansible_collections.community.circleci.plugins.module_utils._validation import check_pipeline_parameters as check_parameters
from ansible_collections.community.circleci.plugins.module_utils._wait import latest_per_name, pipeline_done

PIPELINE_ID = '5034460f-c7c4-4c43-9457-de07e2029e7b'


def defaults(spec_function, **params):
    values = dict((name, option.get('default')) for name, option in spec_function().items())
    values.update(params)
    return values


def trigger_params(**params):
    return defaults(lambda: PipelineTrigger.argument_spec, **params)


def workflow_params(**params):
    return defaults(lambda: WorkflowAction.argument_spec, **params)


class NoCalls:
    """A client that fails the test if anything is sent."""

    def __getattr__(self, name):
        raise AssertionError('a request was made: %s' % name)


class FakeClock:
    """Time that moves one second per look, and sleeps that take none."""

    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def clock(self):
        self.now += 1.0
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)


@pytest.fixture
def client(standin):
    made = CircleCIClient(api_token=standin.token, api_url=standin.url, timeout=5)
    made.backoff_base = 0.01
    return made


@pytest.fixture
def fast(standin):
    """Stand-in timings of a few hundredths of a second, and a way to seed plans."""
    standin.reset(pipeline_setup_seconds=0.02, job_seconds=0.05)

    def plan(**spec):
        with standin.app.lock:
            standin.app.seeders['pipeline_plans'](standin.app, spec)
    return plan


def pipelines(standin):
    return list(standin.app.state.pipelines.values())


# -- the pure rules ------------------------------------------------------------------------------

@pytest.mark.parametrize('state, statuses, stop_on_hold, done', [
    ('pending', [], False, False),
    ('setup-pending', [], False, False),
    ('created', [], False, False),                        # no workflow yet: not finished
    ('errored', [], False, True),                         # final, with its errors
    ('created', ['running'], False, False),
    ('created', ['success', 'failing'], False, False),
    ('created', ['success', 'failed'], False, True),
    ('created', ['on_hold'], False, False),
    ('created', ['on_hold', 'success'], True, True),
    ('created', ['on_hold', 'running'], True, False),
    ('created', ['canceled', 'not_run', 'unauthorized', 'error'], False, True),
    ('setup', ['success'], False, False),                 # continued workflows are on their way
    ('setup', ['failed'], False, True),
])
def test_pipeline_done(state, statuses, stop_on_hold, done):
    workflows = [{'name': 'w%d' % i, 'status': s} for i, s in enumerate(statuses)]
    assert pipeline_done({'state': state}, workflows, stop_on_hold) is done


def test_latest_per_name_keeps_the_newest_run():
    workflows = [
        {'id': 'b2', 'name': 'build', 'created_at': '2026-01-01T00:00:02.000Z'},
        {'id': 'd1', 'name': 'deploy', 'created_at': '2026-01-01T00:00:01.000Z'},
        {'id': 'b1', 'name': 'build', 'created_at': '2026-01-01T00:00:01.000Z'},
    ]
    assert [w['id'] for w in latest_per_name(workflows)] == ['d1', 'b2']


def test_check_parameters_limits_and_types():
    assert check_parameters(None) is None
    assert check_parameters({'a': True, 'b': 3, 'c': 'x' * 512}) == {'a': True, 'b': 3, 'c': 'x' * 512}
    with pytest.raises(CircleCIInputError, match=r'^parameters\.c: the value is 513 characters long'):
        check_parameters({'c': 'x' * 513})
    with pytest.raises(CircleCIInputError, match=r'^parameters: 101 parameters given'):
        check_parameters(dict(('p%d' % i, i) for i in range(101)))
    with pytest.raises(CircleCIInputError, match=r'^parameters: parameter name'):
        check_parameters({'n' * 129: 1})
    for value, kind in ((1.5, 'a float'), ([1], 'a list'), ({'a': 1}, 'a dictionary'), (None, 'null')):
        with pytest.raises(CircleCIInputError, match=r'^parameters\.v: must be a string, an integer or a boolean, not %s$' % kind):
            check_parameters({'v': value})


@pytest.mark.parametrize('params, message', [
    (dict(project_slug='acme/api'), r"^project_slug: 'acme/api' is not a project slug"),
    (dict(project_slug='gh/acme/api', configuration='x'), r'^configuration: is only used with continuation_key$'),
    (dict(project_slug='gh/acme/api', branch=' '), r'^branch: must not be empty$'),
    (dict(project_slug='gh/acme/api', wait=True, wait_timeout=0), r'^wait_timeout: must be a positive'),
    (dict(project_slug='gh/acme/api', poll_interval=0), r'^poll_interval: must be a positive'),
    (dict(continuation_key='k', configuration='c', wait=True), r'^wait: cannot be used with continuation_key'),
    (dict(continuation_key='k', configuration=''), r'^configuration: must be a non-empty string'),
    (dict(continuation_key='k', configuration=['a']), r'^configuration: must be a non-empty string'),
    (dict(continuation_key='', configuration='c'), r'^continuation_key: must not be empty$'),
])
def test_trigger_bad_input_sends_nothing(params, message):
    trigger = PipelineTrigger(NoCalls(), trigger_params(**params), False, {})
    with pytest.raises(CircleCIInputError, match=message):
        trigger.run()


@pytest.mark.parametrize('params, message', [
    (dict(action='rerun', from_failed=True, jobs=['build']), r'^from_failed: cannot be used with jobs'),
    (dict(action='rerun', enable_ssh=True), r'^enable_ssh: needs jobs'),
    (dict(action='rerun', sparse_tree=True, from_failed=True), r'^sparse_tree: needs jobs'),
    (dict(action='rerun', jobs=[]), r'^jobs: must name at least one job$'),
    (dict(action='cancel', jobs=['build']), r'^jobs: is only used with action=rerun$'),
    (dict(action='cancel', approval_job='hold'), r'^approval_job: is only used with action=approve$'),
    (dict(action='approve', approval_job='hold', enable_ssh=True), r'^enable_ssh: is only used with action=rerun$'),
    (dict(action='cancel', wait=True), r'^wait: is not used with action=cancel'),
    (dict(action='approve', approval_request_id='nope'), r"^approval_request_id: 'nope' is not a UUID"),
    (dict(action='cancel', workflow_id='nope'), r"^workflow_id: 'nope' is not a UUID"),
    (dict(action='cancel', workflow_id=None, pipeline_id=PIPELINE_ID, workflow_name=''), r'^workflow_name: must not be empty$'),
])
def test_workflow_bad_input_sends_nothing(params, message):
    params.setdefault('workflow_id', PIPELINE_ID)
    action = WorkflowAction(NoCalls(), workflow_params(**params), False, {})
    with pytest.raises(CircleCIInputError, match=message):
        action.run()


def test_configuration_dict_is_sent_as_json():
    assert json.loads(PipelineTrigger.configuration_text({'version': 2.1, 'jobs': {}})) == {'version': 2.1, 'jobs': {}}
    assert PipelineTrigger.configuration_text('version: 2.1\n') == 'version: 2.1\n'


# -- trigger and wait against the stand-in -----------------------------------------------------------

def test_trigger_and_wait_reports_every_workflow_and_job(standin, client, fast):
    fast(branch='main', workflows=[
        {'name': 'build', 'jobs': [{'name': 'a'}, {'name': 'b', 'requires': ['a']}, {'name': 'c', 'requires': ['a']}]},
        {'name': 'lint', 'jobs': [{'name': 'lint'}]},
    ])
    lines = []
    result = {'changed': False}
    PipelineTrigger(client, trigger_params(project_slug='gh/acme/api', branch='main', wait=True, poll_interval=0.02,
                                           parameters={'deploy_prod': True}),
                    False, result, progress=lines.append).run()
    assert result['changed'] is True
    assert [w['name'] for w in result['workflows']] == ['build', 'lint']
    assert all(w['status'] == 'success' for w in result['workflows'])
    build = [w for w in result['workflows'] if w['name'] == 'build'][0]
    assert [j['name'] for j in build['jobs']] == ['a', 'b', 'c']  # two pages of jobs
    assert all(j['status'] == 'success' for j in build['jobs'])
    assert len(pipelines(standin)) == 1
    posts = standin.writes
    assert [(r['method'], r['path']) for r in posts] == [('POST', '/project/gh/acme/api/pipeline')]
    assert posts[0]['body'] == {'branch': 'main', 'parameters': {'deploy_prod': True}}
    # Progress: one line per change, the trigger first, each line once, and the same lines in the result.
    assert lines == result['progress']
    assert lines[0].startswith('pipeline gh/acme/api #1: triggered on branch main (id ')
    assert len(lines) == len(set(lines))
    assert 'pipeline gh/acme/api #1 workflow build job b: success' in lines
    assert lines.index('pipeline gh/acme/api #1 workflow build job c: success') < lines.index('pipeline gh/acme/api #1 workflow build: success')


def test_failed_workflow_names_failed_jobs_with_web_urls(standin, client, fast):
    fast(branch='main', workflows=[{'name': 'deploy', 'jobs': [
        {'name': 'build'}, {'name': 'migrate', 'requires': ['build'], 'outcome': 'failed'},
        {'name': 'smoke', 'requires': ['build'], 'outcome': 'timedout'}, {'name': 'ship', 'requires': ['migrate']}]}])
    result = {'changed': False}
    with pytest.raises(CircleCIStateError) as info:
        PipelineTrigger(client, trigger_params(project_slug='gh/acme/api', branch='main', wait=True, poll_interval=0.02),
                        False, result).run()
    message = str(info.value)
    workflow = result['workflows'][0]
    jobs = dict((j['name'], j) for j in workflow['jobs'])
    assert message.startswith('pipeline gh/acme/api #1 (id %s) failed: workflow deploy failed: ' % result['pipeline']['id'])
    assert 'job migrate failed (%s)' % jobs['migrate']['web_url'] in message
    assert 'job smoke timedout (%s)' % jobs['smoke']['web_url'] in message
    assert jobs['migrate']['web_url'].endswith('/workflows/%s/jobs/%d' % (workflow['id'], jobs['migrate']['job_number']))
    assert 'ship' not in message and jobs['ship']['status'] == 'not_run'
    assert 'web_url' not in jobs['build']
    assert len(standin.writes) == 1


def test_failed_workflow_with_fail_on_failure_false(standin, client, fast):
    fast(branch='main', workflows=[{'name': 'w', 'jobs': [{'name': 'x', 'outcome': 'failed'}]}])
    result = {'changed': False}
    PipelineTrigger(client, trigger_params(project_slug='gh/acme/api', branch='main', wait=True, poll_interval=0.02,
                                           fail_on_failure=False), False, result).run()
    assert result['workflows'][0]['status'] == 'failed'


def test_timeout_names_the_pipeline_and_leaves_it_running(standin, client, fast):
    fast(branch='main', workflows=[{'name': 'slow', 'jobs': [{'name': 'forever', 'duration': 3600}]}])
    time = FakeClock()
    result = {'changed': False}
    with pytest.raises(CircleCIStateError) as info:
        PipelineTrigger(client, trigger_params(project_slug='gh/acme/api', branch='main', wait=True, wait_timeout=5,
                                               poll_interval=2), False, result, sleep=time.sleep, clock=time.clock).run()
    pipeline = pipelines(standin)[0]
    assert str(info.value).startswith('wait_timeout: pipeline gh/acme/api #1 (id %s) did not finish within 5s (state ' % pipeline['id'])
    assert 'left running' in str(info.value)
    # The sleeps never overshoot the deadline.
    assert time.sleeps and all(0 < s <= 2 for s in time.sleeps)
    assert [r['method'] for r in standin.writes] == ['POST']
    assert result['pipeline']['number'] == 1


def test_errored_pipeline_is_final_and_fails_with_its_errors(standin, client, fast):
    fast(branch='main', errors=[{'type': 'config', 'message': 'no workflow'}])
    result = {'changed': False}
    with pytest.raises(CircleCIStateError, match=r'errored before any workflow ran: config: no workflow$'):
        PipelineTrigger(client, trigger_params(project_slug='gh/acme/api', branch='main', wait=True, poll_interval=0.02),
                        False, result).run()
    assert result['workflows'] == []


def test_stop_on_hold_ends_the_wait_at_an_approval(standin, client, fast):
    fast(branch='main', workflows=[{'name': 'w', 'jobs': [{'name': 'b'}, {'name': 'hold', 'type': 'approval', 'requires': ['b']}]}])
    result = {'changed': False}
    PipelineTrigger(client, trigger_params(project_slug='gh/acme/api', branch='main', wait=True, poll_interval=0.02,
                                           stop_on_hold=True), False, result).run()
    assert result['workflows'][0]['status'] == 'on_hold'


def test_check_mode_triggers_nothing_but_reads_the_project(standin, client):
    result = {'changed': False}
    PipelineTrigger(client, trigger_params(project_slug='gh/acme/api', wait=True), True, result).run()
    assert result == {'changed': True, 'pipeline': {}, 'triggered': False}
    assert [(r['method'], r['path']) for r in standin.requests] == [('GET', '/project/gh/acme/api')]
    assert pipelines(standin) == []


@pytest.mark.parametrize('fault', [
    {'status': 500, 'after': True},
    {'status': 502, 'after': True},
    {'kind': 'reset'},
])
def test_trigger_post_is_never_sent_twice(standin, client, fault):
    spec = dict(fault, method='POST', path='^/project/gh/acme/api/pipeline$', count=1)
    standin.faults(spec)
    result = {'changed': False}
    with pytest.raises(CircleCIError) as info:
        PipelineTrigger(client, trigger_params(project_slug='gh/acme/api'), False, result).run()
    assert 'may have created the pipeline all the same; it was not triggered again' in str(info.value)
    assert str(info.value).startswith('POST /project/gh/acme/api/pipeline: ')
    assert result['changed'] is True
    assert len(standin.writes) == 1
    assert len(pipelines(standin)) == (0 if fault.get('kind') == 'reset' else 1)


def test_trigger_post_refused_is_not_a_change(standin, client):
    result = {'changed': False}
    with pytest.raises(CircleCIError) as info:
        PipelineTrigger(client, trigger_params(project_slug='gh/acme/api', parameters={'nope': 1}), False, result).run()
    assert str(info.value) == 'POST /project/gh/acme/api/pipeline: 400 Bad Request: Unexpected argument(s): nope'
    assert result['changed'] is False


def test_trigger_post_is_retried_after_429(standin, client):
    standin.faults({'method': 'POST', 'path': '^/project/gh/acme/api/pipeline$', 'status': 429, 'retry_after': 0, 'count': 1})
    result = {'changed': False}
    PipelineTrigger(client, trigger_params(project_slug='gh/acme/api'), False, result).run()
    assert [r['status'] for r in standin.writes] == [429, 201]
    assert len(pipelines(standin)) == 1


def test_continuation(standin, client):
    standin.reset(pipeline_setup_seconds=0, job_seconds=0.05)
    with standin.app.lock:
        seeded = standin.app.seeders['pipelines'](standin.app, {'setup': True, 'age': 0,
                                                                'continue_workflows': [{'name': 'next', 'jobs': [{'name': 'n'}]}]})
    key = seeded['continuation_key']
    result = {'changed': False}
    operation = PipelineTrigger(client, trigger_params(continuation_key=key, configuration={'version': 2.1},
                                                       parameters={'x': 1}), False, result)
    run_task(operation)
    assert result == {'changed': True, 'pipeline': {}, 'message': 'Pipeline continued.'}
    assert standin.writes[0]['body'] == {'continuation-key': key, 'configuration': '{"version": 2.1}', 'parameters': {'x': 1}}
    pipeline = standin.app.state.pipelines[seeded['id']]
    assert pipeline['state'] == 'created' and pipeline['continued']
    # The key works once.
    again = {'changed': False}
    run_task(PipelineTrigger(client, trigger_params(continuation_key=key, configuration='c'), False, again))
    assert again['failed'] and again['msg'].startswith('POST /pipeline/continue: 400 Bad Request: ')
    assert key not in json.dumps(result) + json.dumps(again)


# -- workflows against the stand-in ----------------------------------------------------------------

def seed(standin, **pipeline):
    with standin.app.lock:
        return standin.app.seeders['pipelines'](standin.app, pipeline)


def test_approve_by_name_then_again(standin, client):
    standin.reset(job_seconds=0.05)
    seeded = seed(standin, workflows=[{'name': 'release', 'jobs': [
        {'name': 'build'}, {'name': 'hold', 'type': 'approval', 'requires': ['build']}, {'name': 'ship', 'requires': ['hold']}]}])
    workflow = seeded['workflows'][0]
    hold = workflow['jobs'][1]
    result = {'changed': False}
    WorkflowAction(client, workflow_params(pipeline_id=seeded['id'], workflow_name='release', action='approve',
                                           approval_job='hold', wait=True, poll_interval=0.02), False, result).run()
    assert result['changed'] is True
    assert [r['path'] for r in standin.writes] == ['/workflow/%s/approve/%s' % (workflow['id'], hold['approval_request_id'])]
    assert result['workflow']['status'] == 'success'
    assert result['diff'] == {'before': {'approval_job': 'hold', 'status': 'on_hold'},
                              'after': {'approval_job': 'hold', 'status': 'success'}}
    again = {'changed': False}
    WorkflowAction(client, workflow_params(workflow_id=workflow['id'], action='approve',
                                           approval_request_id=hold['approval_request_id']), False, again).run()
    assert again['changed'] is False
    assert len(standin.writes) == 1


def test_approve_unknown_job_lists_the_approval_jobs(standin, client):
    seeded = seed(standin, workflows=[{'name': 'w', 'jobs': [{'name': 'gate', 'type': 'approval'}, {'name': 'b', 'requires': ['gate']}]}])
    workflow = seeded['workflows'][0]
    with pytest.raises(CircleCIStateError) as info:
        WorkflowAction(client, workflow_params(workflow_id=workflow['id'], action='approve', approval_job='b'), False, {}).run()
    assert str(info.value) == ("approval_job: workflow w (id %s) has no approval job 'b'; its approval jobs: gate "
                               "(approval_request_id %s, on_hold)" % (workflow['id'], workflow['jobs'][0]['approval_request_id']))
    assert standin.writes == []


def test_cancel_running_then_finished(standin, client):
    standin.reset(job_seconds=60)
    workflow = seed(standin, age=0, workflows=[{'name': 'w', 'jobs': [{'name': 'x'}]}])['workflows'][0]
    check = {'changed': False}
    WorkflowAction(client, workflow_params(workflow_id=workflow['id'], action='cancel'), True, check).run()
    assert check['changed'] and standin.writes == []
    result = {'changed': False}
    WorkflowAction(client, workflow_params(workflow_id=workflow['id'], action='cancel'), False, result).run()
    assert result['changed'] and result['workflow']['status'] == 'canceled'
    again = {'changed': False}
    WorkflowAction(client, workflow_params(workflow_id=workflow['id'], action='cancel'), False, again).run()
    assert again['changed'] is False
    assert len(standin.writes) == 1


def test_rerun_from_failed_returns_the_new_workflow(standin, client):
    standin.reset(job_seconds=0.05)
    workflow = seed(standin, workflows=[{'name': 'w', 'jobs': [
        {'name': 'a'}, {'name': 'b', 'requires': ['a'], 'outcome': 'failed', 'rerun_outcome': 'success'}]}])['workflows'][0]
    result = {'changed': False}
    WorkflowAction(client, workflow_params(workflow_id=workflow['id'], action='rerun', from_failed=True, wait=True,
                                           poll_interval=0.02), False, result).run()
    assert result['workflow_id'] != workflow['id'] and result['rerun_of'] == workflow['id']
    assert result['workflow']['status'] == 'success'
    assert standin.writes[0]['body'] == {'from_failed': True}


def test_rerun_jobs_by_name_and_id(standin, client):
    workflow = seed(standin, workflows=[{'name': 'w', 'jobs': [{'name': 'a'}, {'name': 'b'}, {'name': 'c'}]}])['workflows'][0]
    ids = dict((j['name'], j['id']) for j in workflow['jobs'])
    result = {'changed': False}
    WorkflowAction(client, workflow_params(workflow_id=workflow['id'], action='rerun', jobs=['c', ids['a'].upper()],
                                           enable_ssh=True), False, result).run()
    assert standin.writes[0]['body'] == {'jobs': [ids['c'], ids['a']], 'enable_ssh': True}
    with pytest.raises(CircleCIStateError, match=r"^jobs: workflow w \(id [0-9a-f-]+\) has no job named or with id 'd'; its jobs: a \("):
        WorkflowAction(client, workflow_params(workflow_id=workflow['id'], action='rerun', jobs=['d']), False, {}).run()
    assert len(standin.writes) == 1


def test_rerun_of_a_running_workflow_is_refused_before_sending(standin, client):
    standin.reset(job_seconds=60)
    workflow = seed(standin, age=0, workflows=[{'name': 'w', 'jobs': [{'name': 'x'}]}])['workflows'][0]
    with pytest.raises(CircleCIStateError, match=r'is running: only a finished workflow can be rerun$'):
        WorkflowAction(client, workflow_params(workflow_id=workflow['id'], action='rerun'), False, {}).run()
    assert standin.writes == []


def test_a_pipeline_not_readable_yet_is_waited_for(standin, client, fast):
    standin.faults({'method': 'GET', 'path': '^/pipeline/[^/]+$', 'status': 404, 'count': 2})
    result = {'changed': False}
    PipelineTrigger(client, trigger_params(project_slug='gh/acme/api', wait=True, poll_interval=0.02), False, result).run()
    assert result['workflows'][0]['status'] == 'success'
    assert 'pipeline gh/acme/api #1: not readable yet (404)' in result['progress']


def test_a_pipeline_that_disappears_fails(standin, client, fast):
    fast(branch='main', workflows=[{'name': 'w', 'jobs': [{'name': 'x', 'duration': 60}]}])
    standin.faults({'method': 'GET', 'path': '^/pipeline/[^/]+$', 'status': 404, 'skip': 1, 'count': 1})
    with pytest.raises(CircleCIError, match=r'^GET /pipeline/[0-9a-f-]+: 404 Not Found'):
        PipelineTrigger(client, trigger_params(project_slug='gh/acme/api', wait=True, poll_interval=0.02), False, {}).run()
