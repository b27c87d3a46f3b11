# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""circleci_info: its documentation matches the query table, and it reads without writing, in check mode too."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import functools
import pytest
import yaml


from ansible_collections.community.circleci.plugins.module_utils._task import connection_argument_spec
from ansible_collections.community.circleci.plugins.module_utils._queries import OPTIONS, QUERIES
from ansible_collections.community.circleci.plugins.modules import circleci_info


@pytest.fixture
def run(run_module):
    """Run the module in-process; answer (failed, result) as the module gave it, unscrubbed."""
    return functools.partial(run_module, circleci_info)


def test_documentation_matches_the_argument_spec():
    doc = yaml.safe_load(circleci_info.DOCUMENTATION)
    spec = circleci_info.argument_spec()
    assert sorted(doc['options']) == sorted(spec)
    assert doc['options']['query']['choices'] == list(QUERIES), 'the documented queries are those of the table, in order'
    for name, option in doc['options'].items():
        assert option['type'] == spec[name]['type'], name
        assert option.get('choices') in (None, spec[name].get('choices')) or sorted(option['choices']) == sorted(spec[name]['choices'])
        assert option.get('default') == spec[name].get('default'), name
    assert not set(spec) & set(connection_argument_spec()), 'connection options come from the doc fragment'
    assert set(OPTIONS) <= set(spec)


def test_documentation_names_every_query():
    doc = yaml.safe_load(circleci_info.DOCUMENTATION)
    text = ' '.join(doc['description'])
    for name in QUERIES:
        assert 'V(%s)' % name in text, '%s is not described' % name
    listed = text.split('The list queries are')[1]
    assert sorted(n for n in QUERIES if 'V(%s)' % n in listed) == sorted(n for n, q in QUERIES.items() if q.is_list)


def test_reads_in_check_mode_without_writing(standin, run):
    with standin.app.lock:
        for index in range(5):
            standin.app.seeders['contexts'](standin.app, {'name': 'c%d' % index, 'owner_slug': 'gh/acme'})
    standin.app.log = []
    failed, result = run(check_mode=True, query='contexts', owner_slug='gh/acme', limit=0)
    assert not failed and result['changed'] is False
    assert [c['name'] for c in result['result']] == ['c%d' % i for i in range(5)]
    assert [r['method'] for r in standin.requests] == ['GET'] * 3


def test_limit_default_and_exact(standin, run):
    with standin.app.lock:
        for index in range(5):
            standin.app.seeders['contexts'](standin.app, {'name': 'c%d' % index, 'owner_slug': 'gh/acme'})
    assert len(run(query='contexts', owner_slug='gh/acme')[1]['result']) == 5
    assert len(run(query='contexts', owner_slug='gh/acme', limit=4)[1]['result']) == 4


def test_failure_names_the_option_and_sends_nothing(standin, run):
    failed, result = run(query='workflow_jobs', pipeline_id='5034460f-c7c4-4c43-9457-de07e2029e7b')
    assert failed
    assert result['msg'] == 'workflow_name: query workflow_jobs needs workflow_id, or pipeline_id and workflow_name'
    assert result['changed'] is False
    assert standin.requests == []


def test_api_error_carries_status(standin, run):
    failed, result = run(query='schedule', schedule_id='5034460f-c7c4-4c43-9457-de07e2029e7b')
    assert failed and result['status'] == 404
    assert result['msg'] == 'GET /schedule/5034460f-c7c4-4c43-9457-de07e2029e7b: 404 Not Found: Schedule not found'
