# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Properties of the input checks (module_utils/_validation.py) and of path quoting: every
well-formed value passes unchanged (UUIDs lower-cased), every malformed one is refused with an
error that names the option, and what goes into a path cannot change the path's shape."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import re
import uuid

import pytest
from hypothesis import assume, example, given, settings, strategies as st

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment, quote_slug
from ansible_collections.community.circleci.plugins.module_utils._validation import (
    CircleCIInputError,
    check_envvar_name,
    check_org_slug,
    check_positive_int,
    check_project_slug,
    check_uuid,
)

try:
    from urllib.parse import unquote
except ImportError:  # pragma: no cover
    from urllib import unquote  # type: ignore

VCS = st.from_regex(r'\A[A-Za-z][A-Za-z0-9-]{0,11}\Z')
# A slug segment: anything but a slash or whitespace (CircleCI project names are wide: unicode, dots, spaces are not).
SEGMENT = st.text(st.characters(blacklist_categories=('Cs', 'Zs', 'Zl', 'Zp', 'Cc'), blacklist_characters='/'),
                  min_size=1, max_size=20).filter(lambda s: not any(c.isspace() for c in s))
OPTION = st.sampled_from(['project_slug', 'owner_slug', 'org_slug', 'variables[3].name', 'context_id'])


def refused(check, value, option):
    with pytest.raises(CircleCIInputError) as caught:
        check(value, option)
    error = caught.value
    assert error.option == option
    assert str(error).startswith(option + ': ')
    # The value is shown at most in part: a huge input does not become a huge message.
    assert len(str(error)) < len(option) + 400
    return error


@settings(max_examples=300)
@given(vcs=VCS, org=SEGMENT, repo=SEGMENT, option=OPTION)
def test_project_slug_accepts_every_three_segment_slug(vcs, org, repo, option):
    slug = '%s/%s/%s' % (vcs, org, repo)
    assert check_project_slug(slug, option) == slug


@settings(max_examples=300)
@given(parts=st.lists(SEGMENT, min_size=0, max_size=5), option=OPTION)
def test_project_slug_refuses_other_segment_counts(parts, option):
    assume(len(parts) != 3)
    refused(check_project_slug, '/'.join(parts), option)


@given(vcs=VCS, org=SEGMENT, repo=SEGMENT, where=st.integers(0, 2), blank=st.sampled_from(['', ' ', '\t', 'a b']))
def test_project_slug_refuses_empty_or_spaced_segments(vcs, org, repo, where, blank):
    parts = [vcs, org, repo]
    parts[where] = blank
    refused(check_project_slug, '/'.join(parts), 'project_slug')


# A YAML block scalar (name: |) ends with a newline; a regex "$" would let it through.
@given(vcs=VCS, org=SEGMENT, repo=SEGMENT, value=st.uuids(), name=st.from_regex(r'\A[A-Za-z_][A-Za-z0-9_]{0,20}\Z'),
       tail=st.sampled_from(['\n', '\r\n', ' ', '\t', '\x0b']))
def test_a_trailing_newline_or_space_is_refused(vcs, org, repo, value, name, tail):
    refused(check_project_slug, '%s/%s/%s%s' % (vcs, org, repo, tail), 'project_slug')
    refused(check_org_slug, '%s/%s%s' % (vcs, org, tail), 'owner_slug')
    refused(check_uuid, str(value) + tail, 'context_id')
    refused(check_envvar_name, name + tail, 'name')


@given(value=st.one_of(st.none(), st.integers(), st.lists(st.text()), st.dictionaries(st.text(), st.text())))
def test_slug_checks_refuse_what_is_not_a_string(value):
    refused(check_project_slug, value, 'project_slug')
    refused(check_org_slug, value, 'org_slug')
    refused(check_uuid, value, 'context_id')
    refused(check_envvar_name, value, 'name')


@settings(max_examples=200)
@given(vcs=VCS, org=SEGMENT)
def test_org_slug_accepts_two_segments_only(vcs, org):
    assert check_org_slug('%s/%s' % (vcs, org), 'owner_slug') == '%s/%s' % (vcs, org)
    refused(check_org_slug, '%s/%s/extra' % (vcs, org), 'owner_slug')
    refused(check_org_slug, org, 'owner_slug')


@settings(max_examples=300)
@given(value=st.uuids(), upper=st.booleans())
def test_uuid_accepts_any_case_and_answers_lower_case(value, upper):
    text = str(value).upper() if upper else str(value)
    assert check_uuid(text, 'owner_id') == str(value)


def is_uuid_text(text):
    """An independent statement of the UUID form: 36 characters, dashes at 8, 13, 18 and 23, hex elsewhere."""
    return len(text) == 36 and all((c == '-') if i in (8, 13, 18, 23) else (c in '0123456789abcdefABCDEF')
                                   for i, c in enumerate(text))


@settings(max_examples=300)
@given(value=st.uuids(), position=st.integers(0, 35), replacement=st.characters(blacklist_categories=('Cs',)))
def test_uuid_with_any_character_altered(value, position, replacement):
    text = str(value)
    altered = text[:position] + replacement + text[position + 1:]
    if is_uuid_text(altered):
        assert check_uuid(altered, 'owner_id') == altered.lower()
    else:
        refused(check_uuid, altered, 'owner_id')


@given(value=st.uuids(), cut=st.integers(1, 35))
def test_uuid_refuses_a_shortened_or_padded_one(value, cut):
    refused(check_uuid, str(value)[:cut], 'context_id')
    refused(check_uuid, str(value) + str(value)[:cut], 'context_id')
    refused(check_uuid, ' ' + str(value), 'context_id')


@settings(max_examples=300)
@given(name=st.from_regex(r'\A[A-Za-z_][A-Za-z0-9_]{0,40}\Z'))
def test_envvar_name_accepts_the_documented_pattern(name):
    assert check_envvar_name(name, 'name') == name


@settings(max_examples=300)
@given(name=st.text(min_size=0, max_size=20))
@example(name='1ABC')
@example(name='A-B')
@example(name='A B')
@example(name='ÄBC')
@example(name='ABC\n')
def test_envvar_name_refuses_everything_else(name):
    assume(not re.match(r'\A[A-Za-z_][A-Za-z0-9_]*\Z', name))
    refused(check_envvar_name, name, 'variables[0].name')


@given(low=st.integers(-5, 5), span=st.integers(0, 100), value=st.integers(-200, 200))
def test_positive_int_holds_its_bounds(low, span, value):
    high = low + span
    if low <= value <= high:
        assert check_positive_int(value, 'job_number', minimum=low, maximum=high) == value
        assert check_positive_int(str(value), 'job_number', minimum=low, maximum=high) == value
    else:
        error = refused(lambda v, o: check_positive_int(v, o, minimum=low, maximum=high), value, 'job_number')
        assert ('%d to %d' % (low, high)) in error.reason


def parses_as_int(text):
    try:
        int(text)
    except ValueError:
        return False
    return True


@given(value=st.one_of(st.none(), st.text().filter(lambda t: not parses_as_int(t)), st.lists(st.integers())))
def test_positive_int_refuses_what_is_not_a_whole_number(value):
    refused(check_positive_int, value, 'limit')


@settings(max_examples=300)
@given(vcs=VCS, org=SEGMENT, repo=SEGMENT)
def test_a_quoted_slug_keeps_its_shape_and_its_segments(vcs, org, repo):
    quoted = quote_slug('%s/%s/%s' % (vcs, org, repo))
    parts = quoted.split('/')
    assert len(parts) == 3
    assert [unquote(part) for part in parts] == [vcs, org, repo]
    assert not re.search(r'[?#\s]', quoted)


@settings(max_examples=300)
@given(value=st.one_of(st.text(), st.integers()))
def test_a_quoted_segment_is_one_segment(value):
    quoted = quote_segment(value)
    assert not re.search(r'[/?#\s]', quoted)
    assert unquote(quoted) == '%s' % (value,)


def test_strategies_produce_real_identifiers():
    # The UUID strategy is not vacuous: a random UUID4 passes, its hex without dashes does not.
    value = uuid.uuid4()
    assert check_uuid(str(value), 'x') == str(value)
    refused(check_uuid, value.hex, 'x')
