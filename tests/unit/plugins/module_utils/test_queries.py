# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The query table: every query against the stand-in, input checks before any request, pages, parameters."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import re

import pytest

from ansible_collections.community.circleci.plugins.module_utils import _queries_deploys as deploys
from ansible_collections.community.circleci.plugins.module_utils import _queries_projects as projects
from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIClient
from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIError, CircleCIStateError
from ansible_collections.community.circleci.plugins.module_utils._queries import (
    CORE_QUERIES,
    INSIGHTS_KINDS,
    QUERIES,
    TABLE,
    prepare,
    run_query,
)
from ansible_collections.community.circleci.plugins.module_utils._validation import CircleCIInputError

# tests/standin, on sys.path through conftest
from server import fixed_id  # pylint: disable=import-error


@pytest.fixture
def client(standin):
    made = CircleCIClient(api_token=standin.token, api_url=standin.url, timeout=5)
    made.backoff_base = 0.01
    return made


@pytest.fixture
def world(standin):
    """One of everything, seeded through the stand-in's own seeders; answers the ids."""
    app = standin.app
    with app.lock:
        pipeline = app.seeders['pipelines'](app, {'project_slug': 'gh/acme/api', 'workflows': [
            {'name': 'build-and-test', 'jobs': [
                {'name': 'build', 'artifacts': ['out/a.txt', 'out/b.txt', 'out/c.txt']},
                {'name': 'test', 'requires': ['build'], 'tests': [{'name': 't%d' % i} for i in range(3)]},
            ]}]})
        context = app.seeders['contexts'](app, {'name': 'deploy', 'owner_slug': 'gh/acme', 'variables': {'A': 'secret-a', 'B': 'secret-b'}})
        app.seeders['project_variables'](app, {'project_slug': 'gh/acme/api', 'variables': {'TOKEN': 'hunter2-xyz'}})
        key = app.seeders['checkout_keys'](app, {'project_slug': 'gh/acme/api', 'type': 'deploy-key'})
        schedule = app.seeders['schedules'](app, {'project_slug': 'gh/acme/api', 'name': 'nightly'})
        webhook = app.seeders['webhooks'](app, {'project_slug': 'gh/acme/api', 'name': 'hook', 'signing_secret': 's3cr3t'})
        export = app.seeders['usage_exports'](app, {'org_slug': 'gh/acme'})
    workflow = pipeline['workflows'][0]
    app.log = []
    return {
        'pipeline_id': pipeline['id'], 'pipeline_number': pipeline['number'], 'workflow_id': workflow['id'],
        'build_job': workflow['jobs'][0]['job_number'], 'test_job': workflow['jobs'][1]['job_number'],
        'context_id': context['id'], 'fingerprint': key['fingerprint'], 'schedule_id': schedule['id'],
        'webhook_id': webhook['id'], 'user_id': app.state.tokens[app.token]['id'],
        'project_id': app.state.project_by_slug('gh/acme/api')['id'],
        'org_id': app.state.org_by_slug('gh/acme')['id'], 'usage_export_id': export['usage_export_job_id'],
        'component_id': fixed_id('deploy-component:gh/acme/api/api-server'), 'environment_id': fixed_id('deploy-env:gh/acme/production'),
        # acme-standalone's app, with its seeded definition and trigger
        'app_id': list(app.state.pipeline_definitions.values())[0]['project_id'],
        'definition_id': list(app.state.pipeline_definitions)[0], 'trigger_id': list(app.state.triggers)[0],
    }


# For every query: its options (from the world) and the path the last request must have.
def cases(w):
    api = 'gh/acme/api'
    return {
        'me': ({}, '/me'),
        'collaborations': ({}, '/me/collaborations'),
        'user': ({'user_id': w['user_id']}, '/user/%s' % w['user_id']),
        'project': ({'project_slug': api}, '/project/gh/acme/api'),
        'pipelines': ({'project_slug': api, 'branch': 'main'}, '/project/gh/acme/api/pipeline'),
        'pipeline': ({'project_slug': api, 'pipeline_number': w['pipeline_number']},
                     '/project/gh/acme/api/pipeline/%d' % w['pipeline_number']),
        'pipeline_config': ({'pipeline_id': w['pipeline_id']}, '/pipeline/%s/config' % w['pipeline_id']),
        'workflows': ({'pipeline_id': w['pipeline_id']}, '/pipeline/%s/workflow' % w['pipeline_id']),
        'workflow': ({'workflow_id': w['workflow_id']}, '/workflow/%s' % w['workflow_id']),
        'workflow_jobs': ({'workflow_id': w['workflow_id']}, '/workflow/%s/job' % w['workflow_id']),
        'job': ({'project_slug': api, 'job_number': w['build_job']}, '/project/gh/acme/api/job/%d' % w['build_job']),
        'job_artifacts': ({'project_slug': api, 'job_number': w['build_job']}, '/project/gh/acme/api/%d/artifacts' % w['build_job']),
        'job_tests': ({'project_slug': api, 'job_number': w['test_job']}, '/project/gh/acme/api/%d/tests' % w['test_job']),
        'contexts': ({'owner_slug': 'gh/acme'}, '/context'),
        'context': ({'context_id': w['context_id']}, '/context/%s' % w['context_id']),
        'context_envvars': ({'context_id': w['context_id']}, '/context/%s/environment-variable' % w['context_id']),
        'project_envvars': ({'project_slug': api}, '/project/gh/acme/api/envvar'),
        'project_envvar': ({'project_slug': api, 'name': 'TOKEN'}, '/project/gh/acme/api/envvar/TOKEN'),
        'checkout_keys': ({'project_slug': api}, '/project/gh/acme/api/checkout-key'),
        'checkout_key': ({'project_slug': api, 'fingerprint': w['fingerprint']},
                         '/project/gh/acme/api/checkout-key/%s' % w['fingerprint'].replace(':', '%3A')),
        'schedules': ({'project_slug': api}, '/project/gh/acme/api/schedule'),
        'schedule': ({'schedule_id': w['schedule_id']}, '/schedule/%s' % w['schedule_id']),
        'webhooks': ({'scope_id': w['project_id']}, '/webhook'),
        'webhook': ({'webhook_id': w['webhook_id']}, '/webhook/%s' % w['webhook_id']),
        'insights_org_summary': ({'org_slug': 'gh/acme'}, '/insights/gh/acme/summary'),
        'insights_project_summary': ({'project_slug': api}, '/insights/pages/gh/acme/api/summary'),
        'insights_branches': ({'project_slug': api}, '/insights/gh/acme/api/branches'),
        'insights_flaky_tests': ({'project_slug': api}, '/insights/gh/acme/api/flaky-tests'),
        'insights_workflows': ({'project_slug': api}, '/insights/gh/acme/api/workflows'),
        'insights_workflow_runs': ({'project_slug': api, 'workflow_name': 'build-and-test'},
                                   '/insights/gh/acme/api/workflows/build-and-test'),
        'insights_workflow_jobs': ({'project_slug': api, 'workflow_name': 'build-and-test'},
                                   '/insights/gh/acme/api/workflows/build-and-test/jobs'),
        'insights_workflow_summary': ({'project_slug': api, 'workflow_name': 'build-and-test'},
                                      '/insights/gh/acme/api/workflows/build-and-test/summary'),
        'insights_test_metrics': ({'project_slug': api, 'workflow_name': 'build-and-test'},
                                  '/insights/gh/acme/api/workflows/build-and-test/test-metrics'),
        'insights_job_timeseries': ({'project_slug': api, 'workflow_name': 'build-and-test'},
                                    '/insights/time-series/gh/acme/api/workflows/build-and-test/jobs'),
        # Deploys and usage (_queries_deploys.py).
        'deploy_components': ({'org_slug': 'gh/acme', 'project_slug': api}, '/deploy/components'),
        'deploy_component': ({'component_id': w['component_id']}, '/deploy/components/%s' % w['component_id']),
        'deploy_component_versions': ({'component_id': w['component_id'], 'environment_id': w['environment_id']},
                                      '/deploy/components/%s/versions' % w['component_id']),
        'deploy_environments': ({'org_id': w['org_id']}, '/deploy/environments'),
        'deploy_environment': ({'environment_id': w['environment_id']}, '/deploy/environments/%s' % w['environment_id']),
        'usage_export': ({'org_slug': 'gh/acme', 'usage_export_id': w['usage_export_id']},
                         '/organizations/%s/usage_export_job/%s' % (w['org_id'], w['usage_export_id'])),
        'project_settings': ({'project_slug': api}, '/project/gh/acme/api/settings'),
        'pipeline_definitions': ({'project_id': w['app_id']}, '/projects/%s/pipeline-definitions' % w['app_id']),
        'pipeline_definition': ({'project_id': w['app_id'], 'pipeline_definition_id': w['definition_id']},
                                '/projects/%s/pipeline-definitions/%s' % (w['app_id'], w['definition_id'])),
        'triggers': ({'project_id': w['app_id'], 'pipeline_definition_id': w['definition_id']},
                     '/projects/%s/pipeline-definitions/%s/triggers' % (w['app_id'], w['definition_id'])),
        'trigger': ({'project_id': w['app_id'], 'trigger_id': w['trigger_id']}, '/projects/%s/triggers/%s' % (w['app_id'], w['trigger_id'])),
        'pipeline_values': ({'pipeline_id': w['pipeline_id']}, '/pipeline/%s/values' % w['pipeline_id']),
    }


# The queries of part 1, of the deploys and of the projects, which this file reads from a seeded
# world; the other areas' queries have a test file of their own (test_queries_<area>.py).
CORE = sorted([query.name for query in CORE_QUERIES + deploys.QUERIES + projects.QUERIES])


def test_cases_cover_every_query():
    ids = dict((k, 1) for k in ('pipeline_number', 'build_job', 'test_job'))
    ids.update((k, 'x') for k in ('user_id', 'pipeline_id', 'workflow_id', 'context_id', 'fingerprint',
                                  'schedule_id', 'webhook_id', 'project_id', 'org_id', 'usage_export_id',
                                  'component_id', 'environment_id', 'app_id', 'definition_id', 'trigger_id'))
    assert sorted(cases(ids)) == CORE


@pytest.mark.parametrize('name', CORE)
def test_every_query_reads_its_endpoint(standin, client, world, name):
    values, path = cases(world)[name]
    result = run_query(client, name, values, limit=0)
    assert isinstance(result, list if QUERIES[name].is_list else dict)
    assert result, 'the stand-in is seeded, so %s should answer something' % name
    requests = standin.requests
    assert all(r['method'] == 'GET' for r in requests), 'a query sent a write'
    assert all(r['status'] == 200 for r in requests)
    assert requests[-1]['path'] == path


def test_list_queries_read_every_page(standin, client, world):
    items = run_query(client, 'job_artifacts', {'project_slug': 'gh/acme/api', 'job_number': world['build_job']}, limit=0)
    assert [a['path'] for a in items] == ['out/a.txt', 'out/b.txt', 'out/c.txt']
    assert len(standin.requests) == 2  # pages of two


def test_limit_stops_reading(standin, client):
    with standin.app.lock:
        for index in range(7):
            standin.app.seeders['contexts'](standin.app, {'name': 'c%d' % index, 'owner_slug': 'gh/acme'})
    standin.app.log = []
    assert len(run_query(client, 'contexts', {'owner_slug': 'gh/acme'}, limit=3)) == 3
    assert len(standin.requests) == 2
    standin.app.log = []
    assert len(run_query(client, 'contexts', {'owner_slug': 'gh/acme'}, limit=0)) == 7
    assert len(standin.requests) == 4
    standin.app.log = []
    assert len(run_query(client, 'contexts', {'owner_slug': 'gh/acme'}, limit=None)) == 7  # default 100


def test_contexts_send_owner_type(standin, client):
    run_query(client, 'contexts', {'owner_slug': 'gh/acme'})
    assert standin.requests[0]['query'] == {'owner-slug': ['gh/acme'], 'owner-type': ['organization']}


def test_webhooks_by_project_slug_resolve_the_scope(standin, client, world):
    hooks = run_query(client, 'webhooks', {'project_slug': 'gh/acme/api'})
    assert [h['name'] for h in hooks] == ['hook']
    assert [r['path'] for r in standin.requests] == ['/project/gh/acme/api', '/webhook']
    assert standin.requests[1]['query'] == {'scope-id': [world['project_id']], 'scope-type': ['project']}
    assert 's3cr3t' not in repr(hooks)


def test_context_by_name(standin, client, world):
    context = run_query(client, 'context_envvars', {'name': 'deploy', 'owner_slug': 'gh/acme'})
    assert sorted(v['variable'] for v in context) == ['A', 'B']
    assert 'secret-a' not in repr(context)
    assert standin.requests[-1]['path'] == '/context/%s/environment-variable' % world['context_id']
    assert standin.requests[-1]['query'] == {}
    with pytest.raises(CircleCIStateError, match="^name: no context named 'nope' under owner gh/acme$"):
        run_query(client, 'context', {'name': 'nope', 'owner_slug': 'gh/acme'})


def test_pipelines_forms(standin, client):
    with standin.app.lock:
        standin.app.seeders['pipelines'](standin.app, {'branch': 'feature'})
        standin.app.seeders['pipelines'](standin.app, {'branch': 'main'})
        standin.app.seeders['pipelines'](standin.app, {'branch': 'main', 'actor': 'someone-else'})
    standin.app.log = []
    assert [p['vcs']['branch'] for p in run_query(client, 'pipelines', {'project_slug': 'gh/acme/api', 'branch': 'feature'})] == ['feature']
    mine = run_query(client, 'pipelines', {'project_slug': 'gh/acme/api', 'mine': True})
    assert len(mine) == 2 and all(p['trigger']['actor']['login'] == 'standin-user' for p in mine)
    assert len(run_query(client, 'pipelines', {'org_slug': 'gh/acme'})) == 3
    assert len(run_query(client, 'pipelines', {'org_slug': 'gh/acme', 'mine': True})) == 2
    assert [(r['path'], r['query']) for r in standin.requests if 'page-token' not in r['query']] == [
        ('/project/gh/acme/api/pipeline', {'branch': ['feature']}),
        ('/project/gh/acme/api/pipeline/mine', {}),
        ('/pipeline', {'org-slug': ['gh/acme']}),
        ('/pipeline', {'org-slug': ['gh/acme'], 'mine': ['true']}),
    ]


def test_pipeline_number_resolves_for_config_and_workflows(standin, client, world):
    workflows = run_query(client, 'workflows', {'project_slug': 'gh/acme/api', 'pipeline_number': world['pipeline_number']})
    assert [w['id'] for w in workflows] == [world['workflow_id']]
    assert [r['path'] for r in standin.requests] == [
        '/project/gh/acme/api/pipeline/%d' % world['pipeline_number'], '/pipeline/%s/workflow' % world['pipeline_id']]


def test_workflow_by_name_takes_the_newest(standin, client, world):
    rerun = client.post('/workflow/%s/rerun' % world['workflow_id'], body={})
    standin.app.log = []
    workflow = run_query(client, 'workflow', {'pipeline_id': world['pipeline_id'], 'workflow_name': 'build-and-test'})
    assert workflow['id'] == rerun['workflow_id'] != world['workflow_id']
    with pytest.raises(CircleCIStateError, match="workflow_name: pipeline .* has no workflow named 'deploy'"):
        run_query(client, 'workflow_jobs', {'pipeline_id': world['pipeline_id'], 'workflow_name': 'deploy'})


def test_parameters_with_two_spellings(standin, client):
    run_query(client, 'insights_job_timeseries', {'project_slug': 'gh/acme/api', 'workflow_name': 'build-and-test',
                                                  'granularity': 'hourly', 'start_date': '2026-01-01T00:00:00Z'}, limit=1)
    assert standin.requests[0]['query'] == {'granularity': ['hourly'], 'timeseries-granularity': ['hourly'],
                                            'start-date': ['2026-01-01T00:00:00Z']}
    run_query(client, 'insights_workflow_summary', {'project_slug': 'gh/acme/api', 'workflow_name': 'deploy', 'branch': 'main'})
    assert standin.requests[-1]['query'] == {'branch': ['main'], 'branches': ['main']}


def test_insights_filters_reach_the_service(standin, client):
    everything = run_query(client, 'insights_workflow_runs', {'project_slug': 'gh/acme/api', 'workflow_name': 'build-and-test',
                                                              'all_branches': True}, limit=0)
    feature = run_query(client, 'insights_workflow_runs', {'project_slug': 'gh/acme/api', 'workflow_name': 'build-and-test',
                                                           'branch': 'feature/login'}, limit=0)
    assert set(r['branch'] for r in everything) == {'main', 'feature/login'}
    assert set(r['branch'] for r in feature) == {'feature/login'} and len(feature) < len(everything)
    summary = run_query(client, 'insights_project_summary', {'project_slug': 'gh/acme/api', 'branches': ['main', 'x'],
                                                             'workflow_names': ['deploy']})
    assert [(d['workflow_name'], d['branch']) for d in summary['project_workflow_branch_data']] == [('deploy', 'main')]
    assert standin.requests[-1]['query'] == {'branches': ['main', 'x'], 'workflow-names': ['deploy']}


def test_unknown_id_gives_circleci_message(standin, client):
    with pytest.raises(CircleCIError) as info:
        run_query(client, 'pipeline', {'pipeline_id': '5034460f-c7c4-4c43-9457-de07e2029e7b'})
    assert str(info.value) == 'GET /pipeline/5034460f-c7c4-4c43-9457-de07e2029e7b: 404 Not Found: Pipeline not found'


BAD = [
    ('nope', {}, 'query', "'nope' is not one of"),
    ('user', {}, 'user_id', 'query user needs user_id'),
    ('pipeline', {'project_slug': 'gh/acme/api'}, 'pipeline_number', 'needs pipeline_id, or project_slug and pipeline_number'),
    ('pipelines', {}, 'project_slug', 'query pipelines needs project_slug, or org_slug'),
    ('pipelines', {'project_slug': 'gh/acme/api', 'mine': True, 'branch': 'main'}, 'branch', 'does not take this option'),
    ('pipelines', {'org_slug': 'gh/acme', 'branch': 'main'}, 'branch', 'does not take this option'),
    ('pipelines', {'project_slug': 'gh/acme/api', 'org_slug': 'gh/acme'}, 'org_slug', 'does not take this option'),
    ('project', {'project_slug': 'acme/api'}, 'project_slug', 'is not a project slug'),
    ('project', {'project_slug': 'gh/acme/api', 'limit': 3}, 'limit', 'is not an option of any query'),
    ('user', {'user_id': 'not-a-uuid'}, 'user_id', 'is not a UUID'),
    ('job', {'project_slug': 'gh/acme/api', 'job_number': 0}, 'job_number', 'must be at least 1'),
    ('job', {'project_slug': 'gh/acme/api', 'job_number': 'x'}, 'job_number', 'is not a whole number'),
    ('project_envvar', {'project_slug': 'gh/acme/api', 'name': 'BAD-NAME'}, 'name', 'not a valid environment variable name'),
    ('context', {'name': 'x'}, 'owner_slug', 'needs context_id, or name and owner_slug, or name and owner_id'),
    ('contexts', {'owner_slug': 'gh/acme', 'owner_type': 'account'}, 'owner_slug', 'an account owner must be named by owner_id'),
    ('contexts', {'owner_slug': 'gh/acme', 'owner_id': '5034460f-c7c4-4c43-9457-de07e2029e7b'}, 'owner_id', 'does not take'),
    ('contexts', {'owner_slug': 'gh/acme', 'owner_type': 'person'}, 'owner_type', 'is not one of organization, account'),
    ('checkout_key', {'project_slug': 'gh/acme/api', 'fingerprint': 'a b'}, 'fingerprint', 'is not an SSH key fingerprint'),
    ('insights_workflows', {'project_slug': 'gh/acme/api', 'reporting_window': 'last-year'}, 'reporting_window',
     "'last-year' is not one of last-24-hours"),
    ('insights_workflows', {'project_slug': 'gh/acme/api', 'branch': 'main', 'all_branches': True}, 'all_branches',
     'give branch or all_branches, not both'),
    ('insights_workflow_runs', {'project_slug': 'gh/acme/api'}, 'workflow_name', 'needs project_slug and workflow_name'),
    ('insights_workflow_runs', {'project_slug': 'gh/acme/api', 'workflow_name': 'w', 'start_date': '2026-13-01T00:00:00Z'},
     'start_date', 'is not a valid date-time'),
    ('insights_workflow_runs', {'project_slug': 'gh/acme/api', 'workflow_name': 'w', 'start_date': 'yesterday'},
     'start_date', 'is not an RFC 3339 date-time'),
    ('insights_workflow_runs', {'project_slug': 'gh/acme/api', 'workflow_name': 'w', 'end_date': '2026-01-01T00:00:00Z'},
     'end_date', 'needs start_date'),
    ('insights_workflow_runs', {'project_slug': 'gh/acme/api', 'workflow_name': 'w', 'start_date': '2026-01-02T00:00:00Z',
                                'end_date': '2026-01-01T00:00:00Z'}, 'end_date', 'must be after start_date'),
    ('insights_workflow_runs', {'project_slug': 'gh/acme/api', 'workflow_name': 'w', 'start_date': '2026-01-01T00:00:00Z',
                                'end_date': '2026-04-02T00:00:00+00:00'}, 'end_date', 'at most 90 days'),
    ('insights_job_timeseries', {'project_slug': 'gh/acme/api', 'workflow_name': 'w', 'granularity': 'weekly'},
     'granularity', 'is not one of daily, hourly'),
    ('insights_org_summary', {'org_slug': 'gh/acme/api'}, 'org_slug', 'is not an organization slug'),
    ('insights_project_summary', {'project_slug': 'gh/acme/api', 'branches': 'main'}, 'branches', 'must be a list'),
]


@pytest.mark.parametrize('name,values,option,reason', BAD, ids=['%s-%s' % (b[0], b[2]) for b in BAD])
def test_bad_input_is_refused_before_any_request(standin, client, name, values, option, reason):
    with pytest.raises(CircleCIInputError) as info:
        run_query(client, name, dict(values))
    assert info.value.option == option
    assert reason in info.value.reason
    assert standin.requests == []


def test_negative_limit_is_refused():
    with pytest.raises(CircleCIInputError, match='^limit: -1 must be at least 0$'):
        prepare('contexts', {'owner_slug': 'gh/acme'}, limit=-1)


def test_dates_with_offsets_compare_as_moments():
    # 23:00-02:00 is 01:00Z the next day: one hour after the start, not before it.
    prepare('insights_workflow_runs', {'project_slug': 'gh/acme/api', 'workflow_name': 'w',
                                       'start_date': '2026-01-02T00:00:00Z', 'end_date': '2026-01-01T23:00:00-02:00'})


def test_every_form_path_uses_only_its_identifiers():
    for name, query in QUERIES.items():
        for form in query.forms:
            for option in form.path_options():
                assert option in form.needs or form.resolve, '%s: %s is not an identifier of %s' % (name, option, form.path)
            for option in form.options:
                assert option in TABLE.checks, '%s: %s has no check' % (name, option)
            assert re.match(r'^/[a-z]', form.path)


def test_insights_kinds_run_insights_queries():
    assert sorted(INSIGHTS_KINDS.values()) == sorted(q for q in QUERIES if q.startswith('insights_'))
