# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The action plugins of circleci_rollback and circleci_usage_export: progress at -v as it happens,
the module's argument rules, and nothing secret in what -vvv would show (``display``: conftest.py)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import datetime
import json

import pytest

from ansible_collections.community.circleci.plugins.action.circleci_rollback import ActionModule as RollbackAction
from ansible_collections.community.circleci.plugins.action.circleci_usage_export import ActionModule as UsageExportAction
from ansible_collections.community.circleci.plugins.module_utils import _deploys


def run_action(display, cls, standin, args):
    return display.run(cls, dict(args, api_url=standin.url, api_token=standin.token))


ROLLBACK = dict(project_slug='gh/acme/api', component_name='api-server', environment_name='production',
                current_version='1.1.0', target_version='1.0.0')


def test_rollback_action_shows_progress_as_it_waits(standin, display):
    standin.reset(pipeline_setup_seconds=0.02, job_seconds=0.05)
    result = run_action(display, RollbackAction, standin, dict(ROLLBACK, wait=True, poll_interval=0.02))
    assert not result.get('failed'), result
    assert result['changed'] is True and result['workflows'][0]['status'] == 'success'
    lines = [line[1] for line in display.lines]
    assert lines == ['circleci: %s' % line for line in result['progress']]
    assert lines[0].startswith('circleci: rollback of api-server in production: from 1.1.0 to 1.0.0 started (PIPELINE ')
    assert lines[-1].endswith('workflow rollback: success')
    counts = [line[2] for line in display.lines]
    assert counts == sorted(counts) and counts[0] < counts[-1]


@pytest.mark.parametrize('args, message', [
    (dict(ROLLBACK, project_id='0c8ad0a5-6e0f-4f9f-a81b-3d3f4a9c2f1e'), 'parameters are mutually exclusive: project_slug|project_id'),
    (dict((k, v) for k, v in ROLLBACK.items() if k != 'target_version'), 'missing required arguments: target_version'),
    (dict(ROLLBACK, wait='soon'), "argument 'wait' is of type"),
])
def test_rollback_action_refuses_bad_input_before_any_request(standin, display, args, message):
    result = run_action(display, RollbackAction, standin, args)
    assert result['failed'] and message in result['msg']
    assert standin.requests == []


def test_usage_export_action_shows_a_line_per_file(standin, display, tmp_path, monkeypatch):
    # Polls a tenth of a second apart here (the floor is for CircleCI, not for this test's clock).
    monkeypatch.setattr(_deploys, 'USAGE_MIN_POLL', 0.05)
    standin.reset(usage_export_created_seconds=0.05, usage_export_processing_seconds=0.05, usage_export_files=3)
    now = datetime.datetime.now(datetime.timezone.utc)
    args = dict(org_slug='gh/acme', start=(now - datetime.timedelta(days=7)).strftime('%Y-%m-%dT%H:%M:%SZ'),
                end=(now - datetime.timedelta(hours=1)).strftime('%Y-%m-%dT%H:%M:%SZ'), dest=str(tmp_path / 'usage'),
                poll_interval=0.05)
    result = run_action(display, UsageExportAction, standin, args)
    assert not result.get('failed'), result
    assert 'warnings' not in result
    lines = [line[1] for line in display.lines]
    downloaded = [line for line in lines if ': downloaded ' in line]
    assert [line.split(': downloaded ')[1].split(' (')[0] for line in downloaded] == result['files']
    assert len(result['files']) == 3
    # Each line came as its file arrived: one more download request each.
    counts = [count for dummy, line, count in display.lines if ': downloaded ' in line]
    assert counts == sorted(counts) and len(set(counts)) == 3
    shown = json.dumps(result) + json.dumps(display.lines) + json.dumps(display.debug)
    assert '/_files/' not in shown and 'signature' not in shown and standin.token not in shown
