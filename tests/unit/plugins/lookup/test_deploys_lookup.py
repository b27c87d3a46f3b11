# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The deploys lookup against the stand-in: the live version per environment, filters, errors."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import pytest

from ansible.errors import AnsibleLookupError
from ansible.plugins.loader import lookup_loader

from ansible_collections.community.circleci.plugins.module_utils import _client

# tests/standin, on sys.path through conftest
from server import fixed_id  # pylint: disable=import-error

ACME = fixed_id('org:gh/acme')
API_SERVER = fixed_id('deploy-component:gh/acme/api/api-server')
PRODUCTION = fixed_id('deploy-env:gh/acme/production')
STAGING = fixed_id('deploy-env:gh/acme/staging')


@pytest.fixture
def deploys(standin, monkeypatch):
    for name in ('CIRCLECI_TOKEN', 'CIRCLE_TOKEN', 'CIRCLECI_API_URL'):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(_client.CircleCIClient, 'backoff_base', 0.01)
    plugin = lookup_loader.get('community.circleci.deploys')

    def call(*terms, **kwargs):
        return plugin.run(list(terms), variables={'circleci_api_url': standin.url, 'circleci_api_token': standin.token}, **kwargs)
    return call


def test_the_live_version_per_environment(standin, deploys):
    # The seed: api-server 1.1.0 live in production (1.0.0 before it), 1.2.0 in staging (1.1.0 before it).
    answer, = deploys('api-server', org_slug='gh/acme')
    assert [(i['component'], i['environment'], i['version'], i['is_live']) for i in answer] == [
        ('api-server', 'production', '1.1.0', True), ('api-server', 'staging', '1.2.0', True)]
    assert answer[0]['environment_id'] == PRODUCTION and answer[0]['component_id'] == API_SERVER
    assert set(answer[0]) == {'component', 'component_id', 'environment', 'environment_id', 'version', 'is_live', 'namespace',
                              'pipeline_id', 'workflow_id', 'job_id', 'job_number', 'last_deployed_at'}
    assert all(r['method'] == 'GET' for r in standin.requests)


def test_a_new_release_is_the_live_one(standin, deploys):
    with standin.app.lock:
        standin.app.seeders['deploy_versions'](standin.app, {'component': 'api-server', 'name': '1.3.0', 'environment': 'production',
                                                             'job_number': 77})
    answer, = deploys('api-server', org_id=ACME, environment='production')
    assert [(i['environment'], i['version'], i['job_number']) for i in answer] == [('production', '1.3.0', 77)]


def test_one_list_per_term_and_the_project_filter(standin, deploys):
    answers = deploys('api-server', 'worker', project_slug='gh/acme/api', environment='production')
    assert [[(i['component'], i['version']) for i in items] for items in answers] == [
        [('api-server', '1.1.0')], [('worker', '2.0.0')]]
    # worker runs in production only: with staging, an empty list.
    assert deploys('worker', org_slug='gh/acme', environment='staging') == [[]]


def test_an_unknown_component_is_named(standin, deploys):
    with pytest.raises(AnsibleLookupError) as info:
        deploys('api-server', 'payments', org_slug='gh/acme')
    assert str(info.value) == "component 'payments' does not exist in gh/acme (its components: api-server, web-frontend, worker)"
    with pytest.raises(AnsibleLookupError) as info:
        deploys('web-frontend', project_slug='gh/acme/api')
    assert "component 'web-frontend' does not exist in gh/acme/api" in str(info.value)


def test_an_unknown_environment_is_named(standin, deploys):
    with pytest.raises(AnsibleLookupError) as info:
        deploys('api-server', org_slug='gh/acme', environment='prod')
    assert str(info.value) == ("environment: organization gh/acme has no deploy environment named 'prod' "
                               "(its environments: development, production, staging)")


def test_two_components_of_one_name_need_the_project(standin, deploys):
    with standin.app.lock:
        standin.app.seeders['deploy_components'](standin.app, {'name': 'api-server', 'project_slug': 'gh/acme/web'})
    with pytest.raises(AnsibleLookupError) as info:
        deploys('api-server', org_slug='gh/acme')
    assert str(info.value).startswith("2 components are named 'api-server' in gh/acme (ids: ")
    assert str(info.value).endswith('name the project with project_slug')
    assert [i['version'] for i in deploys('api-server', project_slug='gh/acme/api', environment='production')[0]] == ['1.1.0']


@pytest.mark.parametrize('kwargs, message', [
    ({}, 'org_slug: give org_slug, org_id or project_slug'),
    ({'org_slug': 'gh/acme', 'org_id': ACME}, 'org_slug: give org_slug or org_id, not both'),
    ({'org_slug': 'acme'}, "org_slug: 'acme' is not an organization slug"),
    ({'org_id': 'acme'}, "org_id: 'acme' is not a UUID"),
    ({'project_slug': 'gh/acme'}, "project_slug: 'gh/acme' is not a project slug"),
    ({'org_slug': 'gh/acme', 'environment': ' '}, 'environment: must not be empty'),
])
def test_bad_input_sends_nothing(standin, deploys, kwargs, message):
    with pytest.raises(AnsibleLookupError) as info:
        deploys('api-server', **kwargs)
    assert str(info.value).startswith(message)
    assert standin.requests == []


def test_an_empty_term_sends_nothing(standin, deploys):
    with pytest.raises(AnsibleLookupError, match='^_terms: must not be empty$'):
        deploys('api-server', '', org_slug='gh/acme')
    assert standin.requests == []
