# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The action plugins of circleci_pipeline_trigger and circleci_workflow (progress at -v, the
module's argument rules, the task's environment, check mode), and the modules run without them.
The ``display`` fixture (conftest.py) records what they show and runs them."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import json

import pytest


from ansible_collections.community.circleci.plugins.action.circleci_pipeline_trigger import ActionModule as TriggerAction
from ansible_collections.community.circleci.plugins.action.circleci_workflow import ActionModule as WorkflowAction
from ansible_collections.community.circleci.plugins.modules import circleci_job, circleci_pipeline_trigger


def test_trigger_action_shows_progress_as_it_happens(standin, display):
    standin.reset(pipeline_setup_seconds=0.02, job_seconds=0.05)
    # The token and the address come from the task's environment, as a module would see them.
    result = display.run(TriggerAction, {'project_slug': 'gh/acme/api', 'branch': 'main', 'wait': True, 'poll_interval': 0.02},
                         environment=[{'CIRCLECI_TOKEN': standin.token}, {'CIRCLECI_API_URL': standin.url}])
    assert not result.get('failed'), result
    assert result['changed'] is True
    assert result['workflows'][0]['status'] == 'success'
    lines = [line[1] for line in display.lines]
    assert all(line[0] == 'deployhost' for line in display.lines)
    assert lines == ['circleci: %s' % line for line in result['progress']]
    assert lines[0].startswith('circleci: pipeline gh/acme/api #1: triggered on branch main')
    assert lines[-1] == 'circleci: pipeline gh/acme/api #1 workflow build-and-test: success'
    # Shown while the task ran: the first line came after one request, the last after many.
    counts = [line[2] for line in display.lines]
    assert counts[0] == 1 and counts == sorted(counts) and counts[-1] > 3
    assert standin.token not in json.dumps(result) + json.dumps(display.lines) + json.dumps(display.debug)


def test_trigger_action_check_mode_sends_no_write(standin, display):
    result = display.run(TriggerAction, {'project_slug': 'gh/acme/api', 'api_url': standin.url, 'api_token': standin.token},
                         check_mode=True)
    assert result['changed'] is True and not result.get('failed')
    assert standin.writes == [] and len(standin.requests) == 1


@pytest.mark.parametrize('args, message', [
    ({'project_slug': 'gh/acme/api', 'branch': 'a', 'tag': 'b'}, 'parameters are mutually exclusive: branch|tag'),
    ({'branch': 'a'}, 'one of the following is required: project_slug, continuation_key'),
    ({'project_slug': 'gh/acme/api', 'nope': 1}, 'nope'),
    ({'project_slug': 'gh/acme/api', 'timeout': -1}, 'timeout: must not be negative'),
])
def test_trigger_action_refuses_bad_input_before_any_request(standin, display, args, message):
    args = dict(args, api_url=standin.url, api_token=standin.token)
    result = display.run(TriggerAction, args)
    assert result['failed'] and message in result['msg']
    assert standin.requests == []


def test_action_without_a_token_names_the_option(standin, display):
    result = display.run(TriggerAction, {'project_slug': 'gh/acme/api', 'api_url': standin.url})
    assert result['failed'] and 'api_token' in result['msg']
    assert standin.requests == []


def test_workflow_action_failure_keeps_the_partial_result(standin, display):
    with standin.app.lock:
        seeded = standin.app.seeders['pipelines'](standin.app, {'workflows': [{'name': 'w', 'jobs': [{'name': 'x'}]}]})
    workflow_id = seeded['workflows'][0]['id']
    result = display.run(WorkflowAction, {'workflow_id': workflow_id, 'action': 'approve', 'approval_job': 'hold',
                                          'api_url': standin.url, 'api_token': standin.token})
    assert result['failed']
    assert result['msg'] == "approval_job: workflow w (id %s) has no approval job 'hold'; its approval jobs: none" % workflow_id
    assert result['workflow_id'] == workflow_id and result['workflow']['status'] == 'success'


# -- the modules themselves (without the action plugin) -----------------------------------------------


def test_trigger_module_returns_the_progress_it_cannot_show(standin, run_module):
    standin.reset(pipeline_setup_seconds=0.02, job_seconds=0.05)
    failed, result = run_module(circleci_pipeline_trigger, project_slug='gh/acme/api', wait=True, poll_interval=0.02)
    assert not failed
    assert result['progress'][-1] == 'pipeline gh/acme/api #1 workflow build-and-test: success'
    assert len(standin.writes) == 1


def test_trigger_module_never_returns_the_continuation_key(standin, run_module):
    failed, result = run_module(circleci_pipeline_trigger, continuation_key='ck_secret_key_123', configuration='c')
    assert failed and 'POST /pipeline/continue: 400 Bad Request: Invalid continuation key ********' == result['msg']
    assert 'ck_secret_key_123' not in json.dumps(result)


def test_job_module_cancel(standin, run_module):
    standin.reset(job_seconds=60)
    with standin.app.lock:
        seeded = standin.app.seeders['pipelines'](standin.app, {'age': 0})
    number = seeded['workflows'][0]['jobs'][0]['job_number']
    failed, checked = run_module(circleci_job, check_mode=True, project_slug='gh/acme/api', job_number=number)
    assert not failed and checked['changed'] and standin.writes == []
    failed, result = run_module(circleci_job, project_slug='gh/acme/api', job_number=number)
    assert not failed and result['changed'] and result['job']['status'] == 'canceled'
    assert result['diff'] == {'before': {'status': 'running'}, 'after': {'status': 'canceled'}}
    failed, again = run_module(circleci_job, project_slug='gh/acme/api', job_number=number)
    assert not failed and not again['changed']
    assert [r['path'] for r in standin.writes] == ['/project/gh/acme/api/job/%d/cancel' % number]
