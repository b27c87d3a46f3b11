# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Running a module's declared class in its action plugin, on the controller.

A module cannot print while it runs, and a deploy that waits half an hour must show where it
stands. So the modules that wait have an action plugin of the same name that runs the very
class the module declares, with the same argument spec and rules (checked by Ansible's own
ArgumentSpecValidator, with Ansible's own env_fallback), and reports each change of state with
``display.v()``: a line per change at ``-v``. The modules themselves stay complete (they work
without the action plugin, returning the same lines in ``progress``).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import contextlib
import os

from ansible.module_utils.basic import missing_required_lib
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.community.circleci.plugins.module_utils._client import HAS_REQUESTS
from ansible_collections.community.circleci.plugins.module_utils._errors import Redactor, no_log_values
from ansible_collections.community.circleci.plugins.module_utils._task import execute, full_spec

display = Display()


@contextlib.contextmanager
def environment(values):
    """The task's ``environment:`` set in os.environ while the options are checked, so that the
    env fallbacks see it as a module process would; the controller's own is restored after."""
    saved = dict((name, os.environ.get(name)) for name in values)
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class CircleCIAction(ActionBase):
    """Subclasses set ``task_class``: the class the module of the same name declares."""

    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True
    _supports_async = False

    task_class = None

    def run(self, tmp=None, task_vars=None):
        result = super(CircleCIAction, self).run(tmp, task_vars)
        del tmp
        result['changed'] = False
        if not HAS_REQUESTS:
            result.update(failed=True, msg=missing_required_lib('requests'))
            return result

        spec = full_spec(self.task_class)
        args = dict(self._task.args)
        with environment(self._task_environment()):
            validated = ArgumentSpecValidator(spec, **self.task_class.rules).validate(args)
        if validated.error_messages:
            redactor = Redactor(no_log_values(spec, args))
            result.update(failed=True, msg=redactor.text('; '.join(validated.error_messages)))
            return result

        host = (task_vars or {}).get('inventory_hostname')
        outcome, warnings = execute(self.task_class, validated.validated_parameters, bool(self._task.check_mode),
                                    log=lambda text: display.vvv('circleci: %s' % text, host=host),
                                    progress=lambda line: display.v('circleci: %s' % line, host=host))
        result.update(outcome)
        if warnings:
            result['warnings'] = warnings
        return result

    def _task_environment(self):
        environment_values = {}
        for part in self._task.environment or []:
            if part:
                templated = self._templar.template(part)
                if isinstance(templated, dict):
                    environment_values.update((str(k), str(v)) for k, v in templated.items() if v is not None)
        return environment_values
