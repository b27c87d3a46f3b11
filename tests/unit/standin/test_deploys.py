# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The stand-in's deploys, rollback, cancel by job id and usage exports (resources_deploys.py)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import csv
import datetime
import gzip
import hashlib
import io
import time

from urllib.parse import parse_qs, urlsplit

import pytest
import requests

# tests/unit/conftest.py puts tests/standin on sys.path.
import resources_deploys  # pylint: disable=import-error
from server import fixed_id  # pylint: disable=import-error

ZERO = '00000000-0000-0000-0000-000000000000'
ACME = fixed_id('org:gh/acme')
OTHER = fixed_id('org:gh/other')
FORBIDDEN = fixed_id('org:gh/forbidden')
API_PROJECT = fixed_id('project:gh/acme/api')
WEB_PROJECT = fixed_id('project:gh/acme/web')
API_SERVER = fixed_id('deploy-component:gh/acme/api/api-server')
PRODUCTION = fixed_id('deploy-env:gh/acme/production')
STAGING = fixed_id('deploy-env:gh/acme/staging')
COMPONENT_KEYS = {'id', 'name', 'project_id', 'labels', 'release_count', 'created_at', 'updated_at'}
VERSION_KEYS = {'name', 'environment_id', 'namespace', 'is_live', 'pipeline_id', 'workflow_id', 'job_id', 'job_number',
                'last_deployed_at'}
ROLLBACK = {'component_name': 'api-server', 'environment_name': 'production', 'current_version': '1.1.0',
            'target_version': '1.0.0'}


def api(standin, method, path, token=True, **kwargs):
    headers = {'Circle-Token': standin.token} if token else {}
    return requests.request(method, standin.url + '/api/v2' + path, headers=headers, timeout=10, **kwargs)


def control(standin, method, name, **kwargs):
    answer = requests.request(method, standin.url + '/_standin/' + name, timeout=10, **kwargs)
    assert answer.status_code == 200, answer.text
    return answer.json()


def seed(standin, **kinds):
    return control(standin, 'POST', 'seed', json=kinds)


def state(standin):
    return control(standin, 'GET', 'state')


def advance(standin, seconds):
    """Move the module's clock on without sleeping."""
    offset = control(standin, 'GET', 'config')['clock_offset']
    control(standin, 'POST', 'config', json={'clock_offset': offset + seconds})


def all_items(standin, path, **params):
    items, pages = [], 0
    while True:
        answer = api(standin, 'GET', path, params=params)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert set(body) == {'items', 'next_page_token'}
        items.extend(body['items'])
        pages += 1
        if not body['next_page_token']:
            return items, pages
        params['page-token'] = body['next_page_token']


def iso(moment):
    return moment.strftime('%Y-%m-%dT%H:%M:%SZ')


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def window(days=7, end_hours_ago=1):
    end = utcnow() - datetime.timedelta(hours=end_hours_ago)
    return {'start': iso(end - datetime.timedelta(days=days)), 'end': iso(end)}


def create_export(standin, org=ACME, **body):
    body = body or window()
    answer = api(standin, 'POST', '/organizations/%s/usage_export_job' % org, json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def read_export(standin, export_id, org=ACME):
    return api(standin, 'GET', '/organizations/%s/usage_export_job/%s' % (org, export_id))


def completed_export(standin, **body):
    export = create_export(standin, **body)
    advance(standin, 1)
    answer = read_export(standin, export['usage_export_job_id'])
    assert answer.json()['state'] == 'completed'
    return export, answer.json()


def wait_for(predicate, timeout=5.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError('condition not met in %s s' % timeout)


def versions(standin, component=API_SERVER, **params):
    return all_items(standin, '/deploy/components/%s/versions' % component, **params)[0]


def live(standin, environment_id, component=API_SERVER):
    return [v for v in versions(standin, component, **{'environment-id': environment_id}) if v['is_live']]


# -- deploy components, versions, environments -------------------------------------------------------

@pytest.mark.parametrize('params, status, message', [
    ({}, 400, 'org-id is required'),
    ({'org-id': 'acme'}, 400, 'org-id must be a UUID'),
    ({'org-id': fixed_id('org:gh/nobody')}, 404, 'Organization does not exist.'),
    ({'org-id': FORBIDDEN}, 403, 'Permission denied'),
])
@pytest.mark.parametrize('path', ['/deploy/components', '/deploy/environments'])
def test_deploy_lists_need_an_org(standin, path, params, status, message):
    answer = api(standin, 'GET', path, params=params)
    assert (answer.status_code, answer.json()) == (status, {'message': message})


def test_component_list_pages_with_release_count_zero(standin):
    first = api(standin, 'GET', '/deploy/components', params={'org-id': ACME}).json()
    assert len(first['items']) == 2 and first['next_page_token']
    items, pages = all_items(standin, '/deploy/components', **{'org-id': ACME})
    assert pages == 2
    assert [c['name'] for c in items] == ['api-server', 'worker', 'web-frontend']
    for component in items:
        assert set(component) == COMPONENT_KEYS
        assert component['release_count'] == 0
    assert items[0]['id'] == API_SERVER and items[0]['project_id'] == API_PROJECT
    assert items[0]['labels'] == [{'key': 'team', 'value': 'backend'}]
    assert [c['name'] for c in all_items(standin, '/deploy/components', **{'org-id': OTHER})[0]] == ['other-api']


def test_component_list_project_filter(standin):
    items = all_items(standin, '/deploy/components', **{'org-id': ACME, 'project-id': WEB_PROJECT})[0]
    assert [c['name'] for c in items] == ['web-frontend']
    assert all_items(standin, '/deploy/components', **{'org-id': ACME, 'project-id': fixed_id('project:none')})[0] == []
    answer = api(standin, 'GET', '/deploy/components', params={'org-id': ACME, 'project-id': 'web'})
    assert answer.status_code == 400


def test_page_size_only_makes_pages_smaller(standin):
    body = api(standin, 'GET', '/deploy/components', params={'org-id': ACME, 'page-size': 1}).json()
    assert len(body['items']) == 1 and body['next_page_token']
    body = api(standin, 'GET', '/deploy/components', params={'org-id': ACME, 'page-size': 100}).json()
    assert len(body['items']) == 2 and body['next_page_token']
    for bad in ('0', '-1', 'ten'):
        assert api(standin, 'GET', '/deploy/environments', params={'org-id': ACME, 'page-size': bad}).status_code == 400
    assert api(standin, 'GET', '/deploy/environments', params={'org-id': ACME, 'page-token': '!!'}).status_code == 400


def test_get_component_counts_its_releases(standin):
    answer = api(standin, 'GET', '/deploy/components/' + API_SERVER)
    assert answer.status_code == 200
    assert set(answer.json()) == COMPONENT_KEYS
    assert answer.json()['release_count'] == 4
    assert api(standin, 'GET', '/deploy/components/' + fixed_id('deploy-component:none')).json() == {'message': 'Component does not exist.'}
    assert api(standin, 'GET', '/deploy/components/not-a-uuid').status_code == 404
    secret = seed(standin, deploy_components=[{'project_slug': 'gh/forbidden/secret', 'name': 'vault'}])['deploy_components'][0]
    assert api(standin, 'GET', '/deploy/components/' + secret['id']).status_code == 403
    assert api(standin, 'GET', '/deploy/components/%s/versions' % secret['id']).status_code == 403


def test_versions_say_where_they_are_live(standin):
    items = versions(standin)
    for item in items:
        assert set(item) == VERSION_KEYS
    assert [(v['name'], v['environment_id'], v['is_live']) for v in items] == [
        ('1.2.0', STAGING, True), ('1.1.0', PRODUCTION, True), ('1.1.0', STAGING, False), ('1.0.0', PRODUCTION, False)]
    stamps = [v['last_deployed_at'] for v in items]
    assert stamps == sorted(stamps, reverse=True)
    manual = items[-1]
    assert (manual['pipeline_id'], manual['workflow_id'], manual['job_id'], manual['job_number']) == (ZERO, ZERO, ZERO, 0)
    assert all(v['pipeline_id'] != ZERO and v['job_number'] > 0 for v in items[:-1])
    assert items[0]['namespace'] == 'default'
    production = versions(standin, **{'environment-id': PRODUCTION})
    assert [(v['name'], v['is_live']) for v in production] == [('1.1.0', True), ('1.0.0', False)]
    assert versions(standin, **{'environment-id': fixed_id('deploy-env:gh/other/production')}) == []
    answer = api(standin, 'GET', '/deploy/components/%s/versions' % API_SERVER, params={'environment-id': 'production'})
    assert answer.status_code == 400
    assert api(standin, 'GET', '/deploy/components/%s/versions' % fixed_id('x')).status_code == 404


def test_environments(standin):
    items, pages = all_items(standin, '/deploy/environments', **{'org-id': ACME})
    assert pages == 2
    assert [e['name'] for e in items] == ['production', 'staging', 'development']
    assert set(items[0]) == {'created_at', 'description', 'id', 'labels', 'name', 'updated_at'}
    assert items[0]['labels'] == [{'key': 'tier', 'value': 'prod'}]
    assert 'description' not in items[2]
    assert [e['name'] for e in all_items(standin, '/deploy/environments', **{'org-id': OTHER})[0]] == ['production']
    answer = api(standin, 'GET', '/deploy/environments/' + PRODUCTION)
    assert (answer.status_code, answer.json()) == (200, items[0])
    answer = api(standin, 'GET', '/deploy/environments/' + fixed_id('deploy-env:none'))
    assert (answer.status_code, answer.json()) == (404, {'message': 'Environment does not exist.'})
    assert api(standin, 'GET', '/deploy/environments/production').status_code == 400
    hidden = seed(standin, deploy_environments=[{'org_slug': 'gh/forbidden', 'name': 'prod'}])['deploy_environments'][0]
    assert api(standin, 'GET', '/deploy/environments/' + hidden['id']).status_code == 403


def test_seeded_components_versions_and_environments(standin):
    seeded = seed(standin, deploy_environments=[{'name': 'canary', 'description': 'One percent', 'labels': [{'key': 'k', 'value': 'v'}]}],
                  deploy_components=[{'project_slug': 'gh/acme/infra', 'name': 'terraform', 'labels': {'a': 'b'}, 'versions': [
                      {'name': '0.1', 'environment': 'canary'},
                      {'name': '0.2', 'environment': 'canary', 'namespace': 'infra', 'pipeline_id': fixed_id('p'),
                       'job_number': 7},
                  ]}])
    canary = seeded['deploy_environments'][0]
    component = seeded['deploy_components'][0]
    assert canary['labels'] == [{'key': 'k', 'value': 'v'}] and canary['org_id'] == ACME
    assert component['release_count'] == 2 and component['labels'] == [{'key': 'a', 'value': 'b'}]
    items = versions(standin, component['id'])
    assert [(v['name'], v['is_live'], v['namespace'], v['pipeline_id'], v['workflow_id'], v['job_number']) for v in items] == [
        ('0.2', True, 'infra', fixed_id('p'), ZERO, 7), ('0.1', False, 'default', ZERO, ZERO, 0)]
    more = seed(standin, deploy_versions=[{'component_id': component['id'], 'name': '0.3', 'environment': 'canary'}])
    assert more['deploy_versions'][0]['release_count'] == 3
    assert [v['name'] for v in live(standin, canary['id'], component['id'])] == ['0.3']
    bad = requests.post(standin.url + '/_standin/seed', timeout=5,
                        json={'deploy_components': [{'name': 'x', 'versions': [{'name': '1', 'environment': 'moon'}]}]})
    assert bad.status_code == 400 and 'moon' in bad.json()['message']
    dump = state(standin)
    assert 'terraform' in [c['name'] for c in dump['deploy_components']]
    assert [c['release_count'] for c in dump['deploy_components'] if c['name'] == 'terraform'] == [3]
    assert 'canary' in [e['name'] for e in dump['deploy_environments']]


# -- rollback ------------------------------------------------------------------------------------

def rollback(standin, project=API_PROJECT, **body):
    return api(standin, 'POST', '/projects/%s/rollback' % project, json=dict(ROLLBACK, **body))


def finished_rollbacks(standin):
    return [r for r in state(standin)['rollbacks'] if r['status'] != 'running']


def test_rollback_runs_a_pipeline_and_releases_the_target(standin):
    standin.reset(pipeline_setup_seconds=0.02, job_seconds=0.02)
    answer = rollback(standin, namespace='default', reason='1.1.0 is broken', parameters={'dry_run': False, 'region': 'eu'})
    assert answer.status_code == 202
    assert set(answer.json()) == {'id', 'rollback_type'}
    assert answer.json()['rollback_type'] == 'PIPELINE'
    rollback_id = answer.json()['id']
    pipeline = api(standin, 'GET', '/pipeline/' + rollback_id)
    assert pipeline.status_code == 200 and pipeline.json()['project_slug'] == 'gh/acme/api'
    assert [p['parameters'] for p in state(standin)['pipelines'] if p['id'] == rollback_id] == [{'dry_run': False, 'region': 'eu'}]
    wait_for(lambda: finished_rollbacks(standin))
    workflows = api(standin, 'GET', '/pipeline/%s/workflow' % rollback_id).json()['items']
    assert [(w['name'], w['status']) for w in workflows] == [('rollback', 'success')]
    jobs = api(standin, 'GET', '/workflow/%s/job' % workflows[0]['id']).json()['items']
    now_live = live(standin, PRODUCTION)
    assert [(v['name'], v['pipeline_id'], v['workflow_id'], v['job_id'], v['job_number'], v['namespace']) for v in now_live] == [
        ('1.0.0', rollback_id, workflows[0]['id'], jobs[0]['id'], jobs[0]['job_number'], 'default')]
    assert api(standin, 'GET', '/deploy/components/' + API_SERVER).json()['release_count'] == 5
    record = state(standin)['rollbacks'][0]
    assert (record['status'], record['reason'], record['target_version']) == ('success', '1.1.0 is broken', '1.0.0')
    # The version deployed has changed, so the same request is now refused.
    assert rollback(standin).status_code == 400
    assert rollback(standin, current_version='1.0.0', target_version='1.1.0').status_code == 202


def test_failed_rollback_changes_nothing(standin):
    standin.reset(pipeline_setup_seconds=0.02, job_seconds=0.02)
    seed(standin, rollback_plans=[{'project_slug': 'gh/acme/api', 'environment_name': 'production',
                                   'workflows': [{'name': 'rollback', 'jobs': [{'name': 'helm-rollback', 'outcome': 'failed'}]}]}])
    rollback_id = rollback(standin).json()['id']
    wait_for(lambda: finished_rollbacks(standin))
    assert state(standin)['rollbacks'][0]['status'] == 'failed'
    workflows = api(standin, 'GET', '/pipeline/%s/workflow' % rollback_id).json()['items']
    assert [(w['name'], w['status']) for w in workflows] == [('rollback', 'failed')]
    assert [v['name'] for v in live(standin, PRODUCTION)] == ['1.1.0']
    assert api(standin, 'GET', '/deploy/components/' + API_SERVER).json()['release_count'] == 4
    # The plan was for production only: staging rolls back with the default plan.
    assert rollback(standin, environment_name='staging', current_version='1.2.0', target_version='1.1.0').status_code == 202
    workflows = wait_for(lambda: state(standin)['pipelines'][-1]['workflows'])
    assert [j['name'] for j in workflows[0]['jobs']] == ['rollback']


def test_a_deploy_job_releases_its_version_when_it_succeeds(standin):
    standin.reset(pipeline_setup_seconds=0.02, job_seconds=0.02)
    release = {'component': 'api-server', 'environment': 'production', 'version': '1.3.0'}
    seed(standin, pipeline_plans=[
        {'project_slug': 'gh/acme/api', 'branch': 'main', 'workflows': [{'name': 'deploy', 'jobs': [
            {'name': 'build'}, {'name': 'deploy', 'requires': ['build'], 'release': release},
            {'name': 'smoke', 'requires': ['deploy'], 'outcome': 'failed'}]}]},
        {'project_slug': 'gh/acme/api', 'branch': 'broken', 'workflows': [{'name': 'deploy', 'jobs': [
            {'name': 'build', 'outcome': 'failed'}, {'name': 'deploy', 'requires': ['build'], 'release': dict(release, version='9.9.9')}]}]},
    ])
    broken = api(standin, 'POST', '/project/gh/acme/api/pipeline', json={'branch': 'broken'}).json()
    pipeline = api(standin, 'POST', '/project/gh/acme/api/pipeline', json={'branch': 'main'}).json()
    workflows = wait_for(lambda: [w for w in api(standin, 'GET', '/pipeline/%s/workflow' % pipeline['id']).json()['items']
                                  if w['status'] == 'failed'])
    wait_for(lambda: [w for w in api(standin, 'GET', '/pipeline/%s/workflow' % broken['id']).json()['items'] if w['status'] == 'failed'])
    jobs = dict((j['name'], j) for j in api(standin, 'GET', '/workflow/%s/job' % workflows[0]['id']).json()['items'])
    # The deploy job succeeded, so 1.3.0 is live (the smoke test after it failed: that is the play's business);
    # the job of the broken build never ran, so 9.9.9 was never released.
    assert [(v['name'], v['pipeline_id'], v['workflow_id'], v['job_id'], v['job_number']) for v in live(standin, PRODUCTION)] == [
        ('1.3.0', pipeline['id'], workflows[0]['id'], jobs['deploy']['id'], jobs['deploy']['job_number'])]
    assert api(standin, 'GET', '/deploy/components/' + API_SERVER).json()['release_count'] == 5
    assert rollback(standin, current_version='1.3.0', target_version='1.1.0').status_code == 202


@pytest.mark.parametrize('release', [{'component': 'api-server', 'environment': 'production'}, 'api-server', {'version': 1}])
def test_a_release_of_a_plan_is_checked(standin, release):
    answer = requests.post(standin.url + '/_standin/seed', timeout=10, json={'pipeline_plans': [
        {'workflows': [{'name': 'deploy', 'jobs': [{'name': 'deploy', 'release': release}]}]}]})
    assert answer.status_code == 400 and 'release needs component, environment and version' in answer.text


def test_rollback_conflicts_while_another_is_handled(standin):
    running = seed(standin, rollbacks=[{}])['rollbacks'][0]
    assert running['rollback_type'] == 'PIPELINE' and running['pipeline_id'] == running['id']
    answer = rollback(standin)
    assert answer.status_code == 409
    # Only that project is busy.
    web = {'component_name': 'web-frontend', 'current_version': '3.4.0', 'target_version': '3.4.1'}
    assert rollback(standin, WEB_PROJECT, **web).status_code == 202
    assert rollback(standin, WEB_PROJECT, **web).status_code == 409
    # Cancelling the running rollback's workflow frees the project; nothing was released.
    workflows = api(standin, 'GET', '/pipeline/%s/workflow' % running['id']).json()['items']
    assert api(standin, 'POST', '/workflow/%s/cancel' % workflows[0]['id']).status_code == 202
    assert rollback(standin).status_code == 202
    assert [v['name'] for v in live(standin, PRODUCTION)] == ['1.1.0']


@pytest.mark.parametrize('body, status, words', [
    ({'current_version': '1.0.0'}, 400, 'not the version deployed'),
    ({'current_version': '1.2.0'}, 400, 'not the version deployed'),
    ({'target_version': '9.9.9'}, 400, 'not a version'),
    ({'target_version': '1.1.0'}, 400, 'deployed already'),
    ({'component_name': 'nope'}, 404, 'nope'),
    ({'component_name': 'web-frontend'}, 404, 'web-frontend'),
    ({'environment_name': 'moon'}, 404, 'moon'),
    ({'component_name': None}, 400, 'component_name'),
    ({'environment_name': ''}, 400, 'environment_name'),
    ({'current_version': 1}, 400, 'current_version'),
    ({'target_version': None}, 400, 'target_version'),
    ({'namespace': 3}, 400, 'namespace'),
    ({'reason': ['x']}, 400, 'reason'),
    ({'parameters': 'x=1'}, 400, 'parameters'),
    ({'parameters': {'x': {'nested': 1}}}, 400, 'x'),
])
def test_rollback_refusals(standin, body, status, words):
    answer = rollback(standin, **body)
    assert answer.status_code == status
    assert words in answer.json()['message']
    dump = state(standin)
    assert dump['rollbacks'] == [] and dump['pipelines'] == []


def test_rollback_project_and_body(standin):
    assert rollback(standin, fixed_id('project:none')).json() == {'message': 'Project does not exist.'}
    assert rollback(standin, 'gh/acme/api').status_code == 404
    assert rollback(standin, fixed_id('project:gh/forbidden/secret')).status_code == 403
    assert api(standin, 'POST', '/projects/%s/rollback' % API_PROJECT).status_code == 400
    missing = dict(ROLLBACK)
    del missing['target_version']
    assert api(standin, 'POST', '/projects/%s/rollback' % API_PROJECT, json=missing).status_code == 400
    # Keys the description does not list are ignored, as api-notes.md has it for this service.
    assert rollback(standin, dry_run=True).status_code == 202


def test_rollback_by_command(standin):
    standin.reset(rollback_type='COMMAND', rollback_command_seconds=0.1)
    answer = rollback(standin)
    assert answer.status_code == 202 and answer.json()['rollback_type'] == 'COMMAND'
    assert api(standin, 'GET', '/pipeline/' + answer.json()['id']).status_code == 404
    assert rollback(standin).status_code == 409
    wait_for(lambda: finished_rollbacks(standin))
    assert [(v['name'], v['pipeline_id'], v['job_id'], v['job_number']) for v in live(standin, PRODUCTION)] == [('1.0.0', ZERO, ZERO, 0)]
    assert state(standin)['pipelines'] == []


def test_rollback_type_keeps_its_case(standin):
    standin.reset(rollback_type='pipeline')
    answer = rollback(standin)
    assert answer.json()['rollback_type'] == 'pipeline'
    assert api(standin, 'GET', '/pipeline/' + answer.json()['id']).status_code == 200


# -- cancel a job by its id --------------------------------------------------------------------------

def seeded_jobs(standin, **pipeline):
    seeded = seed(standin, pipelines=[pipeline])['pipelines'][0]
    return seeded, dict((j['name'], j) for j in seeded['workflows'][0]['jobs'])


def job_status(standin, workflow_id):
    return dict((j['name'], j['status']) for j in all_items(standin, '/workflow/%s/job' % workflow_id)[0])


def test_cancel_running_and_blocked_jobs_by_id(standin):
    seeded, jobs = seeded_jobs(standin, age=0, workflows=[{'name': 'deploy', 'jobs': [
        {'name': 'build', 'duration': 60}, {'name': 'test', 'duration': 60},
        {'name': 'ship', 'requires': ['build']}]}])
    workflow_id = seeded['workflows'][0]['id']
    assert (jobs['build']['status'], jobs['ship']['status']) == ('running', 'blocked')
    answer = api(standin, 'POST', '/jobs/%s/cancel' % jobs['ship']['id'])
    assert (answer.status_code, answer.json()) == (200, {'message': 'Job cancelled.'})
    assert job_status(standin, workflow_id) == {'build': 'running', 'test': 'running', 'ship': 'canceled'}
    assert api(standin, 'POST', '/jobs/%s/cancel' % jobs['build']['id']).status_code == 200
    assert job_status(standin, workflow_id) == {'build': 'canceled', 'test': 'running', 'ship': 'canceled'}
    detail = api(standin, 'GET', '/project/gh/acme/api/job/%d' % jobs['build']['job_number']).json()
    assert detail['status'] == 'canceled' and detail['stopped_at']


def test_cancel_a_blocked_job_skips_those_after_it(standin):
    seeded, jobs = seeded_jobs(standin, age=0, workflows=[{'name': 'deploy', 'jobs': [
        {'name': 'build', 'duration': 60}, {'name': 'test', 'requires': ['build']},
        {'name': 'ship', 'requires': ['test']}]}])
    assert api(standin, 'POST', '/jobs/%s/cancel' % jobs['test']['id']).status_code == 200
    assert job_status(standin, seeded['workflows'][0]['id']) == {'build': 'running', 'test': 'canceled', 'ship': 'not_run'}


def test_cancel_a_finished_job_changes_nothing(standin):
    seeded, jobs = seeded_jobs(standin)
    answer = api(standin, 'POST', '/jobs/%s/cancel' % jobs['build']['id'])
    assert (answer.status_code, answer.json()) == (200, {'message': 'Job cancelled.'})
    assert job_status(standin, seeded['workflows'][0]['id']) == {'build': 'success', 'test': 'success'}


def test_cancel_job_by_id_errors(standin):
    assert api(standin, 'POST', '/jobs/%s/cancel' % fixed_id('job:none')).json() == {'message': 'Job not found'}
    assert api(standin, 'POST', '/jobs/%s/cancel' % fixed_id('job:none')).status_code == 404
    assert api(standin, 'POST', '/jobs/12/cancel').status_code == 400
    dummy, jobs = seeded_jobs(standin, project_slug='gh/forbidden/secret', age=0)
    assert api(standin, 'POST', '/jobs/%s/cancel' % jobs['build']['id']).status_code == 403
    assert api(standin, 'POST', '/jobs/%s/cancel' % jobs['build']['id'], token=False).status_code == 401


# -- usage exports: create ---------------------------------------------------------------------------

def test_create_usage_export(standin):
    end = utcnow().replace(microsecond=0) - datetime.timedelta(hours=2)
    start = end - datetime.timedelta(days=3)
    body = {'start': start.astimezone(datetime.timezone(datetime.timedelta(hours=2))).isoformat(),
            'end': iso(end), 'shared_org_ids': [OTHER]}
    answer = api(standin, 'POST', '/organizations/%s/usage_export_job' % ACME, json=body)
    assert answer.status_code == 201
    created = answer.json()
    assert set(created) == {'usage_export_job_id', 'state', 'start', 'end', 'download_urls'}
    assert (created['state'], created['start'], created['end'], created['download_urls']) == ('created', iso(start), iso(end), None)
    dump = state(standin)['usage_exports'][0]
    assert dump['usage_export_job_id'] == created['usage_export_job_id'] and dump['shared_org_ids'] == [OTHER]


@pytest.mark.parametrize('change, words', [
    ({'end': 'start'}, "'end' must be after 'start'"),
    ({'start': {'hours': 1}}, "'end' must be after 'start'"),
    ({'start': {'days': -31, 'seconds': -1}}, 'no more than 31 days'),
    ({'start': {'days': -366}, 'end': {'days': -360}}, 'no more than one year ago'),
    ({'end': {'hours': 2}}, 'future'),
    ({'start': {'minutes': 30}, 'end': {'hours': 2}}, 'future'),
    ({'start': '2025-01-01'}, 'RFC 3339'),
    ({'end': 'yesterday'}, 'RFC 3339'),
    ({'start': '2025-02-30T00:00:00Z'}, 'not a valid date-time'),
    ({'start': None}, "'start' is required"),
    ({'end': None}, "'end' is required"),
    ({'format': 'csv'}, "Unexpected field 'format'."),
    ({'shared_org_ids': OTHER}, 'shared_org_ids'),
    ({'shared_org_ids': ['acme']}, 'shared_org_ids'),
])
def test_usage_export_window_and_body_checks(standin, change, words):
    end = utcnow() - datetime.timedelta(hours=1)
    body = {'start': iso(end - datetime.timedelta(days=1)), 'end': iso(end)}
    for key, value in change.items():
        if isinstance(value, dict):
            body[key] = iso((end if key == 'start' else utcnow()) + datetime.timedelta(**value))
        elif value == 'start':
            body[key] = body['start']
        elif value is None:
            del body[key]
        else:
            body[key] = value
    answer = api(standin, 'POST', '/organizations/%s/usage_export_job' % ACME, json=body)
    assert answer.status_code == 400
    assert words in answer.json()['message']
    assert state(standin)['usage_exports'] == []


def test_usage_export_window_limits_are_inclusive(standin):
    end = utcnow() - datetime.timedelta(days=300)
    create_export(standin, start=iso(end - datetime.timedelta(days=31)), end=iso(end))
    start = utcnow() - datetime.timedelta(days=364)
    create_export(standin, start=iso(start), end=iso(start + datetime.timedelta(days=1)))


def test_usage_export_org_and_body(standin):
    path = '/organizations/%s/usage_export_job'
    assert api(standin, 'POST', path % fixed_id('org:none'), json=window()).json() == {'message': 'Organization does not exist.'}
    assert api(standin, 'POST', path % 'gh-acme', json=window()).status_code == 404
    assert api(standin, 'POST', path % FORBIDDEN, json=window()).status_code == 403
    assert api(standin, 'POST', path % ACME).status_code == 400
    assert api(standin, 'POST', path % ACME, json=window(), token=False).status_code == 401


def test_usage_export_creations_are_limited_per_org(standin):
    for dummy in range(10):
        create_export(standin)
    answer = api(standin, 'POST', '/organizations/%s/usage_export_job' % ACME, json=window())
    assert answer.status_code == 429
    assert 3500 <= int(answer.headers['Retry-After']) <= 3600
    create_export(standin, org=OTHER)
    advance(standin, 3601)
    create_export(standin)
    standin.reset(usage_export_creates_per_hour=0)
    for dummy in range(12):
        create_export(standin)


# -- usage exports: state, files ---------------------------------------------------------------------

def test_usage_export_moves_on_with_the_clock(standin):
    export_id = create_export(standin)['usage_export_job_id']
    seen = []
    for step in (0, 0.1, 0.2):
        advance(standin, step)
        answer = read_export(standin, export_id)
        assert answer.status_code == 200
        seen.append(answer.json())
    assert [(s['state'], s['download_urls']) for s in seen[:2]] == [('created', None), ('processing', None)]
    assert set(seen[0]) == {'usage_export_job_id', 'state', 'download_urls'}
    assert seen[2]['state'] == 'completed' and len(seen[2]['download_urls']) == 2
    assert seen[2]['usage_export_job_id'] == export_id


def test_usage_export_times_are_config(standin):
    standin.reset(usage_export_created_seconds=5, usage_export_processing_seconds=10)
    export_id = create_export(standin)['usage_export_job_id']
    advance(standin, 4)
    assert read_export(standin, export_id).json()['state'] == 'created'
    advance(standin, 2)
    assert read_export(standin, export_id).json()['state'] == 'processing'
    advance(standin, 10)
    assert read_export(standin, export_id).json()['state'] == 'completed'


def test_usage_export_fails_with_a_reason(standin):
    seed(standin, usage_export_plans=[{'org_slug': 'gh/acme', 'outcome': 'failed', 'error_reason': 'Query timeout of 4 hours exceeded'}])
    export_id = create_export(standin)['usage_export_job_id']
    advance(standin, 1)
    assert read_export(standin, export_id).json() == {
        'usage_export_job_id': export_id, 'state': 'failed', 'download_urls': None,
        'error_reason': 'Query timeout of 4 hours exceeded'}
    # The plan was for gh/acme only.
    other = create_export(standin, org=OTHER)['usage_export_job_id']
    advance(standin, 1)
    assert read_export(standin, other, OTHER).json()['state'] == 'completed'


@pytest.mark.parametrize('no_files_as, expected', [('null', {'download_urls': None}), ('empty', {'download_urls': []}), ('absent', {})])
def test_usage_export_without_data(standin, no_files_as, expected):
    standin.reset(usage_export_no_files_as=no_files_as)
    seed(standin, usage_export_plans=[{'files': 0}])
    export_id = create_export(standin)['usage_export_job_id']
    advance(standin, 1)
    assert read_export(standin, export_id).json() == dict(expected, usage_export_job_id=export_id, state='completed')


def test_links_are_signed_anew_on_every_read(standin):
    export, first = completed_export(standin)
    second = read_export(standin, export['usage_export_job_id']).json()
    assert first['download_urls'] != second['download_urls']
    for one, two in zip(first['download_urls'], second['download_urls']):
        assert urlsplit(one).path == urlsplit(two).path
        assert urlsplit(one).netloc == urlsplit(standin.url).netloc
        assert urlsplit(one).path.startswith('/_files/usage/%s/' % export['usage_export_job_id'])
        assert urlsplit(one).path.endswith('.csv.gz')
        query = parse_qs(urlsplit(one).query)
        assert set(query) == {'expires', 'nonce', 'signature'}
        assert abs(int(query['expires'][0]) - (time.time() + 36 * 3600)) < 60
        assert requests.get(one, timeout=5).status_code == 200
        assert requests.get(two, timeout=5).status_code == 200


def download_csv(url, **kwargs):
    answer = requests.get(url, timeout=5, **kwargs)
    assert answer.status_code == 200, answer.text
    assert answer.headers['Content-Type'] == 'application/octet-stream'
    assert 'Content-Encoding' not in answer.headers
    return gzip.decompress(answer.content).decode('utf-8')


def test_files_are_gzip_csv_and_deterministic(standin):
    export, read = completed_export(standin, shared_org_ids=[OTHER], **window(days=10))
    texts = [download_csv(url) for url in read['download_urls']]
    rows = [list(csv.reader(io.StringIO(text))) for text in texts]
    for table in rows:
        assert table[0] == resources_deploys.USAGE_COLUMNS
        assert len(table) == 4
    records = [dict(zip(rows[0][0], row)) for table in rows for row in table[1:]]
    assert [r['organization_name'] for r in records] == ['acme', 'other'] * 3
    assert set(r['project_name'] for r in records if r['organization_name'] == 'acme') == {'api', 'infra', 'web'}
    assert [r['job_name'] for r in records[:3]] == ['build', 'test', 'deploy']
    assert all(float(r['total_credits']) > 0 and r['resource_class'] for r in records)
    files = state(standin)['usage_exports'][0]['files']
    assert [f['sha256'] for f in files] == [hashlib.sha256(t.encode('utf-8')).hexdigest() for t in texts]
    assert [f['downloads'] for f in files] == [1, 1]
    assert [f['name'] for f in files] == [urlsplit(u).path.rsplit('/', 1)[1] for u in read['download_urls']]
    # The same org and window give the same files.
    again = completed_export(standin, shared_org_ids=[OTHER], start=export['start'], end=export['end'])[1]
    assert [download_csv(url) for url in again['download_urls']] == texts
    standin.reset()
    again = completed_export(standin, shared_org_ids=[OTHER], start=export['start'], end=export['end'])[1]
    assert [download_csv(url) for url in again['download_urls']] == texts


def test_file_and_row_counts_follow_the_plan(standin):
    seed(standin, usage_export_plans=[{'files': 3, 'rows': 1}])
    read = completed_export(standin)[1]
    assert len(read['download_urls']) == 3
    assert [len(download_csv(url).splitlines()) for url in read['download_urls']] == [2, 2, 2]


def test_downloads_are_recorded_with_the_headers_that_came(standin):
    url = completed_export(standin)[1]['download_urls'][0]
    download_csv(url)
    download_csv(url, headers={'Circle-Token': standin.token})
    download_csv(url, auth=(standin.token, ''))
    files = [r for r in standin.requests if r.get('file')]
    assert [(r['method'], r['status'], r['circle_token'], r['authorization']) for r in files] == [
        ('GET', 200, False, False), ('GET', 200, True, False), ('GET', 200, False, True)]
    assert all(r['path'] == urlsplit(url).path for r in files)
    assert [(d['circle_token'], d['authorization'], d['status']) for d in state(standin)['usage_downloads']] == [
        (False, False, 200), (True, False, 200), (False, True, 200)]
    # API requests carry no such keys.
    assert not any('circle_token' in r for r in standin.requests if not r.get('file'))


def test_links_are_checked(standin):
    export, read = completed_export(standin)
    url = read['download_urls'][0]
    parts = urlsplit(url)
    query = dict((k, v[0]) for k, v in parse_qs(parts.query).items())
    base = '%s://%s%s' % (parts.scheme, parts.netloc, parts.path)

    def status(**changes):
        params = dict(query, **changes)
        params = dict((k, v) for k, v in params.items() if v is not None)
        answer = requests.get(base, params=params, timeout=5)
        if answer.status_code == 403:
            assert answer.headers['Content-Type'] == 'application/xml' and '<Error>' in answer.text
        return answer.status_code

    assert status() == 200
    assert requests.get(base, timeout=5).status_code == 403
    assert status(signature=None) == 403
    assert status(signature='0' * 64) == 403
    assert status(expires=str(int(query['expires']) + 3600)) == 403
    assert status(nonce='0' * 16) == 403
    # Another file's signature does not open this one.
    other = dict((k, v[0]) for k, v in parse_qs(urlsplit(read['download_urls'][1]).query).items())
    assert status(signature=other['signature'], nonce=other['nonce'], expires=other['expires']) == 403
    advance(standin, 36 * 3600 + 60)
    assert status() == 403
    assert 'expired' in requests.get(url, timeout=5).text
    assert requests.get(standin.url + '/_files/usage/%s/nothing.csv.gz' % export['usage_export_job_id'], timeout=5).status_code == 403
    assert requests.get(standin.url + '/_files/elsewhere', timeout=5).status_code == 404
    standin.reset()
    assert requests.get(url, timeout=5).status_code == 403


def test_file_faults_and_knobs(standin):
    standin.reset(usage_file_content_encoding=True, usage_files_base_url='http://downloads.example:9')
    read = completed_export(standin)[1]
    assert all(u.startswith('http://downloads.example:9/_files/usage/') for u in read['download_urls'])
    local = standin.url + read['download_urls'][0][len('http://downloads.example:9'):]
    answer = requests.get(local, timeout=5)
    assert answer.headers['Content-Encoding'] == 'gzip'
    # The HTTP client undid the gzip itself: the body is the CSV.
    assert answer.content.decode('utf-8').startswith('organization_id,')
    standin.faults({'path': '^/_files/', 'status': 503, 'count': 1})
    assert requests.get(local, timeout=5).status_code == 503
    assert requests.get(local, timeout=5).status_code == 200
    assert [(r['status'], r['file']) for r in standin.requests if r.get('file')][-2:] == [(503, True), (200, True)]


# -- usage exports: the status-read limit -----------------------------------------------------------

def test_status_reads_are_limited_to_ten_a_minute_per_org(standin):
    export_id = create_export(standin)['usage_export_job_id']
    other_id = create_export(standin, org=OTHER)['usage_export_job_id']
    for dummy in range(10):
        assert read_export(standin, export_id).status_code == 200
        advance(standin, 1)
    refused = read_export(standin, export_id)
    assert refused.status_code == 429
    assert refused.json() == {'message': 'Rate limit exceeded.'}
    assert int(refused.headers['Retry-After']) == 50
    # Per organisation: another org's export reads on.
    assert read_export(standin, other_id, OTHER).status_code == 200
    advance(standin, 50)
    assert read_export(standin, export_id).status_code == 200
    assert read_export(standin, export_id).status_code == 429
    dump = state(standin)
    assert dump['usage_export_max_reads_per_minute'] == {ACME: 10, OTHER: 1}
    reads = [r for r in dump['usage_export_status_reads'] if r['org_id'] == ACME]
    assert [r['status'] for r in reads] == [200] * 10 + [429, 200, 429]
    assert all(set(r) == {'org_id', 'usage_export_job_id', 'time', 'at', 'status'} for r in reads)
    logged = [r for r in standin.requests if r['method'] == 'GET' and r['path'].startswith('/organizations/%s/' % ACME)]
    assert [r['usage_reads_last_minute'] for r in logged] == list(range(1, 11)) + [10, 10, 10]
    assert all(r['clock'].endswith('Z') for r in logged)


def test_reads_of_unknown_exports_count_too(standin):
    standin.reset(usage_export_reads_per_minute=2)
    assert read_export(standin, fixed_id('export:none')).json() == {'message': 'Usage export job does not exist.'}
    assert read_export(standin, 'not-a-uuid').status_code == 400
    assert read_export(standin, fixed_id('export:none')).status_code == 429


def test_status_read_limit_can_be_lifted(standin):
    standin.reset(usage_export_reads_per_minute=0)
    export_id = create_export(standin)['usage_export_job_id']
    assert [read_export(standin, export_id).status_code for dummy in range(15)] == [200] * 15
    assert state(standin)['usage_export_max_reads_per_minute'] == {ACME: 15}


def test_exports_of_other_orgs_are_not_found(standin):
    export_id = create_export(standin)['usage_export_job_id']
    assert read_export(standin, export_id, OTHER).status_code == 404
    assert read_export(standin, export_id, FORBIDDEN).status_code == 403
    assert read_export(standin, export_id, fixed_id('org:none')).status_code == 404
    assert api(standin, 'DELETE', '/organizations/%s/usage_export_job/%s' % (ACME, export_id)).status_code == 405


def test_seeded_usage_exports(standin):
    seeded = seed(standin, usage_exports=[{}, {'age': 0}, {'outcome': 'failed', 'error_reason': 'no'}, {'org_slug': 'gh/other', 'files': 1}])
    exports = seeded['usage_exports']
    assert [e['state'] for e in exports] == ['completed', 'created', 'failed', 'completed']
    assert exports[3]['org_id'] == OTHER
    assert len(read_export(standin, exports[0]['usage_export_job_id']).json()['download_urls']) == 2
    assert read_export(standin, exports[2]['usage_export_job_id']).json()['error_reason'] == 'no'
    assert len(read_export(standin, exports[3]['usage_export_job_id'], OTHER).json()['download_urls']) == 1
    dump = state(standin)
    assert [e['state'] for e in dump['usage_exports']] == ['completed', 'created', 'failed', 'completed']
    assert [len(e['files']) for e in dump['usage_exports']] == [2, 2, 0, 1]
    bad = requests.post(standin.url + '/_standin/seed', json={'usage_export_plans': [{'outcome': 'maybe'}]}, timeout=5)
    assert bad.status_code == 400


def test_state_has_every_new_collection(standin):
    dump = state(standin)
    for key in ('deploy_environments', 'deploy_components', 'rollbacks', 'rollback_plans', 'usage_exports', 'usage_export_plans',
                'usage_export_status_reads', 'usage_export_max_reads_per_minute', 'usage_downloads'):
        assert key in dump
    assert [c['release_count'] for c in dump['deploy_components'] if c['name'] == 'api-server'] == [4]
    assert len([c for c in dump['deploy_components'] if c['name'] == 'api-server'][0]['versions']) == 4
