# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The action plugins of circleci_pipeline_trigger and circleci_workflow.

A module cannot print while it runs, and a deploy that waits half an hour must show where it
stands. So these two run on the controller, in the action plugin of the module's name, with the
module's own argument spec and code (plugins/module_utils/_pipelines.py), and report each change
of state with ``display.v()``: a line per change at ``-v``. The modules themselves stay complete
(they work without the action plugin, returning the same lines in ``progress``).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

from ansible.module_utils.basic import missing_required_lib
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.community.circleci.plugins.module_utils._client import HAS_REQUESTS
from ansible_collections.community.circleci.plugins.module_utils._module import (
    client_from_options,
    connection_argument_spec,
)
from ansible_collections.community.circleci.plugins.module_utils._pipelines import run_operation

display = Display()


class PipelineActionBase(ActionBase):
    """Subclasses set ``argument_spec`` (a function), ``rules`` (mutually_exclusive and friends)
    and ``operation`` (PipelineTrigger or WorkflowAction)."""

    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True
    _supports_async = False

    argument_spec = None
    rules = None
    operation = None

    def run(self, tmp=None, task_vars=None):
        result = super(PipelineActionBase, self).run(tmp, task_vars)
        del tmp
        result['changed'] = False
        if not HAS_REQUESTS:
            result.update(failed=True, msg=missing_required_lib('requests'))
            return result

        spec = connection_argument_spec()
        spec.update(self.argument_spec())
        args = dict(self._task.args)
        self._environment_fallbacks(spec, args)
        validated = ArgumentSpecValidator(spec, **self.rules).validate(args)
        if validated.error_messages:
            result.update(failed=True, msg='; '.join(validated.error_messages))
            return result
        params = validated.validated_parameters
        for option in ('timeout', 'max_retries'):
            if params[option] is not None and params[option] < 0:
                result.update(failed=True, msg='%s: must not be negative' % option)
                return result

        host = (task_vars or {}).get('inventory_hostname')
        client = client_from_options(params.get, log=lambda text: display.vvv('circleci: %s' % text, host=host))
        operation = self.operation(client, params, bool(self._task.check_mode), result,
                                   progress=lambda line: display.v('circleci: %s' % line, host=host))
        return run_operation(operation, result)

    def _environment_fallbacks(self, spec, args):
        """Let the task's ``environment:`` feed the env fallbacks, as it would for a module.

        The validator reads the controller's own environment; a module process would also see
        the variables that the task or play sets.
        """
        environment = {}
        for part in self._task.environment or []:
            if part:
                templated = self._templar.template(part)
                if isinstance(templated, dict):
                    environment.update(templated)
        if not environment:
            return
        for name, option in spec.items():
            fallback = option.get('fallback')
            if args.get(name) is not None or not fallback or len(fallback) < 2:
                continue
            for variable in fallback[1]:
                if environment.get(variable):
                    args[name] = environment[variable]
                    break
