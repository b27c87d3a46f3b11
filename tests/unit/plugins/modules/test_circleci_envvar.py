# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""circleci_envvar: the plan as a pure function, and the module against the stand-in.

The module runs in-process with exit_json/fail_json intercepted *before* Ansible scrubs no_log
values, so the secrecy checks here see exactly what the module produced.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import functools
import json
import re
import threading

import pytest
from hypothesis import given, settings, strategies as st


from ansible_collections.community.circleci.plugins.module_utils import _client
from ansible_collections.community.circleci.plugins.modules import circleci_envvar
from ansible_collections.community.circleci.plugins.modules.circleci_envvar import displayed, masked, plan, revealed

PROJECT = 'gh/acme/api'


# -- the pure parts ---------------------------------------------------------------------------

def test_masked_forms():
    assert masked('s3cr3t-value-81ab') == 'xxxx81ab'
    assert masked('ab') == 'xxxxab'
    assert masked('') == 'xxxx'
    assert revealed('xxxx81ab') and revealed('xxxx') and revealed('xxxxab')
    assert not revealed(None) and not revealed('****') and not revealed('xxxx12345') and not revealed('')
    # a tail shorter than four characters is the whole value: never shown
    assert displayed('xxxxab') == 'xxxx'
    assert displayed('xxxx81ab') == 'xxxx81ab'
    assert displayed(None) is None


def test_plan_on_change_compares_the_last_four():
    current = {'SAME': masked('old-value-1234'), 'TAIL': masked('old-value-1234'), 'HIDDEN': None, 'EXTRA': 'xxxx9999'}
    declared = [('TAIL', 'new-value-5678', 'present'), ('SAME', 'new-value-1234', 'present'),
                ('HIDDEN', 'whatever', 'present'), ('NEW', 'n', 'present'), ('GONE', None, 'absent')]
    writes, unchanged, unverified = plan(current, declared, 'on_change', purge=False)
    assert writes == [('create', 'NEW', 'n'), ('update', 'TAIL', 'new-value-5678')]
    assert unchanged == ['GONE', 'SAME']
    assert unverified == ['HIDDEN']


def test_plan_always_and_on_create():
    current = {'A': None, 'B': masked('bbbbbbbb')}
    declared = [('A', 'aaaa', 'present'), ('B', 'bbbbbbbb', 'present'), ('C', 'cccc', 'present')]
    assert plan(current, declared, 'always', False)[0] == [
        ('update', 'A', 'aaaa'), ('update', 'B', 'bbbbbbbb'), ('create', 'C', 'cccc')]
    assert plan(current, declared, 'on_create', False) == ([('create', 'C', 'cccc')], ['A', 'B'], [])


def test_plan_purge_deletes_only_undeclared():
    current = {'KEEP': masked('keep'), 'DROP_1': 'xxxx1111', 'DROP_2': None, 'ABSENT': 'xxxx2222'}
    declared = [('KEEP', 'keep', 'present'), ('ABSENT', None, 'absent')]
    writes, unchanged, unverified = plan(current, declared, 'on_change', purge=True)
    assert writes == [('delete', 'ABSENT', None), ('delete', 'DROP_1', None), ('delete', 'DROP_2', None)]
    assert (unchanged, unverified) == (['KEEP'], [])


NAMES = st.sampled_from(['A', 'B', 'C', 'D', 'E', 'F'])
VALUES = st.text(min_size=0, max_size=10)


@settings(max_examples=300, deadline=None)
@given(current=st.dictionaries(NAMES, st.one_of(st.none(), VALUES)),
       declared=st.dictionaries(NAMES, st.one_of(st.none(), VALUES)),
       update_value=st.sampled_from(['on_change', 'always', 'on_create']),
       purge=st.booleans())
def test_plan_properties(current, declared, update_value, purge):
    """``current`` maps names to stored values (None: the server shows nothing of it);
    ``declared`` maps names to values (None: state absent)."""
    shown = dict((n, masked(v) if v is not None else None) for n, v in current.items())
    entries = [(n, v, 'absent' if v is None else 'present') for n, v in declared.items()]
    writes, unchanged, unverified = plan(shown, entries, update_value, purge)

    # each declared name lands in exactly one bucket; writes are sorted and unique
    written = [w[1] for w in writes]
    assert written == sorted(set(written))
    touched = [w[1] for w in writes if w[1] in declared] + unchanged + unverified
    assert sorted(touched) == sorted(declared)
    # only undeclared names are purged, and only with purge
    for action, name, dummy in writes:
        if name not in declared:
            assert purge and action == 'delete' and name in current
    # deletes only hit existing variables; creates only missing ones
    assert all(w[1] in current for w in writes if w[0] in ('delete', 'update'))
    assert all(w[1] not in current for w in writes if w[0] == 'create')
    # unverified only where nothing is shown, and only under on_change
    assert all(update_value == 'on_change' and shown[name] is None for name in unverified)

    # apply the writes to a model of the service, then plan again: nothing left to do
    after = dict(current)
    for action, name, value in writes:
        if action == 'delete':
            del after[name]
        else:
            after[name] = value
    shown_after = dict((n, masked(v) if v is not None else None) for n, v in after.items())
    again = plan(shown_after, entries, update_value, purge)[0]
    if update_value == 'always':
        assert all(w[0] == 'update' for w in again)
    else:
        assert again == []


# -- the module against the stand-in ------------------------------------------------------------


@pytest.fixture
def run(run_module):
    """Run the module in-process; answer (failed, result) as the module gave it, unscrubbed."""
    return functools.partial(run_module, circleci_envvar)


def project_values(standin, slug=PROJECT):
    return dict((n, v['value']) for n, v in standin.app.state.project_by_slug(slug)['envvars'].items())


def seed_project(standin, variables, slug=PROJECT):
    with standin.app.lock:
        standin.app.seeders['project_variables'](standin.app, {'project_slug': slug, 'variables': variables})


def seed_context(standin, name='deploy', variables=None, owner_slug='gh/acme'):
    with standin.app.lock:
        return standin.app.seeders['contexts'](standin.app, {'name': name, 'owner_slug': owner_slug,
                                                             'variables': variables or {}})


def test_bad_input_is_refused_before_any_request(run, standin):
    cases = [
        (dict(project_slug=PROJECT, name='1BAD', value='v'), '^name: \'1BAD\' is not a valid environment variable name'),
        (dict(project_slug=PROJECT, variables=[{'name': 'A', 'value': 'v'}, {'name': 'B-C', 'value': 'v'}]),
         r'^variables\[1\]\.name: \'B-C\' is not a valid'),
        (dict(project_slug=PROJECT, variables=[{'name': 'A', 'value': 'v'}, {'name': 'A', 'value': 'w'}]),
         r'^variables\[1\]\.name: A is already declared by variables\[0\]\.name'),
        (dict(project_slug=PROJECT, variables=[{'name': 'A'}]), r'^variables\[0\]\.value: is required when the state is present'),
        (dict(project_slug=PROJECT, name='A'), '^value: is required when the state is present'),
        (dict(project_slug=PROJECT, name='A', value='v', purge=True), '^purge: needs variables'),
        (dict(project_slug='acme/api', name='A', value='v'), "^project_slug: 'acme/api' is not a project slug"),
        (dict(context_id='nope', name='A', value='v'), "^context_id: 'nope' is not a UUID"),
        (dict(context_name='deploy', name='A', value='v'), '^owner_slug: a context owner is needed'),
        (dict(project_slug=PROJECT, owner_slug='gh/acme', name='A', value='v'), '^owner_slug: names the owner of a context'),
        (dict(project_slug=PROJECT, context_name='x', owner_slug='gh/acme', name='A', value='v'), 'mutually exclusive'),
        (dict(name='A', value='v'), 'one of the following is required: project_slug, context_id, context_name'),
        (dict(project_slug=PROJECT), 'one of the following is required: name, variables'),
    ]
    for args, message in cases:
        failed, result = run(**args)
        assert failed, args
        assert re.search(message, result['msg']), (message, result['msg'])
    assert standin.requests == []


def test_empty_list_with_purge_deletes_everything(run, standin):
    seed_project(standin, {'A': 'aaaaaaa', 'B': 'bbbbbbb'})
    failed, result = run(project_slug=PROJECT, variables=[], purge=True)
    assert not failed and result['changed']
    assert result['deleted'] == ['A', 'B']
    assert project_values(standin) == {}


def test_state_applies_to_entries_without_their_own(run, standin):
    seed_project(standin, {'A': 'aaaaaaa', 'B': 'bbbbbbb', 'C': 'ccccccc'})
    failed, result = run(project_slug=PROJECT, state='absent',
                         variables=[{'name': 'A'}, {'name': 'B'}, {'name': 'C', 'value': 'ccccccc', 'state': 'present'}])
    assert not failed
    assert (result['deleted'], result['unchanged']) == (['A', 'B'], ['C'])
    assert project_values(standin) == {'C': 'ccccccc'}


def test_no_value_anywhere_in_results_even_before_scrubbing(run, standin):
    values = dict(('VAR_%d' % i, 'Sup3r-S3cret-value-%d' % i) for i in range(6))
    values['SHORT'] = 'xy'
    seed_project(standin, {'VAR_0': 'stale-value-0000', 'VAR_1': 'Sup3r-S3cret-value-1', 'GONE': 'Old-S3cret-gone'})
    standin.faults({'method': 'POST', 'path': '/envvar$', 'status': 500, 'skip': 3, 'count': 1})
    variables = [{'name': n, 'value': v} for n, v in sorted(values.items())]
    outputs = [run(check_mode=True, project_slug=PROJECT, variables=variables, purge=True),
               run(project_slug=PROJECT, variables=variables, purge=True),
               run(project_slug=PROJECT, variables=variables, purge=True, update_value='always')]
    assert outputs[1][0], 'the injected fault should have failed the bulk change'
    text = json.dumps(outputs)
    for secret in list(values.values()) + ['stale-value-0000', 'Old-S3cret-gone']:
        assert secret not in text
    # the short value's masked form would be the whole value
    assert '"xxxxxy"' not in text
    assert standin.token not in text


def test_writes_run_at_most_four_at_a_time(run, standin, monkeypatch):
    standin.reset(latency=0.05)
    inflight, peak, lock = [0], [0], threading.Lock()
    original = _client.CircleCIClient.request

    def counting(self, method, path, body=None, params=None, **options):
        with lock:
            inflight[0] += 1
            peak[0] = max(peak[0], inflight[0])
        try:
            return original(self, method, path, body=body, params=params, **options)
        finally:
            with lock:
                inflight[0] -= 1
    monkeypatch.setattr(_client.CircleCIClient, 'request', counting)
    variables = [{'name': 'V%02d' % i, 'value': 'value-%04d' % i} for i in range(12)]
    failed, result = run(project_slug=PROJECT, variables=variables)
    assert not failed
    assert result['created'] == ['V%02d' % i for i in range(12)]
    assert peak[0] == circleci_envvar.MAX_WRITERS == 4
    assert project_values(standin) == dict((v['name'], v['value']) for v in variables)


def test_a_failed_write_reports_exactly_what_completed(run, standin):
    seed_project(standin, dict(('OLD_%d' % i, 'old-value-%d' % i) for i in range(3)))
    standin.faults({'method': 'POST', 'path': '/envvar$', 'status': 500, 'skip': 2, 'count': 1})
    variables = [{'name': 'V%02d' % i, 'value': 'value-%04d' % i} for i in range(10)]
    failed, result = run(project_slug=PROJECT, variables=variables, purge=True)
    assert failed
    posts = [r for r in standin.requests if r['method'] == 'POST']
    faulted = [r['body']['name'] for r in posts if r['status'] == 500]
    assert len(faulted) == 1
    assert 'POST /project/gh/acme/api/envvar: 500 Internal Server Error: Injected fault' in result['msg']
    assert 'writing variable %s failed' % faulted[0] in result['msg']
    held = project_values(standin)
    # what the result says was done is exactly what the service holds
    assert sorted(set(held) - set('OLD_%d' % i for i in range(3))) == result['created']
    assert sorted(set('OLD_%d' % i for i in range(3)) - set(held)) == result['deleted']
    assert len(result['created']) >= 2
    assert faulted[0] not in result['created']
    assert [v['name'] for v in result['variables']] == sorted(held)
    # every write that was sent either completed and is reported, or is the failed one
    sent = [r for r in standin.requests if r['method'] != 'GET']
    assert len(sent) == len(result['created']) + len(result['deleted']) + 1
    completed = len(result['created']) + len(result['deleted'])
    assert '%d write(s) completed' % completed in result['msg']
    assert '%d not started' % (13 - completed - 1) in result['msg']


def test_context_by_name_is_resolved_once(run, standin):
    for index in range(5):
        seed_context(standin, 'filler-%d' % index)
    context = seed_context(standin, 'deploy', {'KEEP': 'keep-value-1111', 'ROTATE': 'old-value-2222'})
    failed, result = run(context_name='deploy', owner_slug='gh/acme',
                         variables=[{'name': 'KEEP', 'value': 'new-value-1111'},
                                    {'name': 'ROTATE', 'value': 'new-value-3333'}])
    assert not failed
    assert (result['updated'], result['unchanged']) == (['ROTATE'], ['KEEP'])
    lists = [r for r in standin.requests if r['path'] == '/context']
    assert len(lists) == 3  # six contexts, two a page, read once
    assert [r['path'] for r in standin.writes] == ['/context/%s/environment-variable/ROTATE' % context['id']]
    assert standin.writes[0]['body'] == {'value': 'new-value-3333'}


def test_missing_scope_fails_and_writes_nothing(run, standin):
    failed, result = run(project_slug='gh/acme/missing', name='A', value='value')
    assert failed and result['msg'] == 'GET /project/gh/acme/missing/envvar: 404 Not Found: Project not found'
    failed, result = run(context_name='nope', owner_slug='gh/acme', name='A', value='value')
    assert failed and result['msg'].startswith("context_name: no context named 'nope' under owner gh/acme")
    failed, result = run(context_id='5e8f2c1a-43b9-4f7e-9d55-0a6f1c2b3d4e', name='A', value='value')
    assert failed and '403 Forbidden' in result['msg'] and 'the context does not exist' in result['msg']
    assert standin.writes == []


def test_an_unexpected_error_of_a_writer_keeps_its_type_and_traceback(run, standin, monkeypatch):
    def broken(self, name, value):
        raise KeyError('the writer broke on %s' % name)
    monkeypatch.setattr(circleci_envvar.ProjectVariables, 'write', broken)
    failed, result = run(project_slug=PROJECT, variables=[{'name': 'V%d' % i, 'value': 'value-%d' % i} for i in range(6)])
    assert failed
    assert result['msg'].startswith("unexpected error: KeyError: 'the writer broke on V")
    assert '[writing variable V' in result['msg']
    # The traceback is the writer's own, not a re-raise somewhere else.
    assert 'in broken' in result['exception'] and 'KeyError' in result['exception']
    assert result['created'] == [] and result['changed'] is False
