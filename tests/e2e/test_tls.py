# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""TLS: the stand-in over HTTPS with a self-signed certificate made at test time.

A module, an action-plugin module (the trigger) and a lookup refuse the certificate by default,
at once (a refused certificate is not retried) and with a message that says it is a TLS error
and names validate_certs; with validate_certs: false they work. Both hold whether or not
REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE are set (requests lets those override a session's
verify=False). And a certificate made trusted through REQUESTS_CA_BUNDLE is accepted with the
default validate_certs: true.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import os
import ssl

import pytest

from conftest import StandIn, make_certificate

pytestmark = pytest.mark.xdist_group('tls')

CHECKED = ('checked context', 'checked trigger', 'checked lookup')
UNCHECKED = ('unchecked context', 'unchecked trigger', 'unchecked lookup')


@pytest.fixture(scope='module')
def tls_standin(tmp_path_factory):
    made = make_certificate(str(tmp_path_factory.mktemp('tls')))
    if made is None:
        pytest.skip('neither the openssl command nor the cryptography package is available to make a certificate')
    standin = StandIn(certfile=made[0], keyfile=made[1])
    standin.certfile = made[0]
    yield standin
    standin.stop()


def system_bundle():
    paths = ssl.get_default_verify_paths()
    for candidate in (paths.cafile, paths.openssl_cafile, '/etc/ssl/certs/ca-certificates.crt'):
        if candidate and os.path.isfile(candidate):
            return candidate
    try:
        import certifi
        return certifi.where()
    except ImportError:
        return None


def bundle_env(bundle):
    """The environment a play gets: both CA bundle variables set to ``bundle``, or removed."""
    if bundle is None:
        return {'REQUESTS_CA_BUNDLE': '', 'CURL_CA_BUNDLE': ''}
    return {'REQUESTS_CA_BUNDLE': bundle, 'CURL_CA_BUNDLE': bundle}


@pytest.mark.parametrize('bundle', ['none', 'system'])
def test_refused_by_default_accepted_without_validation(tls_standin, runner, bundle):
    standin = tls_standin
    assert standin.url.startswith('https://')
    standin.reset()
    ca_bundle = system_bundle() if bundle == 'system' else None
    if bundle == 'system' and ca_bundle is None:
        pytest.skip('no system CA bundle found')
    run = runner.play('tls.yml', standin, env=bundle_env(ca_bundle))
    assert run.rc == 0, run.tail()
    for name in CHECKED:
        record = run.task(name)
        message = record['result']['msg']
        assert record['status'] == 'failed', record
        assert 'TLS error (set validate_certs: false only for a server you trust)' in message, message
        assert 'certificate verify failed' in message, message
        # Not retried: one attempt, failed at the handshake, so no HTTP request reached the server.
        assert 'attempts' not in message, message
        assert record['seq_start'] == record['seq_end']
        assert record['seconds'] < 10
    for name in UNCHECKED:
        assert run.task(name)['status'] in ('ok', 'changed'), run.task(name)
    state = standin.state()
    assert [c['name'] for c in state['contexts']] == ['tls-ctx']
    assert len(state['pipelines']) == 1
    newest = run.task('unchecked lookup')['result']['msg']  # lookup() answers a one-item list as the item
    assert newest['id'] == state['pipelines'][0]['id']


def test_trusted_through_the_ca_bundle_variable(tls_standin, runner):
    standin = tls_standin
    standin.reset()
    run = runner.play('tls.yml', standin, env=bundle_env(standin.certfile))
    assert run.rc == 0, run.tail()
    for name in CHECKED + UNCHECKED:
        assert run.task(name)['status'] in ('ok', 'changed'), run.task(name)
    assert len(standin.state()['pipelines']) == 2
