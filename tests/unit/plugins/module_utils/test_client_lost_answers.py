# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The client's rules for writes whose answer is lost (issue 13), against the stand-in: which
are sent again, which never are, what a retried DELETE that finds nothing means, and how each
write is recorded (done, recovered, refused, lost)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import socket
import threading

import pytest

from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIClient
from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIError

OWNER = {'slug': 'gh/acme', 'type': 'organization'}
DROP = {'kind': 'reset', 'after': True, 'count': 1}


@pytest.fixture
def client(standin):
    made = CircleCIClient(api_token=standin.token, api_url=standin.url, timeout=5)
    made.backoff_base = 0.01
    return made


def seed_context(standin, name='c', **variables):
    with standin.app.lock:
        return standin.app.seeders['contexts'](standin.app, {'name': name, 'variables': variables})


def test_a_create_post_is_never_sent_again(standin, client):
    standin.faults(dict(DROP, method='POST', path='^/context$'))
    with pytest.raises(CircleCIError) as info:
        client.post('/context', body={'name': 'once', 'owner': OWNER})
    assert info.value.maybe_applied and info.value.status is None
    assert len(standin.writes) == 1
    assert [c['name'] for c in standin.app.state.contexts.values()] == ['once']
    assert client.writes == [('POST', '/context', 'lost')]
    assert client.changed_something()


def test_an_upsert_post_may_be_sent_again(standin, client):
    standin.faults(dict(DROP, method='POST', path='/envvar$'))
    client.post('/project/gh/acme/api/envvar', body={'name': 'A', 'value': 'v1'}, retry=True)
    assert [r['status'] for r in standin.writes] == [0, 201]
    assert client.writes == [('POST', '/project/gh/acme/api/envvar', 'recovered')]
    assert client.writes_with('recovered') == ['POST /project/gh/acme/api/envvar']


@pytest.mark.parametrize('method', ['PUT', 'PATCH'])
def test_put_and_patch_are_sent_again(standin, client, method):
    if method == 'PUT':
        context = seed_context(standin)
        path, body = '/context/%s/environment-variable/A' % context['id'], {'value': 'v'}
    else:
        with standin.app.lock:
            path = '/schedule/%s' % standin.app.seeders['schedules'](standin.app, {'name': 's'})['id']
        body = {'description': 'd'}
    standin.faults(dict(DROP, method=method))
    client.request(method, path, body=body)
    assert [r['status'] for r in standin.writes] == [0, 200]
    assert client.writes == [(method, path, 'recovered')]


def test_a_retried_delete_that_finds_the_object_gone_is_done(standin, client):
    context = seed_context(standin, A='v')
    path = '/context/%s/environment-variable/A' % context['id']
    standin.faults(dict(DROP, method='DELETE'))
    assert client.delete(path) == {}
    assert [r['status'] for r in standin.writes] == [0, 404]
    assert client.writes == [('DELETE', path, 'recovered')]


def test_a_retried_context_delete_that_finds_403_is_done(standin, client):
    context = seed_context(standin)
    standin.faults(dict(DROP, method='DELETE'))
    client.delete('/context/%s' % context['id'])
    assert [r['status'] for r in standin.writes] == [0, 403]
    assert context['id'] not in standin.app.state.contexts


def test_a_first_delete_that_finds_nothing_is_an_error(standin, client):
    context = seed_context(standin)
    with pytest.raises(CircleCIError) as info:
        client.delete('/context/%s/environment-variable/NOPE' % context['id'])
    assert info.value.status == 404
    assert client.writes[-1][2] == 'refused' and not client.changed_something()


def test_a_delete_refused_by_429_then_404_is_an_error(standin, client):
    """A 429 says "not done": the 404 after it is not the echo of a lost success."""
    context = seed_context(standin)
    standin.faults({'method': 'DELETE', 'status': 429, 'retry_after': 0, 'count': 1})
    with pytest.raises(CircleCIError) as info:
        client.delete('/context/%s/environment-variable/NOPE' % context['id'])
    assert info.value.status == 404
    assert [r['status'] for r in standin.writes] == [429, 404]


def test_a_refused_write_is_recorded_refused(standin, client):
    with pytest.raises(CircleCIError):
        client.post('/context', body={'name': '', 'owner': OWNER})
    assert client.writes == [('POST', '/context', 'refused')]
    assert not client.changed_something()


def test_a_5xx_after_a_post_may_have_happened(standin, client):
    standin.faults({'method': 'POST', 'status': 502, 'after': True, 'count': 1})
    with pytest.raises(CircleCIError) as info:
        client.post('/context', body={'name': 'maybe', 'owner': OWNER})
    assert info.value.maybe_applied and info.value.status == 502
    assert client.writes_with('lost') == ['POST /context']


def test_a_post_that_never_left_is_sent_again_and_not_counted_as_lost():
    """A refused connection means the request never reached the server: sending it again cannot
    make a second object, and its failure is not "may have happened"."""
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    port = listener.getsockname()[1]
    listener.close()
    client = CircleCIClient(api_token='t0ken-value', api_url='http://127.0.0.1:%d' % port, timeout=2, max_retries=2)
    client.backoff_base = 0.01
    with pytest.raises(CircleCIError) as info:
        client.post('/context', body={'name': 'x'})
    assert 'after 3 attempts' in info.value.message
    assert info.value.sent is False and not info.value.maybe_applied
    assert client.writes == [('POST', '/context', 'refused')]


def test_each_concurrent_thread_has_a_session_of_its_own(standin, client):
    standin.reset(latency=0.05)
    seen, lock = [], threading.Lock()
    original = client._borrow  # pylint: disable=protected-access

    def borrow():
        session = original()
        with lock:
            seen.append(session)
        return session
    client._borrow = borrow  # pylint: disable=protected-access
    threads = [threading.Thread(target=client.get, args=('/me',)) for dummy in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Four requests at once: four sessions, one of them the client's first; none shared.
    assert len(set(id(s) for s in seen)) == 4
    assert client.session in seen
    # Done, they are all idle again, and a later request reuses one of them.
    assert len(client._idle) == 4  # pylint: disable=protected-access
    client.get('/me')
    assert len(set(id(s) for s in seen)) == 4
