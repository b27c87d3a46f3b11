# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The governance queries (_queries_governance.py) against the stand-in: every one reads its endpoint,
names resolve, decision logs page by offset, the evaluation is the one POST."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import pytest

from ansible_collections.community.circleci.plugins.module_utils import _queries_governance
from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIClient
from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIError
from ansible_collections.community.circleci.plugins.module_utils._query import DEFAULT_LIMIT, Form, Prepared, Query, Table
from ansible_collections.community.circleci.plugins.module_utils._queries import QUERIES, prepare, run_query
from ansible_collections.community.circleci.plugins.module_utils._validation import CircleCIInputError

from server import fixed_id  # pylint: disable=import-error

ACME = fixed_id('org:gh/acme')
STANDALONE = fixed_id('org:circleci/acme-standalone')
POLICY = 'package org\n\npolicy_name["%s"]\n\nenable_rule["no_latest"]\n\nhard_fail["no_latest"]\n\n# standin-deny: no_latest :latest\n'


@pytest.fixture
def client(standin):
    return CircleCIClient(api_token=standin.token, api_url=standin.url, timeout=5)


@pytest.fixture
def world(standin):
    app = standin.app
    with app.lock:
        context = app.seeders['contexts'](app, {'name': 'deploy', 'owner_slug': 'gh/acme'})
        app.seeders['context_restrictions'](app, {'context_id': context['id'], 'restriction_type': 'expression',
                                                  'restriction_value': 'pipeline.git.branch == "main"'})
        group = app.seeders['groups'](app, {'org_id': STANDALONE, 'name': 'deployers'})
        app.seeders['oidc_claims'](app, {'org_id': ACME, 'audience': ['sts.amazonaws.com'], 'ttl': '90m'})
        app.seeders['oidc_claims'](app, {'org_id': ACME, 'project_slug': 'gh/acme/api', 'ttl': '1h'})
        app.seeders['url_orb_allow_list'](app, {'org_id': ACME, 'name': 'ours', 'prefix': 'https://orbs.example/'})
        app.seeders['policies'](app, {'org_id': ACME, 'policies': {'a.rego': POLICY % 'jobs'}, 'enabled': True})
        for index in range(5):
            decision = app.seeders['policy_decisions'](app, {'org_id': ACME, 'input': 'image: x:%d' % index,
                                                             'created_at': '2026-09-0%dT00:00:00Z' % (index + 1),
                                                             'metadata': {'branch': 'main' if index % 2 else 'dev'}})
    app.log = []
    return {'context_id': context['id'], 'group_id': group['id'], 'decision_id': decision['id'],
            'standalone_slug': app.state.orgs[STANDALONE]['slug'], 'project_id': app.state.project_by_slug('gh/acme/api')['id']}


def cases(w):
    policy = '/owner/%s/context/config' % ACME
    return {
        'context_restrictions': ({'name': 'deploy', 'owner_slug': 'gh/acme'}, '/context/%s/restrictions' % w['context_id']),
        'oidc_claims': ({'project_slug': 'gh/acme/api'}, '/org/%s/project/%s/oidc-custom-claims' % (ACME, w['project_id'])),
        'url_orb_allow_list': ({'org_slug': 'gh/acme'}, '/organization/gh/acme/url-orb-allow-list'),
        'groups': ({'org_slug': w['standalone_slug']}, '/organizations/%s/groups' % STANDALONE),
        'group': ({'org_id': STANDALONE, 'group_id': w['group_id']}, '/organizations/%s/groups/%s' % (STANDALONE, w['group_id'])),
        'policy_bundle': ({'org_slug': 'gh/acme'}, policy + '/policy-bundle'),
        'policy': ({'org_id': ACME, 'policy_name': 'jobs'}, policy + '/policy-bundle/jobs'),
        'policy_settings': ({'org_id': ACME}, policy + '/decision/settings'),
        'policy_decisions': ({'org_id': ACME}, policy + '/decision'),
        'policy_decision': ({'org_id': ACME, 'decision_id': w['decision_id']}, policy + '/decision/' + w['decision_id']),
        'policy_decision_bundle': ({'org_id': ACME, 'decision_id': w['decision_id']}, policy + '/decision/%s/policy-bundle' % w['decision_id']),
        'policy_evaluation': ({'org_id': ACME, 'config': 'image: cimg/base:latest'}, policy + '/decision'),
    }


def test_cases_cover_every_governance_query():
    assert sorted(cases(dict.fromkeys(('context_id', 'group_id', 'decision_id', 'standalone_slug', 'project_id'), 'x'))) == \
        sorted(query.name for query in _queries_governance.QUERIES)


@pytest.mark.parametrize('name', sorted(query.name for query in _queries_governance.QUERIES))
def test_every_governance_query_reads_its_endpoint(standin, client, world, name):
    values, path = cases(world)[name]
    result = run_query(client, name, values, limit=0)
    assert result and isinstance(result, list if QUERIES[name].is_list else dict), 'the stand-in is seeded for %s' % name
    *resolving, last = standin.requests
    # The evaluation is the one POST; a resolved name costs GETs before the query's own request.
    assert (last['method'], last['path'], last['status']) == ('POST' if name == 'policy_evaluation' else 'GET', path, 200)
    assert [(r['method'], r['status']) for r in resolving] == [('GET', 200)] * len(resolving)


def test_policy_evaluation_is_the_decision_and_sends_the_config(standin, client, world):
    result = run_query(client, 'policy_evaluation', {'org_slug': 'gh/acme', 'config': 'image: cimg/base:latest',
                                                     'metadata': {'branch': 'main'}})
    assert result['status'] == 'HARD_FAIL'
    assert result['hard_failures'] == [{'rule': 'no_latest', 'reason': ':latest found in config'}]
    post = standin.requests[-1]
    assert (post['method'], post['query'], post['body']) == ('POST', {}, {'input': 'image: cimg/base:latest', 'metadata': {'branch': 'main'}})


def test_decision_logs_page_by_offset_to_the_end(standin, client, world):
    logs = run_query(client, 'policy_decisions', {'org_id': ACME}, limit=0)
    assert [log['created_at'][:10] for log in logs] == ['2026-09-0%d' % day for day in (5, 4, 3, 2, 1)]
    # Pages of two: offsets 0, 2 and 4, then the empty page at 5.
    assert [r['query'].get('offset') for r in standin.requests] == [['0'], ['2'], ['4'], ['5']]


def test_decision_logs_stop_at_the_limit(standin, client, world):
    assert len(run_query(client, 'policy_decisions', {'org_id': ACME}, limit=3)) == 3
    assert [r['query'].get('offset') for r in standin.requests] == [['0'], ['2']]


def test_decision_filters_reach_the_service_through_a_resolved_slug(standin, client, world):
    logs = run_query(client, 'policy_decisions', {'org_slug': 'gh/acme', 'branch': 'main', 'after': '2026-09-01T12:00:00Z'}, limit=0)
    assert [log['metadata']['branch'] for log in logs] == ['main', 'main']
    assert standin.requests[0]['path'] == '/me/collaborations'
    assert standin.requests[1]['query'] == {'branch': ['main'], 'after': ['2026-09-01T12:00:00Z'], 'offset': ['0']}


def test_oidc_claims_of_the_org_and_of_a_project(standin, client, world):
    assert run_query(client, 'oidc_claims', {'org_id': ACME})['ttl'] == '1h30m0s'
    both = run_query(client, 'oidc_claims', {'org_id': ACME, 'project_id': world['project_id']})
    assert (both['project_id'], both['ttl']) == (world['project_id'], '1h0m0s')
    assert [r['path'] for r in standin.requests] == ['/org/%s/oidc-custom-claims' % ACME,
                                                     '/org/%s/project/%s/oidc-custom-claims' % (ACME, world['project_id'])]


def test_a_server_that_ignores_the_offset_is_not_followed_forever():
    class Same:
        def get(self, path, params=None):
            return [{'id': 'one'}]
    table = Table([Query('logs', Form('/logs', paging='offset'), is_list=True)], {}, {})
    with pytest.raises(CircleCIError, match='the server answered the same page for offsets 0 and 1'):
        table.execute(Same(), Prepared(table.queries['logs'], table.queries['logs'].forms[0], {}, DEFAULT_LIMIT))


@pytest.mark.parametrize('name, values, option', [
    ('policy', {'org_id': ACME}, 'policy_name'),
    ('group', {'org_id': 'not-a-uuid', 'group_id': ACME}, 'org_id'),
    ('policy_decisions', {'org_id': ACME, 'after': 'yesterday'}, 'after'),
    ('policy_decisions', {'org_id': ACME, 'config': 'x'}, 'config'),
    ('policy_evaluation', {'org_id': ACME}, 'config'),
    ('policy_evaluation', {'org_id': ACME, 'config': 'x', 'metadata': 'branch=main'}, 'metadata'),
    ('context_restrictions', {'name': 'deploy'}, 'owner_slug'),
])
def test_bad_input_is_refused_before_any_request(standin, name, values, option):
    with pytest.raises(CircleCIInputError) as info:
        prepare(name, values)
    assert info.value.option == option
    assert standin.requests == []
