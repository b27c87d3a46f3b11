# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Properties of circleci_envvar's masked-value comparison (masked, revealed, displayed) and of
its plan: what is shown never holds more of a value than CircleCI does, a value is rewritten
exactly when its last four characters differ, and a second run after the planned writes plans
none (on_change and on_create), on a server that shows the tails and on one that shows nothing.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

from hypothesis import given, settings, strategies as st

from ansible_collections.community.circleci.plugins.modules.circleci_envvar import displayed, masked, plan, revealed

NAMES = st.sampled_from(['A', 'B', 'C', 'D', 'E', 'F', 'G'])
VALUES = st.text(max_size=12)
MODES = st.sampled_from(['on_change', 'always', 'on_create'])
# What a server shows of an existing value: its masked form, nothing, or a form this module cannot read.
SHOWN = st.one_of(VALUES.map(masked), st.none(), st.just('****'), st.just(''))


@settings(max_examples=500)
@given(value=VALUES)
def test_masked_form_is_four_x_and_at_most_four_characters(value):
    shown = masked(value)
    assert shown == 'xxxx' + value[-4:]
    assert revealed(shown)
    assert len(shown) <= 8


@settings(max_examples=500)
@given(value=VALUES)
def test_displayed_never_shows_a_short_value_whole(value):
    shown = displayed(masked(value))
    if len(value) >= 4:
        assert shown == 'xxxx' + value[-4:]
    else:
        # A tail of fewer than four characters is the whole value.
        assert shown == 'xxxx'


@given(shown=st.one_of(st.none(), st.text(max_size=12)))
def test_displayed_is_a_masked_form_or_nothing(shown):
    result = displayed(shown)
    assert result is None or (result.startswith('xxxx') and len(result) in (4, 8))
    if not revealed(shown):
        assert result is None


DECLARED = st.lists(st.tuples(NAMES, VALUES, st.sampled_from(['present', 'absent'])), max_size=7,
                    unique_by=lambda entry: entry[0]).map(
    lambda entries: [(name, value if state == 'present' else None, state) for name, value, state in entries])


@settings(max_examples=500)
@given(old=VALUES, new=VALUES)
def test_on_change_rewrites_exactly_when_the_tail_differs(old, new):
    writes, unchanged, unverified = plan({'A': masked(old)}, [('A', new, 'present')], 'on_change', False)
    if old[-4:] == new[-4:]:
        # The documented limit: CircleCI shows no more than the last four characters.
        assert writes == [] and unchanged == ['A']
    else:
        assert writes == [('update', 'A', new)] and unchanged == []
    assert unverified == []


@settings(max_examples=500)
@given(current=st.dictionaries(NAMES, SHOWN), declared=DECLARED, mode=MODES, purge=st.booleans())
def test_plan_accounts_for_every_declared_name_once(current, declared, mode, purge):
    writes, unchanged, unverified = plan(current, declared, mode, purge)
    written = [name for _action, name, _value in writes]
    assert len(written) == len(set(written))
    declared_names = [entry[0] for entry in declared]
    accounted = [n for n in written if n in declared_names] + unchanged + unverified
    assert sorted(accounted) == sorted(declared_names)
    # Only undeclared names can be purged, and only with purge.
    undeclared = [n for n in written if n not in declared_names]
    assert all(action == 'delete' for action, name, value in writes if name in undeclared)
    assert sorted(undeclared) == (sorted(set(current) - set(declared_names)) if purge else [])
    values = dict((entry[0], entry[1]) for entry in declared)
    for action, name, value in writes:
        if action == 'delete':
            assert value is None and name in current
        else:
            assert value == values[name] and (action == 'create') == (name not in current)
    # on_change never writes a value it cannot compare; on_create never overwrites.
    if mode == 'on_change':
        assert not any(action == 'update' and not revealed(current[name]) for action, name, value in writes)
        assert all(not revealed(current[name]) for name in unverified)
    if mode == 'on_create':
        assert not any(write[0] == 'update' for write in writes)
    if mode == 'always':
        assert unverified == []
        assert sorted(write[1] for write in writes if write[0] in ('create', 'update')) == sorted(
            n for n, _v, state in declared if state == 'present')


def apply(current, writes, shows_tails):
    after = dict(current)
    for action, name, value in writes:
        if action == 'delete':
            after.pop(name, None)
        else:
            after[name] = masked(value) if shows_tails else None
    return after


@settings(max_examples=500)
@given(current=st.dictionaries(NAMES, SHOWN), declared=DECLARED, mode=st.sampled_from(['on_change', 'on_create']),
       purge=st.booleans(), shows_tails=st.booleans())
def test_a_second_run_plans_no_write(current, declared, mode, purge, shows_tails):
    if shows_tails:
        current = dict((name, masked('old-%s' % name) if shown is None else shown) for name, shown in current.items())
    else:
        current = dict((name, None) for name in current)
    writes = plan(current, declared, mode, purge)[0]
    after = apply(current, writes, shows_tails)
    assert plan(after, declared, mode, purge)[0] == []
    # And the result is what was declared: present names exist, absent ones (and purged ones) do not.
    for name, _value, state in declared:
        assert (name in after) == (state == 'present')
    if purge:
        assert set(after) == set(n for n, _v, state in declared if state == 'present')
