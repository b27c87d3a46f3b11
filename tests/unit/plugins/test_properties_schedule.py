# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Properties of the schedule checks and normalisation (module_utils/_schedule.py): a timetable
written in any order, case or with repeats checks to one normal form; that form compares equal
to the same timetable as CircleCI may answer it (any order, any case), so a re-run sees no
change; out-of-range values are refused naming the sub-option; parameters need a branch or tag.
"""

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

HOURS = st.lists(st.integers(0, 23), min_size=1, max_size=30)
DAYS_OF_MONTH = st.lists(st.integers(1, 31), min_size=1, max_size=40)
WEEKDAYS = st.lists(st.sampled_from(DAYS_OF_WEEK), min_size=1, max_size=10)
MONTH_NAMES = st.lists(st.sampled_from(MONTHS), min_size=1, max_size=14)


@st.composite
def timetables(draw):
    """A valid timetable with the module's option names."""
    timetable = {'per_hour': draw(st.integers(1, 60)), 'hours_of_day': draw(HOURS)}
    if draw(st.booleans()):
        timetable['days_of_week'] = draw(WEEKDAYS)
    else:
        timetable['days_of_month'] = draw(DAYS_OF_MONTH)
    if draw(st.booleans()):
        timetable['months'] = draw(MONTH_NAMES)
    return timetable


def recase(draw, names):
    return [draw(st.sampled_from([n, n.lower(), n.capitalize(), ' %s ' % n.lower()])) for n in names]


@st.composite
def rewritten(draw, timetable):
    """The same timetable written otherwise: lists shuffled, repeated, names in any case."""
    other = dict(timetable)
    for key in ('hours_of_day', 'days_of_month', 'days_of_week', 'months'):
        if key in other:
            values = draw(st.permutations(other[key] + draw(st.lists(st.sampled_from(other[key]), max_size=3))))
            other[key] = recase(draw, values) if key in ('days_of_week', 'months') else list(values)
    return other


@settings(max_examples=300)
@given(data=st.data(), timetable=timetables())
def test_any_writing_of_a_timetable_checks_to_one_form(data, timetable):
    normal = check_timetable(timetable)
    assert check_timetable(data.draw(rewritten(timetable))) == normal
    # The normal form: API field names, numbers sorted without repeats, names upper case in calendar order.
    assert normal['per-hour'] == timetable['per_hour']
    assert normal['hours-of-day'] == sorted(set(timetable['hours_of_day']))
    for key, order in (('days-of-week', DAYS_OF_WEEK), ('months', MONTHS)):
        if key in normal:
            assert normal[key] == [n for n in order if n in normal[key]]
            assert len(normal[key]) == len(set(normal[key]))
    assert ('days-of-week' in normal) != ('days-of-month' in normal)


@settings(max_examples=300)
@given(data=st.data(), timetable=timetables())
def test_what_circleci_answers_compares_equal_to_what_was_sent(data, timetable):
    sent = check_timetable(timetable)
    answered = {}
    for key, value in sent.items():
        if isinstance(value, list):
            value = data.draw(st.permutations(value))
            if key in ('days-of-week', 'months'):
                value = [data.draw(st.sampled_from([v, v.lower()])) for v in value]
        answered[key] = value
    # An empty list in an answer means the same as no key.
    if 'months' not in answered and data.draw(st.booleans()):
        answered['months'] = []
    assert canonical_timetable(answered) == sent
    assert canonical_timetable(sent) == sent


@settings(max_examples=300)
@given(answer=st.one_of(st.none(), st.text(), st.dictionaries(
    st.sampled_from(['per-hour', 'hours-of-day', 'days-of-week', 'days-of-month', 'months', 'other']),
    st.one_of(st.integers(), st.text(max_size=5), st.lists(st.one_of(st.integers(-5, 40), st.text(max_size=4)), max_size=6)))))
def test_normalising_an_answer_never_fails_and_is_stable(answer):
    once = canonical_timetable(answer)
    assert canonical_timetable(once) == once


@settings(max_examples=300)
@given(timetable=timetables(), field=st.sampled_from(['per_hour', 'hours_of_day', 'days_of_month']),
       bad=st.one_of(st.integers(-1000, -1), st.integers(61, 1000)))
def test_out_of_range_is_refused_naming_the_field(timetable, field, bad):
    low, high = {'per_hour': (1, 60), 'hours_of_day': (0, 23), 'days_of_month': (1, 31)}[field]
    if field == 'days_of_month':
        timetable.pop('days_of_week', None)
    bad = bad if bad < low or bad > high else high + 1
    timetable[field] = bad if field == 'per_hour' else [low, bad]
    with pytest.raises(CircleCIInputError) as caught:
        check_timetable(timetable)
    assert caught.value.option == 'timetable.' + field
    assert 'out of range' in caught.value.reason


@given(timetable=timetables(), field=st.sampled_from(['per_hour', 'hours_of_day']), value=st.booleans())
def test_a_boolean_is_not_a_number(timetable, field, value):
    timetable[field] = value if field == 'per_hour' else [value]
    with pytest.raises(CircleCIInputError) as caught:
        check_timetable(timetable)
    assert caught.value.option == 'timetable.' + field


@given(timetable=timetables(), field=st.sampled_from(['days_of_week', 'months']),
       name=st.text(min_size=1, max_size=5).filter(lambda n: n.strip().upper() not in DAYS_OF_WEEK + MONTHS))
def test_an_unknown_name_is_refused_naming_the_field(timetable, field, name):
    if field == 'days_of_week':
        timetable.pop('days_of_month', None)
    timetable[field] = [name]
    with pytest.raises(CircleCIInputError) as caught:
        check_timetable(timetable)
    assert caught.value.option == 'timetable.' + field


@settings(max_examples=300)
@given(ref=st.sampled_from(['branch', 'tag']), value=st.text(min_size=1, max_size=20).filter(lambda v: v.strip()),
       others=st.dictionaries(st.text(min_size=1, max_size=10).filter(lambda k: k not in ('branch', 'tag')),
                              st.one_of(st.text(max_size=10), st.integers(), st.booleans()), max_size=5))
def test_parameters_with_a_ref_pass_unchanged(ref, value, others):
    parameters = dict(others, **{ref: value})
    checked = check_parameters(parameters)
    assert checked == parameters and checked is not parameters


@given(others=st.dictionaries(st.text(min_size=1, max_size=10).filter(lambda k: k not in ('branch', 'tag')),
                              st.one_of(st.text(max_size=10), st.integers(), st.booleans()), max_size=5))
def test_parameters_without_a_ref_are_refused(others):
    with pytest.raises(CircleCIInputError) as caught:
        check_parameters(others)
    assert caught.value.option == 'parameters'


@given(key=st.text(min_size=1, max_size=10).filter(lambda k: k not in ('branch', 'tag')),
       value=st.one_of(st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
                       st.floats(allow_nan=False), st.none()))
def test_a_parameter_that_is_not_a_scalar_is_refused_naming_it(key, value):
    with pytest.raises(CircleCIInputError) as caught:
        check_parameters({'branch': 'main', key: value})
    assert caught.value.option == 'parameters.' + key
