# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The bases' generic parts that the part 2 modules use: on_change (replace, keep), Settings, carried item sets."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import pytest

from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIError, CircleCIInputError
from ansible_collections.community.circleci.plugins.module_utils._resource import Field, ItemSet, Resource, Settings, plan_items
from ansible_collections.community.circleci.plugins.module_utils._task import run_task
from ansible_collections.community.circleci.plugins.module_utils._validation import check_text


class Log:
    """A client stand-in that records every call: ``calls`` (method, what) in order."""

    def __init__(self):
        self.calls = []
        self.writes = []

    def write(self, method, what):
        self.calls.append((method, what))
        self.writes.append((method, what, 'done'))

    def changed_something(self):
        return bool(self.writes)

    def writes_with(self, outcome):
        return ['%s %s' % (method, what) for method, what, done in self.writes if done == outcome]


def make(cls, params, check_mode=False, client=None):
    client = client or Log()
    return cls(client, params, check_mode, {'changed': False}), client


# -- on_change: replace and keep --------------------------------------------------------

class Entry(Resource):
    """Objects of a list with no update: a change is a new one, then the old one removed."""
    key, plural = 'entry', 'entries'
    on_change = 'replace'
    fields = (Field('id'), Field('name', option='name', check=check_text), Field('prefix', option='prefix'), Field('auth', option='auth'))

    def items(self, scope):
        self.client.calls.append(('GET', 'list'))
        return [dict(e) for e in self.client.store]

    def create(self, scope, body):
        self.client.write('POST', body['prefix'])
        entry = dict(body, id='new')
        self.client.store.append(entry)
        return entry

    def delete(self, scope, current):
        self.client.write('DELETE', current['id'])
        self.client.store[:] = [e for e in self.client.store if e['id'] != current['id']]


def entry_client():
    client = Log()
    client.store = [{'id': 'old', 'name': 'ours', 'prefix': 'https://a.example/', 'auth': 'none'}]
    return client


def test_replace_creates_the_new_object_before_deleting_the_old():
    task, client = make(Entry, {'name': 'ours', 'prefix': 'https://b.example/', 'auth': None, 'state': 'present'}, client=entry_client())
    run_task(task)
    assert client.calls == [('GET', 'list'), ('POST', 'https://b.example/'), ('DELETE', 'old')]
    assert task.result['changed'] is True
    # The fields not given come from the old object: the new one is whole.
    assert task.result['entry'] == {'id': 'new', 'name': 'ours', 'prefix': 'https://b.example/', 'auth': 'none'}
    assert task.result['diff']['before']['prefix'] == 'https://a.example/'


def test_replace_in_check_mode_writes_nothing_and_predicts():
    task, client = make(Entry, {'name': 'ours', 'prefix': 'https://b.example/', 'auth': 'none', 'state': 'present'},
                        check_mode=True, client=entry_client())
    run_task(task)
    assert client.writes == []
    assert task.result['changed'] is True
    assert task.result['entry'] == {'name': 'ours', 'prefix': 'https://b.example/', 'auth': 'none'}


def test_replace_without_a_difference_sends_nothing():
    task, client = make(Entry, {'name': 'ours', 'prefix': 'https://a.example/', 'auth': 'none', 'state': 'present'}, client=entry_client())
    run_task(task)
    assert client.writes == [] and task.result['changed'] is False


def test_a_refused_replacement_is_no_change():
    class Refusing(Entry):
        def create(self, scope, body):
            self.client.calls.append(('POST', body['prefix']))
            raise CircleCIError('POST', '/entries', 400, 'prefix refused')

    task, client = make(Refusing, {'name': 'ours', 'prefix': 'https://b.example/', 'auth': None, 'state': 'present'},
                        client=entry_client())
    run_task(task)
    assert task.result['failed'] and task.result['changed'] is False
    assert client.calls == [('GET', 'list'), ('POST', 'https://b.example/')] and client.store[0]['id'] == 'old'


class Renamed(Entry):
    """An object with an update route that refuses every update."""
    on_change = 'update'

    def update(self, scope, current, body):
        self.client.calls.append(('PATCH', current['id']))
        raise CircleCIError('PATCH', '/entries/%s' % current['id'], 400, 'refused')


def test_a_refused_update_is_no_change():
    task, client = make(Renamed, {'name': 'ours', 'prefix': 'https://b.example/', 'auth': None, 'state': 'present'},
                        client=entry_client())
    run_task(task)
    assert task.result['failed'] and task.result['changed'] is False
    assert task.result['msg'] == 'PATCH /entries/old: 400 Bad Request: refused'
    assert client.calls == [('GET', 'list'), ('PATCH', 'old')]


class Kept(Entry):
    key = 'group'
    on_change = 'keep'
    keep_hint = ' Re-creating it would lose its members.'


@pytest.mark.parametrize('check_mode', [False, True])
def test_keep_warns_and_sends_nothing(check_mode):
    task, client = make(Kept, {'name': 'ours', 'prefix': 'https://b.example/', 'auth': None, 'state': 'present'},
                        check_mode=check_mode, client=entry_client())
    run_task(task)
    assert client.writes == []
    assert task.result['changed'] is False
    assert task.result['group']['prefix'] == 'https://a.example/'
    assert task.warnings == ["group 'ours': CircleCI cannot update a group, so it is left as it is: prefix is "
                             "'https://a.example/', the task asks for 'https://b.example/'. Re-creating it would lose its members."]


# -- Settings ------------------------------------------------------------------------------

class Claims(Settings):
    key = 'claims'
    fields = (Field('org_id'), Field('ttl', option='ttl'), Field('audience', option='audience'))

    def read(self, scope):
        self.client.calls.append(('GET', 'claims'))
        return dict(self.client.claims)

    def customised(self, current):
        return [name for name in ('audience', 'ttl') if current.get(name) is not None]

    def update(self, scope, current, body):
        self.client.write('PATCH', sorted(body))
        self.client.claims.update(body)
        return dict(self.client.claims)

    def delete(self, scope, current):
        self.client.write('DELETE', self.customised(current))


def claims_client(**claims):
    client = Log()
    client.claims = dict(claims, org_id='o')
    return client


def test_settings_present_sends_only_what_differs():
    task, client = make(Claims, {'ttl': '1h', 'audience': None, 'state': 'present'}, client=claims_client(ttl='2h', audience=['a']))
    run_task(task)
    assert client.writes == [('PATCH', ['ttl'], 'done')]
    assert task.result['claims'] == {'org_id': 'o', 'ttl': '1h', 'audience': ['a']}


def test_settings_absent_resets_what_is_customised_and_leaves_out_what_is_not_set():
    task, client = make(Claims, {'ttl': None, 'audience': None, 'state': 'absent'}, client=claims_client(ttl='2h'))
    run_task(task)
    assert client.writes == [('DELETE', ['ttl'], 'done')]
    assert task.result['changed'] is True
    assert task.result['claims'] == {'org_id': 'o'}
    assert task.result['diff'] == {'before': {'org_id': 'o', 'ttl': '2h'}, 'after': {'org_id': 'o'}}


@pytest.mark.parametrize('check_mode', [False, True])
def test_settings_absent_with_nothing_customised_is_no_change(check_mode):
    task, client = make(Claims, {'ttl': None, 'audience': None, 'state': 'absent'}, check_mode=check_mode, client=claims_client())
    run_task(task)
    assert client.writes == [] and task.result['changed'] is False
    assert client.calls == [('GET', 'claims')]


# -- an item set carried by a Resource --------------------------------------------------------

class Tags(ItemSet):
    """The tags of a box: created before deleted; keys are the tag names."""
    option, field, noun, reported = 'tags', 'tags', 'tag', ()

    def check(self):
        if 'bad' in self.params['tags']:
            raise CircleCIInputError('tags', 'bad is not a tag')
        return {'declared': [(t, t, 'present') for t in self.params['tags']]}

    def read(self, scope):
        self.client.calls.append(('GET', 'tags of %s' % scope.get('id')))
        return dict((t, t) for t in self.client.tags.get(scope.get('id'), ['default']))

    def plan(self, current):
        return plan_items(current, self.inputs['declared'], lambda item, desired: False, True)

    def write(self, scope, action, key, desired, item):
        self.client.write(action, key)
        return desired

    def report(self, before, after):
        self.result['tags'] = sorted(after)
        self.result['diff'] = dict(before=sorted(before), after=sorted(after))


class Box(Resource):
    key, plural = 'box', 'boxes'
    fields = (Field('id'), Field('name', option='name'))
    carries = (Tags,)

    def items(self, scope):
        self.client.calls.append(('GET', 'boxes'))
        return list(self.client.boxes)

    def create(self, scope, body):
        self.client.write('POST', body['name'])
        self.client.boxes.append(dict(body, id='b2'))
        return dict(body, id='b2')

    def delete(self, scope, current):
        self.client.write('DELETE', current['id'])


def box_client():
    client = Log()
    client.boxes = [{'id': 'b1', 'name': 'one'}]
    client.tags = {'b1': ['x', 'old']}
    return client


def test_a_carried_set_runs_in_the_object_and_joins_its_result():
    task, client = make(Box, {'name': 'one', 'tags': ['x', 'new'], 'state': 'present'}, client=box_client())
    run_task(task)
    assert client.calls == [('GET', 'boxes'), ('GET', 'tags of b1'), ('create', 'new'), ('delete', 'old')]
    assert task.result['changed'] is True
    assert task.result['box'] == {'id': 'b1', 'name': 'one', 'tags': ['new', 'x']}
    assert task.result['diff']['before']['tags'] == ['old', 'x']
    assert task.result['diff']['after']['tags'] == ['new', 'x']


def test_a_carried_set_of_a_new_object_reads_the_object_made():
    task, client = make(Box, {'name': 'two', 'tags': ['default'], 'state': 'present'}, client=box_client())
    run_task(task)
    assert client.calls == [('GET', 'boxes'), ('POST', 'two'), ('GET', 'tags of b2')]
    assert task.result['box']['tags'] == ['default']
    assert task.result['diff']['before'] == {}


def test_a_carried_set_in_check_mode_writes_nothing():
    task, client = make(Box, {'name': 'one', 'tags': ['x'], 'state': 'present'}, check_mode=True, client=box_client())
    run_task(task)
    assert client.writes == []
    assert task.result['changed'] is True
    assert task.result['box']['tags'] == ['x']


def test_a_carried_set_not_asked_for_is_left_alone():
    task, client = make(Box, {'name': 'one', 'tags': None, 'state': 'present'}, client=box_client())
    run_task(task)
    assert client.calls == [('GET', 'boxes')]
    assert 'tags' not in task.result['box']


@pytest.mark.parametrize('params, message', [
    ({'name': 'one', 'tags': ['bad'], 'state': 'present'}, 'tags: bad is not a tag'),
    ({'name': 'one', 'tags': ['x'], 'state': 'absent'}, 'tags: is only used with state=present'),
])
def test_a_carried_set_is_checked_before_any_request(params, message):
    task, client = make(Box, params, client=box_client())
    run_task(task)
    assert task.result['failed'] and task.result['msg'] == message
    assert client.calls == []


def test_a_failed_carried_write_says_what_was_done():
    class Failing(Tags):
        def write(self, scope, action, key, desired, item):
            if action == 'delete':
                raise CircleCIError('DELETE', '/tags/%s' % key, 500, 'boom')
            return super(Failing, self).write(scope, action, key, desired, item)

    class FailingBox(Box):
        carries = (Failing,)

    task, client = make(FailingBox, {'name': 'one', 'tags': ['x', 'new'], 'state': 'present'}, client=box_client())
    run_task(task)
    assert task.result['failed'] and task.result['changed'] is True
    assert task.result['msg'] == 'DELETE /tags/old: 500 Internal Server Error: boom [writing tag old failed; 1 write(s) completed]'
    assert task.result['box']['tags'] == ['new', 'old', 'x']
