# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""docs/api-coverage.md names only modules, queries and lookups that exist, with the right paths, and
has a row for every operation of CircleCI's official OpenAPI description (api_operations.txt)."""

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


def read_operations():
    """(method, path, operationId) of every operation of the official description, from api_operations.txt."""
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'api_operations.txt')) as handle:
        lines = [line.split() for line in handle if line.strip() and not line.startswith('#')]
    return [tuple(parts) for parts in lines]


OPERATIONS = read_operations()


def shape(path):
    """A path with its parameters blanked, so that {project-slug} and {project_slug} compare equal;
    the official description's {provider}/{organization}/{project} is a project slug too."""
    return re.sub(r'\{[^}]+\}', '{}', path.replace('{provider}/{organization}/{project}', '{project-slug}'))


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


# -- every operation of the official description ----------------------------------------------------

def operation_key(method, path):
    return method, shape(path)


def missing_operations(rows, operations):
    """The operations of ``operations`` with no row in ``rows`` (same method, same path shape):
    ``(method, path, operationId)`` each."""
    covered = set(operation_key(r['method'], r['path']) for r in rows)
    return [op for op in operations if operation_key(op[0], op[1]) not in covered]


def test_the_operations_list_is_the_description():
    assert len(OPERATIONS) == 110, 'api_operations.txt: the official description has 110 operations'
    assert all(len(op) == 3 and op[0] in METHODS and op[1].startswith('/') for op in OPERATIONS)
    assert len(set(op[2] for op in OPERATIONS)) == 110, 'an operationId is listed twice'
    assert len(set(operation_key(op[0], op[1]) for op in OPERATIONS)) == 110, 'two operations share a method and path'


def test_every_operation_of_the_description_has_a_row():
    missing = missing_operations(ROWS, OPERATIONS)
    assert not missing, 'docs/api-coverage.md has no row for %d operation(s) of the official description: %s' % (
        len(missing), '; '.join('%s %s (%s)' % op for op in missing))
    assert len(ROWS) == len(OPERATIONS) == 110


def test_every_row_is_an_operation_of_the_description():
    known = set(operation_key(op[0], op[1]) for op in OPERATIONS)
    strays = ['%s %s' % (r['method'], r['path']) for r in ROWS if operation_key(r['method'], r['path']) not in known]
    assert not strays, 'rows that are no operation of the official description (a path written differently?): %s' % strays


def test_a_missing_row_fails_the_check():
    """The check above can fail: without any one row, exactly that operation is reported."""
    assert missing_operations(ROWS, OPERATIONS) == []
    for row in ROWS:
        key = operation_key(row['method'], row['path'])
        rows = [r for r in ROWS if operation_key(r['method'], r['path']) != key]
        assert [operation_key(op[0], op[1]) for op in missing_operations(rows, OPERATIONS)] == [key]
