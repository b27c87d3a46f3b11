# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Timetable and parameter checks, and the normalisation that makes comparisons order- and case-blind."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import pytest
from hypothesis import given, settings, strategies as st

from ansible_collections.community.circleci.plugins.module_utils._schedule import (
    DAYS_OF_WEEK,
    MONTHS,
    canonical_timetable,
    check_parameters,
    check_timetable,
)
from ansible_collections.community.circleci.plugins.module_utils._validation import CircleCIInputError


def tt(**kwargs):
    base = {'per_hour': 1, 'hours_of_day': [2], 'days_of_week': None, 'days_of_month': None, 'months': None}
    if 'days_of_month' not in kwargs:
        base['days_of_week'] = ['MON']
    base.update(kwargs)
    return base


def test_normalised_to_the_api_spelling():
    assert check_timetable(tt(per_hour=4, hours_of_day=[14, 2, 2], days_of_week=['fri', ' Mon', 'WED'])) == {
        'per-hour': 4, 'hours-of-day': [2, 14], 'days-of-week': ['MON', 'WED', 'FRI']}
    assert check_timetable(tt(hours_of_day=[0, 23], days_of_month=[31, 1], months=['dec', 'Jan'])) == {
        'per-hour': 1, 'hours-of-day': [0, 23], 'days-of-month': [1, 31], 'months': ['JAN', 'DEC']}
    # the bounds themselves are accepted
    assert check_timetable(tt(per_hour=60))['per-hour'] == 60
    # months may go with days of the week too
    assert check_timetable(tt(months=['JUN']))['months'] == ['JUN']


@pytest.mark.parametrize('timetable, option, reason', [
    (tt(per_hour=0), 'timetable.per_hour', '0 is out of range: must be from 1 to 60'),
    (tt(per_hour=61), 'timetable.per_hour', '61 is out of range: must be from 1 to 60'),
    (tt(per_hour=True), 'timetable.per_hour', 'True is not a whole number'),
    (tt(per_hour=1.5), 'timetable.per_hour', '1.5 is not a whole number'),
    (tt(per_hour='x'), 'timetable.per_hour', "'x' is not a whole number"),
    (tt(per_hour=None), 'timetable.per_hour', 'is required (how many times an hour, 1 to 60)'),
    (tt(hours_of_day=[24]), 'timetable.hours_of_day', '24 is out of range: must be from 0 to 23'),
    (tt(hours_of_day=[-1]), 'timetable.hours_of_day', '-1 is out of range: must be from 0 to 23'),
    (tt(hours_of_day=[]), 'timetable.hours_of_day', 'is required (a list of hours, 0 to 23, in UTC)'),
    (tt(hours_of_day=5), 'timetable.hours_of_day', 'must be a non-empty list of whole numbers from 0 to 23'),
    (tt(days_of_week=['MON', 'FUN']), 'timetable.days_of_week', "'FUN' is not one of MON, TUE, WED, THU, FRI, SAT, SUN"),
    (tt(days_of_week=['MONDAY']), 'timetable.days_of_week', "'MONDAY' is not one of MON, TUE, WED, THU, FRI, SAT, SUN"),
    (tt(days_of_week=[1]), 'timetable.days_of_week', "1 is not one of MON, TUE, WED, THU, FRI, SAT, SUN"),
    (tt(days_of_month=[0]), 'timetable.days_of_month', '0 is out of range: must be from 1 to 31'),
    (tt(days_of_month=[32]), 'timetable.days_of_month', '32 is out of range: must be from 1 to 31'),
    (tt(days_of_week=['MON'], days_of_month=[1]), 'timetable', 'give days_of_week or days_of_month, not both'),
    (tt(days_of_week=None), 'timetable', 'give days_of_week (MON to SUN) or days_of_month (1 to 31)'),
    (tt(days_of_week=[], days_of_month=[]), 'timetable', 'give days_of_week (MON to SUN) or days_of_month (1 to 31)'),
    (tt(months=['JANUARY']), 'timetable.months', "'JANUARY' is not one of JAN, FEB, MAR, APR, MAY, JUN, JUL, AUG, SEP, OCT, NOV, DEC"),
    (dict(tt(), minutes=[5]), 'timetable', 'unknown keys minutes (known: per_hour, hours_of_day, days_of_week, days_of_month, months)'),
    (None, 'timetable', 'is required with state=present'),
    ('daily', 'timetable', 'must be a dictionary'),
])
def test_bad_timetables_name_the_option_and_the_reason(timetable, option, reason):
    with pytest.raises(CircleCIInputError) as info:
        check_timetable(timetable)
    assert (info.value.option, info.value.reason) == (option, reason)
    assert str(info.value) == '%s: %s' % (option, reason)


def test_parameters():
    assert check_parameters({'branch': 'main', 'n': 3, 'flag': False}) == {'branch': 'main', 'n': 3, 'flag': False}
    assert check_parameters({'tag': 'v1'}) == {'tag': 'v1'}


@pytest.mark.parametrize('parameters, option, reason', [
    ({'deploy': True}, 'parameters', 'must hold "branch" or "tag": a schedule triggers a pipeline on a branch or a tag'),
    ({}, 'parameters', 'must hold "branch" or "tag": a schedule triggers a pipeline on a branch or a tag'),
    ({'branch': ''}, 'parameters.branch', 'must be a non-empty string'),
    ({'tag': 5}, 'parameters.tag', 'must be a non-empty string'),
    ({'branch': 'main', 'list': [1]}, 'parameters.list', 'must be a string, an integer or a boolean, not a list'),
    ({'branch': 'main', 'map': {}}, 'parameters.map', 'must be a string, an integer or a boolean, not a dictionary'),
    ({'branch': 'main', 'ratio': 0.5}, 'parameters.ratio', 'must be a string, an integer or a boolean, not a float'),
    ({'branch': 'main', 'none': None}, 'parameters.none', 'must be a string, an integer or a boolean, not null'),
    (None, 'parameters', 'is required with state=present (it holds the branch or tag to build)'),
    (['branch'], 'parameters', 'must be a dictionary'),
])
def test_bad_parameters(parameters, option, reason):
    with pytest.raises(CircleCIInputError) as info:
        check_parameters(parameters)
    assert (info.value.option, info.value.reason) == (option, reason)


def test_canonical_timetable_of_an_answer():
    answer = {'per-hour': 2, 'hours-of-day': [23, 0, 23], 'days-of-month': [15, 1], 'months': ['dec', 'JAN'],
              'days-of-week': []}
    assert canonical_timetable(answer) == {'per-hour': 2, 'hours-of-day': [0, 23], 'days-of-month': [1, 15],
                                           'months': ['JAN', 'DEC']}
    # what the service holds is compared, never refused
    assert canonical_timetable({'per-hour': 99, 'days-of-week': ['MON', 'XYZ']}) == {'per-hour': 99, 'days-of-week': ['MON', 'XYZ']}
    assert canonical_timetable(None) == {}


# -- properties ---------------------------------------------------------------------------------

def _variants(values, case=False):
    """A strategy for the same set of values in any order, repeated, and (for names) in any case."""
    items = st.lists(st.sampled_from(values), min_size=len(values), max_size=2 * len(values)).filter(
        lambda xs: set(xs) == set(values))
    if case:
        return items.flatmap(lambda xs: st.tuples(*[st.sampled_from([x, x.lower(), x.title()]) for x in xs]).map(list))
    return items


TIMETABLES = st.fixed_dictionaries({
    'per_hour': st.integers(1, 60),
    'hours_of_day': st.sets(st.integers(0, 23), min_size=1).map(sorted),
    'days': st.one_of(
        st.tuples(st.just('days_of_week'), st.sets(st.sampled_from(DAYS_OF_WEEK), min_size=1).map(sorted)),
        st.tuples(st.just('days_of_month'), st.sets(st.integers(1, 31), min_size=1).map(sorted))),
    'months': st.one_of(st.none(), st.sets(st.sampled_from(MONTHS), min_size=1).map(sorted)),
})


def _build(draw_dict):
    kind, days = draw_dict['days']
    result = {'per_hour': draw_dict['per_hour'], 'hours_of_day': draw_dict['hours_of_day'],
              'days_of_week': None, 'days_of_month': None, 'months': draw_dict['months']}
    result[kind] = days
    return result


@settings(max_examples=200, deadline=None)
@given(spec=TIMETABLES, data=st.data())
def test_any_order_repeat_or_case_normalises_to_the_same(spec, data):
    timetable = _build(spec)
    expected = check_timetable(timetable)
    shuffled = dict(timetable)
    shuffled['hours_of_day'] = data.draw(_variants(timetable['hours_of_day']))
    if timetable['days_of_week']:
        shuffled['days_of_week'] = data.draw(_variants(timetable['days_of_week'], case=True))
    if timetable['days_of_month']:
        shuffled['days_of_month'] = data.draw(_variants(timetable['days_of_month']))
    if timetable['months']:
        shuffled['months'] = data.draw(_variants(timetable['months'], case=True))
    assert check_timetable(shuffled) == expected
    # what CircleCI would answer for it (stored in the order sent) compares equal, and
    # normalising is idempotent
    assert canonical_timetable(expected) == expected
    stored = dict((k, list(reversed(v)) if isinstance(v, list) else v) for k, v in expected.items())
    assert canonical_timetable(stored) == expected
    # the result is in the API's spelling and holds only what was given
    assert set(expected) <= {'per-hour', 'hours-of-day', 'days-of-week', 'days-of-month', 'months'}
    assert ('days-of-week' in expected) != ('days-of-month' in expected)


@settings(max_examples=200, deadline=None)
@given(per_hour=st.integers(-1000, 1000), hour=st.integers(-100, 100), day=st.integers(-100, 100))
def test_out_of_range_is_always_refused(per_hour, hour, day):
    timetable = tt(per_hour=per_hour, hours_of_day=[hour], days_of_week=None, days_of_month=[day])
    valid = 1 <= per_hour <= 60 and 0 <= hour <= 23 and 1 <= day <= 31
    if valid:
        assert check_timetable(timetable)['per-hour'] == per_hour
    else:
        with pytest.raises(CircleCIInputError):
            check_timetable(timetable)
