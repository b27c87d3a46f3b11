# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures shared by the unit tests: a CircleCI stand-in on a free loopback port."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import os
import sys

import pytest
from hypothesis import settings

# Property tests explore the same examples on every run (the suite stays deterministic) and have
# no deadline (a loaded machine must not fail a test by slowness).
settings.register_profile('community.circleci', derandomize=True, deadline=None)
settings.load_profile('community.circleci')

STANDIN_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'standin')
if STANDIN_DIR not in sys.path:
    sys.path.insert(0, STANDIN_DIR)

import server as standin_server  # noqa: E402  pylint: disable=wrong-import-position,import-error


class StandIn:
    """A running stand-in: ``url`` (base address), ``app`` (its state, config, faults, log)."""

    token = standin_server.DEFAULT_TOKEN

    def __init__(self, server, url):
        self.server = server
        self.url = url
        self.app = server.app

    def reset(self, **config):
        self.app.reset(config)

    def faults(self, *specs):
        with self.app.lock:
            self.app.faults.extend(standin_server.Fault(spec) for spec in specs)

    @property
    def requests(self):
        return list(self.app.log)

    @property
    def writes(self):
        return [r for r in self.app.log if r['method'] != 'GET']


@pytest.fixture(scope='session')
def standin_session():
    server, url = standin_server.start_in_thread()
    yield StandIn(server, url)
    server.shutdown()
    server.server_close()


@pytest.fixture
def standin(standin_session):
    """The stand-in, reset to its seed state with no faults and an empty request record."""
    standin_session.reset()
    return standin_session


class ModuleExit(Exception):
    """Raised in place of exit_json/fail_json: ``args`` is (failed, result)."""


@pytest.fixture
def run_module(standin, monkeypatch):
    """Run a module's ``main()`` in-process against the stand-in.

    ``run_module(module, check_mode=False, **args)`` answers ``(failed, result)`` as the module
    gave them to exit_json/fail_json, before Ansible removes no_log values: so a test that finds
    no secret in them proves the module itself never put one there.
    """
    from ansible.module_utils import basic
    from ansible.module_utils.testing import patch_module_args
    from ansible_collections.community.circleci.plugins.module_utils import _client

    def exit_json(self, **kwargs):
        raise ModuleExit(False, kwargs)

    def fail_json(self, msg, **kwargs):
        kwargs['msg'] = msg
        raise ModuleExit(True, kwargs)

    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', exit_json)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', fail_json)
    monkeypatch.setattr(_client.CircleCIClient, 'backoff_base', 0.01)

    def call(module, check_mode=False, **args):
        args.setdefault('api_url', standin.url)
        args.setdefault('api_token', standin.token)
        if check_mode:
            args['_ansible_check_mode'] = True
        with patch_module_args(args):
            with pytest.raises(ModuleExit) as info:
                module.main()
        return info.value.args
    return call
