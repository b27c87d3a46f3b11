# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Running a module's declared class as an Ansible module: AnsibleModule checks the options
against the class's spec and rules, ``execute()`` runs it, and the result goes out through
exit_json or fail_json (which also remove every no_log value, as a second guard)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.community.circleci.plugins.module_utils._client import HAS_REQUESTS, REQUESTS_IMPORT_ERROR
from ansible_collections.community.circleci.plugins.module_utils._task import execute, full_spec


def run_module(task_class):
    """The whole ``main()`` of a module that declares ``task_class``."""
    module = AnsibleModule(argument_spec=full_spec(task_class), supports_check_mode=True, **task_class.rules)
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'), exception=str(REQUESTS_IMPORT_ERROR))
    result, warnings = execute(task_class, module.params, module.check_mode, log=module.debug)
    for warning in warnings:
        module.warn(warning)
    if result.pop('failed', False):
        module.fail_json(**result)
    module.exit_json(**result)
