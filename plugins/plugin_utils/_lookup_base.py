# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What every lookup of the collection shares: the connection options read through
``get_option()`` (direct, then variables, then environment), the one client, and errors
turned into AnsibleLookupError with the messages the modules give."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import functools

from ansible.errors import AnsibleError, AnsibleLookupError
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.community.circleci.plugins.module_utils._client import HAS_REQUESTS
from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIException, Redactor, failure
from ansible_collections.community.circleci.plugins.module_utils._queries import execute, prepare
from ansible_collections.community.circleci.plugins.module_utils._task import client_from_options

display = Display()

MISSING_TOKEN = ('api_token: no CircleCI API token: set the api_token option, the variable circleci_api_token, '
                 'or the environment variable CIRCLECI_TOKEN (or CIRCLE_TOKEN)')


def translate_errors(func):
    """Turn the collection's errors into AnsibleLookupError, keeping their messages (the token redacted)."""
    @functools.wraps(func)
    def wrapper(self, *args, **kwargs):
        try:
            return func(self, *args, **kwargs)
        except CircleCIException as exc:
            redactor = self.client.redactor if self.client is not None else Redactor()
            raise AnsibleLookupError(redactor.text(failure(exc)[0]))
    return wrapper


class CircleCILookupBase(LookupBase):
    """A lookup that talks to CircleCI. Subclasses call ``self.setup(variables, kwargs)`` first."""

    client = None

    def setup(self, variables, kwargs):
        if not HAS_REQUESTS:
            raise AnsibleLookupError('the Python library "requests" is required by this lookup on the controller')
        try:
            self.set_options(var_options=variables, direct=kwargs)
        except AnsibleError as exc:
            # Ansible's own message for a missing required option names neither the variable nor the environment.
            text = str(exc).lower()
            if 'api_token' in text and ('not provided' in text or 'required' in text):
                raise AnsibleLookupError(MISSING_TOKEN)
            raise
        if not self.get_option('api_token'):
            raise AnsibleLookupError(MISSING_TOKEN)
        self.client = client_from_options(self._connection_option, log=display.vvvv,
                                          redactor=Redactor([self._connection_option('api_token')]))

    def _connection_option(self, name):
        value = self.get_option(name)
        # Values from variables may still hold templates on ansible-core versions before 2.19.
        if isinstance(value, str) and '{{' in value and self._templar is not None:
            value = self._templar.template(value)
        return value

    def prepare_all(self, requests):
        """Check every ``(query, values, limit)`` before the first request: bad input sends nothing."""
        return [prepare(name, values, limit) for name, values, limit in requests]

    def execute(self, prepared):
        return execute(self.client, prepared)
