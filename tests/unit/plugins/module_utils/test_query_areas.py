# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The query areas (plugins/module_utils/_queries_<area>.py): each is joined to the table, and no
area gives an option another check, or another query parameter, than the core or another area."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import glob
import importlib
import os

from ansible_collections.community.circleci.plugins.module_utils import _queries

MODULE_UTILS = os.path.dirname(os.path.abspath(_queries.__file__))


def areas():
    names = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(MODULE_UTILS, '_queries_*.py')))
    return [(name, importlib.import_module('ansible_collections.community.circleci.plugins.module_utils.' + name)) for name in names]


def test_there_is_an_area():
    assert '_queries_deploys' in [name for name, dummy in areas()]


def test_every_area_is_joined_to_the_table():
    for name, area in areas():
        for query in area.QUERIES:
            assert _queries.QUERIES.get(query.name) is query, '%s: query %s is not in the table' % (name, query.name)
        for option, check in area.CHECKS.items():
            assert _queries.TABLE.checks.get(option) is check, '%s: the check of %s is not the table\'s' % (name, option)
        for option, params in area.PARAMS.items():
            assert _queries.TABLE.params.get(option) == params, '%s: the parameters of %s are not the table\'s' % (name, option)


def test_no_area_redefines_an_option():
    """dict(CHECKS, **area.CHECKS) lets a later row win silently: two spellings of one option must agree."""
    tables = [('_queries', _queries.CHECKS, _queries.PARAMS)] + [(name, area.CHECKS, area.PARAMS) for name, area in areas()]
    for index, (name, checks, params) in enumerate(tables):
        for other, other_checks, other_params in tables[index + 1:]:
            for option in set(checks) & set(other_checks):
                assert checks[option] is other_checks[option], '%s and %s check %s differently' % (name, other, option)
            for option in set(params) & set(other_params):
                assert params[option] == other_params[option], '%s and %s send %s differently' % (name, other, option)
