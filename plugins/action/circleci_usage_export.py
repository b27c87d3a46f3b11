# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Runs the module's own class on the controller so that waiting shows progress at -v
# (see plugins/plugin_utils/_action.py).

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

from ansible_collections.community.circleci.plugins.module_utils._deploys import UsageExport
from ansible_collections.community.circleci.plugins.plugin_utils._action import CircleCIAction


class ActionModule(CircleCIAction):
    task_class = UsageExport
