# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The lookups against the stand-in: where the connection options come from, results, errors."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import pytest
import yaml

from ansible.errors import AnsibleLookupError
from ansible.plugins.loader import lookup_loader

from ansible_collections.community.circleci.plugins.module_utils import _client
from ansible_collections.community.circleci.plugins.module_utils._queries import INSIGHTS_KINDS
from ansible_collections.community.circleci.plugins.lookup import insights as insights_lookup
from ansible_collections.community.circleci.plugins.plugin_utils._lookup_base import MISSING_TOKEN

ENV = ('CIRCLECI_TOKEN', 'CIRCLE_TOKEN', 'CIRCLECI_API_URL')


@pytest.fixture
def lookup(standin, monkeypatch):
    """Run a lookup the way a template would; no token or address comes from the environment unless set."""
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(_client.CircleCIClient, 'backoff_base', 0.01)

    def call(name, terms, variables=None, **kwargs):
        plugin = lookup_loader.get('community.circleci.%s' % name)
        assert plugin is not None, 'lookup %s not found' % name
        if variables is None:
            variables = {'circleci_api_url': standin.url, 'circleci_api_token': standin.token}
        return plugin.run(terms, variables=variables, **kwargs)
    return call


def seed_pipelines(standin, *branches):
    with standin.app.lock:
        made = [standin.app.seeders['pipelines'](standin.app, {'branch': b, 'age': 3600 - i}) for i, b in enumerate(branches)]
    standin.app.log = []
    return made


# -- connection options ---------------------------------------------------------------------

def test_direct_beats_variables_beats_environment(standin, lookup, monkeypatch):
    seed_pipelines(standin, 'main')
    monkeypatch.setenv('CIRCLECI_TOKEN', 'from-the-environment')
    monkeypatch.setenv('CIRCLECI_API_URL', 'http://127.0.0.1:9')
    # variables win over the environment
    assert len(lookup('pipelines', ['gh/acme/api'])) == 1
    # a direct option wins over the variables
    with pytest.raises(AnsibleLookupError) as info:
        lookup('pipelines', ['gh/acme/api'], api_token='direct-but-wrong')
    assert str(info.value) == 'GET /project/gh/acme/api/pipeline: 401 Unauthorized: You must log in first.'
    assert 'direct-but-wrong' not in str(info.value)


def test_environment_when_nothing_else(standin, lookup, monkeypatch):
    seed_pipelines(standin, 'main')
    monkeypatch.setenv('CIRCLECI_TOKEN', standin.token)
    monkeypatch.setenv('CIRCLECI_API_URL', standin.url)
    assert len(lookup('pipelines', ['gh/acme/api'], variables={})) == 1
    monkeypatch.delenv('CIRCLECI_TOKEN')
    monkeypatch.setenv('CIRCLE_TOKEN', standin.token)
    assert len(lookup('pipelines', ['gh/acme/api'], variables={})) == 1


def test_missing_token_is_named(standin, lookup):
    with pytest.raises(AnsibleLookupError) as info:
        lookup('insights', ['gh/acme/api'], variables={'circleci_api_url': standin.url})
    assert str(info.value) == MISSING_TOKEN
    assert standin.requests == []


def test_negative_timeout_refused(standin, lookup):
    with pytest.raises(AnsibleLookupError, match='^timeout: must not be negative$'):
        lookup('pipelines', ['gh/acme/api'], timeout=-1)
    assert standin.requests == []


# -- pipelines ----------------------------------------------------------------------------------

def test_pipelines_newest_first_with_limit_and_branch(standin, lookup):
    made = seed_pipelines(standin, 'main', 'feature', 'main', 'main', 'main')
    newest = lookup('pipelines', ['gh/acme/api'], limit=3)
    assert [p['number'] for p in newest] == [5, 4, 3]
    assert [p['id'] for p in newest] == [made[4]['id'], made[3]['id'], made[2]['id']]
    assert len(standin.requests) == 2  # two pages of two; the rest never read
    assert [p['number'] for p in lookup('pipelines', ['gh/acme/api'], branch='feature')] == [2]
    assert len(lookup('pipelines', ['gh/acme/api'], limit=0)) == 5
    assert len(lookup('pipelines', ['gh/acme/api'])) == 5  # default 20


def test_pipelines_of_several_projects_in_order(standin, lookup):
    with standin.app.lock:
        standin.app.seeders['pipelines'](standin.app, {'project_slug': 'gh/acme/web'})
        standin.app.seeders['pipelines'](standin.app, {'project_slug': 'gh/acme/api'})
    assert [p['project_slug'] for p in lookup('pipelines', ['gh/acme/web', 'gh/acme/api'])] == ['gh/acme/web', 'gh/acme/api']


def test_pipelines_bad_term_sends_nothing(standin, lookup):
    with pytest.raises(AnsibleLookupError) as info:
        lookup('pipelines', ['gh/acme/api', 'acme'])
    assert str(info.value).startswith("project_slug: 'acme' is not a project slug")
    assert standin.requests == []
    with pytest.raises(AnsibleLookupError, match='^branch: query pipelines does not take this option'):
        lookup('pipelines', ['gh/acme/api'], mine=True, branch='main')
    assert standin.requests == []


def test_pipelines_mine(standin, lookup):
    with standin.app.lock:
        standin.app.seeders['pipelines'](standin.app, {})
        standin.app.seeders['pipelines'](standin.app, {'actor': 'someone-else'})
    assert len(lookup('pipelines', ['gh/acme/api'], mine=True)) == 1
    assert standin.requests[-1]['path'] == '/project/gh/acme/api/pipeline/mine'


# -- workflows ----------------------------------------------------------------------------------

def test_workflows_of_pipelines(standin, lookup):
    made = seed_pipelines(standin, 'main', 'feature')
    workflows = lookup('workflows', [made[1]['id'], made[0]['id']])
    assert [w['pipeline_id'] for w in workflows] == [made[1]['id'], made[0]['id']]
    assert all(w['status'] == 'success' for w in workflows)


def test_workflows_of_the_latest_pipeline_of_a_branch(standin, lookup):
    made = seed_pipelines(standin, 'main', 'main', 'feature')
    workflows = lookup('workflows', [], project_slug='gh/acme/api', branch='main')
    assert [w['pipeline_id'] for w in workflows] == [made[1]['id']]
    # one pipeline asked for, then its workflows
    assert [(r['path'], r['query']) for r in standin.requests] == [
        ('/project/gh/acme/api/pipeline', {'branch': ['main']}), ('/pipeline/%s/workflow' % made[1]['id'], {})]
    assert lookup('workflows', [], project_slug='gh/acme/api', branch='nothing-here') == []


@pytest.mark.parametrize('terms,kwargs,message', [
    (['5034460f-c7c4-4c43-9457-de07e2029e7b'], {'project_slug': 'gh/acme/api'}, 'project_slug: give pipeline ids as terms or project_slug, not both'),
    ([], {}, 'project_slug: give pipeline ids as terms, or project_slug (and branch)'),
    (['5034460f-c7c4-4c43-9457-de07e2029e7b'], {'branch': 'main'}, 'branch: is used with project_slug only'),
    (['not-a-uuid'], {}, "pipeline_id: 'not-a-uuid' is not a UUID (8-4-4-4-12 hexadecimal digits)"),
])
def test_workflows_bad_input_sends_nothing(standin, lookup, terms, kwargs, message):
    with pytest.raises(AnsibleLookupError) as info:
        lookup('workflows', terms, **kwargs)
    assert str(info.value) == message
    assert standin.requests == []


def test_workflows_unknown_pipeline(standin, lookup):
    with pytest.raises(AnsibleLookupError) as info:
        lookup('workflows', ['5034460f-c7c4-4c43-9457-de07e2029e7b'])
    assert str(info.value) == 'GET /pipeline/5034460f-c7c4-4c43-9457-de07e2029e7b/workflow: 404 Not Found: Pipeline not found'


# -- insights -----------------------------------------------------------------------------------

def test_insights_kinds_are_documented():
    doc = yaml.safe_load(insights_lookup.DOCUMENTATION)
    assert sorted(doc['options']['kind']['choices']) == sorted(INSIGHTS_KINDS)


@pytest.mark.parametrize('kind', sorted(INSIGHTS_KINDS))
def test_every_insights_kind(standin, lookup, kind):
    term = 'gh/acme' if kind == 'org_summary' else 'gh/acme/api'
    kwargs = {'workflow': 'build-and-test'} if kind in ('workflow_runs', 'workflow_jobs', 'workflow_summary',
                                                        'test_metrics', 'job_timeseries') else {}
    result = lookup('insights', [term], kind=kind, **kwargs)
    assert result and all(isinstance(item, dict) for item in result)
    if kind in ('workflows', 'workflow_runs', 'workflow_jobs', 'job_timeseries'):
        assert len(result) > 2, 'a list report gives its items (more than one page of them)'
    else:
        assert len(result) == 1
    assert all(r['method'] == 'GET' for r in standin.requests)


def test_insights_options_become_filters(standin, lookup):
    runs = lookup('insights', ['gh/acme/api'], kind='workflow_runs', workflow='build-and-test', branch='feature/login')
    assert set(r['branch'] for r in runs) == {'feature/login'}
    summary = lookup('insights', ['gh/acme/api'], kind='summary', branch='main', workflow='deploy')[0]
    assert [(d['workflow_name'], d['branch']) for d in summary['project_workflow_branch_data']] == [('deploy', 'main')]
    assert standin.requests[-1]['query'] == {'branches': ['main'], 'workflow-names': ['deploy']}


@pytest.mark.parametrize('kwargs,message', [
    ({'kind': 'workflow_runs'}, 'workflow: kind workflow_runs needs project_slug and workflow'),
    ({'kind': 'summary', 'all_branches': True},
     'all_branches: kind summary does not take this option (with project_slug it takes: project_slug, reporting_window, branch, workflow)'),
    ({'kind': 'workflows', 'branch': 'main', 'all_branches': True}, 'all_branches: give branch or all_branches, not both'),
    ({'kind': 'workflow_runs', 'workflow': 'w', 'end_date': '2026-01-01T00:00:00Z'},
     'end_date: needs start_date (CircleCI requires a start-date with an end-date)'),
])
def test_insights_bad_input_sends_nothing(standin, lookup, kwargs, message):
    with pytest.raises(AnsibleLookupError) as info:
        lookup('insights', ['gh/acme/api'], **kwargs)
    assert str(info.value) == message
    assert standin.requests == []


def test_insights_unknown_project(standin, lookup):
    with pytest.raises(AnsibleLookupError) as info:
        lookup('insights', ['gh/acme/nope'], kind='flaky_tests')
    assert str(info.value) == 'GET /insights/gh/acme/nope/flaky-tests: 404 Not Found: Project not found'
