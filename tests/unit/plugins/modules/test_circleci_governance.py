# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The governance modules in-process against the stand-in: what each sends, in which order, and
what it refuses before any request. The integration targets run the same as a playbook."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import pytest

from ansible.module_utils import basic

from ansible_collections.community.circleci.plugins.modules import (
    circleci_config_policies,
    circleci_context,
    circleci_group,
    circleci_oidc_claims,
    circleci_organization,
    circleci_url_orb_allow_list,
)

from server import fixed_id  # pylint: disable=import-error

ACME = fixed_id('org:gh/acme')
STANDALONE = fixed_id('org:circleci/acme-standalone')
ACME_API = fixed_id('project:gh/acme/api')
MAIN = 'pipeline.git.branch == "main"'


def writes(standin):
    return [(r['method'], r['path']) for r in standin.writes]


@pytest.fixture
def run(run_module):
    def call(module, **args):
        return run_module(module, **args)
    return call


# -- circleci_context restrictions ---------------------------------------------------------------

@pytest.fixture
def context(run, standin):
    failed, result = run(circleci_context, name='deploy', owner_slug='gh/acme')
    assert not failed
    standin.app.log = []
    return result['context']['id']


def restrict(run, check_mode=False, purge=True, **entries):
    return run(circleci_context, name='deploy', owner_slug='gh/acme', check_mode=check_mode, purge_restrictions=purge,
               restrictions=[{'type': t, 'value': v} for t, v in entries.get('wanted', [])])


def test_restrictions_narrowed_and_back_create_before_they_delete(run, standin, context):
    base = '/context/%s/restrictions' % context
    failed, result = restrict(run, wanted=[('project', 'gh/acme/api'), ('expression', MAIN)])
    assert not failed and result['changed']
    assert [w[0] for w in writes(standin)] == ['POST', 'POST', 'DELETE']
    assert sorted((r['restriction_type'], r['name']) for r in result['context']['restrictions']) == [('expression', MAIN), ('project', 'api')]
    assert [r['name'] for r in result['diff']['before']['restrictions']] == ['All members']
    standin.app.log = []
    failed, result = restrict(run, wanted=[('project', ACME_API), ('expression', MAIN)])
    assert not failed and not result['changed'] and writes(standin) == []
    failed, result = restrict(run, wanted=[('group', ACME)])
    assert not failed and result['changed']
    assert writes(standin)[0] == ('POST', base) and [w[0] for w in writes(standin)] == ['POST', 'DELETE', 'DELETE']
    assert [r['name'] for r in result['context']['restrictions']] == ['All members']


def test_restrictions_without_purge_keep_the_unlisted(run, standin, context):
    failed, result = restrict(run, purge=False, wanted=[('expression', MAIN)])
    assert not failed and [w[0] for w in writes(standin)] == ['POST']
    assert [r['name'] for r in result['context']['restrictions']] == ['All members', MAIN]


def test_restrictions_in_check_mode_send_nothing(run, standin, context):
    failed, result = restrict(run, check_mode=True, wanted=[('project', 'gh/acme/api')])
    assert not failed and result['changed'] and writes(standin) == []
    assert [(r['restriction_type'], r['restriction_value']) for r in result['context']['restrictions']] == [('project', ACME_API)]


def test_restrictions_of_a_context_check_mode_would_create(run, standin):
    failed, result = run(circleci_context, name='new', owner_slug='gh/acme', check_mode=True,
                         restrictions=[{'type': 'group', 'value': ACME}, {'type': 'expression', 'value': MAIN}])
    assert not failed and result['changed'] and writes(standin) == []
    assert [r['restriction_value'] for r in result['context']['restrictions']] == [ACME, MAIN]


def test_a_restriction_absent_is_deleted(run, standin, context):
    failed, result = run(circleci_context, name='deploy', owner_slug='gh/acme',
                         restrictions=[{'type': 'group', 'value': ACME, 'state': 'absent'}])
    assert not failed and result['context']['restrictions'] == []
    assert [w[0] for w in writes(standin)] == ['DELETE']


@pytest.mark.parametrize('args, message', [
    ({'restrictions': [{'type': 'group', 'value': 'deployers'}]}, "restrictions[0].value: 'deployers' is not a UUID"),
    ({'restrictions': [{'type': 'project', 'value': 'api'}]}, "restrictions[0].value: 'api' is neither a project slug"),
    ({'restrictions': [{'type': 'expression', 'value': ' '}]}, 'restrictions[0].value: must not be empty'),
    ({'restrictions': [{'type': 'expression', 'value': MAIN}, {'type': 'expression', 'value': MAIN}]},
     'restrictions[1].value: expression restriction'),
    ({'restrictions': [], 'state': 'absent'}, 'restrictions: is only used with state=present'),
    ({'purge_restrictions': True}, 'purge_restrictions is True but all of the following are missing: restrictions'),
])
def test_bad_restrictions_are_refused_before_any_request(run, standin, args, message):
    failed, result = run(circleci_context, name='deploy', owner_slug='gh/acme', **args)
    assert failed and result['msg'].startswith(message), result['msg']
    assert standin.requests == []


# -- circleci_oidc_claims ---------------------------------------------------------------------

def test_claims_compare_ttl_by_value_and_audience_as_a_set(run, standin):
    failed, result = run(circleci_oidc_claims, org_slug='gh/acme', audience=['b', 'a'], ttl='90m')
    assert not failed and result['changed']
    assert standin.writes[-1]['body'] == {'audience': ['a', 'b'], 'ttl': '1h30m'}
    assert result['claims']['ttl'] == '1h30m0s'
    standin.app.log = []
    failed, result = run(circleci_oidc_claims, org_id=ACME, audience=['a', 'b', 'a'], ttl='5400s')
    assert not failed and not result['changed'] and writes(standin) == []
    failed, result = run(circleci_oidc_claims, org_id=ACME, ttl='2h')
    assert standin.writes[-1]['body'] == {'ttl': '2h'}


def test_claims_absent_resets_only_the_customised(run, standin):
    standin.app.seeders['oidc_claims'](standin.app, {'org_id': ACME, 'project_slug': 'gh/acme/api', 'ttl': '1h'})
    failed, result = run(circleci_oidc_claims, project_slug='gh/acme/api', state='absent')
    assert not failed and result['changed']
    assert [(r['method'], r['query']) for r in standin.writes] == [('DELETE', {'claims': ['ttl']})]
    assert result['claims'] == {'org_id': ACME, 'project_id': ACME_API}
    standin.app.log = []
    failed, result = run(circleci_oidc_claims, project_id=ACME_API, state='absent')
    assert not failed and not result['changed'] and writes(standin) == []


@pytest.mark.parametrize('args, message', [
    ({'org_id': ACME}, 'audience: state=present needs audience or ttl'),
    ({'org_id': ACME, 'ttl': '90 minutes'}, "ttl: '90 minutes' is not a duration"),
    ({'org_id': ACME, 'audience': []}, 'audience: must name at least one audience'),
    ({'org_id': ACME, 'ttl': '1h', 'state': 'absent'}, 'ttl: is only used with state=present'),
    ({'org_slug': 'acme', 'ttl': '1h'}, "org_slug: 'acme' is not an organization slug"),
    ({'project_id': 'x', 'ttl': '1h'}, "project_id: 'x' is not a UUID"),
])
def test_bad_claims_are_refused_before_any_request(run, standin, args, message):
    failed, result = run(circleci_oidc_claims, **args)
    assert failed and result['msg'].startswith(message), result['msg']
    assert standin.requests == []


# -- circleci_url_orb_allow_list ------------------------------------------------------------------

def test_a_changed_orb_entry_is_created_before_the_old_is_deleted(run, standin):
    failed, first = run(circleci_url_orb_allow_list, org_slug='gh/acme', name='ours', prefix='https://a.example/')
    assert not failed and first['entry']['id']
    standin.app.log = []
    failed, result = run(circleci_url_orb_allow_list, org_slug='gh/acme', name='ours', prefix='https://b.example/')
    assert not failed and result['changed']
    assert writes(standin) == [('POST', '/organization/gh/acme/url-orb-allow-list'),
                               ('DELETE', '/organization/gh/acme/url-orb-allow-list/' + first['entry']['id'])]
    assert result['entry']['prefix'] == 'https://b.example/' and result['entry']['id'] != first['entry']['id']
    standin.app.log = []
    failed, result = run(circleci_url_orb_allow_list, org_id=ACME, name='ours', prefix='https://b.example/')
    assert not failed and not result['changed'] and writes(standin) == []


def test_a_prefix_must_be_https_and_end_with_a_slash(run, standin):
    for prefix, reason in (('http://a.example/', 'must be an https URL'), ('https://a.example', 'must end with /')):
        failed, result = run(circleci_url_orb_allow_list, org_slug='gh/acme', name='ours', prefix=prefix)
        assert failed and reason in result['msg']
    assert standin.requests == []


# -- circleci_group -----------------------------------------------------------------------------

def test_a_changed_group_description_warns_and_sends_nothing(run, standin, monkeypatch):
    warned = []
    monkeypatch.setattr(basic.AnsibleModule, 'warn', lambda self, text: warned.append(text))
    failed, created = run(circleci_group, org_id=STANDALONE, name='deployers', description='May deploy')
    assert not failed and created['changed']
    standin.app.log = []
    failed, result = run(circleci_group, org_id=STANDALONE, name='deployers', description='Deploys')
    assert not failed and not result['changed'] and writes(standin) == []
    assert result['group'] == created['group']
    assert warned == ["group 'deployers': CircleCI cannot update a group, so it is left as it is: description is 'May deploy', "
                      "the task asks for 'Deploys'. Creating it again would change its id and drop its members and the context "
                      "restrictions that name it; to change it, delete the group and create it again"]


def test_a_group_gone_before_its_delete_is_done(run, standin):
    run(circleci_group, org_id=STANDALONE, name='deployers')
    standin.faults({'method': 'DELETE', 'path': '/groups/', 'status': 403, 'count': 1})
    failed, result = run(circleci_group, org_id=STANDALONE, name='deployers', state='absent')
    assert not failed and result['changed'] and result['group'] == {}


# -- circleci_organization ----------------------------------------------------------------------

def test_an_organization_created_by_name_then_no_write(run, standin):
    failed, result = run(circleci_organization, name='platform')
    assert not failed and result['changed'] and result['organization']['slug'].startswith('circleci/')
    assert standin.writes[-1]['body'] == {'name': 'platform', 'vcs_type': 'circleci'}
    standin.app.log = []
    failed, again = run(circleci_organization, name='platform')
    assert not failed and not again['changed'] and writes(standin) == []
    assert again['organization'] == result['organization']


def test_absent_of_a_classic_organization_is_refused_before_any_request(run, standin):
    failed, result = run(circleci_organization, name='acme', vcs_type='github', state='absent')
    assert failed and result['msg'].startswith('state: absent deletes standalone')
    assert standin.requests == []


# -- circleci_config_policies --------------------------------------------------------------------

def rego(name, extra=''):
    return 'package org\n\npolicy_name["%s"]\n%s' % (name, extra)


def test_policies_push_only_what_the_dry_run_says_changed(run, standin, tmp_path):
    for name in ('a', 'b', 'c'):
        (tmp_path / ('%s.rego' % name)).write_text(rego(name))
    (tmp_path / 'notes.txt').write_text('not a policy')
    failed, result = run(circleci_config_policies, org_id=ACME, src=str(tmp_path), enabled=True)
    assert not failed and result['changed'] and result['policies'] == ['a', 'b', 'c']
    assert [(w['method'], w['query']) for w in standin.writes] == [
        ('POST', {'dry': ['true']}), ('POST', {}), ('PATCH', {})]
    assert result['bundle_diff'] == {'created': ['a', 'b', 'c'], 'modified': [], 'deleted': []}
    standin.app.log = []
    (tmp_path / 'b.rego').write_text(rego('b', 'enable_rule["x"]\n'))
    failed, result = run(circleci_config_policies, org_id=ACME, src=str(tmp_path), check_mode=True)
    assert not failed and result['changed'] and [w['query'] for w in standin.writes] == [{'dry': ['true']}]
    assert [(d['before'], d['after']) for d in result['diff']] == [(rego('b'), rego('b', 'enable_rule["x"]\n'))]
    assert result['enabled'] is True


def test_policies_are_named_by_policy_name_not_by_file(run, standin):
    standin.app.seeders['policies'](standin.app, {'org_id': ACME, 'policies': {'old-name.rego': rego('jobs')}})
    failed, result = run(circleci_config_policies, org_slug='gh/acme', policies={'jobs.rego': rego('jobs')})
    assert not failed and not result['changed'] and result['policies'] == ['jobs']
    assert [w['query'] for w in standin.writes] == [{'dry': ['true']}]


def test_policies_absent_empties_a_bundle_and_then_sends_only_the_dry_run(run, standin):
    standin.app.seeders['policies'](standin.app, {'org_id': ACME, 'policies': {'a.rego': rego('a')}, 'enabled': True})
    failed, result = run(circleci_config_policies, org_id=ACME, state='absent')
    assert not failed and result['changed'] and result['bundle_diff']['deleted'] == ['a'] and result['enabled'] is True
    standin.app.log = []
    failed, result = run(circleci_config_policies, org_id=ACME, state='absent')
    assert not failed and not result['changed'] and [w['query'] for w in standin.writes] == [{'dry': ['true']}]


def test_enforcement_goes_off_before_the_push(run, standin):
    standin.app.seeders['policies'](standin.app, {'org_id': ACME, 'policies': {'a.rego': rego('a')}, 'enabled': True})
    failed, result = run(circleci_config_policies, org_id=ACME, policies={'b.rego': rego('b')}, enabled=False)
    assert not failed and result['enabled'] is False
    assert [(w['method'], w['path'].rsplit('/', 1)[-1]) for w in standin.writes] == [
        ('POST', 'policy-bundle'), ('PATCH', 'settings'), ('POST', 'policy-bundle')]


@pytest.mark.parametrize('args, message', [
    ({'policies': {'a.rego': 'package org\n'}}, 'policies[a.rego]: declares no policy_name'),
    ({'policies': {'a.rego': rego('x'), 'b.rego': rego('x')}}, 'policies[b.rego]: declares policy_name["x"], as a.rego does'),
    ({'policies': {}}, 'policies: names no policy'),
    ({'src': '/nonexistent/policies'}, 'src: /nonexistent/policies is not a directory'),
    ({'policies': {'a.rego': rego('a')}, 'state': 'absent'}, 'policies: is not used with state=absent'),
    ({}, 'src: state=present needs src, policies or enabled'),
])
def test_bad_policies_are_refused_before_any_request(run, standin, args, message):
    failed, result = run(circleci_config_policies, org_id=ACME, **args)
    assert failed and result['msg'].startswith(message), result['msg']
    assert standin.requests == []


def test_an_empty_folder_is_refused(run, standin, tmp_path):
    failed, result = run(circleci_config_policies, org_id=ACME, src=str(tmp_path))
    assert failed and result['msg'].startswith('src: holds no .rego file')
    assert standin.requests == []


def test_a_restriction_gone_before_its_delete_is_done(run, standin, context):
    standin.faults({'method': 'DELETE', 'path': '/restrictions/', 'status': 404, 'count': 1})
    failed, result = restrict(run, wanted=[('expression', MAIN)])
    assert not failed and result['changed']
    assert [(w['method'], w['status']) for w in standin.writes] == [('POST', 201), ('DELETE', 404)]
