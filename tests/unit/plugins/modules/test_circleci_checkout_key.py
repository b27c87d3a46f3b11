# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""circleci_checkout_key: which key is returned, what is deleted, against the stand-in."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import json

import pytest


from ansible_collections.community.circleci.plugins.modules import circleci_checkout_key
from ansible_collections.community.circleci.plugins.modules.circleci_checkout_key import choose, is_type

PROJECT = 'gh/acme/api'


def test_is_type():
    assert is_type({'type': 'github-user-key'}, 'user-key')
    assert is_type({'type': 'bitbucket-user-key'}, 'user-key')
    assert is_type({'type': 'user-key'}, 'user-key')
    assert not is_type({'type': 'deploy-key'}, 'user-key')
    assert is_type({'type': 'deploy-key'}, 'deploy-key')
    assert not is_type({'type': 'github-user-key'}, 'deploy-key')
    assert not is_type({}, 'deploy-key')


def test_choose_prefers_the_preferred_then_the_newest():
    old = {'fingerprint': 'old', 'created_at': '2026-01-01T00:00:00Z', 'preferred': False}
    new = {'fingerprint': 'new', 'created_at': '2026-02-01T00:00:00Z', 'preferred': False}
    pref = {'fingerprint': 'pref', 'created_at': '2025-01-01T00:00:00Z', 'preferred': True}
    assert choose([]) is None
    assert choose([new, old])['fingerprint'] == 'new'
    assert choose([old, new, pref])['fingerprint'] == 'pref'
    # created in the same instant: the later in CircleCI's list
    twin = dict(new, fingerprint='twin')
    assert choose([new, twin])['fingerprint'] == 'twin'


@pytest.fixture
def run(run_module):
    """Run the module in-process on the project; answer (failed, result)."""
    def call(check_mode=False, **args):
        args.setdefault('project_slug', PROJECT)
        return run_module(circleci_checkout_key, check_mode=check_mode, **args)
    return call


def seed(standin, **key):
    with standin.app.lock:
        return standin.app.seeders['checkout_keys'](standin.app, dict({'project_slug': PROJECT}, **key))


def stored(standin):
    return [k['md5'] for k in standin.app.state.checkout_keys.get(standin.app.state.project_by_slug(PROJECT)['id'], [])]


def test_present_creates_once(run, standin):
    failed, result = run(check_mode=True, type='user-key')
    assert not failed and result['changed']
    assert result['checkout_key'] == {'type': 'github-user-key'}
    assert standin.writes == []
    failed, result = run(type='user-key')
    assert not failed and result['changed']
    assert [w['body'] for w in standin.writes] == [{'type': 'user-key'}]
    assert result['checkout_key']['type'] == 'github-user-key'
    assert result['checkout_key']['public_key'].startswith('ssh-rsa ')
    assert set(result['checkout_key']) == {'type', 'fingerprint', 'public_key', 'preferred', 'created_at'}
    assert 'PRIVATE' not in json.dumps(result)
    failed, again = run(type='user-key')
    assert not failed and not again['changed']
    assert again['checkout_key'] == result['checkout_key']
    assert len(standin.writes) == 1


def test_absent_by_fingerprint_and_by_type(run, standin):
    deploy = seed(standin, type='deploy-key')
    users = [seed(standin, type='user-key') for index in range(3)]
    failed, result = run(state='absent', fingerprint=deploy['fingerprint'].upper())
    assert not failed and result['deleted'] == [deploy['fingerprint']]
    assert standin.writes[-1]['path'] == '/project/%s/checkout-key/%s' % (PROJECT, deploy['fingerprint'])
    failed, result = run(check_mode=True, state='absent', type='user-key')
    assert result['changed'] and result['deleted'] == [u['fingerprint'] for u in users]
    assert len(standin.writes) == 1
    failed, result = run(state='absent', type='user-key')
    assert result['deleted'] == [u['fingerprint'] for u in users]
    assert result['checkout_keys'] == [] and stored(standin) == []
    failed, result = run(state='absent', type='user-key')
    assert not result['changed'] and len(standin.writes) == 4


def test_a_failure_part_way_reports_what_was_deleted(run, standin):
    keys = [seed(standin, type='deploy-key') for index in range(3)]
    standin.faults({'method': 'DELETE', 'status': 500, 'skip': 1, 'count': 1})
    failed, result = run(state='absent', type='deploy-key')
    assert failed and result['changed']
    assert result['deleted'] == [keys[0]['fingerprint']]
    assert result['msg'].startswith('DELETE /project/%s/checkout-key/%s: 500' % (PROJECT, keys[1]['fingerprint']))
    assert stored(standin) == [k['fingerprint'] for k in keys[1:]]


def test_a_fingerprint_of_another_type_is_refused(run, standin):
    deploy = seed(standin, type='deploy-key')
    failed, result = run(state='absent', type='user-key', fingerprint=deploy['fingerprint'])
    assert failed and 'is a deploy-key, not a user-key' in result['msg']
    assert standin.writes == []


@pytest.mark.parametrize('args, message', [
    ({'type': 'deploy-key', 'fingerprint': 'c9:0b:1c:4f:d5:65:56:b9:ad:88:f9:81:2b:37:74:2f'}, 'fingerprint: is only used with state=absent'),
    ({}, 'type: is required with state=present'),
    ({'state': 'absent'}, 'type: give type or fingerprint (or both) with state=absent'),
    ({'state': 'absent', 'fingerprint': 'c9:0b'}, "fingerprint: 'c9:0b' is not an MD5 fingerprint"),
    ({'project_slug': 'x', 'type': 'deploy-key'}, "project_slug: 'x' is not a project slug"),
])
def test_bad_input_sends_nothing(run, standin, args, message):
    failed, result = run(**args)
    assert failed and result['msg'].startswith(message)
    assert standin.requests == []
