# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""circleci_schedule against the stand-in: what is sent, when, and what is compared."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import functools
import random

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st


from ansible_collections.community.circleci.plugins.module_utils._schedule import DAYS_OF_WEEK, MONTHS
from ansible_collections.community.circleci.plugins.modules import circleci_schedule

TIMETABLE = {'per_hour': 2, 'hours_of_day': [14, 2], 'days_of_week': ['fri', 'mon']}
SCHEDULE = dict(project_slug='gh/acme/api', name='nightly', timetable=TIMETABLE, parameters={'branch': 'main'})


@pytest.fixture
def run(run_module):
    """Run the module in-process; answer (failed, result) as the module gave it, unscrubbed."""
    return functools.partial(run_module, circleci_schedule)


def test_create_sends_the_normalised_timetable_and_the_actor(run, standin):
    failed, result = run(description='d', attribution_actor='system', **SCHEDULE)
    assert not failed, result
    assert [(w['method'], w['path']) for w in standin.writes] == [('POST', '/project/gh/acme/api/schedule')]
    assert standin.writes[0]['body'] == {
        'name': 'nightly', 'description': 'd', 'attribution-actor': 'system', 'parameters': {'branch': 'main'},
        'timetable': {'per-hour': 2, 'hours-of-day': [2, 14], 'days-of-week': ['MON', 'FRI']}}
    view = result['schedule']
    assert view['timetable'] == {'per_hour': 2, 'hours_of_day': [2, 14], 'days_of_week': ['MON', 'FRI']}
    assert view['actor']['login'] == 'scheduling-system'
    assert set(view) == {'id', 'name', 'description', 'timetable', 'parameters', 'actor', 'project_slug',
                         'created_at', 'updated_at'}


def test_rerun_in_any_order_or_case_sends_nothing(run, standin):
    run(**SCHEDULE)
    before = len(standin.writes)
    shuffled = dict(SCHEDULE, timetable={'per_hour': 2, 'hours_of_day': [2, 14, 14], 'days_of_week': ['MON', 'Fri']})
    for check_mode in (False, True):
        failed, result = run(check_mode=check_mode, **shuffled)
        assert not failed and not result['changed']
        assert result['diff']['before'] == result['diff']['after']
    assert len(standin.writes) == before


@pytest.mark.parametrize('change, body', [
    ({'description': 'new'}, {'description': 'new'}),
    ({'parameters': {'branch': 'main', 'fast': True}}, {'parameters': {'branch': 'main', 'fast': True}}),
    ({'timetable': dict(TIMETABLE, months=['jan'])},
     {'timetable': {'per-hour': 2, 'hours-of-day': [2, 14], 'days-of-week': ['MON', 'FRI'], 'months': ['JAN']}}),
])
def test_a_change_patches_that_field_with_the_actor(run, standin, change, body):
    failed, created = run(description='old', **SCHEDULE)
    before = len(standin.writes)
    args = dict(dict(SCHEDULE, description='old'), **change)
    failed, result = run(check_mode=True, **args)
    assert not failed and result['changed']
    assert len(standin.writes) == before
    failed, result = run(**args)
    assert not failed and result['changed']
    writes = standin.writes[before:]
    assert [(w['method'], w['path']) for w in writes] == [('PATCH', '/schedule/' + created['schedule']['id'])]
    assert writes[0]['body'] == dict(body, **{'attribution-actor': 'current'})


def test_the_actor_alone_is_not_a_change(run, standin):
    run(attribution_actor='system', **SCHEDULE)
    before = len(standin.writes)
    failed, result = run(attribution_actor='current', **SCHEDULE)
    assert not failed and not result['changed']
    assert len(standin.writes) == before


def test_an_empty_description_matches_none(run, standin):
    run(**SCHEDULE)
    before = len(standin.writes)
    failed, result = run(description='', **SCHEDULE)
    assert not failed and not result['changed']
    assert len(standin.writes) == before


def test_absent(run, standin):
    failed, created = run(**SCHEDULE)
    args = dict(project_slug='gh/acme/api', name='nightly', state='absent')
    failed, result = run(check_mode=True, **args)
    assert result['changed'] and result['schedule'] == {}
    assert len(standin.writes) == 1
    failed, result = run(**args)
    assert result['changed']
    assert (standin.writes[-1]['method'], standin.writes[-1]['path']) == ('DELETE', '/schedule/' + created['schedule']['id'])
    failed, result = run(**args)
    assert not result['changed']
    assert len(standin.writes) == 2


def test_pages_are_followed_and_duplicates_refused(run, standin):
    with standin.app.lock:
        for index in range(4):
            standin.app.seeders['schedules'](standin.app, {'name': 'filler-%d' % index})
        first = standin.app.seeders['schedules'](standin.app, {'name': 'nightly'})
        second = standin.app.seeders['schedules'](standin.app, {'name': 'nightly'})
    failed, result = run(**SCHEDULE)
    assert failed
    assert result['msg'] == "2 schedules are named 'nightly' in this project (ids: %s); delete all but one" % (
        ', '.join(sorted([first['id'], second['id']])))
    assert len([r for r in standin.requests if r['path'].endswith('/schedule')]) == 3
    assert standin.writes == []


WEEKLY = st.fixed_dictionaries({
    'per_hour': st.integers(1, 60),
    'hours_of_day': st.lists(st.integers(0, 23), min_size=1, max_size=6),
    'days_of_week': st.lists(st.sampled_from(DAYS_OF_WEEK), min_size=1, max_size=7),
    'months': st.one_of(st.none(), st.lists(st.sampled_from(MONTHS), min_size=1, max_size=5)),
})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(timetable=WEEKLY, seed=st.integers(0, 1000))
def test_any_timetable_is_created_once_then_stable(run, standin, timetable, seed):
    standin.reset()
    args = dict(SCHEDULE, timetable=timetable)
    failed, result = run(**args)
    assert not failed, result
    shuffle = random.Random(seed)
    mixed = dict((k, shuffle.sample(v, len(v)) if isinstance(v, list) else v) for k, v in timetable.items())
    mixed['days_of_week'] = [d.lower() for d in mixed['days_of_week']]
    failed, again = run(**dict(args, timetable=mixed))
    assert not failed and not again['changed']
    assert len(standin.writes) == 1


def test_a_timetable_the_server_did_not_change_fails_loudly(run, standin, monkeypatch):
    """On a server that merges a PATCH's timetable, a client that left the removed months out of
    the PATCH would keep them and PATCH on every run: the answer is checked, and that fails."""
    standin.reset(schedule_timetable_merge=True)
    months = dict(SCHEDULE, timetable=dict(TIMETABLE, months=['jan']))
    assert not run(**months)[0]
    original = circleci_schedule.Schedule.update

    def without_empty_lists(self, scope, current, body):
        return original(self, scope, dict(current, timetable={}), body)
    monkeypatch.setattr(circleci_schedule.Schedule, 'update', without_empty_lists)
    failed, result = run(**SCHEDULE)
    assert failed and result['changed']
    assert result['msg'].startswith("schedule 'nightly' (id %s): CircleCI did not keep what PATCH /schedule/%s sent: timetable reads back as"
                                    % (result['schedule']['id'], result['schedule']['id']))
    assert result['schedule']['timetable']['months'] == ['JAN']
