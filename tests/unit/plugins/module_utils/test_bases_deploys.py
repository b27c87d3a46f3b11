# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Base additions for part 2: a query's or a form's ``view`` (what an answer is shown as), the
resolvers that name a project or an organisation by id without a read, and the check of a window
of two date-times."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import datetime

import pytest

from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIClient
from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIInputError, CircleCIStateError
from ansible_collections.community.circleci.plugins.module_utils._query import Form, Query, Table
from ansible_collections.community.circleci.plugins.module_utils._resolve import org_id_of, project_id_of
from ansible_collections.community.circleci.plugins.module_utils._validation import check_bool, check_window

# tests/standin, on sys.path through conftest
from server import fixed_id  # pylint: disable=import-error


@pytest.fixture
def client(standin):
    made = CircleCIClient(api_token=standin.token, api_url=standin.url, timeout=5)
    made.backoff_base = 0.01
    return made


def shout(answer):
    return dict(answer, name=answer['name'].upper())


TABLE = Table([
    Query('contexts', Form('/context', needs=['owner_slug']), is_list=True, view=shout),
    Query('me', [
        Form('/me', needs=[], view=lambda answer: {'masked': True}),
        Form('/me', needs=['whole']),
    ]),
], checks={'owner_slug': lambda v, o: v, 'whole': check_bool}, params={'owner_slug': ('owner-slug',)})


def test_query_view_shows_every_item_of_a_list(standin, client):
    with standin.app.lock:
        standin.app.seeders['contexts'](standin.app, {'name': 'deploy', 'owner_slug': 'gh/acme'})
    items = TABLE.execute(client, TABLE.prepare('contexts', {'owner_slug': 'gh/acme'}))
    assert [i['name'] for i in items] == ['DEPLOY']


def test_form_view_overrides_the_query_and_only_for_its_form(standin, client):
    assert TABLE.execute(client, TABLE.prepare('me', {})) == {'masked': True}
    whole = TABLE.execute(client, TABLE.prepare('me', {'whole': True}))
    assert 'login' in whole and 'masked' not in whole
    # A false flag is not given: the masked form again.
    assert TABLE.execute(client, TABLE.prepare('me', {'whole': False})) == {'masked': True}


def test_ids_need_no_read(standin, client):
    project = fixed_id('project:gh/acme/api')
    assert project_id_of(client, project_id=project.upper()) == project
    assert org_id_of(client, org_id=fixed_id('org:gh/acme')) == fixed_id('org:gh/acme')
    assert standin.requests == []
    assert project_id_of(client, project_slug='gh/acme/api') == project
    assert org_id_of(client, org_slug='gh/acme') == fixed_id('org:gh/acme')
    assert [r['path'] for r in standin.requests] == ['/project/gh/acme/api', '/me/collaborations']


def test_bad_ids_and_unknown_orgs_are_named(standin, client):
    with pytest.raises(CircleCIInputError, match='^org_id: '):
        org_id_of(client, org_id='acme')
    with pytest.raises(CircleCIInputError, match='^project_id: '):
        project_id_of(client, project_id='api')
    assert standin.requests == []
    with pytest.raises(CircleCIStateError, match="^org_slug: gh/nobody is not among the organizations"):
        org_id_of(client, org_slug='gh/nobody')


UTC = datetime.timezone.utc
NOW = datetime.datetime(2026, 9, 15, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize('start, end, option, words', [
    ('2026-08-01T00:00:00Z', '2026-08-01T00:00:00Z', 'end', 'is not after start'),
    ('2026-08-02T00:00:00Z', '2026-08-01T00:00:00Z', 'end', 'is not after start'),
    ('2026-08-01T00:00:00Z', '2026-09-02T00:00:00Z', 'end', 'CircleCI takes at most 31 days'),
    ('2026-09-01T00:00:00Z', '2026-09-15T12:00:01Z', 'end', 'is in the future'),
    ('2026-09-16T00:00:00Z', '2026-09-17T00:00:00Z', 'start', 'is in the future'),
    ('2025-09-14T00:00:00Z', '2025-09-20T00:00:00Z', 'start', 'more than 365 days ago'),
    ('2026-08-01', '2026-08-02T00:00:00Z', 'start', 'is not an RFC 3339 date-time'),
    ('2026-08-01T00:00:00Z', 'tomorrow', 'end', 'is not an RFC 3339 date-time'),
])
def test_window_refusals_name_the_option(start, end, option, words):
    with pytest.raises(CircleCIInputError) as info:
        check_window(start, end, NOW, 31, 365)
    assert info.value.option == option and words in info.value.reason


@pytest.mark.parametrize('start, end', [
    ('2026-08-01T00:00:00Z', '2026-09-01T00:00:00Z'),        # a 31-day month, the limit itself
    ('2026-09-15T11:00:00+02:00', '2026-09-15T14:00:00+02:00'),  # offsets: 12:00 UTC is now, not later
    ('2025-09-15T12:00:00Z', '2025-09-20T00:00:00Z'),        # exactly 365 days back
])
def test_window_limits_are_inclusive(start, end):
    first, last = check_window(start, end, NOW, 31, 365)
    assert first < last <= NOW
