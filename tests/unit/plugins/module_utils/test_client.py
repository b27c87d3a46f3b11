# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The client against the stand-in over real HTTP: pages, retries, errors, encoding, secrecy."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import time

import pytest

from ansible_collections.community.circleci.plugins.module_utils._client import (
    CircleCIClient,
    CircleCIError,
    quote_segment,
    quote_slug,
)


@pytest.fixture
def make_client(standin):
    def make(**kwargs):
        kwargs.setdefault('api_token', standin.token)
        kwargs.setdefault('api_url', standin.url)
        kwargs.setdefault('timeout', 5)
        client = CircleCIClient(**kwargs)
        client.backoff_base = 0.01  # keep the tests fast; the backoff shape is tested separately
        return client
    return make


def seed_contexts(standin, count, owner='gh/acme'):
    with standin.app.lock:
        for index in range(count):
            standin.app.seeders['contexts'](standin.app, {'name': 'ctx-%02d' % index, 'owner_slug': owner})


def test_paginate_follows_every_page(standin, make_client):
    seed_contexts(standin, 7)
    client = make_client()
    names = [c['name'] for c in client.paginate('/context', params={'owner-slug': 'gh/acme'})]
    assert names == ['ctx-%02d' % i for i in range(7)]
    pages = [r for r in standin.requests if r['path'] == '/context']
    assert len(pages) == 4  # page size 2
    assert 'page-token' not in pages[0]['query']
    assert all('page-token' in r['query'] for r in pages[1:])
    assert all(r['query']['owner-slug'] == ['gh/acme'] for r in pages)


def test_paginate_limit_stops_early(standin, make_client):
    seed_contexts(standin, 7)
    client = make_client()
    items = client.list('/context', params={'owner-slug': 'gh/acme'}, limit=3)
    assert [c['name'] for c in items] == ['ctx-00', 'ctx-01', 'ctx-02']
    assert len(standin.requests) == 2  # the third page is never asked for


def test_paginate_stops_on_repeated_token(standin, make_client, monkeypatch):
    client = make_client()
    monkeypatch.setattr(client, 'get', lambda path, params=None: {'items': [1], 'next_page_token': 'same'})
    with pytest.raises(CircleCIError, match='repeated page token'):
        list(client.paginate('/context'))


def test_retry_after_is_obeyed(standin, make_client):
    standin.faults({'method': 'GET', 'path': '^/me$', 'status': 429, 'retry_after': 1, 'count': 1})
    client = make_client()
    started = time.monotonic()
    assert client.get('/me')['login'] == 'standin-user'
    elapsed = time.monotonic() - started
    assert elapsed >= 1.0, 'the client did not wait for Retry-After'
    assert [r['status'] for r in standin.requests] == [429, 200]


def test_429_without_retry_after_backs_off(standin, make_client):
    standin.faults({'method': 'GET', 'path': '^/me$', 'status': 429, 'count': 2})
    assert make_client().get('/me')['login'] == 'standin-user'
    assert [r['status'] for r in standin.requests] == [429, 429, 200]


def test_post_is_retried_on_429(standin, make_client):
    standin.faults({'method': 'POST', 'path': '^/context$', 'status': 429, 'retry_after': 0, 'count': 1})
    created = make_client().post('/context', body={'name': 'x', 'owner': {'slug': 'gh/acme', 'type': 'organization'}})
    assert created['name'] == 'x'
    assert [r['status'] for r in standin.writes] == [429, 200]


@pytest.mark.parametrize('status', [502, 503, 504])
@pytest.mark.parametrize('method', ['GET', 'PUT', 'DELETE'])
def test_5xx_retried_for_idempotent_methods(standin, make_client, status, method):
    context = standin.app.seeders['contexts'](standin.app, {'name': 'c', 'variables': {'A': 'v'}})
    path = '/context/%s/environment-variable/A' % context['id']
    standin.faults({'method': method, 'status': status, 'count': 1})
    make_client().request(method, path if method != 'GET' else '/me', body={'value': 'w'} if method == 'PUT' else None)
    assert [r['status'] for r in standin.requests] == [status, 200]


@pytest.mark.parametrize('status', [500, 502, 503, 504])
def test_post_never_retried_on_5xx(standin, make_client, status):
    standin.faults({'method': 'POST', 'status': status, 'count': 1, 'after': True})
    with pytest.raises(CircleCIError) as info:
        make_client().post('/context', body={'name': 'once', 'owner': {'slug': 'gh/acme', 'type': 'organization'}})
    assert info.value.status == status
    assert len(standin.writes) == 1
    # the fault came after the work: the context exists exactly once
    assert [c['name'] for c in standin.app.state.contexts.values()] == ['once']


def test_connection_reset_retried_for_get_not_for_post(standin, make_client):
    standin.faults({'method': 'GET', 'path': '^/me$', 'kind': 'reset', 'count': 1})
    assert make_client().get('/me')['login'] == 'standin-user'
    standin.faults({'method': 'POST', 'kind': 'reset', 'count': 1})
    with pytest.raises(CircleCIError) as info:
        make_client().post('/context', body={'name': 'x', 'owner': {'slug': 'gh/acme', 'type': 'organization'}})
    assert info.value.status is None
    assert str(info.value).startswith('POST /context: request failed: connection error')


def test_partial_body_is_retried_for_get(standin, make_client):
    standin.faults({'method': 'GET', 'path': '^/me$', 'kind': 'partial', 'count': 1})
    assert make_client().get('/me')['login'] == 'standin-user'
    assert len(standin.requests) == 2


def test_gives_up_after_max_retries(standin, make_client):
    standin.faults({'method': 'GET', 'status': 503, 'count': 0})
    with pytest.raises(CircleCIError) as info:
        make_client(max_retries=2).get('/me')
    assert len(standin.requests) == 3
    assert str(info.value) == 'GET /me: 503 Service Unavailable: Injected fault (gave up after 2 retries)'


def test_max_retries_zero_means_one_attempt(standin, make_client):
    standin.faults({'method': 'GET', 'status': 429, 'retry_after': 0, 'count': 0})
    with pytest.raises(CircleCIError, match='429 Too Many Requests'):
        make_client(max_retries=0).get('/me')
    assert len(standin.requests) == 1


def test_error_text_format(standin, make_client):
    with pytest.raises(CircleCIError) as info:
        make_client().get('/project/gh/acme/nope')
    exc = info.value
    assert (exc.method, exc.path, exc.status, exc.message) == ('GET', '/project/gh/acme/nope', 404, 'Project not found')
    assert str(exc) == 'GET /project/gh/acme/nope: 404 Not Found: Project not found'


def test_unknown_context_403_says_both(standin, make_client):
    with pytest.raises(CircleCIError) as info:
        make_client().get('/context/00000000-0000-4000-8000-000000000000')
    assert str(info.value) == ('GET /context/00000000-0000-4000-8000-000000000000: 403 Forbidden: Permission denied '
                               '(the context does not exist, or this token may not use it)')


def test_html_error_page(standin, make_client):
    standin.faults({'method': 'GET', 'kind': 'html', 'status': 502, 'count': 0})
    with pytest.raises(CircleCIError) as info:
        make_client(max_retries=1).get('/me')
    text = str(info.value)
    assert text.startswith('GET /me: 502 Bad Gateway: the answer is not JSON (text/html): 502 Bad Gateway')
    assert '<' not in text


def test_success_body_not_json(standin, make_client, monkeypatch):
    client = make_client()
    standin.faults({'method': 'GET', 'kind': 'html', 'status': 200, 'count': 1})
    with pytest.raises(CircleCIError, match='^GET /me: 200 OK: the answer is not JSON'):
        client.get('/me')


def test_timeout_is_applied(standin, make_client):
    standin.faults({'method': 'GET', 'kind': 'delay', 'seconds': 1.0, 'count': 0})
    with pytest.raises(CircleCIError) as info:
        make_client(timeout=0.2, max_retries=1).get('/me')
    assert info.value.status is None
    assert 'timed out' in str(info.value)
    assert 'after 2 attempts' in str(info.value)


def test_unauthorized(standin, make_client):
    with pytest.raises(CircleCIError) as info:
        make_client(api_token='nope-not-a-token').get('/me')
    assert str(info.value) == 'GET /me: 401 Unauthorized: You must log in first.'


def test_token_sent_as_header_only(standin, make_client):
    make_client().get('/me')
    record = standin.requests[0]
    assert record['query'] == {}


def test_token_never_in_messages(standin, make_client):
    token = standin.token
    client = make_client(max_retries=0)
    logged = []
    client.log = logged.append
    # a server that echoes the token back in its error message
    standin.faults({'method': 'GET', 'status': 400, 'message': 'bad token %s here' % token, 'count': 1})
    with pytest.raises(CircleCIError) as info:
        client.get('/me')
    assert token not in str(info.value)
    assert '********' in str(info.value)
    standin.faults({'method': 'GET', 'status': 503, 'message': token, 'count': 1})
    client.max_retries = 1
    client.get('/me')
    assert all(token not in line for line in logged)
    # a connection error: the URL is in requests' message, the token must not be
    bad = make_client(api_url='http://127.0.0.1:9', max_retries=0)
    with pytest.raises(CircleCIError) as info:
        bad.get('/me')
    assert token not in str(info.value)


@pytest.mark.parametrize('value, expected', [
    ('plain', 'plain'),
    ('with space', 'with%20space'),
    ('a/b', 'a%2Fb'),
    ('q?x=1#f', 'q%3Fx%3D1%23f'),
    ('ünï', '%C3%BCn%C3%AF'),
    ('c9:0b:1c', 'c9%3A0b%3A1c'),
])
def test_quote_segment(value, expected):
    assert quote_segment(value) == expected


def test_quote_slug_keeps_slashes():
    assert quote_slug('gh/acme/api') == 'gh/acme/api'
    assert quote_slug('gh/my org/a?b') == 'gh/my%20org/a%3Fb'


def test_odd_names_reach_the_server_intact(standin, make_client):
    context = standin.app.seeders['contexts'](standin.app, {'name': 'c'})
    client = make_client()
    client.put('/context/%s/environment-variable/%s' % (context['id'], quote_segment('ODD_NAME_1')), body={'value': 'v1'})
    assert standin.app.state.contexts[context['id']]['variables']['ODD_NAME_1']['value'] == 'v1'
    with pytest.raises(CircleCIError) as info:
        client.get('/project/%s' % quote_slug('gh/acme/no such'))
    assert info.value.path == '/project/gh/acme/no%20such'
    assert standin.requests[-1]['path'] == '/project/gh/acme/no%20such'


def test_one_connection_is_reused(standin, make_client):
    client = make_client()
    for dummy in range(5):
        client.get('/me')
    assert len(set(r['connection'] for r in standin.requests)) == 1


def test_backoff_grows_and_is_bounded():
    client = CircleCIClient(api_token='t', api_url='http://127.0.0.1:9')
    for attempt in range(1, 12):
        step = min(client.backoff_max, client.backoff_base * 2 ** (attempt - 1))
        for dummy in range(20):
            delay = client._backoff(attempt)  # pylint: disable=protected-access
            assert step / 10.0 <= delay <= step


def test_retry_after_http_date():
    class Response:
        headers = {'Retry-After': 'Wed, 21 Oct 2015 07:28:00 GMT'}
    assert CircleCIClient._retry_after(Response()) == 0.0  # pylint: disable=protected-access
    Response.headers = {'Retry-After': '2.5'}
    assert CircleCIClient._retry_after(Response()) == 2.5  # pylint: disable=protected-access
    Response.headers = {'Retry-After': 'soon'}
    assert CircleCIClient._retry_after(Response()) is None  # pylint: disable=protected-access
