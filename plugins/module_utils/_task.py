# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What every module's declared class shares, and running one from checked options.

A module declares one class (a Resource, an ItemSet, an Operation or a Read): its
``argument_spec`` and ``rules`` (mutually_exclusive and friends), and the few calls that are
its own. ``execute()`` runs it from options that Ansible already checked against that spec,
whoever checked them: AnsibleModule in a module, the same spec in an action plugin
(plugin_utils/_action.py). Nothing here knows either of them.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import copy
import time

from ansible_collections.community.circleci.plugins.module_utils._client import DEFAULT_API_URL, CircleCIClient
from ansible_collections.community.circleci.plugins.module_utils._errors import (
    CircleCIInputError,
    Redactor,
    failure,
    no_log_values,
)
from ansible_collections.community.circleci.plugins.module_utils._validation import check_api_url

try:
    from ansible.module_utils.basic import env_fallback
except ImportError:  # pragma: no cover
    env_fallback = None


def connection_argument_spec():
    """The connection options of plugins/doc_fragments/connection.py, as an argument spec."""
    return dict(
        api_token=dict(type='str', required=True, no_log=True,
                       fallback=(env_fallback, ['CIRCLECI_TOKEN', 'CIRCLE_TOKEN'])),
        api_url=dict(type='str', default=DEFAULT_API_URL, fallback=(env_fallback, ['CIRCLECI_API_URL'])),
        validate_certs=dict(type='bool', default=True),
        timeout=dict(type='float', default=30),
        max_retries=dict(type='int', default=5),
    )


def full_spec(task_class):
    """A module's whole argument spec: the connection options and its own."""
    spec = connection_argument_spec()
    spec.update(copy.deepcopy(task_class.argument_spec))
    return spec


def client_from_options(get_option, log=None, redactor=None):
    """Check the connection options (from module params or a plugin's get_option) and build the client."""
    for option in ('timeout', 'max_retries'):
        if get_option(option) is not None and get_option(option) < 0:
            raise CircleCIInputError(option, 'must not be negative')
    client = CircleCIClient(
        api_token=get_option('api_token'),
        api_url=check_api_url(get_option('api_url') or DEFAULT_API_URL),
        validate_certs=get_option('validate_certs'),
        timeout=get_option('timeout'),
        max_retries=get_option('max_retries'),
        log=log,
    )
    if redactor is not None:
        client.redactor = redactor
    return client


class Task:
    """One run of a module: the client, the checked options, check mode, the result being
    filled, progress lines (for waiting) and warnings. Subclasses implement ``run()``."""

    argument_spec = {}
    rules = {}

    def __init__(self, client, params, check_mode, result, progress=None, sleep=time.sleep, clock=time.monotonic):
        self.client = client
        self.params = params
        self.check_mode = check_mode
        self.result = result
        self.progress = progress or (lambda line: None)
        self.sleep = sleep
        self.clock = clock
        self.warnings = []
        # What check() answered: the checked and derived inputs (set by run(), before any request).
        self.inputs = {}

    def check(self):
        """Check the input; raise CircleCIInputError. Runs before any request; may answer a dict
        of checked or derived values, kept as ``self.inputs``. Never changes ``params``."""
        return {}

    def warn(self, text):
        self.warnings.append(text)

    def run(self):
        raise NotImplementedError


def run_task(task):
    """Run ``task`` and turn whatever it raises into a failed result, keeping what was done:
    a write that happened (or whose answer was lost) is a change, a refused one is not."""
    try:
        task.run()
    except Exception as exc:  # pylint: disable=broad-except
        msg, extra = failure(exc)
        task.result.update(extra, failed=True, msg=msg)
        if task.client.changed_something():
            task.result['changed'] = True
        for write in task.client.writes_with('lost'):
            task.warn('the answer to %s was lost: CircleCI may have done it; check before running this task again' % write)
    for write in task.client.writes_with('recovered'):
        task.warn('the answer to %s was lost; it was sent again and is done (it cannot happen twice)' % write)
    return task.result


def execute(task_class, params, check_mode, log=None, progress=None):
    """Run a declared class from checked options; answer (result, warnings), every secret of the task redacted."""
    redactor = Redactor(no_log_values(full_spec(task_class), params))
    result = {'changed': False}
    try:
        client = client_from_options(params.get, log=log, redactor=redactor)
    except CircleCIInputError as exc:
        result.update(failed=True, msg=str(exc))
        return redactor.data(result), []
    task = task_class(client, params, check_mode, result, progress=progress)
    run_task(task)
    return redactor.data(result), [redactor.text(w) for w in task.warnings]
