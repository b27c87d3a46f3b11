# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""docs/api-coverage.md names only modules, queries and lookups that exist, with the right paths."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import os
import re

import pytest

from ansible_collections.community.circleci.plugins.module_utils._queries import INSIGHTS_KINDS, QUERIES

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..')
METHODS = ('GET', 'POST', 'PUT', 'PATCH', 'DELETE')
# Reads that CircleCI serves as a POST, and the query each one is: an evaluation of a config
# against the config policies, which changes nothing (only its decision log is recorded).
READS_BY_POST = {('POST', '/owner/{ownerID}/context/{context}/decision'): 'policy_evaluation'}


def read_table():
    with open(os.path.join(ROOT, 'docs', 'api-coverage.md')) as handle:
        lines = handle.read().splitlines()
    rows = []
    for line in lines:
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if len(cells) == 5 and cells[0] in METHODS:
            rows.append(dict(zip(('method', 'path', 'module', 'query', 'lookup'), cells)))
    return rows


ROWS = read_table()


def shape(path):
    """A path with its parameters blanked, so that {project-slug} and {project_slug} compare equal."""
    return re.sub(r'\{[^}]+\}', '{}', path)


def test_table_is_there():
    assert len(ROWS) >= 50, 'docs/api-coverage.md: the table was not found or lost rows'
    keys = [(r['method'], r['path']) for r in ROWS]
    assert len(keys) == len(set(keys)), 'an operation is listed twice'


@pytest.mark.parametrize('row', ROWS, ids=lambda r: '%s %s' % (r['method'], r['path']))
def test_row_names_what_exists(row):
    assert row['path'].startswith('/')
    assert row['module'], 'every operation names the module that reaches it'
    assert os.path.isfile(os.path.join(ROOT, 'plugins', 'modules', row['module'] + '.py')), \
        'module %s does not exist' % row['module']
    if row['method'] == 'GET' or (row['method'], row['path']) in READS_BY_POST:
        assert row['module'] == 'circleci_info' and row['query'], 'a read operation needs a circleci_info query'
        assert READS_BY_POST.get((row['method'], row['path']), row['query']) == row['query']
    else:
        assert row['module'] != 'circleci_info' and not row['query'], 'a write is a module, never a query'
    if row['query']:
        assert row['query'] in QUERIES, 'query %s does not exist' % row['query']
        paths = [shape(form.path) for form in QUERIES[row['query']].forms]
        assert shape(row['path']) in paths, 'query %s does not send %s' % (row['query'], row['path'])
    if row['lookup']:
        match = re.match(r'^(\w+)(?: \(kind (\w+)\))?$', row['lookup'])
        assert match, 'lookup cell %r: write "name" or "name (kind k)"' % row['lookup']
        name, kind = match.groups()
        assert os.path.isfile(os.path.join(ROOT, 'plugins', 'lookup', name + '.py')), 'lookup %s does not exist' % name
        if kind:
            assert INSIGHTS_KINDS.get(kind) == row['query'], 'insights kind %s does not run query %s' % (kind, row['query'])


def test_every_query_and_form_is_listed():
    listed = set((r['query'], r['method'], shape(r['path'])) for r in ROWS if r['query'])
    for name, query in QUERIES.items():
        for form in query.forms:
            assert (name, form.method, shape(form.path)) in listed, 'query %s (%s %s) is missing from docs/api-coverage.md' % (
                name, form.method, form.path)


def test_only_the_listed_reads_are_posts():
    posts = set((name, shape(form.path)) for name, query in QUERIES.items() for form in query.forms if form.method != 'GET')
    assert posts == set((query, shape(path)) for (method, path), query in READS_BY_POST.items())


def test_every_insights_kind_is_listed():
    kinds = set(re.findall(r'\(kind (\w+)\)', ' '.join(r['lookup'] for r in ROWS)))
    assert kinds == set(INSIGHTS_KINDS)
