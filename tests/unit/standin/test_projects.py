# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The stand-in's part 2 project resources (tests/standin/resources_projects.py), over real HTTP:
standalone slugs and their UUID forms, project create/follow/delete, settings, the v3 look-up,
pipeline definitions, triggers, pipeline/run, pipeline values and the server_edition knob."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import re
import time

import pytest
import requests

# tests/unit/conftest.py puts tests/standin on sys.path.
from server import fixed_id, short_id  # pylint: disable=import-error

ORG_ID = fixed_id('org:circleci/acme-standalone')
ORG_SLUG = 'circleci/' + short_id(ORG_ID)
APP_ID = fixed_id('project:circleci/acme-standalone/app')
APP_SLUG = ORG_SLUG + '/' + short_id(APP_ID)
LIB_ID = fixed_id('project:circleci/acme-standalone/lib')
LIB_SLUG = ORG_SLUG + '/' + short_id(LIB_ID)
DEFINITION_ID = fixed_id('definition:acme-standalone/app/build')
TRIGGER_ID = fixed_id('trigger:acme-standalone/app/build')
APP_REPO = {'external_id': '520000001', 'full_name': 'acme/app'}
SHARED_REPO = {'external_id': '520000002', 'full_name': 'acme/shared-config'}
TOOLS_REPO = {'external_id': '520000003', 'full_name': 'acme/deploy-tools'}
UNKNOWN_ID = '0b5e6a4e-2f0c-4d7e-9a51-3c2d1e0f9a8b'
SETTING_KEYS = {'autocancel_builds', 'build_fork_prs', 'build_prs_only', 'disable_ssh', 'forks_receive_secret_env_vars',
                'oss', 'set_github_status', 'setup_workflows', 'write_settings_requires_admin', 'pr_only_branch_overrides'}
SHORT_ID = re.compile(r'^[0-9A-Za-z]{22}$')


@pytest.fixture
def api(standin):
    """``api(method, path, json=..., params=..., v='v2')``: a request with the token."""
    def call(method, path, v='v2', **kwargs):
        headers = {'Circle-Token': standin.token}
        return requests.request(method, '%s/api/%s%s' % (standin.url, v, path), headers=headers, timeout=10, **kwargs)
    return call


def ok(response, status=200):
    assert response.status_code == status, (response.status_code, response.text)
    return response.json()


def refused(response, status, message=None):
    assert response.status_code == status, (response.status_code, response.text)
    if message is not None:
        assert response.json() == {'message': message}
    return response.json()['message']


def seed(standin, **kinds):
    response = requests.post(standin.url + '/_standin/seed', json=kinds, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def state(standin, secrets=False):
    return requests.get(standin.url + '/_standin/state', params={'secrets': '1'} if secrets else {}, timeout=10).json()


def gh_definition(name='deploy', repo=None, checkout=None, **extra):
    repo = repo or APP_REPO
    body = {'name': name, 'config_source': {'provider': 'github_app', 'repo': {'external_id': repo['external_id']},
                                            'file_path': '.circleci/deploy.yml'},
            'checkout_source': {'provider': 'github_app', 'repo': {'external_id': (checkout or repo)['external_id']}}}
    body.update(extra)
    return body


def repo_trigger(repo=None, **extra):
    repo = repo or APP_REPO
    body = {'event_source': {'provider': 'github_app', 'repo': {'external_id': repo['external_id']}}}
    body.update(extra)
    return body


def webhook_trigger(**extra):
    body = {'event_source': {'provider': 'webhook', 'webhook': {'sender': 'datadog'}}, 'event_name': 'deploy-now',
            'checkout_ref': 'main', 'config_ref': 'main'}
    body.update(extra)
    return body


# -- slugs -------------------------------------------------------------------------------------------

def test_standalone_org_and_projects_have_short_id_slugs(api):
    orgs = dict((o['slug'], o) for o in ok(api('GET', '/me/collaborations')))
    assert orgs[ORG_SLUG]['id'] == ORG_ID and orgs[ORG_SLUG]['name'] == 'acme-standalone'
    assert orgs[ORG_SLUG]['vcs-type'] == 'circleci'
    project = ok(api('GET', '/project/' + APP_SLUG))
    assert project['slug'] == APP_SLUG and project['id'] == APP_ID and project['name'] == 'app'
    assert project['organization_slug'] == ORG_SLUG and project['organization_id'] == ORG_ID
    assert project['vcs_info']['provider'] == 'CircleCI'
    assert all(SHORT_ID.match(segment) for segment in APP_SLUG.split('/')[1:])
    assert ok(api('GET', '/project/gh/acme/api'))['slug'] == 'gh/acme/api'


@pytest.mark.parametrize('org, project', [(ORG_ID, APP_ID), (ORG_ID, short_id(APP_ID)), (short_id(ORG_ID), APP_ID),
                                          (ORG_ID.upper(), APP_ID.upper())])
def test_uuid_forms_answer_the_canonical_slug_in_every_project_route(api, org, project):
    slug = 'circleci/%s/%s' % (org, project)
    assert ok(api('GET', '/project/' + slug))['slug'] == APP_SLUG
    ok(api('POST', '/project/%s/envvar' % slug, json={'name': 'VIA_UUID', 'value': 'secret-1234'}), 201)
    assert [v['name'] for v in ok(api('GET', '/project/%s/envvar' % APP_SLUG))['items']] == ['VIA_UUID']
    assert set(ok(api('GET', '/project/%s/settings' % slug))['advanced']) == SETTING_KEYS
    run = ok(api('POST', '/project/%s/pipeline/run' % slug), 201)
    assert ok(api('GET', '/pipeline/' + run['id']))['project_slug'] == APP_SLUG


def test_the_old_seed_slug_is_now_the_uuid_form_of_the_first_standalone_project(api):
    org_id, project_id = fixed_id('org:circleci-native'), fixed_id('project:circleci-native')
    project = ok(api('GET', '/project/circleci/%s/%s' % (org_id, project_id)))
    assert project['id'] == project_id and project['organization_id'] == org_id
    assert project['slug'] == 'circleci/%s/%s' % (short_id(org_id), short_id(project_id))


@pytest.mark.parametrize('slug', ['circleci/acme-standalone/app', ORG_SLUG + '/app', 'circleci/acme-standalone/' + short_id(APP_ID)])
def test_a_circleci_slug_of_names_answers_400(api, slug):
    assert 'not by name' in refused(api('GET', '/project/' + slug), 400)
    refused(api('POST', '/project/%s/pipeline/run' % slug), 400)
    refused(api('GET', '/project/%s/settings' % slug), 400)


def test_a_circleci_org_slug_of_a_name_answers_400(api):
    refused(api('POST', '/organization/circleci/acme-standalone/project', json={'name': 'x'}), 400)
    refused(api('GET', '/context', params={'owner-slug': 'circleci/acme-standalone'}), 400)
    assert ok(api('GET', '/context', params={'owner-slug': 'circleci/' + ORG_ID}))['items'] == []


def test_unknown_or_mismatched_ids_answer_404(api):
    refused(api('GET', '/project/%s/%s' % (ORG_SLUG, short_id(UNKNOWN_ID))), 404, 'Project not found')
    refused(api('GET', '/project/%s/%s' % (ORG_SLUG, UNKNOWN_ID)), 404)
    other_org = fixed_id('org:circleci-native')
    refused(api('GET', '/project/circleci/%s/%s' % (other_org, APP_ID)), 404)
    refused(api('GET', '/project/circleci/%s/%s' % (UNKNOWN_ID, APP_ID)), 404)
    # The UUID of a classic org does not make a circleci/ slug.
    refused(api('GET', '/project/circleci/%s/%s' % (fixed_id('org:gh/acme'), fixed_id('project:gh/acme/api'))), 404)


def test_get_project_by_bare_uuid(api):
    assert ok(api('GET', '/project/' + APP_ID))['slug'] == APP_SLUG
    assert ok(api('GET', '/project/' + fixed_id('project:gh/acme/api')))['slug'] == 'gh/acme/api'
    refused(api('GET', '/project/' + UNKNOWN_ID), 404, 'Project not found')
    refused(api('GET', '/project/not-a-uuid'), 404)
    refused(api('GET', '/project/' + fixed_id('project:gh/forbidden/secret')), 403)


# -- create, follow, delete ------------------------------------------------------------------------

def test_create_a_standalone_project_then_409(api):
    created = ok(api('POST', '/organization/%s/project' % ORG_SLUG, json={'name': 'svc'}))
    org_part, project_part = created['slug'].rsplit('/', 1)
    assert org_part == ORG_SLUG and SHORT_ID.match(project_part) and project_part != 'svc'
    assert created['name'] == 'svc' and created['organization_id'] == ORG_ID
    assert ok(api('GET', '/project/' + created['slug'])) == created
    refused(api('POST', '/organization/%s/project' % ORG_SLUG, json={'name': 'svc'}), 409)
    refused(api('POST', '/organization/%s/project' % ORG_ID, json={'name': 'svc'}), 409)
    refused(api('POST', '/organization/circleci/%s/project' % ORG_ID, json={'name': 'app'}), 409)
    other = ok(api('POST', '/organization/%s/project' % ORG_ID, json={'name': 'svc2'}))
    assert other['organization_slug'] == ORG_SLUG and other['id'] != created['id']


def test_a_project_created_again_after_delete_has_a_new_id_and_slug(api):
    first = ok(api('POST', '/organization/%s/project' % ORG_SLUG, json={'name': 'again'}))
    ok(api('DELETE', '/project/' + first['slug']))
    second = ok(api('POST', '/organization/%s/project' % ORG_SLUG, json={'name': 'again'}))
    assert second['id'] != first['id'] and second['slug'] != first['slug']


@pytest.mark.parametrize('body, message', [
    (None, None), ({}, "Missing field 'name'."), ({'name': ''}, None), ({'name': 5}, None),
    ({'name': 'x', 'vcs_type': 'github'}, "Unexpected field 'vcs_type'."), (['x'], None),
])
def test_create_project_body_is_checked(api, standin, body, message):
    before = len(state(standin)['projects'])
    kwargs = {} if body is None else {'json': body}
    refused(api('POST', '/organization/%s/project' % ORG_SLUG, **kwargs), 400, message)
    assert len(state(standin)['projects']) == before


def test_create_project_on_a_classic_org_adopts_a_vcs_repository(api):
    project = ok(api('POST', '/organization/gh/acme/project', json={'name': 'new-service'}))
    assert project['slug'] == 'gh/acme/new-service' and project['vcs_info']['provider'] == 'GitHub'
    refused(api('POST', '/organization/gh/acme/project', json={'name': 'new-service'}), 409)
    refused(api('POST', '/organization/gh/acme/project', json={'name': 'api'}), 409)
    refused(api('POST', '/organization/gh/acme/project', json={'name': 'not-on-github'}), 404, 'Repository not found')
    bb = ok(api('POST', '/organization/%s/project' % fixed_id('org:bb/acme'), json={'name': 'new-bb-service'}))
    assert bb['slug'] == 'bb/acme/new-bb-service' and bb['vcs_info']['provider'] == 'Bitbucket'
    refused(api('POST', '/organization/gh/nobody/project', json={'name': 'x'}), 404, 'Organization not found')
    refused(api('POST', '/organization/%s/project' % UNKNOWN_ID, json={'name': 'x'}), 404)
    refused(api('POST', '/organization/gh/forbidden/project', json={'name': 'secret'}), 403)


def test_follow_a_classic_repository_answers_its_settings(api, standin):
    before = len(state(standin)['projects'])
    settings = ok(api('POST', '/project/gh/acme/new-service'), 201)
    assert set(settings) == {'advanced'} and set(settings['advanced']) == SETTING_KEYS
    assert ok(api('GET', '/project/gh/acme/new-service'))['name'] == 'new-service'
    ok(api('PATCH', '/project/gh/acme/new-service/settings', json={'advanced': {'disable_ssh': True}}))
    # Following again changes nothing and answers the settings as they are.
    assert ok(api('POST', '/project/github/acme/new-service'), 201)['advanced']['disable_ssh'] is True
    assert len(state(standin)['projects']) == before + 1


def test_follow_refusals(api):
    refused(api('POST', '/project/gh/acme/not-on-github'), 404, 'Project not found.')
    refused(api('POST', '/project/gh/acme/no-config'), 404, 'Branch not found.')
    refused(api('POST', '/project/gh/nobody/api'), 404)
    refused(api('POST', '/project/gl/acme/api'), 404)
    message = refused(api('POST', '/project/' + APP_SLUG), 405)
    assert 'classic Github OAuth and Bitbucket projects only' in message
    refused(api('POST', '/project/gh/acme/new-service', json={'branch': 'main'}), 400, 'Unexpected request body provided.')
    refused(api('POST', '/project/gh/forbidden/secret'), 403)


def test_delete_a_project_and_all_it_owns(api, standin):
    seed(standin, pipelines=[{'project_slug': APP_SLUG}], checkout_keys=[{'project_slug': APP_SLUG}],
         schedules=[{'project_slug': APP_SLUG, 'name': 'nightly'}], webhooks=[{'project_slug': APP_SLUG, 'name': 'hook'}],
         project_variables=[{'project_slug': APP_SLUG, 'variables': {'A': 'b'}}])
    pipeline = state(standin)['pipelines'][0]
    ok(api('PATCH', '/project/%s/settings' % APP_SLUG, json={'advanced': {'disable_ssh': True}}))
    assert ok(api('DELETE', '/project/circleci/%s/%s' % (ORG_ID, APP_ID))) == {'message': 'Project deleted'}
    refused(api('DELETE', '/project/' + APP_SLUG), 404, 'Project not found')
    refused(api('GET', '/project/' + APP_SLUG), 404)
    refused(api('GET', '/projects/%s/pipeline-definitions' % APP_ID), 404)
    refused(api('GET', '/pipeline/' + pipeline['id']), 404)
    dump = state(standin)
    assert APP_SLUG not in [p['slug'] for p in dump['projects']]
    assert dump['pipeline_definitions'] == [] and dump['triggers'] == [] and dump['pipelines'] == []
    assert dump['checkout_keys'] == [] and dump['schedules'] == [] and dump['webhooks'] == []
    assert APP_SLUG not in dump['project_settings']


def test_delete_a_classic_project(api, standin):
    assert ok(api('DELETE', '/project/gh/acme/web')) == {'message': 'Project deleted'}
    assert 'gh/acme/web' not in [p['slug'] for p in state(standin)['projects']]
    refused(api('DELETE', '/project/gh/forbidden/secret'), 403)


# -- settings ---------------------------------------------------------------------------------------

def test_settings_defaults_and_partial_patch(api):
    settings = ok(api('GET', '/project/gh/acme/api/settings'))['advanced']
    assert set(settings) == SETTING_KEYS
    assert settings['set_github_status'] is True and settings['oss'] is False and settings['pr_only_branch_overrides'] == []
    assert all(settings[k] is False for k in SETTING_KEYS - {'set_github_status', 'pr_only_branch_overrides'})
    answer = ok(api('PATCH', '/project/gh/acme/api/settings', json={'advanced': {'autocancel_builds': True, 'build_prs_only': True}}))
    expected = dict(settings, autocancel_builds=True, build_prs_only=True)
    assert answer == {'advanced': expected}
    assert ok(api('PATCH', '/project/gh/acme/api/settings', json={'advanced': {'set_github_status': False}}))['advanced'] == \
        dict(expected, set_github_status=False)
    assert ok(api('GET', '/project/gh/acme/api/settings'))['advanced'] == dict(expected, set_github_status=False)
    # Settings belong to one project.
    assert ok(api('GET', '/project/gh/acme/web/settings'))['advanced'] == settings


def test_branch_overrides_replace_the_list_and_come_back_in_another_order(api):
    sent = ['main', 'release', 'develop']
    answer = ok(api('PATCH', '/project/%s/settings' % APP_SLUG, json={'advanced': {'pr_only_branch_overrides': sent}}))
    got = answer['advanced']['pr_only_branch_overrides']
    assert got != sent and sorted(got) == sorted(sent)
    assert ok(api('GET', '/project/%s/settings' % APP_SLUG))['advanced']['pr_only_branch_overrides'] == got
    assert ok(api('PATCH', '/project/%s/settings' % APP_SLUG, json={'advanced': {'pr_only_branch_overrides': ['a', 'b', 'a']}}))[
        'advanced']['pr_only_branch_overrides'] == ['b', 'a']
    assert ok(api('PATCH', '/project/%s/settings' % APP_SLUG, json={'advanced': {'pr_only_branch_overrides': []}}))[
        'advanced']['pr_only_branch_overrides'] == []
    hundred = ['b%03d' % i for i in range(100)]
    assert len(ok(api('PATCH', '/project/%s/settings' % APP_SLUG, json={'advanced': {'pr_only_branch_overrides': hundred}}))[
        'advanced']['pr_only_branch_overrides']) == 100


@pytest.mark.parametrize('body, message', [
    ({'advanced': {'oss': True}}, "Unexpected field 'advanced.oss'."),
    ({'advanced': {'oss': False, 'disable_ssh': True}}, "Unexpected field 'advanced.oss'."),
    ({'advanced': {}}, 'No JSON fields found.'),
    ({}, 'No JSON fields found.'),
    (None, 'No JSON fields found.'),
    ({'advanced': {'disable_ssh': True, 'no_such_setting': True}}, "Unexpected field 'advanced.no_such_setting'."),
    ({'advanced': {'disable_ssh': True}, 'extra': 1}, "Unexpected field 'extra'."),
    ({'advanced': {'disable_ssh': 'yes'}}, "Setting 'disable_ssh' must be boolean."),
    ({'advanced': {'autocancel_builds': 1}}, "Setting 'autocancel_builds' must be boolean."),
    ({'advanced': {'pr_only_branch_overrides': 'main'}}, None),
    ({'advanced': {'pr_only_branch_overrides': ['main', 3]}}, None),
    ({'advanced': {'pr_only_branch_overrides': ['b%d' % i for i in range(101)]}},
     "Field 'pr_only_branch_overrides' only supports up to 100 branches."),
    ({'advanced': ['disable_ssh']}, None),
    ([{'advanced': {}}], 'Invalid JSON body.'),
])
def test_settings_patch_refusals_change_nothing(api, body, message):
    before = ok(api('GET', '/project/gh/acme/api/settings'))
    kwargs = {} if body is None else {'json': body}
    refused(api('PATCH', '/project/gh/acme/api/settings', **kwargs), 400, message)
    assert ok(api('GET', '/project/gh/acme/api/settings')) == before


def test_settings_of_unknown_or_foreign_projects(api):
    refused(api('GET', '/project/gh/acme/nope/settings'), 404)
    refused(api('PATCH', '/project/gh/acme/nope/settings', json={'advanced': {'disable_ssh': True}}), 404)
    refused(api('GET', '/project/gh/forbidden/secret/settings'), 403)


def test_seeded_settings_may_set_oss(api, standin):
    seed(standin, project_settings=[{'project_slug': 'gh/acme/api', 'advanced': {'oss': True, 'pr_only_branch_overrides': ['x', 'y']}}])
    settings = ok(api('GET', '/project/gh/acme/api/settings'))['advanced']
    assert settings['oss'] is True and sorted(settings['pr_only_branch_overrides']) == ['x', 'y']
    assert state(standin)['project_settings']['gh/acme/api']['oss'] is True


# -- the v3 look-up by name -------------------------------------------------------------------------

def test_v3_lookup_by_name(api, standin):
    found = ok(api('GET', '/projects', v='v3', params={'filter[org_id]': ORG_ID, 'filter[name]': 'app'}))
    assert found == {'items': [ok(api('GET', '/project/' + APP_SLUG))]}
    assert ok(api('GET', '/projects', v='v3', params={'filter[org_id]': ORG_ID, 'filter[name]': 'nope'})) == {'items': []}
    assert ok(api('GET', '/projects', v='v3', params={'filter[org_id]': ORG_ID, 'filter[name]': 'APP'})) == {'items': []}
    everything = ok(api('GET', '/projects', v='v3', params={'filter[org_id]': ORG_ID}))
    assert sorted(p['name'] for p in everything['items']) == ['app', 'lib']
    classic = ok(api('GET', '/projects', v='v3', params={'filter[org_id]': fixed_id('org:gh/acme'), 'filter[name]': 'web'}))
    assert [p['slug'] for p in classic['items']] == ['gh/acme/web']
    record = standin.requests
    assert [(r['api'], r['path']) for r in record][:2] == [('v3', '/projects'), ('v2', '/project/' + APP_SLUG)]
    assert record[0]['query'] == {'filter[org_id]': [ORG_ID], 'filter[name]': ['app']}


def test_v3_lookup_refusals(api, standin):
    refused(api('GET', '/projects', v='v3', params={'filter[name]': 'app'}), 400)
    refused(api('GET', '/projects', v='v3', params={'filter[org_id]': 'acme', 'filter[name]': 'app'}), 400)
    refused(api('GET', '/projects', v='v3', params={'filter[org_id]': UNKNOWN_ID}), 403)
    refused(api('GET', '/projects', v='v3', params={'filter[org_id]': fixed_id('org:gh/forbidden')}), 403)
    # Only v3 has it, and v3 has only it.
    refused(api('GET', '/projects', params={'filter[org_id]': ORG_ID}), 404)
    refused(api('GET', '/me', v='v3'), 404)
    # The same token check as v2.
    assert requests.get(standin.url + '/api/v3/projects', params={'filter[org_id]': ORG_ID}, timeout=10).status_code == 401
    assert [r['api'] for r in standin.requests] == ['v3'] * 4 + ['v2', 'v3', 'v3']


def test_v3_shares_faults_and_rate_limits_by_api(api, standin):
    standin.faults({'path': '^/projects$', 'api': 'v2', 'status': 503, 'count': 0})
    ok(api('GET', '/projects', v='v3', params={'filter[org_id]': ORG_ID}))
    standin.faults({'path': '^/projects$', 'api': 'v3', 'status': 502, 'count': 1})
    refused(api('GET', '/projects', v='v3', params={'filter[org_id]': ORG_ID}), 502)
    standin.faults({'path': '^/projects$', 'status': 500, 'count': 1})
    refused(api('GET', '/projects', v='v3', params={'filter[org_id]': ORG_ID}), 500)
    assert [r['status'] for r in standin.requests] == [200, 502, 500]
    assert all(r['api'] == 'v3' for r in standin.requests)


# -- pipeline definitions ----------------------------------------------------------------------------

def test_list_the_seeded_definition(api):
    listing = ok(api('GET', '/projects/%s/pipeline-definitions' % APP_ID))
    assert set(listing) == {'items'} and len(listing['items']) == 1
    definition = listing['items'][0]
    created_at = definition.pop('created_at')
    assert re.match(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$', created_at)
    assert definition == {'id': DEFINITION_ID, 'name': 'build', 'description': 'Build and test',
                          'config_source': {'provider': 'github_app', 'repo': APP_REPO, 'file_path': '.circleci/config.yml'},
                          'checkout_source': {'provider': 'github_app', 'repo': APP_REPO}}
    assert ok(api('GET', '/projects/%s/pipeline-definitions' % LIB_ID)) == {'items': []}


def test_create_get_and_list_definitions(api):
    created = ok(api('POST', '/projects/%s/pipeline-definitions' % LIB_ID, json=gh_definition(repo=SHARED_REPO, checkout=TOOLS_REPO)))
    assert created['config_source'] == {'provider': 'github_app', 'repo': SHARED_REPO, 'file_path': '.circleci/deploy.yml'}
    assert created['checkout_source'] == {'provider': 'github_app', 'repo': TOOLS_REPO}
    assert 'description' not in created and created['name'] == 'deploy' and created['created_at']
    assert ok(api('GET', '/projects/%s/pipeline-definitions/%s' % (LIB_ID, created['id']))) == created
    native = ok(api('POST', '/projects/%s/pipeline-definitions' % LIB_ID, json={
        'name': 'deploy', 'description': '', 'config_source': {'provider': 'circleci', 'file_path': 'ci/config.yml'},
        'checkout_source': {'provider': 'github_app', 'repo': {'external_id': '520000001'}}}))
    assert native['config_source'] == {'provider': 'circleci', 'file_path': 'ci/config.yml'} and native['description'] == ''
    # Names need not be unique; the list keeps creation order.
    assert [d['id'] for d in ok(api('GET', '/projects/%s/pipeline-definitions' % LIB_ID))['items']] == [created['id'], native['id']]


@pytest.mark.parametrize('change, message', [
    ({'name': None}, "Missing field 'name'."),
    ({'config_source': None}, "Missing field 'config_source'."),
    ({'checkout_source': None}, "Missing field 'checkout_source'."),
    ({'name': ''}, None),
    ({'name': 3}, None),
    ({'description': 3}, None),
    ({'extra': True}, "Unexpected field 'extra'."),
    ({'config_source': {'provider': 'bitbucket_dc', 'file_path': 'x'}}, None),
    ({'config_source': {'file_path': 'x'}}, "Missing field 'config_source.provider'."),
    ({'config_source': {'provider': 'github_app', 'file_path': 'x'}}, "Missing field 'config_source.repo'."),
    ({'config_source': {'provider': 'github_app', 'repo': {'external_id': '520000001'}}}, "Missing field 'config_source.file_path'."),
    ({'config_source': {'provider': 'github_app', 'repo': {}, 'file_path': 'x'}}, "Missing field 'config_source.repo.external_id'."),
    ({'config_source': {'provider': 'github_app', 'repo': {'external_id': '520000001', 'full_name': 'acme/app'}, 'file_path': 'x'}},
     "Unexpected field 'config_source.repo.full_name'."),
    ({'config_source': {'provider': 'github_app', 'repo': {'external_id': '999'}, 'file_path': 'x'}}, None),
    ({'config_source': {'provider': 'circleci', 'repo': {'external_id': '520000001'}, 'file_path': 'x'}},
     "Unexpected field 'config_source.repo'."),
    ({'config_source': {'provider': 'circleci', 'file_path': ''}}, None),
    ({'checkout_source': {'provider': 'circleci', 'repo': {'external_id': '520000001'}}}, None),
    ({'checkout_source': {'provider': 'github_app'}}, "Missing field 'checkout_source.repo'."),
    ({'checkout_source': {'provider': 'github_app', 'repo': {'external_id': '520000001'}, 'file_path': 'x'}},
     "Unexpected field 'checkout_source.file_path'."),
    ({'checkout_source': 'acme/app'}, None),
])
def test_create_definition_refusals(api, standin, change, message):
    body = gh_definition()
    for key, value in change.items():
        if value is None:
            del body[key]
        else:
            body[key] = value
    refused(api('POST', '/projects/%s/pipeline-definitions' % LIB_ID, json=body), 400, message)
    assert len(state(standin)['pipeline_definitions']) == 1


def test_definition_routes_need_a_known_project_and_definition(api):
    refused(api('GET', '/projects/%s/pipeline-definitions' % UNKNOWN_ID), 404, 'Project not found')
    refused(api('POST', '/projects/%s/pipeline-definitions' % UNKNOWN_ID, json=gh_definition()), 404)
    refused(api('GET', '/projects/not-a-uuid/pipeline-definitions'), 404)
    refused(api('GET', '/projects/%s/pipeline-definitions' % fixed_id('project:gh/forbidden/secret')), 403)
    refused(api('GET', '/projects/%s/pipeline-definitions/%s' % (APP_ID, UNKNOWN_ID)), 404, 'Pipeline definition not found')
    # A definition is reached through its own project only.
    refused(api('GET', '/projects/%s/pipeline-definitions/%s' % (LIB_ID, DEFINITION_ID)), 404)
    refused(api('PATCH', '/projects/%s/pipeline-definitions/%s' % (LIB_ID, DEFINITION_ID), json={'name': 'x'}), 404)
    refused(api('DELETE', '/projects/%s/pipeline-definitions/%s' % (LIB_ID, DEFINITION_ID)), 404)
    refused(api('GET', '/projects/%s/pipeline-definitions/%s/triggers' % (LIB_ID, DEFINITION_ID)), 404)


def test_patch_a_definition(api):
    path = '/projects/%s/pipeline-definitions/%s' % (APP_ID, DEFINITION_ID)
    before = ok(api('GET', path))
    after = ok(api('PATCH', path, json={'name': 'build-2', 'description': 'New', 'config_source': {'file_path': 'ci.yml'},
                                        'checkout_source': {'provider': 'github_app', 'repo': {'external_id': '520000003'}}}))
    assert after == dict(before, name='build-2', description='New', config_source=dict(before['config_source'], file_path='ci.yml'),
                         checkout_source={'provider': 'github_app', 'repo': TOOLS_REPO})
    assert ok(api('GET', path)) == after
    assert ok(api('PATCH', path, json={'checkout_source': {'repo': {'external_id': '520000001'}}}))['checkout_source']['repo'] == APP_REPO
    assert ok(api('PATCH', path, json={})) == ok(api('GET', path))


@pytest.mark.parametrize('body, message', [
    ({'config_source': {'provider': 'circleci'}}, "Unexpected field 'config_source.provider'."),
    ({'config_source': {'provider': 'github_app', 'file_path': 'x'}}, "Unexpected field 'config_source.provider'."),
    ({'config_source': {'repo': {'external_id': '520000002'}}}, "Unexpected field 'config_source.repo'."),
    ({'config_source': {'file_path': ''}}, None),
    ({'id': UNKNOWN_ID}, "Unexpected field 'id'."),
    ({'name': ''}, None),
    ({'checkout_source': {'provider': 'circleci'}}, None),
    ({'checkout_source': {'repo': {'external_id': '1'}}}, None),
    ({'name': 'x', 'created_at': '2020-01-01T00:00:00Z'}, "Unexpected field 'created_at'."),
])
def test_patch_definition_refusals_change_nothing(api, body, message):
    path = '/projects/%s/pipeline-definitions/%s' % (APP_ID, DEFINITION_ID)
    before = ok(api('GET', path))
    refused(api('PATCH', path, json=body), 400, message)
    assert ok(api('GET', path)) == before


def test_delete_a_definition_deletes_its_triggers(api):
    path = '/projects/%s/pipeline-definitions/%s' % (APP_ID, DEFINITION_ID)
    assert ok(api('DELETE', path)) == {'message': 'Pipeline definition deleted.'}
    refused(api('GET', path), 404)
    refused(api('DELETE', path), 404)
    refused(api('GET', '/projects/%s/triggers/%s' % (APP_ID, TRIGGER_ID)), 404, 'Trigger not found')


def test_seeded_definitions(api, standin):
    generated = seed(standin, vcs_repositories=[{'full_name': 'acme/one'}, {'full_name': 'acme/two', 'provider': 'bitbucket'}])
    assert [r['external_id'] for r in generated['vcs_repositories']] == ['600000001', '600000002']
    seeded = seed(standin, vcs_repositories=[{'full_name': 'acme/extra', 'external_id': '777'}],
                  pipeline_definitions=[
                      {'project_slug': LIB_SLUG, 'name': 'old', 'old': True,
                       'config_source': {'provider': 'github_app', 'repo': {'external_id': '777'}, 'file_path': 'x.yml'}},
                      {'project_id': LIB_ID, 'name': 'given', 'id': UNKNOWN_ID, 'description': 'd',
                       'config_source': {'provider': 'circleci', 'file_path': 'y.yml'},
                       'checkout_source': {'provider': 'github_app', 'repo': {'external_id': '520000002'}}}])
    old = seeded['pipeline_definitions'][0]
    assert 'created_at' not in old
    assert old['checkout_source'] == {'provider': 'github_app', 'repo': {'external_id': '777', 'full_name': 'acme/extra'}}
    assert ok(api('GET', '/projects/%s/pipeline-definitions/%s' % (LIB_ID, UNKNOWN_ID)))['description'] == 'd'
    response = requests.post(standin.url + '/_standin/seed', timeout=10, json={'pipeline_definitions': [
        {'project_slug': 'gh/acme/nope', 'name': 'x', 'config_source': {'provider': 'circleci', 'file_path': 'x'}}]})
    assert response.status_code == 400


# -- triggers ----------------------------------------------------------------------------------------

def triggers_path(definition=DEFINITION_ID, project=APP_ID):
    return '/projects/%s/pipeline-definitions/%s/triggers' % (project, definition)


def trigger_path(trigger, project=APP_ID):
    return '/projects/%s/triggers/%s' % (project, trigger)


def test_list_and_get_the_seeded_trigger(api):
    listing = ok(api('GET', triggers_path()))
    assert set(listing) == {'items'} and len(listing['items']) == 1
    trigger = listing['items'][0]
    assert set(trigger) == {'id', 'created_at', 'event_source', 'event_preset', 'event_name', 'checkout_ref', 'config_ref'}
    assert trigger['id'] == TRIGGER_ID and trigger['event_preset'] == 'all-pushes'
    assert trigger['event_source'] == {'provider': 'github_app', 'repo': APP_REPO}
    assert trigger['checkout_ref'] == trigger['config_ref'] == trigger['event_name'] == ''
    assert ok(api('GET', trigger_path(TRIGGER_ID))) == trigger
    # Reached through its own project only.
    refused(api('GET', trigger_path(TRIGGER_ID, LIB_ID)), 404, 'Trigger not found')
    refused(api('GET', trigger_path(UNKNOWN_ID)), 404, 'Trigger not found')


def test_identical_triggers_coexist(api):
    first = ok(api('POST', triggers_path(), json=repo_trigger(event_preset='only-tags')))
    second = ok(api('POST', triggers_path(), json=repo_trigger(event_preset='only-tags')))
    assert first['id'] != second['id']
    assert dict(first, id=None, created_at=None) == dict(second, id=None, created_at=None)
    assert [t['id'] for t in ok(api('GET', triggers_path()))['items']] == [TRIGGER_ID, first['id'], second['id']]


def test_refs_must_be_omitted_for_the_definitions_own_repository(api):
    refused(api('POST', triggers_path(), json=repo_trigger(checkout_ref='main')), 400, 'Checkout_ref cannot be provided.')
    refused(api('POST', triggers_path(), json=repo_trigger(config_ref='main')), 400, 'Config_ref cannot be provided.')
    other = ok(api('POST', triggers_path(), json=repo_trigger(TOOLS_REPO, checkout_ref='main', config_ref='release')))
    assert other['checkout_ref'] == 'main' and other['config_ref'] == 'release'
    assert other['event_source']['repo'] == TOOLS_REPO and 'event_preset' not in other
    # Config from one repository, checkout from another: each ref is judged against its own.
    split = ok(api('POST', '/projects/%s/pipeline-definitions' % LIB_ID, json=gh_definition(repo=SHARED_REPO, checkout=TOOLS_REPO)))
    path = triggers_path(split['id'], LIB_ID)
    assert ok(api('POST', path, json=repo_trigger(SHARED_REPO, checkout_ref='main')))['checkout_ref'] == 'main'
    refused(api('POST', path, json=repo_trigger(SHARED_REPO, config_ref='main')), 400, 'Config_ref cannot be provided.')
    assert ok(api('POST', path, json=repo_trigger(TOOLS_REPO, config_ref='main')))['config_ref'] == 'main'
    refused(api('POST', path, json=repo_trigger(TOOLS_REPO, checkout_ref='main')), 400, 'Checkout_ref cannot be provided.')


@pytest.mark.parametrize('body, message', [
    ({}, "Missing field 'event_source'."),
    ({'event_source': {}}, "Missing field 'event_source.provider'."),
    ({'event_source': {'provider': 'gitlab'}}, None),
    ({'event_source': {'provider': 'github_app'}}, "Missing field 'event_source.repo'."),
    ({'event_source': {'provider': 'github_app', 'repo': {}}}, "Missing field 'event_source.repo.external_id'."),
    ({'event_source': {'provider': 'github_app', 'repo': {'external_id': '999'}}}, None),
    ({'event_source': {'provider': 'github_app', 'repo': {'external_id': '520000001'}, 'webhook': {'sender': 'x'}}},
     "Unexpected field 'event_source.webhook'."),
    ({'event_source': {'provider': 'github_app', 'repo': {'external_id': '520000001', 'full_name': 'acme/app'}}},
     "Unexpected field 'event_source.repo.full_name'."),
    (repo_trigger(event_name='push'), None),
    (repo_trigger(event_preset='every-push'), None),
    (repo_trigger(disabled='yes'), None),
    (repo_trigger(name='mine'), "Unexpected field 'name'."),
    (repo_trigger(pipeline_definition_id=DEFINITION_ID), "Unexpected field 'pipeline_definition_id'."),
    ({'event_source': {'provider': 'github_oauth', 'repo': {'external_id': '520000003'}}, 'event_preset': 'all-pushes'}, None),
    (webhook_trigger(event_name=None), "Missing field 'event_name': webhook triggers need event_name, checkout_ref and config_ref."),
    (webhook_trigger(checkout_ref=None), None),
    (webhook_trigger(config_ref=None), None),
    (webhook_trigger(config_ref=''), None),
    (webhook_trigger(event_preset='all-pushes'), None),
    (dict(webhook_trigger(), event_source={'provider': 'webhook', 'repo': {'external_id': '520000001'}}),
     "Unexpected field 'event_source.repo'."),
    (dict(webhook_trigger(), event_source={'provider': 'webhook', 'webhook': {'url': 'https://x'}}),
     "Unexpected field 'event_source.webhook.url'."),
])
def test_create_trigger_refusals(api, standin, body, message):
    body = dict((k, v) for k, v in body.items() if v is not None)
    refused(api('POST', triggers_path(), json=body), 400, message)
    assert len(state(standin)['triggers']) == 1


def test_webhook_triggers_carry_a_secret_url(api, standin):
    first = ok(api('POST', triggers_path(), json=webhook_trigger()))
    second = ok(api('POST', triggers_path(), json=webhook_trigger(event_source={'provider': 'webhook'})))
    url = first['event_source']['webhook']['url']
    assert re.match(r'^https://[^?]+/%s\?secret=[0-9a-f]{40}$' % first['id'], url)
    assert url.split('secret=')[1] != second['event_source']['webhook']['url'].split('secret=')[1]
    assert first['event_source'] == {'provider': 'webhook', 'webhook': {'url': url, 'sender': 'datadog'}}
    assert second['event_source']['webhook'].keys() == {'url'}
    assert (first['event_name'], first['checkout_ref'], first['config_ref']) == ('deploy-now', 'main', 'main')
    assert ok(api('GET', trigger_path(first['id']))) == first
    masked = [t for t in state(standin)['triggers'] if t['id'] == first['id']][0]
    assert masked['event_source']['webhook']['url'] == url.split('secret=')[0] + 'secret=xxxx' + url[-4:]
    assert masked['definition_id'] == DEFINITION_ID and masked['project_id'] == APP_ID
    assert [t for t in state(standin, secrets=True)['triggers'] if t['id'] == first['id']][0]['event_source']['webhook']['url'] == url


def test_disabled_is_omitted_when_false(api):
    created = ok(api('POST', triggers_path(), json=repo_trigger(TOOLS_REPO, disabled=True)))
    assert created['disabled'] is True
    enabled = ok(api('PATCH', trigger_path(created['id']), json={'disabled': False}))
    assert 'disabled' not in enabled
    assert 'disabled' not in ok(api('GET', trigger_path(created['id'])))
    assert 'disabled' not in ok(api('POST', triggers_path(), json=repo_trigger(disabled=False)))
    webhook = ok(api('POST', triggers_path(), json=webhook_trigger()))
    assert ok(api('PATCH', trigger_path(webhook['id']), json={'disabled': True}))['disabled'] is True


def test_patch_triggers(api):
    path = trigger_path(TRIGGER_ID)
    before = ok(api('GET', path))
    assert ok(api('PATCH', path, json={'event_preset': 'only-open-prs'})) == dict(before, event_preset='only-open-prs')
    other = ok(api('POST', triggers_path(), json=repo_trigger(TOOLS_REPO, checkout_ref='main')))
    changed = ok(api('PATCH', trigger_path(other['id']), json={'checkout_ref': 'develop', 'config_ref': 'release'}))
    assert (changed['checkout_ref'], changed['config_ref']) == ('develop', 'release')
    assert ok(api('PATCH', trigger_path(other['id']), json={'checkout_ref': ''}))['checkout_ref'] == ''
    hook = ok(api('POST', triggers_path(), json=webhook_trigger()))
    change = {'event_name': 'other', 'event_source': {'webhook': {'sender': 'pagerduty'}}, 'checkout_ref': 'v1'}
    patched = ok(api('PATCH', trigger_path(hook['id']), json=change))
    assert patched['event_name'] == 'other' and patched['checkout_ref'] == 'v1'
    assert patched['event_source']['webhook'] == dict(hook['event_source']['webhook'], sender='pagerduty')


@pytest.mark.parametrize('body, message', [
    ({'checkout_ref': 'main'}, 'Checkout_ref cannot be provided.'),
    ({'config_ref': 'main'}, 'Config_ref cannot be provided.'),
    ({'event_source': {'repo': {'external_id': '520000003'}}}, "Unexpected field 'event_source.repo'."),
    ({'event_source': {'provider': 'webhook'}}, "Unexpected field 'event_source.provider'."),
    ({'event_source': {'webhook': {'sender': 'x'}}}, None),
    ({'pipeline_definition_id': UNKNOWN_ID}, "Unexpected field 'pipeline_definition_id'."),
    ({'definition_id': UNKNOWN_ID}, "Unexpected field 'definition_id'."),
    ({'event_name': 'push'}, None),
    ({'event_preset': 'sometimes'}, None),
    ({'disabled': 'no'}, None),
])
def test_patch_trigger_refusals_change_nothing(api, body, message):
    before = ok(api('GET', trigger_path(TRIGGER_ID)))
    refused(api('PATCH', trigger_path(TRIGGER_ID), json=body), 400, message)
    assert ok(api('GET', trigger_path(TRIGGER_ID))) == before


def test_patch_webhook_trigger_refusals(api):
    hook = ok(api('POST', triggers_path(), json=webhook_trigger()))
    for body in ({'checkout_ref': ''}, {'config_ref': ''}, {'event_name': ''}, {'event_preset': 'all-pushes'},
                 {'event_source': {'webhook': {'url': 'https://x'}}}):
        refused(api('PATCH', trigger_path(hook['id']), json=body), 400)
    assert ok(api('GET', trigger_path(hook['id']))) == hook


def test_delete_a_trigger(api):
    assert ok(api('DELETE', trigger_path(TRIGGER_ID))) == {'message': 'Trigger deleted.'}
    refused(api('DELETE', trigger_path(TRIGGER_ID)), 404, 'Trigger not found')
    assert ok(api('GET', triggers_path())) == {'items': []}
    refused(api('DELETE', trigger_path(TRIGGER_ID, LIB_ID)), 404)


def test_seeded_triggers(api, standin):
    seeded = seed(standin, triggers=[{'project_slug': APP_SLUG, 'definition_id': DEFINITION_ID, 'id': UNKNOWN_ID,
                                      'event_source': {'provider': 'webhook'}, 'event_name': 'e', 'checkout_ref': 'a',
                                      'config_ref': 'b', 'disabled': True}])
    assert seeded['triggers'][0]['id'] == UNKNOWN_ID and seeded['triggers'][0]['disabled'] is True
    assert 'secret=' in seeded['triggers'][0]['event_source']['webhook']['url']
    assert ok(api('GET', trigger_path(UNKNOWN_ID)))['event_name'] == 'e'
    response = requests.post(standin.url + '/_standin/seed', timeout=10, json={'triggers': [
        {'project_slug': APP_SLUG, 'definition_id': DEFINITION_ID, 'event_source': {'provider': 'webhook'}}]})
    assert response.status_code == 400


# -- server edition ----------------------------------------------------------------------------------

def test_server_edition_has_no_definitions_triggers_or_v3(api, standin):
    assert requests.post(standin.url + '/_standin/config', json={'server_edition': True}, timeout=10).status_code == 200
    for method, path, body in [
        ('GET', '/projects/%s/pipeline-definitions' % APP_ID, None),
        ('POST', '/projects/%s/pipeline-definitions' % APP_ID, gh_definition()),
        ('GET', '/projects/%s/pipeline-definitions/%s' % (APP_ID, DEFINITION_ID), None),
        ('PATCH', '/projects/%s/pipeline-definitions/%s' % (APP_ID, DEFINITION_ID), {'name': 'x'}),
        ('DELETE', '/projects/%s/pipeline-definitions/%s' % (APP_ID, DEFINITION_ID), None),
        ('GET', triggers_path(), None),
        ('POST', triggers_path(), repo_trigger()),
        ('GET', trigger_path(TRIGGER_ID), None),
        ('PATCH', trigger_path(TRIGGER_ID), {'event_preset': 'only-tags'}),
        ('DELETE', trigger_path(TRIGGER_ID), None),
    ]:
        refused(api(method, path, json=body), 404, 'Not found')
    refused(api('GET', '/projects', v='v3', params={'filter[org_id]': ORG_ID, 'filter[name]': 'app'}), 404, 'Not found')
    refused(api('POST', '/project/%s/pipeline/run' % APP_SLUG, json={'definition_id': DEFINITION_ID}), 400)
    ok(api('POST', '/project/gh/acme/api/pipeline/run'), 201)
    ok(api('GET', '/project/' + APP_SLUG))
    assert len(state(standin)['triggers']) == 1
    standin.reset(server_edition=True)
    refused(api('GET', triggers_path()), 404)


# -- pipeline/run and values -------------------------------------------------------------------------

def wait_for_workflows(api, pipeline_id, timeout=5.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        workflows = ok(api('GET', '/pipeline/%s/workflow' % pipeline_id))['items']
        if workflows and all(w['status'] not in ('running', 'on_hold', 'failing') for w in workflows):
            return workflows
        time.sleep(0.05)
    raise AssertionError('workflows of %s did not finish' % pipeline_id)


def test_run_a_definition_as_triggered_pipelines_run(api, standin):
    standin.reset(pipeline_setup_seconds=0.05, job_seconds=0.05)
    seed(standin, pipeline_plans=[{'project_slug': APP_SLUG, 'branch': 'feature', 'workflows': [
        {'name': 'deploy', 'jobs': [{'name': 'build'}, {'name': 'ship', 'requires': ['build'], 'outcome': 'failed'}]}]}])
    run = ok(api('POST', '/project/%s/pipeline/run' % APP_SLUG, json={
        'definition_id': DEFINITION_ID, 'config': {'branch': 'main'}, 'checkout': {'branch': 'feature'}}), 201)
    assert set(run) == {'id', 'state', 'number', 'created_at'} and run['state'] == 'pending' and run['number'] == 1
    pipeline = ok(api('GET', '/pipeline/' + run['id']))
    assert pipeline['vcs']['branch'] == 'feature' and pipeline['project_slug'] == APP_SLUG
    assert pipeline['vcs']['target_repository_url'] == 'https://github.com/acme/app'
    workflows = wait_for_workflows(api, run['id'])
    assert [(w['name'], w['status']) for w in workflows] == [('deploy', 'failed')]
    # The classic trigger and the run share the pipeline numbers.
    assert ok(api('POST', '/project/%s/pipeline' % APP_SLUG, json={'branch': 'main'}), 201)['number'] == 2
    assert ok(api('POST', '/project/%s/pipeline/run' % APP_SLUG), 201)['number'] == 3


def test_run_defaults_parameters_and_tags(api, standin):
    run = ok(api('POST', '/project/%s/pipeline/run' % APP_SLUG), 201)
    assert ok(api('GET', '/pipeline/' + run['id']))['vcs']['branch'] == 'main'
    tagged = ok(api('POST', '/project/gh/acme/api/pipeline/run', json={'checkout': {'tag': 'v1.0'}, 'parameters': {'deploy_prod': True}}),
                201)
    pipeline = ok(api('GET', '/pipeline/' + tagged['id']))
    assert pipeline['vcs']['tag'] == 'v1.0' and 'branch' not in pipeline['vcs']
    assert [p['parameters'] for p in state(standin)['pipelines'] if p['id'] == tagged['id']] == [{'deploy_prod': True}]
    follows_config = ok(api('POST', '/project/gh/acme/api/pipeline/run', json={'config': {'branch': 'develop'}}), 201)
    assert ok(api('GET', '/pipeline/' + follows_config['id']))['vcs']['branch'] == 'develop'


@pytest.mark.parametrize('body, message', [
    ({'branch': 'main'}, "Unexpected field 'branch'."),
    ({'config': {'branch': 'main', 'tag': 'v1'}}, 'config: branch and tag are mutually exclusive: specify only one'),
    ({'checkout': {'branch': 'main', 'tag': 'v1'}}, 'checkout: branch and tag are mutually exclusive: specify only one'),
    ({'checkout': {'ref': 'main'}}, "Unexpected field 'checkout.ref'."),
    ({'checkout': {}}, None),
    ({'config': {'branch': ''}}, None),
    ({'config': 'main'}, None),
    ({'definition_id': UNKNOWN_ID}, None),
    ({'definition_id': 'build'}, "Field 'definition_id' must be a UUID."),
    ({'parameters': {'no_such_parameter': 1}}, None),
    ({'parameters': {'deploy_prod': 'yes'}}, None),
])
def test_run_refusals_create_nothing(api, standin, body, message):
    refused(api('POST', '/project/%s/pipeline/run' % APP_SLUG, json=body), 400, message)
    assert state(standin)['pipelines'] == []


def test_run_needs_a_definition_of_the_project(api, standin):
    other = ok(api('POST', '/projects/%s/pipeline-definitions' % LIB_ID, json=gh_definition()))
    refused(api('POST', '/project/%s/pipeline/run' % APP_SLUG, json={'definition_id': other['id']}), 400)
    # A standalone project without any definition has nothing to run; a classic one runs without.
    native = 'circleci/%s/%s' % (fixed_id('org:circleci-native'), fixed_id('project:circleci-native'))
    refused(api('POST', '/project/%s/pipeline/run' % native), 400, 'This project has no pipeline definition to run')
    assert ok(api('POST', '/project/%s/pipeline/run' % LIB_SLUG, json={'definition_id': other['id'].upper()}), 201)
    assert len(state(standin)['pipelines']) == 1


def test_run_wants_three_literal_segments(api, standin):
    for path in ('/project/gh/acme%2Fapi/pipeline/run', '/project/gh%2Facme/api/pipeline/run', '/project/gh%2Facme%2Fapi/pipeline/run'):
        refused(api('POST', path), 404)
    assert [r['path'] for r in standin.requests][0] == '/project/gh/acme%2Fapi/pipeline/run'
    assert state(standin)['pipelines'] == []


def test_run_a_ci_skip_commit_triggers_nothing(api, standin):
    skipped = ok(api('POST', '/project/%s/pipeline/run' % APP_SLUG, json={'checkout': {'branch': 'ci-skip'}}))
    assert skipped == {'message': 'Ignoring pipeline due to CI skip in the commit'}
    seed(standin, ci_skip_refs=[{'project_slug': 'gh/acme/api', 'tag': 'v9'}])
    assert ok(api('POST', '/project/gh/acme/api/pipeline/run', json={'checkout': {'tag': 'v9'}})) == skipped
    assert state(standin)['pipelines'] == []
    ok(api('POST', '/project/gh/acme/web/pipeline/run', json={'checkout': {'tag': 'v9'}}), 201)
    # Only the checked out commit counts, and a refused body is refused before.
    ok(api('POST', '/project/gh/acme/api/pipeline/run', json={'config': {'branch': 'ci-skip'}, 'checkout': {'branch': 'main'}}), 201)
    refused(api('POST', '/project/gh/acme/api/pipeline/run', json={'checkout': {'branch': 'ci-skip'}, 'x': 1}), 400)
    assert {'project_id': None, 'branch': 'ci-skip'} in state(standin)['ci_skip_refs']


def test_pipeline_values(api):
    run = ok(api('POST', '/project/%s/pipeline/run' % APP_SLUG, json={'config': {'branch': 'cfg'}, 'checkout': {'branch': 'feature'}}),
             201)
    values = ok(api('GET', '/pipeline/%s/values' % run['id']))
    assert all(isinstance(v, (str, int, bool)) for v in values.values())
    assert values['pipeline.number'] == run['number'] and isinstance(values['pipeline.number'], int)
    assert values['pipeline.id'] == run['id'] and values['pipeline.git.branch'] == 'feature'
    assert values['pipeline.git.branch.is_default'] is False and values['pipeline.config.ref'] == 'cfg'
    assert values['pipeline.project.type'] == 'circleci' and values['pipeline.project.git_url'] == 'https://github.com/acme/app'
    assert values['pipeline.in_setup'] is False and values['pipeline.trigger_source'] == 'api'
    tagged = ok(api('POST', '/project/gh/acme/api/pipeline', json={'tag': 'v2'}), 201)
    values = ok(api('GET', '/pipeline/%s/values' % tagged['id']))
    assert values['pipeline.git.tag'] == 'v2' and 'pipeline.git.branch' not in values
    assert values['pipeline.project.type'] == 'github' and 'pipeline.config.ref' not in values
    refused(api('GET', '/pipeline/%s/values' % UNKNOWN_ID), 404, 'Pipeline not found')
    refused(api('GET', '/pipeline/nope/values'), 400)


# -- seeds and the state dump ------------------------------------------------------------------------

def test_seed_standalone_orgs_and_projects(api, standin):
    org = seed(standin, standalone_orgs=[{'name': 'beta'}])['standalone_orgs'][0]
    assert org['slug'] == 'circleci/' + short_id(fixed_id('org:circleci/beta')) and org['vcs_type'] == 'CircleCI'
    project = seed(standin, standalone_projects=[{'name': 'svc', 'org': org['slug']}])['standalone_projects'][0]
    assert project['slug'] == '%s/%s' % (org['slug'], short_id(fixed_id('project:circleci/beta/svc')))
    assert ok(api('GET', '/project/circleci/%s/%s' % (org['id'], project['id'])))['slug'] == project['slug']
    default = seed(standin, standalone_projects=[{'name': 'x'}])['standalone_projects'][0]
    assert default['organization_slug'] == ORG_SLUG
    hidden = seed(standin, standalone_orgs=[{'name': 'hidden', 'member': False}])['standalone_orgs'][0]
    refused(api('POST', '/organization/%s/project' % hidden['slug'], json={'name': 'x'}), 403)
    assert requests.post(standin.url + '/_standin/seed', json={'standalone_projects': [{'name': 'x', 'org': 'gh/acme'}]},
                         timeout=10).status_code == 400


def test_state_dump_of_the_new_objects(standin):
    dump = state(standin)
    assert {'full_name': 'acme/new-service', 'provider': 'github', 'external_id': '510000010', 'default_branch': 'main',
            'has_config': True} in dump['vcs_repositories']
    assert [d['id'] for d in dump['pipeline_definitions']] == [DEFINITION_ID]
    assert dump['pipeline_definitions'][0]['project_id'] == APP_ID
    assert [t['id'] for t in dump['triggers']] == [TRIGGER_ID]
    assert dump['project_settings'] == {}
    assert dump['ci_skip_refs'] == [{'project_id': None, 'branch': 'ci-skip'}]
    assert requests.get(standin.url + '/_standin/config', timeout=10).json()['server_edition'] is False
