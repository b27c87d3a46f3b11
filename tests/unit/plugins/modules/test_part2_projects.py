# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""circleci_project, circleci_pipeline_definition, circleci_trigger and run mode: the pure parts
(settings checks and comparison, sources, trigger identity, masking, the pipeline/run body), and
the few paths that need the stand-in's faults (a lost create answer)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import functools

import pytest

from ansible_collections.community.circleci.plugins.module_utils._definitions import (
    event_source_body,
    event_source_view,
    mask_url,
    masked_trigger,
    source_body,
    source_view,
    trigger_identity,
)
from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIError, CircleCIInputError
from ansible_collections.community.circleci.plugins.module_utils._pipelines import PipelineTrigger
from ansible_collections.community.circleci.plugins.module_utils._resolve import project_by_name
from ansible_collections.community.circleci.plugins.module_utils._validation import check_org_slug_or_id
from ansible_collections.community.circleci.plugins.modules import circleci_project, circleci_trigger
from ansible_collections.community.circleci.plugins.modules.circleci_project import check_settings, differs

ORG_ID = '3d9ffb36-0c1a-4dd6-8ec4-8b76b4a5c3b1'


def settings(**given):
    values = dict((key, None) for key in circleci_project.SETTINGS)
    values.update(given)
    return values


# -- circleci_project ----------------------------------------------------------------------------

def test_only_the_settings_given_are_managed():
    assert check_settings(settings(disable_ssh=False, pr_only_branch_overrides=['b', 'a']), 'settings') == {
        'disable_ssh': False, 'pr_only_branch_overrides': ['b', 'a']}
    assert check_settings(settings(), 'settings') == {}


def test_oss_is_refused_even_false():
    for value in (True, False):
        with pytest.raises(CircleCIInputError, match=r"^settings\.oss: is read-only"):
            check_settings(settings(oss=value), 'settings')


def test_overrides_are_checked():
    with pytest.raises(CircleCIInputError, match='^settings.pr_only_branch_overrides: CircleCI takes at most 100 branches$'):
        check_settings(settings(pr_only_branch_overrides=['b%d' % i for i in range(101)]), 'settings')
    with pytest.raises(CircleCIInputError, match='^settings.pr_only_branch_overrides: must be a list of non-empty strings$'):
        check_settings(settings(pr_only_branch_overrides=['main', '']), 'settings')
    assert check_settings(settings(pr_only_branch_overrides=['b%d' % i for i in range(100)]), 'settings')


def test_overrides_compare_as_a_set_and_flags_exactly():
    assert not differs('pr_only_branch_overrides', ['b', 'a'], ['a', 'b', 'a'])
    assert not differs('pr_only_branch_overrides', None, [])
    assert differs('pr_only_branch_overrides', ['a'], ['a', 'b'])
    assert not differs('disable_ssh', False, False)
    assert differs('disable_ssh', None, False)


@pytest.mark.parametrize('value, answer', [
    (ORG_ID.upper(), {'id': ORG_ID}), ('gh/acme', {'slug': 'gh/acme'}), ('circleci/9YjU4TjbZhbSC7RtnTnr4R', {'slug': 'circleci/9YjU4TjbZhbSC7RtnTnr4R'}),
])
def test_an_organization_is_a_slug_or_a_uuid(value, answer):
    assert check_org_slug_or_id(value) == answer


@pytest.mark.parametrize('value', ['acme', 'gh/acme/api', '', None, 42, '3d9ffb36-0c1a'])
def test_anything_else_is_no_organization(value):
    with pytest.raises(CircleCIInputError, match='^organization: .* is neither an organization slug'):
        check_org_slug_or_id(value)


@pytest.fixture
def run_project(run_module):
    return functools.partial(run_module, circleci_project)


def standalone(standin):
    return [o for o in standin.app.state.orgs.values() if o['name'] == 'acme-standalone'][0]


def test_a_lost_create_answer_adopts_the_project_never_creates_twice(standin, run_project):
    org = standalone(standin)
    standin.faults({'method': 'POST', 'path': '/project$', 'status': 502, 'after': True, 'count': 0})
    failed, result = run_project(organization=org['id'], name='lost', max_retries=0)
    assert not failed, result
    assert result['changed'] is True
    assert result['project']['name'] == 'lost'
    creates = [r for r in standin.writes if r['method'] == 'POST']
    assert len(creates) == 1
    assert [p for p in standin.app.state.projects.values() if p['name'] == 'lost'][0]['id'] == result['project']['id']


def test_settings_of_a_new_project_are_patched_only_where_they_differ(standin, run_project):
    org = standalone(standin)
    failed, result = run_project(organization=org['slug'], name='fresh', settings={'set_github_status': True})
    assert not failed and result['changed'] is True
    # set_github_status is on by default: the new project is read, and not patched
    assert [(r['method'], r['path'].split('/')[-1]) for r in standin.writes] == [('POST', 'project')]
    assert result['settings']['set_github_status'] is True


# -- circleci_pipeline_definition ------------------------------------------------------------------

class Refusing:
    """A client whose every GET is refused with ``status``."""

    def __init__(self, status, message):
        self.status, self.message = status, message

    def get(self, path, params=None, api='v2'):
        raise CircleCIError('GET', '/api/%s%s' % (api, path), self.status, self.message)


@pytest.mark.parametrize('status, hinted', [(404, True), (405, True), (401, False), (403, False), (500, False)])
def test_only_a_missing_look_up_says_to_name_the_project_by_slug(status, hinted):
    with pytest.raises(CircleCIError) as caught:
        project_by_name(Refusing(status, 'no'), ORG_ID, 'api')
    assert ('name the project by project_slug instead' in str(caught.value)) is hinted
    assert str(caught.value).startswith('GET /api/v3/projects: %d' % status)


def test_sources_in_the_options_spelling_and_back():
    answer = {'provider': 'github_app', 'repo': {'external_id': '520000001', 'full_name': 'acme/app'}, 'file_path': 'a.yml'}
    view = source_view(answer)
    assert view == {'provider': 'github_app', 'repo_id': '520000001', 'repo_full_name': 'acme/app', 'file_path': 'a.yml'}
    assert source_body(view) == {'provider': 'github_app', 'repo': {'external_id': '520000001'}, 'file_path': 'a.yml'}
    assert source_body({'file_path': 'b.yml'}) == {'file_path': 'b.yml'}
    assert source_view({'provider': 'circleci', 'file_path': 'kept.yml'}) == {
        'provider': 'circleci', 'repo_id': None, 'repo_full_name': None, 'file_path': 'kept.yml'}
    assert source_view(None) is None


# -- circleci_trigger ------------------------------------------------------------------------------

def test_event_sources_and_identity():
    webhook = {'provider': 'webhook', 'webhook': {'url': 'https://x/e/1?secret=abc', 'sender': 'bot'}}
    repo = {'provider': 'github_app', 'repo': {'external_id': '7', 'full_name': 'acme/app'}}
    assert event_source_view(webhook) == {'provider': 'webhook', 'webhook_sender': 'bot', 'webhook_url': 'https://x/e/1?secret=abc'}
    assert event_source_view(repo) == {'provider': 'github_app', 'repo_id': '7', 'repo_full_name': 'acme/app'}
    assert event_source_body({'provider': 'webhook', 'repo_id': None, 'webhook_sender': None}) == {'provider': 'webhook'}
    assert event_source_body({'webhook_sender': 'bot'}) == {'webhook': {'sender': 'bot'}}
    # what the options say and what CircleCI answers name the same trigger
    assert trigger_identity({'provider': 'github_app', 'repo_id': '7', 'webhook_sender': None}, None) == \
        trigger_identity(event_source_view(repo), None) == 'github_app repository 7'
    assert trigger_identity(event_source_view(webhook), 'release') == 'webhook sender bot, event release'
    assert trigger_identity({'provider': 'webhook'}, 'release') != trigger_identity({'provider': 'webhook'}, 'deploy')


def test_a_webhook_url_is_masked_and_nothing_else_changes():
    assert mask_url('https://x/e/1?secret=abc123') == 'https://x/e/1?secret=********'
    assert mask_url('https://x/e/1?a=1&secret=abc&b=2') == 'https://x/e/1?a=1&secret=********&b=2'
    assert mask_url('https://x/e/1') == 'https://x/e/1'
    assert mask_url(None) is None
    trigger = {'id': 't', 'event_source': {'provider': 'webhook', 'webhook': {'url': 'https://x/e/1?secret=abc'}}}
    assert masked_trigger(trigger)['event_source']['webhook']['url'] == 'https://x/e/1?secret=********'
    assert trigger['event_source']['webhook']['url'] == 'https://x/e/1?secret=abc', 'the answer itself is left alone'
    assert masked_trigger({'id': 't', 'event_source': {'provider': 'github_app'}}) == {'id': 't', 'event_source': {'provider': 'github_app'}}


def test_a_created_webhook_triggers_secret_is_in_no_result_unless_asked(standin, run_module):
    definition = list(standin.app.state.pipeline_definitions.values())[0]
    args = dict(project_id=definition['project_id'], pipeline_definition_id=definition['id'], event_source={'provider': 'webhook'},
                event_name='release', checkout_ref='main', config_ref='main')
    failed, created = run_module(circleci_trigger, **args)
    assert not failed, created
    secret = standin.app.state.triggers[created['trigger']['id']]['webhook_url'].split('?secret=')[1]
    assert secret not in repr(created)
    failed, shown = run_module(circleci_trigger, return_webhook_url=True, **args)
    assert shown['changed'] is False
    assert shown['trigger']['event_source']['webhook_url'].endswith('?secret=' + secret)
    assert secret not in repr(shown['diff'])


# -- run mode ----------------------------------------------------------------------------------

def run_params(**params):
    values = dict((name, option.get('default')) for name, option in PipelineTrigger.argument_spec.items())
    values.update(params)
    return values


def trigger(**params):
    task = PipelineTrigger(None, run_params(**params), False, {'changed': False})
    task.inputs = task.check()
    return task


@pytest.mark.parametrize('params, mode', [
    ({'project_slug': 'gh/acme/api', 'branch': 'main'}, False),
    ({'project_slug': 'circleci/9YjU4TjbZhbSC7RtnTnr4R/5GmSzy2ZHV6RW5XD8BXhpw'}, True),
    ({'project_slug': 'gh/acme/api', 'config_branch': 'main'}, True),
    ({'project_slug': 'gh/acme/api', 'pipeline_definition': 'build'}, True),
    ({'project_slug': 'gh/acme/api', 'checkout_tag': 'v1'}, True),
])
def test_run_mode_is_chosen_by_its_options_or_a_circleci_slug(params, mode):
    assert trigger(**params).run_mode is mode


@pytest.mark.parametrize('params, body', [
    ({'branch': 'main'}, {'config': {'branch': 'main'}, 'checkout': {'branch': 'main'}}),
    ({'tag': 'v1'}, {'config': {'tag': 'v1'}, 'checkout': {'tag': 'v1'}}),
    ({'branch': 'feature', 'config_branch': 'main'}, {'config': {'branch': 'main'}, 'checkout': {'branch': 'feature'}}),
    ({'config_tag': 'v1', 'checkout_branch': 'fix'}, {'config': {'tag': 'v1'}, 'checkout': {'branch': 'fix'}}),
    ({'tag': 'v2', 'checkout_branch': 'fix'}, {'config': {'tag': 'v2'}, 'checkout': {'branch': 'fix'}}),
    ({}, {}),
    ({'parameters': {'deploy': True}, 'pipeline_definition_id': ORG_ID.upper()},
     {'definition_id': ORG_ID, 'parameters': {'deploy': True}}),
])
def test_branch_and_tag_stand_for_whichever_ref_is_not_given(params, body):
    assert trigger(project_slug='circleci/9YjU4TjbZhbSC7RtnTnr4R/5GmSzy2ZHV6RW5XD8BXhpw', **params).run_body() == body


def test_run_mode_checks_its_options_before_any_request():
    with pytest.raises(CircleCIInputError, match="^pipeline_definition_id: 'build' is not a UUID"):
        trigger(project_slug='gh/acme/api', pipeline_definition_id='build')
    with pytest.raises(CircleCIInputError, match='^checkout_branch: must not be empty$'):
        trigger(project_slug='gh/acme/api', checkout_branch=' ')


def test_only_run_mode_reads_an_answer_without_an_id_as_not_triggered():
    assert trigger(project_slug='gh/acme/api', config_branch='main').applied({'message': 'Ignoring'}) is False
    assert trigger(project_slug='gh/acme/api', config_branch='main').applied({'id': 'p', 'number': 1}) is True
    assert trigger(project_slug='gh/acme/api').applied({}) is True
