# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Two plays at once, each adding its own variables (no purge) to one project and one context:
both sets end present, with their values, beside what was there before.

The stand-in answers slowly (latency) so that each task lasts over a second, and the plays wait
for each other before their first CircleCI task, so the tasks really overlap; the test checks
that they did, from the times the e2e_record callback recorded.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import pytest

pytestmark = pytest.mark.xdist_group('concurrency')

PROJECT = 'gh/acme/api'
CONTEXT = 'shared-by-teams'
BEFORE = {'EXISTING_ONE': 'concurrency-existing-1-kT4w', 'EXISTING_TWO': 'concurrency-existing-2-pQ8z'}


def team(prefix, count=6):
    return [{'name': '%s_%d' % (prefix, index), 'value': 'concurrency-%s-%d-value-Zr%d' % (prefix.lower(), index, index)}
            for index in range(count)]


def overlap(first, second):
    return first['started'] < second['ended'] and second['started'] < first['ended']


def test_two_plays_adding_different_variables(standin, runner, tmp_path):
    standin.seed(contexts=[{'name': CONTEXT, 'owner_slug': 'gh/acme', 'variables': BEFORE}],
                 project_variables=[{'project_slug': PROJECT, 'variables': BEFORE}])
    standin.configure(latency=0.15)
    teams = {'alpha': team('ALPHA'), 'beta': team('BETA')}
    handles = {}
    for me, other in (('alpha', 'beta'), ('beta', 'alpha')):
        handles[me] = runner.start('concurrent_vars.yml', standin, extra_vars={
            'e2e_me': me, 'e2e_other': other, 'e2e_sync_dir': str(tmp_path), 'e2e_variables': teams[me]})
    runs = dict((me, runner.finish(handle)) for me, handle in handles.items())
    standin.settle()

    for me, run in runs.items():
        assert run.rc == 0, '%s\n%s' % (me, run.tail())
        assert [r['task'] for r in run.changed if r['action'].startswith('community.circleci.')] == [
            'project variables', 'context variables']
    for task in ('project variables', 'context variables'):
        assert overlap(runs['alpha'].task(task), runs['beta'].task(task)), 'the plays did not overlap at %r' % task

    expected = dict(BEFORE)
    for variables in teams.values():
        expected.update((v['name'], v['value']) for v in variables)
    state = standin.state()
    assert [p['envvars'] for p in state['projects'] if p['slug'] == PROJECT] == [expected]
    assert [c['variables'] for c in state['contexts'] if c['name'] == CONTEXT] == [expected]
    # Each play wrote its own variables once each, and nothing else.
    writes = standin.writes()
    assert len(writes) == 4 * len(teams['alpha'])
    written = sorted(w['body']['name'] if w['method'] == 'POST' else w['path'].rsplit('/', 1)[1] for w in writes)
    assert written == sorted(2 * [v['name'] for variables in teams.values() for v in variables])
