# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The stand-in's governance resources (tests/standin/resources_governance.py), over HTTP."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import pytest
import requests

# tests/unit/conftest.py puts tests/standin on sys.path.
from server import fixed_id  # pylint: disable=import-error

ACME = fixed_id('org:gh/acme')
OTHER = fixed_id('org:gh/other')
FORBIDDEN = fixed_id('org:gh/forbidden')
NATIVE_SLUG = 'circleci/' + fixed_id('org:circleci-native')
NATIVE = fixed_id('org:circleci-native')
ACME_API = fixed_id('project:gh/acme/api')
ACME_WEB = fixed_id('project:gh/acme/web')
OTHER_API = fixed_id('project:gh/other/api')
MISSING = '00000000-0000-4000-8000-000000000000'


class Api:
    def __init__(self, standin):
        self.standin = standin
        self.base = standin.url + '/api/v2'

    def __call__(self, method, path, **kwargs):
        kwargs.setdefault('headers', {'Circle-Token': self.standin.token})
        return requests.request(method, self.base + path, timeout=10, **kwargs)

    def seed(self, **kinds):
        answer = requests.post(self.standin.url + '/_standin/seed', json=kinds, timeout=10)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def state(self):
        answer = requests.get(self.standin.url + '/_standin/state', timeout=10)
        assert answer.status_code == 200, answer.text
        return answer.json()


@pytest.fixture
def api(standin):
    return Api(standin)


def new_context(api, owner='gh/acme', name='deploy'):
    answer = api('POST', '/context', json={'name': name, 'owner': {'slug': owner, 'type': 'organization'}})
    assert answer.status_code == 200, answer.text
    return answer.json()['id']


def new_standalone(api, name='platform'):
    answer = api('POST', '/organization', json={'name': name, 'vcs_type': 'circleci'})
    assert answer.status_code == 201, answer.text
    return answer.json()


def assert_error(answer, status, key='message'):
    """A failure with the service's error shape: ``{"message"}`` or, for policy/OIDC, ``{"error"}``."""
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert isinstance(body.get(key), str) and body[key], body
    other = 'error' if key == 'message' else 'message'
    assert other not in body, body


# -- context restrictions -------------------------------------------------------------------

def test_new_context_starts_with_all_members(api):
    context_id = new_context(api)
    answer = api('GET', '/context/%s/restrictions' % context_id)
    assert answer.status_code == 200
    body = answer.json()
    assert body['next_page_token'] is None
    assert [(r['name'], r['restriction_type'], r['restriction_value'], r['context_id']) for r in body['items']] == [
        ('All members', 'group', ACME, context_id)]
    # Stable: the same restriction (same id) on every read.
    assert api('GET', '/context/%s/restrictions' % context_id).json() == body


def test_seeded_context_starts_with_all_members(api):
    seeded = api.seed(contexts=[{'name': 'seeded', 'owner_slug': 'gh/other'}])['contexts'][0]
    items = api('GET', '/context/%s/restrictions' % seeded['id']).json()['items']
    assert [(r['name'], r['restriction_value']) for r in items] == [('All members', OTHER)]
    assert api.state()['context_restrictions'][seeded['id']] == items


def test_project_restriction_create_answer_has_no_name_but_list_does(api):
    context_id = new_context(api)
    answer = api('POST', '/context/%s/restrictions' % context_id,
                 json={'restriction_type': 'project', 'restriction_value': ACME_WEB.upper()})
    assert answer.status_code == 201, answer.text
    created = answer.json()
    assert set(created) == {'id', 'project_id', 'restriction_type', 'restriction_value'}
    assert created['restriction_value'] == created['project_id'] == ACME_WEB
    items = api('GET', '/context/%s/restrictions' % context_id).json()['items']
    assert items[1] == dict(created, name='web', context_id=context_id)


def test_expression_and_group_restriction_names(api):
    org = new_standalone(api)
    group = api('POST', '/organizations/%s/groups' % org['id'], json={'name': 'Deployers'}).json()
    context_id = new_context(api, owner=org['slug'])
    expression = 'pipeline.git.branch == "main"'
    for kind, value in (('expression', expression), ('group', group['id'])):
        answer = api('POST', '/context/%s/restrictions' % context_id, json={'restriction_type': kind, 'restriction_value': value})
        assert answer.status_code == 201, answer.text
        assert 'name' not in answer.json() and 'project_id' not in answer.json()
    items = api('GET', '/context/%s/restrictions' % context_id).json()['items']
    assert [(r['restriction_type'], r['name'], r['restriction_value']) for r in items] == [
        ('group', 'All members', org['id']), ('expression', expression, expression), ('group', 'Deployers', group['id'])]


@pytest.mark.parametrize('body, status', [
    ({'restriction_type': 'project', 'restriction_value': ACME_API}, 409),
    ({'restriction_type': 'group', 'restriction_value': ACME}, 409),
    ({'restriction_type': 'project', 'restriction_value': 'gh/acme/api'}, 400),
    ({'restriction_type': 'project', 'restriction_value': MISSING}, 404),
    ({'restriction_type': 'project', 'restriction_value': OTHER_API}, 400),
    ({'restriction_type': 'project', 'restriction_value': fixed_id('project:gh/forbidden/secret')}, 400),
    ({'restriction_type': 'group', 'restriction_value': 'Deployers'}, 400),
    ({'restriction_type': 'group', 'restriction_value': MISSING}, 404),
    ({'restriction_type': 'group', 'restriction_value': OTHER}, 404),
    ({'restriction_type': 'expression', 'restriction_value': ''}, 400),
    ({'restriction_type': 'expression', 'restriction_value': '(pipeline.git.branch == "main"'}, 400),
    ({'restriction_type': 'expression', 'restriction_value': 'pipeline.git.branch == "main'}, 400),
    ({'restriction_type': 'branch', 'restriction_value': 'main'}, 400),
    ({'restriction_type': 'project'}, 400),
    ({'restriction_value': ACME_WEB}, 400),
])
def test_restriction_create_refusals(api, body, status):
    context_id = new_context(api)
    assert api('POST', '/context/%s/restrictions' % context_id,
               json={'restriction_type': 'project', 'restriction_value': ACME_API}).status_code == 201
    assert_error(api('POST', '/context/%s/restrictions' % context_id, json=body), status)
    assert len(api('GET', '/context/%s/restrictions' % context_id).json()['items']) == 2


def test_same_value_of_another_type_is_no_duplicate(api):
    context_id = new_context(api)
    answer = api('POST', '/context/%s/restrictions' % context_id, json={'restriction_type': 'expression', 'restriction_value': ACME})
    assert answer.status_code == 201


def test_restriction_delete(api):
    context_id = new_context(api)
    created = api('POST', '/context/%s/restrictions' % context_id,
                  json={'restriction_type': 'project', 'restriction_value': ACME_API}).json()
    answer = api('DELETE', '/context/%s/restrictions/%s' % (context_id, created['id']))
    assert answer.status_code == 200 and answer.json() == {'message': 'Context restriction deleted.'}
    assert [r['restriction_type'] for r in api('GET', '/context/%s/restrictions' % context_id).json()['items']] == ['group']
    assert_error(api('DELETE', '/context/%s/restrictions/%s' % (context_id, created['id'])), 404)
    assert_error(api('DELETE', '/context/%s/restrictions/%s' % (context_id, MISSING)), 404)
    assert_error(api('DELETE', '/context/%s/restrictions/not-a-uuid' % context_id), 400)
    # Deleting "All members" leaves the context with no restriction (admins only).
    all_members = api('GET', '/context/%s/restrictions' % context_id).json()['items'][0]
    assert api('DELETE', '/context/%s/restrictions/%s' % (context_id, all_members['id'])).status_code == 200
    assert api('GET', '/context/%s/restrictions' % context_id).json()['items'] == []


@pytest.mark.parametrize('method', ['PATCH', 'PUT', 'GET'])
def test_restrictions_have_no_update_nor_read_of_one(api, method):
    context_id = new_context(api)
    restriction = api('GET', '/context/%s/restrictions' % context_id).json()['items'][0]
    answer = api(method, '/context/%s/restrictions/%s' % (context_id, restriction['id']),
                 json={'restriction_type': 'expression', 'restriction_value': 'true'})
    assert_error(answer, 404)
    assert api('GET', '/context/%s/restrictions' % context_id).json()['items'] == [restriction]
    assert_error(api(method, '/context/%s/restrictions/%s' % (MISSING, restriction['id']), json={}), 403)


def test_unknown_deleted_or_foreign_context_answers_403(api):
    context_id = new_context(api)
    foreign = api.seed(contexts=[{'name': 'theirs', 'owner_slug': 'gh/forbidden'}])['contexts'][0]['id']
    assert api('DELETE', '/context/%s' % context_id).status_code == 200
    body = {'restriction_type': 'expression', 'restriction_value': 'true'}
    for gone in (context_id, MISSING, foreign):
        assert_error(api('GET', '/context/%s/restrictions' % gone), 403)
        assert_error(api('POST', '/context/%s/restrictions' % gone, json=body), 403)
        assert_error(api('DELETE', '/context/%s/restrictions/%s' % (gone, MISSING)), 403)
    assert_error(api('GET', '/context/not-a-uuid/restrictions'), 400)


def test_deleting_a_group_removes_its_restrictions(api):
    org = new_standalone(api)
    group = api('POST', '/organizations/%s/groups' % org['id'], json={'name': 'Deployers'}).json()
    context_id = new_context(api, owner=org['slug'])
    api('POST', '/context/%s/restrictions' % context_id, json={'restriction_type': 'group', 'restriction_value': group['id']})
    assert len(api('GET', '/context/%s/restrictions' % context_id).json()['items']) == 2
    assert api('DELETE', '/organizations/%s/groups/%s' % (org['id'], group['id'])).status_code == 204
    assert [r['name'] for r in api('GET', '/context/%s/restrictions' % context_id).json()['items']] == ['All members']


def test_restriction_seed_kind(api):
    context_id = new_context(api)
    seeded = api.seed(context_restrictions=[
        {'context_id': context_id, 'restriction_type': 'group', 'restriction_value': MISSING, 'name': 'GitHub team'},
        {'context_name': 'deploy', 'restriction_type': 'expression', 'restriction_value': 'true'},
    ])['context_restrictions']
    items = api('GET', '/context/%s/restrictions' % context_id).json()['items']
    assert [r['name'] for r in items] == ['All members', 'GitHub team', 'true']
    assert items[1:] == seeded
    api.seed(context_restrictions=[{'context_id': context_id, 'clear': True}])
    assert api('GET', '/context/%s/restrictions' % context_id).json()['items'] == []


# -- OIDC custom claims -----------------------------------------------------------------------

ORG_CLAIMS = '/org/%s/oidc-custom-claims' % ACME
PROJECT_CLAIMS = '/org/%s/project/%s/oidc-custom-claims' % (ACME, ACME_API)


def test_claims_read_when_nothing_is_customised(api):
    assert api('GET', ORG_CLAIMS).json() == {'org_id': ACME}
    answer = api('GET', PROJECT_CLAIMS)
    assert answer.status_code == 200 and answer.json() == {'org_id': ACME, 'project_id': ACME_API}


@pytest.mark.parametrize('sent, stored', [
    ('90m', '1h30m0s'), ('1h', '1h0m0s'), ('45s', '45s'), ('2d', '48h0m0s'), ('1w', '168h0m0s'),
    ('1500ms', '1.5s'), ('500ms', '500ms'), ('1h90m', '2h30m0s'), ('60s', '1m0s'), ('0s', '0s'),
    ('1d2h3m4s5ms', '26h3m4.005s'),
])
def test_ttl_is_stored_normalised(api, sent, stored):
    answer = api('PATCH', ORG_CLAIMS, json={'ttl': sent})
    assert answer.status_code == 200, answer.text
    assert answer.json()['ttl'] == stored
    assert api('GET', ORG_CLAIMS).json()['ttl'] == stored


@pytest.mark.parametrize('ttl', ['1 h', '1H', '1y', 'h', '', '1h1m1s1ms1h1m1s1ms', '-1h', 3600, '99999999999w'])
def test_invalid_ttl_is_refused_with_an_error_body(api, ttl):
    assert_error(api('PATCH', ORG_CLAIMS, json={'ttl': ttl}), 400, key='error')
    assert api('GET', ORG_CLAIMS).json() == {'org_id': ACME}


def test_audience_is_a_set_kept_in_the_servers_own_order(api):
    sent = ['a', 'b', 'c', 'a']
    answer = api('PATCH', ORG_CLAIMS, json={'audience': sent}).json()
    assert sorted(answer['audience']) == ['a', 'b', 'c']
    assert answer['audience'] not in (['a', 'b', 'c'], ['c', 'b', 'a'])
    assert 'audience_updated_at' in answer and 'ttl' not in answer
    # The order does not depend on the order sent.
    again = api('PATCH', ORG_CLAIMS, json={'audience': list(reversed(sent))}).json()
    assert again['audience'] == answer['audience'] == api('GET', ORG_CLAIMS).json()['audience']


def test_claims_patch_is_partial(api):
    api('PATCH', ORG_CLAIMS, json={'audience': ['sts.amazonaws.com'], 'ttl': '1h'})
    answer = api('PATCH', ORG_CLAIMS, json={'ttl': '30m'}).json()
    assert (answer['audience'], answer['ttl']) == (['sts.amazonaws.com'], '30m0s')
    assert set(answer) == {'org_id', 'audience', 'audience_updated_at', 'ttl', 'ttl_updated_at'}


@pytest.mark.parametrize('body', [{}, {'audience': []}, {'audience': 'one'}, {'audience': ['', 'x']}, {'audience': [1]}])
def test_claims_patch_refusals(api, body):
    assert_error(api('PATCH', ORG_CLAIMS, json=body), 400, key='error')


def test_claims_delete_resets_the_named_claims_and_answers_what_remains(api):
    api('PATCH', ORG_CLAIMS, json={'audience': ['x'], 'ttl': '1h'})
    answer = api('DELETE', ORG_CLAIMS, params={'claims': 'ttl'})
    assert answer.status_code == 200
    assert set(answer.json()) == {'org_id', 'audience', 'audience_updated_at'}
    assert api('DELETE', ORG_CLAIMS, params={'claims': 'audience,ttl'}).json() == {'org_id': ACME}
    assert api('GET', ORG_CLAIMS).json() == {'org_id': ACME}


@pytest.mark.parametrize('params', [{}, {'claims': ''}, {'claims': 'aud'}, {'claims': 'ttl,scope'}])
def test_claims_delete_needs_known_claims(api, params):
    api('PATCH', ORG_CLAIMS, json={'ttl': '1h'})
    assert_error(api('DELETE', ORG_CLAIMS, params=params), 400, key='error')
    assert api('GET', ORG_CLAIMS).json()['ttl'] == '1h0m0s'


def test_project_claims_are_their_own(api):
    api('PATCH', ORG_CLAIMS, json={'ttl': '2h'})
    answer = api('PATCH', PROJECT_CLAIMS, json={'audience': ['p']})
    assert answer.json()['project_id'] == ACME_API and 'ttl' not in answer.json()
    assert api('GET', ORG_CLAIMS).json().get('audience') is None
    other = '/org/%s/project/%s/oidc-custom-claims' % (ACME, ACME_WEB)
    assert api('GET', other).json() == {'org_id': ACME, 'project_id': ACME_WEB}
    assert api('DELETE', PROJECT_CLAIMS, params={'claims': 'audience'}).json() == {'org_id': ACME, 'project_id': ACME_API}
    assert api('GET', ORG_CLAIMS).json()['ttl'] == '2h0m0s'


@pytest.mark.parametrize('path, status', [
    ('/org/gh-acme/oidc-custom-claims', 400),
    ('/org/%s/oidc-custom-claims' % MISSING, 403),
    ('/org/%s/oidc-custom-claims' % FORBIDDEN, 403),
    ('/org/%s/project/api/oidc-custom-claims' % ACME, 400),
    ('/org/%s/project/%s/oidc-custom-claims' % (ACME, MISSING), 403),
    ('/org/%s/project/%s/oidc-custom-claims' % (ACME, OTHER_API), 403),
])
def test_claims_scope_errors(api, path, status):
    for method, kwargs in (('GET', {}), ('PATCH', {'json': {'ttl': '1h'}}), ('DELETE', {'params': {'claims': 'ttl'}})):
        assert_error(api(method, path, **kwargs), status, key='error')


def test_claims_seed_and_state(api):
    api.seed(oidc_claims=[{'org_slug': 'gh/acme', 'project_slug': 'gh/acme/web', 'ttl': '90m', 'audience': ['z']}])
    assert api('GET', '/org/%s/project/%s/oidc-custom-claims' % (ACME, ACME_WEB)).json()['ttl'] == '1h30m0s'
    assert [(c['org_id'], c['project_id'], c['ttl']) for c in api.state()['oidc_claims']] == [(ACME, ACME_WEB, '1h30m0s')]


# -- URL orb allow-list ------------------------------------------------------------------------

ORB_BODY = {'name': 'public orbs', 'prefix': 'https://raw.githubusercontent.com/CircleCI-Public/', 'auth': 'none'}


@pytest.mark.parametrize('org', ['gh/acme', ACME, 'gh%2Facme', 'GH/Acme'])
def test_orb_allow_list_create_and_list(api, org):
    path = '/organization/%s/url-orb-allow-list' % org
    assert api('GET', path).json() == {'items': []}
    answer = api('POST', path, json=ORB_BODY)
    assert answer.status_code == 200
    created = answer.json()
    assert set(created) == {'id', 'message'}
    second = api('POST', path, json=dict(ORB_BODY, auth='github-app')).json()
    listed = api('GET', '/organization/gh/acme/url-orb-allow-list').json()
    assert listed == {'items': [dict(ORB_BODY, id=created['id']), dict(ORB_BODY, id=second['id'], auth='github-app')]}


@pytest.mark.parametrize('auth', ['none', 'github-oauth', 'github-app', 'bitbucket-oauth'])
def test_orb_allow_list_auth_values(api, auth):
    assert api('POST', '/organization/gh/acme/url-orb-allow-list', json=dict(ORB_BODY, auth=auth)).status_code == 200


@pytest.mark.parametrize('change', [
    {'prefix': 'http://example.com/orbs/'}, {'prefix': 'https://example.com/orbs'}, {'prefix': 'https:///'},
    {'prefix': None}, {'auth': 'token'}, {'auth': None}, {'name': ''}, {'name': None},
])
def test_orb_allow_list_refusals(api, change):
    body = dict((k, v) for k, v in dict(ORB_BODY, **change).items() if v is not None)
    assert_error(api('POST', '/organization/gh/acme/url-orb-allow-list', json=body), 400)
    assert api('GET', '/organization/gh/acme/url-orb-allow-list').json() == {'items': []}


def test_orb_allow_list_delete_answers_200_either_way(api):
    created = api('POST', '/organization/gh/acme/url-orb-allow-list', json=ORB_BODY).json()
    for dummy in range(2):
        answer = api('DELETE', '/organization/gh/acme/url-orb-allow-list/%s' % created['id'])
        assert answer.status_code == 200 and answer.json()['id'] == created['id']
    assert api('GET', '/organization/%s/url-orb-allow-list' % ACME).json() == {'items': []}
    assert api('DELETE', '/organization/gh/acme/url-orb-allow-list/%s' % MISSING).status_code == 200


def test_orb_allow_list_entries_are_per_org_and_have_no_read_or_update(api):
    created = api('POST', '/organization/gh/acme/url-orb-allow-list', json=ORB_BODY).json()
    assert api('GET', '/organization/gh/other/url-orb-allow-list').json() == {'items': []}
    # Another org's delete does not remove it.
    assert api('DELETE', '/organization/gh/other/url-orb-allow-list/%s' % created['id']).status_code == 200
    assert len(api('GET', '/organization/gh/acme/url-orb-allow-list').json()['items']) == 1
    for method in ('GET', 'PUT', 'PATCH'):
        assert api(method, '/organization/gh/acme/url-orb-allow-list/%s' % created['id'], json=ORB_BODY).status_code in (404, 405)


@pytest.mark.parametrize('org, status', [('gh/nobody', 404), (MISSING, 404), ('gh/forbidden', 403)])
def test_orb_allow_list_org_errors(api, org, status):
    path = '/organization/%s/url-orb-allow-list' % org
    assert_error(api('GET', path), status)
    assert_error(api('POST', path, json=ORB_BODY), status)
    assert_error(api('DELETE', path + '/' + MISSING), status)


def test_orb_allow_list_seed_and_state(api):
    api.seed(url_orb_allow_list=[{'org_slug': 'gh/acme', 'name': 'n', 'prefix': 'https://x.example/'}])
    assert [e['auth'] for e in api('GET', '/organization/gh/acme/url-orb-allow-list').json()['items']] == ['none']
    assert [(e['org_id'], e['name']) for e in api.state()['url_orb_allow_list']] == [(ACME, 'n')]


# -- groups ---------------------------------------------------------------------------------

def test_groups_lifecycle(api):
    org = new_standalone(api)
    path = '/organizations/%s/groups' % org['id']
    assert api('GET', path).json() == {'items': [], 'next_page_token': None, 'total_count': 0}
    answer = api('POST', path, json={'name': 'Deployers', 'description': 'May deploy'})
    assert answer.status_code == 201
    group = answer.json()
    assert set(group) == {'id', 'name', 'description'} and group['description'] == 'May deploy'
    plain = api('POST', path, json={'name': 'Readers'}).json()
    assert plain['description'] == ''
    assert api('GET', '%s/%s' % (path, group['id'])).json() == group
    listed = api('GET', path, params={'limit': 1}).json()
    assert listed == {'items': [group, plain], 'next_page_token': None, 'total_count': 2}
    answer = api('DELETE', '%s/%s' % (path, group['id']))
    assert answer.status_code == 204 and answer.content == b''
    assert_error(api('GET', '%s/%s' % (path, group['id'])), 403)
    assert_error(api('DELETE', '%s/%s' % (path, group['id'])), 403)
    assert api('GET', path).json()['items'] == [plain]


@pytest.mark.parametrize('body, status', [
    ({'name': 'deployers'}, 409), ({}, 400), ({'name': ''}, 400), ({'name': 'x', 'members': []}, 400),
    ({'name': 'x', 'description': 5}, 400),
])
def test_group_create_refusals(api, body, status):
    org = new_standalone(api)
    api('POST', '/organizations/%s/groups' % org['id'], json={'name': 'Deployers'})
    assert_error(api('POST', '/organizations/%s/groups' % org['id'], json=body), status)
    assert api('GET', '/organizations/%s/groups' % org['id']).json()['total_count'] == 1


def test_at_most_100_groups(api):
    org = new_standalone(api)
    api.seed(groups=[{'org_id': org['id'], 'name': 'g%d' % n} for n in range(99)])
    path = '/organizations/%s/groups' % org['id']
    assert api('POST', path, json={'name': 'last'}).status_code == 201
    assert_error(api('POST', path, json={'name': 'one too many'}), 409)
    assert api('GET', path).json()['total_count'] == 100


@pytest.mark.parametrize('org_id, status', [(ACME, 403), (FORBIDDEN, 403), (MISSING, 404), ('gh/acme', 404)])
def test_groups_of_classic_unknown_or_foreign_orgs(api, org_id, status):
    path = '/organizations/%s/groups' % org_id
    assert_error(api('GET', path), status)
    assert_error(api('POST', path, json={'name': 'x'}), status)
    assert_error(api('GET', path + '/' + MISSING), status)
    assert_error(api('DELETE', path + '/' + MISSING), status)


def test_group_of_another_org_is_missing(api):
    first, second = new_standalone(api, 'first'), new_standalone(api, 'second')
    group = api('POST', '/organizations/%s/groups' % first['id'], json={'name': 'g'}).json()
    assert_error(api('GET', '/organizations/%s/groups/%s' % (second['id'], group['id'])), 403)
    assert_error(api('GET', '/organizations/%s/groups/not-a-uuid' % second['id']), 403)
    assert api('GET', '/organizations/%s/groups' % second['id']).json()['items'] == []


def test_seeded_native_org_takes_groups(api):
    answer = api('POST', '/organizations/%s/groups' % NATIVE, json={'name': 'g'})
    assert answer.status_code == 201
    assert [(g['org_id'], g['name']) for g in api.state()['groups']] == [(NATIVE, 'g')]


# -- organisations -------------------------------------------------------------------------

def test_create_standalone_org(api):
    answer = api('POST', '/organization', json={'name': 'Platform', 'vcs_type': 'circleci'})
    assert answer.status_code == 201
    org = answer.json()
    assert set(org) == {'id', 'name', 'slug', 'vcs_type'}
    assert (org['name'], org['vcs_type']) == ('Platform', 'circleci')
    assert org['slug'].startswith('circleci/') and len(org['slug']) > len('circleci/') and '-' not in org['slug']
    collaborations = dict((c['id'], c) for c in api('GET', '/me/collaborations').json())
    assert (collaborations[org['id']]['vcs-type'], collaborations[org['id']]['slug']) == ('circleci', org['slug'])
    assert_error(api('POST', '/organization', json={'name': 'platform', 'vcs_type': 'circleci'}), 409)
    # The new org is usable by slug and by id.
    assert api('GET', '/organization/%s/url-orb-allow-list' % org['slug']).status_code == 200
    assert api('POST', '/context', json={'name': 'c', 'owner': {'id': org['id']}}).status_code == 200


@pytest.mark.parametrize('vcs_type, slug', [('github', 'gh/unadopted'), ('bitbucket', 'bb/unadopted')])
def test_adopt_a_vcs_org(api, vcs_type, slug):
    answer = api('POST', '/organization', json={'name': 'Unadopted', 'vcs_type': vcs_type})
    assert answer.status_code == 201, answer.text
    org = answer.json()
    assert (org['slug'], org['vcs_type'], org['name']) == (slug, vcs_type, 'unadopted')
    collaborations = dict((c['slug'], c) for c in api('GET', '/me/collaborations').json())
    assert collaborations[slug]['vcs-type'] == vcs_type and collaborations[slug]['id'] == org['id']
    assert vcs_type not in [o['vcs_type'] for o in api.state()['vcs_orgs']]
    # Groups stay for standalone orgs only.
    assert_error(api('GET', '/organizations/%s/groups' % org['id']), 403)


def test_adopt_known_missing_or_seeded_vcs_orgs(api):
    known = api('POST', '/organization', json={'name': 'acme', 'vcs_type': 'github'})
    assert known.status_code == 201 and known.json()['id'] == ACME
    assert_error(api('POST', '/organization', json={'name': 'forbidden', 'vcs_type': 'github'}), 403)
    assert_error(api('POST', '/organization', json={'name': 'nowhere', 'vcs_type': 'github'}), 404)
    assert_error(api('POST', '/organization', json={'name': 'unadopted', 'vcs_type': 'circleci-github'}), 400)
    api.seed(vcs_orgs=[{'vcs_type': 'github', 'name': 'nowhere'}])
    assert api('POST', '/organization', json={'name': 'nowhere', 'vcs_type': 'github'}).json()['slug'] == 'gh/nowhere'


@pytest.mark.parametrize('body', [{}, {'name': 'x'}, {'vcs_type': 'circleci'}, {'name': '', 'vcs_type': 'circleci'},
                                  {'name': 'x', 'vcs_type': 'gitlab'}])
def test_create_org_refusals(api, body):
    assert_error(api('POST', '/organization', json=body), 400)


def test_delete_org_removes_its_projects_contexts_and_governance(api):
    context_id = new_context(api)
    api.seed(schedules=[{'project_slug': 'gh/acme/api', 'name': 's'}], checkout_keys=[{'project_slug': 'gh/acme/web'}],
             webhooks=[{'project_slug': 'gh/acme/api', 'name': 'w'}], pipelines=[{'project_slug': 'gh/acme/api'}],
             oidc_claims=[{'org_id': ACME, 'ttl': '1h'}, {'org_id': ACME, 'project_id': ACME_API, 'ttl': '1h'}],
             url_orb_allow_list=[{'org_id': ACME, 'name': 'n', 'prefix': 'https://x.example/'}],
             policies=[{'org_id': ACME, 'policies': {'a.rego': 'package org\npolicy_name["a"]\n'}}])
    api.seed(schedules=[{'project_slug': 'gh/other/api', 'name': 'kept'}])
    answer = api('DELETE', '/organization/gh/acme')
    assert answer.status_code == 202 and answer.json()['message']
    assert_error(api('GET', '/project/gh/acme/api'), 404)
    assert_error(api('GET', '/context/%s' % context_id), 403)
    assert ACME not in [c['id'] for c in api('GET', '/me/collaborations').json()]
    assert_error(api('GET', '/organization/gh/acme/url-orb-allow-list'), 404)
    assert_error(api('GET', '/owner/%s/context/config/policy-bundle' % ACME), 403, key='error')
    state = api.state()
    assert [p['slug'] for p in state['projects'] if p['slug'].startswith('gh/acme/')] == []
    assert [s['name'] for s in state['schedules']] == ['kept']
    assert state['checkout_keys'] == [] and state['webhooks'] == [] and state['oidc_claims'] == []
    assert [p['project_slug'] for p in state['pipelines']] == []
    assert state['url_orb_allow_list'] == [] and ACME not in state['config_policies']
    assert {'vcs_type': 'github', 'name': 'acme'} in state['vcs_orgs']
    # Other orgs are untouched; the org can be adopted again, empty.
    assert api('GET', '/project/gh/other/api').status_code == 200
    assert api('POST', '/organization', json={'name': 'acme', 'vcs_type': 'github'}).json()['id'] == ACME
    assert_error(api('GET', '/project/gh/acme/api'), 404)


def test_delete_standalone_org_by_slug_or_id(api):
    first, second = new_standalone(api, 'first'), new_standalone(api, 'second')
    assert api('DELETE', '/organization/%s' % first['slug']).status_code == 202
    assert api('DELETE', '/organization/%s' % second['id']).status_code == 202
    ids = [c['id'] for c in api('GET', '/me/collaborations').json()]
    assert first['id'] not in ids and second['id'] not in ids
    assert_error(api('DELETE', '/organization/%s' % first['slug']), 404)
    # A standalone org is not returned to the VCS list; its name is free again.
    assert new_standalone(api, 'first')['id'] != first['id']


@pytest.mark.parametrize('org, status', [('gh/nobody', 404), (MISSING, 404), ('gh/forbidden', 403), ('gh/acme', 403)])
def test_delete_org_refusals(api, org, status):
    api.seed(paid_orgs=[{'org_slug': 'gh/acme'}])
    assert_error(api('DELETE', '/organization/%s' % org), status)
    assert api('GET', '/project/gh/acme/api').status_code == 200
    assert ACME in api.state()['paid_orgs']


# -- config policies -------------------------------------------------------------------------

POLICIES = '/owner/%s/context/config' % ACME


def rego(name, *lines):
    return '\n'.join(['package org', '', 'import future.keywords', '', 'policy_name["%s"]' % name] + list(lines)) + '\n'


NO_LATEST = rego('images', 'enable_rule["no_latest"]', 'hard_fail["no_latest"]', '# standin-deny: no_latest :latest',
                 'no_latest = reason {', '  reason := "no :latest images"', '}')
SMALL = rego('resources', 'enable_rule["small_only"]', '# standin-deny: small_only resource_class: xlarge',
             '# standin-deny: disabled_rule medium')


def push(api, policies, dry=False, owner=POLICIES):
    return api('POST', owner + '/policy-bundle', params={'dry': 'true'} if dry else None, json={'policies': policies})


def test_empty_bundle_and_settings(api):
    assert api('GET', POLICIES + '/policy-bundle').json() == {}
    assert api('GET', POLICIES + '/policy-bundle/').json() == {}
    assert api('GET', POLICIES + '/decision/settings').json() == {'enabled': False}
    assert api('GET', POLICIES + '/decision').json() == []


def test_dry_run_stores_nothing_and_push_answers_the_same_diff(api):
    answer = push(api, {'images.rego': NO_LATEST, 'resources.rego': SMALL}, dry=True)
    assert answer.status_code == 200 and answer.json() == {'created': ['images', 'resources']}
    assert api('GET', POLICIES + '/policy-bundle').json() == {}
    assert api.state()['config_policies'].get(ACME, {}).get('policies', {}) == {}
    answer = push(api, {'images.rego': NO_LATEST, 'resources.rego': SMALL})
    assert answer.status_code == 201 and answer.json() == {'created': ['images', 'resources']}
    bundle = api('GET', POLICIES + '/policy-bundle').json()
    assert sorted(bundle) == ['images', 'resources']
    assert bundle['images']['content'] == NO_LATEST and bundle['images']['name'] == 'images'
    assert bundle['images']['created_by'] == fixed_id('user:standin') and bundle['images']['created_at']
    # Nothing changed: the diff is empty and its lists are omitted.
    assert push(api, {'images.rego': NO_LATEST, 'resources.rego': SMALL}, dry=True).json() == {}
    assert push(api, {'images.rego': NO_LATEST, 'resources.rego': SMALL}).json() == {}
    assert api('GET', POLICIES + '/policy-bundle').json() == bundle


def test_push_replaces_the_whole_bundle(api):
    push(api, {'images.rego': NO_LATEST, 'resources.rego': SMALL})
    before = api('GET', POLICIES + '/policy-bundle').json()
    changed = NO_LATEST.replace('no :latest images', 'pin your images')
    diff = {'created': ['extra'], 'modified': ['images'], 'deleted': ['resources']}
    files = {'images.rego': changed, 'extra.rego': rego('extra')}
    assert push(api, files, dry=True).json() == diff
    assert api('GET', POLICIES + '/policy-bundle').json() == before
    assert push(api, files).json() == diff
    after = api('GET', POLICIES + '/policy-bundle').json()
    assert sorted(after) == ['extra', 'images'] and after['images']['content'] == changed
    assert push(api, {}).json() == {'deleted': ['extra', 'images']}
    assert api('GET', POLICIES + '/policy-bundle').json() == {}


def test_policies_are_named_by_policy_name_not_file_name(api):
    assert push(api, {'some/dir/file.rego': rego('my_policy')}).json() == {'created': ['my_policy']}
    assert api('GET', POLICIES + '/policy-bundle/my_policy').json()['name'] == 'my_policy'
    assert_error(api('GET', POLICIES + '/policy-bundle/file.rego'), 404, key='error')
    # The same policy under another file name is no change.
    assert push(api, {'renamed.rego': rego('my_policy')}).json() == {}


def test_unchanged_policy_keeps_its_created_at(api):
    push(api, {'images.rego': NO_LATEST})
    first = api('GET', POLICIES + '/policy-bundle/images').json()
    api.seed(policies=[{'org_id': OTHER, 'policies': {}}])
    push(api, {'images.rego': NO_LATEST, 'resources.rego': SMALL})
    assert api('GET', POLICIES + '/policy-bundle/images').json() == first
    assert set(first) == {'name', 'content', 'created_at', 'created_by'}


@pytest.mark.parametrize('text', [
    'policy_name["x"]\n',
    'package foo\npolicy_name["x"]\n',
    'package org\n',
    'package org\nenable_rule["x"]\npolicy_name["x"]\n',
    'package org\npolicy_name["has space"]\n',
    'package org\npolicy_name[""]\n',
    'package org\npolicy_name["%s"]\n' % ('x' * 81),
    'package org\npolicy_name = "x"\n',
    'package org\npolicy_name["x"]\nrule { true\n',
    'package org\npolicy_name["x"]\nrule = "unterminated\n',
    'package org\npolicy_name["x"]\nrule { input.a[0 }\n',
    'package org\npolicy_name["x"]\n}\n',
])
def test_invalid_rego_is_refused(api, text):
    push(api, {'images.rego': NO_LATEST})
    for dry in (True, False):
        answer = push(api, {'images.rego': NO_LATEST, 'bad.rego': text}, dry=dry)
        assert_error(answer, 400, key='error')
        assert 'bad.rego' in answer.json()['error']
    assert list(api('GET', POLICIES + '/policy-bundle').json()) == ['images']


def test_rego_checks_ignore_comments_and_strings(api):
    text = rego('tricky', '# a comment with { and "', 'msg = "a } and # in a string"', 'raw = `multi', 'line {`')
    assert push(api, {'t.rego': text}).status_code == 201


def test_duplicate_policy_names_and_bad_bodies(api):
    answer = push(api, {'a.rego': rego('same'), 'b.rego': rego('same')})
    assert_error(answer, 400, key='error')
    assert 'declared 2 times' in answer.json()['error']
    for body in ({}, {'policies': []}, {'policies': {'a.rego': 5}}, {'policies': 'package org'}):
        assert_error(api('POST', POLICIES + '/policy-bundle', json=body), 400, key='error')
    huge = rego('huge', '# ' + 'x' * (2621440 + 1))
    assert_error(push(api, {'huge.rego': huge}), 413, key='error')
    assert api('GET', POLICIES + '/policy-bundle').json() == {}


@pytest.mark.parametrize('owner, status', [
    ('/owner/gh-acme/context/config', 400), ('/owner/%s/context/other' % ACME, 400),
    ('/owner/%s/context/config' % MISSING, 403), ('/owner/%s/context/config' % FORBIDDEN, 403),
])
def test_policy_owner_and_context_errors(api, owner, status):
    for method, path, kwargs in (('GET', '/policy-bundle', {}), ('POST', '/policy-bundle', {'json': {'policies': {}}}),
                                 ('GET', '/policy-bundle/x', {}), ('GET', '/decision/settings', {}),
                                 ('PATCH', '/decision/settings', {'json': {'enabled': True}}),
                                 ('POST', '/decision', {'json': {'input': 'version: 2.1'}}), ('GET', '/decision', {}),
                                 ('GET', '/decision/%s' % MISSING, {}), ('GET', '/decision/%s/policy-bundle' % MISSING, {})):
        assert_error(api(method, owner + path, **kwargs), status, key='error')


def test_any_member_org_has_policies(api):
    org = new_standalone(api)
    owner = '/owner/%s/context/config' % org['id']
    assert push(api, {'a.rego': rego('a')}, owner=owner).status_code == 201
    assert list(api('GET', owner + '/policy-bundle').json()) == ['a']
    assert api('GET', POLICIES + '/policy-bundle').json() == {}


def test_decision_settings(api):
    answer = api('PATCH', POLICIES + '/decision/settings', json={'enabled': True})
    assert answer.status_code == 200 and answer.json() == {'enabled': True}
    assert api('GET', POLICIES + '/decision/settings').json() == {'enabled': True}
    for body in ({}, {'enabled': 'true'}, {'enabled': None}):
        assert_error(api('PATCH', POLICIES + '/decision/settings', json=body), 400, key='error')
    assert api('GET', POLICIES + '/decision/settings').json() == {'enabled': True}
    assert api.state()['config_policies'][ACME]['enabled'] is True


@pytest.mark.parametrize('config, expected', [
    ('version: 2.1\n', {'status': 'PASS', 'enabled_rules': ['no_latest', 'small_only']}),
    ('image: cimg/base:latest\n', {'status': 'HARD_FAIL', 'enabled_rules': ['no_latest', 'small_only'],
                                   'hard_failures': [{'rule': 'no_latest', 'reason': ':latest found in config'}]}),
    ('resource_class: xlarge\nsize: medium\n', {
        'status': 'SOFT_FAIL', 'enabled_rules': ['no_latest', 'small_only'],
        'soft_failures': [{'rule': 'small_only', 'reason': 'resource_class: xlarge found in config'}]}),
    ('image: x:latest\nresource_class: xlarge\n', {
        'status': 'HARD_FAIL', 'enabled_rules': ['no_latest', 'small_only'],
        'hard_failures': [{'rule': 'no_latest', 'reason': ':latest found in config'}],
        'soft_failures': [{'rule': 'small_only', 'reason': 'resource_class: xlarge found in config'}]}),
])
def test_decisions(api, config, expected):
    push(api, {'images.rego': NO_LATEST, 'resources.rego': SMALL})
    answer = api('POST', POLICIES + '/decision', json={'input': config})
    assert answer.status_code == 200 and answer.json() == expected
    logs = api('GET', POLICIES + '/decision').json()
    assert [log['decision'] for log in logs] == [expected]


def test_decision_without_policies_error_and_bad_input(api):
    assert api('POST', POLICIES + '/decision', json={'input': 'image: x:latest'}).json() == {'status': 'PASS'}
    push(api, {'e.rego': rego('broken', '# standin-error: eval_conflict_error: complete rules must not produce multiple outputs')})
    answer = api('POST', POLICIES + '/decision', json={'input': 'version: 2.1'}).json()
    assert answer['status'] == 'ERROR' and 'eval_conflict_error' in answer['reason']
    for body in ({}, {'input': 5}, {'input': 'x', 'metadata': 'main'}):
        assert_error(api('POST', POLICIES + '/decision', json=body), 400, key='error')
    assert len(api('GET', POLICIES + '/decision').json()) == 2


def test_decision_logs_page_by_offset_newest_first(api):
    for number in range(5):
        api('POST', POLICIES + '/decision', json={'input': 'n: %d' % number, 'metadata': {'build_number': number}})
    pages, offset = [], 0
    for dummy in range(10):
        page = api('GET', POLICIES + '/decision', params={'offset': offset}).json()
        if not page:
            break
        pages.append([log['metadata']['build_number'] for log in page])
        offset += len(page)
    assert pages == [[4, 3], [2, 1], [0]]
    log = api('GET', POLICIES + '/decision').json()[0]
    assert set(log) == {'id', 'created_at', 'decision', 'metadata', 'policies', 'time_taken_ms'}
    assert_error(api('GET', POLICIES + '/decision', params={'offset': 'x'}), 400, key='error')


def all_logs(api, **params):
    """Every decision log, as a client reads them: pages by offset until an empty one."""
    logs = []
    for dummy in range(50):
        answer = api('GET', POLICIES + '/decision', params=dict(params, offset=len(logs)))
        assert answer.status_code == 200, answer.text
        if not answer.json():
            return logs
        logs.extend(answer.json())
    raise AssertionError('decision log pages never end')


def test_decision_log_filters(api):
    project = ACME_API
    api.seed(policy_decisions=[
        {'org_id': ACME, 'status': 'PASS', 'created_at': '2025-01-01T00:00:00Z', 'metadata': {'vcs': {'branch': 'main'}}},
        {'org_id': ACME, 'status': 'HARD_FAIL', 'created_at': '2025-02-01T00:00:00Z',
         'hard_failures': [{'rule': 'r', 'reason': 'x'}], 'metadata': {'project_id': project, 'vcs': {'branch': 'dev'}}},
        {'org_id': ACME, 'status': 'PASS', 'created_at': '2025-03-01T00:00:00.5+01:00', 'metadata': {'branch': 'main', 'build_number': 7}},
    ])

    def statuses(**params):
        return [(log['decision']['status'], log['created_at'][:7]) for log in all_logs(api, **params)]
    assert statuses() == [('PASS', '2025-03'), ('HARD_FAIL', '2025-02'), ('PASS', '2025-01')]
    assert statuses(status='HARD_FAIL') == [('HARD_FAIL', '2025-02')]
    assert statuses(branch='main') == [('PASS', '2025-03'), ('PASS', '2025-01')]
    assert statuses(project_id=project) == [('HARD_FAIL', '2025-02')]
    assert statuses(build_number='7') == [('PASS', '2025-03')]
    assert statuses(after='2025-01-15T00:00:00Z') == [('PASS', '2025-03'), ('HARD_FAIL', '2025-02')]
    assert statuses(before='2025-02-01T00:00:00Z') == [('PASS', '2025-01')]
    assert statuses(after='2025-01-01T00:00:00Z', before='2025-03-01T00:00:00+01:00') == [('HARD_FAIL', '2025-02')]
    assert statuses(status='PASS', branch='dev') == []
    assert_error(api('GET', POLICIES + '/decision', params={'after': 'yesterday'}), 400, key='error')
    assert_error(api('GET', POLICIES + '/decision', params={'before': '2025-13-01T00:00:00Z'}), 400, key='error')


def test_one_decision_log_and_the_bundle_it_used(api):
    push(api, {'images.rego': NO_LATEST})
    used = api('GET', POLICIES + '/policy-bundle').json()
    answer = api('POST', POLICIES + '/decision', json={'input': 'image: x:latest', 'metadata': {'project_id': ACME_API}})
    log = api('GET', POLICIES + '/decision').json()[0]
    assert log['decision'] == answer.json() and log['metadata'] == {'project_id': ACME_API}
    assert list(log['policies']) == ['images'] and len(log['policies']['images']) == 128
    push(api, {'resources.rego': SMALL})
    assert api('GET', POLICIES + '/decision/%s' % log['id']).json() == log
    assert api('GET', POLICIES + '/decision/%s/policy-bundle' % log['id']).json() == used
    assert_error(api('GET', POLICIES + '/decision/%s' % MISSING), 404, key='error')
    assert_error(api('GET', POLICIES + '/decision/%s/policy-bundle' % MISSING), 404, key='error')
    assert_error(api('GET', POLICIES + '/decision/not-a-uuid'), 400, key='error')
    # Decisions are the owner's own.
    assert api('GET', '/owner/%s/context/config/decision' % OTHER).json() == []
    assert_error(api('GET', '/owner/%s/context/config/decision/%s' % (OTHER, log['id'])), 404, key='error')


def test_policy_seed_kinds_and_state(api):
    api.seed(policies=[{'org_slug': 'gh/acme', 'policies': {'images.rego': NO_LATEST}, 'enabled': True}])
    assert api('GET', POLICIES + '/decision/settings').json() == {'enabled': True}
    seeded = api.seed(policy_decisions=[{'org_id': ACME, 'input': 'image: x:latest'}])['policy_decisions'][0]
    assert seeded['decision']['status'] == 'HARD_FAIL'
    state = api.state()
    assert list(state['config_policies'][ACME]['policies']) == ['images']
    assert [(d['id'], d['org_id']) for d in state['policy_decisions']] == [(seeded['id'], ACME)]
    answer = requests.post(api.standin.url + '/_standin/seed', json={'policies': [{'org_id': ACME, 'policies': {'x.rego': 'nope'}}]},
                           timeout=10)
    assert answer.status_code == 400


def test_error_shape_of_auth_failures_stays_message(api):
    answer = requests.get(api.base + POLICIES + '/policy-bundle', timeout=10)
    assert_error(answer, 401)
