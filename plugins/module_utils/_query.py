# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The engine of the read queries: a query's forms, choosing a form, checking every value
before the first request, and sending it. The queries themselves are a table (_queries.py).

Each query has one or more forms (``Form``): a path, the identifiers that select the form (all
must be given), and the filters it accepts. The first form whose identifiers are all given is
used; any other option given is refused, so nothing the user wrote is silently ignored.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import re

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment, quote_slug
from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIError, CircleCIInputError
from ansible_collections.community.circleci.plugins.module_utils._validation import check_positive_int, shown

DEFAULT_LIMIT = 100


def given(value):
    """Whether an option counts as given: false booleans and empty lists do not."""
    return value is not None and value is not False and value != [] and value != ''


class Form:
    """One way to ask a query: ``path`` (``{option}`` placeholders), the identifiers that select
    it (``needs``), the filters it accepts (``accepts``), fixed query parameters (``fixed``),
    per-form ``checks`` and ``params`` overrides, ``resolve(client, values)``, which turns
    names into the ids the path needs (it may send requests), and ``view``, which overrides the
    query's for this form (a form that shows a secret only when an option asks for it).

    ``paging``: how a list query's pages are followed: ``token`` (``next_page_token``, the
    default) or ``offset`` (the answer is a bare list; ``offset`` counts the items read, until an
    empty page). ``body(values)``: a read that CircleCI serves as a POST (an evaluation that
    stores nothing) sends this body; every other form is a GET."""

    def __init__(self, path, needs=(), accepts=(), fixed=None, checks=None, params=None, resolve=None, paging='token', body=None,
                 view=None):
        self.path = path
        self.needs = tuple(needs)
        self.accepts = tuple(accepts)
        self.fixed = dict(fixed or {})
        self.checks = dict(checks or {})
        self.params = dict(params or {})
        self.resolve = resolve
        self.paging = paging
        self.body = body
        self.view = view

    @property
    def method(self):
        return 'POST' if self.body else 'GET'

    @property
    def options(self):
        return self.needs + self.accepts

    def path_options(self):
        return re.findall(r'\{(\w+)\}', self.path)


class Query:
    """A read: its forms, whether it answers a list, and ``view``: what the answer (each item of a
    list) is shown as, where it must not be shown whole (a secret in it masked)."""

    def __init__(self, name, forms, is_list=False, description='', view=None):
        self.name = name
        self.forms = forms if isinstance(forms, list) else [forms]
        self.is_list = is_list
        self.description = description
        self.view = view

    @property
    def options(self):
        seen = []
        for form in self.forms:
            for option in form.options:
                if option not in seen:
                    seen.append(option)
        return seen


def _choose_form(query, values):
    """The form whose identifiers are all given (the most specific one when several are)."""
    complete = [f for f in query.forms if all(given(values.get(option)) for option in f.needs)]
    if complete:
        return max(complete, key=lambda f: len(f.needs))
    # A form that only adds an identifier to another (pipelines with mine) is not another way to name it.
    ways = [f for f in query.forms if not any(set(g.needs) < set(f.needs) for g in query.forms)]
    best = max(ways, key=lambda f: sum(1 for option in f.needs if given(values.get(option))))
    missing = [option for option in best.needs if not given(values.get(option))][0]
    raise CircleCIInputError(missing, 'query %s needs %s' % (query.name, ', or '.join(' and '.join(f.needs) for f in ways)))


class Prepared:
    """A query checked and ready to send: its form and the checked option values."""

    def __init__(self, query, form, values, limit):
        self.query = query
        self.form = form
        self.values = values
        self.limit = limit


class Table:
    """The queries, how each option is checked (``checks``: option -> check(value, option)), the
    query parameter(s) each filter becomes (``params``), and the checks between options
    (``cross_checks(values)``)."""

    def __init__(self, queries, checks, params, cross_checks=None):
        self.queries = dict((query.name, query) for query in queries)
        self.checks = checks
        self.params = params
        self.cross_checks = cross_checks or (lambda values: None)

    @property
    def options(self):
        return tuple(sorted(self.checks))

    def prepare(self, name, values, limit=DEFAULT_LIMIT):
        """Check a query and its options; raise CircleCIInputError before any request.

        ``values`` maps option names to values (None: not given). Options the chosen form does not
        take are refused, naming the option.
        """
        query = self.queries.get(name)
        if query is None:
            raise CircleCIInputError('query', '%s is not one of %s' % (shown(name), ', '.join(sorted(self.queries))))
        values = dict((k, v) for k, v in values.items() if given(v))
        unknown = sorted(set(values) - set(self.checks))
        if unknown:
            raise CircleCIInputError(unknown[0], 'is not an option of any query')
        form = _choose_form(query, values)
        for option in sorted(values):
            if option not in form.options:
                takes = ', '.join(form.options) or 'no options'
                raise CircleCIInputError(option, 'query %s does not take this option (with %s it takes: %s)'
                                         % (query.name, ' and '.join(form.needs) or 'no identifier', takes))
        checked = {}
        for option, value in values.items():
            check = form.checks.get(option) or self.checks[option]
            checked[option] = check(value, option)
        self.cross_checks(checked)
        if limit is None:
            limit = DEFAULT_LIMIT
        limit = check_positive_int(limit, 'limit', minimum=0)
        return Prepared(query, form, checked, limit)

    def execute(self, client, prepared):
        """Send a prepared query: a dict, or for list queries the items of every page up to its limit."""
        form, values = prepared.form, dict(prepared.values)
        if form.resolve:
            # The identifiers served the resolver; the request takes what it resolved.
            resolved = form.resolve(client, values)
            values.update(resolved)
            sendable = list(resolved)
        else:
            sendable = list(form.options)
        path = _path(form, values)
        params = self._query_params(form, values, sendable) or None
        view = prepared.form.view or prepared.query.view or (lambda answer: answer)
        if form.body:
            # A read served as a POST: it stores nothing, so it may be sent again after a lost answer.
            return view(client.post(path, body=form.body(values), params=params, retry=True))
        if prepared.query.is_list and form.paging == 'offset':
            return [view(item) for item in _offset_pages(client, path, params, prepared.limit)]
        if prepared.query.is_list:
            return [view(item) for item in client.list(path, params=params, limit=prepared.limit or None)]
        return view(client.get(path, params=params))

    def _query_params(self, form, values, sendable):
        params = dict(form.fixed)
        in_path = set(form.path_options())
        for option in sendable:
            if option in in_path or option not in values or option not in self.params:
                continue
            if option == 'mine' and form.path.endswith('/mine'):
                continue  # the path already says it
            value = values[option]
            if isinstance(value, bool):
                value = 'true' if value else 'false'
            for name in form.params.get(option) or self.params[option]:
                params[name] = value
        if 'owner-type' not in params and ('owner-slug' in params or 'owner-id' in params):
            params['owner-type'] = 'organization'
        return params


def _offset_pages(client, path, params, limit):
    """The items of a list paged by ``offset`` (a bare list per page), until an empty page or ``limit``."""
    items, previous = [], None
    while True:
        page = client.get(path, params=dict(params or {}, offset=len(items)))
        if not isinstance(page, list):
            raise CircleCIError('GET', path, None, 'expected a list of items, got %s' % type(page).__name__)
        if not page:
            return items
        if page == previous:
            raise CircleCIError('GET', path, None, 'the server answered the same page for offsets %d and %d; stopped to avoid a loop'
                                % (len(items) - len(page), len(items)))
        previous = page
        items.extend(page)
        if limit and len(items) >= limit:
            return items[:limit]


def _path(form, values):
    def fill(match):
        option = match.group(1)
        value = values[option]
        return quote_slug(value) if option in ('project_slug', 'org_slug') else quote_segment(value)
    return re.sub(r'\{(\w+)\}', fill, form.path)
