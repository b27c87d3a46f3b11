# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""circleci_webhook: the answer in either spelling, the read-back, the secret modes, against the stand-in.

The module runs in-process with exit_json/fail_json intercepted before Ansible scrubs no_log
values, so the secrecy checks see exactly what the module produced.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import functools
import json
import re

import pytest


from ansible_collections.community.circleci.plugins.module_utils import _resource
from ansible_collections.community.circleci.plugins.module_utils._validation import CircleCIInputError, check_subset, check_url
from ansible_collections.community.circleci.plugins.modules import circleci_webhook
from ansible_collections.community.circleci.plugins.modules.circleci_webhook import EVENTS, FIELDS


def normalise(answer):
    return _resource.normalise(FIELDS, answer)


def unkept(obj, expected):
    return _resource.unkept(FIELDS, obj, expected)


def check_events(events):
    return check_subset(events, EVENTS, 'events')


SECRET = 'whsec-unit-N4b8Rt2q'
OTHER_SECRET = 'whsec-unit-other-Jm5c'
HOOK = dict(project_slug='gh/acme/api', name='tracker', url='https://hooks.example.com/a', events=['workflow-completed'])


# -- the pure parts ---------------------------------------------------------------------------

def test_normalise_either_spelling_to_one_shape():
    kebab = {'url': 'https://a', 'verify-tls': True, 'id': 'i', 'signing-secret': '****', 'updated-at': 'u',
             'name': 'n', 'created-at': 'c', 'scope': {'id': 's', 'type': 'project'},
             'events': ['workflow-completed', 'job-completed', 'job-completed']}
    snake = dict((k.replace('-', '_'), v) for k, v in kebab.items())
    assert normalise(kebab) == normalise(snake) == {
        'id': 'i', 'name': 'n', 'url': 'https://a', 'events': ['job-completed', 'workflow-completed'],
        'verify_tls': True, 'signing_secret_set': True, 'scope': {'id': 's', 'type': 'project'},
        'created_at': 'c', 'updated_at': 'u'}
    assert normalise(dict(kebab, **{'signing-secret': ''}))['signing_secret_set'] is False
    # an answer that does not say is not taken for "set"
    assert normalise({'name': 'n'})['signing_secret_set'] is None
    assert normalise({'name': 'n'})['verify_tls'] is None


def test_unkept_names_every_lost_field():
    shown = {'name': 'n', 'url': 'https://a', 'events': ['job-completed'], 'verify_tls': False, 'signing_secret_set': False}
    expected = {'name': 'n', 'url': 'https://b', 'events': ['workflow-completed'], 'verify_tls': True, 'signing_secret_set': True}
    assert unkept(shown, expected) == [
        "url reads back as 'https://a', not 'https://b'",
        "events reads back as ['job-completed'], not ['workflow-completed']",
        'verify_tls reads back as False, not True',
        'the signing secret reads back as not set']
    assert unkept(dict(shown, signing_secret_set=None), {'signing_secret_set': True}) == ['the signing secret reads back as not set']
    # fields not written are not checked
    assert unkept(shown, {'name': 'n'}) == []


@pytest.mark.parametrize('url', ['http://a.example', 'https://', 'ftp://a', 'a.example/x', 'HTTPS//a', 'https://a b', '', None])
def test_bad_urls(url):
    with pytest.raises(CircleCIInputError, match='^url: must be an https URL'):
        check_url(url)


def test_events():
    assert check_events(['workflow-completed', 'job-completed', 'workflow-completed']) == ['job-completed', 'workflow-completed']
    with pytest.raises(CircleCIInputError, match="^events: 'build-completed' is not one of"):
        check_events(['build-completed'])
    with pytest.raises(CircleCIInputError, match='^events: must name at least one'):
        check_events([])


# -- the module against the stand-in ------------------------------------------------------------


@pytest.fixture
def run(run_module):
    """Run the module in-process; answer (failed, result) as the module gave it, unscrubbed."""
    return functools.partial(run_module, circleci_webhook)


def stored(standin, name='tracker'):
    hooks = [h for h in standin.app.state.webhooks.values() if h['name'] == name]
    assert len(hooks) <= 1
    return hooks[0] if hooks else None


@pytest.mark.parametrize('spelling', ['kebab', 'snake'])
def test_create_keeps_secret_and_tls_in_either_spelling(run, standin, spelling):
    standin.reset(webhook_spelling=spelling)
    failed, result = run(signing_secret=SECRET, verify_tls=True, **HOOK)
    assert not failed, result
    assert stored(standin)['secret'] == SECRET
    assert stored(standin)['verify_tls'] is True
    assert result['webhook']['signing_secret_set'] is True
    assert SECRET not in json.dumps(result)
    methods = [(r['method'], r['path']) for r in standin.requests]
    assert methods[-2:] == [('POST', '/webhook'), ('GET', '/webhook/' + result['webhook']['id'])]


@pytest.mark.parametrize('spelling, lost', [('snake', 'kebab'), ('kebab', 'snake')])
def test_a_one_spelling_client_would_be_caught(run, standin, monkeypatch, spelling, lost):
    """Had the module sent one spelling only, the server of the other would drop the secret and
    the TLS setting silently: the read-back must turn that into a failure."""
    standin.reset(webhook_spelling=spelling)
    index = 0 if lost == 'kebab' else 1

    dropped = set(f.api[1 - index] for f in FIELDS if len(f.api) == 2)
    both_spellings = circleci_webhook.Webhook.body

    def one_spelling(self, values):
        return dict((k, v) for k, v in both_spellings(self, values).items() if k not in dropped)
    monkeypatch.setattr(circleci_webhook.Webhook, 'body', one_spelling)
    failed, result = run(signing_secret=SECRET, verify_tls=True, **HOOK)
    assert failed
    assert result['changed'] is True
    assert 'verify_tls reads back as False, not True' in result['msg']
    assert 'the signing secret reads back as not set' in result['msg']
    assert result['webhook']['id'] == stored(standin)['id']
    assert SECRET not in json.dumps(result)


def test_dropped_secret_fails_on_create_and_on_update(run, standin):
    standin.reset(webhook_drop_secret=True)
    failed, result = run(signing_secret=SECRET, **HOOK)
    assert failed and result['changed']
    assert result['msg'].startswith("webhook 'tracker' (id %s): CircleCI did not keep what POST /webhook sent: "
                                    'the signing secret reads back as not set.' % stored(standin)['id'])
    assert SECRET not in json.dumps(result)
    failed, result = run(signing_secret=SECRET, **HOOK)
    assert failed and result['changed']
    assert 'did not keep what PUT /webhook/%s sent' % stored(standin)['id'] in result['msg']


def seed(standin, **hook):
    with standin.app.lock:
        return standin.app.seeders['webhooks'](standin.app, dict(dict(HOOK, verify_tls=True), **hook))


@pytest.mark.parametrize('has_secret, mode, written', [
    (False, 'on_change', True),
    (True, 'on_change', False),
    (False, 'always', True),
    (True, 'always', True),
    (False, 'on_create', False),
    (True, 'on_create', False),
])
def test_update_secret_modes(run, standin, has_secret, mode, written):
    seed(standin, signing_secret=OTHER_SECRET if has_secret else '')
    before = len(standin.writes)
    failed, result = run(signing_secret=SECRET, update_secret=mode, **HOOK)
    assert not failed, result
    writes = standin.writes[before:]
    assert result['changed'] is written
    if written:
        assert [w['body'] for w in writes] == [{'signing-secret': SECRET, 'signing_secret': SECRET}]
        assert stored(standin)['secret'] == SECRET
    else:
        assert writes == []
        assert stored(standin)['secret'] == (OTHER_SECRET if has_secret else '')
    # check mode predicts the same, and writes nothing
    before = len(standin.writes)
    failed, predicted = run(check_mode=True, signing_secret=SECRET, update_secret=mode, **HOOK)
    assert not failed
    assert predicted['changed'] is (mode == 'always')
    assert standin.writes[before:] == []
    assert SECRET not in json.dumps(result) + json.dumps(predicted)


def test_no_secret_given_leaves_a_set_one_alone(run, standin):
    seed(standin, signing_secret=OTHER_SECRET)
    failed, result = run(**HOOK)
    assert not failed and not result['changed']
    assert standin.writes == []


def test_only_differing_fields_are_put(run, standin):
    seed(standin, signing_secret=OTHER_SECRET)
    failed, result = run(**dict(HOOK, events=['job-completed', 'workflow-completed'], verify_tls=False))
    assert not failed and result['changed']
    assert [w['body'] for w in standin.writes] == [
        {'events': ['job-completed', 'workflow-completed'], 'verify-tls': False, 'verify_tls': False}]
    assert result['diff']['before']['verify_tls'] is True and result['diff']['after']['verify_tls'] is False


def test_duplicates_fail_listing_ids_without_writing(run, standin):
    first, second = seed(standin), seed(standin)
    for args in (HOOK, dict(project_slug='gh/acme/api', name='tracker', state='absent')):
        failed, result = run(**args)
        assert failed
        assert result['msg'] == "2 webhooks are named 'tracker' in this project (ids: %s); delete all but one" % (
            ', '.join(sorted([first['id'], second['id']])))
    assert standin.writes == []


def test_pages_are_followed(run, standin):
    for index in range(5):
        seed(standin, name='filler-%d' % index)
    target = seed(standin)
    failed, result = run(**HOOK)
    assert not failed and not result['changed']
    assert result['webhook']['id'] == target['id']
    assert len([r for r in standin.requests if r['path'] == '/webhook']) == 3


def test_bad_input_sends_nothing(run, standin):
    cases = [
        (dict(HOOK, url='http://hooks.example.com'), '^url: must be an https URL'),
        (dict(HOOK, events=[]), '^events: must name at least one'),
        (dict(HOOK, signing_secret=''), '^signing_secret: must not be empty'),
        (dict(HOOK, update_secret='always'), '^update_secret: always needs signing_secret'),
        (dict(HOOK, project_slug='gh/acme'), "^project_slug: 'gh/acme' is not a project slug"),
        (dict(name='x', scope_id='abc', state='absent'), "^scope_id: 'abc' is not a UUID"),
        (dict(HOOK, name=''), '^name: must not be empty'),
    ]
    for args, message in cases:
        failed, result = run(**args)
        assert failed, args
        assert re.search(message, result['msg']), result['msg']
    assert standin.requests == []
