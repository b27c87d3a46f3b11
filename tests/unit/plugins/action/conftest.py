# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The ``display`` fixture of the action plugin tests: it records what an action plugin shows (with
the stand-in's request count at that moment) and runs one as Ansible would."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import pytest

from ansible_collections.community.circleci.plugins.module_utils import _client
from ansible_collections.community.circleci.plugins.plugin_utils import _action

try:
    from unittest.mock import MagicMock
except ImportError:  # pragma: no cover
    from mock import MagicMock  # type: ignore


class Display:
    """Records what the action plugin shows, with the stand-in's request count at that moment."""

    def __init__(self, standin):
        self.standin = standin
        self.lines = []
        self.debug = []

    def v(self, msg, host=None):
        self.lines.append((host, msg, len(self.standin.requests)))

    def vvv(self, msg, host=None):
        self.debug.append(msg)

    @staticmethod
    def run(action_class, args, check_mode=False, environment=None):
        """Run the action plugin ``action_class`` with the task arguments ``args`` on host deployhost."""
        task = MagicMock()
        task.args = args
        task.async_val = 0
        task.check_mode = check_mode
        task.environment = environment
        templar = MagicMock()
        templar.template.side_effect = lambda value: value
        action = action_class(task, MagicMock(), MagicMock(), MagicMock(), templar, None)
        return action.run(task_vars={'inventory_hostname': 'deployhost'})


@pytest.fixture
def display(standin, monkeypatch):
    recorder = Display(standin)
    monkeypatch.setattr(_action, 'display', recorder)
    monkeypatch.setattr(_client.CircleCIClient, 'backoff_base', 0.01)
    for name in ('CIRCLECI_TOKEN', 'CIRCLE_TOKEN', 'CIRCLECI_API_URL'):
        monkeypatch.delenv(name, raising=False)
    return recorder
