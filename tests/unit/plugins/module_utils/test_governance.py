# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The pure parts of _governance.py: durations compared by value, the policy a Rego document names."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import pytest
from hypothesis import given, strategies as st

from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIInputError
from ansible_collections.community.circleci.plugins.module_utils._governance import (
    duration_body,
    go_duration,
    policy_name,
    stored_duration,
)
from ansible_collections.community.circleci.plugins.module_utils._validation import DURATION_RE, check_duration


@pytest.mark.parametrize('given_text, stored', [
    ('90m', '1h30m0s'), ('1h', '1h0m0s'), ('45s', '45s'), ('2d', '48h0m0s'), ('1w', '168h0m0s'),
    ('1500ms', '1.5s'), ('500ms', '500ms'), ('1h30m', '1h30m0s'), ('61s', '1m1s'), ('3600000ms', '1h0m0s'),
])
def test_a_duration_is_stored_as_circleci_prints_it(given_text, stored):
    assert go_duration(check_duration(given_text, 'ttl')) == stored
    # What CircleCI answers compares equal to what was asked.
    assert stored_duration(stored) == stored


@pytest.mark.parametrize('answer, canonical', [('90m0s', '1h30m0s'), ('5400s', '1h30m0s'), ('0.5s', '500ms'), ('1m0.25s', '1m0.25s')])
def test_an_answer_in_another_form_compares_by_value(answer, canonical):
    assert stored_duration(answer) == canonical


def test_an_answer_that_is_no_duration_is_kept_as_it_came():
    assert stored_duration('forever') == 'forever'
    assert stored_duration(None) is None


@pytest.mark.parametrize('text', ['90', 'm', '1.5h', '1y', '-1h', '', '1h 30m', '1h1h1h1h1h1h1h1h', '0s', 5400])
def test_bad_durations_are_refused(text):
    with pytest.raises(CircleCIInputError) as info:
        check_duration(text, 'ttl')
    assert info.value.option == 'ttl'


@given(st.integers(min_value=1, max_value=10 ** 11))
def test_the_body_form_is_taken_by_circleci_and_means_the_same(millis):
    stored = go_duration(millis)
    body = duration_body(stored)
    assert DURATION_RE.match(body), body
    assert check_duration(body, 'ttl') == millis
    assert stored_duration(stored) == stored


@pytest.mark.parametrize('text, name', [
    ('package org\n\npolicy_name["jobs"]\n', 'jobs'),
    ('package org\nimport future.keywords\npolicy_name [ "a_b" ]\n', 'a_b'),
    ('package org\n# policy_name["commented"]\npolicy_name["real"]\n', 'real'),
    ('package org\nenable_rule["x"]\n', None),
    ('package org\nx := "policy_name[\\"no\\"]"\n', None),
])
def test_the_policy_a_document_names(text, name):
    assert policy_name(text) == name
