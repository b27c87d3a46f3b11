# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the part 2 project modules added to the bases: a create refused as taken is adopted
(Resource.taken), an answer that says nothing was done is no change (Operation.applied), a
query's answer shown through its view (Query.view), and find_one's verb."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import pytest

from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIError, CircleCIStateError
from ansible_collections.community.circleci.plugins.module_utils._operation import Operation
from ansible_collections.community.circleci.plugins.module_utils._query import Form, Query, Table
from ansible_collections.community.circleci.plugins.module_utils._resolve import find_one
from ansible_collections.community.circleci.plugins.module_utils._resource import Field, Resource
from ansible_collections.community.circleci.plugins.module_utils._task import run_task


class Recorder:
    """The part of the client the bases use: the record of writes."""

    def __init__(self, answers=None):
        self.writes = []
        self.answers = answers or {}
        self.reads = []

    def changed_something(self):
        return any(outcome != 'refused' for dummy, dummy, outcome in self.writes)

    def writes_with(self, outcome):
        return ['%s %s' % (method, path) for method, path, done in self.writes if done == outcome]

    def nothing_done(self):
        method, path, dummy = self.writes[-1]
        self.writes[-1] = (method, path, 'refused')

    def get(self, path, params=None):
        self.reads.append((path, params))
        return self.answers[path]

    def list(self, path, params=None, limit=None):
        self.reads.append((path, params))
        return list(self.answers[path])


class Thing(Resource):
    """A name-identified object whose create CircleCI refuses with 409 when the name is taken."""

    key, plural, where = 'thing', 'things', 'in this box'
    taken = (409,)
    fields = (Field('id'), Field('name', option='name'), Field('colour', option='colour'))

    def __init__(self, client, params, box, hidden=None, check_mode=False):
        super(Thing, self).__init__(client, params, check_mode, {'changed': False})
        self.box = box
        # What exists but the first look-up does not show (made by someone else meanwhile).
        self.hidden = hidden

    def items(self, scope):
        return list(self.box)

    def create(self, scope, body):
        self.client.writes.append(('POST', '/thing', 'refused'))
        if self.hidden is not None:
            self.box.append(self.hidden)
        raise CircleCIError('POST', '/thing', 409, 'Thing %s already exists' % body['name'])

    def update(self, scope, current, body):
        self.client.writes.append(('PATCH', '/thing/%s' % current['id'], 'done'))
        return dict(current, **body)


def test_a_create_refused_as_taken_adopts_the_object_and_changes_nothing():
    client = Recorder()
    thing = Thing(client, {'name': 'a', 'colour': 'red'}, [], hidden={'id': 'i1', 'name': 'a', 'colour': 'red'})
    result = run_task(thing)
    assert 'failed' not in result, result
    assert result['changed'] is False
    assert result['thing'] == {'id': 'i1', 'name': 'a', 'colour': 'red'}
    assert result['diff'] == {'before': result['thing'], 'after': result['thing']}
    assert client.writes == [('POST', '/thing', 'refused')]
    assert thing.warnings == ["POST /thing: 409 Conflict: Thing a already exists: the thing 'a' exists already (id i1): "
                              'adopted, nothing was created']


def test_an_adopted_object_is_then_updated_like_any_other():
    client = Recorder()
    thing = Thing(client, {'name': 'a', 'colour': 'blue'}, [], hidden={'id': 'i1', 'name': 'a', 'colour': 'red'})
    result = run_task(thing)
    assert result['changed'] is True
    assert result['thing']['colour'] == 'blue'
    assert result['diff']['before']['colour'] == 'red'
    assert client.writes == [('POST', '/thing', 'refused'), ('PATCH', '/thing/i1', 'done')]


def test_taken_yet_not_found_fails_saying_both():
    client = Recorder()
    result = run_task(Thing(client, {'name': 'a', 'colour': 'red'}, []))
    assert result['failed'] is True
    assert result['changed'] is False
    assert result['msg'] == ("POST /thing: 409 Conflict: Thing a already exists (CircleCI says the thing 'a' exists, "
                             'yet it is not found in this box)')


def test_other_refusals_are_not_taken_for_adoption():
    class Refused(Thing):
        def create(self, scope, body):
            raise CircleCIError('POST', '/thing', 400, 'bad colour')

    result = run_task(Refused(Recorder(), {'name': 'a', 'colour': 'red'}, [], hidden={'id': 'i1', 'name': 'a'}))
    assert result['failed'] is True and result['msg'] == 'POST /thing: 400 Bad Request: bad colour'


class Run(Operation):
    """An operation whose write may answer "nothing was done"."""

    def __init__(self, client, answer, fail_after=False):
        super(Run, self).__init__(client, {}, False, {'changed': False})
        self.answer = answer
        self.fail_after = fail_after

    def act(self, target):
        self.client.writes.append(('POST', '/run', 'done'))
        return self.answer

    def applied(self, outcome):
        return 'id' in outcome

    def done(self, outcome):
        self.result['done'] = outcome
        if self.fail_after:
            raise CircleCIStateError('nothing to wait for')


def test_an_answer_that_says_nothing_was_done_is_no_change():
    client = Recorder()
    result = run_task(Run(client, {'message': 'Ignoring'}))
    assert result['changed'] is False
    assert result['done'] == {'message': 'Ignoring'}
    assert client.writes == [('POST', '/run', 'refused')]


def test_a_failure_after_nothing_was_done_is_not_a_change():
    result = run_task(Run(Recorder(), {'message': 'Ignoring'}, fail_after=True))
    assert result['failed'] is True and result['changed'] is False


def test_an_answer_that_did_it_is_a_change():
    client = Recorder()
    result = run_task(Run(client, {'id': 'p1'}))
    assert result['changed'] is True
    assert client.writes == [('POST', '/run', 'done')]


def test_a_query_view_shows_every_item_of_a_list_and_a_single_answer():
    def view(item):
        return dict(item, secret='****')

    table = Table([Query('many', Form('/things'), is_list=True, view=view), Query('one', Form('/thing')),
                   Query('masked', Form('/thing'), view=view)], {}, {})
    client = Recorder({'/things': [{'id': 1, 'secret': 'x'}, {'id': 2, 'secret': 'y'}], '/thing': {'id': 3, 'secret': 'z'}})
    assert table.execute(client, table.prepare('many', {})) == [{'id': 1, 'secret': '****'}, {'id': 2, 'secret': '****'}]
    assert table.execute(client, table.prepare('one', {})) == {'id': 3, 'secret': 'z'}
    assert table.execute(client, table.prepare('masked', {})) == {'id': 3, 'secret': '****'}


def test_find_one_says_how_the_items_share_the_value():
    items = [{'id': 'b', 'key': 'k'}, {'id': 'a', 'key': 'k'}]
    with pytest.raises(CircleCIStateError) as info:
        find_one(items, 'k', 'triggers', 'in definition build', key='key', verb='match', hint='name one by trigger_id')
    assert str(info.value) == "2 triggers match 'k' in definition build (ids: a, b); name one by trigger_id"
    with pytest.raises(CircleCIStateError, match=r"^2 contexts are named 'k' here \(ids: a, b\); delete all but one$"):
        find_one(items, 'k', 'contexts', 'here', key='key')


class Settings(Resource):
    """An object with a nested part of which a change names only the keys that change."""

    key = 'thing'
    fields = (Field('id'), Field('name', option='name'), Field('settings', option='settings', partial=True), Field('tags', option='tags'))

    def items(self, scope):
        return [{'id': 'i1', 'name': 'a', 'settings': {'x': 1, 'y': 2}, 'tags': {'k': 'v', 'old': 'o'}}]

    def compare(self, current, desired):
        changes = dict((key, dict((k, v) for k, v in desired[key].items() if current[key].get(k) != v))
                       for key in ('settings', 'tags') if desired.get(key))
        return dict((k, v) for k, v in changes.items() if v)


def test_a_partial_field_keeps_the_keys_a_change_does_not_name():
    result = run_task(Settings(Recorder(), {'name': 'a', 'settings': {'y': 3}, 'tags': {'k': 'w'}}, True, {'changed': False}))
    assert result['changed'] is True
    # settings is partial: the prediction keeps x; tags is not: the change replaces it whole
    assert result['thing']['settings'] == {'x': 1, 'y': 3}
    assert result['thing']['tags'] == {'k': 'w'}
    assert result['diff']['before']['settings'] == {'x': 1, 'y': 2}
